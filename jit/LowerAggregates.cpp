//===- jit/LowerAggregates.cpp - Aggregate, GetField, SetField, GlobalAddr ===//
//
// (v2) MIR.md "Instructions". A struct or tuple is a pointer to one 8-byte
// word per field, made by rt_alloc; arrays, enums and enum payload tuples are
// runtime handles made and filled by runtime functions. Those functions are
// called directly, like any extern (bound through ffi::resolveExtern, so a
// Simple host's own runtime is the one called when there is one).
//
// Fields are words: SetField and Aggregate store toWord(value) (signed
// integers sign-extended, F32 bits zero-extended, ...), GetField converts the
// word with fromWord (LowerTypes.cpp). Field accesses use alignment 1, like
// every access through a program pointer (LowerMemory.cpp).
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;
using mir::TypeKind;

namespace {

mir::Signature sig(mir::Type Ret, std::initializer_list<mir::Type> Params) {
  mir::Signature S;
  S.Ret = std::move(Ret);
  S.Params.assign(Params.begin(), Params.end());
  return S;
}

/// The signatures RUNTIME.md gives, used when neither the module nor
/// spl-exec's runtime table knows the function (a host-only runtime).
const mir::Type I64 = TypeKind::I64;
const mir::Type I32 = TypeKind::I32;
const mir::Type I8 = TypeKind::I8;

} // namespace

Expected<Value *> FunctionLowerer::fieldAddress(const mir::Operand &Base,
                                                uint32_t Field) {
  Expected<Value *> P = read(Base);
  if (!P)
    return P.takeError();
  Value *Ptr = *P;
  if (!Ptr)
    return error("field access through a value of type " + typeOf(Base).str());
  if (!Ptr->getType()->isPointerTy()) {
    if (!Ptr->getType()->isIntegerTy())
      return error("field access through a value of type " +
                   typeOf(Base).str());
    Ptr = B.CreateIntToPtr(B.CreateZExtOrTrunc(Ptr, B.getInt64Ty()),
                           PointerType::getUnqual(C));
  }
  return B.CreateConstGEP1_64(B.getInt8Ty(), Ptr, uint64_t(Field) * 8);
}

Error FunctionLowerer::lowerAggregate(const mir::Inst &I) {
  // The words of the operands, in order.
  SmallVector<Value *, 8> Words;
  for (const mir::Operand &O : I.ops()) {
    Expected<Value *> V = read(O);
    if (!V)
      return V.takeError();
    Words.push_back(toWord(B, *V, typeOf(O)));
  }
  auto Call = [&](StringRef Name, const mir::Signature &Fallback,
                  ArrayRef<Value *> Args) -> Expected<Value *> {
    Expected<CallTarget> T = runtimeTarget(Name, Fallback);
    if (!T)
      return T.takeError();
    SmallVector<std::pair<Value *, mir::Type>, 4> Typed;
    for (Value *A : Args)
      Typed.push_back({A, I64});
    Expected<Value *> R = callExtern(*T, Typed);
    if (!R)
      return R.takeError();
    return toWord(B, *R, T->Sig.Ret);
  };
  uint64_t N = Words.size();
  Value *Result = nullptr;

  switch (I.Agg) {
  case mir::AggKind::Struct:
  case mir::AggKind::Tuple: {
    Expected<Value *> Mem =
        Call("rt_alloc", sig(mir::Type::ptr(TypeKind::U8), {I64}),
             {B.getInt64(8 * N)});
    if (!Mem)
      return Mem.takeError();
    Value *P = B.CreateIntToPtr(*Mem, PointerType::getUnqual(C));
    for (uint64_t K = 0; K < N; ++K)
      B.CreateAlignedStore(
          Words[K], B.CreateConstGEP1_64(B.getInt8Ty(), P, 8 * K), Align(1));
    Result = *Mem;
    break;
  }
  case mir::AggKind::Array: {
    Expected<Value *> Arr =
        Call("rt_array_new", sig(I64, {I64}), {B.getInt64(N)});
    if (!Arr)
      return Arr.takeError();
    for (Value *W : Words)
      if (Expected<Value *> R =
              Call("rt_array_push", sig(I8, {I64, I64}), {*Arr, W});
          !R)
        return R.takeError();
    Result = *Arr;
    break;
  }
  case mir::AggKind::Enum: {
    Value *Payload = B.getInt64(0);
    if (N == 1) {
      Payload = Words[0];
    } else if (N > 1) {
      Expected<Value *> Tup =
          Call("rt_tuple_new", sig(I64, {I64}), {B.getInt64(N)});
      if (!Tup)
        return Tup.takeError();
      for (uint64_t K = 0; K < N; ++K)
        if (Expected<Value *> R = Call("rt_tuple_set", sig(I8, {I64, I64, I64}),
                                       {*Tup, B.getInt64(K), Words[K]});
            !R)
          return R.takeError();
      Payload = *Tup;
    }
    Expected<Value *> E =
        Call("rt_enum_new", sig(I64, {I32, I32, I64}),
             {B.getInt64(uint64_t(I.symbol())), B.getInt64(I.variant()), Payload});
    if (!E)
      return E.takeError();
    Result = *E;
    break;
  }
  }
  if (!I.hasDest())
    return Error::success();
  return write(I.dest(), Result, I64);
}

Error FunctionLowerer::lowerGetField(const mir::Inst &I) {
  Expected<Value *> Addr = fieldAddress(I.ops()[0], I.Field);
  if (!Addr)
    return Addr.takeError();
  Value *Word = B.CreateAlignedLoad(B.getInt64Ty(), *Addr, Align(1));
  if (!I.hasDest())
    return Error::success();
  const mir::Type &Ty = localType(I.dest());
  if (Ty.isVoid())
    return Error::success();
  return write(I.dest(), fromWord(B, Word, Ty), Ty);
}

Error FunctionLowerer::lowerSetField(const mir::Inst &I) {
  Expected<Value *> Addr = fieldAddress(I.ops()[0], I.Field);
  if (!Addr)
    return Addr.takeError();
  Expected<Value *> V = read(I.ops()[1]);
  if (!V)
    return V.takeError();
  B.CreateAlignedStore(toWord(B, *V, typeOf(I.ops()[1])), *Addr, Align(1));
  return Error::success();
}

Error FunctionLowerer::lowerGlobalAddr(const mir::Inst &I) {
  // The cell never moves, but its address differs from run to run (ASLR):
  // a symbol the session defines at it, not a constant, keeps the module --
  // and so its cache key (ObjectCache.h) -- the same in every run.
  ML.L.globalCell(I.symbol());
  std::string Name = cellSymbol(I.symbol());
  GlobalVariable *P = ML.M.getNamedGlobal(Name);
  if (!P)
    P = new GlobalVariable(ML.M, Type::getInt64Ty(C), /*isConstant=*/false,
                           GlobalValue::ExternalLinkage, nullptr, Name);
  if (!I.hasDest())
    return Error::success();
  return write(I.dest(), P, mir::Type::ptr(TypeKind::U64));
}
