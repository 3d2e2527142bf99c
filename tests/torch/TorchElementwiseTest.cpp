//===- tests/torch/TorchElementwiseTest.cpp - elementwise and activations
//--===//

#include "TorchTestSupport.h"

#include <cmath>
#include <limits>

using namespace spl::torchtest;

namespace {

class TorchElementwise : public TorchTest {};

/// \p F applied to each element of \p In (the reference the library is
/// compared with).
template <typename FnT>
std::vector<double> mapped(const std::vector<double> &In, FnT F) {
  std::vector<double> Out;
  for (double X : In)
    Out.push_back(F(X));
  return Out;
}

//===-- elementwise -------------------------------------------------------===//

TEST_F(TorchElementwise, BinaryArithmetic) {
  int64_t A = vec({1, 2, 3});
  int64_t B = vec({4, 5, 8});
  EXPECT_EQ(data(own(rt_torch_torchtensor_add(A, B))),
            (std::vector<double>{5, 7, 11}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_sub(A, B))),
            (std::vector<double>{-3, -3, -5}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_mul(A, B))),
            (std::vector<double>{4, 10, 24}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_div(A, B))),
            (std::vector<double>{0.25, 0.4, 0.375}));
}

TEST_F(TorchElementwise, Broadcasting) {
  int64_t Col = tensor({1, 2}, {2, 1});
  int64_t Row = vec({10, 20, 30});
  int64_t Sum = own(rt_torch_torchtensor_add(Col, Row));
  EXPECT_EQ(shape(Sum), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(data(Sum), (std::vector<double>{11, 21, 31, 12, 22, 32}));
}

TEST_F(TorchElementwise, ShapeMismatchIsAnError) {
  int64_t A = vec({1, 2, 3});
  int64_t B = vec({1, 2});
  EXPECT_EQ(rt_torch_torchtensor_add(A, B), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_add",
                       "The size of tensor a (3) must match the size of "
                       "tensor b (2) at non-singleton dimension 0"));
  EXPECT_EQ(rt_torch_torchtensor_sub(A, B), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_sub", "must match the size"));
  EXPECT_EQ(rt_torch_torchtensor_mul(A, B), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_mul", "must match the size"));
  EXPECT_EQ(rt_torch_torchtensor_div(A, B), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_div", "must match the size"));
}

TEST_F(TorchElementwise, InvalidHandleInEitherOperand) {
  int64_t A = vec({1});
  EXPECT_EQ(rt_torch_torchtensor_mul(A, BogusHandle), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_mul", "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_div(BogusHandle, A), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_div", "invalid tensor handle 987654321"));
}

TEST_F(TorchElementwise, DivisionByZeroFollowsIEEE) {
  int64_t A = vec({1, -1});
  int64_t Z = vec({0, 0});
  std::vector<double> Q = data(own(rt_torch_torchtensor_div(A, Z)));
  EXPECT_EQ(Q[0], std::numeric_limits<double>::infinity());
  EXPECT_EQ(Q[1], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(lastError(), "");
}

TEST_F(TorchElementwise, ScalarOperands) {
  int64_t A = vec({1, 2, 4});
  EXPECT_EQ(data(own(rt_torch_torchtensor_pow(A, 2))),
            (std::vector<double>{1, 4, 16}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_pow(A, 0.5))),
            (std::vector<double>{1, std::sqrt(2.0), 2}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_add_scalar(A, 0.5))),
            (std::vector<double>{1.5, 2.5, 4.5}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_sub_scalar(A, 1))),
            (std::vector<double>{0, 1, 3}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_mul_scalar(A, -3))),
            (std::vector<double>{-3, -6, -12}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_div_scalar(A, 8))),
            (std::vector<double>{0.125, 0.25, 0.5}));
}

TEST_F(TorchElementwise, ScalarOperandsOnInvalidHandles) {
  EXPECT_EQ(rt_torch_torchtensor_pow(BogusHandle, 2), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_pow", "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_add_scalar(BogusHandle, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_add_scalar",
                      "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_sub_scalar(BogusHandle, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_sub_scalar",
                      "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_mul_scalar(BogusHandle, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_mul_scalar",
                      "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_div_scalar(BogusHandle, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_div_scalar",
                      "invalid tensor handle 987654321"));
}

TEST_F(TorchElementwise, UnaryMath) {
  std::vector<double> In = {0.5, 1, 2.25, 9};
  int64_t A = vec(In);
  EXPECT_EQ(data(own(rt_torch_torchtensor_neg(A))),
            (std::vector<double>{-0.5, -1, -2.25, -9}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_abs(vec({-2, 0, 3})))),
            (std::vector<double>{2, 0, 3}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_sqrt(A))),
            (std::vector<double>{std::sqrt(0.5), 1, 1.5, 3}));
  expectNear(data(own(rt_torch_torchtensor_exp(A))),
             mapped(In, [](double X) { return std::exp(X); }), 1e-9);
  expectNear(data(own(rt_torch_torchtensor_log(A))),
             mapped(In, [](double X) { return std::log(X); }));
}

TEST_F(TorchElementwise, DomainErrorsGiveNaNNotErrors) {
  std::vector<double> S = data(own(rt_torch_torchtensor_sqrt(vec({-1}))));
  EXPECT_TRUE(std::isnan(S[0]));
  std::vector<double> L = data(own(rt_torch_torchtensor_log(vec({0}))));
  EXPECT_EQ(L[0], -std::numeric_limits<double>::infinity());
}

TEST_F(TorchElementwise, UnaryOnInvalidHandles) {
  for (auto [Fn, Name] :
       std::vector<std::pair<int64_t (*)(int64_t), const char *>>{
           {rt_torch_torchtensor_neg, "rt_torch_torchtensor_neg"},
           {rt_torch_torchtensor_abs, "rt_torch_torchtensor_abs"},
           {rt_torch_torchtensor_sqrt, "rt_torch_torchtensor_sqrt"},
           {rt_torch_torchtensor_exp, "rt_torch_torchtensor_exp"},
           {rt_torch_torchtensor_log, "rt_torch_torchtensor_log"},
           {rt_torch_torchtensor_relu, "rt_torch_torchtensor_relu"},
           {rt_torch_torchtensor_sigmoid, "rt_torch_torchtensor_sigmoid"},
           {rt_torch_torchtensor_tanh, "rt_torch_torchtensor_tanh"},
           {rt_torch_torchtensor_gelu, "rt_torch_torchtensor_gelu"}}) {
    EXPECT_EQ(Fn(BogusHandle), 0) << Name;
    EXPECT_TRUE(errorIs(Name, "invalid tensor handle 987654321"));
  }
}

//===-- activations -------------------------------------------------------===//

TEST_F(TorchElementwise, PointwiseActivations) {
  std::vector<double> In = {-2, -0.5, 0, 0.5, 3};
  int64_t A = vec(In);
  EXPECT_EQ(data(own(rt_torch_torchtensor_relu(A))),
            (std::vector<double>{0, 0, 0, 0.5, 3}));
  expectNear(data(own(rt_torch_torchtensor_sigmoid(A))),
             mapped(In, [](double X) { return 1 / (1 + std::exp(-X)); }));
  expectNear(data(own(rt_torch_torchtensor_tanh(A))),
             mapped(In, [](double X) { return std::tanh(X); }));
  expectNear(data(own(rt_torch_torchtensor_gelu(A))), mapped(In, [](double X) {
               return 0.5 * X * (1 + std::erf(X / std::sqrt(2.0)));
             }));
  EXPECT_EQ(data(own(rt_torch_torchtensor_leaky_relu(A, 0.25))),
            (std::vector<double>{-0.5, -0.125, 0, 0.5, 3}));
}

TEST_F(TorchElementwise, SoftmaxAlongADimension) {
  int64_t A = tensor({1, 2, 3, 0, 0, 0}, {2, 3});
  double Z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  std::vector<double> Want = {std::exp(1.0) / Z, std::exp(2.0) / Z,
                              std::exp(3.0) / Z, 1.0 / 3,
                              1.0 / 3,           1.0 / 3};
  expectNear(data(own(rt_torch_torchtensor_softmax(A, 1))), Want);
  // -1 is the last dimension, as in torch.
  expectNear(data(own(rt_torch_torchtensor_softmax(A, -1))), Want);
  expectNear(data(own(rt_torch_torchtensor_log_softmax(A, 1))),
             mapped(Want, [](double X) { return std::log(X); }));
  // Along dim 0 each column of two values is normalised.
  std::vector<double> Col = data(own(rt_torch_torchtensor_softmax(A, 0)));
  EXPECT_NEAR(Col[0], std::exp(1.0) / (std::exp(1.0) + 1), 1e-12);
  EXPECT_NEAR(Col[3], 1 / (std::exp(1.0) + 1), 1e-12);
}

TEST_F(TorchElementwise, SoftmaxDimOutOfRange) {
  int64_t A = tensor({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(rt_torch_torchtensor_softmax(A, 5), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_softmax",
                       "Dimension out of range (expected to be in range of "
                       "[-2, 1], but got 5)"));
  EXPECT_EQ(rt_torch_torchtensor_log_softmax(A, -3), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_log_softmax", "Dimension out of range"));
  EXPECT_EQ(rt_torch_torchtensor_leaky_relu(BogusHandle, 0.1), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_leaky_relu",
                      "invalid tensor handle 987654321"));
}

} // namespace
