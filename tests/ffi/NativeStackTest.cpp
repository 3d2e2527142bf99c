//===- tests/ffi/NativeStackTest.cpp - ffi::nativeStack -------------------===//
//
// The main thread's stack comes from __libc_stack_end and RLIMIT_STACK
// instead of pthread_getattr_np (which reads /proc/self/maps): it must lie
// inside what pthreads reports, short of it at the top by no more than the
// arguments and environment, and hold this frame.
//
//===----------------------------------------------------------------------===//
#include "ffi/FFI.h"

#include <gtest/gtest.h>

#include <pthread.h>
#include <thread>

using spl::ffi::nativeStack;

namespace {
struct Range {
  uintptr_t Low = 0, High = 0;
};

Range fromPthreads() {
  pthread_attr_t A;
  Range R;
  if (pthread_getattr_np(pthread_self(), &A) != 0)
    return R;
  void *Low = nullptr;
  size_t Size = 0;
  pthread_attr_getstack(&A, &Low, &Size);
  pthread_attr_destroy(&A);
  R.Low = uintptr_t(Low);
  R.High = R.Low + Size;
  return R;
}

void expectWithin(const Range &Want) {
  const spl::ffi::NativeStack &S = nativeStack();
  ASSERT_NE(S.Size, 0u);
  uintptr_t High = S.Low + S.Size;
  EXPECT_GE(S.Low, Want.Low);
  EXPECT_LE(High, Want.High);
  // The arguments and environment above the initial stack pointer.
  EXPECT_LT(Want.High - High, uintptr_t(1) << 20);
  int Local = 0;
  EXPECT_GT(uintptr_t(&Local), S.Low);
  EXPECT_LT(uintptr_t(&Local), High);
  // Asked once: the same answer again.
  EXPECT_EQ(&nativeStack(), &S);
}
} // namespace

TEST(NativeStack, TheMainThreadsStackLiesWithinWhatPthreadsSays) {
  expectWithin(fromPthreads());
}

TEST(NativeStack, AnotherThreadsStackIsWhatPthreadsSays) {
  std::thread T([] {
    Range Want = fromPthreads();
    const spl::ffi::NativeStack &S = nativeStack();
    EXPECT_EQ(S.Low, Want.Low);
    EXPECT_EQ(S.Low + S.Size, Want.High);
  });
  T.join();
}
