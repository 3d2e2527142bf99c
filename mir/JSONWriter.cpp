//===- mir/JSONWriter.cpp - mir::Module -> the compiler's MIR JSON --------===//
//
// Writes the wire shape of ../shared/MIR.md, laid out like the compiler's
// own output, such that readJSON(writeJSON(M)) == M. Two spellings need care
// because JSON lacks them: floats are written as the shortest text that reads
// back to the same bits (with a '.' so they stay floats), and inf/nan as the
// strings "inf", "-inf", "nan", which the reader accepts for float types.
//
//===----------------------------------------------------------------------===//
#include "mir/Literals.h"
#include "mir/MIR.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace spl::mir {

namespace {

class Writer {
public:
  explicit Writer(llvm::raw_ostream &OS) : J(OS, /*IndentSize=*/1) {}
  void module(const Module &M);

private:
  void type(const Type &T);
  void signature(const Signature &S);
  void constantFields(const Constant &C);
  void operand(const Operand &O);
  void operands(llvm::StringRef Key, llvm::ArrayRef<Operand> Ops);
  void dest(const Inst &I);
  void inst(const Inst &I);
  void terminator(const Terminator &T);
  void function(const Function &F);

  llvm::json::OStream J;
  const Function *F = nullptr;
};

void Writer::type(const Type &T) {
  switch (T.Kind) {
  case TypeKind::Ptr:
    J.object([&] {
      J.attributeObject(T.IsRef ? "Ref" : "Ptr", [&] {
        J.attributeBegin(T.IsRef ? "referent" : "pointee");
        type(T.pointee());
        J.attributeEnd();
        J.attribute("mutable", T.Mutable);
      });
    });
    return;
  case TypeKind::Array:
    J.object([&] {
      J.attributeObject("Array", [&] {
        J.attributeBegin("element");
        type(T.pointee());
        J.attributeEnd();
        J.attribute("size", T.Count);
      });
    });
    return;
  case TypeKind::FuncPtr:
    J.object([&] {
      J.attributeBegin("FuncPtr");
      signature(*T.Sig);
      J.attributeEnd();
    });
    return;
  case TypeKind::Tuple:
    J.object([&] {
      J.attributeArray("Tuple", [&] {
        for (const Type &M : T.Members)
          type(M);
      });
    });
    return;
  case TypeKind::Struct:
    J.object([&] { J.attribute("Struct", T.StructId); });
    return;
  case TypeKind::Opaque:
    J.object([&] { J.attribute("Opaque", T.OpaqueName); });
    return;
  default:
    J.value(scalarTypeName(T.Kind));
    return;
  }
}

void Writer::signature(const Signature &S) {
  J.object([&] {
    J.attributeArray("params", [&] {
      for (const Type &P : S.Params)
        type(P);
    });
    // The serializer writes null for "returns nothing".
    J.attributeBegin("return_type");
    if (S.Ret.Kind == TypeKind::Unit)
      J.value(nullptr);
    else
      type(S.Ret);
    J.attributeEnd();
    J.attribute("is_variadic", S.Variadic);
  });
}

void Writer::constantFields(const Constant &C) {
  J.attributeBegin("value");
  switch (C.K) {
  case Constant::Kind::Int:
    if (C.Ty.isSignedInt())
      J.value(int64_t(C.Bits));
    else
      J.value(C.Bits);
    break;
  case Constant::Kind::Float:
    if (std::isfinite(C.F))
      J.rawValue(formatDouble(C.F, C.Ty.Kind == TypeKind::F32));
    else
      J.value(formatDouble(C.F, false)); // "inf", "-inf", "nan"
    break;
  case Constant::Kind::Bool:
    J.value(C.Bits != 0);
    break;
  case Constant::Kind::Str:
    J.value(C.S);
    break;
  case Constant::Kind::Zero:
    J.value("Zero");
    break;
  }
  J.attributeEnd();
  J.attributeBegin("type");
  type(C.Ty);
  J.attributeEnd();
}

void Writer::operand(const Operand &O) {
  J.object([&] {
    switch (O.K) {
    case Operand::Kind::Copy:
      J.attribute("Copy", O.Local);
      break;
    case Operand::Kind::Move:
      J.attribute("Move", O.Local);
      break;
    case Operand::Kind::Const:
      J.attributeObject("Const", [&] { constantFields(O.C); });
      break;
    }
  });
}

void Writer::operands(llvm::StringRef Key, llvm::ArrayRef<Operand> Ops) {
  J.attributeArray(Key, [&] {
    for (const Operand &O : Ops)
      operand(O);
  });
}

void Writer::dest(const Inst &I) {
  if (I.Dest)
    J.attribute("dest", *I.Dest);
  else
    J.attribute("dest", nullptr);
}

void Writer::inst(const Inst &I) {
  llvm::StringRef Key = opcodeJsonName(I.Op);
  if (I.Op == Opcode::Nop) {
    J.value("Nop");
    return;
  }
  if (I.Op == Opcode::DebugValue) {
    J.object([&] {
      J.attributeBegin(Key);
      J.rawValue(I.Payload.empty() ? "null" : I.Payload);
      J.attributeEnd();
    });
    return;
  }
  // Operand i, or nothing if a malformed instruction lacks it.
  auto Op = [&](llvm::StringRef Field, size_t Idx) {
    if (Idx < I.Ops.size()) {
      J.attributeBegin(Field);
      operand(I.Ops[Idx]);
      J.attributeEnd();
    }
  };
  auto Rest = [&](size_t From) {
    return llvm::ArrayRef(I.Ops).drop_front(std::min(From, I.Ops.size()));
  };
  J.object([&] {
    J.attributeObject(Key, [&] {
      switch (I.Op) {
      case Opcode::Const:
        dest(I);
        constantFields(I.C);
        break;
      case Opcode::Copy:
      case Opcode::Move: {
        dest(I);
        // The serializer's src is a bare local; an operand of another kind
        // (a const, or move under Copy) needs the operand object.
        Operand::Kind Plain = I.Op == Opcode::Copy ? Operand::Kind::Copy
                                                   : Operand::Kind::Move;
        if (!I.Ops.empty() && I.Ops[0].K == Plain)
          J.attribute("src", I.Ops[0].Local);
        else
          Op("src", 0);
        break;
      }
      case Opcode::BinOp:
      case Opcode::CheckedBinOp:
        dest(I);
        J.attribute("op", binOpName(I.Bin));
        Op("left", 0);
        Op("right", 1);
        break;
      case Opcode::UnaryOp:
        dest(I);
        J.attribute("op", unOpName(I.Un));
        Op("operand", 0);
        break;
      case Opcode::Cast:
      case Opcode::Bitcast:
        dest(I);
        Op("operand", 0);
        J.attributeBegin("target");
        type(I.Ty);
        J.attributeEnd();
        break;
      case Opcode::Alloc:
        dest(I);
        J.attributeBegin("type");
        type(I.Ty);
        J.attributeEnd();
        break;
      case Opcode::Load:
        dest(I);
        Op("ptr", 0);
        break;
      case Opcode::Store:
        Op("ptr", 0);
        Op("value", 1);
        break;
      case Opcode::GetElementPtr:
        dest(I);
        Op("base", 0);
        operands("indices", Rest(1));
        break;
      case Opcode::Call:
        dest(I);
        J.attributeBegin("func");
        operand(I.Callee);
        J.attributeEnd();
        operands("args", I.Ops);
        break;
      case Opcode::CallIndirect:
        dest(I);
        Op("ptr", 0);
        operands("args", Rest(1));
        J.attributeBegin("signature");
        signature(I.Sig);
        J.attributeEnd();
        break;
      case Opcode::Intrinsic:
        dest(I);
        J.attribute("name", intrinsicName(I.Intr));
        operands("args", I.Ops);
        break;
      case Opcode::Nop:
      case Opcode::DebugValue:
        break;
      }
    });
  });
}

// The type a switch reads, to write its case values with the right sign.
static bool switchIsSigned(const Function &F, const Operand &V) {
  if (V.isConst())
    return V.C.Ty.isSignedInt();
  const Local *L = F.local(V.Local);
  return L && L->Ty.isSignedInt();
}

void Writer::terminator(const Terminator &T) {
  switch (T.K) {
  case TermKind::None:
    J.value(nullptr);
    return;
  case TermKind::Unreachable:
    J.value("Unreachable");
    return;
  case TermKind::Goto:
    J.object([&] { J.attribute("Goto", T.Target); });
    return;
  case TermKind::Return:
    J.object([&] {
      J.attributeBegin("Return");
      if (T.Value)
        operand(*T.Value);
      else
        J.value(nullptr);
      J.attributeEnd();
    });
    return;
  case TermKind::Abort:
    J.object([&] { J.attribute("Abort", T.Message); });
    return;
  case TermKind::If:
    J.object([&] {
      J.attributeObject("If", [&] {
        J.attributeBegin("cond");
        if (T.Value)
          operand(*T.Value);
        else
          J.value(nullptr);
        J.attributeEnd();
        J.attribute("then", T.Target);
        J.attribute("else", T.Else);
      });
    });
    return;
  case TermKind::Switch: {
    bool Signed = T.Value && switchIsSigned(*F, *T.Value);
    J.object([&] {
      J.attributeObject("Switch", [&] {
        J.attributeBegin("value");
        if (T.Value)
          operand(*T.Value);
        else
          J.value(nullptr);
        J.attributeEnd();
        J.attributeArray("targets", [&] {
          for (const SwitchCase &C : T.Cases)
            J.object([&] {
              if (Signed)
                J.attribute("value", int64_t(C.Value));
              else
                J.attribute("value", C.Value);
              J.attribute("target", C.Target);
            });
        });
        J.attribute("default", T.Target);
      });
    });
    return;
  }
  }
}

void Writer::function(const Function &Fn) {
  F = &Fn;
  J.object([&] {
    J.attribute("symbol", Fn.Symbol);
    J.attribute("name", Fn.Name);
    J.attributeBegin("signature");
    signature(Fn.Sig);
    J.attributeEnd();
    J.attributeArray("locals", [&] {
      for (const Local &L : Fn.Locals)
        J.object([&] {
          J.attribute("id", L.Id);
          if (L.Name)
            J.attribute("name", *L.Name);
          else
            J.attribute("name", nullptr);
          J.attributeBegin("type");
          type(L.Ty);
          J.attributeEnd();
          switch (L.Kind) {
          case LocalKind::Return:
            J.attribute("kind", "Return");
            break;
          case LocalKind::Var:
            J.attribute("kind", "Var");
            break;
          case LocalKind::Temp:
            J.attribute("kind", "Temp");
            break;
          case LocalKind::Arg:
            J.attributeObject("kind", [&] { J.attribute("Arg", L.ArgIndex); });
            break;
          }
        });
    });
    J.attributeArray("blocks", [&] {
      for (const Block &B : Fn.Blocks)
        J.object([&] {
          J.attribute("id", B.Id);
          if (B.Label)
            J.attribute("label", *B.Label);
          else
            J.attribute("label", nullptr);
          J.attributeArray("instructions", [&] {
            for (const Inst &I : B.Insts)
              inst(I);
          });
          J.attributeBegin("terminator");
          terminator(B.Term);
          J.attributeEnd();
        });
    });
    J.attribute("entry_block", Fn.EntryBlock);
  });
}

void Writer::module(const Module &M) {
  J.object([&] {
    J.attribute("name", M.Name);
    J.attributeArray("externs", [&] {
      for (const ExternDecl &D : M.Externs)
        J.object([&] {
          J.attribute("name", D.Name);
          J.attributeBegin("signature");
          signature(D.Sig);
          J.attributeEnd();
        });
    });
    J.attributeArray("functions", [&] {
      for (const Function &Fn : M.Functions)
        function(Fn);
    });
  });
}

} // namespace

std::string writeJSON(const Module &M) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  Writer(OS).module(M);
  OS << "\n";
  return Out;
}

} // namespace spl::mir
