#!/bin/sh
# install_test.sh STEP BUILD_DIR PREFIX SOURCE_DIR HAVE_TORCH
#
#   install  cmake --install BUILD_DIR into PREFIX (a fresh one); the tree
#            must hold bin/spl-exec, lib/libspl_exec.so and, when torch was
#            built, lib/libspl_torch.so beside it.
#   fib      the installed spl-exec runs tests/corpus/fib.json from an empty
#            directory with a clean environment.
#   torch    the same for examples/torch_matmul.mir, which must find
#            libspl_torch.so by itself (exit 77 = skipped without torch).
set -u
step=$1 build=$2 prefix=$3 src=$4 torch=$5

fail() { echo "FAIL: $*" >&2; exit 1; }

# A directory with nothing in it (no build/, no lib/): what the program
# finds must come from the installed tree, not from the working directory.
elsewhere() {
  d=$(mktemp -d) || fail "mktemp"
  echo "$d"
}

case $step in
install)
  rm -rf "$prefix"
  cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install"
  libdir=$(dirname "$(find "$prefix" -name 'libspl_exec.so*' | head -n 1)")
  [ -x "$prefix/bin/spl-exec" ] || fail "no $prefix/bin/spl-exec"
  [ -e "$libdir/libspl_exec.so" ] || fail "no libspl_exec.so in $prefix"
  if [ "$torch" = 1 ]; then
    [ -e "$libdir/libspl_torch.so" ] ||
      fail "libspl_torch.so is not beside libspl_exec.so ($libdir)"
  fi
  ;;
fib)
  d=$(elsewhere)
  out=$(cd "$d" && env -i "$prefix/bin/spl-exec" run "$src/tests/corpus/fib.json")
  rc=$?
  rmdir "$d"
  [ $rc = 0 ] || fail "fib.json exited $rc"
  [ "$out" = 196418 ] || fail "fib.json printed '$out', expected 196418"
  ;;
torch)
  [ "$torch" = 1 ] || { echo "libspl_torch.so was not built: skipped"; exit 77; }
  for backend in interpreter llvm; do
    d=$(elsewhere)
    out=$(cd "$d" && env -i "$prefix/bin/spl-exec" run --backend=$backend \
            "$src/examples/torch_matmul.mir" 2>&1)
    rc=$?
    rmdir "$d"
    [ $rc = 0 ] || fail "torch_matmul.mir ($backend) exited $rc: $out"
    expected=$(cat "$src/tests/torch_e2e/torch_matmul.expected")
    [ "$out" = "$expected" ] ||
      fail "torch_matmul.mir ($backend) printed:
$out
expected:
$expected"
  done
  ;;
*)
  fail "unknown step $step"
  ;;
esac
