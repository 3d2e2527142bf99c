//===- tests/mir/ScaleTest.cpp - Loading is linear in the input ---------===//
//
// 200,000 locals and 200,000 blocks with sparse ids (ten apart, so no table
// indexed by id fits): reading, verifying and converting must not scan per
// lookup. Before the id index this took more than 15 minutes; ctest bounds
// the whole binary (tests/mir/CMakeLists.txt, TIMEOUT), which is the check:
// no time is asserted here.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <string>

using namespace spl::mir;
using spl::mir::test::errorText;

namespace {

constexpr unsigned N = 200000;

LocalId localId(unsigned I) { return 10 * (I + 1); }
BlockId blockId(unsigned I) { return 7 * I + 3; }

/// main: N temps, N blocks; block I sets local I and goes to block I + 1;
/// the last copies local 7 into the Return local _0 and returns.
std::string sparseProgram() {
  std::string T = "fn @main() -> i64 {\n  let _0: i64 return\n";
  for (unsigned I = 0; I < N; ++I)
    T += "  let _" + std::to_string(localId(I)) + ": i64 temp\n";
  for (unsigned I = 0; I < N; ++I) {
    T += "bb" + std::to_string(blockId(I)) + ":\n  _" +
         std::to_string(localId(I)) + " = const i64 " + std::to_string(I) +
         "\n";
    if (I + 1 < N)
      T += "  goto bb" + std::to_string(blockId(I + 1)) + "\n";
    else
      T += "  _0 = copy _" + std::to_string(localId(7)) + "\n  return\n";
  }
  return T + "}\n";
}

TEST(MirScale, SparseIdsLoadVerifyAndConvert) {
  llvm::Expected<Module> M = parseText(sparseProgram(), "sparse.mir");
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(errorText(verify(*M)), "");
  const Function &F = M->Functions[0];
  ASSERT_EQ(F.Locals.size(), N + 1);
  ASSERT_EQ(F.Blocks.size(), N);
  for (unsigned I = 0; I < N; ++I) {
    ASSERT_EQ(F.localIndex(localId(I)), int(I + 1));
    ASSERT_EQ(F.localIndex(localId(I) + 1), -1);
    ASSERT_EQ(F.blockIndex(blockId(I)), int(I));
  }
  EXPECT_EQ(F.returnLocal(), &F.Locals[0]);

  llvm::Expected<Module> FromJSON = readJSON(writeJSON(*M));
  ASSERT_TRUE(bool(FromJSON)) << errorText(FromJSON);
  EXPECT_EQ(errorText(verify(*FromJSON)), "");
  EXPECT_TRUE(*FromJSON == *M);
  llvm::Expected<Module> FromText = parseText(printText(*FromJSON));
  ASSERT_TRUE(bool(FromText)) << errorText(FromText);
  EXPECT_TRUE(*FromText == *M);
}

} // namespace
