//===- mir/InstSchema.h - Each opcode's fields, in one table ----*- C++ -*-===//
//
// One row per opcode says everything the front ends, printers and verifier
// need to know about its operands: which fields it has, in which order, under
// which JSON key, how the text form spells each (the separator before it),
// whether it writes a dest, and how many operands the verifier accepts. The
// JSON reader and writer, the text parser and printer walk these rows instead
// of re-encoding every shape by hand; only the per-kind *type rules* stay code
// (in Verifier.cpp). Modelled on vnmakarov/mir's insn_descs and WAVM's
// OperatorTable.h. The rows are keyed by the enumerators of SPL_MIR_INSTS
// (MIR.h): an opcode without a row does not compile.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_INSTSCHEMA_H
#define SPL_MIR_INSTSCHEMA_H

#include "mir/MIR.h"

namespace spl::mir {

/// What one field of an instruction is and where it lives in Inst.
enum class FieldKind : uint8_t {
  End,       // (end of a row's field list)
  Src,       // Ops[0] of Copy/Move. JSON: a bare local id (read as the
             // opcode's kind) or an operand object. Text: `_S` or an operand.
  Operand,   // one operand, appended to Ops
  Operands,  // an array of operands, appended to Ops
  Call,      // Inst::Callee (JSON Key, "func") and then the arguments into
             // Ops (JSON "args"). Text: `@name(ARGS) : fn(...)`,
             // `#N(ARGS) : fn(...)`, or `OPERAND(ARGS)`.
  Const,     // Inst::C; JSON "value" and "type" beside the other fields.
             // Text: TYPE VALUE.
  Type,      // Inst::Ty
  Signature, // Inst::Sig
  BinOp,     // Inst::Bin: JSON "Add", text `add`
  UnOp,      // Inst::Un: JSON "Neg", text `neg`
  Intrinsic, // Inst::Intr; an unknown name is IntrinsicKind::Extern with the
             // name in Inst::Name
  Index,     // Inst::Field, an integer 0..2^32-1
  Symbol,    // Inst::Symbol: JSON an integer, text `#N`
  Flag,      // Inst::Mutable: JSON true/false (null or absent: false), text
             // the word `mut` when true
  AggKind,   // Inst::Agg (+ Symbol, Variant, Ty). JSON "Tuple",
             // {"Struct": s}, {"Array": T}, {"Enum": {"symbol": s,
             // "variant": v}}. Text: `tuple`, `struct#s`, `[T]`, `enum#s.v`.
  Verbatim,  // Inst::Payload = the whole payload as compact JSON (text: that
             // JSON value)
  Rest,      // Inst::Payload = every key of the payload object that no other
             // field of the row reads, as a compact JSON object (text: that
             // object)
};

/// What the text form writes before a field.
enum class Lead : uint8_t {
  Space,        // a blank: `alloc TYPE`
  Comma,        // `, `
  To,           // ` to `
  Colon,        // ` : `
  Parens,       // operands in parentheses right after the previous token:
                // `NAME(a, b)`
  SpacedParens, // ` (a, b)`
  CommaList,    // `, a, b`: one comma before each operand (none: nothing)
};

struct FieldSchema {
  FieldKind Kind = FieldKind::End;
  const char *Key = ""; // JSON key ("" where the kind has none)
  Lead Text = Lead::Space;
};

/// Whether the instruction writes a local. JSON "dest" (first in the
/// serializer's key order), text `_D = ` before the mnemonic.
enum class DestRule : uint8_t { None, Optional, Required };

struct InstSchema {
  Opcode Op;
  const char *JsonName; // as SPL_MIR_INSTS
  const char *TextName; // as SPL_MIR_INSTS
  DestRule Dest;
  // The verifier accepts MinOps..MaxOps entries in Inst::Ops (MaxOps -1: no
  // limit) and otherwise reports ArityMessage, where "{name}" stands for the
  // text mnemonic and "{rest}" for "N index(es)" after the first operand.
  // An empty message: the count is checked by the kind's own rules.
  int MinOps, MaxOps;
  const char *ArityMessage;
  FieldSchema Fields[6];

  /// The fields, up to the End marker.
  llvm::ArrayRef<FieldSchema> fields() const;
  /// The field of kind K, or null.
  const FieldSchema *find(FieldKind K) const;
};

/// The row of Op.
const InstSchema &instSchema(Opcode Op);

} // namespace spl::mir

#endif // SPL_MIR_INSTSCHEMA_H
