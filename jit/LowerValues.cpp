//===- jit/LowerValues.cpp - Locals, operands and constants ---------------===//
//
// MIR locals are mutable slots, not SSA values. Each becomes an alloca in the
// entry block, zeroed on entry (so a read before the first write sees 0, as in
// the interpreter), and mem2reg/SROA turn them into SSA registers. Operands
// read the slot; every write converts the value to the slot's type.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

Error FunctionLowerer::createSlots() {
  IRBuilder<> AB(AllocaBB);
  Slots.assign(F.Locals.size(), nullptr);
  for (size_t I = 0; I < F.Locals.size(); ++I) {
    const mir::Local &L = F.Locals[I];
    if (!hasValueForm(L.Ty))
      return error("local _" + Twine(L.Id) + " has type " + L.Ty.str() +
                   ", which the llvm backend does not support yet");
    if (L.Ty.isVoid())
      continue;
    Type *Ty = regType(C, L.Ty);
    AllocaInst *A = AB.CreateAlloca(
        Ty, nullptr, L.Name ? Twine(*L.Name) : "_" + Twine(L.Id));
    AB.CreateStore(Constant::getNullValue(Ty), A);
    Slots[I] = A;
  }
  return Error::success();
}

const mir::Type &FunctionLowerer::localType(mir::LocalId L) const {
  return F.local(L)->Ty;
}

const mir::Type &FunctionLowerer::typeOf(const mir::Operand &O) const {
  return O.isConst() ? O.constant().Ty : localType(O.Local);
}

Expected<Value *> FunctionLowerer::read(const mir::Operand &O) {
  if (O.isConst())
    return constant(O.constant());
  int Idx = F.localIndex(O.Local);
  if (Idx < 0)
    return error("local _" + Twine(O.Local) + " does not exist");
  AllocaInst *A = Slots[Idx];
  if (!A)
    return nullptr; // a Unit value
  return B.CreateLoad(A->getAllocatedType(), A);
}

Expected<Value *> FunctionLowerer::readAs(const mir::Operand &O,
                                          const mir::Type &To) {
  Expected<Value *> V = read(O);
  if (!V || !*V || To.isVoid())
    return V;
  if (Value *R = convert(B, *V, typeOf(O), To))
    return R;
  return error("cannot convert " + typeOf(O).str() + " to " + To.str());
}

Error FunctionLowerer::write(mir::LocalId L, Value *V, const mir::Type &From) {
  int Idx = F.localIndex(L);
  if (Idx < 0)
    return error("local _" + Twine(L) + " does not exist");
  AllocaInst *A = Slots[Idx];
  if (!A || !V)
    return Error::success(); // Unit on either side: nothing to store
  Value *Conv = convert(B, V, From, F.Locals[Idx].Ty);
  if (!Conv)
    return error("cannot store a value of type " + From.str() + " in local _" +
                 Twine(L) + " of type " + F.Locals[Idx].Ty.str());
  B.CreateStore(Conv, A);
  return Error::success();
}

Expected<Value *> FunctionLowerer::constant(const mir::Constant &K) {
  const mir::Type &T = K.Ty;
  if (T.isVoid())
    return nullptr;
  Type *Ty = regType(C, T);
  if (!Ty)
    return error("constant of type " + T.str() +
                 ", which the llvm backend does not support yet");
  using Kind = mir::Constant::Kind;
  if (K.isFunctionRef()) {
    Expected<std::string> Sym = ML.L.functionPointer(Scope, K);
    if (!Sym)
      return Sym.takeError();
    return ML.declare(*Sym, cFnType(C, T.sig()));
  }
  switch (K.K) {
  case Kind::Zero:
    return Constant::getNullValue(Ty);
  case Kind::Bool:
    return ConstantInt::get(Ty, K.Bits != 0);
  case Kind::Int:
    if (T.isFloat()) // not produced by the readers; cheap to be exact anyway
      return ConstantFP::get(Ty, T.isSignedInt() ? double(int64_t(K.Bits))
                                                 : double(K.Bits));
    if (Ty->isPointerTy())
      return ConstantExpr::getIntToPtr(
          ConstantInt::get(Type::getInt64Ty(C), K.Bits), Ty);
    return ConstantInt::get(
        Ty, K.Bits & maskTrailingOnes<uint64_t>(Ty->getIntegerBitWidth()));
  case Kind::Float:
    return ConstantFP::get(Ty, K.F);
  case Kind::Str:
    if (Ty->isPointerTy())
      return ML.stringConstant(K.S);
    // (v2) A text literal typed {"Opaque":"str"}: the address as a word.
    if (T.isWordValue())
      return ConstantExpr::getPtrToInt(ML.stringConstant(K.S), Ty);
    break;
  }
  return error("constant cannot have type " + T.str());
}
