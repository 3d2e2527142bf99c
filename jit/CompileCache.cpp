//===- jit/CompileCache.cpp - Module -> object, through the cache ---------===//
//
// The session's compile function (OrcSetup.cpp's LeveledCompiler calls it
// for every module ORC materialises: batches and aux modules alike). It runs
// on the module as lowered, so the cache is asked before anything costly:
//
//   key = hash(bitcode as lowered, descriptor)   (ObjectCache.h)
//   hit:  the stored object; no optimisation, no code generation
//   miss: optimise, dump (DumpIR/DumpAsm), generate code, store
//
// Code generation is LLVM's own (what orc::SimpleCompiler does) plus one
// pass after the last of each function's, which clocks the function: the
// legacy pass manager runs every codegen pass on one function before the
// next, so the time between two clocks is one function's machine code.
//
//===----------------------------------------------------------------------===//
#include "ObjectCache.h"
#include "Optimizer.h"
#include "SessionImpl.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCContext.h"
#include "llvm/Pass.h"
#include "llvm/Support/SmallVectorMemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {
using Clock = std::chrono::steady_clock;

/// Charges the time since the previous function's clock to this function.
class CodegenClock final : public FunctionPass {
public:
  static char ID;
  CodegenClock(StringMap<double> &Ms, Clock::time_point &Last)
      : FunctionPass(ID), Ms(Ms), Last(Last) {}
  StringRef getPassName() const override { return "spl codegen clock"; }
  void getAnalysisUsage(AnalysisUsage &AU) const override {
    AU.setPreservesAll();
  }
  bool runOnFunction(Function &F) override {
    auto Now = Clock::now();
    Ms[F.getName()] +=
        std::chrono::duration<double, std::milli>(Now - Last).count();
    Last = Now;
    return false;
  }

private:
  StringMap<double> &Ms;
  Clock::time_point &Last;
};
char CodegenClock::ID = 0;
} // namespace

void Session::Impl::setCache(CacheOptions C) {
  Opts.Cache = std::move(C);
  Cache.reset();
  if (!Opts.Cache.Directory.empty())
    Cache = std::make_unique<ObjectCache>(Opts.Cache);
}

Expected<std::unique_ptr<MemoryBuffer>>
Session::Impl::compileModule(Module &M) {
  unsigned Level = optLevelOf(M);
  Expected<TargetMachine &> TM = TMs->forLevel(Level);
  if (!TM)
    return TM.takeError();

  // A dump shows the optimised module: a cached object has none.
  bool UseCache = Cache && !Opts.DumpIR && !Opts.DumpAsm;
  CacheKey Key;
  std::string Descriptor;
  if (UseCache) {
    auto T0 = Clock::now();
    Descriptor = cacheDescriptor(*TM, Level);
    Key = Cache->keyOf(M, Descriptor);
    std::unique_ptr<MemoryBuffer> Obj = Cache->lookup(Key, Descriptor);
    St.CacheMs += msSince(T0);
    if (Obj) {
      ++St.CacheHits;
      CachedModules.insert(M.getName());
      dropBlockAddressTables(M);
      return Obj;
    }
  }

  auto T0 = Clock::now();
  optimizeModule(M, Level, *TM, [&](const Function *F, double Ms) {
    OptimizeMsByFn[F ? F->getName() : StringRef()] += Ms;
  });
  St.OptimizeMs += msSince(T0);
  if (Error E = dumpModule(M, Level))
    return E;

  auto T1 = Clock::now();
  SmallVector<char, 0> Buf;
  raw_svector_ostream OS(Buf);
  legacy::PassManager PM;
  MCContext *Ctx;
  if (TM->addPassesToEmitMC(PM, Ctx, OS))
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: the target cannot emit objects");
  Clock::time_point Last = Clock::now();
  PM.add(new CodegenClock(CodegenMsByFn, Last));
  PM.run(M);
  dropBlockAddressTables(M);
  auto Obj = std::make_unique<SmallVectorMemoryBuffer>(
      std::move(Buf), M.getModuleIdentifier() + "-jitted-objectbuffer",
      /*RequiresNullTerminator=*/false);
  St.CodegenMs += msSince(T1);

  if (UseCache) {
    auto T2 = Clock::now();
    ++St.CacheMisses;
    Cache->store(Key, Descriptor, Obj->getBuffer());
    St.CacheMs += msSince(T2);
  }
  return Obj;
}
