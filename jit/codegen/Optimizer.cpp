//===- jit/Optimizer.cpp - The IR pipeline of a batch ---------------------===//
#include "Optimizer.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/LazyCallGraph.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"

#include <chrono>
#include <vector>

using namespace llvm;
using namespace spl::jit;

namespace {
using Clock = std::chrono::steady_clock;

double msBetween(Clock::time_point A, Clock::time_point B) {
  return std::chrono::duration<double, std::milli>(B - A).count();
}

/// The function a pass ran on, or null for a module or a call-graph node of
/// several functions.
const Function *unitFunction(Any IR) {
  if (const auto *F = llvm::any_cast<const Function *>(&IR))
    return *F;
  if (const auto *L = llvm::any_cast<const Loop *>(&IR))
    return (*L)->getHeader()->getParent();
  if (const auto *C = llvm::any_cast<const LazyCallGraph::SCC *>(&IR))
    return (*C)->size() == 1 ? &(*C)->begin()->getFunction() : nullptr;
  return nullptr;
}

/// Times pass runs exclusive of the runs nested in them (pass managers and
/// adaptors are passes too), so the figures add up to the pipeline's time.
class PassTimer {
public:
  explicit PassTimer(PassTimeSink Sink) : Sink(Sink) {}
  void registerCallbacks(PassInstrumentationCallbacks &PIC) {
    PIC.registerBeforeNonSkippedPassCallback(
        [this](StringRef, Any) { Stack.push_back({Clock::now(), 0}); });
    PIC.registerAfterPassCallback(
        [this](StringRef, Any IR, const PreservedAnalyses &) {
          pop(unitFunction(IR));
        });
    PIC.registerAfterPassInvalidatedCallback(
        [this](StringRef, const PreservedAnalyses &) { pop(nullptr); });
  }

private:
  void pop(const Function *F) {
    if (Stack.empty())
      return;
    Frame Top = Stack.back();
    Stack.pop_back();
    double Ms = msBetween(Top.Start, Clock::now());
    if (!Stack.empty())
      Stack.back().NestedMs += Ms;
    Sink(F, Ms - Top.NestedMs);
  }
  struct Frame {
    Clock::time_point Start;
    double NestedMs;
  };
  PassTimeSink Sink;
  std::vector<Frame> Stack;
};
} // namespace

/// mem2reg without a pass manager: the cheapest way to SSA at -O0.
static void promoteLocals(Module &M, PassTimeSink Times) {
  for (Function &F : M) {
    // optnone: a function of huge control flow (Lowering.h), whose locals
    // stay in memory at every level.
    if (F.isDeclaration() || F.hasOptNone())
      continue;
    auto T0 = Clock::now();
    auto Timed = make_scope_exit([&] {
      if (Times)
        Times(&F, msBetween(T0, Clock::now()));
    });
    SmallVector<AllocaInst *, 16> Allocas;
    for (Instruction &I : F.getEntryBlock())
      if (auto *A = dyn_cast<AllocaInst>(&I); A && isAllocaPromotable(A))
        Allocas.push_back(A);
    if (Allocas.empty())
      continue;
    DominatorTree DT(F);
    AssumptionCache AC(F);
    PromoteMemToReg(Allocas, DT, &AC);
  }
}

/// Whether the difference of Sub (a usub.with.overflow) is passed as the
/// depth budget of a call (Lowering.h: markDepthArg).
static bool passesBudget(const IntrinsicInst &Sub) {
  for (const User *U : Sub.users())
    if (auto *EV = dyn_cast<ExtractValueInst>(U); EV && EV->getIndices()[0] == 0)
      for (const User *V : EV->users())
        if (auto *Call = dyn_cast<CallBase>(V);
            Call && Call->arg_size() > 0 && Call->getArgOperand(0) == EV &&
            Call->paramHasAttr(0, Attribute::SwiftSelf))
          return true;
  return false;
}

/// Tail recursion elimination makes a function's depth budget a variable of
/// the loop it builds (fib's second call becomes the next iteration, at a
/// budget one lower). The code generator's loop strength reduction takes it
/// for an induction variable and keeps a second copy beside the one passed
/// in R13, decremented apart and copied before each call (fib in process:
/// 1.14x clang -O2 without the freeze, 0.83x with it). A freeze of the
/// budget, which that pass does not look through, leaves one register that
/// the check's own `sub; jb` decrements in place. Made after the pipeline:
/// InstCombine would move the freeze out of the loop again.
static void freezeLoopBudgets(Module &M) {
  SmallVector<IntrinsicInst *, 8> Subs;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *II = dyn_cast<IntrinsicInst>(&I);
          II && II->getIntrinsicID() == Intrinsic::usub_with_overflow &&
          isa<PHINode>(II->getArgOperand(0)) && passesBudget(*II))
        Subs.push_back(II);
  for (IntrinsicInst *Sub : Subs)
    Sub->setArgOperand(0, new FreezeInst(Sub->getArgOperand(0),
                                         "budget.fr", Sub));
}

void spl::jit::optimizeModule(Module &M, unsigned Level, TargetMachine &TM,
                              PassTimeSink Times,
                              const std::atomic<bool> *Cancel) {
  if (Level == 0) {
    promoteLocals(M, Times);
    return;
  }
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PipelineTuningOptions PTO;
  PTO.LoopVectorization = Level >= 2;
  PTO.SLPVectorization = Level >= 2;
  // optnone is honoured by an instrumentation, not by the passes: without
  // it every pass would run on functions of huge control flow (Lowering.h).
  PassInstrumentationCallbacks PIC;
  OptNoneInstrumentation OptNone(/*DebugLogging=*/false);
  OptNone.registerCallbacks(PIC);
  PassTimer Timer(Times);
  if (Times)
    Timer.registerCallbacks(PIC);
  if (Cancel)
    PIC.registerShouldRunOptionalPassCallback(
        [Cancel](StringRef, Any) { return !Cancel->load(std::memory_order_relaxed); });
  PassBuilder PB(&TM, PTO, std::nullopt, &PIC);
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  OptimizationLevel OL = Level == 1   ? OptimizationLevel::O1
                         : Level == 2 ? OptimizationLevel::O2
                                      : OptimizationLevel::O3;
  ModulePassManager MPM = PB.buildPerModuleDefaultPipeline(OL);
  MPM.run(M, MAM);
  freezeLoopBudgets(M);
}
