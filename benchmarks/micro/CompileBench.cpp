//===- benchmarks/micro/CompileBench.cpp - Manager creation and compile ---===//
//
// What a host pays before the first call:
//
//   create/{interpreter,llvm,auto}          ExecManager::create alone
//   compile/BACKEND_O{0,2}/PROGRAM          create + compile of a program of
//                                           benchmarks/programs (fib: 2 small
//                                           functions; matmul: one with 4
//                                           nested loops; nbody: ~1,500
//                                           instructions)
//
// compile is eager in every backend (the llvm backend JIT-compiles the whole
// module before it returns), so this is the whole latency to a callable
// function. Times are wall time per iteration.
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

using namespace spl;

namespace {
std::string program(const std::string &Name) {
  std::ifstream In(SPL_BENCH_PROGRAMS_DIR "/" + Name + ".json");
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

void create(benchmark::State &S, const char *Backend) {
  Options O;
  O.Backend = Backend;
  for (auto _ : S) {
    auto M = ExecManager::create(O);
    if (!M) {
      S.SkipWithError(M.error().Message.c_str());
      return;
    }
    benchmark::DoNotOptimize(M);
  }
}

void compile(benchmark::State &S, const char *Backend, unsigned Opt,
             const std::string &Name) {
  std::string Source = program(Name);
  if (Source.empty()) {
    S.SkipWithError(("cannot read " + Name + ".json").c_str());
    return;
  }
  Options O;
  O.Backend = Backend;
  O.OptLevel = Opt;
  for (auto _ : S) {
    auto M = ExecManager::create(O);
    if (!M) {
      S.SkipWithError(M.error().Message.c_str());
      return;
    }
    if (Status St = (*M)->compile(Source, Name); !St) {
      S.SkipWithError(St.error().Message.c_str());
      return;
    }
  }
}
} // namespace

int main(int Argc, char **Argv) {
  for (const char *B : {"interpreter", "llvm", "auto"})
    benchmark::RegisterBenchmark((std::string("create/") + B).c_str(),
                                 [B](benchmark::State &S) { create(S, B); })
        ->Unit(benchmark::kMicrosecond);
  for (const char *P : {"fib", "matmul", "nbody"})
    for (auto [B, Opt] : {std::pair{"interpreter", 2u}, std::pair{"llvm", 0u},
                          std::pair{"llvm", 2u}, std::pair{"auto", 2u}}) {
      std::string Name = std::string("compile/") + B + "_O" + std::to_string(Opt) + "/" + P;
      benchmark::RegisterBenchmark(Name.c_str(), [B = B, Opt = Opt, P](benchmark::State &S) {
        compile(S, B, Opt, P);
      })->Unit(benchmark::kMillisecond);
    }
  benchmark::Initialize(&Argc, Argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
