//===- interp/Linkage.h - Function slots and bound externs ------*- C++ -*-===//
//
// Private to interp/. What a call instruction points at:
//
//   * SlotTable: one FuncSlot per called or defined name (and per symbol id
//     called before its function arrived). Slots sit in fixed pools that never
//     move: their addresses are baked into the bytecode. MIR function
//     pointers are C callbacks' code addresses (Callbacks.h), which
//     CallIndirect maps back to their slots (slotAt).
//   * ExternTable: externs resolved with ffi::resolveExtern and bound to call
//     plans once, plus the per-signature caches CallIndirect uses for C
//     function pointers.
//
// Both are changed only by load(), which the caller runs exclusively; calls
// only read them (IndirectCallCache locks its own map).
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
  /// The name slot of the function loaded with Symbol, or null.
  const FuncSlot *findBySymbol(int64_t Symbol) const {
    return BySymbol.lookup(Symbol);
  }
  /// Records that the function with Symbol now lives in slot Named (and fills
  /// the symbol's own slot, if calls were waiting on it).
  void defineSymbol(int64_t Symbol, FuncSlot *Named);

  /// The slot whose MIR function pointer P is (a slot's address, or the
  /// code address of a C callback made for it), or null.
  const FuncSlot *slotAt(uint64_t P) const {
    for (const Range &R : Ranges)
      if (P >= R.Begin && P < R.End)
        return (P - R.Begin) % sizeof(FuncSlot) == 0
                   ? reinterpret_cast<const FuncSlot *>(uintptr_t(P))
                   : nullptr;
    if (Callbacks.empty() || P >= ~uint64_t(0) - 1) // DenseMap's reserved keys
      return nullptr;
    return Callbacks.lookup(P);
  }
  bool contains(uint64_t P) const { return slotAt(P) != nullptr; }
  /// Records Code (a C callback's entry) as a pointer to S.
  void addCallback(uint64_t Code, const FuncSlot *S) { Callbacks[Code] = S; }

private:
  FuncSlot *fresh(std::string Name);
  struct Range {
    uint64_t Begin, End;
  };
  static constexpr unsigned PoolSize = 256;
  std::vector<std::unique_ptr<FuncSlot[]>> Pools;
  std::vector<Range> Ranges;
  unsigned UsedInLast = PoolSize;
  llvm::StringMap<FuncSlot *> Names;
  llvm::DenseMap<int64_t, FuncSlot *> Waiting;  // symbol slots
  llvm::DenseMap<int64_t, FuncSlot *> BySymbol; // symbol -> name slot
  llvm::DenseMap<uint64_t, const FuncSlot *> Callbacks; // code -> slot
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
