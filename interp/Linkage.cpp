//===- interp/Linkage.cpp - Function slots and bound externs --------------===//

#include "interp/Linkage.h"

#include "ffi/FFI.h"

#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace spl::interp {

//===----------------------------------------------------------------------===//
// SlotTable
//===----------------------------------------------------------------------===//

SlotTable::SlotTable() = default;
SlotTable::~SlotTable() = default;

FuncSlot *SlotTable::fresh(std::string Name) {
  if (UsedInLast == PoolSize) {
    Pools.emplace_back(new FuncSlot[PoolSize]);
    uint64_t Begin = uint64_t(uintptr_t(Pools.back().get()));
    Building.Ranges.push_back({Begin, Begin + PoolSize * sizeof(FuncSlot)});
    Dirty = true;
    UsedInLast = 0;
  }
  FuncSlot *S = &Pools.back()[UsedInLast++];
  S->Name = std::move(Name);
  return S;
}

FuncSlot *SlotTable::named(StringRef Name) {
  FuncSlot *&S = Names[Name];
  if (!S)
    S = fresh(Name.str());
  return S;
}

FuncSlot *SlotTable::findNamed(StringRef Name) const {
  return Names.lookup(Name);
}

FuncSlot *SlotTable::bySymbol(int64_t Symbol) {
  if (FuncSlot *S = BySymbol.lookup(Symbol))
    return S;
  FuncSlot *&W = Waiting[Symbol];
  if (!W) {
    // Named by its id until the function arrives (built in two steps:
    // GCC 12 warns falsely on "#" + std::to_string(...)).
    std::string Name = "#";
    Name += std::to_string(Symbol);
    W = fresh(std::move(Name));
  }
  return W;
}

void SlotTable::defineSymbol(int64_t Symbol, FuncSlot *Named,
                             FunctionList &Made) {
  BySymbol[Symbol] = Named;
  FuncSlot *W = Waiting.lookup(Symbol);
  if (!W)
    return;
  if (!is_contained(Named->Mirrors, W))
    Named->Mirrors.push_back(W);
  publish(W, Named->current(), Made);
}

void SlotTable::commit() {
  if (!Dirty)
    return;
  Snapshots.push_back(std::make_unique<Snapshot>(Building));
  Published.store(Snapshots.back().get(), std::memory_order_release);
  Dirty = false;
}

const Callee *SlotTable::staleCallee(FuncSlot *S, const CompiledFunction *Caller,
                                     const mir::Signature &Bound,
                                     const Callee *Now, FunctionList &Made) {
  // [Trap][kind][detail][caller]: the trap names the caller (it runs in the
  // frame the call pushed, as the callee would), the message both
  // signatures.
  auto F = std::make_unique<CompiledFunction>();
  F->Name = Now->Fn->Name;
  F->Sig = Now->Fn->Sig;
  F->NumParams = Now->Fn->NumParams;
  F->ThunkOf = Now->Fn;
  F->StaleText = mir::staleDetail(S->Name, Now->Fn->Sig, Bound);
  F->CodeWords = 4;
  F->Code = std::make_unique<uint64_t[]>(4);
  F->Code[0] = handlerWord(Opc::Trap);
  F->Code[1] = uint64_t(mir::TrapKind::StaleSignature);
  F->Code[2] = uint64_t(uintptr_t(F->StaleText.c_str()));
  F->Code[3] = uint64_t(uintptr_t(Caller));
  F->Entry = F->Code.get();
  F->Self.Fn = Now->Fn; // a depth overflow before it names the callee
  F->Self.Entry = F->Self.AfterGuard = F->Entry;
  F->Self.Slot = S;
  const Callee *C = &F->Self;
  std::lock_guard<std::mutex> L(Made.Mu);
  Made.All.push_back(std::move(F));
  return C;
}

const Callee *SlotTable::target(FuncSlot *S, const FuncSlot::Referrer &R,
                                const Callee *C, FunctionList &Made) {
  if (!C->Fn || C->Fn->Sig == *R.Bound)
    return C;
  return staleCallee(S, R.Caller, *R.Bound, C, Made);
}

void SlotTable::publish(FuncSlot *S, const Callee *C, FunctionList &Made) {
  S->Current.store(C, std::memory_order_release);
  for (const FuncSlot::Referrer &R : S->Referrers)
    __atomic_store_n(R.Word, uint64_t(uintptr_t(target(S, R, C, Made))),
                     __ATOMIC_RELEASE);
  for (FuncSlot *W : S->Mirrors)
    publish(W, C, Made);
}

void SlotTable::addReferrers(CompiledFunction &F, FunctionList &Made) {
  for (const CallSite &Site : F.Sites) {
    FuncSlot::Referrer R{&F.Code[Site.Word], &F, &Site.Bound};
    *R.Word = uint64_t(uintptr_t(target(Site.Slot, R, Site.Slot->current(), Made)));
    Site.Slot->Referrers.push_back(R);
  }
}

void SlotTable::dropReferrers(const CompiledFunction &F) {
  for (const CallSite &Site : F.Sites)
    erase_if(Site.Slot->Referrers, [&](const FuncSlot::Referrer &R) {
      return R.Caller == &F;
    });
}

//===----------------------------------------------------------------------===//
// Externs
//===----------------------------------------------------------------------===//

std::string signatureKey(const mir::Signature &Sig) {
  return Sig.str() + (Sig.Variadic ? " ..." : "");
}

IndirectCallCache::IndirectCallCache(mir::Signature Sig, const SlotTable &Slots)
    : Sig(std::move(Sig)), Slots(Slots) {}
IndirectCallCache::~IndirectCallCache() = default;

const ffi::CallPlan *IndirectCallCache::getSlow(void *Fn) {
  std::lock_guard<std::mutex> G(Lock);
  std::unique_ptr<Entry> &E = Entries[Fn];
  if (!E) {
    // An integer that is no function is BadFunctionPointer, as in the JIT,
    // not a native call into whatever lies there.
    if (!ffi::isCodeAddress(Fn)) {
      Entries.erase(Fn);
      return nullptr;
    }
    auto Made =
        ffi::CallPlan::create(abiSignature(Sig), Fn, "<function pointer>");
    if (!Made) {
      consumeError(Made.takeError());
      Entries.erase(Fn);
      return nullptr;
    }
    E = std::make_unique<Entry>(Entry{Fn, std::move(*Made)});
  }
  Last.store(E.get(), std::memory_order_release);
  return E->Plan.get();
}

mir::Signature abiSignature(const mir::Signature &Sig) {
  mir::Signature S = Sig;
  for (mir::Type &P : S.Params)
    if (P.isWordValue())
      P = mir::TypeKind::I64;
  if (S.Ret.isWordValue())
    S.Ret = mir::TypeKind::I64;
  return S;
}

ExternTable::ExternTable(const SlotTable &Slots,
                         const ffi::ResolveOptions &Resolve)
    : Slots(Slots), Resolve(Resolve) {}
ExternTable::~ExternTable() = default;

Expected<const ffi::ExternBinding &> ExternTable::resolve(StringRef Name) {
  std::unique_ptr<ffi::ExternBinding> &B = Bindings[Name];
  if (!B) {
    auto R = ffi::resolveExtern(Name, Resolve);
    if (!R) {
      Bindings.erase(Name);
      return R.takeError();
    }
    B = std::make_unique<ffi::ExternBinding>(std::move(*R));
  }
  return *B;
}

Expected<const ffi::CallPlan *> ExternTable::plan(StringRef Name,
                                                  const mir::Signature &Sig) {
  std::string Key = Name.str() + "|" + signatureKey(Sig);
  auto It = Plans.find(Key);
  if (It != Plans.end())
    return It->second.get();
  auto B = resolve(Name);
  if (!B)
    return B.takeError();
  auto P = ffi::CallPlan::create(abiSignature(Sig), B->Address, Name);
  if (!P)
    return P.takeError();
  const ffi::CallPlan *Raw = P->get();
  Plans[Key] = std::move(*P);
  return Raw;
}

/// Stands in for a real function when checking that a signature can be
/// called at all; never called.
static void probeTarget() {}

Expected<IndirectCallCache *> ExternTable::indirect(const mir::Signature &Sig) {
  std::string Key = signatureKey(Sig);
  std::unique_ptr<IndirectCallCache> &C = Indirect[Key];
  if (!C) {
    auto Probe = ffi::CallPlan::create(abiSignature(Sig),
                                       reinterpret_cast<void *>(&probeTarget),
                                       "<function pointer>");
    if (!Probe) {
      Indirect.erase(Key);
      return Probe.takeError();
    }
    C = std::make_unique<IndirectCallCache>(Sig, Slots);
  }
  return C.get();
}

} // namespace spl::interp
