//===- tests/runtime/RobustnessTest.cpp - Probing arbitrary words ---------===//
//
// Compiled code probes values with these functions, so each must survive any
// word: random bits, "heap" words pointing at unmapped or foreign memory
// (including forged headers), and words pointing into real runtime objects at
// the wrong offset. One million words from a fixed-seed PRNG; the test passes
// when nothing crashes and the real objects are left intact.
//
//===----------------------------------------------------------------------===//

#include "Support.h"

#include <gtest/gtest.h>
#include <cstdint>
#include <cstring>
#include <random>
#include <sys/mman.h>

using namespace spl::rt;
using namespace spl::rt::test;

namespace {

struct Fixtures {
  std::vector<int64_t> Objects;
  int64_t Str, Arr, Dict, Large;
};

Fixtures makeFixtures() {
  Fixtures F;
  F.Str = str("hello");
  F.Arr = rt_array_new(0);
  rt_array_push(F.Arr, I(1));
  rt_array_push(F.Arr, F.Str);
  F.Dict = rt_dict_new(0);
  rt_dict_set(F.Dict, F.Str, I(5));
  rt_dict_set(F.Dict, I(2), F.Arr);
  int64_t Tuple = rt_tuple_new(2);
  rt_tuple_set(Tuple, 0, F.Str);
  int64_t Closure = rt_closure_new(0x401000, 2);
  rt_closure_set_capture(Closure, 0, F.Arr);
  int64_t Stale = str("freed");
  rt_string_free(Stale);
  int64_t StaleArr = rt_array_new(2);
  rt_array_free(StaleArr);
  void *Raw = rt_alloc(64);
  F.Large = str(std::string(1 << 20, 'L')); // a run of whole chunks
  F.Objects = {F.Str,
               F.Arr,
               F.Dict,
               Tuple,
               Closure,
               rt_enum_new(1, 0, F.Str),
               rt_enum_new(1, 1, 0),
               rt_enum_new(0, 1, Tuple),
               rt_value_float(3.25),
               rt_value_int_wide(int64_t(1) << 62),
               rt_value_u64(-1),
               rt_string_bytes(F.Str),
               Stale,
               StaleArr,
               static_cast<int64_t>(reinterpret_cast<uintptr_t>(Raw)),
               static_cast<int64_t>(reinterpret_cast<uintptr_t>(Raw)) | 1};
  return F;
}

volatile int64_t Sink;

void probe(int64_t W, const Fixtures &F, int64_t Other) {
  // A wrapping sum of every result, so nothing is optimised away (a signed
  // one would overflow: undefined behaviour, which UBSan reports).
  uint64_t Acc = 0;
  auto Add = [&Acc](auto... V) { ((Acc += static_cast<uint64_t>(V)), ...); };
  Add(reinterpret_cast<uintptr_t>(rt_interp_cstr(W)));
  Add(rt_enum_discriminant(W), rt_enum_payload(W), rt_enum_id(W));
  Add(rt_enum_check_discriminant(W, 0), rt_unwrap_or_self(W));
  Add(rt_array_len(W), rt_array_get(W, 0), rt_array_get(W, -1));
  Add(rt_string_len(W), rt_len(W), rt_is_none(W), rt_is_some(W));
  Add(rt_value_as_int_wide(W), rt_value_as_u64(W));
  double D = rt_value_as_float(W); // its bits: a cast of a huge one is UB
  uint64_t DBits;
  std::memcpy(&DBits, &D, sizeof D);
  Add(DBits);
  int64_t S = rt_to_string(W);
  if (S != W)
    rt_string_free(S);
  Add(rt_native_eq(W, Other), rt_native_eq(Other, W), rt_native_neq(W, W));
  Add(rt_dict_get(F.Dict, W), rt_dict_get(W, W), rt_dict_contains(W, I(1)));
  Add(rt_dict_len(W));
  Add(rt_closure_func_ptr(W), rt_closure_get_capture(W, 0));
  Add(rt_tuple_get(W, 0), rt_tuple_get(W, 1));
  Add(rt_text_eq_any(W, F.Str), rt_text_eq_any(F.Str, W));
  Add(rt_text_cmp_any(W, F.Str));
  Add(rt_string_find(W, F.Str), rt_string_starts_with(F.Str, W));
  Add(rt_string_to_int_any(W));
  Add(rt_strlen(reinterpret_cast<const char *>(W)));
  Add(isRuntimeObject(W));
  Sink = static_cast<int64_t>(Acc);
}

TEST(RuntimeRobustness, MillionRandomWords) {
  Fixtures F = makeFixtures();
  // Unmapped: a reserved, inaccessible megabyte.
  const size_t Region = 1 << 20;
  auto *None = static_cast<char *>(
      mmap(nullptr, Region, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(None, MAP_FAILED);
  // Mapped but foreign: random bytes with forged runtime headers.
  std::mt19937_64 Rng(0x5EED1234);
  std::vector<uint64_t> Foreign(8192);
  for (uint64_t &V : Foreign)
    V = Rng();
  for (size_t K = 0; K < Foreign.size(); K += 16) {
    Foreign[K] = 0x53545231; // "STR1" with a huge length after it
    Foreign[K + 4] = 2;      // array kind byte
    Foreign[K + 8] = 4;      // enum kind byte
  }
  auto *ForeignBase = reinterpret_cast<char *>(Foreign.data());
  size_t ForeignBytes = Foreign.size() * 8;

  for (int N = 0; N < 1000000; ++N) {
    uint64_t R = Rng();
    int64_t Obj = F.Objects[R % F.Objects.size()];
    int64_t W;
    switch ((R >> 8) % 8) {
    case 0:
      W = static_cast<int64_t>(Rng());
      break;
    case 1: // somewhere in a 47-bit address space, any tag
      W = static_cast<int64_t>(Rng() & ((uint64_t(1) << 47) - 1));
      break;
    case 2:
      W = reinterpret_cast<intptr_t>(None + Rng() % Region);
      break;
    case 3:
      W = reinterpret_cast<intptr_t>(ForeignBase + Rng() % ForeignBytes);
      if (Rng() % 2)
        W = (W & ~int64_t(7)) | (Rng() % 2);
      break;
    case 4:
      W = Obj;
      break;
    case 5: // into a real object at a wrong offset
      W = Obj + static_cast<int64_t>(Rng() % 129) - 64;
      break;
    case 6:
      W = static_cast<int64_t>(Rng() % 0x20000);
      break;
    default: // near real objects: other slots, freed slots, empty chunks
      W = Obj + static_cast<int64_t>(Rng() % (4u << 20)) - (2 << 20);
      break;
    }
    probe(W, F, F.Objects[(R >> 32) % F.Objects.size()]);
  }
  // Around and inside the large object (whose 1 MiB text would make every
  // probe slow in the loop above).
  for (int N = 0; N < 20000; ++N) {
    int64_t W = F.Large + static_cast<int64_t>(Rng() % (3u << 20)) - (1 << 20);
    if (N % 4 == 0)
      W = F.Large + static_cast<int64_t>(Rng() % 256) - 128;
    probe(W, F, F.Objects[Rng() % F.Objects.size()]);
  }
  probe(F.Large, F, F.Str);
  munmap(None, Region);

  // The probes changed nothing.
  EXPECT_EQ(text(F.Str), "hello");
  EXPECT_EQ(rt_array_len(F.Arr), 2);
  EXPECT_EQ(rt_array_get(F.Arr, 1), F.Str);
  EXPECT_EQ(rt_dict_get(F.Dict, str("hello")), I(5));
  EXPECT_EQ(rt_dict_len(F.Dict), 2);
  EXPECT_EQ(rt_string_len(F.Large), 1 << 20);
}

TEST(RuntimeRobustness, ForgedHeadersAreNotObjects) {
  alignas(16) static unsigned char Fake[64] = {};
  uint32_t Kind = 0x53545231;
  std::memcpy(Fake, &Kind, 4);
  uint64_t Len = 1u << 30;
  std::memcpy(Fake + 8, &Len, 8);
  int64_t W = static_cast<int64_t>(reinterpret_cast<uintptr_t>(Fake)) | 1;
  EXPECT_EQ(rt_string_len(W), -1);
  EXPECT_EQ(rt_interp_cstr(W), reinterpret_cast<const char *>(W));
  Fake[0] = 2; // an "array"
  EXPECT_EQ(rt_array_len(W), 0);
  EXPECT_EQ(rt_array_get(W, 0), Nil);
  EXPECT_EQ(rt_array_len(W - 1), 0);
  Fake[0] = 4; // an "enum"
  EXPECT_EQ(rt_enum_discriminant(W), -1);
  EXPECT_FALSE(isRuntimeObject(W));
}

} // namespace
