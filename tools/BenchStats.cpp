//===- tools/BenchStats.cpp - Median, spread and geometric mean -----------===//
#include "tools/BenchHarness.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

namespace spl::bench {

double Summary::spreadPercent() const {
  return Median > 0 ? (Max - Min) / Median * 100 : 0;
}

Summary summarize(ArrayRef<double> Samples) {
  std::vector<double> V(Samples.begin(), Samples.end());
  std::sort(V.begin(), V.end());
  Summary S;
  if (V.empty())
    return S;
  size_t N = V.size();
  S.Median = N % 2 ? V[N / 2] : (V[N / 2 - 1] + V[N / 2]) / 2;
  S.Min = V.front();
  S.Max = V.back();
  return S;
}

std::optional<double> geomean(ArrayRef<double> Values) {
  double LogSum = 0;
  unsigned N = 0;
  for (double X : Values) {
    if (!(X > 0))
      continue;
    LogSum += std::log(X);
    ++N;
  }
  if (N == 0)
    return std::nullopt;
  return std::exp(LogSum / N);
}

} // namespace spl::bench
