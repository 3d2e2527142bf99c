//===- runtime/Objects.h - Object byte layouts and decoders -----*- C++ -*-===//
//
// The object layouts of RUNTIME.md, pinned with static_asserts because they
// must match upstream's runtime byte for byte (objects cross between a Simple
// host's runtime and JIT code). Decoders go through the registry (Heap.h):
// a word is never dereferenced before the registry says it is ours.
//
//===----------------------------------------------------------------------===//

#ifndef SPL_RUNTIME_OBJECTS_H
#define SPL_RUNTIME_OBJECTS_H

#include "runtime/Heap.h"
#include "runtime/Runtime.h"

#include <cstddef>
#include <cstdint>

namespace spl::rt::detail {

inline constexpr uint32_t StringKind = 0x53545231;  // "STR1"
inline constexpr uint32_t FloatKind = 0x464C5431;   // "FLT1"
inline constexpr uint32_t WideIntKind = 0x494E5431; // "INT1"
inline constexpr uint32_t UIntKind = 0x55494E54;    // "UINT"
inline constexpr uint8_t ArrayKind = 2;
inline constexpr uint8_t ClosureKind = 3;
inline constexpr uint8_t EnumKind = 4;
inline constexpr uint8_t DictKind = 6;

inline constexpr uint8_t ArrayFlagTuple = 0x01;
inline constexpr uint8_t ArrayFlagBytes = 0x08;
inline constexpr int64_t ArrayMinCap = 4;
inline constexpr int64_t DictMinCap = 8;

/// Data (len + 1 bytes, NUL-terminated) follows at +16.
struct StringObj {
  uint32_t Kind;
  uint32_t Flags;
  uint64_t Len;
  char *data() { return reinterpret_cast<char *>(this + 1); }
};
static_assert(sizeof(StringObj) == 16);
static_assert(offsetof(StringObj, Len) == 8);

struct ArrayObj {
  uint8_t Kind;
  uint8_t Flags;
  uint16_t Reserved;
  uint32_t Scope;
  int64_t Len;
  int64_t Cap;
  void *Data; // malloc'd: Cap 8-byte words, or Cap bytes with ArrayFlagBytes
};
static_assert(sizeof(ArrayObj) == 32);
static_assert(offsetof(ArrayObj, Flags) == 1);
static_assert(offsetof(ArrayObj, Scope) == 4);
static_assert(offsetof(ArrayObj, Len) == 8);
static_assert(offsetof(ArrayObj, Cap) == 16);
static_assert(offsetof(ArrayObj, Data) == 24);

struct EnumObj {
  uint8_t Kind;
  uint8_t Reserved[3];
  uint32_t Scope;
  uint32_t EnumId;
  uint32_t Discriminant;
  uint32_t Reserved2;
  int64_t Payload;
};
static_assert(sizeof(EnumObj) == 32);
static_assert(offsetof(EnumObj, Scope) == 4);
static_assert(offsetof(EnumObj, EnumId) == 8);
static_assert(offsetof(EnumObj, Discriminant) == 12);
static_assert(offsetof(EnumObj, Reserved2) == 16);
static_assert(offsetof(EnumObj, Payload) == 24);

/// Count capture words follow at +24.
struct ClosureObj {
  uint8_t Kind;
  uint8_t Reserved[3];
  uint32_t Scope;
  int64_t Func;
  int64_t Count;
  int64_t *captures() { return reinterpret_cast<int64_t *>(this + 1); }
};
static_assert(sizeof(ClosureObj) == 24);
static_assert(offsetof(ClosureObj, Func) == 8);
static_assert(offsetof(ClosureObj, Count) == 16);

inline constexpr int8_t EntryEmpty = 0, EntryLive = 1, EntryTombstone = -1;

struct DictEntry {
  int64_t Key;
  int64_t Value;
  uint64_t Hash;
  int8_t State;
};
static_assert(sizeof(DictEntry) == 32);
static_assert(offsetof(DictEntry, Value) == 8);
static_assert(offsetof(DictEntry, Hash) == 16);
static_assert(offsetof(DictEntry, State) == 24);

struct DictObj {
  uint8_t Kind;
  uint8_t Flags;
  uint16_t Reserved;
  uint32_t Scope;
  int64_t Cap; // a power of two
  int64_t Len;
  int64_t Tombstones;
  DictEntry *Entries; // malloc'd, Cap entries
};
static_assert(sizeof(DictObj) == 40);
static_assert(offsetof(DictObj, Cap) == 8);
static_assert(offsetof(DictObj, Len) == 16);
static_assert(offsetof(DictObj, Tombstones) == 24);
static_assert(offsetof(DictObj, Entries) == 32);

/// Float, wide int and u64 boxes share this layout.
struct BoxObj {
  uint32_t Kind;
  uint32_t Reserved;
  uint64_t Bits;
};
static_assert(sizeof(BoxObj) == 16);
static_assert(offsetof(BoxObj, Bits) == 8);

//===-- Decoders
//-----------------------------------------------------------===//

template <typename T> T *asTagged(int64_t W, heap::Kind K) {
  if (!isHeapWord(W))
    return nullptr;
  return static_cast<T *>(heap::lookup(static_cast<uintptr_t>(W) - 1, K));
}

inline StringObj *asString(int64_t W) {
  return asTagged<StringObj>(W, heap::Kind::String);
}
/// Arrays (and tuples) also accept an untagged handle: some upstream call
/// sites pass the SplArray* itself. The registry makes that safe.
inline ArrayObj *asArray(int64_t W) {
  uintptr_t P = static_cast<uintptr_t>(W);
  if (tagOf(W) == TagHeap)
    --P;
  else if (tagOf(W) != TagInt)
    return nullptr;
  return static_cast<ArrayObj *>(heap::lookup(P, heap::Kind::Array));
}
inline EnumObj *asEnum(int64_t W) {
  return asTagged<EnumObj>(W, heap::Kind::Enum);
}
inline ClosureObj *asClosure(int64_t W) {
  return asTagged<ClosureObj>(W, heap::Kind::Closure);
}
inline DictObj *asDict(int64_t W) {
  return asTagged<DictObj>(W, heap::Kind::Dict);
}
inline BoxObj *asFloatBox(int64_t W) {
  return asTagged<BoxObj>(W, heap::Kind::Float);
}
inline BoxObj *asWideIntBox(int64_t W) {
  return asTagged<BoxObj>(W, heap::Kind::WideInt);
}
inline BoxObj *asUIntBox(int64_t W) {
  return asTagged<BoxObj>(W, heap::Kind::UInt);
}

inline int64_t wordOf(const void *Obj) {
  return heapWord(reinterpret_cast<uintptr_t>(Obj));
}

//===-- Constructors (Objects.cpp)
//-----------------------------------------===//

/// A new registered string holding a copy of N bytes at P; nullptr on OOM.
StringObj *newStringObj(const char *P, size_t N);
/// The tagged word of a new string, or Nil on OOM.
int64_t makeString(const char *P, size_t N);
/// A new array of the given capacity (at least ArrayMinCap) and flags, or
/// nullptr.
ArrayObj *newArrayObj(int64_t Cap, uint8_t Flags);
/// Appends a word; false on OOM or for a full byte array growth failure.
bool arrayPush(ArrayObj *A, int64_t W);
/// The word at index I (0 <= I < Len): byte arrays give the raw byte.
int64_t arrayAt(const ArrayObj *A, int64_t I);
int64_t makeBox(heap::Kind K, uint32_t Kind, uint64_t Bits);

} // namespace spl::rt::detail

#endif // SPL_RUNTIME_OBJECTS_H
