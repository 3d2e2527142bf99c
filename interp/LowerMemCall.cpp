//===- interp/LowerMemCall.cpp - Memory, calls, intrinsics ----------------===//
//
// Memory instructions address raw bytes (docs/SEMANTICS.md "Memory"); calls
// are linked here (SEMANTICS.md "Calls"): a program function through its
// FuncSlot, an extern through a call plan bound now, CallIndirect through a
// per-signature cache that also recognises MIR function pointers.
//
// Call layouts (words); args are slots, two per word; FS is the caller's
// frame size (the callee's frame starts after it and a header); every call
// ends with its dest slot, which the return finds before its address:
//   Call0    [op][FuncSlot*][FS][dest]
//   Call1    [op][FuncSlot*][FS|arg][dest]                 (and Call1B)
//   Call1AddImm [op][FuncSlot*][FS|x][imm][dest]: x + imm   (and ...B)
//   Call2    [op][FuncSlot*][FS|2][arg|arg][dest]
//   CallN    [op][FuncSlot*][FS|N][args...][dest]
//   CallExt  [op][CallPlan*][FS|N][args...][dest]
//   CallExtF [op][CallPlan*][FS|N][args in the plan's register order][dest]
//   CallInd  [op][IndirectCallCache*][FS|N][ptr][fn][args...][dest]
//
//===----------------------------------------------------------------------===//

#include "interp/Callbacks.h"
#include "interp/Linkage.h"
#include "interp/Lowering.h"

#include "ffi/FFI.h"
#include "mir/Semantics.h"

#include <cmath>

using namespace llvm;
using spl::mir::TypeKind;

namespace spl::interp {

Error Lowerer::lowerConst(const mir::Inst &I, uint32_t D) {
  auto Raw = constRaw(I.constant());
  if (!Raw)
    return Raw.takeError();
  emit(Opc::LoadImm, {D, *Raw});
  return Error::success();
}

Error Lowerer::lowerAlloc(const mir::Inst &I, uint32_t D) {
  emit(Opc::Alloc, {pack(D, AllocSlot.lookup(&I)), I.type().storeSize()});
  return Error::success();
}

const mir::Type *Lowerer::pointee(const Val &P,
                                  const mir::Type *Fallback) const {
  if (P.Ty && P.Ty->isPointer() && P.Ty->hasElem())
    return &P.Ty->pointee();
  return Fallback;
}

/// (v2) A word in memory (a GlobalAddr cell, a field): a handle, or an
/// Array value (size 0: the compiler's spelling of an array handle).
static bool isWordInMemory(const mir::Type &T) {
  return T.isHandle() || (T.Kind == TypeKind::Array && T.count() == 0);
}

Expected<unsigned> Lowerer::loadKind(const Val &P, const mir::Inst &Load) {
  const mir::Type *T = pointee(P, destType(Load));
  if (T && isWordInMemory(*T))
    return 7; // Ld64
  if (!T || !T->isScalar())
    return err("cannot load a value of type " +
               (T ? T->str() : std::string("unknown")));
  // The order of LdS8 .. Ld64 (and LdIdxS8 .. LdIdx64) in Opcodes.h.
  switch (T->Kind) {
  case TypeKind::I8: return 0;
  case TypeKind::U8: return 1;
  case TypeKind::Bool: return 2;
  case TypeKind::I16: return 3;
  case TypeKind::U16: return 4;
  case TypeKind::I32: return 5;
  case TypeKind::U32:
  case TypeKind::Char:
  case TypeKind::F32: return 6;
  default: return 7;
  }
}

Error Lowerer::lowerLoad(const mir::Inst &I, uint32_t D) {
  auto P = val(I.ops()[0]);
  if (!P)
    return P.takeError();
  Expected<unsigned> K = loadKind(*P, I);
  if (!K)
    return K.takeError();
  emit(opcAt(Opc::LdS8, *K), {pack(D, inSlot(*P))});
  return Error::success();
}

Error Lowerer::lowerStore(const mir::Inst &I) {
  if (I.ops().size() < 2)
    return err("Store needs 2 operands, got " + Twine(I.ops().size()));
  auto P = val(I.ops()[0]);
  if (!P)
    return P.takeError();
  auto V = val(I.ops()[1]);
  if (!V)
    return V.takeError();
  const mir::Type *T = pointee(*P, V->Ty);
  if (isWordInMemory(*T))
    T = &slotTypeOf(*T);
  if (!T->isScalar())
    return err("cannot store a value of type " + T->str());
  Opc O;
  switch (T->storeSize()) {
  case 1: O = Opc::St8; break;
  case 2: O = Opc::St16; break;
  case 4: O = Opc::St32; break;
  default: O = Opc::St64; break;
  }
  uint32_t PS = inSlot(*P), VS = inSlot(*V);
  emit(O, {pack(PS, VS)});
  return Error::success();
}

Error Lowerer::lowerGep(const mir::Inst &I, uint32_t D) {
  auto Base = val(I.ops()[0]);
  if (!Base)
    return Base.takeError();
  if (!Base->Ty->isPointer() || !Base->Ty->hasElem())
    return err("GetElementPtr needs a pointer base, got " + Base->Ty->str());

  // p + i0*sizeof(T) + i1*sizeof(elem T) + ...: constant indices fold into
  // one offset, variable ones stay (index slot, scale).
  const mir::Type *T = &Base->Ty->pointee();
  uint64_t Offset = 0;
  std::vector<std::pair<uint32_t, uint64_t>> Vars;
  for (size_t K = 1; K < I.ops().size(); ++K) {
    if (K > 1) {
      if (T->Kind != TypeKind::Array)
        return err("GetElementPtr index " + Twine(K - 1) + " steps into " +
                   T->str() + ", which is not an array");
      T = &T->pointee();
    }
    if (!T->hasLayout())
      return err("GetElementPtr over " + T->str() + ", which has no layout");
    uint64_t Scale = T->storeSize();
    auto X = val(I.ops()[K]);
    if (!X)
      return X.takeError();
    if (X->IsConst)
      Offset += X->Imm * Scale;
    else
      Vars.push_back({X->Slot, Scale});
  }
  uint32_t Cur = inSlot(*Base);
  // Three or more variable indices: fold all but the last two into a scratch.
  while (Vars.size() > 2) {
    uint32_t Tmp = ScratchBase + NumScratch - 1;
    emit(Opc::GepIdx, {pack(Tmp, Cur), Vars.front().first,
                       Vars.front().second, 0});
    Vars.erase(Vars.begin());
    Cur = Tmp;
  }
  if (Vars.empty())
    emit(opcAt(Opc::AddW64_ri, 0), {pack(D, Cur), Offset});
  else if (Vars.size() == 1)
    emit(Opc::GepIdx, {pack(D, Cur), Vars[0].first, Vars[0].second, Offset});
  else
    emit(Opc::Gep2, {pack(D, Cur), pack(Vars[0].first, Vars[1].first),
                     Vars[0].second, Vars[1].second, Offset});
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

bool Lowerer::isExternName(StringRef Name) const {
  if (Ctx.M.function(Name))
    return false;
  if (const FuncSlot *S = Ctx.Slots.findNamed(Name); S && S->current()->Fn)
    return false; // loaded before
  return ffi::isExternName(Name, Ctx.M);
}

const mir::Signature *Lowerer::knownSignature(const mir::Constant &C) const {
  const FuncSlot *S = nullptr;
  if (C.K == mir::Constant::Kind::Str) {
    if (const mir::Function *G = Ctx.M.function(C.S))
      return &G->Sig;
    S = Ctx.Slots.findNamed(C.S);
  } else if (C.K == mir::Constant::Kind::Int) {
    for (const mir::Function &G : Ctx.M.Functions)
      if (G.Symbol == int64_t(C.Bits))
        return &G.Sig;
    S = Ctx.Slots.findBySymbol(int64_t(C.Bits));
  }
  const Callee *Now = S ? S->current() : nullptr;
  return Now && Now->Fn ? &Now->Fn->Sig : nullptr;
}

Expected<uint64_t> Lowerer::runtimeAddress(StringRef Name) {
  auto B = Ctx.Externs.resolve(Name);
  if (!B)
    return err(toString(B.takeError()));
  return uint64_t(uintptr_t(B->Address));
}

FuncSlot *Lowerer::programSlot(const mir::Constant &C) {
  if (C.K == mir::Constant::Kind::Str)
    return Ctx.Slots.named(C.S);
  int64_t Symbol = int64_t(C.Bits);
  for (const mir::Function &G : Ctx.M.Functions)
    if (G.Symbol == Symbol)
      return Ctx.Slots.named(G.Name);
  return Ctx.Slots.bySymbol(Symbol);
}

Expected<uint64_t> Lowerer::functionAddress(const mir::Constant &C) {
  if (C.K == mir::Constant::Kind::Str && isExternName(C.S)) {
    auto B = Ctx.Externs.resolve(C.S);
    if (!B)
      return B.takeError();
    return uint64_t(uintptr_t(B->Address));
  }
  FuncSlot *Slot = programSlot(C);
  if (!C.Ty.hasSig())
    return uint64_t(uintptr_t(Slot));
  auto Address = Ctx.Callbacks.address(Slot, C.Ty.sig());
  if (!Address)
    return err(toString(Address.takeError()));
  return *Address;
}

Error Lowerer::emitArgs(ArrayRef<mir::Operand> Args,
                        std::vector<uint32_t> &Slots) {
  std::vector<Val> Vals;
  for (const mir::Operand &O : Args) {
    auto V = val(O);
    if (!V)
      return V.takeError();
    Vals.push_back(*V);
  }
  for (const Val &V : Vals)
    Slots.push_back(inSlot(V));
  return Error::success();
}

Error Lowerer::argVals(ArrayRef<mir::Operand> Args, std::vector<Val> &Vals,
                       std::vector<mir::Type> &Types) {
  for (const mir::Operand &O : Args) {
    auto V = val(O);
    if (!V)
      return V.takeError();
    Vals.push_back(*V);
    Types.push_back(operandType(O));
  }
  return Error::success();
}

std::vector<uint32_t> Lowerer::slotsOf(ArrayRef<Val> Vals) {
  std::vector<uint32_t> Slots;
  for (const Val &V : Vals)
    Slots.push_back(inSlot(V));
  return Slots;
}

void Lowerer::appendPacked(ArrayRef<uint32_t> Slots) {
  for (size_t K = 0; K < Slots.size(); K += 2)
    Code.push_back(pack(Slots[K], K + 1 < Slots.size() ? Slots[K + 1] : 0));
}

/// A canonical slot of kind From is canonical for kind To as it is: To is
/// the whole word, the same kind, or wider and From's extension agrees with
/// To's (Bool's 0/1, an unsigned value, a signed one into a signed kind).
static bool keepsCanonical(NormKind From, NormKind To) {
  auto Width = [](NormKind K) {
    switch (K) {
    case NormKind::W64:
      return 64;
    case NormKind::S32:
    case NormKind::U32:
      return 32;
    case NormKind::S16:
    case NormKind::U16:
      return 16;
    case NormKind::S8:
    case NormKind::U8:
      return 8;
    case NormKind::B1:
      return 1;
    }
    return 64;
  };
  auto Signed = [](NormKind K) {
    return K == NormKind::S32 || K == NormKind::S16 || K == NormKind::S8;
  };
  if (To == NormKind::W64 || From == To)
    return true;
  if (Width(From) >= Width(To))
    return false;
  return !Signed(From) || Signed(To);
}

Expected<Lowerer::Val> Lowerer::convertArg(const Val &V, const mir::Type &From,
                                           const mir::Type &ToType,
                                           const Twine &Callee,
                                           unsigned Index) {
  const mir::Type &To = slotTypeOf(ToType);
  const mir::Type &S = *V.Ty; // From as a slot type
  if (S.isVoid() || To.isVoid())
    return V;
  Val R = V;
  R.Ty = &To;
  if (isIntLike(S) && isIntLike(To)) {
    NormKind FK = normKindOf(S), TK = normKindOf(To);
    if (keepsCanonical(FK, TK))
      return R;
    if (V.IsConst) {
      R.Imm = normalize(V.Imm, TK);
      return R;
    }
    R.Slot = scratchSlot();
    emit(opcAt(Opc::NormW64, unsigned(TK)), {pack(R.Slot, V.Slot)});
    return R;
  }
  if (S.isFloat() && To.isFloat()) {
    if (S.Kind == To.Kind)
      return R;
    bool Widen = S.Kind == TypeKind::F32;
    if (V.IsConst) {
      R.Imm = Widen ? f64ToBits(double(bitsToF32(V.Imm)))
                    : f32ToBits(float(bitsToF64(V.Imm)));
      return R;
    }
    R.Slot = scratchSlot();
    emit(Widen ? Opc::F32ToF64 : Opc::F64ToF32, {pack(R.Slot, V.Slot)});
    return R;
  }
  if ((isIntLike(S) && To.isFloat()) || (S.isFloat() && isIntLike(To)))
    return err("argument " + Twine(Index) + " of " + Callee + " has type " +
               From.str() + ", the parameter is " + ToType.str());
  return R;
}

Error Lowerer::convertArgs(std::vector<Val> &Vals, ArrayRef<mir::Type> Types,
                           const mir::Signature &Sig, const Twine &Callee) {
  for (size_t K = 0; K < Vals.size() && K < Sig.Params.size(); ++K) {
    auto V = convertArg(Vals[K], Types[K], Sig.Params[K], Callee, unsigned(K));
    if (!V)
      return V.takeError();
    Vals[K] = *V;
  }
  return Error::success();
}

void Lowerer::emitToKind(uint32_t D, const mir::Type *DestTy) {
  if (!DestTy)
    return;
  NormKind K = normKindOf(*DestTy); // mir::wordToSlot
  if (K != NormKind::W64)
    emit(opcAt(Opc::NormW64, unsigned(K)), {pack(D, D)});
}

/// A whole 64-bit integer register in C: I64, U64, an address or a word
/// value (mir::slotRep's 64-bit non-float slots).
static bool isWord64(const mir::Type &T) {
  mir::SlotRep R = mir::slotRep(T);
  return R.Bits == 64 && R.Kind != mir::SlotKind::F64Bits;
}

Error Lowerer::lowerExternCall(StringRef Name, const mir::Signature *CallSite,
                               std::vector<Val> Vals, ArrayRef<mir::Type> Types,
                               uint32_t D, const mir::Type *DestTy,
                               bool ResultAsWord) {
  auto B = Ctx.Externs.resolve(Name);
  if (!B)
    return B.takeError();
  mir::Signature NoSig;
  auto Sig =
      ffi::externCallSignature(*B, Ctx.M, CallSite ? *CallSite : NoSig, Types);
  if (!Sig)
    return err(toString(Sig.takeError()));
  if (Error E = convertArgs(Vals, Types, *Sig, "`" + Name + "`"))
    return E;
  // The plan passes each slot as its parameter type; extra variadic
  // arguments as their own.
  mir::Signature PlanSig = *Sig;
  for (size_t K = PlanSig.Params.size(); K < Vals.size(); ++K)
    PlanSig.Params.push_back(*Vals[K].Ty);
  auto Plan = Ctx.Externs.plan(Name, PlanSig);
  if (!Plan)
    return Plan.takeError();
  std::vector<uint32_t> Args = slotsOf(Vals);
  if (B->Origin == ffi::ExternOrigin::Runtime && Args.size() <= 3 &&
      isWord64(PlanSig.Ret) && llvm::all_of(PlanSig.Params, isWord64)) {
    // spl-exec's own runtime on words only (the hottest calls of compiled
    // Simple code): a direct call from the dispatch loop, 3x cheaper than
    // the call plan (benchmarks/RuntimeCallBench.cpp). Not for host
    // functions: those may re-enter MIR and need DoExtCall's bookkeeping.
    emit(Opc(unsigned(Opc::CallW0) + Args.size()),
         {uint64_t(uintptr_t(B->Address))});
  } else if ((*Plan)->InvokeFrame) {
    // The stub reads the slots itself, in its register order.
    std::vector<uint32_t> InRegisterOrder;
    for (size_t K = 0; K < Args.size(); ++K)
      InRegisterOrder.push_back(Args[(*Plan)->ArgOf[K]]);
    Args = std::move(InRegisterOrder);
    emit(Opc::CallExtF, {uint64_t(uintptr_t(*Plan)),
                         pack(Out->FrameSize, uint32_t(Args.size()))});
  } else {
    emit(Opc::CallExt, {uint64_t(uintptr_t(*Plan)),
                        pack(Out->FrameSize, uint32_t(Args.size()))});
  }
  appendPacked(Args);
  Code.push_back(D);
  // The result arrives canonical for the callee's type; the dest may be
  // another integer type.
  const mir::Type &Ret = slotTypeOf(Sig->Ret);
  if (!DestTy || DestTy->isVoid())
    return Error::success();
  if (Ret.isVoid()) { // nothing comes back: the dest reads zero
    emit(Opc::LoadImm, {D, 0});
    return Error::success();
  }
  const mir::Type &DT = slotTypeOf(*DestTy);
  if ((ResultAsWord || (isIntLike(Ret) && isIntLike(DT))) &&
      !keepsCanonical(normKindOf(Ret), normKindOf(DT)))
    emitToKind(D, DestTy);
  return Error::success();
}

Error Lowerer::lowerCall(const mir::Inst &I, uint32_t D) {
  if (!I.callee().isConst()) {
    auto P = val(I.callee());
    if (!P)
      return P.takeError();
    const mir::Type &PT = localType(I.callee().Local);
    if (!PT.isFuncPtr() || !PT.hasSig())
      return err("the callee of Call has type " + PT.str() +
                 ", not a function pointer type");
    return lowerIndirect(I.callee(), I.ops(), PT.sig(), D);
  }
  const mir::Constant &C = I.callee().constant();
  if (C.K != mir::Constant::Kind::Str && C.K != mir::Constant::Kind::Int)
    return err("the callee of Call names no function");
  std::string Callee = C.K == mir::Constant::Kind::Str
                           ? "`" + C.S + "`"
                           : "function #" + std::to_string(int64_t(C.Bits));

  if (C.K == mir::Constant::Kind::Str && isExternName(C.S)) {
    std::vector<Val> Vals;
    std::vector<mir::Type> Types;
    if (Error E = argVals(I.ops(), Vals, Types))
      return E;
    noteExternCall(C);
    return lowerExternCall(
        C.S, C.Ty.isFuncPtr() && C.Ty.hasSig() ? &C.Ty.sig() : nullptr,
        std::move(Vals), Types, D, destType(I));
  }

  if (PendingArg) {
    // [op][slot][FS|x][imm][dest]: the argument is x + imm (isArgAddImm
    // checked that it needs no conversion).
    FuncSlot *Slot = programSlot(C);
    size_t At = emit(CopyB ? Opc::Call1AddImmB : Opc::Call1AddImm,
                     {uint64_t(uintptr_t(Slot)),
                      pack(Out->FrameSize, PendingArg->Slot), PendingArg->Imm,
                      D});
    noteCallSite(At + 1, Slot, C, knownSignature(C),
                 {localType(PendingArg->Temp)});
    CopyB = !CopyB;
    PendingArg.reset();
    return Error::success();
  }
  std::vector<Val> Vals;
  std::vector<mir::Type> Types;
  if (Error E = argVals(I.ops(), Vals, Types))
    return E;
  // The callee's own signature decides, when it is known (a callee that
  // arrives later gets the words as they are).
  const mir::Signature *Sig = knownSignature(C);
  if (Sig) {
    if (Vals.size() != Sig->Params.size() &&
        !(Sig->Variadic && Vals.size() > Sig->Params.size()))
      return err("call of " + Callee + " passes " + Twine(Vals.size()) +
                 (Vals.size() == 1 ? " argument" : " arguments") +
                 ", its signature " + Sig->str() + " takes " +
                 Twine(Sig->Params.size()) +
                 (C.Ty.isFuncPtr() && C.Ty.hasSig()
                      ? " (the call site says " + C.Ty.sig().str() + ")"
                      : std::string()));
    if (Error E = convertArgs(Vals, Types, *Sig, Callee))
      return E;
  }
  FuncSlot *Slot = programSlot(C);
  noteCallSite(emitCall(Slot, slotsOf(Vals), D), Slot, C, Sig, Types);
  return Error::success();
}

/// The key a constant callee's binding is recorded under.
static std::string bindingKey(const mir::Constant &C) {
  if (C.K == mir::Constant::Kind::Str)
    return C.S;
  return "#" + std::to_string(int64_t(C.Bits));
}

void Lowerer::noteCallSite(size_t Word, FuncSlot *Slot, const mir::Constant &C,
                           const mir::Signature *Known,
                           ArrayRef<mir::Type> ArgTypes) {
  const mir::Signature *Site = C.Ty.isFuncPtr() ? &C.Ty.sig() : nullptr;
  Out->Sites.push_back({uint32_t(Word), Slot,
                        Known ? *Known : mir::boundCallSignature(Site, ArgTypes)});
  std::string Key = bindingKey(C);
  if (any_of(Out->Bindings, [&](const CallBinding &B) { return B.Key == Key; }))
    return;
  CallBinding B;
  B.Key = std::move(Key);
  B.Target = Slot->Name;
  B.Known = Known != nullptr;
  if (Known)
    B.Sig = *Known;
  Out->Bindings.push_back(std::move(B));
}

void Lowerer::noteExternCall(const mir::Constant &C) {
  std::string Key = bindingKey(C);
  if (any_of(Out->Bindings, [&](const CallBinding &B) { return B.Key == Key; }))
    return;
  CallBinding B;
  B.Key = std::move(Key);
  B.Extern = true;
  B.Target = C.S;
  Out->Bindings.push_back(std::move(B));
}

size_t Lowerer::emitCall(FuncSlot *Slot, ArrayRef<uint32_t> Args, uint32_t D) {
  uint64_t S = uint64_t(uintptr_t(Slot));
  uint32_t FS = Out->FrameSize, N = uint32_t(Args.size());
  size_t At;
  if (N == 0)
    At = emit(Opc::Call0, {S, FS});
  else if (N == 1) {
    At = emit(CopyB ? Opc::Call1B : Opc::Call1, {S, pack(FS, Args[0])});
    CopyB = !CopyB;
  } else {
    At = emit(N == 2 ? Opc::Call2 : Opc::CallN, {S, pack(FS, N)});
    appendPacked(Args);
  }
  Code.push_back(D);
  return At + 1;
}

Error Lowerer::lowerIndirect(const mir::Operand &Ptr,
                             ArrayRef<mir::Operand> ArgOps,
                             const mir::Signature &Sig, uint32_t D) {
  auto P = val(Ptr);
  if (!P)
    return P.takeError();
  uint32_t N = uint32_t(ArgOps.size());
  if (N < Sig.Params.size() || (!Sig.Variadic && N != Sig.Params.size()))
    return err("CallIndirect passes " + Twine(N) + " arguments, its signature " +
               Sig.str() + " takes " + Twine(Sig.Params.size()));
  std::vector<Val> Vals;
  std::vector<mir::Type> Types;
  if (Error E = argVals(ArgOps, Vals, Types))
    return E;
  std::string Callee = Ptr.isConst()
                           ? "a function pointer"
                           : "function pointer _" + std::to_string(Ptr.Local);
  if (Error E = convertArgs(Vals, Types, Sig, Callee))
    return E;
  // The arguments travel as the signature's types, extra variadic ones as
  // their own.
  mir::Signature CallSig = Sig;
  for (size_t K = Sig.Params.size(); K < Vals.size(); ++K)
    CallSig.Params.push_back(*Vals[K].Ty);
  auto Cache = Ctx.Externs.indirect(CallSig);
  if (!Cache)
    return Cache.takeError();
  uint32_t PS = inSlot(*P);
  std::vector<uint32_t> Args = slotsOf(Vals);
  emit(Opc::CallInd,
       {uint64_t(uintptr_t(*Cache)), pack(Out->FrameSize, N), PS, fnWord()});
  appendPacked(Args);
  Code.push_back(D);
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Intrinsics: C math called through a function pointer in the instruction.
//===----------------------------------------------------------------------===//

using F64Fn1 = double (*)(double);
using F64Fn2 = double (*)(double, double);
using F32Fn1 = float (*)(float);
using F32Fn2 = float (*)(float, float);

static F64Fn1 f64Unary(mir::IntrinsicKind K) {
  using mir::IntrinsicKind;
  switch (K) {
  case IntrinsicKind::Sqrt: return [](double X) { return std::sqrt(X); };
  case IntrinsicKind::Sin: return [](double X) { return std::sin(X); };
  case IntrinsicKind::Cos: return [](double X) { return std::cos(X); };
  case IntrinsicKind::Tan: return [](double X) { return std::tan(X); };
  case IntrinsicKind::Exp: return [](double X) { return std::exp(X); };
  case IntrinsicKind::Log: return [](double X) { return std::log(X); };
  case IntrinsicKind::Log2: return [](double X) { return std::log2(X); };
  case IntrinsicKind::Log10: return [](double X) { return std::log10(X); };
  case IntrinsicKind::Fabs: return [](double X) { return std::fabs(X); };
  case IntrinsicKind::Floor: return [](double X) { return std::floor(X); };
  case IntrinsicKind::Ceil: return [](double X) { return std::ceil(X); };
  case IntrinsicKind::Trunc: return [](double X) { return std::trunc(X); };
  case IntrinsicKind::Round: return [](double X) { return std::round(X); };
  default: return nullptr;
  }
}

static F64Fn2 f64Binary(mir::IntrinsicKind K) {
  using mir::IntrinsicKind;
  switch (K) {
  case IntrinsicKind::Pow:
    return [](double X, double Y) { return std::pow(X, Y); };
  case IntrinsicKind::Fmin:
    return [](double X, double Y) { return std::fmin(X, Y); };
  case IntrinsicKind::Fmax:
    return [](double X, double Y) { return std::fmax(X, Y); };
  case IntrinsicKind::Copysign:
    return [](double X, double Y) { return std::copysign(X, Y); };
  default: return nullptr;
  }
}

static F32Fn1 f32Unary(mir::IntrinsicKind K) {
  using mir::IntrinsicKind;
  switch (K) {
  case IntrinsicKind::Sqrt: return [](float X) { return std::sqrt(X); };
  case IntrinsicKind::Sin: return [](float X) { return std::sin(X); };
  case IntrinsicKind::Cos: return [](float X) { return std::cos(X); };
  case IntrinsicKind::Tan: return [](float X) { return std::tan(X); };
  case IntrinsicKind::Exp: return [](float X) { return std::exp(X); };
  case IntrinsicKind::Log: return [](float X) { return std::log(X); };
  case IntrinsicKind::Log2: return [](float X) { return std::log2(X); };
  case IntrinsicKind::Log10: return [](float X) { return std::log10(X); };
  case IntrinsicKind::Fabs: return [](float X) { return std::fabs(X); };
  case IntrinsicKind::Floor: return [](float X) { return std::floor(X); };
  case IntrinsicKind::Ceil: return [](float X) { return std::ceil(X); };
  case IntrinsicKind::Trunc: return [](float X) { return std::trunc(X); };
  case IntrinsicKind::Round: return [](float X) { return std::round(X); };
  default: return nullptr;
  }
}

static F32Fn2 f32Binary(mir::IntrinsicKind K) {
  using mir::IntrinsicKind;
  switch (K) {
  case IntrinsicKind::Pow:
    return [](float X, float Y) { return std::pow(X, Y); };
  case IntrinsicKind::Fmin:
    return [](float X, float Y) { return std::fmin(X, Y); };
  case IntrinsicKind::Fmax:
    return [](float X, float Y) { return std::fmax(X, Y); };
  case IntrinsicKind::Copysign:
    return [](float X, float Y) { return std::copysign(X, Y); };
  default: return nullptr;
  }
}

Error Lowerer::lowerIntrinsic(const mir::Inst &I, uint32_t D) {
  using mir::IntrinsicKind;
  if (mir::isFloatMath(I.Intr))
    return lowerFloatIntrinsic(I, D);
  switch (I.Intr) {
  case IntrinsicKind::SsaPhi:
    return lowerPhi(I, D);
  case IntrinsicKind::BoundsCheck:
    return lowerBoundsCheck(I, D);
  case IntrinsicKind::Extern:
    return lowerExternIntrinsic(I, D);
  default:
    return lowerBitIntrinsic(I, D);
  }
}

Error Lowerer::lowerFloatIntrinsic(const mir::Inst &I, uint32_t D) {
  StringRef Name = mir::intrinsicName(I.Intr);
  int Arity = mir::intrinsicArity(I.Intr);
  if (I.ops().size() != size_t(Arity))
    return err("intrinsic `" + Name + "` takes " + Twine(Arity) +
               " arguments, got " + Twine(I.ops().size()));
  std::vector<Val> Args;
  for (const mir::Operand &O : I.ops()) {
    auto V = val(O);
    if (!V)
      return V.takeError();
    if (!V->Ty->isFloat())
      return err("intrinsic `" + Name + "` needs F32 or F64 arguments, got " +
                 V->Ty->str());
    Args.push_back(*V);
  }
  bool F32 = Args[0].Ty->Kind == TypeKind::F32;
  uint32_t A = inSlot(Args[0]);
  if (Arity == 1) {
    if (!F32 && I.Intr == mir::IntrinsicKind::Sqrt)
      emit(Opc::SqrtF64, {pack(D, A)});
    else if (F32)
      emit(Opc::Intr1F32, {pack(D, A), uint64_t(uintptr_t(f32Unary(I.Intr)))});
    else
      emit(Opc::Intr1F64, {pack(D, A), uint64_t(uintptr_t(f64Unary(I.Intr)))});
    return Error::success();
  }
  uint32_t B = inSlot(Args[1]);
  if (F32)
    emit(Opc::Intr2F32,
         {pack(D, A), B, uint64_t(uintptr_t(f32Binary(I.Intr)))});
  else
    emit(Opc::Intr2F64,
         {pack(D, A), B, uint64_t(uintptr_t(f64Binary(I.Intr)))});
  return Error::success();
}

} // namespace spl::interp
