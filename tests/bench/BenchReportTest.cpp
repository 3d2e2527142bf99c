//===- tests/bench/BenchReportTest.cpp - JSON schema, table, chart --------===//
#include "tools/BenchHarness.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <set>

using namespace spl::bench;

namespace {
Row row(std::string B, std::string R, double Median, double Min, double Max,
        std::optional<double> Compile = {}) {
  Row X;
  X.Benchmark = std::move(B);
  X.Backend = std::move(R);
  X.Run = {Median, Min, Max};
  X.Runs = 3;
  X.CompileMs = Compile;
  return X;
}
Row error(std::string B, std::string R, std::string Why) {
  Row X;
  X.Benchmark = std::move(B);
  X.Backend = std::move(R);
  X.Error = std::move(Why);
  return X;
}

// a: native 10 ms, llvm 20 ms (2x); b: native 5 ms, llvm 40 ms (8x),
// interpreter an error row.
std::vector<Row> rows() {
  return {row("a", "native", 10, 9, 11, 50), row("a", "llvm", 20, 19, 22, 3.5),
          row("b", "native", 5, 5, 6, 40), error("b", "interpreter", "exit status 101: boom"),
          row("b", "llvm", 40, 39, 41, 4)};
}

Machine machine() {
  Machine M;
  M.Date = "2026-12-01 20:00 UTC";
  M.CPU = "Test CPU";
  M.Cores = 2;
  M.Runs = 3;
  M.Runners = {{"native", "clang 19, -O2"}, {"llvm", "spl-exec llvm"}};
  return M;
}

std::string text(void (*W)(llvm::raw_ostream &, const Machine &, llvm::ArrayRef<Row>),
                 llvm::ArrayRef<Row> R) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  W(OS, machine(), R);
  return S;
}

std::set<std::string> keys(const llvm::json::Object &O) {
  std::set<std::string> K;
  for (auto &KV : O)
    K.insert(KV.first.str());
  return K;
}
} // namespace

TEST(BenchJSON, TheSchemaOfTheIssue) {
  auto V = llvm::json::parse(text(writeJSON, rows()));
  ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
  const llvm::json::Object *Top = V->getAsObject();
  ASSERT_TRUE(Top);
  EXPECT_EQ(keys(*Top), (std::set<std::string>{"machine", "results"}));
  const llvm::json::Object *M = Top->getObject("machine");
  ASSERT_TRUE(M);
  EXPECT_EQ(M->getString("cpu"), "Test CPU");
  EXPECT_EQ(M->getInteger("cores"), 2);
  const llvm::json::Array *R = Top->getArray("results");
  ASSERT_TRUE(R);
  ASSERT_EQ(R->size(), 5u);

  const std::set<std::string> Fields = {"benchmark", "backend", "compile_ms", "run_ms",
                                        "runs",      "min_ms",  "max_ms"};
  const llvm::json::Object *Llvm = (*R)[1].getAsObject();
  EXPECT_EQ(keys(*Llvm), Fields);
  EXPECT_EQ(Llvm->getString("benchmark"), "a");
  EXPECT_EQ(Llvm->getString("backend"), "llvm");
  EXPECT_EQ(Llvm->getNumber("compile_ms"), 3.5);
  EXPECT_EQ(Llvm->getNumber("run_ms"), 20);
  EXPECT_EQ(Llvm->getInteger("runs"), 3);
  EXPECT_EQ(Llvm->getNumber("min_ms"), 19);
  EXPECT_EQ(Llvm->getNumber("max_ms"), 22);

  // An error row: no times, runs 0, and why.
  const llvm::json::Object *Err = (*R)[3].getAsObject();
  std::set<std::string> WithError = Fields;
  WithError.insert("error");
  EXPECT_EQ(keys(*Err), WithError);
  EXPECT_EQ(Err->getString("backend"), "interpreter");
  EXPECT_EQ(Err->getString("error"), "exit status 101: boom");
  EXPECT_EQ(Err->getInteger("runs"), 0);
  for (const char *K : {"compile_ms", "run_ms", "min_ms", "max_ms"})
    EXPECT_EQ(Err->get(K)->kind(), llvm::json::Value::Null) << K;
}

TEST(BenchMarkdown, RatiosErrorsAndGeomeans) {
  std::string T = text(writeMarkdown, rows());
  EXPECT_NE(T.find("| benchmark | native ms | interpreter | llvm |"), std::string::npos) << T;
  EXPECT_NE(T.find("| a | 10.0 | — | 2.00x |"), std::string::npos) << T;
  EXPECT_NE(T.find("| b | 5.00 | **ERROR** | 8.00x |"), std::string::npos) << T;
  // geomean of 2x and 8x is 4x; the interpreter has no valid ratio.
  EXPECT_NE(T.find("| **geomean** |  |  | **4.00x** |"), std::string::npos) << T;
  EXPECT_NE(T.find("llvm ≤ 1.1x C: geomean 4.00x over 2 of 2 benchmarks — NOT met"),
            std::string::npos)
      << T;
  EXPECT_NE(T.find("- `b` under `interpreter`: exit status 101: boom"), std::string::npos)
      << T;
}

TEST(BenchSVG, OneBarPerRatioACrossPerErrorAndTheMeans) {
  std::string S = text(writeSVG, rows());
  EXPECT_TRUE(llvm::StringRef(S).starts_with("<svg "));
  EXPECT_TRUE(llvm::StringRef(S).ends_with("</svg>\n"));
  auto Count = [&](llvm::StringRef Needle) {
    size_t N = 0;
    for (size_t At = S.find(Needle.str()); At != std::string::npos;
         At = S.find(Needle.str(), At + 1))
      ++N;
    return N;
  };
  // Bars with a tooltip: llvm for a and b, and the llvm geomean; no native
  // bar (it is the 1x line) and none for the interpreter's error row.
  EXPECT_EQ(Count("<title>"), 3u);
  EXPECT_NE(S.find("<title>a llvm: 2.00x</title>"), std::string::npos);
  EXPECT_NE(S.find("<title>geomean llvm: 4.00x</title>"), std::string::npos);
  // The error row's cross (the legend has one more).
  EXPECT_EQ(Count("fill=\"#c00\" text-anchor=\"middle\">&#x2716;"), 1u);
}
