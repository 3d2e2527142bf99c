//===- tests/interp/InterpCastMatrixTest.cpp - Every cast pair ------------===//
//
// The interpreter against mir::classifyCast and mir::bitcastAllowed on every
// pair of scalar and word types (CastModel.h): a valid pair computes the
// conversion its CastKind names on every sample input, an invalid one is a
// load error, from the verifier and from the lowering's own classification.
//
//===----------------------------------------------------------------------===//

#include "CastModel.h"

#include "interp/Interpreter.h"

#include "gtest/gtest.h"

using namespace spl;
using namespace spl::test::castmodel;

namespace {

TEST(InterpCastMatrix, EveryValidPairComputesItsCastKind) {
  std::vector<Pair> Ps = allPairs();
  auto I = interp::Interpreter::create();
  ASSERT_TRUE(bool(I));
  ASSERT_FALSE(bool((*I)->load(validPairsModule(Ps))));
  size_t Checked = 0;
  for (size_t K = 0; K < Ps.size(); ++K) {
    const Pair &P = Ps[K];
    if (!P.valid())
      continue;
    for (uint64_t X : samples(P.From)) {
      auto Got = (*I)->call("c" + std::to_string(K), {X});
      ASSERT_TRUE(bool(Got)) << P.str() << ": " << toString(Got.takeError());
      uint64_t Want = *P.expected(X);
      EXPECT_TRUE(sameResult(P.To, Want, *Got))
          << P.str() << " of 0x" << std::hex << X << ": got 0x" << *Got
          << ", want 0x" << Want;
      ++Checked;
    }
  }
  // Every CastKind occurs (the matrix is not accidentally empty).
  EXPECT_GT(Checked, 1000u);
}

TEST(InterpCastMatrix, EveryCastKindIsInTheMatrix) {
  bool Seen[9] = {};
  for (const Pair &P : allPairs())
    if (!P.Bitcast)
      Seen[unsigned(mir::classifyCast(P.From, P.To))] = true;
  for (unsigned K = 0; K < 9; ++K)
    EXPECT_TRUE(Seen[K]) << "CastKind " << K;
}

TEST(InterpCastMatrix, InvalidPairsAreLoadErrors) {
  for (const Pair &P : allPairs()) {
    if (P.valid())
      continue;
    mir::Module M;
    M.Name = "bad";
    M.Functions.push_back(castFunction("bad", 1, P.From, P.To, P.Bitcast));
    auto I = interp::Interpreter::create();
    ASSERT_TRUE(bool(I));
    EXPECT_TRUE(bool((*I)->load(M))) << P.str() << " was accepted";
    // Without the verifier the lowering refuses it too.
    auto J = interp::Interpreter::create();
    ASSERT_TRUE(bool(J));
    llvm::Error E = (*J)->loadVerified(M);
    EXPECT_TRUE(bool(E)) << P.str() << " was lowered";
    llvm::consumeError(std::move(E));
  }
}

} // namespace
