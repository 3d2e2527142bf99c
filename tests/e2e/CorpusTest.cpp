//===- tests/e2e/CorpusTest.cpp - Every corpus program on every backend ---===//
//
// For each tests/corpus/NAME.{json,mir}, and each program of the compiler-
// shaped corpus tests/corpus/compiler/ (MIR exactly as the Simple compiler
// serializes it; expectations from its reference model): run `main` through
// the exec manager
// under the interpreter, llvm at -O0 and -O2, and auto, and assert the exact
// stdout (NAME.out) and either the return value (NAME.ret), the exit code of
// rt_exit (NAME.exit) or the error text (NAME.err). Every backend is held to
// the same expected files, so they also agree with each other.
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

std::string trimmed(std::string S) {
  while (!S.empty() && (S.back() == '\n' || S.back() == '\r' || S.back() == ' '))
    S.pop_back();
  return S;
}

fs::path corpusDir() { return fs::path(SPL_SOURCE_DIR) / "tests" / "corpus"; }

/// Programs as paths relative to the corpus directory.
std::vector<std::string> corpusPrograms() {
  std::vector<std::string> Names;
  for (const char *Sub : {"", "compiler"}) {
    fs::path Dir = corpusDir() / Sub;
    if (!fs::is_directory(Dir))
      continue;
    for (const auto &E : fs::directory_iterator(Dir)) {
      auto Ext = E.path().extension();
      if (Ext == ".json" || Ext == ".mir")
        Names.push_back((fs::path(Sub) / E.path().filename()).string());
    }
  }
  std::sort(Names.begin(), Names.end());
  return Names;
}

struct Config {
  const char *Label;
  const char *Backend;
  unsigned Opt;
  unsigned Threshold, LoopThreshold = 1000;
  bool Sync = false;
};
const Config Configs[] = {
    {"interpreter", "interpreter", 2, 2},
    {"llvm_O0", "llvm", 0, 2},
    {"llvm_O2", "llvm", 2, 2},
    // Thresholds 1 and 2: functions are promoted in the middle of the
    // program, in the background (wherever the compile lands) and at the
    // call that makes them hot (main's callees run native from their second
    // call on; main itself stays interpreted).
    {"auto", "auto", 2, 1, 2},
    {"auto_sync", "auto", 2, 1, 2, true},
};

class Corpus : public testing::TestWithParam<std::string> {};

TEST_P(Corpus, SameResultOnEveryBackend) {
  fs::path File = corpusDir() / GetParam();
  fs::path Stem = File;
  Stem.replace_extension();
  std::string Source = slurp(File);
  auto Sibling = [&](const char *Ext) { return fs::path(Stem.string() + Ext); };
  ASSERT_TRUE(fs::exists(Sibling(".out"))) << "missing " << Sibling(".out");
  std::string ExpectedOut = slurp(Sibling(".out"));
  bool WantsErr = fs::exists(Sibling(".err"));
  bool WantsExit = fs::exists(Sibling(".exit"));
  ASSERT_TRUE(WantsErr || WantsExit || fs::exists(Sibling(".ret")))
      << "no .ret, .err or .exit for " << File;

  for (const Config &C : Configs) {
    SCOPED_TRACE(C.Label);
    spl::Options O;
    O.Backend = C.Backend;
    O.OptLevel = C.Opt;
    O.JitThreshold = C.Threshold;
    O.JitLoopThreshold = C.LoopThreshold;
    O.JitSync = C.Sync;
    auto M = spl::ExecManager::create(O);
    ASSERT_TRUE(bool(M)) << M.error().Message;
    spl::Status S = (*M)->compile(Source, File.string());
    ASSERT_TRUE(bool(S)) << S.error().Message;

    testing::internal::CaptureStdout();
    auto R = (*M)->call("main", {});
    std::fflush(stdout);
    std::string Out = testing::internal::GetCapturedStdout();
    EXPECT_EQ(Out, ExpectedOut);
    if (WantsErr) {
      ASSERT_FALSE(bool(R)) << "expected an error";
      EXPECT_EQ(R.error().Message, trimmed(slurp(Sibling(".err"))));
    } else if (WantsExit) {
      ASSERT_FALSE(bool(R)) << "expected rt_exit";
      EXPECT_EQ(R.error().K, spl::ExecError::Kind::Exit);
      EXPECT_EQ(std::to_string(R.error().ExitCode), trimmed(slurp(Sibling(".exit"))));
    } else {
      ASSERT_TRUE(bool(R)) << R.error().Message;
      EXPECT_EQ(std::to_string(R->asI64()), trimmed(slurp(Sibling(".ret"))));
    }
  }
}

std::string testName(const testing::TestParamInfo<std::string> &I) {
  std::string N = I.param;
  for (char &Ch : N)
    if (!isalnum(static_cast<unsigned char>(Ch)))
      Ch = '_';
  return N;
}

INSTANTIATE_TEST_SUITE_P(Programs, Corpus, testing::ValuesIn(corpusPrograms()),
                         testName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Corpus);
} // namespace
