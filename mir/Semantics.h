//===- mir/Semantics.h - Value representation and casts, defined once -*- C++ -*-===//
//
// What a value of each MIR type looks like in a 64-bit register slot, how a
// raw 64-bit word (a struct field, a runtime handle) becomes such a slot and
// back, and which conversion a Cast performs. The verifier, the interpreter
// and the JIT all need these answers; keeping them here means the three can
// only disagree by not calling these functions (docs/SEMANTICS.md "Values",
// "Casts"; ../shared/MIR.md "Types", GetField/SetField).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_SEMANTICS_H
#define SPL_MIR_SEMANTICS_H

#include "mir/MIR.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace spl::mir {

/// How a value of a type sits in its 64-bit slot.
enum class SlotKind : uint8_t {
  None,    // Unit, Never: no value (the slot holds 0)
  SignExt, // I8..I64: the value sign-extended from Bits
  ZeroExt, // U8..U64, Char: the value zero-extended from Bits
  Bool,    // 0 or 1
  F32Bits, // the float's IEEE bits in the low 32, the high 32 zero
  F64Bits, // the double's IEEE bits
  Address, // Ptr, Ref, FuncPtr: the address
  Word,    // isWordValue() types (handles, tuples, structs, text, runtime
           // arrays): one opaque word, passed around as I64
};

struct SlotRep {
  SlotKind Kind = SlotKind::None;
  unsigned Bits = 0; // significant low bits: 8/16/32/64, Bool 1, none 0
};

/// The slot representation of a value of type T.
SlotRep slotRep(const Type &T);

/// A raw 64-bit word read as a value of type T, in T's slot form: integers
/// keep their low bits and are extended by T's signedness, Bool is bit 0,
/// F32 keeps the low 32 bits, F64/addresses/words keep all 64. This is what
/// GetField does with the field's word and what a runtime function's I64
/// result becomes in a local of type T.
uint64_t wordToSlot(const Type &T, uint64_t Word);

/// The 64-bit word that stores a value of type T (SetField, Aggregate, the
/// arguments of runtime functions): integers extended by their signedness,
/// Bool 0/1, F32 bits zero-extended, everything else as is. A slot already in
/// T's slot form maps to itself.
uint64_t slotToWord(const Type &T, uint64_t Slot);

/// Whether values of A and B have the same 64-bit word representation, so a
/// Copy/Move (or a call argument) between them keeps the bits: equal or
/// compatible types, or one of them a word value (isWordValue) and the other
/// a word value, a pointer/function pointer, I64 or U64.
bool sameWord(const Type &A, const Type &B);

/// The conversion a Cast from From to To performs (docs/SEMANTICS.md
/// "Casts").
enum class CastKind : uint8_t {
  Invalid,     // not a cast the verifier accepts
  Identity,    // From == To
  IntResize,   // int -> int: truncate, or extend by the *source* signedness
  BoolToInt,   // 0 / 1
  IntToBool,   // != 0
  IntToFloat,  // by the source signedness, round to nearest
  FloatToInt,  // saturating, NaN -> 0 (Rust `as`)
  FloatResize, // f32 <-> f64, round to nearest
  KeepBits,    // address/word <-> address/word/I64/U64: the 64 bits unchanged
};
CastKind classifyCast(const Type &From, const Type &To);

/// CastKind::FloatToInt on a host's double: X rounded toward zero into the
/// integer type To (I8..U64, Char), saturating as Rust's `as` does (NaN -> 0,
/// below the range -> MIN, above it -> MAX), in To's slot form. Never
/// `int64_t(double)` on an out-of-range value, which C++ leaves undefined.
/// The host edge (exec_manager/Conversions.cpp) converts with it
/// (docs/SEMANTICS.md "Host values").
uint64_t saturatingFloatToInt(double X, const Type &To);

/// Whether a Bitcast from From to To is allowed: two non-Bool scalars of the
/// same bit width, or a word value and a 64-bit non-float scalar (I64, U64,
/// pointers), or two word values. The result is always "the same bits".
bool bitcastAllowed(const Type &From, const Type &To);

/// The signature a call of a program function not known when its caller
/// was loaded is bound to (docs/SEMANTICS.md "Redefinition"): the call
/// site's FuncPtr signature Site, its parameters the arguments' own types
/// when Site lists none and arguments are passed (MIR.md "Calls and
/// signatures (v2)"). The callee must arrive with exactly this signature.
Signature boundCallSignature(const Signature *Site,
                             llvm::ArrayRef<Type> ArgTypes);

/// (osr) A running call's state as an image of 64-bit words, at the start of
/// one of its blocks: what on-stack replacement hands from the backend that
/// runs the call (the interpreter, whose frame this is) to code compiled to
/// continue it (docs/SEMANTICS.md "Tiers and on-stack replacement"). Every
/// word holds a value in its type's slot form (slotRep above).
struct FrameImage {
  /// By local position (Function::Locals): the word holding that local, or
  /// -1 for a local with no value (Unit, Never). A local that is not live at
  /// the block may hold any bits.
  std::vector<int32_t> LocalWord;
  /// The Alloc instruction at (block position, instruction position) has
  /// its area at word Word of the image (8-byte aligned, its type's store
  /// size long). Code that continues the call uses these areas, not new
  /// ones, so pointers into them stay valid and the call keeps one area per
  /// Alloc instruction, as before.
  struct AllocArea {
    uint32_t Block = 0, Inst = 0, Word = 0;
  };
  std::vector<AllocArea> Allocs;
  /// A function with __simple_ssa_phi: the word holding the id of the block
  /// control came from (~0 before the first jump); -1 otherwise.
  int32_t PredWord = -1;
  /// The blocks (by id) a continuation may start at: where the running
  /// backend's loops go back to.
  std::vector<BlockId> Targets;
};

/// (osr) Continues a call from its frame image at the start of block Block
/// (one of FrameImage::Targets), Depth being the call's depth (1 for a call
/// from the host), and returns the call's result in slot form (0 for Unit).
/// A runtime error or a raise inside leaves it as from any call of compiled
/// code.
using OSREntryFn = uint64_t (*)(uint64_t *Frame, uint32_t Depth,
                                uint32_t Block);

} // namespace spl::mir

#endif // SPL_MIR_SEMANTICS_H
