//===- jit/Tiering.cpp - Host functions, handles, dropping functions ------===//
//
// What a session does for a host that runs some functions itself (auto:
// the interpreter; Options::Host) and for callers that keep handles.
//
// Host functions. A callee the session has no code for, but the host has,
// is reached through its stub, pointed at `F.hostN`: a trampoline with the
// internal ABI of F's signature that passes the raw-slot arguments and the
// call depth to HostFunctions::Call (Load.cpp points the stubs; the aux
// module holds the trampolines, which live as long as the session). When F
// is compiled, its stub moves to F's body; forget() moves it back.
//
// Freeing code. A batch whose functions have all been replaced or
// forgotten is dead, but a call on another thread may still be running its
// code: it is freed only when Options::CodeInUse says no code runs, at the
// end of a later load or forget, or when the session ends.
//
//===----------------------------------------------------------------------===//
#include "BatchResolver.h"
#include "Runtime.h"

#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/Verifier.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;


Error Session::Impl::bindHostCall() {
  if (BoundHostCall || !Opts.Host || !Opts.Host->Call)
    return Error::success();
  orc::SymbolMap Sym;
  Sym[J->mangleAndIntern(HostCallSymbol)] = {
      orc::ExecutorAddr::fromPtr(Opts.Host->Call),
      JITSymbolFlags::Exported | JITSymbolFlags::Callable};
  if (Error E = J->getMainJITDylib().define(orc::absoluteSymbols(Sym)))
    return E;
  BoundHostCall = true;
  return Error::success();
}

std::string Session::Impl::hostTrampoline(StringRef Name, const void *Handle,
                                          const mir::Signature &Sig,
                                          std::vector<HostTrampoline> &Pending) {
  auto Key = std::make_pair(Name.str(), Sig.str());
  if (auto It = HostTrampolines.find(Key); It != HostTrampolines.end())
    return It->second;
  for (const HostTrampoline &H : Pending)
    if (H.Name == Name && H.Sig == Sig)
      return H.Symbol;
  std::string Symbol = hostTrampolineSymbol(
      Name, unsigned(HostTrampolines.size() + Pending.size()));
  Pending.push_back({Name.str(), Symbol, Handle, Sig});
  return Symbol;
}

Expected<orc::SymbolMap>
Session::Impl::addAux(ArrayRef<std::string> Undefined,
                      ArrayRef<AdapterRequest> Adapters,
                      ArrayRef<HostTrampoline> Host,
                      orc::ResourceTrackerSP &Tracker) {
  if (!Host.empty())
    if (Error E = bindHostCall())
      return std::move(E);
  auto TSCtx = orc::ThreadSafeContext(std::make_unique<LLVMContext>());
  auto Aux = buildAuxModule(*TSCtx.getContext(), J->getDataLayout(),
                            J->getTargetTriple(),
                            "spl.aux." + std::to_string(NextAux++), Undefined,
                            Adapters, OptLevel, Opts.CallbackErrors.get(),
                            Opts.MaxCallDepth, Host);
  std::string Bad;
  raw_string_ostream OS(Bad);
  if (verifyModule(*Aux, &OS))
    return createStringError(inconvertibleErrorCode(),
                             "internal error: the llvm backend produced "
                             "invalid IR for adapters: " +
                                 OS.str());
  orc::JITDylib &Main = J->getMainJITDylib();
  Tracker = Main.createResourceTracker();
  if (Error E =
          J->addIRModule(Tracker, orc::ThreadSafeModule(std::move(Aux), TSCtx)))
    return std::move(E);
  orc::SymbolLookupSet Lookup;
  for (const std::string &N : Undefined)
    Lookup.add(J->mangleAndIntern(trampolineSymbol(N)));
  for (const AdapterRequest &A : Adapters)
    Lookup.add(J->mangleAndIntern(A.Symbol));
  for (const HostTrampoline &H : Host)
    Lookup.add(J->mangleAndIntern(H.Symbol));
  Expected<orc::SymbolMap> Addrs = J->getExecutionSession().lookup(
      orc::makeJITDylibSearchOrder(&Main), std::move(Lookup));
  if (!Addrs) {
    consumeError(Tracker->remove());
    Tracker = nullptr;
    return Addrs.takeError();
  }
  return std::move(*Addrs);
}

void Session::Impl::pointStubs(StringRef Name, int64_t Symbol,
                               orc::ExecutorAddr Addr, StubState State) {
  cantFail(Stubs->updatePointer(Name, Addr));
  StubStates[Name] = State;
  std::string BySymbol = symbolStubName(Symbol);
  if (StubStates.count(BySymbol)) {
    cantFail(Stubs->updatePointer(BySymbol, Addr));
    StubStates[BySymbol] = State;
  }
}

void Session::Impl::releaseDeadBatches() {
  for (auto It = Batches.begin(); It != Batches.end();) {
    if (It->second.Live != 0 || It->second.HoldsContinuations) {
      ++It;
      continue;
    }
    Dead.push_back(It->second.Tracker);
    It = Batches.erase(It);
  }
  St.LiveBatches = unsigned(Batches.size());
  bool InUse = Opts.CodeInUse ? Opts.CodeInUse()
                              : Running.load(std::memory_order_seq_cst) != 0;
  if (InUse)
    return;
  // Removing can only fail in a plugin's bookkeeping; the code is dead
  // either way.
  for (orc::ResourceTrackerSP &T : Dead)
    consumeError(T->remove());
  Dead.clear();
}

Expected<uint64_t> Session::Impl::call(const CallHandle &H,
                                       ArrayRef<uint64_t> Args) {
  const EntryInfo *E = H.Current.load(std::memory_order_acquire);
  if (!E)
    return createStringError(
        inconvertibleErrorCode(),
        mir::trapMessage(mir::TrapKind::UndefinedFunction, H.Name, H.Name));
  if (Args.size() != E->NumParams)
    return createStringError(inconvertibleErrorCode(),
                             "function `" + H.Name + "` takes " +
                                 Twine(E->NumParams) +
                                 (E->NumParams == 1 ? " argument"
                                                    : " arguments") +
                                 ", got " + Twine(Args.size()));
  NativeEntry Entry = E->Entry.toPtr<NativeEntry>();
  const uint64_t *A = Args.data();
  uint64_t Ret = 0;
  // A host call starts at depth 1; clear what an earlier call may have left
  // for C callbacks.
  spl_jit_set_depth(0);
  Running.fetch_add(1, std::memory_order_seq_cst);
  Error Err =
      ffi::runGuarded([&] { Entry(A, &Ret, 1); }, Opts.MaxCallDepth);
  Running.fetch_sub(1, std::memory_order_seq_cst);
  if (Err)
    return std::move(Err);
  return Ret;
}

std::vector<std::string>
Session::Impl::dependents(StringRef Name, const mir::Signature &NewSig) const {
  StringSet<> Out;
  if (Functions.count(Name))
    Out.insert(Name);
  // Calls through Name's stub whose fit to the signature changes.
  for (const auto &Entry : Functions)
    for (const StubEdge &E : Entry.getValue().StubEdges)
      if (E.Callee == Name && (E.Bound == NewSig) != E.Live)
        Out.insert(Entry.getKey());
  // And whatever reaches one of those by direct calls (it may have inlined
  // it).
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (const auto &Entry : Functions) {
      if (Out.contains(Entry.getKey()))
        continue;
      for (const auto &Callee : Entry.getValue().DirectCallees)
        if (Out.contains(Callee.getKey()) || Callee.getKey() == Name) {
          Out.insert(Entry.getKey());
          Grew = true;
          break;
        }
    }
  }
  std::vector<std::string> V;
  for (const auto &N : Out)
    V.push_back(N.getKey().str());
  return V;
}

Error Session::Impl::forget(ArrayRef<std::string> Names) {
  // Where each forgotten name's stubs go: the host's function, or the
  // UndefinedFunction trampoline.
  struct Target {
    std::string Name;
    int64_t Symbol;
    std::string Host; // trampoline symbol, "" = undefined
  };
  std::vector<Target> Targets;
  std::vector<HostTrampoline> NewHost;
  std::vector<std::string> Undefined;
  for (const std::string &N : Names) {
    auto It = Functions.find(N);
    if (It == Functions.end())
      continue;
    Target T{N, It->second.F->Symbol, ""};
    mir::Signature Sig;
    if (const void *H = Opts.Host ? Opts.Host->find(N, Sig) : nullptr)
      T.Host = hostTrampoline(N, H, Sig, NewHost);
    else if (!UndefAddrs.count(N))
      Undefined.push_back(N);
    Targets.push_back(std::move(T));
  }
  orc::SymbolMap Addrs;
  if (!NewHost.empty() || !Undefined.empty()) {
    orc::ResourceTrackerSP RT;
    Expected<orc::SymbolMap> A = addAux(Undefined, {}, NewHost, RT);
    if (!A)
      return A.takeError();
    Addrs = std::move(*A);
    AuxTrackers.push_back(RT);
  }
  for (const HostTrampoline &H : NewHost) {
    HostTrampolines[{H.Name, H.Sig.str()}] = H.Symbol;
    HostTrampolineAddrs[H.Symbol] =
        Addrs[J->mangleAndIntern(H.Symbol)].getAddress();
  }
  for (const std::string &N : Undefined)
    UndefAddrs[N] = Addrs[J->mangleAndIntern(trampolineSymbol(N))].getAddress();
  for (const Target &T : Targets) {
    auto It = Functions.find(T.Name);
    --Batches[It->second.Batch].Live;
    Functions.erase(It);
    if (auto H = Handles.find(T.Name); H != Handles.end())
      H->second->Current.store(nullptr, std::memory_order_release);
    if (T.Host.empty())
      pointStubs(T.Name, T.Symbol, UndefAddrs[T.Name], StubState::Trampoline);
    else
      pointStubs(T.Name, T.Symbol, HostTrampolineAddrs[T.Host],
                 StubState::Host);
  }
  releaseDeadBatches();
  return Error::success();
}
