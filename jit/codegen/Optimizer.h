//===- jit/Optimizer.h - The IR pipeline of a batch -------------*- C++ -*-===//
//
// Private to jit/. Run by the session's IRTransformLayer transform on each
// module before code generation.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_OPTIMIZER_H
#define SPL_JIT_OPTIMIZER_H

#include <atomic>

#include "llvm/ADT/STLFunctionalExtras.h"

namespace llvm {
class Function;
class Module;
class TargetMachine;
} // namespace llvm

namespace spl::jit {

/// Level 0 only promotes locals to registers (mem2reg), which makes fast
/// instruction selection both quicker and better; levels 1..3 run LLVM's
/// standard per-module pipelines, tuned for TM.
/// Times, when given, receives the time of every pass run, less the passes
/// nested in it, with the function it ran on (a loop's, a one-function
/// call-graph node's), or null for module passes and larger nodes: the
/// per-function figures of `--stats`.
/// Cancel, when given and set, skips every pass from then on (a compile
/// nobody waits for any more: Options::Cancel).
using PassTimeSink = llvm::function_ref<void(const llvm::Function *, double)>;
void optimizeModule(llvm::Module &M, unsigned Level, llvm::TargetMachine &TM,
                    PassTimeSink Times = {},
                    const std::atomic<bool> *Cancel = nullptr);

} // namespace spl::jit

#endif // SPL_JIT_OPTIMIZER_H
