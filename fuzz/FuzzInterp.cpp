//===- fuzz/FuzzInterp.cpp - libFuzzer target: run on the interpreter -----===//
//
// First byte: text (even) or JSON (odd); then parse, verify, and run every
// zero-parameter function on a fresh interpreter, under the bound of
// boundedRunAllowed (fuzz/FuzzSupport.h). Runtime errors and exit requests
// are ordinary outcomes; crashes, sanitizer reports, leaks and hangs are
// findings. No host symbols: a program reaches only the runtime and the
// builtins, never libc's abort or exit.
//
//===----------------------------------------------------------------------===//

#include "fuzz/FuzzSupport.h"
#include "interp/Interpreter.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  using namespace spl;
  fuzz::registerRuntimeArena();
  std::optional<mir::Module> M = fuzz::loadVerified(Data, Size);
  if (!M || !fuzz::boundedRunAllowed(*M))
    return 0;
  interp::Options O;
  O.MaxCallDepth = 6; // with boundedRunAllowed's fan-out: < 4^6 calls
  O.Resolve.HostLookup = false;
  auto I = interp::Interpreter::create(O);
  if (!I) {
    llvm::consumeError(I.takeError());
    return 0;
  }
  if (llvm::Error E = (*I)->loadVerified(*M)) {
    llvm::consumeError(std::move(E));
    return 0;
  }
  for (const mir::Function &F : M->Functions) {
    if (!F.Sig.Params.empty())
      continue;
    llvm::Expected<uint64_t> R = (*I)->call(F.Name, {});
    if (!R)
      llvm::consumeError(R.takeError());
  }
  return 0;
}
