//===- tests/torch/TorchAutogradTest.cpp - the autograd group
//--------------===//

#include "TorchTestSupport.h"

using namespace spl::torchtest;

namespace {

class TorchAutograd : public TorchTest {
protected:
  /// x with requires_grad set.
  int64_t leaf(const std::vector<double> &Data) {
    int64_t X = vec(Data);
    rt_torch_autograd_set_requires_grad(X, true);
    EXPECT_EQ(lastError(), "");
    return X;
  }

  /// sum(x * x) as a 0-dim tensor.
  int64_t sumOfSquares(int64_t X) {
    int64_t Sq = own(rt_torch_torchtensor_mul(X, X));
    return own(rt_torch_torchtensor_sum_dim(
        own(rt_torch_torchtensor_flatten(Sq)), 0, false));
  }
};

TEST_F(TorchAutograd, RequiresGradFlag) {
  int64_t X = vec({1, 2});
  EXPECT_FALSE(rt_torch_autograd_requires_grad(X));
  EXPECT_EQ(lastError(), "");
  rt_torch_autograd_set_requires_grad(X, true);
  EXPECT_TRUE(rt_torch_autograd_requires_grad(X));
  // Results of ops on it require grad too.
  EXPECT_TRUE(
      rt_torch_autograd_requires_grad(own(rt_torch_torchtensor_exp(X))));
  rt_torch_autograd_set_requires_grad(X, false);
  EXPECT_FALSE(rt_torch_autograd_requires_grad(X));
}

TEST_F(TorchAutograd, BackwardFillsGrad) {
  int64_t X = leaf({1, 2, 3});
  EXPECT_EQ(rt_torch_autograd_grad(X), 0);
  EXPECT_EQ(lastError(), "") << "no gradient yet is not an error";
  rt_torch_autograd_backward(sumOfSquares(X));
  EXPECT_EQ(lastError(), "");
  int64_t G = own(rt_torch_autograd_grad(X));
  EXPECT_EQ(data(G), (std::vector<double>{2, 4, 6}));
}

TEST_F(TorchAutograd, GradientsAccumulateUntilZeroed) {
  int64_t X = leaf({1, -1});
  rt_torch_autograd_backward(sumOfSquares(X));
  rt_torch_autograd_backward(sumOfSquares(X));
  EXPECT_EQ(data(own(rt_torch_autograd_grad(X))), (std::vector<double>{4, -4}));
  rt_torch_autograd_zero_grad(X);
  EXPECT_EQ(lastError(), "");
  EXPECT_EQ(data(own(rt_torch_autograd_grad(X))), (std::vector<double>{0, 0}));
  // Zeroing a tensor without a gradient is fine.
  rt_torch_autograd_zero_grad(vec({1}));
  EXPECT_EQ(lastError(), "");
}

TEST_F(TorchAutograd, GradThroughNNLayers) {
  // y = sum(linear(x, w)) for x = [1, 2]: dy/dw = x for each output row.
  int64_t X = tensor({1, 2}, {1, 2});
  int64_t W = tensor({0.5, 0.5, 1, -1}, {2, 2});
  rt_torch_autograd_set_requires_grad(W, true);
  int64_t Y = own(rt_torch_nn_linear(X, W, 0));
  int64_t S = own(rt_torch_torchtensor_sum_dim(
      own(rt_torch_torchtensor_flatten(Y)), 0, false));
  rt_torch_autograd_backward(S);
  EXPECT_EQ(data(own(rt_torch_autograd_grad(W))),
            (std::vector<double>{1, 2, 1, 2}));
}

TEST_F(TorchAutograd, BackwardErrors) {
  int64_t X = leaf({1, 2});
  int64_t Sq = own(rt_torch_torchtensor_mul(X, X));
  rt_torch_autograd_backward(Sq);
  EXPECT_TRUE(errorHas("rt_torch_autograd_backward",
                       "grad can be implicitly created only for scalar "
                       "outputs"));
  int64_t Plain = own(rt_torch_torchtensor_sum_dim(vec({1, 2}), 0, false));
  rt_torch_autograd_backward(Plain);
  EXPECT_TRUE(errorHas("rt_torch_autograd_backward", "does not require grad"));
  rt_torch_autograd_backward(BogusHandle);
  EXPECT_TRUE(
      errorIs("rt_torch_autograd_backward", "invalid tensor handle 987654321"));
}

TEST_F(TorchAutograd, RequiresGradErrors) {
  int64_t Idx = own(rt_torch_torchtensor_argmax(vec({1, 2}), 0, false));
  rt_torch_autograd_set_requires_grad(Idx, true);
  EXPECT_TRUE(errorHas("rt_torch_autograd_set_requires_grad",
                       "Only Tensors of floating point"));
  // A non-leaf cannot stop requiring grad.
  int64_t X = leaf({1});
  int64_t Y = own(rt_torch_torchtensor_exp(X));
  rt_torch_autograd_set_requires_grad(Y, false);
  EXPECT_TRUE(errorHas("rt_torch_autograd_set_requires_grad",
                       "only change requires_grad flags of leaf variables"));
  rt_torch_autograd_set_requires_grad(BogusHandle, true);
  EXPECT_TRUE(errorIs("rt_torch_autograd_set_requires_grad",
                      "invalid tensor handle 987654321"));
  EXPECT_FALSE(rt_torch_autograd_requires_grad(BogusHandle));
  EXPECT_TRUE(errorIs("rt_torch_autograd_requires_grad",
                      "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_autograd_grad(BogusHandle), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_autograd_grad", "invalid tensor handle 987654321"));
  rt_torch_autograd_zero_grad(BogusHandle);
  EXPECT_TRUE(errorIs("rt_torch_autograd_zero_grad",
                      "invalid tensor handle 987654321"));
}

TEST_F(TorchAutograd, DetachDropsTheGraph) {
  int64_t X = leaf({1, 2});
  int64_t Y = own(rt_torch_torchtensor_mul_scalar(X, 3));
  int64_t D = own(rt_torch_autograd_detach(Y));
  EXPECT_TRUE(rt_torch_autograd_requires_grad(Y));
  EXPECT_FALSE(rt_torch_autograd_requires_grad(D));
  EXPECT_EQ(data(D), (std::vector<double>{3, 6}));
  EXPECT_EQ(rt_torch_autograd_detach(BogusHandle), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_autograd_detach", "invalid tensor handle 987654321"));
}

TEST_F(TorchAutograd, NoGradNests) {
  int64_t X = leaf({1, 2});
  rt_torch_autograd_no_grad_begin();
  EXPECT_EQ(lastError(), "");
  EXPECT_FALSE(
      rt_torch_autograd_requires_grad(own(rt_torch_torchtensor_exp(X))));
  rt_torch_autograd_no_grad_begin();
  rt_torch_autograd_no_grad_end();
  // Still inside the outer block.
  EXPECT_FALSE(
      rt_torch_autograd_requires_grad(own(rt_torch_torchtensor_exp(X))));
  rt_torch_autograd_no_grad_end();
  EXPECT_EQ(lastError(), "");
  EXPECT_TRUE(
      rt_torch_autograd_requires_grad(own(rt_torch_torchtensor_exp(X))));
}

TEST_F(TorchAutograd, NoGradEndWithoutBegin) {
  rt_torch_autograd_no_grad_end();
  EXPECT_TRUE(errorIs("rt_torch_autograd_no_grad_end",
                      "no matching rt_torch_autograd_no_grad_begin"));
  // Gradient recording is unaffected.
  int64_t X = leaf({1});
  EXPECT_TRUE(
      rt_torch_autograd_requires_grad(own(rt_torch_torchtensor_exp(X))));
}

} // namespace
