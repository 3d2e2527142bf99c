//===- tests/limits/InterruptTest.cpp - interrupt() and time limits -------===//
//
// ExecManager::interrupt and rt_exec_manager_interrupt end a running call on
// every backend with "runtime error in `FN`: interrupted"; the manager stays
// usable; an interrupt while nothing runs does not touch the next call; a
// per-call time limit ends a call with "time limit of N ms exceeded".
//
//===----------------------------------------------------------------------===//
#include "LimitsSupport.h"

#include "spl/exec_manager.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <sys/time.h>
#include <thread>

using namespace spl;
using namespace spl::limits_test;

namespace {

class Interrupt : public testing::TestWithParam<BackendCase> {
protected:
  void SetUp() override {
    M = makeManager(GetParam());
    ASSERT_TRUE(M);
    Status S = M->compile(Programs, "limits.mir");
    ASSERT_TRUE(bool(S)) << S.error().Message;
  }

  /// Calls Fn(Args) on this thread while another thread interrupts the
  /// manager every few milliseconds until the call returns (so an interrupt
  /// that lands before the call really started is followed by more).
  Result<Value> callInterrupted(const std::string &Fn,
                                std::vector<Value> Args) {
    std::atomic<bool> Done{false};
    std::thread T([&] {
      while (!Done.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        M->interrupt();
      }
    });
    auto R = M->call(Fn, Args);
    Done = true;
    T.join();
    return R;
  }

  void expectRuntimeError(const Result<Value> &R, const std::string &Text) {
    ASSERT_FALSE(bool(R));
    EXPECT_EQ(R.error().K, ExecError::Kind::Runtime);
    EXPECT_EQ(R.error().Message, Text);
  }

  std::unique_ptr<ExecManager> M;
};

TEST_P(Interrupt, EndsAnEndlessGotoLoop) {
  expectRuntimeError(callInterrupted("spin", {}),
                     "runtime error in `spin`: interrupted");
}

TEST_P(Interrupt, EndsALoopThatCounts) {
  expectRuntimeError(callInterrupted("count", {}),
                     "runtime error in `count`: interrupted");
}

TEST_P(Interrupt, EndsDeepRecursionWithoutLoops) {
  // fib(60) makes ~10^12 calls and never loops: the interpreter and JIT
  // code make no call out of MIR code, so the signal ends it there.
  expectRuntimeError(callInterrupted("fib", {Value::i64(60)}),
                     "runtime error in `fib`: interrupted");
}

TEST_P(Interrupt, EndsALoopWithNoPollInIt) {
  // At -O2 `fill`'s inner loop is vectorised (tests/jit/PollTest.cpp shows
  // it has no poll): the signal ends it wherever it is.
  expectRuntimeError(callInterrupted("fill", {}),
                     "runtime error in `fill`: interrupted");
  auto R = M->call("add", {Value::i64(1), Value::i64(2)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asI64(), 3);
}

TEST_P(Interrupt, EndsALoopThatSleepsInNativeCode) {
  // Nearly all its time is in usleep, where the signal leaves it running
  // (it only cuts the sleep short): the loop's poll ends it.
  expectRuntimeError(callInterrupted("naps", {}),
                     "runtime error in `naps`: interrupted");
}

TEST_P(Interrupt, TimeLimitEndsALoopWithNoPollInIt) {
  M->setTimeLimit(50);
  expectRuntimeError(M->call("fill", {}),
                     "runtime error in `fill`: time limit of 50 ms exceeded");
  expectRuntimeError(M->call("naps", {}),
                     "runtime error in `naps`: time limit of 50 ms exceeded");
}

TEST_P(Interrupt, ManagerIsUsableAfterwards) {
  expectRuntimeError(callInterrupted("spin", {}),
                     "runtime error in `spin`: interrupted");
  auto R = M->call("add", {Value::i64(2), Value::i64(3)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asI64(), 5);
  auto F = M->call("fib", {Value::i64(20)});
  ASSERT_TRUE(bool(F)) << F.error().Message;
  EXPECT_EQ(F->asI64(), 6765);
  // And it can be interrupted again.
  expectRuntimeError(callInterrupted("count", {}),
                     "runtime error in `count`: interrupted");
}

TEST_P(Interrupt, WhileNothingRunsDoesNotAffectTheNextCall) {
  M->interrupt();
  M->interrupt();
  auto R = M->call("fib", {Value::i64(25)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asI64(), 75025);
  // Also after a call that was interrupted: its raise is not left behind.
  expectRuntimeError(callInterrupted("spin", {}),
                     "runtime error in `spin`: interrupted");
  M->interrupt();
  auto S = M->call("fib", {Value::i64(25)});
  ASSERT_TRUE(bool(S)) << S.error().Message;
  EXPECT_EQ(S->asI64(), 75025);
}

TEST_P(Interrupt, EndsCallsOnEveryThread) {
  std::vector<std::thread> Ts;
  std::vector<std::string> Errors(3);
  std::atomic<int> Started{0};
  for (int K = 0; K < 3; ++K)
    Ts.emplace_back([&, K] {
      ++Started;
      auto R = M->call(K == 1 ? "fib" : "count",
                       K == 1 ? std::vector<Value>{Value::i64(60)}
                              : std::vector<Value>{});
      Errors[K] = R ? "returned" : R.error().Message;
    });
  while (Started.load() < 3)
    std::this_thread::yield();
  // Until all three have ended (a thread may enter its call late).
  for (int I = 0; I < 500; ++I) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    M->interrupt();
    bool All = true;
    for (auto &E : Errors)
      All &= !E.empty();
    if (All)
      break;
  }
  for (auto &T : Ts)
    T.join();
  EXPECT_EQ(Errors[0], "runtime error in `count`: interrupted");
  EXPECT_EQ(Errors[1], "runtime error in `fib`: interrupted");
  EXPECT_EQ(Errors[2], "runtime error in `count`: interrupted");
}

TEST_P(Interrupt, TimeLimitEndsTheCall) {
  M->setTimeLimit(100);
  expectRuntimeError(M->call("spin", {}),
                     "runtime error in `spin`: time limit of 100 ms exceeded");
  expectRuntimeError(M->call("fib", {Value::i64(60)}),
                     "runtime error in `fib`: time limit of 100 ms exceeded");
  // A call inside the budget is untouched.
  auto R = M->call("add", {Value::i64(40), Value::i64(2)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asI64(), 42);
  // Off again: fib(27) runs to its end whatever it takes.
  M->setTimeLimit(0);
  auto F = M->call("fib", {Value::i64(27)});
  ASSERT_TRUE(bool(F)) << F.error().Message;
  EXPECT_EQ(F->asI64(), 196418);
}

TEST_P(Interrupt, TimeLimitFromOptions) {
  Options O;
  O.TimeLimitMs = 50;
  auto N = makeManager(GetParam(), O);
  ASSERT_TRUE(N);
  ASSERT_TRUE(bool(N->compile(Programs, "limits.mir")));
  EXPECT_EQ(N->timeLimit(), 50u);
  auto R = N->call("count", {});
  ASSERT_FALSE(bool(R));
  EXPECT_EQ(R.error().Message,
            "runtime error in `count`: time limit of 50 ms exceeded");
}

// The C API from a signal handler: SIGALRM fires every 30 ms and its
// handler calls rt_exec_manager_interrupt, nothing else.
std::atomic<int64_t> AlarmHandle{0};
extern "C" void onAlarm(int) { rt_exec_manager_interrupt(AlarmHandle.load()); }

TEST_P(Interrupt, FromASignalHandler) {
  int64_t H = rt_exec_manager_create(GetParam().Backend);
  ASSERT_NE(H, 0) << rt_exec_manager_get_last_error(0);
  ASSERT_TRUE(rt_exec_manager_set_opt_level(H, GetParam().OptLevel));
  ASSERT_STREQ(rt_exec_manager_compile(H, Programs), "");
  AlarmHandle = H;
  struct sigaction SA = {}, Old = {};
  SA.sa_handler = onAlarm;
  sigemptyset(&SA.sa_mask);
  SA.sa_flags = SA_RESTART;
  ASSERT_EQ(sigaction(SIGALRM, &SA, &Old), 0);
  itimerval T = {}, Off = {};
  T.it_value.tv_usec = 30000;
  T.it_interval.tv_usec = 30000;
  ASSERT_EQ(setitimer(ITIMER_REAL, &T, nullptr), 0);
  int64_t R = rt_exec_manager_execute_args(H, "spin", nullptr, 0);
  std::string Err = rt_exec_manager_get_last_error(H);
  int64_t Fib = 60;
  int64_t R2 = rt_exec_manager_execute_args(H, "fib", &Fib, 1);
  std::string Err2 = rt_exec_manager_get_last_error(H);
  setitimer(ITIMER_REAL, &Off, nullptr);
  sigaction(SIGALRM, &Old, nullptr);
  EXPECT_EQ(R, 0);
  EXPECT_EQ(Err, "runtime error in `spin`: interrupted");
  EXPECT_EQ(R2, 0);
  EXPECT_EQ(Err2, "runtime error in `fib`: interrupted");
  // Usable afterwards, with no alarm.
  int64_t Args[2] = {20, 22};
  EXPECT_EQ(rt_exec_manager_execute_args(H, "add", Args, 2), 42);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H), "");
  rt_exec_manager_cleanup(H);
  AlarmHandle = 0;
  // A cleaned-up or unknown handle: false, and nothing recorded.
  EXPECT_FALSE(rt_exec_manager_interrupt(H));
  EXPECT_FALSE(rt_exec_manager_interrupt(0));
}

TEST_P(Interrupt, CTimeLimitSetter) {
  int64_t H = rt_exec_manager_create(GetParam().Backend);
  ASSERT_NE(H, 0);
  ASSERT_TRUE(rt_exec_manager_set_opt_level(H, GetParam().OptLevel));
  ASSERT_STREQ(rt_exec_manager_compile(H, Programs), "");
  EXPECT_FALSE(rt_exec_manager_set_time_limit(H, -1));
  EXPECT_STREQ(rt_exec_manager_get_last_error(H),
               "set_time_limit: -1 is out of range 0..9223372036854775807");
  ASSERT_TRUE(rt_exec_manager_set_time_limit(H, 80));
  EXPECT_EQ(rt_exec_manager_execute_args(H, "spin", nullptr, 0), 0);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H),
               "runtime error in `spin`: time limit of 80 ms exceeded");
  rt_exec_manager_cleanup(H);
  EXPECT_FALSE(rt_exec_manager_set_time_limit(H, 10));
}

INSTANTIATE_TEST_SUITE_P(Backends, Interrupt, testing::ValuesIn(AllBackends),
                         caseName);

} // namespace
