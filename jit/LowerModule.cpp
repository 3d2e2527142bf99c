//===- jit/LowerModule.cpp - Batch modules, entry wrappers, aux modules ---===//
//
// One LLVM module per load(): every function of the batch is declared first
// (so calls inside the batch are direct and can be inlined), then lowered,
// then given its uniform entry wrapper. Trampolines for callees that never
// arrived and C-ABI adapters for function pointers go into a separate "aux"
// module the session never unloads, because pointers to them may be held by
// code and data of any later batch.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "ffi/FFI.h"

#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

CalleeResolver::~CalleeResolver() = default;

// Every generated name is the MIR name plus a suffix of its own shape
// (".b<N>", ".b<N>.body", ".b<N>.entry", ".stub", ".undef", ".cabi<N>",
// ".host<N>"), so no two kinds
// can meet, whatever characters MIR names contain.
std::string jit::bodySymbol(StringRef Fn, unsigned Batch) {
  return (Fn + ".b" + Twine(Batch)).str();
}
std::string jit::uncheckedSymbol(StringRef Fn, unsigned Batch) {
  return (Fn + ".b" + Twine(Batch) + ".body").str();
}
std::string jit::entrySymbol(StringRef Fn, unsigned Batch) {
  return (Fn + ".b" + Twine(Batch) + ".entry").str();
}
std::string jit::stubSymbol(StringRef Fn) { return (Fn + ".stub").str(); }
std::string jit::trampolineSymbol(StringRef Fn) {
  return (Fn + ".undef").str();
}
std::string jit::hostTrampolineSymbol(StringRef Fn, unsigned N) {
  return (Fn + ".host" + Twine(N)).str();
}

std::string jit::cellSymbol(int64_t Symbol) {
  return Symbol < 0 ? "spl.cell.m" + std::to_string(-uint64_t(Symbol))
                    : "spl.cell." + std::to_string(Symbol);
}

unsigned jit::optLevelOf(const Module &M) {
  if (auto *MD =
          mdconst::extract_or_null<ConstantInt>(M.getModuleFlag(OptLevelFlag)))
    return unsigned(MD->getZExtValue());
  return 2;
}

static std::unique_ptr<Module> newModule(LLVMContext &C, StringRef Name,
                                         const DataLayout &DL, const Triple &TT,
                                         unsigned OptLevel) {
  auto M = std::make_unique<Module>(Name, C);
  M->setDataLayout(DL);
  M->setTargetTriple(TT.str());
  M->addModuleFlag(Module::Warning, OptLevelFlag, OptLevel);
  return M;
}

//===----------------------------------------------------------------------===//
// ModuleLowerer
//===----------------------------------------------------------------------===//

/// A private, NUL-terminated constant string, 8-byte aligned: MIR.md
/// "Constants" (so the runtime never mistakes it for a tagged handle).
static Constant *privateString(Module &M, StringRef S) {
  LLVMContext &C = M.getContext();
  auto *GV =
      new GlobalVariable(M, ArrayType::get(Type::getInt8Ty(C), S.size() + 1),
                         /*isConstant=*/true, GlobalValue::PrivateLinkage,
                         ConstantDataArray::getString(C, S), ".str");
  GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  GV->setAlignment(Align(8));
  return GV;
}

Constant *ModuleLowerer::stringConstant(StringRef S) {
  Constant *&G = Strings[S];
  if (!G)
    G = privateString(M, S);
  return G;
}

Function *ModuleLowerer::declare(StringRef Symbol, FunctionType *FT) {
  if (Function *F = M.getFunction(Symbol))
    return F;
  Function *F = Function::Create(FT, GlobalValue::ExternalLinkage, Symbol, M);
  F->setDoesNotThrow();
  return F;
}

static FunctionCallee trapDecl(Module &M) {
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C);
  FunctionType *FT = FunctionType::get(Type::getVoidTy(C),
                                       {Type::getInt32Ty(C), Ptr, Ptr}, false);
  FunctionCallee FC = M.getOrInsertFunction(TrapFnName, FT);
  auto *F = cast<Function>(FC.getCallee());
  F->setDoesNotReturn();
  F->setDoesNotThrow();
  F->addFnAttr(Attribute::Cold);
  return FC;
}

FunctionCallee ModuleLowerer::trapFn() { return trapDecl(M); }

FunctionCallee ModuleLowerer::setDepthFn() {
  FunctionCallee FC = M.getOrInsertFunction(
      SetDepthFnName,
      FunctionType::get(Type::getVoidTy(C), {Type::getInt32Ty(C)}, false));
  cast<Function>(FC.getCallee())->setDoesNotThrow();
  return FC;
}

FunctionCallee ModuleLowerer::stackLimitFn() {
  FunctionCallee FC = M.getOrInsertFunction(
      StackLimitFnName, FunctionType::get(Type::getInt64Ty(C), {}, false));
  cast<Function>(FC.getCallee())->setDoesNotThrow();
  return FC;
}

FunctionCallee ModuleLowerer::pollFn() {
  Type *Ptr = PointerType::getUnqual(C);
  FunctionCallee FC = M.getOrInsertFunction(
      PollFnName, FunctionType::get(Type::getVoidTy(C), {Ptr, Ptr}, false));
  auto *F = cast<Function>(FC.getCallee());
  F->setDoesNotThrow();
  F->addFnAttr(Attribute::Cold);
  return FC;
}

FunctionCallee ModuleLowerer::setIndirectFn() {
  Type *Ptr = PointerType::getUnqual(C);
  FunctionCallee FC = M.getOrInsertFunction(
      SetIndirectFnName,
      FunctionType::get(Type::getVoidTy(C),
                        {Type::getInt32Ty(C), Ptr, Type::getInt32Ty(C), Ptr},
                        false));
  cast<Function>(FC.getCallee())->setDoesNotThrow();
  return FC;
}

/// `void NAME(ptr)`: spl_eh_push, spl_eh_pop.
static FunctionCallee ehLinkDecl(Module &M, StringRef Name) {
  LLVMContext &C = M.getContext();
  FunctionCallee FC = M.getOrInsertFunction(
      Name, FunctionType::get(Type::getVoidTy(C), {PointerType::getUnqual(C)},
                              false));
  cast<Function>(FC.getCallee())->setDoesNotThrow();
  return FC;
}

FunctionCallee ModuleLowerer::ehPushFn() { return ehLinkDecl(M, EHPushFnName); }
FunctionCallee ModuleLowerer::ehPopFn() { return ehLinkDecl(M, EHPopFnName); }

FunctionCallee ModuleLowerer::throwFn() {
  Type *I64 = Type::getInt64Ty(C);
  FunctionCallee FC = M.getOrInsertFunction(
      ThrowFnName,
      FunctionType::get(Type::getVoidTy(C),
                        {I64, I64, PointerType::getUnqual(C)}, false));
  auto *F = cast<Function>(FC.getCallee());
  F->setDoesNotReturn();
  F->setDoesNotThrow(); // it longjmps; no LLVM unwinding ever happens
  return FC;
}

FunctionCallee ModuleLowerer::boundsFailFn() {
  Type *I64 = Type::getInt64Ty(C);
  FunctionCallee FC = M.getOrInsertFunction(
      BoundsFailFnName,
      FunctionType::get(Type::getVoidTy(C),
                        {I64, I64, PointerType::getUnqual(C)}, false));
  auto *F = cast<Function>(FC.getCallee());
  F->setDoesNotReturn();
  F->setDoesNotThrow();
  F->addFnAttr(Attribute::Cold);
  return FC;
}

FunctionCallee ModuleLowerer::setjmpFn() {
  FunctionCallee FC = M.getOrInsertFunction(
      SetjmpFnName, FunctionType::get(Type::getInt32Ty(C),
                                      {PointerType::getUnqual(C)}, false));
  auto *F = cast<Function>(FC.getCallee());
  // Tells the optimiser and the code generator that control may come back
  // a second time (from the longjmp of spl_rt_throw).
  F->addFnAttr(Attribute::ReturnsTwice);
  F->setDoesNotThrow();
  return FC;
}

Function *ModuleLowerer::intPowFn(IntegerType *Ty) {
  std::string Name = "spl.ipow.i" + std::to_string(Ty->getBitWidth());
  if (Function *F = M.getFunction(Name))
    return F;
  Type *I64 = Type::getInt64Ty(C);
  Function *F = Function::Create(FunctionType::get(Ty, {Ty, I64}, false),
                                 GlobalValue::InternalLinkage, Name, M);
  F->setDoesNotThrow();
  BasicBlock *Entry = BasicBlock::Create(C, "entry", F);
  BasicBlock *Loop = BasicBlock::Create(C, "loop", F);
  BasicBlock *Body = BasicBlock::Create(C, "body", F);
  BasicBlock *Exit = BasicBlock::Create(C, "exit", F);
  IRBuilder<> B(Entry);
  B.CreateBr(Loop);

  // Square-and-multiply over the exponent's bits, wrapping in Ty.
  B.SetInsertPoint(Loop);
  PHINode *R = B.CreatePHI(Ty, 2, "r");
  PHINode *Base = B.CreatePHI(Ty, 2, "b");
  PHINode *E = B.CreatePHI(I64, 2, "e");
  B.CreateCondBr(B.CreateICmpEQ(E, B.getInt64(0)), Exit, Body);

  B.SetInsertPoint(Body);
  Value *Odd = B.CreateTrunc(E, B.getInt1Ty());
  Value *R2 = B.CreateSelect(Odd, B.CreateMul(R, Base), R);
  Value *Base2 = B.CreateMul(Base, Base);
  Value *E2 = B.CreateLShr(E, 1);
  B.CreateBr(Loop);

  R->addIncoming(ConstantInt::get(Ty, 1), Entry);
  R->addIncoming(R2, Body);
  Base->addIncoming(F->getArg(0), Entry);
  Base->addIncoming(Base2, Body);
  E->addIncoming(F->getArg(1), Entry);
  E->addIncoming(E2, Body);

  B.SetInsertPoint(Exit);
  B.CreateRet(R);
  return F;
}

//===----------------------------------------------------------------------===//
// Batches
//===----------------------------------------------------------------------===//

/// `NAME.bB(budget, params...)`, the checked entry: traps StackOverflow in F
/// when the budget is negative (depth > MaxCallDepth; LowerControl.cpp),
/// else jumps to the unchecked body (a tail call that is never inlined, so
/// the body is not copied into it).
static void emitCheckedEntry(ModuleLowerer &ML, const mir::Function &F,
                             Function *Checked, Function *Body) {
  LLVMContext &C = ML.C;
  IRBuilder<> B(BasicBlock::Create(C, "entry", Checked));
  BasicBlock *Go = BasicBlock::Create(C, "body", Checked);
  BasicBlock *Trap = BasicBlock::Create(C, "trap", Checked);
  B.CreateCondBr(
      B.CreateICmpSLT(Checked->getArg(0), B.getInt64(0)),
      Trap, Go, MDBuilder(C).createBranchWeights(1, 1u << 20));
  B.SetInsertPoint(Go);
  SmallVector<Value *, 8> Args;
  for (Argument &A : Checked->args())
    Args.push_back(&A);
  CallInst *R = B.CreateCall(Body, Args);
  markDepthArg(*R);
  R->setIsNoInline();
  R->setTailCall();
  if (R->getType()->isVoidTy())
    B.CreateRetVoid();
  else
    B.CreateRet(R);
  B.SetInsertPoint(Trap);
  B.CreateCall(ML.trapFn(),
               {B.getInt32(unsigned(mir::TrapKind::StackOverflow)),
                ML.stringConstant(F.Name),
                ML.stringConstant(std::to_string(ML.Opts.MaxCallDepth))})
      ->setDoesNotReturn();
  B.CreateUnreachable();
}

/// `void NAME.bB.entry(const uint64_t *Args, uint64_t *Ret, i32 Depth)`: raw
/// slots in, the checked entry called at Depth (1 for a host call; another
/// tier's caller passes its own), i.e. with budget MaxCallDepth - Depth
/// (never inlined: the wrapper is called once per host call, and a body
/// inlined into it would pull in its whole chain of callees, for every
/// function of the module), the raw slot of the result out.
static void emitEntryWrapper(Module &M, const mir::Function &F, Function *Body,
                             unsigned Batch, unsigned MaxCallDepth) {
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C);
  Function *E = Function::Create(
      FunctionType::get(Type::getVoidTy(C), {Ptr, Ptr, Type::getInt32Ty(C)},
                        false),
      GlobalValue::ExternalLinkage, entrySymbol(F.Name, Batch), M);
  E->setDoesNotThrow();
  IRBuilder<> B(BasicBlock::Create(C, "entry", E));
  // The budget of a call at Depth (a negative one traps at the entry).
  SmallVector<Value *, 8> Args{budgetOfDepth(B, E->getArg(2), MaxCallDepth)};
  for (unsigned I = 0; I < F.Sig.Params.size(); ++I) {
    Value *Slot = B.CreateLoad(
        B.getInt64Ty(), B.CreateConstGEP1_64(B.getInt64Ty(), E->getArg(0), I));
    Args.push_back(fromSlot(B, Slot, F.Sig.Params[I]));
  }
  CallInst *R = B.CreateCall(Body, Args);
  markDepthArg(*R);
  R->setIsNoInline();
  Value *Out = F.Sig.Ret.isVoid() ? B.getInt64(0) : toSlot(B, R, F.Sig.Ret);
  B.CreateStore(Out, E->getArg(1));
  B.CreateRetVoid();
}

/// (guard) Null is an address like any other in JIT code: a null Load or
/// Store stays in the code and faults (the invalid-memory-access error)
/// instead of being undefined behaviour the optimiser deletes or turns into
/// nonsense; large frames probe their stack page by page, so one that does
/// not fit reaches the guard page (the stack-overflow error) instead of
/// jumping past it into other memory.
static void guardAttributes(Module &M) {
  for (Function &F : M)
    if (!F.isDeclaration()) {
      F.addFnAttr(Attribute::NullPointerIsValid);
      F.addFnAttr("probe-stack", "inline-asm");
    }
}

static Error verifyLowered(Module &M) {
  std::string Msg;
  raw_string_ostream OS(Msg);
  if (verifyModule(M, &OS))
    return createStringError(inconvertibleErrorCode(),
                             "internal error: the llvm backend produced "
                             "invalid IR: " +
                                 OS.str());
  return Error::success();
}

/// (osr) F's continuation (Lowering.h OSRInput) and its wrapper
/// `i64 F.bB.osr.entry(ptr Frame, i32 Depth, i32 Block)`: the body at the
/// budget of a call at Depth, the raw slot of its result out
/// (mir::OSREntryFn).
static Error lowerContinuation(ModuleLowerer &ML, const BatchInput &In,
                               const mir::FrameImage &Image,
                               const LowerOptions &Opts,
                               StringSet<> &Direct) {
  const mir::Function &F = *In.F;
  Module &M = ML.M;
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C);
  Type *I32 = Type::getInt32Ty(C), *I64 = Type::getInt64Ty(C);
  FunctionType *Internal = internalFnType(C, F.Sig);
  Function *Body = Function::Create(
      FunctionType::get(Internal->getReturnType(), {I64, Ptr, I32}, false),
      GlobalValue::ExternalLinkage, osrSymbol(F.Name, Opts.Batch), M);
  // External as every body is, so that its machine code is a named range
  // of ffi's table (an interrupt by signal ends a call running in it).
  Body->setDSOLocal(true);
  Body->setDoesNotThrow();
  markDepthArg(*Body);
  if (Opts.FramePointers)
    Body->addFnAttr("frame-pointer", "all");
  FunctionLowerer FL(ML, F, *In.Scope, Body, Direct, &Image);
  if (Error E = FL.run())
    return E;

  Function *E = Function::Create(FunctionType::get(I64, {Ptr, I32, I32}, false),
                                 GlobalValue::ExternalLinkage,
                                 osrEntrySymbol(F.Name, Opts.Batch), M);
  E->setDoesNotThrow();
  IRBuilder<> B(BasicBlock::Create(C, "entry", E));
  Value *Budget = budgetOfDepth(B, E->getArg(1), Opts.MaxCallDepth);
  CallInst *R = B.CreateCall(Body, {Budget, E->getArg(0), E->getArg(2)});
  markDepthArg(*R);
  R->setIsNoInline();
  B.CreateRet(F.Sig.Ret.isVoid() ? B.getInt64(0) : toSlot(B, R, F.Sig.Ret));
  return Error::success();
}

Expected<LoweredBatch> jit::lowerBatch(LLVMContext &C, const DataLayout &DL,
                                       const Triple &TT,
                                       ArrayRef<BatchInput> Inputs,
                                       CalleeResolver &L,
                                       const LowerOptions &Opts,
                                       ArrayRef<OSRInput> OSR) {
  LoweredBatch Out;
  Out.M = newModule(C, "spl.batch." + std::to_string(Opts.Batch), DL, TT,
                    Opts.OptLevel);
  Out.DirectCallees.resize(Inputs.size());
  ModuleLowerer ML(*Out.M, L, Opts);

  std::vector<Function *> Bodies, Checked;
  for (const BatchInput &In : Inputs) {
    const mir::Function &F = *In.F;
    for (const mir::Type &P : F.Sig.Params)
      if (P.isVoid() || !hasValueForm(P))
        return createStringError(
            inconvertibleErrorCode(),
            "function `" + F.Name + "`: parameter of type " + P.str() +
                ", which the llvm backend does not support yet");
    if (!hasValueForm(F.Sig.Ret))
      return createStringError(
          inconvertibleErrorCode(),
          "function `" + F.Name + "`: result of type " + F.Sig.Ret.str() +
              ", which the llvm backend does not support yet");
    auto Make = [&](const std::string &Symbol) {
      Function *Fn =
          Function::Create(internalFnType(C, F.Sig),
                           GlobalValue::ExternalLinkage, Symbol, *Out.M);
      Fn->setDoesNotThrow();
      // Defined in this session and never interposed: calls are direct,
      // not through a PLT entry.
      Fn->setDSOLocal(true);
      markDepthArg(*Fn);
      if (Opts.FramePointers)
        Fn->addFnAttr("frame-pointer", "all");
      return Fn;
    };
    if (Opts.callerChecksDepth()) {
      Bodies.push_back(Make(uncheckedSymbol(F.Name, Opts.Batch)));
      Checked.push_back(Make(bodySymbol(F.Name, Opts.Batch)));
    } else {
      Bodies.push_back(Make(bodySymbol(F.Name, Opts.Batch)));
      Checked.push_back(Bodies.back());
    }
  }
  Out.LowerMs.resize(Inputs.size());
  for (size_t I = 0; I < Inputs.size(); ++I) {
    auto T0 = std::chrono::steady_clock::now();
    FunctionLowerer FL(ML, *Inputs[I].F, *Inputs[I].Scope, Bodies[I],
                       Out.DirectCallees[I]);
    if (Error E = FL.run())
      return E;
    if (Checked[I] != Bodies[I])
      emitCheckedEntry(ML, *Inputs[I].F, Checked[I], Bodies[I]);
    emitEntryWrapper(*Out.M, *Inputs[I].F, Checked[I], Opts.Batch,
                     Opts.MaxCallDepth);
    Out.LowerMs[I] = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - T0)
                         .count();
  }
  // A continuation's direct callees count as its function's (a
  // redefinition of one drops both: Session::dependents).
  for (const OSRInput &O : OSR)
    if (Error E = lowerContinuation(ML, Inputs[O.Input], *O.Image, Opts,
                                    Out.DirectCallees[O.Input]))
      return E;
  guardAttributes(*Out.M);
  if (Error E = verifyLowered(*Out.M))
    return E;
  return Out;
}

//===----------------------------------------------------------------------===//
// The aux module: trampolines and adapters
//===----------------------------------------------------------------------===//

std::unique_ptr<Module>
jit::buildAuxModule(LLVMContext &C, const DataLayout &DL, const Triple &TT,
                    StringRef Name, ArrayRef<std::string> Undefined,
                    ArrayRef<AdapterRequest> Adapters, unsigned OptLevel,
                    const void *CallbackErrors, unsigned MaxCallDepth,
                    ArrayRef<HostTrampoline> Host) {
  auto M = newModule(C, Name, DL, TT, OptLevel);
  FunctionCallee Trap = trapDecl(*M);

  // `R NAME.hostN(i64 budget, params...)`: a stub of a function the host
  // runs points here. The arguments go to the host as raw slots, with the
  // depth the caller's budget stands for, MaxCallDepth - budget (the host
  // checks it against the limit).
  Type *Ptr = PointerType::getUnqual(C);
  Type *I32 = Type::getInt32Ty(C), *I64 = Type::getInt64Ty(C);
  FunctionCallee HostCall = M->getOrInsertFunction(
      HostCallSymbol, FunctionType::get(I64, {Ptr, Ptr, I32, I32}, false));
  for (const HostTrampoline &H : Host) {
    Function *T = Function::Create(internalFnType(C, H.Sig),
                                   GlobalValue::ExternalLinkage, H.Symbol, *M);
    T->setDoesNotThrow(); // a raise in the host longjmps, as everywhere
    markDepthArg(*T);
    IRBuilder<> B(BasicBlock::Create(C, "entry", T));
    size_t N = H.Sig.Params.size();
    AllocaInst *Args = B.CreateAlloca(
        ArrayType::get(I64, std::max<size_t>(N, 1)), nullptr, "args");
    for (size_t K = 0; K < N; ++K)
      B.CreateStore(toSlot(B, T->getArg(unsigned(K) + 1), H.Sig.Params[K]),
                    B.CreateConstInBoundsGEP2_64(Args->getAllocatedType(),
                                                 Args, 0, K));
    Value *Handle = B.CreateIntToPtr(
        B.getInt64(uint64_t(reinterpret_cast<uintptr_t>(H.Handle))), Ptr);
    Value *Depth = depthOfBudget(B, T->getArg(0), MaxCallDepth);
    Value *R = B.CreateCall(HostCall,
                            {Handle, Args, B.getInt32(uint32_t(N)), Depth});
    if (H.Sig.Ret.isVoid())
      B.CreateRetVoid();
    else
      B.CreateRet(fromSlot(B, R, H.Sig.Ret));
  }

  // `void NAME.undef()`: a stub of a function that has not arrived points
  // here. It ignores whatever arguments the caller passed and never returns.
  for (const std::string &Fn : Undefined) {
    Function *T = Function::Create(FunctionType::get(Type::getVoidTy(C), false),
                                   GlobalValue::ExternalLinkage,
                                   trampolineSymbol(Fn), *M);
    T->setDoesNotReturn();
    T->setDoesNotThrow();
    IRBuilder<> B(BasicBlock::Create(C, "entry", T));
    Value *NameStr = privateString(*M, Fn);
    B.CreateCall(Trap, {B.getInt32(unsigned(mir::TrapKind::UndefinedFunction)),
                        NameStr, NameStr})
        ->setDoesNotReturn();
    B.CreateUnreachable();
  }

  // `R NAME.cabiN(C params...)`: the C view of a MIR function. It continues
  // the depth its caller left in the thread-local (set before an indirect
  // call; for a callback from C, the depth of the last indirect call or 0),
  // and puts it back on return, so the thread-local again holds the depth of
  // the code that made the indirect call.
  //
  // (v2) A raise must never unwind through a C frame (ffi/FFI.h
  // "Exceptions"), so a call that comes from C runs under an EHFrame of kind
  // Barrier. A CallIndirect of JIT code names its target in the thread-local
  // too (spl_jit_set_indirect); the adapter that finds itself named there was
  // called by MIR code directly, with no C frame between, and lets a raise
  // pass like any MIR call does (as the interpreter does for its own function
  // pointers).
  //
  // (guard) A CallIndirect names its signature's parameter count too: the
  // adapter's enter traps BadFunctionPointer when it differs from its own
  // (the interpreter's check). Called from C with no execution running (no
  // guard: the host kept the pointer), the call runs in a thunk under a
  // guard of its own (spl_jit_run_callback): a trap makes the adapter
  // return 0 and leaves the error for the manager, never an abort.
  PointerType *PtrTy = PointerType::getUnqual(C);
  FunctionCallee Enter = M->getOrInsertFunction(
      AdapterEnterFnName,
      FunctionType::get(Type::getInt64Ty(C), {PtrTy, Type::getInt32Ty(C)},
                        false));
  FunctionCallee RunCallback = M->getOrInsertFunction(
      RunCallbackFnName,
      FunctionType::get(Type::getInt1Ty(C),
                        {PtrTy, PtrTy, PtrTy, Type::getInt32Ty(C)}, false));
  FunctionCallee SetDepth = M->getOrInsertFunction(
      SetDepthFnName,
      FunctionType::get(Type::getVoidTy(C), {Type::getInt32Ty(C)}, false));
  FunctionCallee Push = ehLinkDecl(*M, EHPushFnName);
  FunctionCallee Pop = ehLinkDecl(*M, EHPopFnName);
  for (const AdapterRequest &A : Adapters) {
    Function *F = Function::Create(cFnType(C, A.Sig),
                                   GlobalValue::ExternalLinkage, A.Symbol, *M);
    F->setAttributes(cAttrs(C, A.Sig, A.Sig.Params.size()));
    F->setDoesNotThrow();
    BasicBlock *Entry = BasicBlock::Create(C, "entry", F);
    BasicBlock *Direct = BasicBlock::Create(C, "direct", F);
    BasicBlock *FromC = BasicBlock::Create(C, "from.c", F);
    BasicBlock *Join = BasicBlock::Create(C, "join", F);
    IRBuilder<> B(Entry);
    AllocaInst *Frame =
        B.CreateAlloca(ArrayType::get(B.getInt8Ty(), ffi::EHBarrierFrameSize),
                       nullptr, "eh.frame");
    Frame->setAlignment(Align(ffi::EHFrameAlign));
    Value *Word = B.CreateCall(
        Enter, {F, B.getInt32(uint32_t(A.Sig.Params.size()))});
    Value *Depth = B.CreateTrunc(Word, B.getInt32Ty());
    Value *IsDirect =
        B.CreateICmpNE(B.CreateAnd(Word, B.getInt64(uint64_t(1) << 32)),
                       B.getInt64(0));
    Value *Unguarded =
        B.CreateICmpNE(B.CreateAnd(Word, B.getInt64(uint64_t(1) << 33)),
                       B.getInt64(0));
    Value *Inner = B.CreateNUWAdd(Depth, B.getInt32(1));
    // The thread-local holds the callee's depth while it runs, so a
    // callback re-entered from C (f -> C -> f -> C ...) keeps counting and
    // ends in the stack-overflow error instead of exhausting the stack.
    B.CreateCall(SetDepth, {Inner});
    SmallVector<Value *, 8> Args{budgetOfDepth(B, Inner, MaxCallDepth)};
    for (unsigned I = 0; I < A.Sig.Params.size(); ++I)
      Args.push_back(fromC(B, F->getArg(I), A.Sig.Params[I]));
    B.CreateCondBr(IsDirect, Direct, FromC);
    FunctionType *FT = internalFnType(C, A.Sig);
    FunctionCallee Stub = M->getOrInsertFunction(stubSymbol(A.Callee), FT);
    markDepthArg(*cast<Function>(Stub.getCallee()));

    B.SetInsertPoint(Direct);
    CallInst *R1 = B.CreateCall(Stub, Args);
    markDepthArg(*R1);
    B.CreateBr(Join);

    // The thunk of the unguarded path: void(ptr Ctx), Ctx = {args, result}.
    SmallVector<Type *, 8> Fields(FT->param_begin(), FT->param_end());
    if (!A.Sig.Ret.isVoid())
      Fields.push_back(FT->getReturnType());
    StructType *CtxTy = StructType::get(C, Fields);
    Function *Thunk = Function::Create(
        FunctionType::get(Type::getVoidTy(C), {PtrTy}, false),
        GlobalValue::InternalLinkage, A.Symbol + ".cb", *M);
    {
      IRBuilder<> TB(BasicBlock::Create(C, "entry", Thunk));
      AllocaInst *TFrame = TB.CreateAlloca(
          ArrayType::get(TB.getInt8Ty(), ffi::EHBarrierFrameSize), nullptr,
          "eh.frame");
      TFrame->setAlignment(Align(ffi::EHFrameAlign));
      SmallVector<Value *, 8> TArgs;
      for (unsigned K = 0; K < FT->getNumParams(); ++K)
        TArgs.push_back(TB.CreateLoad(
            FT->getParamType(K),
            TB.CreateStructGEP(CtxTy, Thunk->getArg(0), K)));
      TB.CreateStore(TB.getInt32(uint32_t(ffi::EHKind::Barrier)),
                     TB.CreateConstInBoundsGEP1_64(
                         TB.getInt8Ty(), TFrame, offsetof(ffi::EHFrame, Kind)));
      TB.CreateCall(Push, {TFrame});
      CallInst *TR = TB.CreateCall(Stub, TArgs);
      markDepthArg(*TR);
      TB.CreateCall(Pop, {TFrame});
      if (!A.Sig.Ret.isVoid())
        TB.CreateStore(TR, TB.CreateStructGEP(CtxTy, Thunk->getArg(0),
                                              FT->getNumParams()));
      TB.CreateRetVoid();
    }

    BasicBlock *Barrier = BasicBlock::Create(C, "from.c.guarded", F);
    BasicBlock *Alone = BasicBlock::Create(C, "from.c.alone", F);
    B.SetInsertPoint(FromC);
    B.CreateCondBr(Unguarded, Alone, Barrier);

    B.SetInsertPoint(Barrier);
    B.CreateStore(B.getInt32(uint32_t(ffi::EHKind::Barrier)),
                  B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Frame,
                                               offsetof(ffi::EHFrame, Kind)));
    B.CreateCall(Push, {Frame});
    CallInst *R2 = B.CreateCall(Stub, Args);
    markDepthArg(*R2);
    B.CreateCall(Pop, {Frame});
    B.CreateBr(Join);

    B.SetInsertPoint(Alone);
    AllocaInst *Ctx = B.CreateAlloca(CtxTy, nullptr, "cb.ctx");
    for (unsigned K = 0; K < FT->getNumParams(); ++K)
      B.CreateStore(Args[K], B.CreateStructGEP(CtxTy, Ctx, K));
    Value *SinkPtr = B.CreateIntToPtr(
        B.getInt64(uint64_t(reinterpret_cast<uintptr_t>(CallbackErrors))),
        PtrTy);
    Value *Ok = B.CreateCall(RunCallback, {Thunk, Ctx, SinkPtr,
                                           B.getInt32(MaxCallDepth)});
    Value *R3 = nullptr;
    if (!A.Sig.Ret.isVoid())
      R3 = B.CreateSelect(
          Ok,
          B.CreateLoad(FT->getReturnType(),
                       B.CreateStructGEP(CtxTy, Ctx, FT->getNumParams())),
          Constant::getNullValue(FT->getReturnType()));
    B.CreateBr(Join);

    B.SetInsertPoint(Join);
    PHINode *R = nullptr;
    if (!A.Sig.Ret.isVoid()) {
      R = B.CreatePHI(R1->getType(), 3);
      R->addIncoming(R1, Direct);
      R->addIncoming(R2, Barrier);
      R->addIncoming(R3, Alone);
    }
    B.CreateCall(SetDepth, {Depth});
    if (R)
      B.CreateRet(toC(B, R, A.Sig.Ret));
    else
      B.CreateRetVoid();
  }
  guardAttributes(*M);
  return M;
}
