//===- tests/bench/BenchStatsTest.cpp - median, spread, geomean -----------===//
#include "tools/BenchHarness.h"

#include <gtest/gtest.h>

using namespace spl::bench;

TEST(BenchStats, MedianOfAnOddCountIsTheMiddleSample) {
  Summary S = summarize({5.0, 1.0, 3.0});
  EXPECT_DOUBLE_EQ(S.Median, 3.0);
  EXPECT_DOUBLE_EQ(S.Min, 1.0);
  EXPECT_DOUBLE_EQ(S.Max, 5.0);
}

TEST(BenchStats, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  EXPECT_DOUBLE_EQ(summarize({4.0, 1.0, 3.0, 2.0}).Median, 2.5);
}

TEST(BenchStats, SpreadIsMaxMinusMinOverTheMedian) {
  EXPECT_DOUBLE_EQ(summarize({90.0, 110.0, 100.0}).spreadPercent(), 20.0);
  EXPECT_DOUBLE_EQ(summarize({7.0}).spreadPercent(), 0.0);
}

TEST(BenchStats, GeomeanOfPositiveValues) {
  EXPECT_DOUBLE_EQ(*geomean({2.0, 8.0}), 4.0);
  EXPECT_NEAR(*geomean({1.0, 10.0, 100.0}), 10.0, 1e-12);
  EXPECT_FALSE(geomean({}).has_value());
  // A zero or negative ratio cannot come from valid rows; it is left out
  // rather than making the mean zero.
  EXPECT_DOUBLE_EQ(*geomean({0.0, 4.0}), 4.0);
}
