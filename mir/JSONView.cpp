//===- mir/JSONView.cpp - The JSON reader's view of its input -------------===//
//
// A strict JSON parser: it accepts a subset of what llvm::json::parse
// accepts (lib/Support/JSON.cpp, LLVM 19) and reads every value of it as
// llvm::json does, checking in the same single walk what a separate
// validation pass used to check (UTF-8, escapes, nesting, trailing text).
// Anything else declines, and the llvm::json reader gives the message.
//
//===----------------------------------------------------------------------===//
#include "mir/JSONView.h"
#include "mir/MIR.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

#include <array>
#include <cstdlib>
#include <cstring>
#include <string>

namespace spl::mir::jsonview {

namespace json = llvm::json;
using llvm::StringRef;
using Kind = json::Value::Kind;

JObject::JObject(const JValue &V) {
  if (!V.isObject())
    return;
  const JNode *N = V.node();
  const JNode *End = N + N->Span;
  for (const JNode *Key = N + 1; Key != End;) {
    const JNode *Val = Key + 1;
    if (!Key->Dead)
      Fields.emplace_back(StringRef(Key->V.S, Key->Len), JValue(Val));
    Key = Val + Val->Span;
  }
}

JArray::JArray(const JValue &V) {
  if (!V.isArray())
    return;
  const JNode *N = V.node();
  Size = N->Len;
  if (N->Lazy) {
    Text = N;
    return;
  }
  First = N + 1;
  Last = N + N->Span;
}

JArray::~JArray() = default;
JArray::JArray(JArray &&) noexcept = default;

JArray::iterator JArray::begin() {
  if (!Text)
    return iterator(this, First);
  if (!Walk)
    Walk.reset(new JSONDocument(StringRef(Text->V.S, Text->TextLen),
                                JSONDocument::Nested()));
  Walk->P = Walk->Begin;
  return iterator(this, nextLazy().node());
}

JValue JArray::nextLazy() {
  if (!Walk->lazyElement())
    return JValue(Last); // the end (Last is null for a lazy array)
  return Walk->Scratch.root();
}

// The document being read on this thread: a lazy array's walk that fails
// marks it.
static thread_local JSONDocument *Current = nullptr;

JSONDocument::JSONDocument(StringRef Text)
    : Begin(Text.data()), P(Text.data()), End(Text.data() + Text.size()),
      Registered(true), Outer(Current) {
  Current = this;
}

JSONDocument::JSONDocument(StringRef ArrayText, Nested)
    : Begin(ArrayText.data()), P(ArrayText.data()),
      End(ArrayText.data() + ArrayText.size()) {}

JSONDocument::~JSONDocument() {
  if (Registered)
    Current = Outer;
}

void JSONDocument::fail() {
  Broken = true;
  if (Current)
    Current->Broken = true;
}

// The array's text was checked whole when first parsed: this parse of one
// element at a time finds the same elements (nested more shallowly than
// they really are, so the depth limit, checked then, cannot refuse them).
bool JSONDocument::lazyElement() {
  if (P == Begin) {
    ++P; // `[`
    skipSpace();
    if (P != End && *P == ']') {
      P = End;
      return false;
    }
  }
  if (P == End)
    return false;
  Scratch.clear();
  if (!value(Scratch, 1)) {
    fail();
    return false;
  }
  skipSpace();
  if (P != End && *P == ',') {
    ++P;
    return true;
  }
  if (P != End && *P == ']') {
    P = End;
    return true;
  }
  fail();
  return false;
}

// A new node, made in place (a node built aside and copied in is written
// a byte at a time and read back whole: a stall per node).
static JNode &add(JTree &T, Kind K) {
  JNode &N = T.nodes().emplace_back();
  N.K = K;
  return N;
}

// One UTF-8 sequence at P (its first byte >= 0x80), as the Unicode
// standard has them (llvm::json checks the whole input so): no overlong
// forms, no surrogates, nothing above U+10FFFF.
static bool utf8Sequence(const char *&P, const char *End) {
  auto Byte = [&](size_t I) { return (unsigned char)P[I]; };
  unsigned char C = Byte(0);
  size_t N;
  unsigned char Lo = 0x80, Hi = 0xBF; // the second byte's range
  if (C >= 0xC2 && C <= 0xDF)
    N = 2;
  else if (C >= 0xE0 && C <= 0xEF) {
    N = 3;
    if (C == 0xE0)
      Lo = 0xA0;
    else if (C == 0xED)
      Hi = 0x9F;
  } else if (C >= 0xF0 && C <= 0xF4) {
    N = 4;
    if (C == 0xF0)
      Lo = 0x90;
    else if (C == 0xF4)
      Hi = 0x8F;
  } else
    return false;
  if (size_t(End - P) < N || Byte(1) < Lo || Byte(1) > Hi)
    return false;
  for (size_t I = 2; I < N; ++I)
    if (Byte(I) < 0x80 || Byte(I) > 0xBF)
      return false;
  P += N;
  return true;
}

// A string's text after its opening quote, through its closing one. Most
// strings have no escape: they are borrowed from the input.
bool JSONDocument::string(JTree &T, StringRef &Out) {
  const char *Start = P;
  while (P != End) {
    unsigned char C = *P;
    if (C == '"') {
      Out = StringRef(Start, P - Start);
      ++P;
      return true;
    }
    if (C == '\\')
      return escaped(T, Start, Out);
    if (C < 0x20) // llvm::json: a control character (the quirks pass's)
      return false;
    if (C < 0x80)
      ++P;
    else if (!utf8Sequence(P, End))
      return false;
  }
  return false;
}

static bool hex4(const char *&P, const char *End, unsigned &Out) {
  if (End - P < 4)
    return false;
  Out = 0;
  for (int I = 0; I < 4; ++I) {
    unsigned D = llvm::hexDigitValue(*P++);
    if (D == ~0U)
      return false;
    Out = Out * 16 + D;
  }
  return true;
}

// The rest of a string from its first escape (at P), unescaped into T's
// strings. A UTF-16 surrogate pair is its one character; half a pair
// declines (the llvm::json reader calls it an error: llvm::json itself
// would quietly make it U+FFFD).
bool JSONDocument::escaped(JTree &T, const char *Start, StringRef &Out) {
  llvm::SmallString<64> Buf(StringRef(Start, P - Start));
  for (;;) {
    if (P == End)
      return false;
    unsigned char C = *P;
    if (C == '"') {
      ++P;
      break;
    }
    if (C < 0x20)
      return false;
    if (C >= 0x80) {
      const char *B = P;
      if (!utf8Sequence(P, End))
        return false;
      Buf.append(B, P);
      continue;
    }
    ++P;
    if (C != '\\') {
      Buf.push_back(char(C));
      continue;
    }
    if (P == End)
      return false;
    char E = *P++;
    if (E != 'u') {
      // JSON's one-letter escapes, and what each stands for.
      static constexpr llvm::StringLiteral Letters = "\"\\/bfnrt",
                                           Meanings = "\"\\/\b\f\n\r\t";
      size_t I = Letters.find(E);
      if (I == StringRef::npos)
        return false;
      Buf.push_back(Meanings[I]);
      continue;
    }
    unsigned U;
    if (!hex4(P, End, U) || (U >= 0xDC00 && U <= 0xDFFF))
      return false;
    if (U >= 0xD800 && U <= 0xDBFF) {
      unsigned L;
      if (End - P < 2 || P[0] != '\\' || P[1] != 'u')
        return false;
      P += 2;
      if (!hex4(P, End, L) || L < 0xDC00 || L > 0xDFFF)
        return false;
      U = 0x10000 + ((U - 0xD800) << 10) + (L - 0xDC00);
    }
    char UTF8[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
    char *UTF8End = UTF8;
    if (!llvm::ConvertCodePointToUTF8(U, UTF8End))
      return false;
    Buf.append(UTF8, UTF8End);
  }
  char *Mem = T.Strings.Allocate<char>(Buf.size());
  std::memcpy(Mem, Buf.data(), Buf.size());
  Out = StringRef(Mem, Buf.size());
  return true;
}

// The characters llvm::json reads on as one number token.
static bool inNumberToken(char C) {
  return llvm::isDigit(C) || C == 'e' || C == 'E' || C == '+' || C == '-' ||
         C == '.';
}

// JSON's own number grammar only (llvm::json also takes `01`, `+1`, `1.`:
// declined, it decides those). The kind is llvm::json's: int64 when the
// digits fit, else uint64, else the double strtod makes of the token.
bool JSONDocument::number(JTree &T) {
  const char *Start = P;
  bool Negative = *P == '-';
  if (Negative)
    ++P;
  if (P == End)
    return false;
  if (*P == '0')
    ++P;
  else if (*P >= '1' && *P <= '9')
    while (P != End && llvm::isDigit(*P))
      ++P;
  else
    return false;
  const char *IntEnd = P;
  bool Integral = true;
  if (P != End && *P == '.') {
    Integral = false;
    ++P;
    if (P == End || !llvm::isDigit(*P))
      return false;
    while (P != End && llvm::isDigit(*P))
      ++P;
  }
  if (P != End && (*P == 'e' || *P == 'E')) {
    Integral = false;
    ++P;
    if (P != End && (*P == '+' || *P == '-'))
      ++P;
    if (P == End || !llvm::isDigit(*P))
      return false;
    while (P != End && llvm::isDigit(*P))
      ++P;
  }
  if (P != End && inNumberToken(*P))
    return false; // a longer token to llvm::json (`01`, `1.5.2`)
  JNode &N = add(T, Kind::Number);
  if (Integral) {
    uint64_t Mag = 0;
    for (const char *D = Start + Negative; D != IntEnd; ++D) {
      unsigned Digit = *D - '0';
      if (Mag > (UINT64_MAX - Digit) / 10) {
        T.Nodes.pop_back();
        return false; // beyond 64 bits: llvm::json makes it a double
      }
      Mag = Mag * 10 + Digit;
    }
    if (Negative) {
      if (Mag > uint64_t(INT64_MAX) + 1) {
        T.Nodes.pop_back();
        return false;
      }
      N.Num = JNode::NumKind::Int;
      N.V.I = int64_t(0 - Mag);
    } else if (Mag <= uint64_t(INT64_MAX)) {
      N.Num = JNode::NumKind::Int;
      N.V.I = int64_t(Mag);
    } else {
      N.Num = JNode::NumKind::UInt;
      N.V.U = Mag;
    }
  } else {
    // As llvm::json reads it: strtod of the token (NUL-terminated).
    char Small[64];
    std::string Big;
    size_t Len = P - Start;
    const char *Z;
    if (Len < sizeof(Small)) {
      std::memcpy(Small, Start, Len);
      Small[Len] = 0;
      Z = Small;
    } else {
      Big.assign(Start, Len);
      Z = Big.c_str();
    }
    char *ZEnd;
    double D = std::strtod(Z, &ZEnd);
    if (ZEnd != Z + Len || std::isinf(D)) {
      T.Nodes.pop_back();
      return false; // overflow: llvm::json's infinity, its reader decides
    }
    N.Num = JNode::NumKind::Double;
    N.V.D = D;
  }
  return true;
}

bool JSONDocument::literal(StringRef Word) {
  if (size_t(End - P) < Word.size() || std::memcmp(P, Word.data(), Word.size()))
    return false;
  P += Word.size();
  return true;
}

// A string node (an object's keys are such nodes too).
static bool pushString(std::vector<JNode> &Nodes, StringRef S) {
  if (S.size() > UINT32_MAX)
    return false;
  JNode &N = Nodes.emplace_back();
  N.K = Kind::String;
  N.V.S = S.data();
  N.Len = uint32_t(S.size());
  return true;
}

bool JSONDocument::value(JTree &T, unsigned Depth) {
  skipSpace();
  if (P == End)
    return false;
  switch (*P) {
  case '{':
  case '[':
    return container(T, Depth, *P == '{');
  case '"': {
    ++P;
    StringRef S;
    return string(T, S) && pushString(T.Nodes, S);
  }
  case 't':
  case 'f': {
    bool B = *P == 't';
    if (!literal(B ? "true" : "false"))
      return false;
    add(T, Kind::Boolean).V.B = B;
    return true;
  }
  case 'n':
    if (!literal("null"))
      return false;
    add(T, Kind::Null);
    return true;
  default:
    return number(T);
  }
}

// The members of the array or object at P (its `[` or `{`), through its
// closing bracket: Each(Key) for each (Key empty in an array; unescaped
// into T's strings), with P at the member's value, which Each parses.
template <typename MemberFn>
bool JSONDocument::members(JTree &T, bool IsObject, MemberFn Each) {
  char Close = IsObject ? '}' : ']';
  ++P;
  skipSpace();
  if (P != End && *P == Close) {
    ++P;
    return true;
  }
  for (;;) {
    StringRef K;
    if (IsObject) {
      if (P == End || *P != '"')
        return false;
      ++P;
      if (!string(T, K))
        return false;
      skipSpace();
      if (P == End || *P != ':')
        return false;
      ++P;
      skipSpace();
    }
    if (!Each(K))
      return false;
    skipSpace();
    if (P == End)
      return false;
    if (*P == ',') {
      ++P;
      skipSpace();
      continue;
    }
    if (*P != Close)
      return false;
    ++P;
    return true;
  }
}

// The container node at At, its members all read: its size, and which of
// its keys a repeated one replaced.
bool JSONDocument::close(JTree &T, size_t At, uint32_t Count) {
  if (T.Nodes.size() - At > UINT32_MAX)
    return false;
  JNode &N = T.Nodes[At];
  N.Span = uint32_t(T.Nodes.size() - At);
  N.Len = Count;
  if (N.K == Kind::Object && Count > 1)
    dedupe(T, At);
  return true;
}

bool JSONDocument::container(JTree &T, unsigned Depth, bool IsObject) {
  // Depth counts the top-level object as 1 (llvm::json's reader measures
  // the same way and refuses deeper input before parsing it).
  if (Depth > MaxJSONNesting)
    return false;
  const char *Open = P;
  size_t At = T.Nodes.size();
  add(T, IsObject ? Kind::Object : Kind::Array);
  uint32_t Count = 0;
  bool Lazy = false;
  if (!members(T, IsObject, [&](StringRef K) {
        if ((IsObject && !pushString(T.Nodes, K)) || !value(T, Depth + 1))
          return false;
        ++Count;
        // Too big to keep: checked and counted, its members dropped.
        if (!IsObject && (Lazy || T.Nodes.size() - At > LazyNodes)) {
          Lazy = true;
          T.Nodes.resize(At + 1);
        }
        return true;
      }))
    return false;
  if (!close(T, At, Count) || size_t(P - Open) > UINT32_MAX)
    return false;
  if (Lazy) {
    JNode &N = T.Nodes[At];
    N.Lazy = true;
    N.V.S = Open;
    N.TextLen = uint32_t(P - Open);
  }
  return true;
}

// llvm::json::Object keeps the last value of a repeated key: the earlier
// keys are marked dead (and no longer counted).
void JSONDocument::dedupe(JTree &T, size_t At) {
  JNode *N = &T.Nodes[At];
  JNode *End = N + N->Span;
  llvm::SmallVector<JNode *, 8> Keys;
  for (JNode *Key = N + 1; Key != End; Key += 1 + Key[1].Span)
    Keys.push_back(Key);
  auto Same = [](const JNode *A, const JNode *B) {
    return StringRef(A->V.S, A->Len) == StringRef(B->V.S, B->Len);
  };
  if (Keys.size() <= 16) {
    for (size_t I = 1; I < Keys.size(); ++I)
      for (size_t J = 0; J < I; ++J)
        if (!Keys[J]->Dead && Same(Keys[J], Keys[I])) {
          Keys[J]->Dead = true;
          --N->Len;
        }
    return;
  }
  llvm::DenseMap<StringRef, JNode *> Last;
  for (JNode *Key : Keys) {
    auto [It, New] = Last.try_emplace(StringRef(Key->V.S, Key->Len), Key);
    if (!New) {
      It->second->Dead = true;
      It->second = Key;
      --N->Len;
    }
  }
}

// The commas from P (inside an array or object, outside strings) to the
// bracket that closes it, at its own level, without checking anything else.
// A table picks the few bytes that matter; the others pass in a tight loop.
static size_t commasToClose(const char *P, const char *End) {
  enum : uint8_t { Other, Quote, Backslash, Open, Close, Comma };
  static const auto Table = [] {
    std::array<uint8_t, 256> T{};
    T['"'] = Quote;
    T['\\'] = Backslash;
    T['['] = T['{'] = Open;
    T[']'] = T['}'] = Close;
    T[','] = Comma;
    return T;
  }();
  size_t Depth = 0, Commas = 0;
  bool InString = false;
  for (const unsigned char *U = (const unsigned char *)P,
                           *E = (const unsigned char *)End;
       U < E; ++U) {
    uint8_t T = Table[*U];
    if (T == Other)
      continue;
    if (InString) {
      if (T == Quote)
        InString = false;
      else if (T == Backslash && U + 1 < E)
        ++U;
      continue;
    }
    switch (T) {
    case Quote:
      InString = true;
      break;
    case Open:
      ++Depth;
      break;
    case Close:
      if (!Depth)
        return Commas;
      --Depth;
      break;
    case Comma:
      Commas += !Depth;
      break;
    }
  }
  return Commas;
}

size_t JSONDocument::elementsLeft() const { return commasToClose(P, End); }

// The top-level `functions` array or object, at P: each element parsed
// into the scratch tree and handed out, then forgotten.
bool JSONDocument::streamed(bool IsObject, StartFn Start, ElementFn Each) {
  if (!Start(IsObject))
    return false;
  // An unescaped key goes to the top-level tree: it outlives the scratch.
  return members(Top, IsObject, [&](StringRef K) {
    Scratch.clear();
    // The top-level object is level 1, `functions` level 2.
    return value(Scratch, 3) && Each(K, Scratch.root());
  });
}

bool JSONDocument::parse(StartFn Start, ElementFn Each) {
  skipSpace();
  if (P == End || *P != '{')
    return false;
  add(Top, Kind::Object);
  uint32_t Count = 0;
  if (!members(Top, true, [&](StringRef K) {
        if (!pushString(Top.Nodes, K))
          return false;
        ++Count;
        if (K == "functions" && P != End && (*P == '[' || *P == '{')) {
          add(Top, *P == '{' ? Kind::Object : Kind::Array).Streamed = true;
          return streamed(*P == '{', Start, Each);
        }
        return value(Top, 2);
      }))
    return false;
  if (!close(Top, 0, Count))
    return false;
  // Nothing but whitespace after the top-level value.
  skipSpace();
  return P == End;
}

json::Value JValue::scalar() const {
  switch (N->K) {
  case Kind::Boolean:
    return N->V.B;
  case Kind::String:
    return StringRef(N->V.S, N->Len);
  case Kind::Number:
    if (N->Num == JNode::NumKind::Int)
      return N->V.I;
    if (N->Num == JNode::NumKind::UInt)
      return N->V.U;
    return N->V.D;
  default:
    return nullptr;
  }
}

json::Value toJSON(const JValue &V) {
  if (V.isObject()) {
    json::Object O;
    for (const JObject::Entry &E : JObject(V))
      O[E.first] = toJSON(E.second);
    return json::Value(std::move(O));
  }
  if (V.isArray()) {
    json::Array A;
    for (const JValue &E : JArray(V))
      A.push_back(toJSON(E));
    return json::Value(std::move(A));
  }
  return V.scalar();
}

} // namespace spl::mir::jsonview
