//===- tests/bench/BenchHarnessTest.cpp - agreement, error rows, status ---===//
//
// runAll with a scripted Executor: every outcome is given, so each test
// states exactly which rows must be valid, which must be errors and why.
//
//===----------------------------------------------------------------------===//
#include "tools/BenchHarness.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

using namespace spl::bench;

namespace {
Outcome ok(std::string Out, double Ms, std::optional<double> Compile = {}) {
  Outcome O;
  O.Ok = true;
  O.Output = std::move(Out);
  O.RunMs = Ms;
  O.CompileMs = Compile;
  return O;
}
Outcome fail(std::string Why) {
  Outcome O;
  O.Error = std::move(Why);
  return O;
}

/// Outcomes per "program/runner", in order; an exhausted queue is a test bug
/// (reported as a failure outcome so the test fails on the row).
class Script final : public Executor {
public:
  std::map<std::string, std::deque<Outcome>> Runs;
  std::map<std::string, std::string> PrepareErrors;
  std::map<std::string, double> CompileMs;
  std::vector<int64_t> Sizes;
  unsigned Calls = 0;

  llvm::Expected<std::optional<double>> prepare(const Program &P,
                                                const Runner &R) override {
    std::string K = P.Name + "/" + R.Name;
    if (PrepareErrors.count(K))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     PrepareErrors[K]);
    if (CompileMs.count(K))
      return CompileMs[K];
    return std::nullopt;
  }
  Outcome run(const Program &P, const Runner &R, int64_t N) override {
    ++Calls;
    Sizes.push_back(N);
    auto &Q = Runs[P.Name + "/" + R.Name];
    if (Q.empty())
      return fail("script exhausted");
    Outcome O = Q.front();
    Q.pop_front();
    return O;
  }
};

Program prog(std::string Name, bool Lua = false) {
  Program P;
  P.Name = std::move(Name);
  P.N = 1000;
  P.QuickN = 10;
  if (Lua)
    P.LuaPath = P.Name + ".lua";
  return P;
}
Runner runner(std::string Name, RunnerKind K) {
  Runner R;
  R.Name = std::move(Name);
  R.Kind = K;
  return R;
}
const std::vector<Runner> NativeInterp = {runner("native", RunnerKind::CTwin),
                                          runner("interpreter", RunnerKind::MIR)};

Config runs(unsigned N) {
  Config C;
  C.Runs = N;
  return C;
}
} // namespace

TEST(BenchHarness, AgreeingRunsGiveValidRowsWithMedians) {
  Script S;
  S.CompileMs["p/native"] = 40;
  S.Runs["p/native"] = {ok("7\n", 99), ok("7\n", 10), ok("7\n", 12), ok("7\n", 11)};
  S.Runs["p/interpreter"] = {ok("7\n", 500, 1), ok("7\n", 60, 2),
                             ok("7\n", 80, 4), ok("7\n", 70, 3)};
  std::vector<Row> Rows = runAll({prog("p")}, NativeInterp, S, runs(3));
  ASSERT_EQ(Rows.size(), 2u);
  EXPECT_TRUE(Rows[0].ok());
  EXPECT_EQ(Rows[0].Backend, "native");
  EXPECT_EQ(Rows[0].Runs, 3u);
  // The warm-up (99 ms) is not a timed run.
  EXPECT_DOUBLE_EQ(Rows[0].Run.Median, 11);
  EXPECT_DOUBLE_EQ(Rows[0].Run.Min, 10);
  EXPECT_DOUBLE_EQ(Rows[0].Run.Max, 12);
  EXPECT_EQ(Rows[0].CompileMs, 40.0);
  EXPECT_DOUBLE_EQ(Rows[1].Run.Median, 70);
  EXPECT_EQ(Rows[1].CompileMs, 3.0); // median of the timed runs' compiles
  EXPECT_DOUBLE_EQ(*ratioToNative(Rows, "p", "interpreter"), 70.0 / 11.0);
  EXPECT_EQ(exitStatus(Rows), 0);
}

TEST(BenchHarness, DifferentOutputIsAnErrorRowAndIsNotTimed) {
  Script S;
  S.Runs["p/native"] = {ok("7\n", 1), ok("7\n", 1)};
  S.Runs["p/interpreter"] = {ok("8\n", 1), ok("8\n", 1)};
  std::vector<Row> Rows = runAll({prog("p")}, NativeInterp, S, runs(1));
  ASSERT_EQ(Rows.size(), 2u);
  EXPECT_TRUE(Rows[0].ok());
  EXPECT_FALSE(Rows[1].ok());
  EXPECT_EQ(Rows[1].Error,
            "output differs from native's: printed \"8\", expected \"7\"");
  EXPECT_EQ(Rows[1].Runs, 0u);
  EXPECT_EQ(S.Calls, 3u); // native warm-up + 1, interpreter warm-up only
  EXPECT_FALSE(ratioToNative(Rows, "p", "interpreter").has_value());
  EXPECT_EQ(exitStatus(Rows), 1);
}

TEST(BenchHarness, AFailedWarmUpIsAnErrorRowWithItsReason) {
  Script S;
  S.Runs["p/native"] = {ok("1\n", 1), ok("1\n", 1)};
  S.Runs["p/interpreter"] = {fail("exit status 101: error: division by zero")};
  std::vector<Row> Rows = runAll({prog("p")}, NativeInterp, S, runs(1));
  EXPECT_EQ(Rows[1].Error, "exit status 101: error: division by zero");
  EXPECT_EQ(exitStatus(Rows), 1);
}

TEST(BenchHarness, ATimedRunThatFailsOrDiffersIsAnErrorRow) {
  Script S;
  S.Runs["p/native"] = {ok("1\n", 1), ok("1\n", 1), ok("1\n", 1)};
  S.Runs["p/interpreter"] = {ok("1\n", 1), ok("1\n", 1), fail("timed out after 60 s")};
  S.Runs["q/native"] = {ok("1\n", 1), ok("1\n", 1), ok("1\n", 1)};
  S.Runs["q/interpreter"] = {ok("1\n", 1), ok("2\n", 1)};
  std::vector<Row> Rows = runAll({prog("p"), prog("q")}, NativeInterp, S, runs(2));
  ASSERT_EQ(Rows.size(), 4u);
  EXPECT_EQ(Rows[1].Error, "timed run 2: timed out after 60 s");
  EXPECT_EQ(Rows[3].Error, "timed run 1: output differs from native's: "
                           "printed \"2\", expected \"1\"");
  EXPECT_TRUE(Rows[0].ok());
  EXPECT_TRUE(Rows[2].ok());
}

TEST(BenchHarness, ACompileFailureIsAnErrorRow) {
  Script S;
  S.PrepareErrors["p/native"] = "compiling p.c with cc failed: p.c:1: error";
  S.Runs["p/interpreter"] = {ok("5\n", 1), ok("5\n", 1)};
  std::vector<Row> Rows = runAll({prog("p")}, NativeInterp, S, runs(1));
  EXPECT_EQ(Rows[0].Error, "compiling p.c with cc failed: p.c:1: error");
  // Without a native output the first runner that ran is the reference.
  EXPECT_TRUE(Rows[1].ok());
  EXPECT_FALSE(ratioToNative(Rows, "p", "interpreter").has_value());
  EXPECT_EQ(exitStatus(Rows), 1);
}

TEST(BenchHarness, LuaRunnersSkipProgramsWithoutALuaTwin) {
  Script S;
  S.Runs["a/native"] = {ok("1\n", 1), ok("1\n", 1)};
  S.Runs["b/native"] = {ok("1\n", 1), ok("1\n", 1)};
  S.Runs["b/lua"] = {ok("1\n", 1), ok("1\n", 1)};
  std::vector<Runner> R = {runner("native", RunnerKind::CTwin),
                           runner("lua", RunnerKind::Lua)};
  std::vector<Row> Rows = runAll({prog("a"), prog("b", /*Lua=*/true)}, R, S, runs(1));
  ASSERT_EQ(Rows.size(), 3u);
  EXPECT_EQ(Rows[0].Benchmark + "/" + Rows[0].Backend, "a/native");
  EXPECT_EQ(Rows[1].Benchmark + "/" + Rows[1].Backend, "b/native");
  EXPECT_EQ(Rows[2].Benchmark + "/" + Rows[2].Backend, "b/lua");
  EXPECT_EQ(exitStatus(Rows), 0);
}

TEST(BenchHarness, QuickRunsTheQuickSize) {
  Script S;
  S.Runs["p/native"] = {ok("1\n", 1), ok("1\n", 1)};
  Config C = runs(1);
  C.Quick = true;
  runAll({prog("p")}, {runner("native", RunnerKind::CTwin)}, S, C);
  EXPECT_EQ(S.Sizes, (std::vector<int64_t>{10, 10}));
  Script Full;
  Full.Runs["p/native"] = {ok("1\n", 1), ok("1\n", 1)};
  runAll({prog("p")}, {runner("native", RunnerKind::CTwin)}, Full, runs(1));
  EXPECT_EQ(Full.Sizes, (std::vector<int64_t>{1000, 1000}));
}

TEST(BenchHarness, ProgressNamesEachPhase) {
  Script S;
  S.Runs["p/native"] = {ok("1\n", 1), ok("1\n", 1), ok("1\n", 1)};
  Config C = runs(2);
  std::vector<std::string> Seen;
  C.OnProgress = [&](const Progress &P) {
    Seen.push_back(std::to_string(P.Index) + "/" + std::to_string(P.Count) + " " +
                   P.Program.str() + " " + P.Runner.str() + " " + P.Phase);
  };
  runAll({prog("p")}, {runner("native", RunnerKind::CTwin)}, S, C);
  EXPECT_EQ(Seen, (std::vector<std::string>{"1/1 p native compile",
                                            "1/1 p native check",
                                            "1/1 p native run 1/2",
                                            "1/1 p native run 2/2"}));
}

TEST(BenchHarness, ExitStatusIsOneWhenAnyRowIsAnError) {
  Row Good, Bad;
  Bad.Error = "x";
  EXPECT_EQ(exitStatus({}), 0);
  EXPECT_EQ(exitStatus({Good, Good}), 0);
  EXPECT_EQ(exitStatus({Good, Bad}), 1);
}

TEST(BenchHarness, RunnerNames) {
  for (const char *N : {"native", "gcc", "interpreter", "llvm", "auto", "luajit", "lua"})
    EXPECT_TRUE(isRunnerName(N)) << N;
  EXPECT_FALSE(isRunnerName("cranelift"));
  EXPECT_FALSE(isRunnerName("interp")); // an alias of run --backend, not a runner
}
