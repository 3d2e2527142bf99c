//===- tools/BenchJSON.cpp - --json FILE ----------------------------------===//
//
// {"machine": {...}, "results": [{"benchmark", "backend", "compile_ms",
// "run_ms", "runs", "min_ms", "max_ms"}]}, through llvm::json. Times are
// milliseconds; a time that does not exist (compile_ms of a Lua peer, every
// time of an error row) is null, and an error row also carries "error".
//
//===----------------------------------------------------------------------===//
#include "tools/BenchHarness.h"

#include "llvm/Support/JSON.h"

#include <cmath>

using namespace llvm;

namespace spl::bench {

static json::Value ms(std::optional<double> V) {
  if (!V)
    return nullptr;
  return std::round(*V * 1000) / 1000; // microseconds are noise here
}

void writeJSON(raw_ostream &OS, const Machine &M, ArrayRef<Row> Rows) {
  json::OStream J(OS, 2);
  J.object([&] {
    J.attributeObject("machine", [&] {
      J.attribute("date", M.Date);
      J.attribute("cpu", M.CPU);
      J.attribute("cores", int64_t(M.Cores));
      J.attribute("kernel", M.Kernel);
      J.attribute("spl_exec", M.SplExec);
      J.attribute("load_start", M.LoadStart >= 0 ? json::Value(M.LoadStart)
                                                 : json::Value(nullptr));
      J.attribute("load_end", M.LoadEnd >= 0 ? json::Value(M.LoadEnd)
                                             : json::Value(nullptr));
      J.attribute("quick", M.Quick);
      J.attribute("runs", int64_t(M.Runs));
      J.attribute("wall_s", std::round(M.WallSeconds * 10) / 10);
      J.attributeObject("runners", [&] {
        for (auto &[Name, Label] : M.Runners)
          J.attribute(Name, Label);
      });
      J.attributeArray("notes", [&] {
        for (const std::string &N : M.Notes)
          J.value(N);
      });
    });
    J.attributeArray("results", [&] {
      for (const Row &R : Rows)
        J.object([&] {
          J.attribute("benchmark", R.Benchmark);
          J.attribute("backend", R.Backend);
          J.attribute("compile_ms", ms(R.ok() ? R.CompileMs : std::nullopt));
          bool T = R.ok() && R.Runs > 0;
          J.attribute("run_ms", ms(T ? std::optional(R.Run.Median) : std::nullopt));
          J.attribute("runs", int64_t(R.ok() ? R.Runs : 0));
          J.attribute("min_ms", ms(T ? std::optional(R.Run.Min) : std::nullopt));
          J.attribute("max_ms", ms(T ? std::optional(R.Run.Max) : std::nullopt));
          if (!R.ok())
            J.attribute("error", R.Error);
        });
    });
  });
  OS << "\n";
}

} // namespace spl::bench
