//===- tests/interp/InterpArithTest.cpp - Integer and float arithmetic ----===//
//
// docs/SEMANTICS.md "Arithmetic", for every integer width and signedness,
// each operation computed with its operands in locals and as constants
// (evalBin checks the forms agree). Expected slots are written out by hand:
// signed results sign-extended, unsigned ones zero-extended.
//
//===----------------------------------------------------------------------===//

#include "InterpTestUtil.h"

#include <cmath>
#include <limits>

using namespace spl::interp::test;

namespace {

const std::string DivZero = "runtime error in `f`: attempt to divide by zero";
const std::string RemZero = "runtime error in `f`: attempt to calculate the "
                            "remainder with a divisor of zero";
const std::string DivOverflow =
    "runtime error in `f`: attempt to divide with overflow";
const std::string RemOverflow =
    "runtime error in `f`: attempt to calculate the remainder with overflow";
const std::string AddOverflow =
    "runtime error in `f`: attempt to add with overflow";
const std::string SubOverflow =
    "runtime error in `f`: attempt to subtract with overflow";
const std::string MulOverflow =
    "runtime error in `f`: attempt to multiply with overflow";
const std::string ShlOverflow =
    "runtime error in `f`: attempt to shift left with overflow";
const std::string ShrOverflow =
    "runtime error in `f`: attempt to shift right with overflow";
const std::string NegativePow =
    "runtime error in `f`: attempt to raise an integer to a negative power";

TEST(InterpArith, AddWrapsInEveryWidth) {
  EXPECT_EQ(evalBin("Add", "I8", "127", "1"), value(I(-128)));
  EXPECT_EQ(evalBin("Add", "U8", "255", "1"), value(0));
  EXPECT_EQ(evalBin("Add", "I16", "32767", "1"), value(I(-32768)));
  EXPECT_EQ(evalBin("Add", "U16", "65535", "2"), value(1));
  EXPECT_EQ(evalBin("Add", "I32", "2147483647", "1"), value(I(-2147483648LL)));
  EXPECT_EQ(evalBin("Add", "U32", "4294967295", "1"), value(0));
  EXPECT_EQ(evalBin("Add", "I64", "9223372036854775807", "1"),
            value(I(std::numeric_limits<int64_t>::min())));
  EXPECT_EQ(evalBin("Add", "U64", "18446744073709551615", "2"), value(1));
  EXPECT_EQ(evalBin("Add", "I32", "-5", "3"), value(I(-2)));
  EXPECT_EQ(evalBin("Add", "Char", "65", "1"), value(66));
}

TEST(InterpArith, SubAndMulWrap) {
  EXPECT_EQ(evalBin("Sub", "U8", "0", "1"), value(255));
  EXPECT_EQ(evalBin("Sub", "I8", "-128", "1"), value(127));
  EXPECT_EQ(evalBin("Sub", "U32", "1", "2"), value(0xffffffffu));
  EXPECT_EQ(evalBin("Sub", "I64", "10", "15"), value(I(-5)));
  EXPECT_EQ(evalBin("Sub", "U64", "0", "1"), value(~uint64_t(0)));
  EXPECT_EQ(evalBin("Mul", "I8", "16", "8"), value(I(-128)));
  EXPECT_EQ(evalBin("Mul", "U16", "256", "256"), value(0));
  EXPECT_EQ(evalBin("Mul", "I32", "65536", "32768"), value(I(-2147483648LL)));
  EXPECT_EQ(evalBin("Mul", "I32", "-7", "6"), value(I(-42)));
  EXPECT_EQ(evalBin("Mul", "U32", "4294967295", "4294967295"), value(1));
  EXPECT_EQ(evalBin("Mul", "I64", "4611686018427387904", "2"),
            value(I(std::numeric_limits<int64_t>::min())));
  EXPECT_EQ(evalBin("Mul", "U64", "4294967296", "4294967296"), value(0));
}

TEST(InterpArith, SignedDivisionAndRemainder) {
  EXPECT_EQ(evalBin("Div", "I64", "-7", "2"), value(I(-3)));
  EXPECT_EQ(evalBin("Rem", "I64", "-7", "2"), value(I(-1)));
  EXPECT_EQ(evalBin("Div", "I32", "7", "-2"), value(I(-3)));
  EXPECT_EQ(evalBin("Rem", "I32", "7", "-2"), value(1));
  EXPECT_EQ(evalBin("Div", "I8", "-128", "2"), value(I(-64)));
  EXPECT_EQ(evalBin("Rem", "I16", "-32768", "7"), value(I(-1)));
  // MIN / -1 of a narrow type overflows that type, not 64 bits.
  EXPECT_EQ(evalBin("Div", "I8", "-128", "-1"), error(DivOverflow));
  EXPECT_EQ(evalBin("Div", "I16", "-32768", "-1"), error(DivOverflow));
  EXPECT_EQ(evalBin("Div", "I32", "-2147483648", "-1"), error(DivOverflow));
  EXPECT_EQ(evalBin("Div", "I64", "-9223372036854775808", "-1"),
            error(DivOverflow));
  EXPECT_EQ(evalBin("Rem", "I32", "-2147483648", "-1"), error(RemOverflow));
  EXPECT_EQ(evalBin("Rem", "I64", "-9223372036854775808", "-1"),
            error(RemOverflow));
  EXPECT_EQ(evalBin("Div", "I32", "-2147483647", "-1"), value(2147483647));
  EXPECT_EQ(evalBin("Div", "I64", "5", "0"), error(DivZero));
  EXPECT_EQ(evalBin("Rem", "I8", "5", "0"), error(RemZero));
}

TEST(InterpArith, UnsignedDivisionAndRemainder) {
  EXPECT_EQ(evalBin("Div", "U64", "18446744073709551615", "2"),
            value(0x7fffffffffffffffULL));
  EXPECT_EQ(evalBin("Rem", "U64", "18446744073709551615", "10"), value(5));
  EXPECT_EQ(evalBin("Div", "U8", "200", "3"), value(66));
  EXPECT_EQ(evalBin("Rem", "U8", "200", "3"), value(2));
  EXPECT_EQ(evalBin("Div", "U32", "4294967295", "16"), value(0x0fffffffu));
  EXPECT_EQ(evalBin("Div", "U16", "65535", "255"), value(257));
  EXPECT_EQ(evalBin("Div", "U32", "1", "0"), error(DivZero));
  EXPECT_EQ(evalBin("Rem", "U64", "1", "0"), error(RemZero));
}

TEST(InterpArith, ShiftsWrapAndCheckTheAmount) {
  EXPECT_EQ(evalBin("Shl", "I32", "1", "31"), value(I(-2147483648LL)));
  EXPECT_EQ(evalBin("Shl", "U8", "255", "4"), value(0xf0));
  EXPECT_EQ(evalBin("Shl", "I8", "1", "7"), value(I(-128)));
  EXPECT_EQ(evalBin("Shl", "U64", "1", "63"), value(0x8000000000000000ULL));
  EXPECT_EQ(evalBin("Shr", "I64", "-8", "1"), value(I(-4)));
  EXPECT_EQ(evalBin("Shr", "I8", "-128", "7"), value(I(-1)));
  EXPECT_EQ(evalBin("Shr", "I32", "-1", "31"), value(I(-1)));
  EXPECT_EQ(evalBin("Shr", "U8", "128", "7"), value(1));
  EXPECT_EQ(evalBin("Shr", "U32", "4294967295", "4"), value(0x0fffffffu));
  EXPECT_EQ(evalBin("Shr", "U64", "18446744073709551615", "63"), value(1));
  EXPECT_EQ(evalBin("Shr", "U16", "65535", "15"), value(1));
  // An amount >= the width traps, negative amounts included.
  EXPECT_EQ(evalBin("Shl", "I32", "1", "32"), error(ShlOverflow));
  EXPECT_EQ(evalBin("Shl", "I64", "1", "64"), error(ShlOverflow));
  EXPECT_EQ(evalBin("Shl", "U8", "1", "8"), error(ShlOverflow));
  EXPECT_EQ(evalBin("Shl", "I16", "1", "-1"), error(ShlOverflow));
  EXPECT_EQ(evalBin("Shr", "I8", "1", "8"), error(ShrOverflow));
  EXPECT_EQ(evalBin("Shr", "U32", "1", "32"), error(ShrOverflow));
  EXPECT_EQ(evalBin("Shr", "I64", "1", "-3"), error(ShrOverflow));
  EXPECT_EQ(evalBin("Shr", "U16", "1", "16"), error(ShrOverflow));
}

TEST_F(InterpTest, ShiftAmountOfAnotherType) {
  // The amount's own type decides how it reads: U8 200 is 200, I8 -1 is huge.
  auto Fn = [](const char *Name, const char *AmountTy, const char *Amount) {
    std::string T = ty("I64"), A = ty(AmountTy);
    return func(Name, {}, T, {retLocal(0, T), varLocal(1, T), varLocal(2, A)},
                {block(0,
                       {constI(1, "1", T), constI(2, Amount, A),
                        binI(0, "Shl", cp(1), cp(2))},
                       retT(cp(0)))});
  };
  mustLoad(module({Fn("by_u8", "U8", "40"), Fn("by_i8", "I8", "-1"),
                   Fn("by_u8_200", "U8", "200")}));
  EXPECT_EQ(call("by_u8"), value(uint64_t(1) << 40));
  EXPECT_EQ(call("by_i8"), error("runtime error in `by_i8`: attempt to shift "
                                 "left with overflow"));
  EXPECT_EQ(call("by_u8_200"), error("runtime error in `by_u8_200`: attempt "
                                     "to shift left with overflow"));
}

TEST(InterpArith, IntegerPow) {
  EXPECT_EQ(evalBin("Pow", "I64", "3", "4"), value(81));
  EXPECT_EQ(evalBin("Pow", "I64", "-2", "3"), value(I(-8)));
  EXPECT_EQ(evalBin("Pow", "I64", "7", "0"), value(1));
  EXPECT_EQ(evalBin("Pow", "I64", "0", "0"), value(1));
  EXPECT_EQ(evalBin("Pow", "U64", "2", "64"), value(0));
  EXPECT_EQ(evalBin("Pow", "I32", "2", "31"), value(I(-2147483648LL)));
  EXPECT_EQ(evalBin("Pow", "U8", "3", "5"), value(243));
  EXPECT_EQ(evalBin("Pow", "U8", "3", "6"), value(729 & 0xff));
  EXPECT_EQ(evalBin("Pow", "I64", "2", "-1"), error(NegativePow));
  EXPECT_EQ(evalBin("Pow", "I8", "2", "-128"), error(NegativePow));
}

TEST(InterpArith, CheckedOperationsTrapOnOverflowOfTheirType) {
  EXPECT_EQ(evalBin("Add", "I32", "2147483647", "1", true), error(AddOverflow));
  EXPECT_EQ(evalBin("Add", "I32", "2147483646", "1", true), value(2147483647));
  EXPECT_EQ(evalBin("Add", "U8", "255", "1", true), error(AddOverflow));
  EXPECT_EQ(evalBin("Add", "U8", "254", "1", true), value(255));
  EXPECT_EQ(evalBin("Add", "I64", "9223372036854775807", "1", true),
            error(AddOverflow));
  EXPECT_EQ(evalBin("Add", "U64", "18446744073709551615", "1", true),
            error(AddOverflow));
  EXPECT_EQ(evalBin("Add", "I16", "-32768", "-1", true), error(AddOverflow));
  EXPECT_EQ(evalBin("Add", "U32", "4294967295", "1", true), error(AddOverflow));
  EXPECT_EQ(evalBin("Sub", "U8", "0", "1", true), error(SubOverflow));
  EXPECT_EQ(evalBin("Sub", "U64", "0", "1", true), error(SubOverflow));
  EXPECT_EQ(evalBin("Sub", "I8", "-128", "1", true), error(SubOverflow));
  EXPECT_EQ(evalBin("Sub", "I64", "-9223372036854775808", "1", true),
            error(SubOverflow));
  EXPECT_EQ(evalBin("Sub", "I32", "-5", "7", true), value(I(-12)));
  EXPECT_EQ(evalBin("Sub", "U16", "7", "5", true), value(2));
  EXPECT_EQ(evalBin("Mul", "I8", "-128", "-1", true), error(MulOverflow));
  EXPECT_EQ(evalBin("Mul", "I64", "4294967296", "4294967296", true),
            error(MulOverflow));
  EXPECT_EQ(evalBin("Mul", "U64", "4294967296", "4294967296", true),
            error(MulOverflow));
  EXPECT_EQ(evalBin("Mul", "U32", "65536", "65536", true), error(MulOverflow));
  EXPECT_EQ(evalBin("Mul", "I32", "-46341", "46341", true), error(MulOverflow));
  EXPECT_EQ(evalBin("Mul", "I32", "-46340", "46340", true),
            value(I(-2147395600LL)));
  EXPECT_EQ(evalBin("Mul", "U16", "255", "257", true), value(65535));
}

TEST(InterpArith, BitwiseOperations) {
  EXPECT_EQ(evalBin("BitAnd", "I64", "12", "10"), value(8));
  EXPECT_EQ(evalBin("BitOr", "I64", "12", "10"), value(14));
  EXPECT_EQ(evalBin("BitXor", "I64", "12", "10"), value(6));
  EXPECT_EQ(evalBin("BitAnd", "I8", "-1", "-128"), value(I(-128)));
  EXPECT_EQ(evalBin("BitXor", "U8", "255", "15"), value(0xf0));
  EXPECT_EQ(evalBin("BitOr", "U32", "4294901760", "65535"), value(0xffffffffu));
  EXPECT_EQ(evalBin("BitAnd", "Bool", "true", "false"), value(0));
  EXPECT_EQ(evalBin("BitOr", "Bool", "true", "false"), value(1));
  EXPECT_EQ(evalBin("BitXor", "Bool", "true", "true"), value(0));
}

TEST(InterpArith, UnaryOperations) {
  EXPECT_EQ(evalUn("Neg", "I64", "5"), value(I(-5)));
  EXPECT_EQ(evalUn("Neg", "I8", "-128"), value(I(-128)));
  EXPECT_EQ(evalUn("Neg", "I32", "-2147483648"), value(I(-2147483648LL)));
  EXPECT_EQ(evalUn("Neg", "U8", "1"), value(255));
  EXPECT_EQ(evalUn("Neg", "F64", "1.5"), value(F64(-1.5)));
  EXPECT_EQ(evalUn("Neg", "F32", "2.5"), value(F32(-2.5f)));
  EXPECT_EQ(evalUn("Not", "Bool", "true"), value(0));
  EXPECT_EQ(evalUn("Not", "Bool", "false"), value(1));
  EXPECT_EQ(evalUn("Not", "I32", "5"), value(I(-6)));
  EXPECT_EQ(evalUn("Not", "U16", "0"), value(0xffff));
  EXPECT_EQ(evalUn("BitNot", "U8", "15"), value(0xf0));
  EXPECT_EQ(evalUn("BitNot", "I64", "0"), value(I(-1)));
  EXPECT_EQ(evalUn("BitNot", "U32", "1"), value(0xfffffffeu));
  EXPECT_EQ(evalUn("BitNot", "Bool", "true"), value(0));
}

TEST(InterpArith, IntegerComparisonsUseTheSignedness) {
  EXPECT_EQ(evalBin("Lt", "I64", "-1", "1", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Lt", "U64", "18446744073709551615", "1", false, "Bool"),
            value(0));
  EXPECT_EQ(evalBin("Gt", "U8", "200", "100", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Gt", "I8", "-56", "100", false, "Bool"), value(0));
  EXPECT_EQ(evalBin("Le", "I32", "-3", "-3", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Ge", "U32", "4294967295", "0", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Ge", "I16", "-1", "0", false, "Bool"), value(0));
  EXPECT_EQ(evalBin("Eq", "I64", "7", "7", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Ne", "I64", "7", "7", false, "Bool"), value(0));
  EXPECT_EQ(evalBin("Eq", "Bool", "true", "true", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Lt", "Char", "97", "98", false, "Bool"), value(1));
}

TEST(InterpArith, FloatComparisonsAreOrderedExceptNe) {
  EXPECT_EQ(evalBin("Lt", "F64", "1.5", "2.5", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Ge", "F64", "-0.0", "0.0", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Eq", "F32", "0.5", "0.5", false, "Bool"), value(1));
  EXPECT_EQ(evalBin("Gt", "F32", "-1.5", "1.0", false, "Bool"), value(0));
  EXPECT_EQ(evalBin("Ne", "F64", "1.0", "2.0", false, "Bool"), value(1));
}

TEST(InterpArith, FloatArithmetic) {
  EXPECT_EQ(evalBin("Add", "F64", "0.1", "0.2"), value(F64(0.1 + 0.2)));
  EXPECT_EQ(evalBin("Sub", "F64", "1.0", "0.25"), value(F64(0.75)));
  EXPECT_EQ(evalBin("Mul", "F64", "1.5", "-4.0"), value(F64(-6.0)));
  EXPECT_EQ(evalBin("Div", "F64", "1.0", "0.0"),
            value(F64(std::numeric_limits<double>::infinity())));
  EXPECT_EQ(evalBin("Div", "F64", "-1.0", "0.0"),
            value(F64(-std::numeric_limits<double>::infinity())));
  EXPECT_EQ(evalBin("Rem", "F64", "7.5", "2.0"), value(F64(1.5)));
  EXPECT_EQ(evalBin("Rem", "F64", "-7.5", "2.0"), value(F64(-1.5)));
  EXPECT_EQ(evalBin("Pow", "F64", "2.0", "10.0"), value(F64(1024.0)));
  EXPECT_EQ(evalBin("Pow", "F64", "4.0", "0.5"), value(F64(2.0)));
  // F32 rounds each operation to float.
  EXPECT_EQ(evalBin("Add", "F32", "0.1", "0.2"), value(F32(0.1f + 0.2f)));
  EXPECT_EQ(evalBin("Mul", "F32", "16777216.0", "1.0000001"),
            value(F32(16777216.0f * 1.0000001f)));
  EXPECT_EQ(evalBin("Div", "F32", "1.0", "3.0"), value(F32(1.0f / 3.0f)));
  EXPECT_EQ(evalBin("Rem", "F32", "5.5", "2.0"), value(F32(1.5f)));
  EXPECT_EQ(evalBin("Sub", "F32", "1.0", "0.5"), value(F32(0.5f)));
  EXPECT_EQ(evalBin("Pow", "F32", "3.0", "2.0"), value(F32(9.0f)));
}

class InterpFloatNaN : public InterpTest {};

TEST_F(InterpFloatNaN, ComparisonsWithNaN) {
  // nan = 0.0 / 0.0, compared with 1.0 every way.
  std::string T = ty("F64"), B = ty("Bool");
  Strs Fns;
  for (const char *Op : {"Eq", "Ne", "Lt", "Le", "Gt", "Ge"})
    Fns.push_back(func(
        std::string("nan_") + Op, {}, B,
        {retLocal(0, B), varLocal(1, T)},
        {block(0,
               {binI(1, "Div", k("0.0", T), k("0.0", T)),
                binI(0, Op, cp(1), k("1.0", T))},
               retT(cp(0)))}));
  mustLoad(module(Fns));
  EXPECT_EQ(run("nan_Eq"), 0u);
  EXPECT_EQ(run("nan_Ne"), 1u);
  EXPECT_EQ(run("nan_Lt"), 0u);
  EXPECT_EQ(run("nan_Le"), 0u);
  EXPECT_EQ(run("nan_Gt"), 0u);
  EXPECT_EQ(run("nan_Ge"), 0u);
}

TEST_F(InterpTest, ArgumentsAreCanonicalisedForTheirTypes) {
  // A host passing 0xff for an I8 means -1; the result is sign-extended.
  std::string T = ty("I8");
  mustLoad(module({func("id8", {T}, T, {retLocal(0, T), argLocal(1, T, 0)},
                        {block(0, {binI(0, "Add", cp(1), k("0", T))},
                               retT(cp(0)))})}));
  EXPECT_EQ(run("id8", {0xff}), I(-1));
  EXPECT_EQ(run("id8", {0x17f}), 127u);
}

TEST_F(InterpTest, OperationsOnLocalsThatAreAlsoDestinations) {
  // x = x * x + x, in place: each op reads its operands before writing.
  std::string T = ty("I64");
  mustLoad(module({func(
      "sq", {T}, T, {retLocal(0, T), argLocal(1, T, 0), varLocal(2, T)},
      {block(0,
             {binI(2, "Mul", cp(1), cp(1)), binI(1, "Add", cp(2), cp(1)),
              copyI(0, cp(1))},
             retT())})}));
  EXPECT_EQ(run("sq", {I(-4)}), I(12));
  EXPECT_EQ(run("sq", {9}), 90u);
}

} // namespace

namespace {

TEST_F(InterpTest, DivisionByConstantsMatchesDivision) {
  // n / d and n % d with d a constant (the interpreter multiplies instead)
  // against C++'s operators, over numerators at the edges.
  const int64_t SDivisors[] = {1, 2, 3, 5, 7, 10, 16, 641, 1000000007,
                               4294967297LL, 4611686018427387905LL,
                               9223372036854775807LL, -1, -7};
  const uint64_t UDivisors[] = {1, 2, 3, 7, 10, 641, 4294967295ULL,
                                9223372036854775808ULL, 9223372036854775809ULL,
                                18446744073709551615ULL};
  std::string S = ty("I64"), U = ty("U64");
  Strs Fns;
  auto Fn = [&](const std::string &Name, const std::string &T, const char *Op,
                const std::string &D) {
    Fns.push_back(func(Name, {T}, T, {retLocal(0, T), argLocal(1, T, 0)},
                       {block(0, {binI(0, Op, cp(1), k(D, T))}, retT())}));
  };
  for (int64_t D : SDivisors) {
    Fn("sdiv" + std::to_string(D), S, "Div", std::to_string(D));
    Fn("srem" + std::to_string(D), S, "Rem", std::to_string(D));
  }
  for (uint64_t D : UDivisors) {
    Fn("udiv" + std::to_string(D), U, "Div", std::to_string(D));
    Fn("urem" + std::to_string(D), U, "Rem", std::to_string(D));
  }
  mustLoad(module(Fns));
  const int64_t Min = std::numeric_limits<int64_t>::min();
  const int64_t Max = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> Ns = {0, 1, -1, 2, -2, 6, 7, 8, -7, -8, 100, -100,
                             1000000006, 1000000007, 4294967296LL,
                             -4294967297LL, Max, Max - 1, Min + 1,
                             0x123456789abcdefLL, -0x123456789abcdefLL};
  for (int64_t D : SDivisors)
    for (int64_t N : Ns) {
      EXPECT_EQ(run("sdiv" + std::to_string(D), {I(N)}), I(N / D))
          << N << " / " << D;
      EXPECT_EQ(run("srem" + std::to_string(D), {I(N)}), I(N % D))
          << N << " % " << D;
    }
  for (int64_t D : {2, 3, 7, 1000000007}) { // MIN only where it cannot trap
    EXPECT_EQ(run("sdiv" + std::to_string(D), {I(Min)}), I(Min / D));
    EXPECT_EQ(run("srem" + std::to_string(D), {I(Min)}), I(Min % D));
  }
  std::vector<uint64_t> UNs = {0, 1, 2, 6, 7, 4294967295ULL, 4294967296ULL,
                               9223372036854775807ULL, 9223372036854775808ULL,
                               9223372036854775809ULL, 18446744073709551614ULL,
                               18446744073709551615ULL, 0xfedcba9876543210ULL};
  for (uint64_t D : UDivisors)
    for (uint64_t N : UNs) {
      EXPECT_EQ(run("udiv" + std::to_string(D), {N}), N / D)
          << N << " / " << D;
      EXPECT_EQ(run("urem" + std::to_string(D), {N}), N % D)
          << N << " % " << D;
    }
}

} // namespace
