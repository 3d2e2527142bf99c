//===- tests/tiering/OsrTest.cpp - On-stack replacement under auto -------===//
//
// A call running a hot loop in the interpreter moves to compiled code at a
// back-edge, with its live locals (of every value kind), its Alloc areas and
// what it wrote to memory, and goes on there: runtime errors, raises and
// externs after the move read as in the interpreter. Every expected value is
// computed by a C++ model of the program in this file (or by hand), and
// checked on the interpreter and llvm too. With Sync, tier-up happens at the
// back-edge that makes the loop hot, so the move happens exactly there.
//
//===----------------------------------------------------------------------===//
#include "TieringSupport.h"

#include <cstdio>

using namespace spl;
using namespace spl::tiering;

namespace {

/// Hot after 100 back-edges; compiled then, on the running thread.
const Tiering HotLoop{/*Calls=*/1000000, /*Loops=*/100, /*Sync=*/true};

const char *const Mixed = R"(
fn @mixed(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 i: i64 var
  let _3 a: i64 var
  let _4 x: f64 var
  let _5 c: i32 var
  let _6 f: f32 var
  let _7 b: bool var
  let _8 u: u8 var
  let _9: bool temp
  let _10: i64 temp
  let _11: f64 temp
  let _12: u8 temp
  let _13: i64 temp
  let _14: i64 temp
bb0:
  _2 = const i64 0
  _3 = const i64 1
  _4 = const f64 0.0
  _5 = const i32 -7
  _6 = const f32 0.0
  _7 = const bool false
  _8 = const u8 0
  goto bb1
bb1:
  _9 = binop lt copy _2, copy _1
  if copy _9 then bb2 else bb3
bb2:
  _10 = binop mul copy _3, const i64 31
  _3 = binop add copy _10, copy _2
  _11 = binop mul copy _4, const f64 0.5
  _4 = binop add copy _11, const f64 1.0
  _5 = binop add copy _5, const i32 3
  _6 = binop add copy _6, const f32 0.25
  _7 = unop not copy _7
  _12 = binop add copy _8, const u8 7
  _8 = binop rem copy _12, const u8 200
  _2 = binop add copy _2, const i64 1
  goto bb1
bb3:
  _11 = binop mul copy _4, const f64 1000.0
  _13 = cast copy _11 to i64
  _0 = binop add copy _3, copy _13
  _14 = cast copy _5 to i64
  _0 = binop add copy _0, copy _14
  _14 = cast copy _6 to i64
  _0 = binop add copy _0, copy _14
  _14 = cast copy _7 to i64
  _14 = binop mul copy _14, const i64 1000000
  _0 = binop add copy _0, copy _14
  _14 = cast copy _8 to i64
  _0 = binop add copy _0, copy _14
  return
}
)";

/// mixed(n) as the MIR above means it (wrapping i64 arithmetic).
int64_t mixedModel(int64_t N) {
  uint64_t A = 1;
  double X = 0;
  int32_t C = -7;
  float F = 0;
  bool B = false;
  unsigned U = 0;
  for (int64_t I = 0; I < N; ++I) {
    A = A * 31 + uint64_t(I);
    X = X * 0.5 + 1.0;
    C += 3;
    F += 0.25f;
    B = !B;
    U = (U + 7) % 200;
  }
  return int64_t(A + uint64_t(int64_t(X * 1000.0)) + uint64_t(int64_t(C)) +
                 uint64_t(int64_t(F)) + (B ? 1000000u : 0u) + U);
}

TEST(Osr, ALongLoopMovesToNativeCodeWithItsLocals) {
  const int64_t N = 100001;
  const int64_t Want = mixedModel(N);
  for (const char *Backend : {"interpreter", "llvm"}) {
    auto M = make(Backend);
    ASSERT_TRUE(M);
    ASSERT_TRUE(compile(*M, Mixed));
    EXPECT_EQ(callI64(*M, "mixed", {N}), Want) << Backend;
  }
  auto M = make("auto", HotLoop);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Mixed));
  EXPECT_EQ(callI64(*M, "mixed", {N}), Want);
  FunctionTier T = tierOf(*M, "mixed");
  EXPECT_EQ(T.Tier, "native") << T.Error;
  EXPECT_EQ(T.Calls, 1u);
  // It moved at the back-edge that made it hot: the interpreter counted
  // that many and no more.
  EXPECT_EQ(T.BackEdges, 100u);
  EXPECT_EQ(T.OsrEntries, 1u);
  // The next call starts native (the interpreter counts nothing).
  EXPECT_EQ(callI64(*M, "mixed", {N + 1}), mixedModel(N + 1));
  EXPECT_EQ(tierOf(*M, "mixed").OsrEntries, 1u);
}

TEST(Osr, MovesAtEveryBackEdgeCountAndLength) {
  // Short loops end before they get hot; long ones move mid-way, in the
  // background wherever the compile lands (here) or at the hot edge.
  for (bool Sync : {true, false})
    for (int64_t N : {0, 1, 2, 99, 100, 101, 5000, 300000}) {
      auto M = make("auto", {1000000, 100, Sync});
      ASSERT_TRUE(M);
      ASSERT_TRUE(compile(*M, Mixed));
      EXPECT_EQ(callI64(*M, "mixed", {N}), mixedModel(N))
          << "n = " << N << (Sync ? " sync" : " background");
      ASSERT_TRUE(M->waitForTierUps());
      EXPECT_EQ(tierOf(*M, "mixed").Tier, N >= 100 ? "native" : "interpreter");
      // Sync: it moves at the 100th back-edge, the loop's test (which the
      // interpreter runs at the loop's bottom), whichever way it goes.
      if (Sync)
        EXPECT_EQ(tierOf(*M, "mixed").OsrEntries, N >= 100 ? 1u : 0u) << N;
    }
}

TEST(Osr, ACallThatMadeItHotByCallsMovesOnceItsLoopIsHot) {
  // Threshold 1: its first call makes it hot and compiles it (for later
  // calls) before it runs; the running call itself is interpreted, and its
  // loop's 100th back-edge compiles it again with a continuation.
  auto M = make("auto", {/*Calls=*/1, /*Loops=*/100, /*Sync=*/true});
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Mixed));
  EXPECT_EQ(callI64(*M, "mixed", {5000}), mixedModel(5000));
  FunctionTier T = tierOf(*M, "mixed");
  EXPECT_EQ(T.Tier, "native");
  EXPECT_EQ(T.BackEdges, 100u);
  EXPECT_EQ(T.OsrEntries, 1u);
  EXPECT_EQ(T.Batch, 2u);
}

TEST(Osr, SwitchedOffTheCallStaysInterpreted) {
  Options O;
  O.Backend = "auto";
  O.JitThreshold = 1000000;
  O.JitLoopThreshold = 100;
  O.JitSync = true;
  O.Osr = false;
  auto M = ExecManager::create(O);
  ASSERT_TRUE(bool(M));
  ASSERT_TRUE(compile(**M, Mixed));
  EXPECT_EQ(callI64(**M, "mixed", {5000}), mixedModel(5000));
  FunctionTier T = tierOf(**M, "mixed");
  EXPECT_EQ(T.Tier, "native"); // for the next call
  EXPECT_EQ(T.BackEdges, 5000u);
  EXPECT_EQ(T.OsrEntries, 0u);
}

const char *const Memory = R"(
fn @fill(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 arr: *mut [i64; 16] temp
  let _3 i: i64 var
  let _4: bool temp
  let _5: i64 temp
  let _6: *mut i64 temp
  let _7: i64 temp
  let _8 first: *mut i64 temp
  let _9 k: i64 var
bb0:
  _2 = alloc [i64; 16]
  _8 = gep copy _2, const i64 0, const i64 0
  _3 = const i64 0
  goto bb1
bb1:
  _4 = binop lt copy _3, copy _1
  if copy _4 then bb2 else bb3
bb2:
  _5 = binop rem copy _3, const i64 16
  _6 = gep copy _2, const i64 0, copy _5
  _7 = load copy _6
  _7 = binop add copy _7, copy _3
  store copy _6, copy _7
  _3 = binop add copy _3, const i64 1
  goto bb1
bb3:
  _0 = load copy _8
  _0 = binop mul copy _0, const i64 1000
  _9 = const i64 0
  goto bb4
bb4:
  _4 = binop lt copy _9, const i64 16
  if copy _4 then bb5 else bb6
bb5:
  _6 = gep copy _2, const i64 0, copy _9
  _7 = load copy _6
  _0 = binop add copy _0, copy _7
  _9 = binop add copy _9, const i64 1
  goto bb4
bb6:
  return
}
)";

int64_t fillModel(int64_t N) {
  int64_t Arr[16] = {};
  for (int64_t I = 0; I < N; ++I)
    Arr[I % 16] += I;
  int64_t R = Arr[0] * 1000;
  for (int64_t V : Arr)
    R += V;
  return R;
}

TEST(Osr, TheAllocAreaAndWhatWasStoredInItCarryOver) {
  auto M = make("auto", HotLoop);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Memory));
  // Hot in the first loop, with a pointer into the area held in a local.
  EXPECT_EQ(callI64(*M, "fill", {1000}), fillModel(1000));
  EXPECT_EQ(tierOf(*M, "fill").OsrEntries, 1u);
  auto I = make("interpreter");
  ASSERT_TRUE(I);
  ASSERT_TRUE(compile(*I, Memory));
  EXPECT_EQ(callI64(*I, "fill", {1000}), fillModel(1000));
}

const char *const Failing = R"(
fn @divloop(i64, i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 k: i64 arg 1
  let _3 i: i64 var
  let _4: bool temp
  let _5: i64 temp
  let _6: i64 temp
bb0:
  _0 = const i64 0
  _3 = const i64 0
  goto bb1
bb1:
  _4 = binop lt copy _3, copy _1
  if copy _4 then bb2 else bb3
bb2:
  _5 = binop sub copy _2, copy _3
  _6 = binop div const i64 1000000, copy _5
  _0 = binop add copy _0, copy _6
  _3 = binop add copy _3, const i64 1
  goto bb1
bb3:
  return
}

fn @raiseloop(i64) -> i64 {
  let _0: i64 return
  let _1 k: i64 arg 0
  let _2 i: i64 var
  let _3: bool temp
bb0:
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop eq copy _2, copy _1
  if copy _3 then bb2 else bb3
bb2:
  throw copy _2, const i64 3
bb3:
  _2 = binop add copy _2, const i64 1
  goto bb1
}

fn @catcher(i64) -> i64 {
  let _0: i64 return
  let _1 k: i64 arg 0
  let _2: i64 temp
  let _3: i64 temp
  let _4: i64 temp
bb0:
  _2 = invoke @raiseloop(copy _1) : fn(i64) -> i64 normal bb1 unwind bb2 payload _3 tag _4
bb1:
  _0 = copy _2
  return
bb2:
  _0 = binop mul copy _3, const i64 10
  _0 = binop add copy _0, copy _4
  return
}

fn @printloop(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 i: i64 var
  let _3: bool temp
  let _4: i64 temp
  let _5: bool temp
bb0:
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop lt copy _2, copy _1
  if copy _3 then bb2 else bb5
bb2:
  _4 = binop rem copy _2, const i64 60
  _5 = binop eq copy _4, const i64 0
  if copy _5 then bb3 else bb4
bb3:
  call @rt_println_i64(copy _2) : fn(i64)
  goto bb4
bb4:
  _2 = binop add copy _2, const i64 1
  goto bb1
bb5:
  _0 = copy _2
  return
}
)";

TEST(Osr, ARuntimeErrorAfterTheMoveReadsAsInTheInterpreter) {
  // 1000000 / (k - i) divides by zero at i = k = 500, after the move at 100.
  const std::string Want =
      "runtime error in `divloop`: attempt to divide by zero";
  auto I = make("interpreter");
  ASSERT_TRUE(I);
  ASSERT_TRUE(compile(*I, Failing));
  EXPECT_EQ(errorOf(*I, "divloop", {1000, 500}), Want);
  auto M = make("auto", HotLoop);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Failing));
  EXPECT_EQ(errorOf(*M, "divloop", {1000, 500}), Want);
  EXPECT_EQ(tierOf(*M, "divloop").OsrEntries, 1u);
  // The manager goes on: sum of 10^6 / (10 - i) for i < 5.
  EXPECT_EQ(callI64(*M, "divloop", {5, 10}),
            100000 + 111111 + 125000 + 142857 + 166666);
}

TEST(Osr, ARaiseAfterTheMoveIsCaughtByTheInterpretedCaller) {
  auto M = make("auto", HotLoop);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Failing));
  // raiseloop counts to 700 and raises payload 700, tag 3, in native code.
  EXPECT_EQ(callI64(*M, "catcher", {700}), 700 * 10 + 3);
  EXPECT_EQ(tierOf(*M, "raiseloop").OsrEntries, 1u);
  EXPECT_EQ(tierOf(*M, "catcher").Tier, "interpreter");
  EXPECT_EQ(errorOf(*M, "raiseloop", {300}),
            "runtime error in `raiseloop`: uncaught exception (type tag 3)");
}

TEST(Osr, ExternCallsBeforeAndAfterTheMoveStayInOrder) {
  auto M = make("auto", HotLoop);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Failing));
  testing::internal::CaptureStdout();
  int64_t R = callI64(*M, "printloop", {400});
  std::fflush(stdout);
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            "0\n60\n120\n180\n240\n300\n360\n");
  EXPECT_EQ(R, 400);
  EXPECT_EQ(tierOf(*M, "printloop").OsrEntries, 1u);
}

TEST(Osr, ARedefinitionWhileTheLoopRunsKeepsTheOldCallsMeaning) {
  // The running call is of the old definition: it finishes with it, in
  // whichever tier, and the next call runs the new one.
  auto M = make("auto", HotLoop);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Mixed));
  EXPECT_EQ(callI64(*M, "mixed", {1000}), mixedModel(1000));
  ASSERT_TRUE(compile(*M, sumLoop("mixed", 3)));
  EXPECT_EQ(callI64(*M, "mixed", {1000}), 3 * 999 * 1000 / 2);
  EXPECT_EQ(callI64(*M, "mixed", {1000}), 3 * 999 * 1000 / 2);
}

} // namespace
