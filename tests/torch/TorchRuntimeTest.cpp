//===- tests/torch/TorchRuntimeTest.cpp - info, memory, device, additions
//--===//

#include "TorchTestSupport.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>

using namespace spl::torchtest;

namespace {

class TorchRuntime : public TorchTest {};

//===-- info --------------------------------------------------------------===//

TEST_F(TorchRuntime, AvailableAndVersion) {
  EXPECT_TRUE(rt_torch_available());
  EXPECT_EQ(lastError(), "");
  const char *Version = rt_torch_version();
  EXPECT_STREQ(Version, SPL_TORCH_EXPECTED_VERSION);
  // A static string: the same storage on every call.
  EXPECT_EQ(rt_torch_version(), Version);
}

TEST_F(TorchRuntime, CudaAvailableAgreesWithCudaCalls) {
  // Whatever the answer, moving a tensor to device 0 must agree with it.
  bool Cuda = rt_torch_cuda_available();
  EXPECT_EQ(lastError(), "");
  int64_t T = vec({1, 2});
  int64_t OnGpu = rt_torch_torchtensor_cuda(T, 0);
  EXPECT_EQ(OnGpu != 0, Cuda) << lastError();
  if (OnGpu)
    rt_torch_torchtensor_free(OnGpu);
}

//===-- memory and handles ------------------------------------------------===//

TEST_F(TorchRuntime, HandlesAreDistinctNonZeroAndCounted) {
  int64_t Dims[] = {2};
  int64_t A = rt_torch_tensor_zeros(Dims, 1);
  int64_t B = rt_torch_tensor_zeros(Dims, 1);
  EXPECT_NE(A, 0);
  EXPECT_NE(B, 0);
  EXPECT_NE(A, B);
  EXPECT_EQ(rt_torch_live_handles(), StartHandles + 2);
  rt_torch_torchtensor_free(A);
  EXPECT_EQ(lastError(), "");
  EXPECT_EQ(rt_torch_live_handles(), StartHandles + 1);
  rt_torch_torchtensor_free(B);
  EXPECT_EQ(rt_torch_live_handles(), StartHandles);
}

TEST_F(TorchRuntime, FreeZeroIsANoOp) {
  rt_torch_torchtensor_free(0);
  EXPECT_EQ(lastError(), "");
}

TEST_F(TorchRuntime, FreeUnknownOrTwiceIsAnError) {
  rt_torch_torchtensor_free(BogusHandle);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_free", "invalid tensor handle 987654321"));
  int64_t Dims[] = {1};
  int64_t H = rt_torch_tensor_ones(Dims, 1);
  rt_torch_torchtensor_free(H);
  EXPECT_EQ(lastError(), "");
  rt_torch_torchtensor_free(H);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_free",
                      "invalid tensor handle " + std::to_string(H)));
}

TEST_F(TorchRuntime, FreedHandleIsInvalidForOps) {
  int64_t Dims[] = {3};
  int64_t H = rt_torch_tensor_ones(Dims, 1);
  rt_torch_torchtensor_free(H);
  EXPECT_EQ(rt_torch_torchtensor_neg(H), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_neg",
                      "invalid tensor handle " + std::to_string(H)));
}

TEST_F(TorchRuntime, ZeroHandleIsInvalid) {
  EXPECT_EQ(rt_torch_torchtensor_clone(0), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_clone", "invalid tensor handle 0"));
}

TEST_F(TorchRuntime, TableIsThreadSafe) {
  constexpr int Threads = 4, PerThread = 300;
  std::atomic<int> Failures{0};
  std::vector<std::thread> Workers;
  for (int W = 0; W < Threads; ++W)
    Workers.emplace_back([&, W] {
      for (int I = 0; I < PerThread; ++I) {
        int64_t Dims[] = {2};
        int64_t H = rt_torch_tensor_full(Dims, 1, W * 1000.0 + I);
        int64_t D = rt_torch_torchtensor_add_scalar(H, 1.0);
        if (H == 0 || D == 0 ||
            rt_torch_torchtensor_sum(D) != 2 * (W * 1000.0 + I + 1))
          ++Failures;
        rt_torch_torchtensor_free(H);
        rt_torch_torchtensor_free(D);
      }
    });
  for (std::thread &T : Workers)
    T.join();
  EXPECT_EQ(Failures.load(), 0);
  EXPECT_EQ(rt_torch_live_handles(), StartHandles);
}

//===-- last error --------------------------------------------------------===//

TEST_F(TorchRuntime, LastErrorIsClearedBySuccess) {
  EXPECT_EQ(rt_torch_torchtensor_relu(BogusHandle), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_relu", "invalid tensor handle 987654321"));
  // Reading it does not clear it.
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_relu", "invalid tensor handle 987654321"));
  EXPECT_TRUE(rt_torch_available());
  EXPECT_EQ(lastError(), "");
}

TEST_F(TorchRuntime, LastErrorPointerStaysValid) {
  // C leaves argument evaluation order open: a caller may fetch the pointer
  // before the call that fails. It must still point at the current text.
  const char *Before = rt_torch_last_error();
  EXPECT_EQ(rt_torch_torchtensor_abs(BogusHandle), 0);
  EXPECT_STREQ(Before,
               "rt_torch_torchtensor_abs: invalid tensor handle 987654321");
  EXPECT_TRUE(rt_torch_available());
  EXPECT_STREQ(Before, "");
}

TEST_F(TorchRuntime, LongErrorsAreTruncated) {
  // reshape's message lists the whole requested shape.
  std::vector<int64_t> Dims(1000, 1);
  int64_t T = vec({1, 2});
  EXPECT_EQ(rt_torch_torchtensor_reshape(T, Dims.data(), 1000), 0);
  std::string Err = lastError();
  EXPECT_EQ(Err.size(), 2047u);
  EXPECT_EQ(Err.rfind("rt_torch_torchtensor_reshape: shape '[1, 1, 1", 0), 0u)
      << Err.substr(0, 80);
}

TEST_F(TorchRuntime, LastErrorIsPerThread) {
  EXPECT_EQ(rt_torch_torchtensor_exp(BogusHandle), 0);
  std::string Other = "unset";
  std::thread T([&] {
    Other = rt_torch_last_error();
    EXPECT_EQ(rt_torch_torchtensor_log(BogusHandle), 0);
  });
  T.join();
  EXPECT_EQ(Other, "");
  // The other thread's failure did not replace this thread's error.
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_exp", "invalid tensor handle 987654321"));
}

//===-- item / to_data ----------------------------------------------------===//

TEST_F(TorchRuntime, ItemOfOneElement) {
  EXPECT_EQ(rt_torch_torchtensor_item(vec({-2.5})), -2.5);
  int64_t Scalar = tensor({7.25}, {});
  EXPECT_EQ(rt_torch_torchtensor_item(Scalar), 7.25);
  EXPECT_EQ(lastError(), "");
}

TEST_F(TorchRuntime, ItemOfManyElementsIsAnError) {
  EXPECT_TRUE(std::isnan(rt_torch_torchtensor_item(vec({1, 2}))));
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_item",
               "a Tensor with 2 elements cannot be converted to Scalar"));
  EXPECT_TRUE(std::isnan(rt_torch_torchtensor_item(BogusHandle)));
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_item", "invalid tensor handle 987654321"));
}

TEST_F(TorchRuntime, ToDataWritesAtMostCapAndReturnsCount) {
  int64_t T = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
  double Buf[4] = {-1, -1, -1, -1};
  EXPECT_EQ(rt_torch_torchtensor_to_data(T, Buf, 2), 6);
  EXPECT_EQ(Buf[0], 1);
  EXPECT_EQ(Buf[1], 2);
  EXPECT_EQ(Buf[2], -1);
  EXPECT_EQ(rt_torch_torchtensor_to_data(T, nullptr, 0), 6);
  EXPECT_EQ(data(T), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST_F(TorchRuntime, ToDataFollowsLogicalOrderOfViews) {
  int64_t T = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
  int64_t Tr = own(rt_torch_torchtensor_t(T));
  EXPECT_EQ(data(Tr), (std::vector<double>{1, 4, 2, 5, 3, 6}));
}

TEST_F(TorchRuntime, ToDataConvertsIndexTensors) {
  int64_t Idx = own(rt_torch_torchtensor_argmax(vec({3, 9, 1}), -1, false));
  EXPECT_EQ(data(Idx), (std::vector<double>{1}));
}

TEST_F(TorchRuntime, ToDataRejectsBadBuffers) {
  int64_t T = vec({1, 2});
  EXPECT_EQ(rt_torch_torchtensor_to_data(T, nullptr, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_to_data", "null out pointer"));
  double Buf[2];
  EXPECT_EQ(rt_torch_torchtensor_to_data(T, Buf, -1), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_to_data", "negative out capacity -1"));
  EXPECT_EQ(rt_torch_torchtensor_to_data(BogusHandle, Buf, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_to_data",
                      "invalid tensor handle 987654321"));
}

//===-- manual_seed -------------------------------------------------------===//

TEST_F(TorchRuntime, ManualSeedMakesRandomReproducible) {
  int64_t Dims[] = {16};
  rt_torch_manual_seed(1234);
  EXPECT_EQ(lastError(), "");
  std::vector<double> A = data(own(rt_torch_tensor_randn(Dims, 1)));
  std::vector<double> A2 = data(own(rt_torch_tensor_randn(Dims, 1)));
  rt_torch_manual_seed(1234);
  std::vector<double> B = data(own(rt_torch_tensor_randn(Dims, 1)));
  rt_torch_manual_seed(4321);
  std::vector<double> C = data(own(rt_torch_tensor_randn(Dims, 1)));
  EXPECT_EQ(A, B);
  EXPECT_NE(A, A2);
  EXPECT_NE(A, C);
}

//===-- device ------------------------------------------------------------===//

TEST_F(TorchRuntime, CpuTensorsReportCpu) {
  int64_t T = vec({1, 2, 3});
  EXPECT_FALSE(rt_torch_torchtensor_is_cuda(T));
  EXPECT_EQ(lastError(), "");
  EXPECT_EQ(rt_torch_torchtensor_device(T), -1);
  EXPECT_EQ(lastError(), "");
  int64_t C = own(rt_torch_torchtensor_cpu(T));
  EXPECT_NE(C, T);
  EXPECT_EQ(rt_torch_torchtensor_device(C), -1);
  EXPECT_EQ(data(C), (std::vector<double>{1, 2, 3}));
}

TEST_F(TorchRuntime, CloneIsIndependentOfItsSource) {
  int64_t T = vec({1, 2, 3});
  int64_t C = own(rt_torch_torchtensor_clone(T));
  EXPECT_NE(C, T);
  release(T);
  EXPECT_EQ(data(C), (std::vector<double>{1, 2, 3}));
}

TEST_F(TorchRuntime, DeviceCallsOnInvalidHandles) {
  EXPECT_FALSE(rt_torch_torchtensor_is_cuda(BogusHandle));
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_is_cuda",
                      "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_device(BogusHandle), -1);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_device",
                      "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_cpu(BogusHandle), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_cpu", "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_cuda(BogusHandle, 0), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_cuda", "invalid tensor handle 987654321"));
}

TEST_F(TorchRuntime, CudaWithoutCudaIsAnError) {
  if (rt_torch_cuda_available())
    GTEST_SKIP() << "libtorch has CUDA here";
  int64_t T = vec({1, 2});
  EXPECT_EQ(rt_torch_torchtensor_cuda(T, 0), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_cuda", "CUDA not available"));
  EXPECT_EQ(rt_torch_cuda_memory_allocated(0), 0);
  EXPECT_TRUE(errorIs("rt_torch_cuda_memory_allocated", "CUDA not available"));
  rt_torch_cuda_empty_cache();
  EXPECT_TRUE(errorIs("rt_torch_cuda_empty_cache", "CUDA not available"));
}

TEST_F(TorchRuntime, CudaRoundTripWhenAvailable) {
  if (!rt_torch_cuda_available())
    GTEST_SKIP() << "no CUDA device";
  int64_t T = vec({1, 2, 3});
  int64_t G = own(rt_torch_torchtensor_cuda(T, 0));
  EXPECT_TRUE(rt_torch_torchtensor_is_cuda(G));
  EXPECT_EQ(rt_torch_torchtensor_device(G), 0);
  EXPECT_GT(rt_torch_cuda_memory_allocated(0), 0);
  int64_t Back = own(rt_torch_torchtensor_cpu(G));
  EXPECT_FALSE(rt_torch_torchtensor_is_cuda(Back));
  EXPECT_EQ(data(Back), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(rt_torch_torchtensor_cuda(T, 1000), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_cuda", "invalid CUDA device 1000"));
}

} // namespace
