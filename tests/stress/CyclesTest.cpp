//===- tests/stress/CyclesTest.cpp - Many manager lifetimes, flat memory --===//
//
// 10,000 create/compile/execute/cleanup cycles per backend through the C API,
// as a host that makes a manager per job would. Every result is checked, and
// the resident memory after the last cycle must be within 10% of the one
// after cycle 100 (by then the allocator, LLVM's and the runtime's one-time
// state have settled): a manager's code, JIT memory and C API slots are
// really released. Each backend is its own ctest test, so its own process.
//
//===----------------------------------------------------------------------===//
#include "StressSupport.h"

#include "spl/exec_manager.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

using namespace spl::stress;

namespace {

class Cycles : public testing::TestWithParam<const char *> {};

TEST_P(Cycles, ResidentMemoryStaysFlat) {
  const char *Backend = GetParam();
  const int N = scaled(10000, 200);
  const int Settled = 100;
  const std::string Module = sumSquaresModule();
  uint64_t AtSettled = 0;
  int Wrong = 0;
  std::string FirstError;
  for (int C = 1; C <= N; ++C) {
    int64_t H = rt_exec_manager_create(Backend);
    ASSERT_NE(H, 0) << rt_exec_manager_get_last_error(0);
    std::string E = rt_exec_manager_compile(H, Module.c_str());
    ASSERT_EQ(E, "") << "cycle " << C;
    int64_t Arg = 10 + C % 20;
    int64_t Got = rt_exec_manager_execute_args(H, "sum_sq", &Arg, 1);
    if (Got != sumSquares(Arg)) {
      if (!Wrong++)
        FirstError = "cycle " + std::to_string(C) + ": sum_sq(" +
                     std::to_string(Arg) + ") = " + std::to_string(Got) +
                     " " + rt_exec_manager_get_last_error(H);
    }
    rt_exec_manager_cleanup(H);
    if (C == Settled)
      AtSettled = residentKiB();
  }
  uint64_t AtEnd = residentKiB();
  EXPECT_EQ(Wrong, 0) << FirstError;
  std::printf("%s: resident %.1f MiB at cycle %d, %.1f MiB at cycle %d\n",
              Backend, AtSettled / 1024.0, Settled, AtEnd / 1024.0, N);
  RecordProperty("rss_kib_at_100", std::to_string(AtSettled));
  RecordProperty("rss_kib_at_end", std::to_string(AtEnd));
  if (underAddressSanitizer()) {
    // ASan's quarantine holds freed memory on purpose; LSan reports leaks
    // at exit in that build instead.
    std::printf("AddressSanitizer build: resident memory not compared\n");
    return;
  }
  ASSERT_GT(AtSettled, 0u) << "cannot read /proc/self/statm";
  EXPECT_LE(AtEnd, AtSettled + AtSettled / 10)
      << Backend << ": " << AtSettled << " KiB at cycle " << Settled << ", "
      << AtEnd << " KiB at cycle " << N;
}

INSTANTIATE_TEST_SUITE_P(Backends, Cycles, testing::ValuesIn(Backends),
                         [](const testing::TestParamInfo<const char *> &I) {
                           return std::string(I.param);
                         });

} // namespace
