//===- fuzz/FuzzJson.cpp - libFuzzer target: the JSON reader --------------===//
//
// Any bytes into mir::readJSON. A module it accepts that also verifies must
// survive the round trip writeJSON -> readJSON unchanged (the wire shape is
// the compiler's contract): a difference is a finding like a crash.
//
//===----------------------------------------------------------------------===//

#include "mir/MIR.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  using namespace spl;
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<mir::Module> M = mir::readJSON(Text);
  if (!M) {
    llvm::consumeError(M.takeError());
    return 0;
  }
  if (llvm::Error E = mir::verify(*M)) {
    llvm::consumeError(std::move(E));
    return 0;
  }
  std::string Out = mir::writeJSON(*M);
  llvm::Expected<mir::Module> Again = mir::readJSON(Out);
  if (!Again) {
    std::fprintf(stderr, "round trip: the written JSON does not read: %s\n",
                 llvm::toString(Again.takeError()).c_str());
    std::abort();
  }
  if (!(*Again == *M)) {
    std::fprintf(stderr, "round trip: the module changed:\n%s\n", Out.c_str());
    std::abort();
  }
  return 0;
}
