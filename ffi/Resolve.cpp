//===- ffi/Resolve.cpp - Extern resolution: host, runtime, builtins, SFFI -===//
//
// The one resolution order both backends use (MIR.md "Calls", RUNTIME.md):
//  1. the host process's own symbol (dlsym(RTLD_DEFAULT)), so that inside a
//     Simple host JIT code and the interpreter call the host's runtime and its
//     objects flow both ways; a symbol that turns out to be spl-exec's own
//     runtime function is reported as "runtime";
//  2. spl-exec's runtime (runtime/, the standalone implementation);
//  3. the builtins table;
//  4. the SFFI convention.
// Host lookup is asked only for names that are externs by the name rule
// (isExternName): a MIR function that arrives later must never be bound to a
// libc function of the same name.
//
//===----------------------------------------------------------------------===//

#include "ffi/FFI.h"

#include "runtime/Runtime.h"

#include "llvm/ADT/StringExtras.h"

#include <dlfcn.h>

using namespace spl;
using namespace spl::ffi;
using namespace llvm;

namespace {

Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

mir::Type typeOfLetter(char C) {
  using mir::TypeKind;
  switch (C) {
  case 'w':
    return TypeKind::I64;
  case 'p':
    return mir::Type::ptr(TypeKind::U8, /*Mutable=*/true);
  case 'f':
    return TypeKind::F64;
  case 'b':
    return TypeKind::Bool;
  case 'i':
    return TypeKind::I32;
  case 'u':
    return TypeKind::U64;
  default:
    return TypeKind::Unit;
  }
}

/// A runtime table entry's signature string ("wpw": returns a word, takes a
/// pointer and a word) as a MIR signature.
mir::Signature signatureOf(const char *Sig) {
  mir::Signature S;
  S.Ret = typeOfLetter(Sig[0]);
  for (const char *C = Sig + 1; *C; ++C)
    S.Params.push_back(typeOfLetter(*C));
  return S;
}

} // namespace

StringRef ffi::externOriginName(ExternOrigin O) {
  switch (O) {
  case ExternOrigin::Host:
    return "host";
  case ExternOrigin::Runtime:
    return "runtime";
  case ExternOrigin::Builtin:
    return "builtin";
  case ExternOrigin::Library:
    return "library";
  }
  return "?";
}

bool ffi::isExternName(StringRef Name, const mir::Module &M) {
  if (M.function(Name))
    return false;
  if (findBuiltin(Name) || M.externDecl(Name) || !sffiLibName(Name).empty())
    return true;
  std::string N = Name.str();
  // rt_ names belong to the runtime and the SFFI libraries: a misspelled
  // runtime function (rt_printline) is then a load error that suggests the
  // right name, instead of a program function that never arrives.
  return rt::findRuntimeFunction(N.c_str()) != nullptr ||
         Name.starts_with("__simple_") || Name.starts_with("rt_");
}

namespace {
/// The runtime functions and builtins nearest to Name (edit distance at most
/// 2: typos, not guesses), best first, as "; did you mean `A` or `B`?".
std::string nearestKnown(StringRef Name) {
  std::vector<std::pair<unsigned, std::string>> Near;
  const unsigned Limit = 2;
  auto Consider = [&](StringRef Known) {
    unsigned D = Name.edit_distance(Known, /*AllowReplacements=*/true, Limit);
    if (D > 0 && D <= Limit)
      Near.push_back({D, Known.str()});
  };
  size_t N = 0;
  const rt::RuntimeFn *Fns = rt::runtimeFunctions(&N);
  for (size_t I = 0; I < N; ++I)
    Consider(Fns[I].Name);
  for (const Builtin &B : builtins())
    Consider(B.Name);
  if (Near.empty())
    return "";
  llvm::sort(Near);
  std::string S = "; did you mean `" + Near[0].second + "`";
  if (Near.size() > 1 && Near[1].first == Near[0].first)
    S += " or `" + Near[1].second + "`";
  return S + "?";
}
} // namespace

Expected<ExternBinding> ffi::resolveExtern(StringRef Name,
                                           const ResolveOptions &Opts) {
  std::string Sym = Name.str();
  const rt::RuntimeFn *RF = rt::findRuntimeFunction(Sym.c_str());
  const Builtin *B = findBuiltin(Name);
  ExternBinding EB;
  EB.Name = Sym;
  if (RF)
    EB.Sig = signatureOf(RF->Sig);
  else if (B)
    EB.Sig = B->Sig;
  EB.B = RF ? nullptr : B;

  if (Opts.HostLookup) {
    // dlerror() is per thread; clear it so a stale error does not mislead.
    dlerror();
    if (void *Host = dlsym(RTLD_DEFAULT, Sym.c_str())) {
      EB.Address = Host;
      EB.Origin = (RF && Host == RF->Address) ? ExternOrigin::Runtime
                                              : ExternOrigin::Host;
      return EB;
    }
  }
  if (RF) {
    EB.Address = RF->Address;
    EB.Origin = ExternOrigin::Runtime;
    return EB;
  }
  if (B) {
    EB.Address = B->Address;
    EB.Origin = ExternOrigin::Builtin;
    return EB;
  }
  std::string Lib = sffiLibName(Name);
  if (Lib.empty())
    return makeError("cannot resolve extern `" + Name +
                     "`: it is not a runtime function or builtin and does not "
                     "follow the SFFI convention rt_<lib>_<name>" +
                     nearestKnown(Name));
  Expected<const Library &> L = loadLibrary(Lib);
  if (!L)
    return makeError("cannot resolve extern `" + Name +
                     "`: " + toString(L.takeError()) + nearestKnown(Name));
  void *Address = dlsym(L->Handle, Sym.c_str());
  if (!Address)
    return makeError("symbol `" + Name + "` not found in " + L->Path);
  EB.Address = Address;
  EB.Origin = ExternOrigin::Library;
  EB.Lib = &*L;
  return EB;
}

Expected<mir::Signature>
ffi::externCallSignature(const ExternBinding &B, const mir::Module &M,
                         const mir::Signature &CallSite,
                         ArrayRef<mir::Type> ArgTypes) {
  const mir::Signature *Known = nullptr;
  if (const mir::ExternDecl *D = M.externDecl(B.Name))
    Known = &D->Sig;
  else if (B.Sig)
    Known = &*B.Sig;
  if (Known) {
    size_t N = ArgTypes.size(), P = Known->Params.size();
    if (N != P && !(Known->Variadic && N > P))
      return makeError("call of `" + B.Name + "` passes " + Twine(N) +
                       (N == 1 ? " argument" : " arguments") +
                       ", its signature " + Known->str() + " takes " +
                       Twine(P));
    if (!Known->Variadic || N == P)
      return *Known;
    // Variadic: the extra arguments travel as their own types.
    mir::Signature S = *Known;
    for (size_t I = P; I < N; ++I)
      S.Params.push_back(ArgTypes[I]);
    return S;
  }
  if (!CallSite.Params.empty() || ArgTypes.empty()) {
    if (CallSite.Params.size() != ArgTypes.size() && !CallSite.Variadic)
      return makeError("call of `" + B.Name + "` passes " +
                       Twine(ArgTypes.size()) +
                       (ArgTypes.size() == 1 ? " argument" : " arguments") +
                       ", its signature " + CallSite.str() + " takes " +
                       Twine(CallSite.Params.size()));
    return CallSite;
  }
  mir::Signature S;
  S.Params.assign(ArgTypes.begin(), ArgTypes.end());
  S.Ret = CallSite.Ret;
  return S;
}

namespace {
/// Runtime functions the compiler calls with fewer arguments than their C
/// signature has, and the constant each missing trailing argument takes.
struct OptionalTail {
  const char *Name;
  size_t Params;        // the C signature's parameter count
  mir::TypeKind LastTy; // type of the one optional (last) parameter
};
const OptionalTail OptionalTails[] = {
    {"rt_panic", 2, mir::TypeKind::U64}, // (msg, len); len 0 = NUL-terminated
};

// Args: a terminator's std::vector or an instruction's OperandList.
template <typename OpsT>
void completeCall(const mir::Module &M, const mir::Operand &Callee,
                  OpsT &Args) {
  if (!Callee.isConst() || Callee.constant().K != mir::Constant::Kind::Str ||
      !Callee.constant().Ty.isFuncPtr() || M.function(Callee.constant().S) ||
      M.externDecl(Callee.constant().S))
    return;
  for (const OptionalTail &T : OptionalTails)
    if (Callee.constant().S == T.Name && Args.size() + 1 == T.Params)
      Args.push_back(mir::Operand::constant(mir::Constant::integer(T.LastTy, 0)));
}
} // namespace

void ffi::completeRuntimeCalls(mir::Module &M) {
  for (mir::Function &F : M.Functions)
    for (mir::Block &B : F.Blocks) {
      for (mir::Inst &I : B.Insts)
        if (I.Op == mir::Opcode::Call)
          completeCall(M, I.callee(), I.mutableOps());
      if (B.Term.K == mir::TermKind::CallTerminator)
        completeCall(M, B.Term.Callee, B.Term.Args);
    }
}
