//===- exec_manager/Tiered.h - auto: per-function tiers ---------*- C++ -*-===//
//
// Private to exec_manager/. The auto backend (TieredBackend.cpp, TierUp.cpp).
//
// Every function starts in the interpreter, which counts its calls and loop
// back-edges. A function that reaches a threshold (Options::JitThreshold,
// JitLoopThreshold) is queued for the compile thread, which compiles it
// together with its callees that have run (calls among them direct and
// inlinable), in one JIT session shared by all batches, while the
// interpreter keeps running it. Then each function's native entry is
// published into the interpreter (one pointer store per call site), so
// interpreted callers, host calls and C callbacks reach native code from
// then on; native code calling a function it does not have goes through the
// function's stub into the interpreter (HostFunctions). Code that never runs
// is never compiled.
//
// The tier table holds one entry per function: its tier, its native entry,
// when it got hot and was promoted, what its compile cost. A continuation
// for the running calls of a definition (on-stack replacement) is compiled
// into its function's batch and published to the interpreter, which holds
// it with that definition (TierEntry::ContinuationFor).
//
// Redefinition: the interpreter takes the new definition at once; native
// code that depends on the old one (the function itself, functions that
// inlined it, calls bound to its old signature) is unpublished and dropped
// from the session, so those functions run interpreted until they get hot
// again. Locks, always taken in this order: SessionMu (the session, tier-up
// compiles, loads and demotion: a load waits for a compile in flight, so a
// batch's definitions stay current until it is published), then the
// interpreter's own, then StateMu (the table), QueueMu (the queue). A call
// takes none of them.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_EXEC_MANAGER_TIERED_H
#define SPL_EXEC_MANAGER_TIERED_H

#include "exec_manager/Backend.h"
#include "interp/Interpreter.h"
#include "jit/JIT.h"

#include "llvm/ADT/StringMap.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace spl {

enum class Tier : uint8_t { Interpreted, Queued, Compiling, Native, Failed };
const char *tierName(Tier T);

/// One function of an auto manager (under StateMu).
struct TierEntry {
  std::string Name;
  interp::FunctionRef Ref;
  /// Its current definition: the module it came from, and the function in
  /// it.
  std::shared_ptr<const mir::Module> Scope;
  const mir::Function *F = nullptr;
  Tier State = Tier::Interpreted;
  /// The published native entry (null: none).
  jit::NativeEntry Native = nullptr;
  double HotMs = -1, PromotedMs = -1, CompileMs = 0;
  /// (osr) The definition whose running loop got hot (and has a frame
  /// image): its batch compiles a continuation for its running calls.
  const void *ContinuationFor = nullptr;
  unsigned Batch = 0;
  std::string Error;
};

/// What native code reaches through a host trampoline (jit::HostFunctions
/// handle): the interpreter and the function.
struct HostRef {
  interp::Interpreter *I;
  interp::FunctionRef Ref;
};

class TieredBackend final : public Backend, private jit::HostFunctions {
public:
  explicit TieredBackend(const BackendConfig &C);
  ~TieredBackend() override;
  llvm::Error init();

  llvm::StringRef name() const override { return "auto"; }
  llvm::Error load(const mir::Module &M) override;
  const void *lookup(llvm::StringRef Name) override;
  llvm::Expected<uint64_t> call(const void *Fn,
                                llvm::ArrayRef<uint64_t> Args) override;
  void setOptLevel(unsigned Level) override;
  void setCache(const std::string &Dir, uint64_t MaxBytes) override;
  CompileStats stats() const override;
  FunctionTier tier(llvm::StringRef Name) const override;
  bool waitForTierUps(uint64_t TimeoutMs) override;

private:
  // jit::HostFunctions: the interpreter's functions, for native code.
  const void *find(llvm::StringRef Name, mir::Signature &Sig) override;
  bool binding(llvm::StringRef Caller, llvm::StringRef Key,
               jit::HostFunctions::Binding &Out) override;
  uint64_t functionPointer(llvm::StringRef Name,
                           const mir::Signature &Sig) override;
  static uint64_t callHost(const void *Fn, const uint64_t *Args,
                           uint32_t NumArgs, uint32_t Depth);

  // TierUp.cpp
  /// The interpreter's hot hook: queues F (or, with JitSync, compiles it
  /// now). Hot by back-edges, a call of F is running a loop: F's batch
  /// then also gets a continuation of F (on-stack replacement), which the
  /// running calls move to at their next back-edge once it is published.
  void onHot(interp::FunctionRef F, const void *Def, bool ByEdges);
  void workerLoop();
  /// Hands F (Queued) to the compile thread, made on first use; with
  /// JitSync, compiles it now.
  void queue(interp::FunctionRef F);
  /// Compiles F and its callees that have run, and publishes their native
  /// entries (under SessionMu).
  void tierUp(interp::FunctionRef F);
  llvm::Error ensureSession();
  /// Drops native code that a redefinition of M's functions invalidates
  /// (under SessionMu).
  void demoteFor(const mir::Module &M);
  double msNow() const;

  BackendConfig Config;
  std::unique_ptr<interp::Interpreter> I;
  std::unique_ptr<jit::Session> J;
  /// J once made, for calls (which take no lock).
  std::atomic<jit::Session *> Live{nullptr};
  std::chrono::steady_clock::time_point Created;

  mutable std::mutex SessionMu;
  mutable std::mutex StateMu;
  llvm::StringMap<TierEntry> Table;                     // by name
  llvm::StringMap<std::unique_ptr<HostRef>> HostRefs;   // never removed
  bool SessionFailed = false;
  std::string SessionError;
  CompileStats LastStats; // of the last tier-up batch
  unsigned Batches = 0;

  /// Set when the manager goes: a compile in flight gives up (jit Cancel),
  /// so destruction does not wait for it.
  std::atomic<bool> Cancel{false};
  std::mutex QueueMu;
  std::condition_variable QueueCV, IdleCV;
  std::deque<interp::FunctionRef> Queue;
  bool Busy = false, Stop = false;
  std::thread Worker;
};

} // namespace spl

#endif // SPL_EXEC_MANAGER_TIERED_H
