//===- tests/sffi_e2e/ProgramsTest.cpp - SFFI programs on every backend ---===//
//
// Each tests/sffi_e2e/NAME.mir calls rt_testlib_* functions by name (no
// extern declarations: the SFFI convention finds libspl_testlib.so) and
// prints every result. Its stdout must be exactly NAME.expected, worked out
// by hand from tests/sffi/testlib.c, on the interpreter, llvm -O0/-O2 and
// auto, callback.mir (C calling MIR functions back) included.
//
//===----------------------------------------------------------------------===//
#include "SffiTestSupport.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

using namespace sffi_test;

namespace {

const char *const Programs[] = {"scalars", "sums",     "mixed",
                                "shapes",  "pointers", "state"};

/// Compiles NAME.mir on C and runs main C.Runs times; every run must return
/// 0 and print exactly NAME.expected.
void runProgram(const std::string &Name, const Config &C) {
  SCOPED_TRACE(Name + ".mir on " + C.Label);
  std::string Source = slurp(programPath(Name + ".mir"));
  std::string Expected = slurp(programPath(Name + ".expected"));
  ASSERT_FALSE(Source.empty()) << "cannot read " << Name << ".mir";
  ASSERT_FALSE(Expected.empty()) << "cannot read " << Name << ".expected";
  auto M = makeManager(C);
  ASSERT_TRUE(M);
  spl::Status S = M->compile(Source, Name + ".mir");
  ASSERT_TRUE(bool(S)) << S.error().Message;
  for (unsigned Run = 0; Run < C.Runs; ++Run) {
    SCOPED_TRACE("run " + std::to_string(Run + 1));
    CallOutput R = callCapturing(*M, "main");
    ASSERT_TRUE(R.Ok) << R.Error.Message << "\noutput so far:\n" << R.Out;
    EXPECT_EQ(R.Result.asI64(), 0);
    EXPECT_EQ(R.Out, Expected);
  }
}

class SffiProgram : public testing::TestWithParam<const char *> {};

TEST_P(SffiProgram, PrintsTheExpectedOutputOnEveryBackend) {
  for (const Config &C : allConfigs())
    runProgram(GetParam(), C);
}

// Every rt_testlib_* call of the program resolves to the library of this
// build, every other call to a builtin.
TEST_P(SffiProgram, ExternsResolveToTheTestLibrary) {
  std::string Name = GetParam();
  auto L = spl::ExecManager::inspectExterns(slurp(programPath(Name + ".mir")),
                                            Name + ".mir");
  ASSERT_TRUE(bool(L)) << L.error().Message;
  ASSERT_FALSE(L->empty());
  for (const spl::ExternInfo &X : *L) {
    SCOPED_TRACE(X.Name);
    EXPECT_TRUE(X.Resolved) << X.Where;
    // Text printing (rt_print, rt_println) is the Simple runtime's (runtime/,
    // RUNTIME.md); the rest are spl-exec builtins.
    if (X.Name.rfind("rt_testlib_", 0) == 0)
      EXPECT_EQ(X.Where, testlibPath());
    else if (X.Name == "rt_print" || X.Name == "rt_println")
      EXPECT_EQ(X.Where, "runtime");
    else
      EXPECT_EQ(X.Where, "builtin");
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, SffiProgram, testing::ValuesIn(Programs),
                         [](const testing::TestParamInfo<const char *> &I) {
                           return std::string(I.param);
                         });

// A MIR function passed as a function-pointer constant to C and called back
// (rt_testlib_apply_i64/apply_f64). The JIT hands C the native function, the
// interpreter a libffi closure that runs the function interpreted.
TEST(SffiE2E, CallbacksIntoMirOnEveryBackend) {
  for (const Config &C : allConfigs())
    runProgram("callback", C);
}

// Unbounded recursion through C ends in the stack-overflow error on every
// backend (the JIT's adapters carry the call depth across C frames).
TEST(SffiE2E, RecursionThroughCallbacksEndsInStackOverflow) {
  std::string Source = slurp(programPath("callback_deep.mir"));
  for (const Config &C : allConfigs()) {
    SCOPED_TRACE(C.Label);
    auto M = makeManager(C);
    ASSERT_TRUE(M);
    spl::Status S = M->compile(Source, "callback_deep.mir");
    ASSERT_TRUE(bool(S)) << S.error().Message;
    CallOutput R = callCapturing(*M, "main");
    ASSERT_FALSE(R.Ok);
    EXPECT_EQ(R.Error.Message,
              "runtime error in `rec`: stack overflow (call depth exceeded 10000)");
  }
}

// The programs together call every function testlib.c defines.
TEST(SffiE2E, ProgramsCallEveryTestlibFunction) {
  std::string Lib = slurp(libSrcDir() + "/testlib.c");
  ASSERT_FALSE(Lib.empty());
  std::set<std::string> Defined;
  std::regex Def(R"(\b(rt_testlib_\w+)\()");
  for (auto It = std::sregex_iterator(Lib.begin(), Lib.end(), Def);
       It != std::sregex_iterator(); ++It)
    Defined.insert((*It)[1]);
  ASSERT_GT(Defined.size(), 80u);

  std::string All;
  for (const char *P : Programs)
    All += slurp(programPath(std::string(P) + ".mir"));
  All += slurp(programPath("callback.mir"));
  // rt_testlib_deref_i64 faults on purpose: tests/guard calls it.
  All += slurp(std::string(SPL_SOURCE_DIR) + "/tests/guard/GuardTest.cpp");
  for (const std::string &F : Defined)
    EXPECT_NE(All.find("call @" + F + "("), std::string::npos)
        << F << " is called by no program";
}

} // namespace
