//===- exec_manager/TieredBackend.cpp - "auto": interpreter, then JIT -----===//
//
// The backend's face (Tiered.h has the design): loading, calls, the tier
// table's reports, and the interpreter's functions as the JIT session sees
// them (jit::HostFunctions). Tier-up itself is TierUp.cpp.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/Tiered.h"

#include <set>

using namespace llvm;

namespace spl {

const char *tierName(Tier T) {
  switch (T) {
  case Tier::Interpreted:
    return "interpreter";
  case Tier::Queued:
    return "queued";
  case Tier::Compiling:
    return "compiling";
  case Tier::Native:
    return "native";
  case Tier::Failed:
    return "failed";
  }
  return "?";
}

TieredBackend::TieredBackend(const BackendConfig &C)
    : Config(C), Created(std::chrono::steady_clock::now()) {
  Call = &TieredBackend::callHost;
}

TieredBackend::~TieredBackend() {
  Cancel = true; // a compile in flight gives up instead of being waited for
  {
    std::lock_guard<std::mutex> L(QueueMu);
    Stop = true;
  }
  QueueCV.notify_all();
  if (Worker.joinable())
    Worker.join();
  // The session's code calls into the interpreter: it goes first.
  Live.store(nullptr, std::memory_order_release);
  J.reset();
}

Error TieredBackend::init() {
  interp::Options O;
  O.MaxCallDepth = Config.MaxCallDepth;
  O.Globals = Config.Globals;
  O.Resolve = Config.Resolve;
  O.CallbackErrors = Config.CallbackErrors;
  O.Limits = Config.Limits;
  O.HotCalls = Config.JitThreshold;
  O.HotBackEdges = Config.JitLoopThreshold;
  O.OnHot = [this](interp::FunctionRef F, const void *Def, bool ByEdges) {
    if (I->definition(F) == Def) // not an old definition still running
      onHot(F, Def, ByEdges);
  };
  auto Made = interp::Interpreter::create(std::move(O));
  if (!Made)
    return Made.takeError();
  I = std::move(*Made);
  return Error::success();
}

double TieredBackend::msNow() const {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - Created)
      .count();
}

Error TieredBackend::load(const mir::Module &M) {
  // After a tier-up compile in flight, never during one: a batch is then
  // compiled from definitions that stay current until it is published, and
  // native code of an old definition is never published after the new one
  // ran (a call could see the new result, then the old). Calls take no part
  // in this: they never wait.
  std::lock_guard<std::mutex> SL(SessionMu);
  // The interpreter takes the module first (concurrently with running
  // calls); native code it invalidates is dropped after.
  if (Error E = I->loadVerified(M))
    return E;
  auto Scope = std::make_shared<const mir::Module>(M);
  {
    std::lock_guard<std::mutex> L(StateMu);
    for (const mir::Function &F : Scope->Functions) {
      TierEntry &E = Table[F.Name];
      E = TierEntry();
      E.Name = F.Name;
      E.Ref = I->lookup(F.Name);
      E.Scope = Scope;
      E.F = &F;
    }
  }
  demoteFor(*Scope);
  return Error::success();
}

void TieredBackend::demoteFor(const mir::Module &M) {
  if (!J)
    return;
  std::set<std::string> Drop;
  for (const mir::Function &F : M.Functions)
    for (std::string &D : J->dependents(F.Name, F.Sig))
      Drop.insert(std::move(D));
  if (Drop.empty())
    return;
  // M's own functions have their new definitions in the interpreter
  // already; the others go back to their bytecode.
  for (const std::string &D : Drop) {
    if (M.function(D))
      continue;
    std::lock_guard<std::mutex> L(StateMu);
    auto It = Table.find(D);
    if (It == Table.end())
      continue;
    I->unpublishNative(It->second.Ref);
    It->second.State = Tier::Interpreted;
    It->second.Native = nullptr;
  }
  std::vector<std::string> Names(Drop.begin(), Drop.end());
  if (Error E = J->forget(Names)) {
    // The session cannot repoint its stubs: stop using it for good, so
    // none of its code runs again.
    SessionFailed = true;
    SessionError = toString(std::move(E));
    std::lock_guard<std::mutex> L(StateMu);
    for (auto &Entry : Table)
      if (Entry.second.State == Tier::Native) {
        I->unpublishNative(Entry.second.Ref);
        Entry.second.State = Tier::Interpreted;
        Entry.second.Native = nullptr;
      }
  }
}

const void *TieredBackend::lookup(StringRef Name) {
  return I->lookup(Name).opaque();
}

Expected<uint64_t> TieredBackend::call(const void *Fn,
                                       ArrayRef<uint64_t> Args) {
  // Every call enters through the interpreter, which runs the function's
  // bytecode or its published native code.
  if (jit::Session *S = Live.load(std::memory_order_acquire))
    S->beginHostCall();
  return I->call(interp::FunctionRef::fromOpaque(Fn), Args);
}

void TieredBackend::setOptLevel(unsigned Level) {
  std::lock_guard<std::mutex> L(SessionMu);
  Config.OptLevel = Level;
  if (J)
    J->setOptLevel(Level);
}

void TieredBackend::setCache(const std::string &Dir, uint64_t MaxBytes) {
  std::lock_guard<std::mutex> L(SessionMu);
  Config.CacheDir = Dir;
  Config.CacheMaxBytes = MaxBytes;
  if (J) {
    jit::CacheOptions C;
    C.Directory = Dir;
    C.MaxBytes = MaxBytes;
    J->setCache(std::move(C));
  }
}

CompileStats TieredBackend::stats() const {
  std::lock_guard<std::mutex> L(StateMu);
  return LastStats;
}

FunctionTier TieredBackend::tier(StringRef Name) const {
  FunctionTier T;
  T.Name = Name.str();
  T.Tier = tierName(Tier::Interpreted);
  interp::FunctionRef Ref;
  {
    std::lock_guard<std::mutex> L(StateMu);
    auto It = Table.find(Name);
    if (It != Table.end()) {
      const TierEntry &E = It->second;
      T.Tier = tierName(E.State);
      T.HotMs = E.HotMs;
      T.PromotedMs = E.PromotedMs;
      T.CompileMs = E.CompileMs;
      T.Batch = E.Batch;
      T.Error = E.Error;
      Ref = E.Ref;
    }
  }
  interp::Profile P = I->profile(Ref);
  T.Calls = P.Calls;
  T.BackEdges = P.BackEdges;
  T.OsrEntries = P.OsrTransfers;
  return T;
}

//===----------------------------------------------------------------------===//
// The interpreter's functions, for the JIT session
//===----------------------------------------------------------------------===//

const void *TieredBackend::find(StringRef Name, mir::Signature &Sig) {
  interp::FunctionRef R = I->lookup(Name);
  std::optional<mir::Signature> S = R ? I->signature(R) : std::nullopt;
  if (!S)
    return nullptr;
  Sig = std::move(*S);
  std::lock_guard<std::mutex> L(StateMu);
  std::unique_ptr<HostRef> &H = HostRefs[Name];
  if (!H)
    H = std::make_unique<HostRef>(HostRef{I.get(), R});
  return H.get();
}

bool TieredBackend::binding(StringRef Caller, StringRef Key,
                            jit::HostFunctions::Binding &Out) {
  std::optional<interp::Binding> B = I->binding(I->lookup(Caller), Key);
  if (!B)
    return false;
  Out.Extern = B->Extern;
  Out.Target = B->Target;
  Out.Known = B->Known;
  return true;
}

uint64_t TieredBackend::functionPointer(StringRef Name,
                                        const mir::Signature &Sig) {
  interp::FunctionRef R = I->lookup(Name);
  if (!R)
    return 0;
  Expected<uint64_t> A = I->functionPointer(R, Sig);
  if (!A) {
    consumeError(A.takeError()); // the session makes its own adapter
    return 0;
  }
  return *A;
}

uint64_t TieredBackend::callHost(const void *Fn, const uint64_t *Args,
                                 uint32_t NumArgs, uint32_t Depth) {
  const auto *H = static_cast<const HostRef *>(Fn);
  return H->I->callFromNative(H->Ref, Args, NumArgs, Depth);
}

Expected<std::unique_ptr<Backend>> createTieredBackend(const BackendConfig &C) {
  auto B = std::make_unique<TieredBackend>(C);
  if (Error E = B->init())
    return std::move(E);
  return std::move(B);
}

} // namespace spl
