//===- tests/e2e/CliSupport.cpp - Running spl-exec from a test ------------===//
#include "CliSupport.h"

#include "llvm/Support/MemoryBuffer.h"

#include <cstdlib>
#include <fstream>
#include <optional>

using namespace llvm;

namespace spl::clitest {

std::string tool() { return SPL_BINARY_DIR "/bin/spl-exec"; }

std::string example(const char *Name) {
  return std::string(SPL_SOURCE_DIR) + "/tests/corpus/" + Name;
}

std::string slurp(StringRef P) {
  auto B = MemoryBuffer::getFile(P);
  return B ? (*B)->getBuffer().str() : "";
}

std::vector<std::string> cleanEnv(std::vector<std::string> Env) {
  for (const char *Keep : {"PATH", "HOME", "LD_LIBRARY_PATH"})
    if (const char *V = std::getenv(Keep))
      Env.push_back(std::string(Keep) + "=" + V);
  return Env;
}

RunResult run(std::vector<std::string> Args, std::vector<std::string> Env) {
  SmallString<128> OutF, ErrF;
  sys::fs::createTemporaryFile("cli", "out", OutF);
  sys::fs::createTemporaryFile("cli", "err", ErrF);
  std::string Tool = tool();
  std::vector<StringRef> Argv{Tool};
  for (auto &A : Args)
    Argv.push_back(A);
  std::vector<std::string> EnvS = cleanEnv(std::move(Env));
  std::vector<StringRef> EnvR(EnvS.begin(), EnvS.end());
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(OutF),
                                          StringRef(ErrF)};
  std::string Msg;
  int RC = sys::ExecuteAndWait(Tool, Argv, EnvR, Redirects, 60, 0, &Msg);
  RunResult R{RC, slurp(OutF), slurp(ErrF)};
  sys::fs::remove(OutF);
  sys::fs::remove(ErrF);
  return R;
}

std::string writeTemp(StringRef Suffix, StringRef Text) {
  SmallString<128> P;
  sys::fs::createTemporaryFile("cli", Suffix, P);
  std::ofstream(P.str().str()) << Text.str();
  return P.str().str();
}

} // namespace spl::clitest
