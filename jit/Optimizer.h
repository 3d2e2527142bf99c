//===- jit/Optimizer.h - The IR pipeline of a batch -------------*- C++ -*-===//
//
// Private to jit/. Run by the session's IRTransformLayer transform on each
// module before code generation.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_OPTIMIZER_H
#define SPL_JIT_OPTIMIZER_H

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace spl::jit {

/// Level 0 only promotes locals to registers (mem2reg), which makes fast
/// instruction selection both quicker and better; levels 1..3 run LLVM's
/// standard per-module pipelines, tuned for TM.
void optimizeModule(llvm::Module &M, unsigned Level, llvm::TargetMachine &TM);

} // namespace spl::jit

#endif // SPL_JIT_OPTIMIZER_H
