//===- tests/torch/TorchCreateTest.cpp - the create group
//------------------===//

#include "TorchTestSupport.h"

#include <cmath>

using namespace spl::torchtest;

namespace {

class TorchCreate : public TorchTest {};

TEST_F(TorchCreate, ZerosOnesFull) {
  int64_t Dims[] = {2, 3};
  int64_t Z = own(rt_torch_tensor_zeros(Dims, 2));
  int64_t O = own(rt_torch_tensor_ones(Dims, 2));
  int64_t F = own(rt_torch_tensor_full(Dims, 2, 2.5));
  for (int64_t H : {Z, O, F}) {
    EXPECT_EQ(shape(H), (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(rt_torch_torchtensor_ndim(H), 2);
    EXPECT_EQ(rt_torch_torchtensor_numel(H), 6);
  }
  EXPECT_EQ(data(Z), std::vector<double>(6, 0.0));
  EXPECT_EQ(data(O), std::vector<double>(6, 1.0));
  EXPECT_EQ(data(F), std::vector<double>(6, 2.5));
}

TEST_F(TorchCreate, TensorsAreFloat64) {
  // 0.1 survives exactly only in double precision.
  int64_t Dims[] = {1};
  EXPECT_EQ(rt_torch_torchtensor_item(own(rt_torch_tensor_full(Dims, 1, 0.1))),
            0.1);
  EXPECT_EQ(data(vec({0.1, 1e300})), (std::vector<double>{0.1, 1e300}));
}

TEST_F(TorchCreate, ZeroDimensionalAndEmpty) {
  int64_t S = own(rt_torch_tensor_ones(nullptr, 0));
  EXPECT_EQ(rt_torch_torchtensor_ndim(S), 0);
  EXPECT_EQ(rt_torch_torchtensor_numel(S), 1);
  int64_t Dims[] = {0, 4};
  int64_t E = own(rt_torch_tensor_zeros(Dims, 2));
  EXPECT_EQ(rt_torch_torchtensor_numel(E), 0);
  EXPECT_EQ(shape(E), (std::vector<int64_t>{0, 4}));
}

TEST_F(TorchCreate, EmptyHasTheShape) {
  int64_t Dims[] = {4, 1, 2};
  int64_t E = own(rt_torch_tensor_empty(Dims, 3));
  EXPECT_EQ(shape(E), (std::vector<int64_t>{4, 1, 2}));
}

TEST_F(TorchCreate, FromDataKeepsRowMajorOrder) {
  int64_t T = tensor({1, 2, 3, 4, 5, 6}, {3, 2});
  EXPECT_EQ(shape(T), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(data(T), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  // Row 1, column 0 is the third element.
  int64_t Row = own(rt_torch_torchtensor_slice(T, 0, 1, 2, 1));
  EXPECT_EQ(data(Row), (std::vector<double>{3, 4}));
}

TEST_F(TorchCreate, FromDataCopiesTheCallersBuffer) {
  std::vector<double> Buf = {1, 2};
  int64_t Dims[] = {2};
  int64_t T = own(rt_torch_tensor_from_data(Buf.data(), 2, Dims, 1));
  Buf[0] = 100;
  EXPECT_EQ(data(T), (std::vector<double>{1, 2}));
}

TEST_F(TorchCreate, FromDataErrors) {
  double Data[] = {1, 2, 3, 4, 5};
  int64_t Dims[] = {2, 3};
  EXPECT_EQ(rt_torch_tensor_from_data(Data, 5, Dims, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_tensor_from_data",
                      "data has 5 elements but the shape needs 6"));
  EXPECT_EQ(rt_torch_tensor_from_data(nullptr, 6, Dims, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_tensor_from_data", "null data pointer"));
  EXPECT_EQ(rt_torch_tensor_from_data(Data, 5, nullptr, 2), 0);
  EXPECT_TRUE(errorIs("rt_torch_tensor_from_data", "null dims pointer"));
  EXPECT_EQ(rt_torch_tensor_from_data(Data, 5, Dims, -1), 0);
  EXPECT_TRUE(errorIs("rt_torch_tensor_from_data", "negative dims length -1"));
  // A shape too big to allocate is still only a count mismatch.
  int64_t Huge[] = {1 << 20, 1 << 20, 1 << 10};
  EXPECT_EQ(rt_torch_tensor_from_data(Data, 5, Huge, 3), 0);
  EXPECT_TRUE(errorIs("rt_torch_tensor_from_data",
                      "data has 5 elements but the shape needs " +
                          std::to_string(int64_t(1) << 50)));
}

TEST_F(TorchCreate, NegativeDimensionIsAnError) {
  int64_t Dims[] = {-1, 2};
  EXPECT_EQ(rt_torch_tensor_zeros(Dims, 2), 0);
  EXPECT_TRUE(errorHas("rt_torch_tensor_zeros", "negative dimension -1"));
  EXPECT_EQ(rt_torch_tensor_full(Dims, 2, 1.0), 0);
  EXPECT_TRUE(errorHas("rt_torch_tensor_full", "negative dimension -1"));
  double Data[] = {1, 2};
  EXPECT_EQ(rt_torch_tensor_from_data(Data, 2, Dims, 2), 0);
  EXPECT_TRUE(errorHas("rt_torch_tensor_from_data", "negative dimension -1"));
}

TEST_F(TorchCreate, Arange) {
  EXPECT_EQ(data(own(rt_torch_tensor_arange(0, 1, 0.25))),
            (std::vector<double>{0, 0.25, 0.5, 0.75}));
  EXPECT_EQ(data(own(rt_torch_tensor_arange(5, 2, -1))),
            (std::vector<double>{5, 4, 3}));
  EXPECT_EQ(rt_torch_tensor_arange(0, 1, 0), 0);
  EXPECT_TRUE(errorHas("rt_torch_tensor_arange", "step must be nonzero"));
}

TEST_F(TorchCreate, Linspace) {
  EXPECT_EQ(data(own(rt_torch_tensor_linspace(0, 1, 5))),
            (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(rt_torch_tensor_linspace(0, 1, -2), 0);
  EXPECT_TRUE(errorHas("rt_torch_tensor_linspace", "non-negative"));
}

TEST_F(TorchCreate, Eye) {
  EXPECT_EQ(data(own(rt_torch_tensor_eye(3))),
            (std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(rt_torch_tensor_eye(-1), 0);
  EXPECT_TRUE(errorHas("rt_torch_tensor_eye", "-1"));
}

TEST_F(TorchCreate, RandIsUniformInUnitInterval) {
  rt_torch_manual_seed(7);
  int64_t Dims[] = {100, 100};
  int64_t R = own(rt_torch_tensor_rand(Dims, 2));
  std::vector<double> V = data(R);
  ASSERT_EQ(V.size(), 10000u);
  double Sum = 0;
  for (double X : V) {
    EXPECT_GE(X, 0.0);
    EXPECT_LT(X, 1.0);
    Sum += X;
  }
  EXPECT_NEAR(Sum / V.size(), 0.5, 0.02);
}

TEST_F(TorchCreate, RandnIsStandardNormal) {
  rt_torch_manual_seed(11);
  int64_t Dims[] = {20000};
  std::vector<double> V = data(own(rt_torch_tensor_randn(Dims, 1)));
  double Sum = 0, SumSq = 0;
  for (double X : V) {
    Sum += X;
    SumSq += X * X;
  }
  double Mean = Sum / V.size();
  EXPECT_NEAR(Mean, 0.0, 0.05);
  EXPECT_NEAR(std::sqrt(SumSq / V.size() - Mean * Mean), 1.0, 0.05);
}

TEST_F(TorchCreate, RandomCreationErrors) {
  int64_t Dims[] = {2, -3};
  EXPECT_EQ(rt_torch_tensor_rand(Dims, 2), 0);
  EXPECT_TRUE(errorHas("rt_torch_tensor_rand", "negative dimension -3"));
  EXPECT_EQ(rt_torch_tensor_randn(nullptr, 1), 0);
  EXPECT_TRUE(errorIs("rt_torch_tensor_randn", "null dims pointer"));
  EXPECT_EQ(rt_torch_tensor_empty(Dims, -4), 0);
  EXPECT_TRUE(errorIs("rt_torch_tensor_empty", "negative dims length -4"));
  EXPECT_EQ(rt_torch_tensor_ones(Dims, 2), 0);
  EXPECT_TRUE(errorHas("rt_torch_tensor_ones", "negative dimension -3"));
}

} // namespace
