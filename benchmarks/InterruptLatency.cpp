//===- benchmarks/InterruptLatency.cpp - interrupt() to the call's return -===//
//
// For each backend: 20 times, a thread calls an endless loop (`count`) or
// naive recursion (`fib(60)`), the main thread waits 20 ms, interrupts, and
// measures the time until the call has returned its error. Prints the median
// and the worst, in microseconds. Measured, never asserted (README.md).
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace spl;
using Clock = std::chrono::steady_clock;

static const char *Program = R"(module "latency"
fn @count() -> i64 {
  let _0: i64 return
  let _1 i: i64 var
bb0:
  _1 = const i64 0
  goto bb1
bb1:
  _1 = binop add copy _1, const i64 1
  goto bb1
}
fn @fib(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
  let _4: i64 temp
  let _5: i64 temp
  let _6: i64 temp
bb0:
  _2 = binop lt copy _1, const i64 2
  if copy _2 then bb1 else bb2
bb1:
  return copy _1
bb2:
  _3 = binop sub copy _1, const i64 1
  _4 = call @fib(copy _3) : fn(i64) -> i64
  _5 = binop sub copy _1, const i64 2
  _6 = call @fib(copy _5) : fn(i64) -> i64
  _0 = binop add copy _4, copy _6
  return copy _0
}
)";

int main() {
  struct Case {
    const char *Name, *Backend;
    unsigned Opt;
  } Cases[] = {{"interpreter", "interpreter", 2},
               {"llvm -O0", "llvm", 0},
               {"llvm -O2", "llvm", 2},
               {"auto", "auto", 2}};
  for (const Case &C : Cases)
    for (const char *Fn : {"count", "fib"}) {
      Options O;
      O.Backend = C.Backend;
      O.OptLevel = C.Opt;
      auto M = ExecManager::create(O);
      if (!M || !(*M)->compile(Program)) {
        std::fprintf(stderr, "setup failed\n");
        return 1;
      }
      std::vector<double> Us;
      for (int I = 0; I < 20; ++I) {
        std::atomic<int64_t> Returned{0};
        std::thread T([&] {
          std::vector<Value> Args;
          if (Fn[0] == 'f')
            Args.push_back(Value::i64(60));
          auto R = (*M)->call(Fn, Args);
          Returned = Clock::now().time_since_epoch().count();
          if (R)
            std::fprintf(stderr, "call returned a value\n");
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        auto T0 = Clock::now();
        (*M)->interrupt();
        T.join();
        Us.push_back(double(Returned.load() - T0.time_since_epoch().count()) /
                     1000.0);
      }
      std::sort(Us.begin(), Us.end());
      std::printf("%-12s %-6s median %8.1f us  max %8.1f us\n", C.Name, Fn,
                  (Us[9] + Us[10]) / 2, Us.back());
    }
  return 0;
}
