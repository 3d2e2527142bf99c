//===- tests/runtime/DictTest.cpp - Dicts
//----------------------------------===//

#include "Support.h"

#include <gtest/gtest.h>
#include <set>

using namespace spl::rt;
using namespace spl::rt::test;

namespace {

int64_t cap(int64_t D) { return field<int64_t>(D, 8); }
int64_t tombstones(int64_t D) { return field<int64_t>(D, 24); }

TEST(RuntimeDict, Layout) {
  int64_t D = rt_dict_new(0);
  ASSERT_EQ(D & 7, 1);
  EXPECT_EQ(field<uint8_t>(D, 0), 6);
  EXPECT_EQ(cap(D), 8);
  EXPECT_EQ(field<int64_t>(D, 16), 0);
  EXPECT_EQ(tombstones(D), 0);
  rt_dict_set(D, I(5), I(50));
  EXPECT_EQ(field<int64_t>(D, 16), 1);
  // Entries {key, value, hash, state}, 32 bytes each: find the live one.
  auto *Entries = field<const char *>(D, 32);
  int Live = 0;
  for (int K = 0; K < 8; ++K) {
    const char *E = Entries + 32 * K;
    int8_t State;
    std::memcpy(&State, E + 24, 1);
    if (State != 1)
      continue;
    ++Live;
    int64_t Key, Value;
    std::memcpy(&Key, E, 8);
    std::memcpy(&Value, E + 8, 8);
    EXPECT_EQ(Key, I(5));
    EXPECT_EQ(Value, I(50));
  }
  EXPECT_EQ(Live, 1);
  // Hint: room for 100 below 70% -> 256 slots (143 would be the minimum).
  EXPECT_EQ(cap(rt_dict_new(100)), 256);
}

TEST(RuntimeDict, KeysByContent) {
  int64_t D = rt_dict_new(0);
  EXPECT_EQ(rt_dict_set(D, str("key"), I(1)), 1);
  EXPECT_EQ(rt_dict_get(D, str("key")), I(1));    // another string object
  EXPECT_EQ(rt_dict_set(D, str("key"), I(2)), 1); // replaces
  EXPECT_EQ(rt_dict_len(D), 1);
  EXPECT_EQ(rt_dict_get(D, str("key")), I(2));
  rt_dict_set(D, I(1), str("one"));
  EXPECT_EQ(text(rt_dict_get(D, I(1))), "one");
  rt_dict_set(D, rt_value_int_wide(int64_t(1) << 61), I(3));
  EXPECT_EQ(rt_dict_get(D, rt_value_int_wide(int64_t(1) << 61)), I(3));
  rt_dict_set(D, rt_value_float(2.5), I(4));
  EXPECT_EQ(rt_dict_get(D, rt_value_float(2.5)), I(4));
  EXPECT_EQ(rt_dict_get(D, rt_value_float(3.5)), Nil);
  EXPECT_EQ(rt_dict_get(D, str("nope")), Nil);
  EXPECT_EQ(rt_dict_contains(D, str("key")), 1);
  EXPECT_EQ(rt_dict_contains(D, I(2)), 0);
  EXPECT_EQ(rt_dict_len(D), 4);
}

TEST(RuntimeDict, GrowsPast70Percent) {
  int64_t D = rt_dict_new(0);
  for (int K = 0; K < 5; ++K)
    rt_dict_set(D, I(K), I(K));
  EXPECT_EQ(cap(D), 8); // 5 of 8 is 62.5%
  rt_dict_set(D, I(5), I(5));
  EXPECT_EQ(cap(D), 16); // 6 of 8 would be 75%
  for (int K = 6; K < 1000; ++K)
    rt_dict_set(D, I(K * 7919), I(K));
  EXPECT_EQ(rt_dict_len(D), 1000);
  EXPECT_EQ(cap(D), 2048); // 1024 holds at most 716
  for (int K = 6; K < 1000; ++K)
    ASSERT_EQ(rt_dict_get(D, I(K * 7919)), I(K));
  for (int K = 0; K < 6; ++K)
    ASSERT_EQ(rt_dict_get(D, I(K)), I(K));
  // Many string keys.
  int64_t S = rt_dict_new(0);
  for (int K = 0; K < 2000; ++K)
    rt_dict_set(S, str(numbered("k", K)), I(K));
  for (int K = 0; K < 2000; ++K)
    ASSERT_EQ(rt_dict_get(S, str(numbered("k", K))), I(K));
  EXPECT_EQ(rt_dict_len(S), 2000);
}

TEST(RuntimeDict, RemoveTombstonesReinsert) {
  int64_t D = rt_dict_new(0);
  rt_dict_set(D, str("a"), I(1));
  rt_dict_set(D, str("b"), I(2));
  EXPECT_EQ(rt_dict_remove(D, str("a")), 1);
  EXPECT_EQ(rt_dict_remove(D, str("a")), 0);
  EXPECT_EQ(rt_dict_len(D), 1);
  EXPECT_EQ(tombstones(D), 1);
  EXPECT_EQ(rt_dict_get(D, str("a")), Nil);
  EXPECT_EQ(rt_dict_contains(D, str("a")), 0);
  EXPECT_EQ(rt_dict_get(D, str("b")), I(2));
  rt_dict_set(D, str("a"), I(3)); // reuses the tombstone
  EXPECT_EQ(tombstones(D), 0);
  EXPECT_EQ(rt_dict_len(D), 2);
  EXPECT_EQ(rt_dict_get(D, str("a")), I(3));
  // Churn: tombstones never grow the table, a same-size rebuild drops them.
  int64_t C = rt_dict_new(0);
  for (int K = 0; K < 10000; ++K) {
    rt_dict_set(C, I(K), I(K));
    ASSERT_EQ(rt_dict_remove(C, I(K)), 1);
  }
  EXPECT_EQ(cap(C), 8);
  EXPECT_EQ(rt_dict_len(C), 0);
  EXPECT_LT(tombstones(C), 6);
}

TEST(RuntimeDict, KeysValuesEntriesAgree) {
  int64_t D = rt_dict_new(0);
  for (int K = 0; K < 50; ++K)
    rt_dict_set(D, str(numbered("k", K)), I(K * 10));
  rt_dict_remove(D, str("k7"));
  int64_t Keys = rt_dict_keys(D), Values = rt_dict_values(D),
          Entries = rt_dict_entries(D);
  ASSERT_EQ(rt_array_len(Keys), 49);
  ASSERT_EQ(rt_array_len(Values), 49);
  ASSERT_EQ(rt_array_len(Entries), 49);
  std::set<std::string> Seen;
  for (int K = 0; K < 49; ++K) {
    int64_t Key = rt_array_get(Keys, K), Value = rt_array_get(Values, K);
    int64_t Pair = rt_array_get(Entries, K);
    EXPECT_EQ(rt_len(Pair), 2);
    EXPECT_EQ(rt_tuple_get(Pair, 0), Key);
    EXPECT_EQ(rt_tuple_get(Pair, 1), Value);
    EXPECT_EQ(rt_dict_get(D, Key), Value);
    Seen.insert(text(Key));
  }
  EXPECT_EQ(Seen.size(), 49u);
  EXPECT_EQ(Seen.count("k7"), 0u);
}

TEST(RuntimeDict, NonDicts) {
  for (int64_t W : {I(1), Nil, str("d"), rt_array_new(0)}) {
    EXPECT_EQ(rt_dict_get(W, I(1)), Nil);
    EXPECT_EQ(rt_dict_set(W, I(1), I(1)), 0);
    EXPECT_EQ(rt_dict_contains(W, I(1)), 0);
    EXPECT_EQ(rt_dict_remove(W, I(1)), 0);
    EXPECT_EQ(rt_dict_len(W), 0);
    EXPECT_EQ(rt_array_len(rt_dict_keys(W)), 0);
  }
  int64_t D = rt_dict_new(0);
  rt_dict_set(D, I(1), I(2));
  EXPECT_EQ(rt_len(D), 1);
}

} // namespace
