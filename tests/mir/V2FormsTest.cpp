//===- tests/mir/V2FormsTest.cpp - The (v2) forms of ../shared/MIR.md -----===//
//
// Each v2 form as the serializer writes it reads into the model fields the
// backends use; the text form says the same; both round-trip; the
// serializer's quirks (NaN/inf tokens, raw control characters, the old
// wrappers and shapes) are accepted. Expected values come from MIR.md.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include "mir/InstSchema.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace spl::mir;
using spl::mir::test::errorText;
using spl::mir::test::loadError;

namespace {

const char *Locals = R"([
  {"id": 0, "name": null, "type": "I64", "kind": "Return"},
  {"id": 1, "name": "n", "type": "I64", "kind": {"Arg": 0}},
  {"id": 2, "name": null, "type": {"Tuple": ["I64", "Bool"]}, "kind": "Temp"},
  {"id": 3, "name": null, "type": {"Struct": 7}, "kind": "Temp"},
  {"id": 4, "name": null, "type": {"Opaque": "str"}, "kind": "Temp"},
  {"id": 5, "name": null, "type": {"Enum": 4}, "kind": "Temp"},
  {"id": 6, "name": null, "type": {"Array": {"element": "I64", "size": 0}}, "kind": "Temp"},
  {"id": 7, "name": null, "type": {"Ptr": {"pointee": "I64", "mutable": true}}, "kind": "Temp"},
  {"id": 8, "name": null, "type": "Bool", "kind": "Temp"},
  {"id": 9, "name": null, "type": "F64", "kind": "Temp"}])";

/// f(i64) -> i64 with block 0 holding Insts and Term, block 1 a return.
std::string fn(const std::string &Insts,
               const std::string &Term = R"({"Return": null})") {
  return R"({"symbol": 1, "name": "f",
  "signature": {"params": ["I64"], "return_type": "I64", "is_variadic": false},
  "locals": )" + std::string(Locals) +
         R"(, "blocks": [{"id": 0, "label": null, "instructions": [)" + Insts +
         R"(], "terminator": )" + Term +
         R"(}, {"id": 1, "label": null, "instructions": [], "terminator": {"Return": null}}],
  "entry_block": 0})";
}

Module read(const std::string &Text) {
  llvm::Expected<Module> M = readJSON(Text);
  EXPECT_TRUE(bool(M)) << errorText(M);
  return M ? std::move(*M) : Module();
}

Inst inst(const std::string &I) {
  Module M = read(fn(I));
  return M.Functions.empty() ? Inst() : M.Functions[0].Blocks[0].Insts[0];
}

Terminator term(const std::string &T) {
  Module M = read(fn("", T));
  return M.Functions.empty() ? Terminator() : M.Functions[0].Blocks[0].Term;
}

/// JSON -> model -> JSON -> model and JSON -> model -> text -> model give
/// the model back.
void expectRoundTrips(const Module &M) {
  llvm::Expected<Module> FromJ = readJSON(writeJSON(M));
  ASSERT_TRUE(bool(FromJ)) << errorText(FromJ) << "\n" << writeJSON(M);
  EXPECT_TRUE(*FromJ == M) << writeJSON(M);
  llvm::Expected<Module> FromT = parseText(printText(M), "printed");
  ASSERT_TRUE(bool(FromT)) << errorText(FromT) << "\n" << printText(M);
  EXPECT_TRUE(*FromT == M) << printText(M);
}

std::string readErr(const std::string &Text) {
  llvm::Expected<Module> M = readJSON(Text);
  return errorText(M);
}

Operand i64(uint64_t V) {
  return Operand::constant(Constant::integer(TypeKind::I64, V));
}

TEST(MirV2, AggregateKinds) {
  Inst I = inst(R"({"Aggregate": {"dest": 2, "kind": "Tuple", "operands": [{"Copy": 1}, {"Const": {"value": true, "type": "Bool"}}]}})");
  EXPECT_EQ(I.Op, Opcode::Aggregate);
  EXPECT_EQ(I.Agg, AggKind::Tuple);
  EXPECT_EQ(I.maybeDest(), std::optional<LocalId>(2));
  ASSERT_EQ(I.ops().size(), 2u);
  EXPECT_EQ(I.ops()[0], Operand::copy(1));
  I = inst(R"({"Aggregate": {"dest": 3, "kind": {"Struct": 7}, "operands": []}})");
  EXPECT_EQ(I.Agg, AggKind::Struct);
  EXPECT_EQ(I.symbol(), 7);
  I = inst(R"({"Aggregate": {"dest": 6, "kind": {"Array": "I64"}, "operands": [{"Copy": 1}]}})");
  EXPECT_EQ(I.Agg, AggKind::Array);
  EXPECT_EQ(I.type(), Type(TypeKind::I64));
  I = inst(R"({"Aggregate": {"dest": 5, "kind": {"Enum": {"symbol": 4, "variant": 2}}, "operands": [{"Copy": 1}]}})");
  EXPECT_EQ(I.Agg, AggKind::Enum);
  EXPECT_EQ(I.symbol(), 4);
  EXPECT_EQ(I.variant(), 2u);
}

TEST(MirV2, FieldsGlobalsProbes) {
  Inst I = inst(R"({"GetField": {"dest": 1, "base": {"Copy": 2}, "field": 1}})");
  EXPECT_EQ(I.Op, Opcode::GetField);
  EXPECT_EQ(I.Field, 1u);
  EXPECT_EQ(I.ops().vec(), std::vector<Operand>{Operand::copy(2)});
  I = inst(R"({"SetField": {"base": {"Copy": 3}, "field": 2, "value": {"Move": 1}}})");
  EXPECT_EQ(I.Op, Opcode::SetField);
  EXPECT_FALSE(I.hasDest());
  EXPECT_EQ(I.Field, 2u);
  EXPECT_EQ(I.ops().vec(), (std::vector<Operand>{Operand::copy(3), Operand::move(1)}));
  I = inst(R"({"GlobalAddr": {"dest": 7, "symbol": 12, "mutable": true}})");
  EXPECT_EQ(I.Op, Opcode::GlobalAddr);
  EXPECT_EQ(I.symbol(), 12);
  EXPECT_TRUE(I.Mutable);
  I = inst(R"({"DecisionProbe": {"runtime_id": 3, "semantic_id": "d\"1", "result": {"Copy": 8}, "authored_path": "a.spl", "line": 2, "column": 5}})");
  EXPECT_EQ(I.Op, Opcode::DecisionProbe);
  EXPECT_EQ(I.ops().vec(), std::vector<Operand>{Operand::copy(8)});
  // The other fields, compact and sorted, without `result`.
  EXPECT_EQ(I.payload(), R"({"authored_path":"a.spl","column":5,"line":2,"runtime_id":3,"semantic_id":"d\"1"})");
  I = inst(R"({"ConditionProbe": {"runtime_id": 4, "semantic_id": "c", "parent_runtime_id": 3, "parent_semantic_id": "d", "result": {"Copy": 8}, "authored_path": "a", "line": 1, "column": 1}})");
  EXPECT_EQ(I.Op, Opcode::ConditionProbe);
  EXPECT_EQ(I.payload(), R"({"authored_path":"a","column":1,"line":1,"parent_runtime_id":3,"parent_semantic_id":"d","runtime_id":4,"semantic_id":"c"})");
}

TEST(MirV2, IntrinsicsKnownAndExtern) {
  Inst I = inst(R"({"Intrinsic": {"dest": 1, "name": "bounds_check", "args": [{"Copy": 1}, {"Copy": 1}]}})");
  EXPECT_EQ(I.Intr, IntrinsicKind::BoundsCheck);
  EXPECT_EQ(I.name(), "");
  I = inst(R"({"Intrinsic": {"dest": 1, "name": "__simple_ssa_phi", "args": [{"Copy": 1}]}})");
  EXPECT_EQ(I.Intr, IntrinsicKind::SsaPhi);
  I = inst(R"({"Intrinsic": {"dest": null, "name": "cbrt", "args": [{"Copy": 9}]}})");
  EXPECT_EQ(I.Intr, IntrinsicKind::Extern);
  EXPECT_EQ(I.name(), "cbrt");
  EXPECT_FALSE(I.hasDest());
  Module M = read(fn(R"({"Intrinsic": {"dest": null, "name": "cbrt", "args": [{"Copy": 9}]}})"));
  expectRoundTrips(M);
  EXPECT_NE(printText(M).find("  intrinsic cbrt(copy _9)\n"), std::string::npos);
}

TEST(MirV2, KindWrapperIsTheSameInstruction) {
  Inst Plain = inst(R"({"GetField": {"dest": 1, "base": {"Copy": 2}, "field": 1}})");
  Inst Wrapped = inst(R"({"kind": {"GetField": {"dest": 1, "base": {"Copy": 2}, "field": 1}}, "span": [3, 4]})");
  EXPECT_TRUE(Plain == Wrapped);
  EXPECT_EQ(inst(R"({"kind": "Nop"})").Op, Opcode::Nop);
}

TEST(MirV2, CallTerminatorBothShapes) {
  const char *Func = R"({"Const": {"value": "g", "type": {"FuncPtr": {"params": ["I64"], "return_type": "I64", "is_variadic": false}}}})";
  Terminator T = term(std::string(R"({"CallTerminator": {"dest": 1, "func": )") + Func +
                      R"(, "args": [{"Copy": 1}], "normal": 1, "unwind": 0, "unwind_payload_dest": 4, "unwind_type_tag_dest": 0}})");
  EXPECT_EQ(T.K, TermKind::CallTerminator);
  EXPECT_EQ(T.Dest, std::optional<LocalId>(1));
  EXPECT_EQ(T.Callee.constant().S, "g");
  EXPECT_EQ(T.Args, std::vector<Operand>{Operand::copy(1)});
  EXPECT_EQ(T.Target, 1u);
  EXPECT_EQ(T.Unwind, std::optional<BlockId>(0));
  EXPECT_EQ(T.PayloadDest, std::optional<LocalId>(4));
  EXPECT_EQ(T.TagDest, std::optional<LocalId>(0));
  EXPECT_EQ(T.UnwindContract, "");

  std::string Old = std::string(R"({"CallTerminator": {"dest": null, "func": )") + Func +
                    R"(, "args": [{"Copy": 1}], "normal": 1, "unwind": null, "unwind_contract": "MayUnwind"}})";
  T = term(Old);
  EXPECT_FALSE(T.Dest.has_value());
  EXPECT_FALSE(T.Unwind.has_value());
  EXPECT_FALSE(T.PayloadDest.has_value());
  EXPECT_EQ(T.UnwindContract, "MayUnwind");
  // The old shape is written back as it came: a contract, no dests.
  Module M = read(fn("", Old));
  std::string J = writeJSON(M);
  EXPECT_NE(J.find("\"unwind_contract\": \"MayUnwind\""), std::string::npos);
  EXPECT_EQ(J.find("unwind_payload_dest"), std::string::npos);
  expectRoundTrips(M);
  EXPECT_NE(printText(M).find("  invoke @g(copy _1) : fn(i64) -> i64 normal bb1 contract \"MayUnwind\"\n"),
            std::string::npos);
}

TEST(MirV2, ThrowAndResumeBothShapes) {
  Terminator T = term(R"({"Throw": {"payload": {"Copy": 4}, "type_tag": {"Const": {"value": 300003, "type": "I64"}}}})");
  EXPECT_EQ(T.K, TermKind::Throw);
  EXPECT_EQ(T.Value, std::optional<Operand>(Operand::copy(4)));
  EXPECT_EQ(T.Tag, std::optional<Operand>(i64(300003)));
  EXPECT_FALSE(T.LegacyForm);
  T = term(R"({"Resume": {"payload": {"Copy": 4}, "type_tag": {"Copy": 1}}})");
  EXPECT_EQ(T.K, TermKind::Resume);
  EXPECT_EQ(T.Tag, std::optional<Operand>(Operand::copy(1)));
  // The older serializer: {"kind": "throw", "value": op}, tag 0.
  T = term(R"({"kind": "throw", "value": {"Copy": 1}})");
  EXPECT_EQ(T.K, TermKind::Throw);
  EXPECT_TRUE(T.LegacyForm);
  EXPECT_EQ(T.Value, std::optional<Operand>(Operand::copy(1)));
  EXPECT_EQ(T.Tag, std::optional<Operand>(i64(0)));
  Module M = read(fn("", R"({"kind": "resume", "value": {"Copy": 1}})"));
  EXPECT_EQ(M.Functions[0].Blocks[0].Term.K, TermKind::Resume);
  EXPECT_NE(writeJSON(M).find("\"kind\": \"resume\""), std::string::npos);
  EXPECT_NE(printText(M).find("  resume copy _1\n"), std::string::npos);
  expectRoundTrips(M);
  // A terminator in the {"kind": ...} wrapper.
  EXPECT_EQ(term(R"({"kind": {"Goto": 1}})").Target, 1u);
}

TEST(MirV2, TypesReadPrintAndRoundTrip) {
  llvm::Expected<Module> M = readJSON(R"({"name": "f",
    "signature": {"params": [], "return_type": null, "is_variadic": false},
    "locals": [
      {"id": 0, "name": null, "type": {"Dict": {"key": {"Opaque": "str"}, "value": "I64"}}, "kind": "Temp"},
      {"id": 1, "name": null, "type": {"Slice": "U8"}, "kind": "Temp"},
      {"id": 2, "name": null, "type": {"Enum": 4}, "kind": "Temp"},
      {"id": 3, "name": null, "type": {"Result": {"ok": "I64", "err": {"Opaque": "str"}}}, "kind": "Temp"},
      {"id": 4, "name": null, "type": {"Union": ["I64", "F64"]}, "kind": "Temp"},
      {"id": 5, "name": null, "type": {"Promise": "I64"}, "kind": "Temp"},
      {"id": 6, "name": null, "type": {"Generator": {"yield": "I64", "return": "Unit"}}, "kind": "Temp"},
      {"id": 7, "name": null, "type": {"ActorType": {"Opaque": "Msg"}}, "kind": "Temp"},
      {"id": 8, "name": null, "type": {"Array": {"element": "I64", "size": 0}}, "kind": "Temp"}],
    "blocks": [{"id": 0, "label": null, "instructions": [], "terminator": {"Return": null}}]})");
  ASSERT_TRUE(bool(M)) << errorText(M);
  const Function &F = M->Functions[0];
  const char *Want[] = {"dict<opaque \"str\", i64>", "slice<u8>", "enum#4",
                        "result<i64, opaque \"str\">", "union<i64, f64>",
                        "promise<i64>", "generator<i64, unit>",
                        "actor<opaque \"Msg\">", "[i64; 0]"};
  for (size_t I = 0; I < std::size(Want); ++I) {
    EXPECT_EQ(F.Locals[I].Ty.str(), Want[I]);
    EXPECT_TRUE(F.Locals[I].Ty.isWordValue()) << Want[I];
  }
  EXPECT_EQ(F.Locals[7].Ty.Kind, TypeKind::Actor);
  EXPECT_EQ(F.Locals[2].Ty.structId(), 4);
  EXPECT_EQ(loadError(writeJSON(*M)), "");
  expectRoundTrips(*M);
}

TEST(MirV2, StringConstantsTypedOpaque) {
  Inst I = inst(R"({"Const": {"dest": 4, "value": "hi", "type": {"Opaque": "str"}}})");
  EXPECT_EQ(I.constant().K, Constant::Kind::Str);
  EXPECT_EQ(I.constant().S, "hi");
  EXPECT_EQ(I.constant().Ty.opaqueName(), "str");
}

TEST(MirV2, SerializerFloatTokens) {
  // NaN, inf and -inf where a number belongs mean what they say.
  // An array is still no constant value, specials or not.
  EXPECT_EQ(readErr(fn(R"({"Const": {"dest": 9, "value": [NaN, 1e5], "type": "F64"}})")),
            "function `f`, block 0, instruction 0: a constant of type `f64` "
            "cannot be string \"[\\\"nan\\\",100000]\"");
  Module   M = read(fn(R"({"Const": {"dest": 9, "value": NaN, "type": "F64"}},
                 {"Const": {"dest": 9, "value": inf, "type": "F64"}},
                 {"Const": {"dest": 9, "value":-inf, "type": "F32"}},
                 {"Const": {"dest": 9, "value": 1e5, "type": "F64"}})"));
  ASSERT_EQ(M.Functions.size(), 1u);
  const std::vector<Inst> &Is = M.Functions[0].Blocks[0].Insts;
  EXPECT_TRUE(std::isnan(Is[0].constant().F));
  EXPECT_EQ(Is[1].constant().F, HUGE_VAL);
  EXPECT_EQ(Is[2].constant().F, -HUGE_VAL);
  EXPECT_EQ(Is[3].constant().F, 1e5);
  // Inside strings the same letters stay letters.
  Inst S = inst(R"({"Const": {"dest": 4, "value": "NaN inf -inf", "type": {"Opaque": "str"}}})");
  EXPECT_EQ(S.constant().S, "NaN inf -inf");
}

TEST(MirV2, RawControlCharactersInStrings) {
  Inst I = inst(R"({"Const": {"dest": 4, "value": "a)" "\x01" "b" "\x1f" "\t" "\n" R"(c\n", "type": {"Opaque": "str"}}})");
  EXPECT_EQ(I.constant().S, "a\x01" "b\x1f\t\nc\n");
  // An error after a rewritten spot is reported where it is in the original:
  // as in the same text with letters in place of the raw bytes / digits in
  // place of the token.
  auto Err = readErr;
  EXPECT_EQ(Err("{\"name\": \"\x02\x03\", \"x\": tru}"),
            Err("{\"name\": \"ab\", \"x\": tru}"));
  EXPECT_EQ(Err("{\"a\": NaN,\n \"b\": [}"), Err("{\"a\": 123,\n \"b\": [}"));
  EXPECT_EQ(Err("{\"a\": -inf, \"b\" 1}"), Err("{\"a\": -1.0, \"b\" 1}"));
  // Raw newlines stay newlines of the original: line 3, column 18 - 9.
  EXPECT_EQ(Err("{\"a\": \"\n\n\", \"b\": }"),
            "malformed JSON: [3:9, byte=18]: Invalid JSON value");
  EXPECT_NE(Err("{\"a\": NaN,\n \"b\": [}"), "");
}

TEST(MirV2, NullCompositeConstantNamesThePlace) {
  EXPECT_EQ(loadError(fn(R"("Nop", {"Call": {"dest": null, "func": {"Const": {"value": "g", "type": {"FuncPtr": {"params": [], "return_type": null, "is_variadic": false}}}}, "args": [{"Const": {"value": null, "type": {"Tuple": []}}}]}})")),
            "function `f`, block 0, instruction 1: composite constant without "
            "a value (a `()` constant written as null)");
  // Pointers and unit still read null as zero (v1).
  Inst I = inst(R"({"Const": {"dest": 7, "value": null, "type": {"Ptr": {"pointee": "I64", "mutable": true}}}})");
  EXPECT_EQ(I.constant().K, Constant::Kind::Zero);
}

TEST(MirV2, TextFormSpellsEachForm) {
  // The text form of each v2 instruction, read into the same model as its
  // JSON.
  struct Case {
    const char *Json, *Text;
  } Cases[] = {
      {R"({"Aggregate": {"dest": 2, "kind": "Tuple", "operands": [{"Copy": 1}, {"Copy": 8}]}})",
       "_2 = aggregate tuple (copy _1, copy _8)"},
      {R"({"Aggregate": {"dest": 3, "kind": {"Struct": 7}, "operands": []}})",
       "_3 = aggregate struct#7 ()"},
      {R"({"Aggregate": {"dest": 6, "kind": {"Array": "I64"}, "operands": [{"Copy": 1}]}})",
       "_6 = aggregate [i64] (copy _1)"},
      {R"({"Aggregate": {"dest": 5, "kind": {"Enum": {"symbol": 4, "variant": 1}}, "operands": [{"Copy": 1}]}})",
       "_5 = aggregate enum#4.1 (copy _1)"},
      {R"({"GetField": {"dest": 1, "base": {"Copy": 2}, "field": 0}})",
       "_1 = get_field copy _2, 0"},
      {R"({"SetField": {"base": {"Copy": 2}, "field": 1, "value": {"Copy": 8}}})",
       "set_field copy _2, 1, copy _8"},
      {R"({"GlobalAddr": {"dest": 7, "symbol": 12, "mutable": true}})",
       "_7 = global_addr #12 mut"},
      {R"({"GlobalAddr": {"dest": 7, "symbol": -3, "mutable": false}})",
       "_7 = global_addr #-3"},
      {R"({"DecisionProbe": {"runtime_id": 1, "result": {"Copy": 8}}})",
       R"(decision_probe copy _8 {"runtime_id":1})"},
      {R"({"Intrinsic": {"dest": 1, "name": "crc32_u8", "args": [{"Copy": 1}, {"Copy": 1}]}})",
       "_1 = intrinsic crc32_u8(copy _1, copy _1)"},
      {R"({"Intrinsic": {"dest": null, "name": "odd name", "args": []}})",
       R"(intrinsic "odd name"())"},
  };
  for (const Case &C : Cases) {
    SCOPED_TRACE(C.Text);
    Module FromJ = read(fn(C.Json));
    ASSERT_EQ(FromJ.Functions.size(), 1u);
    std::string Printed = printText(FromJ);
    EXPECT_NE(Printed.find(std::string("  ") + C.Text + "\n"),
              std::string::npos)
        << Printed;
    expectRoundTrips(FromJ);
  }
}

TEST(MirV2, TextTerminators) {
  llvm::Expected<Module> M = parseText(R"(fn @f(i64) -> i64 {
  let _1: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = invoke @g(copy _1) : fn(i64) -> i64 normal bb1 unwind bb2 payload _1 tag _2
bb1:
  throw copy _1, const i64 7
bb2:
  resume copy _1
}
)", "t.mir");
  ASSERT_TRUE(bool(M)) << errorText(M);
  const Function &F = M->Functions[0];
  const Terminator &T = F.Blocks[0].Term;
  EXPECT_EQ(T.K, TermKind::CallTerminator);
  EXPECT_EQ(T.Dest, std::optional<LocalId>(2));
  EXPECT_EQ(T.Target, 1u);
  EXPECT_EQ(T.Unwind, std::optional<BlockId>(2));
  EXPECT_EQ(T.PayloadDest, std::optional<LocalId>(1));
  EXPECT_EQ(T.TagDest, std::optional<LocalId>(2));
  EXPECT_EQ(F.Blocks[1].Term.Tag, std::optional<Operand>(i64(7)));
  EXPECT_FALSE(F.Blocks[1].Term.LegacyForm);
  EXPECT_TRUE(F.Blocks[2].Term.LegacyForm);
  EXPECT_EQ(F.Blocks[2].Term.Tag, std::optional<Operand>(i64(0)));
  std::string J = writeJSON(*M);
  EXPECT_NE(J.find("\"unwind_payload_dest\": 1"), std::string::npos);
  EXPECT_NE(J.find("\"type_tag\""), std::string::npos);
  expectRoundTrips(*M);
  // The undefined callee g: its call-site signature is all there is, and it
  // fits; the module verifies.
  EXPECT_EQ(errorText(verify(*M)), "");
}

TEST(MirV2, SampleVerifies) {
  std::optional<std::string> Text = spl::mir::test::readFile(
      spl::mir::test::sourceDir() / "tests" / "mir" / "v2_features.mir");
  ASSERT_TRUE(Text.has_value());
  EXPECT_EQ(loadError(*Text, "v2_features.mir"), "");
}

TEST(MirV2, CallSiteWithEmptyParamsPasses) {
  // Runtime helpers: the compiler writes "params": [] whatever the args.
  EXPECT_EQ(loadError(fn(R"({"Call": {"dest": 1, "func": {"Const": {"value": "rt_array_push", "type": {"FuncPtr": {"params": [], "return_type": "I64", "is_variadic": false}}}}, "args": [{"Copy": 6}, {"Copy": 1}]}})")),
            "");
  // A module function knows better: a wrong count names both signatures.
  EXPECT_EQ(loadError(R"(fn @g(i64) -> i64 {
  let _1: i64 arg 0
bb0:
  return copy _1
}
fn @f() {
bb0:
  call @g() : fn() -> i64
  return
}
)"),
            "function `f`, block bb0, instruction 0: call of `g` passes 0 "
            "arguments, its signature fn(i64) -> i64 takes 1 (the call site "
            "says fn() -> i64) (at 8:3)");
}

TEST(MirV2, WordsMoveAndCastAsWords) {
  EXPECT_EQ(loadError(R"(fn @f(opaque "str") -> i64 {
  let _0: i64 return
  let _1: opaque "str" arg 0
  let _2: (i64, bool) temp
  let _3: u64 temp
bb0:
  _0 = copy _1
  _2 = move _0
  _3 = cast copy _2 to u64
  _1 = cast copy _3 to opaque "str"
  _0 = bitcast copy _1 to i64
  return
}
)"),
            "");
  // Still no word for a float.
  EXPECT_EQ(loadError(R"(fn @f(opaque "str") {
  let _1: opaque "str" arg 0
  let _2: f64 temp
bb0:
  _2 = cast copy _1 to f64
  return
}
)"),
            "function `f`, block bb0, instruction 0: cannot cast opaque \"str\" "
            "to f64 (at 5:3)");
}

TEST(MirV2, EveryOpcodeHasItsRow) {
#define X(E, J, T)                                                             \
  EXPECT_EQ(instSchema(Opcode::E).Op, Opcode::E);                              \
  EXPECT_STREQ(instSchema(Opcode::E).JsonName, J);                             \
  EXPECT_STREQ(instSchema(Opcode::E).TextName, T);
  SPL_MIR_INSTS(X)
#undef X
  // Rows say which instructions write a local.
  EXPECT_EQ(instSchema(Opcode::Store).Dest, DestRule::None);
  EXPECT_EQ(instSchema(Opcode::SetField).Dest, DestRule::None);
  EXPECT_EQ(instSchema(Opcode::Call).Dest, DestRule::Optional);
  EXPECT_EQ(instSchema(Opcode::Aggregate).Dest, DestRule::Required);
  ASSERT_EQ(instSchema(Opcode::SetField).fields().size(), 3u);
  EXPECT_STREQ(instSchema(Opcode::SetField).fields()[1].Key, "field");
  EXPECT_TRUE(instSchema(Opcode::Nop).fields().empty());
}

} // namespace
