//===- tests/mir/JSONReaderTest.cpp - readJSON: shapes, values, errors ----===//
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace spl::mir;
using spl::mir::test::errorText;

namespace {

const char *Locals = R"([
  {"id": 0, "name": "_return", "type": "I64", "kind": "Return"},
  {"id": 1, "name": "n", "type": "I64", "kind": {"Arg": 0}},
  {"id": 2, "name": null, "type": "F64", "kind": "Temp"},
  {"id": 3, "name": null, "type": {"Ptr": {"pointee": "U8", "mutable": false}}, "kind": "Temp"},
  {"id": 4, "name": "flag", "type": "Bool", "kind": "Var"},
  {"id": 5, "name": null, "type": "U64", "kind": "Temp"},
  {"id": 6, "name": null, "type": "I8", "kind": "Temp"}])";

/// One function `f(i64) -> i64` whose block bb0 holds Insts and Term.
std::string fn(const std::string &Insts,
               const std::string &Term = R"({"Return": null})",
               const std::string &Extra = "") {
  return R"({"symbol": 4, "name": "f", )" + Extra +
         R"("signature": {"params": ["I64"], "return_type": "I64", "is_variadic": false},
  "locals": )" + Locals +
         R"(, "blocks": [{"id": 0, "label": "entry", "instructions": [)" +
         Insts + R"(], "terminator": )" + Term + R"(}], "entry_block": 0})";
}

/// The first instruction of f after reading fn(Inst).
Inst inst(const std::string &I) {
  llvm::Expected<Module> M = readJSON(fn(I));
  EXPECT_TRUE(bool(M)) << errorText(M);
  if (!M)
    return Inst();
  return M->Functions[0].Blocks[0].Insts[0];
}

/// The constant of `{"Const": {"dest": 1, "value": V, "type": T}}`.
Constant constant(const std::string &V, const std::string &T) {
  return inst(R"({"Const": {"dest": 1, "value": )" + V + R"(, "type": )" + T +
              "}}")
      .constant();
}

std::string readError(const std::string &Text) {
  llvm::Expected<Module> M = readJSON(Text);
  return errorText(M);
}

TEST(MirJSONReader, BareFunctionBecomesModuleNamedAfterIt) {
  llvm::Expected<Module> M = readJSON(fn(""));
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, "f");
  ASSERT_EQ(M->Functions.size(), 1u);
  const Function &F = M->Functions[0];
  EXPECT_EQ(F.Symbol, 4);
  EXPECT_EQ(F.Sig.Params.size(), 1u);
  EXPECT_EQ(F.Sig.Ret, Type(TypeKind::I64));
  ASSERT_EQ(F.Locals.size(), 7u);
  EXPECT_EQ(F.Locals[1].Kind, LocalKind::Arg);
  EXPECT_EQ(F.Locals[1].Name, std::optional<std::string>("n"));
  EXPECT_EQ(F.Locals[2].Name, std::nullopt);
  EXPECT_EQ(F.Locals[4].Kind, LocalKind::Var);
  EXPECT_EQ(F.Locals[3].Ty, Type::ptr(TypeKind::U8, false));
  EXPECT_EQ(F.argLocal(0), &F.Locals[1]);
  EXPECT_EQ(F.Blocks[0].Label, std::optional<std::string>("entry"));
  EXPECT_EQ(F.Blocks[0].Term.K, TermKind::Return);
  EXPECT_FALSE(F.Blocks[0].Term.Value.has_value());
}

TEST(MirJSONReader, FunctionsKeyedBySymbolId) {
  std::string G = fn("");
  std::string H = G;
  const std::string Head = R"("symbol": 4, "name": "f")";
  H.replace(H.find(Head), Head.size(), R"("name": "h")");
  std::string Text = R"({"name": "m", "functions": {"10": )" + H +
                     R"(, "2": )" + G + "}}";
  llvm::Expected<Module> M = readJSON(Text);
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, "m");
  ASSERT_EQ(M->Functions.size(), 2u);
  EXPECT_EQ(M->Functions[0].Name, "f"); // key 2 before key 10
  EXPECT_EQ(M->Functions[0].Symbol, 4); // its own symbol wins
  EXPECT_EQ(M->Functions[1].Name, "h");
  EXPECT_EQ(M->Functions[1].Symbol, 10); // taken from the key
}

TEST(MirJSONReader, UnknownFieldsAreIgnored) {
  llvm::Expected<Module> M = readJSON(
      fn(R"({"Nop": null, "span": [1, 2]})", R"({"Return": null})",
         R"("generic_params": ["T"], "is_generic_template": false, )"));
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Functions[0].Blocks[0].Insts[0].Op, Opcode::Nop);
}

TEST(MirJSONReader, ModuleWithExterns) {
  llvm::Expected<Module> M = readJSON(R"({"name": "demo",
    "externs": [{"name": "rt_geom_area", "signature": {"params": ["F64", "F64"],
                 "return_type": "F64", "is_variadic": false}},
                {"name": "printf", "signature": {"params": [{"Ptr": {"pointee": "U8", "mutable": false}}],
                 "return_type": "I32", "is_variadic": true}}],
    "functions": []})");
  ASSERT_TRUE(bool(M)) << errorText(M);
  ASSERT_EQ(M->Externs.size(), 2u);
  EXPECT_EQ(M->Externs[0].Sig.str(), "fn(f64, f64) -> f64");
  EXPECT_EQ(M->Externs[1].Sig.str(), "fn(*u8, ...) -> i32");
}

TEST(MirJSONReader, FuncPtrNullReturnIsUnit) {
  Inst I = inst(R"({"Call": {"dest": null, "func": {"Const": {"value": "rt_println_i64",
      "type": {"FuncPtr": {"params": ["I64"], "return_type": null, "is_variadic": false}}}},
      "args": [{"Copy": 1}]}})");
  EXPECT_EQ(I.Op, Opcode::Call);
  EXPECT_FALSE(I.maybeDest().has_value());
  ASSERT_TRUE(I.callee().isConst());
  EXPECT_EQ(I.callee().constant().K, Constant::Kind::Str);
  EXPECT_EQ(I.callee().constant().S, "rt_println_i64");
  EXPECT_EQ(I.callee().constant().Ty.sig().Ret, Type(TypeKind::Unit));
  ASSERT_EQ(I.ops().size(), 1u);
  EXPECT_EQ(I.ops()[0], Operand::copy(1));
}

TEST(MirJSONReader, ConstantsAreNormalisedByType) {
  Constant C = constant("2", R"("F64")");
  EXPECT_EQ(C.K, Constant::Kind::Float);
  EXPECT_EQ(C.F, 2.0);

  C = constant("18446744073709551615", R"("U64")");
  EXPECT_EQ(C.K, Constant::Kind::Int);
  EXPECT_EQ(C.Bits, UINT64_MAX);

  C = constant("-1", R"("I8")");
  EXPECT_EQ(C.Bits, UINT64_MAX); // sign-extended slot
  C = constant("255", R"("I8")");
  EXPECT_EQ(C.Bits, UINT64_MAX); // truncated to 8 bits: -1
  C = constant("-1", R"("U8")");
  EXPECT_EQ(C.Bits, 255u);
  C = constant("-9223372036854775808", R"("I64")");
  EXPECT_EQ(C.Bits, uint64_t(1) << 63);
  C = constant("3.0", R"("I32")");
  EXPECT_EQ(C.K, Constant::Kind::Int);
  EXPECT_EQ(C.Bits, 3u);

  C = constant("0.1", R"("F32")");
  EXPECT_EQ(C.F, double(0.1f));
  C = constant("-0.0", R"("F64")");
  EXPECT_TRUE(std::signbit(C.F));
  C = constant(R"("inf")", R"("F64")");
  EXPECT_EQ(C.F, HUGE_VAL);
  C = constant(R"("nan")", R"("F32")");
  EXPECT_TRUE(std::isnan(C.F));

  C = constant("true", R"("Bool")");
  EXPECT_EQ(C.K, Constant::Kind::Bool);
  EXPECT_EQ(C.Bits, 1u);
  C = constant(R"("Zero")", R"({"Array": {"element": "I64", "size": 4}})");
  EXPECT_EQ(C.K, Constant::Kind::Zero);
  EXPECT_EQ(C.Ty, Type::array(TypeKind::I64, 4));
  C = constant(R"("a\u00e9")",
               R"({"Ptr": {"pointee": "U8", "mutable": false}})");
  EXPECT_EQ(C.K, Constant::Kind::Str);
  EXPECT_EQ(C.S, "a\xc3\xa9");
  C = constant(R"("é")", R"("Char")");
  EXPECT_EQ(C.K, Constant::Kind::Int);
  EXPECT_EQ(C.Bits, 0xe9u);

  C = constant("7", R"({"FuncPtr": {"params": [], "return_type": "I64", "is_variadic": false}})");
  EXPECT_EQ(C.K, Constant::Kind::Int);
  EXPECT_TRUE(C.isFunctionRef());
  EXPECT_EQ(C.Bits, 7u);
}

TEST(MirJSONReader, CopyAndMoveSourceBareOrOperand) {
  Inst I = inst(R"({"Copy": {"dest": 0, "src": 1}})");
  EXPECT_EQ(I.Op, Opcode::Copy);
  EXPECT_EQ(I.maybeDest(), std::optional<LocalId>(0));
  EXPECT_EQ(I.ops()[0], Operand::copy(1));
  I = inst(R"({"Move": {"dest": 0, "src": 1}})");
  EXPECT_EQ(I.ops()[0], Operand::move(1));
  I = inst(R"({"Copy": {"dest": 0, "src": {"Move": 1}}})");
  EXPECT_EQ(I.ops()[0], Operand::move(1));
  I = inst(R"({"Move": {"dest": 0, "src": {"Const": {"value": 5, "type": "I64"}}}})");
  ASSERT_TRUE(I.ops()[0].isConst());
  EXPECT_EQ(I.ops()[0].constant().Bits, 5u);
}

TEST(MirJSONReader, InstructionFields) {
  Inst I = inst(R"({"BinOp": {"dest": 0, "op": "Shr", "left": {"Copy": 1}, "right": {"Move": 1}}})");
  EXPECT_EQ(I.Bin, BinOpKind::Shr);
  EXPECT_EQ(I.ops()[1], Operand::move(1));
  I = inst(R"({"CheckedBinOp": {"dest": 0, "op": "Mul", "left": {"Copy": 1}, "right": {"Copy": 1}}})");
  EXPECT_EQ(I.Op, Opcode::CheckedBinOp);
  I = inst(R"({"UnaryOp": {"dest": 0, "op": "BitNot", "operand": {"Copy": 1}}})");
  EXPECT_EQ(I.Un, UnOpKind::BitNot);
  I = inst(R"({"Cast": {"dest": 2, "operand": {"Copy": 1}, "target": "F64"}})");
  EXPECT_EQ(I.type(), Type(TypeKind::F64));
  I = inst(R"({"GetElementPtr": {"dest": 3, "base": {"Copy": 3}, "indices": [{"Copy": 1}]}})");
  EXPECT_EQ(I.ops().size(), 2u);
  I = inst(R"({"Intrinsic": {"dest": 2, "name": "copysign", "args": [{"Copy": 2}, {"Copy": 2}]}})");
  EXPECT_EQ(I.Intr, IntrinsicKind::Copysign);
  I = inst(R"({"CallIndirect": {"dest": 0, "ptr": {"Copy": 3}, "args": [{"Copy": 1}],
              "signature": {"params": ["I64"], "return_type": "I64", "is_variadic": false}}})");
  EXPECT_EQ(I.ops().size(), 2u);
  EXPECT_EQ(I.sig().str(), "fn(i64) -> i64");
  I = inst(R"({"DebugValue": {"name": "x", "local": 1, "nested": [1, {"b": true}]}})");
  EXPECT_EQ(I.Op, Opcode::DebugValue);
  EXPECT_EQ(I.payload(), R"({"local":1,"name":"x","nested":[1,{"b":true}]})");
  I = inst(R"("Nop")");
  EXPECT_EQ(I.Op, Opcode::Nop);
}

TEST(MirJSONReader, Terminators) {
  auto Term = [](const std::string &T) {
    llvm::Expected<Module> M = readJSON(fn("", T));
    EXPECT_TRUE(bool(M)) << errorText(M);
    return M ? M->Functions[0].Blocks[0].Term : Terminator();
  };
  Terminator T = Term(R"({"Switch": {"value": {"Copy": 6}, "targets":
      [{"value": -1, "target": 0}, {"value": 3, "target": 0}], "default": 0}})");
  EXPECT_EQ(T.K, TermKind::Switch);
  ASSERT_EQ(T.Cases.size(), 2u);
  EXPECT_EQ(T.Cases[0].Value, UINT64_MAX);
  EXPECT_EQ(T.Cases[1].Value, 3u);
  T = Term(R"({"Abort": "bad state"})");
  EXPECT_EQ(T.K, TermKind::Abort);
  EXPECT_EQ(T.Message, "bad state");
  T = Term(R"("Unreachable")");
  EXPECT_EQ(T.K, TermKind::Unreachable);
  T = Term(R"({"If": {"cond": {"Copy": 4}, "then": 0, "else": 0}})");
  EXPECT_EQ(T.K, TermKind::If);
  T = Term("null");
  EXPECT_EQ(T.K, TermKind::None);
}

TEST(MirJSONReader, TupleStructOpaqueTypesAreModelled) {
  llvm::Expected<Module> M = readJSON(R"({"name": "f",
    "signature": {"params": [], "return_type": null, "is_variadic": false},
    "locals": [{"id": 0, "name": null, "type": {"Tuple": ["I64", "Bool"]}, "kind": "Temp"},
               {"id": 1, "name": null, "type": {"Struct": 42}, "kind": "Temp"},
               {"id": 2, "name": null, "type": {"Opaque": "Tensor"}, "kind": "Temp"},
               {"id": 3, "name": null, "type": {"Ref": {"referent": "I32", "mutable": true}}, "kind": "Temp"}],
    "blocks": []})");
  ASSERT_TRUE(bool(M)) << errorText(M);
  const Function &F = M->Functions[0];
  EXPECT_EQ(F.Locals[0].Ty.str(), "(i64, bool)");
  EXPECT_EQ(F.Locals[1].Ty.str(), "struct#42");
  EXPECT_EQ(F.Locals[2].Ty.str(), "opaque \"Tensor\"");
  EXPECT_EQ(F.Locals[3].Ty.str(), "&mut i32");
  EXPECT_EQ(F.Sig.Ret, Type(TypeKind::Unit));
}

TEST(MirJSONReader, ErrorsNameThePlace) {
  EXPECT_EQ(readError(fn(R"("Nop", {"TransferOut": {"x": 1}})")),
            "function `f`, block 0, instruction 1: unknown instruction kind "
            "`TransferOut`");
  EXPECT_EQ(readError(fn(R"({"VhdlProcess": {}})")),
            "function `f`, block 0, instruction 0: unknown instruction kind "
            "`VhdlProcess`");
  EXPECT_EQ(readError(fn(R"("UnsupportedInst")")),
            "function `f`, block 0, instruction 0: unsupported instruction "
            "`UnsupportedInst` (the compiler could not serialize it)");
  EXPECT_EQ(readError(fn(R"({"Unsupported": "TODO"})")),
            "function `f`, block 0, instruction 0: unsupported instruction "
            "`Unsupported` (TODO)");
  EXPECT_EQ(readError(fn(R"({"Cast": {"dest": 2, "operand": {"Copy": 1}, "target": "UnknownType"}})")),
            "function `f`, block 0, instruction 0: unknown type `UnknownType`");
  EXPECT_EQ(readError(fn(R"({"BinOp": {"dest": 0, "op": "Spaceship", "left": {"Copy": 1}, "right": {"Copy": 1}}})")),
            "function `f`, block 0, instruction 0: unknown binary operator "
            "`Spaceship`");
  EXPECT_EQ(readError(fn(R"({"Load": {"dest": 0}})")),
            "function `f`, block 0, instruction 0: missing field `ptr`");
  EXPECT_EQ(readError(fn(R"({"Load": {"dest": 0, "ptr": 3}})")),
            "function `f`, block 0, instruction 0: `ptr` must be an operand "
            "({\"Copy\": n}, {\"Move\": n} or {\"Const\": {...}}), not 3");
  EXPECT_EQ(readError(fn(R"({"Const": {"dest": 0, "value": 2.5, "type": "I64"}})")),
            "function `f`, block 0, instruction 0: a constant of type `i64` "
            "cannot be 2.5");
  EXPECT_EQ(readError(fn("", R"({"Jump": 3})")),
            "function `f`, block 0, terminator: unknown terminator kind `Jump`");
  EXPECT_EQ(readError(R"({"name": "m", "functions": 3})"),
            "module: `functions` must be an array or an object keyed by "
            "symbol id, not 3");
  EXPECT_EQ(readError("[1, 2]"),
            "expected a module or function object at the top level, not "
            "[1,2]");
  EXPECT_EQ(readError(R"({"name": "m", "functions": [{"symbol": 1}]})"),
            "function 0: missing field `name`");
}

TEST(MirJSONReader, MalformedJSONCarriesLineAndColumn) {
  EXPECT_EQ(readError("{\"name\": \"m\",\n \"functions\": [1,]}"),
            "malformed JSON: [2:18, byte=32]: Invalid JSON value");
  EXPECT_EQ(readError(""), "malformed JSON: [1:0, byte=0]: Unexpected EOF");
}

TEST(MirJSONReader, SniffsJSONAndText) {
  EXPECT_TRUE(looksLikeJSON("  \n {\"name\": 1}"));
  EXPECT_FALSE(looksLikeJSON("; a comment {\nmodule \"m\""));
  EXPECT_FALSE(looksLikeJSON(""));
  llvm::Expected<Module> M = readModule("module \"t\"\n");
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, "t");
  M = readModule(fn(""));
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, "f");
}

} // namespace
