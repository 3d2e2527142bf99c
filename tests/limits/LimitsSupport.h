//===- tests/limits/LimitsSupport.h - Backends and programs -----*- C++ -*-===//
#ifndef SPL_TESTS_LIMITS_SUPPORT_H
#define SPL_TESTS_LIMITS_SUPPORT_H

#include "spl/ExecManager.h"
#include "tests/programs/Programs.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace spl::limits_test {

/// Every backend and tier: the interpreter, JIT code at -O0 and -O2, auto.
struct BackendCase {
  const char *Name;
  const char *Backend;
  unsigned OptLevel;
};
inline const BackendCase AllBackends[] = {
    {"interpreter", "interpreter", 2},
    {"llvm_O0", "llvm", 0},
    {"llvm_O2", "llvm", 2},
    {"auto", "auto", 2},
};
inline std::string caseName(const testing::TestParamInfo<BackendCase> &I) {
  return I.param.Name;
}

inline std::unique_ptr<ExecManager> makeManager(const BackendCase &C,
                                                Options O = {}) {
  O.Backend = C.Backend;
  O.OptLevel = C.OptLevel;
  O.JitThreshold = 1;
  auto M = ExecManager::create(O);
  EXPECT_TRUE(bool(M)) << (M ? "" : M.error().Message);
  return M ? std::move(*M) : nullptr;
}

/// The programs of tests/programs: `spin` loops forever through one goto;
/// `fib` is naive recursion with no loop at all; `add` is short; `count`
/// counts forever. `fill` is a loop with no call, which the JIT vectorises,
/// so only the interrupt signal can end it; `naps` sleeps in libc per
/// iteration, so only its loop's poll can end it.
inline const std::string ProgramsText = test_programs::programs(
    "limits", {"fill", "naps", "spin", "count", "fib", "add"});
inline const char *const Programs = ProgramsText.c_str();

} // namespace spl::limits_test

#endif // SPL_TESTS_LIMITS_SUPPORT_H
