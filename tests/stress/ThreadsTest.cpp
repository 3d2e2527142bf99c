//===- tests/stress/ThreadsTest.cpp - Executing while others compile ------===//
//
// One manager, 8 threads executing while a ninth compiles: it redefines
// `other` (returning K, for K = 1..R) and adds new functions. Every result
// is checked; a thread's successive reads of `other` never go backwards (a
// call after a compile returned sees that compile or a later one). And two
// managers used in parallel from two threads. A deadlock is ctest's TIMEOUT.
//
//===----------------------------------------------------------------------===//
#include "StressSupport.h"

#include "spl/exec_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace spl::stress;

namespace {

/// The first wrong thing any thread saw (threads must not use gtest's
/// assertions).
class Failures {
public:
  void add(const std::string &What) {
    std::lock_guard<std::mutex> L(Mu);
    if (Count++ == 0)
      First = What;
  }
  int count() const { return Count; }
  const std::string &first() const { return First; }

private:
  std::mutex Mu;
  std::atomic<int> Count{0};
  std::string First;
};

class Threads : public testing::TestWithParam<const char *> {};

TEST_P(Threads, EightExecuteWhileOneRedefines) {
  int64_t H = rt_exec_manager_create(GetParam());
  ASSERT_NE(H, 0) << rt_exec_manager_get_last_error(0);
  std::string Start = sumSquaresModule() + "\n" + constFunction("other", 0);
  ASSERT_EQ(std::string(rt_exec_manager_compile(H, Start.c_str())), "");

  const int Redefinitions = scaled(200, 20);
  const int MinCalls = scaled(200, 20);
  std::atomic<bool> Done{false};
  Failures Fail;
  std::vector<std::thread> Pool;
  for (int T = 0; T < 8; ++T)
    Pool.emplace_back([&, T] {
      int64_t Seen = 0;
      for (int I = 0; I < MinCalls || !Done.load(); ++I) {
        int64_t N = 5 + T + I % 16;
        int64_t Got = rt_exec_manager_execute_args(H, "sum_sq", &N, 1);
        if (Got != sumSquares(N))
          Fail.add("thread " + std::to_string(T) + ": sum_sq(" +
                   std::to_string(N) + ") = " + std::to_string(Got) + " " +
                   rt_exec_manager_get_last_error(H));
        int64_t K = rt_exec_manager_execute_args(H, "other", nullptr, 0);
        if (K < Seen || K > Redefinitions)
          Fail.add("thread " + std::to_string(T) + ": other() = " +
                   std::to_string(K) + " after " + std::to_string(Seen) + " " +
                   rt_exec_manager_get_last_error(H));
        Seen = K;
      }
    });
  std::thread Compiler([&] {
    for (int K = 1; K <= Redefinitions; ++K) {
      std::string Src = constFunction("other", K);
      std::string Fresh = "fresh_" + std::to_string(K);
      if (K % 10 == 0) { // a new function too, called at once
        Src += "\n";
        Src += addConstFunction(Fresh, K);
      }
      std::string E = rt_exec_manager_compile(H, Src.c_str());
      if (!E.empty()) {
        Fail.add("compile " + std::to_string(K) + ": " + E);
        continue;
      }
      int64_t Got = rt_exec_manager_execute_args(H, "other", nullptr, 0);
      if (Got != K)
        Fail.add("compiler: other() = " + std::to_string(Got) + ", want " +
                 std::to_string(K));
      if (K % 10 == 0) {
        int64_t X = 1;
        if (rt_exec_manager_execute_args(H, Fresh.c_str(), &X, 1) != K + 1)
          Fail.add("compiler: " + Fresh + "(1) wrong");
      }
    }
    Done.store(true);
  });
  Compiler.join();
  for (std::thread &T : Pool)
    T.join();
  EXPECT_EQ(Fail.count(), 0) << Fail.first();
  rt_exec_manager_cleanup(H);
}

TEST_P(Threads, TwoManagersInParallel) {
  const int Rounds = scaled(300, 30);
  Failures Fail;
  auto Work = [&](int Id) {
    int64_t H = rt_exec_manager_create(GetParam());
    if (!H) {
      Fail.add("create: " + std::string(rt_exec_manager_get_last_error(0)));
      return;
    }
    std::string Start = sumSquaresModule() + "\n" +
                        addConstFunction("f", 0) + "\n" +
                        twiceCallerFunction("g", "f");
    std::string E = rt_exec_manager_compile(H, Start.c_str());
    if (!E.empty())
      Fail.add("compile: " + E);
    // Each manager its own constants: a mix-up between them shows.
    int64_t Base = Id == 0 ? 1000 : 2000000;
    for (int R = 1; R <= Rounds && E.empty(); ++R) {
      std::string Src = addConstFunction("f", Base + R);
      if (std::string E2 = rt_exec_manager_compile(H, Src.c_str()); !E2.empty())
        Fail.add("manager " + std::to_string(Id) + ": " + E2);
      int64_t X = R;
      int64_t G = rt_exec_manager_execute_args(H, "g", &X, 1);
      if (G != 2 * (X + Base + R))
        Fail.add("manager " + std::to_string(Id) + " round " +
                 std::to_string(R) + ": g = " + std::to_string(G) + " " +
                 rt_exec_manager_get_last_error(H));
      int64_t N = R % 30;
      if (rt_exec_manager_execute_args(H, "sum_sq", &N, 1) != sumSquares(N))
        Fail.add("manager " + std::to_string(Id) + ": sum_sq wrong");
    }
    rt_exec_manager_cleanup(H);
  };
  std::thread A(Work, 0), B(Work, 1);
  A.join();
  B.join();
  EXPECT_EQ(Fail.count(), 0) << Fail.first();
}

INSTANTIATE_TEST_SUITE_P(Backends, Threads, testing::ValuesIn(Backends),
                         [](const testing::TestParamInfo<const char *> &I) {
                           return std::string(I.param);
                         });

} // namespace
