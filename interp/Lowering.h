//===- interp/Lowering.h - MIR function -> bytecode --------------*- C++ -*-===//
//
// Private to interp/. Lowers one MIR function to a CompiledFunction:
//
//   1. layout: every local gets a frame slot (argument i in slot i), then a
//      discard slot, scratch slots for constants, and one area per Alloc;
//   2. each block in order: instructions become typed opcodes with their
//      operands resolved to slots and immediates (constants on the right of
//      an operation become the immediate form; elsewhere they are loaded into
//      a scratch slot);
//   3. branch targets are patched to addresses, and opcode numbers to
//      handler words, once the code no longer moves.
//
// Superinstructions and small rewrites, each only where it cannot be seen:
//   * a comparison whose Bool only feeds the block's If becomes one
//     compare-and-branch, or compare-and-return when the If's target block
//     does nothing but return (that block is then not emitted);
//   * a Goto to a block that only tests or returns copies that terminator;
//   * `t = op ...; x = copy t` with t read nowhere else writes x directly;
//   * `t = x +/- c; call f(t)` passes x + c without writing t;
//   * a one-parameter function that starts with compare-and-return on its
//     parameter gets an EntryGuard, which one-argument calls test before
//     pushing a frame (the callee's base case costs no call);
//   * division and remainder by a constant multiply instead.
//
// Calls are linked here: program functions through their FuncSlot, externs
// to a call plan made now (failure is a load error). The callee's own
// signature, when known, decides how each argument is converted.
//
// (v2) Word types (handles, Array values) are slots like I64; the v2 forms
// (Aggregate, fields, GlobalAddr, phi, bounds_check, bit and Extern
// intrinsics, CallTerminator, Throw, Resume) are lowered in LowerV2.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_INTERP_LOWERING_H
#define SPL_INTERP_LOWERING_H

#include "interp/Bytecode.h"
#include "mir/Semantics.h"

#include <set>

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/StringSaver.h"

#include <initializer_list>
#include <optional>

namespace spl::ffi {
class GlobalCells;
}

namespace spl::interp {

class SlotTable;
class ExternTable;
class CallbackTable;

/// What lowering a module needs from the interpreter.
struct LinkContext {
  const mir::Module &M;
  SlotTable &Slots;
  ExternTable &Externs;
  llvm::StringSaver &Strings;
  CallbackTable &Callbacks;
  ffi::GlobalCells &Globals;
  /// Back-edges count for tiering (Options::HotBackEdges): the counting
  /// forms of the back-edge jumps (Opcodes.h).
  bool CountBackEdges = false;
};

llvm::Expected<std::unique_ptr<CompiledFunction>>
lowerFunction(const mir::Function &F, LinkContext &Ctx);

/// By local position: whether some path may read the local before writing
/// it (InitAnalysis.cpp). Those locals are zeroed on entry.
std::vector<bool> localsReadBeforeWritten(const mir::Function &F);

/// Where a function's code polls the interrupt flag (Poll.cpp).
struct PollPlan {
  bool Entry = true; // the Poll opcode first
  bool AllBackEdges = true;
  /// Otherwise the back-edges to these blocks poll.
  llvm::DenseSet<mir::BlockId> PollingTargets;
  bool backEdgePolls(mir::BlockId Target) const {
    return AllBackEdges || PollingTargets.contains(Target);
  }
};
/// SPL_MEASURE_NO_POLLS=1 (a measuring aid): no polls anywhere.
bool measuringWithoutPolls();
PollPlan planPolls(const mir::Function &F,
                   llvm::function_ref<bool(llvm::StringRef)> IsExtern);

/// Two 32-bit operand fields in one code word (low, high).
inline uint64_t pack(uint32_t Lo, uint32_t Hi) {
  return uint64_t(Lo) | uint64_t(Hi) << 32;
}

/// The normalisation that brings a slot to representation R
/// (mir::slotRep, docs/SEMANTICS.md "Values"): the NormW64 opcode family
/// implements mir::wordToSlot for each kind. F32 is its 32 bits, F64,
/// addresses, words and no value are the whole word.
NormKind normKindOf(const mir::SlotRep &R);
/// normKindOf(mir::slotRep(T)).
NormKind normKindOf(const mir::Type &T);

/// (v2) A word type (handle, Array value) is handled exactly like I64: this
/// is T, or the I64 type for a word type.
const mir::Type &slotTypeOf(const mir::Type &T);

/// Integers, Bool, Char, pointers and words: values integer opcodes work on.
bool isIntLike(const mir::Type &T);

/// The implementation, shared by the Lower*.cpp files.
class Lowerer {
public:
  Lowerer(const mir::Function &F, LinkContext &Ctx) : F(F), Ctx(Ctx) {}
  llvm::Expected<std::unique_ptr<CompiledFunction>> run();

private:
  /// An operand: a slot, or a constant's raw value; Ty is its MIR type
  /// (slotTypeOf: a word type reads as I64).
  struct Val {
    bool IsConst = false;
    uint32_t Slot = 0;
    uint64_t Imm = 0;
    const mir::Type *Ty = nullptr;
  };

  // Lowering.cpp: driver, operands, terminators.
  llvm::Error layout();
  llvm::Error lowerBlock(const mir::Block &B, const mir::Block *Next);
  llvm::Error lowerInst(const mir::Inst &I, const mir::Inst *Following,
                        bool &ConsumedFollowing);
  llvm::Error lowerTerminator(const mir::Block &B, const mir::Block *Next,
                              const mir::Inst *FusedCmp);
  llvm::Error lowerIf(const mir::Terminator &T, const mir::Block *Next,
                      const mir::Inst *FusedCmp);
  llvm::Error lowerSwitch(const mir::Terminator &T, const mir::Block *Next);
  llvm::Error checkBlock(mir::BlockId Id);
  void emitJump(Opc O, std::initializer_list<uint64_t> Words,
                mir::BlockId Target);
  /// A jump to Target, or nothing when it is Next. A Target that only
  /// branches or returns has its terminator copied here instead.
  llvm::Error emitGoto(mir::BlockId Target, const mir::Block *Next);
  llvm::Error lowerReturn(const mir::Terminator &T);
  /// What a Return terminator returns: a slot or a canonical constant.
  llvm::Expected<Val> returnValue(const mir::Terminator &T);
  /// Blocks that only return and are reached from one fused If alone: the
  /// If returns itself, and the block is not emitted.
  void findAbsorbedReturns();
  /// `t = x +/- const; call f(t)` with t read nowhere else: the call adds.
  bool isArgAddImm(const mir::Inst &I, const mir::Inst &Call) const;
  llvm::Expected<Val> val(const mir::Operand &O);
  llvm::Expected<uint64_t> constRaw(const mir::Constant &C);
  uint32_t inSlot(const Val &V);
  llvm::Expected<uint32_t> localSlot(mir::LocalId L);
  const mir::Type &localType(mir::LocalId L) const;
  /// O's own MIR type (Val::Ty is its slot type: a word reads as I64).
  const mir::Type &operandType(const mir::Operand &O) const;
  /// The slot an instruction writes (Dest, or the discard slot) and, when it
  /// has a Dest, that local's type.
  llvm::Expected<uint32_t> destSlot(const mir::Inst &I);
  const mir::Type *destType(const mir::Inst &I) const;
  bool isFusableCmp(const mir::Inst &I, const mir::Terminator &T) const;
  /// A load error "function `f`, block bbN, instruction I: Msg".
  llvm::Error err(const llvm::Twine &Msg) const;
  size_t emit(Opc O, std::initializer_list<uint64_t> Words);

  // LowerArith.cpp: BinOp, CheckedBinOp, UnaryOp, Cast, Bitcast.
  llvm::Error lowerBinOp(const mir::Inst &I, uint32_t D);
  llvm::Error lowerChecked(const mir::Inst &I, uint32_t D);
  llvm::Error lowerUnary(const mir::Inst &I, uint32_t D);
  llvm::Error lowerCast(const mir::Inst &I, uint32_t D, bool Bitcast);
  llvm::Error lowerFloatBin(mir::BinOpKind K, bool F32, uint32_t D, Val L,
                            Val R);
  /// A compare-and-branch: jump to Target when the comparison holds (or,
  /// with Invert, when it does not).
  struct BranchTo {
    mir::BlockId Target;
    bool Invert;
    /// Set when Target is a block that only returns (and nothing else jumps
    /// to): return from here instead of jumping (compare and return).
    const mir::Terminator *Return = nullptr;
  };
  /// Records Out's entry guard when the function's first instruction is
  /// `return V if param0 C Imm` (V a constant or param 0).
  void noteEntryGuard(CondCode C, uint64_t Imm, const Val &Ret);
  /// Emits the comparison K of L and R into slot D, or as a branch.
  llvm::Error lowerIntCmp(mir::BinOpKind K, bool Signed, uint32_t D, Val L,
                          Val R, std::optional<BranchTo> Branch);
  /// Emits Rr (two slots) or Ri (a slot and an immediate); an operation
  /// that Traps also carries this function, for the message.
  void emitIntBin(Opc Rr, Opc Ri, uint32_t D, Val L, Val R, bool Commutes,
                  bool Traps = false);
  /// The word naming this function in a trapping instruction.
  uint64_t fnWord() const { return uint64_t(uintptr_t(Out.get())); }
  /// The word a back-edge counts in: this definition's Callee.
  uint64_t selfWord() const { return uint64_t(uintptr_t(&Out->Self)); }
  /// Records the call of Slot whose Callee word is at Word, bound to Bound
  /// (Bytecode.h "CallSite"), and how its callee C was bound.
  void noteCallSite(size_t Word, FuncSlot *Slot, const mir::Constant &C,
                    const mir::Signature *Known,
                    llvm::ArrayRef<mir::Type> ArgTypes);
  void noteExternCall(const mir::Constant &C);
  void emitNorm(uint32_t D, NormKind From, const mir::Type *DestTy);

  // LowerMemCall.cpp: Const, Alloc, Load, Store, GetElementPtr, calls,
  // intrinsics.
  llvm::Error lowerConst(const mir::Inst &I, uint32_t D);
  llvm::Error lowerAlloc(const mir::Inst &I, uint32_t D);
  /// (osr) Out's BlockAt and frame image, Targets being the blocks its
  /// back-edges go to.
  void recordFrameImage(const std::set<mir::BlockId> &Targets);
  /// (osr) The jump emitted next is a copy of Test's test (recorded when
  /// back-edges count: only then are continuations looked for), and whether
  /// the jump at code offset At is one.
  void noteCopiedTest(mir::BlockId Test);
  bool isCopiedTest(uint32_t At) const;
  llvm::Error lowerLoad(const mir::Inst &I, uint32_t D);
  /// Which of LdS8 .. Ld64 loads Load's value through pointer P.
  llvm::Expected<unsigned> loadKind(const Val &P, const mir::Inst &Load);
  llvm::Error lowerStore(const mir::Inst &I);
  llvm::Error lowerGep(const mir::Inst &I, uint32_t D);
  llvm::Error lowerCall(const mir::Inst &I, uint32_t D);
  /// A call through the function pointer in Ptr (CallIndirect, or a Call
  /// whose callee is a local).
  llvm::Error lowerIndirect(const mir::Operand &Ptr,
                            llvm::ArrayRef<mir::Operand> ArgOps,
                            const mir::Signature &Sig, uint32_t D);
  llvm::Error lowerIntrinsic(const mir::Inst &I, uint32_t D);
  llvm::Error lowerFloatIntrinsic(const mir::Inst &I, uint32_t D);
  llvm::Error emitArgs(llvm::ArrayRef<mir::Operand> Args,
                       std::vector<uint32_t> &Slots);
  /// The operands' values and their (unmapped) MIR types.
  llvm::Error argVals(llvm::ArrayRef<mir::Operand> Args, std::vector<Val> &Vals,
                      std::vector<mir::Type> &Types);
  /// Brings argument Index (of MIR type From) to parameter type To for a
  /// call of Callee (MIR.md "Calls and signatures (v2)"): integer-like
  /// values extend by From's signedness or truncate, F32 <-> F64 convert
  /// numerically, integer <-> float is a load error.
  llvm::Expected<Val> convertArg(const Val &V, const mir::Type &From,
                                 const mir::Type &To, const llvm::Twine &Callee,
                                 unsigned Index);
  /// Converts Vals to Sig's parameters (extra variadic ones stay).
  llvm::Error convertArgs(std::vector<Val> &Vals,
                          llvm::ArrayRef<mir::Type> Types,
                          const mir::Signature &Sig, const llvm::Twine &Callee);
  /// The slots of Vals (constants loaded into scratch slots).
  std::vector<uint32_t> slotsOf(llvm::ArrayRef<Val> Vals);
  /// A call of the extern Name: the signature from ffi::externCallSignature
  /// (CallSite: the call site's FuncPtr signature, or null), arguments
  /// converted to it, the result brought to DestTy's kind.
  /// With ResultAsWord the result is brought to DestTy's kind whatever the
  /// callee's return type (GetField's conversion; the Extern intrinsic).
  llvm::Error lowerExternCall(llvm::StringRef Name,
                              const mir::Signature *CallSite,
                              std::vector<Val> Vals,
                              llvm::ArrayRef<mir::Type> Types, uint32_t D,
                              const mir::Type *DestTy,
                              bool ResultAsWord = false);
  /// The signature of the program function C names, when it is known (in
  /// this module, or loaded before).
  const mir::Signature *knownSignature(const mir::Constant &C) const;
  /// A runtime function's address (ffi::resolveExtern's order).
  llvm::Expected<uint64_t> runtimeAddress(llvm::StringRef Name);
  /// A fresh scratch slot for this instruction.
  uint32_t scratchSlot();
  /// Brings slot D, holding a word, to DestTy's canonical form (what
  /// GetField does).
  void emitToKind(uint32_t D, const mir::Type *DestTy);

  // LowerFused.cpp: superinstructions over a few adjacent instructions.
  /// An index expression feeding a one-index GetElementPtr: Folded is
  /// X*Scale + Off with constants (in index units), MulAdd is A*B2 + C.
  struct Index {
    bool MulAdd = false;
    uint32_t X = 0, A = 0, B2 = 0, C = 0; // slots
    uint64_t Scale = 1, Off = 0;
    unsigned Len = 0; // instructions of the expression
    mir::LocalId Result = 0;
  };
  /// The index expression whose first instruction is B.Insts[K], if any.
  std::optional<Index> matchIndex(const mir::Block &B, size_t K) const;
  /// `[index expression]; p = gep base, i; v = load p` from B.Insts[K] on,
  /// p and v (an F64) each read once: what the fused float operations take
  /// as a memory operand. Scale is the element size; Len counts everything.
  struct F64Load {
    Index Ix;
    uint32_t Base;
    uint64_t Scale;
    unsigned Len;
    mir::LocalId V;
  };
  llvm::Expected<std::optional<F64Load>> matchF64Load(const mir::Block &B,
                                                      size_t K);
  /// Float operations on loaded operands: a dot product's step, `x OP y` of
  /// two loads, `x OP y` of a load and a slot. How many instructions from K
  /// they took (0: none matched).
  llvm::Expected<unsigned> lowerFloatLoads(const mir::Block &B, size_t K);
  bool readOnce(mir::LocalId L) const;
  bool isSlotOperand(const mir::Operand &O) const;
  uint32_t slotOfOperand(const mir::Operand &O) const;
  /// An integer local whose slot is the whole word (I64, U64).
  bool isWordLocal(mir::LocalId L) const;
  bool isF64Local(mir::LocalId L) const;
  /// Lowers the instructions of B from K on as one fused operation when
  /// they match a pattern; how many it consumed (0: none matched).
  llvm::Expected<unsigned> lowerFused(const mir::Block &B, size_t K);
  /// B ends `t = add x, c; x = copy t; goto T` and T is `x < n ? ...`: one
  /// increment-and-branch replaces all three (and T's test here). True when
  /// it did, B's terminator included.
  llvm::Expected<bool> lowerIncBranch(const mir::Block &B, size_t K,
                                      const mir::Block *Next);
  /// 1 when the instruction after End is `y = copy x` of the fused result
  /// x (read nowhere else, same type): the fused operation writes y.
  unsigned coalesceCopy(const mir::Block &B, size_t End, mir::LocalId X,
                        uint32_t &D);

  // LowerV2.cpp: Aggregate, GetField, SetField, GlobalAddr, the v2
  // intrinsics, CallTerminator, Throw and Resume.
  llvm::Error lowerAggregate(const mir::Inst &I, uint32_t D);
  llvm::Error lowerGetField(const mir::Inst &I, uint32_t D);
  llvm::Error lowerSetField(const mir::Inst &I);
  llvm::Error lowerPhi(const mir::Inst &I, uint32_t D);
  llvm::Error lowerBoundsCheck(const mir::Inst &I, uint32_t D);
  llvm::Error lowerBitIntrinsic(const mir::Inst &I, uint32_t D);
  llvm::Error lowerExternIntrinsic(const mir::Inst &I, uint32_t D);
  llvm::Error lowerCallTerminator(const mir::Terminator &T,
                                  const mir::Block *Next);
  llvm::Error lowerThrow(const mir::Terminator &T);
  /// The C string naming this function (for spl_rt_throw and
  /// spl_rt_bounds_fail): the compiled function's own name, which lives as
  /// long as its code.
  uint64_t fnNameWord() const { return uint64_t(uintptr_t(Out->Name.c_str())); }
  void appendPacked(llvm::ArrayRef<uint32_t> Slots);
  /// Emits a call of a program function through Slot; returns the index of
  /// the word holding its Callee.
  size_t emitCall(FuncSlot *Slot, llvm::ArrayRef<uint32_t> Args, uint32_t D);
  /// The memory type behind pointer operand P (or Fallback when P's type
  /// does not say).
  const mir::Type *pointee(const Val &P, const mir::Type *Fallback) const;
  /// The value of a function constant: for program functions the code
  /// address of a C callback entering the slot (Callbacks.h), for externs
  /// their C address.
  llvm::Expected<uint64_t> functionAddress(const mir::Constant &C);
  /// Whether a call of Name goes to an extern (SEMANTICS.md "Calls").
  bool isExternName(llvm::StringRef Name) const;
  FuncSlot *programSlot(const mir::Constant &C);

  const mir::Function &F;
  LinkContext &Ctx;
  std::unique_ptr<CompiledFunction> Out;

  std::vector<uint64_t> Code;
  std::vector<uint32_t> InstStarts;
  std::vector<std::pair<size_t, mir::BlockId>> Fixups; // word -> block
  llvm::DenseMap<mir::BlockId, size_t> BlockStart;

  std::vector<uint32_t> SlotOf; // by local position
  std::vector<uint32_t> Uses;   // reads, by local position
  llvm::DenseMap<const mir::Inst *, uint32_t> AllocSlot;
  uint32_t DiscardSlot = 0, ScratchBase = 0, NumScratch = 0, NextScratch = 0;
  uint32_t MaxCallArgs = 0;

  /// Set by lowerBlock for the Call that takes `x + Imm` (isArgAddImm).
  struct ArgAddImm {
    mir::LocalId Temp;
    uint32_t Slot;
    uint64_t Imm;
  };
  std::optional<ArgAddImm> PendingArg;
  llvm::DenseSet<mir::BlockId> Absorbed;
  /// (v2) The function contains an __simple_ssa_phi: PredSlot holds the id
  /// of the block control came from (written before each block's
  /// terminator; ~0 on entry), and terminators are not copied into Gotos.
  bool HasPhi = false;
  uint32_t PredSlot = 0;
  /// Which copy of the one-argument call opcodes the next call site gets.
  bool CopyB = false;
  /// Copying a terminator into a Goto's place (never recursively).
  bool CopyingTerminator = false;
  /// (osr) The block whose test is being copied (while CopyingTerminator).
  mir::BlockId CopiedTest = 0;

  // The position errors name.
  const mir::Block *CurBlock = nullptr;
  int CurInst = -1; // -1: the terminator
};

} // namespace spl::interp

#endif // SPL_INTERP_LOWERING_H
