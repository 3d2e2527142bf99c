//===- tests/mir/SemanticsTest.cpp - Slots, words and casts, by hand ------===//
//
// The expected values follow docs/SEMANTICS.md "Values"/"Casts" and MIR.md
// GetField/SetField: computed by hand, not by running the code.
//
//===----------------------------------------------------------------------===//
#include "mir/Semantics.h"

#include <gtest/gtest.h>

using namespace spl::mir;

namespace {

TEST(MirSemantics, SlotRepresentation) {
  EXPECT_EQ(slotRep(TypeKind::I8).Kind, SlotKind::SignExt);
  EXPECT_EQ(slotRep(TypeKind::I8).Bits, 8u);
  EXPECT_EQ(slotRep(TypeKind::Char).Kind, SlotKind::ZeroExt);
  EXPECT_EQ(slotRep(TypeKind::Char).Bits, 32u);
  EXPECT_EQ(slotRep(TypeKind::Bool).Kind, SlotKind::Bool);
  EXPECT_EQ(slotRep(TypeKind::F32).Kind, SlotKind::F32Bits);
  EXPECT_EQ(slotRep(TypeKind::Unit).Kind, SlotKind::None);
  EXPECT_EQ(slotRep(Type::ptr(TypeKind::I64)).Kind, SlotKind::Address);
  Type Tup(TypeKind::Tuple);
  EXPECT_EQ(slotRep(Tup).Kind, SlotKind::Word);
  EXPECT_EQ(slotRep(Type::array(TypeKind::I64, 0)).Kind, SlotKind::Word);
}

TEST(MirSemantics, WordsToSlotsAndBack) {
  // GetField: narrower integers truncate, then extend by signedness.
  EXPECT_EQ(wordToSlot(TypeKind::I8, 0x1ff), UINT64_MAX);
  EXPECT_EQ(wordToSlot(TypeKind::U8, 0x1ff), 0xffu);
  EXPECT_EQ(wordToSlot(TypeKind::I32, 0xffffffff80000000ULL),
            0xffffffff80000000ULL);
  EXPECT_EQ(wordToSlot(TypeKind::U32, 0xffffffff80000000ULL), 0x80000000u);
  EXPECT_EQ(wordToSlot(TypeKind::Bool, 0x100), 0u); // truncation: bit 0
  EXPECT_EQ(wordToSlot(TypeKind::Bool, 0x101), 1u);
  EXPECT_EQ(wordToSlot(TypeKind::Bool, 0), 0u);
  EXPECT_EQ(wordToSlot(TypeKind::F32, 0xdead3f800000ULL), 0x3f800000u);
  EXPECT_EQ(wordToSlot(TypeKind::F64, 0x3ff0000000000000ULL),
            0x3ff0000000000000ULL);
  EXPECT_EQ(wordToSlot(TypeKind::Unit, 5), 0u);
  // SetField: F32 bits zero-extended, signed ints sign-extended.
  EXPECT_EQ(slotToWord(TypeKind::F32, 0xffffffff3f800000ULL), 0x3f800000u);
  EXPECT_EQ(slotToWord(TypeKind::I16, 0xffff), UINT64_MAX);
  EXPECT_EQ(slotToWord(TypeKind::U16, 0xffff), 0xffffu);
}

TEST(MirSemantics, CastClassification) {
  Type Str(TypeKind::Opaque);
  Str.setOpaqueName("str");
  Type P = Type::ptr(TypeKind::U8, false);
  EXPECT_EQ(classifyCast(TypeKind::I64, TypeKind::I64), CastKind::Identity);
  EXPECT_EQ(classifyCast(TypeKind::I8, TypeKind::U64), CastKind::IntResize);
  EXPECT_EQ(classifyCast(TypeKind::Char, TypeKind::I32), CastKind::IntResize);
  EXPECT_EQ(classifyCast(TypeKind::U32, TypeKind::F64), CastKind::IntToFloat);
  EXPECT_EQ(classifyCast(TypeKind::F64, TypeKind::I16), CastKind::FloatToInt);
  EXPECT_EQ(classifyCast(TypeKind::F32, TypeKind::F64), CastKind::FloatResize);
  EXPECT_EQ(classifyCast(TypeKind::Bool, TypeKind::U8), CastKind::BoolToInt);
  EXPECT_EQ(classifyCast(TypeKind::I32, TypeKind::Bool), CastKind::IntToBool);
  EXPECT_EQ(classifyCast(P, TypeKind::I64), CastKind::KeepBits);
  EXPECT_EQ(classifyCast(TypeKind::U64, P), CastKind::KeepBits);
  EXPECT_EQ(classifyCast(Str, TypeKind::I64), CastKind::KeepBits);
  EXPECT_EQ(classifyCast(TypeKind::U64, Str), CastKind::KeepBits);
  EXPECT_EQ(classifyCast(Str, P), CastKind::KeepBits);
  EXPECT_EQ(classifyCast(P, TypeKind::I32), CastKind::Invalid);
  EXPECT_EQ(classifyCast(Str, TypeKind::I32), CastKind::Invalid);
  EXPECT_EQ(classifyCast(Str, TypeKind::F64), CastKind::Invalid);
  EXPECT_EQ(classifyCast(TypeKind::Bool, TypeKind::F64), CastKind::Invalid);
  EXPECT_EQ(classifyCast(TypeKind::F64, P), CastKind::Invalid);
}

TEST(MirSemantics, BitcastsAndWordCopies) {
  Type Str(TypeKind::Opaque);
  EXPECT_TRUE(bitcastAllowed(TypeKind::F64, TypeKind::U64));
  EXPECT_TRUE(bitcastAllowed(TypeKind::F32, TypeKind::I32));
  EXPECT_FALSE(bitcastAllowed(TypeKind::F32, TypeKind::I64));
  EXPECT_FALSE(bitcastAllowed(TypeKind::Bool, TypeKind::U8));
  EXPECT_TRUE(bitcastAllowed(Str, TypeKind::I64));
  EXPECT_FALSE(bitcastAllowed(Str, TypeKind::F64));
  EXPECT_TRUE(sameWord(Str, TypeKind::U64));
  EXPECT_TRUE(sameWord(Type::ptr(TypeKind::I8), Str));
  EXPECT_FALSE(sameWord(TypeKind::I64, TypeKind::U64)); // no word value
  EXPECT_FALSE(sameWord(Str, TypeKind::I32));
}

} // namespace
