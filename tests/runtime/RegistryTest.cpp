//===- tests/runtime/RegistryTest.cpp - Registry, rt_alloc, symbol table --===//

#include "Support.h"
#include "runtime/Heap.h"

#include <algorithm>
#include <cstdlib>
#include <gtest/gtest.h>

using namespace spl::rt;
using namespace spl::rt::test;

extern "C" int spl_rt_c_host_check(void);

namespace {

TEST(RuntimeRegistry, AllocAndFree) {
  auto *P = static_cast<unsigned char *>(rt_alloc(40));
  ASSERT_NE(P, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(P) % 16, 0u);
  EXPECT_TRUE(std::all_of(P, P + 40, [](unsigned char C) { return C == 0; }));
  std::memset(P, 0xAB, 40);
  EXPECT_TRUE(
      isRuntimeObject(static_cast<int64_t>(reinterpret_cast<uintptr_t>(P))));
  rt_free(P + 8); // interior: refused
  EXPECT_TRUE(
      isRuntimeObject(static_cast<int64_t>(reinterpret_cast<uintptr_t>(P))));
  rt_free(P);
  EXPECT_FALSE(
      isRuntimeObject(static_cast<int64_t>(reinterpret_cast<uintptr_t>(P))));
  rt_free(P); // double free: refused
  // Reuse comes back zeroed.
  auto *Q = static_cast<unsigned char *>(rt_alloc(40));
  EXPECT_TRUE(std::all_of(Q, Q + 40, [](unsigned char C) { return C == 0; }));
  rt_free(Q);

  void *Z1 = rt_alloc(0), *Z2 = rt_alloc(0);
  EXPECT_NE(Z1, nullptr);
  EXPECT_NE(Z1, Z2);
  EXPECT_EQ(rt_alloc(-1), nullptr);

  // Foreign pointers are refused, never handed to free().
  void *M = std::malloc(32);
  rt_free(M);
  std::free(M);
  int Local;
  rt_free(&Local);
  rt_free(nullptr);
  rt_free(reinterpret_cast<void *>(0x12345));
  // A runtime object of another kind is not an rt_alloc block.
  int64_t S = str("keep");
  rt_free(reinterpret_cast<void *>(heapPtrOfWord(S)));
  EXPECT_EQ(text(S), "keep");
}

TEST(RuntimeRegistry, LiveCount) {
  size_t Before = heap::liveObjects();
  void *P = rt_alloc(8);
  int64_t S = str("counted");
  EXPECT_EQ(heap::liveObjects(), Before + 2);
  rt_free(P);
  rt_free(P);
  EXPECT_EQ(rt_string_free(S), 1);
  EXPECT_EQ(rt_string_free(S), 0);
  EXPECT_EQ(heap::liveObjects(), Before);
}

TEST(RuntimeRegistry, LargeObjects) {
  const size_t N = 3u << 20; // bigger than a slab slot: a run of chunks
  auto *P = static_cast<char *>(rt_alloc(static_cast<int64_t>(N)));
  ASSERT_NE(P, nullptr);
  std::memset(P, 1, N);
  rt_free(P);
  rt_free(P);
  std::string Big(1u << 20, 'q');
  int64_t S = str(Big);
  EXPECT_EQ(rt_string_len(S), static_cast<int64_t>(Big.size()));
  EXPECT_EQ(rt_string_len(S + 16), -1); // interior of the run
  EXPECT_EQ(rt_string_free(S), 1);
  EXPECT_EQ(rt_string_len(S), -1);
  int64_t S2 = str(Big + "!");
  EXPECT_EQ(text(S2).back(), '!');
  EXPECT_EQ(rt_string_free(S2), 1);
}

TEST(RuntimeRegistry, IsRuntimeObject) {
  std::vector<int64_t> Objects = {str("s"),
                                  rt_array_new(1),
                                  rt_enum_new(1, 0, 0),
                                  rt_tuple_new(2),
                                  rt_closure_new(0, 1),
                                  rt_dict_new(0),
                                  rt_value_float(1),
                                  rt_value_int_wide(int64_t(1) << 62),
                                  rt_value_u64(5)};
  for (int64_t W : Objects) {
    EXPECT_TRUE(isRuntimeObject(W)) << W;
    EXPECT_TRUE(isRuntimeObject(W - 1)) << W; // untagged pointer
    // Objects start 16-aligned: an odd multiple of 8 further is inside one.
    for (int64_t Off = 1; Off < 40; Off += 2)
      EXPECT_FALSE(isRuntimeObject(W + 8 * Off)) << W << "+" << Off;
    for (int64_t Tag = 1; Tag < 7; ++Tag) // tags 2..7 are not pointers
      EXPECT_FALSE(isRuntimeObject(W + Tag)) << W << "+" << Tag;
  }
  for (int64_t W : {int64_t(0), Nil, True, I(99), int64_t(-1)})
    EXPECT_FALSE(isRuntimeObject(W));
  void *M = std::malloc(64);
  EXPECT_FALSE(isRuntimeObject(
      static_cast<int64_t>(reinterpret_cast<uintptr_t>(M)) | 1));
  std::free(M);
}

TEST(RuntimeRegistry, CHostLinks) { EXPECT_EQ(spl_rt_c_host_check(), 0); }

TEST(RuntimeTable, SortedAndComplete) {
  size_t Count = 0;
  const RuntimeFn *Fns = runtimeFunctions(&Count);
  EXPECT_EQ(Count, 94u);
  for (size_t K = 1; K < Count; ++K)
    EXPECT_LT(std::strcmp(Fns[K - 1].Name, Fns[K].Name), 0) << Fns[K].Name;
  for (size_t K = 0; K < Count; ++K) {
    EXPECT_EQ(findRuntimeFunction(Fns[K].Name), &Fns[K]);
    EXPECT_NE(Fns[K].Address, nullptr);
    EXPECT_EQ(std::strspn(Fns[K].Sig, "vwpfbiu"), std::strlen(Fns[K].Sig));
  }
  EXPECT_EQ(findRuntimeFunction("rt_nope"), nullptr);
  EXPECT_EQ(findRuntimeFunction(nullptr), nullptr);
  struct Expect {
    const char *Name;
    void *Address;
    const char *Sig;
  };
  for (const Expect &E : std::initializer_list<Expect>{
           {"rt_array_get", reinterpret_cast<void *>(&rt_array_get), "www"},
           {"rt_panic", reinterpret_cast<void *>(&rt_panic), "vpu"},
           {"rt_enum_new", reinterpret_cast<void *>(&rt_enum_new), "wiiw"},
           {"rt_print", reinterpret_cast<void *>(&rt_print), "vp"},
           {"rt_print_str", reinterpret_cast<void *>(&rt_print_str), "vpu"},
           {"rt_value_float", reinterpret_cast<void *>(&rt_value_float), "wf"},
           {"rt_value_as_float", reinterpret_cast<void *>(&rt_value_as_float),
            "fw"},
           {"rt_array_push", reinterpret_cast<void *>(&rt_array_push), "bww"},
           {"rt_array_set", reinterpret_cast<void *>(&rt_array_set), "vwww"},
           {"rt_raw_bool_to_string",
            reinterpret_cast<void *>(&rt_raw_bool_to_string), "wb"},
           {"rt_strcat", reinterpret_cast<void *>(&rt_strcat), "ppp"},
           {"spl_str_slice", reinterpret_cast<void *>(&spl_str_slice), "ppww"},
           {"rt_alloc", reinterpret_cast<void *>(&rt_alloc), "pw"},
           {"__simple_intrinsic_trap",
            reinterpret_cast<void *>(&__simple_intrinsic_trap), "w"},
           {"__simple_pow", reinterpret_cast<void *>(&__simple_pow), "www"},
       }) {
    const RuntimeFn *F = findRuntimeFunction(E.Name);
    ASSERT_NE(F, nullptr) << E.Name;
    EXPECT_EQ(F->Address, E.Address) << E.Name;
    EXPECT_STREQ(F->Sig, E.Sig) << E.Name;
  }
}

} // namespace
