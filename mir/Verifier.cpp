//===- mir/Verifier.cpp - Structural and type checks of a module ----------===//
//
// The backends trust a verified module: every local and block they look up
// exists, every operand has the type its instruction expects, every block
// ends in a terminator. So the checks here are exactly the assumptions the
// interpreter and the JIT make, and the first failure is reported with its
// place: "function `f`, block bb2 (label), instruction 3: <problem>".
//
//===----------------------------------------------------------------------===//
#include "mir/InstSchema.h"
#include "mir/Literals.h"
#include "mir/MIR.h"
#include "mir/Semantics.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <optional>
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
  Error checkInstKind(const Inst &I);
  Error checkTerminator(const Terminator &T);
  Error checkConstant(const Constant &C);
  Expected<Type> typeOf(const Operand &O);
  Expected<Type> destType(const Inst &I);
  Expected<Type> destType(std::optional<LocalId> Dest, llvm::StringRef What);
  Error expectType(const Operand &O, const Type &Want, llvm::StringRef What);
  Error checkBlockRef(BlockId Id, llvm::StringRef What);
  Error checkArgs(std::optional<LocalId> Dest, llvm::StringRef What,
                  llvm::ArrayRef<Operand> Args, const Signature &Sig,
                  llvm::StringRef Callee, const Signature *CallSite = nullptr);
  Error checkCall(const Inst &I);
  Error checkCallee(const Operand &C, llvm::ArrayRef<Operand> Args,
                    std::optional<LocalId> Dest, llvm::StringRef What);
  Error checkArity(const Inst &I, const InstSchema &S);
  Error checkIntrinsic(const Inst &I);
  Error checkAggregate(const Inst &I);
  Error checkFieldAccess(const Inst &I);
  Error checkWordLocal(std::optional<LocalId> L, llvm::StringRef What,
                       bool IntegerOnly);
  Error checkBinOp(const Inst &I);
  Error checkCast(const Inst &I);
  Error checkDestIs(const Inst &I, const Type &Result);

  const Module &M;
  const Function &F;
  std::string Place; // "block bb2 (label), instruction 3"
  SourceLoc Loc;
  /// (guard) Bytes of the Alloc areas so far (each rounded up to 8 bytes, as
  /// the interpreter places them), checked against MaxFrameAllocBytes.
  uint64_t AllocBytes = 0;
};

/// T's store size, or nullopt when it does not fit in 64 bits.
static std::optional<uint64_t> checkedStoreSize(const Type &T) {
  if (T.Kind != TypeKind::Array)
    return T.storeSize();
  if (!T.hasElem())
    return std::nullopt;
  std::optional<uint64_t> E = checkedStoreSize(T.elem());
  uint64_t R;
  if (!E || __builtin_mul_overflow(T.count(), *E, &R))
    return std::nullopt;
  return R;
}

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
    Ok = T.isInteger() || T.isPointer() || T.isFuncPtr() || T.isWordValue();
    break;
  case Constant::Kind::Float:
    Ok = T.isFloat();
    break;
  case Constant::Kind::Bool:
    Ok = T.Kind == TypeKind::Bool;
    break;
  case Constant::Kind::Str:
    Ok = T.isPointer() || T.isFuncPtr() || T.Kind == TypeKind::Opaque;
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
    if (Error E = checkConstant(O.constant()))
      return E;
    return O.constant().Ty;
  }
  if (const Local *L = F.local(O.Local))
    return L->Ty;
  return fail("local _" + Twine(O.Local) + " does not exist");
}

Expected<Type> FunctionVerifier::destType(const Inst &I) {
  return destType(I.maybeDest(), opcodeTextName(I.Op));
}

Expected<Type> FunctionVerifier::destType(std::optional<LocalId> Dest,
                                          llvm::StringRef What) {
  if (!Dest)
    return fail("instruction `" + What + "` needs a dest");
  if (const Local *L = F.local(*Dest))
    return L->Ty;
  return fail("dest local _" + Twine(*Dest) + " does not exist");
}

// A value passes where a T is expected: the same representation, one word
// for another (MIR.md "word types passed as words"), or an integer of
// another width (converted as the compiler's LLVM backend does).
static bool passes(const Type &Value, const Type &Want) {
  auto IntLike = [](const Type &T) {
    return T.isInteger() || T.Kind == TypeKind::Bool;
  };
  return Value.compatible(Want) || sameWord(Value, Want) ||
         (IntLike(Value) && IntLike(Want) && Value.Kind != TypeKind::Bool &&
          Want.Kind != TypeKind::Bool);
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
    return fail("dest _" + Twine(I.dest()) + " has type " + D->str() +
                " but the result is " + Result.str());
  return Error::success();
}

Error FunctionVerifier::checkBlockRef(BlockId Id, llvm::StringRef What) {
  if (!F.block(Id))
    return fail(What + " block bb" + Twine(Id) + " does not exist");
  return Error::success();
}

Error FunctionVerifier::checkArgs(std::optional<LocalId> Dest,
                                  llvm::StringRef What,
                                  llvm::ArrayRef<Operand> Args,
                                  const Signature &Sig, llvm::StringRef Callee,
                                  const Signature *CallSite) {
  size_t N = Sig.Params.size();
  if (Args.size() < N || (!Sig.Variadic && Args.size() > N))
    return fail("call of " + Callee + " passes " +
                plural(Args.size(), "argument") + ", its signature " +
                Sig.str() + " takes " + (Sig.Variadic ? "at least " : "") +
                Twine(N) +
                (CallSite && *CallSite != Sig
                     ? " (the call site says " + CallSite->str() + ")"
                     : std::string()));
  for (size_t A = 0; A < Args.size(); ++A) {
    Expected<Type> T = typeOf(Args[A]);
    if (!T)
      return T.takeError();
    if (A < N && !passes(*T, Sig.Params[A]))
      return fail("argument " + Twine(A) + " of " + Callee + " `" +
                  formatOperand(Args[A]) + "` has type " + T->str() +
                  ", the parameter is " + Sig.Params[A].str());
    if (A >= N && !T->isScalar() && !T->isWordValue())
      return fail("variadic argument " + Twine(A) + " of " + Callee +
                  " has type " + T->str() + ", which is not a scalar");
  }
  if (Dest) {
    Expected<Type> D = destType(Dest, What);
    if (!D)
      return D.takeError();
    if (!passes(Sig.Ret, *D))
      return fail("dest _" + Twine(*Dest) + " has type " + D->str() +
                  " but " + Callee + " returns " + Sig.Ret.str());
  }
  return Error::success();
}

Error FunctionVerifier::checkCall(const Inst &I) {
  return checkCallee(I.callee(), I.ops(), I.maybeDest(), opcodeTextName(I.Op));
}

// MIR.md "Calls and signatures (v2)": the callee's own signature decides when
// the module knows one; the call site's FuncPtr type only otherwise.
Error FunctionVerifier::checkCallee(const Operand &C,
                                    llvm::ArrayRef<Operand> Args,
                                    std::optional<LocalId> Dest,
                                    llvm::StringRef What) {
  if (!C.isConst()) {
    // A call through a local holding a function pointer.
    Expected<Type> T = typeOf(C);
    if (!T)
      return T.takeError();
    if (!T->isFuncPtr())
      return fail("the callee `" + formatOperand(C) + "` has type " +
                  T->str() + ", not a function pointer type");
    return checkArgs(Dest, What, Args, T->sig(), "`" + formatOperand(C) + "`");
  }
  if (Error E = checkConstant(C.constant()))
    return E;
  if (!C.constant().isFunctionRef())
    return fail("the callee must be a function name or symbol typed as a "
                "function pointer, not `" +
                formatOperand(C) + "`");
  const Signature &Own = C.constant().Ty.sig();
  auto Known = [&](const Signature &Sig, const std::string &Name) {
    return checkArgs(Dest, What, Args, Sig, Name, &Own);
  };
  auto CallSite = [&](const std::string &Name) -> Error {
    // The compiler writes "params": [] for runtime helpers whatever the
    // arguments: then the arguments' own types are the signature (the
    // ffi/ layer checks them against the helper's real one).
    if (!Own.Params.empty() || Own.Variadic || Args.empty())
      return checkArgs(Dest, What, Args, Own, Name);
    for (const Operand &A : Args)
      if (Expected<Type> T = typeOf(A); !T)
        return T.takeError();
    if (Dest)
      if (Expected<Type> D = destType(Dest, What); !D)
        return D.takeError();
    return Error::success();
  };
  if (C.constant().K == Constant::Kind::Int) {
    for (const Function &G : M.Functions)
      if (uint64_t(G.Symbol) == C.constant().Bits)
        return Known(G.Sig, "`" + G.Name + "`");
    return CallSite("symbol #" + formatInt(Type(TypeKind::I64), C.constant().Bits));
  }
  if (const Function *G = M.function(C.constant().S))
    return Known(G->Sig, "`" + G->Name + "`");
  if (const ExternDecl *D = M.externDecl(C.constant().S))
    return Known(D->Sig, "`" + D->Name + "`");
  return CallSite("`" + C.constant().S + "`");
}

Error FunctionVerifier::checkBinOp(const Inst &I) {
  Expected<Type> LT = typeOf(I.ops()[0]);
  if (!LT)
    return LT.takeError();
  Expected<Type> RT = typeOf(I.ops()[1]);
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

Error FunctionVerifier::checkCast(const Inst &I) {
  Expected<Type> FT = typeOf(I.ops()[0]);
  if (!FT)
    return FT.takeError();
  const Type &From = *FT, &To = I.type();
  if (I.Op == Opcode::Cast) {
    if (classifyCast(From, To) == CastKind::Invalid)
      return fail("cannot cast " + From.str() + " to " + To.str());
  } else {
    if (!bitcastAllowed(From, To))
      return fail("cannot bitcast " + From.str() + " to " + To.str() +
                  " (bitcast needs two scalar types of the same size)");
  }
  return checkDestIs(I, To);
}

// The operand count and dest rules of the opcode's row (InstSchema.cpp).
Error FunctionVerifier::checkArity(const Inst &I, const InstSchema &S) {
  int N = int(I.ops().size());
  if (*S.ArityMessage && (N < S.MinOps || (S.MaxOps >= 0 && N > S.MaxOps))) {
    std::string Msg = S.ArityMessage;
    auto Subst = [&](llvm::StringRef Var, const std::string &By) {
      size_t At = Msg.find(Var.str());
      if (At != std::string::npos)
        Msg.replace(At, Var.size(), By);
    };
    Subst("{name}", S.TextName);
    Subst("{rest}", plural(I.ops().empty() ? 0 : I.ops().size() - 1, "index"));
    return fail(Msg);
  }
  if (S.Dest == DestRule::None && I.hasDest())
    return fail(opcodeTextName(I.Op) + " has no dest");
  return Error::success();
}

Error FunctionVerifier::checkInst(const Inst &I) {
  const InstSchema &S = instSchema(I.Op);
  if (Error E = checkArity(I, S))
    return E;
  if (Error E = checkInstKind(I))
    return E;
  // Every row that writes a local needs its dest to exist (the kind's own
  // rules usually said so already, naming the type they expected).
  if (S.Dest == DestRule::Required || I.hasDest())
    if (Expected<Type> D = destType(I); !D)
      return D.takeError();
  return Error::success();
}

Error FunctionVerifier::checkInstKind(const Inst &I) {
  switch (I.Op) {
  case Opcode::Nop:
  case Opcode::DebugValue:
    return Error::success();
  case Opcode::Const:
    if (Error E = checkConstant(I.constant()))
      return E;
    return checkDestIs(I, I.constant().Ty);
  case Opcode::Copy:
  case Opcode::Move: {
    Expected<Type> T = typeOf(I.ops()[0]);
    if (!T)
      return T.takeError();
    // (v2) Word values move as words: a handle into an I64 local and back.
    if (Expected<Type> D = destType(I); D && sameWord(*D, *T))
      return Error::success();
    else if (!D)
      return D.takeError();
    return checkDestIs(I, *T);
  }
  case Opcode::BinOp:
  case Opcode::CheckedBinOp:
    return checkBinOp(I);
  case Opcode::UnaryOp: {
    Expected<Type> T = typeOf(I.ops()[0]);
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
    return checkCast(I);
  case Opcode::Alloc: {
    Expected<Type> D = destType(I);
    if (!D)
      return D.takeError();
    if (!D->isPointer())
      return fail("dest _" + Twine(I.dest()) + " of alloc has type " +
                  D->str() + ", not a pointer");
    // (guard) The area must hold what the dest's pointer points to, and the
    // frame's size must be computed without wrapping and stay in its cap.
    std::optional<uint64_t> Size = checkedStoreSize(I.type());
    if (!Size)
      return fail("alloc of " + I.type().str() +
                  ": its size does not fit in 64 bits");
    if (D->hasElem() && D->pointee().hasLayout()) {
      std::optional<uint64_t> Need = checkedStoreSize(D->pointee());
      if (Need && *Need > *Size)
        return fail("alloc of " + I.type().str() + " (" + Twine(*Size) +
                    " bytes) into _" + Twine(I.dest()) + " of type " +
                    D->str() + ", whose pointee needs " + Twine(*Need) +
                    " bytes");
    }
    uint64_t Rounded = *Size > UINT64_MAX - 7 ? UINT64_MAX : (*Size + 7) / 8 * 8;
    if (Rounded == UINT64_MAX ||
        __builtin_add_overflow(AllocBytes, std::max<uint64_t>(Rounded, 8),
                               &AllocBytes) ||
        AllocBytes > MaxFrameAllocBytes)
      return fail("the Alloc areas of the function take more than the " +
                  Twine(MaxFrameAllocBytes >> 20) +
                  " MiB one frame may hold (alloc of " + I.type().str() + ")");
    return Error::success();
  }
  case Opcode::Load: {
    Expected<Type> P = typeOf(I.ops()[0]);
    if (!P)
      return P.takeError();
    if (!P->isPointer())
      return fail("load through `" + formatOperand(I.ops()[0]) +
                  "` of type " + P->str() + ", not a pointer");
    return checkDestIs(I, P->pointee());
  }
  case Opcode::Store: {
    Expected<Type> P = typeOf(I.ops()[0]);
    if (!P)
      return P.takeError();
    if (!P->isPointer())
      return fail("store through `" + formatOperand(I.ops()[0]) +
                  "` of type " + P->str() + ", not a pointer");
    return expectType(I.ops()[1], P->pointee(), "the stored value");
  }
  case Opcode::GetElementPtr: {
    Expected<Type> P = typeOf(I.ops()[0]);
    if (!P)
      return P.takeError();
    if (!P->isPointer())
      return fail("gep base `" + formatOperand(I.ops()[0]) + "` has type " +
                  P->str() + ", not a pointer");
    for (size_t K = 1; K < I.ops().size(); ++K) {
      Expected<Type> T = typeOf(I.ops()[K]);
      if (!T)
        return T.takeError();
      if (!T->isInteger())
        return fail("gep index `" + formatOperand(I.ops()[K]) +
                    "` has type " + T->str() + ", not an integer");
    }
    if (I.ops().size() == 3 && P->pointee().Kind != TypeKind::Array)
      return fail("a second gep index needs a pointer to an array, not " +
                  P->str());
    Expected<Type> D = destType(I);
    if (!D)
      return D.takeError();
    if (!D->isPointer())
      return fail("dest _" + Twine(I.dest()) + " of gep has type " + D->str() +
                  ", not a pointer");
    return Error::success();
  }
  case Opcode::Call:
    return checkCall(I);
  case Opcode::CallIndirect: {
    Expected<Type> P = typeOf(I.ops()[0]);
    if (!P)
      return P.takeError();
    if (!P->isFuncPtr() && !P->isPointer())
      return fail("call_indirect through `" + formatOperand(I.ops()[0]) +
                  "` of type " + P->str() + ", not a function pointer");
    return checkArgs(I.maybeDest(), opcodeTextName(I.Op),
                     llvm::ArrayRef(I.ops()).drop_front(), I.sig(),
                     "`" + formatOperand(I.ops()[0]) + "`");
  }
  case Opcode::Intrinsic:
    return checkIntrinsic(I);
  case Opcode::Aggregate:
    return checkAggregate(I);
  case Opcode::GetField:
  case Opcode::SetField:
    return checkFieldAccess(I);
  case Opcode::GlobalAddr: {
    // The address of an 8-byte cell: a pointer, or the address as a word.
    Expected<Type> D = destType(I);
    if (!D)
      return D.takeError();
    if (!D->isPointer() && !D->isWordValue() && D->Kind != TypeKind::I64 &&
        D->Kind != TypeKind::U64)
      return fail("dest _" + Twine(I.dest()) + " of global_addr has type " +
                  D->str() + ", not a pointer");
    return Error::success();
  }
  case Opcode::DecisionProbe:
  case Opcode::ConditionProbe: {
    Expected<Type> T = typeOf(I.ops()[0]);
    if (!T)
      return T.takeError();
    if (T->isVoid())
      return fail("the result of " + opcodeTextName(I.Op) + " `" +
                  formatOperand(I.ops()[0]) + "` has type " + T->str() +
                  ", which has no value");
    return Error::success();
  }
  }
  return Error::success();
}

// An operand that travels as one word (an aggregate element, a field value,
// an extern intrinsic's argument): any value but unit/never.
static bool isWordable(const Type &T) {
  return T.isScalar() || T.isWordValue() || T.Kind == TypeKind::Char;
}

Error FunctionVerifier::checkIntrinsic(const Inst &I) {
  int Arity = intrinsicArity(I.Intr);
  std::string Name = I.Intr == IntrinsicKind::Extern
                         ? I.name()
                         : intrinsicName(I.Intr).str();
  if (Arity >= 0 && I.ops().size() != size_t(Arity))
    return fail("intrinsic " + Name + " takes " + plural(Arity, "argument") +
                ", not " + Twine(I.ops().size()));
  if (isFloatMath(I.Intr)) {
    Expected<Type> T0 = typeOf(I.ops()[0]);
    if (!T0)
      return T0.takeError();
    if (!T0->isFloat())
      return fail("intrinsic " + Name + " needs f32 or f64 arguments, not " +
                  T0->str());
    for (size_t K = 1; K < I.ops().size(); ++K)
      if (Error E = expectType(I.ops()[K], *T0,
                               "argument " + std::to_string(K) + " of " + Name))
        return E;
    if (!I.hasDest())
      return Error::success();
    return checkDestIs(I, *T0);
  }
  if (I.Intr == IntrinsicKind::Extern && I.name().empty())
    return fail("the intrinsic name must not be empty");
  if (I.Intr == IntrinsicKind::SsaPhi && I.ops().empty())
    return fail("intrinsic " + Name + " needs at least one argument");
  // Word intrinsics (crc, clmul, bounds_check) take integers; block
  // intrinsics (AES, SHA) pointers to 16-byte blocks and give no value
  // (MIR.h "intrinsic-eval"); the phi and extern ones pass words along.
  enum { Words, Blocks, Any } Args =
      isBlockIntrinsic(I.Intr) ? Blocks
      : (I.Intr == IntrinsicKind::SsaPhi || I.Intr == IntrinsicKind::Extern)
          ? Any
          : Words;
  if (Args == Blocks && I.hasDest())
    return fail("intrinsic " + Name + " gives no value (it writes its first "
                "operand's block), so it has no dest");
  for (size_t K = 0; K < I.ops().size(); ++K) {
    Expected<Type> T = typeOf(I.ops()[K]);
    if (!T)
      return T.takeError();
    bool Ok = Args == Words    ? T->isInteger()
              : Args == Blocks ? T->isPointer() || sameWord(*T, TypeKind::U64) ||
                                     T->Kind == TypeKind::I64 ||
                                     T->Kind == TypeKind::U64
                               : isWordable(*T);
    if (!Ok)
      return fail("argument " + Twine(K) + " of intrinsic " + Name + " `" +
                  formatOperand(I.ops()[K]) + "` has type " + T->str() +
                  (Args == Words    ? ", not an integer"
                   : Args == Blocks ? ", not a pointer to a 16-byte block"
                                    : ", which has no value"));
  }
  // __simple_ssa_phi [pred0, v0, pred1, v1, ...]: the predecessors are
  // block ids as integer constants.
  if (I.Intr == IntrinsicKind::SsaPhi && I.ops().size() >= 4) {
    if (I.ops().size() % 2)
      return fail("intrinsic " + Name + " takes pairs of (block, value), not " +
                  plural(I.ops().size(), "argument"));
    for (size_t K = 0; K < I.ops().size(); K += 2)
      if (!I.ops()[K].isConst() || I.ops()[K].constant().K != Constant::Kind::Int)
        return fail("argument " + Twine(K) + " of intrinsic " + Name + " `" +
                    formatOperand(I.ops()[K]) +
                    "` must be a block id as an integer constant");
  }
  if (I.hasDest())
    if (Expected<Type> D = destType(I); !D)
      return D.takeError();
  return Error::success();
}

Error FunctionVerifier::checkAggregate(const Inst &I) {
  for (size_t K = 0; K < I.ops().size(); ++K) {
    Expected<Type> T = typeOf(I.ops()[K]);
    if (!T)
      return T.takeError();
    if (!isWordable(*T))
      return fail("element " + Twine(K) + " of the aggregate `" +
                  formatOperand(I.ops()[K]) + "` has type " + T->str() +
                  ", which has no value");
  }
  Expected<Type> D = destType(I);
  if (!D)
    return D.takeError();
  // The result is a word: a pointer to the fields, or a runtime handle.
  auto Mismatch = [&](llvm::StringRef Kind) {
    return fail("dest _" + Twine(I.dest()) + " of the " + Kind +
                " aggregate has type " + D->str());
  };
  bool Word = D->isWordValue() || D->isPointer() ||
              D->Kind == TypeKind::I64 || D->Kind == TypeKind::U64;
  switch (I.Agg) {
  case AggKind::Tuple:
    if (!Word)
      return Mismatch("tuple");
    if (D->Kind == TypeKind::Tuple && D->members().size() != I.ops().size())
      return fail("the tuple aggregate has " + plural(I.ops().size(), "element") +
                  " but its dest _" + Twine(I.dest()) + " is " + D->str());
    return Error::success();
  case AggKind::Struct:
    if (!Word)
      return Mismatch("struct#" + std::to_string(I.symbol()));
    if (D->Kind == TypeKind::Struct && D->structId() != I.symbol())
      return fail("the aggregate builds struct#" + Twine(I.symbol()) +
                  " but its dest _" + Twine(I.dest()) + " is " + D->str());
    return Error::success();
  case AggKind::Enum:
    if (!Word)
      return Mismatch("enum#" + std::to_string(I.symbol()));
    if (D->Kind == TypeKind::Enum && D->structId() != I.symbol())
      return fail("the aggregate builds enum#" + Twine(I.symbol()) +
                  " but its dest _" + Twine(I.dest()) + " is " + D->str());
    return Error::success();
  case AggKind::Array:
    if (!Word)
      return Mismatch("array");
    if (I.type().isVoid())
      return fail("an array aggregate needs an element type with a value, "
                  "not " + I.type().str());
    return Error::success();
  }
  return Error::success();
}

Error FunctionVerifier::checkFieldAccess(const Inst &I) {
  llvm::StringRef What = opcodeTextName(I.Op);
  Expected<Type> B = typeOf(I.ops()[0]);
  if (!B)
    return B.takeError();
  if (!B->isWordValue() && !B->isPointer() && B->Kind != TypeKind::I64 &&
      B->Kind != TypeKind::U64)
    return fail(What + " base `" + formatOperand(I.ops()[0]) + "` has type " +
                B->str() + ", not a struct or tuple");
  // Only a tuple type tells how many fields there are.
  if (B->Kind == TypeKind::Tuple && I.Field >= B->members().size())
    return fail(What + " field " + Twine(I.Field) + " is past the end of " +
                B->str() + " (" + plural(B->members().size(), "field") + ")");
  if (I.Op == Opcode::SetField) {
    Expected<Type> V = typeOf(I.ops()[1]);
    if (!V)
      return V.takeError();
    if (!isWordable(*V))
      return fail("the value `" + formatOperand(I.ops()[1]) + "` has type " +
                  V->str() + ", which has no value");
    return Error::success();
  }
  Expected<Type> D = destType(I);
  if (!D)
    return D.takeError();
  if (!isWordable(*D))
    return fail("dest _" + Twine(I.dest()) + " of get_field has type " +
                D->str() + ", which has no value");
  // GetField converts the word to the dest's type (MIR.md): integers, Bool,
  // Char, pointers and words mix freely; only a float must come from a float.
  const Type &FT = B->Kind == TypeKind::Tuple ? B->members()[I.Field] : *D;
  if (B->Kind == TypeKind::Tuple && !passes(FT, *D) &&
      (FT.isFloat() || D->isFloat()))
    return fail("dest _" + Twine(I.dest()) + " has type " + D->str() +
                " but field " + Twine(I.Field) + " of " + B->str() + " is " +
                B->members()[I.Field].str());
  return Error::success();
}

// A local an unwinding call writes: the payload (a word) or the type tag
// (an integer).
Error FunctionVerifier::checkWordLocal(std::optional<LocalId> Id,
                                       llvm::StringRef What,
                                       bool IntegerOnly) {
  if (!Id)
    return Error::success();
  const Local *L = F.local(*Id);
  if (!L)
    return fail(What + " local _" + Twine(*Id) + " does not exist");
  // The backends convert the word to the local's type as GetField does, so
  // Bool and Char take it too; a float cannot hold a payload word.
  bool Ok = IntegerOnly ? L->Ty.isInteger()
                        : L->Ty.isInteger() || L->Ty.isWordValue() ||
                              L->Ty.isPointer() || L->Ty.Kind == TypeKind::Bool;
  if (!Ok)
    return fail(What + " _" + Twine(*Id) + " has type " + L->Ty.str() +
                (IntegerOnly ? ", not an integer" : ", not an integer or a word"));
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
  case TermKind::CallTerminator: {
    if (Error E = checkCallee(T.Callee, T.Args, T.Dest, "invoke"))
      return E;
    if (Error E = checkBlockRef(T.Target, "the normal"))
      return E;
    if (T.Unwind)
      if (Error E = checkBlockRef(*T.Unwind, "the unwind"))
        return E;
    if (Error E = checkWordLocal(T.PayloadDest, "the unwind payload dest",
                                 /*IntegerOnly=*/false))
      return E;
    if (Error E = checkWordLocal(T.TagDest, "the unwind type tag dest",
                                 /*IntegerOnly=*/true))
      return E;
    if (!T.UnwindContract.empty() && T.UnwindContract != "NoUnwind" &&
        T.UnwindContract != "MayUnwind")
      return fail("unknown unwind contract `" + T.UnwindContract +
                  "` (NoUnwind or MayUnwind)");
    return Error::success();
  }
  case TermKind::Throw:
  case TermKind::Resume: {
    llvm::StringRef What = T.K == TermKind::Throw ? "throw" : "resume";
    if (!T.Value)
      return fail(What + " needs a payload");
    if (!T.Tag)
      return fail(What + " needs a type tag");
    Expected<Type> P = typeOf(*T.Value);
    if (!P)
      return P.takeError();
    if (!isWordable(*P))
      return fail("the payload of " + What + " `" + formatOperand(*T.Value) +
                  "` has type " + P->str() + ", which has no value");
    Expected<Type> Tg = typeOf(*T.Tag);
    if (!Tg)
      return Tg.takeError();
    if (!Tg->isInteger())
      return fail("the type tag of " + What + " `" + formatOperand(*T.Tag) +
                  "` has type " + Tg->str() + ", not an integer");
    return Error::success();
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
      Loc = B.Insts[Idx].loc();
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
