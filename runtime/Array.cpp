//===- runtime/Array.cpp - Arrays of tagged words -------------------------===//
//
// Items are stored as given (the compiler boxes before a write). Indices are
// raw integers; a negative one counts from the end. Byte arrays (flag 0x08,
// from rt_string_bytes) hold one byte per item: a write keeps the low byte of
// the word, a read gives the raw byte.
//
//===----------------------------------------------------------------------===//

#include "runtime/Objects.h"
#include "runtime/spl_runtime.h"

#include <cstdlib>
#include <cstring>
#include <initializer_list>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

/// I resolved against Len (negative wraps once), or -1 when out of range.
int64_t resolve(const ArrayObj *A, int64_t I) {
  if (I < 0)
    I += A->Len;
  return (I < 0 || I >= A->Len) ? -1 : I;
}

size_t itemSize(const ArrayObj *A) {
  return (A->Flags & ArrayFlagBytes) ? 1 : 8;
}

/// A new array with A's flags holding A's items then B's (either may be
/// null), or nullptr.
ArrayObj *joined(const ArrayObj *A, const ArrayObj *B, uint8_t Flags) {
  int64_t LA = A ? A->Len : 0, LB = B ? B->Len : 0;
  ArrayObj *R = newArrayObj(LA + LB, Flags);
  if (!R)
    return nullptr;
  for (const ArrayObj *Src : {A, B})
    if (Src)
      for (int64_t I = 0; I < Src->Len; ++I)
        arrayPush(R, arrayAt(Src, I));
  return R;
}

} // namespace

extern "C" {

/// Capacity at least 4 (RUNTIME.md: cap starts at 4 and doubles).
int64_t rt_array_new(int64_t Cap) {
  ArrayObj *A = newArrayObj(Cap, 0);
  return A ? wordOf(A) : Nil;
}

int8_t rt_array_push(int64_t H, int64_t W) {
  ArrayObj *A = asArray(H);
  return A && arrayPush(A, W) ? 1 : 0;
}

int64_t rt_array_len(int64_t H) {
  ArrayObj *A = asArray(H);
  return A ? A->Len : 0;
}

int64_t rt_array_get(int64_t H, int64_t I) {
  ArrayObj *A = asArray(H);
  if (!A)
    return Nil;
  I = resolve(A, I);
  return I < 0 ? Nil : arrayAt(A, I);
}

void rt_array_set(int64_t H, int64_t I, int64_t W) {
  ArrayObj *A = asArray(H);
  if (!A || (I = resolve(A, I)) < 0)
    return;
  if (A->Flags & ArrayFlagBytes)
    static_cast<uint8_t *>(A->Data)[I] = static_cast<uint8_t>(W);
  else
    static_cast<int64_t *>(A->Data)[I] = W;
}

int64_t rt_array_pop(int64_t H) {
  ArrayObj *A = asArray(H);
  if (!A || A->Len == 0)
    return Nil;
  return arrayAt(A, --A->Len);
}

/// Length to 0 (capacity kept); 1, or 0 for a non-array.
int64_t rt_array_clear(int64_t H) {
  ArrayObj *A = asArray(H);
  if (!A)
    return 0;
  A->Len = 0;
  return 1;
}

/// N copies of W (N < 0 counts as 0).
int64_t rt_array_repeat(int64_t W, int64_t N) {
  if (N < 0)
    N = 0;
  ArrayObj *A = newArrayObj(N, 0);
  if (!A)
    return Nil;
  for (int64_t I = 0; I < N; ++I)
    static_cast<int64_t *>(A->Data)[I] = W;
  A->Len = N;
  return wordOf(A);
}

/// A new array: A's items then B's. A non-array operand counts as empty; the
/// result has A's flags (B's when A is not an array).
int64_t rt_array_concat(int64_t HA, int64_t HB) {
  ArrayObj *A = asArray(HA), *B = asArray(HB);
  uint8_t Flags = A ? A->Flags : (B ? B->Flags : 0);
  ArrayObj *R = joined(A, B, Flags);
  return R ? wordOf(R) : Nil;
}

/// A shallow copy (same flags), or nil for a non-array.
int64_t rt_array_copy(int64_t H) {
  ArrayObj *A = asArray(H);
  if (!A)
    return Nil;
  ArrayObj *R = newArrayObj(A->Len, A->Flags);
  if (!R)
    return Nil;
  if (A->Len)
    std::memcpy(R->Data, A->Data, static_cast<size_t>(A->Len) * itemSize(A));
  R->Len = A->Len;
  return wordOf(R);
}

/// Frees the array and its item storage (not the items). 1 when freed; 0 for
/// anything else, a second free included.
int64_t rt_array_free(int64_t H) {
  ArrayObj *A = asArray(H);
  if (!A || !heap::retire(A, heap::Kind::Array))
    return 0;
  std::free(A->Data);
  heap::release(A);
  return 1;
}

} // extern "C"
