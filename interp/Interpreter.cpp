//===- interp/Interpreter.cpp - The interpreter backend -------------------===//
//
// load() lowers every function of a module before it changes anything, then
// publishes them through their slots (all or nothing: Linkage.h
// "Publishing"). call() sets up the entry frame on this thread's value stack
// and runs the dispatch loop under ffi::runGuarded; whatever way the run
// ends, the stack's top is put back where it was. Loads and publishing take
// the interpreter's lock; calls take none.
//
//===----------------------------------------------------------------------===//

#include "interp/Interpreter.h"
#include "interp/Bytecode.h"
#include "interp/Callbacks.h"
#include "interp/Linkage.h"
#include "interp/Lowering.h"

#include "ffi/FFI.h"

#include "llvm/Support/Allocator.h"
#include "llvm/Support/StringSaver.h"

#include <algorithm>
#include <atomic>
#include <mutex>

using namespace llvm;

namespace spl::interp {

class Interpreter::Impl {
public:
  explicit Impl(Options Opts)
      : MaxDepth(Opts.MaxCallDepth), Resolve(Opts.Resolve),
        Globals(Opts.Globals ? std::move(Opts.Globals)
                             : std::make_shared<ffi::GlobalCells>()),
        Limits(Opts.Limits ? std::move(Opts.Limits)
                           : std::make_shared<ffi::CallLimits>()),
        CallbackErrors(std::move(Opts.CallbackErrors)),
        HotCalls(Opts.HotCalls), HotEdges(Opts.HotBackEdges),
        OnHot(std::move(Opts.OnHot)) {
    Hook.Hot = &Impl::hot;
    Hook.Ctx = this;
  }

  std::atomic<unsigned> MaxDepth;
  ffi::ResolveOptions Resolve;
  std::shared_ptr<ffi::GlobalCells> Globals;
  std::shared_ptr<ffi::CallLimits> Limits;
  /// Guards everything load() changes: the tables below, publishing.
  mutable std::mutex Mu;
  SlotTable Slots;
  ExternTable Externs{Slots, Resolve};
  std::shared_ptr<ffi::CallbackErrors> CallbackErrors;
  CallbackTable Callbacks{Slots, MaxDepth, CallbackErrors.get()};
  BumpPtrAllocator StringMemory;
  StringSaver Strings{StringMemory};
  /// Every function ever made: a replaced one stays alive, so code that
  /// captured it (a function pointer, a running frame) never dangles.
  FunctionList Functions;
  // Tiering.
  unsigned HotCalls, HotEdges;
  std::function<void(FunctionRef, const void *, bool)> OnHot;
  ProfileHook Hook;

  static void hot(const ProfileHook *H, const Callee *C, bool ByEdges) {
    auto *I = static_cast<Impl *>(H->Ctx);
    if (I->OnHot)
      I->OnHot(FunctionRef::fromOpaque(C->Slot), definitionOf(C), ByEdges);
  }

  /// What a call of S runs now, and the definition behind it (a thunk's).
  static const CompiledFunction *definitionOf(const Callee *C) {
    if (!C->Fn)
      return nullptr;
    return C->Fn->ThunkOf ? C->Fn->ThunkOf : C->Fn;
  }
  const CompiledFunction *find(StringRef Name) const {
    const FuncSlot *S = Slots.findNamed(Name);
    return S ? definitionOf(S->current()) : nullptr;
  }
  void keep(std::unique_ptr<CompiledFunction> F) {
    std::lock_guard<std::mutex> L(Functions.Mu);
    Functions.All.push_back(std::move(F));
  }
  void arm(CompiledFunction &F) {
    armProfile(F.Self.Prof, OnHot ? HotCalls : 0, OnHot ? HotEdges : 0);
    F.Self.Prof.Reported.store(false, std::memory_order_relaxed);
    F.Self.Prof.LoopReported.store(false, std::memory_order_relaxed);
    F.Self.Prof.OsrPending.store(false, std::memory_order_relaxed);
    F.Self.Prof.OsrEntry.store(nullptr, std::memory_order_relaxed);
  }
};

static FuncSlot *slotOf(FunctionRef F) {
  return const_cast<FuncSlot *>(static_cast<const FuncSlot *>(F.opaque()));
}

Interpreter::Interpreter(std::unique_ptr<Impl> I) : P(std::move(I)) {}
Interpreter::~Interpreter() = default;

Expected<std::unique_ptr<Interpreter>> Interpreter::create(Options Opts) {
  exitCode(); // builds the dispatch table now rather than in the first call
  return std::unique_ptr<Interpreter>(
      new Interpreter(std::make_unique<Impl>(std::move(Opts))));
}

Error Interpreter::load(const mir::Module &M) {
  if (Error E = mir::verify(M))
    return E;
  return loadVerified(M);
}

Error Interpreter::loadVerified(const mir::Module &M) {
  std::lock_guard<std::mutex> L(P->Mu);
  LinkContext Ctx{M,          P->Slots,     P->Externs,
                  P->Strings, P->Callbacks, *P->Globals,
                  P->OnHot && P->HotEdges != 0};
  std::vector<std::unique_ptr<CompiledFunction>> Lowered;
  for (const mir::Function &F : M.Functions) {
    auto CF = lowerFunction(F, Ctx);
    if (!CF)
      return CF.takeError();
    Lowered.push_back(std::move(*CF));
  }
  // Nothing failed: publish. The slots and callbacks the code uses first,
  // then every call site as a referrer (so calls among the new functions are
  // patched by their publishing), then the functions.
  P->Slots.commit();
  for (std::unique_ptr<CompiledFunction> &CF : Lowered) {
    FuncSlot *S = P->Slots.named(CF->Name);
    Callee &Self = CF->Self;
    Self.Fn = CF.get();
    Self.Entry = CF->Entry;
    Self.AfterGuard = CF->Entry + CF->GuardWords;
    Self.StackNeed = CF->StackNeed;
    Self.Guard = CF->Guard;
    Self.Slot = S;
    Self.Hook = &P->Hook;
    P->arm(*CF);
    P->Slots.addReferrers(*CF, P->Functions);
  }
  for (size_t K = 0; K < Lowered.size(); ++K) {
    FuncSlot *S = P->Slots.named(Lowered[K]->Name);
    if (const CompiledFunction *Old = Impl::definitionOf(S->current()))
      const_cast<CompiledFunction *>(Old)->Replaced = true;
    P->Slots.publish(S, &Lowered[K]->Self, P->Functions);
    P->Slots.defineSymbol(M.Functions[K].Symbol, S, P->Functions);
    P->keep(std::move(Lowered[K]));
  }
  return Error::success();
}

bool Interpreter::hasFunction(StringRef Name) const {
  std::lock_guard<std::mutex> L(P->Mu);
  return P->find(Name) != nullptr;
}

const mir::Signature *Interpreter::signature(StringRef Name) const {
  std::lock_guard<std::mutex> L(P->Mu);
  const CompiledFunction *F = P->find(Name);
  return F ? &F->Sig : nullptr;
}

FunctionRef Interpreter::lookup(StringRef Name) const {
  std::lock_guard<std::mutex> L(P->Mu);
  if (FuncSlot *S = P->Slots.findNamed(Name))
    return FunctionRef::fromOpaque(S);
  int64_t Symbol;
  if (Name.consume_front("#") && !Name.getAsInteger(10, Symbol))
    return FunctionRef::fromOpaque(P->Slots.findWaiting(Symbol));
  return FunctionRef();
}

std::optional<mir::Signature> Interpreter::signature(FunctionRef F) const {
  const CompiledFunction *D =
      F ? Impl::definitionOf(slotOf(F)->current()) : nullptr;
  if (!D)
    return std::nullopt;
  return D->Sig;
}

StringRef Interpreter::name(FunctionRef F) const {
  return F ? StringRef(slotOf(F)->Name) : StringRef();
}

void Interpreter::setMaxCallDepth(unsigned N) {
  P->MaxDepth.store(N, std::memory_order_relaxed);
}

/// An argument from the host in canonical form for its parameter type.
static uint64_t canonicalArg(uint64_t V, const mir::Type &T) {
  if (T.Kind == mir::TypeKind::Bool)
    return V != 0;
  return normalize(V, normKindOf(T));
}

Expected<uint64_t> Interpreter::call(StringRef Name, ArrayRef<uint64_t> Args) {
  FunctionRef F = lookup(Name);
  if (!F || !slotOf(F)->current()->Fn)
    return createStringError(
        inconvertibleErrorCode(),
        mir::trapMessage(mir::TrapKind::UndefinedFunction, Name, Name));
  return call(F, Args);
}

Expected<uint64_t> Interpreter::call(FunctionRef Ref, ArrayRef<uint64_t> Args) {
  const Callee *C = Ref ? slotOf(Ref)->current() : nullptr;
  if (!C || !C->Fn) {
    StringRef Name = name(Ref);
    return createStringError(
        inconvertibleErrorCode(),
        mir::trapMessage(mir::TrapKind::UndefinedFunction, Name, Name));
  }
  const CompiledFunction *Fn = C->Fn;
  if (Args.size() != Fn->NumParams)
    return createStringError(
        inconvertibleErrorCode(),
        "function `" + Fn->Name + "` takes " + Twine(Fn->NumParams) +
            (Fn->NumParams == 1 ? " argument" : " arguments") + ", got " +
            Twine(Args.size()));

  ValueStack &Stack = threadStack();
  uint64_t *SavedTop = Stack.Top, *SavedLimit = Stack.Limit;
  uint32_t SavedDepthLeft = Stack.DepthLeft, SavedMaxDepth = Stack.MaxDepth;
  const uint32_t *SavedPoll = Stack.Poll;
  const ffi::CallLimits *SavedLimits = Stack.Limits;
  const auto *SavedFunctions = Stack.Functions;
  Stack.Poll = P->Limits->flagAddress();
  Stack.Limits = P->Limits.get();
  Stack.Functions = &P->Functions;
  unsigned MaxDepth = P->MaxDepth.load(std::memory_order_relaxed);
  uint64_t Result = 0;
  uint64_t ResultSlot = 0; // the entry frame's "caller frame"
  Error E = ffi::runGuarded([&] {
    if (MaxDepth < 1)
      trapStackOverflow(Fn, MaxDepth);
    countProfile(C, false);
    uint64_t *Limit = Stack.Limit;
    uint64_t *FP;
    if (!Stack.Top || Stack.Top + HeaderSlots + C->StackNeed > Limit)
      FP = growStack(Stack, Limit, HeaderSlots + C->StackNeed, Fn, MaxDepth) +
           HeaderSlots;
    else
      FP = Stack.Top + HeaderSlots;
    FP[HdrRetIP] = uint64_t(uintptr_t(exitCode()));
    FP[HdrCallerFP] = uint64_t(uintptr_t(&ResultSlot));
    FP[HdrLimit] = uint64_t(uintptr_t(Limit));
    for (size_t K = 0; K < Args.size(); ++K)
      FP[K] = canonicalArg(Args[K], Fn->Sig.Params[K]);
    // The execution is on: a C callback or native code sees it.
    Stack.MaxDepth = MaxDepth;
    Stack.DepthLeft = MaxDepth - 1;
    Result = run(&Stack, C->Entry, FP, Limit, MaxDepth, MaxDepth - 1);
  }, MaxDepth);
  Stack.Top = SavedTop;
  Stack.Limit = SavedLimit;
  Stack.DepthLeft = SavedDepthLeft;
  Stack.MaxDepth = SavedMaxDepth;
  Stack.Poll = SavedPoll;
  Stack.Limits = SavedLimits;
  Stack.Functions = SavedFunctions;
  if (E)
    return E;
  return Result;
}

//===----------------------------------------------------------------------===//
// Tiering
//===----------------------------------------------------------------------===//

const void *Interpreter::definition(FunctionRef F) const {
  return F ? Impl::definitionOf(slotOf(F)->current()) : nullptr;
}

Profile Interpreter::profile(FunctionRef F) const {
  Profile Out;
  if (const CompiledFunction *D =
          F ? Impl::definitionOf(slotOf(F)->current()) : nullptr) {
    Out.Calls = profileCalls(D->Self.Prof);
    Out.BackEdges = profileEdges(D->Self.Prof);
    Out.OsrTransfers = D->Self.Prof.OsrTransfers.load(std::memory_order_relaxed);
  }
  return Out;
}

std::optional<Binding> Interpreter::binding(FunctionRef F,
                                            StringRef Key) const {
  const CompiledFunction *D =
      F ? Impl::definitionOf(slotOf(F)->current()) : nullptr;
  if (!D)
    return std::nullopt;
  for (const CallBinding &B : D->Bindings)
    if (B.Key == Key) {
      Binding Out;
      Out.Extern = B.Extern;
      Out.Target = B.Target;
      if (B.Known)
        Out.Known = B.Sig;
      return Out;
    }
  return std::nullopt;
}

std::vector<std::string> Interpreter::callees(FunctionRef F) const {
  std::vector<std::string> Out;
  if (const CompiledFunction *D =
          F ? Impl::definitionOf(slotOf(F)->current()) : nullptr)
    for (const CallBinding &B : D->Bindings)
      if (!B.Extern)
        Out.push_back(B.Target);
  return Out;
}

bool Interpreter::publishNative(FunctionRef Ref, const void *Def,
                                NativeEntry Entry) {
  std::lock_guard<std::mutex> L(P->Mu);
  FuncSlot *S = slotOf(Ref);
  const CompiledFunction *D = S ? Impl::definitionOf(S->current()) : nullptr;
  if (!D || D != Def)
    return false;
  // [CallNative][entry][nparams]: the frame holds the arguments (a call put
  // them there) and one more slot for the result.
  auto T = std::make_unique<CompiledFunction>();
  T->Name = D->Name;
  T->Sig = D->Sig;
  T->NumParams = D->NumParams;
  T->FrameSize = D->NumParams + 1;
  T->StackNeed = std::max(D->StackNeed, T->FrameSize);
  T->Guard = D->Guard; // the base case's result is the same in every tier
  T->ThunkOf = D;
  T->CodeWords = 3;
  T->Code = std::make_unique<uint64_t[]>(3);
  T->Code[0] = handlerWord(Opc::CallNative);
  T->Code[1] = uint64_t(uintptr_t(Entry));
  T->Code[2] = D->NumParams;
  T->Entry = T->Code.get();
  T->Range = ffi::CodeRange(T->Code.get(), T->Code.get() + 3, T->Name);
  Callee &Self = T->Self;
  Self.Fn = T.get();
  Self.Entry = Self.AfterGuard = T->Entry;
  Self.StackNeed = T->StackNeed;
  Self.Guard = T->Guard;
  Self.Slot = S;
  P->Slots.publish(S, &Self, P->Functions);
  P->keep(std::move(T));
  return true;
}

const mir::FrameImage *Interpreter::frameImage(const void *Def) {
  auto *D = static_cast<const CompiledFunction *>(Def);
  return D && !D->Image.Targets.empty() ? &D->Image : nullptr;
}

void Interpreter::beginContinuation(const void *Def) {
  if (auto *D = static_cast<const CompiledFunction *>(Def))
    D->Self.Prof.OsrPending.store(true, std::memory_order_release);
}

void Interpreter::publishContinuation(const void *Def, mir::OSREntryFn Entry) {
  if (auto *D = static_cast<const CompiledFunction *>(Def))
    D->Self.Prof.OsrEntry.store(Entry, std::memory_order_release);
}

void Interpreter::endContinuation(const void *Def) {
  if (auto *D = static_cast<const CompiledFunction *>(Def))
    D->Self.Prof.OsrPending.store(false, std::memory_order_release);
}

void Interpreter::unpublishNative(FunctionRef Ref) {
  std::lock_guard<std::mutex> L(P->Mu);
  FuncSlot *S = slotOf(Ref);
  const Callee *C = S ? S->current() : nullptr;
  if (!C || !C->Fn || !C->Fn->ThunkOf)
    return;
  auto *D = const_cast<CompiledFunction *>(C->Fn->ThunkOf);
  P->arm(*D);
  P->Slots.publish(S, &D->Self, P->Functions);
}

uint64_t Interpreter::callFromNative(FunctionRef Ref, const uint64_t *Args,
                                     uint32_t NumArgs, uint32_t Depth) {
  FuncSlot *Slot = slotOf(Ref);
  const Callee *C = Slot->current();
  ValueStack &S = threadStack();
  if (S.MaxDepth == 0) {
    // No interpreted execution on this thread (native code called back by
    // C with nothing running): an execution of its own, whose error ends
    // the native one too.
    Expected<uint64_t> R = call(Ref, ArrayRef<uint64_t>(Args, NumArgs));
    if (R)
      return *R;
    std::string Message;
    int Exit = -1;
    handleAllErrors(
        R.takeError(), [&](const ffi::ExitRequest &X) { Exit = X.code(); },
        [&](const ErrorInfoBase &X) { Message = X.message(); });
    if (Exit >= 0)
      ffi::raiseExit(Exit);
    ffi::raiseTrap(std::move(Message));
  }
  if (!C->Entry)
    trapUndefined(Slot);
  const CompiledFunction *Fn = C->Fn;
  // The caller was compiled for this signature (the tiers keep their calls
  // bound alike): another count can only be a race with a redefinition.
  if (NumArgs != Fn->NumParams)
    trap(mir::TrapKind::BadFunctionPointer, Fn);
  uint32_t MaxDepth = S.MaxDepth;
  if (Depth > MaxDepth ||
      static_cast<const char *>(__builtin_frame_address(0)) < nativeStackFloor())
    trapStackOverflow(Fn, MaxDepth);
  countProfile(C, false);
  uint64_t *SavedTop = S.Top, *SavedLimit = S.Limit;
  uint32_t SavedDepthLeft = S.DepthLeft;
  uint64_t *Limit = S.Limit;
  uint64_t *FP;
  if (!S.Top || S.Top + HeaderSlots + C->StackNeed > Limit)
    FP = growStack(S, Limit, HeaderSlots + C->StackNeed, Fn, MaxDepth) +
         HeaderSlots;
  else
    FP = S.Top + HeaderSlots;
  uint64_t ResultSlot = 0;
  FP[HdrRetIP] = uint64_t(uintptr_t(exitCode()));
  FP[HdrCallerFP] = uint64_t(uintptr_t(&ResultSlot));
  FP[HdrLimit] = uint64_t(uintptr_t(Limit));
  for (uint32_t K = 0; K < Fn->NumParams; ++K)
    FP[K] = canonicalArg(Args[K], Fn->Sig.Params[K]);
  uint64_t R = run(&S, C->Entry, FP, Limit, MaxDepth, MaxDepth - Depth);
  S.Top = SavedTop;
  S.Limit = SavedLimit;
  S.DepthLeft = SavedDepthLeft;
  return R;
}

Expected<uint64_t> Interpreter::functionPointer(FunctionRef F,
                                                const mir::Signature &Sig) {
  std::lock_guard<std::mutex> L(P->Mu);
  auto A = P->Callbacks.address(slotOf(F), Sig);
  P->Slots.commit();
  return A;
}

} // namespace spl::interp
