//===- ffi/Guard.cpp - One unwinding mechanism for runtime errors
//-----------===//
//
// A runtime error (a trap in MIR, rt_exit) must end the execution from deep
// inside interpreter dispatch, JIT code, or a builtin called from either. JIT
// frames carry no unwind tables worth trusting for C++ exceptions and extern
// "C" frames must not be crossed by one, so we use setjmp/longjmp: runGuarded
// pushes a jump target on a per-thread stack, a raise records what happened
// and jumps to the innermost target.
//
// THE RULE: longjmp skips destructors. Between runGuarded's Body and the
// raise, no frame may hold a live object with a non-trivial destructor
// (std::string, std::vector, llvm::Error, unique_ptr, ...); it would leak or
// corrupt state. JIT frames never hold any; the interpreter's dispatch loop
// is written to that rule; builtins build their messages in a helper that
// returns before the jump (setPendingTrap, then unwindToGuard).
//
// After the longjmp, runGuarded reads its state only through thread-locals
// (the guard stack and the pending outcome), never through locals that
// changed after setjmp, whose values C leaves indeterminate.
//
//===----------------------------------------------------------------------===//

#include "Guard.h"
#include "InterruptSignal.h"
#include "ffi/FFI.h"

#include "runtime/Runtime.h"

#include "llvm/Support/raw_ostream.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>

using namespace spl;
using namespace llvm;

namespace {

/// One jump target. Trivially destructible: it lives in runGuarded's frame.
struct GuardRecord {
  std::jmp_buf Env;
  GuardRecord *Prev;
  ffi::EHFrame Barrier;
  unsigned MaxCallDepth; // the limit a stack-overflow fault reports
};

/// What the innermost guard returns once reached. One per thread suffices:
/// a guard consumes it as soon as it lands, before any outer guard can be
/// raised into.
struct PendingOutcome {
  bool IsExit = false;
  int ExitCode = 0;
  std::string Message;
};

thread_local GuardRecord *Top = nullptr;
thread_local PendingOutcome Pending;
/// Whether this thread has its signal stack (next to Top: one TLS lookup).
thread_local bool FaultReady = false;

} // namespace

char ffi::ExitRequest::ID = 0;

void ffi::ExitRequest::log(raw_ostream &OS) const {
  OS << "program exited with code " << Code;
}

std::error_code ffi::ExitRequest::convertToErrorCode() const {
  return inconvertibleErrorCode();
}

Error ffi::runGuarded(function_ref<void()> Body) {
  return runGuarded(Body, mir::DefaultMaxCallDepth);
}

Error ffi::runGuarded(function_ref<void()> Body, unsigned MaxCallDepth) {
  // Faults become errors only on a thread with a signal stack to take them.
  if (__builtin_expect(!FaultReady, 0)) {
    detail::prepareFaultHandling();
    FaultReady = true;
  }
  GuardRecord G;
  G.Prev = Top;
  G.MaxCallDepth = MaxCallDepth;
  // The host edge is an exception barrier: a raise that gets here uncaught
  // becomes the UncaughtException runtime error (Exceptions.cpp).
  G.Barrier.Kind = EHKind::Barrier;
  spl_eh_push(&G.Barrier);
  Top = &G;
  int Landed = setjmp(G.Env);
  if (Landed == 0) {
    Body();
    Top = G.Prev;
    spl_eh_pop(&G.Barrier);
    return Error::success();
  }
  // Landed here from unwindToGuard, which left Top at this guard's record,
  // or from the fault handler (Landed == FaultLanding).
  // EH frames pushed after ours died with the frames the jump skipped.
  setEhHead(Top->Barrier.Prev);
  unsigned Depth = Top->MaxCallDepth;
  Top = Top->Prev;
  if (Landed == detail::FaultLanding)
    return createStringError(inconvertibleErrorCode(),
                             detail::faultMessage(Depth));
  if (Landed == detail::InterruptLanding)
    return createStringError(inconvertibleErrorCode(),
                             detail::interruptMessage());
  if (Pending.IsExit)
    return make_error<ExitRequest>(Pending.ExitCode);
  return createStringError(inconvertibleErrorCode(),
                           std::move(Pending.Message));
}

bool ffi::inGuard() { return Top != nullptr; }

bool ffi::detail::guardActive() { return Top != nullptr; }

void ffi::detail::jumpFromFault() { std::longjmp(Top->Env, FaultLanding); }

void ffi::detail::jumpFromInterrupt() {
  std::longjmp(Top->Env, InterruptLanding);
}

const void *ffi::detail::guardFrame() { return Top; }

bool ffi::runCallback(function_ref<void()> Body, CallbackErrors *Sink,
                      unsigned MaxCallDepth) {
  if (Top) {
    Body();
    return true;
  }
  Error E = runGuarded(Body, MaxCallDepth);
  if (!E)
    return true;
  std::string Message = toString(std::move(E));
  if (Sink)
    Sink->record(std::move(Message));
  else
    std::fprintf(stderr, "error: %s\n", Message.c_str());
  return false;
}

void ffi::setPendingTrap(std::string Message) {
  Pending.IsExit = false;
  Pending.Message = std::move(Message);
}

void ffi::setPendingExit(int Code) {
  Pending.IsExit = true;
  Pending.ExitCode = Code;
  Pending.Message.clear();
}

void ffi::unwindToGuard() {
  if (!Top) {
    std::fprintf(stderr,
                 "spl-exec: internal error: runtime error raised outside a "
                 "guarded execution: %s\n",
                 Pending.IsExit ? "exit request" : Pending.Message.c_str());
    std::abort();
  }
  std::longjmp(Top->Env, 1);
}

void ffi::raiseTrap(std::string Message) {
  setPendingTrap(std::move(Message));
  unwindToGuard();
}

void ffi::raiseTrapWith(function_ref<std::string()> Build) {
  setPendingTrap(Build());
  unwindToGuard();
}

void ffi::raiseExit(int Code) {
  setPendingExit(Code);
  unwindToGuard();
}

namespace {

constexpr uint32_t NumTrapKinds = 0
#define X(E, M) +1
    SPL_MIR_TRAPS(X)
#undef X
    ;

std::string trapText(uint32_t Kind, const char *Fn, const char *Detail) {
  if (Kind >= NumTrapKinds)
    return "runtime error in `" + std::string(Fn ? Fn : "") +
           "`: unknown runtime error (kind " + std::to_string(Kind) + ")";
  return mir::trapMessage(static_cast<mir::TrapKind>(Kind), Fn ? Fn : "",
                          Detail ? Detail : "");
}

} // namespace

extern "C" void spl_rt_trap(uint32_t Kind, const char *Fn, const char *Detail) {
  ffi::setPendingTrap(trapText(Kind, Fn, Detail));
  ffi::unwindToGuard();
}

//===----------------------------------------------------------------------===//
// Failures raised inside runtime functions (rt_panic, the intrinsic
// fallbacks): the runtime knows no MIR function, so the text is
// "runtime error: MESSAGE" (mir::trapMessage with an empty function).
//===----------------------------------------------------------------------===//

namespace {

void setRuntimeFailure(const char *Message) {
  llvm::StringRef M = Message ? Message : "";
  mir::TrapKind K = M.starts_with("panic") ? mir::TrapKind::Panic
                                           : mir::TrapKind::BoundsCheck;
  ffi::setPendingTrap(mir::trapMessage(K, "", M));
}

[[noreturn]] void onRuntimeFailure(const char *Message) {
  setRuntimeFailure(Message);
  ffi::unwindToGuard();
}

/// Installed before main (this file is always linked: runGuarded lives here).
[[maybe_unused]] const bool FailHandlerInstalled = [] {
  rt::setFailHandler(&onRuntimeFailure);
  return true;
}();

} // namespace
