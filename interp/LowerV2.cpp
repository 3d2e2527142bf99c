//===- interp/LowerV2.cpp - Aggregates, fields, v2 intrinsics, exceptions -===//
//
// The MIR v2 forms (../shared/MIR.md, the lead's backend-v2 decisions):
//   * Aggregate calls the runtime (rt_alloc, rt_array_new/push, rt_enum_new,
//     rt_tuple_new/set), resolved once here like any extern;
//   * GetField/SetField address word i at base + 8*i; a canonical slot is
//     already a field's encoding, and a loaded word is brought to the dest's
//     kind (the low bits, Bool's bit 0, F32's low 32 bits);
//   * __simple_ssa_phi reads the predecessor slot that functions with a phi
//     write before each terminator (Lowering.cpp);
//   * CallTerminator with an unwind block becomes Invoke: the call, its
//     argument set-up and a LeaveCall, run by Run.cpp's invokeCatching in a
//     nested dispatch loop under a Catch frame; without one it is a plain
//     call and a Goto;
//   * Throw and Resume call spl_rt_throw.
//
//===----------------------------------------------------------------------===//

#include "interp/Lowering.h"

#include "ffi/FFI.h"

using namespace llvm;
using spl::mir::TypeKind;

namespace spl::interp {

Error Lowerer::lowerAggregate(const mir::Inst &I, uint32_t D) {
  std::vector<Val> Vals;
  for (const mir::Operand &O : I.ops()) {
    auto V = val(O);
    if (!V)
      return V.takeError();
    Vals.push_back(*V);
  }
  uint32_t N = uint32_t(Vals.size());
  auto Fns = [&](std::initializer_list<StringRef> Names)
      -> Expected<std::vector<uint64_t>> {
    std::vector<uint64_t> Addrs;
    for (StringRef Name : Names) {
      auto A = runtimeAddress(Name);
      if (!A)
        return A.takeError();
      Addrs.push_back(*A);
    }
    return Addrs;
  };

  switch (I.Agg) {
  case mir::AggKind::Tuple:
  case mir::AggKind::Struct: {
    auto A = Fns({"rt_alloc"});
    if (!A)
      return A.takeError();
    std::vector<uint32_t> Slots = slotsOf(Vals);
    emit(Opc::NewWords, {pack(D, N), (*A)[0]});
    appendPacked(Slots);
    return Error::success();
  }
  case mir::AggKind::Array: {
    auto A = Fns({"rt_array_new", "rt_array_push"});
    if (!A)
      return A.takeError();
    std::vector<uint32_t> Slots = slotsOf(Vals);
    emit(Opc::NewArray, {pack(D, N), (*A)[0], (*A)[1]});
    appendPacked(Slots);
    return Error::success();
  }
  case mir::AggKind::Enum: {
    // rt_enum_new takes the id and discriminant as int32: the low 32 bits.
    uint64_t SymVariant = pack(uint32_t(uint64_t(I.symbol())), I.variant());
    if (N <= 1) {
      auto A = Fns({"rt_enum_new"});
      if (!A)
        return A.takeError();
      Val Zero;
      Zero.IsConst = true;
      uint32_t Payload = inSlot(N ? Vals[0] : Zero);
      emit(Opc::NewEnum, {pack(D, Payload), (*A)[0], SymVariant});
      return Error::success();
    }
    auto A = Fns({"rt_enum_new", "rt_tuple_new", "rt_tuple_set"});
    if (!A)
      return A.takeError();
    std::vector<uint32_t> Slots = slotsOf(Vals);
    emit(Opc::NewEnumTuple,
         {pack(D, N), (*A)[0], SymVariant, (*A)[1], (*A)[2]});
    appendPacked(Slots);
    return Error::success();
  }
  }
  return err("unknown Aggregate kind");
}

Error Lowerer::lowerGetField(const mir::Inst &I, uint32_t D) {
  auto Base = val(I.ops()[0]);
  if (!Base)
    return Base.takeError();
  const mir::Type *DT = destType(I);
  // The opcode's kind implements mir::wordToSlot for the dest's type.
  NormKind K = DT ? normKindOf(*DT) : NormKind::W64;
  emit(opcAt(Opc::GetFieldW64, unsigned(K)),
       {pack(D, inSlot(*Base)), uint64_t(I.Field) * 8});
  return Error::success();
}

Error Lowerer::lowerSetField(const mir::Inst &I) {
  if (I.ops().size() < 2)
    return err("SetField needs 2 operands, got " + Twine(I.ops().size()));
  auto Base = val(I.ops()[0]);
  if (!Base)
    return Base.takeError();
  auto V = val(I.ops()[1]);
  if (!V)
    return V.takeError();
  uint32_t BS = inSlot(*Base), VS = inSlot(*V);
  emit(Opc::SetField, {pack(BS, VS), uint64_t(I.Field) * 8});
  return Error::success();
}

Error Lowerer::lowerPhi(const mir::Inst &I, uint32_t D) {
  size_t N = I.ops().size();
  if (N == 0)
    return err("__simple_ssa_phi needs arguments");
  if (N < 4) { // MIR.md: fewer than 4 arguments give the first
    auto V = val(I.ops()[0]);
    if (!V)
      return V.takeError();
    if (V->IsConst)
      emit(Opc::LoadImm, {D, V->Imm});
    else if (V->Slot != D)
      emit(Opc::Mov, {pack(D, V->Slot)});
    return Error::success();
  }
  auto V0 = val(I.ops()[1]);
  if (!V0)
    return V0.takeError();
  uint32_t V0Slot = inSlot(*V0);
  std::vector<uint64_t> Pairs;
  for (size_t K = 0; K + 1 < N; K += 2) {
    const mir::Operand &P = I.ops()[K];
    if (!P.isConst() || P.constant().K != mir::Constant::Kind::Int)
      return err("argument " + Twine(K) +
                 " of __simple_ssa_phi must be a block id (an Int constant)");
    uint32_t Slot = V0Slot;
    if (K > 0) {
      auto V = val(I.ops()[K + 1]);
      if (!V)
        return V.takeError();
      Slot = inSlot(*V);
    }
    if (P.constant().Bits <= UINT32_MAX) // a larger id names no block: never matches
      Pairs.push_back(pack(uint32_t(P.constant().Bits), Slot));
  }
  emit(Opc::Phi, {pack(D, PredSlot), pack(uint32_t(Pairs.size()), V0Slot)});
  Code.insert(Code.end(), Pairs.begin(), Pairs.end());
  return Error::success();
}

Error Lowerer::lowerBoundsCheck(const mir::Inst &I, uint32_t D) {
  if (I.ops().size() != 2)
    return err("bounds_check takes 2 arguments, got " + Twine(I.ops().size()));
  auto Index = val(I.ops()[0]);
  if (!Index)
    return Index.takeError();
  auto Len = val(I.ops()[1]);
  if (!Len)
    return Len.takeError();
  uint32_t IS = inSlot(*Index), LS = inSlot(*Len);
  emit(Opc::BoundsCheck, {pack(D, IS), LS, fnNameWord()});
  return Error::success();
}

Error Lowerer::lowerBitIntrinsic(const mir::Inst &I, uint32_t D) {
  StringRef Name = mir::intrinsicName(I.Intr);
  const mir::IntrinsicFn *Fn = mir::findBitIntrinsicFn(I.Intr);
  if (!Fn)
    return err("intrinsic `" + Name + "` is not supported yet");
  int Arity = mir::intrinsicArity(I.Intr);
  if (I.ops().size() != size_t(Arity))
    return err("intrinsic `" + Name + "` takes " + Twine(Arity) +
               " arguments, got " + Twine(I.ops().size()));
  std::vector<Val> Vals;
  for (const mir::Operand &O : I.ops()) {
    auto V = val(O);
    if (!V)
      return V.takeError();
    if (!isIntLike(*V->Ty))
      return err("intrinsic `" + Name +
                 "` needs integer or pointer arguments, got " + V->Ty->str());
    Vals.push_back(*V);
  }
  std::vector<uint32_t> S = slotsOf(Vals);
  uint64_t Addr = uint64_t(uintptr_t(Fn->Address));
  if (!mir::isBlockIntrinsic(I.Intr)) {
    // Word kinds: uint64_t f(uint64_t, uint64_t).
    emit(Opc::CallC2, {pack(D, S[0]), S[1], Addr});
    emitToKind(D, destType(I));
    return Error::success();
  }
  // Block kinds write their first operand's block and give no value.
  if (Arity == 3)
    emit(Opc::CallC3V, {pack(S[0], S[1]), S[2], Addr});
  else
    emit(Opc::CallC4V, {pack(S[0], S[1]), pack(S[2], S[3]), Addr});
  return Error::success();
}

Error Lowerer::lowerExternIntrinsic(const mir::Inst &I, uint32_t D) {
  // Every argument travels as its word (the slot is the encoding), as I64.
  static const mir::Type Word = TypeKind::I64;
  std::vector<Val> Vals;
  std::vector<mir::Type> Types;
  mir::Signature CallSite;
  for (const mir::Operand &O : I.ops()) {
    auto V = val(O);
    if (!V)
      return V.takeError();
    V->Ty = &Word;
    Vals.push_back(*V);
    Types.push_back(Word);
    CallSite.Params.push_back(Word);
  }
  if (I.hasDest())
    CallSite.Ret = Word;
  return lowerExternCall("__simple_intrinsic_" + I.name(), &CallSite,
                         std::move(Vals), Types, D, destType(I),
                         /*ResultAsWord=*/true);
}

Error Lowerer::lowerCallTerminator(const mir::Terminator &T,
                                   const mir::Block *Next) {
  if (Error E = checkBlock(T.Target))
    return E;
  mir::Inst Call;
  Call.Op = mir::Opcode::Call;
  Call.setDest(T.Dest);
  Call.setCallee(T.Callee);
  Call.setOps(T.Args);
  Expected<uint32_t> D = destSlot(Call);
  if (!D)
    return D.takeError();
  if (!T.Unwind) { // a raise passes through, as through any call
    if (Error E = lowerCall(Call, *D))
      return E;
    return emitGoto(T.Target, Next);
  }
  if (Error E = checkBlock(*T.Unwind))
    return E;
  // Where the payload and tag go (the discard slot when not wanted), and the
  // kinds of those locals.
  auto Receiver = [&](std::optional<mir::LocalId> L, uint32_t &Slot,
                      NormKind &K) -> Error {
    Slot = DiscardSlot;
    K = NormKind::W64;
    if (!L)
      return Error::success();
    auto S = localSlot(*L);
    if (!S)
      return S.takeError();
    Slot = *S;
    K = normKindOf(localType(*L)); // mir::wordToSlot
    return Error::success();
  };
  uint32_t PS, TS;
  NormKind PK, TK;
  if (Error E = Receiver(T.PayloadDest, PS, PK))
    return E;
  if (Error E = Receiver(T.TagDest, TS, TK))
    return E;
  // [op][unwind][payload|tag][kinds][resume offset][fn], the call,
  // LeaveCall.
  size_t At =
      emit(Opc::Invoke,
           {0, pack(PS, TS), uint64_t(PK) | uint64_t(TK) << 8, 0, fnWord()});
  Fixups.push_back({At + 1, *T.Unwind});
  if (Error E = lowerCall(Call, *D))
    return E;
  emit(Opc::LeaveCall, {});
  Code[At + 4] = Code.size() - At;
  return emitGoto(T.Target, Next);
}

Error Lowerer::lowerThrow(const mir::Terminator &T) {
  Val Zero;
  Zero.IsConst = true;
  Val Payload = Zero, Tag = Zero;
  if (T.Value) {
    auto V = val(*T.Value);
    if (!V)
      return V.takeError();
    Payload = *V;
  }
  if (T.Tag) {
    auto V = val(*T.Tag);
    if (!V)
      return V.takeError();
    Tag = *V;
  }
  uint32_t PS = inSlot(Payload), TS = inSlot(Tag);
  emit(Opc::Throw, {pack(PS, TS), fnNameWord()});
  return Error::success();
}

} // namespace spl::interp
