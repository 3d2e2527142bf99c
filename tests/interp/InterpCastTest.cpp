//===- tests/interp/InterpCastTest.cpp - Cast and Bitcast -----------------===//
//
// docs/SEMANTICS.md "Casts": truncation and extension by the source's
// signedness, saturating float-to-int, rounding int-to-float, Bool and
// pointer conversions, same-size reinterpretation.
//
//===----------------------------------------------------------------------===//

#include "InterpTestUtil.h"

#include <cmath>
#include <limits>

using namespace spl::interp::test;

namespace {

TEST(InterpCast, IntegerTruncationAndExtension) {
  EXPECT_EQ(evalCast("I64", "300", "U8"), value(44));
  EXPECT_EQ(evalCast("I64", "300", "I8"), value(44));
  EXPECT_EQ(evalCast("I64", "200", "I8"), value(I(-56)));
  EXPECT_EQ(evalCast("I64", "74565", "I16"), value(0x2345)); // 0x12345
  EXPECT_EQ(evalCast("I64", "98304", "I16"), value(I(-32768))); // 0x18000
  EXPECT_EQ(evalCast("I64", "-1", "U32"), value(0xffffffffu));
  // Extension follows the source's signedness.
  EXPECT_EQ(evalCast("I8", "-1", "U32"), value(0xffffffffu));
  EXPECT_EQ(evalCast("I8", "-1", "I64"), value(I(-1)));
  EXPECT_EQ(evalCast("I8", "-1", "U64"), value(~uint64_t(0)));
  EXPECT_EQ(evalCast("U8", "255", "I32"), value(255));
  EXPECT_EQ(evalCast("U8", "255", "I8"), value(I(-1)));
  EXPECT_EQ(evalCast("U32", "4294967295", "I64"), value(4294967295u));
  EXPECT_EQ(evalCast("I32", "-2", "U16"), value(0xfffe));
  EXPECT_EQ(evalCast("U64", "18446744073709551615", "I64"), value(I(-1)));
  EXPECT_EQ(evalCast("I16", "-300", "I32"), value(I(-300)));
}

TEST(InterpCast, BoolAndChar) {
  EXPECT_EQ(evalCast("Bool", "true", "I64"), value(1));
  EXPECT_EQ(evalCast("Bool", "true", "I8"), value(1));
  EXPECT_EQ(evalCast("Bool", "false", "U32"), value(0));
  EXPECT_EQ(evalCast("I64", "5", "Bool"), value(1));
  EXPECT_EQ(evalCast("I64", "0", "Bool"), value(0));
  EXPECT_EQ(evalCast("U16", "256", "Bool"), value(1));
  EXPECT_EQ(evalCast("I32", "-7", "Bool"), value(1));
  EXPECT_EQ(evalCast("Char", "955", "I64"), value(955));
  EXPECT_EQ(evalCast("Char", "955", "U8"), value(955 & 0xff));
  EXPECT_EQ(evalCast("I64", "-1", "Char"), value(0xffffffffu));
  EXPECT_EQ(evalCast("U8", "65", "Char"), value(65));
}

TEST(InterpCast, IntegerToFloat) {
  EXPECT_EQ(evalCast("I64", "-3", "F64"), value(F64(-3.0)));
  EXPECT_EQ(evalCast("I8", "-128", "F64"), value(F64(-128.0)));
  EXPECT_EQ(evalCast("U64", "18446744073709551615", "F64"),
            value(F64(18446744073709551616.0)));
  EXPECT_EQ(evalCast("U32", "4294967295", "F32"), value(F32(4294967296.0f)));
  EXPECT_EQ(evalCast("I64", "9007199254740993", "F64"),
            value(F64(9007199254740992.0))); // rounds to nearest even
  EXPECT_EQ(evalCast("I32", "16777217", "F32"), value(F32(16777216.0f)));
  EXPECT_EQ(evalCast("U8", "200", "F32"), value(F32(200.0f)));
}

TEST(InterpCast, FloatToIntegerSaturates) {
  EXPECT_EQ(evalCast("F64", "3.9", "I64"), value(3));
  EXPECT_EQ(evalCast("F64", "-3.9", "I64"), value(I(-3)));
  EXPECT_EQ(evalCast("F64", "1e20", "I32"), value(2147483647));
  EXPECT_EQ(evalCast("F64", "-1e20", "I32"), value(I(-2147483648LL)));
  EXPECT_EQ(evalCast("F64", "1e20", "I64"),
            value(I(std::numeric_limits<int64_t>::max())));
  EXPECT_EQ(evalCast("F64", "-1e300", "I64"),
            value(I(std::numeric_limits<int64_t>::min())));
  EXPECT_EQ(evalCast("F64", "300.5", "U8"), value(255));
  EXPECT_EQ(evalCast("F64", "-5.7", "U8"), value(0));
  EXPECT_EQ(evalCast("F64", "-0.5", "U32"), value(0));
  EXPECT_EQ(evalCast("F64", "127.9", "I8"), value(127));
  EXPECT_EQ(evalCast("F64", "-128.9", "I8"), value(I(-128)));
  EXPECT_EQ(evalCast("F64", "1e19", "U64"), value(10000000000000000000ULL));
  EXPECT_EQ(evalCast("F64", "18446744073709551616.0", "U64"),
            value(~uint64_t(0)));
  EXPECT_EQ(evalCast("F64", "65535.99", "U16"), value(65535));
  EXPECT_EQ(evalCast("F32", "-40000.0", "I16"), value(I(-32768)));
  EXPECT_EQ(evalCast("F32", "2.5", "U64"), value(2));
}

class InterpCastNaN : public InterpTest {};

TEST_F(InterpCastNaN, NaNBecomesZero) {
  std::string F = ty("F64"), T = ty("I32"), U = ty("U64");
  mustLoad(module({
      func("nan_i32", {}, T, {retLocal(0, T), varLocal(1, F)},
           {block(0,
                  {binI(1, "Div", k("0.0", F), k("0.0", F)),
                   castI(0, cp(1), T)},
                  retT(cp(0)))}),
      func("nan_u64", {}, U, {retLocal(0, U), varLocal(1, F)},
           {block(0,
                  {binI(1, "Div", k("0.0", F), k("0.0", F)),
                   castI(0, cp(1), U)},
                  retT(cp(0)))}),
      func("inf_i32", {}, T, {retLocal(0, T), varLocal(1, F)},
           {block(0,
                  {binI(1, "Div", k("1.0", F), k("0.0", F)),
                   castI(0, cp(1), T)},
                  retT(cp(0)))}),
  }));
  EXPECT_EQ(run("nan_i32"), 0u);
  EXPECT_EQ(run("nan_u64"), 0u);
  EXPECT_EQ(run("inf_i32"), 2147483647u);
}

TEST(InterpCast, FloatToFloat) {
  EXPECT_EQ(evalCast("F64", "0.1", "F32"), value(F32(0.1f)));
  EXPECT_EQ(evalCast("F32", "0.1", "F64"), value(F64(double(0.1f))));
  EXPECT_EQ(evalCast("F64", "1e300", "F32"),
            value(F32(std::numeric_limits<float>::infinity())));
  EXPECT_EQ(evalCast("F64", "2.5", "F64"), value(F64(2.5)));
}

TEST(InterpCast, Bitcasts) {
  EXPECT_EQ(evalCast("F64", "1.0", "I64", true), value(0x3ff0000000000000ULL));
  EXPECT_EQ(evalCast("I64", "4611686018427387904", "F64", true),
            value(F64(2.0))); // 0x4000000000000000
  EXPECT_EQ(evalCast("F64", "-0.0", "U64", true), value(0x8000000000000000ULL));
  // F32 bits live in the low 32; as I32 they are sign-extended.
  EXPECT_EQ(evalCast("F32", "-1.0", "I32", true), value(I(int32_t(0xbf800000))));
  EXPECT_EQ(evalCast("F32", "-1.0", "U32", true), value(0xbf800000u));
  EXPECT_EQ(evalCast("I32", "-1082130432", "F32", true), value(F32(-1.0f)));
  EXPECT_EQ(evalCast("U32", "1065353216", "F32", true), value(F32(1.0f)));
}

TEST_F(InterpTest, PointersAndIntegers) {
  // Ptr -> I64 -> Ptr keeps the address; the load through it sees the store.
  std::string I64 = ty("I64"), P = ptrTy(I64);
  mustLoad(module({func(
      "roundtrip", {}, I64,
      {retLocal(0, I64), varLocal(1, P), varLocal(2, I64), varLocal(3, P),
       varLocal(4, I64)},
      {block(0,
             {allocI(1, I64), storeI(cp(1), k("77", I64)), castI(2, cp(1), I64),
              castI(4, cp(1), I64, true), castI(3, cp(2), P),
              loadI(0, cp(3)), binI(2, "Sub", cp(2), cp(4)) /* 0 */,
              binI(0, "Add", cp(0), cp(2))},
             retT(cp(0)))})}));
  EXPECT_EQ(run("roundtrip"), 77u);
}

} // namespace
