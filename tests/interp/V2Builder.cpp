//===- tests/interp/V2Builder.cpp - mir::Module objects built in C++ ------===//

#include "V2Builder.h"

#include "llvm/Support/Error.h"

#include <cstdlib>

namespace spl::interp::v2test {

mir::Inst inst(mir::Opcode Op, std::optional<LocalId> Dest, Ops Args) {
  mir::Inst I;
  I.Op = Op;
  I.setDest(Dest);
  I.setOps(std::move(Args));
  return I;
}
mir::Inst copyI(LocalId Dest, Operand Src) {
  return inst(mir::Opcode::Copy, Dest, {std::move(Src)});
}
mir::Inst binI(LocalId Dest, mir::BinOpKind K, Operand L, Operand R) {
  mir::Inst I = inst(mir::Opcode::BinOp, Dest, {std::move(L), std::move(R)});
  I.Bin = K;
  return I;
}
mir::Inst castI(LocalId Dest, Operand A, Type To) {
  mir::Inst I = inst(mir::Opcode::Cast, Dest, {std::move(A)});
  I.setType(std::move(To));
  return I;
}
mir::Inst allocI(LocalId Dest, Type T) {
  mir::Inst I = inst(mir::Opcode::Alloc, Dest, {});
  I.setType(std::move(T));
  return I;
}
mir::Inst loadI(LocalId Dest, Operand P) {
  return inst(mir::Opcode::Load, Dest, {std::move(P)});
}
mir::Inst storeI(Operand P, Operand V) {
  return inst(mir::Opcode::Store, std::nullopt, {std::move(P), std::move(V)});
}
mir::Inst callI(std::optional<LocalId> Dest, Operand Callee, Ops Args) {
  mir::Inst I = inst(mir::Opcode::Call, Dest, std::move(Args));
  I.setCallee(std::move(Callee));
  return I;
}
mir::Inst aggI(LocalId Dest, mir::AggKind K, Ops Args, int64_t Symbol,
               uint32_t Variant) {
  mir::Inst I = inst(mir::Opcode::Aggregate, Dest, std::move(Args));
  I.Agg = K;
  I.setSymbol(Symbol);
  I.setVariant(Variant);
  if (K == mir::AggKind::Array)
    I.setType(I64);
  return I;
}
mir::Inst getI(LocalId Dest, Operand Base, uint32_t Field) {
  mir::Inst I = inst(mir::Opcode::GetField, Dest, {std::move(Base)});
  I.Field = Field;
  return I;
}
mir::Inst setI(Operand Base, uint32_t Field, Operand V) {
  mir::Inst I = inst(mir::Opcode::SetField, std::nullopt,
                     {std::move(Base), std::move(V)});
  I.Field = Field;
  return I;
}
mir::Inst globalI(LocalId Dest, int64_t Symbol) {
  mir::Inst I = inst(mir::Opcode::GlobalAddr, Dest, {});
  I.setSymbol(Symbol);
  I.Mutable = true;
  return I;
}
mir::Inst intrI(std::optional<LocalId> Dest, mir::IntrinsicKind K, Ops Args,
                std::string Name) {
  mir::Inst I = inst(mir::Opcode::Intrinsic, Dest, std::move(Args));
  I.Intr = K;
  I.setName(std::move(Name));
  return I;
}

mir::Terminator retT(std::optional<Operand> V) {
  mir::Terminator T;
  T.K = mir::TermKind::Return;
  T.Value = std::move(V);
  return T;
}
mir::Terminator gotoT(BlockId B) {
  mir::Terminator T;
  T.K = mir::TermKind::Goto;
  T.Target = B;
  return T;
}
mir::Terminator ifT(Operand C, BlockId Then, BlockId Else) {
  mir::Terminator T;
  T.K = mir::TermKind::If;
  T.Value = std::move(C);
  T.Target = Then;
  T.Else = Else;
  return T;
}
mir::Terminator switchT(Operand V, std::vector<std::pair<uint64_t, BlockId>> C,
                        BlockId Default) {
  mir::Terminator T;
  T.K = mir::TermKind::Switch;
  T.Value = std::move(V);
  for (auto [Value, Target] : C)
    T.Cases.push_back({Value, Target});
  T.Target = Default;
  return T;
}
mir::Terminator invokeT(std::optional<LocalId> Dest, Operand Callee, Ops Args,
                        BlockId Normal, std::optional<BlockId> Unwind,
                        std::optional<LocalId> PayloadDest,
                        std::optional<LocalId> TagDest) {
  mir::Terminator T;
  T.K = mir::TermKind::CallTerminator;
  T.Dest = Dest;
  T.Callee = std::move(Callee);
  T.Args = std::move(Args);
  T.Target = Normal;
  T.Unwind = Unwind;
  T.PayloadDest = PayloadDest;
  T.TagDest = TagDest;
  return T;
}
static mir::Terminator raise(mir::TermKind K, Operand Payload, Operand Tag) {
  mir::Terminator T;
  T.K = K;
  T.Value = std::move(Payload);
  T.Tag = std::move(Tag);
  return T;
}
mir::Terminator throwT(Operand Payload, Operand Tag) {
  return raise(mir::TermKind::Throw, std::move(Payload), std::move(Tag));
}
mir::Terminator resumeT(Operand Payload, Operand Tag) {
  return raise(mir::TermKind::Resume, std::move(Payload), std::move(Tag));
}

Fn::Fn(std::string Name, std::vector<Type> Params, Type Ret, int64_t Symbol) {
  F.Name = std::move(Name);
  F.Symbol = Symbol;
  F.Sig.Params = Params;
  F.Sig.Ret = Ret;
  mir::Local R;
  R.Id = 0;
  R.Ty = Ret;
  R.Kind = mir::LocalKind::Return;
  F.Locals.push_back(R);
  for (unsigned I = 0; I < Params.size(); ++I) {
    mir::Local A;
    A.Id = I + 1;
    A.Ty = Params[I];
    A.Kind = mir::LocalKind::Arg;
    A.ArgIndex = I;
    F.Locals.push_back(A);
  }
}

LocalId Fn::var(Type T) {
  mir::Local L;
  L.Id = LocalId(F.Locals.size());
  L.Ty = std::move(T);
  L.Kind = mir::LocalKind::Var;
  F.Locals.push_back(L);
  return L.Id;
}

Fn &Fn::block(BlockId Id, std::vector<mir::Inst> Insts, mir::Terminator T) {
  mir::Block B;
  B.Id = Id;
  B.Insts = std::move(Insts);
  B.Term = std::move(T);
  F.Blocks.push_back(std::move(B));
  return *this;
}

Type Fn::type() const { return Type::funcPtr(F.Sig); }

mir::Function Fn::done() {
  F.EntryBlock = F.Blocks.empty() ? 0 : F.Blocks.front().Id;
  F.reindex();
  return F;
}

mir::Module moduleOf(std::vector<mir::Function> Fns,
                     std::vector<mir::ExternDecl> Externs) {
  mir::Module M;
  M.Name = "v2";
  M.Functions = std::move(Fns);
  M.Externs = std::move(Externs);
  return M;
}

V2Test::V2Test() : V2Test(Options()) {}
V2Test::V2Test(Options O)
    : Interp(llvm::cantFail(Interpreter::create(std::move(O)))) {}

std::string V2Test::load(const mir::Module &M) {
  // SPL_V2_VERIFY=1 runs mir::verify first (Interpreter::load), to see which
  // of these modules the verifier accepts.
  static const bool Verify = [] {
    const char *V = std::getenv("SPL_V2_VERIFY");
    return V && *V == '1';
  }();
  if (llvm::Error E = Verify ? Interp->load(M) : Interp->loadVerified(M))
    return llvm::toString(std::move(E));
  return "";
}

std::string V2Test::callText(const std::string &Name,
                             const std::vector<uint64_t> &Args) {
  auto R = Interp->call(Name, Args);
  if (!R)
    return "error: " + llvm::toString(R.takeError());
  return std::to_string(int64_t(*R));
}

uint64_t V2Test::run(const std::string &Name,
                     const std::vector<uint64_t> &Args) {
  auto R = Interp->call(Name, Args);
  if (!R) {
    ADD_FAILURE() << Name << ": " << llvm::toString(R.takeError());
    return 0;
  }
  return *R;
}

} // namespace spl::interp::v2test
