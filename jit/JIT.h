//===- jit/JIT.h - The LLVM ORC backend -------------------------*- C++ -*-===//
//
// The face header of jit/ (with Boundary.h, its half for the loader). MIR is
// lowered to LLVM IR one batch (one loaded module) at a time and compiled by
// an LLJIT session owned by a Session.
// Arguments and results are raw 64-bit slots (see ffi/FFI.h). No LLVM type
// appears in this header beyond Support's Error/Expected.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_JIT_H
#define SPL_JIT_JIT_H

#include "ffi/FFI.h"
#include "mir/MIR.h"
#include "mir/Semantics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spl::jit {

/// The on-disk cache of compiled modules (jit/ObjectCache.h, docs/CACHE.md).
struct CacheOptions {
  /// Where entries live; "" = no cache. The session creates it when needed.
  std::string Directory;
  /// After a write, the oldest entries (by modification time, which a hit
  /// refreshes) are removed until the directory holds at most this many bytes.
  uint64_t MaxBytes = 256ull << 20;
  /// Receives each warning (a bad entry ignored, an unwritable directory);
  /// unset = "warning: ..." on stderr.
  std::function<void(llvm::StringRef)> Warn;
};

/// Functions a session does not compile but its code may call: those of
/// the host that owns the session (auto: the interpreter). A call the
/// session cannot serve from its own code goes to the function's stub, which
/// points at a trampoline into the host (Load.cpp "Host functions"). All
/// methods are called with the session's load running (on its thread).
class HostFunctions {
public:
  virtual ~HostFunctions() = default;
  /// The host's handle of its function Name and its signature now; null
  /// when the host has no function of that name (undefined: calls trap).
  virtual const void *find(llvm::StringRef Name, mir::Signature &Sig) = 0;
  /// How Caller (a function the host gave the session) bound its call of the
  /// constant callee Key (a name, or "#<symbol id>") when the host loaded
  /// it, so native code binds it the same way; false when the host does not
  /// know (the session binds it itself).
  struct Binding {
    bool Extern = false;
    std::string Target;
    std::optional<mir::Signature> Known;
  };
  virtual bool binding(llvm::StringRef Caller, llvm::StringRef Key,
                       Binding &Out) = 0;
  /// The address a function-pointer value of Name with signature Sig has in
  /// the host (so pointers taken in either tier compare equal); 0: the
  /// session makes its own C adapter.
  virtual uint64_t functionPointer(llvm::StringRef Name,
                                   const mir::Signature &Sig) = 0;
  /// Runs the host function Fn (from find) with NumArgs raw-slot Args at call
  /// depth Depth; native code calls it inside its guarded execution.
  uint64_t (*Call)(const void *Fn, const uint64_t *Args, uint32_t NumArgs,
                   uint32_t Depth) = nullptr;
};

/// A session function's native entry (raw slots, at call depth Depth: the
/// shape interp::NativeEntry publishes).
using NativeEntry = void (*)(const uint64_t *Args, uint64_t *Ret,
                             uint32_t Depth);

/// (jit/ only) Session::beginHostCall's work.
void beginHostCall();

/// One function to compile, with the module it came from (its extern
/// declarations and sibling names decide how its calls resolve).
struct FunctionInput {
  std::shared_ptr<const mir::Module> Scope;
  const mir::Function *F = nullptr; // in Scope
};

/// (osr) A continuation to compile with a batch: code that continues a
/// running call of F (one of the batch's functions) of another tier from
/// its frame image (mir/Semantics.h) at one of Image's target blocks.
struct ContinuationInput {
  const mir::Function *F = nullptr;
  const mir::FrameImage *Image = nullptr; // lives until load() returns
};

struct Options {
  unsigned OptLevel = 2; // 0..3
  unsigned MaxCallDepth = mir::DefaultMaxCallDepth;
  bool DebuggerSupport = false; // GDB JIT interface
  bool PerfSupport = false;     // perf map / jitdump (also SPL_JIT_PERF=1)
  llvm::raw_ostream *DumpIR = nullptr;  // optimised IR of each batch
  llvm::raw_ostream *DumpAsm = nullptr; // assembly of each batch
  /// GlobalAddr cells, shared with the other tier of an auto manager; null:
  /// the session makes its own.
  std::shared_ptr<ffi::GlobalCells> Globals;
  ffi::ResolveOptions Resolve;
  /// (guard) Where a trap of a C callback called with no execution running
  /// goes (the callback returns 0); null: stderr.
  std::shared_ptr<ffi::CallbackErrors> CallbackErrors;
  /// Off unless Cache.Directory is set (a dump, DumpIR or DumpAsm, also
  /// bypasses it: a cached module is never optimised, so nothing to print).
  CacheOptions Cache;
  /// The manager's interrupt flag, polled by JIT code at function entries
  /// and loop headers (its address is baked in); null: the session's own.
  /// Its MaxCodeBytes caps the JIT memory the session holds at once.
  std::shared_ptr<ffi::CallLimits> Limits;
  /// (tiering) The host's functions; null: none (calls of functions the
  /// session lacks trap UndefinedFunction).
  HostFunctions *Host = nullptr;
  /// Set (by another thread) when nobody waits for the compiles any more:
  /// a load in progress gives up soon (its optimiser skips its remaining
  /// passes) and fails. Null: never.
  const std::atomic<bool> *Cancel = nullptr;
  /// Whether code of this session may be running now on some thread: code
  /// of replaced functions is freed only when it is not (else at a later
  /// load, or when the session ends). Unset: never while a Session::call
  /// runs.
  std::function<bool()> CodeInUse;
};

/// What one function of the last load() cost. A batch is optimised and
/// compiled as one module: a function's optimise time is that of the pass
/// runs on it (and of inliner runs on its call-graph node), its codegen time
/// that of its machine code; what belongs to no one function (module passes,
/// object emission, adapters) is Stats' total minus the sum of these.
struct FunctionStats {
  std::string Name;
  unsigned Batch = 0;
  /// MIR instructions (terminators included), and LLVM IR instructions as
  /// lowered, before optimisation (its body, checked entry and wrapper).
  unsigned MirInstructions = 0, IRInstructions = 0;
  double LowerMs = 0, OptimizeMs = 0, CodegenMs = 0;
  /// Its batch's object came from the cache (no optimise, no codegen).
  bool Cached = false;
};

/// Times of the phases of the last load(), in milliseconds: MIR -> IR,
/// the IR pipeline, code generation, and the rest of load() (ORC linking,
/// symbol lookups, stubs). CreateMs is Session::create's own time.
struct Stats {
  double LowerMs = 0, OptimizeMs = 0, CodegenMs = 0, SessionMs = 0;
  double CreateMs = 0;
  /// Batches whose code is still loaded (a batch is released once every
  /// function in it has been redefined).
  unsigned LiveBatches = 0;
  /// MIR functions the last load() compiled (its module's, plus those
  /// lowered again because a function they call directly was redefined),
  /// and its compile time (LowerMs + OptimizeMs + CodegenMs) per function:
  /// the figure that stays flat when compile time is linear in the program.
  unsigned Functions = 0;
  double PerFunctionMs = 0;
  /// Modules of the last load() served from / added to the cache, and the
  /// time spent hashing them and reading and writing cache files.
  unsigned CacheHits = 0, CacheMisses = 0;
  double CacheMs = 0;
  /// One entry per function of the last load(), in batch order.
  std::vector<FunctionStats> PerFunction;
};

/// A JIT session: compiles loaded MIR, calls it. An interface: its
/// implementation (jit/Session.cpp) lives in libspl_exec_jit.so, which
/// libspl_exec.so loads the first time a backend creates a session
/// (exec_manager/JitLoader.cpp), or in the spl_jit archive linked into a test.
///
/// Adding a method: one pure virtual here and its override in jit/Session.cpp
/// (ORCSession). Arguments and results may be any type of this header, mir/
/// or ffi/ (both sides are built from the same headers); an llvm::Error or
/// Expected result goes through ORCSession's out() (the two libraries have
/// their own LLVM Support, so an error is handled on the side that made it:
/// jit/Boundary.h). A new call from jit/ into ffi/ or runtime/ is a service of
/// that boundary (the link of libspl_exec_jit.so fails until it is one).
class Session {
public:
  /// In libspl_exec.so: loads libspl_exec_jit.so once (the error names the
  /// file and why it failed), then creates a session there. In a program
  /// that links spl_jit: a session in process.
  static llvm::Expected<std::unique_ptr<Session>> create(Options Opts = {});
  virtual ~Session() = default;

  /// Compiles the functions of M as one batch, replacing functions of the
  /// same name. All or nothing. Safe while other threads run calls (not
  /// while another load runs): a call sees the old functions or the new.
  virtual llvm::Error load(const mir::Module &M) = 0;
  /// The same for functions of several modules (auto's tier-up batch: a hot
  /// function and its hot callees; calls among them are direct).
  virtual llvm::Error load(llvm::ArrayRef<FunctionInput> Functions) = 0;
  /// The same, with continuations of some of them in the batch (their calls
  /// of the batch's functions are direct); Entries receives one entry per
  /// continuation. A continuation's code stays while the session lives (a
  /// call may run in it however long).
  virtual llvm::Error
  load(llvm::ArrayRef<FunctionInput> Functions,
       llvm::ArrayRef<ContinuationInput> Continuations,
       std::vector<mir::OSREntryFn> &Entries) = 0;

  virtual bool hasFunction(llvm::StringRef Name) const = 0;
  virtual const mir::Signature *signature(llvm::StringRef Name) const = 0;

  /// A loaded function's handle (stable while the session lives; follows
  /// redefinitions), or null.
  virtual const void *lookup(llvm::StringRef Name) const = 0;
  /// Runs Name with raw-slot arguments. Safe from several threads.
  virtual llvm::Expected<uint64_t> call(llvm::StringRef Name,
                                        llvm::ArrayRef<uint64_t> Args) = 0;
  /// The same through a handle from lookup (no name lookup).
  virtual llvm::Expected<uint64_t>
  callHandle(const void *Handle, llvm::ArrayRef<uint64_t> Args) = 0;

  //===------------------------------------------------------------------===//
  // Tiering (auto)
  //===------------------------------------------------------------------===//

  /// Name's native entry (its code of the last load that compiled it), or
  /// null.
  virtual NativeEntry entryOf(llvm::StringRef Name) const = 0;
  /// The functions whose code must stop being used when Name is redefined
  /// with signature NewSig: those that reach Name by direct calls within
  /// their batch (they may have inlined it), and those that call its stub
  /// bound to another signature than NewSig. Name itself included when the
  /// session has it.
  virtual std::vector<std::string>
  dependents(llvm::StringRef Name, const mir::Signature &NewSig) const = 0;
  /// Drops Names from the session (the host runs them again): their stubs
  /// point into the host (Options::Host) from now on, their code is freed
  /// when no longer in use.
  virtual llvm::Error forget(llvm::ArrayRef<std::string> Names) = 0;
  /// Before a host call that may reach JIT code without call() (auto:
  /// through the interpreter): forgets the call depth an earlier call left
  /// for C callbacks on this thread, as call() does.
  virtual void beginHostCall() = 0;

  /// The address JIT code calls for an extern (for tests and --list-externs).
  virtual llvm::Expected<uint64_t> externAddress(llvm::StringRef Name) = 0;

  virtual void setOptLevel(unsigned Level) = 0;
  /// Replaces Options::Cache for later loads.
  virtual void setCache(CacheOptions C) = 0;
  virtual const Stats &stats() const = 0;

  class Impl;
};

} // namespace spl::jit

#endif // SPL_JIT_JIT_H
