//===- runtime/TextOps.cpp - Searching, splitting, rewriting strings ------===//
//
// Each takes text as tagged strings or raw char* (Text.h). A non-text
// argument gives the neutral answer (0, -1, nil, or the input word itself).
//
//===----------------------------------------------------------------------===//

#include "runtime/Objects.h"
#include "runtime/Text.h"
#include "runtime/spl_runtime.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

std::string_view view(const Text &T) { return {T.Data, T.Len}; }

bool texts(int64_t A, int64_t B, Text &TA, Text &TB) {
  return textOfWord(A, TA) && textOfWord(B, TB);
}

/// Byte length of the UTF-8 sequence starting with Lead (1 for stray bytes).
size_t utf8Width(unsigned char Lead) {
  if (Lead >= 0xF0 && Lead <= 0xF7)
    return 4;
  if (Lead >= 0xE0)
    return Lead <= 0xEF ? 3 : 1;
  if (Lead >= 0xC0)
    return 2;
  return 1;
}

bool pushString(ArrayObj *A, const char *P, size_t N) {
  int64_t S = makeString(P, N);
  return S != Nil && arrayPush(A, S);
}

} // namespace

extern "C" {

int64_t rt_string_starts_with(int64_t S, int64_t Prefix) {
  Text T, P;
  return texts(S, Prefix, T, P) && view(T).starts_with(view(P));
}

int64_t rt_string_ends_with(int64_t S, int64_t Suffix) {
  Text T, P;
  return texts(S, Suffix, T, P) && view(T).ends_with(view(P));
}

int64_t rt_string_contains(int64_t S, int64_t Needle) {
  Text T, N;
  return texts(S, Needle, T, N) &&
         view(T).find(view(N)) != std::string_view::npos;
}

int64_t rt_string_find(int64_t S, int64_t Needle) {
  Text T, N;
  if (!texts(S, Needle, T, N))
    return -1;
  size_t At = view(T).find(view(N));
  return At == std::string_view::npos ? -1 : static_cast<int64_t>(At);
}

int64_t rt_string_rfind(int64_t S, int64_t Needle) {
  Text T, N;
  if (!texts(S, Needle, T, N))
    return -1;
  size_t At = view(T).rfind(view(N));
  return At == std::string_view::npos ? -1 : static_cast<int64_t>(At);
}

/// A tagged array of the pieces between separators ("a,,b" by "," gives
/// "a", "", "b"); an empty separator splits into UTF-8 characters.
int64_t rt_string_split(int64_t S, int64_t Sep) {
  Text T, D;
  if (!texts(S, Sep, T, D))
    return Nil;
  ArrayObj *A = newArrayObj(ArrayMinCap, 0);
  if (!A)
    return Nil;
  std::string_view V = view(T), Delim = view(D);
  if (Delim.empty()) {
    for (size_t I = 0; I < V.size();) {
      size_t W = utf8Width(static_cast<unsigned char>(V[I]));
      if (W > V.size() - I)
        W = V.size() - I;
      if (!pushString(A, V.data() + I, W))
        return wordOf(A);
      I += W;
    }
    return wordOf(A);
  }
  size_t Start = 0;
  while (true) {
    size_t At = V.find(Delim, Start);
    if (At == std::string_view::npos)
      break;
    if (!pushString(A, V.data() + Start, At - Start))
      return wordOf(A);
    Start = At + Delim.size();
  }
  pushString(A, V.data() + Start, V.size() - Start);
  return wordOf(A);
}

/// Every non-overlapping From, left to right, replaced by To. Without a match
/// (or with an empty From, or non-text arguments) the input word comes back.
int64_t rt_string_replace(int64_t S, int64_t From, int64_t To) {
  Text T, F, R;
  if (!texts(S, From, T, F) || !textOfWord(To, R) || F.Len == 0)
    return S;
  std::string_view V = view(T), Old = view(F);
  size_t Count = 0;
  for (size_t At = V.find(Old); At != std::string_view::npos;
       At = V.find(Old, At + Old.size()))
    ++Count;
  if (Count == 0)
    return S;
  size_t Len = V.size() - Count * Old.size() + Count * R.Len;
  auto *Out = static_cast<StringObj *>(
      heap::allocate(heap::Kind::String, sizeof(StringObj) + Len + 1));
  if (!Out)
    return Nil;
  Out->Kind = StringKind;
  Out->Len = Len;
  char *Dst = Out->data();
  size_t Start = 0;
  for (size_t At = V.find(Old); At != std::string_view::npos;
       At = V.find(Old, Start)) {
    std::memcpy(Dst, V.data() + Start, At - Start);
    Dst += At - Start;
    if (R.Len)
      std::memcpy(Dst, R.Data, R.Len);
    Dst += R.Len;
    Start = At + Old.size();
  }
  std::memcpy(Dst, V.data() + Start, V.size() - Start);
  Out->data()[Len] = '\0';
  return wordOf(Out);
}

/// ASCII whitespace (space, \t \n \v \f \r) off both ends; the same word when
/// there is none.
int64_t rt_string_trim(int64_t S) {
  Text T;
  if (!textOfWord(S, T))
    return Nil;
  std::string_view V = view(T);
  constexpr std::string_view Space = " \t\n\v\f\r";
  size_t B = V.find_first_not_of(Space);
  if (B == std::string_view::npos)
    return makeString("", 0);
  size_t E = V.find_last_not_of(Space) + 1;
  if (B == 0 && E == V.size())
    return S;
  return makeString(V.data() + B, E - B);
}

/// ASCII A-Z to a-z; other bytes (UTF-8 included) unchanged. Always new.
int64_t rt_string_to_lower(int64_t S) {
  Text T;
  if (!textOfWord(S, T))
    return Nil;
  StringObj *Out = newStringObj(T.Data, T.Len);
  if (!Out)
    return Nil;
  char *D = Out->data();
  for (size_t I = 0; I < T.Len; ++I)
    if (D[I] >= 'A' && D[I] <= 'Z')
      D[I] = static_cast<char>(D[I] - 'A' + 'a');
  return wordOf(Out);
}

/// A byte array (flag 0x08, one byte per item): rt_array_get gives each
/// byte as a raw 0..255 value, as upstream.
int64_t rt_string_bytes(int64_t S) {
  Text T;
  if (!textOfWord(S, T))
    return Nil;
  ArrayObj *A = newArrayObj(static_cast<int64_t>(T.Len), ArrayFlagBytes);
  if (!A)
    return Nil;
  if (T.Len)
    std::memcpy(A->Data, T.Data, T.Len);
  A->Len = static_cast<int64_t>(T.Len);
  return wordOf(A);
}

/// The UTF-8 text of one code point; surrogates, negatives and values past
/// U+10FFFF give U+FFFD.
int64_t rt_char_from_code(int64_t Code) {
  if (Code < 0 || Code > 0x10FFFF)
    Code = 0xFFFD;
  char B[4];
  size_t N = spl::rt::encodeUtf8(static_cast<uint32_t>(Code), B);
  return makeString(B, N);
}

/// Text parsed with strtoll (base 10, leading space and sign allowed,
/// saturating, 0 when no digits); a wide int box gives its value, a tagged
/// int that is not readable text its value, any other word 0. The result is
/// a raw integer, not a tagged word.
int64_t rt_string_to_int_any(int64_t W) {
  if (BoxObj *B = asWideIntBox(W))
    return static_cast<int64_t>(B->Bits);
  Text T;
  if (!textOfWord(W, T))
    return isIntWord(W) ? intOfWord(W) : 0;
  if (T.Len == 0)
    return 0;
  // Our texts are NUL-terminated at Len (registered strings always; raw ones
  // were measured up to their NUL).
  return std::strtoll(T.Data, nullptr, 10);
}

} // extern "C"

size_t spl::rt::encodeUtf8(uint32_t C, char Out[4]) {
  if ((C >= 0xD800 && C <= 0xDFFF) || C > 0x10FFFF)
    C = 0xFFFD;
  if (C < 0x80) {
    Out[0] = static_cast<char>(C);
    return 1;
  }
  if (C < 0x800) {
    Out[0] = static_cast<char>(0xC0 | (C >> 6));
    Out[1] = static_cast<char>(0x80 | (C & 0x3F));
    return 2;
  }
  if (C < 0x10000) {
    Out[0] = static_cast<char>(0xE0 | (C >> 12));
    Out[1] = static_cast<char>(0x80 | ((C >> 6) & 0x3F));
    Out[2] = static_cast<char>(0x80 | (C & 0x3F));
    return 3;
  }
  Out[0] = static_cast<char>(0xF0 | (C >> 18));
  Out[1] = static_cast<char>(0x80 | ((C >> 12) & 0x3F));
  Out[2] = static_cast<char>(0x80 | ((C >> 6) & 0x3F));
  Out[3] = static_cast<char>(0x80 | (C & 0x3F));
  return 4;
}
