//===- tests/sffi_e2e/LoadErrorsTest.cpp - Externs that cannot resolve ----===//
//
// An SFFI extern that cannot be resolved fails compile() with a load error
// naming the extern and everywhere that was searched. The failed module
// loads nothing (all or nothing), and the same manager goes on compiling and
// running good modules. Checked on the interpreter, llvm and auto.
//
//===----------------------------------------------------------------------===//
#include "SffiTestSupport.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>

using namespace sffi_test;

namespace {

/// A module whose main calls Extern, with a second function `Helper` (which
/// calls nothing) and a redefinition of `keep`.
std::string badModule(const std::string &Extern, const std::string &Helper) {
  return "module \"bad\"\n"
         "fn @" + Helper + "() -> i64 {\n"
         "  let _0: i64 return\n"
         "bb0:\n"
         "  return const i64 7\n"
         "}\n"
         "fn @keep() -> i64 {\n"
         "  let _0: i64 return\n"
         "bb0:\n"
         "  return const i64 2\n"
         "}\n"
         "fn @bad_main() -> i64 {\n"
         "  let _0: i64 return\n"
         "bb0:\n"
         "  _0 = call @" + Extern + "(const i64 1) : fn(i64) -> i64\n"
         "  return\n"
         "}\n";
}

/// A good module: Fn() returns rt_other_present() + rt_testlib_inc(N).
std::string goodModule(const std::string &Fn, int N) {
  return "module \"good\"\n"
         "fn @" + Fn + "() -> i64 {\n"
         "  let _0: i64 return\n"
         "  let _1: i64 temp\n"
         "  let _2: i64 temp\n"
         "bb0:\n"
         "  _1 = call @rt_other_present() : fn() -> i64\n"
         "  _2 = call @rt_testlib_inc(const i64 " + std::to_string(N) + ") : fn(i64) -> i64\n"
         "  _0 = binop add copy _1, copy _2\n"
         "  return\n"
         "}\n";
}

std::string keepModule() {
  return "module \"keep\"\n"
         "fn @keep() -> i64 {\n"
         "  let _0: i64 return\n"
         "bb0:\n"
         "  return const i64 1\n"
         "}\n";
}

/// The dlerror() text for a file that does not exist.
const char *const NoSuchFile =
    "cannot open shared object file: No such file or directory";

/// The directories the SFFI search tries for a library that no
/// SIMPLE_<LIB>_LIB names: SIMPLE_SFFI_PATH's, then the directory of
/// libspl_exec.so (never one relative to the working directory).
std::vector<std::string> searchedDirs() {
  namespace fs = std::filesystem;
  std::string Own = fs::canonical(fs::path(SPL_BINARY_DIR) / "lib").string();
  return {libDir(), Own};
}

struct BadCase {
  const char *Label;
  std::string Extern;
  /// Set around the compile (SIMPLE_TESTLIBX_LIB=...), then unset.
  std::string EnvVar, EnvValue;
  /// The whole message, or (when empty) checked by checkMessage.
  std::string Message;
};

std::vector<BadCase> badCases() {
  std::string NotALib = libSrcDir() + "/notalib.txt";
  return {
      {"library missing", "rt_nolib_f", "", "", ""},
      {"symbol missing in libspl_other.so", "rt_other_missing", "", "",
       "symbol `rt_other_missing` not found in " + libDir() +
           "/libspl_other.so"},
      {"SIMPLE_TESTLIBX_LIB names a text file", "rt_testlibx_f",
       "SIMPLE_TESTLIBX_LIB", NotALib,
       "cannot resolve extern `rt_testlibx_f`: library libspl_testlibx.so "
       "could not be loaded from SIMPLE_TESTLIBX_LIB=" +
           NotALib + ": invalid ELF header"},
      {"symbol missing in libspl_testlib.so", "rt_testlib_nope", "", "",
       "symbol `rt_testlib_nope` not found in " + testlibPath()},
  };
}

/// The missing library's message: the extern, the file name, every path
/// tried in order (SIMPLE_SFFI_PATH's first), and how to point at it.
void checkNoLibMessage(const std::string &Msg) {
  std::string Tried;
  for (const std::string &Dir : searchedDirs())
    Tried += (Tried.empty() ? "" : ", ") + Dir + "/libspl_nolib.so";
  EXPECT_EQ(Msg, "cannot resolve extern `rt_nolib_f`: library libspl_nolib.so "
                 "not found (tried: " + Tried + "); set SIMPLE_NOLIB_LIB to its "
                 "full path, or add its directory to SIMPLE_SFFI_PATH");
}

class SffiLoadErrors : public testing::TestWithParam<const char *> {};

TEST_P(SffiLoadErrors, FailedCompilesLoadNothingAndTheManagerGoesOn) {
  auto M = makeManager(GetParam());
  ASSERT_TRUE(M);
  ASSERT_TRUE(bool(M->compile(keepModule(), "keep.mir")));

  int N = 0;
  for (const BadCase &C : badCases()) {
    SCOPED_TRACE(C.Label);
    std::string Helper = "helper_" + std::to_string(N);
    if (!C.EnvVar.empty())
      setenv(C.EnvVar.c_str(), C.EnvValue.c_str(), /*overwrite=*/1);
    spl::Status S = M->compile(badModule(C.Extern, Helper), "bad.mir");
    if (!C.EnvVar.empty())
      unsetenv(C.EnvVar.c_str());

    ASSERT_FALSE(bool(S)) << "compiled a module calling " << C.Extern;
    EXPECT_EQ(S.error().K, spl::ExecError::Kind::Load);
    if (C.Message.empty())
      checkNoLibMessage(S.error().Message);
    else
      EXPECT_EQ(S.error().Message, C.Message);

    // Nothing of the failed module arrived, and nothing it would have
    // replaced went away.
    EXPECT_FALSE(M->hasFunction(Helper));
    EXPECT_FALSE(M->hasFunction("bad_main"));
    auto Keep = M->call("keep", {});
    ASSERT_TRUE(bool(Keep)) << Keep.error().Message;
    EXPECT_EQ(Keep->asI64(), 1);

    // The same manager compiles and runs a good module.
    std::string Good = "good_" + std::to_string(N);
    spl::Status G = M->compile(goodModule(Good, 100 * N), "good.mir");
    ASSERT_TRUE(bool(G)) << G.error().Message;
    auto R = M->call(Good, {});
    ASSERT_TRUE(bool(R)) << R.error().Message;
    EXPECT_EQ(R->asI64(), 42 + 100 * N + 1);
    ++N;
  }
}

// The failure is not remembered: once the environment is fixed, the same
// extern name resolves further. SIMPLE_<LIB>_LIB first names the text file,
// then the real test library, which lacks the symbol: the error moves on
// from loading to the symbol. (A lib name of its own per run: a library that
// did load stays loaded for the rest of the process.)
TEST_P(SffiLoadErrors, FixingTheEnvironmentIsSeenByTheNextCompile) {
  auto M = makeManager(GetParam());
  ASSERT_TRUE(M);
  static int Runs = 0;
  std::string Lib = "fix" + std::string(GetParam()) + std::to_string(Runs++);
  std::string Extern = "rt_" + Lib + "_f";
  std::string Var = "SIMPLE_";
  for (char C : Lib)
    Var += char(std::toupper(static_cast<unsigned char>(C)));
  Var += "_LIB";
  std::string NotALib = libSrcDir() + "/notalib.txt";
  setenv(Var.c_str(), NotALib.c_str(), 1);
  spl::Status S1 = M->compile(badModule(Extern, "h1"), "bad.mir");
  setenv(Var.c_str(), testlibPath().c_str(), 1);
  spl::Status S2 = M->compile(badModule(Extern, "h2"), "bad.mir");
  unsetenv(Var.c_str());
  ASSERT_FALSE(bool(S1));
  EXPECT_EQ(S1.error().Message, "cannot resolve extern `" + Extern +
                                    "`: library libspl_" + Lib +
                                    ".so could not be loaded from " + Var +
                                    "=" + NotALib + ": invalid ELF header");
  ASSERT_FALSE(bool(S2));
  EXPECT_EQ(S2.error().Message,
            "symbol `" + Extern + "` not found in " + testlibPath());
  EXPECT_FALSE(M->hasFunction("h1"));
  EXPECT_FALSE(M->hasFunction("h2"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SffiLoadErrors,
                         testing::Values("interpreter", "llvm", "auto"),
                         [](const testing::TestParamInfo<const char *> &I) {
                           return std::string(I.param);
                         });

} // namespace
