//===- exec_manager/LLVMBackend.cpp - The ORC JIT as a Backend ------------===//
#include "exec_manager/Backend.h"
#include "jit/JIT.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace spl {
namespace {
/// Forwards what the JIT dumps to a host callback, one batch at a time.
class CallbackStream {
public:
  explicit CallbackStream(std::function<void(std::string_view)> F)
      : F(std::move(F)), OS(Buf) {}
  raw_ostream *stream() { return F ? &OS : nullptr; }
  void flush() {
    if (!F || Buf.empty())
      return;
    F(Buf);
    Buf.clear();
  }

private:
  std::function<void(std::string_view)> F;
  std::string Buf;
  raw_string_ostream OS;
};

class LLVMBackend final : public Backend {
public:
  LLVMBackend(std::unique_ptr<jit::Session> S,
              std::unique_ptr<CallbackStream> IR,
              std::unique_ptr<CallbackStream> Asm)
      : S(std::move(S)), IR(std::move(IR)), Asm(std::move(Asm)) {}
  StringRef name() const override { return "llvm"; }
  Error load(const mir::Module &M) override {
    Error E = S->load(M);
    IR->flush();
    Asm->flush();
    return E;
  }
  const void *lookup(StringRef Name) override { return S->lookup(Name); }
  Expected<uint64_t> call(const void *Fn, ArrayRef<uint64_t> Args) override {
    return S->callHandle(Fn, Args);
  }
  FunctionTier tier(StringRef Name) const override {
    FunctionTier T;
    T.Name = Name.str();
    T.Tier = "native";
    return T;
  }
  void setOptLevel(unsigned Level) override { S->setOptLevel(Level); }
  void setCache(const std::string &Dir, uint64_t MaxBytes) override {
    jit::CacheOptions C;
    C.Directory = Dir;
    C.MaxBytes = MaxBytes;
    S->setCache(std::move(C));
  }
  CompileStats stats() const override {
    CompileStats C = compileStatsOf(S->stats());
    C.LoadMs = S->stats().SessionMs;
    return C;
  }

private:
  std::unique_ptr<jit::Session> S;
  std::unique_ptr<CallbackStream> IR, Asm;
};
} // namespace

CompileStats compileStatsOf(const jit::Stats &St) {
  CompileStats C;
  C.LowerMs = St.LowerMs;
  C.OptimizeMs = St.OptimizeMs;
  C.CodegenMs = St.CodegenMs;
  C.CacheHits = St.CacheHits;
  C.CacheMisses = St.CacheMisses;
  C.CacheMs = St.CacheMs;
  for (const jit::FunctionStats &F : St.PerFunction) {
    FunctionCompileStats FC;
    FC.Name = F.Name;
    FC.MirInstructions = F.MirInstructions;
    FC.IRInstructions = F.IRInstructions;
    FC.LowerMs = F.LowerMs;
    FC.OptimizeMs = F.OptimizeMs;
    FC.CodegenMs = F.CodegenMs;
    FC.FromCache = F.Cached;
    C.Functions.push_back(std::move(FC));
  }
  return C;
}

Expected<std::unique_ptr<Backend>> createLLVMBackend(const BackendConfig &C) {
  auto IR = std::make_unique<CallbackStream>(C.OnIR);
  auto Asm = std::make_unique<CallbackStream>(C.OnAsm);
  jit::Options O;
  O.OptLevel = C.OptLevel;
  O.MaxCallDepth = C.MaxCallDepth;
  O.DebuggerSupport = C.DebuggerSupport;
  O.PerfSupport = C.PerfSupport;
  O.Globals = C.Globals;
  O.Resolve = C.Resolve;
  O.CallbackErrors = C.CallbackErrors;
  O.Limits = C.Limits;
  O.DumpIR = IR->stream();
  O.DumpAsm = Asm->stream();
  O.Cache.Directory = C.CacheDir;
  O.Cache.MaxBytes = C.CacheMaxBytes;
  O.CodeInUse = C.CodeInUse;
  auto S = jit::Session::create(O);
  if (!S)
    return S.takeError();
  return std::make_unique<LLVMBackend>(std::move(*S), std::move(IR),
                                       std::move(Asm));
}

} // namespace spl
