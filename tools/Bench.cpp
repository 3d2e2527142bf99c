//===- tools/Bench.cpp - spl-exec bench -----------------------------------===//
//
//   spl-exec bench [--quick] [--filter=RE] [--runs=N] [--json FILE]
//                  [--svg FILE] [--peers] [--backends=LIST] [--programs=DIR]
//
// Each program of DIR/programs.txt under the MIR backends (interpreter, llvm,
// auto) and its C twin at -O2 by clang-19 (`native`, the baseline: the same
// LLVM as the JIT, so the ratio measures our lowering) and by gcc; with
// --peers its Lua twin under LuaJIT and Lua 5.4 where installed. Warm-up
// (whose output must agree), then N timed runs; a Markdown table on stdout,
// progress on stderr. Exit 0 only when every row is valid; 2 on bad flags.
// The work is in BenchHarness.h; this file is the command line.
//
// `--child=FILE` (hidden) is one MIR run, started by the harness itself.
//
//===----------------------------------------------------------------------===//
#include "tools/BenchHarness.h"
#include "tools/Driver.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <sys/utsname.h>
#include <thread>

using namespace llvm;
using namespace spl::bench;

namespace spl::tool {
namespace {
cl::OptionCategory BenchCat("Bench options");
cl::opt<std::string> ProgramsDir("programs",
                                 cl::desc("Directory with programs.txt, the MIR programs and "
                                          "their twins (default: the source tree's "
                                          "benchmarks/programs)"),
                                 cl::value_desc("dir"), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<bool> Quick("quick", cl::desc("Small sizes and 3 timed runs (about a minute or two in all)"),
                    cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<std::string> Filter("filter", cl::desc("Only programs whose name matches RE"),
                            cl::value_desc("RE"), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<unsigned> Runs("runs", cl::desc("Timed runs per row after the warm-up (default 5, "
                                        "--quick 3)"),
                       cl::value_desc("N"), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<std::string> JSONFile("json", cl::desc("Also write the results as JSON"),
                              cl::value_desc("file"), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<std::string> SVGFile("svg", cl::desc("Also write a bar chart (SVG)"),
                             cl::value_desc("file"), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<bool> Peers("peers", cl::desc("Also LuaJIT and Lua 5.4 where installed"),
                    cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<std::string> BackendsFlag(
    "backends",
    cl::desc("Runners, comma-separated: native gcc interpreter llvm auto luajit lua "
             "(default: all but the Lua peers; --peers adds them)"),
    cl::value_desc("list"), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<unsigned> Timeout("timeout", cl::desc("Seconds before a run is killed (default 120, "
                                              "--quick 60)"),
                          cl::value_desc("s"), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<std::string> CCFlag("cc", cl::desc("C compiler of the native twin (default clang-19, "
                                           "else cc)"),
                            cl::value_desc("path"), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<std::string> GCCFlag("gcc", cl::desc("C compiler of the gcc twin (default gcc)"),
                             cl::init("gcc"), cl::value_desc("path"), cl::sub(benchCmd()),
                             cl::cat(BenchCat));

// The child: one MIR run.
cl::opt<std::string> Child("child", cl::Hidden, cl::sub(benchCmd()));
cl::opt<std::string> ChildBackend("child-backend", cl::Hidden, cl::sub(benchCmd()));
cl::opt<long long> ChildN("child-n", cl::Hidden, cl::sub(benchCmd()));
cl::opt<std::string> ChildTimes("child-times", cl::Hidden, cl::sub(benchCmd()));

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point T0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - T0).count();
}

/// Manager creation + compile, then main(n) alone; both times to
/// --child-times. Exits as `spl-exec run` would.
int childMain() {
  std::string Source, Err;
  if (!readFile(Child, Source, Err)) {
    errs() << "error: " << Err << "\n";
    return ExitLoadError;
  }
  Options O;
  O.Backend = ChildBackend;
  // compile_ms is the cost of compiling: every repetition after the first
  // would otherwise load the first one's code from the cache.
  O.Cache.Enabled = false;
  auto T0 = Clock::now();
  auto M = ExecManager::create(O);
  if (!M)
    return reportError(M.error());
  if (Status S = (*M)->compile(Source, Child); !S)
    return reportError(S.error(), Child);
  double CompileMs = msSince(T0);
  auto T1 = Clock::now();
  auto R = (*M)->call("main", {Value::i64(ChildN)});
  double RunMs = msSince(T1);
  std::fflush(stdout); // the program printed through C stdio
  if (!R) {
    if (R.error().K == ExecError::Kind::Exit)
      return R.error().ExitCode & 255;
    return reportError(R.error());
  }
  if (!R->isUnit() && R->asI64() != 0) {
    errs() << "error: main returned " << R->asI64() << " (expected 0)\n";
    return ExitLoadError;
  }
  std::error_code EC;
  raw_fd_ostream T(ChildTimes, EC);
  if (EC) {
    errs() << "error: cannot write `" << ChildTimes << "`: " << EC.message() << "\n";
    return ExitLoadError;
  }
  T << formatv("{0:F3} {1:F3}\n", CompileMs, RunMs);
  return 0;
}

std::string defaultProgramsDir() {
  if (sys::fs::exists("benchmarks/programs/programs.txt"))
    return "benchmarks/programs";
  return SPL_SOURCE_DIR "/benchmarks/programs";
}

/// A short name for a version line: "clang 19.1.7", "gcc 12.2.0",
/// "LuaJIT 2.1.0-beta3", "Lua 5.4.4"; else the line.
std::string shortVersion(StringRef Line) {
  SmallVector<StringRef, 8> W;
  Line.split(W, ' ', -1, false);
  if (size_t At = Line.find("clang version "); At != StringRef::npos)
    return ("clang " + Line.drop_front(At + 14).split(' ').first).str();
  if (Line.starts_with("gcc") && !W.empty())
    return ("gcc " + W.back()).str();
  if ((Line.starts_with("LuaJIT") || Line.starts_with("Lua ")) && W.size() >= 2)
    return (W[0] + " " + W[1]).str();
  return Line.str();
}

/// First line of `Tool Flag` (its version), or "".
std::string versionOf(StringRef Tool, StringRef Flag, StringRef Tmp) {
  std::string Out = (Tmp + "/version.txt").str();
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(Out), StringRef(Out)};
  StringRef Argv[] = {Tool, Flag};
  if (sys::ExecuteAndWait(Tool, Argv, std::nullopt, Redirects, 10) != 0)
    return "";
  auto B = MemoryBuffer::getFile(Out);
  return B ? (*B)->getBuffer().split('\n').first.trim().str() : "";
}

std::string cpuName() {
  auto B = MemoryBuffer::getFileAsStream("/proc/cpuinfo");
  if (B) {
    SmallVector<StringRef, 0> Lines;
    (*B)->getBuffer().split(Lines, '\n');
    for (StringRef L : Lines)
      if (L.starts_with("model name"))
        return L.split(':').second.trim().str();
  }
  return sys::getHostCPUName().str();
}

double loadAverage() {
  double L[1];
  return getloadavg(L, 1) == 1 ? L[0] : -1;
}

std::string utcNow() {
  std::time_t T = std::time(nullptr);
  char Buf[32];
  std::strftime(Buf, sizeof Buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&T));
  return Buf;
}

/// Prints progress on stderr: one line rewritten in place on a terminal,
/// else a line when a runner starts.
void showProgress(const Progress &P) {
  static bool Tty = sys::Process::StandardErrIsDisplayed();
  if (Tty) {
    errs() << formatv("\r\033[K[{0}/{1}] {2} · {3} · {4}", P.Index, P.Count,
                      P.Program, P.Runner, P.Phase);
    errs().flush();
  } else if (P.Phase == "compile") {
    errs() << formatv("[{0}/{1}] {2} · {3}\n", P.Index, P.Count, P.Program,
                      P.Runner);
  }
}

bool writeFile(StringRef Path, function_ref<void(raw_ostream &)> F) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  if (EC) {
    errs() << "error: cannot write `" << Path << "`: " << EC.message() << "\n";
    return false;
  }
  F(OS);
  return true;
}
} // namespace

int benchMain() {
  if (!Child.empty())
    return childMain();
  auto Start = Clock::now();

  // Runners, checked before anything runs: a name we do not know is a usage
  // error, never a row.
  SmallVector<StringRef, 8> Names;
  if (BackendsFlag.empty()) {
    Names = {"native", "gcc", "interpreter", "llvm", "auto"};
    if (Peers)
      Names.append({"luajit", "lua"});
  } else {
    StringRef(BackendsFlag).split(Names, ',', -1, false);
  }
  for (StringRef N : Names)
    if (!isRunnerName(N)) {
      errs() << "error: unknown backend `" << N << "` (expected one of: "
             << join(runnerNames(), ", ") << ")\n";
      return ExitUsage;
    }
  unsigned RunCount = Runs.getNumOccurrences() ? unsigned(Runs) : (Quick ? 3 : 5);
  if (RunCount == 0) {
    errs() << "error: --runs must be at least 1\n";
    return ExitUsage;
  }
  std::optional<Regex> Re;
  if (!Filter.empty()) {
    Re.emplace(Filter);
    std::string Why;
    if (!Re->isValid(Why)) {
      errs() << "error: --filter: " << Why << "\n";
      return ExitUsage;
    }
  }

  SmallString<128> Tmp;
  if (std::error_code EC = sys::fs::createUniqueDirectory("spl-bench", Tmp)) {
    errs() << "error: cannot create a temporary directory: " << EC.message() << "\n";
    return ExitLoadError;
  }
  auto Cleanup = make_scope_exit([&] { sys::fs::remove_directories(Tmp); });

  Machine M;
  M.Quick = Quick;
  M.Runs = RunCount;
  std::vector<Runner> Runners;
  bool Explicit = !BackendsFlag.empty();
  for (StringRef N : runnerNames()) { // table order, whatever the flag's
    if (!is_contained(Names, N))
      continue;
    Runner R;
    R.Name = N.str();
    if (N == "interpreter" || N == "llvm" || N == "auto") {
      R.Kind = RunnerKind::MIR;
      R.Label = "spl-exec " SPL_EXEC_VERSION ", " + R.Name + " (LLVM " LLVM_VERSION_STRING ")";
    } else if (N == "native" || N == "gcc") {
      R.Kind = RunnerKind::CTwin;
      std::string Want = N == "gcc" ? std::string(GCCFlag)
                                    : (CCFlag.empty() ? "clang-19" : std::string(CCFlag));
      auto P = sys::findProgramByName(Want);
      if (!P && N == "native" && CCFlag.empty()) {
        M.Notes.push_back("clang-19 not found (scripts/install-deps.sh --bench): "
                          "the native twin is compiled by cc");
        P = sys::findProgramByName("cc");
      }
      if (!P) {
        if (N == "gcc" && !Explicit) {
          M.Notes.push_back("gcc not found: no gcc column");
          continue;
        }
        errs() << "error: C compiler `" << Want << "` not found\n";
        return ExitUsage;
      }
      R.Tool = *P;
      std::string V = versionOf(R.Tool, "--version", Tmp);
      R.Label = (V.empty() ? R.Tool : shortVersion(V)) + " -O2";
    } else {
      R.Kind = RunnerKind::Lua;
      auto P = sys::findProgramByName(N == "lua" ? "lua5.4" : "luajit");
      if (!P) {
        if (!Explicit) {
          M.Notes.push_back(R.Name + " not installed (scripts/install-deps.sh --bench): "
                                     "no " + R.Name + " column");
          continue;
        }
        errs() << "error: `" << (N == "lua" ? "lua5.4" : "luajit")
               << "` not found (scripts/install-deps.sh --bench installs it)\n";
        return ExitUsage;
      }
      R.Tool = *P;
      R.Label = shortVersion(versionOf(R.Tool, "-v", Tmp));
      if (R.Label.empty())
        R.Label = R.Tool;
    }
    M.Runners.push_back({R.Name, R.Label});
    Runners.push_back(std::move(R));
  }
  if (none_of(Runners, [](const Runner &R) { return R.Name == "native"; }))
    M.Notes.push_back("no native runner: no ratios");

  std::string Dir = ProgramsDir.empty() ? defaultProgramsDir() : std::string(ProgramsDir);
  auto All = readManifest(Dir);
  if (!All) {
    errs() << "error: " << toString(All.takeError()) << "\n";
    return ExitUsage;
  }
  std::string Self = sys::fs::getMainExecutable(nullptr, (void *)&benchMain);
  SmallString<256> LibDir(sys::path::parent_path(sys::path::parent_path(Self)));
  sys::path::append(LibDir, "lib");
  std::vector<Program> Programs;
  for (Program &P : *All) {
    if (Re && !Re->match(P.Name))
      continue;
    std::string Lib = linkedLibrary(P.Link, LibDir);
    if (!Lib.empty() && !sys::fs::exists(Lib)) {
      M.Notes.push_back(P.Name + " skipped: " + Lib + " is not built" +
                        (P.Link == "spl_torch" ? " (Torch not found)" : ""));
      continue;
    }
    Programs.push_back(std::move(P));
  }
  if (Programs.empty()) {
    errs() << "error: no benchmark program in `" << Dir << "/programs.txt`"
           << (Re ? " matches --filter" : "") << "\n";
    return ExitUsage;
  }

  utsname U;
  M.Kernel = uname(&U) == 0 ? std::string(U.sysname) + " " + U.release : "";
  M.CPU = cpuName();
  M.Cores = std::thread::hardware_concurrency();
  M.Date = utcNow();
  M.SplExec = "spl-exec " SPL_EXEC_VERSION " (LLVM " LLVM_VERSION_STRING ")";
  M.LoadStart = loadAverage();

  ProcessConfig PC;
  PC.Self = Self;
  PC.LibDir = LibDir.str().str();
  PC.WorkDir = Tmp.str().str();
  PC.TimeoutSec = Timeout.getNumOccurrences() ? unsigned(Timeout) : (Quick ? 60 : 120);
  auto X = createProcessExecutor(PC);
  Config C;
  C.Runs = RunCount;
  C.Quick = Quick;
  C.OnProgress = showProgress;
  std::vector<Row> Rows = runAll(Programs, Runners, *X, C);
  if (sys::Process::StandardErrIsDisplayed())
    errs() << "\r\033[K";

  M.LoadEnd = loadAverage();
  M.WallSeconds = msSince(Start) / 1000;
  writeMarkdown(outs(), M, Rows);
  outs().flush();
  bool Written = true;
  if (!JSONFile.empty())
    Written &= writeFile(JSONFile, [&](raw_ostream &OS) { writeJSON(OS, M, Rows); });
  if (!SVGFile.empty())
    Written &= writeFile(SVGFile, [&](raw_ostream &OS) { writeSVG(OS, M, Rows); });
  int Status = exitStatus(Rows);
  if (Status != 0)
    errs() << "bench: " << count_if(Rows, [](const Row &R) { return !R.ok(); })
           << " error row(s); see the table\n";
  return Status != 0 ? Status : (Written ? 0 : ExitLoadError);
}

} // namespace spl::tool
