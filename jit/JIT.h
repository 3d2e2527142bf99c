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

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <memory>
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
  /// same name. All or nothing. Not to be called concurrently with call().
  virtual llvm::Error load(const mir::Module &M) = 0;

  virtual bool hasFunction(llvm::StringRef Name) const = 0;
  virtual const mir::Signature *signature(llvm::StringRef Name) const = 0;

  /// Runs Name with raw-slot arguments. Safe from several threads.
  virtual llvm::Expected<uint64_t> call(llvm::StringRef Name,
                                        llvm::ArrayRef<uint64_t> Args) = 0;

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
