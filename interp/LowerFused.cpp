//===- interp/LowerFused.cpp - Superinstructions over adjacent instructions ===//
//
// A handler costs a dispatch (an indirect jump) and a round trip of its
// operands through frame slots, so the interpreter's float and memory paths
// pay per MIR instruction where native code pays per dependency. The
// compiler writes array indexing and accumulation as chains of single-use
// temporaries, which these patterns fold into one handler each, as a
// register machine's addressing modes and multiply-add would:
//
//   t = mul x, C1; u = add t, C2; p = gep base, u     base + x*(C1*S) + C2*S
//   u = add x, C;  p = gep base, u                     (also mul x, C alone)
//   t = mul a, b;  u = add t, c;  p = gep base, u     base + (a*b + c)*S
//   ... then v = load p                               one load handler
//   p = gep base, i; v = load p                       one load handler
//   t = mul a, b; u = add t, c                        MulAddW64 (i64/u64)
//   m = fmul a, b; s = fadd m, c | fadd c, m          c + a*b, two roundings
//   m = fmul a, b; s = fsub c, m | fsub m, c          c - a*b | a*b - c
//   ... and `y = copy s` after any of them writes y directly.
//
// Each temporary must be read nowhere else (Uses == 1) and the instructions
// must be adjacent, so no operand can change between the original
// instructions and the one fused handler. Integer chains are 64-bit words
// only: address arithmetic wraps modulo 2^64 exactly as the separate
// instructions do, so folding the constants is exact.
//
//===----------------------------------------------------------------------===//

#include "interp/Lowering.h"

using namespace llvm;
using spl::mir::BinOpKind;
using spl::mir::Opcode;

namespace spl::interp {
namespace {
/// I is `Dest = binop K a, b` with two operands.
bool isBin(const mir::Inst &I, BinOpKind K) {
  return I.Op == Opcode::BinOp && I.Bin == K && I.hasDest() && I.ops().size() == 2;
}
bool reads(const mir::Operand &O, mir::LocalId L) {
  return !O.isConst() && O.Local == L;
}
} // namespace

unsigned Lowerer::coalesceCopy(const mir::Block &B, size_t End,
                               mir::LocalId X, uint32_t &D) {
  if (End + 1 >= B.Insts.size())
    return 0;
  const mir::Inst &C = B.Insts[End + 1];
  if ((C.Op != Opcode::Copy && C.Op != Opcode::Move) || !C.hasDest() ||
      C.ops().size() != 1 || !reads(C.ops()[0], X))
    return 0;
  int XI = F.localIndex(X), YI = F.localIndex(C.dest());
  if (XI < 0 || YI < 0 || Uses[XI] != 1 || localType(X) != localType(C.dest()))
    return 0;
  D = SlotOf[YI];
  return 1;
}

Expected<unsigned> Lowerer::lowerFused(const mir::Block &B, size_t K) {
  NextScratch = 0;
  const size_t N = B.Insts.size();
  auto At = [&](size_t J) -> const mir::Inst * {
    return J < N ? &B.Insts[J] : nullptr;
  };
  // A local read once (by the next instruction of the pattern).
  auto Single = [&](mir::LocalId L) {
    int X = F.localIndex(L);
    return X >= 0 && Uses[X] == 1;
  };
  auto IsSlot = [&](const mir::Operand &O) {
    return !O.isConst() && F.localIndex(O.Local) >= 0;
  };
  auto Word = [&](mir::LocalId L) {
    const mir::Type &T = localType(L);
    return T.isInteger() && normKindOf(T) == NormKind::W64;
  };
  auto F64 = [&](mir::LocalId L) {
    return localType(L).Kind == mir::TypeKind::F64;
  };
  auto SlotOfOp = [&](const mir::Operand &O) {
    return SlotOf[F.localIndex(O.Local)];
  };
  auto Imm = [&](const mir::Operand &O) -> std::optional<uint64_t> {
    if (!O.isConst() || O.constant().K != mir::Constant::Kind::Int)
      return std::nullopt;
    return O.constant().Bits;
  };
  const mir::Inst &I0 = B.Insts[K];

  // --- An index expression feeding a one-index GetElementPtr. ---
  // Index forms: Folded (idx*Scale + Off with constants) or MulAdd (a*b+c).
  struct Index {
    bool MulAdd = false;
    uint32_t X = 0, A = 0, B2 = 0, C = 0; // slots
    uint64_t Scale = 1, Off = 0;          // in index units (Folded)
    unsigned Len = 0;                     // instructions of the expression
    mir::LocalId Result = 0;
  };
  std::optional<Index> Ix;
  if (isBin(I0, BinOpKind::Mul) && Word(I0.dest()) && Single(I0.dest())) {
    const mir::Inst *I1 = At(K + 1);
    std::optional<uint64_t> C1 = Imm(I0.ops()[1]);
    if (I1 && isBin(*I1, BinOpKind::Add) && Word(I1->dest()) &&
        Single(I1->dest()) && reads(I1->ops()[0], I0.dest())) {
      std::optional<uint64_t> C2 = Imm(I1->ops()[1]);
      if (IsSlot(I0.ops()[0]) && C1 && C2)
        Ix = Index{false, SlotOfOp(I0.ops()[0]), 0, 0, 0, *C1, *C2, 2, I1->dest()};
      else if (IsSlot(I0.ops()[0]) && IsSlot(I0.ops()[1]) && IsSlot(I1->ops()[1]))
        Ix = Index{true, 0, SlotOfOp(I0.ops()[0]), SlotOfOp(I0.ops()[1]),
                   SlotOfOp(I1->ops()[1]), 1, 0, 2, I1->dest()};
    } else if (IsSlot(I0.ops()[0]) && C1) {
      Ix = Index{false, SlotOfOp(I0.ops()[0]), 0, 0, 0, *C1, 0, 1, I0.dest()};
    }
  } else if (isBin(I0, BinOpKind::Add) && Word(I0.dest()) && Single(I0.dest()) &&
             IsSlot(I0.ops()[0])) {
    if (std::optional<uint64_t> C = Imm(I0.ops()[1]))
      Ix = Index{false, SlotOfOp(I0.ops()[0]), 0, 0, 0, 1, *C, 1, I0.dest()};
  }
  // With no index expression, a gep whose index is a plain slot.
  const mir::Inst *G = Ix ? At(K + Ix->Len) : &I0;
  if (G && G->Op == Opcode::GetElementPtr && G->hasDest() && G->ops().size() == 2 &&
      IsSlot(G->ops()[0]) && (Ix ? reads(G->ops()[1], Ix->Result) : IsSlot(G->ops()[1]))) {
    auto Base = val(G->ops()[0]);
    if (!Base)
      return Base.takeError();
    const mir::Type *PT = Base->Ty;
    if (PT && PT->isPointer() && PT->hasElem() && PT->pointee().hasLayout()) {
      uint64_t S = PT->pointee().storeSize();
      if (!Ix)
        Ix = Index{false, SlotOfOp(G->ops()[1]), 0, 0, 0, 1, 0, 0, 0};
      unsigned Len = Ix->Len + 1; // the expression and the gep
      uint32_t BaseSlot = inSlot(*Base);
      // A load of the address, read nowhere else, is part of the handler.
      const mir::Inst *L = At(K + Len);
      // The instruction after the gep loads from its address.
      bool LoadsP = L && L->Op == Opcode::Load && L->hasDest() && L->ops().size() == 1 &&
                    reads(L->ops()[0], G->dest());
      if (LoadsP && Single(G->dest())) {
        Expected<unsigned> LK = loadKind(*Base, *L);
        if (!LK)
          return LK.takeError();
        // MulAdd addresses have one (64-bit) load handler; others use the
        // gep handler and a plain load.
        if (!Ix->MulAdd || *LK == 7) {
          uint32_t D = SlotOf[F.localIndex(L->dest())];
          unsigned Extra = coalesceCopy(B, K + Len, L->dest(), D);
          if (Ix->MulAdd)
            emit(Opc::LdMulAdd64,
                 {pack(D, BaseSlot), pack(Ix->A, Ix->B2), Ix->C, S});
          else
            emit(opcAt(Opc::LdIdxS8, *LK),
                 {pack(D, BaseSlot), Ix->X, Ix->Scale * S, Ix->Off * S});
          return Len + 1 + Extra;
        }
      }
      // `v = load p; m = fmul a, b; w = fadd v, m (or fsub v, m); store p, w`
      // with p read by those two alone: the whole update is one handler.
      if (LoadsP && !Ix->MulAdd && Single(L->dest()) && F64(L->dest())) {
        const mir::Inst *M = At(K + Len + 1), *W = At(K + Len + 2),
                        *St = At(K + Len + 3);
        int PI = F.localIndex(G->dest());
        if (M && W && St && PI >= 0 && Uses[PI] == 2 &&
            isBin(*M, BinOpKind::Mul) && F64(M->dest()) && Single(M->dest()) &&
            IsSlot(M->ops()[0]) && IsSlot(M->ops()[1]) && W->Op == Opcode::BinOp &&
            W->hasDest() && W->ops().size() == 2 && F64(W->dest()) && Single(W->dest()) &&
            St->Op == Opcode::Store && St->ops().size() == 2 &&
            reads(St->ops()[0], G->dest()) && reads(St->ops()[1], W->dest())) {
          bool Add = W->Bin == BinOpKind::Add &&
                     ((reads(W->ops()[0], L->dest()) && reads(W->ops()[1], M->dest())) ||
                      (reads(W->ops()[1], L->dest()) && reads(W->ops()[0], M->dest())));
          bool Sub = W->Bin == BinOpKind::Sub && reads(W->ops()[0], L->dest()) &&
                     reads(W->ops()[1], M->dest());
          // The product's operands must not be the loaded value (it is
          // never in a slot here).
          if ((Add || Sub) && !reads(M->ops()[0], L->dest()) &&
              !reads(M->ops()[1], L->dest())) {
            emit(Add ? Opc::FAccMulAddF64 : Opc::FAccMulSubF64,
                 {pack(BaseSlot, Ix->X), Ix->Scale * S, Ix->Off * S,
                  pack(SlotOfOp(M->ops()[0]), SlotOfOp(M->ops()[1]))});
            return Len + 4;
          }
        }
      }
      // The address read again later (a load, then a store back): one
      // handler writes both the address and the loaded word.
      if (LoadsP && !Ix->MulAdd) {
        Expected<unsigned> LK = loadKind(*Base, *L);
        if (!LK)
          return LK.takeError();
        Expected<uint32_t> PD = destSlot(*G);
        if (!PD)
          return PD.takeError();
        uint32_t VD = SlotOf[F.localIndex(L->dest())];
        if (*LK == 7 && *PD != VD) {
          emit(Opc::GepLd64, {pack(*PD, VD), pack(BaseSlot, Ix->X),
                              Ix->Scale * S, Ix->Off * S});
          return Len + 1;
        }
      }
      if (Ix->Len == 0)
        return 0; // a plain gep: lowerGep emits the same GepIdx
      Expected<uint32_t> D = destSlot(*G);
      if (!D)
        return D.takeError();
      if (Ix->MulAdd)
        emit(Opc::GepMulAdd, {pack(*D, BaseSlot), pack(Ix->A, Ix->B2), Ix->C, S});
      else
        emit(Opc::GepIdx, {pack(*D, BaseSlot), Ix->X, Ix->Scale * S, Ix->Off * S});
      return Len;
    }
  }

  // --- Multiply then add (or subtract), the product read nowhere else. ---
  const mir::Inst *I1 = At(K + 1);
  if (!I1 || I0.Op != Opcode::BinOp || I0.Bin != BinOpKind::Mul || !I0.hasDest() ||
      I0.ops().size() != 2 || !IsSlot(I0.ops()[0]) || !IsSlot(I0.ops()[1]) ||
      !Single(I0.dest()) || I1->Op != Opcode::BinOp || !I1->hasDest() ||
      I1->ops().size() != 2 || !IsSlot(I1->ops()[0]) || !IsSlot(I1->ops()[1]))
    return 0;
  mir::LocalId T = I0.dest();
  bool TLeft = reads(I1->ops()[0], T), TRight = reads(I1->ops()[1], T);
  if (TLeft == TRight) // t not read, or read twice (t * t)
    return 0;
  uint32_t A = SlotOfOp(I0.ops()[0]), B2 = SlotOfOp(I0.ops()[1]);
  uint32_t C = SlotOfOp(TLeft ? I1->ops()[1] : I1->ops()[0]);
  Opc O;
  if (Word(T) && Word(I1->dest()) && I1->Bin == BinOpKind::Add)
    O = Opc::MulAddW64;
  else if (F64(T) && F64(I1->dest()) && I1->Bin == BinOpKind::Add)
    O = Opc::FMulAddF64; // addition commutes exactly
  else if (F64(T) && F64(I1->dest()) && I1->Bin == BinOpKind::Sub)
    O = TRight ? Opc::FMulSubF64 : Opc::FMulRSubF64;
  else
    return 0;
  Expected<uint32_t> D = destSlot(*I1);
  if (!D)
    return D.takeError();
  uint32_t Dest = *D;
  unsigned Extra = coalesceCopy(B, K + 1, I1->dest(), Dest);
  emit(O, {pack(Dest, A), pack(B2, C)});
  return 2 + Extra;
}

Expected<bool> Lowerer::lowerIncBranch(const mir::Block &B, size_t K,
                                       const mir::Block *Next) {
  if (HasPhi || B.Term.K != mir::TermKind::Goto ||
      (Next && Next->Id == B.Term.Target))
    return false;
  const mir::Inst &Add = B.Insts[K], &Copy = B.Insts[K + 1];
  if (!isBin(Add, BinOpKind::Add) || Add.ops()[0].isConst() ||
      !Add.ops()[1].isConst() || Add.ops()[1].constant().K != mir::Constant::Kind::Int ||
      (Copy.Op != Opcode::Copy && Copy.Op != Opcode::Move) || !Copy.hasDest() ||
      Copy.ops().size() != 1 || !reads(Copy.ops()[0], Add.dest()))
    return false;
  mir::LocalId X = Add.ops()[0].Local;
  int XI = F.localIndex(X), TI = F.localIndex(Add.dest());
  if (Copy.dest() != X || XI < 0 || TI < 0 || Uses[TI] != 1)
    return false;
  const mir::Type &XT = localType(X);
  if (!XT.isSignedInt() || normKindOf(XT) != NormKind::W64 ||
      localType(Add.dest()) != XT)
    return false;
  // The loop's test: `c = lt x, n; if c then Body else Exit`, c read once.
  const mir::Block *T = F.block(B.Term.Target);
  if (!T || T->Insts.size() != 1 || T->Term.K != mir::TermKind::If ||
      !isFusableCmp(T->Insts[0], T->Term))
    return false;
  const mir::Inst &Cmp = T->Insts[0];
  if (Cmp.Bin != BinOpKind::Lt || !reads(Cmp.ops()[0], X) ||
      reads(Cmp.ops()[1], X) || Absorbed.contains(T->Term.Target))
    return false; // (an absorbed exit is fine: emitGoto returns in place)
  if (Error E = checkBlock(T->Term.Target))
    return E;
  if (Error E = checkBlock(T->Term.Else))
    return E;
  auto N = val(Cmp.ops()[1]);
  if (!N)
    return N.takeError();
  uint32_t XS = SlotOf[XI];
  uint64_t Step = Add.ops()[1].constant().Bits;
  if (N->IsConst)
    emitJump(Opc::IncBrLtS_ri, {XS, Step, N->Imm}, T->Term.Target);
  else
    emitJump(Opc::IncBrLtS_rr, {pack(XS, N->Slot), Step}, T->Term.Target);
  if (Error E = emitGoto(T->Term.Else, Next))
    return E;
  return true;
}

} // namespace spl::interp
