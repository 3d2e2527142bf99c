//===- tests/mir/BadInputTest.cpp - tests/bad/: each file, its message ----===//
//
// tests/bad/NAME.json or NAME.mir holds one bad program; NAME.err the exact
// text readModule + verify must give for it (text files are read under their
// file name, so positions read "NAME.mir:LINE:COL").
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace spl::mir;
using namespace spl::mir::test;
namespace fs = std::filesystem;

namespace {

TEST(MirBadInput, EveryFileGivesItsExactMessage) {
  std::vector<fs::path> Files =
      filesIn(sourceDir() / "tests" / "bad", {".json", ".mir"});
  EXPECT_GE(Files.size(), 45u);
  for (const fs::path &P : Files) {
    SCOPED_TRACE(P.filename().string());
    std::optional<std::string> Text = readFile(P);
    ASSERT_TRUE(Text.has_value());
    fs::path ErrPath = P;
    ErrPath.replace_extension(".err");
    std::optional<std::string> Want = readFile(ErrPath);
    ASSERT_TRUE(Want.has_value()) << "missing " << ErrPath.filename();
    std::string Expected = llvm::StringRef(*Want).rtrim("\n").str();
    ASSERT_FALSE(Expected.empty());
    EXPECT_EQ(loadError(*Text, P.filename().string()), Expected);
  }
}

TEST(MirBadInput, EveryMessageFileHasItsProgram) {
  for (const fs::path &E : filesIn(sourceDir() / "tests" / "bad", {".err"})) {
    fs::path J = E, M = E;
    J.replace_extension(".json");
    M.replace_extension(".mir");
    EXPECT_TRUE(fs::exists(J) || fs::exists(M)) << E.filename();
  }
}

} // namespace
