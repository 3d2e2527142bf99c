//===- ffi/Exceptions.cpp - Raising MIR exceptions by longjmp --------------===//
//
// The mechanism of FFI.h "Exceptions": a per-thread chain of EHFrames. A raise
// unlinks the innermost Catch frame and longjmps into it; a Barrier frame (the
// host edge, a C callback) turns the raise into the UncaughtException runtime
// error instead, so a raise never unwinds through C code that did not expect
// it. Only CallTerminators with an unwind block pay anything (a push, a
// setjmp, a pop); plain calls and plain code pay nothing.
//
// Like traps (Guard.cpp), a raise skips destructors: the uncaught message is
// built in a helper whose temporaries die before the jump.
//
//===----------------------------------------------------------------------===//

#include "Guard.h"
#include "ffi/FFI.h"


#include <cstdio>
#include <cstdlib>

using namespace spl;

// The runtime's text decoder (runtime/): a tagged string gives its bytes, a
// literal passes through.
extern "C" const char *rt_interp_cstr(int64_t W);

namespace {
thread_local ffi::EHFrame *Head = nullptr;

/// The compiler's type tag of a `text` payload (MIR.md "Terminators").
constexpr int64_t TextTag = 300003;

/// Records the UncaughtException trap for (Payload, Tag) raised in Fn.
void setUncaught(int64_t Payload, int64_t Tag, const char *Fn) {
  const char *Text = nullptr;
  if (Tag == TextTag)
    Text = rt_interp_cstr(Payload);
  ffi::setPendingTrap(mir::trapMessage(mir::TrapKind::UncaughtException,
                                       Fn ? Fn : "",
                                       mir::uncaughtDetail(Tag, Text)));
}
} // namespace

ffi::EHFrame *ffi::ehHead() { return Head; }
void ffi::setEhHead(EHFrame *F) { Head = F; }

ffi::EHBarrier::EHBarrier() {
  F.Kind = EHKind::Barrier;
  spl_eh_push(&F);
}

ffi::EHBarrier::~EHBarrier() { spl_eh_pop(&F); }

extern "C" void spl_eh_push(ffi::EHFrame *F) {
  F->Prev = Head;
  Head = F;
}

extern "C" void spl_eh_pop(ffi::EHFrame *F) {
  // Normally F is the head. A frame skipped by a longjmp (a trap past it) is
  // dropped by its guard, which restores the head it saw on entry.
  Head = F->Prev;
}

extern "C" void spl_rt_throw(int64_t Payload, int64_t Tag, const char *Fn) {
  ffi::EHFrame *F = Head;
  if (F && F->Kind == ffi::EHKind::Catch) {
    Head = F->Prev;
    F->Payload = Payload;
    F->Tag = Tag;
    // Catch frames are EHCatchFrames whose first member is the header.
    std::longjmp(reinterpret_cast<ffi::EHCatchFrame *>(F)->Buf, 1);
  }
  setUncaught(Payload, Tag, Fn);
  ffi::unwindToGuard();
}

namespace {
void setBoundsFailure(int64_t Index, int64_t Len, const char *Fn) {
  ffi::setPendingTrap(mir::trapMessage(mir::TrapKind::BoundsCheck,
                                       Fn ? Fn : "",
                                       mir::boundsDetail(Index, Len)));
}
} // namespace

extern "C" void spl_rt_bounds_fail(int64_t Index, int64_t Len,
                                   const char *Fn) {
  setBoundsFailure(Index, Len, Fn);
  ffi::unwindToGuard();
}
