//===- fuzz/FuzzText.cpp - libFuzzer target: the text parser --------------===//
//
// Any bytes into mir::parseText. A module it accepts that also verifies must
// survive printText -> parseText unchanged (docs/MIR-TEXT.md: the text form
// is lossless): a difference is a finding like a crash.
//
//===----------------------------------------------------------------------===//

#include "mir/MIR.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  using namespace spl;
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<mir::Module> M = mir::parseText(Text, "<fuzz>");
  if (!M) {
    llvm::consumeError(M.takeError());
    return 0;
  }
  if (llvm::Error E = mir::verify(*M)) {
    llvm::consumeError(std::move(E));
    return 0;
  }
  std::string Out = mir::printText(*M);
  llvm::Expected<mir::Module> Again = mir::parseText(Out, "<printed>");
  if (!Again) {
    std::fprintf(stderr, "round trip: the printed text does not parse: %s\n%s\n",
                 llvm::toString(Again.takeError()).c_str(), Out.c_str());
    std::abort();
  }
  if (!(*Again == *M)) {
    std::fprintf(stderr, "round trip: the module changed:\n%s\n", Out.c_str());
    std::abort();
  }
  return 0;
}
