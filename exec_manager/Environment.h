//===- exec_manager/Environment.h - Options from the environment -*- C++
//-*-===//
//
// The one place libspl_exec.so reads its environment variables, so a C host,
// a C++ host and the spl-exec command see the same choices. What the host
// set explicitly in spl::Options always wins over the environment.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_EXEC_MANAGER_ENVIRONMENT_H
#define SPL_EXEC_MANAGER_ENVIRONMENT_H

#include "spl/ExecManager.h"

#include "llvm/Support/Error.h"

#include <string>

namespace spl::env {

/// auto's thresholds when neither the host nor SIMPLE_JIT_THRESHOLD /
/// SIMPLE_JIT_LOOP_THRESHOLD says otherwise: interpreted calls and loop
/// back-edges of a function before it is compiled in the background. Chosen
/// by measurement (docs/RUNTIME.md "Tiers" has the figures): a compile costs
/// a few milliseconds on the compile thread, so a function that runs more
/// than ~a millisecond interpreted is worth it, and one that runs less is
/// not worth the core.
constexpr unsigned DefaultJitThreshold = 100;
constexpr unsigned DefaultJitLoopThreshold = 1000;

/// The backend the environment selects: SIMPLE_NO_JIT (non-empty, not "0")
/// = interpreter, else SIMPLE_JIT_BACKEND, else SIMPLE_EXECUTION_MODE
/// (interpret|interpreter|llvm|jit; anything else is passed on to be
/// reported as unknown), else "auto".
std::string backend();

/// O with every choice the host left unset taken from the environment:
/// Backend ("" = backend()), JitThreshold / JitLoopThreshold (unset =
/// SIMPLE_JIT_THRESHOLD / SIMPLE_JIT_LOOP_THRESHOLD, else the defaults),
/// JitSync (unset = SIMPLE_JIT_SYNC=1), PerfSupport (also on with
/// SPL_JIT_PERF=1) and Cache (resolveCache).
/// Fails on a malformed value, naming the variable.
llvm::Expected<Options> resolve(const Options &O);

/// C with what the host left unset from the environment: Enabled (unset =
/// off when SIMPLE_JIT_CACHE=0, else on) and Directory ("" = SIMPLE_JIT_CACHE
/// when it is neither 0 nor 1, else $XDG_CACHE_HOME/spl-exec when that is an
/// absolute path, else $HOME/.cache/spl-exec). Enabled comes back false when
/// no directory can be found (no HOME), so caching is then silently off.
CacheOptions resolveCache(const CacheOptions &C);

} // namespace spl::env

#endif // SPL_EXEC_MANAGER_ENVIRONMENT_H
