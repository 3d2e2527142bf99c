//===- fuzz/FuzzInterp.cpp - libFuzzer target: run on the interpreter -----===//
//
// First byte: text (even) or JSON (odd); then parse, verify, and run every
// zero-parameter function on a fresh interpreter, each call under a time
// budget of CallBudgetMs (the manager's TimeLimitMs mechanism: polls at
// function entries and back-edges), so programs with loops and recursion run
// too and end in the time-limit error. Only programs runAllowed accepts
// (fuzz/FuzzSupport.h: no computed addresses). Runtime errors, the time
// limit and exit requests are ordinary outcomes; crashes, sanitizer reports,
// leaks and hangs are findings. No host symbols: a program reaches only the
// runtime and the builtins, never libc's abort or exit.
//
//===----------------------------------------------------------------------===//

#include "fuzz/FuzzSupport.h"
#include "interp/Interpreter.h"

#include <cstdint>
#include <memory>

namespace {
/// Long enough for a loop to run many iterations under ASan, short enough
/// that an input of MaxFunctions loops stays far below libFuzzer's -timeout.
constexpr uint64_t CallBudgetMs = 10;
/// Deep enough to reach the stack-overflow error quickly from recursion.
constexpr unsigned FuzzMaxCallDepth = 64;

/// One CallLimits for the process: its watchdog thread is made once, not
/// per input.
const std::shared_ptr<spl::ffi::CallLimits> &limits() {
  static const std::shared_ptr<spl::ffi::CallLimits> L =
      std::make_shared<spl::ffi::CallLimits>();
  return L;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  using namespace spl;
  fuzz::registerRuntimeArena();
  std::optional<mir::Module> M = fuzz::loadVerified(Data, Size);
  if (!M || !fuzz::runAllowed(*M))
    return 0;
  interp::Options O;
  O.MaxCallDepth = FuzzMaxCallDepth;
  O.Resolve.HostLookup = false;
  O.Limits = limits();
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
    ffi::CallScope Scope(*limits(), CallBudgetMs);
    llvm::Expected<uint64_t> R = (*I)->call(F.Name, {});
    if (!R)
      llvm::consumeError(R.takeError());
  }
  return 0;
}
