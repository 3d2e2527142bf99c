//===- interp/LowerArith.cpp - Arithmetic, comparisons, casts -------------===//
//
// Picks the typed opcode for each operation (docs/SEMANTICS.md "Arithmetic"
// and "Casts"): the operand type decides signedness and the checks, the
// destination type the wrapping of Add/Sub/Mul/Neg.
//
//===----------------------------------------------------------------------===//

#include "interp/Lowering.h"

using namespace llvm;
using spl::mir::BinOpKind;
using spl::mir::TypeKind;

namespace spl::interp {

static SignedKind signedKindOf(NormKind K) {
  switch (K) {
  case NormKind::S32: return SignedKind::S32;
  case NormKind::S16: return SignedKind::S16;
  case NormKind::S8: return SignedKind::S8;
  default: return SignedKind::S64;
  }
}

static UnsignedKind unsignedKindOf(NormKind K) {
  switch (K) {
  case NormKind::U32: return UnsignedKind::U32;
  case NormKind::U16: return UnsignedKind::U16;
  case NormKind::U8: return UnsignedKind::U8;
  default: return UnsignedKind::U64;
  }
}

static CheckKind checkKindOf(const mir::Type &T) {
  switch (T.Kind) {
  case TypeKind::I32: return CheckKind::S32;
  case TypeKind::U32:
  case TypeKind::Char: return CheckKind::U32;
  case TypeKind::I16: return CheckKind::S16;
  case TypeKind::U16: return CheckKind::U16;
  case TypeKind::I8: return CheckKind::S8;
  case TypeKind::U8: return CheckKind::U8;
  case TypeKind::I64: return CheckKind::S64;
  default: return CheckKind::U64;
  }
}

static CondCode condCode(BinOpKind K, bool Signed) {
  switch (K) {
  case BinOpKind::Eq: return CondCode::Eq;
  case BinOpKind::Ne: return CondCode::Ne;
  case BinOpKind::Lt: return Signed ? CondCode::LtS : CondCode::LtU;
  case BinOpKind::Le: return Signed ? CondCode::LeS : CondCode::LeU;
  case BinOpKind::Gt: return Signed ? CondCode::GtS : CondCode::GtU;
  default: return Signed ? CondCode::GeS : CondCode::GeU;
  }
}

/// The condition with its operands exchanged (a < b == b > a).
static CondCode swapped(CondCode C) {
  switch (C) {
  case CondCode::LtS: return CondCode::GtS;
  case CondCode::LeS: return CondCode::GeS;
  case CondCode::GtS: return CondCode::LtS;
  case CondCode::GeS: return CondCode::LeS;
  case CondCode::LtU: return CondCode::GtU;
  case CondCode::LeU: return CondCode::GeU;
  case CondCode::GtU: return CondCode::LtU;
  case CondCode::GeU: return CondCode::LeU;
  default: return C;
  }
}

/// The negated condition (integers have no unordered values).
static CondCode inverted(CondCode C) {
  switch (C) {
  case CondCode::Eq: return CondCode::Ne;
  case CondCode::Ne: return CondCode::Eq;
  case CondCode::LtS: return CondCode::GeS;
  case CondCode::LeS: return CondCode::GtS;
  case CondCode::GtS: return CondCode::LeS;
  case CondCode::GeS: return CondCode::LtS;
  case CondCode::LtU: return CondCode::GeU;
  case CondCode::LeU: return CondCode::GtU;
  case CondCode::GtU: return CondCode::LeU;
  case CondCode::GeU: return CondCode::LtU;
  }
  return C;
}

void Lowerer::emitIntBin(Opc Rr, Opc Ri, uint32_t D, Val L, Val R,
                         bool Commutes, bool Traps) {
  if (R.IsConst)
    emit(Ri, {pack(D, inSlot(L)), R.Imm});
  else if (L.IsConst && Commutes)
    emit(Ri, {pack(D, R.Slot), L.Imm});
  else
    emit(Rr, {pack(D, inSlot(L)), R.Slot});
  if (Traps)
    Code.push_back(fnWord());
}

void Lowerer::emitNorm(uint32_t D, NormKind From, const mir::Type *DestTy) {
  if (!DestTy || !isIntLike(*DestTy))
    return;
  NormKind To = normKindOf(*DestTy);
  if (To != From && To != NormKind::W64)
    emit(opcAt(Opc::NormW64, unsigned(To)), {pack(D, D)});
}

void Lowerer::noteEntryGuard(CondCode C, uint64_t Imm, const Val &Ret) {
  if (Out->NumParams != 1 || (!Ret.IsConst && Ret.Slot != 0))
    return;
  const uint64_t Max = ~uint64_t(0);
  EntryGuard G;
  G.Invert = false;
  // Signed orders become unsigned ones with the sign bit flipped.
  bool Signed = C == CondCode::LtS || C == CondCode::LeS ||
                C == CondCode::GtS || C == CondCode::GeS;
  if (Signed) {
    G.Flip = uint64_t(1) << 63;
    Imm ^= G.Flip;
  }
  switch (C) {
  case CondCode::Eq:
  case CondCode::Ne:
    G.Lo = Imm;
    G.Span = 0;
    G.Invert = C == CondCode::Ne;
    break;
  case CondCode::LtS:
  case CondCode::LtU:
    if (Imm == 0)
      return; // never holds
    G.Lo = 0;
    G.Span = Imm - 1;
    break;
  case CondCode::LeS:
  case CondCode::LeU:
    G.Lo = 0;
    G.Span = Imm;
    break;
  case CondCode::GtS:
  case CondCode::GtU:
    if (Imm == Max)
      return; // never holds
    G.Lo = Imm + 1;
    G.Span = Max - G.Lo;
    break;
  case CondCode::GeS:
  case CondCode::GeU:
    G.Lo = Imm;
    G.Span = Max - Imm;
    break;
  }
  G.ArgMask = Ret.IsConst ? 0 : Max;
  G.Value = Ret.IsConst ? Ret.Imm : 0;
  Out->Guard = G;
  Out->GuardWords = 5; // the RetIf emitted next
}

Error Lowerer::lowerIntCmp(BinOpKind K, bool Signed, uint32_t D, Val L, Val R,
                           std::optional<BranchTo> Branch) {
  CondCode C = condCode(K, Signed);
  if (L.IsConst && !R.IsConst) {
    std::swap(L, R);
    C = swapped(C);
  }
  if (Branch && Branch->Invert)
    C = inverted(C);
  unsigned Index = unsigned(C);
  uint32_t A = inSlot(L);
  if (Branch && Branch->Return) {
    // [op][a|b][imm][ret|ret is constant][ret constant]
    auto RV = returnValue(*Branch->Return);
    if (!RV)
      return RV.takeError();
    if (Code.empty() && !L.IsConst && A == 0 && R.IsConst)
      noteEntryGuard(C, R.Imm, *RV);
    emit(opcAt(R.IsConst ? Opc::RetIfEq_ri : Opc::RetIfEq_rr, Index),
         {pack(A, R.IsConst ? 0 : R.Slot), R.IsConst ? R.Imm : 0,
          pack(RV->IsConst ? 0 : RV->Slot, RV->IsConst), RV->Imm});
    return Error::success();
  }
  if (Branch) {
    if (R.IsConst)
      emitJump(opcAt(Opc::BrEq_ri, Index), {A, R.Imm}, Branch->Target);
    else
      emitJump(opcAt(Opc::BrEq_rr, Index), {pack(A, R.Slot)}, Branch->Target);
  } else if (R.IsConst) {
    emit(opcAt(Opc::CmpEq_ri, Index), {pack(D, A), R.Imm});
  } else {
    emit(opcAt(Opc::CmpEq_rr, Index), {pack(D, A), R.Slot});
  }
  return Error::success();
}

Error Lowerer::lowerFloatBin(BinOpKind K, bool F32, uint32_t D, Val L, Val R) {
  Opc O;
  switch (K) {
  case BinOpKind::Add: O = F32 ? Opc::FAddF32 : Opc::FAddF64; break;
  case BinOpKind::Sub: O = F32 ? Opc::FSubF32 : Opc::FSubF64; break;
  case BinOpKind::Mul: O = F32 ? Opc::FMulF32 : Opc::FMulF64; break;
  case BinOpKind::Div: O = F32 ? Opc::FDivF32 : Opc::FDivF64; break;
  case BinOpKind::Rem: O = F32 ? Opc::FRemF32 : Opc::FRemF64; break;
  case BinOpKind::Pow: O = F32 ? Opc::FPowF32 : Opc::FPowF64; break;
  case BinOpKind::Eq:
  case BinOpKind::Ne:
  case BinOpKind::Lt:
  case BinOpKind::Le:
  case BinOpKind::Gt:
  case BinOpKind::Ge:
    O = opcAt(F32 ? Opc::F32CmpEq : Opc::F64CmpEq,
              unsigned(K) - unsigned(BinOpKind::Eq));
    break;
  default:
    return err(mir::binOpName(K) + " is not defined on " +
               (F32 ? "F32" : "F64"));
  }
  // One constant operand of an F64 add/sub/mul/div is an immediate (no
  // scratch load): nbody's `0.01 * v`, `0.01 / d`.
  static const Opc ImmForms[] = {Opc::FAddF64_ri, Opc::FSubF64_ri,
                                 Opc::FMulF64_ri, Opc::FDivF64_ri};
  if (!F32 && (L.IsConst != R.IsConst) && K >= BinOpKind::Add &&
      K <= BinOpKind::Div) {
    Opc Ri = ImmForms[unsigned(K) - unsigned(BinOpKind::Add)];
    if (R.IsConst)
      emit(Ri, {pack(D, L.Slot), R.Imm});
    else
      emit(Opc(unsigned(Ri) + 1), {pack(D, R.Slot), L.Imm}); // the _ir form
    return Error::success();
  }
  uint32_t A = inSlot(L), B = inSlot(R);
  emit(O, {pack(D, A), B});
  return Error::success();
}

Error Lowerer::lowerBinOp(const mir::Inst &I, uint32_t D) {
  auto L = val(I.ops()[0]);
  if (!L)
    return L.takeError();
  auto R = val(I.ops()[1]);
  if (!R)
    return R.takeError();
  // The left operand's type is the operation's (as in the JIT): a shift
  // amount or Pow exponent on the right may have another integer type.
  const mir::Type &OT = *L->Ty;
  const mir::Type *DT = destType(I);
  BinOpKind K = I.Bin;

  if (K == BinOpKind::Offset) {
    if (!L->Ty->isPointer() || !L->Ty->hasElem() || !L->Ty->pointee().hasLayout())
      return err("Offset needs a pointer to a type with a layout, got " +
                 L->Ty->str());
    uint64_t Scale = L->Ty->pointee().storeSize();
    uint32_t Base = inSlot(*L);
    if (R->IsConst)
      emit(opcAt(Opc::AddW64_ri, 0), {pack(D, Base), R->Imm * Scale});
    else
      emit(Opc::GepIdx, {pack(D, Base), R->Slot, Scale, 0});
    return Error::success();
  }
  if (OT.isFloat())
    return lowerFloatBin(K, OT.Kind == TypeKind::F32, D, *L, *R);
  if (!isIntLike(OT))
    return err(mir::binOpName(K) + " is not defined on " + OT.str());
  bool Signed = OT.isSignedInt();
  if (mir::isComparison(K))
    return lowerIntCmp(K, Signed, D, *L, *R, std::nullopt);

  NormKind OK = normKindOf(OT);
  NormKind DK = DT && isIntLike(*DT) ? normKindOf(*DT) : OK;
  auto NotOnBool = [&]() -> Error {
    if (OT.Kind == TypeKind::Bool)
      return err(mir::binOpName(K) + " is not defined on Bool");
    return Error::success();
  };
  switch (K) {
  case BinOpKind::Add:
    emitIntBin(opcAt(Opc::AddW64_rr, unsigned(DK)),
               opcAt(Opc::AddW64_ri, unsigned(DK)), D, *L, *R, true);
    return Error::success();
  case BinOpKind::Sub:
    emitIntBin(opcAt(Opc::SubW64_rr, unsigned(DK)),
               opcAt(Opc::SubW64_ri, unsigned(DK)), D, *L, *R, false);
    return Error::success();
  case BinOpKind::Mul:
    emitIntBin(opcAt(Opc::MulW64_rr, unsigned(DK)),
               opcAt(Opc::MulW64_ri, unsigned(DK)), D, *L, *R, true);
    return Error::success();
  case BinOpKind::BitAnd:
    emitIntBin(Opc::And_rr, Opc::And_ri, D, *L, *R, true);
    break;
  case BinOpKind::BitOr:
    emitIntBin(Opc::Or_rr, Opc::Or_ri, D, *L, *R, true);
    break;
  case BinOpKind::BitXor:
    emitIntBin(Opc::Xor_rr, Opc::Xor_ri, D, *L, *R, true);
    break;
  case BinOpKind::Div:
  case BinOpKind::Rem: {
    if (Error E = NotOnBool())
      return E;
    bool Div = K == BinOpKind::Div;
    // By a constant that cannot trap: multiply instead of dividing.
    if (R->IsConst && (Signed ? int64_t(R->Imm) >= 2 : R->Imm >= 1)) {
      DivMagic Mg = divMagic(R->Imm);
      Opc O = Signed ? (Div ? Opc::DivSMagic : Opc::RemSMagic)
                     : (Div ? Opc::DivUMagic : Opc::RemUMagic);
      emit(O, {pack(D, inSlot(*L)), R->Imm, Mg.M, pack(Mg.Sh1, Mg.Sh2)});
      break;
    }
    if (Signed) {
      unsigned SK = unsigned(signedKindOf(OK));
      emitIntBin(opcAt(Div ? Opc::DivS64_rr : Opc::RemS64_rr, SK),
                 opcAt(Div ? Opc::DivS64_ri : Opc::RemS64_ri, SK), D, *L, *R,
                 false, true);
    } else {
      emitIntBin(Div ? Opc::DivU_rr : Opc::RemU_rr,
                 Div ? Opc::DivU_ri : Opc::RemU_ri, D, *L, *R, false, true);
    }
    break;
  }
  case BinOpKind::Shl:
    if (Error E = NotOnBool())
      return E;
    emitIntBin(opcAt(Opc::ShlW64_rr, unsigned(OK)),
               opcAt(Opc::ShlW64_ri, unsigned(OK)), D, *L, *R, false, true);
    break;
  case BinOpKind::Shr:
    if (Error E = NotOnBool())
      return E;
    if (Signed) {
      unsigned SK = unsigned(signedKindOf(OK));
      emitIntBin(opcAt(Opc::ShrS64_rr, SK), opcAt(Opc::ShrS64_ri, SK), D, *L,
                 *R, false, true);
    } else {
      unsigned UK = unsigned(unsignedKindOf(OK));
      emitIntBin(opcAt(Opc::ShrU64_rr, UK), opcAt(Opc::ShrU64_ri, UK), D, *L,
                 *R, false, true);
    }
    break;
  case BinOpKind::Pow: {
    if (Error E = NotOnBool())
      return E;
    uint32_t A = inSlot(*L), B = inSlot(*R);
    uint32_t Info = uint32_t(OK) | (R->Ty->isSignedInt() ? 256 : 0);
    emit(Opc::PowI, {pack(D, A), pack(B, Info), fnWord()});
    break;
  }
  default:
    return err(mir::binOpName(K) + " is not defined on " + OT.str());
  }
  emitNorm(D, OK, DT);
  return Error::success();
}

Error Lowerer::lowerChecked(const mir::Inst &I, uint32_t D) {
  BinOpKind K = I.Bin;
  if (K != BinOpKind::Add && K != BinOpKind::Sub && K != BinOpKind::Mul)
    return lowerBinOp(I, D); // the other operations trap on their own
  auto L = val(I.ops()[0]);
  if (!L)
    return L.takeError();
  auto R = val(I.ops()[1]);
  if (!R)
    return R.takeError();
  const mir::Type &OT = *L->Ty; // as in lowerBinOp
  if (OT.isFloat())
    return lowerFloatBin(K, OT.Kind == TypeKind::F32, D, *L, *R);
  if (!OT.isInteger())
    return err("checked " + mir::binOpName(K) + " is not defined on " +
               OT.str());
  unsigned CK = unsigned(checkKindOf(OT));
  Opc Rr = K == BinOpKind::Add   ? Opc::CAddS64_rr
           : K == BinOpKind::Sub ? Opc::CSubS64_rr
                                 : Opc::CMulS64_rr;
  Opc Ri = K == BinOpKind::Add   ? Opc::CAddS64_ri
           : K == BinOpKind::Sub ? Opc::CSubS64_ri
                                 : Opc::CMulS64_ri;
  emitIntBin(opcAt(Rr, CK), opcAt(Ri, CK), D, *L, *R, K != BinOpKind::Sub,
             true);
  emitNorm(D, normKindOf(OT), destType(I));
  return Error::success();
}

/// The all-ones pattern of a canonical slot of kind K: `x ^ mask` is `!x`.
static uint64_t notMask(NormKind K) {
  switch (K) {
  case NormKind::U32: return 0xffffffffu;
  case NormKind::U16: return 0xffffu;
  case NormKind::U8: return 0xffu;
  case NormKind::B1: return 1;
  default: return ~uint64_t(0); // signed kinds stay sign-extended
  }
}

Error Lowerer::lowerUnary(const mir::Inst &I, uint32_t D) {
  auto A = val(I.ops()[0]);
  if (!A)
    return A.takeError();
  const mir::Type &T = *A->Ty;
  const mir::Type *DT = destType(I);
  uint32_t S = inSlot(*A);
  if (I.Un == mir::UnOpKind::Neg) {
    if (T.isFloat()) {
      emit(T.Kind == TypeKind::F32 ? Opc::FNegF32 : Opc::FNegF64,
           {pack(D, S)});
      return Error::success();
    }
    if (!isIntLike(T))
      return err("Neg is not defined on " + T.str());
    NormKind K = DT && isIntLike(*DT) ? normKindOf(*DT) : normKindOf(T);
    emit(opcAt(Opc::NegW64, unsigned(K)), {pack(D, S)});
    return Error::success();
  }
  // Not and BitNot: logical on Bool, bitwise on integers.
  if (!T.isInteger() && T.Kind != TypeKind::Bool)
    return err(mir::unOpName(I.Un) + " is not defined on " + T.str());
  NormKind K = normKindOf(T);
  emit(Opc::Xor_ri, {pack(D, S), notMask(K)});
  emitNorm(D, K, DT);
  return Error::success();
}

Error Lowerer::lowerCast(const mir::Inst &I, uint32_t D, bool Bitcast) {
  auto A = val(I.ops()[0]);
  if (!A)
    return A.takeError();
  // Which conversion this is comes from the MIR types (mir/Semantics.h, as
  // the verifier decided it); the opcode works on the slots, where every
  // value is already in its type's slot form.
  const mir::Type &From = operandType(I.ops()[0]), &To = I.type();
  uint32_t Src = inSlot(*A);
  auto Mov = [&] {
    if (Src != D)
      emit(Opc::Mov, {pack(D, Src)});
    return Error::success();
  };
  auto Norm = [&](NormKind K) {
    if (K == NormKind::W64)
      return Mov();
    emit(opcAt(Opc::NormW64, unsigned(K)), {pack(D, Src)});
    return Error::success();
  };
  auto Op = [&](Opc O) {
    emit(O, {pack(D, Src)});
    return Error::success();
  };

  if (Bitcast) {
    if (!mir::bitcastAllowed(From, To))
      return err("cannot bitcast " + From.str() + " to " + To.str());
    // The same bits in To's slot form (F32's low 32, a narrow integer
    // extended by To's signedness).
    return Norm(normKindOf(To));
  }

  bool FromF32 = From.Kind == TypeKind::F32;
  switch (mir::classifyCast(From, To)) {
  case mir::CastKind::Identity:
    // An integer is re-normalised to its own kind (a no-op on a canonical
    // slot); anything else is moved.
    return To.isInteger() ? Norm(normKindOf(To)) : Mov();
  case mir::CastKind::IntResize:
  case mir::CastKind::BoolToInt:
    // A canonical slot is extended by the source's signedness already (Bool
    // is 0/1): normalising to To truncates, or keeps it.
    return Norm(normKindOf(To));
  case mir::CastKind::IntToBool:
    return Op(Opc::NeZero);
  case mir::CastKind::IntToFloat: {
    bool Signed = From.isSignedInt();
    if (To.Kind == TypeKind::F64)
      return Op(Signed ? Opc::S2F64 : Opc::U2F64);
    return Op(Signed ? Opc::S2F32 : Opc::U2F32);
  }
  case mir::CastKind::FloatToInt: {
    Opc O = To.isSignedInt() ? (FromF32 ? Opc::F32ToS : Opc::F64ToS)
                             : (FromF32 ? Opc::F32ToU : Opc::F64ToU);
    emit(O, {pack(D, Src), To.bitWidth()});
    return Error::success();
  }
  case mir::CastKind::FloatResize:
    return Op(FromF32 ? Opc::F32ToF64 : Opc::F64ToF32);
  case mir::CastKind::KeepBits:
    return Mov(); // the address or word bits
  case mir::CastKind::Invalid:
    break;
  }
  return err("cannot cast " + From.str() + " to " + To.str());
}

} // namespace spl::interp
