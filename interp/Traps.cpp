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

void trap(mir::TrapKind K, const CompiledFunction *Fn, const char *Detail) {
  ffi::raiseTrap(mir::trapMessage(K, Fn ? Fn->Name : "", Detail));
}

void trapUndefined(const FuncSlot *S) {
  ffi::raiseTrap(
      mir::trapMessage(mir::TrapKind::UndefinedFunction, S->Name, S->Name));
}

void trapStackOverflow(const CompiledFunction *Callee, unsigned MaxDepth) {
  ffi::raiseTrap(mir::trapMessage(mir::TrapKind::StackOverflow, Callee->Name,
                                  std::to_string(MaxDepth)));
}

} // namespace spl::interp
