//===- tests/torch/TorchNNTest.cpp - nn layers and losses
//------------------===//

#include "TorchTestSupport.h"

#include <cmath>

using namespace spl::torchtest;

namespace {

class TorchNN : public TorchTest {
protected:
  /// 1x1xHxW image holding 1, 2, 3, ... row by row.
  int64_t image(int64_t H, int64_t W) {
    std::vector<double> Pixels;
    for (int64_t I = 1; I <= H * W; ++I)
      Pixels.push_back(static_cast<double>(I));
    return tensor(Pixels, {1, 1, H, W});
  }
};

const int64_t One[] = {1};
const int64_t Two[] = {2};
const int64_t Zero[] = {0};

//===-- linear ------------------------------------------------------------===//

TEST_F(TorchNN, Linear) {
  int64_t In = tensor({1, 2}, {1, 2});
  int64_t W = tensor({1, 0, 0, 1, 1, 1}, {3, 2});
  int64_t B = vec({0.5, -0.5, 10});
  int64_t Y = own(rt_torch_nn_linear(In, W, B));
  EXPECT_EQ(shape(Y), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(data(Y), (std::vector<double>{1.5, 1.5, 13}));
  // Bias 0 = none.
  EXPECT_EQ(data(own(rt_torch_nn_linear(In, W, 0))),
            (std::vector<double>{1, 2, 3}));
}

TEST_F(TorchNN, LinearErrors) {
  int64_t In = tensor({1, 2, 3}, {1, 3});
  int64_t W = tensor({1, 0, 0, 1}, {2, 2});
  EXPECT_EQ(rt_torch_nn_linear(In, W, 0), 0);
  EXPECT_TRUE(errorHas("rt_torch_nn_linear", "cannot be multiplied"));
  EXPECT_EQ(rt_torch_nn_linear(In, W, BogusHandle), 0);
  EXPECT_TRUE(errorIs("rt_torch_nn_linear", "invalid tensor handle 987654321"));
}

//===-- conv2d ------------------------------------------------------------===//

TEST_F(TorchNN, Conv2d) {
  int64_t Img = image(3, 3);
  int64_t Ones = tensor({1, 1, 1, 1}, {1, 1, 2, 2});
  // Each output is the sum of a 2x2 window.
  int64_t Y = own(rt_torch_nn_conv2d(Img, Ones, 0, One, 1, Zero, 1, One, 1, 1));
  EXPECT_EQ(shape(Y), (std::vector<int64_t>{1, 1, 2, 2}));
  EXPECT_EQ(data(Y), (std::vector<double>{12, 16, 24, 28}));
  int64_t Bias = vec({-2});
  EXPECT_EQ(data(own(rt_torch_nn_conv2d(Img, Ones, Bias, One, 1, Zero, 1, One,
                                        1, 1))),
            (std::vector<double>{10, 14, 22, 26}));
  // Stride 2, zero padding 1: windows over the padded 5x5 image.
  int64_t Strided[] = {2, 2};
  int64_t Padded[] = {1, 1};
  EXPECT_EQ(data(own(rt_torch_nn_conv2d(Img, Ones, 0, Strided, 2, Padded, 2,
                                        One, 1, 1))),
            (std::vector<double>{1, 5, 11, 28}));
  // Dilation 2: the corners of the 3x3 image.
  EXPECT_EQ(
      data(own(rt_torch_nn_conv2d(Img, Ones, 0, One, 1, Zero, 1, Two, 1, 1))),
      (std::vector<double>{1 + 3 + 7 + 9}));
}

TEST_F(TorchNN, Conv2dErrors) {
  int64_t Img = image(3, 3);
  int64_t TwoChannels = tensor(std::vector<double>(8, 1.0), {1, 2, 2, 2});
  EXPECT_EQ(rt_torch_nn_conv2d(Img, TwoChannels, 0, One, 1, Zero, 1, One, 1, 1),
            0);
  EXPECT_TRUE(errorHas("rt_torch_nn_conv2d", "expected input"));
  int64_t Ones = tensor({1, 1, 1, 1}, {1, 1, 2, 2});
  EXPECT_EQ(rt_torch_nn_conv2d(Img, Ones, 0, nullptr, 1, Zero, 1, One, 1, 1),
            0);
  EXPECT_TRUE(errorIs("rt_torch_nn_conv2d", "null stride pointer"));
  EXPECT_EQ(rt_torch_nn_conv2d(Img, Ones, 0, One, 1, Zero, -1, One, 1, 1), 0);
  EXPECT_TRUE(errorIs("rt_torch_nn_conv2d", "negative padding length -1"));
}

//===-- pooling -----------------------------------------------------------===//

TEST_F(TorchNN, Pooling) {
  int64_t Img = image(4, 4);
  int64_t Y = own(rt_torch_nn_max_pool2d(Img, Two, 1, Two, 1, Zero, 1));
  EXPECT_EQ(shape(Y), (std::vector<int64_t>{1, 1, 2, 2}));
  EXPECT_EQ(data(Y), (std::vector<double>{6, 8, 14, 16}));
  // No stride: the kernel size.
  EXPECT_EQ(data(own(rt_torch_nn_max_pool2d(Img, Two, 1, nullptr, 0, Zero, 1))),
            (std::vector<double>{6, 8, 14, 16}));
  EXPECT_EQ(data(own(rt_torch_nn_avg_pool2d(Img, Two, 1, Two, 1, Zero, 1))),
            (std::vector<double>{3.5, 5.5, 11.5, 13.5}));
  int64_t Three[] = {3};
  int64_t Y3 = own(rt_torch_nn_avg_pool2d(Img, Three, 1, One, 1, Zero, 1));
  EXPECT_EQ(data(Y3), (std::vector<double>{6, 7, 10, 11}));
}

TEST_F(TorchNN, PoolingErrors) {
  int64_t Img = image(2, 2);
  int64_t Big[] = {5};
  EXPECT_EQ(rt_torch_nn_max_pool2d(Img, Big, 1, nullptr, 0, Zero, 1), 0);
  EXPECT_TRUE(errorHas("rt_torch_nn_max_pool2d", "Output size is too small"));
  EXPECT_EQ(rt_torch_nn_avg_pool2d(Img, Big, 1, nullptr, 0, Zero, 1), 0);
  EXPECT_TRUE(errorHas("rt_torch_nn_avg_pool2d", "Output size is too small"));
  EXPECT_EQ(rt_torch_nn_max_pool2d(BogusHandle, Two, 1, Two, 1, Zero, 1), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_nn_max_pool2d", "invalid tensor handle 987654321"));
}

//===-- dropout -----------------------------------------------------------===//

TEST_F(TorchNN, DropoutInEvalModeIsIdentity) {
  int64_t X = vec({1, 2, 3});
  EXPECT_EQ(data(own(rt_torch_nn_dropout(X, 0.5, false))),
            (std::vector<double>{1, 2, 3}));
}

TEST_F(TorchNN, DropoutInTrainingZeroesAndRescales) {
  rt_torch_manual_seed(3);
  int64_t Dims[] = {2000};
  int64_t X = own(rt_torch_tensor_ones(Dims, 1));
  std::vector<double> Y = data(own(rt_torch_nn_dropout(X, 0.25, true)));
  int Zeros = 0;
  for (double V : Y) {
    if (V == 0)
      ++Zeros;
    else
      EXPECT_DOUBLE_EQ(V, 1 / 0.75);
  }
  EXPECT_GT(Zeros, 400);
  EXPECT_LT(Zeros, 600);
}

TEST_F(TorchNN, DropoutProbabilityOutOfRange) {
  EXPECT_EQ(rt_torch_nn_dropout(vec({1}), 1.5, true), 0);
  EXPECT_TRUE(errorHas("rt_torch_nn_dropout",
                       "dropout probability has to be between 0 and 1"));
}

//===-- embedding ---------------------------------------------------------===//

TEST_F(TorchNN, Embedding) {
  int64_t W = tensor({0, 1, 10, 11, 20, 21}, {3, 2});
  int64_t E = own(rt_torch_nn_embedding(vec({2, 0, 2}), W));
  EXPECT_EQ(shape(E), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(data(E), (std::vector<double>{20, 21, 0, 1, 20, 21}));
  EXPECT_EQ(rt_torch_nn_embedding(vec({3}), W), 0);
  EXPECT_TRUE(errorHas("rt_torch_nn_embedding", "index out of range"));
  EXPECT_EQ(rt_torch_nn_embedding(vec({1.5}), W), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_nn_embedding", "index tensor must hold whole numbers"));
}

//===-- normalisation -----------------------------------------------------===//

TEST_F(TorchNN, LayerNorm) {
  int64_t X = tensor({1, 2, 3, 4}, {1, 4});
  int64_t Shape[] = {4};
  // Mean 2.5, biased variance 1.25.
  double Scale = 1 / std::sqrt(1.25 + 1e-5);
  std::vector<double> Norm = {-1.5 * Scale, -0.5 * Scale, 0.5 * Scale,
                              1.5 * Scale};
  expectNear(data(own(rt_torch_nn_layer_norm(X, Shape, 1, 0, 0, 1e-5))), Norm);
  int64_t W = vec({2, 2, 2, 2});
  int64_t B = vec({1, 1, 1, 1});
  std::vector<double> Affine;
  for (double V : Norm)
    Affine.push_back(2 * V + 1);
  expectNear(data(own(rt_torch_nn_layer_norm(X, Shape, 1, W, B, 1e-5))),
             Affine);
  int64_t Wrong[] = {3};
  EXPECT_EQ(rt_torch_nn_layer_norm(X, Wrong, 1, 0, 0, 1e-5), 0);
  EXPECT_TRUE(errorHas("rt_torch_nn_layer_norm", "normalized_shape"));
}

TEST_F(TorchNN, BatchNormEval) {
  int64_t X = tensor({1, 2, 3, 4}, {2, 2});
  int64_t Mean = vec({1, 2});
  int64_t Var = vec({4, 16});
  int64_t Y = own(rt_torch_nn_batch_norm(X, Mean, Var, 0, 0, false, 0.1, 0));
  EXPECT_EQ(data(Y), (std::vector<double>{0, 0, 1, 0.5}));
  int64_t W = vec({2, 3});
  int64_t B = vec({1, -1});
  EXPECT_EQ(
      data(own(rt_torch_nn_batch_norm(X, Mean, Var, W, B, false, 0.1, 0))),
      (std::vector<double>{1, -1, 3, 0.5}));
}

TEST_F(TorchNN, BatchNormTrainingUpdatesRunningStats) {
  int64_t X = tensor({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2});
  int64_t Mean = vec({0, 0});
  int64_t Var = vec({1, 1});
  double Eps = 1e-5;
  std::vector<double> Y =
      data(own(rt_torch_nn_batch_norm(X, Mean, Var, 0, 0, true, 0.1, Eps)));
  // Column 0 is 1,3,5,7: batch mean 4, biased variance 5.
  double S = 1 / std::sqrt(5 + Eps);
  expectNear(Y, {-3 * S, -3 * S, -1 * S, -1 * S, 1 * S, 1 * S, 3 * S, 3 * S});
  // Running stats move 10% towards the batch's (unbiased variance 20/3).
  expectNear(data(Mean), {0.4, 0.5});
  expectNear(data(Var), {0.9 + 0.1 * 20 / 3, 0.9 + 0.1 * 20 / 3});
}

TEST_F(TorchNN, BatchNormErrors) {
  int64_t X = tensor({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(rt_torch_nn_batch_norm(X, 0, 0, 0, 0, false, 0.1, 1e-5), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_nn_batch_norm", "running_mean must be defined"));
  int64_t Mean = vec({0, 0, 0});
  int64_t Var = vec({1, 1, 1});
  EXPECT_EQ(rt_torch_nn_batch_norm(X, Mean, Var, 0, 0, false, 0.1, 1e-5), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_nn_batch_norm", "running_mean should contain 2"));
}

//===-- losses ------------------------------------------------------------===//

TEST_F(TorchNN, MseLoss) {
  EXPECT_NEAR(rt_torch_nn_mse_loss(vec({1, 2, 3}), vec({1, 2, 5})), 4.0 / 3,
              1e-12);
  EXPECT_EQ(lastError(), "");
  // A target that does not broadcast against the input is an error.
  EXPECT_TRUE(std::isnan(rt_torch_nn_mse_loss(vec({1, 2, 3}), vec({1, 2}))));
  EXPECT_TRUE(errorHas("rt_torch_nn_mse_loss", "must match the size"));
  EXPECT_TRUE(std::isnan(rt_torch_nn_mse_loss(BogusHandle, vec({1}))));
  EXPECT_TRUE(
      errorIs("rt_torch_nn_mse_loss", "invalid tensor handle 987654321"));
}

TEST_F(TorchNN, CrossEntropy) {
  int64_t Logits = tensor({1, 2, 3, 1, 1, 1}, {2, 3});
  double LogZ = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
  double Want = ((LogZ - 3) + std::log(3.0)) / 2;
  EXPECT_NEAR(rt_torch_nn_cross_entropy(Logits, vec({2, 0})), Want, 1e-12);
  // Class probabilities shaped like the input.
  int64_t Probs = tensor({0, 0, 1, 1, 0, 0}, {2, 3});
  EXPECT_NEAR(rt_torch_nn_cross_entropy(Logits, Probs), Want, 1e-12);
  EXPECT_TRUE(std::isnan(rt_torch_nn_cross_entropy(Logits, vec({2, 5}))));
  EXPECT_TRUE(
      errorHas("rt_torch_nn_cross_entropy", "Target 5 is out of bounds"));
}

TEST_F(TorchNN, BinaryCrossEntropy) {
  double L = rt_torch_nn_binary_cross_entropy(vec({0.5, 0.8}), vec({1, 0}));
  EXPECT_NEAR(L, (-std::log(0.5) - std::log(0.2)) / 2, 1e-12);
  EXPECT_TRUE(std::isnan(
      rt_torch_nn_binary_cross_entropy(vec({1.5, 0.5}), vec({1, 0}))));
  EXPECT_TRUE(errorHas("rt_torch_nn_binary_cross_entropy",
                       "all elements of input should be between 0 and 1"));
}

TEST_F(TorchNN, NllLoss) {
  int64_t LogProbs = tensor({-1, -2, -3, -4}, {2, 2});
  EXPECT_EQ(rt_torch_nn_nll_loss(LogProbs, vec({0, 1})), 2.5);
  EXPECT_TRUE(std::isnan(rt_torch_nn_nll_loss(LogProbs, vec({0, 1, 1}))));
  EXPECT_TRUE(errorHas("rt_torch_nn_nll_loss",
                       "size mismatch (got input: [2, 2], target: [3])"));
}

} // namespace
