//===- runtime/Format.cpp - Numbers and values to text --------------------===//
//
// rt_raw_f64_to_string prints the shortest digits that read back as the same
// double (std::to_chars), laid out in fixed notation only: never an exponent,
// ".0" on integral values. rt_to_string renders any tagged word.
//
//===----------------------------------------------------------------------===//

#include "runtime/Objects.h"
#include "runtime/Text.h"
#include "runtime/spl_runtime.h"

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

/// Longest output: 5e-324 is "0." + 323 zeros + "5" (and -, digits).
constexpr size_t F64FixedMax = 400;

size_t formatF64Fixed(double V, char *Buf) {
  size_t Len = 0;
  bool Neg = std::signbit(V);
  if (std::isnan(V)) {
    std::memcpy(Buf, Neg ? "-NaN" : "NaN", Neg ? 4 : 3);
    return Neg ? 4 : 3;
  }
  if (Neg)
    Buf[Len++] = '-';
  V = std::fabs(V);
  if (std::isinf(V)) {
    std::memcpy(Buf + Len, "inf", 3);
    return Len + 3;
  }
  if (V == 0) {
    std::memcpy(Buf + Len, "0.0", 3);
    return Len + 3;
  }
  // Shortest round-trip digits as "d[.ddd]e[+-]x", then expanded.
  char Sci[64];
  auto Res =
      std::to_chars(Sci, Sci + sizeof(Sci), V, std::chars_format::scientific);
  const char *E =
      static_cast<const char *>(std::memchr(Sci, 'e', Res.ptr - Sci));
  char Digits[32];
  int NDigits = 0;
  for (const char *P = Sci; P != E; ++P)
    if (*P != '.')
      Digits[NDigits++] = *P;
  int Exp = 0;
  std::from_chars(E[1] == '+' ? E + 2 : E + 1, Res.ptr, Exp);
  if (Exp < 0) {
    Buf[Len++] = '0';
    Buf[Len++] = '.';
    for (int I = 0; I < -Exp - 1; ++I)
      Buf[Len++] = '0';
    std::memcpy(Buf + Len, Digits, NDigits);
    return Len + NDigits;
  }
  int IntDigits = Exp + 1;
  if (NDigits <= IntDigits) {
    std::memcpy(Buf + Len, Digits, NDigits);
    Len += NDigits;
    for (int I = NDigits; I < IntDigits; ++I)
      Buf[Len++] = '0';
    Buf[Len++] = '.';
    Buf[Len++] = '0';
    return Len;
  }
  std::memcpy(Buf + Len, Digits, IntDigits);
  Len += IntDigits;
  Buf[Len++] = '.';
  std::memcpy(Buf + Len, Digits + IntDigits, NDigits - IntDigits);
  return Len + NDigits - IntDigits;
}

void appendF64G17(std::string &Out, double V) {
  char Buf[64];
  int N = std::snprintf(Buf, sizeof(Buf), "%.17g", V);
  Out.append(Buf, static_cast<size_t>(N));
}

void appendI64(std::string &Out, int64_t V) {
  char Buf[24];
  auto Res = std::to_chars(Buf, Buf + sizeof(Buf), V);
  Out.append(Buf, Res.ptr);
}

void appendU64(std::string &Out, uint64_t V) {
  char Buf[24];
  auto Res = std::to_chars(Buf, Buf + sizeof(Buf), V);
  Out.append(Buf, Res.ptr);
}

double legacyFloat(int64_t W) {
  uint64_t Bits = static_cast<uint64_t>(W) & ~TagMask;
  double D;
  std::memcpy(&D, &Bits, sizeof(D));
  return D;
}

constexpr int MaxDepth = 32;
/// Items shared or cyclic (an array holding itself twice) expand
/// exponentially within MaxDepth: 2^32 leaves. So the rendering also stops
/// at 4 MiB of text or 2^22 values and dict slots visited (a dict's empty
/// slots cost time but no text), whichever comes first.
constexpr size_t MaxRenderBytes = size_t(4) << 20;
constexpr size_t MaxRenderSteps = size_t(1) << 22;

bool renderFull(const std::string &Out, size_t Steps) {
  return Out.size() >= MaxRenderBytes || Steps >= MaxRenderSteps;
}

/// Renders W. Containers render their items recursively ("[1, a]",
/// "(1, 2)", "{k: v}", "Some(x)"), cut at MaxDepth with "...", and their
/// remaining items with ", ..." once renderFull. Steps counts the values and
/// dict slots visited so far.
void appendValue(std::string &Out, int64_t W, int Depth, size_t &Steps) {
  ++Steps;
  if (Depth > MaxDepth || renderFull(Out, Steps)) {
    Out += "...";
    return;
  }
  switch (tagOf(W)) {
  case TagInt:
    appendI64(Out, intOfWord(W));
    return;
  case TagFloat:
    appendF64G17(Out, legacyFloat(W));
    return;
  case TagSpecial:
    if (W == True)
      Out += "true";
    else if (W == False)
      Out += "false";
    else if (W != Nil)
      appendI64(Out, W); // an unknown special: its word
    return;
  case TagHeap:
    break;
  default:
    appendI64(Out, W); // tags 4..7 carry no meaning: the word itself
    return;
  }
  uintptr_t P = heapPtrOfWord(W);
  switch (static_cast<heap::Kind>(heap::kindAt(P))) {
  case heap::Kind::String: {
    auto *S = reinterpret_cast<StringObj *>(P);
    Out.append(S->data(), S->Len);
    return;
  }
  case heap::Kind::Float: {
    double D;
    std::memcpy(&D, &reinterpret_cast<BoxObj *>(P)->Bits, sizeof(D));
    appendF64G17(Out, D);
    return;
  }
  case heap::Kind::WideInt:
    appendI64(Out, static_cast<int64_t>(reinterpret_cast<BoxObj *>(P)->Bits));
    return;
  case heap::Kind::UInt:
    appendU64(Out, reinterpret_cast<BoxObj *>(P)->Bits);
    return;
  case heap::Kind::Array: {
    auto *A = reinterpret_cast<ArrayObj *>(P);
    bool Tuple = A->Flags & ArrayFlagTuple;
    Out += Tuple ? '(' : '[';
    for (int64_t I = 0; I < A->Len; ++I) {
      if (renderFull(Out, Steps)) {
        Out += ", ...";
        break;
      }
      if (I)
        Out += ", ";
      int64_t Item = arrayAt(A, I);
      if (A->Flags & ArrayFlagBytes)
        appendI64(Out, Item);
      else
        appendValue(Out, Item, Depth + 1, Steps);
    }
    Out += Tuple ? ')' : ']';
    return;
  }
  case heap::Kind::Enum: {
    auto *E = reinterpret_cast<EnumObj *>(P);
    if (E->EnumId == 1 && E->Discriminant == 1) {
      Out += "None";
      return;
    }
    if (E->EnumId <= 1 && E->Discriminant <= 1) {
      static const char *const Names[2][2] = {{"Ok", "Err"}, {"Some", ""}};
      Out += Names[E->EnumId][E->Discriminant];
    } else {
      Out += "enum(";
      appendU64(Out, E->EnumId);
      Out += ':';
      appendU64(Out, E->Discriminant);
      Out += ')';
    }
    Out += '(';
    appendValue(Out, E->Payload, Depth + 1, Steps);
    Out += ')';
    return;
  }
  case heap::Kind::Dict: {
    auto *D = reinterpret_cast<DictObj *>(P);
    Out += '{';
    bool First = true;
    for (int64_t I = 0; I < D->Cap; ++I) {
      if (renderFull(Out, ++Steps)) {
        Out += ", ...";
        break;
      }
      const DictEntry &En = D->Entries[I];
      if (En.State != EntryLive)
        continue;
      if (!First)
        Out += ", ";
      First = false;
      appendValue(Out, En.Key, Depth + 1, Steps);
      Out += ": ";
      appendValue(Out, En.Value, Depth + 1, Steps);
    }
    Out += '}';
    return;
  }
  case heap::Kind::Closure:
    Out += "<closure>";
    return;
  default: {
    // Not ours (a host object or a stray word): its address, never read.
    char Buf[32];
    int N = std::snprintf(Buf, sizeof(Buf), "<object 0x%" PRIx64 ">",
                          static_cast<uint64_t>(W));
    Out.append(Buf, static_cast<size_t>(N));
    return;
  }
  }
}

} // namespace

extern "C" {

int64_t rt_raw_i64_to_string(int64_t V) {
  char Buf[24];
  auto Res = std::to_chars(Buf, Buf + sizeof(Buf), V);
  return makeString(Buf, static_cast<size_t>(Res.ptr - Buf));
}

int64_t rt_raw_u64_to_string(int64_t Bits) {
  char Buf[24];
  auto Res = std::to_chars(Buf, Buf + sizeof(Buf), static_cast<uint64_t>(Bits));
  return makeString(Buf, static_cast<size_t>(Res.ptr - Buf));
}

int64_t rt_raw_bool_to_string(int8_t B) {
  return B ? makeString("true", 4) : makeString("false", 5);
}

int64_t rt_raw_f64_to_string(double V) {
  char Buf[F64FixedMax];
  return makeString(Buf, formatF64Fixed(V, Buf));
}

/// Strings come back as the same word; everything else as a new string.
int64_t rt_to_string(int64_t W) {
  if (asString(W))
    return W;
  try {
    std::string Out;
    size_t Steps = 0;
    appendValue(Out, W, 0, Steps);
    return makeString(Out.data(), Out.size());
  } catch (...) {
    return Nil;
  }
}

int64_t rt_value_to_string(int64_t W) { return rt_to_string(W); }

} // extern "C"
