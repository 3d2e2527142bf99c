//===- tests/programs/Programs.h - The shared test programs -----*- C++ -*-===//
//
// tests/programs/NAME.mir holds one function (with the extern it needs),
// written once for every test and benchmark that runs it: the interrupt and
// limit tests, the JIT's poll tests and the interrupt-latency benchmark. The
// including target defines SPL_SOURCE_DIR (the source tree's root).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_PROGRAMS_PROGRAMS_H
#define SPL_TESTS_PROGRAMS_PROGRAMS_H

#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>

namespace spl::test_programs {

/// One module named Module holding the functions of the given files, in
/// order. A file that cannot be read is reported on stderr and left out,
/// so the calls of its function fail with "unknown function".
inline std::string programs(const char *Module,
                            std::initializer_list<const char *> Names) {
  std::string Text = std::string("module \"") + Module + "\"\n";
  for (const char *Name : Names) {
    std::string Path =
        std::string(SPL_SOURCE_DIR) + "/tests/programs/" + Name + ".mir";
    std::ifstream In(Path);
    if (!In) {
      std::fprintf(stderr, "cannot read %s\n", Path.c_str());
      continue;
    }
    std::ostringstream OS;
    OS << In.rdbuf();
    Text += "\n" + OS.str();
  }
  return Text;
}

} // namespace spl::test_programs

#endif // SPL_TESTS_PROGRAMS_PROGRAMS_H
