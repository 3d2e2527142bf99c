//===- interp/Traps.cpp - Raising runtime errors from the dispatch loop ---===//
//
// Each helper builds the message in its own frame and hands it to
// ffi::raiseTrap, which takes the string over before it longjmps: the
// dispatch loop's frame holds no string at all.
//
//===----------------------------------------------------------------------===//

#include "interp/Bytecode.h"

#include "ffi/FFI.h"


namespace spl::interp {

// Each text is built inside the lambda raiseTrapWith runs before it jumps, so
// no std::string (not the function's name, not the depth) outlives it: a
// longjmp would skip its destructor and leak it (one leak per trap).

void trap(mir::TrapKind K, const CompiledFunction *Fn, const char *Detail) {
  ffi::raiseTrapWith([&] {
    return mir::trapMessage(K, Fn ? llvm::StringRef(Fn->Name) : "", Detail);
  });
}

void trapUndefined(const FuncSlot *S) {
  ffi::raiseTrapWith([&] {
    return mir::trapMessage(mir::TrapKind::UndefinedFunction, S->Name, S->Name);
  });
}

void trapStackOverflow(const CompiledFunction *Callee, unsigned MaxDepth) {
  ffi::raiseTrapWith([&] {
    return mir::trapMessage(mir::TrapKind::StackOverflow, Callee->Name,
                            std::to_string(MaxDepth));
  });
}

const char *nativeStackFloor() {
  thread_local const char *Floor = [] {
    const ffi::NativeStack &S = ffi::nativeStack();
    if (S.Size <= 2 * NativeStackMargin)
      return static_cast<const char *>(nullptr);
    return reinterpret_cast<const char *>(S.Low) + NativeStackMargin;
  }();
  return Floor;
}

} // namespace spl::interp
