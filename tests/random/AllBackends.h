//===- tests/random/AllBackends.h - One program, every backend -*- C++ -*-===//
//
// A program (MIR text or JSON) is compiled into a fresh spl::ExecManager per
// backend, its entry is called, and everything observable is folded into one
// string: the exact stdout of each call and its result (the raw bits and
// type) or its error (kind and text). Two backends agree when the strings are
// equal.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_RANDOM_ALLBACKENDS_H
#define SPL_TESTS_RANDOM_ALLBACKENDS_H

#include "spl/ExecManager.h"

#include <optional>
#include <string>
#include <vector>

namespace spl::randomtest {

/// One way to run MIR through the exec manager.
struct BackendConfig {
  const char *Label;   // for messages: "interpreter", "llvm -O0", ...
  const char *Backend; // Options::Backend
  unsigned OptLevel;
  std::optional<unsigned> JitThreshold;
  /// auto: loop back-edges before a function is compiled, and whether the
  /// compile happens at the call that makes it hot.
  std::optional<unsigned> JitLoopThreshold = std::nullopt;
  bool JitSync = false;
};

/// interpreter, llvm -O0, llvm -O2, auto (thresholds 1 and 2, tier-up in
/// the background and at the hot call); only the one whose label
/// $SPL_RANDOM_BACKEND names, when it is set.
const std::vector<BackendConfig> &allBackends();

/// Compiles Source into a fresh manager of B and calls Fn with Args (as raw
/// slots, callWithBits) Times times in that manager. Returns, per call,
/// "<stdout>" followed by "=> ret <type> <bits>" or "=> <kind> error: <text>";
/// a failed create/compile is "create error: ..." / "load error: ...".
std::string runOn(const BackendConfig &B, const std::string &Source,
                  const std::string &Fn = "main",
                  const std::vector<uint64_t> &Args = {}, unsigned Times = 1);

} // namespace spl::randomtest

#endif // SPL_TESTS_RANDOM_ALLBACKENDS_H
