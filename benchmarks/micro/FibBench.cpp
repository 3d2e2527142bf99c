//===- benchmarks/micro/FibBench.cpp - JIT'd fib against clang's, in process ===//
//
// The call-depth check's cost (issue 10) on the program made of nothing but
// calls, without process start-up or code of another process in the way:
//
//   fib/native   fib(27) of benchmarks/programs/fib.c, compiled by clang-19
//                -O2 (the JIT's LLVM) into this program (baseline)
//   fib/llvm     fib(27) of programs/fib.json, JIT-compiled at -O2 by the
//                llvm backend and called through the C API
//                (rt_exec_manager_execute_args, as a C host calls it)
//
// Both are the same naive recursion: neither compiler inlines fib into
// itself (GCC does, which is why gcc is no baseline here). Each call of the
// JIT'd one also pays the C API's entry (a guard, the argument words), well
// under a microsecond against fib(27)'s ~0.4 ms. Code placement moves both by
// several percent from one build to the next: compare ratios of one run.
//
//===----------------------------------------------------------------------===//
#include "benchmarks/BenchSupport.h"

#include "spl/exec_manager.h"

#include <cstdint>
#include <string>

extern "C" int64_t spl_bench_fib_twin(int64_t N);

namespace {

constexpr int64_t N = 27;
constexpr int64_t Fib27 = 196418;

void native(benchmark::State &S) {
  for (auto _ : S) {
    int64_t Arg = N;
    benchmark::DoNotOptimize(Arg); // no constant folding of the call
    int64_t R = spl_bench_fib_twin(Arg);
    if (R != Fib27) {
      S.SkipWithError("the C twin returned a wrong fib(27)");
      return;
    }
  }
  spl::bench::setPerCall(S, 1);
}

void llvm(benchmark::State &S) {
  // Once for every run of this function: Google Benchmark calls it several
  // times while it settles the iteration count.
  static int64_t H = [] {
    int64_t H = rt_exec_manager_create("llvm");
    const char *E =
        rt_exec_manager_compile_file(H, SPL_BENCH_PROGRAMS_DIR "/fib.json");
    return E && *E ? 0 : H;
  }();
  if (!H) {
    S.SkipWithError("cannot compile programs/fib.json with the llvm backend");
    return;
  }
  for (auto _ : S) {
    int64_t Arg = N;
    int64_t R = rt_exec_manager_execute_args(H, "fib", &Arg, 1);
    if (R != Fib27) {
      S.SkipWithError(rt_exec_manager_get_last_error(H));
      return;
    }
  }
  spl::bench::setPerCall(S, 1);
}

} // namespace

int main(int Argc, char **Argv) {
  benchmark::RegisterBenchmark("fib/native", native)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("fib/llvm", llvm)->Unit(benchmark::kMicrosecond);
  return spl::bench::runWithRatios(Argc, Argv, "native");
}
