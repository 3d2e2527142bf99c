//===- tests/tiering/ConcurrencyTest.cpp - Calls never wait for compiles -===//
//
// On every backend: a compile returns while a call is still running on
// another thread; a compile made from inside a running call (a C callback
// of the program, as a language runtime compiles) neither deadlocks nor
// breaks the call it runs in, even when it redefines the running function;
// eight threads calling through handles while a ninth redefines never see a
// wrong or a stale result. A deadlock is ctest's timeout.
//
//===----------------------------------------------------------------------===//
#include "TieringSupport.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace spl;
using namespace spl::tiering;

namespace {

class Concurrency : public testing::TestWithParam<const char *> {
protected:
  std::unique_ptr<ExecManager> manager() {
    // auto promotes at once, in the background, so compiles of its own run
    // beside the host's too.
    return make(GetParam(), {/*Calls=*/2, /*Loops=*/2});
  }
};

std::atomic<bool> SpinStarted{false};

} // namespace

/// Called by spin as it starts (found in this executable: ENABLE_EXPORTS).
extern "C" void rt_tiertest_started() { SpinStarted = true; }

namespace {

const char *const Spin = R"(
fn @spin(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 i: i64 var
  let _3: bool temp
bb0:
  call @rt_tiertest_started() : fn()
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop ne copy _2, copy _1
  if copy _3 then bb2 else bb3
bb2:
  _2 = binop mul copy _2, const i64 3
  _2 = binop add copy _2, const i64 1
  goto bb1
bb3:
  _0 = copy _2
  return
}
)";

TEST_P(Concurrency, ACompileReturnsWhileACallRuns) {
  auto M = manager();
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, Spin + addConst("probe", 0)));
  std::atomic<bool> Done{false};
  std::string SpinError;
  SpinStarted = false;
  std::thread Runner([&] {
    // Runs until interrupted: i = 3i + 1 (mod 2^64) first reaches 2^62
    // after years of steps, and no optimiser knows the trip count (a
    // counted loop to n, -O2 folds into its result).
    auto R = M->callWithI64("spin", {int64_t(1) << 62});
    SpinError = R ? "finished" : R.error().Message;
    Done = true;
  });
  while (!SpinStarted)
    std::this_thread::yield();
  // spin runs now: calls and compiles come back while it does.
  for (int K = 1; K <= 5; ++K) {
    ASSERT_TRUE(compile(*M, addConst("added" + std::to_string(K), K) +
                                addConst("probe", K)));
    EXPECT_EQ(callI64(*M, "added" + std::to_string(K), {10}), 10 + K);
    EXPECT_EQ(callI64(*M, "probe", {1}), 1 + K);
  }
  EXPECT_FALSE(Done) << "the call ended before the compiles: " << SpinError;
  M->interrupt();
  Runner.join();
  EXPECT_EQ(SpinError, "runtime error in `spin`: interrupted");
}

// The manager the callback compiles into, and what it compiles.
ExecManager *CallbackManager = nullptr;
std::string CallbackSource;

} // namespace

/// Called by MIR (found in this executable: ENABLE_EXPORTS): compiles
/// CallbackSource into the manager whose call is running, then calls the
/// function it defines, `added`, and returns its result for x.
extern "C" int64_t rt_tiertest_compile(int64_t X) {
  if (!CallbackManager)
    return -1;
  if (Status S = CallbackManager->compile(CallbackSource, "callback.mir"); !S)
    return -2;
  auto R = CallbackManager->callWithI64("added", {X});
  return R ? R->asI64() : -3;
}

namespace {

const char *const CompilesFromInside = R"(
fn @outer(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = call @rt_tiertest_compile(copy _1) : fn(i64) -> i64
  _0 = binop add copy _2, const i64 1000
  return
}
)";

TEST_P(Concurrency, ACompileFromInsideACallNeitherDeadlocksNorBreaksIt) {
  auto M = manager();
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, CompilesFromInside));
  CallbackManager = M.get();
  for (int K = 1; K <= 4; ++K) {
    // Redefines `added`, and (from the second round) `outer` itself: the
    // running call's own code, which must live until it returns.
    CallbackSource = addConst("added", K) +
                     (K > 1 ? std::string(CompilesFromInside) : std::string());
    EXPECT_EQ(callI64(*M, "outer", {5}), 5 + K + 1000) << "round " << K;
  }
  CallbackManager = nullptr;
  EXPECT_EQ(callI64(*M, "added", {1}), 1 + 4);
}

TEST_P(Concurrency, EightThreadsCallWhileOneRedefines) {
  auto M = manager();
  ASSERT_TRUE(M);
  ASSERT_TRUE(compile(*M, addConst("f", 0) + R"(
fn @g(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = call @f(copy _1) : fn(i64) -> i64
  _0 = binop mul copy _2, const i64 2
  return
}
)"));
  auto G = M->lookup("g");
  ASSERT_TRUE(bool(G)) << G.error().Message;
  const int64_t Rounds = 150;
  std::atomic<int64_t> Current{0}; // the last K whose compile returned
  std::atomic<bool> Stop{false};
  std::mutex FailMu;
  std::string FirstFailure;
  std::vector<std::thread> Pool;
  for (int T = 0; T < 8; ++T)
    Pool.emplace_back([&, T] {
      int64_t Seen = 0;
      for (int64_t I = 0; !Stop || I < 50; ++I) {
        int64_t X = T * 1000 + I % 100;
        int64_t Before = Current.load();
        auto R = M->callWithBits(*G, {uint64_t(X)});
        int64_t After = Current.load();
        // g(x) = 2 (x + K) for a K compiled by now, never older than the
        // last one this thread saw or than the last compile that returned
        // before the call (K moves by one per round, so the next may be in
        // flight).
        int64_t K = R ? int64_t(R->bits()) / 2 - X : -1;
        bool Ok = R && int64_t(R->bits()) % 2 == 0 && K >= Seen &&
                  K >= Before && K <= After + 1;
        if (!Ok) {
          std::lock_guard<std::mutex> L(FailMu);
          if (FirstFailure.empty())
            FirstFailure = "thread " + std::to_string(T) + " x=" +
                           std::to_string(X) + ": " +
                           (R ? "g=" + std::to_string(int64_t(R->bits()))
                              : R.error().Message) +
                           " after K=" + std::to_string(Before);
        }
        Seen = std::max(Seen, K);
      }
    });
  for (int64_t K = 1; K <= Rounds; ++K) {
    ASSERT_TRUE(compile(*M, addConst("f", K)));
    Current = K;
  }
  Stop = true;
  for (std::thread &T : Pool)
    T.join();
  EXPECT_EQ(FirstFailure, "");
  EXPECT_EQ(callI64(*M, "g", {1}), 2 * (1 + Rounds));
}

INSTANTIATE_TEST_SUITE_P(Backends, Concurrency,
                         testing::Values("interpreter", "llvm", "auto"),
                         [](const testing::TestParamInfo<const char *> &I) {
                           return std::string(I.param);
                         });

} // namespace
