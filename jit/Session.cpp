//===- jit/Session.cpp - The public face of the JIT backend ---------------===//
#include "Runtime.h"
#include "SessionImpl.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

Expected<std::unique_ptr<Session>> Session::create(Options Opts) {
  Expected<std::unique_ptr<Impl>> I = Impl::create(std::move(Opts));
  if (!I)
    return I.takeError();
  return std::unique_ptr<Session>(new Session(std::move(*I)));
}

Session::Session(std::unique_ptr<Impl> I) : P(std::move(I)) {}
Session::~Session() = default;

Error Session::load(const mir::Module &M) { return P->load(M); }

bool Session::hasFunction(StringRef Name) const {
  return P->Functions.count(Name) != 0;
}

const mir::Signature *Session::signature(StringRef Name) const {
  auto It = P->Functions.find(Name);
  return It == P->Functions.end() ? nullptr : &It->second.F->Sig;
}

Expected<uint64_t> Session::call(StringRef Name, ArrayRef<uint64_t> Args) {
  return P->call(Name, Args);
}

Expected<uint64_t> Session::externAddress(StringRef Name) {
  return P->externAddress(Name);
}

void Session::setOptLevel(unsigned Level) { P->OptLevel = std::min(Level, 3u); }

void Session::setCache(CacheOptions C) { P->setCache(std::move(C)); }

const Stats &Session::stats() const { return P->St; }

Expected<uint64_t> Session::Impl::call(StringRef Name,
                                       ArrayRef<uint64_t> Args) {
  auto It = Functions.find(Name);
  if (It == Functions.end())
    return createStringError(
        inconvertibleErrorCode(),
        mir::trapMessage(mir::TrapKind::UndefinedFunction, Name, Name));
  const FunctionRecord &R = It->second;
  size_t Want = R.F->Sig.Params.size();
  if (Args.size() != Want)
    return createStringError(inconvertibleErrorCode(),
                             "function `" + Name + "` takes " + Twine(Want) +
                                 (Want == 1 ? " argument" : " arguments") +
                                 ", got " + Twine(Args.size()));
  using EntryFn = void (*)(const uint64_t *, uint64_t *);
  EntryFn Entry = R.Entry.toPtr<EntryFn>();
  const uint64_t *A = Args.data();
  uint64_t Ret = 0;
  // A host call starts at depth 1 (the entry wrapper passes it); clear what
  // an earlier call may have left for C callbacks.
  spl_jit_set_depth(0);
  if (Error E = ffi::runGuarded([&] { Entry(A, &Ret); }, Opts.MaxCallDepth))
    return E;
  return Ret;
}

Expected<uint64_t> Session::Impl::externAddress(StringRef Name) {
  // What JIT code calls: the address the extern's binding gave.
  Expected<const ffi::ExternBinding &> EB = binding(Name);
  if (!EB)
    return EB.takeError();
  return uint64_t(reinterpret_cast<uintptr_t>(EB->Address));
}
