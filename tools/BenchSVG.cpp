//===- tools/BenchSVG.cpp - --svg FILE: the chart -------------------------===//
//
// One group of bars per benchmark (and a last one for the geometric means),
// one bar per runner, its height run time / the clang twin's on a log scale:
// the 1x line is C, a bar above it is slower, below it faster. Dashed lines
// mark the goals (1.1x for the JIT, 8x for the interpreter). An error row is a
// red cross where its bar would be, so a failure is never a short bar.
//
//===----------------------------------------------------------------------===//
#include "tools/BenchHarness.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

namespace spl::bench {
namespace {

StringRef colour(StringRef Runner) {
  return StringSwitch<StringRef>(Runner)
      .Case("gcc", "#9e9e9e")
      .Case("interpreter", "#e69f00")
      .Case("llvm", "#0072b2")
      .Case("auto", "#009e73")
      .Case("luajit", "#8e6bbf")
      .Case("lua", "#cc79a7")
      .Default("#555555");
}

std::string esc(StringRef S) {
  std::string O;
  for (char C : S)
    switch (C) {
    case '<': O += "&lt;"; break;
    case '>': O += "&gt;"; break;
    case '&': O += "&amp;"; break;
    case '"': O += "&quot;"; break;
    default: O += C;
    }
  return O;
}

std::string label(double R) {
  if (R < 10)
    return formatv("{0:F2}", R).str();
  if (R < 100)
    return formatv("{0:F1}", R).str();
  return formatv("{0:F0}", R).str();
}

// One bar: a ratio, an error, or nothing (no row).
struct Bar {
  std::optional<double> Ratio;
  bool Error = false;
};
} // namespace

void writeSVG(raw_ostream &OS, const Machine &M, ArrayRef<Row> Rows) {
  std::vector<std::string> Benchmarks, Runners;
  for (const Row &R : Rows)
    if (!is_contained(Benchmarks, R.Benchmark))
      Benchmarks.push_back(R.Benchmark);
  for (StringRef N : runnerNames())
    if (N != "native" &&
        any_of(Rows, [&](const Row &R) { return R.Backend == N; }))
      Runners.push_back(N.str());

  // The bars, benchmark-major, then the geometric means.
  std::vector<std::vector<Bar>> Groups;
  std::vector<std::vector<double>> PerRunner(Runners.size());
  for (const std::string &B : Benchmarks) {
    std::vector<Bar> G;
    for (auto [I, R] : enumerate(Runners)) {
      Bar X;
      for (const Row &W : Rows)
        if (W.Benchmark == B && W.Backend == R)
          X.Error = !W.ok();
      // Without a valid native row there is no ratio: nothing is drawn.
      X.Ratio = ratioToNative(Rows, B, R);
      if (X.Ratio)
        PerRunner[I].push_back(*X.Ratio);
      G.push_back(X);
    }
    Groups.push_back(std::move(G));
  }
  std::vector<Bar> Means;
  for (auto &V : PerRunner)
    Means.push_back({geomean(V), false});
  Groups.push_back(Means);
  std::vector<std::string> Names = Benchmarks;
  Names.push_back("geomean");

  // Log axis from a 1-2-5 tick below the smallest ratio (and 0.5) to one
  // above the largest (and 10).
  double Lo = 0.5, Hi = 10;
  for (auto &G : Groups)
    for (const Bar &X : G)
      if (X.Ratio) {
        Lo = std::min(Lo, *X.Ratio / 1.3);
        Hi = std::max(Hi, *X.Ratio * 1.6);
      }
  std::vector<double> Ticks;
  for (int E = -3; E <= 6; ++E)
    for (double S : {1.0, 2.0, 5.0})
      Ticks.push_back(S * std::pow(10.0, E));
  Lo = *std::prev(std::upper_bound(Ticks.begin(), Ticks.end(), Lo));
  Hi = *std::lower_bound(Ticks.begin(), Ticks.end(), Hi);

  const double BarW = 13, GroupGap = 22, Left = 64, Top = 96, H = 330;
  double GroupW = BarW * std::max<size_t>(1, Runners.size());
  // Room on the right for the goal lines' labels.
  double PlotRight = Left + 12 + Names.size() * (GroupW + GroupGap);
  double W = std::max(PlotRight + 120, 760.0);
  double Height = Top + H + 92;
  auto Y = [&](double V) {
    return Top + H * (std::log(Hi) - std::log(V)) / (std::log(Hi) - std::log(Lo));
  };

  OS << formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:F0}\" "
                "height=\"{1:F0}\" viewBox=\"0 0 {0:F0} {1:F0}\" "
                "font-family=\"DejaVu Sans, Arial, sans-serif\">\n",
                W, Height);
  OS << formatv("<rect width=\"{0:F0}\" height=\"{1:F0}\" fill=\"white\"/>\n", W,
                Height);
  std::string Native = "C -O2";
  for (auto &[N, L] : M.Runners)
    if (N == "native")
      Native = L;
  OS << formatv("<text x=\"{0}\" y=\"24\" font-size=\"17\" font-weight=\"bold\">"
                "spl-exec bench: run time / {1} (log scale, lower is faster)"
                "</text>\n",
                Left, esc(Native));
  OS << formatv("<text x=\"{0}\" y=\"44\" font-size=\"12\" fill=\"#444\">{1}, {2} "
                "cores, {3}{4}; median of {5} run{6}</text>\n",
                Left, esc(M.CPU), M.Cores, esc(M.Date),
                M.LoadStart >= 0 ? formatv(", load {0:F2}", M.LoadStart).str() : "",
                M.Runs, M.Runs == 1 ? "" : "s");
  if (M.Quick)
    OS << formatv("<text x=\"{0}\" y=\"44\" font-size=\"12\" fill=\"#444\" "
                  "text-anchor=\"end\">--quick sizes</text>\n",
                  W - 24);

  // Legend.
  double LX = Left;
  for (const std::string &R : Runners) {
    OS << formatv("<rect x=\"{0}\" y=\"58\" width=\"12\" height=\"12\" "
                  "fill=\"{1}\"/><text x=\"{2}\" y=\"69\" font-size=\"12\">{3}"
                  "</text>\n",
                  LX, colour(R), LX + 16, esc(R));
    LX += 30 + 7.5 * R.size();
  }
  OS << formatv("<text x=\"{0}\" y=\"69\" font-size=\"12\" fill=\"#c00\">"
                "&#x2716; error row</text>\n",
                LX + 6);

  // The geometric means' group on a grey ground, under the grid.
  OS << formatv("<rect x=\"{0:F1}\" y=\"{1}\" width=\"{2:F1}\" height=\"{3}\" "
                "fill=\"#f0f0f0\"/>\n",
                Left + 12 + (Groups.size() - 1) * (GroupW + GroupGap) - 6, Top,
                GroupW + 12, H);
  // Grid and axis.
  for (double T : Ticks) {
    if (T < Lo || T > Hi)
      continue;
    double YT = Y(T);
    bool One = T == 1.0;
    OS << formatv("<line x1=\"{0}\" x2=\"{1:F0}\" y1=\"{2:F1}\" y2=\"{2:F1}\" "
                  "stroke=\"{3}\" stroke-width=\"{4}\"/>\n",
                  Left, PlotRight, YT, One ? "#000" : "#e3e3e3", One ? 1.5 : 1);
    OS << formatv("<text x=\"{0}\" y=\"{1:F1}\" font-size=\"11\" "
                  "text-anchor=\"end\">{2}x</text>\n",
                  Left - 6, YT + 4, label(T));
  }
  OS << formatv("<text x=\"14\" y=\"{0:F0}\" font-size=\"12\" "
                "transform=\"rotate(-90 14 {0:F0})\" text-anchor=\"middle\">"
                "time / {1}</text>\n",
                Top + H / 2, esc(Native));

  // Bars.
  for (auto [GI, G] : enumerate(Groups)) {
    double GX = Left + 12 + GI * (GroupW + GroupGap);
    for (auto [BI, X] : enumerate(G)) {
      double BX = GX + BI * BarW;
      if (X.Error) {
        OS << formatv("<text x=\"{0:F1}\" y=\"{1:F1}\" font-size=\"13\" "
                      "fill=\"#c00\" text-anchor=\"middle\">&#x2716;</text>\n",
                      BX + BarW / 2, Top + H - 4);
        continue;
      }
      if (!X.Ratio)
        continue;
      double YB = Y(*X.Ratio);
      OS << formatv("<rect x=\"{0:F1}\" y=\"{1:F1}\" width=\"{2:F1}\" "
                    "height=\"{3:F1}\" fill=\"{4}\"><title>{5} {6}: {7}x"
                    "</title></rect>\n",
                    BX, YB, BarW - 2, Top + H - YB, colour(Runners[BI]),
                    esc(Names[GI]), esc(Runners[BI]), label(*X.Ratio));
      OS << formatv("<text x=\"{0:F1}\" y=\"{1:F1}\" font-size=\"9\" "
                    "transform=\"rotate(-90 {0:F1} {1:F1})\">{2}</text>\n",
                    BX + BarW / 2 + 2, YB - 3, label(*X.Ratio));
    }
    double CX = GX + GroupW / 2;
    OS << formatv("<text x=\"{0:F1}\" y=\"{1:F1}\" font-size=\"12\" "
                  "text-anchor=\"end\" font-weight=\"{3}\" "
                  "transform=\"rotate(-35 {0:F1} {1:F1})\">{2}</text>\n",
                  CX, Top + H + 16, esc(Names[GI]),
                  GI + 1 == Groups.size() ? "bold" : "normal");
  }
  // The goals, over the bars.
  for (auto [V, Text] : {std::pair{1.1, "JIT goal 1.1x"},
                         std::pair{8.0, "interpreter goal 8x"}}) {
    if (V < Lo || V > Hi)
      continue;
    OS << formatv("<line x1=\"{0}\" x2=\"{5:F0}\" y1=\"{2:F1}\" y2=\"{2:F1}\" "
                  "stroke=\"#c00\" stroke-dasharray=\"5,4\" stroke-width=\"1\"/>"
                  "<text x=\"{1:F0}\" y=\"{3:F1}\" font-size=\"10\" fill=\"#c00\">"
                  "{4}</text>\n",
                  Left, PlotRight + 4, Y(V), Y(V) + 4, Text, PlotRight);
  }
  OS << "</svg>\n";
}

} // namespace spl::bench
