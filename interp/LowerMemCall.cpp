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
//   CallInd  [op][IndirectCallCache*][FS|N][ptr][fn][args...][dest]
//
//===----------------------------------------------------------------------===//

#include "interp/Callbacks.h"
#include "interp/Linkage.h"
#include "interp/Lowering.h"

#include "ffi/FFI.h"

#include <cmath>

using namespace llvm;
using spl::mir::TypeKind;

namespace spl::interp {

Error Lowerer::lowerConst(const mir::Inst &I, uint32_t D) {
  auto Raw = constRaw(I.C);
  if (!Raw)
    return Raw.takeError();
  emit(Opc::LoadImm, {D, *Raw});
  return Error::success();
}

Error Lowerer::lowerAlloc(const mir::Inst &I, uint32_t D) {
  emit(Opc::Alloc, {pack(D, AllocSlot.lookup(&I)), I.Ty.storeSize()});
  return Error::success();
}

const mir::Type *Lowerer::pointee(const Val &P,
                                  const mir::Type *Fallback) const {
  if (P.Ty && P.Ty->isPointer() && P.Ty->Elem)
    return &P.Ty->pointee();
  return Fallback;
}

Error Lowerer::lowerLoad(const mir::Inst &I, uint32_t D) {
  auto P = val(I.Ops[0]);
  if (!P)
    return P.takeError();
  const mir::Type *T = pointee(*P, destType(I));
  if (!T || !T->isScalar())
    return err("cannot load a value of type " +
               (T ? T->str() : std::string("unknown")));
  Opc O;
  switch (T->Kind) {
  case TypeKind::I8: O = Opc::LdS8; break;
  case TypeKind::U8: O = Opc::LdU8; break;
  case TypeKind::Bool: O = Opc::LdB1; break;
  case TypeKind::I16: O = Opc::LdS16; break;
  case TypeKind::U16: O = Opc::LdU16; break;
  case TypeKind::I32: O = Opc::LdS32; break;
  case TypeKind::U32:
  case TypeKind::Char:
  case TypeKind::F32: O = Opc::LdU32; break;
  default: O = Opc::Ld64; break;
  }
  emit(O, {pack(D, inSlot(*P))});
  return Error::success();
}

Error Lowerer::lowerStore(const mir::Inst &I) {
  if (I.Ops.size() < 2)
    return err("Store needs 2 operands, got " + Twine(I.Ops.size()));
  auto P = val(I.Ops[0]);
  if (!P)
    return P.takeError();
  auto V = val(I.Ops[1]);
  if (!V)
    return V.takeError();
  const mir::Type *T = pointee(*P, V->Ty);
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
  auto Base = val(I.Ops[0]);
  if (!Base)
    return Base.takeError();
  if (!Base->Ty->isPointer() || !Base->Ty->Elem)
    return err("GetElementPtr needs a pointer base, got " + Base->Ty->str());

  // p + i0*sizeof(T) + i1*sizeof(elem T) + ...: constant indices fold into
  // one offset, variable ones stay (index slot, scale).
  const mir::Type *T = &Base->Ty->pointee();
  uint64_t Offset = 0;
  std::vector<std::pair<uint32_t, uint64_t>> Vars;
  for (size_t K = 1; K < I.Ops.size(); ++K) {
    if (K > 1) {
      if (T->Kind != TypeKind::Array)
        return err("GetElementPtr index " + Twine(K - 1) + " steps into " +
                   T->str() + ", which is not an array");
      T = &T->pointee();
    }
    if (!T->hasLayout())
      return err("GetElementPtr over " + T->str() + ", which has no layout");
    uint64_t Scale = T->storeSize();
    auto X = val(I.Ops[K]);
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
  if (const FuncSlot *S = Ctx.Slots.findNamed(Name); S && S->Fn)
    return false; // loaded before
  return ffi::findBuiltin(Name) || Ctx.M.externDecl(Name) ||
         !ffi::sffiLibName(Name).empty();
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
  if (!C.Ty.Sig)
    return uint64_t(uintptr_t(Slot));
  auto Address = Ctx.Callbacks.address(Slot, *C.Ty.Sig);
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

void Lowerer::appendPacked(ArrayRef<uint32_t> Slots) {
  for (size_t K = 0; K < Slots.size(); K += 2)
    Code.push_back(pack(Slots[K], K + 1 < Slots.size() ? Slots[K + 1] : 0));
}

/// The signature a call passes its arguments by: Sig itself, or for a
/// variadic Sig, Sig with the types of the extra arguments appended.
static mir::Signature callSignature(const mir::Signature &Sig,
                                    ArrayRef<const mir::Type *> ArgTypes) {
  mir::Signature S = Sig;
  for (size_t K = Sig.Params.size(); K < ArgTypes.size(); ++K)
    S.Params.push_back(*ArgTypes[K]);
  return S;
}

Error Lowerer::lowerCall(const mir::Inst &I, uint32_t D) {
  if (!I.Callee.isConst()) {
    auto P = val(I.Callee);
    if (!P)
      return P.takeError();
    if (!P->Ty->isFuncPtr() || !P->Ty->Sig)
      return err("the callee of Call has type " + P->Ty->str() +
                 ", not a function pointer type");
    return lowerIndirect(I.Callee, I.Ops, *P->Ty->Sig, D);
  }
  const mir::Constant &C = I.Callee.C;
  if (C.K != mir::Constant::Kind::Str && C.K != mir::Constant::Kind::Int)
    return err("the callee of Call names no function");
  uint32_t N = uint32_t(I.Ops.size());

  if (C.K == mir::Constant::Kind::Str && isExternName(C.S)) {
    const mir::Signature *Sig = nullptr;
    if (const mir::ExternDecl *Decl = Ctx.M.externDecl(C.S))
      Sig = &Decl->Sig;
    else if (const ffi::Builtin *B = ffi::findBuiltin(C.S))
      Sig = &B->Sig;
    else if (C.Ty.isFuncPtr() && C.Ty.Sig)
      Sig = C.Ty.Sig.get();
    else
      return err("the call of `" + C.S + "` has no signature");
    if (N < Sig->Params.size() || (!Sig->Variadic && N != Sig->Params.size()))
      return err("the call of `" + C.S + "` passes " + Twine(N) +
                 " arguments, its signature " + Sig->str() + " takes " +
                 Twine(Sig->Params.size()));
    std::vector<const mir::Type *> ArgTypes;
    for (const mir::Operand &O : I.Ops) {
      if (!O.isConst() && F.localIndex(O.Local) < 0)
        return err("local _" + Twine(O.Local) + " does not exist");
      ArgTypes.push_back(O.isConst() ? &O.C.Ty : &localType(O.Local));
    }
    auto Plan = Ctx.Externs.plan(C.S, callSignature(*Sig, ArgTypes));
    if (!Plan)
      return Plan.takeError();
    std::vector<uint32_t> Args;
    if (Error E = emitArgs(I.Ops, Args))
      return E;
    emit(Opc::CallExt,
         {uint64_t(uintptr_t(*Plan)), pack(Out->FrameSize, N)});
    appendPacked(Args);
    Code.push_back(D);
    return Error::success();
  }

  if (PendingArg) {
    // [op][slot][FS|x][imm][dest]: the argument is x + imm.
    emit(CopyB ? Opc::Call1AddImmB : Opc::Call1AddImm,
         {uint64_t(uintptr_t(programSlot(C))),
          pack(Out->FrameSize, PendingArg->Slot), PendingArg->Imm, D});
    CopyB = !CopyB;
    PendingArg.reset();
    return Error::success();
  }
  std::vector<uint32_t> Args;
  if (Error E = emitArgs(I.Ops, Args))
    return E;
  emitCall(programSlot(C), Args, D);
  return Error::success();
}

void Lowerer::emitCall(FuncSlot *Slot, ArrayRef<uint32_t> Args, uint32_t D) {
  uint64_t S = uint64_t(uintptr_t(Slot));
  uint32_t FS = Out->FrameSize, N = uint32_t(Args.size());
  if (N == 0)
    emit(Opc::Call0, {S, FS});
  else if (N == 1) {
    emit(CopyB ? Opc::Call1B : Opc::Call1, {S, pack(FS, Args[0])});
    CopyB = !CopyB;
  } else {
    emit(N == 2 ? Opc::Call2 : Opc::CallN, {S, pack(FS, N)});
    appendPacked(Args);
  }
  Code.push_back(D);
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
  std::vector<const mir::Type *> ArgTypes;
  for (const mir::Operand &O : ArgOps) {
    if (!O.isConst() && F.localIndex(O.Local) < 0)
      return err("local _" + Twine(O.Local) + " does not exist");
    ArgTypes.push_back(O.isConst() ? &O.C.Ty : &localType(O.Local));
  }
  auto Cache = Ctx.Externs.indirect(callSignature(Sig, ArgTypes));
  if (!Cache)
    return Cache.takeError();
  uint32_t PS = inSlot(*P);
  std::vector<uint32_t> Args;
  if (Error E = emitArgs(ArgOps, Args))
    return E;
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
  StringRef Name = mir::intrinsicName(I.Intr);
  unsigned Arity = mir::intrinsicArity(I.Intr);
  if (I.Ops.size() != Arity)
    return err("intrinsic `" + Name + "` takes " + Twine(Arity) +
               " arguments, got " + Twine(I.Ops.size()));
  std::vector<Val> Args;
  for (const mir::Operand &O : I.Ops) {
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
