//===- tests/sffi_e2e/ToolTest.cpp - spl-exec's view of SFFI externs ------===//
//
// The spl-exec command as a subprocess: the JIT's assembly for a loop calling
// rt_testlib_inc shows a direct call to the library function, and
// --list-externs prints where each extern resolves (or why it does not).
//
//===----------------------------------------------------------------------===//
#include "SffiTestSupport.h"

#include <gtest/gtest.h>

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include <cstdlib>
#include <optional>
#include <regex>
#include <sstream>

using namespace sffi_test;

namespace {

struct ToolRun {
  int Status = -1;
  std::string Out, Err, Why;
};

/// Runs ${CMAKE_BINARY_DIR}/bin/spl-exec with Args in an environment that
/// holds only SIMPLE_SFFI_PATH (this build's test libraries) and the basics.
ToolRun runTool(const std::vector<std::string> &Args) {
  std::string Tool = SPL_BINARY_DIR "/bin/spl-exec";
  llvm::SmallString<128> OutF, ErrF;
  llvm::sys::fs::createTemporaryFile("sffi-e2e", "out", OutF);
  llvm::sys::fs::createTemporaryFile("sffi-e2e", "err", ErrF);
  std::vector<llvm::StringRef> Argv{Tool};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::vector<std::string> Env{"SIMPLE_SFFI_PATH=" + libDir()};
  for (const char *Keep : {"PATH", "HOME", "LD_LIBRARY_PATH"})
    if (const char *V = std::getenv(Keep))
      Env.push_back(std::string(Keep) + "=" + V);
  std::vector<llvm::StringRef> EnvRefs(Env.begin(), Env.end());
  std::optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(OutF), llvm::StringRef(ErrF)};
  ToolRun R;
  R.Status = llvm::sys::ExecuteAndWait(Tool, Argv, EnvRefs, Redirects,
                                       /*SecondsToWait=*/120,
                                       /*MemoryLimit=*/0, &R.Why);
  R.Out = slurp(OutF.str().str());
  R.Err = slurp(ErrF.str().str());
  llvm::sys::fs::remove(OutF);
  llvm::sys::fs::remove(ErrF);
  return R;
}

std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> Out;
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);)
    Out.push_back(L);
  return Out;
}

TEST(SffiTool, IncLoopRunsOnBothBackends) {
  for (const char *Backend : {"interpreter", "llvm"}) {
    SCOPED_TRACE(Backend);
    ToolRun R = runTool({"run", std::string("--backend=") + Backend,
                         programPath("inc_loop.mir")});
    EXPECT_EQ(R.Status, 0) << R.Why << R.Err;
    EXPECT_EQ(R.Out, "1000\n");
    EXPECT_EQ(R.Err, "");
  }
}

// The loop's machine code calls rt_testlib_inc by its symbol, which the JIT
// links to the address in libspl_testlib.so: a plain `call`, with no
// dispatcher in between and no call through a register anywhere.
TEST(SffiTool, JitCallsTheLibraryFunctionDirectly) {
  ToolRun R = runTool({"run", "--backend=llvm", "--emit=asm",
                       programPath("inc_loop.mir")});
  ASSERT_EQ(R.Status, 0) << R.Why << R.Err;
  EXPECT_EQ(R.Err, "");
  std::regex DirectCall(R"(^\s*callq?\s+rt_testlib_inc(@PLT)?\s*$)");
  std::regex IndirectCall(R"(^\s*callq?\s+\*)");
  int Calls = 0;
  for (const std::string &L : lines(R.Out)) {
    if (L.find("rt_testlib_inc") != std::string::npos) {
      EXPECT_TRUE(std::regex_search(L, DirectCall))
          << "rt_testlib_inc used other than by a direct call: " << L;
      ++Calls;
    }
    EXPECT_FALSE(std::regex_search(L, IndirectCall)) << "indirect call: " << L;
  }
  EXPECT_GE(Calls, 1) << "no call of rt_testlib_inc in:\n" << R.Out;
}

// One line per extern, in the order the program first calls them, each
// with where it resolves; an unresolvable one makes the exit status 1.
TEST(SffiTool, ListExternsShowsEachExternAndWhereItResolves) {
  ToolRun R = runTool({"run", "--list-externs", programPath("list_externs.mir")});
  EXPECT_EQ(R.Status, 1) << R.Why << R.Err;
  EXPECT_EQ(R.Err, "");
  std::vector<std::string> L = lines(R.Out);
  ASSERT_EQ(L.size(), 5u) << R.Out;
  EXPECT_EQ(L[0], "puts\thost"); // declared: listed first
  EXPECT_EQ(L[1], "rt_testlib_inc\t" + testlibPath());
  EXPECT_EQ(L[2], "rt_println_i64\tbuiltin");
  EXPECT_EQ(L[3], "rt_array_new\truntime");
  std::string Prefix = "rt_nolib_f\tunresolved: cannot resolve extern "
                       "`rt_nolib_f`: library libspl_nolib.so not found "
                       "(tried: " +
                       libDir() + "/libspl_nolib.so, ";
  EXPECT_EQ(L[4].substr(0, Prefix.size()), Prefix) << L[4];
  EXPECT_NE(L[4].find("); set SIMPLE_NOLIB_LIB to its full path, or add its "
                      "directory to SIMPLE_SFFI_PATH"),
            std::string::npos)
      << L[4];
}

// --no-host-symbols: the same program resolves without the host step, so the
// libc-only declared extern no longer resolves at all.
TEST(SffiTool, NoHostSymbolsSkipsTheHost) {
  ToolRun R = runTool({"run", "--list-externs", "--no-host-symbols",
                       programPath("list_externs.mir")});
  EXPECT_EQ(R.Status, 1) << R.Why << R.Err;
  std::vector<std::string> L = lines(R.Out);
  ASSERT_EQ(L.size(), 5u) << R.Out;
  EXPECT_EQ(L[0], "puts\tunresolved: cannot resolve extern `puts`: it is not "
                  "a runtime function or builtin and does not follow the SFFI "
                  "convention rt_<lib>_<name>");
  EXPECT_EQ(L[3], "rt_array_new\truntime");
}

} // namespace
