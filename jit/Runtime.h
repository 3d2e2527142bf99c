//===- jit/Runtime.h - What JIT code links against --------------*- C++ -*-===//
//
// Private to jit/. JIT code sees exactly the symbols listed here (plus the
// externs a batch binds, each at the address ffi::resolveExtern gave): the
// runtime functions of Lowering.h, and the few libc/libm functions LLVM's code
// generator and optimiser may call on their own (memset for Alloc, fmod for
// float Rem, pow/sin/... for intrinsics they do not expand). Nothing else of
// the host process is visible: an unexpected symbol fails the load loudly.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_RUNTIME_H
#define SPL_JIT_RUNTIME_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace spl::jit {

/// (symbol, address) of every runtime function and libcall JIT code may use.
std::vector<std::pair<llvm::StringRef, void *>> runtimeSymbols();

} // namespace spl::jit

extern "C" {
/// The depth a C-ABI adapter continues from (set before indirect calls).
uint32_t spl_jit_get_depth(void);
void spl_jit_set_depth(uint32_t Depth);
/// Before a CallIndirect: the depth, and the callee, so that an adapter can
/// tell a call from JIT code (no EH barrier) from one from C.
/// (guard) Traps BadFunctionPointer (in Caller) when Target is no code; keeps
/// NumParams, the call site's parameter count, for the adapter to check.
void spl_jit_set_indirect(uint32_t Depth, const void *Target,
                          uint32_t NumParams, const char *Caller);
/// At an adapter's entry: the depth in the low 32 bits, bit 32 set when Self
/// is the target the last spl_jit_set_indirect named (which it clears; a
/// parameter count other than NumParams traps BadFunctionPointer), bit 33
/// when it was called from C with no execution running on this thread.
uint64_t spl_jit_adapter_enter(const void *Self, uint32_t NumParams);
/// Runs Thunk(Ctx) as ffi::runCallback does (Errors: ffi::CallbackErrors*).
bool spl_jit_run_callback(void (*Thunk)(void *), void *Ctx, void *Errors,
                          uint32_t MaxCallDepth);
/// The lowest stack address this thread's JIT code may use before it must
/// trap StackOverflow (the stack's end plus a safety margin).
uint64_t spl_jit_stack_limit(void);
}

#endif // SPL_JIT_RUNTIME_H
