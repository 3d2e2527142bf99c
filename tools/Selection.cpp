//===- tools/Selection.cpp - Backend selection flags ----------------------===//
//
// The same words as the Simple CLI: --backend=auto|interpreter|llvm,
// --interpret and --no-jit (= interpreter), --jit-threshold=N, -O0..-O3;
// a flag left out stays unset in Options, so libspl_exec.so fills it from
// the environment (exec_manager/Environment.cpp) exactly as for any other
// host. Flags win over the environment.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"


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
                        "(default: $SIMPLE_NO_JIT, $SIMPLE_JIT_BACKEND or "
                        "$SIMPLE_EXECUTION_MODE, else auto)"),
    cl::value_desc("name"), cl::cat(SelectionCat), cl::sub(runCmd()),
    cl::sub(replCmd()));
cl::opt<bool> InterpretFlag("interpret", cl::desc("Same as --backend=interpreter"),
                            cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> NoJitFlag("no-jit", cl::desc("Same as --backend=interpreter"),
                        cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<unsigned> JitThresholdFlag(
    "jit-threshold",
    cl::desc("auto: interpreted calls of a function before it is compiled "
             "in the background (default: $SIMPLE_JIT_THRESHOLD, else 100)"),
    cl::value_desc("N"), cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<unsigned> JitLoopThresholdFlag(
    "jit-loop-threshold",
    cl::desc("auto: interpreted loop back-edges of a function before it is "
             "compiled (default: $SIMPLE_JIT_LOOP_THRESHOLD, else 1000)"),
    cl::value_desc("N"), cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> JitSyncFlag(
    "jit-sync",
    cl::desc("auto: compile a hot function before it goes on, on the thread "
             "that found it hot (also SIMPLE_JIT_SYNC=1)"),
    cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> NoOsrFlag(
    "no-osr",
    cl::desc("auto: a call running a hot loop stays in the interpreter until "
             "it returns (no on-stack replacement; also SIMPLE_JIT_OSR=0)"),
    cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<char> OptFlag("O", cl::desc("Optimisation level for JIT code: -O0 .. -O3 (default -O2)"),
                      cl::Prefix, cl::init('2'), cl::cat(SelectionCat),
                      cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<unsigned> MaxDepthFlag("max-call-depth",
                               cl::desc("Calls nested deeper end in a stack overflow error (default 10000)"),
                               cl::init(10000), cl::cat(SelectionCat),
                               cl::sub(runCmd()), cl::sub(replCmd()));
// Host limits (docs/RUNTIME.md "Limits").
cl::opt<uint64_t> TimeLimitFlag(
    "time-limit",
    cl::desc("A call running longer ends with \"time limit of MS ms "
             "exceeded\" (default 0: no limit)"),
    cl::value_desc("MS"), cl::init(0), cl::cat(SelectionCat),
    cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<uint64_t> MaxCodeBytesFlag(
    "max-code-bytes",
    cl::desc("JIT code memory the manager may hold; a compile past it is "
             "an error (default 0: no limit)"),
    cl::value_desc("N"), cl::init(0), cl::cat(SelectionCat),
    cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<uint64_t> MaxInputBytesFlag(
    "max-input-bytes",
    cl::desc("Largest MIR input accepted (default 268435456 = 256 MiB; 0: "
             "no limit)"),
    cl::value_desc("N"), cl::init(uint64_t(256) << 20), cl::cat(SelectionCat),
    cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> JitDebugFlag("jit-debug",
                           cl::desc("Register JIT code with GDB (GDB JIT interface)"),
                           cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> JitPerfFlag("jit-perf",
                          cl::desc("Make JIT code visible to perf (also SPL_JIT_PERF=1)"),
                          cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> NoHostSymbolsFlag(
    "no-host-symbols",
    cl::desc("Resolve externs in spl-exec's runtime, builtins and SFFI "
             "libraries only, not in the host process first"),
    cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
cl::opt<bool> NoCacheFlag(
    "no-cache",
    cl::desc("Neither read nor write the on-disk cache of compiled code "
             "(default: $SIMPLE_JIT_CACHE, else $XDG_CACHE_HOME/spl-exec)"),
    cl::cat(SelectionCat), cl::sub(runCmd()), cl::sub(replCmd()));
} // namespace

bool selectionOptions(Options &O) {
  if (InterpretFlag || NoJitFlag)
    O.Backend = "interpreter";
  else
    O.Backend = BackendFlag; // "" = the environment's choice

  if (OptFlag < '0' || OptFlag > '3') {
    errs() << "error: invalid optimisation level -O" << OptFlag
           << " (expected -O0, -O1, -O2 or -O3)\n";
    return false;
  }
  O.OptLevel = unsigned(OptFlag - '0');
  if (JitThresholdFlag.getNumOccurrences())
    O.JitThreshold = JitThresholdFlag;
  if (JitLoopThresholdFlag.getNumOccurrences())
    O.JitLoopThreshold = JitLoopThresholdFlag;
  if (JitSyncFlag)
    O.JitSync = true;
  if (NoOsrFlag)
    O.Osr = false;
  O.MaxCallDepth = MaxDepthFlag;
  O.TimeLimitMs = TimeLimitFlag;
  O.MaxCodeBytes = MaxCodeBytesFlag;
  O.MaxInputBytes = MaxInputBytesFlag;
  O.DebuggerSupport = JitDebugFlag;
  O.PerfSupport = JitPerfFlag;
  O.HostSymbols = !NoHostSymbolsFlag;
  if (NoCacheFlag)
    O.Cache.Enabled = false;
  return true;
}

/// Writes MSG about File as "FILE:LINE:COL: error: TEXT" when the parser put
/// the position in front of it (it names the buffer File), else as
/// "FILE: error: MSG".
static void printFileError(StringRef File, StringRef Msg) {
  // The verifier ends its messages about text input with " (at L:C)": put
  // the position in front, where editors look for it.
  if (Msg.ends_with(")")) {
    size_t At = Msg.rfind(" (at ");
    if (At != StringRef::npos) {
      auto [Line, Col] = Msg.substr(At + 5).drop_back().split(':');
      if (!Line.empty() && all_of(Line, isDigit) && !Col.empty() &&
          all_of(Col, isDigit)) {
        errs() << File << ":" << Line << ":" << Col << ": error: "
               << Msg.take_front(At) << "\n";
        return;
      }
    }
  }
  StringRef Rest = Msg;
  if (Rest.consume_front(File) && Rest.consume_front(":")) {
    StringRef Line = Rest.take_while(isDigit);
    StringRef AfterLine = Rest.drop_front(Line.size());
    StringRef Col = AfterLine.consume_front(":") ? AfterLine.take_while(isDigit)
                                                 : StringRef();
    StringRef Text = AfterLine.drop_front(Col.size());
    if (!Line.empty() && !Col.empty() && Text.consume_front(":")) {
      errs() << File << ":" << Line << ":" << Col << ": error: "
             << Text.ltrim(' ') << "\n";
      return;
    }
    errs() << File << ": error: " << Rest.ltrim(' ') << "\n";
    return;
  }
  errs() << File << ": error: " << Msg << "\n";
}

int reportError(const ExecError &E, const std::string &File) {
  outs().flush();
  // Only load errors are about the file's content; a runtime error is
  // about the run.
  if (!File.empty() && E.K == ExecError::Kind::Load)
    printFileError(File, E.Message);
  else
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
