//===- interp/Run.cpp - The dispatch loop ---------------------------------===//
//
// One function runs every lowered instruction. IP (instruction pointer), FP
// (frame pointer) and the stack chunk's end live in locals the compiler keeps
// in registers; word 0 of an instruction is the address of its handler label
// (computed goto), or, when SPL_INTERP_SWITCH_DISPATCH is defined or the
// compiler lacks labels-as-values, its opcode number for a switch.
//
// MIR calls do not recurse in C: a call writes the callee's frame header
// (Bytecode.h) and jumps to its code; a return reads the header back. A
// one-argument call first tests the callee's EntryGuard (its base case) and
// then needs no frame at all.
// Runtime errors call trap(), which longjmps to the guard in call(): so no
// object with a non-trivial destructor may live in this frame.
//
// (v2) Exceptions. Throw calls spl_rt_throw, which longjmps to the innermost
// catching frame (ffi/FFI.h "Exceptions"). A CallTerminator with an unwind
// block is an Invoke: it calls invokeCatching, a small C function outside
// this loop that pushes an EHFrame, setjmps and runs the call in a nested
// run() on the same value stack, so no setjmp (a returns_twice call, which
// would pessimise every handler) ever sits in this function and code that
// does not catch pays nothing. The price: each catching call that is active
// holds one C frame of invokeCatching and one of run() on the native stack
// (about 550 bytes on x86-64), so invokeCatching checks the native stack and
// traps StackOverflow before it runs out.
//
//===----------------------------------------------------------------------===//

#include "interp/Bytecode.h"
#include "interp/Linkage.h"

#include "ffi/FFI.h"

#include <climits>
#include <cmath>
#include <csetjmp>
#include <cstring>
#include <pthread.h>

#if defined(__GNUC__) && !defined(SPL_INTERP_SWITCH_DISPATCH)
#define SPL_INTERP_THREADED 1
#else
#define SPL_INTERP_THREADED 0
#endif

#define SPL_UNLIKELY(X) __builtin_expect(!!(X), 0)

namespace spl::interp {

using spl::mir::TrapKind;

// Canonical slots per kind (docs/SEMANTICS.md "Values").
#define NORM_W64(V) (V)
#define NORM_S32(V) uint64_t(int64_t(int32_t(uint32_t(V))))
#define NORM_U32(V) uint64_t(uint32_t(V))
#define NORM_S16(V) uint64_t(int64_t(int16_t(uint16_t(V))))
#define NORM_U16(V) uint64_t(uint16_t(V))
#define NORM_S8(V) uint64_t(int64_t(int8_t(uint8_t(V))))
#define NORM_U8(V) uint64_t(uint8_t(V))
#define NORM_B1(V) (uint64_t(V) & 1)
#define WIDTH_W64 64
#define WIDTH_S64 64
#define WIDTH_U64 64
#define WIDTH_S32 32
#define WIDTH_U32 32
#define WIDTH_S16 16
#define WIDTH_U16 16
#define WIDTH_S8 8
#define WIDTH_U8 8
#define WIDTH_B1 1
#define MIN_S64 INT64_MIN
#define MIN_S32 int64_t(INT32_MIN)
#define MIN_S16 int64_t(INT16_MIN)
#define MIN_S8 int64_t(INT8_MIN)

using F64 = double;
using F32 = float;

/// Words of an Invoke before the call it guards (Opcodes.h).
constexpr unsigned InvokeWords = 6;

/// Runs the call after the Invoke at IP (up to its LeaveCall) in a nested
/// run() under a Catch frame; the loop's chunk end and depth arrive in S (as
/// for an extern call, so the loop keeps its registers as they were).
/// Returns where the caller's loop continues: past the LeaveCall when the
/// call returned, the unwind block when it raised (the payload and tag then
/// written to their slots, brought to their locals' kinds). Nothing here has
/// a destructor: traps longjmp past this frame.
[[gnu::noinline]] static const uint64_t *
invokeCatching(ValueStack *S, const uint64_t *IP, uint64_t *FP) {
  uint64_t *Limit = S->Limit;
  uint32_t MaxDepth = S->MaxDepth, DepthLeft = S->DepthLeft;
  if (SPL_UNLIKELY(static_cast<const char *>(__builtin_frame_address(0)) <
                   nativeStackFloor()))
    trapStackOverflow(reinterpret_cast<const CompiledFunction *>(IP[5]),
                      MaxDepth);
  // The value stack as the call found it, for the way back from a raise
  // (the raise skipped the returns that would have restored it).
  uint64_t *SavedTop = S->Top;
  ffi::EHCatchFrame Frame;
  Frame.H.Kind = ffi::EHKind::Catch;
  spl_eh_push(&Frame.H);
  if (setjmp(Frame.Buf) == 0) {
    run(S, IP + InvokeWords, FP, Limit, MaxDepth, DepthLeft);
    spl_eh_pop(&Frame.H);
    return IP + IP[4];
  }
  // Caught: spl_rt_throw has unlinked Frame and filled Payload and Tag.
  S->Top = SavedTop;
  S->Limit = Limit;
  S->DepthLeft = DepthLeft;
  S->MaxDepth = MaxDepth;
  uint64_t Kinds = IP[3];
  FP[uint32_t(IP[2])] =
      normalize(uint64_t(Frame.H.Payload), NormKind(Kinds & 255));
  FP[uint32_t(IP[2] >> 32)] =
      normalize(uint64_t(Frame.H.Tag), NormKind((Kinds >> 8) & 255));
  return reinterpret_cast<const uint64_t *>(IP[1]);
}

// The two Aggregate forms that call the runtime once per operand, out of
// line: a loop of calls inside run() would make the register allocator spill
// the loop's own state for every program. Operand slots are packed two per
// word (Opcodes.h).
static uint64_t operandAt(const uint64_t *Words, const uint64_t *FP,
                          uint32_t K) {
  return FP[uint32_t(Words[K / 2] >> (32 * (K & 1)))];
}

/// NewArray: rt_array_new(N), then rt_array_push of each operand's word.
[[gnu::noinline]] static uint64_t newArray(const uint64_t *IP,
                                           const uint64_t *FP) {
  uint32_t N = uint32_t(IP[1] >> 32);
  auto New = reinterpret_cast<int64_t (*)(int64_t)>(IP[2]);
  auto Push = reinterpret_cast<int8_t (*)(int64_t, int64_t)>(IP[3]);
  int64_t A = New(int64_t(N));
  for (uint32_t K = 0; K < N; ++K)
    Push(A, int64_t(operandAt(IP + 4, FP, K)));
  return uint64_t(A);
}

/// NewEnumTuple: rt_enum_new(symbol, variant, a tuple of the words).
[[gnu::noinline]] static uint64_t newEnumTuple(const uint64_t *IP,
                                               const uint64_t *FP) {
  uint32_t N = uint32_t(IP[1] >> 32);
  auto New = reinterpret_cast<int64_t (*)(int32_t, int32_t, int64_t)>(IP[2]);
  auto TupleNew = reinterpret_cast<int64_t (*)(int64_t)>(IP[4]);
  auto TupleSet =
      reinterpret_cast<int8_t (*)(int64_t, int64_t, int64_t)>(IP[5]);
  int64_t T = TupleNew(int64_t(N));
  for (uint32_t K = 0; K < N; ++K)
    TupleSet(T, int64_t(K), int64_t(operandAt(IP + 6, FP, K)));
  return uint64_t(
      New(int32_t(uint32_t(IP[3])), int32_t(uint32_t(IP[3] >> 32)), T));
}

// run() alone in a section of its own, so that the interrupt handler knows
// its code exactly (Poll.cpp); a section attribute also keeps GCC from
// splitting off a cold part elsewhere.
// no_sanitize("null"): MIR's Load and Store go through any address the
// program computed, null included; the guard turns the fault into the
// runtime error `invalid memory access at 0x0` (docs/HARDENING.md), so under
// UBSan a null access here is the program's, not ours.
extern "C" const char __start_spl_interp_dispatch[];
extern "C" const char __stop_spl_interp_dispatch[];

void dispatchCode(const void *&Begin, const void *&End) {
  Begin = __start_spl_interp_dispatch;
  End = __stop_spl_interp_dispatch;
}

[[gnu::section("spl_interp_dispatch"), gnu::no_sanitize("null")]] uint64_t
run(ValueStack *S, const uint64_t *IP, uint64_t *FP, uint64_t *Limit,
    uint32_t MaxDepth, uint32_t DepthLeft) {
#if SPL_INTERP_THREADED
  static const void *const Labels[] = {
#define X(N) &&L_##N,
      SPL_INTERP_OPCODES(X)
#undef X
  };
  if (!IP)
    return uint64_t(uintptr_t(Labels));
#define CASE(N) L_##N:
#define DISPATCH() goto *reinterpret_cast<const void *>(*IP)
#else
  if (!IP)
    return 0;
#define CASE(N) case Opc::N:
#define DISPATCH() goto Dispatch
#endif
#define NEXT(Len)                                                              \
  do {                                                                         \
    IP += (Len);                                                               \
    DISPATCH();                                                                \
  } while (0)

  // The interrupt flag of this execution (Poll.cpp): one load and a branch
  // never taken, where the lowering asked for one.
  const uint32_t *const Poll = S->Poll;
#define POLL(FN)                                                               \
  if (SPL_UNLIKELY(__atomic_load_n(Poll, __ATOMIC_RELAXED)))                   \
  pollSlowPath(S, (FN), IP)

  // Before control leaves the dispatch loop for code that may call back in
  // (an extern, native code of another tier, a nested run of an Invoke):
  // what a re-entrant call() finds of this run, free stack from TOP on.
#define SAVE_STATE()                                                           \
  S->Limit = Limit;                                                            \
  S->DepthLeft = DepthLeft;                                                    \
  S->MaxDepth = MaxDepth
#define SAVE_STATE_TOP(TOP)                                                    \
  S->Top = (TOP);                                                              \
  SAVE_STATE()

  // Operand fields: word 1 low/high, word 2 low/high.
#define OA uint32_t(IP[1])
#define OB uint32_t(IP[1] >> 32)
#define OC uint32_t(IP[2])
#define OD uint32_t(IP[2] >> 32)
  // Trapping instructions name their function in word 3.
#define TRAP(K)                                                                \
  trap(TrapKind::K, reinterpret_cast<const CompiledFunction *>(IP[3]))

  // CallExt, CallInd -> DoExtCall
  const ffi::CallPlan *Plan;
  const uint64_t *ArgWords;
  uint32_t NArgs, CallerSize;

#if SPL_INTERP_THREADED
  DISPATCH();
#else
Dispatch:
  switch (Opc(*IP)) {
#endif

  // Binary operations on a slot and a slot (_rr) or an immediate (_ri).
  // BODY computes r from a and b.
#define BIN_RR(NAME, BODY)                                                     \
  CASE(NAME##_rr) {                                                            \
    uint64_t a = FP[OB], b = FP[OC], r;                                        \
    BODY;                                                                      \
    FP[OA] = r;                                                                \
    NEXT(3);                                                                   \
  }
#define BIN_RI(NAME, BODY)                                                     \
  CASE(NAME##_ri) {                                                            \
    uint64_t a = FP[OB], b = IP[2], r;                                         \
    BODY;                                                                      \
    FP[OA] = r;                                                                \
    NEXT(3);                                                                   \
  }
#define BIN(NAME, BODY) BIN_RR(NAME, BODY) BIN_RI(NAME, BODY)
  // The same for operations that can trap: one more word, the function.
#define BIN_T(NAME, BODY)                                                      \
  CASE(NAME##_rr) {                                                            \
    uint64_t a = FP[OB], b = FP[OC], r;                                        \
    BODY;                                                                      \
    FP[OA] = r;                                                                \
    NEXT(4);                                                                   \
  }                                                                            \
  CASE(NAME##_ri) {                                                            \
    uint64_t a = FP[OB], b = IP[2], r;                                         \
    BODY;                                                                      \
    FP[OA] = r;                                                                \
    NEXT(4);                                                                   \
  }

  // Pops the frame and resumes the caller with V in its dest slot (the word
  // before the return address). Expanded in each returning handler.
#define RETURN_WITH(V)                                                         \
  {                                                                            \
    uint64_t Result = (V);                                                     \
    const uint64_t *RetIP = reinterpret_cast<const uint64_t *>(FP[HdrRetIP]);  \
    Limit = reinterpret_cast<uint64_t *>(FP[HdrLimit]);                        \
    FP = reinterpret_cast<uint64_t *>(FP[HdrCallerFP]);                        \
    FP[RetIP[-1]] = Result;                                                    \
    ++DepthLeft;                                                               \
    IP = RetIP;                                                                \
    DISPATCH();                                                                \
  }

  CASE(Exit) { return FP[0]; }
  CASE(Mov) {
    FP[OA] = FP[OB];
    NEXT(2);
  }
  CASE(LoadImm) {
    FP[OA] = IP[2];
    NEXT(3);
  }
  CASE(ZeroSlots) {
    std::memset(FP + OA, 0, size_t(OB) * 8);
    NEXT(2);
  }
  CASE(Jmp) {
    IP = reinterpret_cast<const uint64_t *>(IP[1]);
    DISPATCH();
  }
  CASE(JmpIf) {
    IP = FP[OA] ? reinterpret_cast<const uint64_t *>(IP[2]) : IP + 3;
    DISPATCH();
  }
  CASE(JmpIfNot) {
    IP = FP[OA] ? IP + 3 : reinterpret_cast<const uint64_t *>(IP[2]);
    DISPATCH();
  }
  CASE(Ret) RETURN_WITH(FP[OA])
  CASE(RetImm) RETURN_WITH(IP[1])
  CASE(Trap) {
    trap(TrapKind(OA), reinterpret_cast<const CompiledFunction *>(IP[3]),
         reinterpret_cast<const char *>(IP[2]));
  }
  CASE(Switch) {
  SwitchBody:
    uint64_t V = FP[OA];
    uint32_t N = OB;
    const uint64_t *Table = IP + 3; // N x (value, target), values sorted
    uint32_t Lo = 0, Hi = N;
    while (Lo < Hi) {
      uint32_t Mid = (Lo + Hi) / 2;
      if (Table[2 * Mid] < V)
        Lo = Mid + 1;
      else
        Hi = Mid;
    }
    IP = reinterpret_cast<const uint64_t *>(
        Lo < N && Table[2 * Lo] == V ? Table[2 * Lo + 1] : IP[2]);
    DISPATCH();
  }
  CASE(Alloc) {
    uint64_t *Area = FP + OB;
    std::memset(Area, 0, IP[2]);
    FP[OA] = uint64_t(uintptr_t(Area));
    NEXT(3);
  }

  //===--------------------------------------------------------------------===//
  // Calls
  //===--------------------------------------------------------------------===//

  // A call pushes a frame after the caller's (FS slots from FP, then the
  // header) or, when the stack chunk is full, at the start of the next one.
  // Word 1 of a call holds the Callee it reaches, which a redefinition or
  // a tier-up on another thread may replace at any time (Linkage.h
  // "Publishing"): it is read once, and everything else from it.
#define CALLEE_AT(W)                                                           \
  reinterpret_cast<const Callee *>(__atomic_load_n(&(W), __ATOMIC_ACQUIRE))
  // Counts a call of C for tiering (Bytecode.h "Countdowns").
#define COUNT_CALL(C) countProfile((C), false);
#define PUSH_FRAME(FS, NEXT_IP)                                                \
  if (SPL_UNLIKELY(!Slot->Entry))                                              \
    trapUndefined(Slot->Slot);                                                 \
  if (SPL_UNLIKELY(DepthLeft == 0))                                            \
    trapStackOverflow(Slot->Fn, MaxDepth);                                     \
  COUNT_CALL(Slot)                                                             \
  --DepthLeft;                                                                 \
  uint64_t *NewFP = FP + (FS) + HeaderSlots;                                   \
  uint64_t *CallerLimit = Limit;                                               \
  if (SPL_UNLIKELY(NewFP + Slot->StackNeed > Limit))                           \
    NewFP = growStack(*S, Limit, HeaderSlots + Slot->StackNeed, Slot->Fn,      \
                      MaxDepth) +                                              \
            HeaderSlots;                                                       \
  NewFP[HdrRetIP] = uint64_t(uintptr_t(NEXT_IP));                              \
  NewFP[HdrCallerFP] = uint64_t(uintptr_t(FP));                                \
  NewFP[HdrLimit] = uint64_t(uintptr_t(CallerLimit));
#define ENTER_FRAME(AT)                                                        \
  FP = NewFP;                                                                  \
  IP = (AT);                                                                   \
  DISPATCH();
  // Copies N argument slots packed two per word at Words into Dst.
#define COPY_ARGS(Dst, Words, N)                                               \
  for (uint32_t K = 0; K < (N); K += 2) {                                      \
    uint64_t W = (Words)[K / 2];                                               \
    (Dst)[K] = FP[uint32_t(W)];                                                \
    if (K + 1 < (N))                                                           \
      (Dst)[K + 1] = FP[uint32_t(W >> 32)];                                    \
  }

  CASE(Call0) {
    const Callee *Slot = CALLEE_AT(IP[1]);
    PUSH_FRAME(OC, IP + 4)
    ENTER_FRAME(Slot->Entry)
  }
  // One argument: a callee whose entry guard holds (its base case) is not
  // entered, the guard's result is the call's; otherwise it is entered past
  // the test the guard already made.
#define CALL1(NAME, ARG, LEN)                                                  \
  CASE(NAME) {                                                                 \
    const Callee *Slot = CALLEE_AT(IP[1]);                                     \
    uint64_t Arg = (ARG);                                                      \
    if (Slot->Guard.holds(Arg)) {                                              \
      if (SPL_UNLIKELY(DepthLeft == 0))                                        \
        trapStackOverflow(Slot->Fn, MaxDepth);                                 \
      COUNT_CALL(Slot)                                                         \
      FP[IP[(LEN)-1]] = Slot->Guard.result(Arg);                               \
      NEXT(LEN);                                                               \
    }                                                                          \
    PUSH_FRAME(OC, IP + (LEN))                                                 \
    NewFP[0] = Arg;                                                            \
    ENTER_FRAME(Slot->AfterGuard)                                              \
  }
  CALL1(Call1, FP[OD], 4)
  CALL1(Call1B, FP[OD], 4)
  CALL1(Call1AddImm, FP[OD] + IP[3], 5)
  CALL1(Call1AddImmB, FP[OD] + IP[3], 5)
  CASE(Call2) {
    const Callee *Slot = CALLEE_AT(IP[1]);
    PUSH_FRAME(OC, IP + 5)
    NewFP[0] = FP[uint32_t(IP[3])];
    NewFP[1] = FP[uint32_t(IP[3] >> 32)];
    ENTER_FRAME(Slot->Entry)
  }
  CASE(CallN) {
    const Callee *Slot = CALLEE_AT(IP[1]);
    uint32_t N = OD;
    PUSH_FRAME(OC, IP + 3 + (N + 1) / 2 + 1)
    COPY_ARGS(NewFP, IP + 3, N)
    ENTER_FRAME(Slot->Entry)
  }
  CASE(CallExt) {
    Plan = reinterpret_cast<const ffi::CallPlan *>(IP[1]);
    CallerSize = OC;
    NArgs = OD;
    ArgWords = IP + 3;
    goto DoExtCall;
  }
  // An extern whose plan reads the argument slots itself (FrameInvoker):
  // nothing is copied, so free stack for a re-entrant call() begins right
  // after the frame's header room.
  CASE(CallExtF) {
    Plan = reinterpret_cast<const ffi::CallPlan *>(IP[1]);
    const uint64_t *Next = IP + 3 + (OD + 1) / 2 + 1;
    SAVE_STATE_TOP(FP + OC + HeaderSlots);
    Plan->InvokeFrame(*Plan, FP, IP + 3, &FP[Next[-1]]);
    IP = Next;
    DISPATCH();
  }
  CASE(CallInd) {
    // [op][cache][FS|N][ptr][fn][args...][dest]
    auto *Cache = reinterpret_cast<IndirectCallCache *>(IP[1]);
    uint64_t Ptr = FP[uint32_t(IP[3])];
    uint32_t N = OD;
    if (const FuncSlot *Named = Cache->slots().slotAt(Ptr)) {
      const Callee *Slot = Named->current();
      if (SPL_UNLIKELY(Slot->Fn && Slot->Fn->NumParams != N))
        trap(TrapKind::BadFunctionPointer,
             reinterpret_cast<const CompiledFunction *>(IP[4]));
      PUSH_FRAME(OC, IP + 5 + (N + 1) / 2 + 1)
      COPY_ARGS(NewFP, IP + 5, N)
      ENTER_FRAME(Slot->Entry)
    }
    if (SPL_UNLIKELY(!Ptr))
      trap(TrapKind::BadFunctionPointer,
           reinterpret_cast<const CompiledFunction *>(IP[4]));
    Plan = Cache->get(reinterpret_cast<void *>(uintptr_t(Ptr)));
    if (SPL_UNLIKELY(!Plan))
      trap(TrapKind::BadFunctionPointer,
           reinterpret_cast<const CompiledFunction *>(IP[4]));
    CallerSize = OC;
    NArgs = N;
    ArgWords = IP + 5;
    goto DoExtCall;
  }

  // Runtime functions whose parameters and result are all 64-bit words
  // (rt_array_get, rt_array_len, rt_interp_cstr, rt_enum_discriminant, ...):
  // they never re-enter MIR, so they need neither the call plan's argument
  // copy nor the value-stack bookkeeping of DoExtCall.
  CASE(CallW0) {
    FP[uint32_t(IP[2])] = reinterpret_cast<uint64_t (*)()>(IP[1])();
    IP += 3;
    DISPATCH();
  }
  CASE(CallW1) {
    FP[uint32_t(IP[3])] = reinterpret_cast<uint64_t (*)(uint64_t)>(IP[1])(
        FP[uint32_t(IP[2])]);
    IP += 4;
    DISPATCH();
  }
  CASE(CallW2) {
    FP[uint32_t(IP[3])] =
        reinterpret_cast<uint64_t (*)(uint64_t, uint64_t)>(IP[1])(
            FP[uint32_t(IP[2])], FP[uint32_t(IP[2] >> 32)]);
    IP += 4;
    DISPATCH();
  }
  CASE(CallW3) {
    FP[uint32_t(IP[4])] =
        reinterpret_cast<uint64_t (*)(uint64_t, uint64_t, uint64_t)>(IP[1])(
            FP[uint32_t(IP[2])], FP[uint32_t(IP[2] >> 32)],
            FP[uint32_t(IP[3])]);
    IP += 5;
    DISPATCH();
  }

#if !SPL_INTERP_THREADED
  default:
    __builtin_unreachable();
#endif

  //===--------------------------------------------------------------------===//
  // Memory
  //===--------------------------------------------------------------------===//

#define LOAD(NAME, T, CONV)                                                    \
  CASE(NAME) {                                                                 \
    T V;                                                                       \
    std::memcpy(&V, reinterpret_cast<const void *>(FP[OB]), sizeof(T));       \
    FP[OA] = CONV;                                                             \
    NEXT(2);                                                                   \
  }
  LOAD(LdS8, int8_t, uint64_t(int64_t(V)))
  LOAD(LdU8, uint8_t, uint64_t(V))
  LOAD(LdB1, uint8_t, uint64_t(V != 0))
  LOAD(LdS16, int16_t, uint64_t(int64_t(V)))
  LOAD(LdU16, uint16_t, uint64_t(V))
  LOAD(LdS32, int32_t, uint64_t(int64_t(V)))
  LOAD(LdU32, uint32_t, uint64_t(V))
  LOAD(Ld64, uint64_t, V)
#define STORE(NAME, T)                                                         \
  CASE(NAME) {                                                                 \
    T V = T(FP[OB]);                                                           \
    std::memcpy(reinterpret_cast<void *>(FP[OA]), &V, sizeof(T));             \
    NEXT(2);                                                                   \
  }
  STORE(St8, uint8_t)
  STORE(St16, uint16_t)
  STORE(St32, uint32_t)
  STORE(St64, uint64_t)
  CASE(GepIdx) {
    FP[OA] = FP[OB] + FP[OC] * IP[3] + IP[4];
    NEXT(5);
  }
  CASE(Gep2) {
    FP[OA] = FP[OB] + FP[OC] * IP[3] + FP[OD] * IP[4] + IP[5];
    NEXT(6);
  }
  CASE(GepMulAdd) {
    FP[OA] = FP[OB] + (FP[OC] * FP[OD] + FP[uint32_t(IP[3])]) * IP[4];
    NEXT(5);
  }
#define LOAD_IDX(NAME, T, CONV)                                                \
  CASE(NAME) {                                                                 \
    T V;                                                                       \
    std::memcpy(&V, reinterpret_cast<const void *>(FP[OB] + FP[OC] * IP[3] +  \
                                                   IP[4]),                     \
                sizeof(T));                                                    \
    FP[OA] = CONV;                                                             \
    NEXT(5);                                                                   \
  }
  LOAD_IDX(LdIdxS8, int8_t, uint64_t(int64_t(V)))
  LOAD_IDX(LdIdxU8, uint8_t, uint64_t(V))
  LOAD_IDX(LdIdxB1, uint8_t, uint64_t(V != 0))
  LOAD_IDX(LdIdxS16, int16_t, uint64_t(int64_t(V)))
  LOAD_IDX(LdIdxU16, uint16_t, uint64_t(V))
  LOAD_IDX(LdIdxS32, int32_t, uint64_t(int64_t(V)))
  LOAD_IDX(LdIdxU32, uint32_t, uint64_t(V))
  LOAD_IDX(LdIdx64, uint64_t, V)
  CASE(LdMulAdd64) {
    uint64_t V;
    std::memcpy(&V,
                reinterpret_cast<const void *>(
                    FP[OB] + (FP[OC] * FP[OD] + FP[uint32_t(IP[3])]) * IP[4]),
                8);
    FP[OA] = V;
    NEXT(5);
  }

  //===--------------------------------------------------------------------===//
  // Integer arithmetic
  //===--------------------------------------------------------------------===//

#define WRAPPING(K)                                                            \
  BIN(Add##K, r = NORM_##K(a + b))                                             \
  BIN(Sub##K, r = NORM_##K(a - b))                                             \
  BIN(Mul##K, r = NORM_##K(a * b))                                             \
  BIN_T(Shl##K, if (SPL_UNLIKELY(b >= WIDTH_##K)) TRAP(ShlOverflow);           \
      r = NORM_##K(a << b))                                                    \
  CASE(Neg##K) {                                                               \
    FP[OA] = NORM_##K(0 - FP[OB]);                                             \
    NEXT(2);                                                                   \
  }                                                                            \
  CASE(Norm##K) {                                                              \
    FP[OA] = NORM_##K(FP[OB]);                                                 \
    NEXT(2);                                                                   \
  }
  WRAPPING(W64)
  WRAPPING(S32)
  WRAPPING(U32)
  WRAPPING(S16)
  WRAPPING(U16)
  WRAPPING(S8)
  WRAPPING(U8)
  WRAPPING(B1)

  // Signed operands are sign-extended, so 64-bit division is exact; only
  // MIN / -1 of the operand's own width overflows.
#define SIGNED(K)                                                              \
  BIN_T(Div##K, if (SPL_UNLIKELY(b == 0)) TRAP(DivByZero);                     \
      if (SPL_UNLIKELY(int64_t(a) == MIN_##K && int64_t(b) == -1))             \
          TRAP(DivOverflow);                                                   \
      r = uint64_t(int64_t(a) / int64_t(b)))                                   \
  BIN_T(Rem##K, if (SPL_UNLIKELY(b == 0)) TRAP(RemByZero);                     \
      if (SPL_UNLIKELY(int64_t(a) == MIN_##K && int64_t(b) == -1))             \
          TRAP(RemOverflow);                                                   \
      r = uint64_t(int64_t(a) % int64_t(b)))                                   \
  BIN_T(Shr##K, if (SPL_UNLIKELY(b >= WIDTH_##K)) TRAP(ShrOverflow);           \
        r = uint64_t(int64_t(a) >> b))
  SIGNED(S64)
  SIGNED(S32)
  SIGNED(S16)
  SIGNED(S8)
#define UNSIGNED_SHR(K)                                                        \
  BIN_T(Shr##K, if (SPL_UNLIKELY(b >= WIDTH_##K)) TRAP(ShrOverflow); r = a >> b)
  UNSIGNED_SHR(U64)
  UNSIGNED_SHR(U32)
  UNSIGNED_SHR(U16)
  UNSIGNED_SHR(U8)
  BIN_T(DivU, if (SPL_UNLIKELY(b == 0)) TRAP(DivByZero); r = a / b)
  BIN_T(RemU, if (SPL_UNLIKELY(b == 0)) TRAP(RemByZero); r = a % b)
  // [op][d|a][divisor][magic][sh1|sh2]: the divisor is >= 2 (signed) or
  // >= 1 (unsigned), so nothing can trap.
#define MAGIC(NAME, EXPR)                                                      \
  CASE(NAME) {                                                                 \
    uint64_t a = FP[OB], m = IP[3];                                            \
    unsigned Sh1 = uint32_t(IP[4]), Sh2 = uint32_t(IP[4] >> 32);               \
    FP[OA] = (EXPR);                                                           \
    NEXT(5);                                                                   \
  }
  MAGIC(DivSMagic, uint64_t(sdivByMagic(int64_t(a), m, Sh1, Sh2)))
  MAGIC(RemSMagic, a - uint64_t(sdivByMagic(int64_t(a), m, Sh1, Sh2)) * IP[2])
  MAGIC(DivUMagic, divByMagic(a, m, Sh1, Sh2))
  MAGIC(RemUMagic, a - divByMagic(a, m, Sh1, Sh2) * IP[2])
  BIN(And, r = a & b)
  BIN(Or, r = a | b)
  BIN(Xor, r = a ^ b)

  // Overflow checks: 64-bit types with the builtins; narrower ones compute
  // exactly in 64 bits and check that the result is still canonical.
#define CHECKED64(K, T)                                                        \
  BIN_T(CAdd##K, T x; if (__builtin_add_overflow(T(a), T(b), &x))              \
                          TRAP(AddOverflow);                                   \
        r = uint64_t(x))                                                       \
  BIN_T(CSub##K, T x; if (__builtin_sub_overflow(T(a), T(b), &x))              \
                          TRAP(SubOverflow);                                   \
        r = uint64_t(x))                                                       \
  BIN_T(CMul##K, T x; if (__builtin_mul_overflow(T(a), T(b), &x))              \
                          TRAP(MulOverflow);                                   \
        r = uint64_t(x))
#define CHECKED(K)                                                             \
  BIN_T(CAdd##K, r = a + b; if (NORM_##K(r) != r) TRAP(AddOverflow))          \
  BIN_T(CSub##K, r = a - b; if (NORM_##K(r) != r) TRAP(SubOverflow))           \
  BIN_T(CMul##K, r = a * b; if (NORM_##K(r) != r) TRAP(MulOverflow))
  CHECKED64(S64, int64_t)
  CHECKED64(U64, uint64_t)
  CHECKED(S32)
  CHECKED(U32)
  CHECKED(S16)
  CHECKED(U16)
  CHECKED(S8)
  CHECKED(U8)

  CASE(PowI) {
    uint64_t Base = FP[OB], E = FP[OC], Acc = 1;
    uint32_t Info = OD;
    if ((Info & 256) && int64_t(E) < 0)
      TRAP(NegativePow);
    for (; E; E >>= 1) {
      if (E & 1)
        Acc *= Base;
      Base *= Base;
    }
    FP[OA] = normalize(Acc, NormKind(Info & 255));
    NEXT(4);
  }

  //===--------------------------------------------------------------------===//
  // Comparisons and compare-and-branch
  //===--------------------------------------------------------------------===//

#define CONDITIONS(M)                                                          \
  M(Eq, a == b)                                                                \
  M(Ne, a != b)                                                                \
  M(LtS, int64_t(a) < int64_t(b))                                              \
  M(LeS, int64_t(a) <= int64_t(b))                                             \
  M(GtS, int64_t(a) > int64_t(b))                                              \
  M(GeS, int64_t(a) >= int64_t(b))                                             \
  M(LtU, a < b)                                                                \
  M(LeU, a <= b)                                                               \
  M(GtU, a > b)                                                                \
  M(GeU, a >= b)
#define CMP(CC, EXPR) BIN(Cmp##CC, r = (EXPR))
  CONDITIONS(CMP)
#define BRANCH(CC, EXPR)                                                       \
  CASE(Br##CC##_rr) {                                                          \
    uint64_t a = FP[OA], b = FP[OB];                                           \
    IP = (EXPR) ? reinterpret_cast<const uint64_t *>(IP[2]) : IP + 3;          \
    DISPATCH();                                                                \
  }                                                                            \
  CASE(Br##CC##_ri) {                                                          \
    uint64_t a = FP[uint32_t(IP[1])], b = IP[2];                               \
    IP = (EXPR) ? reinterpret_cast<const uint64_t *>(IP[3]) : IP + 4;          \
    DISPATCH();                                                                \
  }
  CONDITIONS(BRANCH)
  // Back-edges (Poll.cpp): the same jumps, then a poll. The C forms (an
  // interpreter that counts back-edges for tiering: Interpreter.h) have the
  // running definition's Callee in one more word, and count there first
  // (Bytecode.h "Countdowns"); the P forms are free of it.
#define COUNT_EDGE_P(W)
#define COUNT_EDGE_C(W)                                                        \
  const Callee *EdgeOf = reinterpret_cast<const Callee *>(W);                  \
  const uint64_t *EdgeFrom = IP;                                               \
  bool EdgeFired = countDown(&EdgeOf->Prof.EdgesLeft);
  // (osr) After a counting back-edge has landed: when its countdown ran out,
  // the slow path may hand over a continuation of this call at IP's block;
  // the call then ends with what the continuation returns. The value stack
  // above the frame (its Alloc areas included) is the continuation's, as
  // for an extern call.
#define OSR_CHECK_P
#define OSR_CHECK_C                                                            \
  if (SPL_UNLIKELY(EdgeFired)) {                                               \
    mir::BlockId OsrBlock;                                                     \
    if (mir::OSREntryFn OsrEntry =                                             \
            edgeSlowPath(EdgeOf, EdgeFrom, IP, OsrBlock)) {                    \
      SAVE_STATE_TOP(FP + EdgeOf->Fn->FrameSize);                              \
      RETURN_WITH(OsrEntry(FP, MaxDepth - DepthLeft, OsrBlock))                \
    }                                                                          \
  }
  // K: P or C; N: the words the count takes (0 or 1).
#define BACK_EDGE_FORMS(K, N)                                                  \
  CASE(Jmp##K) {                                                               \
    COUNT_EDGE_##K(IP[2])                                                      \
    IP = reinterpret_cast<const uint64_t *>(IP[1]);                            \
    OSR_CHECK_##K                                                              \
    POLL(nullptr);                                                             \
    DISPATCH();                                                                \
  }                                                                            \
  CASE(JmpIf##K) {                                                             \
    COUNT_EDGE_##K(IP[3])                                                      \
    IP = FP[OA] ? reinterpret_cast<const uint64_t *>(IP[2]) : IP + 3 + N;      \
    OSR_CHECK_##K                                                              \
    POLL(nullptr);                                                             \
    DISPATCH();                                                                \
  }                                                                            \
  CASE(JmpIfNot##K) {                                                          \
    COUNT_EDGE_##K(IP[3])                                                      \
    IP = FP[OA] ? IP + 3 + N : reinterpret_cast<const uint64_t *>(IP[2]);      \
    OSR_CHECK_##K                                                              \
    POLL(nullptr);                                                             \
    DISPATCH();                                                                \
  }                                                                            \
  CASE(Switch##K) {                                                            \
    COUNT_EDGE_##K(IP[3 + 2 * OB])                                             \
    OSR_CHECK_##K                                                              \
    POLL(nullptr);                                                             \
    goto SwitchBody;                                                           \
  }                                                                            \
  CASE(IncBrLtS##K##_rr) {                                                     \
    uint64_t X = FP[OA] + IP[2];                                               \
    FP[OA] = X;                                                                \
    COUNT_EDGE_##K(IP[4])                                                      \
    IP = int64_t(X) < int64_t(FP[OB])                                          \
             ? reinterpret_cast<const uint64_t *>(IP[3])                       \
             : IP + 4 + N;                                                     \
    OSR_CHECK_##K                                                              \
    POLL(nullptr);                                                             \
    DISPATCH();                                                                \
  }                                                                            \
  CASE(IncBrLtS##K##_ri) {                                                     \
    uint64_t X = FP[OA] + IP[2];                                               \
    FP[OA] = X;                                                                \
    COUNT_EDGE_##K(IP[5])                                                      \
    IP = int64_t(X) < int64_t(IP[3])                                           \
             ? reinterpret_cast<const uint64_t *>(IP[4])                       \
             : IP + 5 + N;                                                     \
    OSR_CHECK_##K                                                              \
    POLL(nullptr);                                                             \
    DISPATCH();                                                                \
  }
#define BRANCH_BACK(K, N, CC, EXPR)                                            \
  CASE(Br##K##CC##_rr) {                                                       \
    uint64_t a = FP[OA], b = FP[OB];                                           \
    COUNT_EDGE_##K(IP[3])                                                      \
    IP = (EXPR) ? reinterpret_cast<const uint64_t *>(IP[2]) : IP + 3 + N;      \
    OSR_CHECK_##K                                                              \
    POLL(nullptr);                                                             \
    DISPATCH();                                                                \
  }                                                                            \
  CASE(Br##K##CC##_ri) {                                                       \
    uint64_t a = FP[uint32_t(IP[1])], b = IP[2];                               \
    COUNT_EDGE_##K(IP[4])                                                      \
    IP = (EXPR) ? reinterpret_cast<const uint64_t *>(IP[3]) : IP + 4 + N;      \
    OSR_CHECK_##K                                                              \
    POLL(nullptr);                                                             \
    DISPATCH();                                                                \
  }
#define BRANCH_P(CC, EXPR) BRANCH_BACK(P, 0, CC, EXPR)
#define BRANCH_C(CC, EXPR) BRANCH_BACK(C, 1, CC, EXPR)
  CONDITIONS(BRANCH_P)
  CONDITIONS(BRANCH_C)
  BACK_EDGE_FORMS(P, 0)
  BACK_EDGE_FORMS(C, 1)
  CASE(Poll) {
    POLL(nullptr);
    NEXT(1);
  }
#define RETURN_IF(CC, EXPR)                                                    \
  CASE(RetIf##CC##_rr) {                                                       \
    uint64_t a = FP[OA], b = FP[OB];                                           \
    if (EXPR)                                                                  \
      RETURN_WITH((IP[3] >> 32) ? IP[4] : FP[uint32_t(IP[3])])                 \
    NEXT(5);                                                                   \
  }                                                                            \
  CASE(RetIf##CC##_ri) {                                                       \
    uint64_t a = FP[OA], b = IP[2];                                            \
    if (EXPR)                                                                  \
      RETURN_WITH((IP[3] >> 32) ? IP[4] : FP[uint32_t(IP[3])])                 \
    NEXT(5);                                                                   \
  }
  CONDITIONS(RETURN_IF)

  //===--------------------------------------------------------------------===//
  // Floats
  //===--------------------------------------------------------------------===//

#define FBIN(NAME, T, EXPR)                                                    \
  CASE(NAME) {                                                                 \
    T a = FROM_##T(FP[OB]), b = FROM_##T(FP[OC]);                              \
    FP[OA] = TO_##T(EXPR);                                                     \
    NEXT(3);                                                                   \
  }
#define FROM_F64 bitsToF64
#define FROM_F32 bitsToF32
#define TO_F64 f64ToBits
#define TO_F32 f32ToBits
  FBIN(FAddF64, F64, a + b)
  FBIN(FSubF64, F64, a - b)
  FBIN(FMulF64, F64, a * b)
  FBIN(FDivF64, F64, a / b)
  FBIN(FRemF64, F64, std::fmod(a, b))
  FBIN(FPowF64, F64, std::pow(a, b))
  FBIN(FAddF32, F32, a + b)
  FBIN(FSubF32, F32, a - b)
  FBIN(FMulF32, F32, a * b)
  FBIN(FDivF32, F32, a / b)
  FBIN(FRemF32, F32, std::fmod(a, b))
  FBIN(FPowF32, F32, std::pow(a, b))
  // Two roundings, never a fused multiply-add: the interpreter is built with
  // -ffp-contract=off (interp/CMakeLists.txt), so `p` is rounded to double.
  CASE(IncBrLtS_rr) {
    uint64_t X = FP[OA] + IP[2];
    FP[OA] = X;
    IP = int64_t(X) < int64_t(FP[OB]) ? reinterpret_cast<const uint64_t *>(IP[3])
                                      : IP + 4;
    DISPATCH();
  }
  CASE(IncBrLtS_ri) {
    uint64_t X = FP[OA] + IP[2];
    FP[OA] = X;
    IP = int64_t(X) < int64_t(IP[3]) ? reinterpret_cast<const uint64_t *>(IP[4])
                                     : IP + 5;
    DISPATCH();
  }
#define ACC_MUL(NAME, OP)                                                      \
  CASE(NAME) {                                                                 \
    void *P = reinterpret_cast<void *>(FP[OA] + FP[OB] * IP[2] + IP[3]);       \
    double V, M = bitsToF64(FP[uint32_t(IP[4])]) *                             \
                  bitsToF64(FP[uint32_t(IP[4] >> 32)]);                        \
    std::memcpy(&V, P, 8);                                                     \
    V = V OP M;                                                                \
    std::memcpy(P, &V, 8);                                                     \
    NEXT(5);                                                                   \
  }
  ACC_MUL(FAccMulAddF64, +)
  ACC_MUL(FAccMulSubF64, -)
  CASE(FDotMulAddF64) {
    double X, Y;
    std::memcpy(&X,
                reinterpret_cast<const void *>(
                    FP[OC] + (FP[OD] * FP[uint32_t(IP[3])] +
                              FP[uint32_t(IP[3] >> 32)]) *
                                 uint32_t(IP[6])),
                8);
    std::memcpy(&Y,
                reinterpret_cast<const void *>(
                    FP[uint32_t(IP[4])] +
                    (FP[uint32_t(IP[4] >> 32)] * FP[uint32_t(IP[5])] +
                     FP[uint32_t(IP[5] >> 32)]) *
                        uint32_t(IP[6] >> 32)),
                8);
    double P = X * Y;
    FP[OA] = f64ToBits(bitsToF64(FP[OB]) + P);
    NEXT(7);
  }
#define FBIN_LDLD(NAME, OP)                                                    \
  CASE(NAME) {                                                                 \
    double X, Y;                                                               \
    std::memcpy(&X, reinterpret_cast<const void *>(FP[OB] + FP[OC] * IP[4] +  \
                                                   IP[5]),                     \
                8);                                                            \
    std::memcpy(&Y, reinterpret_cast<const void *>(                          \
                        FP[OD] + FP[uint32_t(IP[3])] * IP[6] + IP[7]),         \
                8);                                                            \
    FP[OA] = f64ToBits(X OP Y);                                                \
    NEXT(8);                                                                   \
  }
  FBIN_LDLD(FAddLdLdF64, +)
  FBIN_LDLD(FSubLdLdF64, -)
  FBIN_LDLD(FMulLdLdF64, *)
  FBIN_LDLD(FDivLdLdF64, /)
#define FBIN_LD(NAME, OP)                                                      \
  CASE(NAME) {                                                                 \
    double X;                                                                  \
    std::memcpy(&X, reinterpret_cast<const void *>(FP[OB] + FP[OC] * IP[3] +  \
                                                   IP[4]),                     \
                8);                                                            \
    FP[OA] = f64ToBits(X OP bitsToF64(FP[OD]));                                \
    NEXT(5);                                                                   \
  }
  FBIN_LD(FAddLdF64, +)
  FBIN_LD(FSubLdF64, -)
  FBIN_LD(FMulLdF64, *)
  FBIN_LD(FDivLdF64, /)
  CASE(GepLd64) {
    uint64_t P = FP[uint32_t(IP[2])] + FP[uint32_t(IP[2] >> 32)] * IP[3] + IP[4];
    uint64_t V;
    std::memcpy(&V, reinterpret_cast<const void *>(P), 8);
    FP[OA] = P;
    FP[OB] = V;
    NEXT(5);
  }
  CASE(MulAddW64) {
    FP[OA] = FP[OB] * FP[OC] + FP[OD];
    NEXT(3);
  }
  CASE(FMulAddF64) {
    double p = bitsToF64(FP[OB]) * bitsToF64(FP[OC]);
    FP[OA] = f64ToBits(bitsToF64(FP[OD]) + p);
    NEXT(3);
  }
  CASE(FMulSubF64) {
    double p = bitsToF64(FP[OB]) * bitsToF64(FP[OC]);
    FP[OA] = f64ToBits(bitsToF64(FP[OD]) - p);
    NEXT(3);
  }
  CASE(FMulRSubF64) {
    double p = bitsToF64(FP[OB]) * bitsToF64(FP[OC]);
    FP[OA] = f64ToBits(p - bitsToF64(FP[OD]));
    NEXT(3);
  }
#define FBIN_IMM(NAME, OP)                                                     \
  CASE(NAME##_ri) {                                                            \
    FP[OA] = f64ToBits(bitsToF64(FP[OB]) OP bitsToF64(IP[2]));                 \
    NEXT(3);                                                                   \
  }                                                                            \
  CASE(NAME##_ir) {                                                            \
    FP[OA] = f64ToBits(bitsToF64(IP[2]) OP bitsToF64(FP[OB]));                 \
    NEXT(3);                                                                   \
  }
  FBIN_IMM(FAddF64, +)
  FBIN_IMM(FSubF64, -)
  FBIN_IMM(FMulF64, *)
  FBIN_IMM(FDivF64, /)
  CASE(FNegF64) {
    FP[OA] = FP[OB] ^ (uint64_t(1) << 63);
    NEXT(2);
  }
  CASE(FNegF32) {
    FP[OA] = FP[OB] ^ (uint64_t(1) << 31);
    NEXT(2);
  }
#define FCMP(NAME, T, EXPR)                                                    \
  CASE(NAME) {                                                                 \
    T a = FROM_##T(FP[OB]), b = FROM_##T(FP[OC]);                              \
    FP[OA] = (EXPR) ? 1 : 0;                                                   \
    NEXT(3);                                                                   \
  }
#define FCMPS(P, T)                                                            \
  FCMP(P##CmpEq, T, a == b)                                                    \
  FCMP(P##CmpNe, T, !(a == b))                                                 \
  FCMP(P##CmpLt, T, a < b)                                                     \
  FCMP(P##CmpLe, T, a <= b)                                                    \
  FCMP(P##CmpGt, T, a > b)                                                     \
  FCMP(P##CmpGe, T, a >= b)
  FCMPS(F64, F64)
  FCMPS(F32, F32)

  //===--------------------------------------------------------------------===//
  // Conversions
  //===--------------------------------------------------------------------===//

#define UNARY(NAME, EXPR)                                                      \
  CASE(NAME) {                                                                 \
    uint64_t a = FP[OB];                                                       \
    FP[OA] = (EXPR);                                                           \
    NEXT(2);                                                                   \
  }
  UNARY(S2F64, f64ToBits(double(int64_t(a))))
  UNARY(U2F64, f64ToBits(double(a)))
  UNARY(S2F32, f32ToBits(float(int64_t(a))))
  UNARY(U2F32, f32ToBits(float(a)))
  UNARY(F64ToF32, f32ToBits(float(bitsToF64(a))))
  UNARY(F32ToF64, f64ToBits(double(bitsToF32(a))))
  UNARY(NeZero, a != 0)
#define TO_INT(NAME, EXPR)                                                     \
  CASE(NAME) {                                                                 \
    uint64_t a = FP[OB];                                                       \
    unsigned Bits = unsigned(IP[2]);                                           \
    FP[OA] = (EXPR);                                                           \
    NEXT(3);                                                                   \
  }
  TO_INT(F64ToS, floatToSigned(bitsToF64(a), Bits))
  TO_INT(F64ToU, floatToUnsigned(bitsToF64(a), Bits))
  TO_INT(F32ToS, floatToSigned(bitsToF32(a), Bits))
  TO_INT(F32ToU, floatToUnsigned(bitsToF32(a), Bits))

  //===--------------------------------------------------------------------===//
  // Intrinsics
  //===--------------------------------------------------------------------===//

  CASE(Intr1F64) {
    auto Fn = reinterpret_cast<double (*)(double)>(IP[2]);
    FP[OA] = f64ToBits(Fn(bitsToF64(FP[OB])));
    NEXT(3);
  }
  CASE(Intr2F64) {
    auto Fn = reinterpret_cast<double (*)(double, double)>(IP[3]);
    FP[OA] = f64ToBits(Fn(bitsToF64(FP[OB]), bitsToF64(FP[OC])));
    NEXT(4);
  }
  CASE(Intr1F32) {
    auto Fn = reinterpret_cast<float (*)(float)>(IP[2]);
    FP[OA] = f32ToBits(Fn(bitsToF32(FP[OB])));
    NEXT(3);
  }
  CASE(Intr2F32) {
    auto Fn = reinterpret_cast<float (*)(float, float)>(IP[3]);
    FP[OA] = f32ToBits(Fn(bitsToF32(FP[OB]), bitsToF32(FP[OC])));
    NEXT(4);
  }
  CASE(SqrtF64) {
    FP[OA] = f64ToBits(std::sqrt(bitsToF64(FP[OB])));
    NEXT(2);
  }

  //===--------------------------------------------------------------------===//
  // (v2) Fields, aggregates, intrinsics, exceptions
  //===--------------------------------------------------------------------===//

  // The word at base + offset in d's canonical form (MIR.md "GetField").
#define GET_FIELD(K)                                                           \
  CASE(GetField##K) {                                                          \
    uint64_t W;                                                                \
    std::memcpy(&W, reinterpret_cast<const char *>(FP[OB]) + IP[2], 8);        \
    FP[OA] = NORM_##K(W);                                                      \
    NEXT(3);                                                                   \
  }
  GET_FIELD(W64)
  GET_FIELD(S32)
  GET_FIELD(U32)
  GET_FIELD(S16)
  GET_FIELD(U16)
  GET_FIELD(S8)
  GET_FIELD(U8)
  GET_FIELD(B1)
  CASE(SetField) {
    // A canonical slot is already the field's encoding.
    std::memcpy(reinterpret_cast<char *>(FP[OA]) + IP[2], &FP[OB], 8);
    NEXT(3);
  }
  // The operands are read before d is written: d may be one of them.
  CASE(NewWords) {
    uint32_t N = OB;
    auto Alloc = reinterpret_cast<void *(*)(int64_t)>(IP[2]);
    auto *Words = static_cast<uint64_t *>(Alloc(int64_t(8) * N));
    COPY_ARGS(Words, IP + 3, N)
    FP[OA] = uint64_t(uintptr_t(Words));
    NEXT(3 + (N + 1) / 2);
  }
  CASE(NewArray) {
    FP[OA] = newArray(IP, FP);
    NEXT(4 + (OB + 1) / 2);
  }
  CASE(NewEnum) {
    auto New = reinterpret_cast<int64_t (*)(int32_t, int32_t, int64_t)>(IP[2]);
    FP[OA] = uint64_t(New(int32_t(uint32_t(IP[3])),
                          int32_t(uint32_t(IP[3] >> 32)), int64_t(FP[OB])));
    NEXT(4);
  }
  CASE(NewEnumTuple) {
    FP[OA] = newEnumTuple(IP, FP);
    NEXT(6 + (OB + 1) / 2);
  }
  CASE(Phi) {
    // The pred slot holds the id of the block that jumped here (or ~0).
    uint64_t Pred = FP[OB];
    uint32_t N = OC;
    uint64_t V = FP[OD];
    for (uint32_t K = 0; K < N; ++K)
      if (uint32_t(IP[3 + K]) == Pred) {
        V = FP[uint32_t(IP[3 + K] >> 32)];
        break;
      }
    FP[OA] = V;
    NEXT(3 + N);
  }
  CASE(BoundsCheck) {
    int64_t Index = int64_t(FP[OB]), Len = int64_t(FP[OC]);
    if (SPL_UNLIKELY(Index < 0 || Index >= Len))
      spl_rt_bounds_fail(Index, Len, reinterpret_cast<const char *>(IP[3]));
    FP[OA] = uint64_t(Index);
    NEXT(4);
  }
  CASE(CallC2) {
    auto Fn = reinterpret_cast<uint64_t (*)(uint64_t, uint64_t)>(IP[3]);
    FP[OA] = Fn(FP[OB], FP[OC]);
    NEXT(4);
  }
  CASE(CallC3V) {
    auto Fn =
        reinterpret_cast<void (*)(void *, const void *, const void *)>(IP[3]);
    Fn(reinterpret_cast<void *>(FP[OA]), reinterpret_cast<void *>(FP[OB]),
       reinterpret_cast<void *>(FP[OC]));
    NEXT(4);
  }
  CASE(CallC4V) {
    auto Fn = reinterpret_cast<void (*)(void *, const void *, const void *,
                                        const void *)>(IP[3]);
    Fn(reinterpret_cast<void *>(FP[OA]), reinterpret_cast<void *>(FP[OB]),
       reinterpret_cast<void *>(FP[OC]), reinterpret_cast<void *>(FP[OD]));
    NEXT(4);
  }
  CASE(Invoke) {
    SAVE_STATE();
    IP = invokeCatching(S, IP, FP);
    DISPATCH();
  }
  // Ends the nested run() of an Invoke once its call has returned.
  CASE(LeaveCall) { return 0; }
  CASE(CallNative) {
    // (tiering) A thunk's frame holds its arguments; the native entry runs
    // at this frame's depth, with the value stack above the frame free for
    // an interpreted callee it reaches (as for an extern call), and writes
    // its result into the frame.
    uint32_t N = uint32_t(IP[2]);
    SAVE_STATE_TOP(FP + N + 1);
    reinterpret_cast<void (*)(const uint64_t *, uint64_t *, uint32_t)>(IP[1])(
        FP, FP + N, MaxDepth - DepthLeft);
    RETURN_WITH(FP[N])
  }
  CASE(Throw) {
    spl_rt_throw(int64_t(FP[OA]), int64_t(FP[OB]),
                 reinterpret_cast<const char *>(IP[2]));
  }

#if !SPL_INTERP_THREADED
  case Opc::NumOpcodes:
    __builtin_unreachable();
  } // switch
#endif

  //===--------------------------------------------------------------------===//
  // Shared tails of calls and returns
  //===--------------------------------------------------------------------===//

DoExtCall: {
  // Arguments go where a callee's would (StackNeed reserves the room); Top
  // tells a re-entrant call() where free stack begins.
  uint64_t *Out = FP + CallerSize + HeaderSlots;
  COPY_ARGS(Out, ArgWords, NArgs)
  const uint64_t *Next = ArgWords + (NArgs + 1) / 2 + 1;
  SAVE_STATE_TOP(Out + NArgs);
  Plan->invoke(Out, &FP[Next[-1]]);
  IP = Next;
  DISPATCH();
}

}

#if SPL_INTERP_THREADED
uint64_t handlerWord(Opc O) {
  static const void *const *Labels = reinterpret_cast<const void *const *>(
      run(nullptr, nullptr, nullptr, nullptr, 0, 0));
  return uint64_t(uintptr_t(Labels[unsigned(O)]));
}
#else
uint64_t handlerWord(Opc O) { return uint64_t(O); }
#endif

const uint64_t *exitCode() {
  static const uint64_t Code[2] = {/*dest=*/0, handlerWord(Opc::Exit)};
  return Code + 1;
}

const char *opcodeName(Opc O) {
  static const char *const Names[] = {
#define X(N) #N,
      SPL_INTERP_OPCODES(X)
#undef X
  };
  return unsigned(O) < unsigned(Opc::NumOpcodes) ? Names[unsigned(O)] : "?";
}

} // namespace spl::interp
