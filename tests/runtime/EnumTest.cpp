//===- tests/runtime/EnumTest.cpp - Enums, Option, tuples, closures -------===//

#include "Support.h"

#include <gtest/gtest.h>

using namespace spl::rt;
using namespace spl::rt::test;

namespace {

TEST(RuntimeEnum, LayoutAndAccessors) {
  int64_t E = rt_enum_new(7, 3, I(42));
  ASSERT_EQ(E & 7, 1);
  EXPECT_EQ(field<uint8_t>(E, 0), 4);
  EXPECT_EQ(field<uint32_t>(E, 8), 7u);
  EXPECT_EQ(field<uint32_t>(E, 12), 3u);
  EXPECT_EQ(field<int64_t>(E, 24), I(42));
  EXPECT_EQ(rt_enum_id(E), 7);
  EXPECT_EQ(rt_enum_discriminant(E), 3);
  EXPECT_EQ(rt_enum_payload(E), I(42));
  EXPECT_EQ(rt_enum_check_discriminant(E, 3), 1);
  EXPECT_EQ(rt_enum_check_discriminant(E, 2), 0);
  EXPECT_EQ(rt_unwrap_or_self(E), I(42));
}

TEST(RuntimeEnum, TakesLow32BitsOfI64Words) {
  // The compiler passes I64 words for the I32 parameters.
  auto *New = reinterpret_cast<int64_t (*)(int64_t, int64_t, int64_t)>(
      reinterpret_cast<void *>(&rt_enum_new));
  int64_t E = New(0x500000001, 0x700000000, 0);
  EXPECT_EQ(rt_enum_id(E), 1);
  EXPECT_EQ(rt_enum_discriminant(E), 0);
}

TEST(RuntimeEnum, NonEnums) {
  for (int64_t W : {I(1), Nil, True, int64_t(0), str("x"), rt_array_new(1)}) {
    EXPECT_EQ(rt_enum_discriminant(W), -1);
    EXPECT_EQ(rt_enum_id(W), -1);
    EXPECT_EQ(rt_enum_payload(W), Nil);
    EXPECT_EQ(rt_enum_check_discriminant(W, 0), 0);
    EXPECT_EQ(rt_unwrap_or_self(W), W);
  }
}

TEST(RuntimeEnum, OptionAndResult) {
  int64_t Some = rt_enum_new(1, 0, I(5));
  int64_t None = rt_enum_new(1, 1, 0);
  int64_t Ok = rt_enum_new(0, 0, I(1));
  int64_t Err = rt_enum_new(0, 1, I(2));
  EXPECT_EQ(rt_is_some(Some), 1);
  EXPECT_EQ(rt_is_none(Some), 0);
  EXPECT_EQ(rt_is_none(None), 1);
  EXPECT_EQ(rt_is_some(None), 0);
  EXPECT_EQ(rt_is_none(Ok), 0);  // not an Option
  EXPECT_EQ(rt_is_none(Err), 0); // discriminant 1, but of Result
  EXPECT_EQ(rt_is_none(Nil), 1);
  EXPECT_EQ(rt_is_some(Nil), 0);
  EXPECT_EQ(rt_is_none(0), 0); // a raw 0 is present
  EXPECT_EQ(rt_is_some(0), 1);
  EXPECT_EQ(rt_is_some(I(9)), 1);
  EXPECT_EQ(rt_unwrap_or_self(Err), I(2));
}

TEST(RuntimeTuple, FixedLengthArrays) {
  int64_t T = rt_tuple_new(3);
  EXPECT_EQ(field<uint8_t>(T, 0), 2);
  EXPECT_EQ(field<uint8_t>(T, 1) & 0x01, 0x01);
  EXPECT_EQ(rt_len(T), 3);
  EXPECT_EQ(rt_tuple_get(T, 1), 0); // zero words
  EXPECT_EQ(rt_tuple_set(T, 0, I(4)), 1);
  EXPECT_EQ(rt_tuple_set(T, 2, str("z")), 1);
  EXPECT_EQ(rt_tuple_set(T, 3, I(1)), 0);
  EXPECT_EQ(rt_tuple_set(T, -1, I(1)), 0);
  EXPECT_EQ(rt_tuple_get(T, 0), I(4));
  EXPECT_EQ(text(rt_tuple_get(T, 2)), "z");
  EXPECT_EQ(rt_tuple_get(T, 3), Nil);
  EXPECT_EQ(rt_tuple_get(T, -1), Nil);
  EXPECT_EQ(rt_tuple_get(I(1), 0), Nil);
  EXPECT_EQ(rt_tuple_set(I(1), 0, I(1)), 0);
  EXPECT_EQ(rt_len(rt_tuple_new(-2)), 0);
  // As an enum payload.
  int64_t E = rt_enum_new(9, 0, T);
  EXPECT_EQ(rt_tuple_get(rt_enum_payload(E), 0), I(4));
}

TEST(RuntimeClosure, LayoutAndCaptures) {
  int64_t C = rt_closure_new(0x123458, 2);
  ASSERT_EQ(C & 7, 1);
  EXPECT_EQ(field<uint8_t>(C, 0), 3);
  EXPECT_EQ(field<int64_t>(C, 8), 0x123458);
  EXPECT_EQ(field<int64_t>(C, 16), 2);
  EXPECT_EQ(rt_closure_func_ptr(C), 0x123458);
  EXPECT_EQ(rt_closure_get_capture(C, 0), 0);
  EXPECT_EQ(rt_closure_set_capture(C, 1, I(8)), 1);
  EXPECT_EQ(field<int64_t>(C, 24 + 8), I(8));
  EXPECT_EQ(rt_closure_get_capture(C, 1), I(8));
  EXPECT_EQ(rt_closure_set_capture(C, 2, I(8)), 0);
  EXPECT_EQ(rt_closure_set_capture(C, -1, I(8)), 0);
  EXPECT_EQ(rt_closure_get_capture(C, 2), Nil);
  EXPECT_EQ(rt_closure_get_capture(C, -1), Nil);
  // A non-closure: the word itself is the function.
  EXPECT_EQ(rt_closure_func_ptr(0x401000), 0);
  EXPECT_EQ(rt_closure_func_ptr(rt_enum_new(1, 0, 0)), 0);
  EXPECT_EQ(rt_closure_get_capture(I(1), 0), Nil);
  EXPECT_EQ(rt_closure_set_capture(I(1), 0, 0), 0);
  EXPECT_EQ(rt_closure_func_ptr(rt_closure_new(77, 0)), 77);
}

} // namespace
