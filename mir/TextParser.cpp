//===- mir/TextParser.cpp - The .mir text form -> mir::Module -------------===//
//
// A recursive-descent parser for the grammar of docs/MIR-TEXT.md. Every
// error is "NAME:LINE:COL: message" at the token that is wrong, and the
// first error ends the parse (no partial module). Instructions and
// terminators remember where they were written, so the verifier can point
// back into the text too.
//
//===----------------------------------------------------------------------===//
#include "mir/InstSchema.h"
#include "mir/JSONQuirks.h"
#include "mir/Literals.h"
#include "mir/MIR.h"
#include "mir/TextLexer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>
#include <cstring>

namespace spl::mir {

using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

class Parser {
public:
  Parser(StringRef Text, StringRef BufferName)
      : Text(Text), L(Text), Name(BufferName) {
    advance();
  }
  Expected<Module> parseModule();

private:
  // Tokens.
  void advance() { Tok = L.next(); }
  bool is(Token::Kind K) const { return Tok.K == K; }
  bool isWord(StringRef W) const { return Tok.K == Token::Ident && Tok.Text == W; }
  Error errorAt(SourceLoc At, const Twine &Msg) const {
    return makeError(Name + ":" + Twine(At.Line) + ":" + Twine(At.Col) + ": " +
                     Msg);
  }
  /// "expected WHAT, found TOKEN" at the current token (or the lexer's own
  /// message if the current token is a lexing error).
  Error expected(const Twine &What) const {
    if (Tok.K == Token::Error)
      return errorAt(Tok.Loc, Tok.Text);
    return errorAt(Tok.Loc, "expected " + What + ", found " + describe(Tok));
  }
  Error expect(Token::Kind K, StringRef What) {
    if (!is(K))
      return expected(What);
    advance();
    return Error::success();
  }
  Error expectWord(StringRef W) {
    if (!isWord(W))
      return expected("`" + W + "`");
    advance();
    return Error::success();
  }
  Expected<uint32_t> parseLocalRef();
  Expected<uint32_t> parseBlockRef();
  Expected<std::optional<std::string>> parseOptionalName();

  // Grammar.
  Expected<Type> parseType();
  Expected<Type> parseTypeInner(SourceLoc At);
  Error parseSigTail(Signature &S);
  Expected<Signature> parseFnType();
  Expected<Constant> parseConstValue(const Type &T);
  Expected<Operand> parseOperand();
  bool atOperand() const {
    return isWord("copy") || isWord("move") || isWord("const");
  }
  // Ops: a std::vector<Operand> (terminators) or an Inst's OperandList.
  template <typename OpsT> Error parseArgs(OpsT &Ops);
  template <typename OpsT> Error parseOperandList(OpsT &Ops);
  Error parseInst(Inst &I);
  Error parseField(Inst &I, const InstSchema &S, const FieldSchema &Fs);
  Error parseLead(Lead Ld, FieldKind K);
  Error parseAggKind(Inst &I);
  template <typename OpsT>
  Error parseCallTarget(Operand &Callee, OpsT &Args);
  Expected<std::string> parseJSONPayload(bool ObjectOnly);
  Error parseTerminator(Terminator &T);
  Error parseLocal(Function &F);
  Error parseFunction(Module &M);
  Error parseExtern(Module &M);

  static constexpr unsigned MaxTypeDepth = MaxTypeNesting;
  StringRef Text; // the whole input
  Lexer L;
  std::string Name;
  Token Tok;
  unsigned TypeDepth = 0;
  Opcode CurOp = Opcode::Nop; // the instruction being parsed, for messages
};

Expected<uint32_t> Parser::parseLocalRef() {
  if (!is(Token::Local))
    return expected("a local (_N)");
  uint32_t Id = uint32_t(Tok.N);
  advance();
  return Id;
}

Expected<uint32_t> Parser::parseBlockRef() {
  if (!is(Token::BlockT))
    return expected("a block (bbN)");
  uint32_t Id = uint32_t(Tok.N);
  advance();
  return Id;
}

Expected<std::optional<std::string>> Parser::parseOptionalName() {
  if (is(Token::Ident) || is(Token::String)) {
    std::string S = Tok.Text;
    advance();
    return std::optional<std::string>(std::move(S));
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

Expected<Type> Parser::parseType() {
  SourceLoc At = Tok.Loc;
  // Types nest by recursion; bound it so hostile input cannot exhaust the
  // stack.
  if (TypeDepth >= MaxTypeDepth)
    return errorAt(At, "type nested more than " + Twine(MaxTypeDepth) +
                           " levels deep");
  ++TypeDepth;
  Expected<Type> T = parseTypeInner(At);
  --TypeDepth;
  return T;
}

Expected<Type> Parser::parseTypeInner(SourceLoc At) {
  if (is(Token::Star) || is(Token::Amp)) {
    bool IsRef = is(Token::Amp);
    advance();
    bool Mut = false;
    if (isWord("mut")) {
      Mut = true;
      advance();
    }
    Expected<Type> P = parseType();
    if (!P)
      return P.takeError();
    return Type::ptr(std::move(*P), Mut, IsRef);
  }
  if (is(Token::LBracket)) {
    advance();
    Expected<Type> E = parseType();
    if (!E)
      return E.takeError();
    if (Error Er = expect(Token::Semi, "`;` in an array type"))
      return Er;
    if (!is(Token::Int) || Tok.Negative || Tok.Hex)
      return expected("an array size");
    uint64_t N = Tok.N;
    advance();
    if (Error Er = expect(Token::RBracket, "`]`"))
      return Er;
    return Type::array(std::move(*E), N);
  }
  if (is(Token::LParen)) {
    advance();
    std::vector<Type> Ms;
    while (!is(Token::RParen)) {
      if (!Ms.empty())
        if (Error E = expect(Token::Comma, "`,` or `)`"))
          return E;
      Expected<Type> M = parseType();
      if (!M)
        return M.takeError();
      Ms.push_back(std::move(*M));
    }
    advance();
    return Type::withMembers(TypeKind::Tuple, std::move(Ms));
  }
  if (!is(Token::Ident))
    return expected("a type");
  std::string W = Tok.Text;
  if (W == "fn") {
    Expected<Signature> S = parseFnType();
    if (!S)
      return S.takeError();
    return Type::funcPtr(std::move(*S));
  }
  advance();
  if (W == "struct") {
    if (!is(Token::Hash))
      return expected("a struct symbol (#N)");
    Type T = Type::withSymbol(TypeKind::Struct, int64_t(Tok.N));
    advance();
    return T;
  }
  if (W == "enum") {
    if (!is(Token::Hash))
      return expected("an enum symbol (#N)");
    Type T = Type::withSymbol(TypeKind::Enum, int64_t(Tok.N));
    advance();
    return T;
  }
  // (v2) Runtime handles with parts: dict<K, V>, slice<T>, ...
  struct HandleWord {
    const char *Word;
    TypeKind Kind;
    int Arity; // -1: any number (union)
  };
  static const HandleWord Handles[] = {
      {"dict", TypeKind::Dict, 2},         {"slice", TypeKind::Slice, 1},
      {"result", TypeKind::Result, 2},     {"union", TypeKind::Union, -1},
      {"promise", TypeKind::Promise, 1},   {"generator", TypeKind::Generator, 2},
      {"actor", TypeKind::Actor, 1},
  };
  for (const HandleWord &H : Handles) {
    if (W != H.Word)
      continue;
    if (Error E = expect(Token::Less, "`<`"))
      return E;
    std::vector<Type> Ms;
    while (!is(Token::Greater)) {
      if (!Ms.empty())
        if (Error E = expect(Token::Comma, "`,` or `>`"))
          return E;
      Expected<Type> M = parseType();
      if (!M)
        return M.takeError();
      Ms.push_back(std::move(*M));
    }
    if (H.Arity >= 0 && Ms.size() != size_t(H.Arity))
      return errorAt(At, "`" + W + "` takes " + Twine(H.Arity) + " type" +
                             (H.Arity == 1 ? "" : "s") + ", not " +
                             Twine(Ms.size()));
    advance();
    return Type::withMembers(H.Kind, std::move(Ms));
  }
  if (W == "opaque") {
    if (!is(Token::String))
      return expected("the opaque type's name as a string");
    Type T = Type::opaque(Tok.Text);
    advance();
    return T;
  }
#define X(E, S)                                                                \
  if (W == StringRef(S).lower())                                               \
    return Type(TypeKind::E);
  SPL_MIR_SCALAR_TYPES(X)
#undef X
  return errorAt(At, "unknown type `" + W + "`");
}

// "(T, ..., ...) [-> R]", after the name of an extern or function, or after
// `fn` in a function pointer type.
Error Parser::parseSigTail(Signature &S) {
  if (Error E = expect(Token::LParen, "`(`"))
    return E;
  while (!is(Token::RParen)) {
    if (!S.Params.empty() || S.Variadic)
      if (Error E = expect(Token::Comma, "`,` or `)`"))
        return E;
    if (S.Variadic)
      return expected("`)` after `...`");
    if (is(Token::Ellipsis)) {
      S.Variadic = true;
      advance();
      continue;
    }
    Expected<Type> T = parseType();
    if (!T)
      return T.takeError();
    S.Params.push_back(std::move(*T));
  }
  advance();
  if (is(Token::Arrow)) {
    advance();
    Expected<Type> R = parseType();
    if (!R)
      return R.takeError();
    S.Ret = std::move(*R);
  }
  return Error::success();
}

Expected<Signature> Parser::parseFnType() {
  if (Error E = expectWord("fn"))
    return E;
  Signature S;
  if (Error E = parseSigTail(S))
    return E;
  return S;
}

//===----------------------------------------------------------------------===//
// Constants and operands
//===----------------------------------------------------------------------===//

Expected<Constant> Parser::parseConstValue(const Type &T) {
  SourceLoc At = Tok.Loc;
  RawLiteral R;
  switch (Tok.K) {
  case Token::Int:
    // A hexadecimal literal of a float type is the IEEE bit pattern (how the
    // printer keeps NaN payloads).
    if (Tok.Hex && T.isFloat()) {
      double D;
      if (T.Kind == TypeKind::F32) {
        uint32_t B = uint32_t(Tok.N);
        float F;
        std::memcpy(&F, &B, 4);
        D = F;
      } else {
        std::memcpy(&D, &Tok.N, 8);
      }
      advance();
      return Constant::floating(T, D);
    }
    R.K = RawLiteral::Kind::Int;
    R.Bits = Tok.N;
    R.Negative = Tok.Negative;
    break;
  case Token::Float:
    R.K = RawLiteral::Kind::Float;
    R.F = Tok.F;
    break;
  case Token::String:
    R.K = RawLiteral::Kind::Str;
    R.S = Tok.Text;
    break;
  case Token::Global:
    R.K = RawLiteral::Kind::FuncName;
    R.S = Tok.Text;
    break;
  case Token::Minus:
    advance();
    if (!isWord("inf"))
      return expected("`inf` after `-`");
    R.K = RawLiteral::Kind::Float;
    R.F = -HUGE_VAL;
    break;
  case Token::Ident:
    if (Tok.Text == "true" || Tok.Text == "false") {
      R.K = RawLiteral::Kind::Bool;
      R.Bits = Tok.Text == "true";
    } else if (Tok.Text == "zero") {
      R.K = RawLiteral::Kind::Zero;
    } else if (Tok.Text == "inf") {
      R.K = RawLiteral::Kind::Float;
      R.F = HUGE_VAL;
    } else if (Tok.Text == "nan") {
      R.K = RawLiteral::Kind::Float;
      R.F = std::nan("");
    } else {
      return expected("a constant value");
    }
    break;
  default:
    return expected("a constant value");
  }
  advance();
  // A float-looking literal of an integer type, or inf/nan of one, is an
  // error the shared rules report.
  Expected<Constant> C = makeConstant(T, R);
  if (!C)
    return errorAt(At, llvm::toString(C.takeError()));
  return C;
}

Expected<Operand> Parser::parseOperand() {
  if (isWord("copy") || isWord("move")) {
    bool Copy = isWord("copy");
    advance();
    Expected<uint32_t> Id = parseLocalRef();
    if (!Id)
      return Id.takeError();
    return Copy ? Operand::copy(*Id) : Operand::move(*Id);
  }
  if (isWord("const")) {
    advance();
    Expected<Type> T = parseType();
    if (!T)
      return T.takeError();
    Expected<Constant> C = parseConstValue(*T);
    if (!C)
      return C.takeError();
    return Operand::constant(std::move(*C));
  }
  return expected("an operand (copy _N, move _N or const TYPE VALUE)");
}

template <typename OpsT> Error Parser::parseOperandList(OpsT &Ops) {
  do {
    Expected<Operand> Op = parseOperand();
    if (!Op)
      return Op.takeError();
    Ops.push_back(std::move(*Op));
    if (!is(Token::Comma))
      return Error::success();
    advance();
  } while (true);
}

// "(a, b, ...)"
template <typename OpsT> Error Parser::parseArgs(OpsT &Ops) {
  if (Error E = expect(Token::LParen, "`(`"))
    return E;
  if (is(Token::RParen)) {
    advance();
    return Error::success();
  }
  if (Error E = parseOperandList(Ops))
    return E;
  return expect(Token::RParen, "`,` or `)`");
}

//===----------------------------------------------------------------------===//
// Instructions and terminators
//===----------------------------------------------------------------------===//

std::optional<Opcode> opcodeFromText(StringRef W) {
#define X(E, J, T)                                                             \
  if (W == T)                                                                  \
    return Opcode::E;
  SPL_MIR_INSTS(X)
#undef X
  return std::nullopt;
}

std::optional<TermKind> termFromText(StringRef W) {
#define X(E, J, T)                                                             \
  if (W == T)                                                                  \
    return TermKind::E;
  SPL_MIR_TERMINATORS(X)
#undef X
  return std::nullopt;
}

Error Parser::parseInst(Inst &I) {
  std::optional<Opcode> Op = opcodeFromText(Tok.Text);
  if (!Op)
    return errorAt(Tok.Loc, "unknown instruction `" + Tok.Text + "`");
  I.Op = *Op;
  CurOp = *Op;
  const InstSchema &S = instSchema(I.Op);
  llvm::ArrayRef<FieldSchema> Fields = S.fields();
  if (!Fields.empty() && Fields[0].Kind == FieldKind::Verbatim) {
    // The payload is JSON, taken verbatim up to its end; the token after
    // the mnemonic has not been lexed yet.
    Expected<std::string> P = parseJSONPayload(/*ObjectOnly=*/false);
    if (!P)
      return P.takeError();
    I.setPayload(std::move(*P));
    advance();
    return Error::success();
  }
  advance();
  for (const FieldSchema &Fs : Fields)
    if (Error E = parseField(I, S, Fs))
      return E;
  return Error::success();
}

// A JSON value (ObjectOnly: an object) starting at the lexer's cursor, in
// compact form; the current token has not been consumed and is not part of
// it. Afterwards the lexer is right after the value.
Expected<std::string> Parser::parseJSONPayload(bool ObjectOnly) {
  SourceLoc PayloadAt = L.peekLoc();
  StringRef What = opcodeTextName(CurOp);
  StringRef Raw = L.scanJSONValue();
  if (Raw.empty() || (ObjectOnly && !Raw.starts_with("{")))
    return errorAt(PayloadAt, "expected a JSON " +
                                  Twine(ObjectOnly ? "object" : "value") +
                                  " after `" + What + "`");
  // llvm::json::parse recurses per level: measure before handing it over.
  // The payload is plain JSON (no serializer quirks), read as exactly as the
  // JSON reader reads strings.
  CleanJSON Clean(Raw, /*Quirks=*/false);
  size_t RawAt = size_t(Raw.data() - Text.data());
  if (std::optional<size_t> Deep = Clean.tooDeepAt())
    return errorAt(L.locOf(RawAt + *Deep),
                   "the JSON of `" + What + "` nests more than " +
                       Twine(MaxJSONNesting) + " levels of arrays and objects");
  if (std::optional<size_t> Lone = Clean.loneSurrogateAt())
    return errorAt(L.locOf(RawAt + *Lone), "a lone UTF-16 surrogate escape (" +
                                               Raw.substr(*Lone, 6) +
                                               ") is not a character");
  Expected<llvm::json::Value> V = llvm::json::parse(Clean.text());
  if (!V)
    return errorAt(PayloadAt,
                   "malformed JSON in " + What + ": " +
                       Clean.remapError(llvm::toString(V.takeError())));
  return llvm::formatv("{0}", *V).str();
}

// "separator" before a field, as the row's Lead says.
Error Parser::parseLead(Lead Ld, FieldKind K) {
  switch (Ld) {
  case Lead::Space:
  case Lead::Parens:
  case Lead::SpacedParens:
  case Lead::CommaList:
    return Error::success();
  case Lead::Comma:
    return expect(Token::Comma, "`,`");
  case Lead::To:
    return expectWord("to");
  case Lead::Colon:
    return expect(Token::Colon, K == FieldKind::Signature
                                    ? "`:` and the signature"
                                    : "`:`");
  }
  return Error::success();
}

Error Parser::parseField(Inst &I, const InstSchema &S, const FieldSchema &Fs) {
  if (Error E = parseLead(Fs.Text, Fs.Kind))
    return E;
  switch (Fs.Kind) {
  case FieldKind::End:
  case FieldKind::Verbatim:
    return Error::success();
  case FieldKind::Const: {
    Expected<Type> T = parseType();
    if (!T)
      return T.takeError();
    Expected<Constant> C = parseConstValue(*T);
    if (!C)
      return C.takeError();
    I.setConstant(std::move(*C));
    return Error::success();
  }
  case FieldKind::Src: {
    if (is(Token::Local)) {
      I.addOp(I.Op == Opcode::Copy ? Operand::copy(uint32_t(Tok.N))
                                   : Operand::move(uint32_t(Tok.N)));
      advance();
      return Error::success();
    }
    Expected<Operand> Src = parseOperand();
    if (!Src)
      return Src.takeError();
    I.addOp(std::move(*Src));
    return Error::success();
  }
  case FieldKind::Operand: {
    Expected<Operand> O = parseOperand();
    if (!O)
      return O.takeError();
    I.addOp(std::move(*O));
    return Error::success();
  }
  case FieldKind::Operands:
    if (Fs.Text == Lead::CommaList) {
      while (is(Token::Comma)) {
        advance();
        Expected<Operand> O = parseOperand();
        if (!O)
          return O.takeError();
        I.addOp(std::move(*O));
      }
      return Error::success();
    }
    return parseArgs(I.mutableOps());
  case FieldKind::Call: {
    Operand Callee;
    if (Error E = parseCallTarget(Callee, I.mutableOps()))
      return E;
    I.setCallee(std::move(Callee));
    return Error::success();
  }
  case FieldKind::Type: {
    Expected<Type> T = parseType();
    if (!T)
      return T.takeError();
    I.setType(std::move(*T));
    return Error::success();
  }
  case FieldKind::Signature: {
    Expected<Signature> Sig = parseFnType();
    if (!Sig)
      return Sig.takeError();
    I.setSig(std::move(*Sig));
    return Error::success();
  }
  case FieldKind::BinOp: {
    if (!is(Token::Ident))
      return expected("a binary operator");
    std::optional<BinOpKind> K;
#define X(E)                                                                   \
  if (Tok.Text == StringRef(#E).lower())                                       \
    K = BinOpKind::E;
    SPL_MIR_BINOPS(X)
#undef X
    if (!K)
      return errorAt(Tok.Loc, "unknown binary operator `" + Tok.Text + "`");
    I.Bin = *K;
    advance();
    return Error::success();
  }
  case FieldKind::UnOp: {
    if (!is(Token::Ident))
      return expected("a unary operator");
    std::optional<UnOpKind> K;
#define X(E)                                                                   \
  if (Tok.Text == StringRef(#E).lower())                                       \
    K = UnOpKind::E;
    SPL_MIR_UNOPS(X)
#undef X
    if (!K)
      return errorAt(Tok.Loc, "unknown unary operator `" + Tok.Text + "`");
    I.Un = *K;
    advance();
    return Error::success();
  }
  case FieldKind::Intrinsic: {
    // A known name, or (v2) any other: a call of __simple_intrinsic_NAME.
    if (!is(Token::Ident) && !is(Token::String))
      return expected("an intrinsic name");
    if (std::optional<IntrinsicKind> K = lookupIntrinsic(Tok.Text)) {
      I.Intr = *K;
    } else {
      if (Tok.Text.empty())
        return errorAt(Tok.Loc, "the intrinsic name must not be empty");
      I.Intr = IntrinsicKind::Extern;
      I.setName(Tok.Text);
    }
    advance();
    return Error::success();
  }
  case FieldKind::Index: {
    if (!is(Token::Int) || Tok.Negative || Tok.N > UINT32_MAX)
      return expected("a field index");
    I.Field = uint32_t(Tok.N);
    advance();
    return Error::success();
  }
  case FieldKind::Symbol: {
    if (!is(Token::Hash))
      return expected("a symbol (#N)");
    I.setSymbol(int64_t(Tok.N));
    advance();
    return Error::success();
  }
  case FieldKind::Flag:
    I.Mutable = isWord("mut");
    if (I.Mutable)
      advance();
    return Error::success();
  case FieldKind::AggKind:
    return parseAggKind(I);
  case FieldKind::Rest: {
    // The current token is the lookahead after the operands: the JSON starts
    // there.
    L.resetTo(Tok);
    Expected<std::string> P = parseJSONPayload(/*ObjectOnly=*/true);
    if (!P)
      return P.takeError();
    // Keys other fields write would be written twice in JSON.
    Expected<llvm::json::Value> V = llvm::json::parse(*P);
    if (V)
      for (const FieldSchema &Other : S.fields())
        if (*Other.Key && V->getAsObject()->get(Other.Key))
          return errorAt(Tok.Loc, "the JSON of `" + opcodeTextName(I.Op) +
                                      "` must not repeat `" + Other.Key + "`");
    if (!V)
      llvm::consumeError(V.takeError());
    I.setPayload(std::move(*P));
    advance();
    return Error::success();
  }
  }
  return Error::success();
}

// tuple | struct#N | enum#N.V | [T]
Error Parser::parseAggKind(Inst &I) {
  if (isWord("tuple")) {
    I.Agg = AggKind::Tuple;
    advance();
    return Error::success();
  }
  if (is(Token::LBracket)) {
    advance();
    Expected<Type> T = parseType();
    if (!T)
      return T.takeError();
    if (Error E = expect(Token::RBracket, "`]` after the element type"))
      return E;
    I.Agg = AggKind::Array;
    I.setType(std::move(*T));
    return Error::success();
  }
  if (isWord("struct")) {
    advance();
    if (!is(Token::Hash))
      return expected("a struct symbol (#N)");
    I.Agg = AggKind::Struct;
    I.setSymbol(int64_t(Tok.N));
    advance();
    return Error::success();
  }
  if (isWord("enum")) {
    advance();
    if (!is(Token::HashDot))
      return expected("an enum symbol and variant (#N.V)");
    I.Agg = AggKind::Enum;
    I.setSymbol(int64_t(Tok.N));
    I.setVariant(uint32_t(Tok.Sub));
    advance();
    return Error::success();
  }
  if (is(Token::Ident))
    return errorAt(Tok.Loc, "unknown aggregate kind `" + Tok.Text + "`");
  return expected("an aggregate kind (tuple, struct#N, enum#N.V or [T])");
}

// call @name(args) : fn(...)   a function by name
// call #N(args) : fn(...)      a function by symbol
// call <operand>(args)         anything else
template <typename OpsT>
Error Parser::parseCallTarget(Operand &Callee, OpsT &Args) {
  if (is(Token::Global) || is(Token::Hash)) {
    Token Name = Tok;
    advance();
    if (Error E = parseArgs(Args))
      return E;
    if (Error E = expect(Token::Colon, "`:` and the callee's type"))
      return E;
    Expected<Signature> S = parseFnType();
    if (!S)
      return S.takeError();
    Type FT = Type::funcPtr(std::move(*S));
    Callee = Operand::constant(Name.K == Token::Global
                                   ? Constant::string(Name.Text, FT)
                                   : Constant::integer(FT, Name.N));
    return Error::success();
  }
  Expected<Operand> C = parseOperand();
  if (!C)
    return C.takeError();
  Callee = std::move(*C);
  return parseArgs(Args);
}

Error Parser::parseTerminator(Terminator &T) {
  T.K = *termFromText(Tok.Text);
  advance();
  switch (T.K) {
  case TermKind::None:
  case TermKind::Unreachable:
    return Error::success();
  case TermKind::Goto: {
    Expected<uint32_t> B = parseBlockRef();
    if (!B)
      return B.takeError();
    T.Target = *B;
    return Error::success();
  }
  case TermKind::Return:
    if (atOperand()) {
      Expected<Operand> O = parseOperand();
      if (!O)
        return O.takeError();
      T.Value = std::move(*O);
    }
    return Error::success();
  case TermKind::Abort:
    if (!is(Token::String))
      return expected("the abort message as a string");
    T.Message = Tok.Text;
    advance();
    return Error::success();
  case TermKind::If: {
    Expected<Operand> C = parseOperand();
    if (!C)
      return C.takeError();
    T.Value = std::move(*C);
    if (Error E = expectWord("then"))
      return E;
    Expected<uint32_t> Then = parseBlockRef();
    if (!Then)
      return Then.takeError();
    if (Error E = expectWord("else"))
      return E;
    Expected<uint32_t> Else = parseBlockRef();
    if (!Else)
      return Else.takeError();
    T.Target = *Then;
    T.Else = *Else;
    return Error::success();
  }
  case TermKind::Switch: {
    // switch OPERAND [V: bbN, ..., otherwise: bbD]
    Expected<Operand> V = parseOperand();
    if (!V)
      return V.takeError();
    T.Value = std::move(*V);
    if (Error E = expect(Token::LBracket, "`[`"))
      return E;
    while (true) {
      if (isWord("otherwise")) {
        advance();
        if (Error E = expect(Token::Colon, "`:`"))
          return E;
        Expected<uint32_t> D = parseBlockRef();
        if (!D)
          return D.takeError();
        T.Target = *D;
        return expect(Token::RBracket, "`]` after the otherwise target");
      }
      if (!is(Token::Int))
        return expected("a case value or `otherwise`");
      SwitchCase C;
      C.Value = Tok.N;
      advance();
      if (Error E = expect(Token::Colon, "`:`"))
        return E;
      Expected<uint32_t> B = parseBlockRef();
      if (!B)
        return B.takeError();
      C.Target = *B;
      T.Cases.push_back(C);
      if (Error E = expect(Token::Comma, "`,`"))
        return E;
    }
  }
  case TermKind::CallTerminator: {
    // invoke CALLEE(ARGS) [: fn(...)] normal bbN [unwind bbU]
    //        [payload _P] [tag _T] [contract "NoUnwind"]
    if (Error E = parseCallTarget(T.Callee, T.Args))
      return E;
    if (Error E = expectWord("normal"))
      return E;
    Expected<uint32_t> N = parseBlockRef();
    if (!N)
      return N.takeError();
    T.Target = *N;
    if (isWord("unwind")) {
      advance();
      Expected<uint32_t> U = parseBlockRef();
      if (!U)
        return U.takeError();
      T.Unwind = *U;
    }
    for (auto [Word, Slot] : {std::pair{"payload", &T.PayloadDest},
                              std::pair{"tag", &T.TagDest}}) {
      if (!isWord(Word))
        continue;
      advance();
      Expected<uint32_t> Lc = parseLocalRef();
      if (!Lc)
        return Lc.takeError();
      *Slot = *Lc;
    }
    if (isWord("contract")) {
      advance();
      if (!is(Token::String))
        return expected("the unwind contract as a string");
      T.UnwindContract = Tok.Text;
      advance();
    }
    return Error::success();
  }
  case TermKind::Throw:
  case TermKind::Resume: {
    // throw PAYLOAD, TAG; the older form without a tag: `throw PAYLOAD`.
    Expected<Operand> P = parseOperand();
    if (!P)
      return P.takeError();
    T.Value = std::move(*P);
    if (!is(Token::Comma)) {
      T.LegacyForm = true;
      T.Tag = Operand::constant(Constant::integer(TypeKind::I64, 0));
      return Error::success();
    }
    advance();
    Expected<Operand> Tg = parseOperand();
    if (!Tg)
      return Tg.takeError();
    T.Tag = std::move(*Tg);
    return Error::success();
  }
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Locals, functions, module
//===----------------------------------------------------------------------===//

// let _N [name]: TYPE (return | arg N | var | temp)
Error Parser::parseLocal(Function &F) {
  advance(); // let
  Local Lc;
  Expected<uint32_t> Id = parseLocalRef();
  if (!Id)
    return Id.takeError();
  Lc.Id = *Id;
  Expected<std::optional<std::string>> N = parseOptionalName();
  if (!N)
    return N.takeError();
  Lc.Name = std::move(*N);
  if (Error E = expect(Token::Colon, "`:` and the local's type"))
    return E;
  Expected<Type> T = parseType();
  if (!T)
    return T.takeError();
  Lc.Ty = std::move(*T);
  if (isWord("return")) {
    Lc.Kind = LocalKind::Return;
  } else if (isWord("var")) {
    Lc.Kind = LocalKind::Var;
  } else if (isWord("temp")) {
    Lc.Kind = LocalKind::Temp;
  } else if (isWord("arg")) {
    advance();
    if (!is(Token::Int) || Tok.Negative || Tok.N > UINT32_MAX)
      return expected("the argument's index");
    Lc.Kind = LocalKind::Arg;
    Lc.ArgIndex = unsigned(Tok.N);
  } else {
    return expected("the local's kind (return, arg N, var or temp)");
  }
  advance();
  F.Locals.push_back(std::move(Lc));
  return Error::success();
}

Error Parser::parseFunction(Module &M) {
  advance(); // fn
  if (!is(Token::Global))
    return expected("the function's name (@name)");
  Function F;
  F.Name = Tok.Text;
  advance();
  if (Error E = parseSigTail(F.Sig))
    return E;
  if (is(Token::Hash)) {
    F.Symbol = int64_t(Tok.N);
    advance();
  }
  std::optional<uint32_t> Entry;
  if (isWord("entry")) {
    advance();
    Expected<uint32_t> B = parseBlockRef();
    if (!B)
      return B.takeError();
    Entry = *B;
  }
  if (Error E = expect(Token::LBrace, "`{`"))
    return E;
  while (isWord("let"))
    if (Error E = parseLocal(F))
      return E;

  Block *Cur = nullptr;
  while (!is(Token::RBrace)) {
    if (is(Token::BlockT)) {
      F.Blocks.emplace_back();
      Cur = &F.Blocks.back();
      Cur->Id = uint32_t(Tok.N);
      Cur->Loc = Tok.Loc;
      advance();
      Expected<std::optional<std::string>> Label = parseOptionalName();
      if (!Label)
        return Label.takeError();
      Cur->Label = std::move(*Label);
      if (Error E = expect(Token::Colon, "`:` after the block"))
        return E;
      Cur->Insts.reserve(L.blockLinesFrom(Tok.Offset));
      continue;
    }
    if (isWord("let"))
      return errorAt(Tok.Loc, "locals (`let`) must come before the first "
                              "block");
    if (!Cur)
      return expected("a block (bbN:) or `}`");
    if (Cur->Term.K != TermKind::None)
      return expected("a block (bbN:) or `}` after the terminator of bb" +
                      Twine(Cur->Id));
    SourceLoc At = Tok.Loc;
    std::optional<uint32_t> Dest;
    if (is(Token::Local)) {
      Dest = uint32_t(Tok.N);
      advance();
      if (Error E = expect(Token::Equal, "`=`"))
        return E;
    }
    if (!is(Token::Ident))
      return expected("an instruction");
    if (std::optional<TermKind> TK = termFromText(Tok.Text)) {
      // Only a call that ends its block writes a local.
      if (Dest && *TK != TermKind::CallTerminator)
        return errorAt(Tok.Loc, "a terminator (`" + Tok.Text +
                                    "`) has no dest");
      Cur->Term.Loc = At;
      Cur->Term.Dest = Dest;
      if (Error E = parseTerminator(Cur->Term))
        return E;
      continue;
    }
    Inst I;
    I.setLoc(At);
    I.setDest(Dest);
    // These never write a local (and JSON has no place for a dest on them).
    if (std::optional<Opcode> Op = opcodeFromText(Tok.Text);
        Dest && Op && instSchema(*Op).Dest == DestRule::None)
      return errorAt(Tok.Loc, "`" + Tok.Text + "` has no dest");
    if (Error E = parseInst(I))
      return E;
    Cur->Insts.push_back(std::move(I));
  }
  advance(); // }
  F.EntryBlock = Entry ? *Entry : (F.Blocks.empty() ? 0 : F.Blocks[0].Id);
  F.reindex();
  M.Functions.push_back(std::move(F));
  return Error::success();
}

Error Parser::parseExtern(Module &M) {
  advance(); // extern
  if (!is(Token::Global))
    return expected("the extern's name (@name)");
  ExternDecl D;
  D.Name = Tok.Text;
  advance();
  if (Error E = parseSigTail(D.Sig))
    return E;
  M.Externs.push_back(std::move(D));
  return Error::success();
}

Expected<Module> Parser::parseModule() {
  Module M;
  bool Named = false;
  while (!is(Token::Eof)) {
    if (isWord("module")) {
      if (Named)
        return errorAt(Tok.Loc, "the module name is given twice");
      advance();
      if (!is(Token::String))
        return expected("the module name as a string");
      M.Name = Tok.Text;
      Named = true;
      advance();
    } else if (isWord("extern")) {
      if (Error E = parseExtern(M))
        return E;
    } else if (isWord("fn")) {
      if (Error E = parseFunction(M))
        return E;
    } else {
      return expected("`module`, `extern` or `fn`");
    }
  }
  return M;
}

} // namespace

llvm::Expected<Module> parseText(llvm::StringRef Text,
                                 llvm::StringRef BufferName) {
  // Out of memory is a load error (see readJSON).
  try {
    return Parser(Text, BufferName).parseModule();
  } catch (const std::bad_alloc &) {
    return outOfMemoryError(Text.size());
  }
}

} // namespace spl::mir
