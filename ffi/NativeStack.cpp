//===- ffi/NativeStack.cpp - This thread's native stack, asked once -------===//
//
// For the main thread pthread_getattr_np reads and parses /proc/self/maps,
// which costs more (0.1-0.2 ms) than an interpreted `return 0` does
// otherwise. The main thread's stack is known without it, computed as glibc
// computes it: RLIMIT_STACK counts from the top of the stack mapping, and
// the range glibc reports starts at the page of __libc_stack_end (the
// initial stack pointer). The mapping's top is the end of the page holding
// the program's file name (AT_EXECFN), which the kernel copies to the very
// top of the new stack, above the arguments and environment. Other threads
// (and an unlimited main stack) ask pthreads.
//
//===----------------------------------------------------------------------===//
#include "ffi/FFI.h"

#include <cstring>
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

extern "C" void *__libc_stack_end; // glibc's initial stack pointer

using namespace spl;

namespace {

bool mainStack(ffi::NativeStack &S) {
  if (syscall(SYS_gettid) != getpid())
    return false;
  struct rlimit R;
  if (getrlimit(RLIMIT_STACK, &R) != 0 || R.rlim_cur == RLIM_INFINITY)
    return false;
  auto ExecFn = reinterpret_cast<const char *>(getauxval(AT_EXECFN));
  if (!ExecFn)
    return false;
  uintptr_t Page = uintptr_t(sysconf(_SC_PAGESIZE));
  auto PageUp = [&](uintptr_t A) { return (A + Page - 1) & ~(Page - 1); };
  uintptr_t Top = PageUp(uintptr_t(__libc_stack_end));
  uintptr_t MapTop = PageUp(uintptr_t(ExecFn) + strlen(ExecFn) + 1);
  uintptr_t Above = MapTop - Top; // arguments, environment, auxv
  if (MapTop < Top || R.rlim_cur <= Above)
    return false;
  uintptr_t Size = (R.rlim_cur - Above) & ~(Page - 1);
  if (Size >= Top)
    return false;
  S.Low = Top - Size;
  S.Size = Size;
  return true;
}

ffi::NativeStack askPthreads() {
  ffi::NativeStack S;
  pthread_attr_t A;
  if (pthread_getattr_np(pthread_self(), &A) != 0)
    return S;
  void *Low = nullptr;
  size_t Size = 0;
  if (pthread_attr_getstack(&A, &Low, &Size) == 0 && Low) {
    S.Low = uintptr_t(Low);
    S.Size = Size;
  }
  pthread_attr_destroy(&A);
  return S;
}

} // namespace

const ffi::NativeStack &ffi::nativeStack() {
  thread_local const NativeStack S = [] {
    NativeStack R;
    return mainStack(R) ? R : askPthreads();
  }();
  return S;
}
