//===- tests/mir/TextFormTest.cpp - parseText / printText -----------------===//
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace spl::mir;
using spl::mir::test::errorText;

namespace {

std::string parseError(llvm::StringRef Text) {
  llvm::Expected<Module> M = parseText(Text, "t.mir");
  return errorText(M);
}

Module parse(llvm::StringRef Text) {
  llvm::Expected<Module> M = parseText(Text, "t.mir");
  EXPECT_TRUE(bool(M)) << errorText(M);
  return M ? std::move(*M) : Module();
}

/// The constant of `const TYPE VALUE` as the parser reads it.
Constant constant(const std::string &TypeAndValue) {
  Module M = parse("fn @f() {\nbb0:\n  _1 = const " + TypeAndValue +
                   "\n  return\n}\n");
  if (M.Functions.empty())
    return Constant();
  return M.Functions[0].Blocks[0].Insts[0].constant();
}

TEST(MirText, ParsesTheModuleShape) {
  Module M = parse(R"(; leading comment
module "demo mod" // trailing comment
extern @rt_geom_area(f64, f64) -> f64
extern @"odd name"(*u8, ...)

fn @main() -> i64 #-3 entry bb7 {
  let _0 _return: i64 return
  let _1 "has space": i64 var
  let _2: [i64; 3] temp   ; `;` is a comment outside brackets
bb2 "bb9":
  unreachable
bb7 body.1:
  return copy _0
}
)");
  EXPECT_EQ(M.Name, "demo mod");
  ASSERT_EQ(M.Externs.size(), 2u);
  EXPECT_EQ(M.Externs[1].Name, "odd name");
  EXPECT_TRUE(M.Externs[1].Sig.Variadic);
  EXPECT_EQ(M.Externs[1].Sig.Ret, Type(TypeKind::Unit));
  const Function &F = M.Functions[0];
  EXPECT_EQ(F.Symbol, -3);
  EXPECT_EQ(F.EntryBlock, 7u);
  EXPECT_EQ(F.Locals[1].Name, std::optional<std::string>("has space"));
  EXPECT_EQ(F.Locals[2].Name, std::nullopt);
  EXPECT_EQ(F.Locals[2].Ty, Type::array(TypeKind::I64, 3));
  EXPECT_EQ(F.Blocks[0].Label, std::optional<std::string>("bb9"));
  EXPECT_EQ(F.Blocks[1].Label, std::optional<std::string>("body.1"));
  EXPECT_EQ(F.block(7), &F.Blocks[1]);
}

TEST(MirText, Constants) {
  Constant C = constant("u64 18446744073709551615");
  EXPECT_EQ(C.Bits, UINT64_MAX);
  C = constant("i16 -2");
  EXPECT_EQ(C.Bits, uint64_t(-2));
  C = constant("u8 0xff");
  EXPECT_EQ(C.Bits, 255u);
  C = constant("f64 2");
  EXPECT_EQ(C.K, Constant::Kind::Float);
  EXPECT_EQ(C.F, 2.0);
  C = constant("f64 -0.0");
  EXPECT_TRUE(std::signbit(C.F));
  C = constant("f32 -inf");
  EXPECT_EQ(C.F, -HUGE_VAL);
  C = constant("f64 0x7ff8000000000001");
  uint64_t Bits;
  std::memcpy(&Bits, &C.F, 8);
  EXPECT_EQ(Bits, 0x7ff8000000000001u);
  C = constant("bool false");
  EXPECT_EQ(C.K, Constant::Kind::Bool);
  C = constant(R"(*u8 "a\n\t\"\\\x01\u{e9}")");
  EXPECT_EQ(C.S, "a\n\t\"\\\x01\xc3\xa9");
  C = constant("fn(i64) -> i64 @fib");
  EXPECT_TRUE(C.isFunctionRef());
  EXPECT_EQ(C.S, "fib");
  C = constant("(i64, f64) zero");
  EXPECT_EQ(C.K, Constant::Kind::Zero);
}

TEST(MirText, PrintsConstantsReadably) {
  Module M = parse(R"(fn @f() {
bb0:
  _1 = const f64 1000
  _1 = const f64 0.1
  _1 = const f32 0.1
  _1 = const f64 1e16
  _1 = const f64 0.00001
  _1 = const f64 -0.0
  _1 = const f64 nan
  _1 = const i8 -128
  _1 = const u8 200
  _1 = const *u8 "x\x7f"
  _1 = const fn() @"a b"
  return
}
)");
  EXPECT_EQ(printText(M), R"(module ""

fn @f() {
bb0:
  _1 = const f64 1000.0
  _1 = const f64 0.1
  _1 = const f32 0.1
  _1 = const f64 1e+16
  _1 = const f64 1e-05
  _1 = const f64 -0.0
  _1 = const f64 nan
  _1 = const i8 -128
  _1 = const u8 200
  _1 = const *u8 "x\x7f"
  _1 = const fn() @"a b"
  return
}
)");
}

TEST(MirText, InstructionsAndTerminators) {
  Module M = parse(R"(fn @f(i32) -> i32 {
  let _1: i32 arg 0
bb0:
  _2 = copy _1
  _2 = move copy _1
  _2 = checked add copy _1, const i32 1
  _2 = unop bitnot copy _1
  debug_value {"name": "x",
               "local": 1}
  _3 = call_indirect copy _4(copy _1) : fn(i32) -> i32
  _3 = call #12() : fn() -> i32
  switch copy _1 [-1: bb1, 3: bb1, otherwise: bb2]
bb1:
  abort "bad \"state\""
bb2:
  return
}
)");
  const Block &B = M.Functions[0].Blocks[0];
  EXPECT_EQ(B.Insts[0].ops()[0], Operand::copy(1));
  EXPECT_EQ(B.Insts[1].Op, Opcode::Move);
  EXPECT_EQ(B.Insts[1].ops()[0], Operand::copy(1));
  EXPECT_EQ(B.Insts[2].Op, Opcode::CheckedBinOp);
  EXPECT_EQ(B.Insts[3].Un, UnOpKind::BitNot);
  EXPECT_EQ(B.Insts[4].payload(), R"({"local":1,"name":"x"})");
  EXPECT_FALSE(B.Insts[4].maybeDest().has_value());
  EXPECT_EQ(B.Insts[5].sig().str(), "fn(i32) -> i32");
  EXPECT_EQ(B.Insts[6].callee().constant().K, Constant::Kind::Int);
  EXPECT_EQ(B.Insts[6].callee().constant().Bits, 12u);
  EXPECT_EQ(B.Insts[6].loc().Line, 11u);
  EXPECT_EQ(B.Insts[6].loc().Col, 3u);
  EXPECT_EQ(B.Term.K, TermKind::Switch);
  EXPECT_EQ(B.Term.Cases[0].Value, UINT64_MAX);
  EXPECT_EQ(B.Term.Target, 2u);
  EXPECT_EQ(M.Functions[0].Blocks[1].Term.Message, "bad \"state\"");
}

TEST(MirText, ErrorsCarryLineAndColumn) {
  EXPECT_EQ(parseError("fn @f() {\n  let _1: i65 temp\n}"),
            "t.mir:2:11: unknown type `i65`");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = frobnicate copy _2\n}"),
            "t.mir:3:8: unknown instruction `frobnicate`");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  return\n  _2 = copy _1\n}"),
            "t.mir:4:3: expected a block (bbN:) or `}` after the terminator "
            "of bb0, found `_2`");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = binop add copy _2 copy _3\n}"),
            "t.mir:3:26: expected `,`, found `copy`");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = const i8 2.5\n}"),
            "t.mir:3:17: a constant of type `i8` cannot be 2.5");
  EXPECT_EQ(parseError("module \"m\nfn"),
            "t.mir:1:8: unterminated string");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = const *u8 \"\\q\"\n}"),
            "t.mir:3:19: unknown escape `\\q`");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = const u8 99999999999999999999\n}"),
            "t.mir:3:17: integer `99999999999999999999` is out of range");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = goto bb1\n}"),
            "t.mir:3:8: a terminator (`goto`) has no dest");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  return\n  let _1: i64 temp\n}"),
            "t.mir:4:3: locals (`let`) must come before the first block");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  debug_value {\"a\": }\n  return\n}"),
            "t.mir:3:15: malformed JSON in debug_value: [1:7, byte=7]: "
            "Invalid JSON value");
  EXPECT_EQ(parseError("func @f()"),
            "t.mir:1:1: expected `module`, `extern` or `fn`, found `func`");
  EXPECT_EQ(parseError("fn @f() {\n  let _1: i64 ; temp\n}"),
            "t.mir:3:1: expected the local's kind (return, arg N, var or "
            "temp), found `}`");
  // Inside [...] `;` separates the size; `//` still comments.
  EXPECT_EQ(parseError("fn @f() {\n  let _1: [i64 // 4]\n ; 4] temp\n}"), "");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = const i64 1\n"),
            "t.mir:4:1: expected an instruction, found end of input");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  switch copy _1 [1: bb1 otherwise: bb2]\n}"),
            "t.mir:3:26: expected `,`, found `otherwise`");
  // (v2) Any other intrinsic name is an extern intrinsic, but not "".
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = intrinsic \"\"(copy _2)\n}"),
            "t.mir:3:18: the intrinsic name must not be empty");
  EXPECT_EQ(parseError("fn @f() {\nbb0:\n  _1 = copy _2 ^\n}"),
            "t.mir:3:16: unexpected character `^`");
}

} // namespace
