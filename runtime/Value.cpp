//===- runtime/Value.cpp - Boxes (float, wide int, u64) and equality ------===//

#include "runtime/Objects.h"
#include "runtime/Text.h"
#include "runtime/Values.h"
#include "runtime/spl_runtime.h"

#include <cstring>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

double bitsToDouble(uint64_t Bits) {
  double D;
  std::memcpy(&D, &Bits, sizeof(D));
  return D;
}

/// The double of a float box or a legacy inline float.
bool floatOf(int64_t W, double &D) {
  if (BoxObj *B = asFloatBox(W)) {
    D = bitsToDouble(B->Bits);
    return true;
  }
  if (isLegacyFloatWord(W)) {
    D = bitsToDouble(static_cast<uint64_t>(W) & ~TagMask);
    return true;
  }
  return false;
}

uint64_t mix(uint64_t X) { // splitmix64's finaliser
  X ^= X >> 30;
  X *= 0xBF58476D1CE4E5B9ull;
  X ^= X >> 27;
  X *= 0x94D049BB133111EBull;
  return X ^ (X >> 31);
}

constexpr int MaxDepth = 64;

bool arraysEqual(const ArrayObj *A, const ArrayObj *B, int Depth) {
  if (A->Len != B->Len)
    return false;
  for (int64_t I = 0; I < A->Len; ++I)
    if (!deepEqual(arrayAt(A, I), arrayAt(B, I), Depth + 1))
      return false;
  return true;
}

bool dictsEqual(const DictObj *A, int64_t BWord, int Depth) {
  const DictObj *B = asDict(BWord);
  if (A->Len != B->Len)
    return false;
  for (int64_t I = 0; I < A->Cap; ++I) {
    const DictEntry &E = A->Entries[I];
    if (E.State != EntryLive)
      continue;
    if (!rt_dict_contains(BWord, E.Key) ||
        !deepEqual(E.Value, rt_dict_get(BWord, E.Key), Depth + 1))
      return false;
  }
  return true;
}

} // namespace

bool detail::deepEqual(int64_t A, int64_t B, int Depth) {
  if (A == B)
    return true;
  if (Depth > MaxDepth)
    return false;
  if (asString(A) || asString(B)) {
    Text TA, TB;
    return textOfWord(A, TA) && textOfWord(B, TB) && TA.Len == TB.Len &&
           (TA.Len == 0 || std::memcmp(TA.Data, TB.Data, TA.Len) == 0);
  }
  double DA, DB;
  if (floatOf(A, DA))
    return floatOf(B, DB) && DA == DB;
  if (!isHeapWord(A) || !isHeapWord(B))
    return false;
  if (ArrayObj *XA = asArray(A)) {
    ArrayObj *XB = asArray(B);
    return XB && arraysEqual(XA, XB, Depth);
  }
  if (EnumObj *EA = asEnum(A)) {
    EnumObj *EB = asEnum(B);
    return EB && EA->EnumId == EB->EnumId &&
           EA->Discriminant == EB->Discriminant &&
           deepEqual(EA->Payload, EB->Payload, Depth + 1);
  }
  if (DictObj *DA2 = asDict(A))
    return asDict(B) && dictsEqual(DA2, B, Depth);
  if (BoxObj *IA = asWideIntBox(A)) {
    BoxObj *IB = asWideIntBox(B);
    return IB && IA->Bits == IB->Bits;
  }
  if (BoxObj *UA = asUIntBox(A)) {
    BoxObj *UB = asUIntBox(B);
    return UB && UA->Bits == UB->Bits;
  }
  return false; // closures and foreign words: identity only
}

bool detail::keyEqual(int64_t A, int64_t B) {
  if (A == B)
    return true;
  if (!isHeapWord(A) || !isHeapWord(B))
    return false;
  if (StringObj *SA = asString(A)) {
    StringObj *SB = asString(B);
    return SB && SA->Len == SB->Len &&
           std::memcmp(SA->data(), SB->data(), SA->Len) == 0;
  }
  for (heap::Kind K :
       {heap::Kind::Float, heap::Kind::WideInt, heap::Kind::UInt}) {
    auto *BA = asTagged<BoxObj>(A, K);
    if (!BA)
      continue;
    auto *BB = asTagged<BoxObj>(B, K);
    return BB && BA->Bits == BB->Bits;
  }
  return false;
}

uint64_t detail::keyHash(int64_t K) {
  if (StringObj *S = asString(K)) {
    // Eight bytes per step, each mixed in; the tail and the length last.
    const char *P = S->data();
    uint64_t H = 0x9E3779B97F4A7C15ull, Chunk;
    size_t N = S->Len, I = 0;
    for (; I + 8 <= N; I += 8) {
      std::memcpy(&Chunk, P + I, 8);
      H = (H ^ Chunk) * 0xFF51AFD7ED558CCDull;
      H ^= H >> 29;
    }
    Chunk = 0;
    std::memcpy(&Chunk, P + I, N - I);
    return mix(H ^ Chunk ^ (static_cast<uint64_t>(N) << 56));
  }
  if (BoxObj *B = asFloatBox(K))
    return mix(B->Bits ^ 0xF1);
  if (BoxObj *B = asWideIntBox(K))
    return mix(B->Bits ^ 0x11);
  if (BoxObj *B = asUIntBox(K))
    return mix(B->Bits ^ 0x41);
  return mix(static_cast<uint64_t>(K));
}

extern "C" {

int64_t rt_value_int_wide(int64_t V) {
  if (fitsIntWord(V))
    return intWord(V);
  return makeBox(heap::Kind::WideInt, WideIntKind, static_cast<uint64_t>(V));
}

/// A wide int (or u64) box gives its value; any other heap word comes back
/// unchanged (it holds no integer); everything else is decoded with >> 3.
int64_t rt_value_as_int_wide(int64_t W) {
  if (isHeapWord(W)) {
    if (BoxObj *B = asWideIntBox(W))
      return static_cast<int64_t>(B->Bits);
    if (BoxObj *B = asUIntBox(W))
      return static_cast<int64_t>(B->Bits);
    return W;
  }
  return intOfWord(W);
}

/// Always boxes (as upstream); rt_value_as_u64 gives the bits back.
int64_t rt_value_u64(int64_t Bits) {
  return makeBox(heap::Kind::UInt, UIntKind, static_cast<uint64_t>(Bits));
}

int64_t rt_value_as_u64(int64_t W) {
  if (BoxObj *B = asUIntBox(W))
    return static_cast<int64_t>(B->Bits);
  if (BoxObj *B = asWideIntBox(W))
    return static_cast<int64_t>(B->Bits);
  return intOfWord(W);
}

int64_t rt_value_float(double V) {
  uint64_t Bits;
  std::memcpy(&Bits, &V, sizeof(Bits));
  int64_t W = makeBox(heap::Kind::Float, FloatKind, Bits);
  if (W == Nil) // out of memory: the lossy legacy form rather than nothing
    return static_cast<int64_t>((Bits & ~TagMask) | TagFloat);
  return W;
}

/// Float boxes exactly, legacy |2 floats with their low 3 mantissa bits
/// zero, ints and wide int boxes converted; anything else 0.0.
double rt_value_as_float(int64_t W) {
  double D;
  if (floatOf(W, D))
    return D;
  if (isIntWord(W))
    return static_cast<double>(intOfWord(W));
  if (BoxObj *B = asWideIntBox(W))
    return static_cast<double>(static_cast<int64_t>(B->Bits));
  if (BoxObj *B = asUIntBox(W))
    return static_cast<double>(B->Bits);
  return 0.0;
}

int64_t rt_native_eq(int64_t A, int64_t B) { return deepEqual(A, B, 0); }
int64_t rt_native_neq(int64_t A, int64_t B) { return !deepEqual(A, B, 0); }

} // extern "C"
