//===- torch/TorchRuntime.cpp - Handles, errors, info, device, memory -----===//
//
// The bridge's shared state (the handle table and the per-thread last error)
// and the ABI groups that manage it rather than compute: info, device, memory
// and the project's additions (item, to_data, last_error, live_handles,
// manual_seed).
//
//===----------------------------------------------------------------------===//

#include "TorchBridge.h"

#include <torch/version.h>

#if SPL_TORCH_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <string_view>
#include <unordered_map>

using namespace spl::torchffi;

namespace {

/// Live tensors by handle. Lookups copy the at::Tensor (a reference count
/// bump) so the lock is never held while torch computes.
class HandleTable {
public:
  int64_t insert(at::Tensor T) {
    int64_t Id = NextId.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> Lock(Mutex);
    Tensors.emplace(Id, std::move(T));
    return Id;
  }

  bool find(int64_t Id, at::Tensor &Out) {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Tensors.find(Id);
    if (It == Tensors.end())
      return false;
    Out = It->second;
    return true;
  }

  bool erase(int64_t Id) {
    // Destroyed after the lock is released: dropping the last reference may
    // free storage or tear down an autograd graph.
    at::Tensor Dropped;
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Tensors.find(Id);
    if (It == Tensors.end())
      return false;
    Dropped = std::move(It->second);
    Tensors.erase(It);
    return true;
  }

  int64_t size() {
    std::lock_guard<std::mutex> Lock(Mutex);
    return static_cast<int64_t>(Tensors.size());
  }

private:
  std::mutex Mutex;
  std::unordered_map<int64_t, at::Tensor> Tensors;
  std::atomic<int64_t> NextId{1};
};

HandleTable &handles() {
  // Never destroyed: a host may still call in from another thread while the
  // process exits, and libtorch's own statics may already be gone by then.
  static HandleTable *Table = new HandleTable;
  return *Table;
}

/// This thread's last error. A fixed buffer rather than a std::string: the
/// pointer handed out by rt_torch_last_error() then never dangles, even when
/// a C caller evaluates it before the failing call in the same expression.
constexpr size_t LastErrorCapacity = 2048;
thread_local char LastErrorText[LastErrorCapacity];

void setLastErrorText(std::string_view Text) noexcept {
  size_t N = std::min(Text.size(), LastErrorCapacity - 1);
  std::memcpy(LastErrorText, Text.data(), N);
  LastErrorText[N] = '\0';
}

/// The first non-empty line of \p Text: libtorch appends context lines and,
/// through what(), a backtrace.
std::string firstLine(std::string_view Text) {
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    std::string_view Line = Text.substr(0, End);
    while (!Line.empty() && (Line.back() == ' ' || Line.back() == '\r'))
      Line.remove_suffix(1);
    if (!Line.empty())
      return std::string(Line);
    if (End == std::string_view::npos)
      break;
    Text.remove_prefix(End + 1);
  }
  return "unknown error";
}

int64_t cudaDeviceCount() { return at::detail::getCUDAHooks().getNumGPUs(); }

void requireCudaDevice(int32_t Device) {
  requireCuda();
  if (Device < 0 || Device >= cudaDeviceCount())
    throw BridgeError("invalid CUDA device " + std::to_string(Device));
}

} // namespace

//===----------------------------------------------------------------------===//
// Bridge internals declared in TorchBridge.h
//===----------------------------------------------------------------------===//

int64_t spl::torchffi::storeTensor(at::Tensor T) {
  return handles().insert(std::move(T));
}

at::Tensor spl::torchffi::lookupTensor(int64_t Handle) {
  at::Tensor T;
  if (Handle == 0 || !handles().find(Handle, T))
    throw BridgeError("invalid tensor handle " + std::to_string(Handle));
  return T;
}

c10::optional<at::Tensor> spl::torchffi::optionalTensor(int64_t Handle) {
  if (Handle == 0)
    return c10::nullopt;
  return lookupTensor(Handle);
}

bool spl::torchffi::releaseTensor(int64_t Handle) {
  return handles().erase(Handle);
}

int64_t spl::torchffi::liveTensorCount() { return handles().size(); }

at::IntArrayRef spl::torchffi::intList(const int64_t *Values, int64_t Count,
                                       const char *What) {
  if (Count < 0)
    throw BridgeError(std::string("negative ") + What + " length " +
                      std::to_string(Count));
  if (Count == 0)
    return {};
  if (!Values)
    throw BridgeError(std::string("null ") + What + " pointer");
  return at::IntArrayRef(Values, static_cast<size_t>(Count));
}

std::vector<at::Tensor> spl::torchffi::tensorList(const int64_t *Handles,
                                                  int64_t Count) {
  at::IntArrayRef Ids = intList(Handles, Count, "handles");
  std::vector<at::Tensor> Tensors;
  Tensors.reserve(Ids.size());
  for (int64_t Id : Ids)
    Tensors.push_back(lookupTensor(Id));
  return Tensors;
}

at::Tensor spl::torchffi::asIndexTensor(const at::Tensor &T) {
  if (!at::isFloatingType(T.scalar_type()))
    return T;
  if (!at::isfinite(T).all().item<bool>() || !at::equal(T, at::trunc(T)))
    throw BridgeError("index tensor must hold whole numbers");
  return T.to(at::kLong);
}

void spl::torchffi::requireCuda() {
  if (!at::hasCUDA())
    throw BridgeError("CUDA not available");
}

void spl::torchffi::clearLastError() noexcept { LastErrorText[0] = '\0'; }

const char *spl::torchffi::lastError() noexcept { return LastErrorText; }

void spl::torchffi::recordCurrentException(const char *Fn) noexcept {
  try {
    std::string Reason;
    try {
      throw;
    } catch (const c10::Error &E) {
      // what() would append the C++ backtrace.
      Reason = firstLine(E.what_without_backtrace());
    } catch (const std::exception &E) {
      Reason = firstLine(E.what());
    } catch (...) {
      Reason = "unknown error";
    }
    setLastErrorText(std::string(Fn) + ": " + Reason);
  } catch (...) {
    // Only reachable when building the message itself fails (out of memory).
    setLastErrorText(Fn);
  }
}

//===----------------------------------------------------------------------===//
// info
//===----------------------------------------------------------------------===//

bool rt_torch_available(void) {
  return guarded<bool>(__func__, false, [] { return true; });
}

const char *rt_torch_version(void) {
  return guarded<const char *>(__func__, "", [] { return TORCH_VERSION; });
}

bool rt_torch_cuda_available(void) {
  return guarded<bool>(__func__, false, [] { return at::hasCUDA(); });
}

//===----------------------------------------------------------------------===//
// device
//===----------------------------------------------------------------------===//

int64_t rt_torch_torchtensor_cuda(int64_t Handle, int32_t Device) {
  return tensorOp(__func__, [&] {
    at::Tensor T = lookupTensor(Handle);
    requireCudaDevice(Device);
    return T.to(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(Device)));
  });
}

int64_t rt_torch_torchtensor_cpu(int64_t Handle) {
  return unaryOp(__func__, Handle, [](const at::Tensor &T) { return T.cpu(); });
}

bool rt_torch_torchtensor_is_cuda(int64_t Handle) {
  return guarded<bool>(__func__, false,
                       [&] { return lookupTensor(Handle).is_cuda(); });
}

int32_t rt_torch_torchtensor_device(int64_t Handle) {
  return guarded<int32_t>(__func__, -1, [&] {
    at::Tensor T = lookupTensor(Handle);
    return T.is_cuda() ? static_cast<int32_t>(T.get_device()) : -1;
  });
}

int64_t rt_torch_torchtensor_clone(int64_t Handle) {
  return unaryOp(__func__, Handle,
                 [](const at::Tensor &T) { return T.clone(); });
}

int64_t rt_torch_cuda_memory_allocated(int32_t Device) {
  return guarded<int64_t>(__func__, 0, [&]() -> int64_t {
    requireCudaDevice(Device);
#if SPL_TORCH_WITH_CUDA
    namespace Alloc = c10::cuda::CUDACachingAllocator;
    auto Stats = Alloc::getDeviceStats(Device);
    return Stats
        .allocated_bytes[static_cast<size_t>(Alloc::StatType::AGGREGATE)]
        .current;
#else
    // libtorch reports a device but this library was built without c10_cuda.
    throw BridgeError("CUDA not available");
#endif
  });
}

void rt_torch_cuda_empty_cache(void) {
  runGuarded(__func__, [] {
    requireCuda();
#if SPL_TORCH_WITH_CUDA
    c10::cuda::CUDACachingAllocator::emptyCache();
#else
    throw BridgeError("CUDA not available");
#endif
  });
}

//===----------------------------------------------------------------------===//
// memory
//===----------------------------------------------------------------------===//

void rt_torch_torchtensor_free(int64_t Handle) {
  runGuarded(__func__, [&] {
    // Like free(NULL): releasing "no tensor" is not an error.
    if (Handle != 0 && !releaseTensor(Handle))
      throw BridgeError("invalid tensor handle " + std::to_string(Handle));
  });
}

//===----------------------------------------------------------------------===//
// additions of this project
//===----------------------------------------------------------------------===//

double rt_torch_torchtensor_item(int64_t Handle) {
  return doubleOp(__func__,
                  [&] { return lookupTensor(Handle).item<double>(); });
}

int64_t rt_torch_torchtensor_to_data(int64_t Handle, double *Out, int64_t Cap) {
  return guarded<int64_t>(__func__, 0, [&] {
    at::Tensor T = lookupTensor(Handle);
    if (Cap < 0)
      throw BridgeError("negative out capacity " + std::to_string(Cap));
    int64_t Count = T.numel();
    int64_t Written = std::min(Count, Cap);
    if (Written > 0) {
      if (!Out)
        throw BridgeError("null out pointer");
      at::Tensor Flat =
          T.detach().to(at::kCPU, at::kDouble).contiguous().reshape({-1});
      std::copy_n(Flat.data_ptr<double>(), Written, Out);
    }
    return Count;
  });
}

const char *rt_torch_last_error(void) {
  // Reading the error must not clear it.
  return lastError();
}

int64_t rt_torch_live_handles(void) {
  return guarded<int64_t>(__func__, 0, [] { return liveTensorCount(); });
}

void rt_torch_manual_seed(int64_t Seed) {
  runGuarded(__func__, [&] { at::manual_seed(static_cast<uint64_t>(Seed)); });
}
