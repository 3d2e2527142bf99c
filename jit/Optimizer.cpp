//===- jit/Optimizer.cpp - The IR pipeline of a batch ---------------------===//
#include "Optimizer.h"

#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"

using namespace llvm;

/// mem2reg without a pass manager: the cheapest way to SSA at -O0.
static void promoteLocals(Module &M) {
  for (Function &F : M) {
    // optnone: a function of huge control flow (Lowering.h), whose locals
    // stay in memory at every level.
    if (F.isDeclaration() || F.hasOptNone())
      continue;
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

void spl::jit::optimizeModule(Module &M, unsigned Level, TargetMachine &TM) {
  if (Level == 0) {
    promoteLocals(M);
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
}
