//===- jit/Tooling.cpp - Debugger and perf support ------------------------===//
//
// DebuggerSupport registers every linked object with the GDB JIT interface
// (__jit_debug_register_code), so gdb and lldb see JIT'd function names.
// PerfSupport (SPL_JIT_PERF=1 sets it too) appends each linked function to the perf
// map /tmp/perf-<pid>.map, which `perf report` reads by itself. (LLVM's
// jitdump PerfSupportPlugin writes a header that Debian's perf 6.1 rejects in
// `perf inject --jit`, "invalid or unsupported flags"; the map format has no
// such version coupling.) Both are JITLink plugins; the GDB registration
// function lives in libLLVM and is passed by address, so no symbol of the
// host process needs to be visible to JIT code.
//
//===----------------------------------------------------------------------===//
#include "SessionImpl.h"

#include "llvm/ExecutionEngine/Orc/DebugObjectManagerPlugin.h"
#include "llvm/ExecutionEngine/Orc/EPCDebugObjectRegistrar.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderGDB.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <mutex>
#include <unistd.h>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {
/// Writes "START SIZE NAME" for every callable symbol JITLink has placed
/// into /tmp/perf-<pid>.map. The file is process-wide and append-only, as
/// perf expects; entries of removed code are left (perf takes the newest).
class PerfMapPlugin final : public orc::ObjectLinkingLayer::Plugin {
public:
  void modifyPassConfig(orc::MaterializationResponsibility &,
                        jitlink::LinkGraph &,
                        jitlink::PassConfiguration &Config) override {
    Config.PostFixupPasses.push_back([](jitlink::LinkGraph &G) -> Error {
      static std::mutex Mu;
      std::lock_guard<std::mutex> L(Mu);
      static FILE *F = [] {
        std::string Path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
        return std::fopen(Path.c_str(), "a");
      }();
      if (!F)
        return Error::success(); // profiling aid only: never fail a load
      for (jitlink::Symbol *S : G.defined_symbols())
        if (S->hasName() && S->isCallable() && S->getSize())
          std::fprintf(F, "%llx %llx %s\n",
                       (unsigned long long)S->getAddress().getValue(),
                       (unsigned long long)S->getSize(),
                       S->getName().str().c_str());
      std::fflush(F);
      return Error::success();
    });
  }
  Error notifyFailed(orc::MaterializationResponsibility &) override {
    return Error::success();
  }
  Error notifyRemovingResources(orc::JITDylib &, orc::ResourceKey) override {
    return Error::success();
  }
  void notifyTransferringResources(orc::JITDylib &, orc::ResourceKey,
                                   orc::ResourceKey) override {}
};
} // namespace

Error Session::Impl::enableTooling() {
  // SPL_JIT_PERF=1 reaches Opts.PerfSupport through the library's one reader
  // of the environment (exec_manager/Environment.cpp).
  bool Perf = Opts.PerfSupport;
  if (!Opts.DebuggerSupport && !Perf)
    return Error::success();
  Tooling = true;
  auto *OLL = dyn_cast<orc::ObjectLinkingLayer>(&J->getObjLinkingLayer());
  if (!OLL)
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: debugger and perf support need "
                             "JITLink");
  orc::ExecutionSession &ES = J->getExecutionSession();
  if (Opts.DebuggerSupport)
    OLL->addPlugin(std::make_unique<orc::DebugObjectManagerPlugin>(
        ES,
        std::make_unique<orc::EPCDebugObjectRegistrar>(
            ES,
            orc::ExecutorAddr::fromPtr(&llvm_orc_registerJITLoaderGDBWrapper)),
        /*RequireDebugSections=*/false, /*AutoRegisterCode=*/true));
  if (Perf)
    OLL->addPlugin(std::make_unique<PerfMapPlugin>());
  return Error::success();
}
