//===- spl/ExecManager.h - The spl-exec C++ API -----------------*- C++ -*-===//
//
// The C++ face of libspl_exec.so. Same model as the C API (exec_manager.h):
// compile MIR into a manager, call functions by name. Results are
// Result<T>/Status values in the style of llvm::Expected, without LLVM in
// this header.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_EXECMANAGER_H
#define SPL_EXECMANAGER_H

#include "spl/Value.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace spl {

/// Why something failed. ExitCode >= 0 when the program called rt_exit.
struct ExecError {
  enum class Kind { Load, Runtime, Exit, Usage };
  Kind K = Kind::Load;
  std::string Message;
  int ExitCode = -1;
};

/// A value or the ExecError that prevented it.
template <typename T> class Result {
public:
  Result(T V) : V(std::move(V)) {}
  Result(ExecError E) : V(std::move(E)) {}
  explicit operator bool() const { return V.index() == 0; }
  T &operator*() { return std::get<0>(V); }
  const T &operator*() const { return std::get<0>(V); }
  T *operator->() { return &std::get<0>(V); }
  const ExecError &error() const { return std::get<1>(V); }

private:
  std::variant<T, ExecError> V;
};

/// Success, or an ExecError.
class Status {
public:
  Status() = default;
  Status(ExecError E) : E(std::move(E)) {}
  explicit operator bool() const { return !E; }
  const ExecError &error() const { return *E; }

private:
  std::optional<ExecError> E;
};

/// The on-disk cache of compiled code (docs/CACHE.md): a later run of an
/// unchanged program loads its machine code instead of optimising and
/// compiling it again (llvm, and auto once it compiles).
struct CacheOptions {
  /// Unset: on, unless $SIMPLE_JIT_CACHE is 0.
  std::optional<bool> Enabled;
  /// "" = $SIMPLE_JIT_CACHE when it names a directory, else
  /// $XDG_CACHE_HOME/spl-exec, else $HOME/.cache/spl-exec (none: off).
  std::string Directory;
  /// Size cap; after a write the oldest entries go first.
  uint64_t MaxBytes = 256ull << 20;
};

struct Options {
  /// "auto", "interpreter"/"interp" or "llvm"; "" = environment, then auto.
  std::string Backend;
  unsigned OptLevel = 2;        // 0..3 (llvm, auto)
  /// auto: interpreted calls of a function before it is compiled (in the
  /// background); unset = $SIMPLE_JIT_THRESHOLD, else the measured default
  /// (docs/RUNTIME.md "Tiers").
  std::optional<unsigned> JitThreshold;
  /// auto: interpreted loop back-edges of a function (all its calls
  /// together) before it is compiled; unset = $SIMPLE_JIT_LOOP_THRESHOLD,
  /// else the measured default.
  std::optional<unsigned> JitLoopThreshold;
  /// auto: compile a hot function on the thread that found it hot, before
  /// it goes on (deterministic tier-up for tests), instead of in the
  /// background; unset = $SIMPLE_JIT_SYNC=1.
  std::optional<bool> JitSync;
  /// auto: a call running a hot loop in the interpreter moves to compiled
  /// code at a back-edge (on-stack replacement); unset = on unless
  /// $SIMPLE_JIT_OSR=0.
  std::optional<bool> Osr;
  /// Nested MIR calls before "stack overflow (call depth exceeded N)".
  unsigned MaxCallDepth = 10000;
  /// Host limits (docs/RUNTIME.md "Limits"). Milliseconds one call may run
  /// before it ends with "time limit of N ms exceeded"; 0 = no limit.
  uint64_t TimeLimitMs = 0;
  /// Bytes of JIT code and data the manager may hold at once (llvm, and
  /// auto once it compiles); a compile past it is a load error. 0 = none.
  uint64_t MaxCodeBytes = 0;
  /// The largest MIR input compile() takes (JSON or text): a larger one is a
  /// load error before any parsing. 0 = no limit.
  uint64_t MaxInputBytes = uint64_t(256) << 20;
  /// Externs resolve in the host process first (an embedding Simple host's
  /// own runtime functions), then in spl-exec's runtime, builtins and SFFI
  /// libraries (RUNTIME.md). False skips the host.
  bool HostSymbols = true;
  bool DebuggerSupport = false; // GDB sees JIT'd functions
  bool PerfSupport = false;     // perf sees JIT'd functions
  /// Receive the optimised LLVM IR / assembly of each compiled batch.
  std::function<void(std::string_view)> OnIR, OnAsm;
  CacheOptions Cache;
};

/// What one function of the last compile cost (llvm, and auto once it
/// compiled). Functions compiled together in one module split its
/// optimise/codegen time by the passes that ran on each; the rest (module
/// passes, object emission) is in CompileStats' totals only.
struct FunctionCompileStats {
  std::string Name;
  /// MIR instructions (terminators included) and LLVM IR instructions as
  /// lowered, before optimisation.
  unsigned MirInstructions = 0, IRInstructions = 0;
  double LowerMs = 0, OptimizeMs = 0, CodegenMs = 0;
  bool FromCache = false; // its machine code came from the on-disk cache
};

/// Phase times of the last compile, in milliseconds.
struct CompileStats {
  double ParseMs = 0, VerifyMs = 0, LowerMs = 0, OptimizeMs = 0,
         CodegenMs = 0, LoadMs = 0;
  /// Compiled modules loaded from / written to the cache, and the time
  /// spent hashing modules and reading and writing cache files.
  unsigned CacheHits = 0, CacheMisses = 0;
  double CacheMs = 0;
  std::vector<FunctionCompileStats> Functions;
};

/// Where one function runs (ExecManager::tiers): under auto, every function
/// starts interpreted and moves to native code once it gets hot
/// (docs/RUNTIME.md "Tiers").
struct FunctionTier {
  std::string Name;
  /// "interpreter", "queued" (hot, waiting for the compiler), "compiling",
  /// "native", or "failed" (the JIT refused it: it stays interpreted).
  std::string Tier;
  /// Interpreted calls and loop back-edges of its current definition (the
  /// llvm backend counts none).
  uint64_t Calls = 0, BackEdges = 0;
  /// Running interpreted calls that moved to compiled code at a loop
  /// back-edge (on-stack replacement).
  uint64_t OsrEntries = 0;
  /// Milliseconds since the manager was created when it got hot and when
  /// its native code was published (-1: not yet).
  double HotMs = -1, PromotedMs = -1;
  /// Its share of its tier-up batch's compile time (lower + optimise +
  /// codegen), and that batch's number (0: none).
  double CompileMs = 0;
  unsigned Batch = 0;
  /// Why the JIT refused it ("failed").
  std::string Error;
};

class ExecManager;

/// A function of one manager, found once by name (ExecManager::lookup): a
/// call through it needs no name lookup, and it follows redefinitions (it
/// names the function, not one definition). Copyable; valid while its
/// manager lives.
class FunctionHandle {
public:
  FunctionHandle() = default;
  explicit operator bool() const { return E != nullptr; }
  /// The function's name ("" for a null handle).
  const std::string &name() const;

  struct Entry;

private:
  friend class ExecManager;
  std::shared_ptr<const Entry> E;
};

struct ExternInfo {
  std::string Name;
  std::string Where; // "builtin", the library path, or why it failed
  bool Resolved = false;
};

class ExecManager {
public:
  /// Fails on an unknown or unavailable backend, listing the available ones.
  static Result<std::unique_ptr<ExecManager>> create(const Options &O = {});
  /// Backend names that create() accepts, aliases excluded.
  static std::vector<std::string> availableBackends();
  /// The backend the environment selects (SIMPLE_JIT_BACKEND, ...), or "auto".
  static std::string defaultBackend();

  ~ExecManager();

  /// Adds MIR (JSON or text, sniffed): a module or a bare function. All or
  /// nothing. Functions replace earlier ones of the same name.
  Status compile(std::string_view Source, std::string_view BufferName = "<input>");
  Result<Value> call(std::string_view Fn, const std::vector<Value> &Args);
  /// As call, converting each integer/double to the parameter's type.
  Result<Value> callWithI64(std::string_view Fn, const std::vector<int64_t> &Args);
  Result<Value> callWithF64(std::string_view Fn, const std::vector<double> &Args);
  /// As call, each argument the 64-bit slot of its parameter (MIR.md "Types"):
  /// a float parameter takes the IEEE bits (F32 in the low 32), never a
  /// numeric conversion; an integer one is truncated to its width and
  /// extended by its signedness; a handle (text, array, struct ...) is the
  /// word. The result comes back the same way: a float as its bits (bits()),
  /// a handle as a Ptr value holding the word. What the C API needs for
  /// hosts that pass words (exec_manager.h).
  Result<Value> callWithBits(std::string_view Fn,
                             const std::vector<uint64_t> &Args);

  /// The handle of function Fn (an error when Fn is not defined now).
  Result<FunctionHandle> lookup(std::string_view Fn) const;
  /// call and callWithBits through a handle.
  Result<Value> call(const FunctionHandle &F, const std::vector<Value> &Args);
  Result<Value> callWithBits(const FunctionHandle &F,
                             const std::vector<uint64_t> &Args);

  bool hasFunction(std::string_view Fn) const;
  /// "fn(i64) -> i64", or "" if absent.
  std::string signature(std::string_view Fn) const;
  std::vector<std::string> functionNames() const;
  /// Whether Fn exists and returns text: {"Opaque":"str"} or a pointer to
  /// 8-bit integers (a char*).
  bool returnsText(std::string_view Fn) const;
  std::string backendName() const;
  void setOptLevel(unsigned Level);
  /// Replaces Options::Cache for later compiles (the environment fills what
  /// C leaves unset, as at create()).
  void setCache(const CacheOptions &C);

  /// Ends every call of this manager running at this moment, on any thread
  /// and backend, with "runtime error in `FN`: interrupted" (within
  /// milliseconds: code polls at function entries and loop back-edges).
  /// A call that starts later is not affected, so an interrupt while
  /// nothing runs is a no-op. Callable from any thread and from a signal
  /// handler (async-signal-safe: two lock-free atomic operations).
  void interrupt() noexcept;
  /// Options::TimeLimitMs for calls that start from now on.
  void setTimeLimit(uint64_t Ms);
  uint64_t timeLimit() const;
  /// Options::MaxCallDepth; only before the first compile (the JIT builds
  /// the limit into code), else a Usage error.
  Status setMaxCallDepth(unsigned Depth);
  /// Options::MaxCodeBytes, for allocations from now on.
  void setMaxCodeBytes(uint64_t Bytes);
  /// Options::MaxInputBytes, for compiles from now on.
  void setMaxInputBytes(uint64_t Bytes);
  uint64_t maxInputBytes() const;
  CompileStats lastCompileStats() const;
  /// Every function's tier, calls and back-edges, in arrival order
  /// (FunctionTier).
  std::vector<FunctionTier> tiers() const;
  /// auto: waits until every compile of a hot function queued so far has
  /// finished (for tests and reports; tier-up never needs it). False when
  /// TimeoutMs passed first.
  bool waitForTierUps(uint64_t TimeoutMs = 60000) const;
  /// (guard) The error of a MIR callback that C called on this thread with
  /// no execution running (it returned 0), if one happened since the last
  /// take; the C API's get_last_error reports it.
  std::optional<std::string> takeCallbackError();
  /// Each extern a compiled module calls and where it resolves.
  std::vector<ExternInfo> externs() const;
  /// The externs MIR source calls and where each resolves, without loading
  /// it (so unresolvable ones are listed with the reason, not an error).
  /// HostSymbols as in Options.
  static Result<std::vector<ExternInfo>>
  inspectExterns(std::string_view Source,
                 std::string_view BufferName = "<input>",
                 bool HostSymbols = true);

  class Impl;

private:
  explicit ExecManager(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> P;
};

} // namespace spl

#endif // SPL_EXECMANAGER_H
