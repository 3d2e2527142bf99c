//===- runtime/Enum.cpp - Enums, Option, Result and tuples ----------------===//
//
// enum_id 0 is Result (Ok 0, Err 1), 1 is Option (Some 0, None 1). Tuples
// (multi-value enum payloads) are arrays flagged 0x01 with a fixed length.
//
//===----------------------------------------------------------------------===//

#include "runtime/Objects.h"
#include "runtime/spl_runtime.h"

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {
constexpr uint32_t OptionId = 1, NoneDisc = 1;
} // namespace

extern "C" {

/// The compiler passes I64 words for the I32s; only the low 32 bits count.
int64_t rt_enum_new(int32_t EnumId, int32_t Discriminant, int64_t Payload) {
  auto *E =
      static_cast<EnumObj *>(heap::allocate(heap::Kind::Enum, sizeof(EnumObj)));
  if (!E)
    return Nil;
  E->Kind = EnumKind;
  E->EnumId = static_cast<uint32_t>(EnumId);
  E->Discriminant = static_cast<uint32_t>(Discriminant);
  E->Payload = Payload;
  return wordOf(E);
}

int64_t rt_enum_discriminant(int64_t W) {
  EnumObj *E = asEnum(W);
  return E ? static_cast<int64_t>(E->Discriminant) : -1;
}

int64_t rt_enum_payload(int64_t W) {
  EnumObj *E = asEnum(W);
  return E ? E->Payload : Nil;
}

int64_t rt_enum_id(int64_t W) {
  EnumObj *E = asEnum(W);
  return E ? static_cast<int64_t>(E->EnumId) : -1;
}

/// D compares by its low 32 bits, like rt_enum_new's arguments.
int8_t rt_enum_check_discriminant(int64_t W, int64_t D) {
  EnumObj *E = asEnum(W);
  return E && E->Discriminant == static_cast<uint32_t>(D);
}

/// nil, or Option's None. A raw 0 is a present value.
int8_t rt_is_none(int64_t W) {
  if (W == Nil)
    return 1;
  EnumObj *E = asEnum(W);
  return E && E->EnumId == OptionId && E->Discriminant == NoneDisc;
}

int8_t rt_is_some(int64_t W) { return !rt_is_none(W); }

int64_t rt_unwrap_or_self(int64_t W) {
  EnumObj *E = asEnum(W);
  return E ? E->Payload : W;
}

/// An array flagged tuple holding N zero words (N < 0 counts as 0).
int64_t rt_tuple_new(int64_t N) {
  if (N < 0)
    N = 0;
  ArrayObj *T = newArrayObj(N, ArrayFlagTuple);
  if (!T)
    return Nil;
  T->Len = N;
  return wordOf(T);
}

/// Tuple indices do not wrap: 0 <= I < len, else 0 (set) / nil (get).
int8_t rt_tuple_set(int64_t H, int64_t I, int64_t W) {
  ArrayObj *T = asArray(H);
  if (!T || I < 0 || I >= T->Len || (T->Flags & ArrayFlagBytes))
    return 0;
  static_cast<int64_t *>(T->Data)[I] = W;
  return 1;
}

int64_t rt_tuple_get(int64_t H, int64_t I) {
  ArrayObj *T = asArray(H);
  if (!T || I < 0 || I >= T->Len)
    return Nil;
  return arrayAt(T, I);
}

} // extern "C"
