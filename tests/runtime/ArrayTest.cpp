//===- tests/runtime/ArrayTest.cpp - Arrays
//--------------------------------===//

#include "Support.h"

#include <gtest/gtest.h>

using namespace spl::rt;
using namespace spl::rt::test;

namespace {

int64_t cap(int64_t A) { return field<int64_t>(A, 16); }

int64_t arrayOf(std::initializer_list<int64_t> Values) {
  int64_t A = rt_array_new(0);
  for (int64_t V : Values)
    rt_array_push(A, I(V));
  return A;
}

std::vector<int64_t> ints(int64_t A) {
  std::vector<int64_t> Out;
  for (int64_t K = 0; K < rt_array_len(A); ++K)
    Out.push_back(intOfWord(rt_array_get(A, K)));
  return Out;
}

TEST(RuntimeArray, LayoutAndGrowth) {
  int64_t A = rt_array_new(0);
  ASSERT_EQ(A & 7, 1);
  EXPECT_EQ(field<uint8_t>(A, 0), 2);
  EXPECT_EQ(field<uint8_t>(A, 1), 0);
  EXPECT_EQ(field<int64_t>(A, 8), 0);
  EXPECT_EQ(cap(A), 4);
  EXPECT_NE(field<void *>(A, 24), nullptr);
  for (int K = 0; K < 4; ++K)
    EXPECT_EQ(rt_array_push(A, I(K)), 1);
  EXPECT_EQ(cap(A), 4);
  rt_array_push(A, I(4));
  EXPECT_EQ(cap(A), 8);
  for (int K = 5; K < 9; ++K)
    rt_array_push(A, I(K));
  EXPECT_EQ(cap(A), 16);
  EXPECT_EQ(rt_array_len(A), 9);
  EXPECT_EQ(field<int64_t>(A, 8), 9);
  // Items are stored as given, 8 bytes each in the out-of-line data.
  EXPECT_EQ(field<int64_t *>(A, 24)[3], I(3));
  EXPECT_EQ(cap(rt_array_new(10)), 10);
  EXPECT_EQ(cap(rt_array_new(-5)), 4);
}

TEST(RuntimeArray, GetAndSet) {
  int64_t A = arrayOf({10, 20, 30});
  EXPECT_EQ(rt_array_get(A, 0), I(10));
  EXPECT_EQ(rt_array_get(A, -1), I(30));
  EXPECT_EQ(rt_array_get(A, -3), I(10));
  EXPECT_EQ(rt_array_get(A, 3), Nil);
  EXPECT_EQ(rt_array_get(A, -4), Nil);
  EXPECT_EQ(rt_array_get(I(1), 0), Nil);
  EXPECT_EQ(rt_array_get(Nil, 0), Nil);
  rt_array_set(A, -1, I(33));
  rt_array_set(A, 0, I(11));
  rt_array_set(A, 3, I(99));  // ignored
  rt_array_set(A, -4, I(99)); // ignored
  EXPECT_EQ(ints(A), (std::vector<int64_t>{11, 20, 33}));
  // The untagged handle is accepted too.
  EXPECT_EQ(rt_array_len(A - 1), 3);
  EXPECT_EQ(rt_array_get(A - 1, 1), I(20));
  EXPECT_EQ(rt_array_len(I(3)), 0);
  EXPECT_EQ(rt_array_push(str("x"), I(1)), 0);
}

TEST(RuntimeArray, PopClearRepeat) {
  int64_t A = arrayOf({1, 2});
  EXPECT_EQ(rt_array_pop(A), I(2));
  EXPECT_EQ(rt_array_pop(A), I(1));
  EXPECT_EQ(rt_array_pop(A), Nil);
  EXPECT_EQ(rt_array_len(A), 0);
  int64_t B = arrayOf({1, 2, 3, 4, 5});
  EXPECT_EQ(rt_array_clear(B), 1);
  EXPECT_EQ(rt_array_len(B), 0);
  EXPECT_EQ(cap(B), 8); // capacity kept
  EXPECT_EQ(rt_array_clear(I(2)), 0);
  int64_t R = rt_array_repeat(I(7), 3);
  EXPECT_EQ(ints(R), (std::vector<int64_t>{7, 7, 7}));
  EXPECT_EQ(rt_array_len(rt_array_repeat(I(7), -1)), 0);
  EXPECT_EQ(rt_array_pop(Nil), Nil);
}

TEST(RuntimeArray, ConcatAndCopy) {
  int64_t A = arrayOf({1, 2}), B = arrayOf({3});
  int64_t C = rt_array_concat(A, B);
  EXPECT_EQ(ints(C), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(ints(A), (std::vector<int64_t>{1, 2})); // operands untouched
  EXPECT_EQ(ints(rt_array_concat(I(5), B)), (std::vector<int64_t>{3}));
  EXPECT_EQ(rt_array_len(rt_array_concat(Nil, Nil)), 0);
  int64_t D = rt_array_copy(A);
  EXPECT_NE(D, A);
  rt_array_set(D, 0, I(100));
  EXPECT_EQ(ints(A), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(ints(D), (std::vector<int64_t>{100, 2}));
  EXPECT_EQ(rt_array_copy(I(1)), Nil);
}

TEST(RuntimeArray, Free) {
  int64_t A = arrayOf({1});
  EXPECT_EQ(rt_array_free(A), 1);
  EXPECT_EQ(rt_array_len(A), 0);
  EXPECT_EQ(rt_array_get(A, 0), Nil);
  EXPECT_EQ(rt_array_free(A), 0);
  EXPECT_EQ(rt_array_free(str("s")), 0);
}

} // namespace
