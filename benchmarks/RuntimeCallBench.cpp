//===- benchmarks/RuntimeCallBench.cpp - The cost of runtime-ABI calls -----===//
//
// ns per call of the Simple runtime functions compiled MIR calls most, each
// against the same C function called from C in the same run:
//
//   array_get/{native,llvm,interpreter}      rt_array_get(a, i & 15), 16 items
//   array_push/{native,llvm,interpreter}     rt_array_push(a, i) into one array
//   strcat_tagged/{native,llvm,interpreter}  rt_strcat_tagged of two 16-byte
//                                            strings + rt_string_free
//   dict_get/{native,llvm,interpreter}       rt_dict_get hit on an int key
//
// The MIR modules are benchmarks/runtime_call/*.json (made by gen.py there),
// with calls in the compiler's shape ("params": [] callee types). "native"
// calls through volatile function pointers so the compiler cannot inline or
// hoist the call: what JIT code does is a direct call, so JIT/native <= 1 is
// possible.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"

#include "runtime/spl_runtime.h"

#include <cstring>

using namespace spl;
using namespace spl::bench;

namespace {

constexpr int64_t CallsPerIteration = 1'000'000;

void nativeArrayGet(benchmark::State &S) {
  int64_t (*volatile Get)(int64_t, int64_t) = rt_array_get;
  int64_t A = rt_array_new(0);
  for (int64_t V = 0; V < 16; ++V)
    rt_array_push(A, V << 3);
  for (auto _ : S) {
    int64_t Acc = 0;
    for (int64_t I = 0; I < CallsPerIteration; ++I)
      Acc += Get(A, I & 15);
    benchmark::DoNotOptimize(Acc);
  }
  setPerCall(S, CallsPerIteration);
}

void nativeArrayPush(benchmark::State &S) {
  auto Push = rt_array_push;
  auto *volatile PushV = Push;
  int64_t A = rt_array_new(0);
  for (auto _ : S)
    for (int64_t I = 0; I < CallsPerIteration; ++I)
      PushV(A, I);
  setPerCall(S, CallsPerIteration);
}

void nativeStrcat(benchmark::State &S) {
  int64_t (*volatile Cat)(int64_t, int64_t) = rt_strcat_tagged;
  auto *volatile Free = rt_string_free;
  const char *L = "abcdefghijklmnop", *R = "ABCDEFGHIJKLMNOP";
  int64_t A = rt_string_new(reinterpret_cast<const uint8_t *>(L), 16);
  int64_t B = rt_string_new(reinterpret_cast<const uint8_t *>(R), 16);
  for (auto _ : S)
    for (int64_t I = 0; I < CallsPerIteration; ++I)
      Free(Cat(A, B));
  setPerCall(S, CallsPerIteration);
}

void nativeDictGet(benchmark::State &S) {
  int64_t (*volatile Get)(int64_t, int64_t) = rt_dict_get;
  int64_t D = rt_dict_new(8);
  rt_dict_set(D, 8, 16);
  for (auto _ : S) {
    int64_t Acc = 0;
    for (int64_t I = 0; I < CallsPerIteration; ++I)
      Acc += Get(D, 8);
    benchmark::DoNotOptimize(Acc);
  }
  setPerCall(S, CallsPerIteration);
}

void mirLoop(benchmark::State &S, const char *Backend, const std::string &File) {
  LoadedModule L = loadModule(Backend, "../runtime_call/" + File);
  if (!L.M) {
    S.SkipWithError(L.Error.c_str());
    return;
  }
  std::vector<Value> Args{Value::i64(CallsPerIteration)};
  if (!callExpecting(S, *L.M, "loop", Args, CallsPerIteration))
    return;
  for (auto _ : S)
    if (!callExpecting(S, *L.M, "loop", Args, CallsPerIteration))
      break;
  setPerCall(S, CallsPerIteration);
}

void registerAll() {
  auto Add = [](const std::string &Name, auto Fn) {
    benchmark::RegisterBenchmark(Name.c_str(), Fn)
        ->Unit(benchmark::kMillisecond);
  };
  struct Group {
    const char *Name;
    void (*Native)(benchmark::State &);
  };
  static const Group Groups[] = {{"array_get", nativeArrayGet},
                                 {"array_push", nativeArrayPush},
                                 {"strcat_tagged", nativeStrcat},
                                 {"dict_get", nativeDictGet}};
  for (const Group &G : Groups) {
    std::string N = G.Name;
    Add(N + "/native", G.Native);
    for (const char *B : {"llvm", "interpreter"})
      Add(N + "/" + B, [N, B](benchmark::State &S) {
        mirLoop(S, B, N + ".json");
      });
  }
}

} // namespace

int main(int Argc, char **Argv) {
  registerAll();
  return runWithRatios(Argc, Argv, "native");
}
