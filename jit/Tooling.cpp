//===- jit/Tooling.cpp - Dumps, debugger and perf support -----------------===//
//
// DumpIR prints each module after optimisation; DumpAsm prints the assembly
// of a copy of it, made by a separate TargetMachine (code generation mutates
// the module it runs on, and the JIT's own machine stays untouched).
//
// DebuggerSupport registers every linked object with the GDB JIT interface
// (__jit_debug_register_code), so gdb and lldb see JIT'd function names.
// PerfSupport (also SPL_JIT_PERF=1) writes a perf jitdump (jit-<pid>.dump, for
// `perf record -k 1` + `perf inject --jit`). Both are JITLink plugins; the
// registration functions live in libLLVM and are passed by address, so no
// symbol of the host process needs to be visible to JIT code.
//
//===----------------------------------------------------------------------===//
#include "SessionImpl.h"

#include "llvm/ExecutionEngine/Orc/DebugObjectManagerPlugin.h"
#include "llvm/ExecutionEngine/Orc/Debugging/PerfSupportPlugin.h"
#include "llvm/ExecutionEngine/Orc/EPCDebugObjectRegistrar.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderGDB.h"
#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderPerf.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <cstdlib>
#include <cstring>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

static bool perfFromEnv() {
  const char *V = std::getenv("SPL_JIT_PERF");
  return V && std::strcmp(V, "1") == 0;
}

Error Session::Impl::enableTooling() {
  bool Perf = Opts.PerfSupport || perfFromEnv();
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
  if (Perf) {
    if (!J->getTargetTriple().isOSBinFormatELF())
      return createStringError(inconvertibleErrorCode(),
                               "llvm backend: perf support needs ELF");
    OLL->addPlugin(std::make_unique<orc::PerfSupportPlugin>(
        ES.getExecutorProcessControl(),
        orc::ExecutorAddr::fromPtr(&llvm_orc_registerJITLoaderPerfStart),
        orc::ExecutorAddr::fromPtr(&llvm_orc_registerJITLoaderPerfEnd),
        orc::ExecutorAddr::fromPtr(&llvm_orc_registerJITLoaderPerfImpl),
        /*EmitDebugInfo=*/false, /*EmitUnwindInfo=*/true));
  }
  return Error::success();
}

Error Session::Impl::dumpModule(Module &M, unsigned Level) {
  if (Opts.DumpIR)
    M.print(*Opts.DumpIR, nullptr);
  if (!Opts.DumpAsm)
    return Error::success();
  Expected<TargetMachine &> TM = TMs->forAsm(Level);
  if (!TM)
    return TM.takeError();
  std::unique_ptr<Module> Copy = CloneModule(M);
  SmallString<0> Text;
  raw_svector_ostream OS(Text);
  legacy::PassManager PM;
  if (TM->addPassesToEmitFile(PM, OS, nullptr, CodeGenFileType::AssemblyFile))
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: this target cannot print "
                             "assembly");
  PM.run(*Copy);
  *Opts.DumpAsm << Text;
  return Error::success();
}
