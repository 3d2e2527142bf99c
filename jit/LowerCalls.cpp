//===- jit/LowerCalls.cpp - Calls of MIR functions, externs, pointers -----===//
//
// docs/SEMANTICS.md "Calls". Three shapes:
//   * a MIR function: the internal ABI, passing budget - 1; a direct call of
//     the unchecked body, after the depth check, when the callee is in this
//     batch (so it can be inlined), else through the callee's stub (the
//     session repoints it on arrival and redefinition); a call bound to a
//     signature the callee no longer has is the stale-signature trap;
//   * an extern (builtin, SFFI, declared): a plain C call of its symbol, which
//     ORC binds to the builtin's address or the library's symbol;
//   * a function pointer (CallIndirect, or Call through a local): a C call.
//     Pointers to MIR functions point to C-ABI adapters, which take the depth
//     from a thread-local the caller sets just before the call.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;
using mir::TypeKind;

/// C's default argument promotions for variadic arguments.
static Value *promoteVararg(IRBuilderBase &B, Value *V, const mir::Type &T) {
  if (T.Kind == TypeKind::F32)
    return B.CreateFPExt(V, B.getDoubleTy());
  if (T.Kind == TypeKind::Bool)
    return B.CreateZExt(V, B.getInt32Ty());
  if (T.isInteger() && T.bitWidth() < 32)
    return B.CreateIntCast(V, B.getInt32Ty(), T.isSignedInt());
  return V;
}

static bool hasScalarParams(const mir::Signature &S) {
  for (const mir::Type &P : S.Params)
    if (P.isVoid() || !hasValueForm(P))
      return false;
  return hasValueForm(S.Ret);
}

/// The callee's name for messages.
static std::string calleeName(const mir::Inst &I) {
  if (I.Op == mir::Opcode::CallIndirect || !I.callee().isConst())
    return "a function pointer";
  const mir::Constant &K = I.callee().constant();
  if (K.K == mir::Constant::Kind::Int)
    return "`#" + std::to_string(int64_t(K.Bits)) + "`";
  return "`" + K.S + "`";
}

Expected<Value *> FunctionLowerer::readArg(const mir::Operand &O,
                                           const mir::Type &To, size_t K,
                                           StringRef Callee) {
  Expected<Value *> V = read(O);
  if (!V)
    return V.takeError();
  const mir::Type &From = typeOf(O);
  if (!*V) // a Unit argument where a value is expected: zero
    return Constant::getNullValue(regType(C, To));
  if (Value *R = convertArgument(B, *V, From, To))
    return R;
  // The verifier's and the interpreter's wording: one text everywhere.
  return error("argument " + Twine(K) + " of " + Callee + " has type " +
               From.str() + ", the parameter is " + To.str());
}

Expected<SmallVector<Value *, 8>>
FunctionLowerer::readArgs(const mir::Inst &I, size_t First,
                          const mir::Signature &Sig, bool CABI) {
  SmallVector<Value *, 8> Args;
  size_t N = I.ops().size() - First;
  if (N < Sig.Params.size() || (!Sig.Variadic && N > Sig.Params.size()))
    return error("call of " + calleeName(I) + " passes " + Twine(N) +
                 " arguments, its signature " + Sig.str() + " takes " +
                 Twine(Sig.Params.size()));
  for (size_t K = 0; K < N; ++K) {
    const mir::Operand &O = I.ops()[First + K];
    if (K < Sig.Params.size()) {
      Expected<Value *> V = readArg(O, Sig.Params[K], K, calleeName(I));
      if (!V)
        return V.takeError();
      Args.push_back(CABI ? toC(B, *V, Sig.Params[K]) : *V);
      continue;
    }
    const mir::Type &T = typeOf(O);
    Expected<Value *> V = read(O);
    if (!V)
      return V.takeError();
    if (!*V)
      return error("variadic argument " + Twine(K) + " has type " + T.str());
    Args.push_back(promoteVararg(B, *V, T));
  }
  return Args;
}

Error FunctionLowerer::writeResult(const mir::Inst &I, Value *R,
                                   const mir::Type &T) {
  if (!I.hasDest() || T.isVoid())
    return Error::success();
  return write(I.dest(), R, T);
}

/// A C call of Callee (a constant function or a pointer value) with the
/// MIR signature Sig; null for a Unit result.
static Value *emitCCall(IRBuilderBase &B, Value *Callee,
                        const mir::Signature &Sig, ArrayRef<Value *> Args) {
  LLVMContext &C = B.getContext();
  SmallVector<Type *, 4> Extra;
  for (size_t K = Sig.Params.size(); K < Args.size(); ++K)
    Extra.push_back(Args[K]->getType());
  FunctionType *FT = cFnType(C, Sig, Extra);
  CallInst *Call = B.CreateCall(FT, Callee, Args);
  Call->setAttributes(cAttrs(C, Sig, Args.size()));
  if (Sig.Ret.isVoid())
    return nullptr;
  return fromC(B, Call, Sig.Ret);
}

Error FunctionLowerer::lowerCall(const mir::Inst &I) {
  if (!I.callee().isConst()) {
    // A call through a local holding a function pointer: as CallIndirect.
    const mir::Type &PT = typeOf(I.callee());
    if (!PT.isFuncPtr())
      return error("the callee has type " + PT.str() +
                   ", not a function pointer type");
    mir::Inst Indirect = I;
    Indirect.Op = mir::Opcode::CallIndirect;
    Indirect.setSig(PT.sig());
    Indirect.mutableOps().insert(Indirect.mutableOps().begin(), I.callee());
    return lowerCallIndirect(Indirect);
  }

  SmallVector<mir::Type, 8> ArgTypes;
  for (const mir::Operand &O : I.ops())
    ArgTypes.push_back(typeOf(O));
  Expected<CallTarget> T =
      ML.L.callTarget(Scope, F, I.callee().constant(), ArgTypes);
  if (!T)
    return T.takeError();
  if (T->K == CallTarget::Kind::Stale) {
    // Bound to a signature the callee no longer has (docs/SEMANTICS.md
    // "Redefinition"): the call traps naming this function, after the
    // depth check a call makes first (as in the interpreter).
    // (Budget 0 or less: the callee would run past MaxCallDepth.)
    trapIf(B.CreateICmpSLT(Budget, B.getInt64(1)), mir::TrapKind::StackOverflow,
           std::to_string(ML.Opts.MaxCallDepth), T->Name);
    trapIf(B.getTrue(), mir::TrapKind::StaleSignature, T->Detail);
    return Error::success();
  }
  if (!hasScalarParams(T->Sig))
    return error("call of `" + T->Name + "` with signature " + T->Sig.str() +
                 ", which the llvm backend does not support yet");

  if (T->K == CallTarget::Kind::Extern) {
    Expected<SmallVector<Value *, 8>> Args = readArgs(I, 0, T->Sig, true);
    if (!Args)
      return Args.takeError();
    Function *Callee = ML.declare(T->Symbol, cFnType(C, T->Sig));
    return writeResult(I, emitCCall(B, Callee, T->Sig, *Args), T->Sig.Ret);
  }

  Expected<SmallVector<Value *, 8>> Args = readArgs(I, 0, T->Sig, false);
  if (!Args)
    return Args.takeError();
  Args->insert(Args->begin(), calleeBudget());
  FunctionType *FT = internalFnType(C, T->Sig);
  std::string Symbol = T->Symbol;
  if (T->K == CallTarget::Kind::Direct) {
    // The unchecked body: the check is made here (LowerControl.cpp). A
    // stub call checks in the callee's checked entry, after a missing
    // callee has trapped UndefinedFunction, as in the interpreter.
    if (ML.Opts.callerChecksDepth()) {
      checkCallDepth(T->Name);
      Symbol = uncheckedSymbol(T->Name, ML.Opts.Batch);
    }
    DirectCallees.insert(T->Name);
  }
  Function *Callee = ML.declare(Symbol, FT);
  markDepthArg(*Callee);
  CallInst *R = B.CreateCall(FT, Callee, *Args);
  markDepthArg(*R);
  MirCalls.insert(R);
  return writeResult(I, R, T->Sig.Ret);
}

Error FunctionLowerer::lowerCallIndirect(const mir::Inst &I) {
  if (!hasScalarParams(I.sig()))
    return error("indirect call with signature " + I.sig().str() +
                 ", which the llvm backend does not support yet");
  Expected<Value *> P = read(I.ops()[0]);
  if (!P)
    return P.takeError();
  Value *Ptr = *P;
  if (!Ptr->getType()->isPointerTy())
    Ptr = B.CreateIntToPtr(Ptr, PointerType::getUnqual(C));
  trapIf(B.CreateIsNull(Ptr), mir::TrapKind::BadFunctionPointer);
  Expected<SmallVector<Value *, 8>> Args = readArgs(I, 1, I.sig(), true);
  if (!Args)
    return Args.takeError();
  // An adapter of a MIR function continues the caller's depth, and knows
  // from the target that no C frame lies between (LowerModule.cpp).
  // (guard) It also checks that Ptr is code, and gives the adapter the
  // parameter count to check against its own (BadFunctionPointer, named by
  // this function, as in the interpreter).
  B.CreateCall(ML.setIndirectFn(),
               {depthOfBudget(), Ptr,
                B.getInt32(uint32_t(I.sig().Params.size())), FnName});
  return writeResult(I, emitCCall(B, Ptr, I.sig(), *Args), I.sig().Ret);
}

Expected<CallTarget>
FunctionLowerer::runtimeTarget(StringRef Name, const mir::Signature &Site) {
  return ML.L.externTarget(Scope, Name, Site, Site.Params);
}

Expected<Value *>
FunctionLowerer::callExtern(const CallTarget &T,
                            ArrayRef<std::pair<Value *, mir::Type>> Args) {
  const mir::Signature &Sig = T.Sig;
  if (!hasScalarParams(Sig))
    return error("call of `" + T.Name + "` with signature " + Sig.str() +
                 ", which the llvm backend does not support yet");
  if (Args.size() < Sig.Params.size() ||
      (!Sig.Variadic && Args.size() > Sig.Params.size()))
    return error("call of `" + T.Name + "` passes " + Twine(Args.size()) +
                 " arguments, its signature " + Sig.str() + " takes " +
                 Twine(Sig.Params.size()));
  SmallVector<Value *, 8> CArgs;
  for (size_t K = 0; K < Args.size(); ++K) {
    auto [V, Ty] = Args[K];
    if (K >= Sig.Params.size()) {
      CArgs.push_back(promoteVararg(B, V, Ty));
      continue;
    }
    Value *A = convertArgument(B, V, Ty, Sig.Params[K]);
    if (!A)
      return error("argument " + Twine(K) + " of `" + T.Name + "` has type " +
                   Ty.str() + ", the parameter is " + Sig.Params[K].str());
    CArgs.push_back(toC(B, A, Sig.Params[K]));
  }
  Function *Callee = ML.declare(T.Symbol, cFnType(C, Sig));
  return emitCCall(B, Callee, Sig, CArgs);
}
