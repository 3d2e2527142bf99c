//===- jit/LowerPolls.cpp - Interrupt polls, and where they are needed ----===//
//
// ffi/FFI.h "Interrupts and time budgets". The lowering polls at every
// function entry and at every block a later block jumps to (so every cycle
// of the control flow polls), as the interpreter does. Once the function is
// lowered, and when interrupts reach JIT code by signal
// (LowerOptions::SignalInterrupts), prunePolls removes the polls of code that
// spends its time in JIT code, where the signal ends it: a poll in a loop is
// a side exit that keeps the vectoriser out (sieve ran 1.7x clang with it).
// What stays is needed where the signal cannot end the call, in calls out of
// JIT code (the runtime, SFFI libraries, libm, a function pointer), which the
// signal's handler leaves running:
//   * a loop header polls if its loop (with its inner loops) makes such a
//     call; the loop's iterations then notice the flag between two calls;
//   * the entry polls if the function makes such a call anywhere, and so does
//     a back-edge target that is no natural loop's header (irreducible
//     control flow), conservatively.
// A call of a MIR function does not count: the callee decides for itself, and
// where it is inlined its entry poll comes with it. Nor do the runtime
// helpers that take a few instructions (EH frames, setjmp, the depth cell),
// the calls that never return (traps), and intrinsics that become
// instructions; every other intrinsic may become a libcall (pow, floor,
// memcpy) and counts.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

void FunctionLowerer::emitPoll(bool Entry) {
  if (!ML.Opts.PollFlag)
    return;
  // Symbols, not constants: the addresses differ from run to run, and the
  // module (the cache key) must not.
  // (By name: the flag is the first word of the limits, the same address.)
  auto Address = [&](const char *Name) -> Value * {
    GlobalVariable *G = ML.M.getNamedGlobal(Name);
    if (!G)
      G = new GlobalVariable(ML.M, B.getInt32Ty(), /*isConstant=*/false,
                             GlobalValue::ExternalLinkage, nullptr, Name);
    return G;
  };
  // Monotonic: a load the optimiser keeps in the loop (it never hoists an
  // atomic load), and a plain mov on x86-64.
  LoadInst *Flag = B.CreateAlignedLoad(B.getInt32Ty(), Address(PollFlagSymbol),
                                       Align(4), "poll");
  Flag->setAtomic(AtomicOrdering::Monotonic);
  BasicBlock *Slow = BasicBlock::Create(C, "poll.slow", Fn);
  BasicBlock *Cont = BasicBlock::Create(C, "", Fn);
  BranchInst *Br =
      B.CreateCondBr(B.CreateICmpNE(Flag, B.getInt32(0)), Slow, Cont,
                     MDBuilder(C).createBranchWeights(1, 1u << 20));
  IRBuilder<> SB(Slow);
  SB.CreateCall(ML.pollFn(), {Address(PollLimitsSymbol), FnName});
  SB.CreateBr(Cont);
  B.SetInsertPoint(Cont);
  Polls.push_back({Br, Entry});
}

/// Intrinsics that every target makes instructions of, never a call.
static bool becomesInstructions(Intrinsic::ID ID) {
  switch (ID) {
  case Intrinsic::sqrt:
  case Intrinsic::fabs:
  case Intrinsic::copysign:
  case Intrinsic::minnum:
  case Intrinsic::maxnum:
  case Intrinsic::minimum:
  case Intrinsic::maximum:
  case Intrinsic::ctpop:
  case Intrinsic::ctlz:
  case Intrinsic::cttz:
  case Intrinsic::bswap:
  case Intrinsic::bitreverse:
  case Intrinsic::fshl:
  case Intrinsic::fshr:
  case Intrinsic::smax:
  case Intrinsic::smin:
  case Intrinsic::umax:
  case Intrinsic::umin:
  case Intrinsic::abs:
  case Intrinsic::sadd_with_overflow:
  case Intrinsic::uadd_with_overflow:
  case Intrinsic::ssub_with_overflow:
  case Intrinsic::usub_with_overflow:
  case Intrinsic::smul_with_overflow:
  case Intrinsic::umul_with_overflow:
  case Intrinsic::sadd_sat:
  case Intrinsic::uadd_sat:
  case Intrinsic::ssub_sat:
  case Intrinsic::usub_sat:
  case Intrinsic::fptosi_sat:
  case Intrinsic::fptoui_sat:
  case Intrinsic::expect:
  case Intrinsic::assume:
  case Intrinsic::lifetime_start:
  case Intrinsic::lifetime_end:
  case Intrinsic::stacksave:
  case Intrinsic::stackrestore:
  case Intrinsic::frameaddress:
  case Intrinsic::is_fpclass:
    return true;
  default:
    return false;
  }
}

/// Whether a call may keep the thread outside JIT code for long: the call
/// the signal cannot end (see the file comment).
static bool leavesJitCode(const CallBase &CB,
                          const SmallPtrSetImpl<const CallBase *> &MirCalls) {
  if (MirCalls.count(&CB) || CB.isInlineAsm() || CB.doesNotReturn())
    return false;
  const Function *F = CB.getCalledFunction();
  if (!F)
    return true; // a function pointer: C code, for all we know
  if (F->isIntrinsic())
    return !becomesInstructions(F->getIntrinsicID());
  StringRef N = F->getName();
  for (const char *Short : {PollFnName, EHPushFnName, EHPopFnName,
                            SetjmpFnName, SetDepthFnName, GetDepthFnName,
                            StackLimitFnName})
    if (N == Short)
      return false;
  return true;
}

/// Takes out the poll whose branch is Br: its block goes straight on.
static void removePoll(BranchInst *Br) {
  BasicBlock *Slow = Br->getSuccessor(0), *Cont = Br->getSuccessor(1);
  auto *Cmp = cast<Instruction>(Br->getCondition());
  auto *Flag = cast<Instruction>(Cmp->getOperand(0));
  BranchInst::Create(Cont, Br);
  Br->eraseFromParent();
  Cmp->eraseFromParent();
  Flag->eraseFromParent();
  Cont->removePredecessor(Slow);
  Slow->eraseFromParent();
}

void FunctionLowerer::prunePolls() {
  if (!ML.Opts.SignalInterrupts || Polls.empty())
    return;
  DominatorTree DT(*Fn);
  LoopInfo LI(DT);
  bool Anywhere = false;
  DenseSet<const Loop *> Leaving; // loops (with inner ones) that call out
  for (BasicBlock &BB : *Fn) {
    bool Calls = any_of(BB, [&](const Instruction &I) {
      auto *CB = dyn_cast<CallBase>(&I);
      return CB && leavesJitCode(*CB, MirCalls);
    });
    if (!Calls)
      continue;
    Anywhere = true;
    // Marks BB's loop and its parents; a marked loop's parents are marked.
    for (const Loop *L = LI.getLoopFor(&BB); L && Leaving.insert(L).second;
         L = L->getParentLoop()) {
    }
  }
  for (const PollSite &P : Polls) {
    BasicBlock *At = P.Br->getParent();
    bool Keep = Anywhere;
    if (!P.Entry) {
      if (const Loop *L = LI.getLoopFor(At); L && L->getHeader() == At) {
        Keep = Leaving.contains(L);
      } else if (L) {
        // A poll inside a loop entered elsewhere (a continuation enters its
        // loops where the interpreter was: LowerOSR.cpp): it is needed only
        // if a cycle through it calls out, and every such cycle lies in the
        // outermost loop around it.
        while (L->getParentLoop())
          L = L->getParentLoop();
        Keep = Leaving.contains(L);
      }
    }
    if (!Keep)
      removePoll(P.Br);
  }
  Polls.clear();
}
