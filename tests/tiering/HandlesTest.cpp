//===- tests/tiering/HandlesTest.cpp - Calls without a name lookup -------===//
//
// ExecManager::lookup gives a handle of a function; calls through it follow
// redefinitions (it names the function, not a definition) and tier-ups, on
// every backend. (The C API's handles: tests/capi/capi_test.c.)
//
//===----------------------------------------------------------------------===//
#include "TieringSupport.h"

using namespace spl;
using namespace spl::tiering;

namespace {

class Handles : public testing::TestWithParam<const char *> {};

TEST_P(Handles, AHandleFollowsRedefinitionsAndTierUps) {
  auto M = make(GetParam(), {/*Calls=*/2, 1000000, /*Sync=*/true});
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, addConst("f", 1)));
  auto F = M->lookup("f");
  ASSERT_TRUE(bool(F)) << F.error().Message;
  EXPECT_EQ(F->name(), "f");
  for (int64_t X : {1, 2, 3}) {
    auto R = M->call(*F, {Value::i64(X)});
    ASSERT_TRUE(bool(R)) << R.error().Message;
    EXPECT_EQ(R->asI64(), X + 1);
  }
  if (std::string(GetParam()) == "auto")
    EXPECT_EQ(tierOf(*M, "f").Tier, "native");
  ASSERT_TRUE(compile(*M, addConst("f", 50)));
  auto R = M->callWithBits(*F, {uint64_t(7)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(int64_t(R->bits()), 57);
  // A handle's call checks its arguments as a call by name does.
  auto Wrong = M->call(*F, {});
  ASSERT_FALSE(bool(Wrong));
  EXPECT_EQ(Wrong.error().K, ExecError::Kind::Usage);
  EXPECT_EQ(Wrong.error().Message, "function `f` takes 1 argument(s), got 0");
}

TEST_P(Handles, NoHandleOfAnUndefinedFunction) {
  auto M = make(GetParam());
  ASSERT_TRUE(M);
  auto F = M->lookup("nothing");
  ASSERT_FALSE(bool(F));
  EXPECT_EQ(F.error().Message, "runtime error: function `nothing` is not defined");
  auto R = M->call(FunctionHandle(), {});
  ASSERT_FALSE(bool(R));
  EXPECT_EQ(R.error().Message, "call through a null function handle");
}

INSTANTIATE_TEST_SUITE_P(Backends, Handles,
                         testing::Values("interpreter", "llvm", "auto"),
                         [](const testing::TestParamInfo<const char *> &I) {
                           return std::string(I.param);
                         });

} // namespace
