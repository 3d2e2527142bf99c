//===- benchmarks/BenchSupport.h - Shared pieces of the Google Benchmarks -*- C++ -*-===//
//
// What extern_call_bench and torch_loop_bench share: loading a MIR module of
// benchmarks/extern_call/ into a manager of one backend, a per-call counter,
// and a main() that prints, after Google Benchmark's own table, each
// benchmark's cost per call and its ratio to its group's baseline.
//
// Naming: every benchmark is "GROUP/RUNNER"; the ratio of GROUP/RUNNER is
// taken against GROUP/<baseline runner> (e.g. extern_call/native).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_BENCHMARKS_BENCHSUPPORT_H
#define SPL_BENCHMARKS_BENCHSUPPORT_H

#include "spl/ExecManager.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace spl::bench {

/// A manager of Backend holding benchmarks/extern_call/File, or the reason
/// it could not be made (M null, Error set). Made once per (Backend, File)
/// and kept until exit: Google Benchmark calls a benchmark function several
/// times while it settles the iteration count, and one compile is enough.
struct LoadedModule {
  ExecManager *M = nullptr;
  std::string Error;
};
LoadedModule loadModule(const std::string &Backend, const std::string &File);

/// Calls Fn(Args) and checks that it returned the integer Expected. On any
/// failure marks the benchmark as errored and returns false.
bool callExpecting(benchmark::State &S, ExecManager &M, const char *Fn,
                   const std::vector<Value> &Args, int64_t Expected);

/// Reports the cost of one call when every iteration made CallsPerIteration
/// calls: the "per_call" counter, in seconds (CPU time).
void setPerCall(benchmark::State &S, int64_t CallsPerIteration);

/// Runs the registered benchmarks with Google Benchmark's console output,
/// then the per-call / ratio table against GROUP/BaselineRunner.
int runWithRatios(int Argc, char **Argv, const std::string &BaselineRunner);

} // namespace spl::bench

#endif // SPL_BENCHMARKS_BENCHSUPPORT_H
