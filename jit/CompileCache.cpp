//===- jit/CompileCache.cpp - Module -> object, through the cache ---------===//
//
// The session's compile function (OrcSetup.cpp's LeveledCompiler calls it
// for every module ORC materialises: batches and aux modules alike). It runs
// on the module as lowered, so the cache is asked before anything costly:
//
//   key = hash(bitcode as lowered, descriptor)   (ObjectCache.h)
//   hit:  the stored object; no optimisation, no code generation, and no
//         code generator loaded (CodeGen.h)
//   miss: the code generator optimises, prints (DumpIR/DumpAsm) and
//         compiles the bitcode; the object is stored
//
//===----------------------------------------------------------------------===//
#include "BlockAddressTables.h"
#include "CodeGen.h"
#include "ObjectCache.h"
#include "SessionImpl.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Support/SmallVectorMemoryBuffer.h"

#include <chrono>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {
using Clock = std::chrono::steady_clock;
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
  SmallVector<char, 0> Bitcode;
  {
    raw_svector_ostream OS(Bitcode);
    WriteBitcodeToFile(M, OS);
  }
  StringRef BC(Bitcode.data(), Bitcode.size());

  // A dump shows the optimised module: a cached object has none.
  bool UseCache = Cache && !Opts.DumpIR && !Opts.DumpAsm;
  CacheKey Key;
  std::string Descriptor;
  if (UseCache) {
    auto T0 = Clock::now();
    Descriptor = cacheDescriptor(Host, Level);
    Key = Cache->keyOf(BC, Descriptor);
    std::unique_ptr<MemoryBuffer> Obj = Cache->lookup(Key, Descriptor);
    St.CacheMs += msSince(T0);
    if (Obj) {
      ++St.CacheHits;
      CachedModules.insert(M.getName());
      dropBlockAddressTables(M);
      return Obj;
    }
  }

  if (Opts.Cancel && Opts.Cancel->load(std::memory_order_relaxed))
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: compile cancelled");
  std::string Why;
  CodeGen *CG = codeGen(Why);
  if (!CG)
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: no code generator: " + Why);
  std::string Triple = Host.getTargetTriple().str();
  std::string Features = Host.getFeatures().getString();
  CompileJob Job;
  Job.Bitcode = std::string_view(BC.data(), BC.size());
  Job.OptLevel = Level;
  Job.Triple = Triple;
  Job.CPU = Host.getCPU();
  Job.Features = Features;
  Job.PrintIR = Opts.DumpIR != nullptr;
  Job.PrintAsm = Opts.DumpAsm != nullptr;
  Job.Cancel = Opts.Cancel;
  CompileResult R;
  CG->compile(Job, R);
  dropBlockAddressTables(M);
  if (!R.Error.empty())
    return createStringError(inconvertibleErrorCode(), R.Error);
  St.OptimizeMs += R.OptimizeMs;
  St.CodegenMs += R.CodegenMs;
  for (auto &[Fn, Ms] : R.OptimizeMsByFn)
    OptimizeMsByFn[Fn] += Ms;
  for (auto &[Fn, Ms] : R.CodegenMsByFn)
    CodegenMsByFn[Fn] += Ms;
  if (Opts.DumpIR)
    *Opts.DumpIR << R.IR;
  if (Opts.DumpAsm)
    *Opts.DumpAsm << R.Asm;

  if (UseCache) {
    auto T2 = Clock::now();
    ++St.CacheMisses;
    Cache->store(Key, Descriptor, R.Object);
    St.CacheMs += msSince(T2);
  }
  SmallVector<char, 0> Obj(R.Object.begin(), R.Object.end());
  return std::make_unique<SmallVectorMemoryBuffer>(
      std::move(Obj), M.getModuleIdentifier() + "-jitted-objectbuffer",
      /*RequiresNullTerminator=*/false);
}
