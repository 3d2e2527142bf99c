//===- interp/Poll.cpp - The dispatch loop's interrupt polls --------------===//
//
// The loop polls its execution's flag (ValueStack::Poll) when it pushes a
// frame and at back-edge jumps (the *P opcodes the lowering picks for a jump
// to code at or before it). Only a raised flag gets here; the decision is
// ffi::pollSlow's. A back-edge does not carry its function, so the name is
// found from IP, and only when the call really ends.
//
//===----------------------------------------------------------------------===//

#include "interp/Bytecode.h"

#include "ffi/FFI.h"

namespace spl::interp {

const uint32_t ValueStack::NeverRaised = 0;

static const char *functionAt(const ValueStack *S, const uint64_t *IP) {
  if (!S->Functions)
    return "";
  for (const auto &F : *S->Functions)
    if (IP >= F->Code.get() && IP < F->Code.get() + F->CodeWords)
      return F->Name.c_str();
  return "";
}

void pollSlowPath(const ValueStack *S, const CompiledFunction *Fn,
                  const uint64_t *IP) {
  if (!S->Limits)
    return;
  ffi::pollSlow(*S->Limits, [&] {
    return Fn ? Fn->Name.c_str() : functionAt(S, IP);
  });
}

} // namespace spl::interp
