//===- jit/codegen/Entry.cpp - What libspl_exec_codegen.so exports --------===//
//
// The library's one exported symbol. The library keeps its own copy of
// LLVM, so LLVM's internal options (-print-after-all, -debug-pass-manager,
// ...) given to the host's copy never reach its passes: they come from the
// environment, SPL_LLVM_ARGS, read once when the library is loaded.
//
//===----------------------------------------------------------------------===//
#include "jit/CodeGen.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

using namespace spl::jit;

extern "C" __attribute__((visibility("default"))) CodeGen *
spl_exec_codegen_plugin(uint64_t Layout) {
  if (Layout != codeGenLayout())
    return nullptr;
  static const bool OptionsRead = [] {
    const char *Argv[] = {"spl-exec"};
    // A bad option is reported on stderr and the rest still apply; it is a
    // debugging aid, not a reason to refuse to compile.
    llvm::cl::ParseCommandLineOptions(1, Argv, "", &llvm::errs(),
                                      "SPL_LLVM_ARGS");
    return true;
  }();
  (void)OptionsRead;
  std::string Why;
  return codeGen(Why);
}
