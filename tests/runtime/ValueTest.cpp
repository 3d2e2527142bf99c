//===- tests/runtime/ValueTest.cpp - Boxes and deep equality --------------===//

#include "Support.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace spl::rt;
using namespace spl::rt::test;

namespace {

constexpr int64_t P60 = int64_t(1) << 60;

TEST(RuntimeValue, TagHelpers) {
  static_assert(intWord(5) == 40 && intOfWord(-8) == -1);
  static_assert(boolWord(true) == 11 && boolWord(false) == 19 && Nil == 3);
  static_assert(heapWord(0x1000) == 0x1001 && heapPtrOfWord(0x1001) == 0x1000);
  static_assert(fitsIntWord(P60 - 1) && !fitsIntWord(P60) &&
                !fitsIntWord(-P60) && fitsIntWord(-P60 + 1));
}

TEST(RuntimeValue, WideInts) {
  EXPECT_EQ(rt_value_int_wide(0), 0);
  EXPECT_EQ(rt_value_int_wide(1), 8);
  EXPECT_EQ(rt_value_int_wide(-1), -8);
  EXPECT_EQ(rt_value_int_wide(P60 - 1), (P60 - 1) * 8);
  EXPECT_EQ(rt_value_int_wide(-P60 + 1), (-P60 + 1) * 8);
  for (int64_t V : {P60, -P60, INT64_MAX, INT64_MIN, P60 + 12345}) {
    int64_t W = rt_value_int_wide(V);
    ASSERT_EQ(W & 7, 1) << V;
    EXPECT_EQ(field<uint32_t>(W, 0), 0x494E5431u);
    EXPECT_EQ(field<int64_t>(W, 8), V);
    EXPECT_EQ(rt_value_as_int_wide(W), V);
  }
  EXPECT_EQ(rt_value_as_int_wide(I(-5)), -5);
  EXPECT_EQ(rt_value_as_int_wide(Nil), 0); // 3 >> 3
  int64_t S = str("x");
  EXPECT_EQ(rt_value_as_int_wide(S), S); // a heap word holds no integer
  EXPECT_EQ(rt_value_as_int_wide(rt_value_u64(77)), 77);
}

TEST(RuntimeValue, U64Box) {
  int64_t W = rt_value_u64(-1);
  ASSERT_EQ(W & 7, 1);
  EXPECT_EQ(field<uint32_t>(W, 0), 0x55494E54u);
  EXPECT_EQ(field<uint64_t>(W, 8), UINT64_MAX);
  EXPECT_EQ(rt_value_as_u64(W), -1);
  EXPECT_EQ(rt_value_as_u64(I(9)), 9);
  EXPECT_EQ(rt_value_as_u64(rt_value_int_wide(P60)), P60);
}

TEST(RuntimeValue, Floats) {
  int64_t W = rt_value_float(1.5);
  ASSERT_EQ(W & 7, 1);
  EXPECT_EQ(field<uint32_t>(W, 0), 0x464C5431u);
  EXPECT_EQ(field<uint64_t>(W, 8), bitsOf(1.5));
  EXPECT_EQ(rt_value_as_float(W), 1.5);
  for (uint64_t Bits : {0x7FF8000000000123ull, 0xFFF0000000000001ull,
                        0x8000000000000000ull, 0x0000000000000001ull}) {
    int64_t B = rt_value_float(doubleOf(Bits));
    EXPECT_EQ(bitsOf(rt_value_as_float(B)), Bits);
  }
  // Legacy inline floats: (bits & ~7) | 2.
  int64_t L = static_cast<int64_t>((bitsOf(2.5) & ~7ull) | 2);
  EXPECT_EQ(rt_value_as_float(L), 2.5);
  int64_t L2 = static_cast<int64_t>((0x3FB999999999999Aull & ~7ull) | 2);
  EXPECT_EQ(bitsOf(rt_value_as_float(L2)), 0x3FB9999999999998ull);
  EXPECT_EQ(rt_value_as_float(I(3)), 3.0);
  EXPECT_EQ(rt_value_as_float(rt_value_int_wide(P60)), std::ldexp(1.0, 60));
  EXPECT_EQ(rt_value_as_float(str("1.5")), 0.0);
  EXPECT_EQ(rt_value_as_float(Nil), 0.0);
}

int64_t pair(int64_t A, int64_t B) {
  int64_t R = rt_array_new(0);
  rt_array_push(R, A);
  rt_array_push(R, B);
  return R;
}

TEST(RuntimeValue, DeepEquality) {
  SPL_LIT(Abc, "abc");
  EXPECT_EQ(rt_native_eq(str("abc"), str("abc")), 1);
  EXPECT_EQ(rt_native_eq(str("abc"), str("abd")), 0);
  EXPECT_EQ(rt_native_eq(str("abc"), lit(Abc)), 1);
  EXPECT_EQ(rt_native_eq(I(1), I(1)), 1);
  EXPECT_EQ(rt_native_eq(I(1), I(2)), 0);
  EXPECT_EQ(rt_native_eq(True, False), 0);
  EXPECT_EQ(rt_native_eq(Nil, Nil), 1);
  EXPECT_EQ(rt_native_eq(pair(I(1), pair(I(2), str("x"))),
                         pair(I(1), pair(I(2), str("x")))),
            1);
  EXPECT_EQ(rt_native_eq(pair(I(1), pair(I(2), str("x"))),
                         pair(I(1), pair(I(2), str("y")))),
            0);
  int64_t Three = pair(I(1), I(2));
  rt_array_push(Three, I(3));
  EXPECT_EQ(rt_native_eq(pair(I(1), I(2)), Three), 0);
  EXPECT_EQ(
      rt_native_eq(rt_enum_new(1, 0, str("x")), rt_enum_new(1, 0, str("x"))),
      1);
  EXPECT_EQ(rt_native_eq(rt_enum_new(1, 0, I(1)), rt_enum_new(1, 1, I(1))), 0);
  EXPECT_EQ(rt_native_eq(rt_enum_new(0, 0, I(1)), rt_enum_new(1, 0, I(1))), 0);
  EXPECT_EQ(rt_native_eq(rt_enum_new(0, 0, I(1)), rt_enum_new(0, 0, I(2))), 0);
  EXPECT_EQ(rt_native_eq(rt_value_float(1.5), rt_value_float(1.5)), 1);
  EXPECT_EQ(rt_native_eq(rt_value_float(NAN), rt_value_float(NAN)), 0);
  EXPECT_EQ(rt_native_eq(rt_value_int_wide(P60), rt_value_int_wide(P60)), 1);
  EXPECT_EQ(rt_native_eq(rt_value_int_wide(P60), rt_value_int_wide(-P60)), 0);
  EXPECT_EQ(rt_native_eq(I(1), rt_value_float(1.0)), 0);
  int64_t DA = rt_dict_new(0), DB = rt_dict_new(0);
  rt_dict_set(DA, str("a"), I(1));
  rt_dict_set(DA, str("b"), pair(I(2), I(3)));
  rt_dict_set(DB, str("b"), pair(I(2), I(3)));
  rt_dict_set(DB, str("a"), I(1));
  EXPECT_EQ(rt_native_eq(DA, DB), 1);
  rt_dict_set(DB, str("a"), I(9));
  EXPECT_EQ(rt_native_eq(DA, DB), 0);
  EXPECT_EQ(rt_native_neq(I(1), I(2)), 1);
  EXPECT_EQ(rt_native_neq(str("q"), str("q")), 0);
  int64_t C = rt_closure_new(1, 0);
  EXPECT_EQ(rt_native_eq(C, C), 1);
  EXPECT_EQ(rt_native_eq(C, rt_closure_new(1, 0)), 0); // identity only
}

} // namespace
