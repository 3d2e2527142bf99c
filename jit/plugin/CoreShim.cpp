//===- jit/plugin/CoreShim.cpp - ffi/ in libspl_exec_jit.so ---------------===//
//
// The ffi/ functions jit/ calls, defined as calls of the core's services
// (jit/Boundary.h), so jit/'s sources are the same in the plugin and in
// process, and every piece of ffi/ state stays in libspl_exec.so. The
// entry-point functions JIT code calls (spl_rt_trap, spl_eh_push, ...) are
// defined here too: JIT code calls them and they jump on to the core's.
//
//===----------------------------------------------------------------------===//
#include "Plugin.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

Expected<ffi::ExternBinding> ffi::resolveExtern(StringRef Name,
                                                const ResolveOptions &Opts) {
  ExternBinding B;
  if (CrossError E = plugin::core().ResolveExtern(Name, Opts, B))
    return plugin::fromCross(std::move(E));
  return B;
}

Expected<mir::Signature>
ffi::externCallSignature(const ExternBinding &B, const mir::Module &M,
                         const mir::Signature &CallSite,
                         ArrayRef<mir::Type> ArgTypes) {
  mir::Signature Sig;
  if (CrossError E =
          plugin::core().ExternCallSignature(B, M, CallSite, ArgTypes, Sig))
    return plugin::fromCross(std::move(E));
  return Sig;
}

bool ffi::isExternName(StringRef Name, const mir::Module &M) {
  return plugin::core().IsExternName(Name, M);
}

Error ffi::runGuarded(function_ref<void()> Body, unsigned MaxCallDepth) {
  return plugin::fromCross(plugin::core().RunGuarded(Body, MaxCallDepth));
}

bool ffi::runCallback(function_ref<void()> Body, CallbackErrors *Sink,
                      unsigned MaxCallDepth) {
  return plugin::core().RunCallback(Body, Sink, MaxCallDepth);
}

bool ffi::inGuard() { return plugin::core().InGuard(); }

uint32_t ffi::registerCodeRange(const void *Begin, const void *End,
                                StringRef Name, bool MachineCode) {
  return plugin::core().RegisterCodeRange(Begin, End, Name, MachineCode);
}

void ffi::unregisterCodeRange(uint32_t Id) {
  plugin::core().UnregisterCodeRange(Id);
}

bool ffi::isCodeAddress(const void *P) {
  return plugin::core().IsCodeAddress(P);
}

const ffi::NativeStack &ffi::nativeStack() {
  return plugin::core().NativeStack();
}

uint64_t *ffi::GlobalCells::cell(int64_t Symbol) {
  return plugin::core().GlobalCell(*this, Symbol);
}

extern "C" void spl_rt_poll(const void *Limits, const char *Fn) {
  plugin::core().Poll(Limits, Fn);
}

extern "C" void spl_eh_push(ffi::EHFrame *F) { plugin::core().EHPush(F); }

extern "C" void spl_eh_pop(ffi::EHFrame *F) { plugin::core().EHPop(F); }

extern "C" void spl_rt_throw(int64_t Payload, int64_t Tag, const char *Fn) {
  plugin::core().Throw(Payload, Tag, Fn);
  __builtin_unreachable();
}

extern "C" void spl_rt_bounds_fail(int64_t Index, int64_t Len,
                                   const char *Fn) {
  plugin::core().BoundsFail(Index, Len, Fn);
  __builtin_unreachable();
}

extern "C" void spl_rt_trap(uint32_t Kind, const char *Fn,
                            const char *Detail) {
  plugin::core().Trap(Kind, Fn, Detail);
  __builtin_unreachable();
}

bool ffi::interruptsBySignal() { return plugin::core().InterruptsBySignal(); }
