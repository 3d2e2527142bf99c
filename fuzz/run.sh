#!/usr/bin/env bash
# Runs fuzz targets for SECONDS each with their seeds and dictionaries, then
# prints per target the executions, cov:, ft:, corpus size and crash files.
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]     (default: all five, in turn)
#   FUZZ_PARALLEL=1  runs the targets at the same time (one process each)
# A run goes on after a crash (libFuzzer's -fork=1 with -ignore_crashes,
# -ignore_timeouts, -ignore_ooms): every finding of the N seconds is kept.
# The corpus each run grows is BUILD_DIR/corpus/TARGET (kept between runs);
# crashes, leaks, timeouts and OOMs land in BUILD_DIR/artifacts/TARGET/, the
# log in BUILD_DIR/logs/TARGET.log. Runs under nice -n 10.
set -uo pipefail
build=${1:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}
secs=${2:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(json text interp jit runtime)
root=$(cd "$(dirname "$0")/.." && pwd)

# allocator_may_return_null: a failed huge allocation is bad_alloc, which
# the readers turn into a load error, as without ASan. allow_user_poisoning=0:
# LLVM's inline BumpPtrAllocator, compiled into our instrumented code,
# poisons its slabs, and libLLVM.so's own uninstrumented copy (StringSaver)
# hands them out without unpoisoning: a false use-after-poison.
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1:allow_user_poisoning=0:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local t=$1
  local max_len=8192 dict=()
  case $t in
    json) dict=(-dict="$root/fuzz/json.dict") ;;
    text) dict=(-dict="$root/fuzz/text.dict"); max_len=4096 ;;
    interp|jit) ;; # both readers: no single dictionary fits
    runtime) max_len=1024 ;;
  esac
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t" "$build/logs"
  nice -n 10 "$build/bin/fuzz_$t" "$build/corpus/$t" "$build/seeds/$t" \
    "${dict[@]}" -max_len=$max_len -max_total_time="$secs" -rss_limit_mb=2048 \
    -timeout=10 -close_fd_mask=1 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 \
    -artifact_prefix="$build/artifacts/$t/" > "$build/logs/$t.log" 2>&1
}

if [ "${FUZZ_PARALLEL:-0}" = 1 ]; then
  for t in "${targets[@]}"; do run_one "$t" & done
  wait
else
  for t in "${targets[@]}"; do run_one "$t"; done
fi

status=0
for t in "${targets[@]}"; do
  log=$build/logs/$t.log
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(ls "$build/corpus/$t" | wc -l)
  crashes=$(ls "$build/artifacts/$t" 2>/dev/null)
  printf 'fuzz_%-8s execs %-10s cov %-6s ft %-7s corpus %-6s crashes %s\n' \
    "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$(echo $crashes | wc -w)"
  for c in $crashes; do echo "  $build/artifacts/$t/$c"; status=1; done
done
exit $status
