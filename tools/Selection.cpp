//===- tools/Selection.cpp - Backend selection flags ----------------------===//
//
// The same words as the Simple CLI: --backend=auto|interpreter|llvm,
// --interpret and --no-jit (= interpreter), --jit-threshold=N, -O0..-O3;
// environment SIMPLE_JIT_BACKEND, SIMPLE_EXECUTION_MODE, SIMPLE_JIT_THRESHOLD,
// SIMPLE_NO_JIT. Flags win over the environment.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace llvm;

namespace spl::tool {

cl::SubCommand &runCmd() {
  static cl::SubCommand S("run", "Run a MIR program (JSON or text)");
  return S;
}
cl::SubCommand &convertCmd() {
  static cl::SubCommand S("convert", "Convert MIR between JSON and text");
  return S;
}
cl::SubCommand &replCmd() {
  static cl::SubCommand S("repl", "Interactive MIR session");
  return S;
}
cl::SubCommand &benchCmd() {
  static cl::SubCommand S("bench", "Benchmark MIR programs under every backend "
                                   "against their C twins");
  return S;
}

namespace {
cl::OptionCategory SelectionCat("Backend selection");

cl::opt<std::string> BackendFlag(
    "backend", cl::desc("Execution backend: auto, interpreter (interp), llvm "
                        "(default: $SIMPLE_JIT_BACKEND, else auto)"),
    cl::value_desc("name"), cl::cat(SelectionCat), cl::sub(runCmd()),
    cl::sub(replCmd()));
cl::opt<bool> InterpretFlag("interpret", cl::desc("Same as --backend=interpreter"),
                            cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> NoJitFlag("no-jit", cl::desc("Same as --backend=interpreter"),
                        cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<unsigned> JitThresholdFlag(
    "jit-threshold",
    cl::desc("auto: calls of a function before it is JIT-compiled "
             "(default: $SIMPLE_JIT_THRESHOLD, else 2)"),
    cl::value_desc("N"), cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<char> OptFlag("O", cl::desc("Optimisation level for JIT code: -O0 .. -O3 (default -O2)"),
                      cl::Prefix, cl::init('2'), cl::cat(SelectionCat),
                      cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<unsigned> MaxDepthFlag("max-call-depth",
                               cl::desc("Calls nested deeper end in a stack overflow error (default 10000)"),
                               cl::init(10000), cl::cat(SelectionCat),
                               cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> JitDebugFlag("jit-debug",
                           cl::desc("Register JIT code with GDB (GDB JIT interface)"),
                           cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> JitPerfFlag("jit-perf",
                          cl::desc("Make JIT code visible to perf (also SPL_JIT_PERF=1)"),
                          cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
} // namespace

bool selectionOptions(Options &O) {
  if (InterpretFlag || NoJitFlag)
    O.Backend = "interpreter";
  else if (!BackendFlag.empty())
    O.Backend = BackendFlag;
  else
    O.Backend = ExecManager::defaultBackend();

  if (OptFlag < '0' || OptFlag > '3') {
    errs() << "error: invalid optimisation level -O" << OptFlag
           << " (expected -O0, -O1, -O2 or -O3)\n";
    return false;
  }
  O.OptLevel = unsigned(OptFlag - '0');

  O.JitThreshold = 2;
  if (JitThresholdFlag.getNumOccurrences()) {
    O.JitThreshold = JitThresholdFlag;
  } else if (const char *T = std::getenv("SIMPLE_JIT_THRESHOLD"); T && *T) {
    unsigned N;
    if (!to_integer(StringRef(T), N, 10)) {
      errs() << "error: SIMPLE_JIT_THRESHOLD must be a whole number, got `"
             << T << "`\n";
      return false;
    }
    O.JitThreshold = N;
  }
  O.MaxCallDepth = MaxDepthFlag;
  O.DebuggerSupport = JitDebugFlag;
  const char *Perf = std::getenv("SPL_JIT_PERF");
  O.PerfSupport = JitPerfFlag || (Perf && StringRef(Perf) == "1");
  return true;
}

int reportError(const ExecError &E) {
  outs().flush();
  errs() << "error: " << E.Message << "\n";
  switch (E.K) {
  case ExecError::Kind::Usage: return ExitUsage;
  case ExecError::Kind::Runtime: return ExitRuntimeError;
  case ExecError::Kind::Exit: return E.ExitCode & 255;
  case ExecError::Kind::Load: return ExitLoadError;
  }
  return ExitLoadError;
}

} // namespace spl::tool
