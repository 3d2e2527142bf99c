//===- jit/Load.cpp - Batches, stubs, redefinition, externs ---------------===//
//
// Functions arrive one module at a time, in any order, and may be redefined.
//
// Indirection. Every program function F that is defined, or called from
// another batch, has an ORC indirect stub `F.stub` (an IndirectStubsManager
// stub: a jump through a pointer we own). Calls inside one batch are direct,
// so the optimiser can inline them; calls across batches go through the stub.
// A stub is made pointing nowhere; when code that calls it is loaded and F is
// still missing, it is pointed at `F.undef`, which traps UndefinedFunction
// naming F. When F arrives (or is redefined), updatePointer points it at the
// new body. So callers first, callees later, or a callee that never comes,
// all behave as in the interpreter, and no caller is ever recompiled for a
// callee's arrival.
//
// Redefinition. A function g of an older batch that called the old f
// *directly* (f was in g's batch), perhaps with f inlined, would keep the old
// f. So loading f again also re-lowers, into the new batch, every function
// that reaches f through direct calls within its old batch (the closure of
// "calls directly" from f, backwards), and repoints their stubs too. Each
// session function records the names it calls directly; that is all the
// closure needs. A batch whose functions have all been replaced holds no
// live code any more: its ResourceTracker is removed and its memory freed.
//
// All or nothing. Lowering, extern resolution, and the lookup that compiles
// and links the batch all happen before anything visible changes; on failure
// the batch's tracker is removed. (Stubs made on the way stay: they point
// nowhere and no loaded code calls them.)
//
//===----------------------------------------------------------------------===//
#include "SessionImpl.h"

#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/Verifier.h"

#include <chrono>
#include <set>
#include <unordered_map>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {
Error loadError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// docs/SEMANTICS.md "Calls": a name is an extern when no program function
/// has it (in its module, this batch, or loaded before) and ffi's name rule
/// says so (a builtin, a declared extern, a runtime function, `__simple_*`,
/// an SFFI name). (The interpreter decides the same way, so both bind the
/// same calls.)
bool isExtern(StringRef Name, const mir::Module &Scope,
              const StringMap<unsigned> &Batch,
              const StringMap<FunctionRecord> &Loaded) {
  if (Batch.count(Name) || Loaded.count(Name))
    return false;
  return ffi::isExternName(Name, Scope);
}

/// The name a stub answers to for a callee known only by symbol id that no
/// loaded function has (yet); it is repointed when such a function arrives.
std::string symbolStubName(int64_t Symbol) {
  return (Twine("#") + Twine(Symbol)).str();
}

/// The LLVM functions lowering makes of Fn in batch Batch (Lowering.h):
/// its body, checked entry (when separate) and entry wrapper.
std::vector<std::string> batchSymbols(StringRef Fn, unsigned Batch) {
  return {uncheckedSymbol(Fn, Batch), bodySymbol(Fn, Batch),
          entrySymbol(Fn, Batch)};
}

/// The session's CalleeResolver for one load: classifies every callee of the
/// batch and records which stubs, externs and adapters the batch needs.
class BatchResolver : public CalleeResolver {
public:
  BatchResolver(Session::Impl &S, const StringMap<unsigned> &Index,
                ArrayRef<BatchInput> Inputs, unsigned Batch)
      : S(S), Index(Index), Inputs(Inputs), Batch(Batch) {}

  Expected<CallTarget> callTarget(const mir::Module &Scope,
                                  const mir::Constant &Callee,
                                  ArrayRef<mir::Type> ArgTypes) override;
  Expected<CallTarget> externTarget(const mir::Module &Scope, StringRef Name,
                                    const mir::Signature &Site,
                                    ArrayRef<mir::Type> ArgTypes) override;
  Expected<std::string> functionPointer(const mir::Module &Scope,
                                        const mir::Constant &Callee) override;
  uint64_t *globalCell(int64_t Symbol) override {
    Cells.insert(Symbol);
    return S.Globals->cell(Symbol);
  }

  StringSet<> StubsUsed, Externs;
  std::set<int64_t> Cells; // GlobalAddr cells the batch reaches
  std::vector<AdapterRequest> NewAdapters;

private:
  std::string nameOf(const mir::Module &Scope, const mir::Constant &Callee);
  /// The functions of Scope by name and by symbol, indexed on first use:
  /// a linear search per call would make lowering quadratic in the module.
  struct ScopeIndex {
    StringMap<const mir::Function *> ByName;
    // (std::unordered_map: any int64 is a valid symbol, and DenseMap
    // reserves two.)
    std::unordered_map<int64_t, const mir::Function *> BySymbol;
  };
  const ScopeIndex &indexOf(const mir::Module &Scope);
  DenseMap<const mir::Module *, std::unique_ptr<ScopeIndex>> Scopes;

  Session::Impl &S;
  const StringMap<unsigned> &Index;
  ArrayRef<BatchInput> Inputs;
  unsigned Batch;
};

const BatchResolver::ScopeIndex &
BatchResolver::indexOf(const mir::Module &Scope) {
  std::unique_ptr<ScopeIndex> &I = Scopes[&Scope];
  if (!I) {
    I = std::make_unique<ScopeIndex>();
    // The first function of a name or symbol, as a linear search finds.
    for (const mir::Function &F : Scope.Functions) {
      I->ByName.try_emplace(F.Name, &F);
      I->BySymbol.try_emplace(F.Symbol, &F);
    }
  }
  return *I;
}

std::string BatchResolver::nameOf(const mir::Module &Scope,
                                  const mir::Constant &Callee) {
  if (Callee.K != mir::Constant::Kind::Int)
    return Callee.S;
  // A symbol id: the calling module's functions first, then any function
  // the session has loaded.
  int64_t Sym = int64_t(Callee.Bits);
  const ScopeIndex &SI = indexOf(Scope);
  if (auto It = SI.BySymbol.find(Sym); It != SI.BySymbol.end())
    return It->second->Name;
  auto It = S.SymbolNames.find(Sym);
  return It != S.SymbolNames.end() ? It->second : symbolStubName(Sym);
}

Expected<CallTarget> BatchResolver::externTarget(const mir::Module &Scope,
                                                 StringRef Name,
                                                 const mir::Signature &Site,
                                                 ArrayRef<mir::Type> ArgTypes) {
  Expected<const ffi::ExternBinding &> EB = S.binding(Name);
  if (!EB)
    return EB.takeError();
  Expected<mir::Signature> Sig =
      ffi::externCallSignature(*EB, Scope, Site, ArgTypes);
  if (!Sig) {
    // A wrong count against the callee's own signature: name the call
    // site's too (MIR.md "Calls and signatures (v2)").
    if (Scope.externDecl(Name) || EB->Sig)
      return loadError(toString(Sig.takeError()) + " (the call site says " +
                       Site.str() + ")");
    return Sig.takeError();
  }
  CallTarget T;
  T.K = CallTarget::Kind::Extern;
  T.Name = Name.str();
  T.Symbol = Name.str();
  T.Sig = std::move(*Sig);
  // A variadic callee keeps its fixed parameters only: the rest of the
  // arguments travel with C's default promotions (LowerCalls.cpp).
  if (T.Sig.Variadic) {
    const mir::Signature *Fixed = nullptr;
    if (const mir::ExternDecl *D = Scope.externDecl(Name))
      Fixed = &D->Sig;
    else if (EB->Sig)
      Fixed = &*EB->Sig;
    else
      Fixed = &Site;
    T.Sig.Params.resize(std::min(T.Sig.Params.size(), Fixed->Params.size()));
  }
  Externs.insert(Name);
  return T;
}

Expected<CallTarget> BatchResolver::callTarget(const mir::Module &Scope,
                                               const mir::Constant &Callee,
                                               ArrayRef<mir::Type> ArgTypes) {
  std::string Name = nameOf(Scope, Callee);
  const mir::Signature &Site = Callee.Ty.sig();
  if (Callee.K != mir::Constant::Kind::Int &&
      isExtern(Name, Scope, Index, S.Functions))
    return externTarget(Scope, Name, Site, ArgTypes);
  CallTarget T;
  T.Name = Name;
  size_t NumArgs = ArgTypes.size();
  // A program function: called with its own signature when the call fits
  // it, directly if it is in this batch. A call that does not fit (the
  // function was redefined with other parameters since the caller was
  // written) goes through the stub as the caller wrote it, as in the
  // interpreter, rather than failing the load of the redefinition.
  auto Fits = [&](const mir::Signature &Own) {
    return Own.Params.size() == NumArgs;
  };
  // (v2) A wrong count against the signature of a function of the caller's
  // own module is a load error naming both signatures.
  const ScopeIndex &SI = indexOf(Scope);
  auto OwnIt = SI.ByName.find(T.Name);
  if (const mir::Function *Own =
          OwnIt == SI.ByName.end() ? nullptr : OwnIt->second;
      Own && !Fits(Own->Sig))
    return loadError("call of `" + T.Name + "` passes " + Twine(NumArgs) +
                     (NumArgs == 1 ? " argument" : " arguments") +
                     ", its signature " + Own->Sig.str() + " takes " +
                     Twine(Own->Sig.Params.size()) + " (the call site says " +
                     Site.str() + ")");
  auto It = Index.find(T.Name);
  if (It != Index.end() && Fits(Inputs[It->second].F->Sig)) {
    T.K = CallTarget::Kind::Direct;
    T.Symbol = bodySymbol(T.Name, Batch);
    T.Sig = Inputs[It->second].F->Sig;
    return T;
  }
  T.K = CallTarget::Kind::Stub;
  T.Symbol = stubSymbol(T.Name);
  auto Rec = S.Functions.find(T.Name);
  if (Rec != S.Functions.end() && Fits(Rec->second.F->Sig)) {
    T.Sig = Rec->second.F->Sig;
  } else {
    T.Sig = Site;
    // MIR.md "Calls and signatures (v2)": `"params": []` with arguments
    // means the arguments' own types.
    if (Site.Params.empty() && NumArgs)
      T.Sig.Params.assign(ArgTypes.begin(), ArgTypes.end());
  }
  StubsUsed.insert(T.Name);
  return T;
}

Expected<std::string>
BatchResolver::functionPointer(const mir::Module &Scope,
                               const mir::Constant &Callee) {
  std::string Name = nameOf(Scope, Callee);
  const mir::Signature &Sig = Callee.Ty.sig();
  if (Callee.K != mir::Constant::Kind::Int &&
      isExtern(Name, Scope, Index, S.Functions)) {
    Externs.insert(Name);
    return Name;
  }
  StubsUsed.insert(Name);
  auto Key = std::make_pair(Name, Sig.str());
  auto It = S.Adapters.find(Key);
  if (It != S.Adapters.end())
    return It->second;
  for (const AdapterRequest &A : NewAdapters)
    if (A.Callee == Name && A.Sig == Sig)
      return A.Symbol;
  std::string Symbol =
      Name + ".cabi" + std::to_string(S.Adapters.size() + NewAdapters.size());
  NewAdapters.push_back({Symbol, Name, Sig});
  return Symbol;
}

} // namespace

Expected<const ffi::ExternBinding &> Session::Impl::binding(StringRef Name) {
  auto It = Bindings.find(Name);
  if (It != Bindings.end())
    return It->second;
  Expected<ffi::ExternBinding> EB = ffi::resolveExtern(Name, Opts.Resolve);
  if (!EB)
    return EB.takeError();
  return Bindings.try_emplace(Name, std::move(*EB)).first->second;
}

Error Session::Impl::bindExtern(StringRef Name) {
  if (BoundExterns.contains(Name))
    return Error::success();
  Expected<const ffi::ExternBinding &> EB = binding(Name);
  if (!EB)
    return EB.takeError();
  // JIT code calls exactly the address resolveExtern gave (a host symbol,
  // a runtime function, a builtin or a library's symbol): an absolute
  // symbol, defined once per session. The few names the session defines
  // itself (Runtime.h: memset, libm) already answer.
  if (!RuntimeNames.contains(Name)) {
    orc::SymbolMap Sym;
    Sym[J->mangleAndIntern(Name)] = {orc::ExecutorAddr::fromPtr(EB->Address),
                                     JITSymbolFlags::Exported |
                                         JITSymbolFlags::Callable};
    if (Error E = J->getMainJITDylib().define(orc::absoluteSymbols(Sym)))
      return E;
  }
  BoundExterns.insert(Name);
  return Error::success();
}

Error Session::Impl::ensureStub(StringRef Name, orc::SymbolMap &NewSyms) {
  if (StubStates.count(Name))
    return Error::success();
  auto Flags = JITSymbolFlags::Exported | JITSymbolFlags::Callable;
  if (Error E = Stubs->createStub(Name, orc::ExecutorAddr(), Flags))
    return E;
  orc::ExecutorSymbolDef Stub = Stubs->findStub(Name, false);
  NewSyms[J->mangleAndIntern(stubSymbol(Name))] = {Stub.getAddress(), Flags};
  StubStates[Name] = StubState::Empty;
  return Error::success();
}

Error Session::Impl::load(const mir::Module &In) {
  auto T0 = std::chrono::steady_clock::now();
  if (Error E = mir::verify(In))
    return E;
  Stats Previous = St;
  St = Stats();
  St.CreateMs = Previous.CreateMs;
  St.LiveBatches = Previous.LiveBatches;

  auto Scope = std::make_shared<const mir::Module>(In);
  unsigned Batch = NextBatch++;

  // The batch: the module's functions, then the closure of old functions
  // that call a replaced one directly (see the file comment).
  StringMap<unsigned> Index;
  std::vector<BatchInput> Inputs;
  std::vector<std::shared_ptr<const mir::Module>> Scopes;
  for (const mir::Function &F : Scope->Functions) {
    if (!Index.try_emplace(F.Name, Inputs.size()).second)
      return loadError("function `" + F.Name +
                       "` is defined twice in the module");
    Inputs.push_back({&F, Scope.get()});
    Scopes.push_back(Scope);
  }
  StringSet<> Replaced;
  for (const mir::Function &F : Scope->Functions)
    if (Functions.count(F.Name))
      Replaced.insert(F.Name);
  for (bool Grew = !Replaced.empty(); Grew;) {
    Grew = false;
    for (auto &Entry : Functions) {
      StringRef Name = Entry.getKey();
      const FunctionRecord &Rec = Entry.getValue();
      if (Index.count(Name))
        continue;
      bool Reaches = any_of(Rec.DirectCallees, [&](const auto &Callee) {
        return Replaced.contains(Callee.getKey());
      });
      if (!Reaches)
        continue;
      Index[Name] = Inputs.size();
      Inputs.push_back({Rec.F, Rec.Scope.get()});
      Scopes.push_back(Rec.Scope);
      Replaced.insert(Name);
      Grew = true;
    }
  }

  // Lower.
  auto TSCtx = orc::ThreadSafeContext(std::make_unique<LLVMContext>());
  LLVMContext &Ctx = *TSCtx.getContext();
  BatchResolver L(*this, Index, Inputs, Batch);
  LowerOptions LO;
  LO.Batch = Batch;
  LO.OptLevel = OptLevel;
  LO.MaxCallDepth = Opts.MaxCallDepth;
  LO.FramePointers = Tooling;
  LO.PollFlag = Limits->flagAddress();
  LO.PollLimits = Limits.get();
  LO.SignalInterrupts = ffi::interruptsBySignal();
  Expected<LoweredBatch> LB =
      lowerBatch(Ctx, J->getDataLayout(), J->getTargetTriple(), Inputs, L, LO);
  if (!LB)
    return LB.takeError();
  St.LowerMs = msSince(T0);
  std::string BatchModule = LB->M->getName().str();

  // Externs: resolved now, so a missing one is a load error.
  for (const auto &E : L.Externs)
    if (Error Err = bindExtern(E.getKey()))
      return Err;
  // The interrupt flag and limits the polls read: absolute symbols, once
  // per session, so their addresses (which ASLR moves) stay out of the
  // module and its cache key.
  if (!BoundPoll && LO.PollFlag) {
    orc::SymbolMap Sym;
    Sym[J->mangleAndIntern(PollFlagSymbol)] = {
        orc::ExecutorAddr::fromPtr(LO.PollFlag), JITSymbolFlags::Exported};
    Sym[J->mangleAndIntern(PollLimitsSymbol)] = {
        orc::ExecutorAddr::fromPtr(LO.PollLimits), JITSymbolFlags::Exported};
    if (Error E = J->getMainJITDylib().define(orc::absoluteSymbols(Sym)))
      return E;
    BoundPoll = true;
  }
  // GlobalAddr cells: absolute symbols, once per session.
  for (int64_t Cell : L.Cells) {
    if (BoundCells.count(Cell))
      continue;
    orc::SymbolMap Sym;
    Sym[J->mangleAndIntern(cellSymbol(Cell))] = {
        orc::ExecutorAddr::fromPtr(Globals->cell(Cell)),
        JITSymbolFlags::Exported};
    if (Error E = J->getMainJITDylib().define(orc::absoluteSymbols(Sym)))
      return E;
    BoundCells.insert(Cell);
  }

  // Per function: what lowering made of it (the rest of St.PerFunction is
  // filled when the batch has been compiled).
  St.PerFunction.resize(Inputs.size());
  for (size_t I = 0; I < Inputs.size(); ++I) {
    const mir::Function &F = *Inputs[I].F;
    FunctionStats &FS = St.PerFunction[I];
    FS.Name = F.Name;
    FS.Batch = Batch;
    FS.LowerMs = I < LB->LowerMs.size() ? LB->LowerMs[I] : 0;
    for (const mir::Block &Blk : F.Blocks)
      FS.MirInstructions += unsigned(Blk.Insts.size()) + 1;
    for (const std::string &Sym : batchSymbols(F.Name, Batch))
      if (const Function *Fn = LB->M->getFunction(Sym))
        FS.IRInstructions += unsigned(Fn->getInstructionCount());
  }

  // Stubs for everything the batch calls across batches or defines.
  orc::SymbolMap NewStubSyms;
  for (const auto &N : L.StubsUsed)
    if (Error E = ensureStub(N.getKey(), NewStubSyms))
      return E;
  for (const auto &N : Index)
    if (Error E = ensureStub(N.getKey(), NewStubSyms))
      return E;
  orc::JITDylib &Main = J->getMainJITDylib();
  if (!NewStubSyms.empty())
    if (Error E = Main.define(orc::absoluteSymbols(std::move(NewStubSyms))))
      return E;

  std::vector<std::string> Undefined;
  for (const auto &N : L.StubsUsed)
    if (StubStates[N.getKey()] == StubState::Empty && !Index.count(N.getKey()))
      Undefined.push_back(N.getKey().str());

  // Add the modules and compile them with one lookup.
  orc::ExecutionSession &ES = J->getExecutionSession();
  orc::SymbolLookupSet Lookup;
  orc::ResourceTrackerSP AuxRT;
  if (!Undefined.empty() || !L.NewAdapters.empty()) {
    auto Aux = buildAuxModule(Ctx, J->getDataLayout(), J->getTargetTriple(),
                              "spl.aux." + std::to_string(NextAux++), Undefined,
                              L.NewAdapters, OptLevel,
                              Opts.CallbackErrors.get(), Opts.MaxCallDepth);
    std::string Bad;
    raw_string_ostream OS(Bad);
    if (verifyModule(*Aux, &OS))
      return loadError("internal error: the llvm backend produced invalid "
                       "IR for adapters: " +
                       OS.str());
    AuxRT = Main.createResourceTracker();
    if (Error E =
            J->addIRModule(AuxRT, orc::ThreadSafeModule(std::move(Aux), TSCtx)))
      return E;
    for (const std::string &N : Undefined)
      Lookup.add(J->mangleAndIntern(trampolineSymbol(N)));
    for (const AdapterRequest &A : L.NewAdapters)
      Lookup.add(J->mangleAndIntern(A.Symbol));
  }
  orc::ResourceTrackerSP RT = Main.createResourceTracker();
  auto Fail = [&](Error E) -> Error {
    consumeError(RT->remove());
    if (AuxRT)
      consumeError(AuxRT->remove());
    return E;
  };
  if (Error E =
          J->addIRModule(RT, orc::ThreadSafeModule(std::move(LB->M), TSCtx)))
    return Fail(std::move(E));
  for (const BatchInput &BI : Inputs) {
    Lookup.add(J->mangleAndIntern(bodySymbol(BI.F->Name, Batch)));
    Lookup.add(J->mangleAndIntern(entrySymbol(BI.F->Name, Batch)));
  }
  OptimizeMsByFn.clear();
  CodegenMsByFn.clear();
  CachedModules.clear();
  takeCodeMemoryRefusal(*CodeMemory); // one of an earlier load is stale
  takeReported();
  Expected<orc::SymbolMap> Addrs =
      ES.lookup(orc::makeJITDylibSearchOrder(&Main), std::move(Lookup));
  if (!Addrs) {
    std::optional<std::string> Why = takeCodeMemoryRefusal(*CodeMemory);
    if (!Why)
      Why = takeReported();
    if (Why) {
      consumeError(Addrs.takeError());
      return Fail(createStringError(inconvertibleErrorCode(), *Why));
    }
    return Fail(Addrs.takeError());
  }
  for (size_t I = 0; I < Inputs.size(); ++I) {
    FunctionStats &FS = St.PerFunction[I];
    FS.Cached = CachedModules.contains(BatchModule);
    for (const std::string &Sym : batchSymbols(FS.Name, Batch)) {
      FS.OptimizeMs += OptimizeMsByFn.lookup(Sym);
      FS.CodegenMs += CodegenMsByFn.lookup(Sym);
    }
  }
  auto AddrOf = [&](StringRef Symbol) {
    return (*Addrs)[J->mangleAndIntern(Symbol)].getAddress();
  };

  // Commit: nothing below fails.
  if (AuxRT)
    AuxTrackers.push_back(AuxRT);
  for (const std::string &N : Undefined) {
    cantFail(Stubs->updatePointer(N, AddrOf(trampolineSymbol(N))));
    StubStates[N] = StubState::Trampoline;
  }
  for (const AdapterRequest &A : L.NewAdapters)
    Adapters[{A.Callee, A.Sig.str()}] = A.Symbol;
  for (size_t I = 0; I < Inputs.size(); ++I) {
    const mir::Function &F = *Inputs[I].F;
    orc::ExecutorAddr Body = AddrOf(bodySymbol(F.Name, Batch));
    auto Old = Functions.find(F.Name);
    if (Old != Functions.end())
      --Batches[Old->second.Batch].Live;
    FunctionRecord &Rec = Functions[F.Name];
    Rec.Scope = Scopes[I];
    Rec.F = &F;
    Rec.Batch = Batch;
    Rec.Entry = AddrOf(entrySymbol(F.Name, Batch));
    Rec.DirectCallees = std::move(LB->DirectCallees[I]);
    cantFail(Stubs->updatePointer(F.Name, Body));
    StubStates[F.Name] = StubState::Defined;
    std::string BySymbol = symbolStubName(F.Symbol);
    if (StubStates.count(BySymbol)) {
      cantFail(Stubs->updatePointer(BySymbol, Body));
      StubStates[BySymbol] = StubState::Defined;
    }
  }
  for (const mir::Function &F : Scope->Functions)
    SymbolNames[F.Symbol] = F.Name;
  Batches[Batch] = {RT, unsigned(Inputs.size())};
  for (auto It = Batches.begin(); It != Batches.end();) {
    if (It->second.Live != 0) {
      ++It;
      continue;
    }
    // Removing can only fail in a plugin's bookkeeping; the code is dead
    // either way, so the load still succeeded.
    consumeError(It->second.Tracker->remove());
    It = Batches.erase(It);
  }
  St.LiveBatches = unsigned(Batches.size());
  St.SessionMs = msSince(T0) - St.LowerMs - St.OptimizeMs - St.CodegenMs;
  St.Functions = unsigned(Inputs.size());
  if (St.Functions)
    St.PerFunctionMs =
        (St.LowerMs + St.OptimizeMs + St.CodegenMs) / St.Functions;
  return Error::success();
}
