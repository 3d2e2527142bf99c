//===- jit/LowerMemory.cpp - Alloc, Load, Store, GetElementPtr, Offset ----===//
//
// docs/SEMANTICS.md "Memory". An Alloc is one alloca per Alloc *instruction*,
// made once per call in the prologue (so a loop re-running it reuses its
// area, and the stack does not grow per iteration), zeroed by a memset where
// the instruction runs.
// Accesses through program pointers use alignment 1: a pointer may come from
// arithmetic or from C, and on the hosts we target unaligned scalar accesses
// cost nothing, while a wrong alignment promise would be UB.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;
using mir::TypeKind;

/// (v2) Bytes of T in memory: a handle (a word value that is not an
/// in-memory Array) is one 8-byte word; mir::Type::storeSize gives it none.
static uint64_t memSize(const mir::Type &T) {
  if (T.isHandle())
    return 8;
  if (T.Kind == TypeKind::Array)
    return T.count() * memSize(T.elem());
  return T.storeSize();
}

static uint64_t memAlign(const mir::Type &T) {
  if (T.isHandle())
    return 8;
  if (T.Kind == TypeKind::Array)
    return memAlign(T.elem());
  return T.alignment();
}

/// The LLVM type of a load or store of T: handles and runtime arrays as
/// words.
static Type *accessLLVMType(LLVMContext &C, const mir::Type &T) {
  if (T.isWordValue())
    return Type::getInt64Ty(C);
  return T.isScalar() ? memType(C, T) : nullptr;
}

const mir::Type &FunctionLowerer::accessType(const mir::Type &PtrTy,
                                             const mir::Type &Fallback) const {
  if (PtrTy.isPointer() && PtrTy.hasElem() &&
      (PtrTy.pointee().isScalar() || PtrTy.pointee().isHandle()))
    return PtrTy.pointee();
  return Fallback;
}

Error FunctionLowerer::lowerAlloc(const mir::Inst &I) {
  const mir::Type &T = I.type();
  // Arrays of handles: memType would give their elements no size.
  Type *Ty = T.isVoid()     ? Type::getInt8Ty(C)
             : T.isHandle() ? Type::getInt64Ty(C)
             : memSize(T) != T.storeSize()
                 ? ArrayType::get(Type::getInt8Ty(C), memSize(T))
                 : memType(C, T);
  if (!Ty)
    return error("alloc of type " + T.str() +
                 ", which the llvm backend does not support yet");
  if (OSR) {
    // (osr) The running call's area, in its frame (LowerOSR.cpp), zeroed
    // as the interpreter zeroes it.
    Expected<Value *> Area = frameAllocArea(I);
    if (!Area)
      return Area.takeError();
    if (uint64_t Size = T.storeSize())
      B.CreateMemSet(*Area, B.getInt8(0), Size, Align(8));
    return write(I.dest(), *Area, mir::Type::ptr(T));
  }
  IRBuilder<> AB(AllocBB, AllocBB->getFirstInsertionPt());
  AllocaInst *A = AB.CreateAlloca(Ty, nullptr, "alloc");
  A->setAlignment(Align(memAlign(T)));
  AllocAreas.push_back(A);
  if (uint64_t Size = memSize(T))
    B.CreateMemSet(A, B.getInt8(0), Size, A->getAlign());
  return write(I.dest(), A, mir::Type::ptr(T));
}

Error FunctionLowerer::lowerLoad(const mir::Inst &I) {
  const mir::Type &PT = typeOf(I.ops()[0]);
  const mir::Type &T = accessType(PT, localType(I.dest()));
  if (T.isVoid())
    return Error::success();
  Type *Ty = accessLLVMType(C, T);
  if (!Ty)
    return error("load of type " + T.str() +
                 ", which the llvm backend does not support yet");
  Expected<Value *> P = read(I.ops()[0]);
  if (!P)
    return P.takeError();
  Value *V = B.CreateAlignedLoad(Ty, *P, Align(1));
  if (T.Kind == TypeKind::Bool) // a byte: nonzero reads as true
    V = B.CreateICmpNE(V, B.getInt8(0));
  return write(I.dest(), V, T);
}

Error FunctionLowerer::lowerStore(const mir::Inst &I) {
  const mir::Type &PT = typeOf(I.ops()[0]);
  const mir::Type &T = accessType(PT, typeOf(I.ops()[1]));
  if (T.isVoid())
    return Error::success();
  if (!accessLLVMType(C, T))
    return error("store of type " + T.str() +
                 ", which the llvm backend does not support yet");
  Expected<Value *> P = read(I.ops()[0]);
  if (!P)
    return P.takeError();
  Expected<Value *> V = readAs(I.ops()[1], T);
  if (!V)
    return V.takeError();
  Value *M = T.Kind == TypeKind::Bool ? B.CreateZExt(*V, B.getInt8Ty()) : *V;
  B.CreateAlignedStore(M, *P, Align(1));
  return Error::success();
}

/// An index as i64, extended by its signedness.
static Value *index64(IRBuilderBase &B, Value *V, const mir::Type &T) {
  return B.CreateIntCast(V, B.getInt64Ty(), T.isSignedInt());
}

Expected<Value *> FunctionLowerer::offset(Value *P, const mir::Type &PtrTy,
                                          Value *Idx, const mir::Type &IdxTy) {
  const mir::Type &Pointee = PtrTy.pointee();
  // A pointee without a layout (Unit) has size 0: the pointer stays.
  bool Sized = Pointee.hasLayout() || memSize(Pointee) > 0;
  uint64_t Size = Sized ? memSize(Pointee) : 0;
  if (!Sized && !Pointee.isVoid())
    return error("offset through a pointer to " + Pointee.str() +
                 ", which the llvm backend does not support yet");
  Value *Bytes = B.CreateMul(index64(B, Idx, IdxTy), B.getInt64(Size));
  return B.CreateGEP(B.getInt8Ty(), P, Bytes);
}

Error FunctionLowerer::lowerGEP(const mir::Inst &I) {
  const mir::Type &PT = typeOf(I.ops()[0]);
  Expected<Value *> P = read(I.ops()[0]);
  if (!P)
    return P.takeError();
  Expected<Value *> I0 = read(I.ops()[1]);
  if (!I0)
    return I0.takeError();
  Expected<Value *> R = offset(*P, PT, *I0, typeOf(I.ops()[1]));
  if (!R)
    return R.takeError();
  mir::Type ResultTy = PT;
  if (I.ops().size() == 3) {
    const mir::Type &Arr = PT.pointee();
    Expected<Value *> I1 = read(I.ops()[2]);
    if (!I1)
      return I1.takeError();
    ResultTy = mir::Type::ptr(Arr.pointee());
    R = offset(*R, ResultTy, *I1, typeOf(I.ops()[2]));
    if (!R)
      return R.takeError();
  }
  return write(I.dest(), *R, ResultTy);
}
