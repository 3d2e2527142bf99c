//===- tests/lazyload/LazyLoadTest.cpp - What a run maps, and when --------===//
//
// libspl_exec.so loads libspl_exec_jit.so only when a JIT session is made,
// from its own directory (exec_manager/JitLoader.cpp), and the JIT loads
// libspl_exec_codegen.so only when a module is not in the cache
// (jit/CodeGen.h). Each case runs in a child process of its own (a library
// once loaded stays), which reads /proc/self/maps after the calls.
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace spl;

namespace {

// add(2, 40) = 42.
const char *Program = R"(module "lazy"

fn @add(i64, i64) -> i64 #1 {
  let _0 _return: i64 return
  let _1 a: i64 arg 0
  let _2 b: i64 arg 1

bb0 entry:
  _0 = binop add copy _1, copy _2
  return
}
)";

/// The files mapped into this process named Name (or Name.VERSION).
std::vector<std::string> mapped(const std::string &Name) {
  std::ifstream In("/proc/self/maps");
  std::vector<std::string> Out;
  for (std::string L; std::getline(In, L);) {
    size_t Slash = L.find('/');
    if (Slash == std::string::npos)
      continue;
    std::string Path = L.substr(Slash);
    // The file itself or a versioned name of it (libspl_exec.so.0.1.0).
    std::string Base = Path.substr(Path.rfind('/') + 1);
    bool Match = Base == Name || (Base.size() > Name.size() &&
                                  Base.compare(0, Name.size(), Name) == 0 &&
                                  Base[Name.size()] == '.');
    if (Match && (Out.empty() || Out.back() != Path))
      Out.push_back(Path);
  }
  return Out;
}

std::string dirOf(const std::string &Path) {
  return Path.substr(0, Path.rfind('/'));
}

/// Runs Body in a child process; its text is the failure ("" = passed).
std::string inChild(const std::function<std::string()> &Body) {
  int P[2];
  if (pipe(P) != 0)
    return "pipe failed";
  pid_t Pid = fork();
  if (Pid == 0) {
    close(P[0]);
    std::string Why = Body();
    if (write(P[1], Why.data(), Why.size()) < 0)
      _exit(3);
    _exit(Why.empty() ? 0 : 1);
  }
  close(P[1]);
  std::string Why;
  char Buf[512];
  for (ssize_t N; (N = read(P[0], Buf, sizeof(Buf))) > 0;)
    Why.append(Buf, size_t(N));
  close(P[0]);
  int Status = 0;
  waitpid(Pid, &Status, 0);
  if (!WIFEXITED(Status))
    return "the child died: status " + std::to_string(Status);
  if (WEXITSTATUS(Status) != 0 && Why.empty())
    return "the child exited with " + std::to_string(WEXITSTATUS(Status));
  return Why;
}

/// Compiles Program on a manager of Backend and calls add(2, 40) Calls
/// times; the failure text, or "".
std::string callAdd(const std::string &Backend, const std::string &CacheDir,
                    int Calls = 1) {
  Options O;
  O.Backend = Backend;
  O.Cache.Enabled = !CacheDir.empty();
  O.Cache.Directory = CacheDir;
  // auto: compile at the second call, before it runs (not in the background,
  // so that the test sees the JIT mapped when the call returns).
  O.JitThreshold = 2;
  O.JitSync = true;
  auto M = ExecManager::create(O);
  if (!M)
    return "create: " + M.error().Message;
  if (Status S = (*M)->compile(Program); !S)
    return "compile: " + S.error().Message;
  for (int I = 0; I < Calls; ++I) {
    auto R = (*M)->callWithI64("add", {2, 40});
    if (!R)
      return "call: " + R.error().Message;
    if (R->asI64() != 42)
      return "add(2, 40) gave " + std::to_string(R->asI64());
  }
  return "";
}

std::string tempDir() {
  char Dir[] = "/tmp/spl-lazyload-XXXXXX";
  return mkdtemp(Dir) ? Dir : "";
}

} // namespace

TEST(LazyLoad, TheInterpreterNeverMapsTheJit) {
  EXPECT_EQ(inChild([] {
              if (std::string Why = callAdd("interpreter", ""); !Why.empty())
                return Why;
              if (mapped("libspl_exec.so").empty())
                return std::string("libspl_exec.so is not mapped");
              if (!mapped("libspl_exec_jit.so").empty())
                return std::string("libspl_exec_jit.so is mapped");
              return std::string();
            }),
            "");
}

TEST(LazyLoad, AutoRunningStraightLineCodeOnceNeverMapsTheJit) {
  // One call is below the threshold (2).
  EXPECT_EQ(inChild([] {
              if (std::string Why = callAdd("auto", ""); !Why.empty())
                return Why;
              if (!mapped("libspl_exec_jit.so").empty())
                return std::string("libspl_exec_jit.so is mapped");
              return std::string();
            }),
            "");
}

TEST(LazyLoad, AutoCompilingAtItsThresholdMapsTheJit) {
  // The second call reaches the threshold (2): auto compiles add.
  EXPECT_EQ(inChild([] {
              if (std::string Why = callAdd("auto", "", 2); !Why.empty())
                return Why;
              if (mapped("libspl_exec_jit.so").size() != 1)
                return std::string("libspl_exec_jit.so is not mapped");
              return std::string();
            }),
            "");
}

TEST(LazyLoad, LlvmMapsTheJitFromTheDirectoryOfLibsplExec) {
  EXPECT_EQ(inChild([] {
              if (std::string Why = callAdd("llvm", ""); !Why.empty())
                return Why;
              std::vector<std::string> Core = mapped("libspl_exec.so");
              if (Core.size() != 1)
                return std::string("libspl_exec.so is mapped ") +
                       std::to_string(Core.size()) + " times";
              std::vector<std::string> Jit = mapped("libspl_exec_jit.so");
              if (Jit.size() != 1)
                return std::string("libspl_exec_jit.so is mapped ") +
                       std::to_string(Jit.size()) + " times";
              if (dirOf(Jit[0]) != dirOf(Core[0]))
                return "the JIT came from " + Jit[0] + ", not next to " +
                       Core[0];
              // No cache: the module was compiled.
              if (mapped("libspl_exec_codegen.so").size() != 1)
                return std::string("libspl_exec_codegen.so is not mapped");
              return std::string();
            }),
            "");
}

TEST(LazyLoad, ACacheHitMapsNoCodeGenerator) {
  std::string Cache = tempDir();
  ASSERT_FALSE(Cache.empty());
  // The first run compiles and fills the cache; the second finds it there.
  ASSERT_EQ(inChild([&] { return callAdd("llvm", Cache); }), "");
  EXPECT_EQ(inChild([&] {
              if (std::string Why = callAdd("llvm", Cache); !Why.empty())
                return Why;
              if (mapped("libspl_exec_jit.so").size() != 1)
                return std::string("libspl_exec_jit.so is not mapped");
              if (!mapped("libspl_exec_codegen.so").empty())
                return std::string("libspl_exec_codegen.so is mapped");
              return std::string();
            }),
            "");
  std::system(("rm -rf " + Cache).c_str());
}

TEST(LazyLoad, TheCurrentDirectoryIsNeverSearched) {
  // Files of the plugins' names in the current directory are not libraries:
  // loading one would fail the run.
  std::string Dir = tempDir();
  ASSERT_FALSE(Dir.empty());
  for (const char *Name : {"libspl_exec_jit.so", "libspl_exec_codegen.so"})
    std::ofstream(Dir + "/" + Name) << "not a library\n";
  EXPECT_EQ(inChild([&] {
              if (chdir(Dir.c_str()) != 0)
                return std::string("chdir failed");
              if (std::string Why = callAdd("llvm", ""); !Why.empty())
                return Why;
              for (const std::string &P : mapped("libspl_exec_jit.so"))
                if (dirOf(P) == Dir)
                  return "the JIT was loaded from " + P;
              return std::string();
            }),
            "");
  std::system(("rm -rf " + Dir).c_str());
}
