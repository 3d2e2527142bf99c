//===- exec_manager/TierUp.cpp - auto: compiling hot functions ------------===//
//
// A function the interpreter found hot is queued (onHot, on the thread that
// ran it: nothing more, so the interpreter goes on at once) for the compile
// thread, made when the first function gets hot and joined when the manager
// goes. The thread compiles the function with the callees it reaches that
// have run, as one batch, and publishes each one's native entry into the
// interpreter (Tiered.h). With JitSync the compile happens in onHot itself,
// before the interpreter goes on: promotion at a known point, for tests.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/Tiered.h"

#include "llvm/ADT/StringSet.h"

using namespace llvm;

namespace spl {

/// The most functions one tier-up compiles: a hot function and its callees
/// that have run (a bound on the batch's compile time, so a hot leaf is not
/// held up by a large program around it).
static constexpr size_t MaxBatch = 32;

void TieredBackend::onHot(interp::FunctionRef F, const void *Def,
                          bool ByEdges) {
  {
    std::lock_guard<std::mutex> L(StateMu);
    auto It = Table.find(I->name(F));
    if (It == Table.end())
      return;
    TierEntry &E = It->second;
    bool Continue = ByEdges && Config.Osr &&
                    interp::Interpreter::frameImage(Def) &&
                    E.ContinuationFor != Def;
    if (E.State == Tier::Interpreted) {
      E.State = Tier::Queued;
      E.HotMs = msNow();
    } else if (!Continue || E.State == Tier::Failed) {
      return;
    } else if (E.State == Tier::Native) {
      // Hot by its calls first, and now a running call's loop is: compiled
      // again, with a continuation for that call.
      E.State = Tier::Queued;
    } else {
      // Queued (its batch takes the continuation too) or compiling (tierUp
      // queues it again once published).
      E.ContinuationFor = Def;
      interp::Interpreter::beginContinuation(Def);
      return;
    }
    if (Continue) {
      // The loop looks for its continuation from now on (every few hundred
      // back-edges: cheap, and it moves soon after the compile).
      E.ContinuationFor = Def;
      interp::Interpreter::beginContinuation(Def);
    }
  }
  queue(F);
}

void TieredBackend::workerLoop() {
  std::unique_lock<std::mutex> L(QueueMu);
  for (;;) {
    QueueCV.wait(L, [&] { return Stop || !Queue.empty(); });
    if (Stop)
      return;
    interp::FunctionRef F = Queue.front();
    Queue.pop_front();
    Busy = true;
    L.unlock();
    tierUp(F);
    L.lock();
    Busy = false;
    if (Queue.empty())
      IdleCV.notify_all();
  }
}

bool TieredBackend::waitForTierUps(uint64_t TimeoutMs) {
  std::unique_lock<std::mutex> L(QueueMu);
  return IdleCV.wait_for(L, std::chrono::milliseconds(TimeoutMs),
                         [&] { return Queue.empty() && !Busy; });
}

Error TieredBackend::ensureSession() {
  if (J)
    return Error::success();
  if (SessionFailed)
    return createStringError(inconvertibleErrorCode(), SessionError);
  jit::Options O;
  O.OptLevel = Config.OptLevel;
  O.MaxCallDepth = Config.MaxCallDepth;
  O.DebuggerSupport = Config.DebuggerSupport;
  O.PerfSupport = Config.PerfSupport;
  O.Globals = Config.Globals; // one set of cells for both tiers
  O.Resolve = Config.Resolve;
  O.CallbackErrors = Config.CallbackErrors;
  O.Cache.Directory = Config.CacheDir;
  O.Cache.MaxBytes = Config.CacheMaxBytes;
  O.Limits = Config.Limits;
  O.Host = this;
  O.CodeInUse = Config.CodeInUse;
  O.Cancel = &Cancel;
  auto S = jit::Session::create(O);
  if (!S) {
    SessionFailed = true;
    SessionError = toString(S.takeError());
    return createStringError(inconvertibleErrorCode(), SessionError);
  }
  J = std::move(*S);
  Live.store(J.get(), std::memory_order_release);
  return Error::success();
}

void TieredBackend::tierUp(interp::FunctionRef Hot) {
  std::unique_lock<std::mutex> SL(SessionMu);
  struct Member {
    interp::FunctionRef Ref;
    const void *Def;
    std::string Name;
    bool Continuation = false;
  };
  std::vector<Member> Batch;
  std::vector<jit::FunctionInput> Inputs;
  std::vector<jit::ContinuationInput> Continuations;
  auto Fail = [&](const std::string &Why) {
    std::lock_guard<std::mutex> L(StateMu);
    for (const Member &M : Batch) {
      if (M.Continuation) // no continuation will come: stop looking
        interp::Interpreter::endContinuation(M.Def);
      if (auto It = Table.find(M.Name); It != Table.end()) {
        It->second.State = Tier::Failed;
        It->second.Error = Why;
      }
    }
  };
  {
    // The hot function, then (breadth first) the functions it calls that
    // have run and have no native code yet.
    std::lock_guard<std::mutex> L(StateMu);
    StringSet<> Seen;
    auto Take = [&](StringRef Name, bool IsHot) {
      auto It = Table.find(Name);
      if (It == Table.end() || !Seen.insert(Name).second)
        return;
      TierEntry &E = It->second;
      bool Ready = IsHot ? E.State == Tier::Queued
                         : E.State == Tier::Interpreted ||
                               E.State == Tier::Queued;
      const void *Def = I->definition(E.Ref);
      if (!Ready || !Def || !E.F)
        return;
      if (!IsHot) {
        interp::Profile P = I->profile(E.Ref);
        if (P.Calls + P.BackEdges == 0)
          return; // never ran: never compiled
      }
      E.State = Tier::Compiling;
      bool Continue = E.ContinuationFor && E.ContinuationFor == Def;
      Batch.push_back({E.Ref, Def, E.Name, Continue});
      Inputs.push_back({E.Scope, E.F});
      if (Continue)
        Continuations.push_back(
            {E.F, interp::Interpreter::frameImage(Def)});
    };
    Take(I->name(Hot), true);
    for (size_t K = 0; K < Batch.size() && Batch.size() < MaxBatch; ++K)
      for (const std::string &Callee : I->callees(Batch[K].Ref)) {
        if (Batch.size() >= MaxBatch)
          break;
        Take(Callee, false);
      }
  }
  if (Batch.empty())
    return;
  if (Error E = ensureSession()) {
    Fail(toString(std::move(E)));
    return;
  }
  std::vector<mir::OSREntryFn> Entries;
  if (Error E = J->load(Inputs, Continuations, Entries)) {
    // The JIT refuses it (a construct it does not support, the code memory
    // limit): these functions stay interpreted.
    Fail(toString(std::move(E)));
    return;
  }
  const jit::Stats &St = J->stats();
  StringMap<double> Ms;
  for (const jit::FunctionStats &FS : St.PerFunction)
    Ms[FS.Name] += FS.LowerMs + FS.OptimizeMs + FS.CodegenMs;
  unsigned Number = ++Batches;
  CompileStats Made = compileStatsOf(St);
  size_t NextEntry = 0;
  // Functions whose running call asked for a continuation while this batch
  // compiled without one: compiled again, with it.
  std::vector<interp::FunctionRef> Again;
  for (const Member &M : Batch) {
    jit::NativeEntry Native = J->entryOf(M.Name);
    // (Loads wait for this compile: the definitions are still current.)
    bool Published = Native && I->publishNative(M.Ref, M.Def, Native);
    if (M.Continuation) {
      // New calls run Native from now on; the running ones move to the
      // continuation at their next back-edge.
      mir::OSREntryFn Cont =
          NextEntry < Entries.size() ? Entries[NextEntry++] : nullptr;
      if (Published && Cont)
        interp::Interpreter::publishContinuation(M.Def, Cont);
      else
        interp::Interpreter::endContinuation(M.Def);
    }
    std::lock_guard<std::mutex> L(StateMu);
    auto It = Table.find(M.Name);
    if (It == Table.end())
      continue;
    TierEntry &E = It->second;
    if (Published) {
      E.State = Tier::Native;
      E.Native = Native;
      E.PromotedMs = msNow();
      E.CompileMs = Ms.lookup(M.Name);
      E.Batch = Number;
      if (!M.Continuation && E.ContinuationFor == M.Def) {
        E.State = Tier::Queued;
        Again.push_back(M.Ref);
      }
    } else if (E.State == Tier::Compiling) {
      E.State = Tier::Interpreted;
    }
  }
  {
    std::lock_guard<std::mutex> L(StateMu);
    LastStats = std::move(Made);
  }
  SL.unlock(); // (JitSync: queue compiles here, taking it again)
  for (interp::FunctionRef F : Again)
    queue(F);
}

void TieredBackend::queue(interp::FunctionRef F) {
  if (Config.JitSync) {
    tierUp(F);
    return;
  }
  std::lock_guard<std::mutex> L(QueueMu);
  if (Stop)
    return;
  Queue.push_back(F);
  if (!Worker.joinable())
    Worker = std::thread([this] { workerLoop(); });
  QueueCV.notify_one();
}

} // namespace spl
