//===- torch/TorchLinalg.cpp - linalg, reduction, shape and indexing groups
//===//
//
// The ABI groups that combine, reduce or rearrange whole tensors.
//
//===----------------------------------------------------------------------===//

#include "TorchBridge.h"

#include <algorithm>
#include <tuple>

using namespace spl::torchffi;

//===----------------------------------------------------------------------===//
// linear algebra
//===----------------------------------------------------------------------===//

int64_t rt_torch_torchtensor_matmul(int64_t A, int64_t B) {
  return binaryOp(__func__, A, B, [](const at::Tensor &X, const at::Tensor &Y) {
    return at::matmul(X, Y);
  });
}

int64_t rt_torch_torchtensor_dot(int64_t A, int64_t B) {
  return binaryOp(__func__, A, B, [](const at::Tensor &X, const at::Tensor &Y) {
    return at::dot(X, Y);
  });
}

int64_t rt_torch_torchtensor_transpose(int64_t Handle, int64_t Dim0,
                                       int64_t Dim1) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return at::transpose(T, Dim0, Dim1);
  });
}

int64_t rt_torch_torchtensor_t(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::t(T); });
}

double rt_torch_torchtensor_norm(int64_t Handle) {
  return scalarOp(__func__, Handle,
                  [](const at::Tensor &T) { return at::norm(T); });
}

double rt_torch_torchtensor_det(int64_t Handle) {
  return scalarOp(__func__, Handle,
                  [](const at::Tensor &T) { return at::linalg_det(T); });
}

int64_t rt_torch_torchtensor_inverse(int64_t Handle) {
  // linalg_inv (not inverse) raises on a singular matrix instead of
  // returning infinities.
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::linalg_inv(T); });
}

int64_t rt_torch_torchtensor_linalg_solve(int64_t A, int64_t B) {
  return binaryOp(__func__, A, B, [](const at::Tensor &X, const at::Tensor &Y) {
    return at::linalg_solve(X, Y);
  });
}

//===----------------------------------------------------------------------===//
// reductions
//===----------------------------------------------------------------------===//

double rt_torch_torchtensor_sum(int64_t Handle) {
  return scalarOp(__func__, Handle,
                  [](const at::Tensor &T) { return at::sum(T); });
}

double rt_torch_torchtensor_mean(int64_t Handle) {
  return scalarOp(__func__, Handle,
                  [](const at::Tensor &T) { return at::mean(T); });
}

double rt_torch_torchtensor_max(int64_t Handle) {
  return scalarOp(__func__, Handle,
                  [](const at::Tensor &T) { return at::max(T); });
}

double rt_torch_torchtensor_min(int64_t Handle) {
  return scalarOp(__func__, Handle,
                  [](const at::Tensor &T) { return at::min(T); });
}

double rt_torch_torchtensor_std(int64_t Handle) {
  return scalarOp(__func__, Handle,
                  [](const at::Tensor &T) { return at::std(T); });
}

double rt_torch_torchtensor_var(int64_t Handle) {
  return scalarOp(__func__, Handle,
                  [](const at::Tensor &T) { return at::var(T); });
}

int64_t rt_torch_torchtensor_sum_dim(int64_t Handle, int64_t Dim,
                                     bool KeepDim) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return at::sum(T, at::IntArrayRef(Dim), KeepDim);
  });
}

int64_t rt_torch_torchtensor_mean_dim(int64_t Handle, int64_t Dim,
                                      bool KeepDim) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return at::mean(T, at::IntArrayRef(Dim), KeepDim);
  });
}

int64_t rt_torch_torchtensor_max_dim(int64_t Handle, int64_t Dim,
                                     bool KeepDim) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return std::get<0>(at::max(T, Dim, KeepDim));
  });
}

int64_t rt_torch_torchtensor_min_dim(int64_t Handle, int64_t Dim,
                                     bool KeepDim) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return std::get<0>(at::min(T, Dim, KeepDim));
  });
}

int64_t rt_torch_torchtensor_argmax(int64_t Handle, int64_t Dim, bool KeepDim) {
  // Upstream's convention: a negative dim reduces over all elements.
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return Dim < 0 ? at::argmax(T) : at::argmax(T, Dim, KeepDim);
  });
}

int64_t rt_torch_torchtensor_argmin(int64_t Handle, int64_t Dim, bool KeepDim) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return Dim < 0 ? at::argmin(T) : at::argmin(T, Dim, KeepDim);
  });
}

//===----------------------------------------------------------------------===//
// shape
//===----------------------------------------------------------------------===//

int64_t rt_torch_torchtensor_ndim(int64_t Handle) {
  return guarded<int64_t>(__func__, 0,
                          [&] { return lookupTensor(Handle).dim(); });
}

int64_t rt_torch_torchtensor_numel(int64_t Handle) {
  return guarded<int64_t>(__func__, 0,
                          [&] { return lookupTensor(Handle).numel(); });
}

int64_t rt_torch_torchtensor_shape(int64_t Handle, int64_t *Out, int64_t Cap) {
  return guarded<int64_t>(__func__, 0, [&] {
    at::Tensor T = lookupTensor(Handle);
    if (Cap < 0)
      throw BridgeError("negative out capacity " + std::to_string(Cap));
    at::IntArrayRef Sizes = T.sizes();
    int64_t Count = static_cast<int64_t>(Sizes.size());
    int64_t Written = std::min(Count, Cap);
    if (Written > 0) {
      if (!Out)
        throw BridgeError("null out pointer");
      std::copy_n(Sizes.begin(), Written, Out);
    }
    return Count;
  });
}

int64_t rt_torch_torchtensor_reshape(int64_t Handle, const int64_t *Dims,
                                     int64_t NDim) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return at::reshape(T, intList(Dims, NDim, "dims"));
  });
}

int64_t rt_torch_torchtensor_view(int64_t Handle, const int64_t *Dims,
                                  int64_t NDim) {
  // As upstream: a view of a transposed tensor works (on a contiguous copy)
  // instead of failing on its strides.
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return T.contiguous().view(intList(Dims, NDim, "dims"));
  });
}

int64_t rt_torch_torchtensor_permute(int64_t Handle, const int64_t *Dims,
                                     int64_t NDim) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return at::permute(T, intList(Dims, NDim, "dims"));
  });
}

int64_t rt_torch_torchtensor_squeeze(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::squeeze(T); });
}

int64_t rt_torch_torchtensor_flatten(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::flatten(T); });
}

int64_t rt_torch_torchtensor_contiguous(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return T.contiguous(); });
}

int64_t rt_torch_torchtensor_squeeze_dim(int64_t Handle, int64_t Dim) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::squeeze(T, Dim); });
}

int64_t rt_torch_torchtensor_unsqueeze(int64_t Handle, int64_t Dim) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::unsqueeze(T, Dim); });
}

//===----------------------------------------------------------------------===//
// indexing
//===----------------------------------------------------------------------===//

int64_t rt_torch_torchtensor_slice(int64_t Handle, int64_t Dim, int64_t Start,
                                   int64_t End, int64_t Step) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return T.slice(Dim, Start, End, Step);
  });
}

int64_t rt_torch_torchtensor_index_select(int64_t Handle, int64_t Dim,
                                          int64_t Indices) {
  return binaryOp(__func__, Handle, Indices,
                  [&](const at::Tensor &T, const at::Tensor &I) {
                    return at::index_select(T, Dim, asIndexTensor(I));
                  });
}

int64_t rt_torch_torchtensor_gather(int64_t Handle, int64_t Dim,
                                    int64_t Indices) {
  return binaryOp(__func__, Handle, Indices,
                  [&](const at::Tensor &T, const at::Tensor &I) {
                    return at::gather(T, Dim, asIndexTensor(I));
                  });
}

int64_t rt_torch_torchtensor_cat(const int64_t *Handles, int64_t N,
                                 int64_t Dim) {
  return tensorOp(__func__,
                  [&] { return at::cat(tensorList(Handles, N), Dim); });
}

int64_t rt_torch_torchtensor_stack(const int64_t *Handles, int64_t N,
                                   int64_t Dim) {
  return tensorOp(__func__,
                  [&] { return at::stack(tensorList(Handles, N), Dim); });
}
