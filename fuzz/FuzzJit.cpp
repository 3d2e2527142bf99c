//===- fuzz/FuzzJit.cpp - libFuzzer target: compile with the llvm backend -===//
//
// First byte: text (even) or JSON (odd); then parse, verify, and compile at
// -O0 on a fresh JIT session (lowering, LLVM's verifier, codegen, ORC
// linking). Nothing is executed. Load errors are ordinary outcomes;
// crashes, sanitizer reports, LLVM fatal errors and leaks are findings.
//
//===----------------------------------------------------------------------===//

#include "fuzz/FuzzSupport.h"
#include "jit/JIT.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  using namespace spl;
  std::optional<mir::Module> M = fuzz::loadVerified(Data, Size);
  if (!M)
    return 0;
  jit::Options O;
  O.OptLevel = 0;
  O.Resolve.HostLookup = false;
  auto S = jit::Session::create(O);
  if (!S) {
    llvm::consumeError(S.takeError());
    return 0;
  }
  if (llvm::Error E = (*S)->load(*M))
    llvm::consumeError(std::move(E));
  return 0;
}
