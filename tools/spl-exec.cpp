//===- tools/spl-exec.cpp - The spl-exec command --------------------------===//
//
// spl-exec run | convert | repl | bench. Each subcommand is one file; this
// one only parses the command line and hands off.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <new>

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

/// libLLVM registers hundreds of its own options (AMDGPU, Polly, colour ...)
/// at the top level, where --help would list them. Ours all live in
/// subcommands, so at the top level only cl's generic options (the category
/// of --help: --help, --help-list, --version) are spl-exec's: hide the rest.
/// cl::Hidden, not cl::HideUnrelatedOptions' ReallyHidden, so --help-hidden
/// still shows LLVM's options.
static void hideLLVMOptions() {
  StringMap<cl::Option *> &Top =
      cl::getRegisteredOptions(cl::SubCommand::getTopLevel());
  auto Help = Top.find("help");
  if (Help == Top.end())
    return;
  SmallVector<cl::OptionCategory *, 1> Generic = Help->second->Categories;
  for (auto &[Name, Opt] : Top) {
    bool IsGeneric = any_of(Opt->Categories, [&](cl::OptionCategory *C) {
      return is_contained(Generic, C);
    });
    if (!IsGeneric && Opt->getOptionHiddenFlag() == cl::NotHidden)
      Opt->setHiddenFlag(cl::Hidden);
  }
}

/// (guard) Out of memory while loading a program is its load error (the
/// library catches std::bad_alloc there), not LLVM's "out of memory" abort.
static void throwBadAlloc(void *, const char *, bool) {
  throw std::bad_alloc();
}

int main(int argc, char **argv) {
  // InitLLVM's crash handler serves the tool's own internal errors only: the
  // library installs its fault handler at the first guarded call, after this,
  // so a fault in a guarded call reaches ours first and everything else is
  // chained on to LLVM's.
  InitLLVM X(argc, argv);
  // InitLLVM's new-handler aborts before the library's bad_alloc handling
  // could run; let operator new throw instead.
  std::set_new_handler(nullptr);
  install_bad_alloc_error_handler(throwBadAlloc);
  cl::SetVersionPrinter(printVersion);
  hideLLVMOptions();
  // With an error stream, a bad flag returns here instead of exit(1): bad
  // flags exit 2, as the README promises.
  bool Parsed = cl::ParseCommandLineOptions(
      argc, argv,
      "spl-exec: run Simple's MIR in an interpreter or the LLVM ORC JIT\n\n"
      "  spl-exec run [--backend=auto|interpreter|llvm] [--entry=main] FILE [ARGS...]\n"
      "  spl-exec convert IN [-o OUT] [--to=json|text]\n"
      "  spl-exec repl [FILES...]\n"
      "  spl-exec bench [--quick] [--filter=RE] [--runs=N] [--json FILE] [--svg FILE] [--peers]\n\n"
      "Options go before FILE; `spl-exec SUBCOMMAND --help` lists them.\n"
      "Environment: SIMPLE_JIT_BACKEND, SIMPLE_EXECUTION_MODE (interpret|llvm|jit),\n"
      "SIMPLE_JIT_THRESHOLD, SIMPLE_NO_JIT=1, SIMPLE_SFFI_PATH, SIMPLE_<LIB>_LIB,\n"
      "SPL_JIT_PERF=1. Flags win over the environment. SPL_LLVM_ARGS: LLVM's\n"
      "own options, for its passes and code generator.\n",
      &errs());
  if (!Parsed)
    return ExitUsage;
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
