//===- benchmarks/ExternCallBench.cpp - The cost of one extern call -------===//
//
// Per-call cost of a trivial extern from libspl_testlib.so, each measured as
// a loop of CallsPerIteration calls that feeds each result into the next call:
//
//   extern_call/native           C++: a volatile function pointer from dlsym
//   extern_call/llvm             MIR loop(n) calling rt_testlib_inc, JIT
//   extern_call/interpreter      the same MIR under the interpreter
//   extern_call/wffi_llvm        MIR: spl_dlopen/spl_dlsym once, then
//   extern_call/wffi_interpreter   spl_wffi_call_i64 in the loop
//   mixed3/native                rt_testlib_mix_f32(float, int32_t, float)
//   mixed3/llvm                    through a volatile pointer / from MIR: a
//   mixed3/interpreter             mixed signature the interpreter calls
//                                  through a register-class stub
//   mixed6/native                rt_testlib_mix6(int32_t, float, int64_t,
//   mixed6/llvm                    double, uint32_t, float): six mixed
//   mixed6/interpreter             arguments, likewise
//
// The table printed last gives ns per call and the ratio to GROUP/native.
// The modules are benchmarks/extern_call/*.json. SIMPLE_SFFI_PATH defaults to
// the build's tests/sffi, where target spl_testlib puts the library.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"

#include <dlfcn.h>

#include <cstdlib>
#include <string>

using namespace spl;
using namespace spl::bench;

namespace {

constexpr int64_t CallsPerIteration = 1'000'000;

std::string testlibPath() {
  return std::string(SPL_BENCH_SFFI_DIR) + "/libspl_testlib.so";
}

/// The address of Symbol in libspl_testlib.so (loaded once), or null.
void *testlibSymbol(const char *Symbol) {
  static void *Handle = dlopen(testlibPath().c_str(), RTLD_NOW | RTLD_LOCAL);
  return Handle ? dlsym(Handle, Symbol) : nullptr;
}

/// CallsPerIteration calls of Symbol, a function of type Fn, each result
/// feeding the next: Step(F, Acc) makes one call.
template <class Fn, class Acc, class StepFn>
void nativeLoop(benchmark::State &S, const char *Symbol, StepFn Step) {
  // volatile: the pointer is reloaded for every call, so the compiler can
  // neither inline the callee nor hoist the call: a real indirect call.
  Fn volatile F = reinterpret_cast<Fn>(testlibSymbol(Symbol));
  if (!F) {
    S.SkipWithError(
        (std::string(Symbol) + " not found in " + testlibPath()).c_str());
    return;
  }
  for (auto _ : S) {
    Acc A = 0;
    for (int64_t I = 0; I < CallsPerIteration; ++I)
      A = Step(F, A);
    benchmark::DoNotOptimize(A);
  }
  setPerCall(S, CallsPerIteration);
}

void nativeInc(benchmark::State &S) {
  nativeLoop<int64_t (*)(int64_t), int64_t>(
      S, "rt_testlib_inc", [](auto Inc, int64_t A) { return Inc(A); });
}

void nativeMixed(benchmark::State &S) {
  nativeLoop<float (*)(float, int32_t, float), float>(
      S, "rt_testlib_mix_f32",
      [](auto Mix, float A) { return Mix(1.0f, 1, A); }); // A + 1
}

void nativeMixed6(benchmark::State &S) {
  nativeLoop<double (*)(int32_t, float, int64_t, double, uint32_t, float),
             double>(S, "rt_testlib_mix6", [](auto Mix, double A) {
    return Mix(1, 0.5f, -2, A, 3, -1.5f); // A + 1
  });
}

/// loop(n) of File under Backend; every call must return n (each module's
/// loop counts its calls in its result).
void mirLoop(benchmark::State &S, const char *Backend, const char *File) {
  LoadedModule L = loadModule(Backend, File);
  if (!L.M) {
    S.SkipWithError(L.Error.c_str());
    return;
  }
  std::vector<Value> Args{Value::i64(CallsPerIteration)};
  // Warm up once outside the timing: a lazy JIT compiles here.
  if (!callExpecting(S, *L.M, "loop", Args, CallsPerIteration))
    return;
  for (auto _ : S)
    if (!callExpecting(S, *L.M, "loop", Args, CallsPerIteration))
      break;
  setPerCall(S, CallsPerIteration);
}

/// wffi_loop.json's loop(lib, n): the library path is an argument.
void wffiLoop(benchmark::State &S, const char *Backend) {
  LoadedModule L = loadModule(Backend, "wffi_loop.json");
  if (!L.M) {
    S.SkipWithError(L.Error.c_str());
    return;
  }
  std::string Lib = testlibPath();
  std::vector<Value> Args{Value::ptr(Lib.c_str()), Value::i64(CallsPerIteration)};
  if (!callExpecting(S, *L.M, "loop", Args, CallsPerIteration))
    return;
  for (auto _ : S)
    if (!callExpecting(S, *L.M, "loop", Args, CallsPerIteration))
      break;
  setPerCall(S, CallsPerIteration);
}

void registerAll() {
  auto Add = [](const char *Name, auto Fn) {
    benchmark::RegisterBenchmark(Name, Fn)->Unit(benchmark::kMillisecond);
  };
  Add("extern_call/native", nativeInc);
  Add("extern_call/llvm",
      [](benchmark::State &S) { mirLoop(S, "llvm", "inc_loop.json"); });
  Add("extern_call/interpreter",
      [](benchmark::State &S) { mirLoop(S, "interpreter", "inc_loop.json"); });
  Add("extern_call/wffi_llvm", [](benchmark::State &S) { wffiLoop(S, "llvm"); });
  Add("extern_call/wffi_interpreter",
      [](benchmark::State &S) { wffiLoop(S, "interpreter"); });
  Add("mixed3/native", nativeMixed);
  Add("mixed3/llvm",
      [](benchmark::State &S) { mirLoop(S, "llvm", "mixed_loop.json"); });
  Add("mixed3/interpreter",
      [](benchmark::State &S) { mirLoop(S, "interpreter", "mixed_loop.json"); });
  Add("mixed6/native", nativeMixed6);
  Add("mixed6/llvm",
      [](benchmark::State &S) { mirLoop(S, "llvm", "mixed6_loop.json"); });
  Add("mixed6/interpreter",
      [](benchmark::State &S) { mirLoop(S, "interpreter", "mixed6_loop.json"); });
}

} // namespace

int main(int Argc, char **Argv) {
  // The MIR modules find libspl_testlib.so by the SFFI convention; a
  // SIMPLE_SFFI_PATH already in the environment wins.
  setenv("SIMPLE_SFFI_PATH", SPL_BENCH_SFFI_DIR, /*overwrite=*/0);
  registerAll();
  return runWithRatios(Argc, Argv, "native");
}
