//===- tests/sffi_e2e/SffiTestSupport.h - Shared helpers --------*- C++ -*-===//
//
// What every file of the SFFI end-to-end test needs: where the test
// libraries and programs are, the backend configurations, and running a MIR
// function while capturing what it prints.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_SFFI_E2E_SFFITESTSUPPORT_H
#define SPL_TESTS_SFFI_E2E_SFFITESTSUPPORT_H

#include "spl/ExecManager.h"

#include <memory>
#include <string>
#include <vector>

namespace sffi_test {

/// ${CMAKE_BINARY_DIR}/tests/sffi: libspl_testlib.so and libspl_other.so.
std::string libDir();
/// libDir() + "/libspl_testlib.so", as the SFFI search names it.
std::string testlibPath();
/// tests/sffi in the source tree (notalib.txt).
std::string libSrcDir();
/// tests/sffi_e2e/NAME in the source tree.
std::string programPath(const std::string &Name);
/// The whole file, or "" when it cannot be read.
std::string slurp(const std::string &Path);

/// One way of running a program.
struct Config {
  const char *Label;
  const char *Backend;
  unsigned OptLevel;
  unsigned JitThreshold;
  /// How many times `main` is called (each call must print the expected
  /// output again).
  unsigned Runs;
};
/// interpreter, llvm -O0, llvm -O2, auto (JitThreshold 1), and auto with
/// threshold 2 running main twice (interpreted, then promoted to the JIT).
const std::vector<Config> &allConfigs();

/// A manager for C, or a failed test (returns null).
std::unique_ptr<spl::ExecManager> makeManager(const Config &C);
std::unique_ptr<spl::ExecManager> makeManager(const char *Backend,
                                              unsigned OptLevel = 2);

/// What one call printed, and its result or error.
struct CallOutput {
  std::string Out;
  bool Ok = false;
  spl::ExecError Error;
  spl::Value Result;
};
/// Calls Fn() on M, capturing stdout (the builtins print through C stdio).
CallOutput callCapturing(spl::ExecManager &M, const std::string &Fn,
                         const std::vector<spl::Value> &Args = {});

} // namespace sffi_test

#endif // SPL_TESTS_SFFI_E2E_SFFITESTSUPPORT_H
