//===- tests/runtime/FormatTest.cpp - Numbers and values as text ----------===//

#include "Support.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace spl::rt;
using namespace spl::rt::test;

namespace {

std::string f64(double V) { return text(rt_raw_f64_to_string(V)); }

TEST(RuntimeFormat, F64ShortestFixed) {
  EXPECT_EQ(f64(2.0), "2.0");
  EXPECT_EQ(f64(1e20), "100000000000000000000.0");
  EXPECT_EQ(f64(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(f64(-0.0), "-0.0");
  EXPECT_EQ(f64(0.0), "0.0");
  EXPECT_EQ(f64(1e-7), "0.0000001");
  EXPECT_EQ(f64(1e-5), "0.00001");
  EXPECT_EQ(f64(0.1), "0.1");
  EXPECT_EQ(f64(1.5), "1.5");
  EXPECT_EQ(f64(-1.5), "-1.5");
  EXPECT_EQ(f64(100.0), "100.0");
  EXPECT_EQ(f64(123.456), "123.456");
  EXPECT_EQ(f64(1e16), "10000000000000000.0");
  EXPECT_EQ(f64(1.2345678901234568e20), "123456789012345680000.0");
  // 5e-324 (shortest digits "5"): 323 zeros after the point, then 5.
  EXPECT_EQ(f64(5e-324), "0." + std::string(323, '0') + "5");
  // DBL_MAX: 17 significant digits, 309 integer digits.
  EXPECT_EQ(f64(std::numeric_limits<double>::max()),
            "17976931348623157" + std::string(292, '0') + ".0");
  EXPECT_EQ(f64(INFINITY), "inf");
  EXPECT_EQ(f64(-INFINITY), "-inf");
  EXPECT_EQ(f64(doubleOf(0x7FF8000000000000ull)), "NaN");
  EXPECT_EQ(f64(doubleOf(0xFFF8000000000000ull)), "-NaN");
  EXPECT_EQ(f64(doubleOf(0x7FF0000000000001ull)), "NaN"); // signalling
}

TEST(RuntimeFormat, RawIntegersAndBools) {
  EXPECT_EQ(text(rt_raw_i64_to_string(0)), "0");
  EXPECT_EQ(text(rt_raw_i64_to_string(-42)), "-42");
  EXPECT_EQ(text(rt_raw_i64_to_string(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(text(rt_raw_u64_to_string(-1)), "18446744073709551615");
  EXPECT_EQ(text(rt_raw_u64_to_string(7)), "7");
  EXPECT_EQ(text(rt_raw_bool_to_string(1)), "true");
  EXPECT_EQ(text(rt_raw_bool_to_string(0)), "false");
}

TEST(RuntimeFormat, ToStringOfEveryKind) {
  EXPECT_EQ(text(rt_to_string(I(42))), "42");
  EXPECT_EQ(text(rt_to_string(I(-7))), "-7");
  EXPECT_EQ(text(rt_to_string(True)), "true");
  EXPECT_EQ(text(rt_to_string(False)), "false");
  EXPECT_EQ(text(rt_to_string(Nil)), "");
  int64_t S = str("same");
  EXPECT_EQ(rt_to_string(S), S); // strings as is
  // Floats with %.17g.
  EXPECT_EQ(text(rt_to_string(rt_value_float(0.5))), "0.5");
  EXPECT_EQ(text(rt_to_string(rt_value_float(0.1))), "0.10000000000000001");
  EXPECT_EQ(text(rt_to_string(rt_value_float(1.0))), "1");
  EXPECT_EQ(text(rt_value_to_string(rt_value_int_wide(int64_t(1) << 62))),
            "4611686018427387904");
  EXPECT_EQ(text(rt_to_string(rt_value_u64(-1))), "18446744073709551615");

  int64_t A = rt_array_new(0);
  rt_array_push(A, I(1));
  rt_array_push(A, str("a"));
  EXPECT_EQ(text(rt_to_string(A)), "[1, a]");
  EXPECT_EQ(text(rt_to_string(rt_enum_new(1, 0, I(5)))), "Some(5)");
  EXPECT_EQ(text(rt_to_string(rt_enum_new(1, 1, 0))), "None");
  EXPECT_EQ(text(rt_to_string(rt_enum_new(0, 1, str("bad")))), "Err(bad)");
  int64_t T = rt_tuple_new(2);
  rt_tuple_set(T, 0, I(1));
  rt_tuple_set(T, 1, True);
  EXPECT_EQ(text(rt_to_string(T)), "(1, true)");
}

} // namespace
