//===- tests/interp/InterpFusedTest.cpp - Superinstructions keep meaning --===//
//
// The interpreter folds chains of single-use temporaries into one handler
// (interp/LowerFused.cpp): index arithmetic into addresses, loads into
// them, multiply-add, `x[i] += a * b`, a counted loop's increment and test,
// F64 operations with a constant, a dot product's step, F64 operations on
// loaded operands. Each program here is shaped so a pattern
// fires, and its result is worked out by hand from MIR's meaning: 64-bit
// wrapping for index arithmetic, one rounding per float instruction (never
// a fused multiply-add). Every backend must give the same value.
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>

using namespace spl;

namespace {
// @fill: buf = [10, 11, ..., 17] (i64); @powers: p[k] = 2^k, k < 8 (f64).
// Both fill by a loop; the test functions read what they filled.
const char *Prelude = R"(
fn @fill(*mut i64) {
  let _1 p: *mut i64 arg 0
  let _2 i: i64 temp
  let _3: bool temp
  let _4: *mut i64 temp
  let _5: i64 temp
  let _6: i64 temp
bb0:
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop lt copy _2, const i64 8
  if copy _3 then bb2 else bb3
bb2:
  _4 = gep copy _1, copy _2
  _5 = binop add copy _2, const i64 10
  store copy _4, copy _5
  _6 = binop add copy _2, const i64 1
  _2 = copy _6
  goto bb1
bb3:
  return
}
fn @powers(*mut f64) {
  let _1 p: *mut f64 arg 0
  let _2 i: i64 temp
  let _3: bool temp
  let _4: *mut f64 temp
  let _5 v: f64 temp
  let _6: f64 temp
  let _7: i64 temp
bb0:
  _2 = const i64 0
  _5 = const f64 1.0
  goto bb1
bb1:
  _3 = binop lt copy _2, const i64 8
  if copy _3 then bb2 else bb3
bb2:
  _4 = gep copy _1, copy _2
  store copy _4, copy _5
  _6 = binop mul copy _5, const f64 2.0
  _5 = copy _6
  _7 = binop add copy _2, const i64 1
  _2 = copy _7
  goto bb1
bb3:
  return
}
)";

class Fused : public ::testing::TestWithParam<const char *> {
protected:
  void load(const std::string &Text) {
    Options O;
    O.Backend = GetParam();
    O.OptLevel = 0;
    auto M = ExecManager::create(O);
    ASSERT_TRUE(M) << M.error().Message;
    EM = std::move(*M);
    Status S = EM->compile(std::string(Prelude) + Text, "fused.mir");
    ASSERT_TRUE(S) << S.error().Message;
  }
  int64_t callI(const char *Fn, std::vector<Value> Args) {
    auto R = EM->call(Fn, Args);
    EXPECT_TRUE(R) << (R ? "" : R.error().Message);
    return R ? R->asI64() : -999;
  }
  double callF(const char *Fn, std::vector<Value> Args) {
    auto R = EM->call(Fn, Args);
    EXPECT_TRUE(R) << (R ? "" : R.error().Message);
    return R ? R->asF64() : -999.0;
  }
  std::unique_ptr<ExecManager> EM;
};

uint64_t bitsOf(double D) {
  uint64_t B;
  std::memcpy(&B, &D, 8);
  return B;
}
} // namespace

TEST_P(Fused, ScaledIndexAndOffsetFoldIntoTheLoad) {
  // buf[x*3 - 2]: the offset is negative, so the folded address wraps.
  load(R"(
fn @at(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
  let _2: *mut [i64; 8] temp
  let _3: *mut i64 temp
  let _4: i64 temp
  let _5: i64 temp
  let _6: *mut i64 temp
  let _7: i64 temp
bb0:
  _2 = alloc [i64; 8]
  _3 = gep copy _2, const i64 0, const i64 0
  call @fill(copy _3) : fn(*mut i64)
  _4 = binop mul copy _1, const i64 3
  _5 = binop add copy _4, const i64 -2
  _6 = gep copy _3, copy _5
  _7 = load copy _6
  _0 = copy _7
  return
}
)");
  EXPECT_EQ(callI("at", {Value::i64(1)}), 11); // index 1
  EXPECT_EQ(callI("at", {Value::i64(3)}), 17); // index 7
}

TEST_P(Fused, NarrowLoadsThroughAFoldedAddressKeepTheirKind) {
  // The bytes of buf[0] = 10 and buf[1] = 11 read as i8/u8/i16 at
  // index*1 + 8: byte 8 is 11 (little-endian), and 0xF5 = -11 as i8.
  load(R"(
fn @byte(i64) -> i64 {
  let _0: i64 return
  let _1 k: i64 arg 0
  let _2: *mut [i64; 8] temp
  let _3: *mut i64 temp
  let _4: *mut u8 temp
  let _5: i64 temp
  let _6: *mut u8 temp
  let _7: u8 temp
  let _8: *mut i8 temp
  let _9: i64 temp
  let _10: *mut i8 temp
  let _11: i8 temp
  let _12: i64 temp
  let _13: i64 temp
bb0:
  _2 = alloc [i64; 8]
  _3 = gep copy _2, const i64 0, const i64 0
  call @fill(copy _3) : fn(*mut i64)
  _4 = bitcast copy _3 to *mut u8
  _5 = binop add copy _1, const i64 8
  _6 = gep copy _4, copy _5
  _7 = load copy _6
  store copy _6, const u8 245
  _8 = bitcast copy _3 to *mut i8
  _9 = binop add copy _1, const i64 8
  _10 = gep copy _8, copy _9
  _11 = load copy _10
  _12 = cast copy _7 to i64
  _13 = cast copy _11 to i64
  _0 = binop mul copy _13, const i64 1000
  _0 = binop add copy _0, copy _12
  return
}
)");
  EXPECT_EQ(callI("byte", {Value::i64(0)}), -11 * 1000 + 11);
}

TEST_P(Fused, MultiplyAddIndexFromSlots) {
  // buf[a*b + c] and a*b + c itself, wrapping: 2^62 * 4 + 5 = 5 (mod 2^64).
  load(R"(
fn @idx(i64, i64, i64) -> i64 {
  let _0: i64 return
  let _1 a: i64 arg 0
  let _2 b: i64 arg 1
  let _3 c: i64 arg 2
  let _4: *mut [i64; 8] temp
  let _5: *mut i64 temp
  let _6: i64 temp
  let _7: i64 temp
  let _8: *mut i64 temp
  let _9: i64 temp
bb0:
  _4 = alloc [i64; 8]
  _5 = gep copy _4, const i64 0, const i64 0
  call @fill(copy _5) : fn(*mut i64)
  _6 = binop mul copy _1, copy _2
  _7 = binop add copy _6, copy _3
  _8 = gep copy _5, copy _7
  _9 = load copy _8
  _0 = copy _9
  return
}
fn @muladd(i64, i64, i64) -> i64 {
  let _0: i64 return
  let _1 a: i64 arg 0
  let _2 b: i64 arg 1
  let _3 c: i64 arg 2
  let _4: i64 temp
  let _5: i64 temp
bb0:
  _4 = binop mul copy _1, copy _2
  _5 = binop add copy _4, copy _3
  _0 = copy _5
  return
}
)");
  EXPECT_EQ(callI("idx", {Value::i64(2), Value::i64(3), Value::i64(1)}), 17);
  EXPECT_EQ(callI("idx", {Value::i64(-1), Value::i64(2), Value::i64(5)}), 13);
  EXPECT_EQ(callI("muladd", {Value::i64(int64_t(1) << 62), Value::i64(4), Value::i64(5)}),
            5);
}

TEST_P(Fused, FloatMultiplyAddRoundsTwice) {
  // a = b = 1 + 2^-30: a*b = 1 + 2^-29 + 2^-60 rounds to 1 + 2^-29, so with
  // c = -(1 + 2^-29) the sum is exactly 0 (a fused multiply-add: 2^-60).
  load(R"(
fn @fma(f64, f64, f64) -> f64 {
  let _0: f64 return
  let _1: f64 arg 0
  let _2: f64 arg 1
  let _3: f64 arg 2
  let _4: f64 temp
  let _5: f64 temp
bb0:
  _4 = binop mul copy _1, copy _2
  _5 = binop add copy _3, copy _4
  _0 = copy _5
  return
}
fn @fms(f64, f64, f64) -> f64 {
  let _0: f64 return
  let _1: f64 arg 0
  let _2: f64 arg 1
  let _3: f64 arg 2
  let _4: f64 temp
bb0:
  _4 = binop mul copy _1, copy _2
  _0 = binop sub copy _3, copy _4
  return
}
fn @fmr(f64, f64, f64) -> f64 {
  let _0: f64 return
  let _1: f64 arg 0
  let _2: f64 arg 1
  let _3: f64 arg 2
  let _4: f64 temp
bb0:
  _4 = binop mul copy _1, copy _2
  _0 = binop sub copy _4, copy _3
  return
}
)");
  double A = 1 + std::ldexp(1.0, -30), C = 1 + std::ldexp(1.0, -29);
  EXPECT_EQ(bitsOf(callF("fma", {Value::f64(A), Value::f64(A), Value::f64(-C)})),
            bitsOf(0.0));
  EXPECT_EQ(bitsOf(callF("fms", {Value::f64(A), Value::f64(A), Value::f64(C)})),
            bitsOf(0.0));
  EXPECT_EQ(bitsOf(callF("fmr", {Value::f64(A), Value::f64(A), Value::f64(C)})),
            bitsOf(0.0));
  EXPECT_EQ(callF("fms", {Value::f64(2), Value::f64(3), Value::f64(10)}), 4.0);
  EXPECT_EQ(callF("fmr", {Value::f64(2), Value::f64(3), Value::f64(10)}), -4.0);
}

TEST_P(Fused, AccumulateIntoMemory) {
  // v[1] += a*b then v[2] -= a*b, v = [0.5, 1.5, 2.5]: returns v[1]*10 + v[2]
  // with a*b = 6: (7.5)*10 + (-3.5) = 71.5.
  load(R"(
fn @acc(f64, f64) -> f64 {
  let _0: f64 return
  let _1 a: f64 arg 0
  let _2 b: f64 arg 1
  let _3: *mut [f64; 3] temp
  let _4: *mut f64 temp
  let _5: *mut f64 temp
  let _6: *mut f64 temp
  let _7: i64 temp
  let _8: *mut f64 temp
  let _9: f64 temp
  let _10: f64 temp
  let _11: f64 temp
  let _12: i64 temp
  let _13: *mut f64 temp
  let _14: f64 temp
  let _15: f64 temp
  let _16: f64 temp
  let _17: f64 temp
  let _18: f64 temp
  let _19: f64 temp
bb0:
  _3 = alloc [f64; 3]
  _4 = gep copy _3, const i64 0, const i64 0
  store copy _4, const f64 0.5
  _5 = gep copy _4, const i64 1
  store copy _5, const f64 1.5
  _6 = gep copy _4, const i64 2
  store copy _6, const f64 2.5
  _7 = const i64 0
  _12 = binop add copy _7, const i64 1
  _8 = gep copy _4, copy _12
  _9 = load copy _8
  _10 = binop mul copy _1, copy _2
  _11 = binop add copy _9, copy _10
  store copy _8, copy _11
  _7 = binop add copy _7, const i64 2
  _13 = gep copy _4, copy _7
  _14 = load copy _13
  _15 = binop mul copy _1, copy _2
  _16 = binop sub copy _14, copy _15
  store copy _13, copy _16
  _17 = load copy _5
  _18 = load copy _6
  _19 = binop mul copy _17, const f64 10.0
  _0 = binop add copy _19, copy _18
  return
}
)");
  EXPECT_EQ(callF("acc", {Value::f64(2), Value::f64(3)}), 71.5);
}

TEST_P(Fused, ALoadWhoseAddressIsStoredToAgain) {
  // buf[i] = buf[i] * 2 + 1 for i = 5: 15 * 2 + 1 = 31, then read back.
  load(R"(
fn @twice(i64) -> i64 {
  let _0: i64 return
  let _1 i: i64 arg 0
  let _2: *mut [i64; 8] temp
  let _3: *mut i64 temp
  let _4: *mut i64 temp
  let _5: i64 temp
  let _6: i64 temp
  let _7: i64 temp
bb0:
  _2 = alloc [i64; 8]
  _3 = gep copy _2, const i64 0, const i64 0
  call @fill(copy _3) : fn(*mut i64)
  _4 = gep copy _3, copy _1
  _5 = load copy _4
  _6 = binop mul copy _5, const i64 2
  _7 = binop add copy _6, const i64 1
  store copy _4, copy _7
  _0 = load copy _4
  return
}
)");
  EXPECT_EQ(callI("twice", {Value::i64(5)}), 31);
}

TEST_P(Fused, CountedLoopIncrementAndTest) {
  // sum of i for i = s, s+3, ... while i < n: s=1, n=11: 1+4+7+10 = 22;
  // n <= s: no iteration; a negative start.
  load(R"(
fn @steps(i64, i64) -> i64 {
  let _0: i64 return
  let _1 s: i64 arg 0
  let _2 n: i64 arg 1
  let _3 i: i64 temp
  let _4: bool temp
  let _5: i64 temp
  let _6: i64 temp
bb0:
  _0 = const i64 0
  _3 = copy _1
  goto bb1
bb1:
  _4 = binop lt copy _3, copy _2
  if copy _4 then bb2 else bb4
bb2:
  _0 = binop add copy _0, copy _3
  goto bb3
bb3:
  _5 = binop add copy _3, const i64 3
  _3 = copy _5
  goto bb1
bb4:
  _6 = binop mul copy _3, const i64 0
  _0 = binop add copy _0, copy _6
  return
}
fn @below10(i64) -> i64 {
  let _0: i64 return
  let _1 s: i64 arg 0
  let _3 i: i64 temp
  let _4: bool temp
  let _5: i64 temp
bb0:
  _0 = const i64 0
  _3 = copy _1
  goto bb1
bb1:
  _4 = binop lt copy _3, const i64 10
  if copy _4 then bb2 else bb4
bb2:
  _0 = binop add copy _0, const i64 1
  goto bb3
bb3:
  _5 = binop add copy _3, const i64 1
  _3 = copy _5
  goto bb1
bb4:
  return
}
)");
  EXPECT_EQ(callI("steps", {Value::i64(1), Value::i64(11)}), 22);
  EXPECT_EQ(callI("steps", {Value::i64(5), Value::i64(5)}), 0);
  EXPECT_EQ(callI("steps", {Value::i64(-6), Value::i64(1)}), -6 + -3 + 0);
  EXPECT_EQ(callI("below10", {Value::i64(-5)}), 15);
  EXPECT_EQ(callI("below10", {Value::i64(20)}), 0);
}

TEST_P(Fused, FloatOperationsWithAConstantKeepTheirOrder) {
  load(R"(
fn @k(f64) -> f64 {
  let _0: f64 return
  let _1 x: f64 arg 0
  let _2: f64 temp
  let _3: f64 temp
  let _4: f64 temp
  let _5: f64 temp
  let _6: f64 temp
bb0:
  _2 = binop sub const f64 10.0, copy _1
  _3 = binop div copy _2, const f64 4.0
  _4 = binop div const f64 1.0, copy _3
  _5 = binop mul copy _4, const f64 3.0
  _6 = binop sub copy _5, const f64 0.5
  _0 = binop add const f64 100.0, copy _6
  return
}
)");
  // x = 2: (10 - 2) / 4 = 2; 1 / 2 = 0.5; * 3 = 1.5; - 0.5 = 1; 100 + 1.
  EXPECT_EQ(callF("k", {Value::f64(2)}), 101.0);
  // x = 10: 0 / 4 = 0; 1 / 0 = inf; inf * 3 - 0.5 + 100 = inf.
  EXPECT_TRUE(std::isinf(callF("k", {Value::f64(10)})));
}

TEST_P(Fused, DotProductStepThroughMultiplyAddIndices) {
  // s = s0 + sum_k a[i*n + k] * b[k*n + j] over the 2 x 2 matrices
  // a = [a00 -2; 3 0.25], b = [b00 4; -1 8]: matmul's inner loop.
  load(R"(
fn @dot(i64, i64, i64, f64, f64, f64) -> f64 {
  let _0: f64 return
  let _1 i: i64 arg 0
  let _2 j: i64 arg 1
  let _3 n: i64 arg 2
  let _4 a00: f64 arg 3
  let _5 b00: f64 arg 4
  let _6 s0: f64 arg 5
  let _7: *mut [f64; 4] temp
  let _8 a: *mut f64 temp
  let _9: *mut [f64; 4] temp
  let _10 b: *mut f64 temp
  let _11 k: i64 temp
  let _12 s: f64 temp
  let _13: bool temp
  let _14: i64 temp
  let _15: i64 temp
  let _16: *mut f64 temp
  let _17: f64 temp
  let _18: i64 temp
  let _19: i64 temp
  let _20: *mut f64 temp
  let _21: f64 temp
  let _22: f64 temp
  let _23: f64 temp
  let _24: i64 temp
  let _25: *mut f64 temp
bb0:
  _7 = alloc [f64; 4]
  _8 = gep copy _7, const i64 0, const i64 0
  store copy _8, copy _4
  _25 = gep copy _8, const i64 1
  store copy _25, const f64 -2.0
  _25 = gep copy _8, const i64 2
  store copy _25, const f64 3.0
  _25 = gep copy _8, const i64 3
  store copy _25, const f64 0.25
  _9 = alloc [f64; 4]
  _10 = gep copy _9, const i64 0, const i64 0
  store copy _10, copy _5
  _25 = gep copy _10, const i64 1
  store copy _25, const f64 4.0
  _25 = gep copy _10, const i64 2
  store copy _25, const f64 -1.0
  _25 = gep copy _10, const i64 3
  store copy _25, const f64 8.0
  _11 = const i64 0
  _12 = copy _6
  goto bb1
bb1:
  _13 = binop lt copy _11, copy _3
  if copy _13 then bb2 else bb3
bb2:
  _14 = binop mul copy _1, copy _3
  _15 = binop add copy _14, copy _11
  _16 = gep copy _8, copy _15
  _17 = load copy _16
  _18 = binop mul copy _11, copy _3
  _19 = binop add copy _18, copy _2
  _20 = gep copy _10, copy _19
  _21 = load copy _20
  _22 = binop mul copy _17, copy _21
  _23 = binop add copy _12, copy _22
  _12 = copy _23
  _24 = binop add copy _11, const i64 1
  _11 = copy _24
  goto bb1
bb3:
  _0 = copy _12
  return
}
)");
  auto Dot = [&](int64_t I, int64_t J, int64_t N, double A, double B,
                 double S) {
    return callF("dot", {Value::i64(I), Value::i64(J), Value::i64(N),
                         Value::f64(A), Value::f64(B), Value::f64(S)});
  };
  EXPECT_EQ(Dot(0, 0, 2, 1.5, 2, 0.5), 0.5 + 1.5 * 2 + -2.0 * -1); // 5.5
  EXPECT_EQ(Dot(0, 1, 2, 1.5, 2, 0.5), 0.5 + 1.5 * 4 + -2.0 * 8);  // -9.5
  EXPECT_EQ(Dot(1, 0, 2, 1.5, 2, 0.5), 0.5 + 3.0 * 2 + 0.25 * -1); // 6.25
  EXPECT_EQ(Dot(1, 1, 2, 1.5, 2, 0.5), 0.5 + 3.0 * 4 + 0.25 * 8);  // 14.5
  // Two roundings, as FloatMultiplyAddRoundsTwice: (1 + 2^-30)^2 rounds to
  // 1 + 2^-29 before the sum, which is then exactly 0.
  double A = 1 + std::ldexp(1.0, -30), C = 1 + std::ldexp(1.0, -29);
  EXPECT_EQ(bitsOf(Dot(0, 0, 1, A, A, -C)), bitsOf(0.0));
}

namespace {
/// `fn @NAME(i64 i, i64 j) -> f64`: p[i*3 + 1] OP p[j*2], p from @powers.
std::string twoLoads(const std::string &Name, const std::string &Op) {
  return "fn @" + Name + R"((i64, i64) -> f64 {
  let _0: f64 return
  let _1 i: i64 arg 0
  let _2 j: i64 arg 1
  let _3: *mut [f64; 8] temp
  let _4: *mut f64 temp
  let _5: i64 temp
  let _6: i64 temp
  let _7: *mut f64 temp
  let _8: f64 temp
  let _9: i64 temp
  let _10: *mut f64 temp
  let _11: f64 temp
bb0:
  _3 = alloc [f64; 8]
  _4 = gep copy _3, const i64 0, const i64 0
  call @powers(copy _4) : fn(*mut f64)
  _5 = binop mul copy _1, const i64 3
  _6 = binop add copy _5, const i64 1
  _7 = gep copy _4, copy _6
  _8 = load copy _7
  _9 = binop mul copy _2, const i64 2
  _10 = gep copy _4, copy _9
  _11 = load copy _10
  _0 = binop )" + Op + R"( copy _8, copy _11
  return
}
)";
}

/// `fn @NAME(i64 i, f64 y) -> f64`: p[Index] OP y, Index being `i + 2` or
/// (Plain) `i`, p from @powers.
std::string loadAndSlot(const std::string &Name, const std::string &Op,
                        bool Plain) {
  std::string Index = Plain ? "  _7 = gep copy _4, copy _1\n"
                            : "  _6 = binop add copy _1, const i64 2\n"
                              "  _7 = gep copy _4, copy _6\n";
  return "fn @" + Name + R"((i64, f64) -> f64 {
  let _0: f64 return
  let _1 i: i64 arg 0
  let _2 y: f64 arg 1
  let _3: *mut [f64; 8] temp
  let _4: *mut f64 temp
  let _6: i64 temp
  let _7: *mut f64 temp
  let _8: f64 temp
bb0:
  _3 = alloc [f64; 8]
  _4 = gep copy _3, const i64 0, const i64 0
  call @powers(copy _4) : fn(*mut f64)
)" + Index + "  _8 = load copy _7\n  _0 = binop " + Op + R"( copy _8, copy _2
  return
}
)";
}
} // namespace

TEST_P(Fused, FloatOperationOfTwoLoadsKeepsItsOrder) {
  load(twoLoads("ld_add", "add") + twoLoads("ld_sub", "sub") +
       twoLoads("ld_mul", "mul") + twoLoads("ld_div", "div"));
  auto At = [&](const char *Fn, int64_t I, int64_t J) {
    return callF(Fn, {Value::i64(I), Value::i64(J)});
  };
  // x = p[4] = 16, y = p[2] = 4.
  EXPECT_EQ(At("ld_add", 1, 1), 20.0);
  EXPECT_EQ(At("ld_sub", 1, 1), 12.0);
  EXPECT_EQ(At("ld_mul", 1, 1), 64.0);
  EXPECT_EQ(At("ld_div", 1, 1), 4.0);
  // x = p[1] = 2, y = p[6] = 64.
  EXPECT_EQ(At("ld_sub", 0, 3), -62.0);
  EXPECT_EQ(At("ld_div", 0, 3), 0.03125);
}

TEST_P(Fused, FloatOperationOfALoadAndASlotKeepsItsOrder) {
  load(loadAndSlot("add", "add", false) + loadAndSlot("sub", "sub", false) +
       loadAndSlot("mul", "mul", false) + loadAndSlot("div", "div", false) +
       loadAndSlot("mul_plain", "mul", true));
  auto At = [&](const char *Fn, int64_t I, double Y) {
    return callF(Fn, {Value::i64(I), Value::f64(Y)});
  };
  // p[3] = 8, p[1] = 2, y = 0.5.
  EXPECT_EQ(At("add", 1, 0.5), 8.5);
  EXPECT_EQ(At("sub", 1, 0.5), 7.5);
  EXPECT_EQ(At("mul", 1, 0.5), 4.0);
  EXPECT_EQ(At("div", 1, 0.5), 16.0);
  EXPECT_EQ(At("mul_plain", 1, 0.5), 1.0);
  // p[7] = 128, p[5] = 32, y = -4.
  EXPECT_EQ(At("sub", 5, -4), 132.0);
  EXPECT_EQ(At("div", 5, -4), -32.0);
  EXPECT_EQ(At("mul_plain", 5, -4), -128.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Fused,
                         ::testing::Values("interpreter", "llvm", "auto"),
                         [](const auto &I) { return std::string(I.param); });
