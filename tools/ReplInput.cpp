//===- tools/ReplInput.cpp - Cells, call lines, typed results -------------===//
//
// The REPL's decisions about its input (tools/Repl.h). Kept free of the
// terminal and the exec manager so tests/repl can check each rule exactly.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"
#include "tools/Repl.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

#include <cmath>
#include <limits>

using namespace llvm;

namespace spl::tool {

void CellReader::addLine(StringRef Line) {
  for (size_t I = 0; I < Line.size(); ++I) {
    char C = Line[I];
    if (InString) {
      if (C == '\\')
        ++I; // the escaped character, whatever it is
      else if (C == '"')
        InString = false;
      continue;
    }
    if (C == ' ' || C == '\t' || C == '\r')
      continue;
    // A comment ends the line's code (MIR-TEXT.md: `//`, or `;` outside
    // `[T; n]`), so a brace in it is not counted.
    if ((C == '/' && I + 1 < Line.size() && Line[I + 1] == '/') ||
        (C == ';' && Brackets == 0))
      break;
    HasCode = true;
    switch (C) {
    case '"':
      InString = true;
      break;
    case '\'':
      // A char literal: up to its closing quote on this line.
      for (++I; I < Line.size() && Line[I] != '\''; ++I)
        if (Line[I] == '\\')
          ++I;
      break;
    case '[':
      ++Brackets;
      break;
    case ']':
      Brackets = Brackets > 0 ? Brackets - 1 : 0;
      break;
    case '{':
      ++Depth;
      break;
    case '}':
      --Depth;
      break;
    default:
      break;
    }
  }
  Text.append(Line.begin(), Line.end());
  Text += '\n';
  // A cell of blanks and comments alone is nothing to compile: forget it so
  // the next line starts afresh.
  if (!HasCode && !InString && Depth == 0)
    Text.clear();
}

/// Splits S at commas outside (), [], <> and quotes.
static std::vector<std::string> splitTopLevel(StringRef S) {
  std::vector<std::string> Out;
  int Nest = 0;
  bool InStr = false, InChar = false;
  size_t Start = 0;
  for (size_t I = 0; I < S.size(); ++I) {
    char C = S[I];
    if (InStr || InChar) {
      if (C == '\\')
        ++I;
      else if ((InStr && C == '"') || (InChar && C == '\''))
        InStr = InChar = false;
      continue;
    }
    if (C == '"')
      InStr = true;
    else if (C == '\'')
      InChar = true;
    else if (C == '(' || C == '[' || C == '<')
      ++Nest;
    else if (C == ')' || C == ']' || (C == '>' && I > 0 && S[I - 1] != '-'))
      --Nest;
    else if (C == ',' && Nest == 0) {
      Out.push_back(S.slice(Start, I).trim().str());
      Start = I + 1;
    }
  }
  StringRef Last = S.drop_front(std::min(Start, S.size())).trim();
  if (!Last.empty() || !Out.empty())
    Out.push_back(Last.str());
  return Out;
}

std::optional<SignatureText> parseSignatureText(StringRef Sig) {
  Sig = Sig.trim();
  if (!Sig.consume_front("fn("))
    return std::nullopt;
  // The parameter list ends at the ')' matching "fn(".
  int Nest = 1;
  size_t Close = 0;
  for (; Close < Sig.size(); ++Close) {
    if (Sig[Close] == '(')
      ++Nest;
    else if (Sig[Close] == ')' && --Nest == 0)
      break;
  }
  if (Close == Sig.size())
    return std::nullopt;
  SignatureText T;
  T.Params = splitTopLevel(Sig.take_front(Close));
  StringRef Rest = Sig.drop_front(Close + 1).trim();
  if (Rest.consume_front("->"))
    T.Ret = Rest.trim().str();
  else if (!Rest.empty())
    return std::nullopt;
  return T;
}

std::optional<CallLine> splitCallLine(StringRef Line) {
  Line = Line.trim();
  size_t Open = Line.find('(');
  if (Open == 0 || Open == StringRef::npos || !Line.ends_with(")"))
    return std::nullopt;
  StringRef Name = Line.take_front(Open);
  for (char C : Name)
    if (!isAlnum(C) && C != '_' && C != '.' && C != '$')
      return std::nullopt; // `fn @f(...)`, `_1 = call ...`: MIR text
  CallLine L;
  L.Name = Name.str();
  L.Args = splitTopLevel(Line.slice(Open + 1, Line.size() - 1));
  return L;
}

namespace {
struct IntType {
  bool Signed;
  unsigned Bits;
  ValueType VT;
};
std::optional<IntType> intType(StringRef Ty) {
  static const struct {
    const char *Name;
    IntType T;
  } Table[] = {{"i8", {true, 8, ValueType::I8}},    {"i16", {true, 16, ValueType::I16}},
               {"i32", {true, 32, ValueType::I32}}, {"i64", {true, 64, ValueType::I64}},
               {"u8", {false, 8, ValueType::U8}},   {"u16", {false, 16, ValueType::U16}},
               {"u32", {false, 32, ValueType::U32}}, {"u64", {false, 64, ValueType::U64}}};
  for (const auto &E : Table)
    if (Ty == E.Name)
      return E.T;
  return std::nullopt;
}

/// The code point of a 'c' literal (one character, or an escape), or nullopt.
std::optional<uint32_t> charLiteral(StringRef S) {
  if (S.size() < 3 || S.front() != '\'' || S.back() != '\'')
    return std::nullopt;
  S = S.drop_front().drop_back();
  if (S.consume_front("\\")) {
    if (S.size() == 1) {
      switch (S[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': return 0;
      case '\\': return '\\';
      case '\'': return '\'';
      case '"': return '"';
      default: return std::nullopt;
      }
    }
    uint32_t CP;
    if (S.consume_front("u{") && S.consume_back("}") && !S.getAsInteger(16, CP))
      return CP;
    return std::nullopt;
  }
  // Exactly one UTF-8 encoded code point.
  const UTF8 *P = reinterpret_cast<const UTF8 *>(S.data());
  const UTF8 *End = P + S.size();
  UTF32 CP;
  if (convertUTF8Sequence(&P, End, &CP, strictConversion) != conversionOK ||
      P != End)
    return std::nullopt;
  return CP;
}

bool validCodePoint(uint64_t C) {
  return C <= 0x10FFFF && !(C >= 0xD800 && C <= 0xDFFF);
}
} // namespace

/// "an i64", "a u8", "an f64", "a bool": the article a reader says.
static std::string withArticle(StringRef Ty) {
  bool An = Ty.starts_with("i") || Ty.starts_with("f");
  return ((An ? "an " : "a ") + Ty).str();
}

std::optional<Value> argumentValue(StringRef Arg, StringRef Ty,
                                   std::string &Error) {
  Arg = Arg.trim();
  auto NotA = [&]() -> std::optional<Value> {
    Error = (Arg + " is not " + withArticle(Ty)).str();
    return std::nullopt;
  };
  auto OutOfRange = [&]() -> std::optional<Value> {
    Error = (Arg + " is out of range for " + Ty).str();
    return std::nullopt;
  };
  if (Arg.empty()) {
    Error = "an argument is missing";
    return std::nullopt;
  }
  if (std::optional<IntType> T = intType(Ty)) {
    if (T->Signed) {
      int64_t V;
      if (Arg.getAsInteger(0, V)) {
        uint64_t Big;
        return Arg.getAsInteger(0, Big) ? NotA() : OutOfRange();
      }
      int64_t Lo = T->Bits == 64 ? std::numeric_limits<int64_t>::min()
                                 : -(int64_t(1) << (T->Bits - 1));
      int64_t Hi = T->Bits == 64 ? std::numeric_limits<int64_t>::max()
                                 : (int64_t(1) << (T->Bits - 1)) - 1;
      if (V < Lo || V > Hi)
        return OutOfRange();
      return Value::raw(T->VT, uint64_t(V)); // the slot: sign-extended
    }
    uint64_t V;
    if (Arg.getAsInteger(0, V)) {
      int64_t Neg;
      return Arg.getAsInteger(0, Neg) ? NotA() : OutOfRange();
    }
    if (T->Bits < 64 && V >> T->Bits)
      return OutOfRange();
    return Value::raw(T->VT, V);
  }
  if (Ty == "f64" || Ty == "f32") {
    double D;
    int64_t I;
    if (!Arg.getAsInteger(0, I)) {
      // An integer literal the float holds exactly: nothing rounded away.
      D = double(I);
      bool Exact = D < 0x1p63 && int64_t(D) == I &&
                   (Ty == "f64" || double(float(D)) == D);
      if (!Exact) {
        Error = (Arg + " is not exactly representable as " + Ty).str();
        return std::nullopt;
      }
    } else if (!to_float(Arg, D)) {
      return NotA();
    }
    if (Ty == "f32") {
      if (std::isfinite(D) && !std::isfinite(float(D)))
        return OutOfRange();
      return Value::f32(float(D));
    }
    return Value::f64(D);
  }
  if (Ty == "bool") {
    if (Arg == "true" || Arg == "false")
      return Value::boolean(Arg == "true");
    return NotA();
  }
  if (Ty == "char") {
    if (std::optional<uint32_t> C = charLiteral(Arg); C && validCodePoint(*C))
      return Value::raw(ValueType::Char, *C);
    uint64_t C;
    if (!Arg.getAsInteger(0, C) && validCodePoint(C))
      return Value::raw(ValueType::Char, C);
    return NotA();
  }
  Error = ("the REPL cannot pass a value of type " + Ty).str();
  return std::nullopt;
}

std::optional<std::string> typedResult(const Value &V, StringRef Ty) {
  std::optional<std::string> T = resultText(V);
  if (!T)
    return std::nullopt;
  return *T + " : " + Ty.str();
}

const std::vector<std::string> &replCommands() {
  static const std::vector<std::string> C = {
      ":backend", ":emit", ":help", ":list", ":load", ":opt", ":quit", ":tiers",
      ":time"};
  return C;
}

} // namespace spl::tool
