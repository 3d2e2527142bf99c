//===- tests/tiering/StaleSignatureTest.cpp - Redefined with another arity ===//
//
// A function may be redefined with another signature (a load accepts it).
// A call compiled for the old one is then the runtime error naming its
// caller, the callee and both signatures, in every backend and tier, never
// garbage; a redefinition back to the old signature makes it work again.
// docs/SEMANTICS.md "Redefinition".
//
//===----------------------------------------------------------------------===//
#include "TieringSupport.h"

using namespace spl;
using namespace spl::tiering;

namespace {

struct Config {
  const char *Label, *Backend;
  unsigned Opt;
  Tiering T;
  /// Calls of g before the redefinition (auto: so that g is native).
  int Warm;
  const char *TierOfG; // after the warm-up
};

const Config Configs[] = {
    {"interpreter", "interpreter", 2, {}, 1, "interpreter"},
    {"llvm_O0", "llvm", 0, {}, 1, "native"},
    {"llvm_O2", "llvm", 2, {}, 1, "native"},
    {"auto_interpreted", "auto", 2, {}, 1, "interpreter"},
    {"auto_native", "auto", 2, {/*Calls=*/2, 1000000, /*Sync=*/true}, 3,
     "native"},
};

class StaleSignature : public testing::TestWithParam<Config> {};

const char *const Caller = R"(
fn @g(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = call @f(copy _1) : fn(i64) -> i64
  _0 = binop mul copy _2, const i64 2
  return
}
)";

const char *const TwoParams = R"(
fn @f(i64, i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 arg 1
bb0:
  _0 = binop add copy _1, copy _2
  return
}
)";

TEST_P(StaleSignature, ACallCompiledForTheOldSignatureIsAnError) {
  const Config &C = GetParam();
  auto M = make(C.Backend, C.T, C.Opt);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, addConst("f", 1) + Caller));
  for (int K = 0; K < C.Warm; ++K)
    EXPECT_EQ(callI64(*M, "g", {3}), 8);
  ASSERT_TRUE(M->waitForTierUps());
  EXPECT_EQ(tierOf(*M, "g").Tier, C.TierOfG);

  ASSERT_TRUE(compile(*M, TwoParams)); // accepted
  EXPECT_EQ(callI64(*M, "f", {1, 2}), 3);
  const std::string Stale =
      "runtime error in `g`: `f` was redefined as fn(i64, i64) -> i64; this "
      "call was compiled for fn(i64) -> i64";
  EXPECT_EQ(errorOf(*M, "g", {3}), Stale);
  EXPECT_EQ(errorOf(*M, "g", {3}), Stale); // auto: g may be native again
  EXPECT_EQ(callI64(*M, "f", {40, 2}), 42);

  // Back to the old signature: the call is good again.
  ASSERT_TRUE(compile(*M, addConst("f", 10)));
  EXPECT_EQ(callI64(*M, "g", {3}), 26);
  EXPECT_EQ(callI64(*M, "g", {3}), 26);
  EXPECT_EQ(callI64(*M, "g", {-10}), 0);
}

TEST_P(StaleSignature, ACalleeArrivingWithAnotherSignature) {
  // The caller first: its call is compiled for the call site's signature,
  // and the callee that arrives later has another.
  const Config &C = GetParam();
  auto M = make(C.Backend, C.T, C.Opt);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Caller));
  EXPECT_EQ(errorOf(*M, "g", {3}), "runtime error: function `f` is not defined");
  ASSERT_TRUE(compile(*M, TwoParams));
  EXPECT_EQ(errorOf(*M, "g", {3}),
            "runtime error in `g`: `f` was redefined as fn(i64, i64) -> i64; "
            "this call was compiled for fn(i64) -> i64");
  ASSERT_TRUE(compile(*M, addConst("f", 4)));
  EXPECT_EQ(callI64(*M, "g", {3}), 14);
}

TEST_P(StaleSignature, AChangedResultTypeIsAnotherSignatureToo) {
  const Config &C = GetParam();
  auto M = make(C.Backend, C.T, C.Opt);
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, addConst("f", 1) + Caller));
  for (int K = 0; K < C.Warm; ++K)
    EXPECT_EQ(callI64(*M, "g", {3}), 8);
  ASSERT_TRUE(compile(*M, R"(
fn @f(i64) -> f64 {
  let _0: f64 return
  let _1: i64 arg 0
bb0:
  _0 = const f64 0.5
  return
}
)"));
  EXPECT_EQ(errorOf(*M, "g", {3}),
            "runtime error in `g`: `f` was redefined as fn(i64) -> f64; this "
            "call was compiled for fn(i64) -> i64");
}

INSTANTIATE_TEST_SUITE_P(Backends, StaleSignature, testing::ValuesIn(Configs),
                         [](const testing::TestParamInfo<Config> &I) {
                           return std::string(I.param.Label);
                         });

} // namespace
