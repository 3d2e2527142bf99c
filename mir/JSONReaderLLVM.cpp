//===- mir/JSONReaderLLVM.cpp - MIR JSON -> mir::Module with llvm::json ---===//
//
// The first reader, kept whole: readJSON (JSONReader.cpp) falls
// back to it for every input the fast reader declines (malformed JSON, any
// error: its messages are the precise ones), and the tests compare the two
// readers' models over the corpus. The same semantic layer as JSONReader.cpp,
// function for function: a change to one belongs in the other.
//
// Reads the wire shape of ../shared/MIR.md with llvm::json. The serializer
// is newer than we are and adds fields, so unknown fields are ignored; but
// anything we would have to guess about (an unknown instruction, a missing
// field, a wrong type) is an error naming the function, block and
// instruction, never a partial module.
//
//===----------------------------------------------------------------------===//
#include "mir/InstSchema.h"
#include "mir/JSONQuirks.h"
#include "mir/JSONReaders.h"
#include "mir/Literals.h"
#include "mir/MIR.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

namespace spl::mir {

namespace json = llvm::json;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

/// Where we are, for messages: "function `f`, block 2, instruction 3".
class Where {
public:
  Where() = default;
  Where(std::string S) : Text(std::move(S)) {}
  Where operator/(const Twine &Part) const {
    return Where(Text.empty() ? Part.str() : Text + ", " + Part.str());
  }
  Error fail(const Twine &Msg) const {
    return makeError(Text.empty() ? Msg : Twine(Text) + ": " + Msg);
  }

private:
  std::string Text;
};

// How a JSON value is spelled in messages: short, on one line.
std::string brief(const json::Value &V) {
  std::string S = llvm::formatv("{0}", V).str();
  if (S.size() > 40)
    S = S.substr(0, 37) + "...";
  return S;
}

const json::Value *field(const json::Object &O, StringRef Key) {
  return O.get(Key);
}

Expected<const json::Value *> required(const json::Object &O, StringRef Key,
                                       const Where &W) {
  if (const json::Value *V = O.get(Key))
    return V;
  return W.fail("missing field `" + Key + "`");
}

Expected<const json::Object *> asObject(const json::Value &V, StringRef What,
                                        const Where &W) {
  if (const json::Object *O = V.getAsObject())
    return O;
  return W.fail(What + " must be an object, not " + brief(V));
}

Expected<const json::Array *> asArray(const json::Value &V, StringRef What,
                                      const Where &W) {
  if (const json::Array *A = V.getAsArray())
    return A;
  return W.fail("`" + What + "` must be an array, not " + brief(V));
}

Expected<uint32_t> asId(const json::Value &V, StringRef What,
                        const Where &W) {
  std::optional<int64_t> N = V.getAsInteger();
  if (!N || *N < 0 || *N > int64_t(UINT32_MAX))
    return W.fail("`" + What + "` must be an id (an integer from 0 to " +
                  Twine(UINT32_MAX) + "), not " + brief(V));
  return uint32_t(*N);
}

Expected<bool> asBool(const json::Value *V, StringRef What, const Where &W) {
  if (!V || V->kind() == json::Value::Null)
    return false;
  if (std::optional<bool> B = V->getAsBoolean())
    return *B;
  return W.fail("`" + What + "` must be true or false, not " + brief(*V));
}

/// A one-key object {"Kind": payload}, the serializer's enum encoding; a
/// bare string "Kind" is the same with no payload.
struct Tagged {
  StringRef Tag;
  const json::Value *Payload = nullptr; // null for the bare string form
};

/// With IsKnown, an object with several keys is accepted when exactly one
/// of them is a known tag: the others are fields a newer serializer added.
Expected<Tagged> asTagged(const json::Value &V, StringRef What,
                          const Where &W,
                          llvm::function_ref<bool(StringRef)> IsKnown = {}) {
  if (std::optional<StringRef> S = V.getAsString())
    return Tagged{*S, nullptr};
  if (const json::Object *O = V.getAsObject()) {
    if (O->size() == 1)
      return Tagged{O->begin()->first, &O->begin()->second};
    if (IsKnown) {
      std::optional<Tagged> Found;
      unsigned N = 0;
      for (const auto &KV : *O)
        if (IsKnown(KV.first)) {
          Found = Tagged{KV.first, &KV.second};
          ++N;
        }
      if (N == 1)
        return *Found;
    }
  }
  return W.fail(What + " must be a string or an object with one key, not " +
                brief(V));
}

class Reader {
public:
  Expected<Module> readTop(const json::Value &Top);

private:
  Expected<Type> readType(const json::Value &V, const Where &W);
  Expected<Type> readTypeInner(const json::Value &V, const Where &W);
  Expected<Signature> readSignature(const json::Value &V, const Where &W);
  Expected<Constant> readConst(const json::Object &O, const Where &W);
  Expected<Operand> readOperand(const json::Value &V, StringRef What,
                                const Where &W);
  Expected<std::vector<Operand>> readOperands(const json::Object &O,
                                              StringRef Key, const Where &W);
  Expected<Inst> readInst(const json::Value &V, const Where &W);
  Error readField(Inst &I, const InstSchema &S, const FieldSchema &Fs,
                  const json::Object &O, const Where &W);
  Error readAggKind(Inst &I, const json::Value &V, const Where &W);
  Expected<Terminator> readTerminator(const json::Value *V, const Where &W);
  Expected<Local> readLocal(const json::Value &V, const Where &W);
  Expected<Block> readBlock(const json::Value &V, const Where &W);
  Expected<Function> readFunction(const json::Value &V, const Where &W,
                                  std::optional<int64_t> KeySymbol);
  Expected<ExternDecl> readExtern(const json::Value &V, const Where &W);

  static constexpr unsigned MaxTypeDepth = MaxTypeNesting;
  unsigned TypeDepth = 0;
};

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

Expected<Type> Reader::readType(const json::Value &V, const Where &W) {
  // Types nest by recursion; bound it so hostile input cannot exhaust the
  // stack.
  if (TypeDepth >= MaxTypeDepth)
    return W.fail("type nested more than " + Twine(MaxTypeDepth) +
                  " levels deep");
  ++TypeDepth;
  Expected<Type> T = readTypeInner(V, W);
  --TypeDepth;
  return T;
}

Expected<Type> Reader::readTypeInner(const json::Value &V, const Where &W) {
  if (std::optional<StringRef> S = V.getAsString()) {
#define X(E, Spelling)                                                         \
  if (*S == Spelling)                                                          \
    return Type(TypeKind::E);
    SPL_MIR_SCALAR_TYPES(X)
#undef X
    return W.fail("unknown type `" + *S + "`");
  }
  Expected<Tagged> T = asTagged(V, "a type", W);
  if (!T)
    return T.takeError();
  const json::Value &P = *T->Payload;

  if (T->Tag == "Ptr" || T->Tag == "Ref") {
    bool IsRef = T->Tag == "Ref";
    Expected<const json::Object *> O = asObject(P, "a " + T->Tag.str() + " type", W);
    if (!O)
      return O.takeError();
    Expected<const json::Value *> Pointee =
        required(**O, IsRef ? "referent" : "pointee", W);
    if (!Pointee)
      return Pointee.takeError();
    Expected<Type> Elem = readType(**Pointee, W);
    if (!Elem)
      return Elem.takeError();
    Expected<bool> Mut = asBool(field(**O, "mutable"), "mutable", W);
    if (!Mut)
      return Mut.takeError();
    return Type::ptr(std::move(*Elem), *Mut, IsRef);
  }
  if (T->Tag == "Array") {
    Expected<const json::Object *> O = asObject(P, "an Array type", W);
    if (!O)
      return O.takeError();
    Expected<const json::Value *> E = required(**O, "element", W);
    if (!E)
      return E.takeError();
    Expected<Type> Elem = readType(**E, W);
    if (!Elem)
      return Elem.takeError();
    Expected<const json::Value *> N = required(**O, "size", W);
    if (!N)
      return N.takeError();
    std::optional<uint64_t> Size = (*N)->getAsUINT64();
    if (!Size)
      return W.fail("array `size` must be a non-negative integer, not " +
                    brief(**N));
    return Type::array(std::move(*Elem), *Size);
  }
  if (T->Tag == "FuncPtr") {
    Expected<Signature> S = readSignature(P, W);
    if (!S)
      return S.takeError();
    return Type::funcPtr(std::move(*S));
  }
  if (T->Tag == "Tuple") {
    Expected<const json::Array *> A = asArray(P, "Tuple", W);
    if (!A)
      return A.takeError();
    std::vector<Type> Ms;
    for (const json::Value &M : **A) {
      Expected<Type> MT = readType(M, W);
      if (!MT)
        return MT.takeError();
      Ms.push_back(std::move(*MT));
    }
    return Type::withMembers(TypeKind::Tuple, std::move(Ms));
  }
  if (T->Tag == "Struct") {
    std::optional<int64_t> Id = P.getAsInteger();
    if (!Id)
      return W.fail("`Struct` must name a symbol id, not " + brief(P));
    return Type::withSymbol(TypeKind::Struct, *Id);
  }
  if (T->Tag == "Opaque") {
    std::optional<StringRef> Name = P.getAsString();
    if (!Name)
      return W.fail("`Opaque` must be a name, not " + brief(P));
    return Type::opaque(Name->str());
  }
  // (v2) Runtime handles. Their parts matter only for the round trip.
  if (T->Tag == "Enum") {
    std::optional<int64_t> Id = P.getAsInteger();
    if (!Id)
      return W.fail("`Enum` must name a symbol id, not " + brief(P));
    return Type::withSymbol(TypeKind::Enum, *Id);
  }
  // The handles with parts: {"Slice": T}, {"Union": [T...]},
  // {"Dict": {"key": K, "value": V}}, ...
  struct HandleShape {
    const char *Tag;
    TypeKind Kind;
    const char *Key1, *Key2; // object keys; null: a bare type (Key1 null)
                             // or an array (both "")
  };
  static const HandleShape Shapes[] = {
      {"Dict", TypeKind::Dict, "key", "value"},
      {"Result", TypeKind::Result, "ok", "err"},
      {"Generator", TypeKind::Generator, "yield", "return"},
      {"Slice", TypeKind::Slice, nullptr, nullptr},
      {"Promise", TypeKind::Promise, nullptr, nullptr},
      {"ActorType", TypeKind::Actor, nullptr, nullptr},
      {"Union", TypeKind::Union, "", ""},
  };
  for (const HandleShape &Sh : Shapes) {
    if (T->Tag != Sh.Tag)
      continue;
    std::vector<Type> Ms;
    if (!Sh.Key1) {
      Expected<Type> M = readType(P, W);
      if (!M)
        return M.takeError();
      Ms.push_back(std::move(*M));
      return Type::withMembers(Sh.Kind, std::move(Ms));
    }
    if (!*Sh.Key1) {
      Expected<const json::Array *> A = asArray(P, Sh.Tag, W);
      if (!A)
        return A.takeError();
      for (const json::Value &M : **A) {
        Expected<Type> MT = readType(M, W);
        if (!MT)
          return MT.takeError();
        Ms.push_back(std::move(*MT));
      }
      return Type::withMembers(Sh.Kind, std::move(Ms));
    }
    Expected<const json::Object *> O =
        asObject(P, "a " + std::string(Sh.Tag) + " type", W);
    if (!O)
      return O.takeError();
    for (const char *Key : {Sh.Key1, Sh.Key2}) {
      Expected<const json::Value *> V = required(**O, Key, W);
      if (!V)
        return V.takeError();
      Expected<Type> MT = readType(**V, W);
      if (!MT)
        return MT.takeError();
      Ms.push_back(std::move(*MT));
    }
    return Type::withMembers(Sh.Kind, std::move(Ms));
  }
  return W.fail("unknown type `" + T->Tag + "`");
}

Expected<Signature> Reader::readSignature(const json::Value &V,
                                          const Where &W) {
  Expected<const json::Object *> O = asObject(V, "a signature", W);
  if (!O)
    return O.takeError();
  Signature S;
  Expected<const json::Value *> Params = required(**O, "params", W);
  if (!Params)
    return Params.takeError();
  Expected<const json::Array *> A = asArray(**Params, "params", W);
  if (!A)
    return A.takeError();
  for (const json::Value &P : **A) {
    Expected<Type> T = readType(P, W);
    if (!T)
      return T.takeError();
    S.Params.push_back(std::move(*T));
  }
  // "return_type": null (and a missing one) is Unit: the serializer writes
  // null for functions that return nothing.
  const json::Value *Ret = field(**O, "return_type");
  if (Ret && Ret->kind() != json::Value::Null) {
    Expected<Type> T = readType(*Ret, W);
    if (!T)
      return T.takeError();
    S.Ret = std::move(*T);
  }
  Expected<bool> Var = asBool(field(**O, "is_variadic"), "is_variadic", W);
  if (!Var)
    return Var.takeError();
  S.Variadic = *Var;
  return S;
}

//===----------------------------------------------------------------------===//
// Constants and operands
//===----------------------------------------------------------------------===//

RawLiteral rawLiteral(const json::Value &V, const Type &T) {
  RawLiteral L;
  switch (V.kind()) {
  case json::Value::Null:
    L.K = RawLiteral::Kind::Null;
    break;
  case json::Value::Boolean:
    L.K = RawLiteral::Kind::Bool;
    L.Bits = *V.getAsBoolean();
    break;
  case json::Value::String:
    L.S = V.getAsString()->str();
    L.K = L.S == "Zero" ? RawLiteral::Kind::Zero : RawLiteral::Kind::Str;
    break;
  case json::Value::Number:
    // Floats read the number as a double directly: going through an integer
    // would lose -0.0.
    if (!T.isFloat()) {
      if (std::optional<int64_t> I = V.getAsInteger()) {
        L.K = RawLiteral::Kind::Int;
        L.Bits = uint64_t(*I);
        L.Negative = *I < 0;
        break;
      }
      if (std::optional<uint64_t> U = V.getAsUINT64()) {
        L.K = RawLiteral::Kind::Int;
        L.Bits = *U;
        break;
      }
    }
    L.K = RawLiteral::Kind::Float;
    L.F = *V.getAsNumber();
    break;
  default:
    // Arrays and objects: no constant has them; the message shows them.
    L.K = RawLiteral::Kind::Str;
    L.S = brief(V);
    break;
  }
  return L;
}

Expected<Constant> Reader::readConst(const json::Object &O, const Where &W) {
  Expected<const json::Value *> TV = required(O, "type", W);
  if (!TV)
    return TV.takeError();
  Expected<Type> T = readType(**TV, W);
  if (!T)
    return T.takeError();
  Expected<const json::Value *> V = required(O, "value", W);
  if (!V)
    return V.takeError();
  Expected<Constant> C = makeConstant(*T, rawLiteral(**V, *T));
  if (!C)
    return W.fail(llvm::toString(C.takeError()));
  return C;
}

Expected<Operand> Reader::readOperand(const json::Value &V, StringRef What,
                                      const Where &W) {
  const json::Object *O = V.getAsObject();
  if (O && O->size() == 1) {
    StringRef Tag = O->begin()->first;
    const json::Value &P = O->begin()->second;
    if (Tag == "Copy" || Tag == "Move") {
      Expected<uint32_t> L = asId(P, Tag, W);
      if (!L)
        return L.takeError();
      return Tag == "Copy" ? Operand::copy(*L) : Operand::move(*L);
    }
    if (Tag == "Const") {
      Expected<const json::Object *> C = asObject(P, "a `Const` operand", W);
      if (!C)
        return C.takeError();
      Expected<Constant> K = readConst(**C, W);
      if (!K)
        return K.takeError();
      return Operand::constant(std::move(*K));
    }
  }
  return W.fail("`" + What +
                "` must be an operand ({\"Copy\": n}, {\"Move\": n} or "
                "{\"Const\": {...}}), not " +
                brief(V));
}

Expected<std::vector<Operand>> Reader::readOperands(const json::Object &O,
                                                    StringRef Key,
                                                    const Where &W) {
  Expected<const json::Value *> V = required(O, Key, W);
  if (!V)
    return V.takeError();
  Expected<const json::Array *> A = asArray(**V, Key, W);
  if (!A)
    return A.takeError();
  std::vector<Operand> Ops;
  for (const json::Value &E : **A) {
    Expected<Operand> Op = readOperand(E, Key, W);
    if (!Op)
      return Op.takeError();
    Ops.push_back(std::move(*Op));
  }
  return Ops;
}

//===----------------------------------------------------------------------===//
// Instructions and terminators
//===----------------------------------------------------------------------===//

std::optional<Opcode> opcodeFromJson(StringRef Tag) {
#define X(E, J, T)                                                             \
  if (Tag == J)                                                                \
    return Opcode::E;
  SPL_MIR_INSTS(X)
#undef X
  return std::nullopt;
}

std::optional<BinOpKind> binOpFromName(StringRef S) {
#define X(E)                                                                   \
  if (S == #E)                                                                 \
    return BinOpKind::E;
  SPL_MIR_BINOPS(X)
#undef X
  return std::nullopt;
}

std::optional<UnOpKind> unOpFromName(StringRef S) {
#define X(E)                                                                   \
  if (S == #E)                                                                 \
    return UnOpKind::E;
  SPL_MIR_UNOPS(X)
#undef X
  return std::nullopt;
}

/// The instruction (or terminator) inside the old serializer's wrapper
/// {"kind": X, ...}, or V itself when it is not wrapped. A wrapped object has
/// a "kind" key and no key that is itself a known tag.
const json::Value &unwrapKind(const json::Value &V,
                              llvm::function_ref<bool(StringRef)> IsKnown) {
  const json::Value *Cur = &V;
  for (int Depth = 0; Depth < 4; ++Depth) {
    const json::Object *O = Cur->getAsObject();
    const json::Value *K = O ? O->get("kind") : nullptr;
    if (!K || llvm::any_of(*O, [&](const auto &KV) { return IsKnown(KV.first); }))
      break;
    Cur = K;
  }
  return *Cur;
}

Expected<Inst> Reader::readInst(const json::Value &Raw, const Where &W) {
  auto IsKnown = [](StringRef K) {
    return opcodeFromJson(K) || K == "Unsupported";
  };
  const json::Value &V = unwrapKind(Raw, IsKnown);
  Expected<Tagged> T = asTagged(V, "an instruction", W, IsKnown);
  if (!T)
    return T.takeError();
  StringRef Tag = T->Tag;
  if (Tag == "UnsupportedInst")
    return W.fail("unsupported instruction `UnsupportedInst` (the compiler "
                  "could not serialize it)");
  if (Tag == "Unsupported") {
    std::string What = T->Payload ? brief(*T->Payload) : "";
    if (T->Payload)
      if (std::optional<StringRef> S = T->Payload->getAsString())
        What = S->str();
    return W.fail("unsupported instruction `Unsupported`" +
                  (What.empty() ? std::string() : " (" + What + ")"));
  }
  std::optional<Opcode> Op = opcodeFromJson(Tag);
  if (!Op)
    return W.fail("unknown instruction kind `" + Tag + "`");

  Inst I;
  I.Op = *Op;
  const InstSchema &S = instSchema(I.Op);
  llvm::ArrayRef<FieldSchema> Fields = S.fields();
  if (Fields.empty())
    return I; // Nop: nothing to read, whatever the payload
  if (Fields[0].Kind == FieldKind::Verbatim) {
    // No effect; kept verbatim (compact) so it survives a round trip.
    I.setPayload(T->Payload ? llvm::formatv("{0}", *T->Payload).str() : "null");
    return I;
  }
  if (!T->Payload)
    return W.fail("instruction `" + Tag + "` needs its fields");
  Expected<const json::Object *> OP =
      asObject(*T->Payload, "instruction `" + Tag.str() + "`", W);
  if (!OP)
    return OP.takeError();
  const json::Object &O = **OP;

  // dest: null or absent reads as none; whether the instruction needs one
  // is the verifier's to say (it names the instruction).
  if (S.Dest != DestRule::None) {
    const json::Value *D = field(O, "dest");
    if (D && D->kind() != json::Value::Null) {
      Expected<uint32_t> L = asId(*D, "dest", W);
      if (!L)
        return L.takeError();
      I.setDest(*L);
    }
  }
  for (const FieldSchema &Fs : Fields)
    if (Error E = readField(I, S, Fs, O, W))
      return E;
  return I;
}

Error Reader::readField(Inst &I, const InstSchema &S, const FieldSchema &Fs,
                        const json::Object &O, const Where &W) {
  StringRef Key = Fs.Key;
  auto Operand1 = [&]() -> Error {
    Expected<const json::Value *> V = required(O, Key, W);
    if (!V)
      return V.takeError();
    Expected<Operand> Op = readOperand(**V, Key, W);
    if (!Op)
      return Op.takeError();
    I.addOp(std::move(*Op));
    return Error::success();
  };
  auto Append = [&](Expected<std::vector<Operand>> Ops) -> Error {
    if (!Ops)
      return Ops.takeError();
    for (Operand &Op : *Ops)
      I.addOp(std::move(Op));
    return Error::success();
  };
  auto Name = [&]() -> Expected<StringRef> {
    Expected<const json::Value *> V = required(O, Key, W);
    if (!V)
      return V.takeError();
    if (std::optional<StringRef> Str = (*V)->getAsString())
      return *Str;
    return W.fail("`" + Key + "` must be a string, not " + brief(**V));
  };

  switch (Fs.Kind) {
  case FieldKind::End:
  case FieldKind::Verbatim:
    return Error::success();
  case FieldKind::Const: {
    Expected<Constant> C = readConst(O, W);
    if (!C)
      return C.takeError();
    I.setConstant(std::move(*C));
    return Error::success();
  }
  case FieldKind::Src: {
    // src is a bare local in the serializer's shape; an operand object is
    // accepted too. A bare local reads the way the instruction says.
    Expected<const json::Value *> Src = required(O, Key, W);
    if (!Src)
      return Src.takeError();
    if ((*Src)->kind() == json::Value::Number) {
      Expected<uint32_t> L = asId(**Src, Key, W);
      if (!L)
        return L.takeError();
      I.addOp(I.Op == Opcode::Copy ? Operand::copy(*L)
                                           : Operand::move(*L));
      return Error::success();
    }
    return Operand1();
  }
  case FieldKind::Operand:
    return Operand1();
  case FieldKind::Operands:
    return Append(readOperands(O, Key, W));
  case FieldKind::Call: {
    Expected<const json::Value *> F = required(O, Key, W);
    if (!F)
      return F.takeError();
    Expected<Operand> Callee = readOperand(**F, Key, W);
    if (!Callee)
      return Callee.takeError();
    I.setCallee(std::move(*Callee));
    return Append(readOperands(O, "args", W));
  }
  case FieldKind::Type: {
    Expected<const json::Value *> V = required(O, Key, W);
    if (!V)
      return V.takeError();
    Expected<Type> Ty = readType(**V, W);
    if (!Ty)
      return Ty.takeError();
    I.setType(std::move(*Ty));
    return Error::success();
  }
  case FieldKind::Signature: {
    Expected<const json::Value *> V = required(O, Key, W);
    if (!V)
      return V.takeError();
    Expected<Signature> Sig = readSignature(**V, W);
    if (!Sig)
      return Sig.takeError();
    I.setSig(std::move(*Sig));
    return Error::success();
  }
  case FieldKind::BinOp: {
    Expected<StringRef> N = Name();
    if (!N)
      return N.takeError();
    std::optional<BinOpKind> K = binOpFromName(*N);
    if (!K)
      return W.fail("unknown binary operator `" + *N + "`");
    I.Bin = *K;
    return Error::success();
  }
  case FieldKind::UnOp: {
    Expected<StringRef> N = Name();
    if (!N)
      return N.takeError();
    std::optional<UnOpKind> K = unOpFromName(*N);
    if (!K)
      return W.fail("unknown unary operator `" + *N + "`");
    I.Un = *K;
    return Error::success();
  }
  case FieldKind::Intrinsic: {
    Expected<StringRef> N = Name();
    if (!N)
      return N.takeError();
    if (std::optional<IntrinsicKind> K = lookupIntrinsic(*N)) {
      I.Intr = *K;
      return Error::success();
    }
    // (v2) Any other name calls the extern `__simple_intrinsic_<name>`.
    if (N->empty())
      return W.fail("the intrinsic name must not be empty");
    I.Intr = IntrinsicKind::Extern;
    I.setName(N->str());
    return Error::success();
  }
  case FieldKind::Index: {
    Expected<const json::Value *> V = required(O, Key, W);
    if (!V)
      return V.takeError();
    std::optional<int64_t> N = (*V)->getAsInteger();
    if (!N || *N < 0 || *N > int64_t(UINT32_MAX))
      return W.fail("`" + Key + "` must be a field index (an integer from 0 "
                    "to " + Twine(UINT32_MAX) + "), not " + brief(**V));
    I.Field = uint32_t(*N);
    return Error::success();
  }
  case FieldKind::Symbol: {
    Expected<const json::Value *> V = required(O, Key, W);
    if (!V)
      return V.takeError();
    std::optional<int64_t> N = (*V)->getAsInteger();
    if (!N)
      return W.fail("`" + Key + "` must be a symbol id (an integer), not " +
                    brief(**V));
    I.setSymbol(*N);
    return Error::success();
  }
  case FieldKind::Flag: {
    Expected<bool> B = asBool(field(O, Key), Key, W);
    if (!B)
      return B.takeError();
    I.Mutable = *B;
    return Error::success();
  }
  case FieldKind::AggKind: {
    Expected<const json::Value *> V = required(O, Key, W);
    if (!V)
      return V.takeError();
    return readAggKind(I, **V, W);
  }
  case FieldKind::Rest: {
    // Everything no other field of the row reads, verbatim and compact.
    json::Object Rest;
    for (const auto &KV : O) {
      StringRef K = KV.first;
      bool Taken = (S.Dest != DestRule::None && K == "dest") ||
                   llvm::any_of(S.fields(), [&](const FieldSchema &Other) {
                     return *Other.Key && K == Other.Key;
                   });
      if (!Taken)
        Rest[K] = KV.second;
    }
    I.setPayload(llvm::formatv("{0}", json::Value(std::move(Rest))).str());
    return Error::success();
  }
  }
  return Error::success();
}

Error Reader::readAggKind(Inst &I, const json::Value &V, const Where &W) {
  Expected<Tagged> K = asTagged(V, "an aggregate kind", W);
  if (!K)
    return K.takeError();
  StringRef Tag = K->Tag;
  const json::Value *P = K->Payload;
  bool NoPayload = !P || P->kind() == json::Value::Null;
  if (Tag == "Tuple") {
    I.Agg = AggKind::Tuple;
    return Error::success();
  }
  if ((Tag == "Struct" || Tag == "Enum" || Tag == "Array") && NoPayload)
    return W.fail("aggregate kind `" + Tag + "` needs its " +
                  (Tag == "Array" ? "element type" : "symbol"));
  if (Tag == "Struct") {
    std::optional<int64_t> Sym = P->getAsInteger();
    if (!Sym)
      return W.fail("aggregate kind `Struct` must name a symbol id, not " +
                    brief(*P));
    I.Agg = AggKind::Struct;
    I.setSymbol(*Sym);
    return Error::success();
  }
  if (Tag == "Array") {
    Expected<Type> T = readType(*P, W);
    if (!T)
      return T.takeError();
    I.Agg = AggKind::Array;
    I.setType(std::move(*T));
    return Error::success();
  }
  if (Tag == "Enum") {
    Expected<const json::Object *> O = asObject(*P, "aggregate kind `Enum`", W);
    if (!O)
      return O.takeError();
    Expected<const json::Value *> SymV = required(**O, "symbol", W);
    if (!SymV)
      return SymV.takeError();
    std::optional<int64_t> Sym = (*SymV)->getAsInteger();
    if (!Sym)
      return W.fail("`symbol` must be a symbol id (an integer), not " +
                    brief(**SymV));
    Expected<const json::Value *> VarV = required(**O, "variant", W);
    if (!VarV)
      return VarV.takeError();
    Expected<uint32_t> Var = asId(**VarV, "variant", W);
    if (!Var)
      return Var.takeError();
    I.Agg = AggKind::Enum;
    I.setSymbol(*Sym);
    I.setVariant(*Var);
    return Error::success();
  }
  return W.fail("unknown aggregate kind `" + Tag + "`");
}

std::optional<TermKind> termFromJson(StringRef Tag) {
#define X(E, J, T)                                                             \
  if (Tag == J)                                                                \
    return TermKind::E;
  SPL_MIR_TERMINATORS(X)
#undef X
  return std::nullopt;
}

Expected<Terminator> Reader::readTerminator(const json::Value *Raw,
                                            const Where &W) {
  Terminator T;
  // A block without one reads as TermKind::None; the verifier names it.
  if (!Raw || Raw->kind() == json::Value::Null)
    return T;
  // (v2) The old serializer's {"kind": "throw"|"resume", "value": op}:
  // raise with type tag 0.
  if (const json::Object *O = Raw->getAsObject())
    if (const json::Value *K = O->get("kind"))
      if (std::optional<StringRef> KS = K->getAsString();
          KS && (*KS == "throw" || *KS == "resume")) {
        T.K = *KS == "throw" ? TermKind::Throw : TermKind::Resume;
        T.LegacyForm = true;
        Expected<const json::Value *> P = required(*O, "value", W);
        if (!P)
          return P.takeError();
        Expected<Operand> Op = readOperand(**P, "value", W);
        if (!Op)
          return Op.takeError();
        T.Value = std::move(*Op);
        T.Tag = Operand::constant(Constant::integer(TypeKind::I64, 0));
        return T;
      }
  const json::Value *V = &unwrapKind(
      *Raw, [](StringRef K) { return termFromJson(K).has_value(); });
  Expected<Tagged> Tg = asTagged(*V, "a terminator", W);
  if (!Tg)
    return Tg.takeError();
  StringRef Tag = Tg->Tag;
  const json::Value *P = Tg->Payload;
  bool NoPayload = !P || P->kind() == json::Value::Null;

  auto BlockRef = [&](const json::Value *B, StringRef What) -> Expected<uint32_t> {
    if (!B)
      return W.fail("missing field `" + What + "`");
    return asId(*B, What, W);
  };
  // A local id or null/absent.
  auto OptLocal = [&](const json::Object &O, StringRef Key,
                      std::optional<uint32_t> &Out) -> Error {
    const json::Value *L = O.get(Key);
    if (!L || L->kind() == json::Value::Null)
      return Error::success();
    Expected<uint32_t> Id = asId(*L, Key, W);
    if (!Id)
      return Id.takeError();
    Out = *Id;
    return Error::success();
  };
  auto Fields = [&]() -> Expected<const json::Object *> {
    if (!P)
      return W.fail("terminator `" + Tag + "` needs its fields");
    return asObject(*P, "terminator `" + Tag.str() + "`", W);
  };
  auto OperandField = [&](const json::Object &O,
                          StringRef Key) -> Expected<Operand> {
    Expected<const json::Value *> C = required(O, Key, W);
    if (!C)
      return C.takeError();
    return readOperand(**C, Key, W);
  };

  if (Tag == "Unreachable") {
    T.K = TermKind::Unreachable;
    return T;
  }
  if (Tag == "Return") {
    T.K = TermKind::Return;
    if (!NoPayload) {
      Expected<Operand> Op = readOperand(*P, "Return", W);
      if (!Op)
        return Op.takeError();
      T.Value = std::move(*Op);
    }
    return T;
  }
  if (Tag == "Goto") {
    T.K = TermKind::Goto;
    const json::Value *B = P;
    if (P && P->getAsObject())
      B = P->getAsObject()->get("target");
    Expected<uint32_t> Id = BlockRef(B, "Goto");
    if (!Id)
      return Id.takeError();
    T.Target = *Id;
    return T;
  }
  if (Tag == "Abort") {
    T.K = TermKind::Abort;
    const json::Value *M = P;
    if (P && P->getAsObject())
      M = P->getAsObject()->get("message");
    if (M && M->kind() != json::Value::Null) {
      std::optional<StringRef> S = M->getAsString();
      if (!S)
        return W.fail("`Abort` must carry a message string, not " + brief(*M));
      T.Message = S->str();
    }
    return T;
  }
  if (Tag == "If" || Tag == "Switch") {
    Expected<const json::Object *> O = Fields();
    if (!O)
      return O.takeError();
    Expected<Operand> Op = OperandField(**O, Tag == "If" ? "cond" : "value");
    if (!Op)
      return Op.takeError();
    T.Value = std::move(*Op);
    if (Tag == "If") {
      T.K = TermKind::If;
      Expected<uint32_t> Then = BlockRef((*O)->get("then"), "then");
      if (!Then)
        return Then.takeError();
      Expected<uint32_t> Else = BlockRef((*O)->get("else"), "else");
      if (!Else)
        return Else.takeError();
      T.Target = *Then;
      T.Else = *Else;
      return T;
    }
    T.K = TermKind::Switch;
    Expected<const json::Value *> Ts = required(**O, "targets", W);
    if (!Ts)
      return Ts.takeError();
    Expected<const json::Array *> A = asArray(**Ts, "targets", W);
    if (!A)
      return A.takeError();
    for (const json::Value &E : **A) {
      Expected<const json::Object *> CO = asObject(E, "a switch target", W);
      if (!CO)
        return CO.takeError();
      Expected<const json::Value *> CV = required(**CO, "value", W);
      if (!CV)
        return CV.takeError();
      SwitchCase SC;
      // Case values in slot form: negative numbers sign-extended.
      if (std::optional<int64_t> N = (*CV)->getAsInteger())
        SC.Value = uint64_t(*N);
      else if (std::optional<uint64_t> U = (*CV)->getAsUINT64())
        SC.Value = *U;
      else if (std::optional<bool> B = (*CV)->getAsBoolean())
        SC.Value = *B;
      else
        return W.fail("a switch case value must be an integer, not " +
                      brief(**CV));
      Expected<uint32_t> Target = BlockRef((*CO)->get("target"), "target");
      if (!Target)
        return Target.takeError();
      SC.Target = *Target;
      T.Cases.push_back(SC);
    }
    Expected<uint32_t> Def = BlockRef((*O)->get("default"), "default");
    if (!Def)
      return Def.takeError();
    T.Target = *Def;
    return T;
  }
  if (Tag == "CallTerminator") {
    // (v2) A call that ends its block: normal and unwind successors.
    T.K = TermKind::CallTerminator;
    Expected<const json::Object *> OP = Fields();
    if (!OP)
      return OP.takeError();
    const json::Object &O = **OP;
    if (Error E = OptLocal(O, "dest", T.Dest))
      return E;
    Expected<Operand> Callee = OperandField(O, "func");
    if (!Callee)
      return Callee.takeError();
    T.Callee = std::move(*Callee);
    Expected<std::vector<Operand>> Args = readOperands(O, "args", W);
    if (!Args)
      return Args.takeError();
    T.Args = std::move(*Args);
    Expected<uint32_t> Normal = BlockRef(O.get("normal"), "normal");
    if (!Normal)
      return Normal.takeError();
    T.Target = *Normal;
    std::optional<uint32_t> Unwind;
    if (Error E = OptLocal(O, "unwind", Unwind))
      return E;
    T.Unwind = Unwind;
    if (Error E = OptLocal(O, "unwind_payload_dest", T.PayloadDest))
      return E;
    if (Error E = OptLocal(O, "unwind_type_tag_dest", T.TagDest))
      return E;
    // Older serializers: "unwind_contract" instead of the two dests.
    if (const json::Value *C = O.get("unwind_contract");
        C && C->kind() != json::Value::Null) {
      std::optional<StringRef> S = C->getAsString();
      if (!S)
        return W.fail("`unwind_contract` must be a string, not " + brief(*C));
      T.UnwindContract = S->str();
    }
    return T;
  }
  if (Tag == "Throw" || Tag == "Resume") {
    T.K = Tag == "Throw" ? TermKind::Throw : TermKind::Resume;
    Expected<const json::Object *> O = Fields();
    if (!O)
      return O.takeError();
    Expected<Operand> Payload = OperandField(**O, "payload");
    if (!Payload)
      return Payload.takeError();
    T.Value = std::move(*Payload);
    Expected<Operand> TypeTag = OperandField(**O, "type_tag");
    if (!TypeTag)
      return TypeTag.takeError();
    T.Tag = std::move(*TypeTag);
    return T;
  }
  return W.fail("unknown terminator kind `" + Tag + "`");
}

//===----------------------------------------------------------------------===//
// Locals, blocks, functions, modules
//===----------------------------------------------------------------------===//

Expected<std::optional<std::string>> optionalString(const json::Object &O,
                                                    StringRef Key,
                                                    const Where &W) {
  const json::Value *V = O.get(Key);
  if (!V || V->kind() == json::Value::Null)
    return std::nullopt;
  if (std::optional<StringRef> S = V->getAsString())
    return std::optional<std::string>(S->str());
  return W.fail("`" + Key + "` must be a string or null, not " + brief(*V));
}

Expected<Local> Reader::readLocal(const json::Value &V, const Where &At) {
  Expected<const json::Object *> O = asObject(V, "a local", At);
  if (!O)
    return O.takeError();
  Expected<const json::Value *> IdV = required(**O, "id", At);
  if (!IdV)
    return IdV.takeError();
  Local L;
  Expected<uint32_t> Id = asId(**IdV, "id", At);
  if (!Id)
    return Id.takeError();
  L.Id = *Id;
  Where W = At / ("local _" + Twine(L.Id));
  Expected<std::optional<std::string>> Name = optionalString(**O, "name", W);
  if (!Name)
    return Name.takeError();
  L.Name = std::move(*Name);
  Expected<const json::Value *> TV = required(**O, "type", W);
  if (!TV)
    return TV.takeError();
  Expected<Type> T = readType(**TV, W);
  if (!T)
    return T.takeError();
  L.Ty = std::move(*T);
  Expected<const json::Value *> KV = required(**O, "kind", W);
  if (!KV)
    return KV.takeError();
  Expected<Tagged> K = asTagged(**KV, "a local kind", W);
  if (!K)
    return K.takeError();
  if (K->Tag == "Return")
    L.Kind = LocalKind::Return;
  else if (K->Tag == "Var")
    L.Kind = LocalKind::Var;
  else if (K->Tag == "Temp")
    L.Kind = LocalKind::Temp;
  else if (K->Tag == "Arg" && K->Payload) {
    Expected<uint32_t> I = asId(*K->Payload, "Arg", W);
    if (!I)
      return I.takeError();
    L.Kind = LocalKind::Arg;
    L.ArgIndex = *I;
  } else {
    return W.fail("unknown local kind `" + K->Tag + "`");
  }
  return L;
}

Expected<Block> Reader::readBlock(const json::Value &V, const Where &At) {
  Expected<const json::Object *> O = asObject(V, "a block", At);
  if (!O)
    return O.takeError();
  Expected<const json::Value *> IdV = required(**O, "id", At);
  if (!IdV)
    return IdV.takeError();
  Expected<uint32_t> Id = asId(**IdV, "id", At);
  if (!Id)
    return Id.takeError();
  Block B;
  B.Id = *Id;
  Where W = At / ("block " + Twine(B.Id));
  Expected<std::optional<std::string>> Label = optionalString(**O, "label", W);
  if (!Label)
    return Label.takeError();
  B.Label = std::move(*Label);
  Expected<const json::Value *> IV = required(**O, "instructions", W);
  if (!IV)
    return IV.takeError();
  Expected<const json::Array *> Insts = asArray(**IV, "instructions", W);
  if (!Insts)
    return Insts.takeError();
  for (size_t Idx = 0; Idx < (*Insts)->size(); ++Idx) {
    Expected<Inst> I =
        readInst((**Insts)[Idx], W / ("instruction " + Twine(Idx)));
    if (!I)
      return I.takeError();
    B.Insts.push_back(std::move(*I));
  }
  Expected<Terminator> T = readTerminator((*O)->get("terminator"),
                                          W / "terminator");
  if (!T)
    return T.takeError();
  B.Term = std::move(*T);
  return B;
}

Expected<Function> Reader::readFunction(const json::Value &V, const Where &At,
                                        std::optional<int64_t> KeySymbol) {
  Expected<const json::Object *> OP = asObject(V, "a function", At);
  if (!OP)
    return OP.takeError();
  const json::Object &O = **OP;
  Function F;
  Expected<const json::Value *> NameV = required(O, "name", At);
  if (!NameV)
    return NameV.takeError();
  std::optional<StringRef> Name = (*NameV)->getAsString();
  if (!Name)
    return At.fail("`name` must be a string, not " + brief(**NameV));
  F.Name = Name->str();
  Where W("function `" + F.Name + "`");

  if (const json::Value *S = O.get("symbol")) {
    std::optional<int64_t> Sym = S->getAsInteger();
    if (!Sym)
      return W.fail("`symbol` must be an integer, not " + brief(*S));
    F.Symbol = *Sym;
  } else if (KeySymbol) {
    F.Symbol = *KeySymbol;
  }

  Expected<const json::Value *> SigV = required(O, "signature", W);
  if (!SigV)
    return SigV.takeError();
  Expected<Signature> Sig = readSignature(**SigV, W / "signature");
  if (!Sig)
    return Sig.takeError();
  F.Sig = std::move(*Sig);

  Expected<const json::Value *> LV = required(O, "locals", W);
  if (!LV)
    return LV.takeError();
  Expected<const json::Array *> Locals = asArray(**LV, "locals", W);
  if (!Locals)
    return Locals.takeError();
  for (size_t I = 0; I < (*Locals)->size(); ++I) {
    Expected<Local> L = readLocal((**Locals)[I], W);
    if (!L)
      return L.takeError();
    F.Locals.push_back(std::move(*L));
  }

  Expected<const json::Value *> BV = required(O, "blocks", W);
  if (!BV)
    return BV.takeError();
  Expected<const json::Array *> Blocks = asArray(**BV, "blocks", W);
  if (!Blocks)
    return Blocks.takeError();
  for (size_t I = 0; I < (*Blocks)->size(); ++I) {
    Expected<Block> B = readBlock((**Blocks)[I], W);
    if (!B)
      return B.takeError();
    F.Blocks.push_back(std::move(*B));
  }

  if (const json::Value *E = O.get("entry_block");
      E && E->kind() != json::Value::Null) {
    Expected<uint32_t> Id = asId(*E, "entry_block", W);
    if (!Id)
      return Id.takeError();
    F.EntryBlock = *Id;
  } else if (!F.Blocks.empty()) {
    F.EntryBlock = F.Blocks.front().Id;
  }
  F.reindex();
  return F;
}

Expected<ExternDecl> Reader::readExtern(const json::Value &V,
                                        const Where &At) {
  Expected<const json::Object *> O = asObject(V, "an extern", At);
  if (!O)
    return O.takeError();
  Expected<const json::Value *> NameV = required(**O, "name", At);
  if (!NameV)
    return NameV.takeError();
  std::optional<StringRef> Name = (*NameV)->getAsString();
  if (!Name)
    return At.fail("`name` must be a string, not " + brief(**NameV));
  ExternDecl D;
  D.Name = Name->str();
  Where W("extern `" + D.Name + "`");
  Expected<const json::Value *> SigV = required(**O, "signature", W);
  if (!SigV)
    return SigV.takeError();
  Expected<Signature> Sig = readSignature(**SigV, W);
  if (!Sig)
    return Sig.takeError();
  D.Sig = std::move(*Sig);
  return D;
}

Expected<Module> Reader::readTop(const json::Value &Top) {
  const json::Object *O = Top.getAsObject();
  if (!O)
    return makeError("expected a module or function object at the top "
                     "level, not " +
                     brief(Top));
  Module M;
  if (!O->get("functions")) {
    // A bare function, as the compiler's JIT path sends one at a time.
    if (!O->get("blocks") && !O->get("signature"))
      return makeError("expected a module (with `functions`) or a function "
                       "(with `signature` and `blocks`) at the top level");
    Expected<Function> F = readFunction(Top, Where("function"), std::nullopt);
    if (!F)
      return F.takeError();
    M.Name = F->Name;
    M.Functions.push_back(std::move(*F));
    return M;
  }

  Where W("module");
  Expected<std::optional<std::string>> Name = optionalString(*O, "name", W);
  if (!Name)
    return Name.takeError();
  M.Name = Name->value_or("");

  if (const json::Value *EV = O->get("externs");
      EV && EV->kind() != json::Value::Null) {
    Expected<const json::Array *> Es = asArray(*EV, "externs", W);
    if (!Es)
      return Es.takeError();
    for (size_t I = 0; I < (*Es)->size(); ++I) {
      Expected<ExternDecl> D =
          readExtern((**Es)[I], Where("extern " + std::to_string(I)));
      if (!D)
        return D.takeError();
      M.Externs.push_back(std::move(*D));
    }
  }

  const json::Value &FV = *O->get("functions");
  if (const json::Array *A = FV.getAsArray()) {
    for (size_t I = 0; I < A->size(); ++I) {
      Expected<Function> F =
          readFunction((*A)[I], Where("function " + std::to_string(I)),
                       std::nullopt);
      if (!F)
        return F.takeError();
      M.Functions.push_back(std::move(*F));
    }
    return M;
  }
  if (const json::Object *FO = FV.getAsObject()) {
    // Keyed by symbol id. json::Object is unordered: sort the keys
    // (numerically where they are numbers) so the module is deterministic.
    std::vector<std::pair<std::string, const json::Value *>> Items;
    for (const auto &KV : *FO)
      Items.emplace_back(KV.first.str(), &KV.second);
    auto Num = [](const std::string &S) -> std::optional<int64_t> {
      int64_t N;
      if (llvm::to_integer(S, N, 10))
        return N;
      return std::nullopt;
    };
    std::sort(Items.begin(), Items.end(), [&](const auto &A, const auto &B) {
      std::optional<int64_t> NA = Num(A.first), NB = Num(B.first);
      if (NA && NB)
        return *NA < *NB;
      if (NA || NB)
        return bool(NA);
      return A.first < B.first;
    });
    for (const auto &[Key, Value] : Items) {
      Expected<Function> F =
          readFunction(*Value, Where("function `" + Key + "`"), Num(Key));
      if (!F)
        return F.takeError();
      M.Functions.push_back(std::move(*F));
    }
    return M;
  }
  return W.fail("`functions` must be an array or an object keyed by symbol "
                "id, not " +
                brief(FV));
}

} // namespace

llvm::Expected<Module> readJSONWithLLVM(llvm::StringRef Text) {
  // The serializer's NaN/inf tokens and raw control characters first.
  CleanJSON Clean(Text);
  if (std::optional<size_t> At = Clean.tooDeepAt())
    return makeError("JSON nested too deeply: " + Clean.positionOf(*At) +
                     ": more than " + Twine(MaxJSONNesting) +
                     " levels of arrays and objects");
  if (std::optional<size_t> At = Clean.loneSurrogateAt())
    return makeError("malformed JSON: " + Clean.positionOf(*At) +
                     ": a lone UTF-16 surrogate escape (" +
                     Text.substr(*At, 6) + ") is not a character");
  Expected<json::Value> V = json::parse(Clean.text());
  if (!V)
    return makeError("malformed JSON: " +
                     Clean.remapError(llvm::toString(V.takeError())));
  return Reader().readTop(*V);
}

} // namespace spl::mir
