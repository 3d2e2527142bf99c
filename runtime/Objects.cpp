//===- runtime/Objects.cpp - Object constructors shared by the groups -----===//

#include "runtime/Objects.h"

#include <cstdlib>
#include <cstring>

using namespace spl::rt;
using namespace spl::rt::detail;

StringObj *detail::newStringObj(const char *P, size_t N) {
  auto *S = static_cast<StringObj *>(
      heap::allocate(heap::Kind::String, sizeof(StringObj) + N + 1));
  if (!S)
    return nullptr;
  S->Kind = StringKind;
  S->Len = N;
  if (N)
    std::memcpy(S->data(), P, N);
  S->data()[N] = '\0';
  return S;
}

int64_t detail::makeString(const char *P, size_t N) {
  StringObj *S = newStringObj(P, N);
  return S ? wordOf(S) : Nil;
}

ArrayObj *detail::newArrayObj(int64_t Cap, uint8_t Flags) {
  if (Cap < ArrayMinCap)
    Cap = ArrayMinCap;
  if (Cap > (int64_t(1) << 40))
    return nullptr;
  size_t Item = (Flags & ArrayFlagBytes) ? 1 : 8;
  void *Data = std::calloc(static_cast<size_t>(Cap), Item);
  if (!Data)
    return nullptr;
  auto *A = static_cast<ArrayObj *>(
      heap::allocate(heap::Kind::Array, sizeof(ArrayObj)));
  if (!A) {
    std::free(Data);
    return nullptr;
  }
  A->Kind = ArrayKind;
  A->Flags = Flags;
  A->Cap = Cap;
  A->Data = Data;
  return A;
}

bool detail::arrayPush(ArrayObj *A, int64_t W) {
  bool Bytes = A->Flags & ArrayFlagBytes;
  if (A->Len == A->Cap) {
    int64_t NewCap = A->Cap < ArrayMinCap ? ArrayMinCap : A->Cap * 2;
    void *Data =
        std::realloc(A->Data, static_cast<size_t>(NewCap) * (Bytes ? 1 : 8));
    if (!Data)
      return false;
    A->Data = Data;
    A->Cap = NewCap;
  }
  if (Bytes)
    static_cast<uint8_t *>(A->Data)[A->Len++] = static_cast<uint8_t>(W);
  else
    static_cast<int64_t *>(A->Data)[A->Len++] = W;
  return true;
}

int64_t detail::arrayAt(const ArrayObj *A, int64_t I) {
  if (A->Flags & ArrayFlagBytes)
    return static_cast<const uint8_t *>(A->Data)[I];
  return static_cast<const int64_t *>(A->Data)[I];
}

int64_t detail::makeBox(heap::Kind K, uint32_t Kind, uint64_t Bits) {
  auto *B = static_cast<BoxObj *>(heap::allocate(K, sizeof(BoxObj)));
  if (!B)
    return Nil;
  B->Kind = Kind;
  B->Bits = Bits;
  return wordOf(B);
}
