#!/usr/bin/env bash
# Times the interpreter on interp_fib30.json and interp_loop.json against
# their C twins (gcc -O2), in one session: each run REPS times, medians and
# ratios printed. Nothing is asserted.
#   benchmarks/interp_measure.sh [BUILD_DIR] [REPS]
# BUILD_DIR must hold the built spl_interp, spl_ffi and spl_mir libraries
# (ninja -C BUILD_DIR spl_interp).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
reps=${2:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

llvm_inc=$(llvm-config-19 --includedir 2>/dev/null || echo /usr/lib/llvm-19/include)
llvm_lib=$(llvm-config-19 --libdir 2>/dev/null || echo /usr/lib/llvm-19/lib)
g++ -O2 -std=c++20 -I"$root" -I"$root/include" -isystem "$llvm_inc" \
  "$here/interp_bench.cpp" -o "$out/interp_bench" \
  "$build/lib/libspl_interp.a" "$build/lib/libspl_ffi.a" "$build/lib/libspl_mir.a" \
  -L"$llvm_lib" -lLLVM -lffi -ldl -lpthread -Wl,-rpath,"$llvm_lib"
for p in fib30 loop; do
  gcc -O2 "$here/interp_$p.c" -o "$out/c_$p"
done

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for p in fib30 loop; do
  c=$(for _ in $(seq "$reps"); do "$out/c_$p" | awk '{print $2}'; done | median)
  i=$("$out/interp_bench" "$here/interp_$p.json" main "$reps" | awk '{print $2}')
  printf '%-6s  C -O2 %9.3f ms   interpreter %9.3f ms   ratio %5.1fx\n' \
    "$p" "$c" "$i" "$(echo "$i / $c" | bc -l)"
done
