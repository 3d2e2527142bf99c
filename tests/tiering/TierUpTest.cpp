//===- tests/tiering/TierUpTest.cpp - Promotion, observed ----------------===//
//
// auto promotes one function at a time, when its calls or loop back-edges
// reach a threshold, together with the callees that ran; code that never
// runs is never compiled. Every test here fails if promotion is switched
// off (the tier stays "interpreter"), and checks the results across it.
//
//===----------------------------------------------------------------------===//
#include "TieringSupport.h"

using namespace spl;
using namespace spl::tiering;

namespace {

int64_t triangle(int64_t N) { return N * (N - 1) / 2; }

TEST(TierUp, AFunctionCalledThresholdTimesBecomesNative) {
  auto M = make("auto", {/*Calls=*/3});
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, addConst("inc", 1) + addConst("cold", 2)));
  for (int64_t K = 1; K <= 2; ++K) {
    EXPECT_EQ(callI64(*M, "inc", {K}), K + 1);
    FunctionTier T = tierOf(*M, "inc");
    EXPECT_EQ(T.Tier, "interpreter");
    EXPECT_EQ(T.Calls, uint64_t(K));
    EXPECT_EQ(T.HotMs, -1);
  }
  EXPECT_EQ(callI64(*M, "inc", {3}), 4); // the third call makes it hot
  ASSERT_TRUE(M->waitForTierUps());
  FunctionTier T = tierOf(*M, "inc");
  EXPECT_EQ(T.Tier, "native");
  EXPECT_EQ(T.Calls, 3u);
  EXPECT_GE(T.HotMs, 0);
  EXPECT_GE(T.PromotedMs, T.HotMs);
  EXPECT_EQ(T.Batch, 1u);
  EXPECT_GT(T.CompileMs, 0);
  // Native code from now on: the same results, no more interpreted calls.
  EXPECT_EQ(callI64(*M, "inc", {-8}), -7);
  EXPECT_EQ(callI64(*M, "inc", {INT64_MAX}), INT64_MIN);
  EXPECT_EQ(tierOf(*M, "inc").Calls, 3u);
  // Never called, never compiled.
  FunctionTier Cold = tierOf(*M, "cold");
  EXPECT_EQ(Cold.Tier, "interpreter");
  EXPECT_EQ(Cold.Calls, 0u);
  EXPECT_EQ(Cold.Batch, 0u);
}

TEST(TierUp, LoopBackEdgesMakeALongFirstCallHot) {
  auto M = make("auto", {/*Calls=*/1000000, /*Loops=*/100});
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, sumLoop("sum3", 3)));
  // One call: its loop, not its calls, makes it hot.
  EXPECT_EQ(callI64(*M, "sum3", {5000}), 3 * triangle(5000));
  ASSERT_TRUE(M->waitForTierUps());
  FunctionTier T = tierOf(*M, "sum3");
  EXPECT_EQ(T.Tier, "native");
  EXPECT_EQ(T.Calls, 1u);
  // The compile in the background (milliseconds) lands after this call
  // (microseconds) has ended, so it ran interpreted throughout: every
  // iteration's back-edge is counted, one per iteration (give or take the
  // loop's entry and exit). OsrTest.cpp has calls that move.
  EXPECT_GE(T.BackEdges, 4999u);
  EXPECT_LE(T.BackEdges, 5001u);
  EXPECT_EQ(callI64(*M, "sum3", {10}), 3 * triangle(10));
  EXPECT_EQ(callI64(*M, "sum3", {0}), 0);
}

TEST(TierUp, CalleesThatRanJoinTheBatchCodeThatNeverRanStaysOut) {
  auto M = make("auto", {/*Calls=*/1000000, /*Loops=*/50});
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, callLoop("outer", "leaf") + addConst("leaf", 7) +
                              callLoop("unused", "never") +
                              addConst("never", 1)));
  EXPECT_EQ(callI64(*M, "outer", {200}), triangle(200) + 200 * 7);
  ASSERT_TRUE(M->waitForTierUps());
  FunctionTier Outer = tierOf(*M, "outer"), Leaf = tierOf(*M, "leaf");
  EXPECT_EQ(Outer.Tier, "native");
  EXPECT_EQ(Leaf.Tier, "native"); // it ran: compiled with its caller
  EXPECT_EQ(Leaf.Batch, Outer.Batch);
  EXPECT_GT(Leaf.Calls, 0u);
  for (const char *Cold : {"unused", "never"}) {
    FunctionTier T = tierOf(*M, Cold);
    EXPECT_EQ(T.Tier, "interpreter") << Cold;
    EXPECT_EQ(T.Calls, 0u) << Cold;
  }
  EXPECT_EQ(callI64(*M, "outer", {10}), triangle(10) + 70);
}

TEST(TierUp, SyncPromotionSwitchesTheNextCallMidLoop) {
  // With JitSync the compile happens at the call that makes the function
  // hot: that call still runs interpreted, every later one native. So the
  // callee's interpreted calls stop at exactly one, in the middle of the
  // caller's (interpreted) loop.
  auto M = make("auto", {/*Calls=*/1, /*Loops=*/1000000, /*Sync=*/true});
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, callLoop("outer", "leaf") + addConst("leaf", 7)));
  EXPECT_EQ(callI64(*M, "outer", {100}), triangle(100) + 700);
  FunctionTier Outer = tierOf(*M, "outer"), Leaf = tierOf(*M, "leaf");
  EXPECT_EQ(Leaf.Tier, "native");
  EXPECT_EQ(Leaf.Calls, 1u);
  EXPECT_EQ(Outer.Tier, "native");
  EXPECT_EQ(Outer.Calls, 1u);
  EXPECT_GE(Outer.BackEdges, 99u); // one per iteration, give or take one
  EXPECT_LE(Outer.BackEdges, 101u);
  // Both native now; outer (compiled before leaf existed natively) reaches
  // it through its stub.
  EXPECT_EQ(callI64(*M, "outer", {30}), triangle(30) + 210);
  EXPECT_EQ(tierOf(*M, "leaf").Calls, 1u);
}

TEST(TierUp, RedefinitionGoesBackToTheInterpreterAndUp) {
  auto M = make("auto", {/*Calls=*/1000000, /*Loops=*/5, /*Sync=*/true});
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, callLoop("outer", "leaf") + addConst("leaf", 1)));
  EXPECT_EQ(callI64(*M, "outer", {20}), triangle(20) + 20);
  ASSERT_EQ(tierOf(*M, "outer").Tier, "native");
  ASSERT_EQ(tierOf(*M, "leaf").Tier, "native");
  ASSERT_EQ(tierOf(*M, "leaf").Batch, tierOf(*M, "outer").Batch);
  // outer may have inlined leaf: both leave native code.
  ASSERT_TRUE(compile(*M, addConst("leaf", 100)));
  EXPECT_EQ(tierOf(*M, "leaf").Tier, "interpreter");
  EXPECT_EQ(tierOf(*M, "leaf").Calls, 0u);
  EXPECT_EQ(tierOf(*M, "outer").Tier, "interpreter");
  EXPECT_EQ(callI64(*M, "leaf", {1}), 101);
  EXPECT_EQ(callI64(*M, "outer", {20}), triangle(20) + 2000);
  // ... and up again: outer's loop is hot again within that call.
  EXPECT_EQ(tierOf(*M, "outer").Tier, "native");
  EXPECT_EQ(callI64(*M, "outer", {3}), triangle(3) + 300);
}

TEST(TierUp, TheOtherBackendsReportTheirTier) {
  for (const char *B : {"interpreter", "llvm"}) {
    auto M = make(B);
    ASSERT_TRUE(M);
    ASSERT_TRUE(compile(*M, sumLoop("sum1", 1)));
    EXPECT_EQ(callI64(*M, "sum1", {10}), triangle(10));
    EXPECT_EQ(callI64(*M, "sum1", {4}), triangle(4));
    FunctionTier T = tierOf(*M, "sum1");
    if (std::string(B) == "interpreter") {
      // It counts calls, not back-edges (those cost the loops of a backend
      // that never tiers up: Interpreter.h).
      EXPECT_EQ(T.Tier, "interpreter");
      EXPECT_EQ(T.Calls, 2u);
      EXPECT_EQ(T.BackEdges, 0u);
    } else {
      EXPECT_EQ(T.Tier, "native");
      EXPECT_EQ(T.Calls, 0u);
    }
  }
}

TEST(TierUp, SyncTierUpHappensAtTheThresholdCall) {
  auto M = make("auto", {/*Calls=*/2, 1000000, /*Sync=*/true});
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, addConst("f", 5)));
  EXPECT_EQ(tierOf(*M, "f").Tier, "interpreter");
  callI64(*M, "f", {0});
  EXPECT_EQ(tierOf(*M, "f").Tier, "interpreter");
  callI64(*M, "f", {0});
  EXPECT_EQ(tierOf(*M, "f").Tier, "native");
}

} // namespace
