//===- tests/capi/CApiStateTest.cpp - The C API's per-thread storage ------===//
//
// The last error is kept per thread and per handle. A cleaned-up handle must
// leave nothing behind: the calling thread's slot is erased at once, another
// thread's at that thread's next call, and calls on dead handles store
// nothing per handle. (Before, cleanup re-inserted the slot it meant to free.)
//
//===----------------------------------------------------------------------===//
#include "exec_manager/CApiState.h"
#include "spl/exec_manager.h"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

using spl::capi::threadSlotCount;

namespace {

/// A slot for handle 0 exists after any create; take the count after one.
size_t baseline() {
  int64_t H = rt_exec_manager_create("interpreter");
  EXPECT_NE(H, 0);
  rt_exec_manager_cleanup(H);
  return threadSlotCount();
}

TEST(CApiState, CleanupErasesTheCallingThreadsSlot) {
  size_t Base = baseline();
  int64_t H = rt_exec_manager_create("interpreter");
  ASSERT_NE(H, 0);
  EXPECT_EQ(rt_exec_manager_execute_args(H, "nope", nullptr, 0), 0);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H),
               "runtime error: function `nope` is not defined");
  EXPECT_EQ(threadSlotCount(), Base + 1);
  rt_exec_manager_cleanup(H);
  EXPECT_EQ(threadSlotCount(), Base);
  // Calls on the dead handle report it without storing anything for it.
  std::string Invalid = "invalid exec manager handle " + std::to_string(H) +
                        " (never created, or already cleaned up)";
  EXPECT_EQ(rt_exec_manager_get_last_error(H), Invalid);
  EXPECT_EQ(rt_exec_manager_execute_args(H, "nope", nullptr, 0), 0);
  EXPECT_FALSE(rt_exec_manager_has_function(H, "nope"));
  rt_exec_manager_cleanup(H);
  EXPECT_FALSE(rt_exec_manager_is_valid(H));
  EXPECT_EQ(threadSlotCount(), Base);
}

TEST(CApiState, ManyManagersLeaveNoSlots) {
  size_t Base = baseline();
  for (int I = 0; I < 200; ++I) {
    int64_t H = rt_exec_manager_create("interpreter");
    ASSERT_NE(H, 0);
    EXPECT_STREQ(rt_exec_manager_backend_name(H), "interpreter");
    EXPECT_FALSE(rt_exec_manager_set_opt_level(H, 5));
    rt_exec_manager_cleanup(H);
  }
  EXPECT_EQ(threadSlotCount(), Base);
}

TEST(CApiState, OtherThreadsDropTheirSlotAtTheirNextCall) {
  int64_t H = rt_exec_manager_create("interpreter");
  ASSERT_NE(H, 0);
  std::promise<void> Used, Cleaned;
  std::promise<size_t> CountWhileLive, CountAfter;
  std::future<void> CleanedF = Cleaned.get_future();
  std::thread T([&] {
    // This thread's own slots: 0 is not touched here, so only H's counts.
    EXPECT_EQ(rt_exec_manager_execute_args(H, "nope", nullptr, 0), 0);
    CountWhileLive.set_value(threadSlotCount());
    Used.set_value();
    CleanedF.wait();
    // Any call drops the slot of the handle cleaned up on the main thread.
    EXPECT_FALSE(rt_exec_manager_has_function(H, "nope"));
    CountAfter.set_value(threadSlotCount());
  });
  Used.get_future().wait();
  rt_exec_manager_cleanup(H);
  Cleaned.set_value();
  T.join();
  EXPECT_EQ(CountWhileLive.get_future().get(), 1u);
  EXPECT_EQ(CountAfter.get_future().get(), 0u);
}

} // namespace
