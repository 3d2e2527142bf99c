//===- interp/Interpreter.cpp - The interpreter backend -------------------===//
//
// load() lowers every function of a module before it changes anything, then
// publishes them through their name slots (all or nothing). call() sets up
// the entry frame on this thread's value stack and runs the dispatch loop
// under ffi::runGuarded; whatever way the run ends, the stack's top is put
// back where it was.
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

#include <atomic>

using namespace llvm;

namespace spl::interp {

class Interpreter::Impl {
public:
  explicit Impl(Options Opts)
      : MaxDepth(Opts.MaxCallDepth), Resolve(Opts.Resolve),
        Globals(Opts.Globals ? std::move(Opts.Globals)
                             : std::make_shared<ffi::GlobalCells>()),
        CallbackErrors(std::move(Opts.CallbackErrors)),
        Limits(Opts.Limits ? std::move(Opts.Limits)
                           : std::make_shared<ffi::CallLimits>()) {}

  std::atomic<unsigned> MaxDepth;
  ffi::ResolveOptions Resolve;
  std::shared_ptr<ffi::GlobalCells> Globals;
  std::shared_ptr<ffi::CallLimits> Limits;
  SlotTable Slots;
  ExternTable Externs{Slots, Resolve};
  std::shared_ptr<ffi::CallbackErrors> CallbackErrors;
  CallbackTable Callbacks{Slots, MaxDepth, CallbackErrors.get()};
  BumpPtrAllocator StringMemory;
  StringSaver Strings{StringMemory};
  /// Every function ever loaded: a replaced one stays alive, so code that
  /// captured its slot's old value (a function pointer, a running frame)
  /// never dangles.
  std::vector<std::unique_ptr<CompiledFunction>> Functions;

  const CompiledFunction *find(StringRef Name) const {
    const FuncSlot *S = Slots.findNamed(Name);
    return S ? S->Fn : nullptr;
  }
};

Interpreter::Interpreter(std::unique_ptr<Impl> I) : P(std::move(I)) {}
Interpreter::~Interpreter() = default;

Expected<std::unique_ptr<Interpreter>> Interpreter::create(Options Opts) {
  exitCode(); // builds the dispatch table now rather than in the first call
  return std::unique_ptr<Interpreter>(
      new Interpreter(std::make_unique<Impl>(Opts)));
}

Error Interpreter::load(const mir::Module &M) {
  if (Error E = mir::verify(M))
    return E;
  return loadVerified(M);
}

Error Interpreter::loadVerified(const mir::Module &M) {
  LinkContext Ctx{M,          P->Slots,     P->Externs,
                  P->Strings, P->Callbacks, *P->Globals};
  std::vector<std::unique_ptr<CompiledFunction>> Lowered;
  for (const mir::Function &F : M.Functions) {
    auto CF = lowerFunction(F, Ctx);
    if (!CF)
      return CF.takeError();
    Lowered.push_back(std::move(*CF));
  }
  // Nothing failed: publish.
  for (size_t K = 0; K < Lowered.size(); ++K) {
    FuncSlot *S = P->Slots.named(Lowered[K]->Name);
    S->set(Lowered[K].get());
    P->Slots.defineSymbol(M.Functions[K].Symbol, S);
    P->Functions.push_back(std::move(Lowered[K]));
  }
  return Error::success();
}

bool Interpreter::hasFunction(StringRef Name) const {
  return P->find(Name) != nullptr;
}

const mir::Signature *Interpreter::signature(StringRef Name) const {
  const CompiledFunction *F = P->find(Name);
  return F ? &F->Sig : nullptr;
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
  const FuncSlot *Slot = P->Slots.findNamed(Name);
  if (!Slot || !Slot->Fn)
    return createStringError(
        inconvertibleErrorCode(),
        mir::trapMessage(mir::TrapKind::UndefinedFunction, Name, Name));
  const CompiledFunction *Fn = Slot->Fn;
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
    uint64_t *Limit = Stack.Limit;
    uint64_t *FP;
    if (!Stack.Top || Stack.Top + HeaderSlots + Fn->StackNeed > Limit)
      FP = growStack(Stack, Limit, HeaderSlots + Fn->StackNeed, Fn, MaxDepth) +
           HeaderSlots;
    else
      FP = Stack.Top + HeaderSlots;
    FP[HdrRetIP] = uint64_t(uintptr_t(exitCode()));
    FP[HdrCallerFP] = uint64_t(uintptr_t(&ResultSlot));
    FP[HdrLimit] = uint64_t(uintptr_t(Limit));
    for (size_t K = 0; K < Args.size(); ++K)
      FP[K] = canonicalArg(Args[K], Fn->Sig.Params[K]);
    Result = run(&Stack, Fn->Entry, FP, Limit, MaxDepth, MaxDepth - 1);
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

} // namespace spl::interp
