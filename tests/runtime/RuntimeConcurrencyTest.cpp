//===- tests/runtime/RuntimeConcurrencyTest.cpp - Registry under threads --===//
//
// Eight threads create, probe and free objects for about a second. Each
// thread reads only its own objects' contents and the shared immortal ones;
// other threads' objects (which may be freed at any moment) are probed only
// through the registry check, which never reads freed memory. Also built with
// -fsanitize=thread (see the report): that build must stay clean.
//
//===----------------------------------------------------------------------===//

#include "runtime/Heap.h"
#include "runtime/Runtime.h"
#include "runtime/spl_runtime.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace spl::rt;

namespace {

constexpr int Threads = 8;
constexpr size_t RingSize = 1024;

struct Shared {
  int64_t Str, Arr, Dict;
  std::atomic<int64_t> Ring[RingSize] = {}; // words other threads made
  std::atomic<bool> Stop{false};
  std::atomic<int> Errors{0};
  std::atomic<int> FirstBadLine{0};
};

int64_t str(const std::string &S) {
  return rt_string_new(reinterpret_cast<const uint8_t *>(S.data()), S.size());
}

void checkAt(Shared &S, bool Ok, int Line) {
  if (Ok)
    return;
  S.Errors.fetch_add(1, std::memory_order_relaxed);
  int None = 0;
  S.FirstBadLine.compare_exchange_strong(None, Line);
}
#define check(S, Ok) checkAt(S, Ok, __LINE__)

void worker(Shared &S, int Id, std::atomic<long> &Rounds) {
  std::mt19937_64 Rng(1000 + Id);
  long N = 0;
  while (!S.Stop.load(std::memory_order_relaxed)) {
    ++N;
    // Create one object of each kind.
    char Buf[48];
    std::snprintf(Buf, sizeof(Buf), "t%d-%ld", Id, N);
    std::string Text = Buf;
    int64_t Str = str(Text);
    int64_t Arr = rt_array_new(0);
    for (int K = 0; K < 6; ++K)
      rt_array_push(Arr, intWord(K));
    int64_t En = rt_enum_new(1, 0, Str);
    int64_t Box = rt_value_float(1.0 * N);
    int64_t Wide = rt_value_int_wide((int64_t(1) << 61) + N);
    int64_t Dict = rt_dict_new(0);
    rt_dict_set(Dict, Str, Arr);
    void *Raw = rt_alloc(static_cast<int64_t>(Rng() % 200));
    void *Big = (N % 64 == 0) ? rt_alloc(600 * 1024) : nullptr;
    S.Ring[Rng() % RingSize].store(Str, std::memory_order_relaxed);
    S.Ring[Rng() % RingSize].store(Arr, std::memory_order_relaxed);

    // Probe own objects (contents) and shared ones.
    check(S, rt_string_len(Str) == static_cast<int64_t>(Text.size()));
    check(S, rt_array_len(Arr) == 6 && rt_array_get(Arr, -1) == intWord(5));
    check(S, rt_enum_payload(En) == Str && rt_is_some(En));
    check(S, rt_value_as_float(Box) == 1.0 * N);
    check(S, rt_value_as_int_wide(Wide) == (int64_t(1) << 61) + N);
    check(S, rt_dict_get(Dict, str(Text)) == Arr);
    check(S, isRuntimeObject(reinterpret_cast<intptr_t>(Raw)));
    check(S, rt_text_eq_any(S.Str, str("shared")) == 1);
    check(S, rt_array_len(S.Arr) == 3 && rt_dict_len(S.Dict) == 1);
    // Other threads' objects: registry check only.
    for (int K = 0; K < 8; ++K)
      (void)isRuntimeObject(
          S.Ring[Rng() % RingSize].load(std::memory_order_relaxed));
    // Random words.
    // Random words. One inside the object arena may be exactly another
    // thread's live array or enum (about one word in 2^11 lands in the 64
    // GiB range, and live objects are dense there): that is a real handle,
    // not a wrong answer, so only words outside the arena are checked.
    for (int K = 0; K < 4; ++K) {
      int64_t W = static_cast<int64_t>(Rng() & ((uint64_t(1) << 47) - 1)) | 1;
      uintptr_t Off = uintptr_t(W) - heap::TheArena.Base.load();
      if (Off < heap::TheArena.Bytes.load() + 64)
        continue;
      check(S, rt_array_get(W, 0) == Nil && rt_enum_discriminant(W) == -1);
    }

    // Free. Once freed, a slot may at once hold another thread's new object,
    // so a stale word is only probed through the registry, and a second free
    // may legitimately hit that new object: those checks are single-threaded
    // (RegistryTest). Here: the first free always succeeds.
    check(S, rt_string_free(Str) == 1);
    check(S, rt_array_free(Arr) == 1);
    rt_free(Raw);
    rt_free(Big);
    (void)isRuntimeObject(Str);
    (void)isRuntimeObject(reinterpret_cast<intptr_t>(Raw));
  }
  Rounds.fetch_add(N);
}

TEST(RuntimeConcurrency, CreateProbeFree) {
  Shared S;
  S.Str = str("shared");
  S.Arr = rt_array_new(0);
  for (int K = 0; K < 3; ++K)
    rt_array_push(S.Arr, intWord(K));
  S.Dict = rt_dict_new(0);
  rt_dict_set(S.Dict, S.Str, S.Arr);
  std::atomic<long> Rounds{0};
  std::vector<std::thread> Pool;
  for (int T = 0; T < Threads; ++T)
    Pool.emplace_back(worker, std::ref(S), T, std::ref(Rounds));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  S.Stop.store(true);
  for (std::thread &T : Pool)
    T.join();
  EXPECT_EQ(S.Errors.load(), 0)
      << "first failed check on line " << S.FirstBadLine.load();
  EXPECT_GT(Rounds.load(), Threads); // every thread made progress
  EXPECT_EQ(rt_array_len(S.Arr), 3);
}

} // namespace
