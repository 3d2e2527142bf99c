//===- tests/repl/ReplInputTest.cpp - The REPL's input rules --------------===//
//
// Cells end where the text lexer's braces balance (docs/MIR-TEXT.md:
// comments from `//` or from `;` outside `[...]`, strings with escapes),
// call arguments must fit their parameter types exactly, results print with
// their type. Expectations come from those rules, worked out by hand.
//
//===----------------------------------------------------------------------===//
#include "tools/Repl.h"

#include <gtest/gtest.h>

using namespace spl;
using namespace spl::tool;

namespace {
bool completeAfter(std::initializer_list<const char *> Lines) {
  CellReader C;
  for (const char *L : Lines)
    C.addLine(L);
  return C.complete();
}

std::string argError(const char *Arg, const char *Ty) {
  std::string E;
  EXPECT_FALSE(argumentValue(Arg, Ty, E).has_value()) << Arg << " as " << Ty;
  return E;
}

Value arg(const char *A, const char *Ty) {
  std::string E;
  std::optional<Value> V = argumentValue(A, Ty, E);
  EXPECT_TRUE(V.has_value()) << A << " as " << Ty << ": " << E;
  return V.value_or(Value());
}
} // namespace

TEST(ReplCell, BracesBalanceAcrossLines) {
  EXPECT_FALSE(completeAfter({"fn @f() {"}));
  EXPECT_FALSE(completeAfter({"fn @f() {", "bb0:"}));
  EXPECT_TRUE(completeAfter({"fn @f() {", "bb0:", "  return", "}"}));
  EXPECT_TRUE(completeAfter({"extern @g(i64)"})); // no braces: one line
}

TEST(ReplCell, BracesInCommentsDoNotCount) {
  EXPECT_TRUE(completeAfter({"fn @f() { // {{ not counted", "}"}));
  EXPECT_TRUE(completeAfter({"fn @f() { ; { nor this", "}"}));
  // The case: a `{` in a comment swallowed the next lines.
  EXPECT_TRUE(completeAfter({"extern @g(i64) ; see {", }));
  EXPECT_FALSE(completeAfter({"fn @f() { // }"}));
}

TEST(ReplCell, ASemicolonInsideBracketsIsTheArraySeparator) {
  // `[i64; 2]`: the `;` is not a comment, so the `{` after it counts.
  EXPECT_FALSE(completeAfter({"fn @f(*[i64; 2]) {"}));
  EXPECT_TRUE(completeAfter({"fn @f(*[i64; 2]) {", "}"}));
}

TEST(ReplCell, BracesInStringsAndCharsDoNotCount) {
  EXPECT_TRUE(completeAfter({"fn @f() {", "  call @p(const *u8 \"{\") : fn(*u8)", "}"}));
  EXPECT_TRUE(completeAfter({"fn @f() {", "  _1 = const char '{'", "}"}));
  EXPECT_TRUE(completeAfter({"fn @f() {", "  call @p(const *u8 \"\\\"{\") : fn(*u8)", "}"}));
  // A string left open continues on the next line: not complete yet.
  EXPECT_FALSE(completeAfter({"fn @f() { call @p(const *u8 \"}"}));
}

TEST(ReplCell, BlankAndCommentLinesAloneAreNoCell) {
  CellReader C;
  C.addLine("   ");
  C.addLine("; just a comment {");
  EXPECT_TRUE(C.empty());
  EXPECT_FALSE(C.complete());
}

TEST(ReplCall, SplitsNameAndArguments) {
  std::optional<CallLine> L = splitCallLine("  div(7, 2.5) ");
  ASSERT_TRUE(L);
  EXPECT_EQ(L->Name, "div");
  EXPECT_EQ(L->Args, (std::vector<std::string>{"7", "2.5"}));
  EXPECT_EQ(splitCallLine("f()")->Args.size(), 0u);
  EXPECT_EQ(splitCallLine("c(',', 'x')")->Args,
            (std::vector<std::string>{"','", "'x'"}));
  EXPECT_FALSE(splitCallLine("fn @f(i64) -> i64 {"));
  EXPECT_FALSE(splitCallLine("_1 = call @f(copy _2) : fn(i64)"));
  EXPECT_FALSE(splitCallLine("(1)"));
}

TEST(ReplCall, ParsesSignatureText) {
  std::optional<SignatureText> S = parseSignatureText("fn(i64, f64) -> i64");
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Params, (std::vector<std::string>{"i64", "f64"}));
  EXPECT_EQ(S->Ret, "i64");
  S = parseSignatureText("fn()");
  ASSERT_TRUE(S);
  EXPECT_TRUE(S->Params.empty());
  EXPECT_EQ(S->Ret, "unit");
  S = parseSignatureText("fn(fn(i64) -> i64, [i64; 2], (i64, f64)) -> *u8");
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Params, (std::vector<std::string>{"fn(i64) -> i64", "[i64; 2]",
                                                 "(i64, f64)"}));
  EXPECT_EQ(S->Ret, "*u8");
  EXPECT_FALSE(parseSignatureText("i64"));
}

TEST(ReplCall, IntegersMustBeInRange) {
  EXPECT_EQ(arg("-128", "i8"), Value::raw(ValueType::I8, uint64_t(-128)));
  EXPECT_EQ(arg("127", "i8"), Value::raw(ValueType::I8, 127));
  EXPECT_EQ(argError("128", "i8"), "128 is out of range for i8");
  EXPECT_EQ(arg("0xff", "u8"), Value::raw(ValueType::U8, 255));
  EXPECT_EQ(argError("256", "u8"), "256 is out of range for u8");
  EXPECT_EQ(argError("-1", "u64"), "-1 is out of range for u64");
  EXPECT_EQ(arg("18446744073709551615", "u64"), Value::raw(ValueType::U64, ~0ull));
  EXPECT_EQ(argError("9223372036854775808", "i64"),
            "9223372036854775808 is out of range for i64");
  EXPECT_EQ(arg("-9223372036854775808", "i64"), Value::i64(INT64_MIN));
}

TEST(ReplCall, AFloatIsNoInteger) {
  // The case: div(7, 2.5) gave 3.
  EXPECT_EQ(argError("2.5", "i64"), "2.5 is not an i64");
  EXPECT_EQ(argError("1e3", "u32"), "1e3 is not a u32");
  EXPECT_EQ(argError("true", "i64"), "true is not an i64");
}

TEST(ReplCall, FloatsTakeFloatsAndExactIntegers) {
  EXPECT_EQ(arg("2.5", "f64"), Value::f64(2.5));
  EXPECT_EQ(arg("3", "f64"), Value::f64(3.0));
  EXPECT_EQ(arg("-0.0", "f64"), Value::f64(-0.0));
  EXPECT_EQ(arg("0.1", "f32"), Value::f32(0.1f));
  EXPECT_EQ(arg("16777216", "f32"), Value::f32(16777216.0f));
  EXPECT_EQ(argError("16777217", "f32"), "16777217 is not exactly representable as f32");
  EXPECT_EQ(argError("9007199254740993", "f64"),
            "9007199254740993 is not exactly representable as f64");
  EXPECT_EQ(argError("1e300", "f32"), "1e300 is out of range for f32");
  EXPECT_EQ(argError("x", "f64"), "x is not an f64");
}

TEST(ReplCall, BoolsAndChars) {
  EXPECT_EQ(arg("true", "bool"), Value::boolean(true));
  EXPECT_EQ(argError("1", "bool"), "1 is not a bool");
  EXPECT_EQ(arg("'a'", "char"), Value::raw(ValueType::Char, 'a'));
  EXPECT_EQ(arg("'\\n'", "char"), Value::raw(ValueType::Char, '\n'));
  EXPECT_EQ(arg("'\xc3\xa9'", "char"), Value::raw(ValueType::Char, 0xE9)); // é
  EXPECT_EQ(arg("'\\u{1F600}'", "char"), Value::raw(ValueType::Char, 0x1F600));
  EXPECT_EQ(arg("65", "char"), Value::raw(ValueType::Char, 65));
  EXPECT_EQ(argError("0xD800", "char"), "0xD800 is not a char"); // a surrogate
  EXPECT_EQ(argError("'ab'", "char"), "'ab' is not a char");
}

TEST(ReplCall, OtherTypesCannotBeTyped) {
  EXPECT_EQ(argError("0", "*u8"), "the REPL cannot pass a value of type *u8");
}

TEST(ReplResult, ValuesPrintWithTheirType) {
  EXPECT_EQ(typedResult(Value::f64(4.0), "f64"), "4.0 : f64");
  EXPECT_EQ(typedResult(Value::i64(-3), "i64"), "-3 : i64");
  EXPECT_EQ(typedResult(Value::boolean(false), "bool"), "false : bool");
  EXPECT_EQ(typedResult(Value::raw(ValueType::Char, 'x'), "char"), "x : char");
  EXPECT_EQ(typedResult(Value::unit(), "unit"), std::nullopt);
}
