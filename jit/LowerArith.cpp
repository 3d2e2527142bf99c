//===- jit/LowerArith.cpp - Arithmetic, comparisons, casts, intrinsics ----===//
//
// docs/SEMANTICS.md "Arithmetic" and "Casts". Operations work in the left
// operand's type (the verifier makes the dest agree); signedness picks the
// LLVM operation. Every case that is a runtime error rather than UB (division
// by zero, MIN / -1, oversized shifts, checked overflow, negative integer
// powers) is an explicit check that branches to a cold trap block.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "llvm/IR/Intrinsics.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;
using mir::BinOpKind;
using mir::TrapKind;
using mir::TypeKind;

Value *FunctionLowerer::compare(BinOpKind K, Value *A, Value *Bv,
                                const mir::Type &T) {
  if (T.isFloat()) {
    // Ordered, except Ne which is true on NaN (docs/SEMANTICS.md).
    static const CmpInst::Predicate FP[] = {
        CmpInst::FCMP_OEQ, CmpInst::FCMP_UNE, CmpInst::FCMP_OLT,
        CmpInst::FCMP_OLE, CmpInst::FCMP_OGT, CmpInst::FCMP_OGE};
    return B.CreateFCmp(FP[unsigned(K) - unsigned(BinOpKind::Eq)], A, Bv);
  }
  bool S = T.isSignedInt();
  static const CmpInst::Predicate Signed[] = {
      CmpInst::ICMP_EQ,  CmpInst::ICMP_NE,  CmpInst::ICMP_SLT,
      CmpInst::ICMP_SLE, CmpInst::ICMP_SGT, CmpInst::ICMP_SGE};
  static const CmpInst::Predicate Unsigned[] = {
      CmpInst::ICMP_EQ,  CmpInst::ICMP_NE,  CmpInst::ICMP_ULT,
      CmpInst::ICMP_ULE, CmpInst::ICMP_UGT, CmpInst::ICMP_UGE};
  unsigned Idx = unsigned(K) - unsigned(BinOpKind::Eq);
  return B.CreateICmp(S ? Signed[Idx] : Unsigned[Idx], A, Bv);
}

/// Integer (and Bool) arithmetic of A op Bv in type T. Bv has the right
/// operand's own type RightTy for shifts and Pow, T otherwise.
Expected<Value *> FunctionLowerer::intArith(const mir::Inst &I, Value *A,
                                            Value *Bv, const mir::Type &T,
                                            const mir::Type &RightTy) {
  bool S = T.isSignedInt();
  bool Checked = I.Op == mir::Opcode::CheckedBinOp;
  auto *Ty = cast<IntegerType>(A->getType());
  unsigned W = Ty->getBitWidth();

  auto Overflowing = [&](Intrinsic::ID SID, Intrinsic::ID UID,
                         TrapKind Kind) -> Value * {
    Value *R = B.CreateBinaryIntrinsic(S ? SID : UID, A, Bv);
    trapIf(B.CreateExtractValue(R, 1), Kind);
    return B.CreateExtractValue(R, 0);
  };

  switch (I.Bin) {
  case BinOpKind::Add:
    if (Checked)
      return Overflowing(Intrinsic::sadd_with_overflow,
                         Intrinsic::uadd_with_overflow, TrapKind::AddOverflow);
    return B.CreateAdd(A, Bv);
  case BinOpKind::Sub:
    if (Checked)
      return Overflowing(Intrinsic::ssub_with_overflow,
                         Intrinsic::usub_with_overflow, TrapKind::SubOverflow);
    return B.CreateSub(A, Bv);
  case BinOpKind::Mul:
    if (Checked)
      return Overflowing(Intrinsic::smul_with_overflow,
                         Intrinsic::umul_with_overflow, TrapKind::MulOverflow);
    return B.CreateMul(A, Bv);
  case BinOpKind::Div:
  case BinOpKind::Rem: {
    bool IsDiv = I.Bin == BinOpKind::Div;
    trapIf(B.CreateICmpEQ(Bv, ConstantInt::get(Ty, 0)),
           IsDiv ? TrapKind::DivByZero : TrapKind::RemByZero);
    if (S) {
      Value *Min =
          B.CreateICmpEQ(A, ConstantInt::get(Ty, APInt::getSignedMinValue(W)));
      Value *MinusOne = B.CreateICmpEQ(Bv, ConstantInt::getSigned(Ty, -1));
      trapIf(B.CreateAnd(Min, MinusOne),
             IsDiv ? TrapKind::DivOverflow : TrapKind::RemOverflow);
      return IsDiv ? B.CreateSDiv(A, Bv) : B.CreateSRem(A, Bv);
    }
    return IsDiv ? B.CreateUDiv(A, Bv) : B.CreateURem(A, Bv);
  }
  case BinOpKind::Pow: {
    // The exponent keeps its own type: negative only if that is signed.
    if (RightTy.isSignedInt())
      trapIf(B.CreateICmpSLT(Bv, ConstantInt::get(Bv->getType(), 0)),
             TrapKind::NegativePow);
    Value *Exp = B.CreateIntCast(Bv, B.getInt64Ty(), /*isSigned=*/false);
    return B.CreateCall(ML.intPowFn(Ty), {A, Exp});
  }
  case BinOpKind::BitAnd:
    return B.CreateAnd(A, Bv);
  case BinOpKind::BitOr:
    return B.CreateOr(A, Bv);
  case BinOpKind::BitXor:
    return B.CreateXor(A, Bv);
  case BinOpKind::Shl:
  case BinOpKind::Shr: {
    // The amount is compared as an unsigned number of its own width, so
    // negative amounts are oversized too.
    bool IsShl = I.Bin == BinOpKind::Shl;
    Value *Amt64 = B.CreateIntCast(Bv, B.getInt64Ty(), /*isSigned=*/false);
    trapIf(B.CreateICmpUGE(Amt64, B.getInt64(W)),
           IsShl ? TrapKind::ShlOverflow : TrapKind::ShrOverflow);
    Value *Amt = B.CreateIntCast(Bv, Ty, /*isSigned=*/false);
    if (IsShl)
      return B.CreateShl(A, Amt);
    return S ? B.CreateAShr(A, Amt) : B.CreateLShr(A, Amt);
  }
  default:
    return error(mir::binOpName(I.Bin) + " does not apply to " + T.str());
  }
}

Error FunctionLowerer::lowerBinOp(const mir::Inst &I) {
  const mir::Operand &L = I.ops()[0], &R = I.ops()[1];
  // (v2) Word values operate as I64.
  const mir::Type &LT = operationType(typeOf(L)),
                  &RT = operationType(typeOf(R));
  Expected<Value *> A = read(L);
  if (!A)
    return A.takeError();

  if (I.Bin == BinOpKind::Offset) {
    Expected<Value *> Idx = read(R);
    if (!Idx)
      return Idx.takeError();
    Expected<Value *> P = offset(*A, LT, *Idx, RT);
    if (!P)
      return P.takeError();
    return write(I.dest(), *P, LT);
  }
  if (!LT.isScalar())
    return error(mir::binOpName(I.Bin) + " does not apply to " + LT.str());

  bool OwnRightType = I.Bin == BinOpKind::Shl || I.Bin == BinOpKind::Shr ||
                      (I.Bin == BinOpKind::Pow && LT.isInteger());
  Expected<Value *> Bv = OwnRightType ? read(R) : readAs(R, LT);
  if (!Bv)
    return Bv.takeError();

  if (mir::isComparison(I.Bin))
    return write(I.dest(), compare(I.Bin, *A, *Bv, LT), TypeKind::Bool);

  Value *Res = nullptr;
  if (LT.isFloat()) {
    switch (I.Bin) {
    case BinOpKind::Add:
      Res = B.CreateFAdd(*A, *Bv);
      break;
    case BinOpKind::Sub:
      Res = B.CreateFSub(*A, *Bv);
      break;
    case BinOpKind::Mul:
      Res = B.CreateFMul(*A, *Bv);
      break;
    case BinOpKind::Div:
      Res = B.CreateFDiv(*A, *Bv);
      break;
    case BinOpKind::Rem: // C fmod
      Res = B.CreateFRem(*A, *Bv);
      break;
    case BinOpKind::Pow:
      Res = B.CreateBinaryIntrinsic(Intrinsic::pow, *A, *Bv);
      break;
    default:
      return error(mir::binOpName(I.Bin) + " does not apply to " + LT.str());
    }
  } else if (LT.isInteger() || LT.Kind == TypeKind::Bool) {
    Expected<Value *> R2 = intArith(I, *A, *Bv, LT, RT);
    if (!R2)
      return R2.takeError();
    Res = *R2;
  } else {
    return error(mir::binOpName(I.Bin) + " does not apply to " + LT.str());
  }
  return write(I.dest(), Res, LT);
}

Error FunctionLowerer::lowerUnaryOp(const mir::Inst &I) {
  const mir::Type &T = operationType(typeOf(I.ops()[0]));
  Expected<Value *> V = read(I.ops()[0]);
  if (!V)
    return V.takeError();
  Value *Res;
  if (I.Un == mir::UnOpKind::Neg)
    Res = T.isFloat() ? B.CreateFNeg(*V) : B.CreateNeg(*V);
  else if (T.isInteger() || T.Kind == TypeKind::Bool)
    Res = B.CreateNot(*V); // logical on i1, bitwise otherwise
  else
    return error(mir::unOpName(I.Un) + " does not apply to " + T.str());
  return write(I.dest(), Res, T);
}

Error FunctionLowerer::lowerCast(const mir::Inst &I) {
  Expected<Value *> V = read(I.ops()[0]);
  if (!V)
    return V.takeError();
  const mir::Type &From = typeOf(I.ops()[0]);
  if (I.type().isVoid() || !*V)
    return Error::success();
  Value *R = convert(B, *V, From, I.type());
  if (!R)
    return error("cannot cast " + From.str() + " to " + I.type().str());
  return write(I.dest(), R, I.type());
}

Error FunctionLowerer::lowerBitcast(const mir::Inst &I) {
  Expected<Value *> V = read(I.ops()[0]);
  if (!V)
    return V.takeError();
  const mir::Type &From = typeOf(I.ops()[0]);
  Value *R = reinterpret(B, *V, From, I.type());
  if (!R)
    return error("cannot bitcast " + From.str() + " to " + I.type().str());
  return write(I.dest(), R, I.type());
}

Error FunctionLowerer::lowerIntrinsic(const mir::Inst &I) {
  using mir::IntrinsicKind;
  // (v2) LowerIntrinsics.cpp.
  switch (I.Intr) {
  case IntrinsicKind::SsaPhi:
    return lowerSsaPhi(I);
  case IntrinsicKind::BoundsCheck:
    return lowerBoundsCheck(I);
  case IntrinsicKind::Extern:
    return lowerExternIntrinsic(I);
  default:
    if (!mir::isFloatMath(I.Intr))
      return lowerBitIntrinsic(I);
    break;
  }
  if (I.ops().empty())
    return error("intrinsic " + mir::intrinsicName(I.Intr) +
                 " needs an argument");
  const mir::Type &T = typeOf(I.ops()[0]);
  if (!T.isFloat())
    return error("intrinsic " + mir::intrinsicName(I.Intr) +
                 " needs f32 or f64 arguments, not " + T.str());
  SmallVector<Value *, 2> Args;
  for (const mir::Operand &O : I.ops()) {
    Expected<Value *> V = readAs(O, T);
    if (!V)
      return V.takeError();
    Args.push_back(*V);
  }
  Intrinsic::ID ID = Intrinsic::not_intrinsic;
  switch (I.Intr) {
  case IntrinsicKind::Sqrt:
    ID = Intrinsic::sqrt;
    break;
  case IntrinsicKind::Sin:
    ID = Intrinsic::sin;
    break;
  case IntrinsicKind::Cos:
    ID = Intrinsic::cos;
    break;
  case IntrinsicKind::Tan:
    break; // no portable LLVM 19 intrinsic: libm
  case IntrinsicKind::Exp:
    ID = Intrinsic::exp;
    break;
  case IntrinsicKind::Log:
    ID = Intrinsic::log;
    break;
  case IntrinsicKind::Log2:
    ID = Intrinsic::log2;
    break;
  case IntrinsicKind::Log10:
    ID = Intrinsic::log10;
    break;
  case IntrinsicKind::Fabs:
    ID = Intrinsic::fabs;
    break;
  case IntrinsicKind::Floor:
    ID = Intrinsic::floor;
    break;
  case IntrinsicKind::Ceil:
    ID = Intrinsic::ceil;
    break;
  case IntrinsicKind::Trunc:
    ID = Intrinsic::trunc;
    break;
  case IntrinsicKind::Round:
    ID = Intrinsic::round;
    break;
  case IntrinsicKind::Pow:
    ID = Intrinsic::pow;
    break;
  case IntrinsicKind::Fmin:
    ID = Intrinsic::minnum;
    break;
  case IntrinsicKind::Fmax:
    ID = Intrinsic::maxnum;
    break;
  case IntrinsicKind::Copysign:
    ID = Intrinsic::copysign;
    break;
  default:
    return error("intrinsic " + mir::intrinsicName(I.Intr) +
                 " is not float math");
  }
  Value *R;
  if (ID == Intrinsic::not_intrinsic) {
    Type *Ty = regType(C, T);
    FunctionType *FT = FunctionType::get(Ty, {Ty}, false);
    Function *Tan = ML.declare(T.Kind == TypeKind::F32 ? "tanf" : "tan", FT);
    Tan->setDoesNotAccessMemory();
    Tan->setDoesNotThrow();
    R = B.CreateCall(Tan, Args);
  } else {
    R = B.CreateIntrinsic(ID, {regType(C, T)}, Args);
  }
  if (!I.hasDest())
    return Error::success();
  return write(I.dest(), R, T);
}
