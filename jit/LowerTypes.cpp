//===- jit/LowerTypes.cpp - MIR types in LLVM: registers, memory, ABIs ----===//
//
// A MIR value has three LLVM shapes: in registers (Bool is i1), in memory
// (Bool is a byte, arrays are [n x E]) and at a C boundary (Bool is a
// zero-extended i8, small integers are sign/zero-extended by signedness).
// The host sees a fourth, the 64-bit raw slot of ffi/FFI.h.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "mir/Semantics.h"

#include "llvm/IR/Intrinsics.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;
using mir::TypeKind;

Type *jit::regType(LLVMContext &C, const mir::Type &T) {
  switch (T.Kind) {
  case TypeKind::I8:
  case TypeKind::U8:
    return Type::getInt8Ty(C);
  case TypeKind::I16:
  case TypeKind::U16:
    return Type::getInt16Ty(C);
  case TypeKind::I32:
  case TypeKind::U32:
  case TypeKind::Char:
    return Type::getInt32Ty(C);
  case TypeKind::I64:
  case TypeKind::U64:
    return Type::getInt64Ty(C);
  case TypeKind::F32:
    return Type::getFloatTy(C);
  case TypeKind::F64:
    return Type::getDoubleTy(C);
  case TypeKind::Bool:
    return Type::getInt1Ty(C);
  case TypeKind::Ptr:
  case TypeKind::FuncPtr:
    return PointerType::getUnqual(C);
  default:
    // (v2) Handles and runtime arrays: one word, handled like I64.
    if (T.isWordValue())
      return Type::getInt64Ty(C);
    return nullptr;
  }
}

Type *jit::memType(LLVMContext &C, const mir::Type &T) {
  if (T.Kind == TypeKind::Bool)
    return Type::getInt8Ty(C);
  if (T.Kind == TypeKind::Array) {
    Type *E = memType(C, T.elem());
    return E ? ArrayType::get(E, T.count()) : nullptr;
  }
  return regType(C, T);
}

Type *jit::cType(LLVMContext &C, const mir::Type &T) {
  if (T.Kind == TypeKind::Bool)
    return Type::getInt8Ty(C);
  return regType(C, T);
}

bool jit::hasValueForm(const mir::Type &T) {
  return T.isScalar() || T.isWordValue() || T.isVoid();
}

const mir::Type &jit::operationType(const mir::Type &T) {
  static const mir::Type I64(TypeKind::I64);
  return T.isWordValue() ? I64 : T;
}

FunctionType *jit::internalFnType(LLVMContext &C, const mir::Signature &S) {
  SmallVector<Type *, 8> Params{Type::getInt64Ty(C)};
  for (const mir::Type &P : S.Params)
    Params.push_back(regType(C, P));
  Type *Ret = S.Ret.isVoid() ? Type::getVoidTy(C) : regType(C, S.Ret);
  return FunctionType::get(Ret, Params, false);
}

Value *jit::budgetOfDepth(IRBuilderBase &B, Value *Depth,
                          unsigned MaxCallDepth) {
  return B.CreateSub(B.getInt64(MaxCallDepth),
                     B.CreateZExt(Depth, B.getInt64Ty()));
}

Value *jit::depthOfBudget(IRBuilderBase &B, Value *Budget,
                          unsigned MaxCallDepth) {
  return B.CreateTrunc(B.CreateSub(B.getInt64(MaxCallDepth), Budget),
                       B.getInt32Ty(), "depth");
}

void jit::markDepthArg(Function &F) {
  F.addParamAttr(0, Attribute::SwiftSelf);
}

void jit::markDepthArg(CallBase &Call) {
  Call.addParamAttr(0, Attribute::SwiftSelf);
}

FunctionType *jit::cFnType(LLVMContext &C, const mir::Signature &S,
                           ArrayRef<Type *> Extra) {
  SmallVector<Type *, 8> Params;
  for (const mir::Type &P : S.Params)
    Params.push_back(cType(C, P));
  Type *Ret = S.Ret.isVoid() ? Type::getVoidTy(C) : cType(C, S.Ret);
  // A variadic call site is typed with its actual arguments appended; the
  // callee's own declaration stays variadic.
  if (S.Variadic && Extra.empty())
    return FunctionType::get(Ret, Params, true);
  Params.append(Extra.begin(), Extra.end());
  return FunctionType::get(Ret, Params, S.Variadic);
}

static std::optional<Attribute::AttrKind> extAttr(const mir::Type &T) {
  if (T.Kind == TypeKind::Bool)
    return Attribute::ZExt;
  if (T.bitWidth() >= 32 || !T.isInteger())
    return std::nullopt;
  return T.isSignedInt() ? Attribute::SExt : Attribute::ZExt;
}

AttributeList jit::cAttrs(LLVMContext &C, const mir::Signature &S,
                          unsigned NumArgs) {
  AttributeList AL;
  if (auto K = extAttr(S.Ret))
    AL = AL.addRetAttribute(C, *K);
  for (unsigned I = 0; I < S.Params.size() && I < NumArgs; ++I)
    if (auto K = extAttr(S.Params[I]))
      AL = AL.addParamAttribute(C, I, *K);
  return AL;
}

Value *jit::fromSlot(IRBuilderBase &B, Value *Slot, const mir::Type &T) {
  LLVMContext &C = B.getContext();
  switch (mir::slotRep(T).Kind) {
  case mir::SlotKind::Bool:
    return B.CreateICmpNE(Slot, B.getInt64(0));
  case mir::SlotKind::F64Bits:
    return B.CreateBitCast(Slot, B.getDoubleTy());
  case mir::SlotKind::F32Bits:
    return B.CreateBitCast(B.CreateTrunc(Slot, B.getInt32Ty()), B.getFloatTy());
  case mir::SlotKind::Address:
    return B.CreateIntToPtr(Slot, PointerType::getUnqual(C));
  case mir::SlotKind::SignExt:
  case mir::SlotKind::ZeroExt:
    return B.CreateTrunc(Slot, regType(C, T));
  case mir::SlotKind::Word:
    return regType(C, T) ? Slot : nullptr;
  case mir::SlotKind::None:
    return nullptr;
  }
  return nullptr;
}

Value *jit::toSlot(IRBuilderBase &B, Value *V, const mir::Type &T) {
  Type *I64 = B.getInt64Ty();
  switch (mir::slotRep(T).Kind) {
  case mir::SlotKind::Bool:
  case mir::SlotKind::ZeroExt:
    return B.CreateZExt(V, I64);
  case mir::SlotKind::SignExt:
    return B.CreateSExt(V, I64);
  case mir::SlotKind::F64Bits:
    return B.CreateBitCast(V, I64);
  case mir::SlotKind::F32Bits:
    return B.CreateZExt(B.CreateBitCast(V, B.getInt32Ty()), I64);
  case mir::SlotKind::Address:
    return B.CreatePtrToInt(V, I64);
  case mir::SlotKind::Word:
    if (regType(B.getContext(), T))
      return V;
    break;
  case mir::SlotKind::None:
    break;
  }
  return B.getInt64(0);
}

Value *jit::toWord(IRBuilderBase &B, Value *V, const mir::Type &T) {
  if (!V || T.isVoid())
    return B.getInt64(0);
  return toSlot(B, V, T);
}

Value *jit::fromWord(IRBuilderBase &B, Value *Word, const mir::Type &T) {
  // mir::wordToSlot: a word is a slot, except that Bool takes bit 0.
  if (mir::slotRep(T).Kind == mir::SlotKind::Bool)
    return B.CreateTrunc(Word, B.getInt1Ty());
  return fromSlot(B, Word, T);
}

Value *jit::toC(IRBuilderBase &B, Value *V, const mir::Type &T) {
  return T.Kind == TypeKind::Bool ? B.CreateZExt(V, B.getInt8Ty()) : V;
}

Value *jit::fromC(IRBuilderBase &B, Value *V, const mir::Type &T) {
  return T.Kind == TypeKind::Bool ? B.CreateICmpNE(V, B.getInt8(0)) : V;
}

/// Float -> integer, saturating like Rust's `as` (NaN -> 0).
static Value *floatToInt(IRBuilderBase &B, Value *V, Type *To, bool Signed) {
  Intrinsic::ID ID = Signed ? Intrinsic::fptosi_sat : Intrinsic::fptoui_sat;
  return B.CreateIntrinsic(ID, {To, V->getType()}, {V});
}

static bool isAddress(const mir::Type &T) {
  return T.isPointer() || T.isFuncPtr();
}

/// The instruction for a conversion of kind K (mir::classifyCast) of V, a
/// value of From, to ToTy, the register type of To.
static Value *emitCast(IRBuilderBase &B, mir::CastKind K, Value *V,
                       const mir::Type &From, const mir::Type &To, Type *ToTy) {
  switch (K) {
  case mir::CastKind::Identity:
    return V;
  case mir::CastKind::IntResize:
  case mir::CastKind::BoolToInt: // zero-extends the i1
    return B.CreateIntCast(V, ToTy, From.isSignedInt());
  case mir::CastKind::IntToBool:
    return B.CreateICmpNE(V, Constant::getNullValue(V->getType()));
  case mir::CastKind::IntToFloat:
    return From.isSignedInt() ? B.CreateSIToFP(V, ToTy)
                              : B.CreateUIToFP(V, ToTy);
  case mir::CastKind::FloatToInt:
    return floatToInt(B, V, ToTy, To.isSignedInt());
  case mir::CastKind::FloatResize:
    return B.CreateFPCast(V, ToTy);
  case mir::CastKind::KeepBits: {
    bool FromPtr = V->getType()->isPointerTy(), ToPtr = ToTy->isPointerTy();
    if (FromPtr == ToPtr)
      return V; // two addresses, or two i64 words
    return FromPtr ? B.CreatePtrToInt(V, ToTy) : B.CreateIntToPtr(V, ToTy);
  }
  case mir::CastKind::Invalid:
    break;
  }
  return nullptr;
}

Value *jit::convert(IRBuilderBase &B, Value *V, const mir::Type &From,
                    const mir::Type &To) {
  LLVMContext &C = B.getContext();
  Type *ToTy = regType(C, To);
  if (!V || !ToTy)
    return nullptr;
  // Same register type: same bits (integers of one width differ only in how
  // later operations read them).
  if (V->getType() == ToTy)
    return V;
  mir::CastKind K = mir::classifyCast(From, To);
  if (K != mir::CastKind::Invalid)
    return emitCast(B, K, V, From, To, ToTy);

  // Not a Cast the verifier accepts; what the other reads and writes of a
  // value at another type need (an If on a pointer, ...): a word as I64,
  // an address as its U64 bits, a float tested against zero.
  static const mir::Type I64(TypeKind::I64), U64(TypeKind::U64);
  if (From.isWordValue() || To.isWordValue())
    return convert(B, V, operationType(From), operationType(To));
  if (isAddress(From))
    return convert(B, B.CreatePtrToInt(V, B.getInt64Ty()), U64, To);
  bool FromIntLike = From.isInteger() || From.Kind == TypeKind::Bool;
  if (isAddress(To) && FromIntLike)
    return B.CreateIntToPtr(convert(B, V, From, U64), ToTy);
  if (From.isFloat() && To.Kind == TypeKind::Bool)
    return B.CreateFCmpUNE(V, ConstantFP::get(V->getType(), 0.0));
  if (From.Kind == TypeKind::Bool && To.isFloat())
    return B.CreateUIToFP(V, ToTy);
  return nullptr;
}

Value *jit::reinterpret(IRBuilderBase &B, Value *V, const mir::Type &From,
                        const mir::Type &To) {
  Type *ToTy = regType(B.getContext(), To);
  if (!V || !ToTy || !mir::bitcastAllowed(From, To))
    return nullptr;
  // The same 64 (or 32) bits in To's register type.
  bool FromPtr = V->getType()->isPointerTy(), ToPtr = ToTy->isPointerTy();
  if (FromPtr && ToPtr)
    return V;
  if (FromPtr)
    return B.CreateBitCast(B.CreatePtrToInt(V, B.getInt64Ty()), ToTy);
  if (ToPtr)
    return B.CreateIntToPtr(B.CreateBitCast(V, B.getInt64Ty()), ToTy);
  return B.CreateBitCast(V, ToTy);
}

Value *jit::convertArgument(IRBuilderBase &B, Value *V, const mir::Type &FromTy,
                            const mir::Type &ToTy0) {
  const mir::Type &From = operationType(FromTy);
  const mir::Type &To = operationType(ToTy0);
  Type *ToTy = regType(B.getContext(), To);
  if (!V || !ToTy)
    return nullptr;
  auto Integral = [](const mir::Type &T) {
    return T.isInteger() || T.Kind == TypeKind::Bool || T.isPointer() ||
           T.isFuncPtr();
  };
  if (From.isFloat() || To.isFloat())
    return From.isFloat() && To.isFloat() ? B.CreateFPCast(V, ToTy) : nullptr;
  if (!Integral(From) || !Integral(To))
    return nullptr;
  if (V->getType() == ToTy)
    return V;
  // Through i64: extend by the source's signedness, then truncate.
  Value *Bits = V->getType()->isPointerTy()
                    ? B.CreatePtrToInt(V, B.getInt64Ty())
                    : B.CreateIntCast(V, B.getInt64Ty(), From.isSignedInt());
  if (ToTy->isPointerTy())
    return B.CreateIntToPtr(Bits, ToTy);
  return B.CreateTrunc(Bits, ToTy);
}
