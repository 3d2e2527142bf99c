//===- tests/jit/CorpusTest.cpp - The corpus on the JIT and the interpreter
//===//
//
// Every tests/corpus/NAME.json straight through jit::Session (no exec
// manager) at -O0 and -O2, held to the corpus's independently derived
// expectations (stdout, and the return value, exit code or error text), and
// to the interpreter's outcome.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace spl;
using namespace spl::jit::test;
namespace fs = std::filesystem;

namespace {

fs::path corpusDir() { return fs::path(SPL_SOURCE_DIR) / "tests" / "corpus"; }

std::string slurp(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

std::string trimmed(std::string S) {
  while (!S.empty() &&
         (S.back() == '\n' || S.back() == '\r' || S.back() == ' '))
    S.pop_back();
  return S;
}

std::vector<std::string> programs() {
  std::vector<std::string> Names;
  if (!fs::is_directory(corpusDir()))
    return Names;
  for (const auto &E : fs::directory_iterator(corpusDir()))
    if (E.path().extension() == ".json")
      Names.push_back(E.path().stem().string());
  std::sort(Names.begin(), Names.end());
  return Names;
}

/// The Outcome the corpus files describe.
Outcome expected(const std::string &Name) {
  fs::path Base = corpusDir() / Name;
  Outcome O;
  O.Stdout = slurp(Base.string() + ".out");
  if (fs::exists(Base.string() + ".ret"))
    O.Result = "ret " + std::to_string(uint64_t(std::stoll(
                            trimmed(slurp(Base.string() + ".ret")))));
  else if (fs::exists(Base.string() + ".exit"))
    O.Result = "exit " + trimmed(slurp(Base.string() + ".exit"));
  else
    O.Result = "error: " + trimmed(slurp(Base.string() + ".err"));
  return O;
}

class JitCorpus : public testing::TestWithParam<std::string> {};

TEST_P(JitCorpus, MatchesExpectationAndInterpreter) {
  const std::string &Name = GetParam();
  mir::Module M = parse(slurp(corpusDir() / (Name + ".json")));
  if (testing::Test::HasFailure())
    return;
  Outcome Want = expected(Name);
  EXPECT_EQ(run(JitO0, M), Want) << "llvm -O0";
  EXPECT_EQ(run(JitO2, M), Want) << "llvm -O2";
  EXPECT_EQ(run(Interp, M), Want) << "interpreter";
}

INSTANTIATE_TEST_SUITE_P(Corpus, JitCorpus, testing::ValuesIn(programs()),
                         [](const auto &Info) { return Info.param; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(JitCorpus);

} // namespace
