//===- benchmarks/micro/ExecuteAbiBench.cpp - The two execute ABIs --------===//
//
// One host call of a MIR function add(i64, i64) -> i64 through the C API, as
// compiled Simple makes it and as a C host makes it:
//
//   execute/{interpreter,llvm}       rt_exec_manager_execute(h, "add", arr):
//                                    arr a runtime array of two tagged ints,
//                                    decoded through the runtime's functions
//   execute_args/{interpreter,llvm}  rt_exec_manager_execute_args(h, "add",
//                                    args, 2): a pointer and a count
//
// The table printed last gives ns per call and each row's ratio to
// execute_args/<same backend> ("GROUP" here is the backend).
//
//===----------------------------------------------------------------------===//

#include "benchmarks/BenchSupport.h"

#include "runtime/spl_runtime.h"
#include "spl/exec_manager.h"

#include <string>

using namespace spl::bench;

namespace {

constexpr int64_t CallsPerIteration = 10'000;

const char *Program = R"({"name":"abi","functions":[{"symbol":1,"name":"add",
"signature":{"params":["I64","I64"],"return_type":"I64","is_variadic":false},
"locals":[{"id":0,"name":null,"type":"I64","kind":"Return"},
{"id":1,"name":"a","type":"I64","kind":{"Arg":0}},
{"id":2,"name":"b","type":"I64","kind":{"Arg":1}}],
"blocks":[{"id":0,"label":"entry","instructions":[{"BinOp":{"dest":0,"op":"Add",
"left":{"Copy":1},"right":{"Copy":2}}}],"terminator":{"Return":null}}],
"entry_block":0}]})";

int64_t manager(benchmark::State &S, const char *Backend) {
  int64_t H = rt_exec_manager_create(Backend);
  if (!H || *rt_exec_manager_compile(H, Program)) {
    S.SkipWithError("could not create the manager or compile");
    return 0;
  }
  return H;
}

void tagged(benchmark::State &S, const char *Backend) {
  int64_t H = manager(S, Backend);
  if (!H)
    return;
  int64_t Arr = rt_array_new(2);
  rt_array_push(Arr, rt_value_int_wide(20));
  rt_array_push(Arr, rt_value_int_wide(22));
  for (auto _ : S)
    for (int64_t I = 0; I < CallsPerIteration; ++I)
      if (rt_exec_manager_execute(H, "add", Arr) != 42) {
        S.SkipWithError("wrong result");
        break;
      }
  setPerCall(S, CallsPerIteration);
  rt_exec_manager_cleanup(H);
}

void pointerCount(benchmark::State &S, const char *Backend) {
  int64_t H = manager(S, Backend);
  if (!H)
    return;
  const int64_t Args[2] = {20, 22};
  for (auto _ : S)
    for (int64_t I = 0; I < CallsPerIteration; ++I)
      if (rt_exec_manager_execute_args(H, "add", Args, 2) != 42) {
        S.SkipWithError("wrong result");
        break;
      }
  setPerCall(S, CallsPerIteration);
  rt_exec_manager_cleanup(H);
}

} // namespace

int main(int Argc, char **Argv) {
  for (const char *B : {"interpreter", "llvm"}) {
    std::string G = B;
    benchmark::RegisterBenchmark((G + "/execute").c_str(),
                                 [B](benchmark::State &S) { tagged(S, B); })
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((G + "/execute_args").c_str(),
                                 [B](benchmark::State &S) { pointerCount(S, B); })
        ->Unit(benchmark::kMillisecond);
  }
  return runWithRatios(Argc, Argv, "execute_args");
}
