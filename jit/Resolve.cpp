//===- jit/Resolve.cpp - Classifying and binding a batch's calls ---------===//
//
// BatchResolver (BatchResolver.h): externs, program functions bound to a
// signature (or the stale-signature trap), function pointers.
//
//===----------------------------------------------------------------------===//
#include "BatchResolver.h"

#include "mir/Semantics.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

std::string jit::symbolStubName(int64_t Symbol) {
  return (Twine("#") + Twine(Symbol)).str();
}

namespace {
Error loadError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// docs/SEMANTICS.md "Calls": a name is an extern when no program function
/// has it (in its module, this batch, or loaded before) and ffi's name rule
/// says so (a builtin, a declared extern, a runtime function, `__simple_*`,
/// an SFFI name). (The interpreter decides the same way, so both bind the
/// same calls.)
bool isExtern(StringRef Name, const mir::Module &Scope,
              const StringMap<unsigned> &Batch,
              const StringMap<FunctionRecord> &Loaded) {
  if (Batch.count(Name) || Loaded.count(Name))
    return false;
  return ffi::isExternName(Name, Scope);
}

} // namespace

const BatchResolver::ScopeIndex &
BatchResolver::indexOf(const mir::Module &Scope) {
  std::unique_ptr<ScopeIndex> &I = Scopes[&Scope];
  if (!I) {
    I = std::make_unique<ScopeIndex>();
    // The first function of a name or symbol, as a linear search finds.
    for (const mir::Function &F : Scope.Functions) {
      I->ByName.try_emplace(F.Name, &F);
      I->BySymbol.try_emplace(F.Symbol, &F);
    }
  }
  return *I;
}

std::string BatchResolver::nameOf(const mir::Module &Scope,
                                  const mir::Constant &Callee) {
  if (Callee.K != mir::Constant::Kind::Int)
    return Callee.S;
  // A symbol id: the calling module's functions first, then any function
  // the session has loaded.
  int64_t Sym = int64_t(Callee.Bits);
  const ScopeIndex &SI = indexOf(Scope);
  if (auto It = SI.BySymbol.find(Sym); It != SI.BySymbol.end())
    return It->second->Name;
  auto It = S.SymbolNames.find(Sym);
  return It != S.SymbolNames.end() ? It->second : symbolStubName(Sym);
}

Expected<CallTarget> BatchResolver::externTarget(const mir::Module &Scope,
                                                 StringRef Name,
                                                 const mir::Signature &Site,
                                                 ArrayRef<mir::Type> ArgTypes) {
  Expected<const ffi::ExternBinding &> EB = S.binding(Name);
  if (!EB)
    return EB.takeError();
  Expected<mir::Signature> Sig =
      ffi::externCallSignature(*EB, Scope, Site, ArgTypes);
  if (!Sig) {
    // A wrong count against the callee's own signature: name the call
    // site's too (MIR.md "Calls and signatures (v2)").
    if (Scope.externDecl(Name) || EB->Sig)
      return loadError(toString(Sig.takeError()) + " (the call site says " +
                       Site.str() + ")");
    return Sig.takeError();
  }
  CallTarget T;
  T.K = CallTarget::Kind::Extern;
  T.Name = Name.str();
  T.Symbol = Name.str();
  T.Sig = std::move(*Sig);
  // A variadic callee keeps its fixed parameters only: the rest of the
  // arguments travel with C's default promotions (LowerCalls.cpp).
  if (T.Sig.Variadic) {
    const mir::Signature *Fixed = nullptr;
    if (const mir::ExternDecl *D = Scope.externDecl(Name))
      Fixed = &D->Sig;
    else if (EB->Sig)
      Fixed = &*EB->Sig;
    else
      Fixed = &Site;
    T.Sig.Params.resize(std::min(T.Sig.Params.size(), Fixed->Params.size()));
  }
  Externs.insert(Name);
  return T;
}

/// The key a constant callee's binding is recorded under (the
/// interpreter's too: interp/Bytecode.h CallBinding).
static std::string bindingKey(const mir::Constant &Callee) {
  if (Callee.K == mir::Constant::Kind::Int)
    return symbolStubName(int64_t(Callee.Bits));
  return Callee.S;
}

Expected<CallRecord> BatchResolver::bind(const mir::Module &Scope,
                                         const mir::Function &Caller,
                                         const mir::Constant &Callee,
                                         ArrayRef<mir::Type> ArgTypes) {
  std::string Key = bindingKey(Callee);
  // Lowered before: bound as then.
  if (Relowered.contains(Caller.Name)) {
    auto It = S.Functions.find(Caller.Name);
    if (It != S.Functions.end())
      if (auto B = It->second.Bindings.find(Key);
          B != It->second.Bindings.end())
        return B->second;
  }
  // The host's function: bound as the host bound it.
  if (S.Opts.Host) {
    HostFunctions::Binding HB;
    if (S.Opts.Host->binding(Caller.Name, Key, HB))
      return CallRecord{HB.Extern, HB.Target, HB.Known};
  }
  CallRecord R;
  R.Target = nameOf(Scope, Callee);
  if (Callee.K != mir::Constant::Kind::Int &&
      isExtern(R.Target, Scope, Index, S.Functions)) {
    R.Extern = true;
    return R;
  }
  // The callee's own signature when it is known: in the caller's module,
  // this batch, the session or the host.
  const ScopeIndex &SI = indexOf(Scope);
  if (auto It = SI.ByName.find(R.Target); It != SI.ByName.end())
    R.Known = It->second->Sig;
  else if (auto It = Index.find(R.Target); It != Index.end())
    R.Known = Inputs[It->second].F->Sig;
  else if (auto It = S.Functions.find(R.Target); It != S.Functions.end())
    R.Known = It->second.F->Sig;
  else if (mir::Signature HS; S.Opts.Host && S.Opts.Host->find(R.Target, HS))
    R.Known = std::move(HS);
  // (v2) A wrong count against a known signature is a load error naming
  // both (as in the interpreter).
  size_t NumArgs = ArgTypes.size();
  if (R.Known && NumArgs != R.Known->Params.size() &&
      !(R.Known->Variadic && NumArgs > R.Known->Params.size()))
    return loadError("call of `" + R.Target + "` passes " + Twine(NumArgs) +
                     (NumArgs == 1 ? " argument" : " arguments") +
                     ", its signature " + R.Known->str() + " takes " +
                     Twine(R.Known->Params.size()) + " (the call site says " +
                     Callee.Ty.sig().str() + ")");
  return R;
}

Expected<CallTarget> BatchResolver::callTarget(const mir::Module &Scope,
                                               const mir::Function &Caller,
                                               const mir::Constant &Callee,
                                               ArrayRef<mir::Type> ArgTypes) {
  const mir::Signature &Site = Callee.Ty.sig();
  Expected<CallRecord> R = bind(Scope, Caller, Callee, ArgTypes);
  if (!R)
    return R.takeError();
  Bindings[Caller.Name].try_emplace(bindingKey(Callee), *R);
  if (R->Extern)
    return externTarget(Scope, R->Target, Site, ArgTypes);
  CallTarget T;
  T.Name = R->Target;
  T.Sig = R->Known ? *R->Known : mir::boundCallSignature(&Site, ArgTypes);
  // The callee's signature now: a call bound to another is stale.
  std::optional<mir::Signature> Now;
  const void *HostHandle = nullptr;
  if (auto It = Index.find(T.Name); It != Index.end())
    Now = Inputs[It->second].F->Sig;
  else if (auto It = S.Functions.find(T.Name); It != S.Functions.end())
    Now = It->second.F->Sig;
  else if (mir::Signature HS;
           S.Opts.Host && (HostHandle = S.Opts.Host->find(T.Name, HS)))
    Now = std::move(HS);
  if (Now && *Now != T.Sig) {
    T.K = CallTarget::Kind::Stale;
    T.Detail = mir::staleDetail(T.Name, *Now, T.Sig);
    StubEdges[Caller.Name].push_back({T.Name, T.Sig, /*Live=*/false});
    return T;
  }
  if (Index.count(T.Name)) {
    T.K = CallTarget::Kind::Direct;
    T.Symbol = bodySymbol(T.Name, Batch);
    return T;
  }
  T.K = CallTarget::Kind::Stub;
  T.Symbol = stubSymbol(T.Name);
  StubsUsed.insert(T.Name);
  StubEdges[Caller.Name].push_back({T.Name, T.Sig, /*Live=*/true});
  if (HostHandle)
    HostStubs[T.Name] = {HostHandle, *Now};
  return T;
}

Expected<std::string>
BatchResolver::functionPointer(const mir::Module &Scope,
                               const mir::Constant &Callee) {
  std::string Name = nameOf(Scope, Callee);
  const mir::Signature &Sig = Callee.Ty.sig();
  if (Callee.K != mir::Constant::Kind::Int &&
      isExtern(Name, Scope, Index, S.Functions)) {
    Externs.insert(Name);
    return Name;
  }
  // (tiering) The host's own pointer, when it has the function: a pointer
  // taken in either tier is the same value.
  if (S.Opts.Host) {
    auto Key = std::make_pair(Name, Sig.str());
    if (auto It = S.HostPointers.find(Key); It != S.HostPointers.end())
      return It->second;
    if (uint64_t Address = S.Opts.Host->functionPointer(Name, Sig)) {
      std::string Symbol =
          Name + ".hostptr" + std::to_string(S.HostPointers.size());
      orc::SymbolMap Sym;
      Sym[S.J->mangleAndIntern(Symbol)] = {
          orc::ExecutorAddr(Address),
          JITSymbolFlags::Exported | JITSymbolFlags::Callable};
      if (Error E = S.J->getMainJITDylib().define(orc::absoluteSymbols(Sym)))
        return std::move(E);
      S.HostPointers[Key] = Symbol;
      return Symbol;
    }
  }
  StubsUsed.insert(Name);
  auto Key = std::make_pair(Name, Sig.str());
  auto It = S.Adapters.find(Key);
  if (It != S.Adapters.end())
    return It->second;
  for (const AdapterRequest &A : NewAdapters)
    if (A.Callee == Name && A.Sig == Sig)
      return A.Symbol;
  std::string Symbol =
      Name + ".cabi" + std::to_string(S.Adapters.size() + NewAdapters.size());
  NewAdapters.push_back({Symbol, Name, Sig});
  return Symbol;
}

