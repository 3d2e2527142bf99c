//===- tests/torch/TorchTestSupport.h - Fixture for rt_torch_* tests
//-------===//
//
// Every torch test goes through the C ABI only. The fixture owns the handles
// a test creates, frees them, and then checks that the process holds exactly
// as many handles as before the test: a leak in the library (or an error path
// that registered a tensor) fails the test.
//
//===----------------------------------------------------------------------===//

#ifndef SPL_TESTS_TORCH_TORCHTESTSUPPORT_H
#define SPL_TESTS_TORCH_TORCHTESTSUPPORT_H

#include "torch/spl_torch.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace spl::torchtest {

class TorchTest : public ::testing::Test {
protected:
  void SetUp() override { StartHandles = rt_torch_live_handles(); }

  void TearDown() override {
    for (int64_t H : Owned) {
      rt_torch_torchtensor_free(H);
      EXPECT_EQ(rt_torch_last_error(), std::string()) << "freeing " << H;
    }
    EXPECT_EQ(rt_torch_live_handles(), StartHandles) << "tensor handles leaked";
  }

  /// Takes a handle the test expects to be valid; freed at TearDown.
  int64_t own(int64_t H) {
    EXPECT_NE(H, 0) << rt_torch_last_error();
    EXPECT_EQ(rt_torch_last_error(), std::string());
    if (H != 0)
      Owned.push_back(H);
    return H;
  }

  /// Frees an owned handle before TearDown.
  void release(int64_t H) {
    rt_torch_torchtensor_free(H);
    EXPECT_EQ(rt_torch_last_error(), std::string());
    std::erase(Owned, H);
  }

  /// A float64 tensor holding \p Data with shape \p Dims.
  int64_t tensor(const std::vector<double> &Data,
                 const std::vector<int64_t> &Dims) {
    return own(rt_torch_tensor_from_data(
        Data.data(), static_cast<int64_t>(Data.size()), Dims.data(),
        static_cast<int64_t>(Dims.size())));
  }

  /// A 1-D float64 tensor.
  int64_t vec(const std::vector<double> &Data) {
    return tensor(Data, {static_cast<int64_t>(Data.size())});
  }

  /// The elements of \p H in row-major order.
  static std::vector<double> data(int64_t H) {
    int64_t N = rt_torch_torchtensor_to_data(H, nullptr, 0);
    std::vector<double> Out(static_cast<size_t>(N));
    if (N > 0) {
      EXPECT_EQ(rt_torch_torchtensor_to_data(H, Out.data(), N), N);
    }
    return Out;
  }

  static std::vector<int64_t> shape(int64_t H) {
    int64_t N = rt_torch_torchtensor_shape(H, nullptr, 0);
    std::vector<int64_t> Out(static_cast<size_t>(N));
    if (N > 0) {
      EXPECT_EQ(rt_torch_torchtensor_shape(H, Out.data(), N), N);
    }
    return Out;
  }

  static std::string lastError() { return rt_torch_last_error(); }

  /// The last error is exactly "<Fn>: <Reason>".
  static ::testing::AssertionResult errorIs(const std::string &Fn,
                                            const std::string &Reason) {
    std::string Want = Fn + ": " + Reason;
    std::string Got = lastError();
    if (Got == Want)
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "last error is \"" << Got << "\", expected \"" << Want << "\"";
  }

  /// The last error starts with "<Fn>: " and contains \p Part (libtorch's own
  /// wording, of which only the telling phrase is pinned).
  static ::testing::AssertionResult errorHas(const std::string &Fn,
                                             const std::string &Part) {
    std::string Prefix = Fn + ": ";
    std::string Got = lastError();
    if (Got.rfind(Prefix, 0) == 0 &&
        Got.find(Part, Prefix.size()) != std::string::npos &&
        Got.find('\n') == std::string::npos)
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "last error is \"" << Got << "\", expected \"" << Prefix
           << "...\" containing \"" << Part << "\" on one line";
  }

  int64_t StartHandles = 0;
  std::vector<int64_t> Owned;
};

/// A handle no test ever gets: ids count up from 1.
constexpr int64_t BogusHandle = 987654321;

/// Element-wise comparison with an absolute tolerance.
inline void expectNear(const std::vector<double> &Got,
                       const std::vector<double> &Want, double Tol = 1e-12) {
  ASSERT_EQ(Got.size(), Want.size());
  for (size_t I = 0; I < Got.size(); ++I)
    EXPECT_NEAR(Got[I], Want[I], Tol) << "at index " << I;
}

} // namespace spl::torchtest

#endif // SPL_TESTS_TORCH_TORCHTESTSUPPORT_H
