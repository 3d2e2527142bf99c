//===- ffi/Guard.h - Raising into the innermost guard -----------*- C++ -*-===//
//
// Private to ffi/. raiseTrap and raiseExit take their payload as a parameter;
// code that builds a message from temporaries uses these two halves instead,
// so every string is destroyed before the longjmp (see Guard.cpp for why).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_FFI_GUARD_H
#define SPL_FFI_GUARD_H

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
} // namespace spl::ffi

#endif // SPL_FFI_GUARD_H
