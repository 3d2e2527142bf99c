//===- jit/LowerControl.cpp - Terminators, traps, the call-depth check ----===//
//
// Runtime errors: a check branches (weighted as never taken) to a cold block
// of its function that calls spl_rt_trap(kind, "<function>", detail). That
// function is noreturn: it builds mir::trapMessage's text and longjmps to the
// guard Session::call set up with ffi::runGuarded, so the interpreter and JIT
// code report the same text. One trap block per (kind, detail) per function.
//
// Stack overflow. Every MIR function has a hidden leading i32 `depth`
// parameter: the entry wrapper passes 1, a MIR call passes depth + 1, and the
// prologue traps StackOverflow when depth > MaxCallDepth. So recursion ends
// at exactly the interpreter's depth, in the same function, with the same
// text, for the price of one register and one predictable compare per call
// (no memory traffic, unlike a thread-local counter). Function pointers have
// the C ABI and cannot carry the parameter: see LowerCalls.cpp.
//
// Depth alone bounds the native stack only for frames of modest size. A
// function whose Alloc areas are large could exhaust the thread's stack below
// the depth limit (10000 frames of 4 KB are 40 MB; one Alloc of 16 MB is too
// much on its own), so such functions also compare what they are about to
// take against the thread's stack limit (a runtime call, paid only by them)
// and trap StackOverflow rather than fault.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "llvm/ADT/SmallSet.h"
#include "llvm/IR/MDBuilder.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;
using mir::TrapKind;

/// Frames whose Alloc areas exceed this also check the native stack.
static constexpr uint64_t LargeFrameBytes = 512;

BasicBlock *FunctionLowerer::trapBlock(TrapKind Kind, StringRef Detail) {
  BasicBlock *&BB = Traps[{unsigned(Kind), Detail.str()}];
  if (BB)
    return BB;
  BB = BasicBlock::Create(C, "trap", Fn);
  IRBuilder<> TB(BB);
  Value *D = Detail.empty()
                 ? ConstantPointerNull::get(PointerType::getUnqual(C))
                 : ML.stringConstant(Detail);
  CallInst *Call =
      TB.CreateCall(ML.trapFn(), {TB.getInt32(unsigned(Kind)), FnName, D});
  Call->setDoesNotReturn();
  TB.CreateUnreachable();
  return BB;
}

void FunctionLowerer::trapIf(Value *Cond, TrapKind Kind, StringRef Detail) {
  if (auto *K = dyn_cast<ConstantInt>(Cond); K && K->isZero())
    return;
  BasicBlock *Cont = BasicBlock::Create(C, "", Fn);
  B.CreateCondBr(Cond, trapBlock(Kind, Detail), Cont,
                 MDBuilder(C).createBranchWeights(1, 1u << 20));
  B.SetInsertPoint(Cont);
}

void FunctionLowerer::emitTrap(TrapKind Kind, StringRef Detail) {
  B.CreateBr(trapBlock(Kind, Detail));
}

void FunctionLowerer::emitPrologueChecks() {
  std::string Limit = std::to_string(ML.Opts.MaxCallDepth);
  trapIf(B.CreateICmpUGT(Depth, B.getInt32(ML.Opts.MaxCallDepth)),
         TrapKind::StackOverflow, Limit);

  uint64_t AllocBytes = 0;
  for (const mir::Block &Blk : F.Blocks)
    for (const mir::Inst &I : Blk.Insts)
      if (I.Op == mir::Opcode::Alloc)
        AllocBytes += I.Ty.storeSize();
  if (AllocBytes <= LargeFrameBytes)
    return;
  // Allocas of the entry block are part of the frame the prologue makes
  // before any of our code runs, so a large frame could fault before it can
  // be checked. Instead the frame stays small (the probe below marks where it
  // ends), the check compares the room the Alloc areas will take against the
  // thread's stack limit, and only then does a block of its own make them
  // (dynamic allocas, run once per call).
  IRBuilder<> AB(AllocaBB, AllocaBB->begin());
  AllocaInst *Probe = AB.CreateAlloca(B.getInt8Ty(), nullptr, "frame.probe");
  Value *Here = B.CreatePtrToInt(Probe, B.getInt64Ty());
  Value *Limit64 = B.CreateCall(ML.stackLimitFn());
  Value *Low = B.CreateSub(Here, B.getInt64(AllocBytes));
  trapIf(B.CreateOr(B.CreateICmpULT(Here, B.getInt64(AllocBytes)),
                    B.CreateICmpULT(Low, Limit64)),
         TrapKind::StackOverflow, Limit);
  AllocBB = BasicBlock::Create(C, "frame", Fn);
  B.CreateBr(AllocBB);
  B.SetInsertPoint(AllocBB);
}

Expected<BasicBlock *> FunctionLowerer::target(mir::BlockId Id) {
  int Idx = F.blockIndex(Id);
  if (Idx < 0)
    return error("block bb" + Twine(Id) + " does not exist");
  return Blocks[Idx];
}

void FunctionLowerer::notePredecessor() {
  if (PredSlot)
    B.CreateStore(B.getInt64(CurBlock->Id), PredSlot);
}

Error FunctionLowerer::lowerTerminator(const mir::Block &Blk) {
  const mir::Terminator &T = Blk.Term;
  auto Target = [&](mir::BlockId Id) { return target(Id); };
  // (v2) The hidden predecessor slot of functions with SsaPhi is written
  // before every jump to another block (a Return, trap or raise leaves).
  switch (T.K) {
  case mir::TermKind::Goto:
  case mir::TermKind::If:
  case mir::TermKind::Switch:
    notePredecessor();
    break;
  default:
    break;
  }

  switch (T.K) {
  case mir::TermKind::None:
    return error("block has no terminator");
  case mir::TermKind::Goto: {
    Expected<BasicBlock *> BB = Target(T.Target);
    if (!BB)
      return BB.takeError();
    B.CreateBr(*BB);
    return Error::success();
  }
  case mir::TermKind::Return: {
    const mir::Type &RT = F.Sig.Ret;
    if (RT.isVoid()) {
      B.CreateRetVoid();
      return Error::success();
    }
    Value *V;
    if (T.Value) {
      Expected<Value *> R = readAs(*T.Value, RT);
      if (!R)
        return R.takeError();
      V = *R;
    } else if (const mir::Local *RL = F.returnLocal()) {
      Expected<Value *> R = readAs(mir::Operand::copy(RL->Id), RT);
      if (!R)
        return R.takeError();
      V = *R;
    } else {
      V = Constant::getNullValue(regType(C, RT));
    }
    B.CreateRet(V);
    return Error::success();
  }
  case mir::TermKind::If: {
    Expected<Value *> Cond = read(*T.Value);
    if (!Cond)
      return Cond.takeError();
    Value *CV = *Cond;
    if (!CV->getType()->isIntegerTy(1))
      CV = B.CreateIsNotNull(CV);
    Expected<BasicBlock *> Then = Target(T.Target);
    if (!Then)
      return Then.takeError();
    Expected<BasicBlock *> Else = Target(T.Else);
    if (!Else)
      return Else.takeError();
    B.CreateCondBr(CV, *Then, *Else);
    return Error::success();
  }
  case mir::TermKind::Switch: {
    Expected<Value *> V = read(*T.Value);
    if (!V)
      return V.takeError();
    auto *Ty = dyn_cast<IntegerType>((*V)->getType());
    if (!Ty)
      return error("switch on a value of type " + typeOf(*T.Value).str());
    Expected<BasicBlock *> Default = Target(T.Target);
    if (!Default)
      return Default.takeError();
    SwitchInst *SI = B.CreateSwitch(*V, *Default, T.Cases.size());
    SmallSet<uint64_t, 8> Seen; // (DenseSet reserves ~0 as a key)
    for (const mir::SwitchCase &Case : T.Cases) {
      uint64_t Bits =
          Case.Value & maskTrailingOnes<uint64_t>(Ty->getBitWidth());
      if (!Seen.insert(Bits).second)
        continue; // the first case with a value wins
      Expected<BasicBlock *> BB = Target(Case.Target);
      if (!BB)
        return BB.takeError();
      SI->addCase(ConstantInt::get(Ty, Bits), *BB);
    }
    return Error::success();
  }
  case mir::TermKind::Unreachable:
    emitTrap(TrapKind::Unreachable);
    return Error::success();
  case mir::TermKind::Abort:
    emitTrap(TrapKind::Abort, T.Message);
    return Error::success();
  case mir::TermKind::CallTerminator:
    return lowerCallTerminator(T);
  case mir::TermKind::Throw:
  case mir::TermKind::Resume:
    return lowerThrow(T);
  }
  return error("unknown terminator");
}
