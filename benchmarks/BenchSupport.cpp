//===- benchmarks/BenchSupport.cpp - Shared pieces of the Google Benchmarks -===//

#include "BenchSupport.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

namespace spl::bench {

namespace {

LoadedModule compileModule(const std::string &Backend, const std::string &File,
                           std::unique_ptr<ExecManager> &Owner) {
  LoadedModule L;
  std::string Path = std::string(SPL_BENCH_MIR_DIR) + "/" + File;
  std::ifstream In(Path);
  if (!In) {
    L.Error = "cannot read " + Path;
    return L;
  }
  std::stringstream Text;
  Text << In.rdbuf();

  Options O;
  O.Backend = Backend;
  auto M = ExecManager::create(O);
  if (!M) {
    L.Error = M.error().Message;
    return L;
  }
  if (Status St = (*M)->compile(Text.str(), Path); !St) {
    L.Error = St.error().Message;
    return L;
  }
  Owner = std::move(*M);
  L.M = Owner.get();
  return L;
}

} // namespace

LoadedModule loadModule(const std::string &Backend, const std::string &File) {
  struct Entry {
    std::unique_ptr<ExecManager> Owner;
    LoadedModule L;
  };
  static std::map<std::pair<std::string, std::string>, Entry> Cache;
  auto [It, New] = Cache.try_emplace({Backend, File});
  if (New)
    It->second.L = compileModule(Backend, File, It->second.Owner);
  return It->second.L;
}

bool callExpecting(benchmark::State &S, ExecManager &M, const char *Fn,
                   const std::vector<Value> &Args, int64_t Expected) {
  Result<Value> R = M.call(Fn, Args);
  if (!R) {
    S.SkipWithError(R.error().Message.c_str());
    return false;
  }
  bool Ok = R->isFloat() ? R->asF64() == double(Expected)
                         : R->asI64() == Expected;
  if (!Ok) {
    std::string Got = R->isFloat() ? std::to_string(R->asF64())
                                   : std::to_string(R->asI64());
    std::string Msg = std::string(Fn) + " returned " + Got + ", expected " +
                      std::to_string(Expected);
    S.SkipWithError(Msg.c_str());
    return false;
  }
  return true;
}

void setPerCall(benchmark::State &S, int64_t CallsPerIteration) {
  // Rate over CPU time, inverted: seconds per call.
  S.counters["per_call"] = benchmark::Counter(
      double(CallsPerIteration),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

namespace {

/// Google Benchmark's console output, plus the per_call value of every
/// benchmark (the median when repetitions are asked for) kept for the table.
class RatioReporter : public benchmark::ConsoleReporter {
public:
  explicit RatioReporter(std::string Baseline)
      : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_ColorTabular : OO_Tabular),
        Baseline(std::move(Baseline)) {}

  void ReportRuns(const std::vector<Run> &Reports) override {
    ConsoleReporter::ReportRuns(Reports);
    for (const Run &R : Reports) {
      if (R.error_occurred) {
        Failed[R.run_name.str()] = R.error_message;
        continue;
      }
      if (R.run_type == Run::RT_Aggregate && R.aggregate_name != "median")
        continue;
      auto It = R.counters.find("per_call");
      if (It == R.counters.end())
        continue;
      std::string Name = R.run_name.str();
      if (!PerCall.count(Name))
        Order.push_back(Name);
      PerCall[Name] = It->second.value;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::FILE *Out = stdout;
    std::fflush(Out);
    std::fprintf(Out, "\n%-40s %14s %10s\n", "benchmark", "ns per call",
                 "ratio");
    for (const std::string &Name : Order) {
      double Seconds = PerCall[Name];
      std::string Group = Name.substr(0, Name.find('/'));
      auto Base = PerCall.find(Group + "/" + Baseline);
      std::string Ratio = "-";
      if (Base != PerCall.end() && Base->second > 0) {
        char Buf[32];
        std::snprintf(Buf, sizeof Buf, "%.2f", Seconds / Base->second);
        Ratio = Buf;
      }
      std::fprintf(Out, "%-40s %14.2f %10s\n", Name.c_str(), Seconds * 1e9,
                   Ratio.c_str());
    }
    for (const auto &[Name, Why] : Failed)
      std::fprintf(Out, "%-40s %14s %10s  failed: %s\n", Name.c_str(), "-", "-",
                   Why.c_str());
    std::fprintf(Out, "(ratio = per-call time / GROUP/%s)\n", Baseline.c_str());
    std::fflush(Out);
  }

private:
  std::string Baseline;
  std::vector<std::string> Order; // as the benchmarks ran
  std::map<std::string, double> PerCall;
  std::map<std::string, std::string> Failed;
};

} // namespace

int runWithRatios(int Argc, char **Argv, const std::string &BaselineRunner) {
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  RatioReporter Reporter(BaselineRunner);
  benchmark::RunSpecifiedBenchmarks(&Reporter);
  benchmark::Shutdown();
  return 0;
}

} // namespace spl::bench
