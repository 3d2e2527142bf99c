//===- exec_manager/ExecManager.cpp - spl::ExecManager --------------------===//
//
// Owns one backend and what the host compiled into it: the signatures of
// every function (for argument conversion and has_function) and the externs
// each module calls (for --list-externs).
//
// Calls never wait for compiles. compile() runs one at a time (CompileMu),
// and loads into the backend holding no lock that calls take, so calls that
// run meanwhile (on other threads, or the very call a C callback compiles
// from) go on; only its last step, recording the new signatures, takes the
// table lock (Mu), which a call holds just long enough to find its
// function. A call then runs with no lock held.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/Backend.h"
#include "exec_manager/Environment.h"
#include "ffi/FFI.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Chrono.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <shared_mutex>

using namespace llvm;

namespace spl {

namespace {
using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point T) {
  return std::chrono::duration<double, std::milli>(Clock::now() - T).count();
}

ExecError toSplError(llvm::Error E, ExecError::Kind K) {
  ExecError Out;
  Out.K = K;
  handleAllErrors(
      std::move(E),
      [&](const ffi::ExitRequest &X) {
        Out.K = ExecError::Kind::Exit;
        Out.ExitCode = X.code();
        Out.Message = "program exited with code " + std::to_string(X.code());
      },
      [&](const ErrorInfoBase &X) { Out.Message = X.message(); });
  return Out;
}

/// Appends each extern M calls (declared or called by name) that is not in
/// Seen yet, with where it resolves or why it does not.
void collectExterns(const mir::Module &M, StringSet<> &Seen,
                    std::vector<ExternInfo> &Out,
                    const ffi::ResolveOptions &Opts) {
  auto Note = [&](StringRef Name) {
    if (!Seen.insert(Name).second)
      return;
    ExternInfo I;
    I.Name = Name.str();
    if (auto R = ffi::resolveExtern(Name, Opts)) {
      // host, runtime, builtin, or the library's path (RUNTIME.md).
      I.Where = R->Lib ? R->Lib->Path : ffi::externOriginName(R->Origin).str();
      I.Resolved = true;
    } else {
      I.Where = toString(R.takeError());
    }
    Out.push_back(std::move(I));
  };
  for (const mir::ExternDecl &D : M.Externs)
    Note(D.Name);
  auto NoteCallee = [&](const mir::Operand &Callee) {
    if (Callee.isConst() && Callee.constant().K == mir::Constant::Kind::Str &&
        ffi::isExternName(Callee.constant().S, M))
      Note(Callee.constant().S);
  };
  for (const mir::Function &F : M.Functions)
    for (const mir::Block &B : F.Blocks) {
      for (const mir::Inst &I : B.Insts)
        if (I.Op == mir::Opcode::Call)
          NoteCallee(I.callee());
      if (B.Term.K == mir::TermKind::CallTerminator)
        NoteCallee(B.Term.Callee);
    }
}

ExecError usage(std::string Msg) {
  ExecError E;
  E.K = ExecError::Kind::Usage;
  E.Message = std::move(Msg);
  return E;
}

/// Types whose value is one word only runtime functions look inside.
bool isHandleType(const mir::Type &T) {
  switch (T.Kind) {
  case mir::TypeKind::Array:
  case mir::TypeKind::Tuple:
  case mir::TypeKind::Struct:
  case mir::TypeKind::Opaque:
  case mir::TypeKind::Dict:
  case mir::TypeKind::Slice:
  case mir::TypeKind::Enum:
  case mir::TypeKind::Result:
  case mir::TypeKind::Union:
  case mir::TypeKind::Promise:
  case mir::TypeKind::Generator:
  case mir::TypeKind::Actor:
    return true;
  default:
    return false;
  }
}
} // namespace

/// One name of a manager: what a FunctionHandle holds.
struct FunctionHandle::Entry {
  std::string Name;
  const void *Fn = nullptr; // the backend's handle
  /// The current signature (under the manager's Mu).
  std::shared_ptr<const mir::Signature> Sig;
};

const std::string &FunctionHandle::name() const {
  static const std::string None;
  return E ? E->Name : None;
}

namespace {
using EntryPtr = std::shared_ptr<FunctionHandle::Entry>;

/// What one call needs from the table, copied under its lock.
struct Target {
  const void *Fn = nullptr;
  std::shared_ptr<const mir::Signature> Sig;
};

/// The function's target when it is defined and takes NArgs arguments.
Result<Target> targetFor(const FunctionHandle::Entry *E, StringRef Name,
                         size_t NArgs) {
  if (!E || !E->Sig)
    return toSplError(createStringError(inconvertibleErrorCode(),
                                        "runtime error: function `" +
                                            Name.str() + "` is not defined"),
                      ExecError::Kind::Runtime);
  const mir::Signature &Sig = *E->Sig;
  if (NArgs != Sig.Params.size())
    return usage("function `" + Name.str() + "` takes " +
                 std::to_string(Sig.Params.size()) + " argument(s), got " +
                 std::to_string(NArgs));
  return Target{E->Fn, E->Sig};
}
} // namespace

class ExecManager::Impl {
public:
  std::unique_ptr<Backend> B;
  /// compile and the other changes of the backend, one at a time.
  std::mutex CompileMu;
  /// The tables below; never held while code runs.
  mutable std::shared_mutex Mu;
  StringMap<EntryPtr> Functions;
  std::vector<std::string> Order; // function names in arrival order
  std::vector<ExternInfo> Externs;
  StringSet<> ExternNames;
  CompileStats Stats;
  ffi::ResolveOptions Resolve; // as the backends resolve
  std::shared_ptr<ffi::CallbackErrors> CallbackErrors;
  // Host limits (Options): the interrupt flag and the code-memory cap live
  // in Limits, shared with the backends; the rest is read per call/compile.
  std::string BackendName;
  BackendConfig Config; // to remake the backend for setMaxCallDepth
  std::shared_ptr<ffi::CallLimits> Limits;
  std::atomic<uint64_t> TimeLimitMs{0};
  std::atomic<uint64_t> MaxInputBytes{0};
  bool Compiled = false; // under Mu

  Result<Target> target(StringRef Name, size_t NArgs) const {
    std::shared_lock<std::shared_mutex> L(Mu);
    auto It = Functions.find(Name);
    return targetFor(It == Functions.end() ? nullptr : It->second.get(), Name,
                     NArgs);
  }
  Result<Target> target(const FunctionHandle::Entry &E, size_t NArgs) const {
    std::shared_lock<std::shared_mutex> L(Mu);
    return targetFor(&E, E.Name, NArgs);
  }
  Result<Value> run(const Target &T, const std::vector<Value> &Args);
  Result<Value> runWithBits(const Target &T, const std::vector<uint64_t> &Args);
};

ExecManager::ExecManager(std::unique_ptr<Impl> I) : P(std::move(I)) {}
ExecManager::~ExecManager() = default;

std::string ExecManager::defaultBackend() { return env::backend(); }

std::vector<std::string> ExecManager::availableBackends() {
  return backendNames();
}

Result<std::unique_ptr<ExecManager>> ExecManager::create(const Options &Host) {
  auto Resolved = env::resolve(Host); // the host's choices, else the environment
  if (!Resolved)
    return toSplError(Resolved.takeError(), ExecError::Kind::Usage);
  const Options &O = *Resolved;
  const std::string &Name = O.Backend;
  if (O.OptLevel > 3)
    return usage("optimisation level must be 0..3, got " +
                 std::to_string(O.OptLevel));
  BackendConfig C;
  C.OptLevel = O.OptLevel;
  C.MaxCallDepth = O.MaxCallDepth;
  C.JitThreshold = *O.JitThreshold;
  C.DebuggerSupport = O.DebuggerSupport;
  C.PerfSupport = O.PerfSupport;
  C.Resolve.HostLookup = O.HostSymbols;
  C.OnIR = O.OnIR;
  C.OnAsm = O.OnAsm;
  C.CallbackErrors = std::make_shared<ffi::CallbackErrors>();
  if (O.Cache.Enabled.value_or(false)) {
    C.CacheDir = O.Cache.Directory;
    C.CacheMaxBytes = O.Cache.MaxBytes;
  }
  C.JitLoopThreshold = *O.JitLoopThreshold;
  C.JitSync = *O.JitSync;
  C.Osr = *O.Osr;
  C.Globals = std::make_shared<ffi::GlobalCells>();
  C.Limits = std::make_shared<ffi::CallLimits>();
  C.Limits->MaxCodeBytes.store(O.MaxCodeBytes);
  // Code runs while a call of this manager is in flight (a C callback
  // called later with no call running is the host's to keep apart).
  C.CodeInUse = [L = C.Limits] {
    return L->Active.load(std::memory_order_seq_cst) != 0;
  };
  auto B = createBackend(Name, C);
  if (!B)
    return toSplError(B.takeError(), ExecError::Kind::Usage);
  auto I = std::make_unique<Impl>();
  I->B = std::move(*B);
  I->Resolve = C.Resolve;
  I->CallbackErrors = C.CallbackErrors;
  I->BackendName = Name;
  I->Config = C;
  I->Limits = C.Limits;
  I->TimeLimitMs.store(O.TimeLimitMs);
  I->MaxInputBytes.store(O.MaxInputBytes);
  return std::unique_ptr<ExecManager>(new ExecManager(std::move(I)));
}

Status ExecManager::compile(std::string_view Source,
                            std::string_view BufferName) {
  CompileStats St;
  auto T0 = Clock::now();
  if (uint64_t Max = P->MaxInputBytes.load(std::memory_order_relaxed);
      Max && Source.size() > Max)
    return toSplError(
        createStringError(inconvertibleErrorCode(),
                          "%s: input of %zu bytes exceeds the input size "
                          "limit of %llu bytes (Options::MaxInputBytes)",
                          std::string(BufferName).c_str(), Source.size(),
                          (unsigned long long)Max),
        ExecError::Kind::Load);
  auto M = mir::readModule(StringRef(Source.data(), Source.size()),
                           StringRef(BufferName.data(), BufferName.size()));
  if (!M)
    return toSplError(M.takeError(), ExecError::Kind::Load);
  St.ParseMs = msSince(T0);
  auto T1 = Clock::now();
  if (llvm::Error E = mir::verify(*M))
    return toSplError(std::move(E), ExecError::Kind::Load);
  if (llvm::Error E = ffi::checkExternDeclarations(*M))
    return toSplError(std::move(E), ExecError::Kind::Load);
  ffi::completeRuntimeCalls(*M);
  St.VerifyMs = msSince(T1);

  std::lock_guard<std::mutex> CL(P->CompileMu);
  auto T2 = Clock::now();
  if (llvm::Error E = P->B->load(*M))
    return toSplError(std::move(E), ExecError::Kind::Load);
  CompileStats BS = P->B->stats();
  St.LowerMs = BS.LowerMs;
  St.OptimizeMs = BS.OptimizeMs;
  St.CodegenMs = BS.CodegenMs;
  St.CacheHits = BS.CacheHits;
  St.CacheMisses = BS.CacheMisses;
  St.CacheMs = BS.CacheMs;
  St.Functions = std::move(BS.Functions);
  St.LoadMs = msSince(T2);
  std::unique_lock<std::shared_mutex> L(P->Mu);
  for (const mir::Function &F : M->Functions) {
    EntryPtr &E = P->Functions[F.Name];
    if (!E) {
      E = std::make_shared<FunctionHandle::Entry>();
      E->Name = F.Name;
      E->Fn = P->B->lookup(F.Name);
      P->Order.push_back(F.Name);
    }
    E->Sig = std::make_shared<const mir::Signature>(F.Sig);
  }
  P->Compiled = true;
  collectExterns(*M, P->ExternNames, P->Externs, P->Resolve);
  P->Stats = St;
  return {};
}

Result<Value> ExecManager::Impl::run(const Target &T,
                                     const std::vector<Value> &Args) {
  SmallVector<uint64_t, 8> Raw;
  for (size_t I = 0; I < Args.size(); ++I)
    Raw.push_back(toRawSlot(Args[I], T.Sig->Params[I]));
  ffi::CallScope Scope(*Limits, TimeLimitMs.load(std::memory_order_relaxed));
  auto R = B->call(T.Fn, Raw);
  if (!R)
    return toSplError(R.takeError(), ExecError::Kind::Runtime);
  return fromRawSlot(*R, T.Sig->Ret);
}

Result<Value>
ExecManager::Impl::runWithBits(const Target &T,
                               const std::vector<uint64_t> &Args) {
  SmallVector<uint64_t, 8> Raw;
  for (size_t I = 0; I < Args.size(); ++I) {
    const mir::Type &Ty = T.Sig->Params[I];
    // Floats bypass toRawSlot: it converts by value, and the bits must pass
    // untouched (a signalling NaN would be quieted by a float round trip).
    if (Ty.Kind == mir::TypeKind::F64)
      Raw.push_back(Args[I]);
    else if (Ty.Kind == mir::TypeKind::F32)
      Raw.push_back(uint32_t(Args[I]));
    else
      Raw.push_back(toRawSlot(Value::raw(ValueType::I64, Args[I]), Ty));
  }
  ffi::CallScope Scope(*Limits, TimeLimitMs.load(std::memory_order_relaxed));
  auto R = B->call(T.Fn, Raw);
  if (!R)
    return toSplError(R.takeError(), ExecError::Kind::Runtime);
  if (isHandleType(T.Sig->Ret))
    return Value::raw(ValueType::Ptr, *R);
  return fromRawSlot(*R, T.Sig->Ret);
}

Result<Value> ExecManager::call(std::string_view Fn,
                                const std::vector<Value> &Args) {
  auto T = P->target(StringRef(Fn.data(), Fn.size()), Args.size());
  if (!T)
    return T.error();
  return P->run(*T, Args);
}

Result<Value> ExecManager::callWithBits(std::string_view Fn,
                                        const std::vector<uint64_t> &Args) {
  auto T = P->target(StringRef(Fn.data(), Fn.size()), Args.size());
  if (!T)
    return T.error();
  return P->runWithBits(*T, Args);
}

Result<FunctionHandle> ExecManager::lookup(std::string_view Fn) const {
  StringRef Name(Fn.data(), Fn.size());
  std::shared_lock<std::shared_mutex> L(P->Mu);
  auto It = P->Functions.find(Name);
  if (It == P->Functions.end() || !It->second->Sig)
    return toSplError(createStringError(inconvertibleErrorCode(),
                                        "runtime error: function `" +
                                            Name.str() + "` is not defined"),
                      ExecError::Kind::Runtime);
  FunctionHandle H;
  H.E = It->second;
  return H;
}

Result<Value> ExecManager::call(const FunctionHandle &F,
                                const std::vector<Value> &Args) {
  if (!F)
    return usage("call through a null function handle");
  auto T = P->target(*F.E, Args.size());
  if (!T)
    return T.error();
  return P->run(*T, Args);
}

Result<Value> ExecManager::callWithBits(const FunctionHandle &F,
                                        const std::vector<uint64_t> &Args) {
  if (!F)
    return usage("call through a null function handle");
  auto T = P->target(*F.E, Args.size());
  if (!T)
    return T.error();
  return P->runWithBits(*T, Args);
}

Result<Value> ExecManager::callWithI64(std::string_view Fn,
                                       const std::vector<int64_t> &Args) {
  std::vector<Value> V;
  for (int64_t A : Args)
    V.push_back(Value::i64(A));
  return call(Fn, V);
}

Result<Value> ExecManager::callWithF64(std::string_view Fn,
                                       const std::vector<double> &Args) {
  std::vector<Value> V;
  for (double A : Args)
    V.push_back(Value::f64(A));
  return call(Fn, V);
}

bool ExecManager::hasFunction(std::string_view Fn) const {
  std::shared_lock<std::shared_mutex> L(P->Mu);
  return P->Functions.count(StringRef(Fn.data(), Fn.size()));
}

std::string ExecManager::signature(std::string_view Fn) const {
  std::shared_lock<std::shared_mutex> L(P->Mu);
  auto It = P->Functions.find(StringRef(Fn.data(), Fn.size()));
  return It == P->Functions.end() ? "" : It->second->Sig->str();
}

std::vector<std::string> ExecManager::functionNames() const {
  std::shared_lock<std::shared_mutex> L(P->Mu);
  return P->Order;
}

bool ExecManager::returnsText(std::string_view Fn) const {
  std::shared_lock<std::shared_mutex> L(P->Mu);
  auto It = P->Functions.find(StringRef(Fn.data(), Fn.size()));
  if (It == P->Functions.end())
    return false;
  const mir::Type &R = It->second->Sig->Ret;
  if (R.Kind == mir::TypeKind::Opaque)
    return R.opaqueName() == "str";
  return R.Kind == mir::TypeKind::Ptr && R.hasElem() &&
         (R.elem().Kind == mir::TypeKind::U8 ||
          R.elem().Kind == mir::TypeKind::I8);
}

std::string ExecManager::backendName() const { return P->B->name().str(); }

void ExecManager::setOptLevel(unsigned Level) {
  std::lock_guard<std::mutex> L(P->CompileMu);
  P->Config.OptLevel = Level > 3 ? 3 : Level;
  P->B->setOptLevel(Level > 3 ? 3 : Level);
}

void ExecManager::interrupt() noexcept { P->Limits->interrupt(); }

void ExecManager::setTimeLimit(uint64_t Ms) {
  P->TimeLimitMs.store(Ms, std::memory_order_relaxed);
}

uint64_t ExecManager::timeLimit() const {
  return P->TimeLimitMs.load(std::memory_order_relaxed);
}

Status ExecManager::setMaxCallDepth(unsigned Depth) {
  std::lock_guard<std::mutex> CL(P->CompileMu);
  std::unique_lock<std::shared_mutex> L(P->Mu);
  if (P->Compiled)
    return usage("the call depth limit can only be set before the first "
                 "compile");
  if (Depth == P->Config.MaxCallDepth)
    return {};
  // Nothing is loaded yet: a backend made with the new limit replaces it.
  BackendConfig C = P->Config;
  C.MaxCallDepth = Depth;
  auto B = createBackend(P->BackendName, C);
  if (!B)
    return toSplError(B.takeError(), ExecError::Kind::Usage);
  P->B = std::move(*B);
  P->Config = C;
  return {};
}

void ExecManager::setMaxCodeBytes(uint64_t Bytes) {
  P->Limits->MaxCodeBytes.store(Bytes, std::memory_order_relaxed);
}

void ExecManager::setMaxInputBytes(uint64_t Bytes) {
  P->MaxInputBytes.store(Bytes, std::memory_order_relaxed);
}

uint64_t ExecManager::maxInputBytes() const {
  return P->MaxInputBytes.load(std::memory_order_relaxed);
}

std::vector<FunctionTier> ExecManager::tiers() const {
  std::vector<std::string> Names = functionNames();
  std::vector<FunctionTier> Out;
  for (const std::string &N : Names)
    Out.push_back(P->B->tier(N));
  return Out;
}

bool ExecManager::waitForTierUps(uint64_t TimeoutMs) const {
  return P->B->waitForTierUps(TimeoutMs);
}

CompileStats ExecManager::lastCompileStats() const {
  std::shared_lock<std::shared_mutex> L(P->Mu);
  CompileStats S = P->Stats;
  // auto compiles at a call, after compile() returned: ask the backend now.
  CompileStats B = P->B->stats();
  if (B.LowerMs + B.OptimizeMs + B.CodegenMs > 0) {
    S.LowerMs = B.LowerMs;
    S.OptimizeMs = B.OptimizeMs;
    S.CodegenMs = B.CodegenMs;
  }
  if (B.CacheHits + B.CacheMisses > 0 || !B.Functions.empty()) {
    S.CacheHits = B.CacheHits;
    S.CacheMisses = B.CacheMisses;
    S.CacheMs = B.CacheMs;
    S.Functions = std::move(B.Functions);
  }
  return S;
}

void ExecManager::setCache(const CacheOptions &C) {
  CacheOptions R = env::resolveCache(C);
  std::lock_guard<std::mutex> L(P->CompileMu);
  P->B->setCache(R.Enabled.value_or(false) ? R.Directory : std::string(),
                 R.MaxBytes);
}

Result<std::vector<ExternInfo>>
ExecManager::inspectExterns(std::string_view Source,
                            std::string_view BufferName, bool HostSymbols) {
  auto M = mir::readModule(StringRef(Source.data(), Source.size()),
                           StringRef(BufferName.data(), BufferName.size()));
  if (!M)
    return toSplError(M.takeError(), ExecError::Kind::Load);
  StringSet<> Seen;
  std::vector<ExternInfo> Out;
  ffi::ResolveOptions Opts;
  Opts.HostLookup = HostSymbols;
  collectExterns(*M, Seen, Out, Opts);
  return Out;
}

std::vector<ExternInfo> ExecManager::externs() const {
  std::shared_lock<std::shared_mutex> L(P->Mu);
  return P->Externs;
}

std::optional<std::string> ExecManager::takeCallbackError() {
  return P->CallbackErrors ? P->CallbackErrors->take() : std::nullopt;
}

} // namespace spl
