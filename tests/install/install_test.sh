#!/bin/sh
# install_test.sh STEP BUILD_DIR PREFIX SOURCE_DIR HAVE_TORCH
#
#   install  cmake --install BUILD_DIR into PREFIX (a fresh one); the tree
#            must hold bin/spl-exec, lib/libspl_exec.so, the libraries it and
#            the command load on use (libspl_exec_jit.so,
#            libspl_exec_codegen.so, libspl_exec_lineedit.so) and, when torch
#            was built, lib/libspl_torch.so beside it, and the CMake package.
#   fib      the installed spl-exec runs tests/corpus/fib.json from an empty
#            directory with a clean environment, on every backend (llvm
#            loads the JIT and its code generator from the installed tree).
#   package  a C host built with find_package(SplExec) from PREFIX runs a
#            function on the interpreter and on llvm.
#   missing  a copy of the tree without libspl_exec_jit.so, then without
#            libspl_exec_codegen.so: llvm's error names the missing file,
#            the interpreter (and auto) still run.
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
  for lib in libspl_exec_jit.so libspl_exec_codegen.so libspl_exec_lineedit.so; do
    [ -e "$libdir/$lib" ] || fail "$lib is not beside libspl_exec.so ($libdir)"
  done
  [ -e "$libdir/cmake/SplExec/SplExecConfig.cmake" ] ||
    fail "no $libdir/cmake/SplExec/SplExecConfig.cmake"
  if [ "$torch" = 1 ]; then
    [ -e "$libdir/libspl_torch.so" ] ||
      fail "libspl_torch.so is not beside libspl_exec.so ($libdir)"
  fi
  ;;
fib)
  for backend in auto interpreter llvm; do
    d=$(elsewhere)
    out=$(cd "$d" && env -i "$prefix/bin/spl-exec" run --backend=$backend \
            "$src/tests/corpus/fib.json")
    rc=$?
    rmdir "$d"
    [ $rc = 0 ] || fail "fib.json ($backend) exited $rc"
    [ "$out" = 196418 ] || fail "fib.json ($backend) printed '$out', expected 196418"
  done
  ;;
package)
  d=$(elsewhere)
  cat > "$d/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(host C)
find_package(SplExec REQUIRED)
add_executable(host host.c)
target_link_libraries(host PRIVATE SplExec::spl_exec)
CMAKE
  cat > "$d/host.c" <<'C'
#include <spl/exec_manager.h>
#include <stdio.h>
#include <string.h>
/* add(2, 40) on the backend argv[1] names: prints 42. */
int main(int argc, char **argv) {
  int64_t h = rt_exec_manager_create(argv[1]);
  if (!h)
    return 2;
  const char *e = rt_exec_manager_compile(h,
      "fn @add(i64, i64) -> i64 #1 {\n"
      "  let _0 _return: i64 return\n"
      "  let _1 a: i64 arg 0\n"
      "  let _2 b: i64 arg 1\n\n"
      "bb0 entry:\n"
      "  _0 = binop add copy _1, copy _2\n"
      "  return\n"
      "}\n");
  if (*e) {
    fprintf(stderr, "compile: %s\n", e);
    return 3;
  }
  int64_t args[2] = {2, 40};
  printf("%lld\n", (long long)rt_exec_manager_execute_args(h, "add", args, 2));
  rt_exec_manager_cleanup(h);
  return 0;
}
C
  # SPL_HOST_FLAGS: the sanitizer of a sanitized build (tests/install).
  (cd "$d" && cmake -S . -B b -DCMAKE_PREFIX_PATH="$prefix" \
       -DCMAKE_C_FLAGS="${SPL_HOST_FLAGS:-}" \
       -DCMAKE_EXE_LINKER_FLAGS="${SPL_HOST_FLAGS:-}" >/dev/null &&
     cmake --build b >/dev/null) || fail "a host of the installed package does not build"
  for backend in interpreter llvm; do
    out=$(env -i "$d/b/host" $backend 2>&1)
    [ "$out" = 42 ] || fail "the package's host ($backend) printed '$out', expected 42"
  done
  rm -rf "$d"
  ;;
missing)
  # A copy of the tree without the JIT, then without its code generator:
  # llvm fails naming the file, the interpreter and auto still run.
  d=$(mktemp -d)
  cp -a "$prefix/." "$d/"
  lib=$(dirname "$(find "$d" -name 'libspl_exec_jit.so' | head -n 1)")
  fib="$src/tests/corpus/fib.json"
  expect_runs() { # BACKEND
    out=$(env -i "$d/bin/spl-exec" run --no-cache --backend=$1 "$fib" 2>&1)
    [ "$out" = 196418 ] || fail "without $gone, $1 printed '$out', expected 196418"
  }
  expect_error() { # TEXT
    out=$(env -i "$d/bin/spl-exec" run --no-cache --backend=llvm "$fib" 2>&1) &&
      fail "without $gone, llvm exited 0"
    case "$out" in
    *"$1"*) ;;
    *) fail "without $gone, llvm printed '$out', not '$1'" ;;
    esac
  }
  gone=libspl_exec_jit.so
  mv "$lib/$gone" "$lib/$gone.away"
  expect_error "llvm backend: cannot load $lib/$gone: "
  expect_runs interpreter
  expect_runs auto
  mv "$lib/$gone.away" "$lib/$gone"
  gone=libspl_exec_codegen.so
  rm "$lib/$gone"
  expect_error "llvm backend: no code generator: cannot load $lib/$gone: "
  expect_runs interpreter
  rm -rf "$d"
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
