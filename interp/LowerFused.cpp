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
//   x = load [a1*b1 + c1]; y = load [a2*b2 + c2];
//     m = fmul x, y; s2 = fadd s, m                    a dot product's step
//   x = load [i1*C1 + D1]; y = load [i2*C2 + D2];
//     r = fop x, y                                     fop of two loads
//   x = load [i*C + D]; r = fop x, b                   fop of a load, a slot
//   ... and `y = copy s` after any of them writes y directly.
// (`load [...]` being the index expression, its gep and the load; fop F64
// Add, Sub, Mul or Div, its operands in their order.)
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

bool Lowerer::readOnce(mir::LocalId L) const {
  int X = F.localIndex(L);
  return X >= 0 && Uses[X] == 1;
}

bool Lowerer::isSlotOperand(const mir::Operand &O) const {
  return !O.isConst() && F.localIndex(O.Local) >= 0;
}

uint32_t Lowerer::slotOfOperand(const mir::Operand &O) const {
  return SlotOf[F.localIndex(O.Local)];
}

bool Lowerer::isWordLocal(mir::LocalId L) const {
  const mir::Type &T = localType(L);
  return T.isInteger() && normKindOf(T) == NormKind::W64;
}

bool Lowerer::isF64Local(mir::LocalId L) const {
  return localType(L).Kind == mir::TypeKind::F64;
}

std::optional<Lowerer::Index> Lowerer::matchIndex(const mir::Block &B,
                                                  size_t K) const {
  const size_t N = B.Insts.size();
  auto Imm = [&](const mir::Operand &O) -> std::optional<uint64_t> {
    if (!O.isConst() || O.constant().K != mir::Constant::Kind::Int)
      return std::nullopt;
    return O.constant().Bits;
  };
  const mir::Inst &I0 = B.Insts[K];
  if (isBin(I0, BinOpKind::Mul) && isWordLocal(I0.dest()) &&
      readOnce(I0.dest())) {
    const mir::Inst *I1 = K + 1 < N ? &B.Insts[K + 1] : nullptr;
    std::optional<uint64_t> C1 = Imm(I0.ops()[1]);
    if (I1 && isBin(*I1, BinOpKind::Add) && isWordLocal(I1->dest()) &&
        readOnce(I1->dest()) && reads(I1->ops()[0], I0.dest())) {
      std::optional<uint64_t> C2 = Imm(I1->ops()[1]);
      if (isSlotOperand(I0.ops()[0]) && C1 && C2)
        return Index{false, slotOfOperand(I0.ops()[0]), 0, 0, 0, *C1, *C2, 2,
                     I1->dest()};
      if (isSlotOperand(I0.ops()[0]) && isSlotOperand(I0.ops()[1]) &&
          isSlotOperand(I1->ops()[1]))
        return Index{true, 0, slotOfOperand(I0.ops()[0]),
                     slotOfOperand(I0.ops()[1]), slotOfOperand(I1->ops()[1]),
                     1, 0, 2, I1->dest()};
    } else if (isSlotOperand(I0.ops()[0]) && C1) {
      return Index{false, slotOfOperand(I0.ops()[0]), 0, 0, 0, *C1, 0, 1,
                   I0.dest()};
    }
  } else if (isBin(I0, BinOpKind::Add) && isWordLocal(I0.dest()) &&
             readOnce(I0.dest()) && isSlotOperand(I0.ops()[0])) {
    if (std::optional<uint64_t> C = Imm(I0.ops()[1]))
      return Index{false, slotOfOperand(I0.ops()[0]), 0, 0, 0, 1, *C, 1,
                   I0.dest()};
  }
  return std::nullopt;
}

Expected<std::optional<Lowerer::F64Load>>
Lowerer::matchF64Load(const mir::Block &B, size_t K) {
  const size_t N = B.Insts.size();
  std::optional<Index> Ix = matchIndex(B, K);
  size_t GI = K + (Ix ? Ix->Len : 0);
  if (GI + 1 >= N)
    return std::nullopt;
  const mir::Inst &G = B.Insts[GI], &L = B.Insts[GI + 1];
  if (G.Op != Opcode::GetElementPtr || !G.hasDest() || G.ops().size() != 2 ||
      !isSlotOperand(G.ops()[0]) || !readOnce(G.dest()) ||
      !(Ix ? reads(G.ops()[1], Ix->Result) : isSlotOperand(G.ops()[1])) ||
      L.Op != Opcode::Load || !L.hasDest() || L.ops().size() != 1 ||
      !reads(L.ops()[0], G.dest()) || !isF64Local(L.dest()) ||
      !readOnce(L.dest()))
    return std::nullopt;
  auto Base = val(G.ops()[0]);
  if (!Base)
    return Base.takeError();
  const mir::Type *PT = Base->Ty;
  if (!PT || !PT->isPointer() || !PT->hasElem() || !PT->pointee().hasLayout())
    return std::nullopt;
  Expected<unsigned> LK = loadKind(*Base, L);
  if (!LK)
    return LK.takeError();
  if (*LK != 7) // not a 64-bit load: the slot would not be the F64's bits
    return std::nullopt;
  if (!Ix)
    Ix = Index{false, slotOfOperand(G.ops()[1]), 0, 0, 0, 1, 0, 0, 0};
  return F64Load{*Ix, inSlot(*Base), PT->pointee().storeSize(),
                 unsigned(GI + 2 - K), L.dest()};
}

Expected<unsigned> Lowerer::lowerFloatLoads(const mir::Block &B, size_t K) {
  const size_t N = B.Insts.size();
  Expected<std::optional<F64Load>> L1 = matchF64Load(B, K);
  if (!L1 || !*L1)
    return L1 ? 0 : Expected<unsigned>(L1.takeError());
  size_t J = K + (*L1)->Len;
  Expected<std::optional<F64Load>> L2 =
      J < N ? matchF64Load(B, J) : std::optional<F64Load>();
  if (!L2)
    return L2.takeError();
  // Which float operation reads the loaded values, when it is next.
  auto OpOf = [&](size_t At) -> std::optional<unsigned> {
    if (At >= N)
      return std::nullopt;
    const mir::Inst &W = B.Insts[At];
    if (W.Op != Opcode::BinOp || !W.hasDest() || W.ops().size() != 2 ||
        !isF64Local(W.dest()))
      return std::nullopt;
    switch (W.Bin) {
    case BinOpKind::Add: return 0;
    case BinOpKind::Sub: return 1;
    case BinOpKind::Mul: return 2;
    case BinOpKind::Div: return 3;
    default: return std::nullopt;
    }
  };
  // Dest becomes the slot B.Insts[At] writes, or that of the local a copy
  // right after it moves the value to: how many instructions that copy adds.
  auto DestOf = [&](size_t At, uint32_t &Dest) -> Expected<unsigned> {
    Expected<uint32_t> D = destSlot(B.Insts[At]);
    if (!D)
      return D.takeError();
    Dest = *D;
    return coalesceCopy(B, At, B.Insts[At].dest(), Dest);
  };
  const mir::LocalId V1 = (*L1)->V;
  if (*L2) {
    const F64Load &A = **L1, &Bv = **L2;
    size_t WI = J + Bv.Len;
    std::optional<unsigned> Op = OpOf(WI);
    if (!Op)
      return 0;
    const mir::Inst &W = B.Insts[WI];
    if (!reads(W.ops()[0], V1) || !reads(W.ops()[1], Bv.V))
      return 0;
    // `s = s + x * y` with both factors loaded through multiply-add indices
    // (a dot product's step, matmul's inner loop): one handler.
    const mir::Inst *Acc = WI + 1 < N ? &B.Insts[WI + 1] : nullptr;
    if (*Op == 2 && A.Ix.MulAdd && Bv.Ix.MulAdd && readOnce(W.dest()) && Acc &&
        isBin(*Acc, BinOpKind::Add) && isF64Local(Acc->dest()) &&
        isSlotOperand(Acc->ops()[0]) && reads(Acc->ops()[1], W.dest()) &&
        A.Scale <= UINT32_MAX && Bv.Scale <= UINT32_MAX) {
      uint32_t Dest;
      Expected<unsigned> Extra = DestOf(WI + 1, Dest);
      if (!Extra)
        return Extra.takeError();
      emit(Opc::FDotMulAddF64,
           {pack(Dest, slotOfOperand(Acc->ops()[0])), pack(A.Base, A.Ix.A),
            pack(A.Ix.B2, A.Ix.C), pack(Bv.Base, Bv.Ix.A),
            pack(Bv.Ix.B2, Bv.Ix.C), pack(uint32_t(A.Scale), uint32_t(Bv.Scale))});
      return unsigned(WI + 2 - K) + *Extra;
    }
    // `r = x OP y` of two loads through constant-folded indices (nbody's
    // `p[0] - q[0]`).
    if (A.Ix.MulAdd || Bv.Ix.MulAdd)
      return 0;
    uint32_t Dest;
    Expected<unsigned> Extra = DestOf(WI, Dest);
    if (!Extra)
      return Extra.takeError();
    emit(opcAt(Opc::FAddLdLdF64, *Op),
         {pack(Dest, A.Base), pack(A.Ix.X, Bv.Base), Bv.Ix.X,
          A.Ix.Scale * A.Scale, A.Ix.Off * A.Scale, Bv.Ix.Scale * Bv.Scale,
          Bv.Ix.Off * Bv.Scale});
    return unsigned(WI + 1 - K) + *Extra;
  }
  // `r = x OP y` with x loaded through a constant-folded index and y a slot
  // (nbody's `p[6] * mag`).
  const F64Load &A = **L1;
  std::optional<unsigned> Op = OpOf(J);
  if (!Op || A.Ix.MulAdd)
    return 0;
  const mir::Inst &W = B.Insts[J];
  if (!reads(W.ops()[0], V1) || !isSlotOperand(W.ops()[1]) ||
      reads(W.ops()[1], V1))
    return 0;
  uint32_t Dest;
  Expected<unsigned> Extra = DestOf(J, Dest);
  if (!Extra)
    return Extra.takeError();
  emit(opcAt(Opc::FAddLdF64, *Op),
       {pack(Dest, A.Base), pack(A.Ix.X, slotOfOperand(W.ops()[1])),
        A.Ix.Scale * A.Scale, A.Ix.Off * A.Scale});
  return unsigned(J + 1 - K) + *Extra;
}

Expected<unsigned> Lowerer::lowerFused(const mir::Block &B, size_t K) {
  NextScratch = 0;
  if (Expected<unsigned> Took = lowerFloatLoads(B, K); !Took || *Took)
    return Took;
  const size_t N = B.Insts.size();
  auto At = [&](size_t J) -> const mir::Inst * {
    return J < N ? &B.Insts[J] : nullptr;
  };
  auto Single = [&](mir::LocalId L) { return readOnce(L); };
  auto IsSlot = [&](const mir::Operand &O) { return isSlotOperand(O); };
  auto F64 = [&](mir::LocalId L) { return isF64Local(L); };
  auto SlotOfOp = [&](const mir::Operand &O) { return slotOfOperand(O); };
  const mir::Inst &I0 = B.Insts[K];

  // --- An index expression feeding a one-index GetElementPtr. ---
  std::optional<Index> Ix = matchIndex(B, K);
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
  if (isWordLocal(T) && isWordLocal(I1->dest()) && I1->Bin == BinOpKind::Add)
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
  // (osr) The jump holds a copy of T's test (Lowering.cpp emitJump).
  noteCopiedTest(T->Id);
  if (N->IsConst)
    emitJump(Opc::IncBrLtS_ri, {XS, Step, N->Imm}, T->Term.Target);
  else
    emitJump(Opc::IncBrLtS_rr, {pack(XS, N->Slot), Step}, T->Term.Target);
  if (Error E = emitGoto(T->Term.Else, Next))
    return E;
  return true;
}

} // namespace spl::interp
