//===- benchmarks/InterruptLatency.cpp - interrupt() to the call's return -===//
//
// For each backend: 20 times, a thread calls an endless loop (`count`),
// naive recursion (`fib(60)`), an endless loop over memory the JIT
// vectorises (`fill`: no poll in it, only the signal ends it) or one that
// calls the runtime (`churn`: rt_alloc and rt_free, where the signal leaves
// it running and the loop's poll ends it); the main thread waits 20 ms,
// interrupts, and measures the time until the call has returned its error.
// Prints the median and the worst, in microseconds. Measured, never asserted
// (README.md).
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"
#include "tests/programs/Programs.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace spl;
using Clock = std::chrono::steady_clock;

// count, fib, fill and churn: tests/programs, shared with the tests.
static const std::string Program = spl::test_programs::programs(
    "latency", {"count", "fib", "fill", "churn"});

int main() {
  struct Case {
    const char *Name, *Backend;
    unsigned Opt;
  } Cases[] = {{"interpreter", "interpreter", 2},
               {"llvm -O0", "llvm", 0},
               {"llvm -O2", "llvm", 2},
               {"auto", "auto", 2}};
  for (const Case &C : Cases)
    for (const char *Fn : {"count", "fib", "fill", "churn"}) {
      Options O;
      O.Backend = C.Backend;
      O.OptLevel = C.Opt;
      auto M = ExecManager::create(O);
      if (!M || !(*M)->compile(Program)) {
        std::fprintf(stderr, "setup failed\n");
        return 1;
      }
      std::vector<double> Us;
      unsigned Again = 0;
      for (int I = 0; I < 20; ++I) {
        std::atomic<int64_t> Returned{0};
        std::atomic<bool> Started{false};
        std::thread T([&] {
          std::vector<Value> Args;
          if (std::string(Fn) == "fib")
            Args.push_back(Value::i64(60));
          Started = true;
          auto R = (*M)->call(Fn, Args);
          Returned = Clock::now().time_since_epoch().count();
          if (R)
            std::fprintf(stderr, "call returned a value\n");
        });
        while (!Started.load())
          std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        // An interrupt before the call really started (a thread not yet
        // scheduled on a loaded machine) concerns nothing: after a second
        // without a return, interrupt again and time from there.
        Clock::time_point T0;
        do {
          T0 = Clock::now();
          (*M)->interrupt();
          while (!Returned.load() && Clock::now() - T0 < std::chrono::seconds(1))
            std::this_thread::sleep_for(std::chrono::microseconds(50));
          Again += !Returned.load();
        } while (!Returned.load());
        T.join();
        Us.push_back(double(Returned.load() - T0.time_since_epoch().count()) /
                     1000.0);
      }
      std::sort(Us.begin(), Us.end());
      std::printf("%-12s %-6s median %8.1f us  max %8.1f us  (%u sent again)\n",
                  C.Name, Fn, (Us[9] + Us[10]) / 2, Us.back(), Again);
      std::fflush(stdout);
    }
  return 0;
}
