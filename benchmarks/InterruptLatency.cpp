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

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
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
fn @fill() -> i64 {
  let _0: i64 return
  let _1 p: *mut u8 var
  let _2 i: i64 var
  let _3: bool temp
  let _4: *mut u8 temp
  let _5: u8 temp
  let _6: u8 temp
  let _7: u8 temp
bb0:
  _1 = call @rt_alloc(const i64 65536) : fn(i64) -> *mut u8
  goto bb1
bb1:
  _2 = const i64 0
  goto bb2
bb2:
  _3 = binop lt copy _2, const i64 65536
  if copy _3 then bb3 else bb1
bb3:
  _4 = gep copy _1, copy _2
  _5 = load copy _4
  _6 = cast copy _2 to u8
  _7 = binop add copy _5, copy _6
  store copy _4, copy _7
  _2 = binop add copy _2, const i64 1
  goto bb2
}
fn @churn() -> i64 {
  let _0: i64 return
  let _1: *mut u8 temp
bb0:
  _1 = call @rt_alloc(const i64 256) : fn(i64) -> *mut u8
  call @rt_free(copy _1) : fn(*mut u8)
  goto bb0
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
