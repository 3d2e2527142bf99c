//===- jit/LowerExceptions.cpp - CallTerminator, Throw, Resume ------------===//
//
// (v2) The mechanism is ffi/FFI.h "Exceptions": a raise is a longjmp into
// the innermost EHFrame of kind Catch, so code that does not catch pays
// nothing. Only a CallTerminator with an unwind block does work, in its own
// function:
//
//   entry:   %eh.frame = alloca [EHFrameSize x i8]   (one per function)
//   block:   Kind = Catch; spl_eh_push(%eh.frame)
//            %r = _setjmp(%eh.frame + Buf)            (returns_twice)
//            br %r == 0, %call, %caught
//   call:    the call; spl_eh_pop(%eh.frame); dest = result; br normal
//   caught:  payload/tag dests = the frame's Payload/Tag; br unwind
//
// (spl_rt_throw unlinks the frame before it jumps, so the caught path does
// not pop.)
//
// Why the values are right after the second return of _setjmp. LLVM models
// that return as one more return of the call, from the same program point:
// SSA values defined before it are still valid there (callee-saved registers
// come back from the jmp_buf, and the code generator does not share stack
// slots in a function that calls a returns_twice function), and nothing
// between _setjmp and the raise writes a MIR local (the arguments are only
// read, the dest is written after the call returns). Memory is the one
// hazard: an Alloc area whose address has not escaped when _setjmp runs is
// memory the optimiser believes _setjmp cannot touch, so once the callee is
// inlined it could forward a value stored before the try to a load on the
// caught path although the callee stored another one before raising. So in a
// function that catches, every Alloc area escapes (an empty inline asm takes
// its address) before the first instruction of the MIR entry block: then
// every call, _setjmp included, may have written it, and the caught path
// reads memory again.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "ffi/FFI.h"

#include "llvm/IR/InlineAsm.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

void FunctionLowerer::escapeAllocAreas() {
  if (AllocAreas.empty())
    return;
  // The branch into the MIR entry block: after every Alloc area is made
  // (large ones in a block of their own, LowerControl.cpp), before any
  // CallTerminator can run.
  IRBuilder<> EB(PrologueEnd);
  FunctionType *FT =
      FunctionType::get(EB.getVoidTy(), {PointerType::getUnqual(C)}, false);
  InlineAsm *Escape = InlineAsm::get(FT, "", "r,~{memory}",
                                     /*hasSideEffects=*/true);
  for (AllocaInst *A : AllocAreas)
    EB.CreateCall(Escape, {A});
}

Error FunctionLowerer::lowerCallTerminator(const mir::Terminator &T) {
  // The call itself is an ordinary Call (a module function by name or
  // symbol, an extern, or a function pointer in a local).
  mir::Inst Call;
  Call.Op = mir::Opcode::Call;
  Call.setDest(T.Dest);
  Call.setCallee(T.Callee);
  Call.setOps(T.Args);
  Call.setLoc(T.Loc);
  Expected<BasicBlock *> Normal = target(T.Target);
  if (!Normal)
    return Normal.takeError();

  if (!T.Unwind) {
    // A raise passes through, as through any Call.
    if (Error E = lowerCall(Call))
      return E;
    notePredecessor();
    B.CreateBr(*Normal);
    return Error::success();
  }
  Expected<BasicBlock *> Unwind = target(*T.Unwind);
  if (!Unwind)
    return Unwind.takeError();

  Type *I8 = B.getInt8Ty();
  B.CreateStore(
      B.getInt32(uint32_t(ffi::EHKind::Catch)),
      B.CreateConstInBoundsGEP1_64(I8, EHFrame, offsetof(ffi::EHFrame, Kind)));
  B.CreateCall(ML.ehPushFn(), {EHFrame});
  CallInst *Jmp = B.CreateCall(
      ML.setjmpFn(),
      {B.CreateConstInBoundsGEP1_64(I8, EHFrame, ffi::EHFrameBufOffset)});
  Jmp->addFnAttr(Attribute::ReturnsTwice);
  BasicBlock *CallBB = BasicBlock::Create(C, "try", Fn);
  BasicBlock *Caught = BasicBlock::Create(C, "caught", Fn);
  B.CreateCondBr(B.CreateICmpEQ(Jmp, B.getInt32(0)), CallBB, Caught);

  B.SetInsertPoint(CallBB);
  if (Error E = lowerCall(Call))
    return E;
  B.CreateCall(ML.ehPopFn(), {EHFrame});
  notePredecessor();
  B.CreateBr(*Normal);

  B.SetInsertPoint(Caught);
  auto Field = [&](size_t Offset, std::optional<mir::LocalId> Dest) -> Error {
    if (!Dest)
      return Error::success();
    Value *Word = B.CreateLoad(
        B.getInt64Ty(), B.CreateConstInBoundsGEP1_64(I8, EHFrame, Offset));
    const mir::Type &Ty = localType(*Dest);
    if (Ty.isVoid())
      return Error::success();
    return write(*Dest, fromWord(B, Word, Ty), Ty);
  };
  if (Error E = Field(ffi::EHFramePayloadOffset, T.PayloadDest))
    return E;
  if (Error E = Field(ffi::EHFrameTagOffset, T.TagDest))
    return E;
  notePredecessor();
  B.CreateBr(*Unwind);
  return Error::success();
}

Error FunctionLowerer::lowerThrow(const mir::Terminator &T) {
  auto Word = [&](const std::optional<mir::Operand> &O) -> Expected<Value *> {
    if (!O)
      return B.getInt64(0);
    Expected<Value *> V = read(*O);
    if (!V)
      return V.takeError();
    return toWord(B, *V, typeOf(*O));
  };
  Expected<Value *> Payload = Word(T.Value);
  if (!Payload)
    return Payload.takeError();
  Expected<Value *> Tag = Word(T.Tag);
  if (!Tag)
    return Tag.takeError();
  CallInst *Call = B.CreateCall(ML.throwFn(), {*Payload, *Tag, FnName});
  Call->setDoesNotReturn();
  B.CreateUnreachable();
  return Error::success();
}
