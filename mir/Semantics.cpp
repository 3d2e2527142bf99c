//===- mir/Semantics.cpp - Value representation and casts, defined once ---===//
#include "mir/Semantics.h"

namespace spl::mir {

SlotRep slotRep(const Type &T) {
  if (T.isSignedInt())
    return {SlotKind::SignExt, T.bitWidth()};
  if (T.isUnsignedInt())
    return {SlotKind::ZeroExt, T.bitWidth()};
  switch (T.Kind) {
  case TypeKind::Bool:
    return {SlotKind::Bool, 1};
  case TypeKind::F32:
    return {SlotKind::F32Bits, 32};
  case TypeKind::F64:
    return {SlotKind::F64Bits, 64};
  case TypeKind::Ptr:
  case TypeKind::FuncPtr:
    return {SlotKind::Address, 64};
  case TypeKind::Unit:
  case TypeKind::Never:
    return {SlotKind::None, 0};
  default:
    return {SlotKind::Word, 64}; // isWordValue()
  }
}

static uint64_t lowBits(uint64_t V, unsigned Bits) {
  return Bits >= 64 ? V : V & ((uint64_t(1) << Bits) - 1);
}

static uint64_t signExtend(uint64_t V, unsigned Bits) {
  if (Bits == 0 || Bits >= 64)
    return V;
  return uint64_t(int64_t(V << (64 - Bits)) >> (64 - Bits));
}

uint64_t wordToSlot(const Type &T, uint64_t Word) {
  SlotRep R = slotRep(T);
  switch (R.Kind) {
  case SlotKind::None:
    return 0;
  case SlotKind::SignExt:
    return signExtend(Word, R.Bits);
  case SlotKind::ZeroExt:
  case SlotKind::F32Bits:
    return lowBits(Word, R.Bits);
  case SlotKind::Bool:
    // Truncation, like the narrower integers (LLVM's trunc to i1): bit 0.
    return Word & 1;
  case SlotKind::F64Bits:
  case SlotKind::Address:
  case SlotKind::Word:
    return Word;
  }
  return Word;
}

uint64_t slotToWord(const Type &T, uint64_t Slot) {
  // The slot form is the word form; normalising makes a sloppy slot (high
  // garbage above a narrow integer) store the same word every backend stores.
  return wordToSlot(T, Slot);
}

static bool isWordInt(const Type &T) {
  return T.Kind == TypeKind::I64 || T.Kind == TypeKind::U64;
}

static bool isAddress(const Type &T) { return T.isPointer() || T.isFuncPtr(); }

bool sameWord(const Type &A, const Type &B) {
  if (A.compatible(B))
    return true;
  auto Wordish = [](const Type &T) {
    return T.isWordValue() || isAddress(T) || isWordInt(T);
  };
  return (A.isWordValue() || B.isWordValue()) && Wordish(A) && Wordish(B);
}

CastKind classifyCast(const Type &From, const Type &To) {
  if (From == To)
    return CastKind::Identity;
  if (From.isInteger() && To.isInteger())
    return CastKind::IntResize;
  if (From.isInteger() && To.isFloat())
    return CastKind::IntToFloat;
  if (From.isFloat() && To.isInteger())
    return CastKind::FloatToInt;
  if (From.isFloat() && To.isFloat())
    return CastKind::FloatResize;
  if (From.Kind == TypeKind::Bool && To.isInteger())
    return CastKind::BoolToInt;
  if (From.isInteger() && To.Kind == TypeKind::Bool)
    return CastKind::IntToBool;
  // Addresses and word values are all one 64-bit word; I64/U64 is how the
  // compiler spells "the word as a number" (e.g. a closure's function address
  // passed to rt_closure_new).
  bool FromWord = isAddress(From) || From.isWordValue();
  bool ToWord = isAddress(To) || To.isWordValue();
  if (FromWord && (ToWord || isWordInt(To)))
    return CastKind::KeepBits;
  if (isWordInt(From) && ToWord)
    return CastKind::KeepBits;
  return CastKind::Invalid;
}

uint64_t saturatingFloatToInt(double X, const Type &To) {
  unsigned Bits = To.bitWidth();
  if (X != X || !To.isInteger())
    return 0;
  if (To.isSignedInt()) {
    // [-2^(Bits-1), 2^(Bits-1)): both bounds are exact doubles.
    double Lim = double(uint64_t(1) << (Bits - 1));
    if (X <= -Lim)
      return signExtend(uint64_t(1) << (Bits - 1), Bits); // MIN
    if (X >= Lim)
      return (uint64_t(1) << (Bits - 1)) - 1; // MAX
    return uint64_t(int64_t(X));              // in range: truncation is defined
  }
  if (!(X > -1.0))
    return 0; // negatives (and -0.0 .. -1 truncate to 0 anyway)
  double Lim = Bits == 64 ? 18446744073709551616.0 // 2^64, exact
                          : double(uint64_t(1) << Bits);
  if (X >= Lim)
    return lowBits(~uint64_t(0), Bits); // MAX
  return uint64_t(X);
}

bool bitcastAllowed(const Type &From, const Type &To) {
  if (From.isWordValue() || To.isWordValue()) {
    auto Word64 = [](const Type &T) {
      return T.isWordValue() || isAddress(T) || isWordInt(T);
    };
    return Word64(From) && Word64(To);
  }
  return From.isScalar() && To.isScalar() && From.Kind != TypeKind::Bool &&
         To.Kind != TypeKind::Bool && From.bitWidth() == To.bitWidth();
}

Signature boundCallSignature(const Signature *Site,
                             llvm::ArrayRef<Type> ArgTypes) {
  Signature S;
  if (Site)
    S = *Site;
  if (S.Params.empty() && !ArgTypes.empty())
    S.Params.assign(ArgTypes.begin(), ArgTypes.end());
  return S;
}

} // namespace spl::mir
