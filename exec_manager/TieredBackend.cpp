//===- exec_manager/TieredBackend.cpp - "auto": interpreter, then JIT -----===//
//
// Code starts in the interpreter, which loads fast. The whole program is
// compiled by the JIT, and every later call runs native code, at the first
// call that may run long (a loop, recursion or an indirect call is reachable:
// RunLength.cpp), or when a function has been called JitThreshold times.
// The interpreter cannot move a running loop to native code (no on-stack
// replacement yet), which is why the first signal is static.
// Promotion is all or nothing and never observable except in speed: if the
// JIT cannot take the program (a construct it rejects), the program stays
// interpreted.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/Backend.h"
#include "interp/Interpreter.h"
#include "jit/JIT.h"

#include "llvm/ADT/StringMap.h"

#include <atomic>
#include <mutex>

using namespace llvm;

namespace spl {
namespace {
class TieredBackend final : public Backend {
public:
  TieredBackend(std::unique_ptr<interp::Interpreter> I, const BackendConfig &C)
      : I(std::move(I)), Config(C) {}

  StringRef name() const override { return "auto"; }

  Error load(const mir::Module &M) override {
    std::lock_guard<std::mutex> L(Mu);
    if (Error E = I->load(M))
      return E;
    for (const mir::Function &F : M.Functions) {
      Program[F.Name] = F;
      BySymbol[F.Symbol] = Program.find(F.Name)->getKey();
    }
    if (!Promoted.load(std::memory_order_acquire)) {
      Modules.push_back(M);
      return Error::success();
    }
    // Already native: the JIT must take this module too, or calls into it
    // would silently run stale code. If it cannot, fall back for good.
    if (Error E = J->load(M)) {
      consumeError(std::move(E));
      Promoted.store(false, std::memory_order_release);
      Failed = true;
    }
    return Error::success();
  }

  Expected<uint64_t> call(StringRef Fn, ArrayRef<uint64_t> Args) override {
    if (Promoted.load(std::memory_order_acquire))
      return J->call(Fn, Args);
    if (shouldPromote(Fn) && promote())
      return J->call(Fn, Args);
    return I->call(Fn, Args);
  }

  void setOptLevel(unsigned Level) override {
    std::lock_guard<std::mutex> L(Mu);
    Config.OptLevel = Level;
    if (J)
      J->setOptLevel(Level);
  }

  void setCache(const std::string &Dir, uint64_t MaxBytes) override {
    std::lock_guard<std::mutex> L(Mu);
    Config.CacheDir = Dir;
    Config.CacheMaxBytes = MaxBytes;
    if (J) {
      jit::CacheOptions C;
      C.Directory = Dir;
      C.MaxBytes = MaxBytes;
      J->setCache(std::move(C));
    }
  }

  CompileStats stats() const override {
    return J ? compileStatsOf(J->stats()) : CompileStats();
  }

private:
  bool shouldPromote(StringRef Fn) {
    std::lock_guard<std::mutex> L(Mu);
    if (Failed)
      return false;
    unsigned &N = Counts[Fn];
    return ++N >= Config.JitThreshold || mayRunLong(Fn, Program, BySymbol);
  }

  /// Compiles every module loaded so far, in order; true when native code
  /// now serves all calls.
  bool promote() {
    std::lock_guard<std::mutex> L(Mu);
    if (Promoted.load(std::memory_order_acquire))
      return true;
    if (Failed)
      return false;
    jit::Options O;
    O.OptLevel = Config.OptLevel;
    O.MaxCallDepth = Config.MaxCallDepth;
    O.DebuggerSupport = Config.DebuggerSupport;
    O.PerfSupport = Config.PerfSupport;
    O.Globals = Config.Globals; // one set of cells for both tiers
    O.Resolve = Config.Resolve;
    O.CallbackErrors = Config.CallbackErrors;
    O.Cache.Directory = Config.CacheDir;
    O.Cache.MaxBytes = Config.CacheMaxBytes;
    O.Limits = Config.Limits;
    auto S = jit::Session::create(O);
    if (!S) {
      consumeError(S.takeError());
      Failed = true;
      return false;
    }
    for (const mir::Module &M : Modules)
      if (Error E = (*S)->load(M)) {
        consumeError(std::move(E));
        Failed = true;
        return false;
      }
    J = std::move(*S);
    Modules.clear();
    Promoted.store(true, std::memory_order_release);
    return true;
  }

  std::unique_ptr<interp::Interpreter> I;
  std::unique_ptr<jit::Session> J;
  BackendConfig Config;
  std::mutex Mu; // guards Counts, Modules, J's creation and Failed
  StringMap<unsigned> Counts;
  // The current definition of every function, for mayRunLong.
  StringMap<mir::Function> Program; // entries never move: keys stay valid
  DenseMap<int64_t, StringRef> BySymbol;
  std::vector<mir::Module> Modules; // loaded but not yet compiled
  std::atomic<bool> Promoted{false};
  bool Failed = false;
};
} // namespace

Expected<std::unique_ptr<Backend>> createTieredBackend(const BackendConfig &C) {
  interp::Options O;
  O.MaxCallDepth = C.MaxCallDepth;
  O.Globals = C.Globals;
  O.Resolve = C.Resolve;
  O.CallbackErrors = C.CallbackErrors;
  O.Limits = C.Limits;
  auto I = interp::Interpreter::create(O);
  if (!I)
    return I.takeError();
  return std::make_unique<TieredBackend>(std::move(*I), C);
}

} // namespace spl
