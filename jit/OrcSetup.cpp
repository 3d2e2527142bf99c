//===- jit/OrcSetup.cpp - The LLJIT of a session --------------------------===//
//
// One LLJIT per Session, configured rather than subclassed:
//   * the host's JITTargetMachineBuilder (detected once per process), and
//     no data layout: modules are lowered without one and the code
//     generator gives them its target's (CodeGen.h), so no TargetMachine is
//     made here, and a cache hit never makes one;
//   * JITLink's ObjectLinkingLayer (the debugger and perf plugins need it);
//   * no platform and no process-symbols JITDylib: JIT code links only
//     against what we define (Runtime.h, the bit intrinsics) and the
//     absolute symbols of the externs it binds (Load.cpp: at the address
//     ffi::resolveExtern gave, host, runtime, builtin or library alike);
//   * a compile function (CompileCache.cpp) that looks each module up in the
//     on-disk cache, else has the code generator optimise and compile it at
//     the level it was lowered for (and print it when asked).
//
//===----------------------------------------------------------------------===//
#include "Runtime.h"
#include "SessionImpl.h"

#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"

#include <chrono>
#include <optional>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {

/// Compiles each module through the session (CompileCache.cpp): the cache,
/// else the optimiser and the target machine of the module's level.
class LeveledCompiler : public orc::IRCompileLayer::IRCompiler {
public:
  LeveledCompiler(Session::Impl &S)
      : IRCompiler(orc::irManglingOptionsFromTargetOptions(
            S.Host.getOptions())),
        S(S) {}

  Expected<std::unique_ptr<MemoryBuffer>> operator()(Module &M) override {
    return S.compileModule(M);
  }

private:
  Session::Impl &S;
};

/// The host's target machine builder, detected once per process (it reads
/// the CPU's name and features). No target is registered here: only the
/// code generator makes machines (jit/codegen/CodeGen.cpp, which also sets
/// the small PIC code model the JIT's objects are compiled for).
Expected<orc::JITTargetMachineBuilder> hostBuilder() {
  static std::once_flag Once;
  static std::optional<orc::JITTargetMachineBuilder> Host;
  static std::string Failure;
  std::call_once(Once, [] {
    auto JTMB = orc::JITTargetMachineBuilder::detectHost();
    if (JTMB) {
      JTMB->setCodeModel(CodeModel::Small);
      JTMB->setRelocationModel(Reloc::PIC_);
      Host = std::move(*JTMB);
    } else
      Failure = toString(JTMB.takeError());
  });
  if (!Host)
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: cannot target this host: " +
                                 Failure);
  return *Host;
}

} // namespace

Expected<std::unique_ptr<Session::Impl>> Session::Impl::create(Options Opts) {
  auto T0 = std::chrono::steady_clock::now();
  auto I = std::make_unique<Impl>();
  I->Opts = Opts;
  I->OptLevel = std::min(Opts.OptLevel, 3u);
  I->Globals = Opts.Globals;
  I->Limits = Opts.Limits;
  if (!I->Globals || !I->Limits)
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: a session needs GlobalAddr cells "
                             "and call limits");
  Expected<orc::JITTargetMachineBuilder> JTMB = hostBuilder();
  if (!JTMB)
    return JTMB.takeError();
  I->Host = std::move(*JTMB);
  I->setCache(Opts.Cache);
  if (Error E = I->setUpJIT())
    return E;
  I->St.CreateMs = msSince(T0);
  return I;
}

// Members go in reverse order: trackers and stubs before the JIT whose
// session they belong to.
Session::Impl::~Impl() = default;

Error Session::Impl::setUpJIT() {
  orc::LLJITBuilder Builder;
  Builder.setJITTargetMachineBuilder(Host)
      .setDataLayout(DataLayout(""))
      .setLinkProcessSymbolsByDefault(false)
      .setPlatformSetUp(orc::setUpInactivePlatform)
      .setObjectLinkingLayerCreator(
          [this](orc::ExecutionSession &ES, const Triple &)
              -> Expected<std::unique_ptr<orc::ObjectLayer>> {
            CodeMemory = makeCappedMemoryManager(
                ES.getExecutorProcessControl().getMemMgr(),
                Limits->MaxCodeBytes);
            return std::make_unique<orc::ObjectLinkingLayer>(ES, *CodeMemory);
          })
      .setCompileFunctionCreator(
          [this](orc::JITTargetMachineBuilder)
              -> Expected<std::unique_ptr<orc::IRCompileLayer::IRCompiler>> {
            return std::make_unique<LeveledCompiler>(*this);
          });
  auto JIT = Builder.create();
  if (!JIT)
    return JIT.takeError();
  J = std::move(*JIT);

  // A failed compile reaches load()'s lookup only as "Failed to materialize
  // symbols"; the reporter keeps the first cause, which load() reports
  // instead.
  J->getExecutionSession().setErrorReporter([this](Error E) {
    std::string Msg = toString(std::move(E));
    std::lock_guard<std::mutex> G(ReportedMu);
    if (!Reported)
      Reported = std::move(Msg);
  });

  // Optimisation happens in the compile function, after the cache lookup
  // (CompileCache.cpp), so a cached module is never optimised.

  // The functions lowered code calls on its own, as absolute symbols of the
  // main JITDylib. Externs of the program (builtins, runtime functions, host
  // and library symbols) are added as they are bound (Load.cpp).
  orc::SymbolMap Syms;
  auto Flags = JITSymbolFlags::Exported | JITSymbolFlags::Callable;
  auto Add = [&](StringRef Name, void *Addr) {
    Syms[J->mangleAndIntern(Name)] = {orc::ExecutorAddr::fromPtr(Addr), Flags};
    RuntimeNames.insert(Name);
  };
  for (auto &[Name, Addr] : runtimeSymbols())
    Add(Name, Addr);
  // (v2) The portable bit intrinsics (mir/IntrinsicEval.cpp).
  for (const mir::IntrinsicFn &Fn : mir::bitIntrinsicFns())
    Add(Fn.Symbol, Fn.Address);
  if (Error E = J->getMainJITDylib().define(orc::absoluteSymbols(Syms)))
    return E;

  Stubs = orc::createLocalIndirectStubsManagerBuilder(J->getTargetTriple())();
  if (!Stubs)
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: no indirect stubs for " +
                                 J->getTargetTriple().str());
  if (Error E = registerCodeRanges())
    return E;
  return enableTooling();
}
