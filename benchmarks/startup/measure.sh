#!/usr/bin/env bash
# Start-up of spl-exec against a C hello, as CPU-time ratios from one run
# (issue 10, item 3). Nothing is asserted.
#
#   benchmarks/startup/measure.sh [BUILD_DIR] [ROUNDS] [BASELINE_DIR]
#
# BUILD_DIR (default build/) must hold bin/spl-exec and its libraries. Each
# of ROUNDS (default 40) rounds runs every command once (runstat.c); the
# table gives medians, the ratio to the C hello (hello.c, cc -O2) and the
# goals. The llvm rows use a cache directory of their own: the warm-up run
# fills it, so `llvm` is a second run of an unchanged program (the default
# path: a cache hit) and `llvm --no-cache` compiles every time. With
# BASELINE_DIR (another build, or an install prefix with bin/spl-exec), its
# rows come too, marked "base:", measured in the same rounds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
build=$(cd "${1:-$root/build}" && pwd)
rounds=${2:-40}
base=${3:+$(cd "$3" && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc=${CC:-cc}
"$cc" -O2 "$here/hello.c" -o "$tmp/hello"
"$cc" -O2 "$here/runstat.c" -o "$tmp/runstat"
export SIMPLE_JIT_CACHE="$tmp/cache"
tool="$build/bin/spl-exec"
prog="$here/return0.mir"

rows() { # PREFIX TOOL: the spl-exec rows of one build
  local p=$1 t=$2
  printf '%s\0' -- "${p}--version" "$t" --version \
    -- "${p}interpreter" "$t" run --backend=interpreter "$prog" \
    -- "${p}auto" "$t" run --backend=auto "$prog" \
    -- "${p}llvm" "$t" run --backend=llvm "$prog" \
    -- "${p}llvm-no-cache" "$t" run --backend=llvm --no-cache "$prog"
}
{
  rows "" "$tool"
  if [ -n "$base" ]; then rows "base:" "$base/bin/spl-exec"; fi
} > "$tmp/args"
xargs -0 "$tmp/runstat" "$rounds" -- "C-hello" "$tmp/hello" < "$tmp/args" \
  > "$tmp/out"

awk -v rounds="$rounds" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
BEGIN {
  goal["--version"] = 3; goal["interpreter"] = 4; goal["llvm"] = 10
  printf "%-19s %8s %7s %10s  %s\n", "command", "CPU ms", "ratio", "peak RSS", "goal"
}
{
  g = ""
  if ($1 in goal) g = sprintf("<= %gx %s", goal[$1], $3 <= goal[$1] ? "met" : "MISSED")
  if ($1 == "interpreter")
    g = g sprintf(", RSS <= 12 MiB %s", $4 <= 12 ? "met" : "MISSED")
  printf "%-19s %8.2f %6.2fx %6.1f MiB  %s\n", $1, $2, $3, $4, g
}
END { printf "(%d rounds, medians; load average %s at the end)\n", rounds, load }
' "$tmp/out"
