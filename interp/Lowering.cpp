//===- interp/Lowering.cpp - Layout, blocks, operands, terminators --------===//
//
// The driver of the lowering (see Lowering.h for the steps); instructions
// are in LowerArith.cpp and LowerMemCall.cpp.
//
//===----------------------------------------------------------------------===//

#include "interp/Lowering.h"

#include "ffi/FFI.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Alignment.h"

#include <algorithm>
#include <cstring>

#include <set>

using namespace llvm;
using spl::mir::BlockId;
using spl::mir::LocalId;
using spl::mir::TypeKind;

namespace spl::interp {

Expected<std::unique_ptr<CompiledFunction>>
lowerFunction(const mir::Function &F, LinkContext &Ctx) {
  return Lowerer(F, Ctx).run();
}

NormKind normKindOf(const mir::SlotRep &R) {
  switch (R.Kind) {
  case mir::SlotKind::SignExt:
    return R.Bits == 8    ? NormKind::S8
           : R.Bits == 16 ? NormKind::S16
           : R.Bits == 32 ? NormKind::S32
                          : NormKind::W64;
  case mir::SlotKind::ZeroExt:
    return R.Bits == 8    ? NormKind::U8
           : R.Bits == 16 ? NormKind::U16
           : R.Bits == 32 ? NormKind::U32
                          : NormKind::W64;
  case mir::SlotKind::F32Bits:
    return NormKind::U32; // its bits, zero-extended
  case mir::SlotKind::Bool:
    return NormKind::B1;
  case mir::SlotKind::None:
  case mir::SlotKind::F64Bits:
  case mir::SlotKind::Address:
  case mir::SlotKind::Word:
    return NormKind::W64;
  }
  return NormKind::W64;
}

NormKind normKindOf(const mir::Type &T) { return normKindOf(mir::slotRep(T)); }

const mir::Type &slotTypeOf(const mir::Type &T) {
  static const mir::Type Word = TypeKind::I64;
  return T.isWordValue() ? Word : T;
}

bool isIntLike(const mir::Type &T) {
  return T.isInteger() || T.Kind == TypeKind::Bool || T.isPointer() ||
         T.isFuncPtr() || T.isWordValue();
}

Error Lowerer::err(const Twine &Msg) const {
  std::string Where = "function `" + F.Name + "`";
  if (CurBlock) {
    Where += ", block bb" + std::to_string(CurBlock->Id);
    if (CurBlock->Label)
      Where += " (" + *CurBlock->Label + ")";
    Where += CurInst >= 0 ? ", instruction " + std::to_string(CurInst)
                          : std::string(", terminator");
  }
  return createStringError(inconvertibleErrorCode(), Where + ": " + Msg.str());
}

size_t Lowerer::emit(Opc O, std::initializer_list<uint64_t> Words) {
  size_t At = Code.size();
  InstStarts.push_back(uint32_t(At));
  Code.push_back(uint64_t(O));
  Code.insert(Code.end(), Words.begin(), Words.end());
  return At;
}

void Lowerer::emitJump(Opc O, std::initializer_list<uint64_t> Words,
                       BlockId Target) {
  // A jump to a block laid out already (this one included) goes to code at
  // or before itself: a back-edge (every cycle of the layout has one). When
  // the interpreter counts back-edges for tiering, it counts them in this
  // definition's Callee, which the counting form carries in one more word
  // (and polls, as the P forms do). Otherwise the poll plan later picks the
  // P form where the loop may call out of run() (lower(), Poll.cpp).
  bool Count = Ctx.CountBackEdges && BlockStart.count(Target) != 0;
  // (osr) A jump of a copied test: a call there may go on from the test's
  // own block (it only tests, so testing once more changes nothing), the
  // loop's header, wherever the jump goes.
  if (CopyingTerminator)
    noteCopiedTest(CopiedTest);
  emit(Count ? backEdgeOpc(O, true) : O, Words);
  Fixups.push_back({Code.size(), Target});
  Code.push_back(0);
  if (Count)
    Code.push_back(selfWord());
}

Error Lowerer::emitGoto(BlockId Target, const mir::Block *Next) {
  if (Next && Next->Id == Target)
    return Error::success();
  // Jumping to a block that only returns or tests: return or test here, one
  // dispatch less (a loop's test moves to its bottom).
  const mir::Block *T = F.block(Target);
  if (T && T->Insts.empty() && T->Term.K == mir::TermKind::Return)
    return lowerReturn(T->Term);
  // (A phi needs the real predecessor: no copies of tests there.)
  if (T && !CopyingTerminator && !HasPhi && T->Term.K == mir::TermKind::If) {
    const mir::Inst *Cmp = nullptr;
    bool Copy = T->Insts.empty();
    if (T->Insts.size() == 1 && isFusableCmp(T->Insts[0], T->Term)) {
      Copy = true;
      Cmp = &T->Insts[0];
    }
    if (Copy) {
      CopyingTerminator = true;
      CopiedTest = T->Id;
      Error E = lowerIf(T->Term, Next, Cmp);
      CopyingTerminator = false;
      return E;
    }
  }
  emitJump(Opc::Jmp, {}, Target);
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Layout
//===----------------------------------------------------------------------===//

/// Scalars and (v2) words fit a slot; Unit and Never hold nothing (their
/// slot stays 0).
static bool fitsSlot(const mir::Type &T) {
  return T.isScalar() || T.isWordValue() || T.isVoid();
}

Error Lowerer::layout() {
  auto Unsupported = [&](const mir::Type &T) {
    return err("type " + T.str() + " is not supported yet");
  };
  uint32_t NumParams = uint32_t(F.Sig.Params.size());
  for (const mir::Type &P : F.Sig.Params)
    if (!P.isScalar() && !P.isWordValue())
      return Unsupported(P);
  if (!fitsSlot(F.Sig.Ret))
    return Unsupported(F.Sig.Ret);

  SlotOf.assign(F.Locals.size(), 0);
  std::vector<bool> ArgTaken(NumParams, false);
  uint32_t Next = NumParams;
  for (auto [Index, L] : enumerate(F.Locals)) {
    if (!fitsSlot(L.Ty))
      return Unsupported(L.Ty);
    if (L.Kind != mir::LocalKind::Arg) {
      SlotOf[Index] = Next++;
      continue;
    }
    if (L.ArgIndex >= NumParams)
      return err("local _" + Twine(L.Id) + " is argument " +
                 Twine(L.ArgIndex) + " but the function takes " +
                 Twine(NumParams) + " parameters");
    if (ArgTaken[L.ArgIndex])
      return err("two locals are argument " + Twine(L.ArgIndex));
    ArgTaken[L.ArgIndex] = true;
    SlotOf[Index] = L.ArgIndex;
  }
  DiscardSlot = Next++;
  for (const mir::Block &B : F.Blocks)
    for (const mir::Inst &I : B.Insts)
      if (I.Op == mir::Opcode::Intrinsic &&
          I.Intr == mir::IntrinsicKind::SsaPhi)
        HasPhi = true;
  if (HasPhi)
    PredSlot = Next++;

  // Reads per local: a temporary read once may be fused away.
  Uses.assign(F.Locals.size(), 0);
  auto Count = [&](const mir::Operand &O) {
    if (!O.isConst())
      if (int I = F.localIndex(O.Local); I >= 0)
        ++Uses[I];
  };
  const mir::Local *RetLocal = F.returnLocal();
  uint64_t AllocCursor = 0;
  auto CountConsts = [](ArrayRef<mir::Operand> Ops) {
    return uint32_t(
        count_if(Ops, [](const mir::Operand &O) { return O.isConst(); }));
  };
  // A call may convert each argument (and load a pointer) into scratch.
  auto NoteCall = [&](size_t NumArgs) {
    MaxCallArgs = std::max<uint32_t>(MaxCallArgs, uint32_t(NumArgs));
    if (NumArgs)
      NumScratch = std::max<uint32_t>(NumScratch, uint32_t(NumArgs) + 2);
  };
  for (const mir::Block &B : F.Blocks) {
    for (const mir::Inst &I : B.Insts) {
      for (const mir::Operand &O : I.ops())
        Count(O);
      if (I.Op == mir::Opcode::Call)
        Count(I.callee());
      // Constants are loaded into scratch slots, a GEP chain needs one more.
      NumScratch = std::max<uint32_t>(NumScratch, CountConsts(I.ops()) + 1);
      if (I.Op == mir::Opcode::Call || I.Op == mir::Opcode::CallIndirect ||
          (I.Op == mir::Opcode::Intrinsic &&
           I.Intr == mir::IntrinsicKind::Extern))
        NoteCall(I.ops().size());
      if (I.Op == mir::Opcode::Alloc) {
        if (!I.type().hasLayout())
          return err("cannot allocate type " + I.type().str());
        AllocSlot[&I] = uint32_t(AllocCursor); // relative until placed
        AllocCursor += std::max<uint64_t>(1, (I.type().storeSize() + 7) / 8);
        if (AllocCursor > (uint64_t(1) << 28))
          return err("the Alloc areas of the function exceed 2 GiB");
      }
    }
    if (B.Term.Value)
      Count(*B.Term.Value);
    if (B.Term.Tag)
      Count(*B.Term.Tag);
    if (B.Term.K == mir::TermKind::CallTerminator) {
      for (const mir::Operand &O : B.Term.Args)
        Count(O);
      Count(B.Term.Callee);
      NumScratch = std::max<uint32_t>(NumScratch, CountConsts(B.Term.Args) + 1);
      NoteCall(B.Term.Args.size());
    }
    if (B.Term.K == mir::TermKind::Throw || B.Term.K == mir::TermKind::Resume)
      NumScratch = std::max<uint32_t>(NumScratch, 2);
    if (B.Term.K == mir::TermKind::Return && !B.Term.Value && RetLocal)
      if (int I = F.localIndex(RetLocal->Id); I >= 0)
        ++Uses[I];
  }
  ScratchBase = Next;
  Next += NumScratch;
  for (auto &Entry : AllocSlot)
    Entry.second += Next;
  Out->FrameSize = uint32_t(Next + AllocCursor);
  Out->StackNeed = Out->FrameSize + HeaderSlots + MaxCallArgs;
  Out->NumParams = NumParams;
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Operands
//===----------------------------------------------------------------------===//

const mir::Type &Lowerer::localType(LocalId L) const {
  return F.Locals[F.localIndex(L)].Ty;
}

const mir::Type &Lowerer::operandType(const mir::Operand &O) const {
  return O.isConst() ? O.constant().Ty : localType(O.Local);
}

Expected<uint32_t> Lowerer::localSlot(LocalId L) {
  int I = F.localIndex(L);
  if (I < 0)
    return err("local _" + Twine(L) + " does not exist");
  return SlotOf[I];
}

Expected<uint32_t> Lowerer::destSlot(const mir::Inst &I) {
  if (!I.hasDest())
    return DiscardSlot;
  return localSlot(I.dest());
}

const mir::Type *Lowerer::destType(const mir::Inst &I) const {
  return I.hasDest() ? &localType(I.dest()) : nullptr;
}

Expected<Lowerer::Val> Lowerer::val(const mir::Operand &O) {
  Val V;
  if (O.isConst()) {
    auto Raw = constRaw(O.constant());
    if (!Raw)
      return Raw.takeError();
    V.IsConst = true;
    V.Imm = *Raw;
    V.Ty = &slotTypeOf(O.constant().Ty);
    return V;
  }
  auto S = localSlot(O.Local);
  if (!S)
    return S.takeError();
  V.Slot = *S;
  V.Ty = &slotTypeOf(localType(O.Local));
  return V;
}

uint32_t Lowerer::scratchSlot() {
  uint32_t S = ScratchBase + NextScratch++;
  assert(NextScratch <= NumScratch && "scratch slots undercounted");
  return S;
}

uint32_t Lowerer::inSlot(const Val &V) {
  if (!V.IsConst)
    return V.Slot;
  uint32_t S = scratchSlot();
  emit(Opc::LoadImm, {S, V.Imm});
  return S;
}

Expected<uint64_t> Lowerer::constRaw(const mir::Constant &C) {
  const mir::Type &T = C.Ty;
  switch (C.K) {
  case mir::Constant::Kind::Zero:
    return 0;
  case mir::Constant::Kind::Bool:
    return C.Bits & 1;
  case mir::Constant::Kind::Int:
    if (T.isFuncPtr())
      return functionAddress(C);
    if (T.Kind == TypeKind::F64)
      return f64ToBits(double(int64_t(C.Bits)));
    if (T.Kind == TypeKind::F32)
      return f32ToBits(float(int64_t(C.Bits)));
    return normalize(C.Bits, normKindOf(T));
  case mir::Constant::Kind::Float:
    if (T.Kind == TypeKind::F32)
      return f32ToBits(float(C.F));
    if (T.Kind == TypeKind::F64)
      return f64ToBits(C.F);
    return err("a float constant of type " + T.str());
  case mir::Constant::Kind::Str:
    if (T.isFuncPtr())
      return functionAddress(C);
    {
      // Static, NUL-terminated bytes that live as long as the interpreter,
      // 8-byte aligned so that the runtime never takes them for a tagged
      // handle (MIR.md "Constants").
      char *P = static_cast<char *>(
          Ctx.Strings.getAllocator().Allocate(C.S.size() + 1, Align(8)));
      std::memcpy(P, C.S.data(), C.S.size());
      P[C.S.size()] = 0;
      return uint64_t(uintptr_t(P));
    }
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// Blocks and instructions
//===----------------------------------------------------------------------===//

Error Lowerer::checkBlock(BlockId Id) {
  if (F.blockIndex(Id) < 0)
    return err("block bb" + Twine(Id) + " does not exist");
  return Error::success();
}

Expected<std::unique_ptr<CompiledFunction>> Lowerer::run() {
  Out = std::make_unique<CompiledFunction>();
  Out->Name = F.Name;
  Out->Sig = F.Sig;
  if (Error E = layout())
    return E;
  if (F.Blocks.empty())
    return err("has no blocks");
  if (Error E = checkBlock(F.EntryBlock))
    return E;

  PollPlan Polls =
      planPolls(F, [&](StringRef Name) { return isExternName(Name); });
  if (Polls.Entry)
    emit(Opc::Poll, {});
  // Locals some path reads before writing start at zero: one range.
  std::vector<bool> Need = localsReadBeforeWritten(F);
  uint32_t Lo = ~0u, Hi = 0;
  for (auto [K, N] : enumerate(Need))
    if (N && F.Locals[K].Kind != mir::LocalKind::Arg) {
      Lo = std::min(Lo, SlotOf[K]);
      Hi = std::max(Hi, SlotOf[K] + 1);
    }
  if (Lo < Hi)
    emit(Opc::ZeroSlots, {pack(Lo, Hi - Lo)});
  if (HasPhi) // no predecessor: matches no block id
    emit(Opc::LoadImm, {PredSlot, ~uint64_t(0)});

  // The entry block first, then the rest in their order.
  findAbsorbedReturns();
  std::vector<const mir::Block *> Order{F.block(F.EntryBlock)};
  for (const mir::Block &B : F.Blocks)
    if (B.Id != F.EntryBlock && !Absorbed.contains(B.Id))
      Order.push_back(&B);
  for (size_t K = 0; K < Order.size(); ++K) {
    CurBlock = Order[K];
    BlockStart[CurBlock->Id] = Code.size();
    if (Error E = lowerBlock(*CurBlock, K + 1 < Order.size() ? Order[K + 1]
                                                            : nullptr))
      return E;
  }
  CurBlock = nullptr;

  // A jump to code at or before itself is a back-edge (every cycle of the
  // layout has one): it polls the interrupt flag where the plan says so
  // (Poll.cpp), and its target is where another tier may continue a
  // running call (on-stack replacement).
  std::set<BlockId> BackTargets;
  for (auto [Word, Target] : Fixups) {
    auto It = BlockStart.find(Target);
    auto Inst = std::upper_bound(InstStarts.begin(), InstStarts.end(),
                                 uint32_t(Word));
    if (It == BlockStart.end() || Inst == InstStarts.begin())
      continue;
    uint32_t At = *std::prev(Inst);
    if (It->second > At)
      continue;
    // A copied test's jump goes on from the test's block (edgeSlowPath):
    // its target is no entry of the continuation, so its loops keep one
    // entry each, their headers.
    if (Ctx.CountBackEdges && !isCopiedTest(At))
      BackTargets.insert(Target);
    if (Polls.backEdgePolls(Target))
      Code[At] = uint64_t(backEdgeOpc(Opc(Code[At])));
  }
  // Continuations are looked for at counting back-edges only.
  if (Ctx.CountBackEdges)
    recordFrameImage(BackTargets);

  // The code no longer moves: patch targets and handlers.
  Out->Code = std::make_unique<uint64_t[]>(Code.size());
  Out->CodeWords = Code.size();
  std::copy(Code.begin(), Code.end(), Out->Code.get());
  for (auto [Word, Target] : Fixups) {
    auto It = BlockStart.find(Target);
    if (It == BlockStart.end()) // an absorbed block must have no jumps
      return err("internal error: a jump to block bb" + Twine(Target) +
                 ", which was not emitted");
    Out->Code[Word] = uint64_t(uintptr_t(Out->Code.get() + It->second));
  }
  for (uint32_t At : InstStarts)
    Out->Code[At] = handlerWord(Opc(Code[At]));
  Out->Entry = Out->Code.get();
  Out->Range = ffi::CodeRange(Out->Code.get(), Out->Code.get() + Code.size(),
                              Out->Name);
  return std::move(Out);
}

void Lowerer::noteCopiedTest(BlockId Test) {
  if (Ctx.CountBackEdges)
    Out->CopiedTests.push_back({uint32_t(Code.size()), Test});
}

bool Lowerer::isCopiedTest(uint32_t At) const {
  // Appended in code order: sorted.
  auto It = std::lower_bound(Out->CopiedTests.begin(), Out->CopiedTests.end(),
                             std::make_pair(At, BlockId(0)));
  return It != Out->CopiedTests.end() && It->first == At;
}

void Lowerer::recordFrameImage(const std::set<BlockId> &Targets) {
  mir::FrameImage &Img = Out->Image;
  Img.LocalWord.assign(SlotOf.begin(), SlotOf.end());
  for (auto [BI, Blk] : enumerate(F.Blocks))
    for (auto [II, I] : enumerate(Blk.Insts))
      if (I.Op == mir::Opcode::Alloc)
        if (auto It = AllocSlot.find(&I); It != AllocSlot.end())
          Img.Allocs.push_back({uint32_t(BI), uint32_t(II), It->second});
  Img.PredWord = HasPhi ? int32_t(PredSlot) : -1;
  std::set<BlockId> All = Targets;
  for (auto [At, Test] : Out->CopiedTests)
    All.insert(Test);
  Img.Targets.assign(All.begin(), All.end());
  for (auto [Id, At] : BlockStart)
    Out->BlockAt.push_back({uint32_t(At), Id});
  llvm::sort(Out->BlockAt);
}

void Lowerer::findAbsorbedReturns() {
  DenseMap<BlockId, unsigned> Preds;
  for (const mir::Block &B : F.Blocks) {
    const mir::Terminator &T = B.Term;
    switch (T.K) {
    case mir::TermKind::Goto:
      ++Preds[T.Target];
      break;
    case mir::TermKind::If:
      ++Preds[T.Target];
      ++Preds[T.Else];
      break;
    case mir::TermKind::Switch:
      ++Preds[T.Target];
      for (const mir::SwitchCase &C : T.Cases)
        ++Preds[C.Target];
      break;
    case mir::TermKind::CallTerminator:
      ++Preds[T.Target];
      if (T.Unwind)
        ++Preds[*T.Unwind];
      break;
    default:
      break;
    }
  }
  for (const mir::Block &B : F.Blocks) {
    if (B.Term.K != mir::TermKind::If || B.Insts.empty() ||
        !isFusableCmp(B.Insts.back(), B.Term))
      continue;
    for (BlockId To : {B.Term.Target, B.Term.Else}) {
      const mir::Block *R = F.block(To);
      if (R && To != F.EntryBlock && R->Insts.empty() &&
          R->Term.K == mir::TermKind::Return && Preds[To] == 1)
        Absorbed.insert(To);
    }
  }
}

bool Lowerer::isFusableCmp(const mir::Inst &I,
                           const mir::Terminator &T) const {
  if (T.K != mir::TermKind::If || !T.Value || T.Value->isConst())
    return false;
  if (I.Op != mir::Opcode::BinOp || !mir::isComparison(I.Bin) || !I.hasDest() ||
      I.dest() != T.Value->Local || I.ops().size() != 2)
    return false;
  int D = F.localIndex(I.dest());
  if (D < 0 || Uses[D] != 1)
    return false;
  // Integer-like operands only: a float comparison cannot be inverted.
  for (const mir::Operand &O : I.ops()) {
    if (!O.isConst() && F.localIndex(O.Local) < 0)
      return false;
    const mir::Type &T = O.isConst() ? O.constant().Ty : localType(O.Local);
    if (!isIntLike(T))
      return false;
  }
  return true;
}

bool Lowerer::isArgAddImm(const mir::Inst &I, const mir::Inst &Call) const {
  if (I.Op != mir::Opcode::BinOp ||
      (I.Bin != mir::BinOpKind::Add && I.Bin != mir::BinOpKind::Sub) ||
      !I.hasDest() || I.ops().size() != 2 || I.ops()[0].isConst() ||
      !I.ops()[1].isConst())
    return false;
  int T = F.localIndex(I.dest()), X = F.localIndex(I.ops()[0].Local);
  if (T < 0 || X < 0 || Uses[T] != 1 ||
      normKindOf(F.Locals[T].Ty) != NormKind::W64 ||
      !F.Locals[T].Ty.isInteger() || !F.Locals[X].Ty.isInteger())
    return false;
  if (Call.Op != mir::Opcode::Call || Call.ops().size() != 1 ||
      Call.ops()[0].isConst() || Call.ops()[0].Local != I.dest() ||
      !Call.callee().isConst())
    return false;
  const mir::Constant &C = Call.callee().constant();
  if (!(C.K == mir::Constant::Kind::Int ||
        (C.K == mir::Constant::Kind::Str && !isExternName(C.S))))
    return false;
  // The fused call passes the word as it is: only to a callee that takes
  // one whole-word integer (or whose signature is not known yet).
  const mir::Signature *S = knownSignature(C);
  return !S || (S->Params.size() == 1 && isIntLike(S->Params[0]) &&
                normKindOf(S->Params[0]) == NormKind::W64);
}

Error Lowerer::lowerBlock(const mir::Block &B, const mir::Block *Next) {
  const mir::Inst *Fused = nullptr;
  size_t N = B.Insts.size();
  for (size_t K = 0; K < N; ++K) {
    CurInst = int(K);
    const mir::Inst &I = B.Insts[K];
    if (K + 1 == N && isFusableCmp(I, B.Term)) {
      Fused = &I;
      break;
    }
    if (K + 2 == N) {
      Expected<bool> Done = lowerIncBranch(B, K, Next);
      if (!Done)
        return Done.takeError();
      if (*Done) {
        CurInst = -1;
        return Error::success();
      }
    }
    Expected<unsigned> Took = lowerFused(B, K);
    if (!Took)
      return Took.takeError();
    if (*Took) {
      K += *Took - 1;
      continue;
    }
    if (K + 1 < N && isArgAddImm(I, B.Insts[K + 1])) {
      auto X = val(I.ops()[0]);
      if (!X)
        return X.takeError();
      auto C = val(I.ops()[1]);
      if (!C)
        return C.takeError();
      uint64_t Imm = I.Bin == mir::BinOpKind::Add ? C->Imm : 0 - C->Imm;
      PendingArg = ArgAddImm{I.dest(), X->Slot, Imm};
      continue; // the Call that follows computes t
    }
    bool Consumed = false;
    if (Error E = lowerInst(I, K + 1 < N ? &B.Insts[K + 1] : nullptr, Consumed))
      return E;
    if (Consumed)
      ++K;
  }
  CurInst = -1;
  if (HasPhi) {
    mir::TermKind K = B.Term.K;
    if (K == mir::TermKind::Goto || K == mir::TermKind::If ||
        K == mir::TermKind::Switch || K == mir::TermKind::CallTerminator)
      emit(Opc::LoadImm, {PredSlot, uint64_t(B.Id)});
  }
  return lowerTerminator(B, Next, Fused);
}

Error Lowerer::lowerInst(const mir::Inst &I, const mir::Inst *Following,
                         bool &ConsumedFollowing) {
  NextScratch = 0;
  using mir::Opcode;
  switch (I.Op) {
  case Opcode::Nop:
  case Opcode::DebugValue:
    return Error::success();
  case Opcode::DecisionProbe:
  case Opcode::ConditionProbe:
    // Coverage probes: the result is evaluated, nothing else happens (and
    // evaluating a local has no effect).
    if (!I.ops().empty())
      if (auto V = val(I.ops()[0]); !V)
        return V.takeError();
    return Error::success();
  case Opcode::Store:
    return lowerStore(I);
  case Opcode::SetField:
    return lowerSetField(I);
  default:
    break;
  }

  // `t = op ...; x = copy t` with t read nowhere else: write x directly.
  Expected<uint32_t> D = destSlot(I);
  if (!D)
    return D.takeError();
  if (I.hasDest() && Following &&
      (Following->Op == Opcode::Copy || Following->Op == Opcode::Move) &&
      Following->hasDest() && Following->ops().size() == 1 &&
      !Following->ops()[0].isConst() && Following->ops()[0].Local == I.dest() &&
      F.localIndex(Following->dest()) >= 0 &&
      Uses[F.localIndex(I.dest())] == 1 &&
      localType(I.dest()) == localType(Following->dest())) {
    D = SlotOf[F.localIndex(Following->dest())];
    ConsumedFollowing = true;
  }

  auto Need = [&](size_t N) -> Error {
    if (I.ops().size() < N)
      return err(mir::opcodeJsonName(I.Op) + " needs " + Twine(N) +
                 " operands, got " + Twine(I.ops().size()));
    return Error::success();
  };
  switch (I.Op) {
  case Opcode::Const:
    return lowerConst(I, *D);
  case Opcode::Copy:
  case Opcode::Move: {
    if (Error E = Need(1))
      return E;
    auto V = val(I.ops()[0]);
    if (!V)
      return V.takeError();
    if (V->IsConst)
      emit(Opc::LoadImm, {*D, V->Imm});
    else if (V->Slot != *D)
      emit(Opc::Mov, {pack(*D, V->Slot)});
    return Error::success();
  }
  case Opcode::BinOp:
    if (Error E = Need(2))
      return E;
    return lowerBinOp(I, *D);
  case Opcode::CheckedBinOp:
    if (Error E = Need(2))
      return E;
    return lowerChecked(I, *D);
  case Opcode::UnaryOp:
    if (Error E = Need(1))
      return E;
    return lowerUnary(I, *D);
  case Opcode::Cast:
  case Opcode::Bitcast:
    if (Error E = Need(1))
      return E;
    return lowerCast(I, *D, I.Op == Opcode::Bitcast);
  case Opcode::Alloc:
    return lowerAlloc(I, *D);
  case Opcode::Load:
    if (Error E = Need(1))
      return E;
    return lowerLoad(I, *D);
  case Opcode::GetElementPtr:
    if (Error E = Need(1))
      return E;
    return lowerGep(I, *D);
  case Opcode::Call:
    return lowerCall(I, *D);
  case Opcode::CallIndirect: {
    if (Error E = Need(1))
      return E;
    return lowerIndirect(I.ops()[0], ArrayRef(I.ops()).drop_front(), I.sig(), *D);
  }
  case Opcode::Intrinsic:
    return lowerIntrinsic(I, *D);
  case Opcode::Aggregate:
    return lowerAggregate(I, *D);
  case Opcode::GetField:
    if (Error E = Need(1))
      return E;
    return lowerGetField(I, *D);
  case Opcode::GlobalAddr:
    // The cell is the manager's and never moves: its address is a constant.
    emit(Opc::LoadImm, {*D, uint64_t(uintptr_t(Ctx.Globals.cell(I.symbol())))});
    return Error::success();
  case Opcode::Nop:
  case Opcode::DebugValue:
  case Opcode::Store:
  case Opcode::SetField:
  case Opcode::DecisionProbe:
  case Opcode::ConditionProbe:
    break;
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Terminators
//===----------------------------------------------------------------------===//

Error Lowerer::lowerTerminator(const mir::Block &B, const mir::Block *Next,
                               const mir::Inst *FusedCmp) {
  NextScratch = 0;
  const mir::Terminator &T = B.Term;
  switch (T.K) {
  case mir::TermKind::None:
    return err("the block has no terminator");
  case mir::TermKind::Goto:
    if (Error E = checkBlock(T.Target))
      return E;
    return emitGoto(T.Target, Next);
  case mir::TermKind::Return:
    return lowerReturn(T);
  case mir::TermKind::If:
    return lowerIf(T, Next, FusedCmp);
  case mir::TermKind::Switch:
    return lowerSwitch(T, Next);
  case mir::TermKind::Unreachable:
    emit(Opc::Trap, {uint64_t(mir::TrapKind::Unreachable),
                     uint64_t(uintptr_t("")), fnWord()});
    return Error::success();
  case mir::TermKind::Abort:
    emit(Opc::Trap, {uint64_t(mir::TrapKind::Abort),
                     uint64_t(uintptr_t(Ctx.Strings.save(T.Message).data())),
                     fnWord()});
    return Error::success();
  case mir::TermKind::CallTerminator:
    return lowerCallTerminator(T, Next);
  case mir::TermKind::Throw:
  case mir::TermKind::Resume:
    return lowerThrow(T);
  }
  return Error::success();
}

Expected<Lowerer::Val> Lowerer::returnValue(const mir::Terminator &T) {
  Val Zero;
  Zero.IsConst = true;
  bool Void = F.Sig.Ret.isVoid();
  if (T.Value) {
    auto V = val(*T.Value);
    if (!V)
      return V.takeError();
    if (Void)
      return Zero;
    if (V->IsConst)
      V->Imm = normalize(V->Imm, normKindOf(F.Sig.Ret));
    return *V;
  }
  if (Void)
    return Zero;
  const mir::Local *R = F.returnLocal();
  if (!R)
    return err("`Return` without a value in a function returning " +
               F.Sig.Ret.str() + " that has no Return local");
  return val(mir::Operand::copy(R->Id));
}

Error Lowerer::lowerReturn(const mir::Terminator &T) {
  auto V = returnValue(T);
  if (!V)
    return V.takeError();
  if (V->IsConst)
    emit(Opc::RetImm, {V->Imm});
  else
    emit(Opc::Ret, {V->Slot});
  return Error::success();
}

Error Lowerer::lowerIf(const mir::Terminator &T, const mir::Block *Next,
                       const mir::Inst *FusedCmp) {
  if (Error E = checkBlock(T.Target))
    return E;
  if (Error E = checkBlock(T.Else))
    return E;
  if (!T.Value)
    return err("`If` has no condition");
  BlockId Then = T.Target, Else = T.Else;

  if (FusedCmp) {
    auto L = val(FusedCmp->ops()[0]);
    if (!L)
      return L.takeError();
    auto R = val(FusedCmp->ops()[1]);
    if (!R)
      return R.takeError();
    const mir::Type &OT = *L->Ty; // the left operand's, as in lowerBinOp
    bool Signed = OT.isSignedInt();
    // A block that only returns is returned to from here.
    if (Absorbed.contains(Then) || Absorbed.contains(Else)) {
      bool OnThen = Absorbed.contains(Then);
      const mir::Block *Ret = F.block(OnThen ? Then : Else);
      if (Error E = lowerIntCmp(FusedCmp->Bin, Signed, 0, *L, *R,
                                BranchTo{Ret->Id, !OnThen, &Ret->Term}))
        return E;
      return emitGoto(OnThen ? Else : Then, Next);
    }
    // Branch to `then` on the condition, or to `else` on its inverse when
    // `then` is the next block.
    if (Next && Next->Id == Then)
      return lowerIntCmp(FusedCmp->Bin, Signed, 0, *L, *R,
                         BranchTo{Else, /*Invert=*/true});
    if (Error E = lowerIntCmp(FusedCmp->Bin, Signed, 0, *L, *R,
                              BranchTo{Then, /*Invert=*/false}))
      return E;
    return emitGoto(Else, Next);
  }

  auto C = val(*T.Value);
  if (!C)
    return C.takeError();
  if (C->IsConst)
    return emitGoto(C->Imm ? Then : Else, Next);
  if (Next && Next->Id == Then) {
    emitJump(Opc::JmpIfNot, {C->Slot}, Else);
    return Error::success();
  }
  emitJump(Opc::JmpIf, {C->Slot}, Then);
  return emitGoto(Else, Next);
}

Error Lowerer::lowerSwitch(const mir::Terminator &T, const mir::Block *Next) {
  if (!T.Value)
    return err("`Switch` has no value");
  if (Error E = checkBlock(T.Target))
    return E;
  for (const mir::SwitchCase &C : T.Cases)
    if (Error E = checkBlock(C.Target))
      return E;
  auto V = val(*T.Value);
  if (!V)
    return V.takeError();
  NormKind K = normKindOf(*V->Ty);

  // Case values in the canonical form of the switched type; the first of
  // equal values wins.
  std::vector<std::pair<uint64_t, BlockId>> Cases;
  for (const mir::SwitchCase &C : T.Cases) {
    uint64_t Value = normalize(C.Value, K);
    if (none_of(Cases, [&](auto &P) { return P.first == Value; }))
      Cases.push_back({Value, C.Target});
  }
  if (V->IsConst) {
    BlockId To = T.Target;
    for (auto &[Value, Target] : Cases)
      if (Value == V->Imm)
        To = Target;
    return emitGoto(To, Next);
  }
  if (Cases.size() <= 4) {
    for (auto &[Value, Target] : Cases)
      emitJump(opcAt(Opc::BrEq_ri, 0), {V->Slot, Value}, Target);
    return emitGoto(T.Target, Next);
  }
  llvm::sort(Cases);
  // A back-edge when any target is laid out already (emitJump).
  bool Back = BlockStart.count(T.Target) != 0;
  for (auto &[Value, Target] : Cases)
    Back |= BlockStart.count(Target) != 0;
  bool Count = Back && Ctx.CountBackEdges;
  emit(Count ? backEdgeOpc(Opc::Switch, true) : Opc::Switch,
       {pack(V->Slot, uint32_t(Cases.size()))});
  Fixups.push_back({Code.size(), T.Target});
  Code.push_back(0);
  for (auto &[Value, Target] : Cases) {
    Code.push_back(Value);
    Fixups.push_back({Code.size(), Target});
    Code.push_back(0);
  }
  if (Count)
    Code.push_back(selfWord());
  return Error::success();
}

} // namespace spl::interp
