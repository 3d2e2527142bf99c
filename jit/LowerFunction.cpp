//===- jit/LowerFunction.cpp - The walk over one MIR function -------------===//
//
// Block layout: an LLVM entry block holds the allocas of all locals and of
// every Alloc instruction, stores the arguments, checks the call depth, and
// branches to the MIR entry block. Each MIR block becomes one LLVM block
// (checks split it further, into a hot path and cold trap blocks). A function
// with large Alloc areas makes them in a block of their own after the checks
// (LowerControl.cpp).
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "ffi/FFI.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

FunctionLowerer::FunctionLowerer(ModuleLowerer &ML, const mir::Function &F,
                                 const mir::Module &Scope, Function *Fn,
                                 StringSet<> &DirectCallees,
                                 const mir::FrameImage *Image)
    : ML(ML), C(ML.C), F(F), Scope(Scope), Fn(Fn), DirectCallees(DirectCallees),
      B(ML.C), OSR(Image) {}

Error FunctionLowerer::error(const Twine &Msg) const {
  std::string Text = "function `" + F.Name + "`";
  if (CurBlock) {
    Text += ", block bb" + std::to_string(CurBlock->Id);
    if (CurBlock->Label)
      Text += " (" + *CurBlock->Label + ")";
    Text += CurInst < 0 ? std::string(", terminator")
                        : ", instruction " + std::to_string(CurInst);
  }
  return createStringError(inconvertibleErrorCode(), Text + ": " + Msg.str());
}

/// (v2) Whether F contains an SsaPhi intrinsic / a CallTerminator that
/// catches: only such functions pay for the predecessor slot / an EHFrame.
static bool hasSsaPhi(const mir::Function &F) {
  for (const mir::Block &Blk : F.Blocks)
    for (const mir::Inst &I : Blk.Insts)
      if (I.Op == mir::Opcode::Intrinsic &&
          I.Intr == mir::IntrinsicKind::SsaPhi)
        return true;
  return false;
}

/// By block index: whether a block at or after it jumps to it. Every cycle
/// of the control flow has such an edge (in any order of the blocks), so a
/// poll at the start of these blocks runs once per iteration of every loop.
static std::vector<bool> backEdgeTargets(const mir::Function &F) {
  std::vector<bool> Out(F.Blocks.size());
  for (size_t From = 0; From < F.Blocks.size(); ++From) {
    const mir::Terminator &T = F.Blocks[From].Term;
    auto Note = [&](mir::BlockId Id) {
      int To = F.blockIndex(Id);
      if (To >= 0 && size_t(To) <= From)
        Out[To] = true;
    };
    switch (T.K) {
    case mir::TermKind::Goto:
      Note(T.Target);
      break;
    case mir::TermKind::If:
      Note(T.Target);
      Note(T.Else);
      break;
    case mir::TermKind::Switch:
      Note(T.Target);
      for (const mir::SwitchCase &Case : T.Cases)
        Note(Case.Target);
      break;
    case mir::TermKind::CallTerminator:
      Note(T.Target);
      if (T.Unwind)
        Note(*T.Unwind);
      break;
    default:
      break;
    }
  }
  return Out;
}

static bool catches(const mir::Function &F) {
  for (const mir::Block &Blk : F.Blocks)
    if (Blk.Term.K == mir::TermKind::CallTerminator && Blk.Term.Unwind)
      return true;
  return false;
}

Error FunctionLowerer::run() {
  FnName = ML.stringConstant(F.Name);
  RetLocal = F.returnLocal();
  for (const mir::Type &P : F.Sig.Params)
    if (P.isVoid() || !hasValueForm(P))
      return error("parameter of type " + P.str() +
                   ", which the llvm backend does not support yet");
  if (!hasValueForm(F.Sig.Ret))
    return error("result of type " + F.Sig.Ret.str() +
                 ", which the llvm backend does not support yet");

  if (hasHugeControlFlow(F)) {
    Fn->addFnAttr(Attribute::OptimizeNone);
    Fn->addFnAttr(Attribute::NoInline);
  }
  AllocaBB = AllocBB = BasicBlock::Create(C, "entry", Fn);
  for (const mir::Block &Blk : F.Blocks)
    Blocks.push_back(BasicBlock::Create(
        C, Blk.Label ? *Blk.Label : "bb" + std::to_string(Blk.Id), Fn));
  if (Error E = createSlots())
    return E;

  B.SetInsertPoint(AllocaBB);
  if (hasSsaPhi(F)) {
    // No block has this id: before the first jump, no SsaPhi matches.
    PredSlot = B.CreateAlloca(B.getInt64Ty(), nullptr, "pred");
    B.CreateStore(B.getInt64(~uint64_t(0)), PredSlot);
  }
  if (catches(F)) {
    EHFrame = B.CreateAlloca(ArrayType::get(B.getInt8Ty(), ffi::EHFrameSize),
                             nullptr, "eh.frame");
    EHFrame->setAlignment(Align(ffi::EHFrameAlign));
  }
  Budget = Fn->getArg(0);
  Budget->setName("budget");
  if (OSR) {
    // A continuation: the state comes from the frame, and the call goes on
    // at the block it is at (LowerOSR.cpp).
    emitPrologueChecks();
    if (Error E = emitContinuationPrologue())
      return E;
  } else {
    for (unsigned I = 0; I < F.Sig.Params.size(); ++I) {
      Argument *A = Fn->getArg(I + 1);
      if (const mir::Local *L = F.argLocal(I)) {
        A->setName(L->Name ? *L->Name : "arg" + std::to_string(I));
        if (Error E = write(L->Id, A, F.Sig.Params[I]))
          return E;
      }
    }
    emitPrologueChecks();
    int Entry = F.blockIndex(F.EntryBlock);
    if (Entry < 0)
      return error("entry block bb" + Twine(F.EntryBlock) + " does not exist");
    PrologueEnd = B.CreateBr(Blocks[Entry]);
  }

  std::vector<bool> Headers = backEdgeTargets(F);
  for (size_t BI = 0; BI < F.Blocks.size(); ++BI) {
    CurBlock = &F.Blocks[BI];
    B.SetInsertPoint(Blocks[BI]);
    if (Headers[BI])
      emitPoll(/*Entry=*/false);
    for (size_t II = 0; II < CurBlock->Insts.size(); ++II) {
      CurInst = int(II);
      if (Error E = lowerInst(CurBlock->Insts[II]))
        return E;
    }
    CurInst = -1;
    if (Error E = lowerTerminator(*CurBlock))
      return E;
  }
  CurBlock = nullptr;
  if (EHFrame)
    escapeAllocAreas();
  prunePolls();
  return Error::success();
}

Error FunctionLowerer::lowerInst(const mir::Inst &I) {
  using mir::Opcode;
  switch (I.Op) {
  case Opcode::Nop:
  case Opcode::DebugValue:
    return Error::success();
  case Opcode::DecisionProbe:
  case Opcode::ConditionProbe: {
    // Coverage probes: the operand is read, nothing else happens.
    if (!I.ops().empty())
      if (Expected<Value *> V = read(I.ops()[0]); !V)
        return V.takeError();
    return Error::success();
  }
  case Opcode::Aggregate:
    return lowerAggregate(I);
  case Opcode::GetField:
    return lowerGetField(I);
  case Opcode::SetField:
    return lowerSetField(I);
  case Opcode::GlobalAddr:
    return lowerGlobalAddr(I);
  case Opcode::Const: {
    Expected<Value *> V = constant(I.constant());
    if (!V)
      return V.takeError();
    return write(I.dest(), *V, I.constant().Ty);
  }
  case Opcode::Copy:
  case Opcode::Move: {
    Expected<Value *> V = read(I.ops()[0]);
    if (!V)
      return V.takeError();
    return write(I.dest(), *V, typeOf(I.ops()[0]));
  }
  case Opcode::BinOp:
  case Opcode::CheckedBinOp:
    return lowerBinOp(I);
  case Opcode::UnaryOp:
    return lowerUnaryOp(I);
  case Opcode::Cast:
    return lowerCast(I);
  case Opcode::Bitcast:
    return lowerBitcast(I);
  case Opcode::Alloc:
    return lowerAlloc(I);
  case Opcode::Load:
    return lowerLoad(I);
  case Opcode::Store:
    return lowerStore(I);
  case Opcode::GetElementPtr:
    return lowerGEP(I);
  case Opcode::Call:
    return lowerCall(I);
  case Opcode::CallIndirect:
    return lowerCallIndirect(I);
  case Opcode::Intrinsic:
    return lowerIntrinsic(I);
  }
  return error("unknown instruction");
}
