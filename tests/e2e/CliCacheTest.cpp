//===- tests/e2e/CliCacheTest.cpp - spl-exec and the on-disk cache --------===//
//
// The cache as a user meets it: XDG_CACHE_HOME (a fresh directory per test)
// and SIMPLE_JIT_CACHE choose where it lives, --no-cache turns it off, and
// `run --stats` shows whether code came from it and what each function
// cost. Several processes filling one entry at once all succeed.
//
//===----------------------------------------------------------------------===//
#include "CliSupport.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <cstdlib>
#include <optional>

using namespace llvm;
using namespace spl::clitest;

namespace {

class CliCache : public ::testing::Test {
protected:
  void SetUp() override {
    SmallString<128> D;
    ASSERT_FALSE(sys::fs::createUniqueDirectory("spl-cli-cache", D));
    Root = std::string(D);
    Dir = Root + "/spl-exec";
  }
  void TearDown() override { sys::fs::remove_directories(Root); }

  std::string xdg() const { return "XDG_CACHE_HOME=" + Root; }

  static unsigned entriesIn(const std::string &D) {
    unsigned N = 0;
    std::error_code EC;
    for (sys::fs::directory_iterator It(D, EC), End; It != End && !EC;
         It.increment(EC))
      N += StringRef(It->path()).ends_with(".splobj");
    return N;
  }

  std::string Root, Dir;
};

/// Whether Err has a --stats row for Fn with MIR instruction count Mir
/// whose code was Code ("compiled" or "cached").
bool hasRow(const std::string &Err, StringRef Fn, unsigned Mir,
            StringRef Code) {
  Regex R(("(^|\n)" + Fn + " +[0-9.]+ +[0-9.]+ +[0-9.]+ +" + Twine(Mir) +
           " +[0-9]+  " + Code + "\n")
              .str());
  return R.match(Err);
}

TEST_F(CliCache, TheSecondRunIsServedFromTheCache) {
  RunResult A =
      run({"run", "--stats", "--backend=llvm", example("fib.json")}, {xdg()});
  ASSERT_EQ(A.Status, 0) << A.Err;
  EXPECT_EQ(A.Out, "196418\n");
  EXPECT_NE(A.Err.find(" ms (0 hits, 1 miss)\n"), std::string::npos) << A.Err;
  // By hand from fib.json: fib has 6 instructions and 3 terminators, main
  // 2 and 1.
  EXPECT_TRUE(hasRow(A.Err, "fib", 9, "compiled")) << A.Err;
  EXPECT_TRUE(hasRow(A.Err, "main", 3, "compiled")) << A.Err;
  EXPECT_EQ(entriesIn(Dir), 1u);

  RunResult B =
      run({"run", "--stats", "--backend=llvm", example("fib.json")}, {xdg()});
  ASSERT_EQ(B.Status, 0) << B.Err;
  EXPECT_EQ(B.Out, "196418\n");
  EXPECT_NE(B.Err.find(" ms (1 hit, 0 misses)\n"), std::string::npos) << B.Err;
  EXPECT_NE(B.Err.find("optimise     0.000 ms\n"), std::string::npos) << B.Err;
  EXPECT_NE(B.Err.find("codegen      0.000 ms\n"), std::string::npos) << B.Err;
  EXPECT_TRUE(hasRow(B.Err, "fib", 9, "cached")) << B.Err;
  EXPECT_TRUE(hasRow(B.Err, "main", 3, "cached")) << B.Err;
  EXPECT_EQ(B.Err.find("warning"), std::string::npos) << B.Err;
  EXPECT_EQ(entriesIn(Dir), 1u);
}

TEST_F(CliCache, AutoCachesWhatItCompiles) {
  // fib's first call makes it hot (threshold 1), and --jit-sync compiles it
  // then, before the call goes on: one batch, the same in both runs.
  for (const char *Want :
       {" ms (0 hits, 1 miss)\n", " ms (1 hit, 0 misses)\n"}) {
    RunResult R = run({"run", "--stats", "--backend=auto", "--jit-threshold=1",
                       "--jit-sync", example("fib.json")},
                      {xdg()});
    ASSERT_EQ(R.Status, 0) << R.Err;
    EXPECT_EQ(R.Out, "196418\n");
    EXPECT_NE(R.Err.find(Want), std::string::npos) << R.Err;
  }
}

TEST_F(CliCache, NoCacheReadsAndWritesNothing) {
  RunResult R = run(
      {"run", "--stats", "--no-cache", "--backend=llvm", example("fib.json")},
      {xdg()});
  ASSERT_EQ(R.Status, 0) << R.Err;
  EXPECT_EQ(R.Out, "196418\n");
  EXPECT_EQ(R.Err.find("cache "), std::string::npos) << R.Err;
  EXPECT_TRUE(hasRow(R.Err, "fib", 9, "compiled")) << R.Err;
  EXPECT_FALSE(sys::fs::exists(Dir));
  // SIMPLE_JIT_CACHE=0 is the same for every host.
  R = run({"run", "--backend=llvm", example("fib.json")},
          {xdg(), "SIMPLE_JIT_CACHE=0"});
  ASSERT_EQ(R.Status, 0) << R.Err;
  EXPECT_FALSE(sys::fs::exists(Dir));
}

TEST_F(CliCache, SimpleJitCacheNamesTheDirectory) {
  std::string Other = Root + "/elsewhere";
  RunResult R = run({"run", "--backend=llvm", example("fib.json")},
                    {xdg(), "SIMPLE_JIT_CACHE=" + Other});
  ASSERT_EQ(R.Status, 0) << R.Err;
  EXPECT_EQ(entriesIn(Other), 1u);
  EXPECT_FALSE(sys::fs::exists(Dir));
}

TEST_F(CliCache, AnUnwritableDirectoryIsAWarningNotAFailure) {
  // XDG_CACHE_HOME is a regular file: nothing can be created under it.
  std::string File = Root + "/file";
  {
    std::error_code EC;
    raw_fd_ostream(File, EC) << "x";
  }
  RunResult R = run({"run", "--backend=llvm", example("fib.json")},
                    {"XDG_CACHE_HOME=" + File});
  EXPECT_EQ(R.Status, 0);
  EXPECT_EQ(R.Out, "196418\n");
  EXPECT_EQ(R.Err, "warning: spl-exec cache: cannot write to " + File +
                       "/spl-exec (creating it: Not a directory); compiled "
                       "code is not cached\n");
}

TEST_F(CliCache, WithoutHomeCachingIsSilentlyOff) {
  std::string Tool = tool(), Fib = example("fib.json");
  StringRef Argv[] = {Tool, "run", "--backend=llvm", Fib};
  std::vector<std::string> EnvS;
  if (const char *L = std::getenv("LD_LIBRARY_PATH"))
    EnvS.push_back(std::string("LD_LIBRARY_PATH=") + L);
  std::vector<StringRef> EnvR(EnvS.begin(), EnvS.end());
  std::string Out = Root + "/out", Err = Root + "/err";
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(Out),
                                          StringRef(Err)};
  std::string Msg;
  int RC = sys::ExecuteAndWait(Tool, Argv, EnvR, Redirects, 60, 0, &Msg);
  EXPECT_EQ(RC, 0) << Msg;
  EXPECT_EQ(slurp(Out), "196418\n");
  EXPECT_EQ(slurp(Err), "");
}

TEST_F(CliCache, ProcessesFillingOneEntryAtOnceAllSucceed) {
  std::string Tool = tool(), Fib = example("fib.json");
  StringRef Argv[] = {Tool, "run", "--backend=llvm", Fib};
  std::vector<std::string> EnvS = cleanEnv({xdg()});
  std::vector<StringRef> EnvR(EnvS.begin(), EnvS.end());
  constexpr int N = 4;
  std::vector<sys::ProcessInfo> Procs;
  std::vector<std::string> Outs, Errs;
  for (int I = 0; I < N; ++I) {
    Outs.push_back(Root + "/out" + std::to_string(I));
    Errs.push_back(Root + "/err" + std::to_string(I));
  }
  for (int I = 0; I < N; ++I) {
    std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(Outs[I]),
                                            StringRef(Errs[I])};
    std::string Msg;
    Procs.push_back(sys::ExecuteNoWait(Tool, Argv, EnvR, Redirects, 0, &Msg));
    ASSERT_NE(Procs.back().Pid, sys::ProcessInfo::InvalidPid) << Msg;
  }
  for (int I = 0; I < N; ++I) {
    std::string Msg;
    sys::ProcessInfo Done = sys::Wait(Procs[I], std::nullopt, &Msg);
    EXPECT_EQ(Done.ReturnCode, 0) << Msg;
    EXPECT_EQ(slurp(Outs[I]), "196418\n");
    EXPECT_EQ(slurp(Errs[I]), "");
  }
  EXPECT_EQ(entriesIn(Dir), 1u);
  // The entry is whole: the next run uses it without a warning.
  RunResult R = run({"run", "--stats", "--backend=llvm", Fib}, {xdg()});
  ASSERT_EQ(R.Status, 0) << R.Err;
  EXPECT_NE(R.Err.find(" ms (1 hit, 0 misses)\n"), std::string::npos) << R.Err;
  EXPECT_EQ(R.Err.find("warning"), std::string::npos) << R.Err;
}

} // namespace
