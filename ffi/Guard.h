//===- ffi/Guard.h - Raising into the innermost guard -----------*- C++ -*-===//
//
// Private to ffi/. raiseTrap and raiseExit take their payload as a parameter;
// code that builds a message from temporaries uses these two halves instead,
// so every string is destroyed before the longjmp (see Guard.cpp for why).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_FFI_GUARD_H
#define SPL_FFI_GUARD_H

#include <cstdint>
#include <string>

namespace spl::ffi {
/// Records the trap text the innermost guard of this thread will return.
void setPendingTrap(std::string Message);
/// Records an exit request with Code.
void setPendingExit(int Code);
/// Jumps to the innermost guard of this thread with what was recorded.
/// Outside any guard it reports the misuse on stderr and aborts: a backend
/// bug, never a consequence of the program's input.
[[noreturn]] void unwindToGuard();
namespace detail {
/// setjmp's value when the fault handler jumps to a guard.
constexpr int FaultLanding = 2;
/// Installs the SIGSEGV/SIGBUS handlers (once per process) and this thread's
/// signal stack. Called once per thread (runGuarded keeps the flag).
/// Signals.cpp.
void prepareFaultHandling();
/// The text of the fault this thread's handler recorded last. Signals.cpp.
std::string faultMessage(unsigned MaxCallDepth);
/// For the handler (async-signal-safe): whether this thread is in a guard,
/// the innermost guard's record (the stack scan stops there), and the jump.
bool guardActive();
const void *guardFrame();
[[noreturn]] void jumpFromFault();
/// The interrupt handler's jump (InterruptSignal.cpp): the guard returns
/// interruptMessage().
[[noreturn]] void jumpFromInterrupt();
/// For the interrupt handler (Signals.cpp, async-signal-safe): the MIR
/// function running where the signal interrupted the thread (its ucontext)
/// when that is code that may be ended there: JIT machine code (the range
/// holding the PC), or the interpreter's dispatch loop (the bytecode range a
/// register points into). Null anywhere else.
const char *interruptibleFunction(const void *Ctx);
} // namespace detail
} // namespace spl::ffi

#endif // SPL_FFI_GUARD_H
