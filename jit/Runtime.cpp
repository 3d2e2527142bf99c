//===- jit/Runtime.cpp - Runtime functions and libcalls for JIT code ------===//
#include "Runtime.h"
#include "jit/JIT.h"
#include "Lowering.h"

#include "ffi/FFI.h"

#include <cmath>
#include <csetjmp>
#include <cstring>

using namespace spl;

namespace {

thread_local uint32_t AdapterDepth = 0;
/// The adapter the last CallIndirect of JIT code called, until it enters.
thread_local const void *IndirectTarget = nullptr;
thread_local uint32_t IndirectParams = 0;
thread_local const char *IndirectCaller = nullptr;
thread_local uint64_t StackLimit = 0;

/// Room left below the limit for the trap itself (message building, the
/// longjmp) and for frames that do not check (builtins, libraries).
constexpr uint64_t StackMargin = 256 * 1024;

uint64_t computeStackLimit() {
  const ffi::NativeStack &S = ffi::nativeStack();
  if (S.Size <= StackMargin)
    return 1; // unknown: never trap on the native stack
  return S.Low + StackMargin;
}

template <class F> void *addr(F *Fn) { return reinterpret_cast<void *>(Fn); }

} // namespace

void jit::beginHostCall() { AdapterDepth = 0; }

extern "C" uint32_t spl_jit_get_depth(void) { return AdapterDepth; }
extern "C" void spl_jit_set_depth(uint32_t Depth) { AdapterDepth = Depth; }
extern "C" void spl_jit_set_indirect(uint32_t Depth, const void *Target,
                                     uint32_t NumParams, const char *Caller) {
  // (guard) An integer that is no function: the interpreter's error, not a
  // jump into whatever lies there.
  if (!ffi::isCodeAddress(Target))
    spl_rt_trap(uint32_t(mir::TrapKind::BadFunctionPointer), Caller, nullptr);
  AdapterDepth = Depth;
  IndirectTarget = Target;
  IndirectParams = NumParams;
  IndirectCaller = Caller;
}
/// Bit 32: called by the CallIndirect of JIT code that named this adapter;
/// bit 33: called from C with no execution running on this thread.
extern "C" uint64_t spl_jit_adapter_enter(const void *Self,
                                          uint32_t NumParams) {
  uint64_t Word = AdapterDepth;
  if (IndirectTarget == Self) {
    IndirectTarget = nullptr;
    if (IndirectParams != NumParams)
      spl_rt_trap(uint32_t(mir::TrapKind::BadFunctionPointer), IndirectCaller,
                  nullptr);
    Word |= uint64_t(1) << 32;
  } else if (!ffi::inGuard()) {
    Word |= uint64_t(1) << 33;
  }
  return Word;
}
extern "C" bool spl_jit_run_callback(void (*Thunk)(void *), void *Ctx,
                                     void *Errors, uint32_t MaxCallDepth) {
  return ffi::runCallback([&] { Thunk(Ctx); },
                          static_cast<ffi::CallbackErrors *>(Errors),
                          MaxCallDepth);
}
extern "C" uint64_t spl_jit_stack_limit(void) {
  if (!StackLimit)
    StackLimit = computeStackLimit();
  return StackLimit;
}

std::vector<std::pair<llvm::StringRef, void *>> jit::runtimeSymbols() {
  using D1 = double(double);
  using F1 = float(float);
  using D2 = double(double, double);
  using F2 = float(float, float);
  std::vector<std::pair<llvm::StringRef, void *>> S = {
      {TrapFnName, addr(spl_rt_trap)},
      {GetDepthFnName, addr(spl_jit_get_depth)},
      {SetDepthFnName, addr(spl_jit_set_depth)},
      {StackLimitFnName, addr(spl_jit_stack_limit)},
      {SetIndirectFnName, addr(spl_jit_set_indirect)},
      {PollFnName, addr(spl_rt_poll)},
      {AdapterEnterFnName, addr(spl_jit_adapter_enter)},
      {RunCallbackFnName, addr(spl_jit_run_callback)},
      // (v2) exceptions and bounds_check (ffi/FFI.h).
      {EHPushFnName, addr(spl_eh_push)},
      {EHPopFnName, addr(spl_eh_pop)},
      {ThrowFnName, addr(spl_rt_throw)},
      {BoundsFailFnName, addr(spl_rt_bounds_fail)},
      // The catching frame's own setjmp (no signal mask: spl_rt_throw's
      // longjmp restores none).
      {SetjmpFnName, addr(::_setjmp)},
      // Memory intrinsics LLVM may leave as calls.
      {"memset",
       addr(static_cast<void *(*)(void *, int, size_t)>(std::memset))},
      {"memcpy",
       addr(static_cast<void *(*)(void *, const void *, size_t)>(std::memcpy))},
      {"memmove", addr(static_cast<void *(*)(void *, const void *, size_t)>(
                      std::memmove))},
      // libm: float Rem, and intrinsics without an instruction.
      {"fmod", addr(static_cast<D2 *>(::fmod))},
      {"fmodf", addr(static_cast<F2 *>(::fmodf))},
      {"pow", addr(static_cast<D2 *>(::pow))},
      {"powf", addr(static_cast<F2 *>(::powf))},
      {"sin", addr(static_cast<D1 *>(::sin))},
      {"sinf", addr(static_cast<F1 *>(::sinf))},
      {"cos", addr(static_cast<D1 *>(::cos))},
      {"cosf", addr(static_cast<F1 *>(::cosf))},
      {"sincos", addr(::sincos)},
      {"sincosf", addr(::sincosf)},
      {"tan", addr(static_cast<D1 *>(::tan))},
      {"tanf", addr(static_cast<F1 *>(::tanf))},
      {"exp", addr(static_cast<D1 *>(::exp))},
      {"expf", addr(static_cast<F1 *>(::expf))},
      {"exp2", addr(static_cast<D1 *>(::exp2))},
      {"exp2f", addr(static_cast<F1 *>(::exp2f))},
      {"exp10", addr(static_cast<D1 *>(::exp10))},
      {"exp10f", addr(static_cast<F1 *>(::exp10f))},
      {"ldexp", addr(static_cast<double (*)(double, int)>(::ldexp))},
      {"ldexpf", addr(static_cast<float (*)(float, int)>(::ldexpf))},
      {"log", addr(static_cast<D1 *>(::log))},
      {"logf", addr(static_cast<F1 *>(::logf))},
      {"log2", addr(static_cast<D1 *>(::log2))},
      {"log2f", addr(static_cast<F1 *>(::log2f))},
      {"log10", addr(static_cast<D1 *>(::log10))},
      {"log10f", addr(static_cast<F1 *>(::log10f))},
      {"sqrt", addr(static_cast<D1 *>(::sqrt))},
      {"sqrtf", addr(static_cast<F1 *>(::sqrtf))},
      {"fabs", addr(static_cast<D1 *>(::fabs))},
      {"fabsf", addr(static_cast<F1 *>(::fabsf))},
      {"floor", addr(static_cast<D1 *>(::floor))},
      {"floorf", addr(static_cast<F1 *>(::floorf))},
      {"ceil", addr(static_cast<D1 *>(::ceil))},
      {"ceilf", addr(static_cast<F1 *>(::ceilf))},
      {"trunc", addr(static_cast<D1 *>(::trunc))},
      {"truncf", addr(static_cast<F1 *>(::truncf))},
      {"round", addr(static_cast<D1 *>(::round))},
      {"roundf", addr(static_cast<F1 *>(::roundf))},
      {"rint", addr(static_cast<D1 *>(::rint))},
      {"rintf", addr(static_cast<F1 *>(::rintf))},
      {"nearbyint", addr(static_cast<D1 *>(::nearbyint))},
      {"nearbyintf", addr(static_cast<F1 *>(::nearbyintf))},
      {"fmin", addr(static_cast<D2 *>(::fmin))},
      {"fminf", addr(static_cast<F2 *>(::fminf))},
      {"fmax", addr(static_cast<D2 *>(::fmax))},
      {"fmaxf", addr(static_cast<F2 *>(::fmaxf))},
      {"copysign", addr(static_cast<D2 *>(::copysign))},
      {"copysignf", addr(static_cast<F2 *>(::copysignf))},
  };
  return S;
}
