//===- fuzz/SeedGen.cpp - tests/random's programs as seed files -----------===//
//
//   fuzz_seedgen DIR N   writes DIR/random_S.mir for seeds 1..N, each
//                        tests/random's generateProgram(S) (text form).
//
//===----------------------------------------------------------------------===//

#include "tests/random/ProgramGen.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

int main(int Argc, char **Argv) {
  if (Argc != 3) {
    std::fprintf(stderr, "usage: fuzz_seedgen DIR N\n");
    return 2;
  }
  unsigned long N = std::strtoul(Argv[2], nullptr, 10);
  for (unsigned long S = 1; S <= N; ++S) {
    std::ofstream Out(std::string(Argv[1]) + "/random_" + std::to_string(S) +
                      ".mir");
    Out << spl::randomtest::generateProgram(S);
  }
  return 0;
}
