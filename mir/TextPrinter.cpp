//===- mir/TextPrinter.cpp - mir::Module -> the .mir text form ------------===//
//
// Prints the text form of docs/MIR-TEXT.md. Everything in the model is
// printed (so parseText(printText(M)) == M), in the order the model holds it;
// defaults are left out where the parser restores them (a zero symbol, an
// entry block that is the first block, a Unit result).
//
//===----------------------------------------------------------------------===//
#include "mir/Literals.h"
#include "mir/MIR.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

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
  if (I.Dest)
    OS << "_" << *I.Dest << " = ";
  OS << opcodeTextName(I.Op);
  llvm::ArrayRef<Operand> Ops = I.Ops;
  switch (I.Op) {
  case Opcode::Const:
    OS << " " << I.C.Ty.str() << " " << formatConstantValue(I.C);
    break;
  case Opcode::Copy:
  case Opcode::Move: {
    // `copy _2` for the plain form; `copy <operand>` otherwise.
    Operand::Kind Plain = I.Op == Opcode::Copy ? Operand::Kind::Copy
                                               : Operand::Kind::Move;
    if (Ops.size() == 1 && Ops[0].K == Plain)
      OS << " _" << Ops[0].Local;
    else if (!Ops.empty())
      OS << " " << formatOperand(Ops[0]);
    break;
  }
  case Opcode::BinOp:
  case Opcode::CheckedBinOp:
    OS << " " << lower(binOpName(I.Bin)) << " ";
    operands(Ops);
    break;
  case Opcode::UnaryOp:
    OS << " " << lower(unOpName(I.Un)) << " ";
    operands(Ops);
    break;
  case Opcode::Cast:
  case Opcode::Bitcast:
    OS << " ";
    operands(Ops);
    OS << " to " << I.Ty.str();
    break;
  case Opcode::Alloc:
    OS << " " << I.Ty.str();
    break;
  case Opcode::Load:
  case Opcode::Store:
  case Opcode::GetElementPtr:
    if (!Ops.empty())
      OS << " ";
    operands(Ops);
    break;
  case Opcode::Call: {
    const Operand &C = I.Callee;
    OS << " ";
    if (C.isConst() && C.C.isFunctionRef()) {
      if (C.C.K == Constant::Kind::Str)
        OS << formatGlobalName(C.C.S);
      else
        OS << "#" << int64_t(C.C.Bits);
      callArgs(Ops);
      OS << " : " << C.C.Ty.str();
    } else {
      OS << formatOperand(C);
      callArgs(Ops);
    }
    break;
  }
  case Opcode::CallIndirect:
    OS << " " << (Ops.empty() ? std::string("?") : formatOperand(Ops[0]));
    callArgs(Ops.drop_front(Ops.empty() ? 0 : 1));
    OS << " : " << I.Sig.str();
    break;
  case Opcode::Intrinsic:
    OS << " " << intrinsicName(I.Intr);
    callArgs(Ops);
    break;
  case Opcode::Nop:
    break;
  case Opcode::DebugValue:
    OS << " " << (I.Payload.empty() ? "null" : I.Payload);
    break;
  }
  OS << "\n";
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
      VT = T.Value->C.Ty;
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
