//===- runtime/TextBasic.cpp - Strings: make, measure, join, compare ------===//

#include "runtime/Objects.h"
#include "runtime/Text.h"
#include "runtime/spl_runtime.h"

#include <cstring>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

StringObj *concat(const Text &A, const Text &B) {
  auto *S = static_cast<StringObj *>(heap::allocate(
      heap::Kind::String, sizeof(StringObj) + A.Len + B.Len + 1));
  if (!S)
    return nullptr;
  S->Kind = StringKind;
  S->Len = A.Len + B.Len;
  if (A.Len)
    std::memcpy(S->data(), A.Data, A.Len);
  if (B.Len)
    std::memcpy(S->data() + A.Len, B.Data, B.Len);
  S->data()[S->Len] = '\0';
  return S;
}

int compareText(const Text &A, const Text &B) {
  size_t N = A.Len < B.Len ? A.Len : B.Len;
  int C = N ? std::memcmp(A.Data, B.Data, N) : 0;
  if (C == 0)
    C = A.Len < B.Len ? -1 : (A.Len > B.Len ? 1 : 0);
  return C < 0 ? -1 : (C > 0 ? 1 : 0);
}

} // namespace

extern "C" {

const char *rt_interp_cstr(int64_t W) {
  if (StringObj *S = asString(W))
    return S->data();
  return reinterpret_cast<const char *>(static_cast<uintptr_t>(W));
}

int64_t rt_string_new(const uint8_t *Bytes, uint64_t N) {
  if (!Bytes && N > 0)
    return Nil;
  if (N > (uint64_t(1) << 40))
    return Nil;
  return makeString(reinterpret_cast<const char *>(Bytes),
                    static_cast<size_t>(N));
}

int64_t rt_string_len(int64_t W) {
  Text T;
  if (!textOfWord(W, T))
    return -1;
  return static_cast<int64_t>(T.Len);
}

int64_t rt_strlen(const char *S) {
  Text T;
  return textOfPtr(S, T) ? static_cast<int64_t>(T.Len) : 0;
}

int64_t spl_str_len(const char *S) { return rt_strlen(S); }

int64_t rt_len(int64_t W) {
  if (ArrayObj *A = asArray(W))
    return A->Len;
  if (DictObj *D = asDict(W))
    return D->Len;
  Text T;
  if (textOfWord(W, T))
    return static_cast<int64_t>(T.Len);
  return 0;
}

/// The result is the data of a new registered string (so rt_interp_cstr and
/// the text functions know its length, and it never dangles).
char *rt_strcat(const char *A, const char *B) {
  Text TA, TB;
  if (!textOfPtr(A, TA))
    TA = Text();
  if (!textOfPtr(B, TB))
    TB = Text();
  StringObj *S = concat(TA, TB);
  return S ? S->data() : nullptr;
}

int64_t rt_strcat_tagged(int64_t A, int64_t B) {
  Text TA, TB;
  if (!textOfWord(A, TA))
    TA = Text();
  if (!textOfWord(B, TB))
    TB = Text();
  StringObj *S = concat(TA, TB);
  return S ? wordOf(S) : Nil;
}

int64_t rt_text_eq_any(int64_t A, int64_t B) {
  if (A == B)
    return 1;
  Text TA, TB;
  if (!textOfWord(A, TA) || !textOfWord(B, TB))
    return 0;
  return TA.Len == TB.Len &&
         (TA.Len == 0 || std::memcmp(TA.Data, TB.Data, TA.Len) == 0);
}

int64_t rt_text_cmp_any(int64_t A, int64_t B) {
  Text TA, TB;
  if (!textOfWord(A, TA))
    TA = Text();
  if (!textOfWord(B, TB))
    TB = Text();
  return compareText(TA, TB);
}

/// Bytes [Start, End) of S; negative indices count from the end, both are
/// clamped to [0, len], End <= Start gives "".
char *spl_str_slice(const char *S, int64_t Start, int64_t End) {
  Text T;
  if (!textOfPtr(S, T))
    T = Text();
  int64_t Len = static_cast<int64_t>(T.Len);
  auto Clamp = [Len](int64_t I) {
    if (I < 0)
      I += Len;
    return I < 0 ? 0 : (I > Len ? Len : I);
  };
  Start = Clamp(Start);
  End = Clamp(End);
  if (End < Start)
    End = Start;
  StringObj *R = newStringObj(T.Data + Start, static_cast<size_t>(End - Start));
  return R ? R->data() : nullptr;
}

/// 1 when W was a live string and is now freed; 0 (nothing done) otherwise.
int64_t rt_string_free(int64_t W) {
  if (!isHeapWord(W))
    return 0;
  void *P = reinterpret_cast<void *>(heapPtrOfWord(W));
  if (!heap::retire(P, heap::Kind::String))
    return 0;
  heap::release(P);
  return 1;
}

} // extern "C"
