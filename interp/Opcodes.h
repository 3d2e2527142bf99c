//===- interp/Opcodes.h - The interpreter's bytecode opcodes ----*- C++ -*-===//
//
// Private to interp/. One X-macro table lists every bytecode opcode; the
// enum, the dispatch label table and the disassembler names all come from
// it, so they cannot drift apart.
//
// Opcodes are typed: the lowering picks the exact operation (AddS32 wraps at
// 32 bits and sign-extends, LtU compares unsigned, ...) so a handler never
// looks at a type at run time. Families are stamped per kind by the helper
// macros below, in the order of the kind enums, so the lowering finds a
// member as `Family + kind`.
//
// Operand forms (suffix): _rr reads two frame slots, _ri a slot and a 64-bit
// immediate. Branch forms (Br*) fuse a comparison with the jump.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_INTERP_OPCODES_H
#define SPL_INTERP_OPCODES_H

#include <cstdint>

namespace spl::interp {

/// How a 64-bit slot is kept canonical after an integer operation (see
/// docs/SEMANTICS.md "Values"): W64 is the full register (I64, U64, Ptr,
/// F64 bits), the others sign- or zero-extend from their width, B1 is Bool.
enum class NormKind : uint8_t { W64, S32, U32, S16, U16, S8, U8, B1 };
/// Signed integer widths (division, remainder, arithmetic shift right).
enum class SignedKind : uint8_t { S64, S32, S16, S8 };
/// Unsigned integer widths (logical shift right).
enum class UnsignedKind : uint8_t { U64, U32, U16, U8 };
/// Integer types for overflow checks.
enum class CheckKind : uint8_t { S64, U64, S32, U32, S16, U16, S8, U8 };
/// Integer comparisons; Gt/Ge exist so a constant can stay on the right.
enum class CondCode : uint8_t { Eq, Ne, LtS, LeS, GtS, GeS, LtU, LeU, GtU, GeU };
/// Float comparisons (ordered, except Ne).
enum class FCond : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

// Stampers: one opcode per kind, in the kind enum's order.
#define SPL_NK(X, P, S)                                                        \
  X(P##W64##S) X(P##S32##S) X(P##U32##S) X(P##S16##S) X(P##U16##S)             \
      X(P##S8##S) X(P##U8##S) X(P##B1##S)
#define SPL_SK(X, P, S) X(P##S64##S) X(P##S32##S) X(P##S16##S) X(P##S8##S)
#define SPL_UK(X, P, S) X(P##U64##S) X(P##U32##S) X(P##U16##S) X(P##U8##S)
#define SPL_CK(X, P, S)                                                        \
  X(P##S64##S) X(P##U64##S) X(P##S32##S) X(P##U32##S) X(P##S16##S)             \
      X(P##U16##S) X(P##S8##S) X(P##U8##S)
#define SPL_CC(X, P, S)                                                        \
  X(P##Eq##S) X(P##Ne##S) X(P##LtS##S) X(P##LeS##S) X(P##GtS##S)               \
      X(P##GeS##S) X(P##LtU##S) X(P##LeU##S) X(P##GtU##S) X(P##GeU##S)
#define SPL_FC(X, P, S)                                                        \
  X(P##Eq##S) X(P##Ne##S) X(P##Lt##S) X(P##Le##S) X(P##Gt##S) X(P##Ge##S)

// The table. Layout of each instruction in 64-bit words, word 0 being the
// handler (label address or opcode number); "a|b" packs two 32-bit fields
// in one word (low|high). Slots are frame indices.
#define SPL_INTERP_OPCODES(X)                                                  \
  /* [op]                         leave run(): result in FP[0] */              \
  X(Exit)                                                                      \
  /* [op][d|s]                    */                                           \
  X(Mov)                                                                       \
  /* [op][d][imm]                 */                                           \
  X(LoadImm)                                                                   \
  /* [op][first|count]            zero count slots from first */               \
  X(ZeroSlots)                                                                 \
  /* [op][target] / [op][c][target] */                                         \
  X(Jmp) X(JmpIf) X(JmpIfNot)                                                  \
  /* [op][v] / [op][imm]          */                                           \
  X(Ret) X(RetImm)                                                             \
  /* [op][kind][detail cstr][fn]  */                                           \
  X(Trap)                                                                      \
  /* [op][v|n][default] then n x ([value][target]), values sorted */           \
  X(Switch)                                                                    \
  /* [op][d|slot offset][bytes]   */                                           \
  X(Alloc)                                                                     \
  /* calls; the last word is the dest slot (see LowerMemCall.cpp); the B    \
     copies of the one-argument calls alternate with the others, so that     \
     consecutive call sites continue from different indirect jumps */        \
  X(Call0) X(Call1) X(Call1B) X(Call1AddImm) X(Call1AddImmB) X(Call2)          \
  X(CallN) X(CallExt) X(CallExtF) X(CallInd)                                  \
  /* a runtime function on 64-bit words, called directly (no call plan):    \
     [op][fn][args packed two per word][dest] */                               \
  X(CallW0) X(CallW1) X(CallW2) X(CallW3)                                      \
  /* [op][d|base][idx][scale][off] / [op][d|base][i|j][s1][s2][off] */         \
  X(GepIdx) X(Gep2)                                                            \
  /* fused address arithmetic (LowerFused.cpp): base + (a*b + c) * scale:     \
     [op][d|base][a|b][c][scale] */                                            \
  X(GepMulAdd)                                                                 \
  /* [op][d|p] and [op][p|v]      */                                           \
  X(LdS8) X(LdU8) X(LdB1) X(LdS16) X(LdU16) X(LdS32) X(LdU32) X(Ld64)          \
  X(St8) X(St16) X(St32) X(St64)                                               \
  /* a load from a GepIdx address, in the Ld* order: [op][d|base][idx]        \
     [scale][off]; and from a GepMulAdd address (64-bit) */                    \
  X(LdIdxS8) X(LdIdxU8) X(LdIdxB1) X(LdIdxS16) X(LdIdxU16) X(LdIdxS32)         \
  X(LdIdxU32) X(LdIdx64) X(LdMulAdd64)                                         \
  /* integer arithmetic: [op][d|a][b] or [op][d|a][imm]; those that can     \
     trap (Shl, Div, Rem, Shr, checked) add [fn] for the message */            \
  SPL_NK(X, Add, _rr) SPL_NK(X, Add, _ri)                                      \
  SPL_NK(X, Sub, _rr) SPL_NK(X, Sub, _ri)                                      \
  SPL_NK(X, Mul, _rr) SPL_NK(X, Mul, _ri)                                      \
  SPL_NK(X, Shl, _rr) SPL_NK(X, Shl, _ri)                                      \
  SPL_SK(X, Div, _rr) SPL_SK(X, Div, _ri)                                      \
  SPL_SK(X, Rem, _rr) SPL_SK(X, Rem, _ri)                                      \
  SPL_SK(X, Shr, _rr) SPL_SK(X, Shr, _ri)                                      \
  SPL_UK(X, Shr, _rr) SPL_UK(X, Shr, _ri)                                      \
  X(DivU_rr) X(DivU_ri) X(RemU_rr) X(RemU_ri)                                  \
  /* by a constant, with a multiply: [op][d|a][divisor][magic][sh1|sh2] */     \
  X(DivSMagic) X(RemSMagic) X(DivUMagic) X(RemUMagic)                          \
  X(And_rr) X(And_ri) X(Or_rr) X(Or_ri) X(Xor_rr) X(Xor_ri)                    \
  SPL_CK(X, CAdd, _rr) SPL_CK(X, CAdd, _ri)                                    \
  SPL_CK(X, CSub, _rr) SPL_CK(X, CSub, _ri)                                    \
  SPL_CK(X, CMul, _rr) SPL_CK(X, CMul, _ri)                                    \
  /* [op][d|a]: 0 - a, and re-canonicalise to a kind */                        \
  SPL_NK(X, Neg, ) SPL_NK(X, Norm, )                                           \
  /* [op][d|a][b|kind + 256*exponent is signed][fn] */                         \
  X(PowI)                                                                      \
  /* comparisons write Bool: [op][d|a][b] / [op][d|a][imm] */                  \
  SPL_CC(X, Cmp, _rr) SPL_CC(X, Cmp, _ri)                                      \
  /* compare and branch if true: [op][a|b][target] / [op][a][imm][target] */   \
  SPL_CC(X, Br, _rr) SPL_CC(X, Br, _ri)                                        \
  /* compare and return if true:                                               \
     [op][a|b][imm][ret slot|ret is constant][ret constant] */                 \
  SPL_CC(X, RetIf, _rr) SPL_CC(X, RetIf, _ri)                                  \
  /* floats: [op][d|a][b], [op][d|a] */                                        \
  X(FAddF64) X(FSubF64) X(FMulF64) X(FDivF64) X(FRemF64) X(FPowF64)            \
  X(FNegF64)                                                                   \
  /* F64 with a constant: [op][d|a][imm bits]; _ri is a OP imm, _ir imm OP a  \
     (the order kept: which NaN payload survives depends on it) */            \
  X(FAddF64_ri) X(FAddF64_ir) X(FSubF64_ri) X(FSubF64_ir)                      \
  X(FMulF64_ri) X(FMulF64_ir) X(FDivF64_ri) X(FDivF64_ir)                      \
  X(FAddF32) X(FSubF32) X(FMulF32) X(FDivF32) X(FRemF32) X(FPowF32)            \
  X(FNegF32)                                                                   \
  /* fused: [op][d|a][b|c]: a*b + c on words; c + a*b, c - a*b, a*b - c on   \
     F64 with two roundings, as the two MIR instructions round */             \
  X(MulAddW64) X(FMulAddF64) X(FMulSubF64) X(FMulRSubF64)                      \
  /* fused: [op][x|n][step][target] / [op][x][step][n imm][target]:           \
     x += step, then jump if x < n (signed): a counted loop's bottom */       \
  X(IncBrLtS_rr) X(IncBrLtS_ri)                                                \
  /* fused: [op][p|v][base|idx][scale][off]: p = base + idx*scale + off, and  \
     v = the 64 bits at p (p is read again, by a store) */                    \
  X(GepLd64)                                                                   \
  /* fused: [op][base|idx][scale][off][a|b]: the f64 at base + idx*scale +    \
     off becomes itself + a*b (or - a*b), two roundings: `x[i] += a * b` */   \
  X(FAccMulAddF64) X(FAccMulSubF64)                                            \
  /* fused: [op][d|s][base1|a1][b1|c1][base2|a2][b2|c2][scale1|scale2]:      \
     d = s + x*y, x the f64 at base1 + (a1*b1 + c1)*scale1, y likewise: a     \
     dot product's step, two roundings */                                     \
  X(FDotMulAddF64)                                                             \
  /* fused, Add Sub Mul Div of two f64 loads:                                 \
     [op][d|base1][i1|base2][i2][scale1][off1][scale2][off2]: d = x OP y,     \
     x the f64 at base1 + i1*scale1 + off1, y likewise */                     \
  X(FAddLdLdF64) X(FSubLdLdF64) X(FMulLdLdF64) X(FDivLdLdF64)                  \
  /* fused, the same of a load and a slot: [op][d|base][i|b][scale][off]:     \
     d = x OP b */                                                             \
  X(FAddLdF64) X(FSubLdF64) X(FMulLdF64) X(FDivLdF64)                          \
  SPL_FC(X, F64Cmp, ) SPL_FC(X, F32Cmp, )                                      \
  /* conversions: [op][d|a]; float->int adds [bits] */                         \
  X(S2F64) X(U2F64) X(S2F32) X(U2F32)                                          \
  X(F64ToS) X(F64ToU) X(F32ToS) X(F32ToU)                                      \
  X(F64ToF32) X(F32ToF64) X(NeZero)                                            \
  /* math: [op][d|a][fn] / [op][d|a][b][fn]; fn is a C function pointer */     \
  X(Intr1F64) X(Intr2F64) X(Intr1F32) X(Intr2F32) X(SqrtF64)                   \
  /* (v2) fields: [op][d|base][byte offset] loads the word and brings it to    \
     d's kind; [op][base|v][byte offset] stores v's word */                    \
  SPL_NK(X, GetField, ) X(SetField)                                            \
  /* (v2) Aggregate, calling the runtime (pointers resolved at load):          \
     [op][d|N][rt_alloc][slots...]                    Struct, Tuple            \
     [op][d|N][rt_array_new][rt_array_push][slots...] Array                    \
     [op][d|payload][rt_enum_new][symbol|variant]     Enum, 0 or 1 operand     \
     [op][d|N][rt_enum_new][symbol|variant][rt_tuple_new][rt_tuple_set]        \
       [slots...]                                     Enum, N >= 2 operands */ \
  X(NewWords) X(NewArray) X(NewEnum) X(NewEnumTuple)                           \
  /* (v2) __simple_ssa_phi: [op][d|pred slot][n|v0] then n x [block|v] */      \
  X(Phi)                                                                       \
  /* (v2) bounds_check: [op][d|index][len][function name] */                   \
  X(BoundsCheck)                                                               \
  /* (v2) bit intrinsics, a C function in the last word: [op][d|a][b][fn]      \
     returns a word; [op][a|b][c][fn], [op][a|b][c|d][fn] return nothing */    \
  X(CallC2) X(CallC3V) X(CallC4V)                                              \
  /* (v2) CallTerminator with an unwind block: [op][unwind target]             \
     [payload|tag slot][payload|tag kind][resume offset][fn], then the call    \
     (with its argument set-up) and LeaveCall; see Run.cpp */                  \
  X(Invoke) X(LeaveCall)                                                       \
  /* (v2) Throw, Resume: [op][payload|tag][function name] */                   \
  X(Throw)                                                                     \
  /* back-edges: as Jmp, JmpIf, JmpIfNot, Br*, Switch, IncBrLtS, then a     \
     poll of the interrupt flag (the lowering picks these for a jump to code  \
     at or before it where the loop may call out of run(); see Poll.cpp).     \
     The C forms (a tiering interpreter, on every back-edge) have one more    \
     word at the end, the running definition's Callee, whose back-edges they  \
     count first (Bytecode.h "Countdowns"), then poll */                      \
  X(JmpP) X(JmpIfP) X(JmpIfNotP)                                               \
  SPL_CC(X, BrP, _rr) SPL_CC(X, BrP, _ri)                                      \
  X(SwitchP) X(IncBrLtSP_rr) X(IncBrLtSP_ri)                                   \
  X(JmpC) X(JmpIfC) X(JmpIfNotC)                                               \
  SPL_CC(X, BrC, _rr) SPL_CC(X, BrC, _ri)                                      \
  X(SwitchC) X(IncBrLtSC_rr) X(IncBrLtSC_ri)                                   \
  /* [op]: a poll of the interrupt flag, first in a function that may call    \
     out of run() (Poll.cpp) */                                                \
  X(Poll)                                                                      \
  /* (tiering) the body of a thunk into another tier: [op][entry][nparams]:   \
     calls entry(FP, &FP[nparams], depth) and returns what it wrote */        \
  X(CallNative)

enum class Opc : uint16_t {
#define X(N) N,
  SPL_INTERP_OPCODES(X)
#undef X
      NumOpcodes
};

/// The opcode's name (for dumps and errors).
const char *opcodeName(Opc O);

/// Family members by kind.
inline Opc opcAt(Opc First, unsigned Index) {
  return Opc(unsigned(First) + Index);
}

/// The polling twin of a jump (JmpP for Jmp, ...), or with Count its
/// counting and polling twin (JmpC, ...); other opcodes unchanged.
inline Opc backEdgeOpc(Opc O, bool Count = false) {
  switch (O) {
  case Opc::Jmp:
    return Count ? Opc::JmpC : Opc::JmpP;
  case Opc::JmpIf:
    return Count ? Opc::JmpIfC : Opc::JmpIfP;
  case Opc::JmpIfNot:
    return Count ? Opc::JmpIfNotC : Opc::JmpIfNotP;
  case Opc::Switch:
    return Count ? Opc::SwitchC : Opc::SwitchP;
  case Opc::IncBrLtS_rr:
    return Count ? Opc::IncBrLtSC_rr : Opc::IncBrLtSP_rr;
  case Opc::IncBrLtS_ri:
    return Count ? Opc::IncBrLtSC_ri : Opc::IncBrLtSP_ri;
  default:
    break;
  }
  unsigned U = unsigned(O);
  if (U >= unsigned(Opc::BrEq_rr) && U <= unsigned(Opc::BrGeU_ri))
    return Opc(U - unsigned(Opc::BrEq_rr) +
               unsigned(Count ? Opc::BrCEq_rr : Opc::BrPEq_rr));
  return O;
}

} // namespace spl::interp

#endif // SPL_INTERP_OPCODES_H
