//===- runtime/Dict.cpp - Dicts: open addressing over tagged words --------===//
//
// Linear probing in a power-of-two table (8 entries at first). The table is
// rebuilt when live entries plus tombstones would pass 70%: twice as large
// when the live entries alone would, else at the same size to drop the
// tombstones. keys/values/entries walk the table in slot order, so the three
// agree with each other.
//
//===----------------------------------------------------------------------===//

#include "runtime/Objects.h"
#include "runtime/Values.h"
#include "runtime/spl_runtime.h"

#include <cstdlib>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

constexpr int64_t MaxCap = int64_t(1) << 40;

bool overLoad(int64_t Used, int64_t Cap) { return Used * 10 > Cap * 7; }

/// The slot holding K, or -1.
int64_t findSlot(const DictObj *D, int64_t K, uint64_t H) {
  int64_t Mask = D->Cap - 1;
  for (int64_t I = static_cast<int64_t>(H) & Mask, N = 0; N < D->Cap;
       I = (I + 1) & Mask, ++N) {
    const DictEntry &E = D->Entries[I];
    if (E.State == EntryEmpty)
      return -1;
    if (E.State == EntryLive && E.Hash == H && keyEqual(E.Key, K))
      return I;
  }
  return -1;
}

/// The first free slot (empty or tombstone) on K's probe path.
int64_t freeSlot(const DictObj *D, uint64_t H) {
  int64_t Mask = D->Cap - 1;
  int64_t I = static_cast<int64_t>(H) & Mask;
  while (D->Entries[I].State == EntryLive)
    I = (I + 1) & Mask;
  return I;
}

bool rebuild(DictObj *D, int64_t NewCap) {
  auto *Fresh = static_cast<DictEntry *>(
      std::calloc(static_cast<size_t>(NewCap), sizeof(DictEntry)));
  if (!Fresh)
    return false;
  DictEntry *Old = D->Entries;
  int64_t OldCap = D->Cap;
  D->Entries = Fresh;
  D->Cap = NewCap;
  D->Tombstones = 0;
  for (int64_t I = 0; I < OldCap; ++I)
    if (Old[I].State == EntryLive)
      D->Entries[freeSlot(D, Old[I].Hash)] = Old[I];
  std::free(Old);
  return true;
}

/// A new array of one item per live entry, in slot order.
template <typename Fn> int64_t collect(int64_t H, Fn Item) {
  DictObj *D = asDict(H);
  ArrayObj *A = newArrayObj(D ? D->Len : 0, 0);
  if (!A)
    return Nil;
  if (D)
    for (int64_t I = 0; I < D->Cap; ++I)
      if (D->Entries[I].State == EntryLive)
        arrayPush(A, Item(D->Entries[I]));
  return wordOf(A);
}

} // namespace

extern "C" {

/// Room for Hint entries below 70% load; at least 8 slots.
int64_t rt_dict_new(int64_t Hint) {
  int64_t Cap = DictMinCap;
  while (Cap < MaxCap && overLoad(Hint, Cap))
    Cap *= 2;
  auto *Entries = static_cast<DictEntry *>(
      std::calloc(static_cast<size_t>(Cap), sizeof(DictEntry)));
  if (!Entries)
    return Nil;
  auto *D =
      static_cast<DictObj *>(heap::allocate(heap::Kind::Dict, sizeof(DictObj)));
  if (!D) {
    std::free(Entries);
    return Nil;
  }
  D->Kind = DictKind;
  D->Cap = Cap;
  D->Entries = Entries;
  return wordOf(D);
}

/// 1 when stored (new key or replaced value), 0 for a non-dict or OOM.
int64_t rt_dict_set(int64_t H, int64_t K, int64_t V) {
  DictObj *D = asDict(H);
  if (!D)
    return 0;
  uint64_t Hash = keyHash(K);
  int64_t I = findSlot(D, K, Hash);
  if (I >= 0) {
    D->Entries[I].Value = V;
    return 1;
  }
  if (overLoad(D->Len + D->Tombstones + 1, D->Cap)) {
    int64_t NewCap = overLoad(D->Len + 1, D->Cap) ? D->Cap * 2 : D->Cap;
    if (NewCap > MaxCap || !rebuild(D, NewCap))
      return 0;
  }
  I = freeSlot(D, Hash);
  DictEntry &E = D->Entries[I];
  if (E.State == EntryTombstone)
    --D->Tombstones;
  E = {K, V, Hash, EntryLive};
  ++D->Len;
  return 1;
}

int64_t rt_dict_get(int64_t H, int64_t K) {
  DictObj *D = asDict(H);
  if (!D)
    return Nil;
  int64_t I = findSlot(D, K, keyHash(K));
  return I < 0 ? Nil : D->Entries[I].Value;
}

int64_t rt_dict_contains(int64_t H, int64_t K) {
  DictObj *D = asDict(H);
  return D && findSlot(D, K, keyHash(K)) >= 0;
}

/// 1 when K was there (its slot becomes a tombstone), else 0.
int64_t rt_dict_remove(int64_t H, int64_t K) {
  DictObj *D = asDict(H);
  if (!D)
    return 0;
  int64_t I = findSlot(D, K, keyHash(K));
  if (I < 0)
    return 0;
  D->Entries[I] = {0, 0, 0, EntryTombstone};
  --D->Len;
  ++D->Tombstones;
  return 1;
}

int64_t rt_dict_len(int64_t H) {
  DictObj *D = asDict(H);
  return D ? D->Len : 0;
}

/// Arrays in slot order; a non-dict gives an empty array.
int64_t rt_dict_keys(int64_t H) {
  return collect(H, [](const DictEntry &E) { return E.Key; });
}

int64_t rt_dict_values(int64_t H) {
  return collect(H, [](const DictEntry &E) { return E.Value; });
}

/// An array of 2-tuples (key, value).
int64_t rt_dict_entries(int64_t H) {
  return collect(H, [](const DictEntry &E) {
    int64_t T = rt_tuple_new(2);
    rt_tuple_set(T, 0, E.Key);
    rt_tuple_set(T, 1, E.Value);
    return T;
  });
}

} // extern "C"
