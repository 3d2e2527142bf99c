//===- benchmarks/interp_bench.cpp - Time one MIR function in the interpreter
//
// interp_bench FILE.json [FUNCTION [REPETITIONS]]: loads the module into an
// interp::Interpreter, calls FUNCTION (default main, no arguments) that many
// times and prints the result and the median time of one call. Load time is
// not included. Compare with the C twins (interp_*.c, built with -O2);
// interp_measure.sh builds this driver and the twins and prints the ratios.
//
//===----------------------------------------------------------------------===//

#include "interp/Interpreter.h"
#include "mir/MIR.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <vector>

using namespace spl;

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    llvm::errs() << "usage: interp_bench FILE.json [FUNCTION [REPETITIONS]]\n";
    return 2;
  }
  std::string Fn = Argc > 2 ? Argv[2] : "main";
  int Reps = Argc > 3 ? std::atoi(Argv[3]) : 5;
  auto Buf = llvm::MemoryBuffer::getFile(Argv[1]);
  if (!Buf) {
    llvm::errs() << "cannot read " << Argv[1] << "\n";
    return 1;
  }
  auto M = mir::readJSON((*Buf)->getBuffer());
  if (!M) {
    llvm::errs() << llvm::toString(M.takeError()) << "\n";
    return 1;
  }
  auto I = llvm::cantFail(interp::Interpreter::create());
  if (llvm::Error E = I->load(*M)) {
    llvm::errs() << llvm::toString(std::move(E)) << "\n";
    return 1;
  }
  std::vector<double> Ms;
  uint64_t Result = 0;
  for (int R = 0; R < Reps; ++R) {
    auto T0 = std::chrono::steady_clock::now();
    auto V = I->call(Fn, {});
    auto T1 = std::chrono::steady_clock::now();
    if (!V) {
      llvm::errs() << llvm::toString(V.takeError()) << "\n";
      return 1;
    }
    Result = *V;
    Ms.push_back(std::chrono::duration<double, std::milli>(T1 - T0).count());
  }
  std::sort(Ms.begin(), Ms.end());
  llvm::outs() << int64_t(Result) << " " << llvm::format("%.3f", Ms[Ms.size() / 2])
               << " ms (median of " << Reps << ")\n";
  return 0;
}
