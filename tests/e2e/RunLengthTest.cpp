//===- tests/e2e/RunLengthTest.cpp - auto's "may run long" signal ---------===//
#include "exec_manager/Backend.h"

#include <gtest/gtest.h>

using namespace spl;

namespace {
/// Every function of the text module, then the verdict for Fn.
bool longRunning(const char *Text, const char *Fn) {
  auto M = mir::parseText(Text, "t.mir");
  EXPECT_TRUE(bool(M)) << llvm::toString(M.takeError());
  llvm::StringMap<mir::Function> Program;
  llvm::DenseMap<int64_t, llvm::StringRef> BySymbol;
  for (const mir::Function &F : M->Functions) {
    Program[F.Name] = F;
    BySymbol[F.Symbol] = Program.find(F.Name)->getKey();
  }
  return mayRunLong(Fn, Program, BySymbol);
}

const char *Module = R"(
module "m"
fn @straight(i64) -> i64 #1 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop add copy _1, const i64 1
  return
}
fn @calls_straight() -> i64 #2 {
  let _0: i64 return
bb0:
  _0 = call @straight(const i64 1) : fn(i64) -> i64
  goto bb1
bb1:
  return
}
fn @loops() -> i64 #3 {
  let _0: i64 return
  let _1: bool temp
bb0:
  _1 = binop lt copy _0, const i64 10
  if copy _1 then bb1 else bb2
bb1:
  _0 = binop add copy _0, const i64 1
  goto bb0
bb2:
  return
}
fn @calls_loops() -> i64 #4 {
  let _0: i64 return
bb0:
  _0 = call @loops() : fn() -> i64
  return
}
fn @ping(i64) -> i64 #5 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = call #6(copy _1) : fn(i64) -> i64
  return
}
fn @pong(i64) -> i64 #6 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = call @ping(copy _1) : fn(i64) -> i64
  return
}
fn @indirect(fn(i64) -> i64) -> i64 #7 {
  let _0: i64 return
  let _1: fn(i64) -> i64 arg 0
bb0:
  _0 = call_indirect copy _1(const i64 1) : fn(i64) -> i64
  return
}
fn @calls_missing() -> i64 #8 {
  let _0: i64 return
bb0:
  _0 = call @not_yet() : fn() -> i64
  return
}
)";

TEST(RunLength, StraightLineCodeIsBounded) {
  EXPECT_FALSE(longRunning(Module, "straight"));
  EXPECT_FALSE(longRunning(Module, "calls_straight"));
  EXPECT_FALSE(longRunning(Module, "calls_missing"));
}

TEST(RunLength, LoopsRecursionAndIndirectCallsMayRunLong) {
  EXPECT_TRUE(longRunning(Module, "loops"));
  EXPECT_TRUE(longRunning(Module, "calls_loops"));
  EXPECT_TRUE(longRunning(Module, "ping")); // through pong, called by symbol
  EXPECT_TRUE(longRunning(Module, "indirect"));
}
} // namespace
