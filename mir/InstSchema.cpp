//===- mir/InstSchema.cpp - Each opcode's fields, in one table ------------===//
//
// The rows of InstSchema.h. SPL_MIR_SCHEMA_<Op> holds the part of a row after
// its names: dest rule, operand count limits and message, and the fields in
// the serializer's key order (which is also the text form's order).
//
//===----------------------------------------------------------------------===//
#include "mir/InstSchema.h"

namespace spl::mir {

namespace {

using F = FieldKind;
using L = Lead;
constexpr DestRule None = DestRule::None, Opt = DestRule::Optional,
                   Req = DestRule::Required;

// clang-format off
#define SPL_MIR_SCHEMA_Const Req, 0, 0, "", \
  {{F::Const, "", L::Space}}
#define SPL_MIR_SCHEMA_Copy Req, 1, 1, "`{name}` takes one source", \
  {{F::Src, "src", L::Space}}
#define SPL_MIR_SCHEMA_Move SPL_MIR_SCHEMA_Copy
#define SPL_MIR_SCHEMA_BinOp Req, 2, 2, "a binary operation takes two operands", \
  {{F::BinOp, "op", L::Space}, {F::Operand, "left", L::Space}, \
   {F::Operand, "right", L::Comma}}
#define SPL_MIR_SCHEMA_CheckedBinOp SPL_MIR_SCHEMA_BinOp
#define SPL_MIR_SCHEMA_UnaryOp Req, 1, 1, "a unary operation takes one operand", \
  {{F::UnOp, "op", L::Space}, {F::Operand, "operand", L::Space}}
#define SPL_MIR_SCHEMA_Cast Req, 1, 1, "a cast takes one operand", \
  {{F::Operand, "operand", L::Space}, {F::Type, "target", L::To}}
#define SPL_MIR_SCHEMA_Bitcast SPL_MIR_SCHEMA_Cast
#define SPL_MIR_SCHEMA_Alloc Req, 0, 0, "", \
  {{F::Type, "type", L::Space}}
#define SPL_MIR_SCHEMA_Load Req, 1, 1, "load takes one pointer", \
  {{F::Operand, "ptr", L::Space}}
#define SPL_MIR_SCHEMA_Store None, 2, 2, "store takes a pointer and a value", \
  {{F::Operand, "ptr", L::Space}, {F::Operand, "value", L::Comma}}
#define SPL_MIR_SCHEMA_GetElementPtr Req, 2, 3, \
  "gep takes a base pointer and one or two indices, not {rest}", \
  {{F::Operand, "base", L::Space}, {F::Operands, "indices", L::CommaList}}
#define SPL_MIR_SCHEMA_Call Opt, 0, -1, "", \
  {{F::Call, "func", L::Space}}
#define SPL_MIR_SCHEMA_CallIndirect Opt, 1, -1, \
  "call_indirect needs a function pointer", \
  {{F::Operand, "ptr", L::Space}, {F::Operands, "args", L::Parens}, \
   {F::Signature, "signature", L::Colon}}
#define SPL_MIR_SCHEMA_Intrinsic Opt, 0, -1, "", \
  {{F::Intrinsic, "name", L::Space}, {F::Operands, "args", L::Parens}}
#define SPL_MIR_SCHEMA_Nop None, 0, 0, "", {}
#define SPL_MIR_SCHEMA_DebugValue None, 0, 0, "", \
  {{F::Verbatim, "", L::Space}}
#define SPL_MIR_SCHEMA_Aggregate Req, 0, -1, "", \
  {{F::AggKind, "kind", L::Space}, {F::Operands, "operands", L::SpacedParens}}
#define SPL_MIR_SCHEMA_GetField Req, 1, 1, "get_field takes one base operand", \
  {{F::Operand, "base", L::Space}, {F::Index, "field", L::Comma}}
#define SPL_MIR_SCHEMA_SetField None, 2, 2, "set_field takes a base and a value", \
  {{F::Operand, "base", L::Space}, {F::Index, "field", L::Comma}, \
   {F::Operand, "value", L::Comma}}
#define SPL_MIR_SCHEMA_GlobalAddr Req, 0, 0, "", \
  {{F::Symbol, "symbol", L::Space}, {F::Flag, "mutable", L::Space}}
#define SPL_MIR_SCHEMA_DecisionProbe None, 1, 1, \
  "{name} takes one result operand", \
  {{F::Operand, "result", L::Space}, {F::Rest, "", L::Space}}
#define SPL_MIR_SCHEMA_ConditionProbe SPL_MIR_SCHEMA_DecisionProbe
// clang-format on

constexpr InstSchema Rows[] = {
#define X(E, J, T) InstSchema{Opcode::E, J, T, SPL_MIR_SCHEMA_##E},
    SPL_MIR_INSTS(X)
#undef X
};

} // namespace

llvm::ArrayRef<FieldSchema> InstSchema::fields() const {
  size_t N = 0;
  while (N < std::size(Fields) && Fields[N].Kind != FieldKind::End)
    ++N;
  return llvm::ArrayRef(Fields, N);
}

const FieldSchema *InstSchema::find(FieldKind K) const {
  for (const FieldSchema &Fs : fields())
    if (Fs.Kind == K)
      return &Fs;
  return nullptr;
}

const InstSchema &instSchema(Opcode Op) {
  // Rows are generated from SPL_MIR_INSTS, so row i is opcode i.
  return Rows[size_t(Op)];
}

} // namespace spl::mir
