//===- tests/e2e/CliTest.cpp - The spl-exec command end to end ------------===//
#include "CliSupport.h"

using namespace llvm;
using namespace spl::clitest;

namespace {
// main returns 300: the exit status is 300 & 255 = 44.
const char *Ret300 = R"({"name":"r","functions":[{"symbol":1,"name":"main",
 "signature":{"params":[],"return_type":"I64","is_variadic":false},
 "locals":[{"id":0,"name":null,"type":"I64","kind":"Return"}],
 "blocks":[{"id":0,"label":null,"instructions":[],"terminator":{"Return":
 {"Const":{"value":300,"type":"I64"}}}}],"entry_block":0}]})";

// add(a, b) returns a + b; main(a, b) calls it: entry arguments from argv.
const char *ArgsProg = R"({"name":"a","functions":[{"symbol":1,"name":"main",
 "signature":{"params":["I64","I64"],"return_type":"I64","is_variadic":false},
 "locals":[{"id":0,"name":null,"type":"I64","kind":"Return"},
  {"id":1,"name":"a","type":"I64","kind":{"Arg":0}},
  {"id":2,"name":"b","type":"I64","kind":{"Arg":1}}],
 "blocks":[{"id":0,"label":null,"instructions":[{"BinOp":{"dest":0,"op":"Sub",
 "left":{"Copy":1},"right":{"Copy":2}}}],"terminator":{"Return":null}}],
 "entry_block":0}]})";

const char *DivZero = R"({"name":"d","functions":[{"symbol":1,"name":"main",
 "signature":{"params":[],"return_type":"I64","is_variadic":false},
 "locals":[{"id":0,"name":null,"type":"I64","kind":"Return"},
  {"id":1,"name":null,"type":"I64","kind":"Temp"}],
 "blocks":[{"id":0,"label":null,"instructions":[
 {"Const":{"dest":1,"value":0,"type":"I64"}},
 {"BinOp":{"dest":0,"op":"Div","left":{"Const":{"value":1,"type":"I64"}},
 "right":{"Copy":1}}}],"terminator":{"Return":null}}],"entry_block":0}]})";

TEST(Cli, HelpAndVersion) {
  RunResult H = run({"--help"});
  EXPECT_EQ(H.Status, 0);
  EXPECT_NE(H.Out.find("spl-exec run [--backend=auto|interpreter|llvm]"), std::string::npos);
  EXPECT_NE(H.Out.find("convert"), std::string::npos);
  RunResult RH = run({"run", "--help"});
  EXPECT_EQ(RH.Status, 0);
  EXPECT_NE(RH.Out.find("--backend"), std::string::npos);
  EXPECT_NE(RH.Out.find("--emit"), std::string::npos);
  RunResult V = run({"--version"});
  EXPECT_EQ(V.Status, 0);
  EXPECT_NE(V.Out.find("spl-exec 0.1.0"), std::string::npos);
  EXPECT_NE(V.Out.find("backends: auto, interpreter, llvm"), std::string::npos);
}

TEST(Cli, RunsExamplesOnEveryBackend) {
  for (const char *B : {"interpreter", "llvm", "auto"}) {
    SCOPED_TRACE(B);
    RunResult R = run({"run", std::string("--backend=") + B, example("fib.json")});
    EXPECT_EQ(R.Status, 0);
    EXPECT_EQ(R.Out, "196418\n");
    EXPECT_EQ(R.Err, "");
    RunResult A = run({"run", std::string("--backend=") + B, example("arrays.json")});
    EXPECT_EQ(A.Status, 0);
    EXPECT_EQ(A.Out, "2001\n2.001\n");
  }
}

TEST(Cli, ExitStatusIsReturnValueMod256) {
  std::string P = writeTemp("json", Ret300);
  for (const char *B : {"--backend=interpreter", "--backend=llvm"})
    EXPECT_EQ(run({"run", B, P}).Status, 44);
  std::string A = writeTemp("json", ArgsProg);
  // Integer arguments reach the entry; negative numbers are arguments, not flags.
  EXPECT_EQ(run({"run", "--interpret", A, "50", "8"}).Status, 42);
  EXPECT_EQ(run({"run", "--backend=llvm", A, "-5", "-47"}).Status, 42);
  RunResult Bad = run({"run", A, "50", "x"});
  EXPECT_EQ(Bad.Status, 2);
  EXPECT_EQ(Bad.Err, "error: argument `x` is not a number\n");
}

TEST(Cli, RuntimeErrorIsReportedWithStatus101) {
  std::string P = writeTemp("json", DivZero);
  for (const char *B : {"--backend=interpreter", "--backend=llvm", "--backend=auto"}) {
    RunResult R = run({"run", B, P});
    EXPECT_EQ(R.Status, 101);
    EXPECT_EQ(R.Err, "error: runtime error in `main`: attempt to divide by zero\n");
  }
}

TEST(Cli, BackendSelection) {
  RunResult U = run({"run", "--backend=cranelift", example("fib.json")});
  EXPECT_EQ(U.Status, 2);
  EXPECT_EQ(U.Err, "error: unknown or unavailable backend `cranelift` (available: "
                   "auto, interpreter, llvm)\n");
  RunResult E = run({"run", example("fib.json")}, {"SIMPLE_JIT_BACKEND=cranelift"});
  EXPECT_EQ(E.Status, 2);
  EXPECT_EQ(E.Err, U.Err);
  // Flags win over the environment.
  RunResult F = run({"run", "--backend=llvm", example("fib.json")},
                    {"SIMPLE_JIT_BACKEND=cranelift"});
  EXPECT_EQ(F.Status, 0);
  EXPECT_EQ(F.Out, "196418\n");
  RunResult M = run({"run", example("fib.json")}, {"SIMPLE_EXECUTION_MODE=bogus"});
  EXPECT_EQ(M.Status, 2);
  EXPECT_EQ(M.Err, "error: unknown or unavailable backend `bogus` (available: "
                   "auto, interpreter, llvm)\n");
  for (const char *Env : {"SIMPLE_EXECUTION_MODE=interpret", "SIMPLE_EXECUTION_MODE=jit",
                          "SIMPLE_NO_JIT=1", "SIMPLE_JIT_BACKEND=interp"}) {
    RunResult R = run({"run", example("fib.json")}, {Env});
    EXPECT_EQ(R.Status, 0) << Env;
    EXPECT_EQ(R.Out, "196418\n") << Env;
  }
  RunResult O = run({"run", "-O7", example("fib.json")});
  EXPECT_EQ(O.Status, 2);
  EXPECT_EQ(O.Err, "error: invalid optimisation level -O7 (expected -O0, -O1, -O2 or -O3)\n");
}

TEST(Cli, BadInputs) {
  RunResult Missing = run({"run", "/nonexistent/x.json"});
  EXPECT_EQ(Missing.Status, 1);
  EXPECT_EQ(Missing.Err, "error: cannot read `/nonexistent/x.json`: No such file or directory\n");
  std::string Bad = writeTemp("json", "{\"name\": ");
  RunResult B = run({"run", Bad});
  EXPECT_EQ(B.Status, 1);
  EXPECT_EQ(B.Err.rfind(Bad + ": error: malformed JSON", 0), 0u) << B.Err;
  RunResult NoEntry = run({"run", "--entry=nope", example("fib.json")});
  EXPECT_EQ(NoEntry.Status, 1);
  EXPECT_EQ(NoEntry.Err, example("fib.json") + ": error: entry function `nope` is "
                         "not defined (choose one with --entry=NAME)\n");
  RunResult NoSub = run({});
  EXPECT_EQ(NoSub.Status, 2);
}

TEST(Cli, EmitAndStats) {
  RunResult IR = run({"run", "--emit=llvm", example("fib.json")});
  EXPECT_EQ(IR.Status, 0) << IR.Err;
  EXPECT_NE(IR.Out.find("define"), std::string::npos);
  EXPECT_NE(IR.Out.find("fib"), std::string::npos);
  RunResult Asm = run({"run", "--emit=asm", example("fib.json")});
  EXPECT_EQ(Asm.Status, 0) << Asm.Err;
  EXPECT_NE(Asm.Out.find("call"), std::string::npos);
  RunResult S = run({"run", "--stats", "--backend=llvm", example("fib.json")});
  EXPECT_EQ(S.Status, 0);
  EXPECT_EQ(S.Out, "196418\n");
  for (const char *Phase : {"parse", "verify", "lower", "optimise", "codegen", "run"})
    EXPECT_NE(S.Err.find(Phase), std::string::npos) << Phase;
}

TEST(Cli, PerfMapNamesJitFunctions) {
  // SPL_JIT_PERF=1: every JIT'd function lands in /tmp/perf-<pid>.map.
  std::string Tool = tool(), Fib = example("fib.json");
  StringRef Argv[] = {Tool, "run", "--backend=llvm", Fib};
  std::vector<std::string> EnvS = cleanEnv({"SPL_JIT_PERF=1"});
  std::vector<StringRef> EnvR(EnvS.begin(), EnvS.end());
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef("/dev/null"),
                                          StringRef("/dev/null")};
  std::string Msg;
  sys::ProcessInfo PI = sys::ExecuteNoWait(Tool, Argv, EnvR, Redirects, 0, &Msg);
  ASSERT_NE(PI.Pid, sys::ProcessInfo::InvalidPid) << Msg;
  sys::ProcessInfo Done = sys::Wait(PI, std::nullopt, &Msg);
  EXPECT_EQ(Done.ReturnCode, 0);
  std::string Map = "/tmp/perf-" + std::to_string(PI.Pid) + ".map";
  std::string Text = slurp(Map);
  sys::fs::remove(Map);
  EXPECT_NE(Text.find(" fib.b1\n"), std::string::npos) << Text;
  EXPECT_NE(Text.find(" main.b1"), std::string::npos) << Text;
}

TEST(Cli, ConvertRoundTrips) {
  SmallString<128> Mir, Json, Mir2;
  sys::fs::createTemporaryFile("conv", "mir", Mir);
  sys::fs::createTemporaryFile("conv", "json", Json);
  sys::fs::createTemporaryFile("conv2", "mir", Mir2);
  ASSERT_EQ(run({"convert", example("arrays.json"), "-o", Mir.str().str()}).Status, 0);
  ASSERT_EQ(run({"convert", Mir.str().str(), "-o", Json.str().str()}).Status, 0);
  ASSERT_EQ(run({"convert", Json.str().str(), "-o", Mir2.str().str()}).Status, 0);
  EXPECT_EQ(slurp(Mir), slurp(Mir2));
  EXPECT_FALSE(slurp(Mir).empty());
  // The text form runs like the JSON.
  RunResult R = run({"run", "--backend=llvm", Mir.str().str()});
  EXPECT_EQ(R.Out, "2001\n2.001\n");
}
} // namespace
