//===- tests/sffi_e2e/SffiTestSupport.cpp - Shared helpers ----------------===//
#include "SffiTestSupport.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sffi_test {
namespace {

/// Makes the SFFI search find the libraries of this build, whatever the
/// environment says. It runs before any manager exists: a library is loaded
/// once per process, by the first compile that needs it.
class SffiPathEnvironment : public testing::Environment {
public:
  void SetUp() override {
    // A SIMPLE_<LIB>_LIB would win over SIMPLE_SFFI_PATH.
    for (const char *Var : {"SIMPLE_TESTLIB_LIB", "SIMPLE_OTHER_LIB",
                            "SIMPLE_NOLIB_LIB", "SIMPLE_TESTLIBX_LIB"})
      unsetenv(Var);
    setenv("SIMPLE_SFFI_PATH", SPL_SFFI_DIR, /*overwrite=*/1);
  }
};
[[maybe_unused]] testing::Environment *const SffiEnv =
    testing::AddGlobalTestEnvironment(new SffiPathEnvironment);

} // namespace

std::string libDir() { return SPL_SFFI_DIR; }
std::string testlibPath() { return libDir() + "/libspl_testlib.so"; }
std::string libSrcDir() { return SPL_SFFI_SRC_DIR; }
std::string programPath(const std::string &Name) {
  return std::string(SPL_SOURCE_DIR) + "/tests/sffi_e2e/" + Name;
}

std::string slurp(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

const std::vector<Config> &allConfigs() {
  static const std::vector<Config> Configs = {
      {"interpreter", "interpreter", 2, 2, 1},
      {"llvm_O0", "llvm", 0, 2, 1},
      {"llvm_O2", "llvm", 2, 2, 1},
      {"auto_threshold1", "auto", 2, 1, 1},
      {"auto_threshold2_twice", "auto", 2, 2, 2},
  };
  return Configs;
}

std::unique_ptr<spl::ExecManager> makeManager(const Config &C) {
  spl::Options O;
  O.Backend = C.Backend;
  O.OptLevel = C.OptLevel;
  O.JitThreshold = C.JitThreshold;
  auto M = spl::ExecManager::create(O);
  if (!M) {
    ADD_FAILURE() << "cannot create backend " << C.Backend << ": "
                  << M.error().Message;
    return nullptr;
  }
  return std::move(*M);
}

std::unique_ptr<spl::ExecManager> makeManager(const char *Backend,
                                              unsigned OptLevel) {
  return makeManager(Config{Backend, Backend, OptLevel, 2, 1});
}

CallOutput callCapturing(spl::ExecManager &M, const std::string &Fn,
                         const std::vector<spl::Value> &Args) {
  CallOutput R;
  std::fflush(stdout);
  testing::internal::CaptureStdout();
  auto V = M.call(Fn, Args);
  std::fflush(stdout);
  R.Out = testing::internal::GetCapturedStdout();
  if (V) {
    R.Ok = true;
    R.Result = *V;
  } else {
    R.Error = V.error();
  }
  return R;
}

} // namespace sffi_test
