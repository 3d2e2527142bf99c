//===- tools/BenchHarness.h - spl-exec bench, apart from its flags -*- C++ -*-===//
//
// What `spl-exec bench` does, as a library the tests can drive:
//
//   1. programs.txt names each program, its problem size n (full, --quick)
//      and what its C twin links (readManifest);
//   2. for each program, each runner (a MIR backend, a C twin compiler, a Lua
//      peer) is prepared (a twin compiled), run once as warm-up whose output
//      must equal the reference (the first runner's: the clang twin's), then
//      timed N times (runAll, through an Executor: the real one starts
//      processes, a test's returns scripted outcomes);
//   3. the rows become a Markdown table, JSON and an SVG chart.
//
// A run that fails, times out or prints differently is an error row; any
// error row makes the exit status 1 (exitStatus).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TOOLS_BENCHHARNESS_H
#define SPL_TOOLS_BENCHHARNESS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spl::bench {

// ---- statistics ------------------------------------------------------------

struct Summary {
  double Median = 0, Min = 0, Max = 0;
  /// (Max - Min) / Median in percent; 0 for one sample.
  double spreadPercent() const;
};
/// Median (mean of the middle two for an even count), min and max.
/// Samples must not be empty.
Summary summarize(llvm::ArrayRef<double> Samples);
/// Geometric mean of positive values; nullopt when there are none.
std::optional<double> geomean(llvm::ArrayRef<double> Values);

// ---- programs and runners --------------------------------------------------

struct Program {
  std::string Name;
  int64_t N = 0, QuickN = 0; // problem size passed to main(n) and the twins
  std::string Link;          // "" | "runtime" | a library: "spl_bench", ...
  std::string What;          // one line for the README table
  std::string MirPath, CPath, LuaPath; // LuaPath "" when there is no twin
};

/// Reads DIR/programs.txt: "name n quick_n link description..." per line,
/// '#' comments; link "-" for none. Each program needs DIR/NAME.json (or
/// .mir) and DIR/NAME.c; DIR/NAME.lua is optional.
llvm::Expected<std::vector<Program>> readManifest(llvm::StringRef Dir);

enum class RunnerKind { MIR, CTwin, Lua };

struct Runner {
  std::string Name;  // the JSON "backend": interpreter llvm auto native gcc luajit lua
  RunnerKind Kind = RunnerKind::MIR;
  std::string Tool;  // C compiler or Lua executable (path); MIR: unused
  std::string Label; // for headers: "clang-19 -O2", "LuaJIT 2.1", ...
};

/// The runner names `--backends` accepts, in table order.
llvm::ArrayRef<llvm::StringRef> runnerNames();
bool isRunnerName(llvm::StringRef Name);

// ---- running ---------------------------------------------------------------

/// One execution of one runner.
struct Outcome {
  bool Ok = false;
  std::string Error;  // why not Ok: "timed out after 60 s", "exit status 101: ..."
  std::string Output; // its stdout
  double RunMs = 0;   // MIR: main() in process; twins and peers: the process
  std::optional<double> CompileMs; // MIR: manager creation + compile
};

class Executor {
public:
  virtual ~Executor();
  /// Makes R ready for P (compiles a C twin). Returns the compile time in
  /// ms (nullopt when R compiles at each run, or not at all), or why not.
  virtual llvm::Expected<std::optional<double>> prepare(const Program &P,
                                                         const Runner &R) = 0;
  virtual Outcome run(const Program &P, const Runner &R, int64_t N) = 0;
};

/// The real Executor: C twins compiled into WorkDir; each run a process
/// (MIR: `Self bench --child=...`, which times compile and main() in
/// process), killed after TimeoutSec.
struct ProcessConfig {
  std::string Self;    // the spl-exec binary
  std::string LibDir;  // libspl_runtime.a, libspl_bench.so, libspl_torch.so
  std::string WorkDir; // a fresh temporary directory
  unsigned TimeoutSec = 120;
};
std::unique_ptr<Executor> createProcessExecutor(const ProcessConfig &C);

/// The link flags of a C twin with this manifest `link`.
std::vector<std::string> twinLinkFlags(llvm::StringRef Link,
                                       llvm::StringRef LibDir);
/// The file `link` needs in LibDir ("" for none): libspl_runtime.a,
/// libNAME.so.
std::string linkedLibrary(llvm::StringRef Link, llvm::StringRef LibDir);

/// One line of results: a benchmark under one runner.
struct Row {
  std::string Benchmark, Backend;
  std::optional<double> CompileMs;
  Summary Run;       // over the timed runs
  unsigned Runs = 0; // timed runs that went into Run
  std::string Error; // empty for a valid row
  bool ok() const { return Error.empty(); }
};

struct Progress {
  unsigned Index = 0, Count = 0; // program Index (1-based) of Count
  llvm::StringRef Program, Runner;
  std::string Phase; // "compile", "check", "run 2/5"
};

struct Config {
  unsigned Runs = 5;
  bool Quick = false;
  std::function<void(const Progress &)> OnProgress;
};

/// Every program under every runner whose twin exists (a Lua runner skips a
/// program without NAME.lua). Rows come in program order, then runner order.
std::vector<Row> runAll(llvm::ArrayRef<Program> Programs,
                        llvm::ArrayRef<Runner> Runners, Executor &X,
                        const Config &C);

/// 0 when every row is valid, else 1.
int exitStatus(llvm::ArrayRef<Row> Rows);

// ---- reporting -------------------------------------------------------------

struct Machine {
  std::string Date, CPU, Kernel, SplExec;
  unsigned Cores = 0;
  double LoadStart = -1, LoadEnd = -1; // 1-minute load average; -1 unknown
  bool Quick = false;
  unsigned Runs = 0;
  std::vector<std::pair<std::string, std::string>> Runners; // name, label
  std::vector<std::string> Notes; // fallbacks, skipped programs or runners
  double WallSeconds = 0;
};

/// run_ms of Backend / run_ms of "native" for Benchmark, when both are valid.
std::optional<double> ratioToNative(llvm::ArrayRef<Row> Rows,
                                    llvm::StringRef Benchmark,
                                    llvm::StringRef Backend);

/// The header, a benchmark x runner table of ratios (native in ms), the
/// geometric means, the goals, the detail table and the error rows.
void writeMarkdown(llvm::raw_ostream &OS, const Machine &M,
                   llvm::ArrayRef<Row> Rows);
/// {"machine": {...}, "results": [{"benchmark", "backend", "compile_ms",
/// "run_ms", "runs", "min_ms", "max_ms"}]}; an error row has null times,
/// runs 0 and an "error" string.
void writeJSON(llvm::raw_ostream &OS, const Machine &M,
               llvm::ArrayRef<Row> Rows);
/// A grouped bar chart: one group per benchmark (and one for the geometric
/// means), one bar per runner, its height run time / clang's on a log scale.
void writeSVG(llvm::raw_ostream &OS, const Machine &M,
              llvm::ArrayRef<Row> Rows);

} // namespace spl::bench

#endif // SPL_TOOLS_BENCHHARNESS_H
