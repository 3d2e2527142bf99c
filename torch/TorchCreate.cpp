//===- torch/TorchCreate.cpp - create, elementwise and activation groups --===//
//
// The ABI groups that make tensors or map them element by element.
//
//===----------------------------------------------------------------------===//

#include "TorchBridge.h"

#include <algorithm>

using namespace spl::torchffi;

//===----------------------------------------------------------------------===//
// create
//===----------------------------------------------------------------------===//

int64_t rt_torch_tensor_zeros(const int64_t *Dims, int64_t NDim) {
  return tensorOp(__func__, [&] {
    return at::zeros(intList(Dims, NDim, "dims"), creationOptions());
  });
}

int64_t rt_torch_tensor_ones(const int64_t *Dims, int64_t NDim) {
  return tensorOp(__func__, [&] {
    return at::ones(intList(Dims, NDim, "dims"), creationOptions());
  });
}

int64_t rt_torch_tensor_randn(const int64_t *Dims, int64_t NDim) {
  return tensorOp(__func__, [&] {
    return at::randn(intList(Dims, NDim, "dims"), creationOptions());
  });
}

int64_t rt_torch_tensor_rand(const int64_t *Dims, int64_t NDim) {
  return tensorOp(__func__, [&] {
    return at::rand(intList(Dims, NDim, "dims"), creationOptions());
  });
}

int64_t rt_torch_tensor_empty(const int64_t *Dims, int64_t NDim) {
  return tensorOp(__func__, [&] {
    return at::empty(intList(Dims, NDim, "dims"), creationOptions());
  });
}

int64_t rt_torch_tensor_full(const int64_t *Dims, int64_t NDim, double Value) {
  return tensorOp(__func__, [&] {
    return at::full(intList(Dims, NDim, "dims"), Value, creationOptions());
  });
}

int64_t rt_torch_tensor_from_data(const double *Data, int64_t N,
                                  const int64_t *Dims, int64_t NDim) {
  return tensorOp(__func__, [&] {
    at::IntArrayRef Shape = intList(Dims, NDim, "dims");
    // libtorch validates the shape on the meta device, which allocates
    // nothing, so a count mismatch is reported before any big allocation.
    int64_t Needed =
        at::empty(Shape, creationOptions().device(at::kMeta)).numel();
    if (N != Needed)
      throw BridgeError("data has " + std::to_string(N) +
                        " elements but the shape needs " +
                        std::to_string(Needed));
    at::Tensor T = at::empty(Shape, creationOptions());
    if (N > 0) {
      if (!Data)
        throw BridgeError("null data pointer");
      std::copy_n(Data, N, T.data_ptr<double>());
    }
    return T;
  });
}

int64_t rt_torch_tensor_arange(double Start, double End, double Step) {
  return tensorOp(__func__, [&] {
    return at::arange(Start, End, Step, creationOptions());
  });
}

int64_t rt_torch_tensor_linspace(double Start, double End, int64_t Steps) {
  return tensorOp(__func__, [&] {
    return at::linspace(Start, End, Steps, creationOptions());
  });
}

int64_t rt_torch_tensor_eye(int64_t N) {
  return tensorOp(__func__, [&] { return at::eye(N, creationOptions()); });
}

//===----------------------------------------------------------------------===//
// elementwise
//===----------------------------------------------------------------------===//

int64_t rt_torch_torchtensor_add(int64_t A, int64_t B) {
  return binaryOp(__func__, A, B, [](const at::Tensor &X, const at::Tensor &Y) {
    return at::add(X, Y);
  });
}

int64_t rt_torch_torchtensor_sub(int64_t A, int64_t B) {
  return binaryOp(__func__, A, B, [](const at::Tensor &X, const at::Tensor &Y) {
    return at::sub(X, Y);
  });
}

int64_t rt_torch_torchtensor_mul(int64_t A, int64_t B) {
  return binaryOp(__func__, A, B, [](const at::Tensor &X, const at::Tensor &Y) {
    return at::mul(X, Y);
  });
}

int64_t rt_torch_torchtensor_div(int64_t A, int64_t B) {
  return binaryOp(__func__, A, B, [](const at::Tensor &X, const at::Tensor &Y) {
    return at::div(X, Y);
  });
}

int64_t rt_torch_torchtensor_pow(int64_t Handle, double Exponent) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::pow(T, Exponent); });
}

int64_t rt_torch_torchtensor_add_scalar(int64_t Handle, double S) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::add(T, S); });
}

int64_t rt_torch_torchtensor_sub_scalar(int64_t Handle, double S) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::sub(T, S); });
}

int64_t rt_torch_torchtensor_mul_scalar(int64_t Handle, double S) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::mul(T, S); });
}

int64_t rt_torch_torchtensor_div_scalar(int64_t Handle, double S) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::div(T, S); });
}

int64_t rt_torch_torchtensor_neg(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::neg(T); });
}

int64_t rt_torch_torchtensor_abs(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::abs(T); });
}

int64_t rt_torch_torchtensor_sqrt(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::sqrt(T); });
}

int64_t rt_torch_torchtensor_exp(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::exp(T); });
}

int64_t rt_torch_torchtensor_log(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::log(T); });
}

//===----------------------------------------------------------------------===//
// activations
//===----------------------------------------------------------------------===//

int64_t rt_torch_torchtensor_relu(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::relu(T); });
}

int64_t rt_torch_torchtensor_sigmoid(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::sigmoid(T); });
}

int64_t rt_torch_torchtensor_tanh(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::tanh(T); });
}

int64_t rt_torch_torchtensor_gelu(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return at::gelu(T); });
}

int64_t rt_torch_torchtensor_leaky_relu(int64_t Handle, double NegativeSlope) {
  return unaryOp(__func__, Handle, [&](const at::Tensor &T) {
    return at::leaky_relu(T, NegativeSlope);
  });
}

int64_t rt_torch_torchtensor_softmax(int64_t Handle, int64_t Dim) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::softmax(T, Dim); });
}

int64_t rt_torch_torchtensor_log_softmax(int64_t Handle, int64_t Dim) {
  return unaryOp(__func__, Handle,
                 [&](const at::Tensor &T) { return at::log_softmax(T, Dim); });
}
