//===- tests/guard/HostTest.cpp - The host's side of the guard ------------===//
//
// Through the C API: a MIR callback the host calls after `execute` returned
// traps -> it returns 0, the error is the manager's last error, the host
// lives on and the manager still works. And a host's own SIGSEGV handler
// still gets the faults outside guarded calls (a subprocess each).
//
//===----------------------------------------------------------------------===//
#include "spl/exec_manager.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

const char *const Backends[] = {"interpreter", "llvm", "auto"};

// get() hands out cb; cb(x) = 100 / x, a divide-by-zero trap for x = 0.
const char *const CallbackProgram = R"(module "cb"
fn @cb(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
bb0 entry:
  _0 = binop div const i64 100, copy _1
  return
}
fn @get() -> i64 {
  let _0: i64 return
bb0 entry:
  _0 = bitcast const fn(i64) -> i64 @cb to i64
  return
}
fn @ok() -> i64 {
  let _0: i64 return
bb0 entry:
  _0 = const i64 42
  return
}
)";

class CallbackAfterExecute : public ::testing::TestWithParam<const char *> {};

TEST_P(CallbackAfterExecute, TrapReturnsZeroAndLeavesTheError) {
  int64_t H = rt_exec_manager_create(GetParam());
  ASSERT_NE(H, 0);
  ASSERT_STREQ(rt_exec_manager_compile(H, CallbackProgram), "");
  int64_t P = rt_exec_manager_execute_args(H, "get", nullptr, 0);
  ASSERT_STREQ(rt_exec_manager_get_last_error(H), "");
  ASSERT_NE(P, 0);
  auto Cb = reinterpret_cast<int64_t (*)(int64_t)>(uintptr_t(P));
  // No execution is running: the callback is one of its own.
  EXPECT_EQ(Cb(5), 20);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H), "");
  EXPECT_EQ(Cb(0), 0);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H),
               "runtime error in `cb`: attempt to divide by zero");
  // The host and the manager go on.
  EXPECT_EQ(Cb(4), 25);
  EXPECT_EQ(rt_exec_manager_execute_args(H, "ok", nullptr, 0), 42);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H), "");
  rt_exec_manager_cleanup(H);
}

INSTANTIATE_TEST_SUITE_P(AllBackends, CallbackAfterExecute,
                         ::testing::ValuesIn(Backends));

//===----------------------------------------------------------------------===//
// Faults outside guarded calls keep the host's behaviour
//===----------------------------------------------------------------------===//

volatile sig_atomic_t HostHandlerRan = 0;

void hostHandler(int) {
  // The host's own answer to its fault: exit 42.
  HostHandlerRan = 1;
  _exit(42);
}

/// A fault of the host itself, no guard active: a store through null
/// (no_sanitize: under UBSan it must reach the signal, as without it;
/// noinline: inlined, the caller's checks would apply to it again).
[[gnu::no_sanitize("null"), gnu::noinline]] void hostFault() {
  // The pointer itself volatile: the compiler cannot know it is null, so it
  // can neither drop the store as undefined nor turn it into a trap.
  int *volatile Null = nullptr;
  *static_cast<volatile int *>(Null) = 1;
}

/// In a child: runs one guarded call (installs our handlers), then faults
/// outside any guard. Returns the child's wait status.
int faultAfterExecute(const char *Backend, bool HostHandler) {
  pid_t Pid = fork();
  if (Pid == 0) {
    if (HostHandler) {
      struct sigaction A;
      std::memset(&A, 0, sizeof(A));
      A.sa_handler = hostHandler;
      sigemptyset(&A.sa_mask);
      sigaction(SIGSEGV, &A, nullptr);
    }
    int64_t H = rt_exec_manager_create(Backend);
    if (!H || *rt_exec_manager_compile(H, CallbackProgram))
      _exit(3);
    if (rt_exec_manager_execute_args(H, "ok", nullptr, 0) != 42)
      _exit(4);
    hostFault();
    _exit(5);
  }
  int Status = 0;
  waitpid(Pid, &Status, 0);
  return Status;
}

TEST(HostFaults, HostHandlerStillRunsOutsideGuardedCalls) {
  for (const char *B : Backends) {
    int S = faultAfterExecute(B, true);
    ASSERT_TRUE(WIFEXITED(S)) << B;
    EXPECT_EQ(WEXITSTATUS(S), 42) << B;
  }
}

#if defined(__SANITIZE_ADDRESS__)
#define SPL_HOST_HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPL_HOST_HAS_ASAN 1
#endif
#endif

TEST(HostFaults, DefaultActionStillKillsOutsideGuardedCalls) {
  for (const char *B : Backends) {
    int S = faultAfterExecute(B, false);
#ifdef SPL_HOST_HAS_ASAN
    // Under AddressSanitizer the host's SIGSEGV action is ASan's handler,
    // installed before ours: its report, then exit status 1. That it runs
    // is the point (ours chained to it); the kernel's default never would.
    ASSERT_TRUE(WIFEXITED(S)) << B;
    EXPECT_EQ(WEXITSTATUS(S), 1) << B;
#else
    ASSERT_TRUE(WIFSIGNALED(S)) << B;
    EXPECT_EQ(WTERMSIG(S), SIGSEGV) << B;
#endif
  }
}

} // namespace
