//===- torch/TorchNN.cpp - nn, loss and autograd groups -------------------===//
//
// The ABI groups for training: functional layers, losses and the autograd
// controls.
//
//===----------------------------------------------------------------------===//

#include "TorchBridge.h"

using namespace spl::torchffi;

namespace {

/// The no_grad_begin/end nesting of the calling thread; GradMode itself is
/// thread-local in libtorch, so this is too.
struct NoGradState {
  int64_t Depth = 0;
  bool SavedMode = true;
};
thread_local NoGradState NoGrad;

} // namespace

//===----------------------------------------------------------------------===//
// nn
//===----------------------------------------------------------------------===//

int64_t rt_torch_nn_linear(int64_t Input, int64_t Weight, int64_t Bias) {
  return tensorOp(__func__, [&] {
    return at::linear(lookupTensor(Input), lookupTensor(Weight),
                      optionalTensor(Bias));
  });
}

int64_t rt_torch_nn_conv2d(int64_t Input, int64_t Weight, int64_t Bias,
                           const int64_t *Stride, int64_t StrideLen,
                           const int64_t *Padding, int64_t PaddingLen,
                           const int64_t *Dilation, int64_t DilationLen,
                           int64_t Groups) {
  return tensorOp(__func__, [&] {
    return at::conv2d(lookupTensor(Input), lookupTensor(Weight),
                      optionalTensor(Bias),
                      intList(Stride, StrideLen, "stride"),
                      intList(Padding, PaddingLen, "padding"),
                      intList(Dilation, DilationLen, "dilation"), Groups);
  });
}

int64_t rt_torch_nn_max_pool2d(int64_t Input, const int64_t *Kernel,
                               int64_t KernelLen, const int64_t *Stride,
                               int64_t StrideLen, const int64_t *Padding,
                               int64_t PaddingLen) {
  return unaryOp(__func__, Input, [&](const at::Tensor &T) {
    return at::max_pool2d(T, intList(Kernel, KernelLen, "kernel"),
                          intList(Stride, StrideLen, "stride"),
                          intList(Padding, PaddingLen, "padding"));
  });
}

int64_t rt_torch_nn_avg_pool2d(int64_t Input, const int64_t *Kernel,
                               int64_t KernelLen, const int64_t *Stride,
                               int64_t StrideLen, const int64_t *Padding,
                               int64_t PaddingLen) {
  return unaryOp(__func__, Input, [&](const at::Tensor &T) {
    return at::avg_pool2d(T, intList(Kernel, KernelLen, "kernel"),
                          intList(Stride, StrideLen, "stride"),
                          intList(Padding, PaddingLen, "padding"));
  });
}

int64_t rt_torch_nn_dropout(int64_t Input, double P, bool Training) {
  return unaryOp(__func__, Input, [&](const at::Tensor &T) {
    return at::dropout(T, P, Training);
  });
}

int64_t rt_torch_nn_embedding(int64_t Indices, int64_t Weight) {
  return binaryOp(__func__, Indices, Weight,
                  [](const at::Tensor &I, const at::Tensor &W) {
                    return at::embedding(W, asIndexTensor(I));
                  });
}

int64_t rt_torch_nn_layer_norm(int64_t Input, const int64_t *NormalizedShape,
                               int64_t NormalizedLen, int64_t Weight,
                               int64_t Bias, double Eps) {
  return tensorOp(__func__, [&] {
    return at::layer_norm(
        lookupTensor(Input),
        intList(NormalizedShape, NormalizedLen, "normalized_shape"),
        optionalTensor(Weight), optionalTensor(Bias), Eps);
  });
}

int64_t rt_torch_nn_batch_norm(int64_t Input, int64_t RunningMean,
                               int64_t RunningVar, int64_t Weight, int64_t Bias,
                               bool Training, double Momentum, double Eps) {
  return tensorOp(__func__, [&] {
    return at::batch_norm(lookupTensor(Input), optionalTensor(Weight),
                          optionalTensor(Bias), optionalTensor(RunningMean),
                          optionalTensor(RunningVar), Training, Momentum, Eps,
                          /*cudnn_enabled=*/true);
  });
}

//===----------------------------------------------------------------------===//
// losses
//===----------------------------------------------------------------------===//

double rt_torch_nn_mse_loss(int64_t Input, int64_t Target) {
  return doubleOp(__func__, [&] {
    return at::mse_loss(lookupTensor(Input), lookupTensor(Target))
        .item<double>();
  });
}

double rt_torch_nn_cross_entropy(int64_t Input, int64_t Target) {
  return doubleOp(__func__, [&] {
    at::Tensor In = lookupTensor(Input);
    at::Tensor Tgt = lookupTensor(Target);
    // A target shaped like the input holds class probabilities; anything
    // else holds class indices.
    if (Tgt.sizes() != In.sizes())
      Tgt = asIndexTensor(Tgt);
    return at::cross_entropy_loss(In, Tgt).item<double>();
  });
}

double rt_torch_nn_binary_cross_entropy(int64_t Input, int64_t Target) {
  return doubleOp(__func__, [&] {
    return at::binary_cross_entropy(lookupTensor(Input), lookupTensor(Target))
        .item<double>();
  });
}

double rt_torch_nn_nll_loss(int64_t Input, int64_t Target) {
  return doubleOp(__func__, [&] {
    return at::nll_loss(lookupTensor(Input),
                        asIndexTensor(lookupTensor(Target)))
        .item<double>();
  });
}

//===----------------------------------------------------------------------===//
// autograd
//===----------------------------------------------------------------------===//

void rt_torch_autograd_set_requires_grad(int64_t Handle, bool RequiresGrad) {
  runGuarded(__func__,
             [&] { lookupTensor(Handle).requires_grad_(RequiresGrad); });
}

bool rt_torch_autograd_requires_grad(int64_t Handle) {
  return guarded<bool>(__func__, false,
                       [&] { return lookupTensor(Handle).requires_grad(); });
}

int64_t rt_torch_autograd_grad(int64_t Handle) {
  return guarded<int64_t>(__func__, 0, [&]() -> int64_t {
    const at::Tensor &Grad = lookupTensor(Handle).grad();
    // No gradient yet is an answer, not an error.
    return Grad.defined() ? storeTensor(Grad) : 0;
  });
}

void rt_torch_autograd_backward(int64_t Handle) {
  runGuarded(__func__, [&] { lookupTensor(Handle).backward(); });
}

void rt_torch_autograd_zero_grad(int64_t Handle) {
  runGuarded(__func__, [&] {
    at::Tensor T = lookupTensor(Handle);
    if (T.grad().defined()) {
      at::NoGradGuard Guard;
      T.mutable_grad().zero_();
    }
  });
}

int64_t rt_torch_autograd_detach(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return T.detach(); });
}

void rt_torch_autograd_no_grad_begin(void) {
  runGuarded(__func__, [] {
    if (NoGrad.Depth == 0) {
      NoGrad.SavedMode = at::GradMode::is_enabled();
      at::GradMode::set_enabled(false);
    }
    ++NoGrad.Depth;
  });
}

void rt_torch_autograd_no_grad_end(void) {
  runGuarded(__func__, [] {
    if (NoGrad.Depth == 0)
      throw BridgeError("no matching rt_torch_autograd_no_grad_begin");
    if (--NoGrad.Depth == 0)
      at::GradMode::set_enabled(NoGrad.SavedMode);
  });
}
