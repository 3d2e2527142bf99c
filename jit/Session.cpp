//===- jit/Session.cpp - The public face of the JIT backend ---------------===//
#include "Runtime.h"
#include "SessionImpl.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {
/// The Session of jit/: forwards to Impl. Out converts each error a method
/// returns for the caller's side (Boundary.h); null in process.
class ORCSession final : public Session {
public:
  ORCSession(std::unique_ptr<Impl> P, ErrorExport Out)
      : P(std::move(P)), Out(Out) {}

  Error load(const mir::Module &M) override { return out(P->load(M)); }

  Error load(ArrayRef<FunctionInput> Functions) override {
    return out(P->loadBatch(Functions));
  }

  Error load(ArrayRef<FunctionInput> Functions,
             ArrayRef<ContinuationInput> Continuations,
             std::vector<mir::OSREntryFn> &Entries) override {
    return out(P->loadBatch(Functions, Continuations, &Entries));
  }

  const void *lookup(StringRef Name) const override {
    auto It = P->Handles.find(Name);
    return It == P->Handles.end() ? nullptr : It->second.get();
  }

  Expected<uint64_t> callHandle(const void *Handle,
                                ArrayRef<uint64_t> Args) override {
    return out(P->call(*static_cast<const CallHandle *>(Handle), Args));
  }

  NativeEntry entryOf(StringRef Name) const override {
    auto It = P->Functions.find(Name);
    return It == P->Functions.end() ? nullptr
                                    : It->second.Entry.toPtr<NativeEntry>();
  }

  std::vector<std::string>
  dependents(StringRef Name, const mir::Signature &NewSig) const override {
    return P->dependents(Name, NewSig);
  }

  Error forget(ArrayRef<std::string> Names) override {
    return out(P->forget(Names));
  }

  void beginHostCall() override { jit::beginHostCall(); }

  bool hasFunction(StringRef Name) const override {
    return P->Functions.count(Name) != 0;
  }

  const mir::Signature *signature(StringRef Name) const override {
    auto It = P->Functions.find(Name);
    return It == P->Functions.end() ? nullptr : &It->second.F->Sig;
  }

  Expected<uint64_t> call(StringRef Name, ArrayRef<uint64_t> Args) override {
    return out(P->call(Name, Args));
  }

  Expected<uint64_t> externAddress(StringRef Name) override {
    return out(P->externAddress(Name));
  }

  void setOptLevel(unsigned Level) override {
    P->OptLevel = std::min(Level, 3u);
  }

  void setCache(CacheOptions C) override { P->setCache(std::move(C)); }

  const Stats &stats() const override { return P->St; }

private:
  Error out(Error E) { return Out && E ? Out(std::move(E)) : std::move(E); }
  template <typename T> Expected<T> out(Expected<T> V) {
    if (!Out || V)
      return V;
    return Out(V.takeError());
  }

  std::unique_ptr<Impl> P;
  ErrorExport Out;
};
} // namespace

Expected<std::unique_ptr<Session>> jit::makeSession(Options Opts,
                                                    ErrorExport Out) {
  Expected<std::unique_ptr<Session::Impl>> I =
      Session::Impl::create(std::move(Opts));
  if (!I)
    return I.takeError();
  return std::make_unique<ORCSession>(std::move(*I), Out);
}

Expected<uint64_t> Session::Impl::call(StringRef Name,
                                       ArrayRef<uint64_t> Args) {
  auto It = Handles.find(Name);
  if (It == Handles.end())
    return createStringError(
        inconvertibleErrorCode(),
        mir::trapMessage(mir::TrapKind::UndefinedFunction, Name, Name));
  return call(*It->second, Args);
}

Expected<uint64_t> Session::Impl::externAddress(StringRef Name) {
  // What JIT code calls: the address the extern's binding gave.
  Expected<const ffi::ExternBinding &> EB = binding(Name);
  if (!EB)
    return EB.takeError();
  return uint64_t(reinterpret_cast<uintptr_t>(EB->Address));
}
