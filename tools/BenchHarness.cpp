//===- tools/BenchHarness.cpp - Warm-up, agreement, timed runs, rows ------===//
//
// For each program the first runner that runs sets the reference output (the
// runners come in table order, so that is the clang twin's); every other
// runner's warm-up must print the same before it is timed, and so must each
// timed run. Anything else is an error row, never a time.
//
//===----------------------------------------------------------------------===//
#include "tools/BenchHarness.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace spl::bench {

Executor::~Executor() = default;

ArrayRef<StringRef> runnerNames() {
  static const StringRef Names[] = {"native", "gcc", "interpreter", "llvm",
                                    "auto", "luajit", "lua"};
  return Names;
}

bool isRunnerName(StringRef Name) { return is_contained(runnerNames(), Name); }

/// The first line of S, at most 120 characters, for an error message.
static std::string firstLine(StringRef S) {
  StringRef L = S.trim().split('\n').first;
  return L.size() > 120 ? (L.take_front(117) + "...").str() : L.str();
}

static std::string differs(StringRef Got, StringRef Want, StringRef From) {
  return formatv("output differs from {0}'s: printed \"{1}\", expected \"{2}\"",
                 From, firstLine(Got), firstLine(Want))
      .str();
}

namespace {
struct ProgramRun {
  const Program &P;
  unsigned Index, Count;
  const Config &C;
  Executor &X;
  std::string Reference, ReferenceFrom;

  void progress(const Runner &R, std::string Phase) {
    if (C.OnProgress)
      C.OnProgress({Index, Count, P.Name, R.Name, std::move(Phase)});
  }

  Row run(const Runner &R) {
    Row Out;
    Out.Benchmark = P.Name;
    Out.Backend = R.Name;
    int64_t N = C.Quick ? P.QuickN : P.N;

    progress(R, "compile");
    Expected<std::optional<double>> Prepared = X.prepare(P, R);
    if (!Prepared) {
      Out.Error = toString(Prepared.takeError());
      return Out;
    }
    Out.CompileMs = *Prepared;

    progress(R, "check");
    Outcome Warm = X.run(P, R, N);
    if (!Warm.Ok) {
      Out.Error = Warm.Error.empty() ? "failed" : Warm.Error;
      return Out;
    }
    if (ReferenceFrom.empty()) {
      Reference = Warm.Output;
      ReferenceFrom = R.Name;
    } else if (Warm.Output != Reference) {
      Out.Error = differs(Warm.Output, Reference, ReferenceFrom);
      return Out;
    }

    std::vector<double> RunMs, CompileMs;
    unsigned Runs = std::max(1u, C.Runs);
    for (unsigned I = 0; I < Runs; ++I) {
      progress(R, formatv("run {0}/{1}", I + 1, Runs).str());
      Outcome O = X.run(P, R, N);
      if (!O.Ok) {
        Out.Error = formatv("timed run {0}: {1}", I + 1,
                            O.Error.empty() ? "failed" : O.Error)
                        .str();
        return Out;
      }
      if (O.Output != Reference) {
        Out.Error = formatv("timed run {0}: {1}", I + 1,
                            differs(O.Output, Reference, ReferenceFrom))
                        .str();
        return Out;
      }
      RunMs.push_back(O.RunMs);
      if (O.CompileMs)
        CompileMs.push_back(*O.CompileMs);
    }
    Out.Run = summarize(RunMs);
    Out.Runs = Runs;
    if (!CompileMs.empty())
      Out.CompileMs = summarize(CompileMs).Median;
    return Out;
  }
};
} // namespace

std::vector<Row> runAll(ArrayRef<Program> Programs, ArrayRef<Runner> Runners,
                        Executor &X, const Config &C) {
  std::vector<Row> Rows;
  for (auto [I, P] : enumerate(Programs)) {
    ProgramRun PR{P, unsigned(I + 1), unsigned(Programs.size()), C, X, {}, {}};
    for (const Runner &R : Runners) {
      if (R.Kind == RunnerKind::Lua && P.LuaPath.empty())
        continue; // no Lua twin: not a failure, nothing to compare
      Rows.push_back(PR.run(R));
    }
  }
  return Rows;
}

int exitStatus(ArrayRef<Row> Rows) {
  return all_of(Rows, [](const Row &R) { return R.ok(); }) ? 0 : 1;
}

std::optional<double> ratioToNative(ArrayRef<Row> Rows, StringRef Benchmark,
                                    StringRef Backend) {
  const Row *Base = nullptr, *This = nullptr;
  for (const Row &R : Rows) {
    if (R.Benchmark != Benchmark)
      continue;
    if (R.Backend == "native")
      Base = &R;
    if (R.Backend == Backend)
      This = &R;
  }
  if (!Base || !This || !Base->ok() || !This->ok() || !(Base->Run.Median > 0))
    return std::nullopt;
  return This->Run.Median / Base->Run.Median;
}

} // namespace spl::bench
