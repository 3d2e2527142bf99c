#!/usr/bin/env bash
# Installs the Debian packages spl-exec needs, only those that are missing.
# Idempotent: a machine that has everything gets no apt-get call at all.
#   --bench  also what `spl-exec bench` compares against: clang-19 (the C twins'
#            baseline, the same LLVM as the JIT), luajit and lua5.4 (--peers)
#   --fuzz   also what `make fuzz` builds with: clang-19 and its libFuzzer,
#            ASan and UBSan runtimes (libclang-rt-19-dev)
set -euo pipefail

BENCH=0
FUZZ=0
for arg in "$@"; do
  case "$arg" in
    --bench) BENCH=1 ;;
    --fuzz) FUZZ=1 ;;
    *) echo "usage: $0 [--bench] [--fuzz]" >&2; exit 2 ;;
  esac
done

PACKAGES=(
  cmake ninja-build g++ make pkg-config ccache
  llvm-19-dev        # LLVM 19: ORC JIT, Support (json, cl, LineEditor)
  libffi-dev         # interpreter's extern calls
  libgtest-dev       # tests
  libbenchmark-dev   # benchmarks
  libtorch-dev       # libspl_torch.so (optional at configure time)
)
if [ "$BENCH" -eq 1 ]; then
  PACKAGES+=(
    clang-19         # spl-exec bench: C twins at -O2 with the JIT's LLVM
    luajit lua5.4    # spl-exec bench --peers
  )
fi
if [ "$FUZZ" -eq 1 ]; then
  PACKAGES+=(
    clang-19           # make fuzz: the fuzz build's compiler
    libclang-rt-19-dev # -fsanitize=fuzzer,address,undefined runtimes
  )
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
