//===- tests/stress/TorchThreadsTest.cpp - Torch handles from 4 threads ---===//
//
// 4 threads create, compute with and free tensor handles at once; then each
// frees the handles another thread made (the handle table is process-wide).
// Every value is checked and no handle is lost. Skipped when libspl_torch.so
// is not built (no libtorch on the machine).
//
//===----------------------------------------------------------------------===//
#include <gtest/gtest.h>

#if SPL_STRESS_HAVE_TORCH
#include "StressSupport.h"
#include "torch/spl_torch.h"

#include <cmath>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace spl::stress;
#endif

namespace {

TEST(TorchThreads, HandlesCreatedAndFreedFromFourThreads) {
#if !SPL_STRESS_HAVE_TORCH
  GTEST_SKIP() << "libspl_torch.so is not built (libtorch not found)";
#else
  const int64_t Start = rt_torch_live_handles();
  const int PerThread = scaled(500, 20);
  std::vector<std::vector<int64_t>> Kept(4);
  std::mutex Mu;
  int Wrong = 0;
  std::string FirstWrong;
  auto Note = [&](const std::string &What) {
    std::lock_guard<std::mutex> L(Mu);
    if (!Wrong++)
      FirstWrong = What;
  };
  // Phase 1: each thread makes full([2,3], v) and ones([2,3]), adds them and
  // checks the sum of the result, 6 (v + 1); frees the operands, keeps the
  // result.
  std::vector<std::thread> Pool;
  for (int T = 0; T < 4; ++T)
    Pool.emplace_back([&, T] {
      const int64_t Dims[] = {2, 3};
      for (int I = 0; I < PerThread; ++I) {
        double V = T * 1000 + I;
        int64_t A = rt_torch_tensor_full(Dims, 2, V);
        int64_t B = rt_torch_tensor_ones(Dims, 2);
        int64_t C = A && B ? rt_torch_torchtensor_add(A, B) : 0;
        double S = C ? rt_torch_torchtensor_sum(C) : NAN;
        if (!A || !B || !C || S != 6 * (V + 1))
          Note("thread " + std::to_string(T) + " item " + std::to_string(I) +
               ": sum " + std::to_string(S) + " " + rt_torch_last_error());
        rt_torch_torchtensor_free(A);
        rt_torch_torchtensor_free(B);
        if (C)
          Kept[T].push_back(C);
      }
    });
  for (std::thread &T : Pool)
    T.join();
  Pool.clear();
  // Phase 2: thread T checks and frees what thread T+1 kept.
  for (int T = 0; T < 4; ++T)
    Pool.emplace_back([&, T] {
      int From = (T + 1) % 4;
      for (size_t I = 0; I < Kept[From].size(); ++I) {
        int64_t C = Kept[From][I];
        double V = From * 1000 + double(I);
        double S = rt_torch_torchtensor_sum(C);
        if (S != 6 * (V + 1))
          Note("freeing thread " + std::to_string(T) + ": sum " +
               std::to_string(S) + ", want " + std::to_string(6 * (V + 1)));
        rt_torch_torchtensor_free(C);
        if (std::string(rt_torch_last_error()) != "")
          Note(std::string("free: ") + rt_torch_last_error());
      }
    });
  for (std::thread &T : Pool)
    T.join();
  EXPECT_EQ(Wrong, 0) << FirstWrong;
  for (const auto &K : Kept)
    EXPECT_EQ(K.size(), size_t(PerThread));
  EXPECT_EQ(rt_torch_live_handles(), Start);
#endif
}

} // namespace
