//===- interp/Linkage.cpp - Function slots and bound externs --------------===//

#include "interp/Linkage.h"

#include "ffi/FFI.h"

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
    Ranges.push_back({Begin, Begin + PoolSize * sizeof(FuncSlot)});
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

void SlotTable::defineSymbol(int64_t Symbol, FuncSlot *Named) {
  BySymbol[Symbol] = Named;
  if (FuncSlot *W = Waiting.lookup(Symbol))
    W->set(Named->Fn);
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
