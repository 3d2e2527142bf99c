//===- tests/jit/CastMatrixTest.cpp - Every cast pair, compiled -----------===//
//
// The JIT against mir::classifyCast and mir::bitcastAllowed on every pair of
// scalar and word types (tests/interp/CastModel.h, shared with the
// interpreter's matrix test), at -O0 and -O2: a valid pair computes the
// conversion its CastKind names on every sample input, an invalid one is a
// load error.
//
//===----------------------------------------------------------------------===//

#include "../interp/CastModel.h"
#include "JitTestUtil.h"

using namespace spl;
using namespace spl::jit;
using namespace spl::test::castmodel;

namespace {

class JitCastMatrix : public ::testing::TestWithParam<unsigned> {};

TEST_P(JitCastMatrix, EveryValidPairComputesItsCastKind) {
  std::vector<Pair> Ps = allPairs();
  Options Opts;
  Opts.OptLevel = GetParam();
  std::unique_ptr<Session> S = jit::test::newSession(Opts);
  ASSERT_TRUE(S);
  ASSERT_EQ(jit::test::errorText(S->load(validPairsModule(Ps))), "<success>");
  size_t Checked = 0;
  for (size_t K = 0; K < Ps.size(); ++K) {
    const Pair &P = Ps[K];
    if (!P.valid())
      continue;
    for (uint64_t X : samples(P.From)) {
      auto Got = S->call("c" + std::to_string(K), {X});
      ASSERT_TRUE(bool(Got))
          << P.str() << ": " << jit::test::errorText(Got.takeError());
      uint64_t Want = *P.expected(X);
      EXPECT_TRUE(sameResult(P.To, Want, *Got))
          << P.str() << " of 0x" << std::hex << X << ": got 0x" << *Got
          << ", want 0x" << Want;
      ++Checked;
    }
  }
  EXPECT_GT(Checked, 1000u);
}

TEST_P(JitCastMatrix, InvalidPairsAreLoadErrors) {
  Options Opts;
  Opts.OptLevel = GetParam();
  for (const Pair &P : allPairs()) {
    if (P.valid())
      continue;
    mir::Module M;
    M.Name = "bad";
    M.Functions.push_back(castFunction("bad", 1, P.From, P.To, P.Bitcast));
    std::unique_ptr<Session> S = jit::test::newSession(Opts);
    ASSERT_TRUE(S);
    EXPECT_NE(jit::test::errorText(S->load(M)), "<success>") << P.str();
  }
}

INSTANTIATE_TEST_SUITE_P(OptLevels, JitCastMatrix, ::testing::Values(0u, 2u));

} // namespace
