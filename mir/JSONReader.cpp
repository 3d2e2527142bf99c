//===- mir/JSONReader.cpp - The compiler's MIR JSON -> mir::Module --------===//
//
// Reads the wire shape of ../shared/MIR.md through the view of JSONView.h,
// which parses the text once and hands out the module's functions one at a
// time (each is read into the model before the next is parsed). The
// serializer is newer than we are and adds fields, so unknown fields are
// ignored; but anything we would have to guess about (an unknown
// instruction, a missing field, a wrong type) is an error naming the
// function, block and instruction, never a partial module.
//
// This reader only ever succeeds or declines. Whatever it declines - JSON
// that the view rejects or might read differently from llvm::json, the
// serializer's quirks (its NaN/inf tokens, raw control characters: then the
// quirks pass's text is tried once more), and every semantic error - goes
// to the llvm::json reader (JSONReaderLLVM.cpp), whose messages are the
// precise ones. So the messages below are never shown; they stay so that
// this file and JSONReaderLLVM.cpp read line for line alike.
//
//===----------------------------------------------------------------------===//
#include "mir/InstSchema.h"
#include "mir/JSONQuirks.h"
#include "mir/JSONReaders.h"
#include "mir/JSONView.h"
#include "mir/Literals.h"
#include "mir/MIR.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

namespace spl::mir {

namespace json = llvm::json;
using jsonview::JArray;
using jsonview::JObject;
using jsonview::JValue;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

/// Where we are, for messages - which the fallback reader gives: an error
/// here only says "decline", and nothing is spent on the place.
class Where {
public:
  Where() = default;
  Where(const Twine &) {}
  Where operator/(const Twine &) const { return Where(); }
  Error fail(const Twine &) const { return makeError("declined"); }
};

/// An object or array read where llvm::json handed out a pointer into its
/// DOM: the view itself, held by the caller (`**O`, `(*O)->get(...)` read
/// as before).
struct JObjectRef {
  JObject O;
  const JObject &operator*() const { return O; }
  const JObject *operator->() const { return &O; }
};
struct JArrayRef {
  JArray A;
  JArray &operator*() { return A; }
};

// How a JSON value is spelled in messages: short, on one line.
std::string brief(const JValue &V) {
  std::string S = llvm::formatv("{0}", jsonview::toJSON(V)).str();
  if (S.size() > 40)
    S = S.substr(0, 37) + "...";
  return S;
}

const JValue *field(const JObject &O, StringRef Key) { return O.get(Key); }

Expected<const JValue *> required(const JObject &O, StringRef Key,
                                  const Where &W) {
  if (const JValue *V = O.get(Key))
    return V;
  return W.fail("missing field `" + Key + "`");
}

Expected<JObjectRef> asObject(const JValue &V, StringRef What, const Where &W) {
  if (V.isObject())
    return JObjectRef{JObject(V)};
  return W.fail(What + " must be an object, not " + brief(V));
}

Expected<JArrayRef> asArray(const JValue &V, StringRef What, const Where &W) {
  if (V.isArray())
    return JArrayRef{JArray(V)};
  return W.fail("`" + What + "` must be an array, not " + brief(V));
}

Expected<uint32_t> asId(const JValue &V, StringRef What, const Where &W) {
  std::optional<int64_t> N = V.getAsInteger();
  if (!N || *N < 0 || *N > int64_t(UINT32_MAX))
    return W.fail("`" + What + "` must be an id (an integer from 0 to " +
                  Twine(UINT32_MAX) + "), not " + brief(V));
  return uint32_t(*N);
}

Expected<bool> asBool(const JValue *V, StringRef What, const Where &W) {
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
  std::optional<JValue> Payload; // none for the bare string form
};

/// With IsKnown, an object with several keys is accepted when exactly one
/// of them is a known tag: the others are fields a newer serializer added.
/// Read: V's fields when the caller has them already (unwrapKind).
Expected<Tagged> asTagged(const JValue &V, StringRef What, const Where &W,
                          llvm::function_ref<bool(StringRef)> IsKnown = {},
                          const JObject *Read = nullptr) {
  if (std::optional<StringRef> S = V.getAsString())
    return Tagged{*S, std::nullopt};
  if (V.isObject()) {
    std::optional<JObject> Own;
    const JObject &O = Read ? *Read : Own.emplace(V);
    if (O.size() == 1)
      return Tagged{O.begin()->first, O.begin()->second};
    if (IsKnown) {
      std::optional<Tagged> Found;
      unsigned N = 0;
      for (const auto &KV : O)
        if (IsKnown(KV.first)) {
          Found = Tagged{KV.first, KV.second};
          ++N;
        }
      if (N == 1)
        return *Found;
    }
  }
  return W.fail(What + " must be a string or an object with one key, not " +
                brief(V));
}

/// The module's functions, read one at a time while the document is parsed
/// (JSONDocument::parse hands them out and forgets them).
struct StreamedFunctions {
  bool IsObject = false;
  // The array form's are the module's own, moved in whole at the end.
  // Grown by makeRoom alone (Function's move may throw, so a growing vector
  // would copy every function, the copies beside the originals).
  std::vector<Function> Functions;
  // The object form: each function's key; a repeated key replaces the
  // function it had (the last wins, as in llvm::json).
  std::vector<std::string> Keys;
  llvm::StringMap<size_t> ByKey;
  void start(bool Object) {
    IsObject = Object;
    Functions.clear();
    Keys.clear();
    ByKey.clear();
  }
  /// Before another function is added: room for it. The second one counts
  /// those still to come (a pass over the rest of the text: a module of one
  /// function makes none), at most what TextSize can hold (the count is not
  /// checked yet: malformed text must not reserve more than a valid module
  /// of its size could need).
  void makeRoom(llvm::function_ref<size_t()> Left, size_t TextSize) {
    if (Functions.size() < Functions.capacity())
      return;
    // {"name":"","signature":{"params":[]},"locals":[],"blocks":[]}
    constexpr size_t SmallestFunction = 62;
    size_t More = Functions.empty()
                      ? 1
                      : 1 + std::min(Left(), TextSize / SmallestFunction);
    // Moved by hand: reserve() would copy them.
    std::vector<Function> Bigger;
    Bigger.reserve(Functions.size() + More);
    for (Function &F : Functions)
      Bigger.push_back(std::move(F));
    Functions.swap(Bigger);
  }
};

std::optional<int64_t> keySymbol(StringRef Key) {
  int64_t N;
  if (llvm::to_integer(Key, N, 10))
    return N;
  return std::nullopt;
}

class Reader {
public:
  Expected<Module> readTop(const JValue &Top);
  /// One element of `functions` (Key: its key in the object form).
  bool streamFunction(StringRef Key, const JValue &V);
  StreamedFunctions Streamed;

private:
  Expected<Type> readType(const JValue &V, const Where &W);
  Expected<Type> readTypeInner(const JValue &V, const Where &W);
  Expected<Signature> readSignature(const JValue &V, const Where &W);
  Expected<Constant> readConst(const JObject &O, const Where &W);
  Expected<Operand> readOperand(const JValue &V, StringRef What,
                                const Where &W);
  Expected<std::vector<Operand>> readOperands(const JObject &O, StringRef Key,
                                              const Where &W);
  Expected<Inst> readInst(const JValue &V, const Where &W);
  Error readField(Inst &I, const InstSchema &S, const FieldSchema &Fs,
                  const JObject &O, const Where &W);
  Error readAggKind(Inst &I, const JValue &V, const Where &W);
  Expected<Terminator> readTerminator(const JValue *V, const Where &W);
  Expected<Local> readLocal(const JValue &V, const Where &W);
  Expected<Block> readBlock(const JValue &V, const Where &W);
  Expected<Function> readFunction(const JValue &V, const Where &W,
                                  std::optional<int64_t> KeySymbol);
  Expected<ExternDecl> readExtern(const JValue &V, const Where &W);

  static constexpr unsigned MaxTypeDepth = MaxTypeNesting;
  unsigned TypeDepth = 0;
};

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

Expected<Type> Reader::readType(const JValue &V, const Where &W) {
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

Expected<Type> Reader::readTypeInner(const JValue &V, const Where &W) {
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
  const JValue &P = *T->Payload;

  if (T->Tag == "Ptr" || T->Tag == "Ref") {
    bool IsRef = T->Tag == "Ref";
    Expected<JObjectRef> O = asObject(P, "a " + T->Tag.str() + " type", W);
    if (!O)
      return O.takeError();
    Expected<const JValue *> Pointee =
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
    Expected<JObjectRef> O = asObject(P, "an Array type", W);
    if (!O)
      return O.takeError();
    Expected<const JValue *> E = required(**O, "element", W);
    if (!E)
      return E.takeError();
    Expected<Type> Elem = readType(**E, W);
    if (!Elem)
      return Elem.takeError();
    Expected<const JValue *> N = required(**O, "size", W);
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
    Expected<JArrayRef> A = asArray(P, "Tuple", W);
    if (!A)
      return A.takeError();
    std::vector<Type> Ms;
    for (const JValue &M : **A) {
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
      Expected<JArrayRef> A = asArray(P, Sh.Tag, W);
      if (!A)
        return A.takeError();
      for (const JValue &M : **A) {
        Expected<Type> MT = readType(M, W);
        if (!MT)
          return MT.takeError();
        Ms.push_back(std::move(*MT));
      }
      return Type::withMembers(Sh.Kind, std::move(Ms));
    }
    Expected<JObjectRef> O =
        asObject(P, "a " + std::string(Sh.Tag) + " type", W);
    if (!O)
      return O.takeError();
    for (const char *Key : {Sh.Key1, Sh.Key2}) {
      Expected<const JValue *> V = required(**O, Key, W);
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

Expected<Signature> Reader::readSignature(const JValue &V, const Where &W) {
  Expected<JObjectRef> O = asObject(V, "a signature", W);
  if (!O)
    return O.takeError();
  Signature S;
  Expected<const JValue *> Params = required(**O, "params", W);
  if (!Params)
    return Params.takeError();
  Expected<JArrayRef> A = asArray(**Params, "params", W);
  if (!A)
    return A.takeError();
  for (const JValue &P : **A) {
    Expected<Type> T = readType(P, W);
    if (!T)
      return T.takeError();
    S.Params.push_back(std::move(*T));
  }
  // "return_type": null (and a missing one) is Unit: the serializer writes
  // null for functions that return nothing.
  const JValue *Ret = field(**O, "return_type");
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

RawLiteral rawLiteral(const JValue &V, const Type &T) {
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

Expected<Constant> Reader::readConst(const JObject &O, const Where &W) {
  Expected<const JValue *> TV = required(O, "type", W);
  if (!TV)
    return TV.takeError();
  Expected<Type> T = readType(**TV, W);
  if (!T)
    return T.takeError();
  Expected<const JValue *> V = required(O, "value", W);
  if (!V)
    return V.takeError();
  Expected<Constant> C = makeConstant(*T, rawLiteral(**V, *T));
  if (!C)
    return W.fail(llvm::toString(C.takeError()));
  return C;
}

Expected<Operand> Reader::readOperand(const JValue &V, StringRef What,
                                      const Where &W) {
  std::optional<JObject> O;
  if (V.isObject())
    O.emplace(V);
  if (O && O->size() == 1) {
    StringRef Tag = O->begin()->first;
    const JValue &P = O->begin()->second;
    if (Tag == "Copy" || Tag == "Move") {
      Expected<uint32_t> L = asId(P, Tag, W);
      if (!L)
        return L.takeError();
      return Tag == "Copy" ? Operand::copy(*L) : Operand::move(*L);
    }
    if (Tag == "Const") {
      Expected<JObjectRef> C = asObject(P, "a `Const` operand", W);
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

Expected<std::vector<Operand>>
Reader::readOperands(const JObject &O, StringRef Key, const Where &W) {
  Expected<const JValue *> V = required(O, Key, W);
  if (!V)
    return V.takeError();
  Expected<JArrayRef> A = asArray(**V, Key, W);
  if (!A)
    return A.takeError();
  std::vector<Operand> Ops;
  for (const JValue &E : **A) {
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
/// Read: the fields of the value returned, when it is an object (read once,
/// not again by asTagged).
JValue unwrapKind(const JValue &V, llvm::function_ref<bool(StringRef)> IsKnown,
                  std::optional<JObject> &Read) {
  JValue Cur = V;
  for (int Depth = 0; Depth < 4; ++Depth) {
    Read.reset();
    if (!Cur.isObject())
      break;
    const JObject &O = Read.emplace(Cur);
    const JValue *K = O.get("kind");
    if (!K ||
        llvm::any_of(O, [&](const auto &KV) { return IsKnown(KV.first); }))
      break;
    Cur = *K;
    Read.reset();
  }
  return Cur;
}

Expected<Inst> Reader::readInst(const JValue &Raw, const Where &W) {
  auto IsKnown = [](StringRef K) {
    return opcodeFromJson(K) || K == "Unsupported";
  };
  std::optional<JObject> Read;
  const JValue &V = unwrapKind(Raw, IsKnown, Read);
  Expected<Tagged> T =
      asTagged(V, "an instruction", W, IsKnown, Read ? &*Read : nullptr);
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
    I.setPayload(
        T->Payload ? llvm::formatv("{0}", jsonview::toJSON(*T->Payload)).str()
                   : "null");
    return I;
  }
  if (!T->Payload)
    return W.fail("instruction `" + Tag + "` needs its fields");
  Expected<JObjectRef> OP =
      asObject(*T->Payload, "instruction `" + Tag.str() + "`", W);
  if (!OP)
    return OP.takeError();
  const JObject &O = **OP;

  // dest: null or absent reads as none; whether the instruction needs one
  // is the verifier's to say (it names the instruction).
  if (S.Dest != DestRule::None) {
    const JValue *D = field(O, "dest");
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
                        const JObject &O, const Where &W) {
  StringRef Key = Fs.Key;
  auto Operand1 = [&]() -> Error {
    Expected<const JValue *> V = required(O, Key, W);
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
    Expected<const JValue *> V = required(O, Key, W);
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
    Expected<const JValue *> Src = required(O, Key, W);
    if (!Src)
      return Src.takeError();
    if ((*Src)->kind() == json::Value::Number) {
      Expected<uint32_t> L = asId(**Src, Key, W);
      if (!L)
        return L.takeError();
      I.addOp(I.Op == Opcode::Copy ? Operand::copy(*L) : Operand::move(*L));
      return Error::success();
    }
    return Operand1();
  }
  case FieldKind::Operand:
    return Operand1();
  case FieldKind::Operands:
    return Append(readOperands(O, Key, W));
  case FieldKind::Call: {
    Expected<const JValue *> F = required(O, Key, W);
    if (!F)
      return F.takeError();
    Expected<Operand> Callee = readOperand(**F, Key, W);
    if (!Callee)
      return Callee.takeError();
    I.setCallee(std::move(*Callee));
    return Append(readOperands(O, "args", W));
  }
  case FieldKind::Type: {
    Expected<const JValue *> V = required(O, Key, W);
    if (!V)
      return V.takeError();
    Expected<Type> Ty = readType(**V, W);
    if (!Ty)
      return Ty.takeError();
    I.setType(std::move(*Ty));
    return Error::success();
  }
  case FieldKind::Signature: {
    Expected<const JValue *> V = required(O, Key, W);
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
    Expected<const JValue *> V = required(O, Key, W);
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
    Expected<const JValue *> V = required(O, Key, W);
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
    Expected<const JValue *> V = required(O, Key, W);
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
        Rest[K] = jsonview::toJSON(KV.second);
    }
    I.setPayload(llvm::formatv("{0}", json::Value(std::move(Rest))).str());
    return Error::success();
  }
  }
  return Error::success();
}

Error Reader::readAggKind(Inst &I, const JValue &V, const Where &W) {
  Expected<Tagged> K = asTagged(V, "an aggregate kind", W);
  if (!K)
    return K.takeError();
  StringRef Tag = K->Tag;
  const JValue *P = K->Payload ? &*K->Payload : nullptr;
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
    Expected<JObjectRef> O = asObject(*P, "aggregate kind `Enum`", W);
    if (!O)
      return O.takeError();
    Expected<const JValue *> SymV = required(**O, "symbol", W);
    if (!SymV)
      return SymV.takeError();
    std::optional<int64_t> Sym = (*SymV)->getAsInteger();
    if (!Sym)
      return W.fail("`symbol` must be a symbol id (an integer), not " +
                    brief(**SymV));
    Expected<const JValue *> VarV = required(**O, "variant", W);
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

Expected<Terminator> Reader::readTerminator(const JValue *Raw, const Where &W) {
  Terminator T;
  // A block without one reads as TermKind::None; the verifier names it.
  if (!Raw || Raw->kind() == json::Value::Null)
    return T;
  // (v2) The old serializer's {"kind": "throw"|"resume", "value": op}:
  // raise with type tag 0.
  std::optional<JObject> RawObject;
  if (Raw->isObject())
    RawObject.emplace(*Raw);
  if (const JObject *O = RawObject ? &*RawObject : nullptr)
    if (const JValue *K = O->get("kind"))
      if (std::optional<StringRef> KS = K->getAsString();
          KS && (*KS == "throw" || *KS == "resume")) {
        T.K = *KS == "throw" ? TermKind::Throw : TermKind::Resume;
        T.LegacyForm = true;
        Expected<const JValue *> P = required(*O, "value", W);
        if (!P)
          return P.takeError();
        Expected<Operand> Op = readOperand(**P, "value", W);
        if (!Op)
          return Op.takeError();
        T.Value = std::move(*Op);
        T.Tag = Operand::constant(Constant::integer(TypeKind::I64, 0));
        return T;
      }
  std::optional<JObject> Read;
  JValue Unwrapped = unwrapKind(
      *Raw, [](StringRef K) { return termFromJson(K).has_value(); }, Read);
  const JValue *V = &Unwrapped;
  Expected<Tagged> Tg =
      asTagged(*V, "a terminator", W, {}, Read ? &*Read : nullptr);
  if (!Tg)
    return Tg.takeError();
  StringRef Tag = Tg->Tag;
  const JValue *P = Tg->Payload ? &*Tg->Payload : nullptr;
  bool NoPayload = !P || P->kind() == json::Value::Null;

  auto BlockRef = [&](const JValue *B, StringRef What) -> Expected<uint32_t> {
    if (!B)
      return W.fail("missing field `" + What + "`");
    return asId(*B, What, W);
  };
  // A local id or null/absent.
  auto OptLocal = [&](const JObject &O, StringRef Key,
                      std::optional<uint32_t> &Out) -> Error {
    const JValue *L = O.get(Key);
    if (!L || L->kind() == json::Value::Null)
      return Error::success();
    Expected<uint32_t> Id = asId(*L, Key, W);
    if (!Id)
      return Id.takeError();
    Out = *Id;
    return Error::success();
  };
  auto Fields = [&]() -> Expected<JObjectRef> {
    if (!P)
      return W.fail("terminator `" + Tag + "` needs its fields");
    return asObject(*P, "terminator `" + Tag.str() + "`", W);
  };
  auto OperandField = [&](const JObject &O,
                          StringRef Key) -> Expected<Operand> {
    Expected<const JValue *> C = required(O, Key, W);
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
    const JValue *B = P;
    std::optional<JObject> PO;
    if (P && P->isObject())
      B = PO.emplace(*P).get("target");
    Expected<uint32_t> Id = BlockRef(B, "Goto");
    if (!Id)
      return Id.takeError();
    T.Target = *Id;
    return T;
  }
  if (Tag == "Abort") {
    T.K = TermKind::Abort;
    const JValue *M = P;
    std::optional<JObject> PO;
    if (P && P->isObject())
      M = PO.emplace(*P).get("message");
    if (M && M->kind() != json::Value::Null) {
      std::optional<StringRef> S = M->getAsString();
      if (!S)
        return W.fail("`Abort` must carry a message string, not " + brief(*M));
      T.Message = S->str();
    }
    return T;
  }
  if (Tag == "If" || Tag == "Switch") {
    Expected<JObjectRef> O = Fields();
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
    Expected<const JValue *> Ts = required(**O, "targets", W);
    if (!Ts)
      return Ts.takeError();
    Expected<JArrayRef> A = asArray(**Ts, "targets", W);
    if (!A)
      return A.takeError();
    for (const JValue &E : **A) {
      Expected<JObjectRef> CO = asObject(E, "a switch target", W);
      if (!CO)
        return CO.takeError();
      Expected<const JValue *> CV = required(**CO, "value", W);
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
    Expected<JObjectRef> OP = Fields();
    if (!OP)
      return OP.takeError();
    const JObject &O = **OP;
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
    if (const JValue *C = O.get("unwind_contract");
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
    Expected<JObjectRef> O = Fields();
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

Expected<std::optional<std::string>>
optionalString(const JObject &O, StringRef Key, const Where &W) {
  const JValue *V = O.get(Key);
  if (!V || V->kind() == json::Value::Null)
    return std::nullopt;
  if (std::optional<StringRef> S = V->getAsString())
    return std::optional<std::string>(S->str());
  return W.fail("`" + Key + "` must be a string or null, not " + brief(*V));
}

Expected<Local> Reader::readLocal(const JValue &V, const Where &At) {
  Expected<JObjectRef> O = asObject(V, "a local", At);
  if (!O)
    return O.takeError();
  Expected<const JValue *> IdV = required(**O, "id", At);
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
  Expected<const JValue *> TV = required(**O, "type", W);
  if (!TV)
    return TV.takeError();
  Expected<Type> T = readType(**TV, W);
  if (!T)
    return T.takeError();
  L.Ty = std::move(*T);
  Expected<const JValue *> KV = required(**O, "kind", W);
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

Expected<Block> Reader::readBlock(const JValue &V, const Where &At) {
  Expected<JObjectRef> O = asObject(V, "a block", At);
  if (!O)
    return O.takeError();
  Expected<const JValue *> IdV = required(**O, "id", At);
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
  Expected<const JValue *> IV = required(**O, "instructions", W);
  if (!IV)
    return IV.takeError();
  Expected<JArrayRef> Insts = asArray(**IV, "instructions", W);
  if (!Insts)
    return Insts.takeError();
  // One allocation of the right size: a doubling series would briefly
  // hold 1.5 times a large block.
  B.Insts.reserve((**Insts).size());
  size_t Idx = 0;
  for (const JValue &Elem : **Insts) {
    Expected<Inst> I = readInst(Elem, W / ("instruction " + Twine(Idx++)));
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

Expected<Function> Reader::readFunction(const JValue &V, const Where &At,
                                        std::optional<int64_t> KeySymbol) {
  Expected<JObjectRef> OP = asObject(V, "a function", At);
  if (!OP)
    return OP.takeError();
  const JObject &O = **OP;
  Function F;
  Expected<const JValue *> NameV = required(O, "name", At);
  if (!NameV)
    return NameV.takeError();
  std::optional<StringRef> Name = (*NameV)->getAsString();
  if (!Name)
    return At.fail("`name` must be a string, not " + brief(**NameV));
  F.Name = Name->str();
  Where W("function `" + F.Name + "`");

  if (const JValue *S = O.get("symbol")) {
    std::optional<int64_t> Sym = S->getAsInteger();
    if (!Sym)
      return W.fail("`symbol` must be an integer, not " + brief(*S));
    F.Symbol = *Sym;
  } else if (KeySymbol) {
    F.Symbol = *KeySymbol;
  }

  Expected<const JValue *> SigV = required(O, "signature", W);
  if (!SigV)
    return SigV.takeError();
  Expected<Signature> Sig = readSignature(**SigV, W / "signature");
  if (!Sig)
    return Sig.takeError();
  F.Sig = std::move(*Sig);

  Expected<const JValue *> LV = required(O, "locals", W);
  if (!LV)
    return LV.takeError();
  Expected<JArrayRef> Locals = asArray(**LV, "locals", W);
  if (!Locals)
    return Locals.takeError();
  F.Locals.reserve((**Locals).size());
  for (const JValue &Elem : **Locals) {
    Expected<Local> L = readLocal(Elem, W);
    if (!L)
      return L.takeError();
    F.Locals.push_back(std::move(*L));
  }

  Expected<const JValue *> BV = required(O, "blocks", W);
  if (!BV)
    return BV.takeError();
  Expected<JArrayRef> Blocks = asArray(**BV, "blocks", W);
  if (!Blocks)
    return Blocks.takeError();
  F.Blocks.reserve((**Blocks).size());
  for (const JValue &Elem : **Blocks) {
    Expected<Block> B = readBlock(Elem, W);
    if (!B)
      return B.takeError();
    F.Blocks.push_back(std::move(*B));
  }

  if (const JValue *E = O.get("entry_block");
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

Expected<ExternDecl> Reader::readExtern(const JValue &V, const Where &At) {
  Expected<JObjectRef> O = asObject(V, "an extern", At);
  if (!O)
    return O.takeError();
  Expected<const JValue *> NameV = required(**O, "name", At);
  if (!NameV)
    return NameV.takeError();
  std::optional<StringRef> Name = (*NameV)->getAsString();
  if (!Name)
    return At.fail("`name` must be a string, not " + brief(**NameV));
  ExternDecl D;
  D.Name = Name->str();
  Where W("extern `" + D.Name + "`");
  Expected<const JValue *> SigV = required(**O, "signature", W);
  if (!SigV)
    return SigV.takeError();
  Expected<Signature> Sig = readSignature(**SigV, W);
  if (!Sig)
    return Sig.takeError();
  D.Sig = std::move(*Sig);
  return D;
}

Expected<Module> Reader::readTop(const JValue &Top) {
  std::optional<JObject> TopObject;
  if (Top.isObject())
    TopObject.emplace(Top);
  const JObject *O = TopObject ? &*TopObject : nullptr;
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

  if (const JValue *EV = O->get("externs");
      EV && EV->kind() != json::Value::Null) {
    Expected<JArrayRef> Es = asArray(*EV, "externs", W);
    if (!Es)
      return Es.takeError();
    size_t I = 0;
    for (const JValue &Elem : **Es) {
      Expected<ExternDecl> D =
          readExtern(Elem, Where("extern " + std::to_string(I++)));
      if (!D)
        return D.takeError();
      M.Externs.push_back(std::move(*D));
    }
  }

  // The functions were read while the text was parsed (streamFunction):
  // here they are only put in their order. (JSONReaderLLVM.cpp reads them
  // here.)
  const JValue &FV = *O->get("functions");
  if (FV.isStreamed() && !Streamed.IsObject) {
    M.Functions = std::move(Streamed.Functions);
    return M;
  }
  if (FV.isStreamed()) {
    // Keyed by symbol id. llvm::json::Object is unordered: sort the keys
    // (numerically where they are numbers) so the module is deterministic.
    std::vector<std::pair<StringRef, Function *>> Items;
    for (size_t I = 0; I < Streamed.Keys.size(); ++I)
      Items.emplace_back(Streamed.Keys[I], &Streamed.Functions[I]);
    std::sort(Items.begin(), Items.end(), [&](const auto &A, const auto &B) {
      std::optional<int64_t> NA = keySymbol(A.first), NB = keySymbol(B.first);
      if (NA && NB)
        return *NA < *NB;
      if (NA || NB)
        return bool(NA);
      return A.first < B.first;
    });
    // Keys that sort as equals ("1" and "01") keep llvm::json's map order
    // there: its reader decides.
    for (size_t I = 1; I < Items.size(); ++I) {
      std::optional<int64_t> NA = keySymbol(Items[I - 1].first),
                             NB = keySymbol(Items[I].first);
      if (NA && NB && *NA == *NB)
        return Where().fail("keys sort as equals");
    }
    M.Functions.reserve(Items.size());
    for (const auto &Item : Items)
      M.Functions.push_back(std::move(*Item.second));
    return M;
  }
  return W.fail("`functions` must be an array or an object keyed by symbol "
                "id, not " +
                brief(FV));
}

bool Reader::streamFunction(StringRef Key, const JValue &V) {
  std::optional<int64_t> KeySym;
  if (Streamed.IsObject)
    KeySym = keySymbol(Key);
  Expected<Function> F = readFunction(V, Where(), KeySym);
  if (!F) {
    llvm::consumeError(F.takeError());
    return false;
  }
  if (Streamed.IsObject) {
    auto [It, New] = Streamed.ByKey.try_emplace(Key, Streamed.Keys.size());
    if (!New) {
      Streamed.Functions[It->second] = std::move(*F);
      return true;
    }
    Streamed.Keys.push_back(Key.str());
  }
  Streamed.Functions.push_back(std::move(*F));
  return true;
}

} // namespace

// Every value visited as the reader visits it, nothing built: the parse
// share of a load, for the benchmark.
static void visit(const JValue &V) {
  if (V.isObject())
    for (const JObject::Entry &E : JObject(V))
      visit(E.second);
  else if (V.isArray())
    for (const JValue &E : JArray(V))
      visit(E);
}

std::optional<Module> readJSONFast(llvm::StringRef Text) {
  jsonview::JSONDocument D(Text);
  Reader R;
  if (!D.parse(
          [&](bool IsObject) {
            R.Streamed.start(IsObject);
            return true;
          },
          [&](StringRef Key, const JValue &V) {
            R.Streamed.makeRoom([&] { return D.elementsLeft(); }, Text.size());
            return R.streamFunction(Key, V);
          }))
    return std::nullopt;
  Expected<Module> M = R.readTop(D.root());
  if (!M) {
    llvm::consumeError(M.takeError());
    return std::nullopt;
  }
  if (D.broken())
    return std::nullopt;
  return std::move(*M);
}

bool parseOnlyFast(llvm::StringRef Text) {
  jsonview::JSONDocument D(Text);
  if (!D.parse([](bool) { return true; },
               [](StringRef, const JValue &V) {
                 visit(V);
                 return true;
               }))
    return false;
  visit(D.root());
  return !D.broken();
}

bool parseOnlyWithLLVM(llvm::StringRef Text) {
  CleanJSON Clean(Text);
  if (Clean.tooDeepAt() || Clean.loneSurrogateAt())
    return false;
  Expected<json::Value> V = json::parse(Clean.text());
  if (!V) {
    llvm::consumeError(V.takeError());
    return false;
  }
  return true;
}

static llvm::Expected<Module> readJSONUnguarded(llvm::StringRef Text) {
  if (std::optional<Module> M = readJSONFast(Text))
    return std::move(*M);
  // Declined. The serializer's NaN/inf tokens and raw control characters
  // are not JSON to the view: its cleaned text is (CleanJSON, the same pass
  // the llvm::json reader makes).
  {
    CleanJSON Clean(Text);
    if (Clean.changed() && !Clean.tooDeepAt() && !Clean.loneSurrogateAt())
      if (std::optional<Module> M = readJSONFast(Clean.text()))
        return std::move(*M);
  }
  // Malformed or in error: the llvm::json reader says precisely where.
  return readJSONWithLLVM(Text);
}

llvm::Expected<Module> readJSON(llvm::StringRef Text) {
  // Running out of memory is a load error, not the end of the host: a
  // std::bad_alloc from anywhere in the parse (llvm::json's frames included:
  // LLVM is built with unwind tables) becomes an error. What the unwinding
  // skips inside llvm::json (built without exceptions) may leak.
  try {
    return readJSONUnguarded(Text);
  } catch (const std::bad_alloc &) {
    return outOfMemoryError(Text.size());
  }
}

bool looksLikeJSON(llvm::StringRef Text) {
  return Text.ltrim().starts_with("{");
}

llvm::Expected<Module> readModule(llvm::StringRef Text,
                                  llvm::StringRef BufferName) {
  if (looksLikeJSON(Text))
    return readJSON(Text);
  return parseText(Text, BufferName);
}

} // namespace spl::mir
