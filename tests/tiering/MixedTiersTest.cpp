//===- tests/tiering/MixedTiersTest.cpp - Native meets interpreted -------===//
//
// Under auto a call may cross from native code into the interpreter and
// back at any function boundary. Across it: externs (the runtime's, an SFFI
// library's, a C callback into MIR), function pointers (one value in both
// tiers), runtime errors and exceptions (caught in the other tier, or not
// at all), and the call depth, which must end in the same stack-overflow
// error, naming the same function, as the interpreter alone. JitSync makes
// each promotion happen at a known call.
//
//===----------------------------------------------------------------------===//
#include "TieringSupport.h"

#include <cstdio>
#include <cstdlib>

using namespace spl;
using namespace spl::tiering;

namespace {

const Tiering AtSecondCall{/*Calls=*/2, /*Loops=*/1000000, /*Sync=*/true};

const char *const Printer = R"(
fn @show(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
bb0:
  call @rt_println_i64(copy _1) : fn(i64)
  _0 = binop mul copy _1, const i64 3
  return
}
)";

TEST(MixedTiers, RuntimeExternsBeforeAndAfterPromotion) {
  auto M = make("auto", AtSecondCall);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Printer));
  testing::internal::CaptureStdout();
  int64_t A = callI64(*M, "show", {1}); // interpreted
  int64_t B = callI64(*M, "show", {2}); // interpreted, makes it hot
  int64_t C = callI64(*M, "show", {-3}); // native
  std::fflush(stdout);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "1\n2\n-3\n");
  EXPECT_EQ(A, 3);
  EXPECT_EQ(B, 6);
  EXPECT_EQ(C, -9);
  EXPECT_EQ(tierOf(*M, "show").Tier, "native");
}

#ifdef SPL_SFFI_DIR
const char *const Sffi = R"(
fn @twice(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
bb0:
  _0 = binop mul copy _1, const i64 2
  return
}

fn @viaC(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = call @rt_testlib_inc(copy _1) : fn(i64) -> i64
  _0 = call @rt_testlib_apply_i64(const fn(i64) -> i64 @twice, copy _2) : fn(fn(i64) -> i64, i64) -> i64
  return
}

fn @pointer() -> fn(i64) -> i64 {
  let _0: fn(i64) -> i64 return
bb0:
  _0 = const fn(i64) -> i64 @twice
  return
}
)";

TEST(MixedTiers, SffiCallsAndCallbacksBeforeAndAfterPromotion) {
  setenv("SIMPLE_TESTLIB_LIB", SPL_SFFI_DIR "/libspl_testlib.so", 1);
  auto M = make("auto", AtSecondCall);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Sffi));
  // (x + 1) * 2 through the library and back into MIR, in each tier.
  EXPECT_EQ(callI64(*M, "viaC", {1}), 4);
  EXPECT_EQ(tierOf(*M, "viaC").Tier, "interpreter");
  auto P1 = M->callWithBits("pointer", {});
  ASSERT_TRUE(bool(P1)) << P1.error().Message;
  EXPECT_EQ(callI64(*M, "viaC", {10}), 22);
  EXPECT_EQ(callI64(*M, "viaC", {-4}), -6);
  EXPECT_EQ(tierOf(*M, "viaC").Tier, "native");
  auto P2 = M->callWithBits("pointer", {}); // the second call: hot
  auto P3 = M->callWithBits("pointer", {}); // native
  ASSERT_TRUE(bool(P2) && bool(P3));
  EXPECT_EQ(tierOf(*M, "pointer").Tier, "native");
  // A function pointer is one value, whichever tier took it.
  EXPECT_EQ(P1->bits(), P3->bits());
  EXPECT_NE(P1->bits(), 0u);
  unsetenv("SIMPLE_TESTLIB_LIB");
}
#endif

const char *const Raising = R"(
fn @raiser(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
  let _2: bool temp
bb0:
  _2 = binop lt copy _1, const i64 0
  if copy _2 then bb1 else bb2
bb1:
  throw copy _1, const i64 7
bb2:
  _0 = binop mul copy _1, const i64 10
  return
}

fn @catcher(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
  let _2: i64 temp
  let _3: i64 temp
  let _4: i64 temp
  let _5: bool temp
bb0:
  _5 = binop ge copy _1, const i64 0
  if copy _5 then bb3 else bb4
bb3:
  _0 = binop mul copy _1, const i64 10
  return
bb4:
  _2 = invoke @raiser(copy _1) : fn(i64) -> i64 normal bb1 unwind bb2 payload _3 tag _4
bb1:
  _0 = copy _2
  return
bb2:
  _0 = binop add copy _3, copy _4
  return
}

fn @div(i64, i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 arg 1
bb0:
  _0 = binop div copy _1, copy _2
  return
}
)";

TEST(MixedTiers, ANativeRaiseIsCaughtByAnInterpretedCatch) {
  auto M = make("auto", AtSecondCall);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Raising));
  EXPECT_EQ(callI64(*M, "raiser", {1}), 10);
  EXPECT_EQ(callI64(*M, "raiser", {2}), 20);
  ASSERT_EQ(tierOf(*M, "raiser").Tier, "native");
  EXPECT_EQ(callI64(*M, "catcher", {-5}), -5 + 7); // catcher interpreted
  EXPECT_EQ(tierOf(*M, "catcher").Tier, "interpreter");
}

TEST(MixedTiers, AnInterpretedRaiseIsCaughtByANativeCatch) {
  auto M = make("auto", AtSecondCall);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Raising));
  // catcher gets hot before raiser ever runs: raiser stays out of its batch.
  EXPECT_EQ(callI64(*M, "catcher", {1}), 10);
  EXPECT_EQ(callI64(*M, "catcher", {2}), 20);
  ASSERT_EQ(tierOf(*M, "catcher").Tier, "native");
  EXPECT_EQ(callI64(*M, "catcher", {-1}), -1 + 7);
  EXPECT_EQ(tierOf(*M, "raiser").Tier, "interpreter");
  // raiser's second call makes it hot (it still runs interpreted); the
  // third is native: a native raise caught by native code.
  EXPECT_EQ(callI64(*M, "catcher", {-9}), -9 + 7);
  EXPECT_EQ(callI64(*M, "catcher", {-20}), -20 + 7);
  EXPECT_EQ(tierOf(*M, "raiser").Tier, "native");
}

TEST(MixedTiers, ErrorsInPromotedCodeReadAsInTheInterpreter) {
  auto M = make("auto", AtSecondCall);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Raising));
  EXPECT_EQ(callI64(*M, "div", {7, 2}), 3);
  EXPECT_EQ(callI64(*M, "div", {-7, 2}), -3);
  ASSERT_EQ(tierOf(*M, "div").Tier, "native");
  EXPECT_EQ(errorOf(*M, "div", {1, 0}),
            "runtime error in `div`: attempt to divide by zero");
  EXPECT_EQ(errorOf(*M, "div", {INT64_MIN, -1}),
            "runtime error in `div`: attempt to divide with overflow");
  callI64(*M, "raiser", {1});
  callI64(*M, "raiser", {1});
  ASSERT_EQ(tierOf(*M, "raiser").Tier, "native");
  EXPECT_EQ(errorOf(*M, "raiser", {-1}),
            "runtime error in `raiser`: uncaught exception (type tag 7)");
  // The manager goes on after each.
  EXPECT_EQ(callI64(*M, "div", {9, 3}), 3);
}

const char *const PingPong = R"(
fn @ping(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
bb0:
  _2 = binop le copy _1, const i64 0
  if copy _2 then bb1 else bb2
bb1:
  _0 = const i64 0
  return
bb2:
  _3 = binop sub copy _1, const i64 1
  _3 = call @pong(copy _3) : fn(i64) -> i64
  _0 = binop add copy _3, const i64 1
  return
}

fn @pong(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
bb0:
  _2 = binop le copy _1, const i64 0
  if copy _2 then bb1 else bb2
bb1:
  _0 = const i64 0
  return
bb2:
  _3 = binop sub copy _1, const i64 1
  _3 = call @ping(copy _3) : fn(i64) -> i64
  _0 = binop add copy _3, const i64 2
  return
}
)";

TEST(MixedTiers, TheCallDepthCarriesAcrossTiers) {
  // ping native, pong interpreted: a recursion alternating tiers at every
  // call ends where the interpreter's does, at depth 52 of 51: pong's call.
  const std::string Overflow =
      "runtime error in `pong`: stack overflow (call depth exceeded 51)";
  auto I = make("interpreter", {}, 2, /*MaxCallDepth=*/51);
  ASSERT_TRUE(I);
  ASSERT_TRUE(compile(*I, PingPong));
  EXPECT_EQ(errorOf(*I, "ping", {1000}), Overflow);
  auto M = make("auto", AtSecondCall, 2, /*MaxCallDepth=*/51);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, PingPong));
  EXPECT_EQ(callI64(*M, "ping", {0}), 0);
  EXPECT_EQ(callI64(*M, "ping", {0}), 0);
  ASSERT_EQ(tierOf(*M, "ping").Tier, "native") << tierOf(*M, "ping").Error;
  ASSERT_EQ(tierOf(*M, "pong").Tier, "interpreter");
  // 25 rounds of ping (+1) and pong (+2) fit: 50 calls deep.
  EXPECT_EQ(callI64(*M, "ping", {49}), 25 * 1 + 24 * 2);
  EXPECT_EQ(errorOf(*M, "ping", {1000}), Overflow);
  EXPECT_EQ(errorOf(*M, "ping", {51}), Overflow);
  EXPECT_EQ(errorOf(*I, "ping", {51}), Overflow);
  EXPECT_EQ(callI64(*M, "ping", {50}), 25 * 1 + 25 * 2);
}

} // namespace
