//===- torch/TorchBridge.h - Plumbing shared by the rt_torch_* entry points
//===//
//
// Private to torch/. The handle table, argument conversion and the error
// boundary that every extern "C" function goes through. Only ATen is included
// (not <torch/torch.h>): the nn/optim front end is never used and would
// double the compile time of each translation unit.
//
//===----------------------------------------------------------------------===//

#ifndef SPL_TORCH_TORCHBRIDGE_H
#define SPL_TORCH_TORCHBRIDGE_H

#include "torch/spl_torch.h"

#include <ATen/ATen.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace spl::torchffi {

/// A failure found by the bridge itself rather than by libtorch (bad handle,
/// bad pointer, CUDA missing). Its text follows "rt_torch_<fn>: ".
class BridgeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

//===-- Handle table (TorchRuntime.cpp) -----------------------------------===//

/// Registers \p T and returns its new handle (never 0).
int64_t storeTensor(at::Tensor T);
/// The tensor behind \p Handle; throws BridgeError for 0 or an unknown handle.
at::Tensor lookupTensor(int64_t Handle);
/// 0 means "none"; any other value must be a live handle.
c10::optional<at::Tensor> optionalTensor(int64_t Handle);
/// Drops \p Handle; false if it was not live.
bool releaseTensor(int64_t Handle);
int64_t liveTensorCount();

//===-- Arguments (TorchRuntime.cpp) --------------------------------------===//

/// A view of a caller's (pointer, count) pair; \p What names it in errors.
at::IntArrayRef intList(const int64_t *Values, int64_t Count, const char *What);
std::vector<at::Tensor> tensorList(const int64_t *Handles, int64_t Count);
/// Ops taking indices want int64; the ABI only creates float64 tensors, so a
/// floating tensor of whole numbers is converted (anything else is an error).
at::Tensor asIndexTensor(const at::Tensor &T);
/// Throws "CUDA not available" when libtorch has no usable CUDA device.
void requireCuda();

/// Creation options of every tensor made from scratch: float64 on the CPU.
inline at::TensorOptions creationOptions() {
  return at::TensorOptions().dtype(at::kDouble);
}

//===-- Error boundary (TorchRuntime.cpp) ---------------------------------===//

void clearLastError() noexcept;
const char *lastError() noexcept;
/// Must be called inside a catch block: records "<Fn>: <reason>" for the
/// exception in flight.
void recordCurrentException(const char *Fn) noexcept;

/// Runs \p Body; any exception becomes this thread's last error, tagged
/// with the entry point's name \p Fn. Returns whether \p Body succeeded.
template <typename BodyT>
bool runGuarded(const char *Fn, BodyT &&Body) noexcept {
  try {
    Body();
  } catch (...) {
    recordCurrentException(Fn);
    return false;
  }
  clearLastError();
  return true;
}

/// \p Body's result, or \p OnError if it threw.
template <typename R, typename BodyT>
R guarded(const char *Fn, R OnError, BodyT &&Body) noexcept {
  R Result = OnError;
  if (!runGuarded(Fn, [&] { Result = Body(); }))
    return OnError;
  return Result;
}

/// An entry point returning a new tensor handle (0 on error).
template <typename BodyT>
int64_t tensorOp(const char *Fn, BodyT &&Body) noexcept {
  return guarded<int64_t>(Fn, 0, [&] { return storeTensor(Body()); });
}

/// An entry point returning a double (NaN on error).
template <typename BodyT>
double doubleOp(const char *Fn, BodyT &&Body) noexcept {
  return guarded<double>(Fn, std::numeric_limits<double>::quiet_NaN(),
                         std::forward<BodyT>(Body));
}

/// An entry point returning a new tensor computed from one existing tensor.
template <typename OpT>
int64_t unaryOp(const char *Fn, int64_t Handle, OpT &&Op) noexcept {
  return tensorOp(Fn, [&] { return Op(lookupTensor(Handle)); });
}

/// An entry point returning a new tensor computed from two existing tensors.
template <typename OpT>
int64_t binaryOp(const char *Fn, int64_t A, int64_t B, OpT &&Op) noexcept {
  return tensorOp(Fn, [&] { return Op(lookupTensor(A), lookupTensor(B)); });
}

/// An entry point reducing one tensor to a double.
template <typename OpT>
double scalarOp(const char *Fn, int64_t Handle, OpT &&Op) noexcept {
  return doubleOp(Fn, [&] {
    at::Tensor Result = Op(lookupTensor(Handle));
    return Result.item<double>();
  });
}

} // namespace spl::torchffi

#endif // SPL_TORCH_TORCHBRIDGE_H
