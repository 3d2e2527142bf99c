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
#include "BatchResolver.h"

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

/// The LLVM functions lowering makes of Fn in batch Batch (Lowering.h):
/// its body, checked entry (when separate) and entry wrapper.
std::vector<std::string> batchSymbols(StringRef Fn, unsigned Batch) {
  return {uncheckedSymbol(Fn, Batch), bodySymbol(Fn, Batch),
          entrySymbol(Fn, Batch)};
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
  if (Error E = mir::verify(In))
    return E;
  auto Scope = std::make_shared<const mir::Module>(In);
  std::vector<FunctionInput> Fs;
  for (const mir::Function &F : Scope->Functions)
    Fs.push_back({Scope, &F});
  return loadBatch(Fs);
}

Error Session::Impl::loadBatch(ArrayRef<FunctionInput> Fs,
                               ArrayRef<ContinuationInput> Continuations,
                               std::vector<mir::OSREntryFn> *OSREntries) {
  auto T0 = std::chrono::steady_clock::now();
  Stats Previous = St;
  St = Stats();
  St.CreateMs = Previous.CreateMs;
  St.LiveBatches = Previous.LiveBatches;

  unsigned Batch = NextBatch++;

  // The batch: the new functions, then the closure of old functions that
  // call a replaced one directly, or call it through its stub bound to a
  // signature whose fit the redefinition changes (see the file comment).
  StringMap<unsigned> Index;
  std::vector<BatchInput> Inputs;
  std::vector<std::shared_ptr<const mir::Module>> Scopes;
  StringMap<mir::Signature> NewSigs;
  for (const FunctionInput &FI : Fs) {
    const mir::Function &F = *FI.F;
    if (!Index.try_emplace(F.Name, Inputs.size()).second)
      return loadError("function `" + F.Name +
                       "` is defined twice in the module");
    Inputs.push_back({&F, FI.Scope.get()});
    Scopes.push_back(FI.Scope);
    NewSigs[F.Name] = F.Sig;
  }
  StringSet<> Replaced, Relowered;
  for (const FunctionInput &FI : Fs)
    if (Functions.count(FI.F->Name))
      Replaced.insert(FI.F->Name);
  auto ChangesFit = [&](const StubEdge &E) {
    auto It = NewSigs.find(E.Callee);
    return It != NewSigs.end() && (It->second == E.Bound) != E.Live;
  };
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (auto &Entry : Functions) {
      StringRef Name = Entry.getKey();
      const FunctionRecord &Rec = Entry.getValue();
      if (Index.count(Name))
        continue;
      bool Reaches = any_of(Rec.DirectCallees, [&](const auto &Callee) {
        return Replaced.contains(Callee.getKey());
      });
      if (!Reaches && none_of(Rec.StubEdges, ChangesFit))
        continue;
      Index[Name] = Inputs.size();
      Inputs.push_back({Rec.F, Rec.Scope.get()});
      Scopes.push_back(Rec.Scope);
      Replaced.insert(Name);
      Relowered.insert(Name);
      Grew = true;
    }
  }

  // Lower.
  auto TSCtx = orc::ThreadSafeContext(std::make_unique<LLVMContext>());
  LLVMContext &Ctx = *TSCtx.getContext();
  BatchResolver L(*this, Index, Inputs, Batch, Relowered);
  LowerOptions LO;
  LO.Batch = Batch;
  LO.OptLevel = OptLevel;
  LO.MaxCallDepth = Opts.MaxCallDepth;
  LO.FramePointers = Tooling;
  // SPL_MEASURE_NO_POLLS=1: no polls at all, to measure what they cost
  // (benchmarks/README.md "Poll cost"; loops that call out then cannot be
  // interrupted).
  static const bool NoPolls = [] {
    const char *V = std::getenv("SPL_MEASURE_NO_POLLS");
    return V && StringRef(V) == "1";
  }();
  LO.PollFlag = NoPolls ? nullptr : Limits->flagAddress();
  LO.PollLimits = NoPolls ? nullptr : Limits.get();
  LO.SignalInterrupts = ffi::interruptsBySignal();
  std::vector<OSRInput> OSR;
  for (const ContinuationInput &CI : Continuations) {
    auto It = find_if(Inputs, [&](const BatchInput &BI) { return BI.F == CI.F; });
    if (It == Inputs.end())
      return loadError("internal error: a continuation of `" + CI.F->Name +
                       "` without its function in the batch");
    OSR.push_back({unsigned(It - Inputs.begin()), CI.Image});
  }
  Expected<LoweredBatch> LB = lowerBatch(Ctx, J->getDataLayout(),
                                         J->getTargetTriple(), Inputs, L, LO,
                                         OSR);
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

  // Stubs of callees that have no code here: the host's trampoline when
  // the host has the function, else (the first time) the UndefinedFunction
  // trampoline.
  std::vector<std::string> Undefined;
  std::vector<HostTrampoline> NewHost;
  std::vector<std::pair<std::string, std::string>> ToHost; // stub, symbol
  for (const auto &N : L.StubsUsed) {
    StringRef Name = N.getKey();
    if (Index.count(Name))
      continue;
    if (auto H = L.HostStubs.find(Name); H != L.HostStubs.end()) {
      ToHost.push_back({Name.str(), hostTrampoline(Name, H->second.first,
                                                   H->second.second, NewHost)});
      continue;
    }
    if (StubStates[Name] == StubState::Empty)
      Undefined.push_back(Name.str());
  }

  // The aux module first (trampolines, adapters: the batch may take the
  // adapters' addresses), then the batch, compiled by one lookup.
  orc::ExecutionSession &ES = J->getExecutionSession();
  orc::SymbolLookupSet Lookup;
  orc::ResourceTrackerSP AuxRT;
  orc::SymbolMap AuxAddrs;
  if (!Undefined.empty() || !L.NewAdapters.empty() || !NewHost.empty()) {
    Expected<orc::SymbolMap> A = addAux(Undefined, L.NewAdapters, NewHost, AuxRT);
    if (!A)
      return A.takeError();
    AuxAddrs = std::move(*A);
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
  for (const OSRInput &O : OSR)
    Lookup.add(J->mangleAndIntern(osrEntrySymbol(Inputs[O.Input].F->Name, Batch)));
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
  auto AuxAddrOf = [&](StringRef Symbol) {
    return AuxAddrs[J->mangleAndIntern(Symbol)].getAddress();
  };

  // Commit: nothing below fails.
  if (AuxRT)
    AuxTrackers.push_back(AuxRT);
  for (const HostTrampoline &H : NewHost) {
    HostTrampolines[{H.Name, H.Sig.str()}] = H.Symbol;
    HostTrampolineAddrs[H.Symbol] = AuxAddrOf(H.Symbol);
  }
  for (const std::string &N : Undefined) {
    UndefAddrs[N] = AuxAddrOf(trampolineSymbol(N));
    cantFail(Stubs->updatePointer(N, UndefAddrs[N]));
    StubStates[N] = StubState::Trampoline;
  }
  for (const auto &[N, Symbol] : ToHost) {
    cantFail(Stubs->updatePointer(N, HostTrampolineAddrs[Symbol]));
    StubStates[N] = StubState::Host;
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
    Rec.Bindings = std::move(L.Bindings[F.Name]);
    Rec.StubEdges = std::move(L.StubEdges[F.Name]);
    pointStubs(F.Name, F.Symbol, Body, StubState::Defined);
    std::unique_ptr<CallHandle> &H = Handles[F.Name];
    if (!H) {
      H = std::make_unique<CallHandle>();
      H->Name = F.Name;
    }
    Entries.push_back(std::make_unique<EntryInfo>(
        EntryInfo{Rec.Entry, F.Sig.Params.size()}));
    H->Current.store(Entries.back().get(), std::memory_order_release);
  }
  for (const FunctionInput &FI : Fs)
    SymbolNames[FI.F->Symbol] = FI.F->Name;
  if (OSREntries) {
    OSREntries->clear();
    for (const OSRInput &O : OSR)
      OSREntries->push_back(
          AddrOf(osrEntrySymbol(Inputs[O.Input].F->Name, Batch)).toPtr<mir::OSREntryFn>());
  }
  Batches[Batch] = {RT, unsigned(Inputs.size()), !OSR.empty()};
  releaseDeadBatches();
  St.SessionMs = msSince(T0) - St.LowerMs - St.OptimizeMs - St.CodegenMs;
  St.Functions = unsigned(Inputs.size());
  if (St.Functions)
    St.PerFunctionMs =
        (St.LowerMs + St.OptimizeMs + St.CodegenMs) / St.Functions;
  return Error::success();
}
