//===- tests/torch/TorchShapeTest.cpp - shape and indexing
//-----------------===//

#include "TorchTestSupport.h"

using namespace spl::torchtest;

namespace {

class TorchShape : public TorchTest {};

//===-- shape -------------------------------------------------------------===//

TEST_F(TorchShape, NdimNumelShape) {
  int64_t A = tensor(std::vector<double>(24, 1.0), {2, 3, 4});
  EXPECT_EQ(rt_torch_torchtensor_ndim(A), 3);
  EXPECT_EQ(rt_torch_torchtensor_numel(A), 24);
  int64_t Buf[2] = {-1, -1};
  // A short buffer gets the leading sizes; the full count comes back.
  EXPECT_EQ(rt_torch_torchtensor_shape(A, Buf, 2), 3);
  EXPECT_EQ(Buf[0], 2);
  EXPECT_EQ(Buf[1], 3);
  EXPECT_EQ(shape(A), (std::vector<int64_t>{2, 3, 4}));
}

TEST_F(TorchShape, ShapeQueriesOnBadInput) {
  EXPECT_EQ(rt_torch_torchtensor_ndim(BogusHandle), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_ndim", "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_numel(BogusHandle), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_numel", "invalid tensor handle 987654321"));
  int64_t Buf[1];
  EXPECT_EQ(rt_torch_torchtensor_shape(BogusHandle, Buf, 1), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_shape", "invalid tensor handle 987654321"));
  int64_t A = vec({1, 2});
  EXPECT_EQ(rt_torch_torchtensor_shape(A, nullptr, 1), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_shape", "null out pointer"));
  EXPECT_EQ(rt_torch_torchtensor_shape(A, Buf, -2), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_shape", "negative out capacity -2"));
}

TEST_F(TorchShape, Reshape) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
  int64_t Dims[] = {3, -1};
  int64_t R = own(rt_torch_torchtensor_reshape(A, Dims, 2));
  EXPECT_EQ(shape(R), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(data(R), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  int64_t Bad[] = {4};
  EXPECT_EQ(rt_torch_torchtensor_reshape(A, Bad, 1), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_reshape",
                       "shape '[4]' is invalid for input of size 6"));
  EXPECT_EQ(rt_torch_torchtensor_reshape(A, nullptr, 1), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_reshape", "null dims pointer"));
}

TEST_F(TorchShape, ViewSharesStorageAndAcceptsTransposed) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
  int64_t Dims[] = {6};
  EXPECT_EQ(data(own(rt_torch_torchtensor_view(A, Dims, 1))),
            (std::vector<double>{1, 2, 3, 4, 5, 6}));
  int64_t T = own(rt_torch_torchtensor_t(A));
  EXPECT_EQ(data(own(rt_torch_torchtensor_view(T, Dims, 1))),
            (std::vector<double>{1, 4, 2, 5, 3, 6}));
  int64_t Bad[] = {5};
  EXPECT_EQ(rt_torch_torchtensor_view(A, Bad, 1), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_view",
                       "shape '[5]' is invalid for input of size 6"));
}

TEST_F(TorchShape, Permute) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6}, {1, 2, 3});
  int64_t Order[] = {2, 0, 1};
  int64_t P = own(rt_torch_torchtensor_permute(A, Order, 3));
  EXPECT_EQ(shape(P), (std::vector<int64_t>{3, 1, 2}));
  EXPECT_EQ(data(P), (std::vector<double>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(rt_torch_torchtensor_permute(A, Order, 2), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_permute",
                       "does not match the length of the desired ordering"));
}

TEST_F(TorchShape, SqueezeUnsqueezeFlatten) {
  int64_t A = tensor({1, 2, 3}, {1, 3, 1});
  EXPECT_EQ(shape(own(rt_torch_torchtensor_squeeze(A))),
            (std::vector<int64_t>{3}));
  EXPECT_EQ(shape(own(rt_torch_torchtensor_squeeze_dim(A, 0))),
            (std::vector<int64_t>{3, 1}));
  // Squeezing a dimension that is not 1 leaves it.
  EXPECT_EQ(shape(own(rt_torch_torchtensor_squeeze_dim(A, 1))),
            (std::vector<int64_t>{1, 3, 1}));
  int64_t V = vec({1, 2, 3});
  EXPECT_EQ(shape(own(rt_torch_torchtensor_unsqueeze(V, 0))),
            (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(shape(own(rt_torch_torchtensor_unsqueeze(V, -1))),
            (std::vector<int64_t>{3, 1}));
  int64_t M = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
  int64_t F = own(rt_torch_torchtensor_flatten(M));
  EXPECT_EQ(shape(F), (std::vector<int64_t>{6}));
  EXPECT_EQ(data(F), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST_F(TorchShape, SqueezeUnsqueezeOutOfRange) {
  int64_t V = vec({1, 2, 3});
  EXPECT_EQ(rt_torch_torchtensor_unsqueeze(V, 3), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_unsqueeze",
                       "Dimension out of range (expected to be in range of "
                       "[-2, 1], but got 3)"));
  EXPECT_EQ(rt_torch_torchtensor_squeeze_dim(V, 4), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_squeeze_dim", "Dimension out of range"));
  EXPECT_EQ(rt_torch_torchtensor_squeeze(BogusHandle), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_squeeze",
                      "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_flatten(BogusHandle), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_flatten",
                      "invalid tensor handle 987654321"));
}

TEST_F(TorchShape, ContiguousCopiesTransposedLayout) {
  int64_t A = tensor({1, 2, 3, 4}, {2, 2});
  int64_t C =
      own(rt_torch_torchtensor_contiguous(own(rt_torch_torchtensor_t(A))));
  EXPECT_EQ(data(C), (std::vector<double>{1, 3, 2, 4}));
  EXPECT_EQ(rt_torch_torchtensor_contiguous(BogusHandle), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_contiguous",
                      "invalid tensor handle 987654321"));
}

//===-- indexing ----------------------------------------------------------===//

TEST_F(TorchShape, Slice) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4});
  int64_t S = own(rt_torch_torchtensor_slice(A, 1, 0, 4, 2));
  EXPECT_EQ(shape(S), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(data(S), (std::vector<double>{1, 3, 5, 7}));
  // Ends past the size are clamped, as in Python slicing.
  EXPECT_EQ(data(own(rt_torch_torchtensor_slice(A, 1, 2, 100, 1))),
            (std::vector<double>{3, 4, 7, 8}));
  EXPECT_EQ(rt_torch_torchtensor_slice(A, 1, 0, 4, 0), 0);
  EXPECT_TRUE(
      errorHas("rt_torch_torchtensor_slice", "slice step must be positive"));
  EXPECT_EQ(rt_torch_torchtensor_slice(A, 2, 0, 1, 1), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_slice", "Dimension out of range"));
}

TEST_F(TorchShape, IndexSelect) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6}, {3, 2});
  int64_t Rows = own(rt_torch_torchtensor_index_select(A, 0, vec({2, 0})));
  EXPECT_EQ(data(Rows), (std::vector<double>{5, 6, 1, 2}));
  int64_t Cols = own(rt_torch_torchtensor_index_select(A, 1, vec({1})));
  EXPECT_EQ(data(Cols), (std::vector<double>{2, 4, 6}));
}

TEST_F(TorchShape, IndexSelectErrors) {
  int64_t A = tensor({1, 2, 3, 4, 5, 6}, {3, 2});
  EXPECT_EQ(rt_torch_torchtensor_index_select(A, 0, vec({0.5})), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_index_select",
                      "index tensor must hold whole numbers"));
  EXPECT_EQ(rt_torch_torchtensor_index_select(A, 0, vec({3})), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_index_select", "out of range"));
  EXPECT_EQ(rt_torch_torchtensor_index_select(A, 0, BogusHandle), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_index_select",
                      "invalid tensor handle 987654321"));
}

TEST_F(TorchShape, Gather) {
  int64_t A = tensor({1, 2, 3, 4}, {2, 2});
  int64_t Idx = tensor({0, 0, 1, 0}, {2, 2});
  EXPECT_EQ(data(own(rt_torch_torchtensor_gather(A, 1, Idx))),
            (std::vector<double>{1, 1, 4, 3}));
  // Index tensors produced by argmax (int64) are used as they are.
  int64_t Arg = own(rt_torch_torchtensor_argmax(A, 1, true));
  EXPECT_EQ(data(own(rt_torch_torchtensor_gather(A, 1, Arg))),
            (std::vector<double>{2, 4}));
  EXPECT_EQ(rt_torch_torchtensor_gather(A, 1, tensor({0, 5}, {2, 1})), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_gather", "out of bounds"));
}

TEST_F(TorchShape, CatAndStack) {
  int64_t A = tensor({1, 2, 3}, {1, 3});
  int64_t B = tensor({4, 5, 6, 7, 8, 9}, {2, 3});
  int64_t Both[] = {A, B};
  int64_t C = own(rt_torch_torchtensor_cat(Both, 2, 0));
  EXPECT_EQ(shape(C), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(data(C), (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  int64_t X = vec({1, 2});
  int64_t Y = vec({3, 4});
  int64_t Pair[] = {X, Y};
  int64_t S0 = own(rt_torch_torchtensor_stack(Pair, 2, 0));
  EXPECT_EQ(shape(S0), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(data(S0), (std::vector<double>{1, 2, 3, 4}));
  int64_t S1 = own(rt_torch_torchtensor_stack(Pair, 2, 1));
  EXPECT_EQ(data(S1), (std::vector<double>{1, 3, 2, 4}));
}

TEST_F(TorchShape, CatAndStackErrors) {
  int64_t A = tensor({1, 2, 3}, {1, 3});
  int64_t B = tensor({4, 5}, {1, 2});
  int64_t Both[] = {A, B};
  EXPECT_EQ(rt_torch_torchtensor_cat(Both, 2, 0), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_cat",
                       "Sizes of tensors must match except in dimension 0"));
  EXPECT_EQ(rt_torch_torchtensor_stack(Both, 2, 0), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_stack",
                       "stack expects each tensor to be equal size"));
  EXPECT_EQ(rt_torch_torchtensor_cat(Both, 0, 0), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_cat",
                       "expected a non-empty list of Tensors"));
  int64_t WithBogus[] = {A, BogusHandle};
  EXPECT_EQ(rt_torch_torchtensor_stack(WithBogus, 2, 0), 0);
  EXPECT_TRUE(
      errorIs("rt_torch_torchtensor_stack", "invalid tensor handle 987654321"));
  EXPECT_EQ(rt_torch_torchtensor_cat(nullptr, 2, 0), 0);
  EXPECT_TRUE(errorIs("rt_torch_torchtensor_cat", "null handles pointer"));
  int64_t Same[] = {A, A};
  EXPECT_EQ(rt_torch_torchtensor_cat(Same, 2, 3), 0);
  EXPECT_TRUE(errorHas("rt_torch_torchtensor_cat", "Dimension out of range"));
}

} // namespace
