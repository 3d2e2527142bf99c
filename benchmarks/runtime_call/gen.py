#!/usr/bin/env python3
"""Writes the MIR modules of runtime_call_bench (benchmarks/RuntimeCallBench.cpp).

Each module has loop(n) -> i64 that sets up one runtime object in its entry
block and then calls one runtime function n times, returning n (the benchmark
checks that). Calls are written as the Simple compiler writes runtime calls:
a FuncPtr callee type with "params": [] whatever the arguments (MIR.md "Calls
and signatures (v2)"), so the callee's own signature decides.

  python3 gen.py      rewrites the *.json files beside this script
"""
import json
import os

I64 = "I64"


def fn_type(ret):
    return {"FuncPtr": {"params": [], "return_type": ret, "is_variadic": False}}


def call(dest, name, args, ret=I64):
    return {"Call": {"dest": dest,
                     "func": {"Const": {"value": name, "type": fn_type(ret)}},
                     "args": args}}


def const(v, t=I64):
    return {"Const": {"value": v, "type": t}}


def copy(l):
    return {"Copy": l}


def module(name, setup, body, extra_locals):
    """loop(n): setup; for i in 0..n: body; return i.

    Locals: 0 return, 1 n, 2 i, 3 cond, 4 obj, 5 tmp, 6 tmp2, then extras."""
    locals_ = [
        {"id": 0, "name": None, "type": I64, "kind": "Return"},
        {"id": 1, "name": "n", "type": I64, "kind": {"Arg": 0}},
        {"id": 2, "name": "i", "type": I64, "kind": "Var"},
        {"id": 3, "name": None, "type": "Bool", "kind": "Temp"},
        {"id": 4, "name": "obj", "type": I64, "kind": "Var"},
        {"id": 5, "name": None, "type": I64, "kind": "Temp"},
        {"id": 6, "name": None, "type": I64, "kind": "Temp"},
    ] + extra_locals
    blocks = [
        {"id": 0, "label": "entry",
         "instructions": [{"Const": {"dest": 2, "value": 0, "type": I64}}] + setup,
         "terminator": {"Goto": 1}},
        {"id": 1, "label": "loop_head",
         "instructions": [{"BinOp": {"dest": 3, "op": "Lt", "left": copy(2), "right": copy(1)}}],
         "terminator": {"If": {"cond": copy(3), "then": 2, "else": 3}}},
        {"id": 2, "label": "loop_body",
         "instructions": body + [
             {"BinOp": {"dest": 2, "op": "Add", "left": copy(2), "right": const(1)}}],
         "terminator": {"Goto": 1}},
        {"id": 3, "label": "loop_exit", "instructions": [],
         "terminator": {"Return": copy(2)}},
    ]
    fn = {"symbol": 1, "name": "loop",
          "signature": {"params": [I64], "return_type": I64, "is_variadic": False},
          "locals": locals_, "blocks": blocks, "entry_block": 0}
    return {"name": name, "functions": [fn]}


def pushes(n):
    """obj = rt_array_new(0); push the boxed ints 0..n-1 (v << 3)."""
    out = [call(4, "rt_array_new", [const(0)])]
    for v in range(n):
        out.append(call(5, "rt_array_push", [copy(4), const(v << 3)], "Bool"))
    return out


STR16 = {"Opaque": "str"}

MODULES = {
    # rt_array_get(a, i & 15) on a 16-item array.
    "array_get": module(
        "array_get", pushes(16),
        [{"BinOp": {"dest": 5, "op": "BitAnd", "left": copy(2), "right": const(15)}},
         call(6, "rt_array_get", [copy(4), copy(5)])], []),
    # rt_array_push into one array (it grows to n items; cap doubles).
    "array_push": module(
        "array_push", [call(4, "rt_array_new", [const(0)])],
        [call(7, "rt_array_push", [copy(4), copy(2)], "Bool")],
        [{"id": 7, "name": None, "type": "Bool", "kind": "Temp"}]),
    # rt_strcat_tagged of two 16-byte tagged strings, then rt_string_free.
    "strcat_tagged": module(
        "strcat_tagged",
        [call(4, "rt_string_new", [{"Const": {"value": "abcdefghijklmnop", "type": STR16}}, const(16)]),
         call(7, "rt_string_new", [{"Const": {"value": "ABCDEFGHIJKLMNOP", "type": STR16}}, const(16)])],
        [call(5, "rt_strcat_tagged", [copy(4), copy(7)]),
         call(8, "rt_string_free", [copy(5)], "Unit")],
        [{"id": 7, "name": "s2", "type": I64, "kind": "Var"},
         {"id": 8, "name": None, "type": "Unit", "kind": "Temp"}]),
    # rt_dict_get hit: one int key (the word 8 = boxed 1) in a fresh dict.
    "dict_get": module(
        "dict_get",
        [call(4, "rt_dict_new", [const(8)]),
         call(8, "rt_dict_set", [copy(4), const(8), const(16)], "Unit")],
        [call(5, "rt_dict_get", [copy(4), const(8)])],
        [{"id": 8, "name": None, "type": "Unit", "kind": "Temp"}]),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for name, m in MODULES.items():
        with open(os.path.join(here, name + ".json"), "w") as f:
            json.dump(m, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
