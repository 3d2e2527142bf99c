//===- exec_manager/Environment.cpp - Options from the environment --------===//
//
// Every SIMPLE_* / SPL_* variable that changes how a manager runs is read
// here and nowhere else (SFFI library lookup, SIMPLE_<LIB>_LIB and
// SIMPLE_SFFI_PATH, is ffi/'s business and read at load time). Variables are
// read when a manager is created, so a host that changes its environment
// affects only the managers it creates afterwards.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/Environment.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdlib>

using namespace llvm;

namespace spl::env {

static StringRef get(const char *Name) {
  const char *V = std::getenv(Name);
  return V ? StringRef(V) : StringRef();
}

std::string backend() {
  StringRef NoJit = get("SIMPLE_NO_JIT");
  if (!NoJit.empty() && NoJit != "0")
    return "interpreter";
  if (StringRef B = get("SIMPLE_JIT_BACKEND"); !B.empty())
    return B.str();
  std::string Mode = get("SIMPLE_EXECUTION_MODE").lower();
  if (Mode == "interpret" || Mode == "interpreter")
    return "interpreter";
  if (Mode == "llvm" || Mode == "jit")
    return "llvm";
  if (!Mode.empty())
    return Mode; // create() reports it as an unknown backend
  return "auto";
}

/// Fills an unset count from the variable Name, else Default.
static Error countFrom(std::optional<unsigned> &Out, const char *Name,
                       unsigned Default) {
  if (Out)
    return Error::success();
  Out = Default;
  StringRef T = get(Name);
  if (T.empty())
    return Error::success();
  unsigned N;
  if (!to_integer(T, N, 10))
    return createStringError(inconvertibleErrorCode(),
                             "%s must be a whole number, got `%s`", Name,
                             T.str().c_str());
  Out = N;
  return Error::success();
}

Expected<Options> resolve(const Options &O) {
  Options R = O;
  if (R.Backend.empty())
    R.Backend = backend();
  if (Error E =
          countFrom(R.JitThreshold, "SIMPLE_JIT_THRESHOLD", DefaultJitThreshold))
    return std::move(E);
  if (Error E = countFrom(R.JitLoopThreshold, "SIMPLE_JIT_LOOP_THRESHOLD",
                          DefaultJitLoopThreshold))
    return std::move(E);
  if (!R.JitSync)
    R.JitSync = get("SIMPLE_JIT_SYNC") == "1";
  if (!R.Osr)
    R.Osr = get("SIMPLE_JIT_OSR") != "0";
  // Only ever turns perf support on: it is a debugging aid a user adds to
  // a host they cannot rebuild.
  R.PerfSupport = R.PerfSupport || get("SPL_JIT_PERF") == "1";
  R.Cache = resolveCache(R.Cache);
  return R;
}

CacheOptions resolveCache(const CacheOptions &C) {
  CacheOptions R = C;
  StringRef Env = get("SIMPLE_JIT_CACHE");
  if (!R.Enabled)
    R.Enabled = Env != "0";
  if (!*R.Enabled)
    return R;
  if (R.Directory.empty() && !Env.empty() && Env != "0" && Env != "1")
    R.Directory = Env.str();
  // XDG base directories: a relative XDG_CACHE_HOME is to be ignored.
  if (StringRef X = get("XDG_CACHE_HOME");
      R.Directory.empty() && X.starts_with("/"))
    R.Directory = (X + "/spl-exec").str();
  if (StringRef H = get("HOME"); R.Directory.empty() && !H.empty())
    R.Directory = (H + "/.cache/spl-exec").str();
  if (R.Directory.empty())
    R.Enabled = false;
  return R;
}

} // namespace spl::env
