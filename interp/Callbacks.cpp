//===- interp/Callbacks.cpp - libffi closures that enter the interpreter --===//

#include "interp/Callbacks.h"
#include "interp/Linkage.h"

#include "ffi/FFI.h"
#include "mir/Semantics.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <ffi.h>

using namespace llvm;
using spl::mir::TypeKind;

namespace spl::interp {

struct CallbackTable::Callback {
  const FuncSlot *Slot = nullptr;
  const std::atomic<unsigned> *MaxDepth = nullptr;
  mir::Signature Sig;
  ffi_cif Cif;
  std::unique_ptr<ffi_type *[]> ArgTypes;
  ffi_closure *Closure = nullptr;
  void *Code = nullptr;
  ffi::CallbackErrors *Errors = nullptr;
  /// The closure's trampoline as code of the function (a JIT tier may call
  /// the pointer: ffi::isCodeAddress; a fault names the function).
  ffi::CodeRange Range;
  ~Callback() {
    if (Closure)
      ffi_closure_free(Closure);
  }
};

/// The libffi type of a scalar, or null for one C cannot pass.
static ffi_type *ffiTypeFor(const mir::Type &T) {
  if (T.isWordValue()) // (v2) handles and Array values: one word
    return &ffi_type_sint64;
  switch (T.Kind) {
  case TypeKind::I8: return &ffi_type_sint8;
  case TypeKind::I16: return &ffi_type_sint16;
  case TypeKind::I32: return &ffi_type_sint32;
  case TypeKind::I64: return &ffi_type_sint64;
  case TypeKind::U8: return &ffi_type_uint8;
  case TypeKind::U16: return &ffi_type_uint16;
  case TypeKind::U32: return &ffi_type_uint32;
  case TypeKind::U64: return &ffi_type_uint64;
  case TypeKind::F32: return &ffi_type_float;
  case TypeKind::F64: return &ffi_type_double;
  case TypeKind::Bool: return &ffi_type_uint8; // C bool
  case TypeKind::Char: return &ffi_type_uint32;
  case TypeKind::Ptr:
  case TypeKind::FuncPtr: return &ffi_type_pointer;
  default: return nullptr;
  }
}

/// A C argument of type T as a canonical raw slot: its C-sized bytes read
/// as a word and brought to T's slot form (mir::wordToSlot), except that a
/// C bool is true for any nonzero byte.
static uint64_t fromC(const void *P, const mir::Type &T) {
  mir::SlotRep R = mir::slotRep(T);
  if (R.Kind == mir::SlotKind::Bool)
    return *static_cast<const uint8_t *>(P) != 0;
  if (R.Kind == mir::SlotKind::None || R.Bits >= 64) {
    uint64_t V;
    std::memcpy(&V, P, 8);
    return V;
  }
  uint64_t V = 0; // x86-64 only: the low bytes of the word come first
  std::memcpy(&V, P, R.Bits / 8);
  return mir::wordToSlot(T, V);
}

/// Writes raw slot V as a C result of type T (integers as a full ffi_arg,
/// as libffi wants; a float as its 4 bytes).
static void toC(uint64_t V, const mir::Type &T, void *Ret) {
  switch (mir::slotRep(T).Kind) {
  case mir::SlotKind::None:
    return;
  case mir::SlotKind::F32Bits: {
    uint32_t Bits = uint32_t(V);
    std::memcpy(Ret, &Bits, 4);
    return;
  }
  default: std::memcpy(Ret, &V, 8);
  }
}

/// Runs the callback's function on top of S with args from C. A trap
/// longjmps out of here (nothing here has a destructor); S is restored on
/// the way out of the enclosing execution. The run sits inside an exception
/// barrier: a raise that reaches this C edge uncaught becomes the runtime
/// error there instead of unwinding through the C code that called us
/// (spl_eh_push/pop by hand, not RAII: a trap jumps over this frame, and the
/// guard it lands in drops the frame from the chain).
static uint64_t runNested(const CallbackTable::Callback &C, ValueStack &S,
                          void **Args, uint32_t MaxDepth, uint32_t DepthLeft) {
  const FuncSlot *Slot = C.Slot;
  const Callee *Target = Slot->current();
  const CompiledFunction *Fn = Target->Fn;
  if (!Fn)
    trapUndefined(Slot);
  if (Fn->NumParams != C.Sig.Params.size())
    trap(mir::TrapKind::BadFunctionPointer, Fn);
  if (DepthLeft == 0 ||
      static_cast<const char *>(__builtin_frame_address(0)) < nativeStackFloor())
    trapStackOverflow(Fn, MaxDepth);
  uint64_t *SavedTop = S.Top, *SavedLimit = S.Limit;
  uint32_t SavedDepthLeft = S.DepthLeft, SavedMaxDepth = S.MaxDepth;
  uint64_t *Limit = S.Limit;
  uint64_t *FP;
  if (!S.Top || S.Top + HeaderSlots + Target->StackNeed > Limit)
    FP = growStack(S, Limit, HeaderSlots + Target->StackNeed, Fn, MaxDepth) +
         HeaderSlots;
  else
    FP = S.Top + HeaderSlots;
  uint64_t ResultSlot = 0; // the entry frame's "caller frame"
  FP[HdrRetIP] = uint64_t(uintptr_t(exitCode()));
  FP[HdrCallerFP] = uint64_t(uintptr_t(&ResultSlot));
  FP[HdrLimit] = uint64_t(uintptr_t(Limit));
  for (size_t K = 0; K < C.Sig.Params.size(); ++K)
    FP[K] = fromC(Args[K], C.Sig.Params[K]);
  ffi::EHFrame Barrier;
  Barrier.Kind = ffi::EHKind::Barrier;
  spl_eh_push(&Barrier);
  // A call like any other: counted for tiering.
  countProfile(Target, false);
  uint64_t R = run(&S, Target->Entry, FP, Limit, MaxDepth, DepthLeft - 1);
  spl_eh_pop(&Barrier);
  S.Top = SavedTop;
  S.Limit = SavedLimit;
  S.DepthLeft = SavedDepthLeft;
  S.MaxDepth = SavedMaxDepth;
  return R;
}

static void enterFromC(ffi_cif *, void *Ret, void **Args, void *Data) {
  const auto &C = *static_cast<const CallbackTable::Callback *>(Data);
  ValueStack &S = threadStack();
  if (S.MaxDepth != 0 && ffi::inGuard()) {
    // Called from C that an interpreted execution called: part of it.
    toC(runNested(C, S, Args, S.MaxDepth, S.DepthLeft), C.Sig.Ret, Ret);
    return;
  }
  // Called with no execution running (C kept the pointer): an execution
  // of its own. A trap there makes the callback return 0 and leaves the
  // error on the manager (never an abort of the host).
  unsigned Max = C.MaxDepth->load(std::memory_order_relaxed);
  uint64_t R = 0;
  uint64_t *SavedTop = S.Top, *SavedLimit = S.Limit;
  uint32_t SavedDepthLeft = S.DepthLeft, SavedMaxDepth = S.MaxDepth;
  if (!ffi::runCallback([&] { R = runNested(C, S, Args, Max, Max); },
                        C.Errors, Max)) {
    S.Top = SavedTop;
    S.Limit = SavedLimit;
    S.DepthLeft = SavedDepthLeft;
    S.MaxDepth = SavedMaxDepth;
    R = 0;
  }
  toC(R, C.Sig.Ret, Ret);
}

CallbackTable::CallbackTable(SlotTable &Slots,
                             const std::atomic<unsigned> &MaxDepth,
                             ffi::CallbackErrors *Errors)
    : Slots(Slots), MaxDepth(MaxDepth), Errors(Errors) {}
CallbackTable::~CallbackTable() = default;

Expected<uint64_t> CallbackTable::address(FuncSlot *Slot,
                                          const mir::Signature &Sig) {
  auto &Entry = Made[{Slot, signatureKey(Sig)}];
  if (Entry)
    return uint64_t(uintptr_t(Entry->Code));
  auto Unsupported = [&] {
    return createStringError(inconvertibleErrorCode(),
                             "passing MIR function `" + Slot->Name +
                                 "` of type " + Sig.str() +
                                 " to C is not supported by the interpreter");
  };
  auto C = std::make_unique<Callback>();
  C->Slot = Slot;
  C->MaxDepth = &MaxDepth;
  C->Errors = Errors;
  C->Sig = Sig;
  if (Sig.Variadic)
    return Unsupported();
  C->ArgTypes = std::make_unique<ffi_type *[]>(Sig.Params.size() + 1);
  for (size_t K = 0; K < Sig.Params.size(); ++K)
    if (!(C->ArgTypes[K] = ffiTypeFor(Sig.Params[K])))
      return Unsupported();
  ffi_type *RetType = Sig.Ret.isVoid() ? &ffi_type_void : ffiTypeFor(Sig.Ret);
  if (!RetType)
    return Unsupported();
  if (ffi_prep_cif(&C->Cif, FFI_DEFAULT_ABI, unsigned(Sig.Params.size()),
                   RetType, C->ArgTypes.get()) != FFI_OK)
    return Unsupported();
  C->Closure =
      static_cast<ffi_closure *>(ffi_closure_alloc(sizeof(ffi_closure), &C->Code));
  if (!C->Closure)
    return createStringError(inconvertibleErrorCode(),
                             "out of memory for a C callback");
  if (ffi_prep_closure_loc(C->Closure, &C->Cif, enterFromC, C.get(),
                           C->Code) != FFI_OK)
    return Unsupported();
  Slots.addCallback(uint64_t(uintptr_t(C->Code)), Slot);
  C->Range = ffi::CodeRange(C->Code, static_cast<char *>(C->Code) + 16,
                            Slot->Name);
  Entry = std::move(C);
  return uint64_t(uintptr_t(Entry->Code));
}

} // namespace spl::interp
