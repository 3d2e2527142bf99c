#!/usr/bin/env python3
"""Generates the compile-scale programs (MIR text form) and their C twins.

    python3 gen.py chain N  OUT.mir [OUT.c]   # N functions, each a loop
                                              # calling the previous one
    python3 gen.py switch N OUT.mir [OUT.c]   # one Switch with N targets
    python3 gen.py switch-ret N OUT.mir [OUT.c] # the same, each case a Return
    python3 gen.py onehot N OUT.mir [OUT.c]   # chain's N functions, of which
                                              # main calls only f0

Both programs are `main(n: i64) -> i64`, print one line and return 0, so
`spl-exec run F.mir ARG` and the C twin built with `clang-19 -O2` print the
same number for the same ARG (README.md shows how to time both).

chain: `f0(n) = loop(n, 0)`, `fK(n) = loop(n, K) + f{K-1}(n)` where
`loop(n, K)` sums `(i * (K % 13 + 3)) % 7` over `i < n`, starting at K. The
call comes after the loop, so the run is N loops of n steps (the point is
the compile time). main prints `f{N-1}(n)`.

onehot: the functions of chain N, but main prints `f0(n)`: one hot loop
in a large program whose other functions never run (what auto's
per-function tiers are for; compare with `onehot 1`, the hot one alone).

switch: `pick(x)` switches on `x` with the cases `0 .. N-1` (case k goes to
a block of its own that sets the result to a value no formula gives, the
arbitrary `(k * 7919) % 10007`, and jumps to the one Return block, as
compiled `match` code does; `switch-ret`: each case block returns its value
itself) and a default returning -1; main prints the sum of `pick(i)` for
`i < n`.
"""

import sys


def chain_mir(n, entry=None):
    entry = n - 1 if entry is None else entry
    out = ['module "compile_scale_chain"', "",
           "extern @rt_println_i64(i64)", ""]
    for k in range(n):
        mul = k % 13 + 3
        out.append(f"fn @f{k}(i64) -> i64 #{k + 1} {{")
        out += ["  let _0: i64 return", "  let _1 n: i64 arg 0",
                "  let _2 i: i64 temp", "  let _3 s: i64 temp",
                "  let _4: bool temp", "  let _5: i64 temp",
                "  let _6: i64 temp", "bb0:",
                "  _2 = const i64 0", f"  _3 = const i64 {k}", "  goto bb1",
                "bb1:", "  _4 = binop lt copy _2, copy _1",
                "  if copy _4 then bb2 else bb3", "bb2:",
                f"  _5 = binop mul copy _2, const i64 {mul}",
                "  _5 = binop rem copy _5, const i64 7",
                "  _3 = binop add copy _3, copy _5",
                "  _2 = binop add copy _2, const i64 1", "  goto bb1", "bb3:"]
        if k == 0:
            out.append("  return copy _3")
        else:
            out += [f"  _6 = call @f{k - 1}(copy _1) : fn(i64) -> i64",
                    "  _0 = binop add copy _3, copy _6", "  return"]
        out += ["}", ""]
    out += [f"fn @main(i64) -> i64 #{n + 1} {{", "  let _0: i64 return",
            "  let _1: i64 arg 0", "  let _2: i64 temp", "bb0:",
            f"  _2 = call @f{entry}(copy _1) : fn(i64) -> i64",
            "  call @rt_println_i64(copy _2) : fn(i64)",
            "  return const i64 0", "}", ""]
    return "\n".join(out)


def chain_c(n, entry=None):
    entry = n - 1 if entry is None else entry
    out = ["/* C twin of `gen.py chain %d` (benchmarks/compile_scale). */" % n,
           "#include <stdint.h>", "#include <stdio.h>", "#include <stdlib.h>",
           ""]
    for k in range(n):
        mul = k % 13 + 3
        out.append(f"int64_t f{k}(int64_t n) {{")
        out.append(f"  int64_t s = {k};")
        out.append(f"  for (int64_t i = 0; i < n; i++)")
        out.append(f"    s += (i * {mul}) % 7;")
        out.append("  return s;" if k == 0 else f"  return s + f{k - 1}(n);")
        out += ["}", ""]
    out += ["int main(int argc, char **argv) {",
            "  int64_t n = argc > 1 ? atoll(argv[1]) : 10;",
            f'  printf("%lld\\n", (long long)f{entry}(n));', "  return 0;",
            "}", ""]
    return "\n".join(out)


def case_value(k):
    return (k * 7919) % 10007


def switch_mir(n, join):
    cases = ", ".join(f"{k}: bb{k + 2}" for k in range(n))
    out = ['module "compile_scale_switch"', "",
           "extern @rt_println_i64(i64)", "",
           "fn @pick(i64) -> i64 #1 {", "  let _0: i64 return",
           "  let _1 x: i64 arg 0", "bb0:",
           f"  switch copy _1 [{cases}, otherwise: bb1]",
           "bb1:", "  return const i64 -1"]
    for k in range(n):
        out.append(f"bb{k + 2}:")
        if join:
            out += [f"  _0 = const i64 {case_value(k)}", f"  goto bb{n + 2}"]
        else:
            out.append(f"  return const i64 {case_value(k)}")
    if join:
        out += [f"bb{n + 2}:", "  return"]
    out += ["}", "",
            "fn @main(i64) -> i64 #2 {", "  let _0: i64 return",
            "  let _1 n: i64 arg 0", "  let _2 i: i64 temp",
            "  let _3 s: i64 temp", "  let _4: bool temp",
            "  let _5: i64 temp", "bb0:", "  _2 = const i64 0",
            "  _3 = const i64 0", "  goto bb1", "bb1:",
            "  _4 = binop lt copy _2, copy _1",
            "  if copy _4 then bb2 else bb3", "bb2:",
            "  _5 = call @pick(copy _2) : fn(i64) -> i64",
            "  _3 = binop add copy _3, copy _5",
            "  _2 = binop add copy _2, const i64 1", "  goto bb1", "bb3:",
            "  call @rt_println_i64(copy _3) : fn(i64)",
            "  return const i64 0", "}", ""]
    return "\n".join(out)


def switch_c(n):
    out = ["/* C twin of `gen.py switch %d` (benchmarks/compile_scale). */" % n,
           "#include <stdint.h>", "#include <stdio.h>", "#include <stdlib.h>",
           "", "int64_t pick(int64_t x) {", "  switch (x) {"]
    for k in range(n):
        out.append(f"  case {k}: return {case_value(k)};")
    out += ["  default: return -1;", "  }", "}", "",
            "int main(int argc, char **argv) {",
            "  int64_t n = argc > 1 ? atoll(argv[1]) : 10, s = 0;",
            "  for (int64_t i = 0; i < n; i++)", "    s += pick(i);",
            '  printf("%lld\\n", (long long)s);', "  return 0;", "}", ""]
    return "\n".join(out)


def main(argv):
    if len(argv) not in (4, 5) or argv[1] not in ("chain", "onehot", "switch",
                                                  "switch-ret"):
        sys.stderr.write(__doc__)
        return 2
    n = int(argv[2])
    if n < 1:
        sys.stderr.write("N must be at least 1\n")
        return 2
    if argv[1] == "chain":
        mir, c = chain_mir, chain_c
    elif argv[1] == "onehot":
        mir, c = (lambda n: chain_mir(n, 0)), (lambda n: chain_c(n, 0))
    else:
        join = argv[1] == "switch"
        mir, c = (lambda n: switch_mir(n, join)), switch_c
    with open(argv[3], "w") as f:
        f.write(mir(n))
    if len(argv) == 5:
        with open(argv[4], "w") as f:
            f.write(c(n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
