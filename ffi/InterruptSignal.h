//===- ffi/InterruptSignal.h - Interrupting calls by signal -----*- C++ -*-===//
//
// Private to ffi/. The half of "Interrupts and time budgets" (FFI.h) that
// needs no poll: InterruptSignal.cpp keeps one slot per thread naming the
// managers whose calls it runs, sends that thread a signal when one of them
// must end, and its handler ends the call when the signal lands in JIT
// machine code. Limits.cpp decides what a thread's calls need
// (interruptNeed) and keeps the slots current from its CallScopes.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_FFI_INTERRUPTSIGNAL_H
#define SPL_FFI_INTERRUPTSIGNAL_H

#include "ffi/FFI.h"

#include <atomic>
#include <cstdint>

namespace spl::ffi::detail {

/// One thread that runs (or ran) calls of a manager. Slots live as long as
/// the process (a signal may read one at any time) and are reused when their
/// thread ends.
struct ThreadSlot {
  static constexpr unsigned Tracked = 8;
  std::atomic<int> Tid{0};       // the kernel's thread id; 0: a free slot
  std::atomic<uint32_t> Want{0}; // 1: send the signal until the thread says
                                 // no call of it needs ending
  std::atomic<uint32_t> Depth{0}; // its CallScopes now
  /// The manager of its scope K, for K < min(Depth, Tracked); a thread
  /// deeper than that is signalled for every manager.
  std::atomic<const CallLimits *> Managers[Tracked] = {};
};

/// This thread's slot, made at its first call. Not for signal handlers.
ThreadSlot &thisThreadSlot();

/// Marks every thread running a call of L as wanted and signals it.
/// Async-signal-safe (atomics, getpid, tgkill, sem_post).
void signalCallsOf(const CallLimits &L) noexcept;
/// The same for one thread (the watchdog, for a deadline that passed).
void signalThread(ThreadSlot &S) noexcept;

/// What the calls on this thread need, as the signal handler asks it.
/// Async-signal-safe: reads the chain of this thread's CallScopes.
struct InterruptNeed {
  enum Kind : uint8_t {
    None,        // nothing: no call on this thread must end
    Outer,       // a call must end, but not one of the innermost manager
                 // (or one is starting): send the signal again
    Interrupted, // the innermost manager's call ends: "interrupted"
    TimeLimit,   // ... "time limit of Ms ms exceeded"
  } K = None;
  uint64_t Ms = 0;
};
InterruptNeed interruptNeed() noexcept;

/// setjmp's value when the interrupt handler jumps to a guard.
constexpr int InterruptLanding = 3;
/// The text of the interrupt this thread's handler ended its call with.
std::string interruptMessage();

} // namespace spl::ffi::detail

#endif // SPL_FFI_INTERRUPTSIGNAL_H
