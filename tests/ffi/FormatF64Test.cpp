//===- tests/ffi/FormatF64Test.cpp - formatF64 against Python's repr ------===//
//
// The expected texts are what CPython's repr() prints for the same doubles.
//
//===----------------------------------------------------------------------===//

#include "ffi/FFI.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using spl::ffi::formatF64;

namespace {

struct Case {
  double V;
  const char *Text;
};

TEST(FormatF64, MatchesPythonRepr) {
  const Case Cases[] = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {1.0, "1.0"},
      {13.0, "13.0"},
      {-13.0, "-13.0"},
      {0.1, "0.1"},
      {0.5, "0.5"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {9999999999999998.0, "9999999999999998.0"},
      {1e-4, "0.0001"},
      {1e-5, "1e-05"},
      {1.5e-7, "1.5e-07"},
      {123456789.125, "123456789.125"},
      {1e100, "1e+100"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {5e-324, "5e-324"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {-2.5, "-2.5"},
      {3.141592653589793, "3.141592653589793"},
      {9007199254740992.0, "9007199254740992.0"},
      {1.0 / 3.0, "0.3333333333333333"},
      {2.0 / 3.0, "0.6666666666666666"},
      {100.0, "100.0"},
      {1234.5, "1234.5"},
      {1e22, "1e+22"},
      {12345678901234567890.0, "1.2345678901234567e+19"},
      {0.001234, "0.001234"},
      {0.00001234, "1.234e-05"},
      {-0.00001, "-1e-05"},
      {123456789012345.67, "123456789012345.67"},
      {0.000123456789, "0.000123456789"},
      {1e-310, "1e-310"},
      {9223372036854775808.0, "9.223372036854776e+18"},
      {-1e301, "-1e+301"},
      {2.001, "2.001"},
      {static_cast<double>(0.1f), "0.10000000149011612"},
  };
  for (const Case &C : Cases)
    EXPECT_EQ(formatF64(C.V), C.Text) << "for " << C.Text;
}

TEST(FormatF64, NonFinite) {
  EXPECT_EQ(formatF64(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(formatF64(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(formatF64(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(formatF64(-std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(FormatF64, ShortestTextRoundTrips) {
  // Every text must read back to the same bits.
  for (double V : {0.1, 1.0 / 7.0, 1e-300, 6.02214076e23, 4.9e-324, 1e16 + 2}) {
    std::string T = formatF64(V);
    EXPECT_EQ(std::strtod(T.c_str(), nullptr), V) << T;
  }
}

} // namespace
