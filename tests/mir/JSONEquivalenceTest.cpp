//===- tests/mir/JSONEquivalenceTest.cpp - simdjson reader == llvm::json --===//
//
// readJSON reads with simdjson and falls back to the llvm::json reader
// (readJSONWithLLVM) for whatever it declines. The llvm::json reader is the
// reference: over every JSON file of the repository, every text-form
// program turned into JSON, the random programs, their compact spellings
// and truncations of all of them, readJSON gives the same model
// (operator==) or the same message. The fast path must also really be the
// one taken for valid input (else these comparisons would prove nothing).
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"
#include "mir/JSONQuirks.h"
#include "mir/JSONReaders.h"

#include "../random/ProgramGen.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace spl::mir;
using spl::mir::test::errorText;
namespace fs = std::filesystem;

namespace {

/// Both readers on Text: the same model, or the same message.
void expectSameResult(const std::string &Text, const std::string &What) {
  llvm::Expected<Module> New = readJSON(Text);
  llvm::Expected<Module> Old = readJSONWithLLVM(Text);
  ASSERT_EQ(bool(New), bool(Old))
      << What << ": new `" << errorText(New) << "`, old `" << errorText(Old)
      << "`";
  if (New)
    EXPECT_TRUE(*New == *Old) << What << ": the models differ";
  else
    EXPECT_EQ(errorText(New), errorText(Old)) << What;
}

/// The simdjson reader alone accepts Text (or its quirk-cleaned form, as
/// readJSON tries it) and gives the llvm::json reader's model.
bool fastPathTakes(const std::string &Text) {
  std::optional<Module> M = readJSONWithSimdjson(Text);
  if (!M) {
    CleanJSON Clean(Text);
    if (Clean.changed())
      M = readJSONWithSimdjson(Clean.text());
  }
  llvm::Expected<Module> Old = readJSONWithLLVM(Text);
  bool Same = M && Old && *M == *Old;
  if (!Old)
    llvm::consumeError(Old.takeError());
  return Same;
}

/// The same JSON without any whitespace (the compiler's compact form), as
/// llvm::json prints it; nullopt if Text is not JSON even after the quirks
/// pass.
std::optional<std::string> compact(const std::string &Text) {
  CleanJSON Clean(Text);
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Clean.text());
  if (!V) {
    llvm::consumeError(V.takeError());
    return std::nullopt;
  }
  return llvm::formatv("{0}", *V).str();
}

/// Text cut at a spread of places (and near its end): each cut is either
/// an error with the old message or, rarely, still a module - never a
/// crash.
void expectSameOnTruncations(const std::string &Text, const std::string &What) {
  if (Text.size() < 2)
    return;
  std::vector<size_t> Cuts;
  for (size_t I = 1; I < 24; ++I)
    Cuts.push_back(Text.size() * I / 24);
  for (size_t Back : {1, 2, 3, 7})
    if (Back < Text.size())
      Cuts.push_back(Text.size() - Back);
  for (size_t Cut : Cuts)
    expectSameResult(Text.substr(0, Cut),
                     What + " cut at " + std::to_string(Cut));
}

std::vector<fs::path> filesUnder(const fs::path &Dir, const char *Ext) {
  std::vector<fs::path> Out;
  std::error_code EC;
  if (!fs::is_directory(Dir, EC))
    return Out;
  for (const auto &E : fs::recursive_directory_iterator(Dir, EC))
    if (E.is_regular_file() && E.path().extension() == Ext)
      Out.push_back(E.path());
  std::sort(Out.begin(), Out.end());
  return Out;
}

const char *const Dirs[] = {"tests/corpus", "tests/bad", "tests/random",
                            "tests/bench", "examples", "benchmarks"};

TEST(MirJSONEquivalence, EveryJSONFileOfTheRepository) {
  unsigned Files = 0, Valid = 0;
  for (const char *D : Dirs)
    for (const fs::path &P : filesUnder(test::sourceDir() / D, ".json")) {
      std::optional<std::string> Text = test::readFile(P);
      ASSERT_TRUE(Text) << P;
      ++Files;
      const std::string What = P.lexically_relative(test::sourceDir()).string();
      expectSameResult(*Text, What);
      expectSameOnTruncations(*Text, What);
      llvm::Expected<Module> Old = readJSONWithLLVM(*Text);
      if (!Old) {
        llvm::consumeError(Old.takeError());
        continue;
      }
      ++Valid;
      EXPECT_TRUE(fastPathTakes(*Text)) << What << ": declined by simdjson";
      if (std::optional<std::string> C = compact(*Text)) {
        expectSameResult(*C, What + " (compact)");
        EXPECT_TRUE(fastPathTakes(*C)) << What << " (compact): declined";
      }
    }
  // The corpus is there (a moved folder must not pass by reading nothing).
  EXPECT_GT(Files, 150u);
  EXPECT_GT(Valid, 100u);
}

TEST(MirJSONEquivalence, EveryTextProgramAsJSON) {
  unsigned N = 0;
  for (const char *D : Dirs)
    for (const fs::path &P : filesUnder(test::sourceDir() / D, ".mir")) {
      std::optional<std::string> Text = test::readFile(P);
      ASSERT_TRUE(Text) << P;
      llvm::Expected<Module> M = parseText(*Text, P.string());
      if (!M) {
        llvm::consumeError(M.takeError());
        continue;
      }
      ++N;
      const std::string What = P.lexically_relative(test::sourceDir()).string();
      std::string J = writeJSON(*M);
      expectSameResult(J, What + " as JSON");
      EXPECT_TRUE(fastPathTakes(J)) << What << ": declined";
      std::optional<std::string> C = compact(J);
      ASSERT_TRUE(C) << What;
      expectSameResult(*C, What + " as compact JSON");
      expectSameOnTruncations(*C, What + " as compact JSON");
    }
  EXPECT_GT(N, 10u);
}

TEST(MirJSONEquivalence, RandomPrograms) {
  for (uint64_t Seed = 1; Seed <= 40; ++Seed) {
    llvm::Expected<Module> M =
        parseText(spl::randomtest::generateProgram(Seed), "random.mir");
    ASSERT_TRUE(bool(M)) << errorText(M);
    std::string J = writeJSON(*M);
    const std::string What = "random program " + std::to_string(Seed);
    expectSameResult(J, What);
    EXPECT_TRUE(fastPathTakes(J)) << What << ": declined";
    std::optional<std::string> C = compact(J);
    ASSERT_TRUE(C);
    expectSameResult(*C, What + " (compact)");
    if (Seed <= 5)
      expectSameOnTruncations(*C, What + " (compact)");
  }
}

} // namespace
