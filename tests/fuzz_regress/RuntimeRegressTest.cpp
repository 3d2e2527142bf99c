//===- tests/fuzz_regress/RuntimeRegressTest.cpp - fuzz_runtime's finds ---===//
//
// Each test is an input fuzz_runtime found (its bytes are in
// fuzz/seeds/runtime/), written out as the runtime calls it made.
//
//===----------------------------------------------------------------------===//

#include "runtime/spl_runtime.h"

#include <gtest/gtest.h>

#include <string>

namespace {

std::string textOf(int64_t W) {
  return std::string(rt_interp_cstr(W), static_cast<size_t>(rt_string_len(W)));
}

/// T ends with the cut marker ", ..." and then only closing Close
/// characters, one for each container still open (1..34).
void expectEndsCut(const std::string &T, char Close) {
  size_t P = T.rfind(", ...");
  ASSERT_NE(P, std::string::npos);
  std::string Tail = T.substr(P + 5);
  EXPECT_EQ(Tail.find_first_not_of(Close), std::string::npos) << Tail;
  EXPECT_GE(Tail.size(), 1u);
  EXPECT_LE(Tail.size(), 34u);
}

// fuzz/seeds/runtime/to_string_shared_items: an array holding itself twice
// rendered 2^32 leaves within the depth limit (a hang). Now 33 levels of
// '[', the depth cut "...", and once the text reaches 4 MiB the next item
// of every open array is ", ..." and the arrays close.
TEST(FuzzRegress, ToStringOfArrayHoldingItselfTwiceIsCut) {
  int64_t A = rt_array_new(2);
  ASSERT_EQ(rt_array_push(A, A), 1);
  ASSERT_EQ(rt_array_push(A, A), 1);
  for (int64_t (*Render)(int64_t) : {rt_to_string, rt_value_to_string}) {
    int64_t S = Render(A);
    ASSERT_GE(rt_string_len(S), 0);
    std::string T = textOf(S);
    EXPECT_EQ(T.substr(0, 42), std::string(33, '[') + "..., ...]");
    const size_t Limit = size_t(4) << 20;
    EXPECT_GE(T.size(), Limit);
    // Past the limit: at most ", ...]" for each of the 33 open levels, plus
    // the item that crossed it ("..., ...]" or ", ...]").
    EXPECT_LE(T.size(), Limit + 34 * 9);
    expectEndsCut(T, ']');
    rt_string_free(S);
  }
  rt_array_free(A);
}

// The same through a small dict whose value is the dict itself, under two
// keys.
TEST(FuzzRegress, ToStringOfDictHoldingItselfTwiceIsCut) {
  int64_t D = rt_dict_new(8);
  ASSERT_EQ(rt_dict_set(D, 1 << 3, D), 1);
  ASSERT_EQ(rt_dict_set(D, 2 << 3, D), 1);
  int64_t S = rt_to_string(D);
  std::string T = textOf(S);
  // Either cut (text or steps) may come first for 8 slots.
  EXPECT_LE(T.size(), (size_t(4) << 20) + 34 * 16);
  EXPECT_GT(T.size(), 1000u);
  expectEndsCut(T, '}');
  rt_string_free(S);
}

// fuzz/seeds/runtime/to_string_dict_slots: a dict with room for 256
// entries holding itself twice. Each rendering of it visits all its slots
// but writes a few bytes, so the 4 MiB text cut alone let it run for
// minutes; the 2^22 steps cut it first (the text stays under 4 MiB).
TEST(FuzzRegress, ToStringOfWideDictHoldingItselfIsCutBySteps) {
  int64_t D = rt_dict_new(200);
  ASSERT_EQ(rt_dict_set(D, 1 << 3, D), 1);
  ASSERT_EQ(rt_dict_set(D, 2 << 3, D), 1);
  int64_t S = rt_to_string(D);
  std::string T = textOf(S);
  EXPECT_LT(T.size(), size_t(4) << 20);
  EXPECT_GT(T.size(), 1000u);
  expectEndsCut(T, '}');
  rt_string_free(S);
}

} // namespace
