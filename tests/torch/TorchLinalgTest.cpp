//===- tests/torch/TorchLinalgTest.cpp - linear algebra and reductions
//-----===//

#include "TorchTestSupport.h"

#include <cmath>

using namespace spl::torchtest;

namespace {

class TorchLinalg : public TorchTest {};

//===-- linear algebra ----------------------------------------------------===//

TEST_F(TorchLinalg, Matmul) {
  int64_t A = tensor({1, 2, 3, 4}, {2, 2});
  int64_t B = tensor({5, 6, 7, 8}, {2, 2});
  EXPECT_EQ(data(own(rt_torch_torchtensor_matmul(A, B))),
            (std::vector<double>{19, 22, 43, 50}));
  // Matrix @ vector.
  int64_t M = own(rt_torch_torchtensor_matmul(A, vec({1, -1})));
  EXPECT_EQ(shape(M), (std::vector<int64_t>{2}));
  EXPECT_EQ(data(M), (std::vector<double>{-1, -1}));
}

TEST_F(TorchLinalg, MatmulShapeMismatch) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(rt_torch_torchtensor_matmul(A, A), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_matmul",
                       "mat1 and mat2 shapes cannot be multiplied (2x3 and "
                       "2x3)"));
}

TEST_F(TorchLinalg, Dot) {
  int64_t D = own(rt_torch_torchtensor_dot(vec({1, 2, 3}), vec({4, 5, 6})));
  EXPECT_EQ(rt_torch_torchtensor_ndim(D), 0);
  EXPECT_EQ(rt_torch_torchtensor_item(D), 32);
  EXPECT_EQ(rt_torch_torchtensor_dot(vec({1, 2}), vec({1, 2, 3})), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_dot", "inconsistent tensor size"));
  int64_t M = tensor({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(rt_torch_torchtensor_dot(M, M), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_dot", "1D tensors expected"));
}

TEST_F(TorchLinalg, TransposeAndT) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
  int64_t T1 = own(rt_torch_torchtensor_transpose(A, 0, 1));
  int64_t T2 = own(rt_torch_torchtensor_t(A));
  EXPECT_EQ(shape(T1), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(data(T1), (std::vector<double>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(data(T2), data(T1));
  EXPECT_EQ(rt_torch_torchtensor_transpose(A, 0, 2), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_transpose", "Dimension out of range"));
  int64_t Cube =
      own(rt_torch_tensor_zeros(std::vector<int64_t>{2, 2, 2}.data(), 3));
  EXPECT_EQ(rt_torch_torchtensor_t(Cube), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_t", "expects a tensor with <= 2"));
}

TEST_F(TorchLinalg, Norm) {
  EXPECT_EQ(rt_torch_torchtensor_norm(vec({3, 4})), 5);
  EXPECT_NEAR(rt_torch_torchtensor_norm(tensor({1, 2, 3, 4}, {2, 2})),
              std::sqrt(30.0), 1e-12);
  EXPECT_TRUE(std::isnan(rt_torch_torchtensor_norm(BogusHandle)));
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_norm", "invalid tensor handle 987654321"));
}

TEST_F(TorchLinalg, Determinant) {
  EXPECT_NEAR(rt_torch_torchtensor_det(tensor({1, 2, 3, 4}, {2, 2})), -2,
              1e-12);
  EXPECT_NEAR(
      rt_torch_torchtensor_det(tensor({2, 0, 0, 0, 3, 0, 0, 0, 4}, {3, 3})), 24,
      1e-12);
  // Singular: zero, not an error.
  EXPECT_NEAR(rt_torch_torchtensor_det(tensor({1, 2, 2, 4}, {2, 2})), 0, 1e-12);
  EXPECT_EQ(lastError(), "");
  EXPECT_TRUE(std::isnan(rt_torch_torchtensor_det(vec({1, 2, 3}))));
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_det", "at least 2 dimensions"));
}

TEST_F(TorchLinalg, Inverse) {
  int64_t A = tensor({4, 7, 2, 6}, {2, 2});
  expectNear(data(own(rt_torch_torchtensor_inverse(A))),
             {0.6, -0.7, -0.2, 0.4});
}

TEST_F(TorchLinalg, InverseOfSingularMatrixIsAnError) {
  // libtorch 1.13's linalg.inv raises instead of returning infinities.
  EXPECT_EQ(rt_torch_torchtensor_inverse(tensor({1, 2, 2, 4}, {2, 2})), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_inverse", "singular"));
  EXPECT_EQ(rt_torch_torchtensor_inverse(tensor({1, 2, 3, 4, 5, 6}, {2, 3})),
            0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_inverse", "square"));
}

TEST_F(TorchLinalg, Solve) {
  int64_t A = tensor({3, 1, 1, 2}, {2, 2});
  expectNear(data(own(rt_torch_torchtensor_linalg_solve(A, vec({9, 8})))),
             {2, 3});
  // Several right-hand sides as columns.
  int64_t B = tensor({9, 3, 8, 1}, {2, 2});
  expectNear(data(own(rt_torch_torchtensor_linalg_solve(A, B))), {2, 1, 3, 0});
}

TEST_F(TorchLinalg, SolveErrors) {
  int64_t Singular = tensor({1, 2, 2, 4}, {2, 2});
  EXPECT_EQ(rt_torch_torchtensor_linalg_solve(Singular, vec({1, 1})), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_linalg_solve", "singular"));
  int64_t A = tensor({3, 1, 1, 2}, {2, 2});
  EXPECT_EQ(rt_torch_torchtensor_linalg_solve(A, vec({1, 2, 3})), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_linalg_solve",
                       "Incompatible shapes of A and B"));
  EXPECT_EQ(rt_torch_torchtensor_linalg_solve(A, BogusHandle), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_linalg_solve",
                      "invalid tensor handle 987654321"));
}

//===-- reductions --------------------------------------------------------===//

TEST_F(TorchLinalg, FullReductions) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(rt_torch_torchtensor_sum(A), 21);
  EXPECT_EQ(rt_torch_torchtensor_mean(A), 3.5);
  EXPECT_EQ(rt_torch_torchtensor_max(A), 6);
  EXPECT_EQ(rt_torch_torchtensor_min(A), 1);
  // Unbiased: squared deviations 17.5 over n - 1 = 5.
  EXPECT_NEAR(rt_torch_torchtensor_var(A), 3.5, 1e-12);
  EXPECT_NEAR(rt_torch_torchtensor_std(A), std::sqrt(3.5), 1e-12);
  EXPECT_EQ(lastError(), "");
}

TEST_F(TorchLinalg, FullReductionErrors) {
  using Reduce = double (*)(int64_t);
  for (auto [Fn, Name] : std::vector<std::pair<Reduce, const char *>>{
           {rt_torch_torchtensor_sum, "rt_torch_torchtensor_sum"},
           {rt_torch_torchtensor_mean, "rt_torch_torchtensor_mean"},
           {rt_torch_torchtensor_max, "rt_torch_torchtensor_max"},
           {rt_torch_torchtensor_min, "rt_torch_torchtensor_min"},
           {rt_torch_torchtensor_std, "rt_torch_torchtensor_std"},
           {rt_torch_torchtensor_var, "rt_torch_torchtensor_var"}}) {
    EXPECT_TRUE(std::isnan(Fn(BogusHandle))) << Name;
    EXPECT_TRUE(errorIs(Name, "invalid tensor handle 987654321"));
  }
  int64_t Dims[] = {0};
  int64_t Empty = own(rt_torch_tensor_zeros(Dims, 1));
  EXPECT_EQ(rt_torch_torchtensor_sum(Empty), 0);
  EXPECT_TRUE(std::isnan(rt_torch_torchtensor_max(Empty)));
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_max", "numel() == 0"));
}

TEST_F(TorchLinalg, ReductionsAlongADimension) {
  int64_t A = tensor({1, 5, 3, 4, 2, 6}, {2, 3});
  int64_t S0 = own(rt_torch_torchtensor_sum_dim(A, 0, false));
  EXPECT_EQ(shape(S0), (std::vector<int64_t>{3}));
  EXPECT_EQ(data(S0), (std::vector<double>{5, 7, 9}));
  int64_t S0K = own(rt_torch_torchtensor_sum_dim(A, 0, true));
  EXPECT_EQ(shape(S0K), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_sum_dim(A, -1, false))),
            (std::vector<double>{9, 12}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_mean_dim(A, 1, false))),
            (std::vector<double>{3, 4}));
  EXPECT_EQ(data(own(rt_torch_torchtensor_max_dim(A, 1, false))),
            (std::vector<double>{5, 6}));
  int64_t Min0 = own(rt_torch_torchtensor_min_dim(A, 0, true));
  EXPECT_EQ(shape(Min0), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(data(Min0), (std::vector<double>{1, 2, 3}));
}

TEST_F(TorchLinalg, ArgmaxArgmin) {
  int64_t A = tensor({1, 5, 3, 4, 2, 6}, {2, 3});
  EXPECT_EQ(data(own(rt_torch_torchtensor_argmax(A, 1, false))),
            (std::vector<double>{1, 2}));
  int64_t Am = own(rt_torch_torchtensor_argmin(A, 0, true));
  EXPECT_EQ(shape(Am), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(data(Am), (std::vector<double>{0, 1, 0}));
  // A negative dim means the flat index over all elements (upstream).
  int64_t Flat = own(rt_torch_torchtensor_argmax(A, -1, true));
  EXPECT_EQ(rt_torch_torchtensor_ndim(Flat), 0);
  EXPECT_EQ(rt_torch_torchtensor_item(Flat), 5);
  EXPECT_EQ(
      rt_torch_torchtensor_item(own(rt_torch_torchtensor_argmin(A, -2, false))),
      0);
}

TEST_F(TorchLinalg, DimOutOfRangeInReductions) {
  int64_t A = tensor({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(rt_torch_torchtensor_sum_dim(A, 2, false), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_sum_dim",
                       "Dimension out of range (expected to be in range of "
                       "[-2, 1], but got 2)"));
  EXPECT_EQ(rt_torch_torchtensor_mean_dim(A, -3, false), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_mean_dim", "Dimension out of range"));
  EXPECT_EQ(rt_torch_torchtensor_max_dim(A, 7, false), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_max_dim", "Dimension out of range"));
  EXPECT_EQ(rt_torch_torchtensor_min_dim(A, 2, true), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_min_dim", "Dimension out of range"));
  EXPECT_EQ(rt_torch_torchtensor_argmax(A, 2, false), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_argmax", "Dimension out of range"));
  EXPECT_EQ(rt_torch_torchtensor_argmin(BogusHandle, 0, false), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_argmin",
                      "invalid tensor handle 987654321"));
}

} // namespace
