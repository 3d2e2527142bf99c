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
#include "llvm/Support/DynamicLibrary.h"

#include <chrono>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {
Error loadError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// docs/SEMANTICS.md "Calls": a name is an extern when no program function
/// has it (in its module, this batch, or loaded before) and it is a builtin,
/// a declared extern, or an SFFI name. (The interpreter decides the same
/// way, so both bind the same calls.)
bool isExtern(StringRef Name, const mir::Module &Scope,
              const StringMap<unsigned> &Batch,
              const StringMap<FunctionRecord> &Loaded) {
  if (Scope.function(Name) || Batch.count(Name) || Loaded.count(Name))
    return false;
  return ffi::findBuiltin(Name) || Scope.externDecl(Name) ||
         !ffi::sffiLibName(Name).empty();
}

/// The name a stub answers to for a callee known only by symbol id that no
/// loaded function has (yet); it is repointed when such a function arrives.
std::string symbolStubName(int64_t Symbol) {
  return (Twine("#") + Twine(Symbol)).str();
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
                                  size_t NumArgs) override;
  Expected<std::string> functionPointer(const mir::Module &Scope,
                                        const mir::Constant &Callee) override;

  StringSet<> StubsUsed, Externs;
  std::vector<AdapterRequest> NewAdapters;

private:
  std::string nameOf(const mir::Module &Scope, const mir::Constant &Callee);
  mir::Signature externSignature(StringRef Name, const mir::Module &Scope,
                                 const mir::Signature &Site);

  Session::Impl &S;
  const StringMap<unsigned> &Index;
  ArrayRef<BatchInput> Inputs;
  unsigned Batch;
};

std::string BatchResolver::nameOf(const mir::Module &Scope,
                                  const mir::Constant &Callee) {
  if (Callee.K != mir::Constant::Kind::Int)
    return Callee.S;
  // A symbol id: the calling module's functions first, then any function
  // the session has loaded.
  int64_t Sym = int64_t(Callee.Bits);
  for (const mir::Function &F : Scope.Functions)
    if (F.Symbol == Sym)
      return F.Name;
  auto It = S.SymbolNames.find(Sym);
  return It != S.SymbolNames.end() ? It->second : symbolStubName(Sym);
}

mir::Signature BatchResolver::externSignature(StringRef Name,
                                              const mir::Module &Scope,
                                              const mir::Signature &Site) {
  if (const mir::ExternDecl *D = Scope.externDecl(Name))
    return D->Sig;
  if (const ffi::Builtin *B = ffi::findBuiltin(Name))
    return B->Sig;
  return Site;
}

Expected<CallTarget> BatchResolver::callTarget(const mir::Module &Scope,
                                               const mir::Constant &Callee,
                                               size_t NumArgs) {
  CallTarget T;
  T.Name = nameOf(Scope, Callee);
  const mir::Signature &Site = *Callee.Ty.Sig;
  if (Callee.K != mir::Constant::Kind::Int &&
      isExtern(T.Name, Scope, Index, S.Functions)) {
    T.K = CallTarget::Kind::Extern;
    T.Symbol = T.Name;
    T.Sig = externSignature(T.Name, Scope, Site);
    Externs.insert(T.Name);
    return T;
  }
  // A program function: called with its own signature when the call fits
  // it, directly if it is in this batch. A call that does not fit (the
  // function was redefined with other parameters since the caller was
  // written) goes through the stub as the caller wrote it, as in the
  // interpreter, rather than failing the load of the redefinition.
  auto Fits = [&](const mir::Signature &Own) {
    return Own.Params.size() == NumArgs;
  };
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
  T.Sig = Rec != S.Functions.end() && Fits(Rec->second.F->Sig)
              ? Rec->second.F->Sig
              : Site;
  StubsUsed.insert(T.Name);
  return T;
}

Expected<std::string>
BatchResolver::functionPointer(const mir::Module &Scope,
                               const mir::Constant &Callee) {
  std::string Name = nameOf(Scope, Callee);
  const mir::Signature &Sig = *Callee.Ty.Sig;
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

Expected<orc::JITDylib &> Session::Impl::libraryDylib(const ffi::Library &L) {
  auto It = LibraryDylibs.find(L.Lib);
  if (It != LibraryDylibs.end())
    return *It->second;
  orc::ExecutionSession &ES = J->getExecutionSession();
  auto JD = ES.createJITDylib("spl.lib." + L.Lib);
  if (!JD)
    return JD.takeError();
  // Answers only for this library's own names, from the handle ffi/
  // already dlopen'd (RTLD_LOCAL: dlsym on the handle is the only way in).
  std::string Prefix = "rt_" + L.Lib + "_";
  auto Allow = [Prefix](const orc::SymbolStringPtr &Name) {
    return (*Name).starts_with(Prefix);
  };
  JD->addGenerator(std::make_unique<orc::DynamicLibrarySearchGenerator>(
      sys::DynamicLibrary(L.Handle), J->getDataLayout().getGlobalPrefix(),
      std::move(Allow)));
  J->getMainJITDylib().addToLinkOrder(*JD);
  LibraryDylibs[L.Lib] = &*JD;
  return *JD;
}

Error Session::Impl::bindExtern(StringRef Name) {
  if (BoundExterns.contains(Name))
    return Error::success();
  Expected<ffi::ExternBinding> EB = ffi::resolveExtern(Name);
  if (!EB)
    return EB.takeError();
  // Builtins are absolute symbols of the main JITDylib already.
  if (EB->Lib) {
    Expected<orc::JITDylib &> JD = libraryDylib(*EB->Lib);
    if (!JD)
      return JD.takeError();
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
  Expected<LoweredBatch> LB =
      lowerBatch(Ctx, J->getDataLayout(), J->getTargetTriple(), Inputs, L, LO);
  if (!LB)
    return LB.takeError();
  St.LowerMs = msSince(T0);

  // Externs: resolved now, so a missing one is a load error.
  for (const auto &E : L.Externs)
    if (Error Err = bindExtern(E.getKey()))
      return Err;

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
                              L.NewAdapters, OptLevel);
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
  Expected<orc::SymbolMap> Addrs =
      ES.lookup(orc::makeJITDylibSearchOrder(&Main), std::move(Lookup));
  if (!Addrs)
    return Fail(Addrs.takeError());
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
  return Error::success();
}
