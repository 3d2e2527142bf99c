//===- jit/SessionImpl.h - The state of one JIT session ---------*- C++ -*-===//
//
// Private to jit/. Files:
//   Session.cpp     the Session interface over Impl, call(), externAddress()
//   SessionCreate.cpp Session::create in process (not in the plugin)
//   OrcSetup.cpp    building the LLJIT: the host, the per-level compiler,
//                   runtime symbols
//   Load.cpp        load(): batches, stubs, redefinition, extern binding
//   Tooling.cpp     debugger and perf support
//   CompileCache.cpp module -> object: the cache, else the code generator
//                   (CodeGen.h)
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_SESSIONIMPL_H
#define SPL_JIT_SESSIONIMPL_H

#include "Lowering.h"
#include "ObjectCache.h"
#include "jit/JIT.h"

#include "ffi/FFI.h"

#include "llvm/ExecutionEngine/Orc/IndirectionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <atomic>
#include <utility>

#include <chrono>

namespace spl::jit {

/// JITLink memory from Inner, refusing allocations past Limit bytes in use
/// (0: no limit); CodeMemory.cpp.
std::unique_ptr<llvm::jitlink::JITLinkMemoryManager>
makeCappedMemoryManager(llvm::jitlink::JITLinkMemoryManager &Inner,
                        const std::atomic<uint64_t> &Limit);
/// The text of the last allocation MM (made by makeCappedMemoryManager)
/// refused for the limit, once.
std::optional<std::string>
takeCodeMemoryRefusal(llvm::jitlink::JITLinkMemoryManager &MM);

/// Turns an error of this side into one for the caller of Session's methods
/// on the other side of the boundary (Boundary.h).
using ErrorExport = llvm::Error (*)(llvm::Error);
/// The Session over a new Impl (Session.cpp). Opts.Globals and Opts.Limits
/// must be set (Session::create does, in process; the core, for the plugin).
/// Out is null in process.
llvm::Expected<std::unique_ptr<Session>> makeSession(Options Opts,
                                                     ErrorExport Out);

/// Milliseconds since T0, for Stats.
inline double msSince(std::chrono::steady_clock::time_point T0) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - T0)
      .count();
}

/// How one call of a constant callee was bound (Load.cpp "Signatures").
struct CallRecord {
  bool Extern = false;
  std::string Target; // the extern's or the program function's name
  /// The callee's signature when the caller was first lowered; none: each
  /// call is bound to its own call-site signature.
  std::optional<mir::Signature> Known;
};

/// A call through a callee's stub, as lowered: the signature it was bound
/// to, and whether it was lowered as a call (Live) or as the
/// stale-signature trap.
struct StubEdge {
  std::string Callee;
  mir::Signature Bound;
  bool Live = true;
};

/// What the session knows about one loaded MIR function.
struct FunctionRecord {
  std::shared_ptr<const mir::Module> Scope; // keeps F alive
  const mir::Function *F = nullptr;
  unsigned Batch = 0; // the batch holding its current body
  llvm::orc::ExecutorAddr Entry;
  /// Functions of its batch it calls directly: if one of them is
  /// redefined, this one must be lowered again (see Load.cpp).
  llvm::StringSet<> DirectCallees;
  /// Its calls of constant callees by key (a name or "#<symbol>"), as first
  /// bound, so lowering it again binds them the same way.
  llvm::StringMap<CallRecord> Bindings;
  std::vector<StubEdge> StubEdges;
};

/// What Session::call through a handle reads: one immutable entry per
/// (re)definition, published with one pointer store.
struct EntryInfo {
  llvm::orc::ExecutorAddr Entry;
  size_t NumParams = 0;
};
struct CallHandle {
  std::string Name;
  std::atomic<const EntryInfo *> Current{nullptr};
};


/// One load()'s compiled module.
struct BatchRecord {
  llvm::orc::ResourceTrackerSP Tracker;
  unsigned Live = 0; // functions whose current body is in this batch
  /// (osr) It has continuations: kept while the session lives.
  bool HoldsContinuations = false;
};

/// Where a function's stub points.
enum class StubState : uint8_t {
  Empty,      // made, never pointed anywhere (never called yet)
  Trampoline, // at the UndefinedFunction trampoline
  Defined,    // at the function's body
  Host,       // at a trampoline into the host's function
};

class Session::Impl {
public:
  static llvm::Expected<std::unique_ptr<Impl>> create(Options Opts);
  ~Impl();

  llvm::Error load(const mir::Module &M);
  llvm::Error loadBatch(llvm::ArrayRef<FunctionInput> Functions,
                        llvm::ArrayRef<ContinuationInput> Continuations = {},
                        std::vector<mir::OSREntryFn> *OSREntries = nullptr);
  llvm::Expected<uint64_t> call(llvm::StringRef Name,
                                llvm::ArrayRef<uint64_t> Args);
  llvm::Expected<uint64_t> call(const CallHandle &H,
                                llvm::ArrayRef<uint64_t> Args);
  std::vector<std::string> dependents(llvm::StringRef Name,
                                      const mir::Signature &NewSig) const;
  llvm::Error forget(llvm::ArrayRef<std::string> Names);
  llvm::Expected<uint64_t> externAddress(llvm::StringRef Name);

  // OrcSetup.cpp
  llvm::Error setUpJIT();

  // CompileCache.cpp
  void setCache(CacheOptions C);
  /// The object code of M (a batch or aux module as lowered).
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
  compileModule(llvm::Module &M);

  // Tooling.cpp
  llvm::Error enableTooling();
  /// (guard) JIT'd functions in ffi's code-range table (CodeRanges.cpp).
  llvm::Error registerCodeRanges();

  // Load.cpp
  /// Name resolved through ffi::resolveExtern (once per session).
  llvm::Expected<const ffi::ExternBinding &> binding(llvm::StringRef Name);
  /// Makes the extern Name callable from JIT code: an absolute symbol at
  /// its binding's address.
  llvm::Error bindExtern(llvm::StringRef Name);
  llvm::Error ensureStub(llvm::StringRef Name, llvm::orc::SymbolMap &NewSyms);
  /// The symbol of the trampoline into the host's Handle with signature
  /// Sig: known already, or made now and added to Pending (built by the next
  /// buildAux).
  std::string hostTrampoline(llvm::StringRef Name, const void *Handle,
                             const mir::Signature &Sig,
                             std::vector<HostTrampoline> &Pending);
  /// Defines the absolute symbol of the host's call function (once).
  llvm::Error bindHostCall();
  /// Compiles an aux module of trampolines and adapters and returns the
  /// addresses of what it defines (Load.cpp).
  llvm::Expected<llvm::orc::SymbolMap>
  addAux(llvm::ArrayRef<std::string> Undefined,
         llvm::ArrayRef<AdapterRequest> Adapters,
         llvm::ArrayRef<HostTrampoline> Host,
         llvm::orc::ResourceTrackerSP &Tracker);
  /// Frees the code of batches no function uses any more, unless code may
  /// be running (Options::CodeInUse): then at a later load.
  void releaseDeadBatches();
  /// Points Name's stubs (by name and by symbol id) at Addr.
  void pointStubs(llvm::StringRef Name, int64_t Symbol,
                  llvm::orc::ExecutorAddr Addr, StubState State);

  Options Opts;
  unsigned OptLevel = 2;
  Stats St;
  bool Tooling = false; // debugger or perf support is on

  /// The host (triple, CPU, features, code model) the session compiles for.
  llvm::orc::JITTargetMachineBuilder Host{llvm::Triple()};
  /// JITLink's memory manager under the MaxCodeBytes cap (CodeMemory.cpp);
  /// outlives J, whose linking layer allocates from it.
  std::unique_ptr<llvm::jitlink::JITLinkMemoryManager> CodeMemory;
  std::unique_ptr<llvm::orc::LLJIT> J;
  std::unique_ptr<llvm::orc::IndirectStubsManager> Stubs;
  /// The first error the session's reporter got since the last take: why a
  /// module failed to compile (no code generator, a code generation
  /// error), which a lookup only reports as "Failed to materialize
  /// symbols". Set from compile threads, taken by load().
  std::mutex ReportedMu;
  std::optional<std::string> Reported;
  std::optional<std::string> takeReported() {
    std::lock_guard<std::mutex> G(ReportedMu);
    return std::exchange(Reported, std::nullopt);
  }

  llvm::StringMap<FunctionRecord> Functions;
  std::map<unsigned, BatchRecord> Batches;
  llvm::StringMap<StubState> StubStates;
  /// (callee, signature text) -> adapter symbol.
  std::map<std::pair<std::string, std::string>, std::string> Adapters;
  /// Symbol id -> name of every function loaded so far.
  llvm::DenseMap<int64_t, std::string> SymbolNames;
  /// Call handles by name (never removed: hosts keep them).
  llvm::StringMap<std::unique_ptr<CallHandle>> Handles;
  std::vector<std::unique_ptr<EntryInfo>> Entries; // what handles point to
  /// Session::calls running now (the default Options::CodeInUse).
  std::atomic<unsigned> Running{0};
  /// Batches with no live function, freed when no code runs.
  std::vector<llvm::orc::ResourceTrackerSP> Dead;
  /// (tiering) Trampolines into the host: (name, signature text) -> symbol;
  /// host function pointers: (name, signature text) -> absolute symbol.
  std::map<std::pair<std::string, std::string>, std::string> HostTrampolines,
      HostPointers;
  llvm::StringMap<llvm::orc::ExecutorAddr> HostTrampolineAddrs;
  /// UndefinedFunction trampolines made so far, by function name.
  llvm::StringMap<llvm::orc::ExecutorAddr> UndefAddrs;
  bool BoundHostCall = false; // spl.host.call defined
  llvm::StringMap<ffi::ExternBinding> Bindings;
  llvm::StringSet<> BoundExterns;
  /// What the main JITDylib defines from the start (Runtime.h).
  llvm::StringSet<> RuntimeNames;
  /// (v2) GlobalAddr cells: Options::Globals.
  std::shared_ptr<ffi::GlobalCells> Globals;
  /// The interrupt flag JIT code polls: Options::Limits.
  std::shared_ptr<ffi::CallLimits> Limits;
  std::vector<llvm::orc::ResourceTrackerSP> AuxTrackers;
  unsigned NextBatch = 1, NextAux = 1;

  /// Null when Opts.Cache has no directory.
  std::unique_ptr<ObjectCache> Cache;
  /// Filled by compileModule during one load(), folded into St.PerFunction:
  /// times by LLVM function name ("" = no one function), and the modules
  /// served from the cache.
  llvm::StringMap<double> OptimizeMsByFn, CodegenMsByFn;
  llvm::StringSet<> CachedModules;
  /// GlobalAddr cells already defined as absolute symbols (std::set: any
  /// int64 is a valid symbol, and DenseSet reserves two).
  std::set<int64_t> BoundCells;
  bool BoundPoll = false; // spl.poll.flag / spl.poll.limits defined
};

} // namespace spl::jit

#endif // SPL_JIT_SESSIONIMPL_H
