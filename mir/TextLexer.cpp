//===- mir/TextLexer.cpp - Tokens of the .mir text form -------------------===//
#include "mir/TextLexer.h"
#include "mir/Literals.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace spl::mir {

static bool isNameStart(char C) { return llvm::isAlpha(C) || C == '_'; }
static bool isNameChar(char C) {
  return llvm::isAlnum(C) || C == '_' || C == '.' || C == '$';
}

Lexer::Lexer(llvm::StringRef Buffer) : Buf(Buffer), At(firstLine()) {}

Lexer::Cursor Lexer::firstLine() const {
  Cursor C;
  C.NextNewline = std::min(Buf.find('\n'), Buf.size());
  return C;
}

size_t Lexer::blockLinesFrom(size_t Offset) const {
  size_t N = 0;
  llvm::StringRef Rest = Buf.drop_front(std::min(Offset, Buf.size()));
  while (!Rest.empty()) {
    auto [Line, Next] = Rest.split('\n');
    Rest = Next;
    llvm::StringRef T = Line.ltrim(" \t\r");
    if (T.empty() || T.starts_with(";") || T.starts_with("//"))
      continue;
    if (T.starts_with("}") ||
        (T.size() > 2 && T.starts_with("bb") && llvm::isDigit(T[2])))
      break;
    ++N;
  }
  return N;
}

SourceLoc Lexer::locOf(size_t Offset) const {
  // Asked in input order (token by token): walk on from the last answer,
  // so the lexer keeps no table of line starts (8 bytes a line). Each
  // newline is looked for once (a line may be a megabyte: one switch). An
  // offset before the current line (rare: an error pointing back) starts
  // over.
  Offset = std::min(Offset, Buf.size());
  if (Offset < At.LineStart)
    At = firstLine();
  while (Offset > At.NextNewline) {
    ++At.Line;
    At.LineStart = At.NextNewline + 1;
    At.NextNewline = std::min(Buf.find('\n', At.LineStart), Buf.size());
  }
  SourceLoc L;
  L.Line = At.Line;
  L.Col = uint32_t(Offset - At.LineStart + 1);
  return L;
}

void Lexer::skipBlanks() {
  while (Pos < Buf.size()) {
    char C = Buf[Pos];
    if (C == ' ' || C == '\t' || C == '\n' || C == '\r') {
      ++Pos;
      continue;
    }
    bool LineComment = (C == ';' && BracketDepth == 0) ||
                       (C == '/' && Pos + 1 < Buf.size() && Buf[Pos + 1] == '/');
    if (!LineComment)
      return;
    while (Pos < Buf.size() && Buf[Pos] != '\n')
      ++Pos;
  }
}

SourceLoc Lexer::peekLoc() {
  skipBlanks();
  return locOf(Pos);
}

Token Lexer::make(Token::Kind K, size_t Start) {
  Token T;
  T.K = K;
  T.Offset = Start;
  T.Loc = locOf(Start);
  T.DepthBefore = DepthAtStart;
  return T;
}

Token Lexer::error(size_t At, const llvm::Twine &Msg) {
  Token T = make(Token::Error, At);
  T.Text = Msg.str();
  Pos = Buf.size(); // stop: the parser reports this token and gives up
  return T;
}

// Decimal or 0x hexadecimal integers, decimal floats (a '.' or an
// exponent makes a float), each with an optional leading '-'.
Token Lexer::lexNumber(size_t Start) {
  size_t P = Start;
  bool Neg = Buf[P] == '-';
  if (Neg)
    ++P;
  if (Buf.substr(P).starts_with("0x") || Buf.substr(P).starts_with("0X")) {
    size_t DigitsStart = P + 2, E = DigitsStart;
    while (E < Buf.size() && llvm::isHexDigit(Buf[E]))
      ++E;
    if (E == DigitsStart || Neg)
      return error(Start, "malformed hexadecimal number");
    if (E < Buf.size() && isNameChar(Buf[E]))
      return error(Start, "malformed number `" +
                              Buf.slice(Start, E + 1) + "`");
    Token T = make(Token::Int, Start);
    T.Hex = true;
    if (llvm::StringRef(Buf.slice(DigitsStart, E)).getAsInteger(16, T.N))
      return error(Start, "number `" + Buf.slice(Start, E) +
                              "` does not fit in 64 bits");
    Pos = E;
    return T;
  }
  size_t E = P;
  while (E < Buf.size() && llvm::isDigit(Buf[E]))
    ++E;
  bool IsFloat = false;
  if (E < Buf.size() && Buf[E] == '.' && E + 1 < Buf.size() &&
      llvm::isDigit(Buf[E + 1])) {
    IsFloat = true;
    ++E;
    while (E < Buf.size() && llvm::isDigit(Buf[E]))
      ++E;
  }
  if (E < Buf.size() && (Buf[E] == 'e' || Buf[E] == 'E')) {
    size_t X = E + 1;
    if (X < Buf.size() && (Buf[X] == '+' || Buf[X] == '-'))
      ++X;
    if (X < Buf.size() && llvm::isDigit(Buf[X])) {
      IsFloat = true;
      E = X;
      while (E < Buf.size() && llvm::isDigit(Buf[E]))
        ++E;
    }
  }
  if (E < Buf.size() && isNameChar(Buf[E]))
    return error(Start, "malformed number `" + Buf.slice(Start, E + 1) + "`");
  llvm::StringRef Text = Buf.slice(Start, E);
  if (IsFloat) {
    Token T = make(Token::Float, Start);
    std::string S = Text.str();
    T.F = std::strtod(S.c_str(), nullptr);
    Pos = E;
    return T;
  }
  Token T = make(Token::Int, Start);
  uint64_t Mag;
  if (Text.drop_front(Neg ? 1 : 0).getAsInteger(10, Mag) ||
      (Neg && Mag > (uint64_t(1) << 63)))
    return error(Start, "integer `" + Text + "` is out of range");
  T.Negative = Neg && Mag != 0;
  T.N = Neg ? uint64_t(0) - Mag : Mag;
  Pos = E;
  return T;
}

namespace {
/// Checks bytes one at a time for well-formed UTF-8 (The Unicode Standard,
/// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF). On
/// a failure it names the culprit: the first byte of a broken sequence, or a
/// byte that cannot start one.
class UTF8Check {
public:
  /// False if B cannot come next. Src: where B came from in the source.
  bool push(uint8_t B, size_t Src) {
    if (Need == 0) {
      SeqAt = Src;
      SeqByte = B;
      Lo = 0x80;
      Hi = 0xBF;
      if (B < 0x80)
        return true;
      if (B >= 0xC2 && B <= 0xDF) {
        Need = 1;
      } else if (B >= 0xE0 && B <= 0xEF) {
        Need = 2;
        Lo = B == 0xE0 ? 0xA0 : 0x80; // E0: no overlong forms
        Hi = B == 0xED ? 0x9F : 0xBF; // ED: no surrogates
      } else if (B >= 0xF0 && B <= 0xF4) {
        Need = 3;
        Lo = B == 0xF0 ? 0x90 : 0x80; // F0: no overlong forms
        Hi = B == 0xF4 ? 0x8F : 0xBF; // F4: nothing above U+10FFFF
      } else {
        return false; // a continuation byte, C0, C1 or F5..FF
      }
      return true;
    }
    if (B < Lo || B > Hi)
      return false;
    Lo = 0x80;
    Hi = 0xBF;
    --Need;
    return true;
  }
  bool complete() const { return Need == 0; }
  /// The culprit after a failed push or at an incomplete end.
  size_t culpritAt() const { return SeqAt; }
  uint8_t culprit() const { return SeqByte; }

private:
  unsigned Need = 0;            // continuation bytes still to come
  uint8_t Lo = 0x80, Hi = 0xBF; // the range of the next continuation byte
  size_t SeqAt = 0;             // where the current sequence began
  uint8_t SeqByte = 0;          // and its first byte
};
} // namespace

Token Lexer::lexString(size_t Start) {
  Token T = make(Token::String, Start);
  // Strings are UTF-8 text, as JSON strings are: a byte that is not part of
  // well-formed UTF-8 (raw, or written \xHH) could not reach JSON unchanged,
  // so it is an error here (docs/MIR-TEXT.md "Lexical rules").
  UTF8Check Check;
  auto Bad = [&]() {
    return error(Check.culpritAt(),
                 "invalid UTF-8 in a string (byte 0x" +
                     llvm::utohexstr(Check.culprit(), /*LowerCase=*/true, 2) +
                     "): strings must be UTF-8; write a code point as "
                     "\\u{HEX}");
  };
  // Appends the bytes that the source at Src stands for.
  std::optional<Token> Failed;
  auto Put = [&](llvm::StringRef Bytes, size_t Src) {
    for (char C : Bytes)
      if (!Check.push(uint8_t(C), Src)) {
        Failed = Bad();
        return false;
      }
    T.Text += Bytes;
    return true;
  };
  size_t P = Start + 1;
  while (true) {
    if (P >= Buf.size() || Buf[P] == '\n')
      return error(Start, "unterminated string");
    char C = Buf[P];
    if (C == '"')
      break;
    if (C != '\\') {
      if (!Put(llvm::StringRef(&Buf.data()[P], 1), P))
        return *Failed;
      ++P;
      continue;
    }
    size_t EscAt = P;
    if (++P >= Buf.size())
      return error(Start, "unterminated string");
    char Esc = 0;
    switch (char E = Buf[P++]) {
    case 'n':
      Esc = '\n';
      break;
    case 't':
      Esc = '\t';
      break;
    case 'r':
      Esc = '\r';
      break;
    case '0':
      Esc = '\0';
      break;
    case '\\':
    case '"':
    case '\'':
      Esc = E;
      break;
    case 'x': {
      if (P + 2 > Buf.size() || !llvm::isHexDigit(Buf[P]) ||
          !llvm::isHexDigit(Buf[P + 1]))
        return error(EscAt, "\\x needs two hexadecimal digits");
      Esc = char(llvm::hexFromNibbles(Buf[P], Buf[P + 1]));
      P += 2;
      break;
    }
    case 'u': {
      // \u{1F600}: a code point, stored as UTF-8.
      size_t Close = Buf.find('}', P);
      uint32_t CP;
      if (P >= Buf.size() || Buf[P] != '{' || Close == llvm::StringRef::npos ||
          Buf.slice(P + 1, Close).getAsInteger(16, CP) || CP > 0x10FFFF ||
          (CP >= 0xD800 && CP <= 0xDFFF)) // surrogates are not characters
        return error(EscAt, "\\u needs a code point as \\u{HEX}");
      char UTF8[8];
      char *Out = UTF8;
      if (!llvm::ConvertCodePointToUTF8(CP, Out))
        return error(EscAt, "\\u{...} is not a valid code point");
      if (!Put(llvm::StringRef(UTF8, Out - UTF8), EscAt))
        return *Failed;
      P = Close + 1;
      continue;
    }
    default:
      return error(EscAt, "unknown escape `\\" + std::string(1, E) + "`");
    }
    if (!Put(llvm::StringRef(&Esc, 1), EscAt))
      return *Failed;
  }
  if (!Check.complete())
    return Bad();
  Pos = P + 1;
  return T;
}

Token Lexer::next() {
  skipBlanks();
  size_t Start = Pos;
  DepthAtStart = BracketDepth;
  if (Pos >= Buf.size())
    return make(Token::Eof, Start);
  char C = Buf[Pos];
  auto Punct = [&](Token::Kind K, size_t Len) {
    Pos += Len;
    return make(K, Start);
  };
  switch (C) {
  case '(':
    return Punct(Token::LParen, 1);
  case ')':
    return Punct(Token::RParen, 1);
  case '[':
    ++BracketDepth;
    return Punct(Token::LBracket, 1);
  case ']':
    if (BracketDepth)
      --BracketDepth;
    return Punct(Token::RBracket, 1);
  case '{':
    return Punct(Token::LBrace, 1);
  case '}':
    return Punct(Token::RBrace, 1);
  case ',':
    return Punct(Token::Comma, 1);
  case ':':
    return Punct(Token::Colon, 1);
  case ';':
    return Punct(Token::Semi, 1); // only inside [...]: else a comment
  case '=':
    return Punct(Token::Equal, 1);
  case '*':
    return Punct(Token::Star, 1);
  case '<':
    return Punct(Token::Less, 1);
  case '>':
    return Punct(Token::Greater, 1);
  case '&':
    return Punct(Token::Amp, 1);
  case '"':
    return lexString(Start);
  case '.':
    if (Buf.substr(Pos).starts_with("..."))
      return Punct(Token::Ellipsis, 3);
    break;
  case '-':
    if (Pos + 1 < Buf.size() && Buf[Pos + 1] == '>')
      return Punct(Token::Arrow, 2);
    if (Pos + 1 < Buf.size() && llvm::isDigit(Buf[Pos + 1]))
      return lexNumber(Start);
    return Punct(Token::Minus, 1);
  case '@': {
    if (Pos + 1 < Buf.size() && Buf[Pos + 1] == '"') {
      Token S = lexString(Start + 1);
      if (S.K == Token::Error)
        return S;
      Token T = make(Token::Global, Start);
      T.Text = std::move(S.Text);
      return T;
    }
    size_t E = Pos + 1;
    while (E < Buf.size() && isNameChar(Buf[E]))
      ++E;
    if (E == Pos + 1)
      return error(Start, "`@` must be followed by a name");
    Token T = make(Token::Global, Start);
    T.Text = Buf.slice(Pos + 1, E).str();
    Pos = E;
    return T;
  }
  case '#': {
    size_t P = Pos + 1;
    bool Neg = P < Buf.size() && Buf[P] == '-';
    size_t DigitsStart = Neg ? P + 1 : P, E = DigitsStart;
    while (E < Buf.size() && llvm::isDigit(Buf[E]))
      ++E;
    uint64_t Mag;
    if (E == DigitsStart || Buf.slice(DigitsStart, E).getAsInteger(10, Mag) ||
        Mag > (uint64_t(1) << 63) - (Neg ? 0 : 1))
      return error(Start, "`#` must be followed by a symbol number");
    Token T = make(Token::Hash, Start);
    T.N = Neg ? uint64_t(0) - Mag : Mag;
    // #N.M: an enum symbol and a variant (aggregate enum#4.1).
    if (E + 1 < Buf.size() && Buf[E] == '.' && llvm::isDigit(Buf[E + 1])) {
      size_t SubStart = E + 1, SubEnd = SubStart;
      while (SubEnd < Buf.size() && llvm::isDigit(Buf[SubEnd]))
        ++SubEnd;
      if (Buf.slice(SubStart, SubEnd).getAsInteger(10, T.Sub) ||
          T.Sub > UINT32_MAX)
        return error(Start, "the variant of `#N.M` is out of range");
      T.K = Token::HashDot;
      E = SubEnd;
    }
    Pos = E;
    return T;
  }
  default:
    break;
  }
  if (llvm::isDigit(C))
    return lexNumber(Start);
  if (isNameStart(C)) {
    size_t E = Pos;
    while (E < Buf.size() && isNameChar(Buf[E]))
      ++E;
    llvm::StringRef Word = Buf.slice(Pos, E);
    Pos = E;
    // _N and bbN are a local and a block; anything else is a name.
    auto Numbered = [&](llvm::StringRef Prefix, Token::Kind K) -> Token {
      llvm::StringRef Digits = Word.drop_front(Prefix.size());
      Token T = make(K, Start);
      if (Digits.getAsInteger(10, T.N) || T.N > UINT32_MAX)
        return error(Start, "`" + Word + "` is out of range");
      return T;
    };
    if (isNumberedName(Word, "_"))
      return Numbered("_", Token::Local);
    if (isNumberedName(Word, "bb"))
      return Numbered("bb", Token::BlockT);
    Token T = make(Token::Ident, Start);
    T.Text = Word.str();
    return T;
  }
  return error(Start, "unexpected character `" + std::string(1, C) + "`");
}

llvm::StringRef Lexer::scanJSONValue() {
  skipBlanks();
  size_t Start = Pos, P = Pos;
  if (P >= Buf.size())
    return {};
  auto SkipString = [&](size_t &Q) -> bool {
    for (++Q; Q < Buf.size(); ++Q) {
      if (Buf[Q] == '\\')
        ++Q;
      else if (Buf[Q] == '"')
        return ++Q, true;
    }
    return false;
  };
  char C = Buf[P];
  if (C == '{' || C == '[') {
    int Depth = 0;
    while (P < Buf.size()) {
      char D = Buf[P];
      if (D == '"') {
        if (!SkipString(P))
          return {};
        continue;
      }
      if (D == '{' || D == '[')
        ++Depth;
      else if (D == '}' || D == ']')
        if (--Depth == 0) {
          ++P;
          break;
        }
      ++P;
    }
    if (Depth != 0)
      return {};
  } else if (C == '"') {
    if (!SkipString(P))
      return {};
  } else {
    while (P < Buf.size() && (llvm::isAlnum(Buf[P]) || Buf[P] == '-' ||
                              Buf[P] == '+' || Buf[P] == '.'))
      ++P;
  }
  Pos = P;
  return Buf.slice(Start, P);
}

static std::string backticked(const llvm::Twine &S) {
  return ("`" + S + "`").str();
}

std::string describe(const Token &T) {
  switch (T.K) {
  case Token::Eof:
    return "end of input";
  case Token::Error:
    return T.Text;
  case Token::Ident:
    return backticked(T.Text);
  case Token::Local:
    return backticked("_" + llvm::Twine(T.N));
  case Token::BlockT:
    return backticked("bb" + llvm::Twine(T.N));
  case Token::Global:
    return backticked("@" + llvm::Twine(T.Text));
  case Token::Hash:
    return backticked("#" + llvm::Twine(int64_t(T.N)));
  case Token::HashDot:
    return backticked("#" + llvm::Twine(int64_t(T.N)) + "." +
                      llvm::Twine(T.Sub));
  case Token::Less:
    return "`<`";
  case Token::Greater:
    return "`>`";
  case Token::Int:
    return backticked(T.Negative ? std::to_string(int64_t(T.N))
                                 : std::to_string(T.N));
  case Token::Float:
    return "a number";
  case Token::String:
    return "a string";
  case Token::LParen:
    return "`(`";
  case Token::RParen:
    return "`)`";
  case Token::LBracket:
    return "`[`";
  case Token::RBracket:
    return "`]`";
  case Token::LBrace:
    return "`{`";
  case Token::RBrace:
    return "`}`";
  case Token::Comma:
    return "`,`";
  case Token::Colon:
    return "`:`";
  case Token::Semi:
    return "`;`";
  case Token::Equal:
    return "`=`";
  case Token::Arrow:
    return "`->`";
  case Token::Star:
    return "`*`";
  case Token::Amp:
    return "`&`";
  case Token::Minus:
    return "`-`";
  case Token::Ellipsis:
    return "`...`";
  }
  return "?";
}

} // namespace spl::mir
