//===- jit/LowerIntrinsics.cpp - SsaPhi, bounds_check, bit and extern ones ===//
//
// (v2) MIR.md "Intrinsics" (float math stays in LowerArith.cpp).
//
// SsaPhi chooses by the block control came from. Only a function that
// contains one keeps a hidden predecessor slot (an alloca written with the
// block's id before every jump, LowerControl.cpp); mem2reg turns the slot and
// the compare-and-select chain into real phis, so the choice costs nothing
// at -O2 and other functions never see the slot.
//
// bounds_check branches to a cold per-site block calling spl_rt_bounds_fail
// (noreturn; ffi builds the text both backends share).
//
// The bit intrinsics call the portable definitions of mir/IntrinsicEval.cpp
// (absolute symbols of the session, OrcSetup.cpp), so results are bit-exact
// with the interpreter on every host. Any other name is a call of the extern
// `__simple_intrinsic_<name>` with every argument as a word.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "llvm/IR/MDBuilder.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;
using mir::IntrinsicKind;
using mir::TypeKind;

static const mir::Type I64Ty = TypeKind::I64;

Error FunctionLowerer::lowerSsaPhi(const mir::Inst &I) {
  if (!I.hasDest() || I.ops().empty())
    return Error::success();
  const mir::Type &Ty = localType(I.dest());
  if (Ty.isVoid())
    return Error::success();
  if (I.ops().size() < 4) {
    Expected<Value *> First = readAs(I.ops()[0], Ty);
    if (!First)
      return First.takeError();
    return write(I.dest(), *First, Ty);
  }
  Expected<Value *> Result = readAs(I.ops()[1], Ty);
  if (!Result)
    return Result.takeError();
  Value *Pred = B.CreateLoad(B.getInt64Ty(), PredSlot, "pred");
  // From the last pair to the first, so the first matching pair wins; no
  // match leaves v0.
  for (size_t K = (I.ops().size() / 2) * 2; K >= 2; K -= 2) {
    Expected<Value *> P = readAs(I.ops()[K - 2], I64Ty);
    if (!P)
      return P.takeError();
    Expected<Value *> V = readAs(I.ops()[K - 1], Ty);
    if (!V)
      return V.takeError();
    *Result = B.CreateSelect(B.CreateICmpEQ(Pred, *P), *V, *Result);
  }
  return write(I.dest(), *Result, Ty);
}

Error FunctionLowerer::lowerBoundsCheck(const mir::Inst &I) {
  if (I.ops().size() != 2)
    return error("bounds_check takes 2 arguments, not " + Twine(I.ops().size()));
  Expected<Value *> Idx = readAs(I.ops()[0], I64Ty);
  if (!Idx)
    return Idx.takeError();
  Expected<Value *> Len = readAs(I.ops()[1], I64Ty);
  if (!Len)
    return Len.takeError();
  Value *Bad = B.CreateOr(B.CreateICmpSLT(*Idx, B.getInt64(0)),
                          B.CreateICmpSGE(*Idx, *Len));
  BasicBlock *Fail = BasicBlock::Create(C, "bounds.fail", Fn);
  BasicBlock *Cont = BasicBlock::Create(C, "", Fn);
  B.CreateCondBr(Bad, Fail, Cont,
                 MDBuilder(C).createBranchWeights(1, 1u << 20));
  B.SetInsertPoint(Fail);
  B.CreateCall(ML.boundsFailFn(), {*Idx, *Len, FnName})->setDoesNotReturn();
  B.CreateUnreachable();
  B.SetInsertPoint(Cont);
  if (!I.hasDest())
    return Error::success();
  return write(I.dest(), *Idx, I64Ty);
}

Error FunctionLowerer::lowerBitIntrinsic(const mir::Inst &I) {
  const mir::IntrinsicFn *Fn = mir::findBitIntrinsicFn(I.Intr);
  if (!Fn)
    return error("intrinsic " + mir::intrinsicName(I.Intr) +
                 " is not supported yet");
  int Arity = mir::intrinsicArity(I.Intr);
  if (Arity >= 0 && I.ops().size() != size_t(Arity))
    return error("intrinsic " + mir::intrinsicName(I.Intr) + " takes " +
                 Twine(Arity) + " arguments, not " + Twine(I.ops().size()));
  Type *I64 = B.getInt64Ty();
  Type *Ptr = PointerType::getUnqual(C);
  bool Block = mir::isBlockIntrinsic(I.Intr);
  SmallVector<Value *, 4> Args;
  SmallVector<Type *, 4> Params;
  for (const mir::Operand &O : I.ops()) {
    Expected<Value *> V = read(O);
    if (!V)
      return V.takeError();
    Value *W = toWord(B, *V, typeOf(O));
    Args.push_back(Block ? B.CreateIntToPtr(W, Ptr) : W);
    Params.push_back(Block ? Ptr : I64);
  }
  // Word kinds: uint64_t f(uint64_t, uint64_t); block kinds write their
  // first operand and give no value.
  FunctionType *FT =
      FunctionType::get(Block ? B.getVoidTy() : I64, Params, false);
  Function *Callee = ML.declare(Fn->Symbol, FT);
  CallInst *R = B.CreateCall(Callee, Args);
  if (Block || !I.hasDest())
    return Error::success();
  const mir::Type &Ty = localType(I.dest());
  if (Ty.isVoid())
    return Error::success();
  return write(I.dest(), fromWord(B, R, Ty), Ty);
}

Error FunctionLowerer::lowerExternIntrinsic(const mir::Inst &I) {
  std::string Name = "__simple_intrinsic_" + I.name();
  mir::Signature Site;
  Site.Params.assign(I.ops().size(), I64Ty);
  Site.Ret = I.hasDest() ? I64Ty : mir::Type(TypeKind::Unit);
  Expected<CallTarget> T = ML.L.externTarget(Scope, Name, Site, Site.Params);
  if (!T)
    return T.takeError();
  SmallVector<std::pair<Value *, mir::Type>, 4> Args;
  for (const mir::Operand &O : I.ops()) {
    Expected<Value *> V = read(O);
    if (!V)
      return V.takeError();
    Args.push_back({toWord(B, *V, typeOf(O)), I64Ty});
  }
  Expected<Value *> R = callExtern(*T, Args);
  if (!R)
    return R.takeError();
  if (!I.hasDest())
    return Error::success();
  const mir::Type &Ty = localType(I.dest());
  if (Ty.isVoid())
    return Error::success();
  // The result as a word, then read as GetField reads a field.
  Value *Word = toWord(B, *R, T->Sig.Ret);
  return write(I.dest(), fromWord(B, Word, Ty), Ty);
}
