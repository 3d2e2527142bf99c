//===- mir/Verifier.cpp - Structural and type checks of a module ----------===//
//
// The backends trust a verified module: every local and block they look up
// exists, every operand has the type its instruction expects, every block
// ends in a terminator. So the checks here are exactly the assumptions the
// interpreter and the JIT make, and the first failure is reported with its
// place: "function `f`, block bb2 (label), instruction 3: <problem>".
//
//===----------------------------------------------------------------------===//
#include "mir/Literals.h"
#include "mir/MIR.h"

#include "llvm/ADT/StringSet.h"

#include <unordered_set>

namespace spl::mir {

using llvm::Error;
using llvm::Expected;
using llvm::Twine;

namespace {

std::string blockName(const Block &B) {
  std::string S = "bb" + std::to_string(B.Id);
  if (B.Label)
    S += " (" + *B.Label + ")";
  return S;
}

std::string plural(size_t N, llvm::StringRef Word) {
  return std::to_string(N) + " " + Word.str() + (N == 1 ? "" : "s");
}

class FunctionVerifier {
public:
  FunctionVerifier(const Module &M, const Function &F) : M(M), F(F) {}
  Error run();

private:
  Error fail(const Twine &Msg) const {
    std::string Text = "function `" + F.Name + "`";
    if (!Place.empty())
      Text += ", " + Place;
    Text += ": " + Msg.str();
    if (Loc.valid())
      Text += " (at " + std::to_string(Loc.Line) + ":" +
              std::to_string(Loc.Col) + ")";
    return makeError(Text);
  }

  Error checkLocals();
  Error checkInst(const Inst &I);
  Error checkTerminator(const Terminator &T);
  Error checkConstant(const Constant &C);
  Expected<Type> typeOf(const Operand &O);
  Expected<Type> destType(const Inst &I);
  Error expectType(const Operand &O, const Type &Want, llvm::StringRef What);
  Error checkBlockRef(BlockId Id, llvm::StringRef What);
  Error checkArgs(const Inst &I, llvm::ArrayRef<Operand> Args,
                  const Signature &Sig, llvm::StringRef Callee);
  Error checkCall(const Inst &I);
  Error checkBinOp(const Inst &I);
  Error checkCast(const Inst &I);
  Error checkDestIs(const Inst &I, const Type &Result);

  const Module &M;
  const Function &F;
  std::string Place; // "block bb2 (label), instruction 3"
  SourceLoc Loc;
};

Error FunctionVerifier::checkLocals() {
  std::unordered_set<LocalId> Seen;
  const Local *Ret = nullptr;
  std::vector<const Local *> Args(F.Sig.Params.size(), nullptr);
  for (const Local &L : F.Locals) {
    std::string Name = "local _" + std::to_string(L.Id);
    if (!Seen.insert(L.Id).second)
      return fail(Name + " is declared twice");
    if (L.Kind == LocalKind::Return) {
      if (Ret)
        return fail(Name + " is a second Return local (the first is _" +
                    Twine(Ret->Id) + ")");
      Ret = &L;
      if (!L.Ty.compatible(F.Sig.Ret))
        return fail("the Return local _" + Twine(L.Id) + " has type " +
                    L.Ty.str() + " but the function returns " +
                    F.Sig.Ret.str());
    }
    if (L.Kind == LocalKind::Arg) {
      if (L.ArgIndex >= Args.size())
        return fail(Name + " is argument " + Twine(L.ArgIndex) +
                    " but the function has " +
                    plural(Args.size(), "parameter"));
      if (Args[L.ArgIndex])
        return fail("argument " + Twine(L.ArgIndex) + " has two locals (_" +
                    Twine(Args[L.ArgIndex]->Id) + " and _" + Twine(L.Id) +
                    ")");
      Args[L.ArgIndex] = &L;
      const Type &P = F.Sig.Params[L.ArgIndex];
      if (!L.Ty.compatible(P))
        return fail(Name + " (argument " + Twine(L.ArgIndex) + ") has type " +
                    L.Ty.str() + " but parameter " + Twine(L.ArgIndex) +
                    " is " + P.str());
    }
  }
  for (size_t I = 0; I < Args.size(); ++I)
    if (!Args[I])
      return fail("parameter " + Twine(I) + " (" + F.Sig.Params[I].str() +
                  ") has no Arg local");
  return Error::success();
}

Error FunctionVerifier::checkConstant(const Constant &C) {
  const Type &T = C.Ty;
  bool Ok = false;
  switch (C.K) {
  case Constant::Kind::Int:
    Ok = T.isInteger() || T.isPointer() || T.isFuncPtr();
    break;
  case Constant::Kind::Float:
    Ok = T.isFloat();
    break;
  case Constant::Kind::Bool:
    Ok = T.Kind == TypeKind::Bool;
    break;
  case Constant::Kind::Str:
    Ok = T.isPointer() || T.isFuncPtr();
    break;
  case Constant::Kind::Zero:
    Ok = true;
    break;
  }
  if (!Ok)
    return fail("constant " + formatConstantValue(C) +
                " cannot have type " + T.str());
  return Error::success();
}

Expected<Type> FunctionVerifier::typeOf(const Operand &O) {
  if (O.isConst()) {
    if (Error E = checkConstant(O.C))
      return E;
    return O.C.Ty;
  }
  if (const Local *L = F.local(O.Local))
    return L->Ty;
  return fail("local _" + Twine(O.Local) + " does not exist");
}

Expected<Type> FunctionVerifier::destType(const Inst &I) {
  if (!I.Dest)
    return fail("instruction `" + opcodeTextName(I.Op) + "` needs a dest");
  if (const Local *L = F.local(*I.Dest))
    return L->Ty;
  return fail("dest local _" + Twine(*I.Dest) + " does not exist");
}

Error FunctionVerifier::expectType(const Operand &O, const Type &Want,
                                   llvm::StringRef What) {
  Expected<Type> T = typeOf(O);
  if (!T)
    return T.takeError();
  if (!T->compatible(Want))
    return fail(What + " `" + formatOperand(O) + "` has type " + T->str() +
                ", expected " + Want.str());
  return Error::success();
}

Error FunctionVerifier::checkDestIs(const Inst &I, const Type &Result) {
  Expected<Type> D = destType(I);
  if (!D)
    return D.takeError();
  if (!D->compatible(Result))
    return fail("dest _" + Twine(*I.Dest) + " has type " + D->str() +
                " but the result is " + Result.str());
  return Error::success();
}

Error FunctionVerifier::checkBlockRef(BlockId Id, llvm::StringRef What) {
  if (!F.block(Id))
    return fail(What + " block bb" + Twine(Id) + " does not exist");
  return Error::success();
}

Error FunctionVerifier::checkArgs(const Inst &I, llvm::ArrayRef<Operand> Args,
                                  const Signature &Sig,
                                  llvm::StringRef Callee) {
  size_t N = Sig.Params.size();
  if (Args.size() < N || (!Sig.Variadic && Args.size() > N))
    return fail("call of " + Callee + " passes " +
                plural(Args.size(), "argument") + ", its signature " +
                Sig.str() + " takes " + (Sig.Variadic ? "at least " : "") +
                Twine(N));
  for (size_t A = 0; A < Args.size(); ++A) {
    Expected<Type> T = typeOf(Args[A]);
    if (!T)
      return T.takeError();
    if (A < N && !T->compatible(Sig.Params[A]))
      return fail("argument " + Twine(A) + " of " + Callee + " `" +
                  formatOperand(Args[A]) + "` has type " + T->str() +
                  ", the parameter is " + Sig.Params[A].str());
    if (A >= N && !T->isScalar())
      return fail("variadic argument " + Twine(A) + " of " + Callee +
                  " has type " + T->str() + ", which is not a scalar");
  }
  if (I.Dest) {
    Expected<Type> D = destType(I);
    if (!D)
      return D.takeError();
    if (!D->compatible(Sig.Ret))
      return fail("dest _" + Twine(*I.Dest) + " has type " + D->str() +
                  " but " + Callee + " returns " + Sig.Ret.str());
  }
  return Error::success();
}

Error FunctionVerifier::checkCall(const Inst &I) {
  const Operand &C = I.Callee;
  if (!C.isConst()) {
    // A call through a local holding a function pointer.
    Expected<Type> T = typeOf(C);
    if (!T)
      return T.takeError();
    if (!T->isFuncPtr())
      return fail("the callee `" + formatOperand(C) + "` has type " +
                  T->str() + ", not a function pointer type");
    return checkArgs(I, I.Ops, *T->Sig, "`" + formatOperand(C) + "`");
  }
  if (Error E = checkConstant(C.C))
    return E;
  if (!C.C.isFunctionRef())
    return fail("the callee must be a function name or symbol typed as a "
                "function pointer, not `" +
                formatOperand(C) + "`");
  const Signature &Own = *C.C.Ty.Sig;
  if (C.C.K == Constant::Kind::Int) {
    for (const Function &G : M.Functions)
      if (uint64_t(G.Symbol) == C.C.Bits)
        return checkArgs(I, I.Ops, G.Sig, "`" + G.Name + "`");
    return checkArgs(I, I.Ops, Own, "symbol #" + formatInt(Type(TypeKind::I64), C.C.Bits));
  }
  if (const Function *G = M.function(C.C.S))
    return checkArgs(I, I.Ops, G->Sig, "`" + G->Name + "`");
  if (const ExternDecl *D = M.externDecl(C.C.S))
    return checkArgs(I, I.Ops, D->Sig, "`" + D->Name + "`");
  return checkArgs(I, I.Ops, Own, "`" + C.C.S + "`");
}

Error FunctionVerifier::checkBinOp(const Inst &I) {
  Expected<Type> LT = typeOf(I.Ops[0]);
  if (!LT)
    return LT.takeError();
  Expected<Type> RT = typeOf(I.Ops[1]);
  if (!RT)
    return RT.takeError();
  const Type &L = *LT, &R = *RT;
  std::string Op = binOpName(I.Bin).str();
  auto Mismatch = [&]() {
    return fail("operands of " + Op + " have different types: " + L.str() +
                " and " + R.str());
  };
  auto Unsupported = [&](const Type &T) {
    return fail(Op + " does not apply to " + T.str());
  };

  if (I.Op == Opcode::CheckedBinOp) {
    if (I.Bin != BinOpKind::Add && I.Bin != BinOpKind::Sub &&
        I.Bin != BinOpKind::Mul)
      return fail("checked " + Op + " is not supported (only Add, Sub, Mul)");
    if (!L.isInteger())
      return Unsupported(L);
  }

  switch (I.Bin) {
  case BinOpKind::Offset:
    if (!L.isPointer())
      return fail("Offset needs a pointer on the left, not " + L.str());
    if (!R.isInteger())
      return fail("Offset needs an integer on the right, not " + R.str());
    return checkDestIs(I, L);
  case BinOpKind::Eq:
  case BinOpKind::Ne:
  case BinOpKind::Lt:
  case BinOpKind::Le:
  case BinOpKind::Gt:
  case BinOpKind::Ge:
    if (!L.isScalar())
      return Unsupported(L);
    if (!L.compatible(R))
      return Mismatch();
    return checkDestIs(I, TypeKind::Bool);
  case BinOpKind::Shl:
  case BinOpKind::Shr:
    if (!L.isInteger())
      return Unsupported(L);
    if (!R.isInteger())
      return fail("the shift amount of " + Op + " must be an integer, not " +
                  R.str());
    return checkDestIs(I, L);
  case BinOpKind::Pow:
    if (L.isInteger() && !R.isInteger())
      return fail("the exponent of an integer Pow must be an integer, not " +
                  R.str());
    if (L.isFloat() && L != R)
      return Mismatch();
    if (!L.isInteger() && !L.isFloat())
      return Unsupported(L);
    return checkDestIs(I, L);
  case BinOpKind::BitAnd:
  case BinOpKind::BitOr:
  case BinOpKind::BitXor:
    if (!L.isInteger() && L.Kind != TypeKind::Bool)
      return Unsupported(L);
    if (L != R)
      return Mismatch();
    return checkDestIs(I, L);
  case BinOpKind::Add:
  case BinOpKind::Sub:
  case BinOpKind::Mul:
  case BinOpKind::Div:
  case BinOpKind::Rem:
    if (!L.isInteger() && !L.isFloat())
      return Unsupported(L);
    if (L != R)
      return Mismatch();
    return checkDestIs(I, L);
  }
  return Error::success();
}

// The conversions of docs/SEMANTICS.md "Casts".
bool castAllowed(const Type &From, const Type &To) {
  auto Numeric = [](const Type &T) { return T.isInteger() || T.isFloat(); };
  auto Address = [](const Type &T) { return T.isPointer() || T.isFuncPtr(); };
  auto Word = [](const Type &T) {
    return T.Kind == TypeKind::I64 || T.Kind == TypeKind::U64;
  };
  if (From == To)
    return true;
  if (Numeric(From) && Numeric(To))
    return true;
  if (From.Kind == TypeKind::Bool && To.isInteger())
    return true;
  if (From.isInteger() && To.Kind == TypeKind::Bool)
    return true;
  if (Address(From) && (Address(To) || Word(To)))
    return true;
  if (Word(From) && Address(To))
    return true;
  return false;
}

Error FunctionVerifier::checkCast(const Inst &I) {
  Expected<Type> FT = typeOf(I.Ops[0]);
  if (!FT)
    return FT.takeError();
  const Type &From = *FT, &To = I.Ty;
  if (I.Op == Opcode::Cast) {
    if (!castAllowed(From, To))
      return fail("cannot cast " + From.str() + " to " + To.str());
  } else {
    if (!From.isScalar() || !To.isScalar() || From.Kind == TypeKind::Bool ||
        To.Kind == TypeKind::Bool || From.bitWidth() != To.bitWidth())
      return fail("cannot bitcast " + From.str() + " to " + To.str() +
                  " (bitcast needs two scalar types of the same size)");
  }
  return checkDestIs(I, To);
}

Error FunctionVerifier::checkInst(const Inst &I) {
  switch (I.Op) {
  case Opcode::Nop:
  case Opcode::DebugValue:
    return Error::success();
  case Opcode::Const:
    if (Error E = checkConstant(I.C))
      return E;
    return checkDestIs(I, I.C.Ty);
  case Opcode::Copy:
  case Opcode::Move: {
    if (I.Ops.size() != 1)
      return fail("`" + opcodeTextName(I.Op) + "` takes one source");
    Expected<Type> T = typeOf(I.Ops[0]);
    if (!T)
      return T.takeError();
    return checkDestIs(I, *T);
  }
  case Opcode::BinOp:
  case Opcode::CheckedBinOp:
    if (I.Ops.size() != 2)
      return fail("a binary operation takes two operands");
    return checkBinOp(I);
  case Opcode::UnaryOp: {
    if (I.Ops.size() != 1)
      return fail("a unary operation takes one operand");
    Expected<Type> T = typeOf(I.Ops[0]);
    if (!T)
      return T.takeError();
    bool Ok = I.Un == UnOpKind::Neg
                  ? T->isInteger() || T->isFloat()
                  : T->isInteger() || T->Kind == TypeKind::Bool;
    if (!Ok)
      return fail(unOpName(I.Un) + " does not apply to " + T->str());
    return checkDestIs(I, *T);
  }
  case Opcode::Cast:
  case Opcode::Bitcast:
    if (I.Ops.size() != 1)
      return fail("a cast takes one operand");
    return checkCast(I);
  case Opcode::Alloc: {
    Expected<Type> D = destType(I);
    if (!D)
      return D.takeError();
    if (!D->isPointer())
      return fail("dest _" + Twine(*I.Dest) + " of alloc has type " +
                  D->str() + ", not a pointer");
    return Error::success();
  }
  case Opcode::Load: {
    if (I.Ops.size() != 1)
      return fail("load takes one pointer");
    Expected<Type> P = typeOf(I.Ops[0]);
    if (!P)
      return P.takeError();
    if (!P->isPointer())
      return fail("load through `" + formatOperand(I.Ops[0]) +
                  "` of type " + P->str() + ", not a pointer");
    return checkDestIs(I, P->pointee());
  }
  case Opcode::Store: {
    if (I.Ops.size() != 2)
      return fail("store takes a pointer and a value");
    if (I.Dest)
      return fail("store has no dest");
    Expected<Type> P = typeOf(I.Ops[0]);
    if (!P)
      return P.takeError();
    if (!P->isPointer())
      return fail("store through `" + formatOperand(I.Ops[0]) +
                  "` of type " + P->str() + ", not a pointer");
    return expectType(I.Ops[1], P->pointee(), "the stored value");
  }
  case Opcode::GetElementPtr: {
    if (I.Ops.size() < 2 || I.Ops.size() > 3)
      return fail("gep takes a base pointer and one or two indices, not " +
                  plural(I.Ops.size() - (I.Ops.empty() ? 0 : 1), "index"));
    Expected<Type> P = typeOf(I.Ops[0]);
    if (!P)
      return P.takeError();
    if (!P->isPointer())
      return fail("gep base `" + formatOperand(I.Ops[0]) + "` has type " +
                  P->str() + ", not a pointer");
    for (size_t K = 1; K < I.Ops.size(); ++K) {
      Expected<Type> T = typeOf(I.Ops[K]);
      if (!T)
        return T.takeError();
      if (!T->isInteger())
        return fail("gep index `" + formatOperand(I.Ops[K]) +
                    "` has type " + T->str() + ", not an integer");
    }
    if (I.Ops.size() == 3 && P->pointee().Kind != TypeKind::Array)
      return fail("a second gep index needs a pointer to an array, not " +
                  P->str());
    Expected<Type> D = destType(I);
    if (!D)
      return D.takeError();
    if (!D->isPointer())
      return fail("dest _" + Twine(*I.Dest) + " of gep has type " + D->str() +
                  ", not a pointer");
    return Error::success();
  }
  case Opcode::Call:
    return checkCall(I);
  case Opcode::CallIndirect: {
    if (I.Ops.empty())
      return fail("call_indirect needs a function pointer");
    Expected<Type> P = typeOf(I.Ops[0]);
    if (!P)
      return P.takeError();
    if (!P->isFuncPtr() && !P->isPointer())
      return fail("call_indirect through `" + formatOperand(I.Ops[0]) +
                  "` of type " + P->str() + ", not a function pointer");
    return checkArgs(I, llvm::ArrayRef(I.Ops).drop_front(), I.Sig,
                     "`" + formatOperand(I.Ops[0]) + "`");
  }
  case Opcode::Intrinsic: {
    unsigned Arity = intrinsicArity(I.Intr);
    std::string Name = intrinsicName(I.Intr).str();
    if (I.Ops.size() != Arity)
      return fail("intrinsic " + Name + " takes " + plural(Arity, "argument") +
                  ", not " + Twine(I.Ops.size()));
    Expected<Type> T0 = typeOf(I.Ops[0]);
    if (!T0)
      return T0.takeError();
    if (!T0->isFloat())
      return fail("intrinsic " + Name + " needs f32 or f64 arguments, not " +
                  T0->str());
    for (size_t K = 1; K < I.Ops.size(); ++K)
      if (Error E = expectType(I.Ops[K], *T0,
                               "argument " + std::to_string(K) + " of " + Name))
        return E;
    if (!I.Dest)
      return Error::success();
    return checkDestIs(I, *T0);
  }
  }
  return Error::success();
}

Error FunctionVerifier::checkTerminator(const Terminator &T) {
  switch (T.K) {
  case TermKind::None:
    return fail("block has no terminator");
  case TermKind::Unreachable:
  case TermKind::Abort:
    return Error::success();
  case TermKind::Goto:
    return checkBlockRef(T.Target, "goto");
  case TermKind::Return:
    if (T.Value)
      return expectType(*T.Value, F.Sig.Ret, "the returned value");
    if (!F.returnLocal() && !F.Sig.Ret.isVoid())
      return fail("return without a value in a function that returns " +
                  F.Sig.Ret.str() + " and has no Return local");
    return Error::success();
  case TermKind::If:
    if (!T.Value)
      return fail("if needs a condition");
    if (Error E = expectType(*T.Value, TypeKind::Bool, "the condition"))
      return E;
    if (Error E = checkBlockRef(T.Target, "the then"))
      return E;
    return checkBlockRef(T.Else, "the else");
  case TermKind::Switch: {
    if (!T.Value)
      return fail("switch needs a value");
    Expected<Type> VT = typeOf(*T.Value);
    if (!VT)
      return VT.takeError();
    if (!VT->isInteger() && VT->Kind != TypeKind::Bool)
      return fail("switch on `" + formatOperand(*T.Value) + "` of type " +
                  VT->str() + ", not an integer");
    std::unordered_set<uint64_t> Seen;
    for (const SwitchCase &C : T.Cases) {
      bool Fits = VT->Kind == TypeKind::Bool ? C.Value <= 1
                                             : normaliseInt(*VT, C.Value) ==
                                                   C.Value;
      if (!Fits)
        return fail("case value " +
                    (VT->isSignedInt() ? std::to_string(int64_t(C.Value))
                                       : std::to_string(C.Value)) +
                    " does not fit " + VT->str());
      if (!Seen.insert(C.Value).second)
        return fail("case value " + formatInt(*VT, C.Value) +
                    " appears twice");
      if (Error E = checkBlockRef(C.Target, "the case"))
        return E;
    }
    return checkBlockRef(T.Target, "the default");
  }
  }
  return Error::success();
}

Error FunctionVerifier::run() {
  if (Error E = checkLocals())
    return E;
  if (F.Blocks.empty())
    return fail("function has no blocks");
  std::unordered_set<BlockId> Seen;
  for (const Block &B : F.Blocks)
    if (!Seen.insert(B.Id).second)
      return fail("block bb" + Twine(B.Id) + " is defined twice");
  if (!F.block(F.EntryBlock))
    return fail("entry block bb" + Twine(F.EntryBlock) + " does not exist");

  for (const Block &B : F.Blocks) {
    for (size_t Idx = 0; Idx < B.Insts.size(); ++Idx) {
      Place = "block " + blockName(B) + ", instruction " + std::to_string(Idx);
      Loc = B.Insts[Idx].Loc;
      if (Error E = checkInst(B.Insts[Idx]))
        return E;
    }
    Place = "block " + blockName(B) + ", terminator";
    Loc = B.Term.K == TermKind::None ? B.Loc : B.Term.Loc;
    if (B.Term.K == TermKind::None)
      Place = "block " + blockName(B);
    if (Error E = checkTerminator(B.Term))
      return E;
  }
  return Error::success();
}

} // namespace

llvm::Error verify(const Module &M) {
  llvm::StringSet<> Names;
  for (const Function &F : M.Functions) {
    if (!Names.insert(F.Name).second)
      return makeError("function `" + F.Name + "` is defined twice");
    if (Error E = FunctionVerifier(M, F).run())
      return E;
  }
  llvm::StringSet<> Externs;
  for (const ExternDecl &D : M.Externs)
    if (!Externs.insert(D.Name).second)
      return makeError("extern `" + D.Name + "` is declared twice");
  return Error::success();
}

} // namespace spl::mir
