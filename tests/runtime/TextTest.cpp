//===- tests/runtime/TextTest.cpp - Strings: make, search, split ----------===//

#include "Support.h"

#include <gtest/gtest.h>

using namespace spl::rt;
using namespace spl::rt::test;

namespace {

SPL_LIT(Abc, "abc");
SPL_LIT(Abd, "abd");
SPL_LIT(Cd, "cd");
SPL_LIT(Empty, "");
SPL_LIT(Comma, ",");
SPL_LIT(Hello, "hello");

TEST(RuntimeText, StringObjectLayout) {
  int64_t S = str("abc");
  ASSERT_EQ(S & 7, 1);
  EXPECT_EQ(field<uint32_t>(S, 0), 0x53545231u);
  EXPECT_EQ(field<uint64_t>(S, 8), 3u);
  EXPECT_EQ(
      std::memcmp(reinterpret_cast<char *>(heapPtrOfWord(S)) + 16, "abc", 4),
      0); // NUL-terminated
  EXPECT_EQ(rt_interp_cstr(S), reinterpret_cast<char *>(heapPtrOfWord(S)) + 16);
}

TEST(RuntimeText, NewAndLength) {
  EXPECT_EQ(text(rt_string_new(nullptr, 0)), "");
  EXPECT_EQ(rt_string_new(nullptr, 5), Nil);
  const uint8_t Bytes[] = {'a', 0, 'b'};
  int64_t S = rt_string_new(Bytes, 3);
  EXPECT_EQ(rt_string_len(S), 3); // embedded NUL counts
  EXPECT_EQ(rt_string_len(lit(Hello)), 5);
  EXPECT_EQ(rt_string_len(I(7)), -1);
  EXPECT_EQ(rt_string_len(Nil), -1);
  EXPECT_EQ(rt_string_len(True), -1);
  EXPECT_EQ(rt_strlen(nullptr), 0);
  EXPECT_EQ(rt_strlen(Hello), 5);
  EXPECT_EQ(rt_strlen(reinterpret_cast<const char *>(S)), 3);
  EXPECT_EQ(spl_str_len(Abc), 3);
  EXPECT_EQ(rt_len(str("four")), 4);
  EXPECT_EQ(rt_len(I(5)), 0);
  EXPECT_EQ(rt_len(Nil), 0);
}

TEST(RuntimeText, InterpCstr) {
  EXPECT_EQ(rt_interp_cstr(lit(Abc)), Abc);
  EXPECT_EQ(rt_interp_cstr(3), reinterpret_cast<const char *>(3));
  EXPECT_EQ(rt_interp_cstr(0x8001), reinterpret_cast<const char *>(0x8001));
  EXPECT_STREQ(rt_interp_cstr(str("xy")), "xy");
}

TEST(RuntimeText, Concatenation) {
  char *R = rt_strcat(Abc, Cd);
  EXPECT_STREQ(R, "abccd");
  EXPECT_EQ(rt_strlen(R), 5);
  EXPECT_STREQ(rt_strcat(nullptr, Cd), "cd");
  EXPECT_STREQ(rt_strcat(reinterpret_cast<const char *>(str("x")), Abc),
               "xabc");
  EXPECT_EQ(text(rt_strcat_tagged(str("ab"), lit(Cd))), "abcd");
  EXPECT_EQ(text(rt_strcat_tagged(lit(Cd), str("ab"))), "cdab");
  EXPECT_EQ(text(rt_strcat_tagged(0, str("ab"))), "ab");
  EXPECT_EQ(text(rt_strcat_tagged(I(1), str("ab"))), "ab"); // non-text: ""
}

TEST(RuntimeText, EqualityAndOrder) {
  int64_t A = str("abc");
  EXPECT_EQ(rt_text_eq_any(A, lit(Abc)), 1);
  EXPECT_EQ(rt_text_eq_any(lit(Abc), str("abc")), 1);
  EXPECT_EQ(rt_text_eq_any(A, lit(Abd)), 0);
  EXPECT_EQ(rt_text_eq_any(A, A), 1);
  EXPECT_EQ(rt_text_eq_any(I(1), I(1)), 1); // same word
  EXPECT_EQ(rt_text_eq_any(I(1), I(2)), 0);
  EXPECT_EQ(rt_text_eq_any(str("ab"), str("abc")), 0);
  EXPECT_EQ(rt_text_cmp_any(lit(Abc), lit(Abd)), -1);
  EXPECT_EQ(rt_text_cmp_any(lit(Abd), str("abc")), 1);
  EXPECT_EQ(rt_text_cmp_any(str("abc"), lit(Abc)), 0);
  EXPECT_EQ(rt_text_cmp_any(str("ab"), lit(Abc)), -1);
  EXPECT_EQ(rt_text_cmp_any(0, lit(Empty)), 0); // NULL is ""
  EXPECT_EQ(rt_text_cmp_any(0, lit(Abc)), -1);
}

TEST(RuntimeText, Searching) {
  int64_t H = str("hello");
  EXPECT_EQ(rt_string_starts_with(H, str("he")), 1);
  EXPECT_EQ(rt_string_starts_with(H, str("lo")), 0);
  EXPECT_EQ(rt_string_starts_with(H, lit(Empty)), 1);
  EXPECT_EQ(rt_string_ends_with(H, str("lo")), 1);
  EXPECT_EQ(rt_string_ends_with(H, str("hello!")), 0);
  EXPECT_EQ(rt_string_contains(lit(Hello), str("ell")), 1);
  EXPECT_EQ(rt_string_contains(H, str("elo")), 0);
  EXPECT_EQ(rt_string_contains(H, lit(Empty)), 1);
  EXPECT_EQ(rt_string_contains(H, I(3)), 0);
  EXPECT_EQ(rt_string_find(H, str("l")), 2);
  EXPECT_EQ(rt_string_rfind(H, str("l")), 3);
  EXPECT_EQ(rt_string_find(H, str("z")), -1);
  EXPECT_EQ(rt_string_rfind(H, str("z")), -1);
  EXPECT_EQ(rt_string_find(H, lit(Empty)), 0);
  EXPECT_EQ(rt_string_rfind(H, lit(Empty)), 5);
  EXPECT_EQ(rt_string_find(Nil, H), -1);
}

TEST(RuntimeText, Split) {
  EXPECT_EQ(strings(rt_string_split(str("a,b,,c"), lit(Comma))),
            (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(strings(rt_string_split(str("a--b--"), str("--"))),
            (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(strings(rt_string_split(str(""), lit(Comma))),
            (std::vector<std::string>{""}));
  EXPECT_EQ(strings(rt_string_split(str("abc"), lit(Empty))),
            (std::vector<std::string>{"a", "b", "c"}));
  // Characters, not bytes: U+00E9 is two bytes.
  EXPECT_EQ(strings(rt_string_split(str("h\xC3\xA9!"), lit(Empty))),
            (std::vector<std::string>{"h", "\xC3\xA9", "!"}));
  EXPECT_EQ(rt_array_len(rt_string_split(str(""), lit(Empty))), 0);
  EXPECT_EQ(rt_string_split(I(1), lit(Comma)), Nil);
}

TEST(RuntimeText, Replace) {
  EXPECT_EQ(text(rt_string_replace(str("aaa"), str("a"), str("bb"))), "bbbbbb");
  EXPECT_EQ(text(rt_string_replace(str("abcabc"), str("bc"), str("X"))),
            "aXaX");
  EXPECT_EQ(text(rt_string_replace(str("aaaa"), str("aa"), str("a"))), "aa");
  EXPECT_EQ(text(rt_string_replace(str("a.b"), str("."), lit(Empty))), "ab");
  int64_t S = str("abc");
  EXPECT_EQ(rt_string_replace(S, str("z"), str("y")), S); // no match
  EXPECT_EQ(rt_string_replace(S, lit(Empty), str("y")), S);
  EXPECT_EQ(text(rt_string_replace(lit(Abc), str("b"), str("B"))), "aBc");
}

TEST(RuntimeText, TrimLowerBytes) {
  EXPECT_EQ(text(rt_string_trim(str(" \t hi there\n\r "))), "hi there");
  int64_t S = str("hi");
  EXPECT_EQ(rt_string_trim(S), S);
  EXPECT_EQ(text(rt_string_trim(str("   "))), "");
  EXPECT_EQ(text(rt_string_to_lower(str("HeLLo \xC3\x80Z"))),
            "hello \xC3\x80z");
  EXPECT_EQ(rt_string_to_lower(I(1)), Nil);

  int64_t B = rt_string_bytes(str("AZ\xFF"));
  EXPECT_EQ(field<uint8_t>(B, 0), 2);    // array
  EXPECT_EQ(field<uint8_t>(B, 1), 0x08); // bytes
  EXPECT_EQ(rt_array_len(B), 3);
  EXPECT_EQ(rt_array_get(B, 0), 65);
  EXPECT_EQ(rt_array_get(B, 1), 90);
  EXPECT_EQ(rt_array_get(B, -1), 255);
  EXPECT_EQ(rt_array_get(B, 3), Nil);
}

TEST(RuntimeText, CharFromCode) {
  EXPECT_EQ(text(rt_char_from_code(65)), "A");
  EXPECT_EQ(text(rt_char_from_code(0xE9)), "\xC3\xA9");
  EXPECT_EQ(text(rt_char_from_code(0x20AC)), "\xE2\x82\xAC");
  EXPECT_EQ(text(rt_char_from_code(0x1F600)), "\xF0\x9F\x98\x80");
  EXPECT_EQ(text(rt_char_from_code(0xD800)), "\xEF\xBF\xBD");
  EXPECT_EQ(text(rt_char_from_code(0x110000)), "\xEF\xBF\xBD");
  EXPECT_EQ(text(rt_char_from_code(-1)), "\xEF\xBF\xBD");
  EXPECT_EQ(rt_string_len(rt_char_from_code(0)), 1);
}

TEST(RuntimeText, ToInt) {
  EXPECT_EQ(rt_string_to_int_any(str("42")), 42);
  EXPECT_EQ(rt_string_to_int_any(str("  -17xyz")), -17);
  EXPECT_EQ(rt_string_to_int_any(str("abc")), 0);
  EXPECT_EQ(rt_string_to_int_any(str("99999999999999999999")), INT64_MAX);
  EXPECT_EQ(rt_string_to_int_any(I(5)), 5);
  EXPECT_EQ(rt_string_to_int_any(rt_value_int_wide(int64_t(1) << 61)),
            int64_t(1) << 61);
  EXPECT_EQ(rt_string_to_int_any(Nil), 0);
}

TEST(RuntimeText, Slice) {
  EXPECT_STREQ(spl_str_slice(Hello, 1, 3), "el");
  EXPECT_STREQ(spl_str_slice(Hello, -3, -1), "ll");
  EXPECT_STREQ(spl_str_slice(Hello, 3, 1), "");
  EXPECT_STREQ(spl_str_slice(Hello, 0, 100), "hello");
  EXPECT_STREQ(spl_str_slice(Hello, -100, 2), "he");
  EXPECT_STREQ(spl_str_slice(nullptr, 0, 1), "");
  EXPECT_STREQ(
      spl_str_slice(reinterpret_cast<const char *>(str("tagged")), 1, 4),
      "agg");
}

TEST(RuntimeText, Free) {
  int64_t S = str("gone");
  EXPECT_EQ(rt_string_free(S), 1);
  EXPECT_EQ(rt_string_len(S), -1);
  EXPECT_EQ(rt_string_free(S), 0); // double free refused
  EXPECT_EQ(rt_string_free(lit(Abc)), 0);
  EXPECT_EQ(rt_string_free(rt_array_new(1)), 0); // another kind
}

} // namespace
