//===- benchmarks/micro/DispatchBench.cpp - Interpreter cost per operation -===//
//
// spin(n): a loop whose body is the loop_int kernel, exactly 10 MIR operations
// per iteration (7 instructions, 3 terminators: Lt, If; Mul, Rem, Add, Copy,
// Goto; Add, Copy, Goto). The "per_op" counter is CPU time / (10 n): the
// interpreter's average dispatch + execute cost of one MIR operation, beside
// the same loop JIT-compiled (dispatch/llvm) for scale.
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"

#include <benchmark/benchmark.h>

using namespace spl;

namespace {
constexpr int64_t N = 1'000'000;
constexpr int64_t OpsPerIteration = 10;

const char *Spin = R"({"name":"spin","functions":[{"symbol":1,"name":"spin",
"signature":{"params":["I64"],"return_type":"I64","is_variadic":false},
"locals":[{"id":0,"name":"_return","type":"I64","kind":"Return"},
{"id":1,"name":"n","type":"I64","kind":{"Arg":0}},
{"id":2,"name":"s","type":"I64","kind":"Var"},
{"id":3,"name":"i","type":"I64","kind":"Var"},
{"id":4,"name":null,"type":"Bool","kind":"Temp"},
{"id":5,"name":null,"type":"I64","kind":"Temp"},
{"id":6,"name":null,"type":"I64","kind":"Temp"},
{"id":7,"name":null,"type":"I64","kind":"Temp"},
{"id":8,"name":null,"type":"I64","kind":"Temp"}],
"blocks":[
{"id":0,"label":"entry","instructions":[
 {"Const":{"dest":2,"value":0,"type":"I64"}},{"Const":{"dest":3,"value":0,"type":"I64"}}],
 "terminator":{"Goto":1}},
{"id":1,"label":"cond","instructions":[
 {"BinOp":{"dest":4,"op":"Lt","left":{"Copy":3},"right":{"Copy":1}}}],
 "terminator":{"If":{"cond":{"Copy":4},"then":2,"else":4}}},
{"id":2,"label":"body","instructions":[
 {"BinOp":{"dest":5,"op":"Mul","left":{"Copy":3},"right":{"Copy":3}}},
 {"BinOp":{"dest":6,"op":"Rem","left":{"Copy":5},"right":{"Const":{"value":7,"type":"I64"}}}},
 {"BinOp":{"dest":7,"op":"Add","left":{"Copy":2},"right":{"Copy":6}}},
 {"Copy":{"dest":2,"src":7}}],
 "terminator":{"Goto":3}},
{"id":3,"label":"inc","instructions":[
 {"BinOp":{"dest":8,"op":"Add","left":{"Copy":3},"right":{"Const":{"value":1,"type":"I64"}}}},
 {"Copy":{"dest":3,"src":8}}],
 "terminator":{"Goto":1}},
{"id":4,"label":"exit","instructions":[],"terminator":{"Return":{"Copy":2}}}],
"entry_block":0}]})";

/// sum of (i * i) % 7 for i < N, computed here to check every call.
int64_t expected() {
  int64_t S = 0;
  for (int64_t I = 0; I < N; ++I)
    S += (I * I) % 7;
  return S;
}

void dispatch(benchmark::State &S, const char *Backend) {
  Options O;
  O.Backend = Backend;
  auto M = ExecManager::create(O);
  if (!M) {
    S.SkipWithError(M.error().Message.c_str());
    return;
  }
  if (Status St = (*M)->compile(Spin, "spin"); !St) {
    S.SkipWithError(St.error().Message.c_str());
    return;
  }
  const int64_t Want = expected();
  for (auto _ : S) {
    auto R = (*M)->call("spin", {Value::i64(N)});
    if (!R || R->asI64() != Want) {
      S.SkipWithError(R ? "wrong result" : R.error().Message.c_str());
      return;
    }
  }
  S.counters["per_op"] = benchmark::Counter(
      double(S.iterations()) * N * OpsPerIteration,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
} // namespace

int main(int Argc, char **Argv) {
  for (const char *B : {"interpreter", "llvm"})
    benchmark::RegisterBenchmark((std::string("dispatch/") + B).c_str(),
                                 [B](benchmark::State &S) { dispatch(S, B); })
        ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&Argc, Argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
