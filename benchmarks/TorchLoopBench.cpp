//===- benchmarks/TorchLoopBench.cpp - Torch ops from MIR vs from C++ -----===//
//
// One op = "add two 16-element float64 tensors, then free the result", in a
// loop of OpsPerIteration ops:
//
//   torch_add/c_abi        C++ calling rt_torch_torchtensor_add/_free directly
//   torch_add/llvm         benchmarks/extern_call/torch_loop.json, JIT
//   torch_add/interpreter  the same MIR under the interpreter
//   torch_add/libtorch     C++ calling at::add directly (when built with Torch)
//
// The table printed last gives ns per op and the ratio to torch_add/c_abi:
// what MIR adds on top of the C ABI, and what the ABI adds on top of ATen.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"
#include "torch/spl_torch.h"

#ifdef SPL_BENCH_HAVE_LIBTORCH
#include "LibtorchAdd.h"
#endif

#include <cstdlib>

using namespace spl;
using namespace spl::bench;

namespace {

constexpr int64_t OpsPerIteration = 100'000;

void cAbi(benchmark::State &S) {
  int64_t Dims[] = {16};
  int64_t A = rt_torch_tensor_ones(Dims, 1);
  int64_t B = rt_torch_tensor_ones(Dims, 1);
  if (!A || !B) {
    S.SkipWithError(rt_torch_last_error());
    return;
  }
  for (auto _ : S) {
    int64_t Count = 0;
    for (int64_t I = 0; I < OpsPerIteration; ++I) {
      int64_t T = rt_torch_torchtensor_add(A, B);
      Count += T != 0;
      rt_torch_torchtensor_free(T);
    }
    if (Count != OpsPerIteration) {
      S.SkipWithError(rt_torch_last_error());
      break;
    }
  }
  rt_torch_torchtensor_free(A);
  rt_torch_torchtensor_free(B);
  setPerCall(S, OpsPerIteration);
}

void mir(benchmark::State &S, const char *Backend) {
  LoadedModule L = loadModule(Backend, "torch_loop.json");
  if (!L.M) {
    S.SkipWithError(L.Error.c_str());
    return;
  }
  std::vector<Value> Args{Value::i64(OpsPerIteration)};
  if (!callExpecting(S, *L.M, "loop", Args, OpsPerIteration))
    return;
  for (auto _ : S)
    if (!callExpecting(S, *L.M, "loop", Args, OpsPerIteration))
      break;
  setPerCall(S, OpsPerIteration);
}

#ifdef SPL_BENCH_HAVE_LIBTORCH
void libtorch(benchmark::State &S) {
  for (auto _ : S)
    if (libtorchAddLoop(OpsPerIteration) != OpsPerIteration) {
      S.SkipWithError("at::add gave a result of the wrong size");
      break;
    }
  setPerCall(S, OpsPerIteration);
}
#endif

void registerAll() {
  auto Add = [](const char *Name, auto Fn) {
    benchmark::RegisterBenchmark(Name, Fn)->Unit(benchmark::kMillisecond);
  };
  Add("torch_add/c_abi", cAbi);
  Add("torch_add/llvm", [](benchmark::State &S) { mir(S, "llvm"); });
  Add("torch_add/interpreter", [](benchmark::State &S) { mir(S, "interpreter"); });
#ifdef SPL_BENCH_HAVE_LIBTORCH
  Add("torch_add/libtorch", libtorch);
#endif
}

} // namespace

int main(int Argc, char **Argv) {
  // The MIR finds libspl_torch.so by the SFFI convention: point it at the
  // library this program is linked with, unless the environment says else.
  setenv("SIMPLE_TORCH_LIB", SPL_BENCH_TORCH_LIB, /*overwrite=*/0);
  registerAll();
  return runWithRatios(Argc, Argv, "c_abi");
}
