//===- tests/jit/JitTestUtil.h - Running MIR on both backends ---*- C++ -*-===//
//
// A program is run on the interpreter or on the JIT at some -O level, and
// everything observable is collected in one Outcome: the exact stdout and
// either the raw return slot, the runtime error text, or the rt_exit code.
// Differential tests assert that two Outcomes are equal.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_JIT_JITTESTUTIL_H
#define SPL_TESTS_JIT_JITTESTUTIL_H

#include "jit/JIT.h"
#include "mir/MIR.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace spl::jit::test {

/// Where the SFFI test libraries are built (tests/sffi).
inline const std::string SffiDir = SPL_BINARY_DIR "/tests/sffi";
void useTestLibraries();

struct Outcome {
  std::string Stdout;
  /// "ret <u64>", "error: <text>" or "exit <code>".
  std::string Result;
  bool operator==(const Outcome &O) const {
    return Stdout == O.Stdout && Result == O.Result;
  }
};
std::ostream &operator<<(std::ostream &OS, const Outcome &O);

/// Who runs a program: the interpreter (Opt < 0) or the JIT at -O<Opt>.
struct Backend {
  int Opt;
  std::string name() const;
};
inline const Backend Interp{-1};
inline const Backend JitO0{0}, JitO1{1}, JitO2{2}, JitO3{3};

/// Parses text or JSON and verifies it; a failure fails the test and
/// returns an empty module.
mir::Module parse(const std::string &Text);

/// The error's text, consuming it ("<success>" if none).
std::string errorText(llvm::Error E);

/// Calls Fn with Args (raw slots) while capturing stdout.
Outcome callCapturing(const std::function<llvm::Expected<uint64_t>()> &Call);

/// Loads M into a fresh backend and runs Fn. A load error is returned as
/// the Outcome "load error: <text>".
Outcome run(const Backend &B, const mir::Module &M,
            const std::string &Fn = "main",
            const std::vector<uint64_t> &Args = {});

/// Asserts that the interpreter and the JIT at -O0 and -O2 agree on M,
/// and returns the interpreter's Outcome.
Outcome expectSameEverywhere(const mir::Module &M,
                             const std::string &Fn = "main",
                             const std::vector<uint64_t> &Args = {});

/// A JIT session that fails the test if it cannot be created.
std::unique_ptr<Session> newSession(Options Opts = {});

} // namespace spl::jit::test

#endif // SPL_TESTS_JIT_JITTESTUTIL_H
