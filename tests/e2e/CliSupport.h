//===- tests/e2e/CliSupport.h - Running spl-exec from a test ----*- C++ -*-===//
#ifndef SPL_TESTS_E2E_CLISUPPORT_H
#define SPL_TESTS_E2E_CLISUPPORT_H

#include <gtest/gtest.h>

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include <string>
#include <vector>

namespace spl::clitest {

struct RunResult {
  int Status;
  std::string Out, Err;
};

/// This build's spl-exec.
std::string tool();
/// tests/corpus/NAME.
std::string example(const char *Name);
/// A file's bytes, "" if unreadable.
std::string slurp(llvm::StringRef P);
/// A clean environment: only Env, plus PATH/HOME/LD_LIBRARY_PATH.
std::vector<std::string> cleanEnv(std::vector<std::string> Env);
/// Runs spl-exec with Args and a clean environment with Env added.
RunResult run(std::vector<std::string> Args, std::vector<std::string> Env = {});
/// A new temporary file holding Text (named *.Suffix).
std::string writeTemp(llvm::StringRef Suffix, llvm::StringRef Text);

} // namespace spl::clitest

#endif // SPL_TESTS_E2E_CLISUPPORT_H
