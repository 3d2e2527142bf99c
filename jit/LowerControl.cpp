//===- jit/LowerControl.cpp - Terminators, traps, the call-depth check ----===//
//
// Runtime errors: a check branches (weighted as never taken) to a cold block
// of its function that calls spl_rt_trap(kind, "<function>", detail). That
// function is noreturn: it builds mir::trapMessage's text and longjmps to the
// guard Session::call set up with ffi::runGuarded, so the interpreter and JIT
// code report the same text. One trap block per (kind, detail) per function.
//
// Stack overflow. Every MIR function has a hidden leading i64 parameter, its
// depth *budget*: MaxCallDepth - depth, the calls it may still nest. The
// entry wrapper passes MaxCallDepth - 1 (depth 1), a MIR call passes
// budget - 1, and a call made with budget 0 (its callee would run at depth
// > MaxCallDepth) traps StackOverflow naming the callee. So recursion ends at
// exactly the interpreter's depth, in the same function, with the same text.
// The compare is made where it is cheapest (LowerModule.cpp "Entries"): a
// direct call checks in the caller, before the call, where CSE merges the
// checks of calls made at the same depth (the two calls of fib become one)
// and keeps them out of the callee; every other way in (stubs, the host's
// entry wrapper, C-ABI adapters) enters through the function's checked
// entry, which traps on a negative budget and jumps to the body. Function
// pointers have the C ABI and cannot carry the parameter: see LowerCalls.cpp.
//
// Why a budget counted down, in R13 (issue 10): fib, nothing but calls, ran
// at 1.13x clang -O2 in process with an i32 depth counted up in an ordinary
// argument register. That cost a copy into the argument register before
// every call, a callee-saved register to keep the depth in, `inc` plus
// `cmp; ja` per call, and a worse layout of the leaf path. Now the budget is
// a `swiftself` argument (Lowering.h, markDepthArg), which x86-64 passes in
// the callee-saved R13: it stays where it arrived across calls, and the
// usub.with.overflow that makes the callee's budget is its own check, one
// macro-fused `sub $1, %r13; jb`. fib's loop is then clang's plus that one
// instruction (0.8x-1.0x clang in process, as code placement falls). The
// optimiser must not see the budget of a loop made by tail recursion as an
// induction variable: see Optimizer.cpp, freezeLoopBudgets.
//
// Depth alone bounds the native stack only for frames of modest size. A
// function whose Alloc areas are large could exhaust the thread's stack below
// the depth limit (10000 frames of 4 KB are 40 MB; one Alloc of 16 MB is too
// much on its own), so such functions also compare what they are about to
// take against the thread's stack limit (a runtime call, paid only by them)
// and trap StackOverflow rather than fault.
//
// Huge switches (issue 15). LLVM's own lowering of a `switch` is fine, but a
// function with one of 100,000 cases meets passes that are quadratic in the
// predecessors of a block (SimplifyCFG's empty-block folding into the shared
// return block, jump threading, mem2reg's PHIs, FastISel's PHI handling):
// 205 s at -O1. So a Switch of more than TableSwitchCases distinct values is
// a table of block addresses and an indirectbr (dense values index it,
// sparse ones are found by binary search over a sorted table of values), and
// a function with such a switch or with a block more than MaxJumpsToBlock
// jumps lead to is marked optnone with its locals left in memory: linear at
// every level, at the price of leaving that one function unoptimised.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/MDBuilder.h"

#include <algorithm>

using namespace llvm;
using namespace spl;
using namespace spl::jit;
using mir::TrapKind;

/// Frames whose Alloc areas exceed this also check the native stack.
static constexpr uint64_t LargeFrameBytes = 512;

/// Switches with more distinct case values than this become a table and an
/// indirectbr; a function with such a switch, or with a block that many
/// jumps lead to, is left unoptimised (see the file comment).
static constexpr size_t TableSwitchCases = 1024;
static constexpr size_t MaxJumpsToBlock = 1024;

bool jit::hasHugeControlFlow(const mir::Function &F) {
  std::vector<uint32_t> Jumps(F.Blocks.size());
  auto Count = [&](mir::BlockId Id) {
    int I = F.blockIndex(Id);
    return I >= 0 && ++Jumps[I] > MaxJumpsToBlock;
  };
  for (const mir::Block &Blk : F.Blocks) {
    const mir::Terminator &T = Blk.Term;
    switch (T.K) {
    case mir::TermKind::Switch:
      if (T.Cases.size() > TableSwitchCases)
        return true;
      for (const mir::SwitchCase &Case : T.Cases)
        if (Count(Case.Target))
          return true;
      [[fallthrough]];
    case mir::TermKind::Goto:
      if (Count(T.Target))
        return true;
      break;
    case mir::TermKind::CallTerminator:
      if (Count(T.Target) || (T.Unwind && Count(*T.Unwind)))
        return true;
      break;
    case mir::TermKind::If:
      if (Count(T.Target) || Count(T.Else))
        return true;
      break;
    default:
      break;
    }
  }
  return false;
}

BasicBlock *FunctionLowerer::trapBlock(TrapKind Kind, StringRef Detail,
                                       StringRef In) {
  BasicBlock *&BB = Traps[{unsigned(Kind), Detail.str(), In.str()}];
  if (BB)
    return BB;
  BB = BasicBlock::Create(C, "trap", Fn);
  IRBuilder<> TB(BB);
  Value *D = Detail.empty()
                 ? ConstantPointerNull::get(PointerType::getUnqual(C))
                 : ML.stringConstant(Detail);
  Constant *Name = In.empty() ? FnName : ML.stringConstant(In);
  CallInst *Call =
      TB.CreateCall(ML.trapFn(), {TB.getInt32(unsigned(Kind)), Name, D});
  Call->setDoesNotReturn();
  TB.CreateUnreachable();
  return BB;
}

void FunctionLowerer::trapIf(Value *Cond, TrapKind Kind, StringRef Detail,
                             StringRef In) {
  if (auto *K = dyn_cast<ConstantInt>(Cond); K && K->isZero())
    return;
  BasicBlock *Cont = BasicBlock::Create(C, "", Fn);
  B.CreateCondBr(Cond, trapBlock(Kind, Detail, In), Cont,
                 MDBuilder(C).createBranchWeights(1, 1u << 20));
  B.SetInsertPoint(Cont);
}

void FunctionLowerer::emitTrap(TrapKind Kind, StringRef Detail) {
  B.CreateBr(trapBlock(Kind, Detail));
}

Value *FunctionLowerer::calleeBudget() {
  if (!ML.Opts.callerChecksDepth()) // the callee checks on entry
    return B.CreateSub(Budget, B.getInt64(1), "budget.callee");
  // The subtraction's borrow is the check (budget 0: the callee would run at
  // MaxCallDepth + 1), which x86 makes one `sub; jb`. Made at each call, not
  // once in the entry block: CSE merges those of calls at the same depth,
  // and one next to its call is what freezeLoopBudgets (Optimizer.cpp)
  // finds once tail recursion has made a loop of it.
  Value *Sub = B.CreateBinaryIntrinsic(Intrinsic::usub_with_overflow, Budget,
                                       B.getInt64(1));
  DepthExceeded = B.CreateExtractValue(Sub, 1, "depth.exceeded");
  return B.CreateExtractValue(Sub, 0, "budget.callee");
}

Value *FunctionLowerer::depthOfBudget() {
  return jit::depthOfBudget(B, Budget, ML.Opts.MaxCallDepth);
}

void FunctionLowerer::checkCallDepth(StringRef Callee) {
  trapIf(DepthExceeded, TrapKind::StackOverflow,
         std::to_string(ML.Opts.MaxCallDepth), Callee);
}

void FunctionLowerer::emitPrologueChecks() {
  std::string Limit = std::to_string(ML.Opts.MaxCallDepth);
  if (!ML.Opts.callerChecksDepth())
    trapIf(B.CreateICmpSLT(Budget, B.getInt64(0)),
           TrapKind::StackOverflow, Limit);
  // Function entries poll, so recursion without loops is interruptible too.
  emitPoll(/*Entry=*/true);
  // (osr) A continuation's Alloc areas are in the frame it continues.
  if (OSR)
    return;

  uint64_t AllocBytes = 0;
  for (const mir::Block &Blk : F.Blocks)
    for (const mir::Inst &I : Blk.Insts)
      if (I.Op == mir::Opcode::Alloc)
        AllocBytes += I.type().storeSize();
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

void FunctionLowerer::lowerTableSwitch(
    Value *V, BasicBlock *Default,
    ArrayRef<std::pair<uint64_t, BasicBlock *>> Cases) {
  Module &M = ML.M;
  Type *Ptr = PointerType::getUnqual(C);
  Type *I64 = B.getInt64Ty();
  // Case values are the bits of the switched type: compared unsigned.
  Value *X = B.CreateZExt(V, I64);
  uint64_t Lo = Cases.front().first, Span = Cases.back().first - Lo;
  auto Table = [&](Type *Elem, ArrayRef<Constant *> Items) {
    auto *Ty = ArrayType::get(Elem, Items.size());
    auto *GV = new GlobalVariable(
        M, Ty, /*isConstant=*/true, GlobalValue::PrivateLinkage,
        ConstantArray::get(Ty, Items), "switch.table");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    return std::make_pair(Ty, GV);
  };
  auto Item = [&](auto Tab, Value *Idx) {
    return B.CreateLoad(
        Tab.first->getElementType(),
        B.CreateInBoundsGEP(Tab.first, Tab.second, {B.getInt64(0), Idx}));
  };
  Value *Dest;
  if (Span < 2 * uint64_t(Cases.size())) {
    // Dense: one slot per value from the lowest case to the highest, the
    // holes going to the default.
    std::vector<Constant *> Slots(Span + 1, BlockAddress::get(Fn, Default));
    for (auto [Bits, BB] : Cases)
      Slots[Bits - Lo] = BlockAddress::get(Fn, BB);
    auto Tab = Table(Ptr, Slots);
    Value *Idx = B.CreateSub(X, B.getInt64(Lo));
    BasicBlock *Load = BasicBlock::Create(C, "switch.load", Fn);
    B.CreateCondBr(B.CreateICmpULE(Idx, B.getInt64(Span)), Load, Default);
    B.SetInsertPoint(Load);
    Dest = Item(Tab, Idx);
  } else {
    // Sparse: a binary search over the sorted values for the first one not
    // below X, then the target beside it.
    std::vector<Constant *> Keys, Targets;
    for (auto [Bits, BB] : Cases) {
      Keys.push_back(ConstantInt::get(I64, Bits));
      Targets.push_back(BlockAddress::get(Fn, BB));
    }
    auto KeyTab = Table(I64, Keys), TargetTab = Table(Ptr, Targets);
    Value *N = B.getInt64(Cases.size());
    BasicBlock *Entry = B.GetInsertBlock();
    BasicBlock *Loop = BasicBlock::Create(C, "switch.search", Fn);
    BasicBlock *Step = BasicBlock::Create(C, "switch.step", Fn);
    BasicBlock *Found = BasicBlock::Create(C, "switch.found", Fn);
    BasicBlock *Load = BasicBlock::Create(C, "switch.load", Fn);
    B.CreateBr(Loop);
    B.SetInsertPoint(Loop);
    PHINode *L = B.CreatePHI(I64, 2, "lo"), *H = B.CreatePHI(I64, 2, "hi");
    B.CreateCondBr(B.CreateICmpULT(L, H), Step, Found);
    B.SetInsertPoint(Step);
    Value *Mid = B.CreateLShr(B.CreateAdd(L, H), 1);
    Value *Below = B.CreateICmpULT(Item(KeyTab, Mid), X);
    L->addIncoming(B.getInt64(0), Entry);
    L->addIncoming(B.CreateSelect(Below, B.CreateAdd(Mid, B.getInt64(1)), L),
                   Step);
    H->addIncoming(N, Entry);
    H->addIncoming(B.CreateSelect(Below, H, Mid), Step);
    B.CreateBr(Loop);
    B.SetInsertPoint(Found);
    BasicBlock *Check = BasicBlock::Create(C, "switch.check", Fn);
    B.CreateCondBr(B.CreateICmpULT(L, N), Check, Default);
    B.SetInsertPoint(Check);
    B.CreateCondBr(B.CreateICmpEQ(Item(KeyTab, L), X), Load, Default);
    B.SetInsertPoint(Load);
    Dest = Item(TargetTab, L);
  }
  SmallPtrSet<BasicBlock *, 16> Added;
  IndirectBrInst *IB = B.CreateIndirectBr(Dest);
  if (Added.insert(Default).second)
    IB->addDestination(Default);
  for (auto [Bits, BB] : Cases)
    if (Added.insert(BB).second)
      IB->addDestination(BB);
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
    } else if (const mir::Local *RL = RetLocal) {
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
    // In value order, the first case of each value (it wins, as in the
    // interpreter).
    std::vector<std::pair<uint64_t, mir::BlockId>> Sorted;
    Sorted.reserve(T.Cases.size());
    for (const mir::SwitchCase &Case : T.Cases)
      Sorted.push_back(
          {Case.Value & maskTrailingOnes<uint64_t>(Ty->getBitWidth()),
           Case.Target});
    std::stable_sort(Sorted.begin(), Sorted.end(),
                     [](auto &L, auto &R) { return L.first < R.first; });
    std::vector<std::pair<uint64_t, BasicBlock *>> Cases;
    Cases.reserve(Sorted.size());
    for (auto [Bits, Id] : Sorted) {
      if (!Cases.empty() && Cases.back().first == Bits)
        continue;
      Expected<BasicBlock *> BB = Target(Id);
      if (!BB)
        return BB.takeError();
      Cases.push_back({Bits, *BB});
    }
    if (Cases.size() > TableSwitchCases) {
      lowerTableSwitch(*V, *Default, Cases);
      return Error::success();
    }
    SwitchInst *SI = B.CreateSwitch(*V, *Default, Cases.size());
    for (auto [Bits, BB] : Cases)
      SI->addCase(ConstantInt::get(Ty, Bits), BB);
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
