//===- interp/Bytecode.h - Lowered functions and the frame layout -*- C++ -*-=//
//
// Private to interp/. What the lowering produces and the dispatch loop runs:
//
//   * CompiledFunction: a flat array of 64-bit words (word 0 of each
//     instruction is its handler), the frame size, the arity.
//   * FuncSlot: the per-name indirection every MIR call goes through, so a
//     callee may arrive after its caller and a redefinition replaces it. A
//     MIR function pointer is the code address of a C callback made for the
//     slot (Callbacks.h), which CallIndirect maps back to the slot.
//   * The frame: FP[0..) are the function's slots (arguments first, then the
//     other locals, scratch slots for constants, a discard slot, the Alloc
//     areas). Below FP sits a small header the call writes and the return
//     reads, so frames chain without any C recursion.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_INTERP_BYTECODE_H
#define SPL_INTERP_BYTECODE_H

#include "ffi/FFI.h"
#include "interp/Opcodes.h"
#include "mir/MIR.h"
#include "mir/Semantics.h"

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace spl::ffi {
class CallPlan;
class CallLimits;
} // namespace spl::ffi

namespace spl::interp {

struct CompiledFunction;
struct ValueStack;

/// What a one-parameter function does first when its first instruction
/// returns if the parameter is in a range (a base case, `if n < 2 { return
/// n }`): one-argument calls test that themselves and skip the frame. The
/// parameter is in the range iff ((Arg ^ Flip) - Lo) <= Span differs from
/// Invert; the result is (Arg & ArgMask) | Value. The default never holds.
struct EntryGuard {
  uint64_t Flip = 0, Lo = 0, Span = ~uint64_t(0);
  bool Invert = true;
  uint64_t ArgMask = 0, Value = 0;
  bool holds(uint64_t Arg) const {
    return (((Arg ^ Flip) - Lo) <= Span) != Invert;
  }
  uint64_t result(uint64_t Arg) const { return (Arg & ArgMask) | Value; }
};

/// A definition's profile (tiering): countdowns the dispatch loop
/// decrements at each call of the definition and each back-edge it takes
/// (a load, a store and a branch never taken, with relaxed atomics: an
/// update lost to another thread only delays a count). When one goes below
/// zero, profileSlowPath folds what was counted and calls the interpreter's
/// hot hook once per definition (Interpreter.h "Tiering"). Calls and
/// BackEdges are Folded + (Armed - Left).
struct Countdowns {
  int32_t CallsLeft = INT32_MAX, EdgesLeft = INT32_MAX;
  std::atomic<int32_t> CallsArmed{INT32_MAX}, EdgesArmed{INT32_MAX};
  std::atomic<uint64_t> CallsFolded{0}, EdgesFolded{0};
  std::atomic<bool> Reported{false};
  /// Whether its back-edges have been reported (after its calls, maybe).
  std::atomic<bool> LoopReported{false};
  /// (osr) While the host compiles a continuation of this definition's
  /// running calls (OsrPending), the back-edge countdown is re-armed every
  /// OsrRecheck edges, and each time a running call at one of the image's
  /// target blocks moves to OsrEntry once it is published (edgeSlowPath).
  std::atomic<bool> OsrPending{false};
  std::atomic<mir::OSREntryFn> OsrEntry{nullptr};
  std::atomic<uint64_t> OsrTransfers{0};
};

struct FuncSlot;
struct ProfileHook;

/// What a call of one name reaches now: a definition, the native code of
/// another tier, a stale-signature trap, or nothing yet. Immutable once
/// published (except its profile): a call reads one pointer and finds a
/// consistent set of fields, whatever redefinition runs on another thread.
/// Entry, StackNeed and Guard repeat Fn's.
struct Callee {
  const CompiledFunction *Fn = nullptr; // null: not defined (Entry null)
  const uint64_t *Entry = nullptr;
  /// Where a call that found the guard false enters: past the instruction
  /// the guard stands for (Entry when there is no guard).
  const uint64_t *AfterGuard = nullptr;
  uint32_t StackNeed = 0;
  EntryGuard Guard;
  FuncSlot *Slot = nullptr; // the name it answers to
  /// The interpreter's hot hook (null: not counted).
  const ProfileHook *Hook = nullptr;
  mutable Countdowns Prof;
};

/// One call site of a program function, as lowered: the code word holding
/// the Callee it reaches (its instruction's word 1) and the signature the
/// call was bound to (the callee's own when it was known at load, else the
/// call site's: docs/SEMANTICS.md "Redefinition").
struct CallSite {
  uint32_t Word = 0;
  FuncSlot *Slot = nullptr;
  mir::Signature Bound;
};

/// How a call of one constant callee (its name, or "#<symbol>") was bound at
/// load, for another tier compiling the same definition later (auto's JIT
/// must bind it the same way: Interpreter.h "Tiering").
struct CallBinding {
  std::string Key;
  bool Extern = false;
  std::string Target; // the extern's or the program function's name
  bool Known = false; // Program: its signature was known at load (Sig)
  mir::Signature Sig;
};

/// The per-name indirection every MIR call goes through, so a callee may
/// arrive after its caller and a redefinition replaces it: Current is what
/// calls reach now. Call sites hold a Callee in their code word (patched
/// when Current changes: Linkage.h "Publishing"), so a call reads no slot.
/// A MIR function pointer is the code address of a C callback made for the
/// slot (Callbacks.h), which CallIndirect maps back to the slot.
struct FuncSlot {
  std::atomic<const Callee *> Current{&Undefined};
  Callee Undefined; // Entry null: a call traps UndefinedFunction
  std::string Name;
  /// (Linkage.cpp, under the interpreter's lock) The code words of the call
  /// sites that reach this slot, and the slots waiting for its symbol id.
  struct Referrer {
    uint64_t *Word;
    const CompiledFunction *Caller;
    const mir::Signature *Bound;
  };
  std::vector<Referrer> Referrers;
  std::vector<FuncSlot *> Mirrors;
  FuncSlot() { Undefined.Slot = this; }
  const Callee *current() const {
    return Current.load(std::memory_order_acquire);
  }
};

struct CompiledFunction {
  const uint64_t *Entry = nullptr; // == Code.get()
  /// Slots of the frame body; the next frame's header starts here.
  uint32_t FrameSize = 0;
  /// Slots this function needs above FP (its body, then a callee's header
  /// and arguments), checked against the stack chunk's end on entry.
  uint32_t StackNeed = 0;
  uint32_t NumParams = 0;
  EntryGuard Guard;
  uint32_t GuardWords = 0; // the length of the instruction Guard stands for
  std::string Name;
  mir::Signature Sig;
  std::unique_ptr<uint64_t[]> Code;
  size_t CodeWords = 0; // the length of Code (a poll finds its function)
  /// What calls of this definition reach (its slot's Current while it is
  /// the definition), holding its profile.
  Callee Self;
  std::vector<CallSite> Sites;
  std::vector<CallBinding> Bindings;
  /// Set when another definition of the name replaced this one.
  bool Replaced = false;
  /// (tiering) For a thunk into another tier's code or a stale-signature
  /// trap: the definition it stands for; the trap's message.
  const CompiledFunction *ThunkOf = nullptr;
  std::string StaleText;
  /// (osr) Where each emitted block starts (code offset, block id; sorted),
  /// and the frame as a mir::FrameImage: what another tier needs to continue
  /// a running call at a block its back-edges go to. Empty Image.Targets: no
  /// continuation can be made (a function without loops, or an interpreter
  /// that does not count back-edges).
  std::vector<std::pair<uint32_t, mir::BlockId>> BlockAt;
  /// (osr) The jumps (code offset; sorted) of copied tests (Lowering.cpp
  /// emitGoto), and the block whose test each copies: a call at one of them
  /// may go on from that block, the loop's header in the MIR.
  std::vector<std::pair<uint32_t, mir::BlockId>> CopiedTests;
  mir::FrameImage Image;
  /// (guard) Code's words in ffi's code-range table, so a memory fault names
  /// this function (ffi/Signals.cpp). Declared last: unregistered first.
  ffi::CodeRange Range;
};

/// Where a profile's countdown goes: the interpreter's hot hook and the
/// thresholds it re-arms with (Interpreter.cpp).
struct ProfileHook {
  void (*Hot)(const ProfileHook *H, const Callee *C, bool ByEdges) = nullptr;
  void *Ctx = nullptr;
};

/// Arms P to fire after Calls calls or Edges back-edges (0: never).
void armProfile(Countdowns &P, uint32_t Calls, uint32_t Edges);
/// The calls and back-edges P has counted.
uint64_t profileCalls(const Countdowns &P);
uint64_t profileEdges(const Countdowns &P);
/// The slow path of a countdown that went below zero: folds, re-arms far
/// away and reports to C's hook once.
[[gnu::noinline, gnu::cold]] void profileSlowPath(const Callee *C,
                                                  bool ByEdges);
/// (osr) The slow path of a back-edge countdown of C's definition, the
/// jump at From having landed at IP: profileSlowPath, then, while the host
/// prepares a continuation, the entry that continues the call at the block
/// the jump copies the test of, or at IP's block (its id in Block), or null
/// to go on interpreting.
[[gnu::noinline, gnu::cold]] mir::OSREntryFn
edgeSlowPath(const Callee *C, const uint64_t *From, const uint64_t *IP,
             mir::BlockId &Block);

/// Decrements *Left; true when it went below zero. On x86-64 one `subl`
/// on memory and the sign flag (half the instructions of a load, a store
/// and a compare, in the hottest loop of the interpreter); the race with
/// another thread counting the same definition only loses a count, which is
/// why it need not be atomic (and is not an atomic RMW, which would cost a
/// locked instruction).
inline bool countDown(int32_t *Left) {
#if defined(__x86_64__) && defined(__GCC_ASM_FLAG_OUTPUTS__)
  bool Negative;
  asm("subl $1, %0" : "+m"(*Left), "=@ccs"(Negative));
  return Negative;
#else
  int32_t L = __atomic_load_n(Left, __ATOMIC_RELAXED) - 1;
  __atomic_store_n(Left, L, __ATOMIC_RELAXED);
  return L < 0;
#endif
}

/// Counts one call (ByEdges false) or back-edge of C: a branch never taken
/// until the countdown runs out.
inline void countProfile(const Callee *C, bool ByEdges) {
  if (__builtin_expect(
          countDown(ByEdges ? &C->Prof.EdgesLeft : &C->Prof.CallsLeft), 0))
    profileSlowPath(C, ByEdges);
}

/// Frame header, at negative offsets from FP. The slot receiving the result
/// is the word before the return address (every call instruction ends with
/// its dest).
enum : int {
  HdrRetIP = -1,    // instruction to resume in the caller
  HdrCallerFP = -2, // the caller's FP
  HdrLimit = -3,    // the caller's stack chunk end
};
constexpr unsigned HeaderSlots = 3;

/// Every function an interpreter ever made (definitions, thunks, stale
/// traps): none is freed while the interpreter lives, so code that captured
/// one (a function pointer, a running frame) never dangles. Locked by load
/// and by the poll's slow path, which looks up the function a back-edge is
/// in.
struct FunctionList {
  mutable std::mutex Mu;
  std::vector<std::unique_ptr<CompiledFunction>> All;
};

/// The per-thread value stack: a list of chunks, so deep recursion never
/// moves a live frame. Frames record their caller's chunk end (HdrLimit).
struct ValueStack {
  struct Chunk {
    std::unique_ptr<uint64_t[]> Mem;
    uint64_t *Begin = nullptr, *End = nullptr;
  };
  std::vector<Chunk> Chunks;
  /// First free slot and the end of its chunk, as seen by a new call()
  /// (kept current across extern calls so a re-entrant call() stacks on top).
  uint64_t *Top = nullptr;
  uint64_t *Limit = nullptr;
  /// The calls the running execution may still make and its limit, kept
  /// current across extern calls so a C callback into a MIR function
  /// continues the call depth. MaxDepth is 0 outside any execution.
  uint32_t DepthLeft = 0;
  uint32_t MaxDepth = 0;
  /// The interrupt flag the running execution polls (ffi/FFI.h "Interrupts
  /// and time budgets") and whose it is; outside any execution a word that
  /// is never raised. Functions: the running interpreter's, for the poll's
  /// slow path to name the function it is in.
  const uint32_t *Poll = &NeverRaised;
  const ffi::CallLimits *Limits = nullptr;
  const FunctionList *Functions = nullptr;
  static const uint32_t NeverRaised;
};

/// The slow path of a poll in the dispatch loop: Fn is the function being
/// entered, or null at a back-edge at IP (then found from IP).
[[gnu::noinline, gnu::cold]] void pollSlowPath(const ValueStack *S,
                                               const CompiledFunction *Fn,
                                               const uint64_t *IP);

/// This thread's stack.
ValueStack &threadStack();


/// Returns the start of Need free slots in the chunk after the one ending at
/// Limit (the first chunk if Limit is null), allocating it if needed, and
/// sets Limit to that chunk's end. Traps StackOverflow in Fn when memory runs
/// out.
/// (guard) The slots all of a thread's live frames may take: its native
/// stack's size, so the interpreter runs out where JIT code would.
size_t frameBudgetSlots();
uint64_t *growStack(ValueStack &S, uint64_t *&Limit, size_t Need,
                    const CompiledFunction *Fn, unsigned MaxDepth);

/// Runs from IP with frame FP until the entry frame returns (its return
/// address is the Exit instruction); the entry frame may make DepthLeft
/// more calls. Called with IP == nullptr it returns the dispatch table
/// (label addresses), or 0 in switch-dispatch builds.
/// The machine code of run(), for the interrupt handler (Poll.cpp).
void dispatchCode(const void *&Begin, const void *&End);
uint64_t run(ValueStack *S, const uint64_t *IP, uint64_t *FP, uint64_t *Limit,
             uint32_t MaxDepth, uint32_t DepthLeft);

/// The word stored as an instruction's handler: the label address of the
/// computed-goto loop, or the opcode number with switch dispatch.
uint64_t handlerWord(Opc O);

/// The Exit instruction every entry frame returns to (preceded by its dest
/// word, 0, like any return address).
const uint64_t *exitCode();

//===----------------------------------------------------------------------===//
// Traps (Traps.cpp): build the text with mir::trapMessage and unwind.
//===----------------------------------------------------------------------===//

[[noreturn]] void trap(mir::TrapKind K, const CompiledFunction *Fn,
                       const char *Detail = "");
[[noreturn]] void trapUndefined(const FuncSlot *S);
[[noreturn]] void trapStackOverflow(const CompiledFunction *Callee,
                                    unsigned MaxDepth);

/// Room left below the lowest catching or callback frame for the calls it
/// makes (and the C code they may reach).
constexpr size_t NativeStackMargin = 128 * 1024;
/// The lowest address this thread's native stack may reach before a
/// catching call or a C callback traps with the stack-overflow error (null
/// when the stack cannot be known). Calls that nest native frames (a catch,
/// a callback through C) can run out of native stack before the call-depth
/// limit; they then end in the same error text instead of a crash.
const char *nativeStackFloor();

//===----------------------------------------------------------------------===//
// Raw-slot helpers shared by the lowering and the handlers.
//===----------------------------------------------------------------------===//

inline uint64_t normalize(uint64_t V, NormKind K) {
  switch (K) {
  case NormKind::W64: return V;
  case NormKind::S32: return uint64_t(int64_t(int32_t(uint32_t(V))));
  case NormKind::U32: return uint64_t(uint32_t(V));
  case NormKind::S16: return uint64_t(int64_t(int16_t(uint16_t(V))));
  case NormKind::U16: return uint64_t(uint16_t(V));
  case NormKind::S8: return uint64_t(int64_t(int8_t(uint8_t(V))));
  case NormKind::U8: return uint64_t(uint8_t(V));
  case NormKind::B1: return V & 1;
  }
  return V;
}

inline double bitsToF64(uint64_t B) {
  double D;
  std::memcpy(&D, &B, 8);
  return D;
}
inline uint64_t f64ToBits(double D) {
  uint64_t B;
  std::memcpy(&B, &D, 8);
  return B;
}
inline float bitsToF32(uint64_t B) {
  uint32_t L = uint32_t(B);
  float F;
  std::memcpy(&F, &L, 4);
  return F;
}
inline uint64_t f32ToBits(float F) {
  uint32_t L;
  std::memcpy(&L, &F, 4);
  return L;
}

/// Unsigned division by a constant as a multiply and shifts (Granlund and
/// Montgomery, "Division by invariant integers using multiplication", 1994,
/// fig. 4.1): exact for every 64-bit N and every divisor >= 1.
struct DivMagic {
  uint64_t M;
  unsigned Sh1, Sh2;
};
inline DivMagic divMagic(uint64_t D) {
  unsigned L = D == 1 ? 0 : 64 - unsigned(__builtin_clzll(D - 1)); // ceil lg
  unsigned __int128 Num = ((unsigned __int128)1 << L) - D;           // < D
  uint64_t M = uint64_t((Num << 64) / D + 1);
  return {M, L ? 1u : 0u, L ? L - 1 : 0u};
}
inline uint64_t divByMagic(uint64_t N, uint64_t M, unsigned Sh1,
                           unsigned Sh2) {
  uint64_t T = uint64_t(((unsigned __int128)M * N) >> 64);
  return (T + ((N - T) >> Sh1)) >> Sh2;
}
/// Signed division (truncating) by a constant D >= 2.
inline int64_t sdivByMagic(int64_t N, uint64_t M, unsigned Sh1, unsigned Sh2) {
  uint64_t Abs = N < 0 ? 0 - uint64_t(N) : uint64_t(N);
  uint64_t Q = divByMagic(Abs, M, Sh1, Sh2); // <= 2^62: negating is exact
  return N < 0 ? -int64_t(Q) : int64_t(Q);
}

/// Float to integer as Rust's `as`: NaN -> 0, out of range -> MIN/MAX.
inline uint64_t floatToSigned(double X, unsigned Bits) {
  if (X != X)
    return 0;
  double Lim = static_cast<double>(uint64_t(1) << (Bits - 1)); // 2^(Bits-1)
  if (X <= -Lim)
    return uint64_t(0) - (uint64_t(1) << (Bits - 1));
  if (X >= Lim)
    return uint64_t((uint64_t(1) << (Bits - 1)) - 1);
  return uint64_t(int64_t(X));
}
inline uint64_t floatToUnsigned(double X, unsigned Bits) {
  if (!(X > 0))
    return 0; // NaN, zero and negatives
  double Lim = Bits == 64 ? 18446744073709551616.0
                          : static_cast<double>(uint64_t(1) << Bits);
  if (X >= Lim)
    return Bits == 64 ? ~uint64_t(0) : (uint64_t(1) << Bits) - 1;
  return uint64_t(X);
}

} // namespace spl::interp

#endif // SPL_INTERP_BYTECODE_H
