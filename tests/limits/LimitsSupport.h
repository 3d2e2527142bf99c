//===- tests/limits/LimitsSupport.h - Backends and programs -----*- C++ -*-===//
#ifndef SPL_TESTS_LIMITS_SUPPORT_H
#define SPL_TESTS_LIMITS_SUPPORT_H

#include "spl/ExecManager.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace spl::limits_test {

/// Every backend and tier: the interpreter, JIT code at -O0 and -O2, auto.
struct BackendCase {
  const char *Name;
  const char *Backend;
  unsigned OptLevel;
};
inline const BackendCase AllBackends[] = {
    {"interpreter", "interpreter", 2},
    {"llvm_O0", "llvm", 0},
    {"llvm_O2", "llvm", 2},
    {"auto", "auto", 2},
};
inline std::string caseName(const testing::TestParamInfo<BackendCase> &I) {
  return I.param.Name;
}

inline std::unique_ptr<ExecManager> makeManager(const BackendCase &C,
                                                Options O = {}) {
  O.Backend = C.Backend;
  O.OptLevel = C.OptLevel;
  O.JitThreshold = 1;
  auto M = ExecManager::create(O);
  EXPECT_TRUE(bool(M)) << (M ? "" : M.error().Message);
  return M ? std::move(*M) : nullptr;
}

/// `spin` loops forever through one goto; `fib` is naive recursion with no
/// loop at all; `add` is short. `fill` adds to every byte of a buffer again
/// and again: a loop with no call, which the JIT vectorises, so it can only
/// be ended by the interrupt signal (no poll is left in it); `naps` sleeps
/// 2 ms in libc's usleep (a host symbol) per iteration, so a signal almost
/// never finds it in MIR code and only its loop's poll can end it.
inline const char *Programs = R"(module "limits"

extern @usleep(u32) -> i32

fn @fill() -> i64 {
  let _0: i64 return
  let _1 p: *mut u8 var
  let _2 i: i64 var
  let _3: bool temp
  let _4: *mut u8 temp
  let _5: u8 temp
  let _6: u8 temp
  let _7: u8 temp
bb0:
  _1 = call @rt_alloc(const i64 4096) : fn(i64) -> *mut u8
  goto bb1
bb1:
  _2 = const i64 0
  goto bb2
bb2:
  _3 = binop lt copy _2, const i64 4096
  if copy _3 then bb3 else bb1
bb3:
  _4 = gep copy _1, copy _2
  _5 = load copy _4
  _6 = cast copy _2 to u8
  _7 = binop add copy _5, copy _6
  store copy _4, copy _7
  _2 = binop add copy _2, const i64 1
  goto bb2
}

fn @naps() -> i64 {
  let _0: i64 return
  let _1: i32 temp
bb0:
  _1 = call @usleep(const u32 2000) : fn(u32) -> i32
  goto bb0
}

fn @spin() -> i64 {
  let _0: i64 return
bb0:
  goto bb0
}

fn @count() -> i64 {
  let _0: i64 return
  let _1 i: i64 var
bb0:
  _1 = const i64 0
  goto bb1
bb1:
  _1 = binop add copy _1, const i64 1
  goto bb1
}

fn @fib(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
  let _4: i64 temp
  let _5: i64 temp
  let _6: i64 temp
bb0:
  _2 = binop lt copy _1, const i64 2
  if copy _2 then bb1 else bb2
bb1:
  return copy _1
bb2:
  _3 = binop sub copy _1, const i64 1
  _4 = call @fib(copy _3) : fn(i64) -> i64
  _5 = binop sub copy _1, const i64 2
  _6 = call @fib(copy _5) : fn(i64) -> i64
  _0 = binop add copy _4, copy _6
  return copy _0
}

fn @add(i64, i64) -> i64 {
  let _0: i64 return
  let _1 a: i64 arg 0
  let _2 b: i64 arg 1
bb0:
  _0 = binop add copy _1, copy _2
  return copy _0
}
)";

} // namespace spl::limits_test

#endif // SPL_TESTS_LIMITS_SUPPORT_H
