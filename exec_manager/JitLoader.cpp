//===- exec_manager/JitLoader.cpp - The JIT, loaded on first use ----------===//
//
// libspl_exec.so's jit::Session::create: the first call loads
// libspl_exec_jit.so from the directory libspl_exec.so itself was loaded
// from (never a search, never the current directory), gives it the core's
// services and keeps its session factory for the life of the process. A
// program that never creates a JIT session never loads it, nor the LLVM in
// it. What crosses, and why errors cross as data: jit/Boundary.h.
//
//===----------------------------------------------------------------------===//
#include "jit/Boundary.h"

#include "ffi/FFI.h"

#include <dlfcn.h>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {

CrossError toCross(Error E) {
  return toCrossError<ffi::ExitRequest>(std::move(E));
}

Error fromCross(CrossError E) {
  return fromCrossError<ffi::ExitRequest>(std::move(E));
}

const CoreServices Services = {
    sizeof(CoreServices),
    layoutFingerprint(),
    fromCross,
    [](StringRef Name, const ffi::ResolveOptions &Opts,
       ffi::ExternBinding &Out) {
      Expected<ffi::ExternBinding> B = ffi::resolveExtern(Name, Opts);
      if (!B)
        return toCross(B.takeError());
      Out = std::move(*B);
      return CrossError();
    },
    [](const ffi::ExternBinding &B, const mir::Module &M,
       const mir::Signature &CallSite, ArrayRef<mir::Type> ArgTypes,
       mir::Signature &Out) {
      Expected<mir::Signature> S =
          ffi::externCallSignature(B, M, CallSite, ArgTypes);
      if (!S)
        return toCross(S.takeError());
      Out = std::move(*S);
      return CrossError();
    },
    ffi::isExternName,
    [](function_ref<void()> Body, unsigned MaxCallDepth) {
      return toCross(ffi::runGuarded(Body, MaxCallDepth));
    },
    ffi::runCallback,
    ffi::inGuard,
    ffi::registerCodeRange,
    ffi::unregisterCodeRange,
    ffi::isCodeAddress,
    [](ffi::GlobalCells &Cells, int64_t Symbol) { return Cells.cell(Symbol); },
    spl_rt_poll,
    spl_eh_push,
    spl_eh_pop,
    spl_rt_throw,
    spl_rt_bounds_fail,
    spl_rt_trap,
    ffi::nativeStack,
    ffi::interruptsBySignal,
};

/// The plugin, loaded once; Failure says why there is none.
struct LoadedPlugin {
  const Plugin *P = nullptr;
  std::string Failure;
};

LoadedPlugin loadPlugin() {
  std::vector<std::string> Dirs = ffi::defaultSearchDirs();
  if (Dirs.empty())
    return {nullptr, "llvm backend: cannot tell which directory "
                     "libspl_exec.so was loaded from, to load " +
                         std::string(SPL_JIT_PLUGIN_FILE)};
  std::string Path = Dirs.front() + "/" + SPL_JIT_PLUGIN_FILE;
  void *H = dlopen(Path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!H) {
    const char *Why = dlerror();
    return {nullptr, "llvm backend: cannot load " + Path + ": " +
                         (Why ? Why : "unknown error")};
  }
  auto Entry = reinterpret_cast<PluginEntry>(dlsym(H, SPL_JIT_PLUGIN_ENTRY));
  const Plugin *P = Entry ? Entry(&Services) : nullptr;
  if (!P || P->Layout != layoutFingerprint())
    return {nullptr, "llvm backend: " + Path +
                         " is not the JIT of this libspl_exec.so (another "
                         "build of spl-exec)"};
  return {P, ""};
}

const LoadedPlugin &plugin() {
  static const LoadedPlugin L = loadPlugin();
  return L;
}

} // namespace

Expected<std::unique_ptr<Session>> Session::create(Options Opts) {
  if (!Opts.Globals)
    Opts.Globals = std::make_shared<ffi::GlobalCells>();
  if (!Opts.Limits)
    Opts.Limits = std::make_shared<ffi::CallLimits>();
  const LoadedPlugin &L = plugin();
  if (!L.P)
    return createStringError(inconvertibleErrorCode(), L.Failure);
  CrossError Err;
  Session *S = L.P->CreateSession(Opts, Err);
  if (!S) {
    if (!Err)
      Err = {CrossError::Kind::Message, 0, "llvm backend: no session made"};
    return fromCross(std::move(Err));
  }
  return std::unique_ptr<Session>(S);
}
