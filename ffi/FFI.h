//===- ffi/FFI.h - Externs: builtins, SFFI libraries, call plans -*- C++ -*-===//
//
// The face header of ffi/. Everything a backend needs to call code that is
// not MIR: the runtime's builtins (a table, not a match), the SFFI convention
// that maps `rt_<lib>_*` to `libspl_<lib>.so`, prepared call plans for the
// interpreter, and the runtime-error unwinding shared by both backends.
// Neither libffi nor dlfcn.h leaks out of this header.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_FFI_FFI_H
#define SPL_FFI_FFI_H

#include "mir/MIR.h"

#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <csetjmp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace spl::ffi {

//===----------------------------------------------------------------------===//
// Builtins
//===----------------------------------------------------------------------===//

/// A runtime builtin: its MIR name, its MIR signature, and the C function
/// that implements it (a plain C ABI function the JIT links as an absolute
/// symbol and the interpreter calls through a call plan).
struct Builtin {
  const char *Name;
  mir::Signature Sig;
  void *Address;
};

/// Every builtin, in table order.
llvm::ArrayRef<Builtin> builtins();
/// The builtin named Name, or null.
const Builtin *findBuiltin(llvm::StringRef Name);

/// The text rt_print_f64 writes: the shortest text that round-trips, in the
/// style of Python's repr (13.0, 0.1, 1e+16, 1e-05, inf, nan, -0.0).
std::string formatF64(double V);

//===----------------------------------------------------------------------===//
// SFFI libraries
//===----------------------------------------------------------------------===//

/// A dlopen'd SFFI library; loaded once per process and never unloaded.
struct Library {
  std::string Lib;  // "torch"
  std::string Path; // the file that was loaded
  void *Handle;     // dlopen handle (RTLD_NOW | RTLD_LOCAL)
};

/// "rt_torch_matmul" -> "torch"; empty if Name does not follow rt_<lib>_.
std::string sffiLibName(llvm::StringRef Symbol);

/// The library for Lib, loading it on first use. Search order: the file in
/// SIMPLE_<LIB>_LIB, then libspl_<lib>.so in each directory of
/// SIMPLE_SFFI_PATH, then in the default directories (defaultSearchDirs()).
/// The error names every path tried and dlerror()'s text.
/// When SIMPLE_<LIB>_LIB is set (non-empty) it is the only place tried, so a
/// wrong setting is reported rather than hidden by another copy. Thread-safe;
/// a failure is not cached (fix the environment and call again).
llvm::Expected<const Library &> loadLibrary(llvm::StringRef Lib);

/// Where libraries are looked for after SIMPLE_SFFI_PATH's directories (or
/// alone when it is unset): the directory holding spl-exec's own libraries
/// (the object ffi/ is linked into: libspl_exec.so, or an executable that
/// links it statically). Never a directory relative to the current one.
std::vector<std::string> defaultSearchDirs();

/// Where an extern resolved (`--list-externs` prints these words).
enum class ExternOrigin : uint8_t { Host, Runtime, Builtin, Library };
llvm::StringRef externOriginName(ExternOrigin O); // "host", "runtime", ...

/// A resolved extern: a host symbol, a runtime function, a builtin, or a
/// symbol of an SFFI library.
struct ExternBinding {
  std::string Name;
  void *Address = nullptr;
  ExternOrigin Origin = ExternOrigin::Builtin;
  const Builtin *B = nullptr;   // set for builtins
  const Library *Lib = nullptr; // set for SFFI symbols
  /// The callee's own signature when spl-exec knows it (a runtime function
  /// or a builtin, also when the host provides the same name): it decides
  /// over the call site's FuncPtr (MIR.md "Calls and signatures").
  std::optional<mir::Signature> Sig;
};

/// How externs resolve (MIR.md v2, RUNTIME.md): a function of the program
/// first (the backends check that), then, with HostLookup, the host
/// process's own symbol (dlsym(RTLD_DEFAULT); how JIT code and the
/// interpreter reach an embedding Simple host's runtime), then spl-exec's
/// runtime (runtime/), then the builtins, then the SFFI convention.
struct ResolveOptions {
  bool HostLookup = true;
};

/// Whether a call of Name from module M is an extern call (docs/SEMANTICS.md,
/// "Calls"): Name is not a function of M, and is a builtin, is declared in
/// M's externs, or follows the SFFI convention rt_<lib>_<rest>. Any other
/// name is a MIR function that may arrive later. Both backends use this one
/// rule.
bool isExternName(llvm::StringRef Name, const mir::Module &M);

/// Resolves Name in the order of ResolveOptions. The error names the symbol
/// and every place that was searched.
llvm::Expected<ExternBinding> resolveExtern(llvm::StringRef Name,
                                            const ResolveOptions &Opts = {});

/// The signature a call of the extern B from module M uses (MIR.md "Calls
/// and signatures (v2)"): a declaration in M's externs, else B's own (runtime,
/// builtin), else the call site's FuncPtr; when that one's params are empty
/// and arguments are present, the arguments' types (ArgTypes) with the call
/// site's return type. A wrong argument count against a known signature is an
/// error naming both ("call of `F` passes N arguments, its signature SIG
/// takes M"). Backends convert each argument to the parameter type as the
/// compiler's LLVM backend does (mir::convertArgument semantics).
/// Gives calls of runtime functions that upstream calls with fewer arguments
/// their missing trailing ones (rt_panic(msg) -> rt_panic(msg, 0): length 0
/// means NUL-terminated), so every call matches the C function's own
/// signature exactly and no backend ever passes a stray register. Run on a
/// verified module before a backend loads it.
void completeRuntimeCalls(mir::Module &M);

/// Checks each extern M declares that spl-exec implements (a runtime
/// function, a builtin) against that function's own signature, by calling
/// convention (ExternCheck.cpp says what agrees). A disagreement is an error
/// naming the module, the extern and both signatures.
llvm::Error checkExternDeclarations(const mir::Module &M);

llvm::Expected<mir::Signature>
externCallSignature(const ExternBinding &B, const mir::Module &M,
                    const mir::Signature &CallSite,
                    llvm::ArrayRef<mir::Type> ArgTypes);

//===----------------------------------------------------------------------===//
// Call plans (interpreter side)
//===----------------------------------------------------------------------===//

/// Arguments and results travel as 64-bit slots ("raw values"): integers
/// sign- or zero-extended by their type, Bool 0/1, Char as u32, F64 as its
/// bits, F32 as its bits in the low 32, pointers as addresses.
class CallPlan;
using Invoker = void (*)(const CallPlan &P, const uint64_t *Args,
                         uint64_t *Ret);
/// The same call with its arguments in frame slots: FP[S] for each 32-bit
/// field S of SlotWords (two per word, low first), in the plan's register
/// order (CallPlan::ArgOf).
using FrameInvoker = void (*)(const CallPlan &P, const uint64_t *FP,
                              const uint64_t *SlotWords, uint64_t *Ret);

/// A prepared call to one C function of one signature: made once at load
/// time, then invoked with no lookup. Common shapes (integers/pointers only up
/// to 6 arguments, doubles only up to 4) use a specialised stub that calls a
/// cast function pointer, as do other mixes of up to 6 arguments (a stub per
/// count of integer and float arguments); other mixes of at most 6 integer
/// and 8 float arguments a stub that places them by register class;
/// everything else (more arguments) goes through a libffi cif cached per
/// signature.
class CallPlan {
public:
  static llvm::Expected<std::unique_ptr<CallPlan>>
  create(const mir::Signature &Sig, void *Fn, llvm::StringRef Name);
  ~CallPlan();

  /// Args holds one slot per parameter; Ret receives the result slot (it
  /// is not touched, and may be null, when the result is Unit or Never).
  void invoke(const uint64_t *Args, uint64_t *Ret) const {
    Invoke(*this, Args, Ret);
  }

  Invoker Invoke = nullptr;
  void *Fn = nullptr;
  const void *Cif = nullptr; // the cached ffi_cif when Invoke is libffi's
  /// The register-class stub (CallPlan.cpp): parameter K goes to integer
  /// register Place[K], or float register Place[K] & 0x7f when bit 7 is set.
  static constexpr unsigned MaxPlaced = 14;
  uint8_t Place[MaxPlaced] = {};
  uint8_t NumPlaced = 0;
  /// Register order, for calls of at most MaxShapeArgs arguments: the
  /// argument whose slot goes in integer register K is ArgOf[K], in float
  /// register K ArgOf[NI + K], NI being the number of integer arguments.
  static constexpr unsigned MaxShapeArgs = 6;
  uint8_t ArgOf[MaxShapeArgs] = {};
  /// Set for those calls where the platform's convention is modelled: the
  /// call made from frame slots named in register order (the interpreter's
  /// CallExtF), with no copy of the arguments first.
  FrameInvoker InvokeFrame = nullptr;
  mir::Signature Sig;
  bool UsesLibffi = false;
};

//===----------------------------------------------------------------------===//
// Runtime errors and exits: one unwinding mechanism for every backend
//===----------------------------------------------------------------------===//

/// The error an execution ends with when the program called rt_exit(Code).
class ExitRequest : public llvm::ErrorInfo<ExitRequest> {
public:
  static char ID;
  explicit ExitRequest(int Code) : Code(Code) {}
  int code() const { return Code; }
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  int Code;
};

/// Runs Body under a guard. If, while it runs on this thread, a trap is
/// raised (raiseTrap, spl_rt_trap from JIT code) or the program calls rt_exit,
/// control returns here (longjmp) and the result is the error (a StringError
/// with the trap text, or an ExitRequest). Guards nest.
///
/// Because it longjmps, frames between the guard and the raise must hold no
/// objects with non-trivial destructors (JIT frames never do; the
/// interpreter's dispatch loop is written to that rule).
///
/// (guard) A SIGSEGV or SIGBUS on this thread while Body runs (in MIR code or
/// in any native function it called) lands here too: the error is
/// "runtime error in `FN`: invalid memory access at 0xADDR", or, when the
/// fault is the native stack's end, the stack-overflow text with
/// MaxCallDepth as its limit (the one text a depth overflow gives).
/// FN is the innermost MIR function found from the fault (Signals.cpp).
llvm::Error runGuarded(llvm::function_ref<void()> Body);
llvm::Error runGuarded(llvm::function_ref<void()> Body, unsigned MaxCallDepth);

/// Ends the innermost guarded execution with Message (must be inside one;
/// outside any guard it is a backend bug: reported on stderr, then abort).
[[noreturn]] void raiseTrap(std::string Message);
/// Ends the innermost guarded execution with the text Build returns. Build
/// runs, and every temporary it makes dies, before the jump: the way to
/// raise a message made from temporaries (nothing with a destructor is live
/// across the longjmp, by construction).
[[noreturn]] void raiseTrapWith(llvm::function_ref<std::string()> Build);
/// Ends the innermost guarded execution with an ExitRequest(Code).
[[noreturn]] void raiseExit(int Code);
/// Whether this thread is inside runGuarded.
bool inGuard();

/// This thread's native stack, [Low, Low + Size); Size 0 when it cannot be
/// known. Asked of pthread_getattr_np once per thread (for the main thread
/// that reads /proc/self/maps) for every part that needs it.
struct NativeStack {
  uintptr_t Low = 0;
  size_t Size = 0;
};
const NativeStack &nativeStack();

//===----------------------------------------------------------------------===//
// (guard) Code ranges, function pointers, callbacks with no execution running
//===----------------------------------------------------------------------===//

/// Registers [Begin, End) as code of the MIR function Name (JIT machine code,
/// interpreter bytecode, a C callback's closure) until unregistered. A
/// fault's function is found in this table (lock-free reads, so a signal
/// handler may look); CallIndirect accepts its addresses as functions.
/// MachineCode: JIT code, which an interrupt may end between any two of its
/// instructions (it holds no lock and no object with a destructor).
/// Returns an id for unregisterCodeRange (0: the table is full).
uint32_t registerCodeRange(const void *Begin, const void *End,
                           llvm::StringRef Name, bool MachineCode = false);
void unregisterCodeRange(uint32_t Id);
/// The range registration of one object (move-only, unregisters when it
/// dies).
class CodeRange {
public:
  CodeRange() = default;
  CodeRange(const void *Begin, const void *End, llvm::StringRef Name,
            bool MachineCode = false)
      : Id(registerCodeRange(Begin, End, Name, MachineCode)) {}
  CodeRange(CodeRange &&O) : Id(O.Id) { O.Id = 0; }
  CodeRange &operator=(CodeRange &&O) {
    std::swap(Id, O.Id);
    return *this;
  }
  ~CodeRange() { unregisterCodeRange(Id); }

private:
  uint32_t Id = 0;
};
/// Tells the interrupt signal's handler where the interpreter's dispatch
/// loop lies ([Begin, End) of its machine code): like JIT code it may be
/// ended between any two instructions, and the function it runs is the
/// bytecode range a register points into. Once per process; false when the
/// handler is not installed (ffi::interruptsBySignal).
bool registerDispatchCode(const void *Begin, const void *End);
/// Whether P may be called as a function: in a registered code range, or in
/// an executable segment of a loaded object (the program, a shared library).
/// Any other integer is TrapKind::BadFunctionPointer on every backend.
bool isCodeAddress(const void *P);

/// Where a trap goes when it happens in a MIR function called by C with no
/// execution running (the host kept a callback pointer and called it after
/// `execute` returned): the callback returns 0 and the error waits here,
/// per thread, until the manager's next get_last_error on that thread.
class CallbackErrors {
public:
  CallbackErrors();
  ~CallbackErrors();
  void record(std::string Message);
  /// This thread's error since the last take, if any.
  std::optional<std::string> take();

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

/// Runs Body as a callback from C: when an execution is running on this
/// thread (a guard is active) Body runs as part of it; otherwise under a
/// guard of its own, and an error is recorded in Sink (or, with none, written
/// to stderr). Returns false when Body did not complete (its result is then
/// to be 0).
bool runCallback(llvm::function_ref<void()> Body, CallbackErrors *Sink,
                 unsigned MaxCallDepth);

//===----------------------------------------------------------------------===//
// (v2) Module statics: GlobalAddr cells
//===----------------------------------------------------------------------===//

/// The cells GlobalAddr hands out: one zeroed 8-byte cell per symbol id, at an
/// address that never moves, shared by every function and every tier of one
/// manager (the exec manager makes one and gives it to each backend). Thread-
/// safe; backends look a cell up once at load time and embed its address.
class GlobalCells {
public:
  GlobalCells();
  ~GlobalCells();
  GlobalCells(const GlobalCells &) = delete;
  GlobalCells &operator=(const GlobalCells &) = delete;
  /// The cell of Symbol, made (zeroed) on first use.
  uint64_t *cell(int64_t Symbol);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

//===----------------------------------------------------------------------===//
// (v2) Exceptions: one mechanism for every backend (docs/SEMANTICS.md)
//===----------------------------------------------------------------------===//
//
// A raise (Throw/Resume) travels by longjmp, like a trap, so code that does
// not catch pays nothing: no check after plain calls, no landing pads. Each
// thread keeps a chain of EHFrames, innermost first:
//  - a Catch frame is pushed by a CallTerminator that has an unwind block,
//    around its call (JIT code: an alloca'd EHFrame and _setjmp in the JIT
//    frame itself; the interpreter: a C-level helper that setjmps and re-enters
//    the dispatch loop for the callee);
//  - a Barrier frame is pushed by runGuarded (the host edge) and by every C
//    callback adapter (a MIR function called by C): a raise never unwinds
//    through a C frame.
// spl_rt_throw takes the innermost frame: a Catch frame is unlinked, given the
// payload and tag, and longjmp'd to; a Barrier (or no frame) turns the raise
// into the runtime error UncaughtException, raised as a trap (which the guard
// catches as usual).

enum class EHKind : uint32_t { Catch = 0, Barrier = 1 };

/// What every frame of the chain has. A Barrier frame is just this (32
/// bytes: C callbacks may nest thousands deep, so they must stay small).
struct EHFrame {
  EHFrame *Prev;
  EHKind Kind;
  uint32_t Reserved;
  int64_t Payload; // set by spl_rt_throw before the longjmp
  int64_t Tag;
};

/// A Catch frame: the header, then the jump target its catching frame's
/// setjmp filled. Pushed as &Frame.H.
struct EHCatchFrame {
  EHFrame H;
  std::jmp_buf Buf;
};

/// Sizes and offsets JIT code uses (it sees frames as bytes).
constexpr size_t EHFrameSize = sizeof(EHCatchFrame); // a Catch frame
constexpr size_t EHBarrierFrameSize = sizeof(EHFrame);
constexpr size_t EHFrameAlign = alignof(EHCatchFrame);
constexpr size_t EHFramePayloadOffset = offsetof(EHFrame, Payload);
constexpr size_t EHFrameTagOffset = offsetof(EHFrame, Tag);
constexpr size_t EHFrameBufOffset = offsetof(EHCatchFrame, Buf);

/// RAII barrier for C++ callers (callback adapters written in C++ must not
/// hold it across a longjmp: use spl_eh_push/spl_eh_pop there).
class EHBarrier {
public:
  EHBarrier();
  ~EHBarrier();

private:
  EHFrame F;
};

/// The innermost EH frame of this thread (guards save and restore it).
EHFrame *ehHead();
void setEhHead(EHFrame *F);

//===----------------------------------------------------------------------===//
// Interrupts and time budgets: one mechanism for every backend
//===----------------------------------------------------------------------===//
//
// Each manager owns one CallLimits. Running code polls its Flag word at
// function entries and loop back-edges (the interpreter's back-edge jumps and
// frame pushes; JIT code only where it may spend its time outside JIT code,
// see interruptsBySignal): a relaxed load and a branch that is never taken
// while nothing asks. interrupt() and the watchdog raise the flag and signal
// the threads running calls of the manager (InterruptSignal.cpp): the
// signal's handler ends a call whose thread it finds in JIT machine code,
// and the signal is sent again every millisecond until the call has ended.
// Whoever notices, the poll's slow path (pollSlow) or the handler, decides
// the same way, for the calls of this manager on its own thread, whether one
// must end:
//   * interrupted: the manager's interrupt epoch moved since the outermost
//     such call started, i.e. interrupt() came while it was running. An
//     interrupt while no call runs affects no later call (the next call to
//     start clears the flag and takes the epoch as it finds it);
//   * time limit: a call's deadline passed (the watchdog raised the flag).
// Otherwise the raise was for another call (another thread's) and the poll
// returns; a flag no running call needs is cleared there.

struct CallScope;
namespace detail {
struct ThreadSlot;
}

/// Whether interrupts reach JIT code by signal, so that JIT code which spends
/// its time in itself (a loop with no calls out of JIT code, recursion) needs
/// no poll. Installs the handler on the first call. False where a signal
/// cannot land in JIT code: under ThreadSanitizer (it delivers signals only
/// at its own interceptors), or when the signal's handler cannot be
/// installed; JIT code then polls everywhere.
bool interruptsBySignal();

class CallLimits {
public:
  CallLimits();
  ~CallLimits(); // stops the watchdog
  CallLimits(const CallLimits &) = delete;
  CallLimits &operator=(const CallLimits &) = delete;

  /// Ends every call of this manager running at this moment with
  /// "interrupted". Async-signal-safe: lock-free atomics, tgkill, sem_post.
  void interrupt() noexcept;
  /// The word polls read (its address is baked into JIT code).
  const uint32_t *flagAddress() const {
    return reinterpret_cast<const uint32_t *>(&Flag);
  }

  std::atomic<uint32_t> Flag{0};
  std::atomic<uint64_t> Epoch{0};
  /// Calls of this manager running now, on any thread.
  std::atomic<uint32_t> Active{0};
  /// Pages of JIT code and data the manager's JIT may hold at once (0: no
  /// limit): a compile that would exceed it is a load error.
  std::atomic<uint64_t> MaxCodeBytes{0};

  struct Watchdog;
  /// Made when the first call with a time limit starts.
  std::unique_ptr<Watchdog> W;
  std::mutex WMu; // guards W's creation
};

static_assert(std::atomic<uint32_t>::is_always_lock_free &&
                  std::atomic<uint64_t>::is_always_lock_free,
              "interrupt() must be async-signal-safe");

/// One call of a manager on this thread, from before the backend runs it to
/// after it returned (the exec manager makes one around every call). Scopes
/// of one thread form a chain, innermost first.
struct CallScope {
  CallScope(CallLimits &L, uint64_t TimeLimitMs);
  ~CallScope();
  CallScope(const CallScope &) = delete;
  CallScope &operator=(const CallScope &) = delete;

  CallLimits &L;
  CallScope *Prev;
  detail::ThreadSlot *Slot; // this thread's, for the interrupt signal
  uint64_t StartEpoch;
  uint64_t TimeLimitMs;  // 0: none
  int64_t DeadlineNs = 0; // steady clock
};

/// The slow path of a poll that found L's flag raised, in the MIR function
/// whose name Fn gives (asked only when it traps): traps Interrupted or
/// TimeLimit when a call of L on this thread must end (never returns then),
/// else returns.
void pollSlow(const CallLimits &L, llvm::function_ref<const char *()> Fn);

} // namespace spl::ffi

extern "C" {
/// JIT code's poll slow path (ffi::pollSlow).
void spl_rt_poll(const void *Limits, const char *Fn);
}

extern "C" {
/// Links F (Kind already set) as the innermost EH frame of this thread.
void spl_eh_push(spl::ffi::EHFrame *F);
/// Unlinks F, which must be the innermost frame (a normal return).
void spl_eh_pop(spl::ffi::EHFrame *F);
/// Raises (Payload, Tag) from MIR function Fn (Throw, Resume): never returns.
[[noreturn]] void spl_rt_throw(int64_t Payload, int64_t Tag, const char *Fn);
/// A failing bounds_check intrinsic in MIR function Fn (both backends).
[[noreturn]] void spl_rt_bounds_fail(int64_t Index, int64_t Len,
                                     const char *Fn);
/// Called by JIT code on a runtime error: builds the text with
/// mir::trapMessage(Kind, Fn, Detail) and ends the guarded execution.
[[noreturn]] void spl_rt_trap(uint32_t Kind, const char *Fn,
                              const char *Detail);
}

#endif // SPL_FFI_FFI_H
