//===- tools/spl-exec.cpp - The spl-exec command --------------------------===//
//
// spl-exec run | convert | repl | bench. Each subcommand is one file; this
// one only parses the command line and hands off.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace spl::tool;

static void printVersion(raw_ostream &OS) {
  OS << "spl-exec " SPL_EXEC_VERSION " (LLVM " LLVM_VERSION_STRING ")\n"
     << "backends: ";
  bool First = true;
  for (const std::string &B : spl::ExecManager::availableBackends()) {
    OS << (First ? "" : ", ") << B;
    First = false;
  }
  OS << "\n";
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::SetVersionPrinter(printVersion);
  cl::ParseCommandLineOptions(
      argc, argv,
      "spl-exec: run Simple's MIR in an interpreter or the LLVM ORC JIT\n\n"
      "  spl-exec run [--backend=auto|interpreter|llvm] [--entry=main] FILE [ARGS...]\n"
      "  spl-exec convert IN [-o OUT] [--to=json|text]\n"
      "  spl-exec repl [FILES...]\n"
      "  spl-exec bench [--programs=DIR] [--repetitions=N]\n\n"
      "Environment: SIMPLE_JIT_BACKEND, SIMPLE_EXECUTION_MODE (interpret|llvm|jit),\n"
      "SIMPLE_JIT_THRESHOLD, SIMPLE_NO_JIT=1, SIMPLE_SFFI_PATH, SIMPLE_<LIB>_LIB,\n"
      "SPL_JIT_PERF=1. Flags win over the environment.\n");
  if (runCmd())
    return runMain();
  if (convertCmd())
    return convertMain();
  if (replCmd())
    return replMain();
  if (benchCmd())
    return benchMain();
  errs() << "error: no subcommand given (run, convert, repl, bench); see "
            "spl-exec --help\n";
  return ExitUsage;
}
