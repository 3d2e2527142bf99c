//===- jit/SessionImpl.h - The state of one JIT session ---------*- C++ -*-===//
//
// Private to jit/. Files:
//   Session.cpp     the public Session methods, call(), externAddress()
//   OrcSetup.cpp    building the LLJIT: target machines, the optimising
//                   transform, the per-level compiler, runtime symbols
//   Load.cpp        load(): batches, stubs, redefinition, extern binding
//   Tooling.cpp     IR/asm dumps, debugger and perf support
//   CompileCache.cpp module -> object: the cache, the optimiser, codegen
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
#include "llvm/Target/TargetMachine.h"

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <optional>
#include <string>

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

/// Milliseconds since T0, for Stats.
inline double msSince(std::chrono::steady_clock::time_point T0) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - T0)
      .count();
}

/// The target machines of a session: one per codegen level, taken on first
/// use from a process-wide pool and given back when the session ends, so
/// later sessions reuse them. (A machine is cheap to make, but its subtarget
/// -- instruction, register and lowering tables, built on first use -- costs
/// more than compiling a small module.) A machine serves one session at a
/// time: code generation with one machine is not thread-safe.
class TargetMachines {
public:
  explicit TargetMachines(llvm::orc::JITTargetMachineBuilder JTMB)
      : JTMB(std::move(JTMB)) {}
  ~TargetMachines();
  /// The machine that optimises and compiles batches of level Level.
  llvm::Expected<llvm::TargetMachine &> forLevel(unsigned Level);
  /// A separate machine for DumpAsm, so printing never touches the state of
  /// the one that compiles.
  llvm::Expected<llvm::TargetMachine &> forAsm(unsigned Level);
  const llvm::orc::JITTargetMachineBuilder &builder() const { return JTMB; }

private:
  llvm::orc::JITTargetMachineBuilder JTMB;
  std::array<std::unique_ptr<llvm::TargetMachine>, 4> Compile, Asm;
  std::mutex Mutex;
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
};

/// One load()'s compiled module.
struct BatchRecord {
  llvm::orc::ResourceTrackerSP Tracker;
  unsigned Live = 0; // functions whose current body is in this batch
};

/// Where a function's stub points.
enum class StubState : uint8_t {
  Empty,      // made, never pointed anywhere (never called yet)
  Trampoline, // at the UndefinedFunction trampoline
  Defined,    // at the function's body
};

class Session::Impl {
public:
  static llvm::Expected<std::unique_ptr<Impl>> create(Options Opts);
  ~Impl();

  llvm::Error load(const mir::Module &M);
  llvm::Expected<uint64_t> call(llvm::StringRef Name,
                                llvm::ArrayRef<uint64_t> Args);
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
  llvm::Error dumpModule(llvm::Module &M, unsigned Level);

  // Load.cpp
  /// Name resolved through ffi::resolveExtern (once per session).
  llvm::Expected<const ffi::ExternBinding &> binding(llvm::StringRef Name);
  /// Makes the extern Name callable from JIT code: an absolute symbol at
  /// its binding's address.
  llvm::Error bindExtern(llvm::StringRef Name);
  llvm::Error ensureStub(llvm::StringRef Name, llvm::orc::SymbolMap &NewSyms);

  Options Opts;
  unsigned OptLevel = 2;
  Stats St;
  bool Tooling = false; // debugger or perf support is on

  std::unique_ptr<TargetMachines> TMs;
  /// JITLink's memory manager under the MaxCodeBytes cap (CodeMemory.cpp);
  /// outlives J, whose linking layer allocates from it.
  std::unique_ptr<llvm::jitlink::JITLinkMemoryManager> CodeMemory;
  std::unique_ptr<llvm::orc::LLJIT> J;
  std::unique_ptr<llvm::orc::IndirectStubsManager> Stubs;

  llvm::StringMap<FunctionRecord> Functions;
  std::map<unsigned, BatchRecord> Batches;
  llvm::StringMap<StubState> StubStates;
  /// (callee, signature text) -> adapter symbol.
  std::map<std::pair<std::string, std::string>, std::string> Adapters;
  /// Symbol id -> name of every function loaded so far.
  llvm::DenseMap<int64_t, std::string> SymbolNames;
  llvm::StringMap<ffi::ExternBinding> Bindings;
  llvm::StringSet<> BoundExterns;
  /// What the main JITDylib defines from the start (Runtime.h).
  llvm::StringSet<> RuntimeNames;
  /// (v2) GlobalAddr cells: Options::Globals, or the session's own.
  std::shared_ptr<ffi::GlobalCells> Globals;
  /// The interrupt flag JIT code polls: Options::Limits, or the session's.
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
