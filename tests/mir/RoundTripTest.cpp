//===- tests/mir/RoundTripTest.cpp - JSON <-> model <-> text, losslessly --===//
//
// Every program we can find (the corpus, whatever it holds when the test
// runs; the shared examples; the samples next to this file) must survive
// JSON -> model -> JSON, model -> text -> model, and JSON -> text -> JSON.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace spl::mir;
using namespace spl::mir::test;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> programs() {
  std::vector<fs::path> All;
  for (const fs::path &Dir :
       {sourceDir() / "tests" / "corpus", sourceDir() / "tests" / "mir",
        sourceDir() / "examples"})
    for (const fs::path &P : filesIn(Dir, {".json", ".mir"}))
      All.push_back(P);
  return All;
}

void checkRoundTrips(const fs::path &P) {
  SCOPED_TRACE(P.string());
  std::optional<std::string> Text = readFile(P);
  if (!Text)
    return; // removed while we ran (the corpus is being filled)
  llvm::Expected<Module> M = readModule(*Text, P.filename().string());
  ASSERT_TRUE(bool(M)) << errorText(M);

  std::string J = writeJSON(*M);
  llvm::Expected<Module> FromJ = readJSON(J);
  ASSERT_TRUE(bool(FromJ)) << errorText(FromJ) << "\n" << J;
  EXPECT_TRUE(*FromJ == *M) << "JSON round trip differs:\n" << J;
  EXPECT_EQ(writeJSON(*FromJ), J);

  std::string T = printText(*M);
  llvm::Expected<Module> FromT = parseText(T, "printed");
  ASSERT_TRUE(bool(FromT)) << errorText(FromT) << "\n" << T;
  EXPECT_TRUE(*FromT == *M) << "text round trip differs:\n" << T;
  EXPECT_EQ(printText(*FromT), T);
  // JSON -> text -> JSON gives the same JSON.
  EXPECT_EQ(writeJSON(*FromT), J);
}

TEST(MirRoundTrip, EveryProgramWeCanFind) {
  std::vector<fs::path> All = programs();
  // The samples next to this file are always there.
  ASSERT_FALSE(filesIn(sourceDir() / "tests" / "mir", {".mir"}).empty());
  for (const fs::path &P : All)
    checkRoundTrips(P);
}

TEST(MirRoundTrip, SharedExamplesPrintAsDocumented) {
  // examples/fib.json is the contract's own example, byte for byte.
  fs::path Fib = sourceDir() / "examples" / "fib.json";
  std::optional<std::string> Text = readFile(Fib);
  ASSERT_TRUE(Text.has_value()) << Fib;
  llvm::Expected<Module> M = readJSON(*Text);
  ASSERT_TRUE(bool(M)) << errorText(M);
  // The compiler's own layout comes back byte for byte.
  EXPECT_EQ(writeJSON(*M), *Text + (llvm::StringRef(*Text).ends_with("\n") ? "" : "\n"));
  EXPECT_EQ(printText(*M), *readFile(sourceDir() / "tests" / "mir" / "fib.mir"));
}

TEST(MirRoundTrip, BadInputsThatParseStillRoundTrip) {
  // Files in tests/bad/ that read but fail verification are still modules:
  // printing them must not lose anything either.
  for (const fs::path &P : filesIn(sourceDir() / "tests" / "bad", {".json", ".mir"})) {
    std::optional<std::string> Text = readFile(P);
    ASSERT_TRUE(Text.has_value());
    llvm::Expected<Module> M = readModule(*Text, P.filename().string());
    if (!M) {
      llvm::consumeError(M.takeError());
      continue;
    }
    SCOPED_TRACE(P.string());
    llvm::Expected<Module> FromT = parseText(printText(*M), "printed");
    ASSERT_TRUE(bool(FromT)) << errorText(FromT);
    EXPECT_TRUE(*FromT == *M);
    llvm::Expected<Module> FromJ = readJSON(writeJSON(*M));
    ASSERT_TRUE(bool(FromJ)) << errorText(FromJ);
    EXPECT_TRUE(*FromJ == *M);
  }
}

} // namespace
