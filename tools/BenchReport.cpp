//===- tools/BenchReport.cpp - The Markdown table on stdout ---------------===//
//
// What a person reads first: one row per benchmark, one column per runner,
// each cell the ratio to the clang twin (the native column in ms); then the
// geometric means, the project's goals against them, every row in detail, and
// every error row with its reason.
//
//===----------------------------------------------------------------------===//
#include "tools/BenchHarness.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <map>

using namespace llvm;

namespace spl::bench {
namespace {

std::string fmtRatio(double R) {
  if (R < 10)
    return formatv("{0:F2}x", R).str();
  if (R < 100)
    return formatv("{0:F1}x", R).str();
  return formatv("{0:F0}x", R).str();
}

std::string fmtMs(double Ms) {
  return Ms < 10 ? formatv("{0:F2}", Ms).str() : formatv("{0:F1}", Ms).str();
}

/// The runners that have rows, in table order, and the benchmarks in order.
void columns(ArrayRef<Row> Rows, std::vector<std::string> &Benchmarks,
             std::vector<std::string> &Runners) {
  for (const Row &R : Rows)
    if (!is_contained(Benchmarks, R.Benchmark))
      Benchmarks.push_back(R.Benchmark);
  for (StringRef N : runnerNames())
    if (any_of(Rows, [&](const Row &R) { return R.Backend == N; }))
      Runners.push_back(N.str());
}

const Row *find(ArrayRef<Row> Rows, StringRef B, StringRef Runner) {
  for (const Row &R : Rows)
    if (R.Benchmark == B && R.Backend == Runner)
      return &R;
  return nullptr;
}

struct Mean {
  std::optional<double> Value;
  unsigned Of = 0, Over = 0; // benchmarks with a ratio / with a row
};

Mean runnerMean(ArrayRef<Row> Rows, ArrayRef<std::string> Benchmarks,
                StringRef Runner) {
  std::vector<double> V;
  Mean M;
  for (const std::string &B : Benchmarks) {
    if (!find(Rows, B, Runner))
      continue;
    ++M.Over;
    if (auto Q = ratioToNative(Rows, B, Runner))
      V.push_back(*Q);
  }
  M.Of = V.size();
  M.Value = geomean(V);
  return M;
}

/// auto / min(interpreter, llvm) per benchmark where all three ran.
std::vector<std::pair<std::string, double>>
autoVsBetter(ArrayRef<Row> Rows, ArrayRef<std::string> Benchmarks) {
  std::vector<std::pair<std::string, double>> Out;
  for (const std::string &B : Benchmarks) {
    const Row *A = find(Rows, B, "auto"), *I = find(Rows, B, "interpreter"),
              *L = find(Rows, B, "llvm");
    if (!A || !I || !L || !A->ok() || !I->ok() || !L->ok())
      continue;
    double Best = std::min(I->Run.Median, L->Run.Median);
    if (Best > 0)
      Out.push_back({B, A->Run.Median / Best});
  }
  return Out;
}

void goal(raw_ostream &OS, StringRef What, const Mean &M, double Limit) {
  OS << "- " << What << ": ";
  if (!M.Value) {
    OS << "not measured\n";
    return;
  }
  OS << "geomean " << fmtRatio(*M.Value) << " over " << M.Of << " of "
     << M.Over << " benchmarks — " << (*M.Value <= Limit ? "met" : "NOT met");
  OS << "\n";
}
} // namespace

void writeMarkdown(raw_ostream &OS, const Machine &M, ArrayRef<Row> Rows) {
  std::vector<std::string> Benchmarks, Runners;
  columns(Rows, Benchmarks, Runners);

  OS << "## spl-exec bench, " << M.Date << "\n\n";
  OS << "- machine: " << M.CPU << ", " << M.Cores << " cores, " << M.Kernel;
  if (M.LoadStart >= 0)
    OS << formatv("; load average {0:F2} at the start, {1:F2} at the end",
                  M.LoadStart, M.LoadEnd);
  OS << "\n";
  OS << "- " << (M.Quick ? "--quick (small sizes), " : "") << "warm-up + "
     << M.Runs << " timed run" << (M.Runs == 1 ? "" : "s")
     << " per row, median; wall time " << formatv("{0:F0}", M.WallSeconds)
     << " s\n";
  for (auto &[Name, Label] : M.Runners)
    OS << "- `" << Name << "`: " << Label << "\n";
  for (const std::string &N : M.Notes)
    OS << "- note: " << N << "\n";
  OS << "\nRun time relative to `native` (the C twin at -O2); `native` in ms. "
        "Lower is faster. MIR run time is main() in process (compile time "
        "apart, below); twins and peers are whole processes.\n\n";

  OS << "| benchmark |";
  for (const std::string &R : Runners)
    OS << " " << (R == "native" ? "native ms" : R) << " |";
  OS << "\n|---|";
  for (size_t I = 0; I < Runners.size(); ++I)
    OS << "---:|";
  OS << "\n";
  for (const std::string &B : Benchmarks) {
    OS << "| " << B << " |";
    for (const std::string &R : Runners) {
      const Row *X = find(Rows, B, R);
      std::string Cell = "—";
      if (X && !X->ok())
        Cell = "**ERROR**";
      else if (X && R == "native")
        Cell = fmtMs(X->Run.Median);
      else if (X)
        if (auto Q = ratioToNative(Rows, B, R))
          Cell = fmtRatio(*Q);
        else
          Cell = fmtMs(X->Run.Median) + " ms";
      OS << " " << Cell << " |";
    }
    OS << "\n";
  }
  OS << "| **geomean** |";
  for (const std::string &R : Runners) {
    Mean G = runnerMean(Rows, Benchmarks, R);
    std::string Cell = R == "native" || !G.Value ? "" : "**" + fmtRatio(*G.Value) + "**";
    if (G.Value && G.Of < G.Over && R != "native")
      Cell += formatv(" ({0} of {1})", G.Of, G.Over).str();
    OS << " " << Cell << " |";
  }
  OS << "\n\n";

  OS << "Goals:\n";
  if (is_contained(Runners, "llvm"))
    goal(OS, "llvm ≤ 1.1x C", runnerMean(Rows, Benchmarks, "llvm"), 1.1);
  if (is_contained(Runners, "interpreter"))
    goal(OS, "interpreter ≤ 8x C", runnerMean(Rows, Benchmarks, "interpreter"), 8);
  auto AB = autoVsBetter(Rows, Benchmarks);
  if (!AB.empty()) {
    std::vector<double> V;
    for (auto &P : AB)
      V.push_back(P.second);
    double G = *geomean(V);
    auto Worst = *std::max_element(AB.begin(), AB.end(), [](auto &A, auto &B) {
      return A.second < B.second;
    });
    OS << "- auto ≤ 1.1x the better of interpreter and llvm: geomean "
       << fmtRatio(G) << " over " << AB.size() << " benchmarks — "
       << (G <= 1.1 ? "met" : "NOT met") << "; worst " << Worst.first << " "
       << fmtRatio(Worst.second) << "\n";
  }

  OS << "\n<details><summary>Every row</summary>\n\n"
     << "| benchmark | runner | compile ms | run ms | min | max | spread | runs "
        "| vs native |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const Row &R : Rows) {
    OS << "| " << R.Benchmark << " | " << R.Backend << " | ";
    if (!R.ok()) {
      OS << "| | | | | | **ERROR** |\n";
      continue;
    }
    OS << (R.CompileMs ? fmtMs(*R.CompileMs) : "—") << " | "
       << fmtMs(R.Run.Median) << " | " << fmtMs(R.Run.Min) << " | "
       << fmtMs(R.Run.Max) << " | "
       << formatv("{0:F1}%", R.Run.spreadPercent()) << " | " << R.Runs << " | ";
    auto Q = ratioToNative(Rows, R.Benchmark, R.Backend);
    OS << (Q ? fmtRatio(*Q) : "—") << " |\n";
  }
  OS << "\n</details>\n";

  bool Any = false;
  for (const Row &R : Rows) {
    if (R.ok())
      continue;
    if (!Any)
      OS << "\nError rows (each makes `bench` exit 1):\n";
    Any = true;
    OS << "- `" << R.Benchmark << "` under `" << R.Backend << "`: " << R.Error
       << "\n";
  }
}

} // namespace spl::bench
