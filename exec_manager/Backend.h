//===- exec_manager/Backend.h - Backends behind the exec manager -*- C++ -*-===//
//
// The face header of exec_manager/: the small interface every backend
// implements and the registry that creates them by name. ExecManager and the
// C API speak only to this interface, so a new backend plugs in by adding
// one registry row (Registry.cpp) and nothing above changes.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_EXEC_MANAGER_BACKEND_H
#define SPL_EXEC_MANAGER_BACKEND_H

#include "ffi/FFI.h"
#include "mir/MIR.h"
#include "spl/ExecManager.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace spl {

namespace jit {
struct Stats;
} // namespace jit

/// What a backend is created with (taken from spl::Options).
struct BackendConfig {
  unsigned OptLevel = 2;
  unsigned MaxCallDepth = mir::DefaultMaxCallDepth;
  /// auto (Options): thresholds, and whether tier-up compiles on the
  /// thread that found a function hot.
  unsigned JitThreshold = 2;
  unsigned JitLoopThreshold = 1000;
  bool JitSync = false;
  /// auto: running interpreted loops move to compiled code (on-stack
  /// replacement).
  bool Osr = true;
  /// Whether code of this manager may be running on some thread now (its
  /// calls in flight): JIT code of replaced functions is freed only when
  /// not.
  std::function<bool()> CodeInUse;
  bool DebuggerSupport = false;
  bool PerfSupport = false;
  std::function<void(std::string_view)> OnIR, OnAsm;
  /// One manager's GlobalAddr cells, shared by all its backends and tiers
  /// (createBackend makes them when null).
  std::shared_ptr<ffi::GlobalCells> Globals;
  ffi::ResolveOptions Resolve;
  /// (guard) Errors of C callbacks run with no execution running, kept for
  /// the manager's get_last_error (createBackend makes them when null).
  std::shared_ptr<ffi::CallbackErrors> CallbackErrors;
  /// The on-disk cache of compiled code: "" = none.
  std::string CacheDir;
  uint64_t CacheMaxBytes = 256ull << 20;
  /// The manager's interrupt flag, time budgets and code-memory cap, shared
  /// by all its backends and tiers.
  std::shared_ptr<ffi::CallLimits> Limits;
};

class Backend {
public:
  virtual ~Backend();
  virtual llvm::StringRef name() const = 0;
  /// Adds a verified module; all or nothing. Safe while other threads run
  /// calls (never concurrently with another load: the manager serialises
  /// them): a call sees the old definitions or the new ones, and never
  /// waits for the load.
  virtual llvm::Error load(const mir::Module &M) = 0;
  /// The handle call() takes for the function Name (loaded): stable while
  /// the backend lives, following redefinitions.
  virtual const void *lookup(llvm::StringRef Name) = 0;
  /// Raw 64-bit slots in and out (ffi/FFI.h describes the encoding). Safe
  /// from several threads, and from inside a call (a C callback).
  virtual llvm::Expected<uint64_t> call(const void *Fn,
                                        llvm::ArrayRef<uint64_t> Args) = 0;
  /// Where the loaded function Name runs and what it did (Name and Tier
  /// filled by every backend).
  virtual FunctionTier tier(llvm::StringRef Name) const = 0;
  /// auto: waits until queued tier-up compiles are done.
  virtual bool waitForTierUps(uint64_t TimeoutMs) { return true; }
  virtual void setOptLevel(unsigned Level) {}
  /// Where later compiles cache their code ("" = nowhere).
  virtual void setCache(const std::string &Dir, uint64_t MaxBytes) {}
  /// Phase times of the last load (zero where a backend has no such phase).
  virtual CompileStats stats() const { return {}; }
};

/// Creates the backend named Name (aliases accepted). Unknown or unavailable
/// names fail with a message that lists the available backends.
llvm::Expected<std::unique_ptr<Backend>>
createBackend(llvm::StringRef Name, const BackendConfig &Config);
/// Canonical names, in registry order.
std::vector<std::string> backendNames();
/// "interp" -> "interpreter"; "" if Name is not a backend.
std::string canonicalBackendName(llvm::StringRef Name);

// One factory per backend (each in its own .cpp), used by the registry.
llvm::Expected<std::unique_ptr<Backend>> createInterpreterBackend(const BackendConfig &);
llvm::Expected<std::unique_ptr<Backend>> createLLVMBackend(const BackendConfig &);
llvm::Expected<std::unique_ptr<Backend>> createTieredBackend(const BackendConfig &);

/// A JIT session's figures of its last load, as CompileStats (llvm and
/// auto; LLVMBackend.cpp).
CompileStats compileStatsOf(const jit::Stats &St);

/// Converts between host Values and raw slots of a MIR type.
uint64_t toRawSlot(const Value &V, const mir::Type &T);
Value fromRawSlot(uint64_t Raw, const mir::Type &T);

} // namespace spl

#endif // SPL_EXEC_MANAGER_BACKEND_H
