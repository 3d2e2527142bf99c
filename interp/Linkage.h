//===- interp/Linkage.h - Function slots and bound externs ------*- C++ -*-===//
//
// Private to interp/. What a call instruction points at:
//
//   * SlotTable: one FuncSlot per called or defined name (and per symbol id
//     called before its function arrived). Slots sit in fixed pools that never
//     move. MIR function pointers are C callbacks' code addresses
//     (Callbacks.h), which CallIndirect maps back to their slots (slotAt).
//   * ExternTable: externs resolved with ffi::resolveExtern and bound to call
//     plans once, plus the per-signature caches CallIndirect uses for C
//     function pointers.
//
// Publishing. What a name's calls reach is an immutable Callee (Bytecode.h):
// a slot's Current, and a copy in word 1 of every call instruction that
// calls the name (a referrer). publish() stores the new Callee into the slot
// and every referrer, one pointer store each, so a call on another thread
// sees the old Callee or the new one, never a mix, and the dispatch loop
// reads no slot at all. A referrer whose call was bound to another signature
// than the new definition's gets a stale-signature trap instead (Callee of
// a small CompiledFunction that traps naming the caller: docs/SEMANTICS.md
// "Redefinition"). Slots waiting for a symbol id mirror the named slot.
//
// Changed only under the interpreter's lock (load, publishing); calls read
// Callees, slotAt's snapshot (lock-free) and IndirectCallCache (its own
// lock).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_INTERP_LINKAGE_H
#define SPL_INTERP_LINKAGE_H

#include "interp/Bytecode.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace spl::ffi {
class CallPlan;
struct ExternBinding;
struct ResolveOptions;
} // namespace spl::ffi

namespace spl::interp {

class SlotTable {
public:
  SlotTable();
  ~SlotTable();

  /// The slot of Name, created empty on first use.
  FuncSlot *named(llvm::StringRef Name);
  /// The slot of Name if it exists.
  FuncSlot *findNamed(llvm::StringRef Name) const;
  /// The slot a call by symbol id goes to: the name slot of the function
  /// loaded with that symbol, else a slot of its own that the function fills
  /// when it arrives.
  FuncSlot *bySymbol(int64_t Symbol);
  /// The slot calls by Symbol wait in (its function not loaded when they
  /// were), or null.
  FuncSlot *findWaiting(int64_t Symbol) const { return Waiting.lookup(Symbol); }
  /// The name slot of the function loaded with Symbol, or null.
  const FuncSlot *findBySymbol(int64_t Symbol) const {
    return BySymbol.lookup(Symbol);
  }
  /// Records that the function with Symbol now lives in slot Named (and
  /// makes the symbol's own slot mirror it, if calls were waiting on it).
  void defineSymbol(int64_t Symbol, FuncSlot *Named, FunctionList &Made);

  /// Makes C what calls of S reach (and of the slots mirroring S). The
  /// stale-signature traps it makes for referrers bound to another
  /// signature than C's definition go into Made.
  void publish(FuncSlot *S, const Callee *C, FunctionList &Made);
  /// Makes F's call sites referrers of their slots, each pointed at what its
  /// slot's calls reach now (F is about to be published).
  void addReferrers(CompiledFunction &F, FunctionList &Made);
  /// Drops F's call sites from their slots' referrers (F was replaced).
  void dropReferrers(const CompiledFunction &F);

  /// The slot whose MIR function pointer P is (a slot's address, or the
  /// code address of a C callback made for it), or null. Lock-free: reads
  /// the snapshot commit() published.
  const FuncSlot *slotAt(uint64_t P) const {
    const Snapshot *S = Published.load(std::memory_order_acquire);
    if (!S)
      return nullptr;
    for (const Range &R : S->Ranges)
      if (P >= R.Begin && P < R.End)
        return (P - R.Begin) % sizeof(FuncSlot) == 0
                   ? reinterpret_cast<const FuncSlot *>(uintptr_t(P))
                   : nullptr;
    if (S->Callbacks.empty() ||
        P >= ~uint64_t(0) - 1) // DenseMap's reserved keys
      return nullptr;
    return S->Callbacks.lookup(P);
  }
  bool contains(uint64_t P) const { return slotAt(P) != nullptr; }
  /// Records Code (a C callback's entry) as a pointer to S (seen by slotAt
  /// after the next commit).
  void addCallback(uint64_t Code, const FuncSlot *S) {
    Building.Callbacks[Code] = S;
    Dirty = true;
  }
  /// Publishes the pools and callbacks made since the last commit to
  /// slotAt; before any code that may use them is published.
  void commit();

private:
  FuncSlot *fresh(std::string Name);
  /// The stale-signature trap for Caller's calls of S bound to Bound, now
  /// that S's definition is Now.
  const Callee *staleCallee(FuncSlot *S, const CompiledFunction *Caller,
                            const mir::Signature &Bound, const Callee *Now,
                            FunctionList &Made);
  const Callee *target(FuncSlot *S, const FuncSlot::Referrer &R,
                       const Callee *C, FunctionList &Made);
  struct Range {
    uint64_t Begin, End;
  };
  struct Snapshot {
    std::vector<Range> Ranges;
    llvm::DenseMap<uint64_t, const FuncSlot *> Callbacks; // code -> slot
  };
  static constexpr unsigned PoolSize = 256;
  std::vector<std::unique_ptr<FuncSlot[]>> Pools;
  unsigned UsedInLast = PoolSize;
  llvm::StringMap<FuncSlot *> Names;
  llvm::DenseMap<int64_t, FuncSlot *> Waiting;  // symbol slots
  llvm::DenseMap<int64_t, FuncSlot *> BySymbol; // symbol -> name slot
  /// slotAt's view: Building is changed, commit() copies it into a new
  /// snapshot; old ones stay until the table goes (a call may be reading).
  Snapshot Building;
  bool Dirty = false;
  std::atomic<const Snapshot *> Published{nullptr};
  std::vector<std::unique_ptr<Snapshot>> Snapshots;
};

/// Call plans for C function pointers of one signature, made on first use
/// of each address. Used from several threads: the plan last used is found
/// without taking the lock.
class IndirectCallCache {
public:
  IndirectCallCache(mir::Signature Sig, const SlotTable &Slots);
  ~IndirectCallCache();
  const mir::Signature &signature() const { return Sig; }
  /// The slots whose addresses are MIR function pointers.
  const SlotTable &slots() const { return Slots; }
  /// The plan for Fn, or null if none can be made (cannot happen once the
  /// signature passed the probe at load).
  const ffi::CallPlan *get(void *Fn) {
    const Entry *E = Last.load(std::memory_order_acquire);
    if (E && E->Fn == Fn)
      return E->Plan.get();
    return getSlow(Fn);
  }

private:
  struct Entry {
    void *Fn;
    std::unique_ptr<ffi::CallPlan> Plan;
  };
  const ffi::CallPlan *getSlow(void *Fn);

  mir::Signature Sig;
  const SlotTable &Slots;
  std::mutex Lock;
  llvm::DenseMap<void *, std::unique_ptr<Entry>> Entries; // never shrinks
  std::atomic<const Entry *> Last{nullptr};
};

class ExternTable {
public:
  ExternTable(const SlotTable &Slots, const ffi::ResolveOptions &Resolve);
  ~ExternTable();

  /// Resolves Name once, in ffi::resolveExtern's order (host, runtime,
  /// builtin, SFFI library).
  llvm::Expected<const ffi::ExternBinding &> resolve(llvm::StringRef Name);
  /// A call plan for Name with Sig, made once per (name, signature).
  llvm::Expected<const ffi::CallPlan *> plan(llvm::StringRef Name,
                                             const mir::Signature &Sig);
  /// The cache for C function pointers of Sig; the error says why no C
  /// function of that signature can be called.
  llvm::Expected<IndirectCallCache *> indirect(const mir::Signature &Sig);

private:
  const SlotTable &Slots;
  const ffi::ResolveOptions &Resolve;
  llvm::StringMap<std::unique_ptr<ffi::ExternBinding>> Bindings;
  llvm::StringMap<std::unique_ptr<ffi::CallPlan>> Plans;
  llvm::StringMap<std::unique_ptr<IndirectCallCache>> Indirect;
};

/// A key that tells signatures apart (Signature::str plus variadic-ness).
std::string signatureKey(const mir::Signature &Sig);

/// Sig as C sees it: every word type (handles, Array values) is an I64.
mir::Signature abiSignature(const mir::Signature &Sig);

} // namespace spl::interp

#endif // SPL_INTERP_LINKAGE_H
