#!/usr/bin/env bash
# The main job, shown: the examples under every backend, the text form, the
# JIT's code, SFFI externs, and (when libtorch is there) the torch MLP.
set -euo pipefail
BUILD=${1:-build}
SPL="$BUILD/bin/spl-exec"
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "spl-exec --version"
"$SPL" --version

for prog in examples/fib.json examples/arrays.json; do
  for backend in interpreter llvm auto; do
    say "spl-exec run --backend=$backend $prog"
    "$SPL" run --backend="$backend" --stats "$prog"
  done
done

say "spl-exec convert examples/fib.json (the text form)"
"$SPL" convert examples/fib.json --to=text

say "spl-exec run --emit=llvm examples/fib.json (optimised IR, first lines)"
# (head closes the pipe early; spl-exec's failed write then is no error.)
"$SPL" run --emit=llvm examples/fib.json > "$BUILD/demo-fib.ll"
head -n 30 "$BUILD/demo-fib.ll"

if [ -f "$BUILD/lib/libspl_torch.so" ] && [ -f examples/torch_mlp.mir ]; then
  say "spl-exec run --list-externs examples/torch_mlp.mir"
  "$SPL" run --list-externs examples/torch_mlp.mir > "$BUILD/demo-externs.txt"
  head -n 12 "$BUILD/demo-externs.txt"
  for backend in interpreter llvm auto; do
    say "spl-exec run --backend=$backend examples/torch_mlp.mir"
    "$SPL" run --backend="$backend" examples/torch_mlp.mir
  done
else
  say "libspl_torch.so not built (libtorch-dev missing): skipping the torch MLP"
fi

say "spl-exec bench --quick --filter=fib --runs=3"
"$SPL" bench --quick --filter=fib --runs=3
