//===- mir/TextPrinter.cpp - mir::Module -> the .mir text form ------------===//
//
// Prints the text form of docs/MIR-TEXT.md. Everything in the model is
// printed (so parseText(printText(M)) == M), in the order the model holds it;
// defaults are left out where the parser restores them (a zero symbol, an
// entry block that is the first block, a Unit result).
//
//===----------------------------------------------------------------------===//
#include "mir/InstSchema.h"
#include "mir/Literals.h"
#include "mir/MIR.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace spl::mir {

namespace {

class Printer {
public:
  explicit Printer(llvm::raw_ostream &OS) : OS(OS) {}
  void module(const Module &M);

private:
  void signatureTail(const Signature &S);
  void operands(llvm::ArrayRef<Operand> Ops);
  void callArgs(llvm::ArrayRef<Operand> Ops);
  void inst(const Inst &I);
  void field(const Inst &I, const FieldSchema &Fs, size_t &Next);
  void callTarget(const Operand &Callee, llvm::ArrayRef<Operand> Args);
  void terminator(const Terminator &T);
  void function(const Function &F);

  llvm::raw_ostream &OS;
  const Function *F = nullptr;
};

// "(i64, f64) -> i64": a signature without its leading "fn".
void Printer::signatureTail(const Signature &S) {
  OS << llvm::StringRef(S.str()).drop_front(2);
}

void Printer::operands(llvm::ArrayRef<Operand> Ops) {
  for (size_t I = 0; I < Ops.size(); ++I)
    OS << (I ? ", " : "") << formatOperand(Ops[I]);
}

void Printer::callArgs(llvm::ArrayRef<Operand> Ops) {
  OS << "(";
  operands(Ops);
  OS << ")";
}

std::string lower(llvm::StringRef S) { return S.lower(); }

void Printer::inst(const Inst &I) {
  OS << "  ";
  if (I.hasDest())
    OS << "_" << I.dest() << " = ";
  OS << opcodeTextName(I.Op);
  const InstSchema &S = instSchema(I.Op);
  size_t Next = 0; // the next entry of I.Ops a field prints
  for (const FieldSchema &Fs : S.fields())
    field(I, Fs, Next);
  OS << "\n";
}

void Printer::callTarget(const Operand &C, llvm::ArrayRef<Operand> Args) {
  if (C.isConst() && C.constant().isFunctionRef()) {
    if (C.constant().K == Constant::Kind::Str)
      OS << formatGlobalName(C.constant().S);
    else
      OS << "#" << int64_t(C.constant().Bits);
    callArgs(Args);
    OS << " : " << C.constant().Ty.str();
  } else {
    OS << formatOperand(C);
    callArgs(Args);
  }
}

void Printer::field(const Inst &I, const FieldSchema &Fs, size_t &Next) {
  llvm::ArrayRef<Operand> Ops = I.ops();
  auto Rest = [&] {
    llvm::ArrayRef<Operand> R = Ops.drop_front(std::min(Next, Ops.size()));
    Next = Ops.size();
    return R;
  };
  switch (Fs.Text) {
  case Lead::Space:
    // Nothing follows a missing operand of a malformed instruction.
    if (!((Fs.Kind == FieldKind::Operand || Fs.Kind == FieldKind::Src) &&
          Next >= Ops.size()) &&
        Fs.Kind != FieldKind::Flag)
      OS << " ";
    break;
  case Lead::Comma:
    OS << ", ";
    break;
  case Lead::To:
    OS << " to ";
    break;
  case Lead::Colon:
    OS << " : ";
    break;
  case Lead::SpacedParens:
    OS << " ";
    break;
  case Lead::Parens:
  case Lead::CommaList:
    break;
  }
  switch (Fs.Kind) {
  case FieldKind::End:
    return;
  case FieldKind::Const:
    OS << I.constant().Ty.str() << " " << formatConstantValue(I.constant());
    return;
  case FieldKind::Src: {
    // `copy _2` for the plain form; `copy <operand>` otherwise.
    if (Next >= Ops.size())
      return;
    Operand::Kind Plain =
        I.Op == Opcode::Copy ? Operand::Kind::Copy : Operand::Kind::Move;
    if (Ops[Next].K == Plain)
      OS << "_" << Ops[Next].Local;
    else
      OS << formatOperand(Ops[Next]);
    ++Next;
    return;
  }
  case FieldKind::Operand:
    if (Next < Ops.size())
      OS << formatOperand(Ops[Next]);
    ++Next;
    return;
  case FieldKind::Operands:
    if (Fs.Text == Lead::CommaList) {
      for (const Operand &O : Rest())
        OS << ", " << formatOperand(O);
      return;
    }
    callArgs(Rest());
    return;
  case FieldKind::Call:
    callTarget(I.callee(), Rest());
    return;
  case FieldKind::Type:
    OS << I.type().str();
    return;
  case FieldKind::Signature:
    OS << I.sig().str();
    return;
  case FieldKind::BinOp:
    OS << lower(binOpName(I.Bin));
    return;
  case FieldKind::UnOp:
    OS << lower(unOpName(I.Un));
    return;
  case FieldKind::Intrinsic:
    if (I.Intr != IntrinsicKind::Extern)
      OS << intrinsicName(I.Intr);
    else
      OS << (isBareName(I.name()) ? I.name() : quoteString(I.name()));
    return;
  case FieldKind::Index:
    OS << I.Field;
    return;
  case FieldKind::Symbol:
    OS << "#" << I.symbol();
    return;
  case FieldKind::Flag:
    if (I.Mutable)
      OS << " mut";
    return;
  case FieldKind::AggKind:
    switch (I.Agg) {
    case AggKind::Tuple:
      OS << "tuple";
      break;
    case AggKind::Struct:
      OS << "struct#" << I.symbol();
      break;
    case AggKind::Enum:
      OS << "enum#" << I.symbol() << "." << I.variant();
      break;
    case AggKind::Array:
      OS << "[" << I.type().str() << "]";
      break;
    }
    return;
  case FieldKind::Verbatim:
  case FieldKind::Rest:
    OS << (I.payload().empty() ? (Fs.Kind == FieldKind::Rest ? "{}" : "null")
                             : I.payload());
    return;
  }
}

void Printer::terminator(const Terminator &T) {
  if (T.K == TermKind::None)
    return;
  OS << "  ";
  switch (T.K) {
  case TermKind::None:
    break;
  case TermKind::Goto:
    OS << "goto bb" << T.Target;
    break;
  case TermKind::Return:
    OS << "return";
    if (T.Value)
      OS << " " << formatOperand(*T.Value);
    break;
  case TermKind::If:
    OS << "if " << (T.Value ? formatOperand(*T.Value) : "?") << " then bb"
       << T.Target << " else bb" << T.Else;
    break;
  case TermKind::Switch: {
    // Case values as the switched type reads them (signed or not).
    Type VT = TypeKind::U64;
    if (T.Value && T.Value->isConst())
      VT = T.Value->constant().Ty;
    else if (const Local *L = T.Value ? F->local(T.Value->Local) : nullptr)
      VT = L->Ty;
    OS << "switch " << (T.Value ? formatOperand(*T.Value) : "?") << " [";
    for (const SwitchCase &C : T.Cases)
      OS << (VT.isSignedInt() ? std::to_string(int64_t(C.Value))
                              : std::to_string(C.Value))
         << ": bb" << C.Target << ", ";
    OS << "otherwise: bb" << T.Target << "]";
    break;
  }
  case TermKind::Unreachable:
    OS << "unreachable";
    break;
  case TermKind::Abort:
    OS << "abort " << quoteString(T.Message);
    break;
  case TermKind::CallTerminator:
    if (T.Dest)
      OS << "_" << *T.Dest << " = ";
    OS << "invoke ";
    callTarget(T.Callee, T.Args);
    OS << " normal bb" << T.Target;
    if (T.Unwind)
      OS << " unwind bb" << *T.Unwind;
    if (T.PayloadDest)
      OS << " payload _" << *T.PayloadDest;
    if (T.TagDest)
      OS << " tag _" << *T.TagDest;
    if (!T.UnwindContract.empty())
      OS << " contract " << quoteString(T.UnwindContract);
    break;
  case TermKind::Throw:
  case TermKind::Resume:
    OS << (T.K == TermKind::Throw ? "throw " : "resume ")
       << (T.Value ? formatOperand(*T.Value) : "?");
    // The older form has no tag of its own (it is I64 0).
    if (!T.LegacyForm)
      OS << ", " << (T.Tag ? formatOperand(*T.Tag) : "?");
    break;
  }
  OS << "\n";
}

void Printer::function(const Function &Fn) {
  F = &Fn;
  OS << "fn " << formatGlobalName(Fn.Name);
  signatureTail(Fn.Sig);
  if (Fn.Symbol != 0)
    OS << " #" << Fn.Symbol;
  bool DefaultEntry = Fn.Blocks.empty() ? Fn.EntryBlock == 0
                                        : Fn.EntryBlock == Fn.Blocks[0].Id;
  if (!DefaultEntry)
    OS << " entry bb" << Fn.EntryBlock;
  OS << " {\n";
  for (const Local &L : Fn.Locals) {
    OS << "  let _" << L.Id;
    if (L.Name)
      OS << " " << formatName(*L.Name);
    OS << ": " << L.Ty.str() << " ";
    switch (L.Kind) {
    case LocalKind::Return:
      OS << "return";
      break;
    case LocalKind::Arg:
      OS << "arg " << L.ArgIndex;
      break;
    case LocalKind::Var:
      OS << "var";
      break;
    case LocalKind::Temp:
      OS << "temp";
      break;
    }
    OS << "\n";
  }
  for (const Block &B : Fn.Blocks) {
    // A blank line between the locals and the blocks, and between blocks.
    if (&B != &Fn.Blocks.front() || !Fn.Locals.empty())
      OS << "\n";
    OS << "bb" << B.Id;
    if (B.Label)
      OS << " " << formatName(*B.Label);
    OS << ":\n";
    for (const Inst &I : B.Insts)
      inst(I);
    terminator(B.Term);
  }
  OS << "}\n";
}

void Printer::module(const Module &M) {
  OS << "module " << quoteString(M.Name) << "\n";
  if (!M.Externs.empty())
    OS << "\n";
  for (const ExternDecl &D : M.Externs) {
    OS << "extern " << formatGlobalName(D.Name);
    signatureTail(D.Sig);
    OS << "\n";
  }
  for (const Function &Fn : M.Functions) {
    OS << "\n";
    function(Fn);
  }
}

} // namespace

std::string printText(const Module &M) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  Printer(OS).module(M);
  return Out;
}

} // namespace spl::mir
