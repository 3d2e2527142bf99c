//===- mir/JSONWriter.cpp - mir::Module -> the compiler's MIR JSON --------===//
//
// Writes the wire shape of ../shared/MIR.md, laid out like the compiler's
// own output, such that readJSON(writeJSON(M)) == M. Two spellings need care
// because JSON lacks them: floats are written as the shortest text that reads
// back to the same bits (with a '.' so they stay floats), and inf/nan as the
// strings "inf", "-inf", "nan", which the reader accepts for float types.
//
//===----------------------------------------------------------------------===//
#include "mir/InstSchema.h"
#include "mir/Literals.h"
#include "mir/MIR.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
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
  void field(const Inst &I, const InstSchema &S, const FieldSchema &Fs,
             size_t &Next);
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
        J.attribute("size", T.count());
      });
    });
    return;
  case TypeKind::FuncPtr:
    J.object([&] {
      J.attributeBegin("FuncPtr");
      signature(T.sig());
      J.attributeEnd();
    });
    return;
  case TypeKind::Tuple:
    J.object([&] {
      J.attributeArray("Tuple", [&] {
        for (const Type &M : T.members())
          type(M);
      });
    });
    return;
  case TypeKind::Struct:
    J.object([&] { J.attribute("Struct", T.structId()); });
    return;
  case TypeKind::Opaque:
    J.object([&] { J.attribute("Opaque", T.opaqueName()); });
    return;
  case TypeKind::Enum:
    J.object([&] { J.attribute("Enum", T.structId()); });
    return;
  case TypeKind::Dict:
  case TypeKind::Result:
  case TypeKind::Generator: {
    // {"Dict": {"key": K, "value": V}} and the like: two named parts.
    const char *K1 = T.Kind == TypeKind::Dict     ? "key"
                     : T.Kind == TypeKind::Result ? "ok"
                                                  : "yield";
    const char *K2 = T.Kind == TypeKind::Dict     ? "value"
                     : T.Kind == TypeKind::Result ? "err"
                                                  : "return";
    J.object([&] {
      J.attributeObject(scalarTypeName(T.Kind), [&] {
        for (size_t I = 0; I < 2; ++I) {
          J.attributeBegin(I ? K2 : K1);
          if (I < T.members().size())
            type(T.members()[I]);
          else
            J.value("Unit");
          J.attributeEnd();
        }
      });
    });
    return;
  }
  case TypeKind::Slice:
  case TypeKind::Promise:
  case TypeKind::Actor:
    J.object([&] {
      J.attributeBegin(scalarTypeName(T.Kind));
      if (!T.members().empty())
        type(T.members()[0]);
      else
        J.value("Unit");
      J.attributeEnd();
    });
    return;
  case TypeKind::Union:
    J.object([&] {
      J.attributeArray("Union", [&] {
        for (const Type &M : T.members())
          type(M);
      });
    });
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
      J.attributeObject("Const", [&] { constantFields(O.constant()); });
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
  if (I.hasDest())
    J.attribute("dest", I.dest());
  else
    J.attribute("dest", nullptr);
}

void Writer::inst(const Inst &I) {
  const InstSchema &S = instSchema(I.Op);
  llvm::ArrayRef<FieldSchema> Fields = S.fields();
  llvm::StringRef Key = S.JsonName;
  if (Fields.empty()) {
    J.value(Key); // "Nop"
    return;
  }
  if (Fields[0].Kind == FieldKind::Verbatim) {
    J.object([&] {
      J.attributeBegin(Key);
      J.rawValue(I.payload().empty() ? "null" : I.payload());
      J.attributeEnd();
    });
    return;
  }
  J.object([&] {
    J.attributeObject(Key, [&] {
      if (S.Dest != DestRule::None)
        dest(I);
      size_t Next = 0; // the next entry of I.Ops a field writes
      for (const FieldSchema &Fs : Fields)
        field(I, S, Fs, Next);
    });
  });
}

void Writer::field(const Inst &I, const InstSchema &S, const FieldSchema &Fs,
                   size_t &Next) {
  llvm::StringRef Key = Fs.Key;
  // Operand i, or nothing if a malformed instruction lacks it.
  auto Op = [&](llvm::StringRef Field) {
    if (Next < I.ops().size()) {
      J.attributeBegin(Field);
      operand(I.ops()[Next]);
      J.attributeEnd();
    }
    ++Next;
  };
  auto Rest = [&]() {
    llvm::ArrayRef<Operand> R =
        llvm::ArrayRef(I.ops()).drop_front(std::min(Next, I.ops().size()));
    Next = I.ops().size();
    return R;
  };
  switch (Fs.Kind) {
  case FieldKind::End:
  case FieldKind::Verbatim:
    return;
  case FieldKind::Const:
    constantFields(I.constant());
    return;
  case FieldKind::Src: {
    // The serializer's src is a bare local; an operand of another kind
    // (a const, or move under Copy) needs the operand object.
    Operand::Kind Plain =
        I.Op == Opcode::Copy ? Operand::Kind::Copy : Operand::Kind::Move;
    if (Next < I.ops().size() && I.ops()[Next].K == Plain) {
      J.attribute(Key, I.ops()[Next].Local);
      ++Next;
    } else {
      Op(Key);
    }
    return;
  }
  case FieldKind::Operand:
    Op(Key);
    return;
  case FieldKind::Operands:
    operands(Key, Rest());
    return;
  case FieldKind::Call:
    J.attributeBegin(Key);
    operand(I.callee());
    J.attributeEnd();
    operands("args", Rest());
    return;
  case FieldKind::Type:
    J.attributeBegin(Key);
    type(I.type());
    J.attributeEnd();
    return;
  case FieldKind::Signature:
    J.attributeBegin(Key);
    signature(I.sig());
    J.attributeEnd();
    return;
  case FieldKind::BinOp:
    J.attribute(Key, binOpName(I.Bin));
    return;
  case FieldKind::UnOp:
    J.attribute(Key, unOpName(I.Un));
    return;
  case FieldKind::Intrinsic:
    J.attribute(Key, I.Intr == IntrinsicKind::Extern
                         ? llvm::StringRef(I.name())
                         : intrinsicName(I.Intr));
    return;
  case FieldKind::Index:
    J.attribute(Key, I.Field);
    return;
  case FieldKind::Symbol:
    J.attribute(Key, I.symbol());
    return;
  case FieldKind::Flag:
    J.attribute(Key, I.Mutable);
    return;
  case FieldKind::AggKind:
    J.attributeBegin(Key);
    switch (I.Agg) {
    case AggKind::Tuple:
      J.value("Tuple");
      break;
    case AggKind::Struct:
      J.object([&] { J.attribute("Struct", I.symbol()); });
      break;
    case AggKind::Array:
      J.object([&] {
        J.attributeBegin("Array");
        type(I.type());
        J.attributeEnd();
      });
      break;
    case AggKind::Enum:
      J.object([&] {
        J.attributeObject("Enum", [&] {
          J.attribute("symbol", I.symbol());
          J.attribute("variant", I.variant());
        });
      });
      break;
    }
    J.attributeEnd();
    return;
  case FieldKind::Rest: {
    // The kept fields, in the reader's (sorted) order.
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(I.payload());
    if (!V) {
      llvm::consumeError(V.takeError());
      return;
    }
    if (const llvm::json::Object *O = V->getAsObject()) {
      std::vector<std::string> Keys;
      for (const auto &KV : *O)
        Keys.push_back(KV.first.str());
      std::sort(Keys.begin(), Keys.end());
      for (const std::string &K : Keys) {
        J.attributeBegin(K);
        J.value(*O->get(K));
        J.attributeEnd();
      }
    }
    (void)S;
    return;
  }
  }
}

// The type a switch reads, to write its case values with the right sign.
static bool switchIsSigned(const Function &F, const Operand &V) {
  if (V.isConst())
    return V.constant().Ty.isSignedInt();
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
  case TermKind::CallTerminator:
    J.object([&] {
      J.attributeObject("CallTerminator", [&] {
        auto OptId = [&](llvm::StringRef Key, std::optional<uint32_t> V) {
          if (V)
            J.attribute(Key, *V);
          else
            J.attribute(Key, nullptr);
        };
        OptId("dest", T.Dest);
        J.attributeBegin("func");
        operand(T.Callee);
        J.attributeEnd();
        operands("args", T.Args);
        J.attribute("normal", T.Target);
        OptId("unwind", T.Unwind);
        // The older shape (a contract, no dests) comes back as it came.
        if (T.UnwindContract.empty() || T.PayloadDest || T.TagDest) {
          OptId("unwind_payload_dest", T.PayloadDest);
          OptId("unwind_type_tag_dest", T.TagDest);
        }
        if (!T.UnwindContract.empty())
          J.attribute("unwind_contract", T.UnwindContract);
      });
    });
    return;
  case TermKind::Throw:
  case TermKind::Resume: {
    bool IsThrow = T.K == TermKind::Throw;
    auto OptOp = [&](const std::optional<Operand> &O) {
      if (O)
        operand(*O);
      else
        J.value(nullptr);
    };
    if (T.LegacyForm) {
      J.object([&] {
        J.attribute("kind", IsThrow ? "throw" : "resume");
        J.attributeBegin("value");
        OptOp(T.Value);
        J.attributeEnd();
      });
      return;
    }
    J.object([&] {
      J.attributeObject(IsThrow ? "Throw" : "Resume", [&] {
        J.attributeBegin("payload");
        OptOp(T.Value);
        J.attributeEnd();
        J.attributeBegin("type_tag");
        OptOp(T.Tag);
        J.attributeEnd();
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
