//===- tools/Bench.cpp - spl-exec bench -----------------------------------===//
//
//   spl-exec bench [--programs=DIR] [--repetitions=N] [--backends=a,b] [--filter=S]
//
// For each benchmark program DIR/NAME.{json,mir} with a C twin DIR/NAME.c:
// compiles the twin with the system C compiler at -O2, then, in one run,
// times the twin and the MIR program under every backend. Each MIR run is a
// whole `spl-exec run` process, exactly as the twin is a whole process, so
// the ratio compares like with like (startup, compile and run); in-process
// compile time and the run time of main() alone are reported separately. Both print their result;
// the outputs must agree or the row is marked MISMATCH. Reports medians and
// ratios against the twin measured in the same run.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>
#include <chrono>
#include <optional>

using namespace llvm;

namespace spl::tool {
namespace {
cl::OptionCategory BenchCat("Bench options");
cl::opt<std::string> ProgramsDir("programs",
                                 cl::desc("Directory of benchmark programs and C twins "
                                          "(default: the source tree's benchmarks/programs)"),
                                 cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<unsigned> Reps("repetitions", cl::desc("Runs per measurement (median reported)"),
                       cl::init(5), cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<std::string> BackendsFlag("backends",
                                  cl::desc("Comma-separated backends (default: interpreter,llvm,auto)"),
                                  cl::init("interpreter,llvm,auto"), cl::sub(benchCmd()),
                                  cl::cat(BenchCat));
cl::opt<std::string> Filter("filter", cl::desc("Only programs whose name contains S"),
                            cl::sub(benchCmd()), cl::cat(BenchCat));
cl::opt<std::string> CC("cc", cl::desc("C compiler for the twins (default: cc)"),
                        cl::init("cc"), cl::sub(benchCmd()), cl::cat(BenchCat));

using Clock = std::chrono::steady_clock;

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  size_t N = V.size();
  return N % 2 ? V[N / 2] : (V[N / 2 - 1] + V[N / 2]) / 2;
}

/// Runs Argv with stdout to OutFile; returns wall time in ms, or nullopt.
std::optional<double> timeProcess(ArrayRef<StringRef> Argv, StringRef OutFile,
                                  std::string &Err) {
  std::optional<StringRef> Redirects[] = {std::nullopt, OutFile, std::nullopt};
  auto T0 = Clock::now();
  int RC = sys::ExecuteAndWait(Argv[0], Argv, std::nullopt, Redirects, 0, 0, &Err);
  double Ms = std::chrono::duration<double, std::milli>(Clock::now() - T0).count();
  if (RC < 0) {
    if (Err.empty())
      Err = "crashed";
    return std::nullopt;
  }
  return Ms;
}

std::string slurp(StringRef Path) {
  auto B = MemoryBuffer::getFile(Path);
  return B ? (*B)->getBuffer().str() : std::string();
}

struct Measured {
  double Ms = 0;
  bool Ok = false;
  std::string Output, Note;
};

Measured measure(ArrayRef<StringRef> Argv, StringRef OutFile) {
  Measured R;
  std::vector<double> Times;
  for (unsigned I = 0; I < std::max(1u, unsigned(Reps)); ++I) {
    std::string Err;
    auto T = timeProcess(Argv, OutFile, Err);
    if (!T) {
      R.Note = Err;
      return R;
    }
    Times.push_back(*T);
  }
  R.Ms = median(Times);
  R.Output = slurp(OutFile);
  R.Ok = true;
  return R;
}

/// Sends stdout (fd 1) to /dev/null while alive: the programs print their
/// result, which the whole-process runs already checked.
class StdoutSilencer {
public:
  StdoutSilencer() {
    std::fflush(stdout);
    Saved = ::dup(1);
    int Null = ::open("/dev/null", O_WRONLY);
    if (Null >= 0) {
      ::dup2(Null, 1);
      ::close(Null);
    }
  }
  ~StdoutSilencer() {
    std::fflush(stdout);
    if (Saved >= 0) {
      ::dup2(Saved, 1);
      ::close(Saved);
    }
  }

private:
  int Saved = -1;
};

void row(StringRef Program, StringRef Runner, std::optional<double> Ms,
         StringRef Ratio, StringRef Note) {
  std::string MsText = Ms ? formatv("{0:F2}", *Ms).str() : "-";
  outs() << formatv("{0,-16} {1,-14} {2,10} {3,8}  {4}\n", Program, Runner,
                    MsText, Ratio, Note);
}

std::string defaultProgramsDir() {
  if (sys::fs::is_directory("benchmarks/programs"))
    return "benchmarks/programs";
  return SPL_SOURCE_DIR "/benchmarks/programs";
}
} // namespace

int benchMain() {
  std::string Dir = ProgramsDir.empty() ? defaultProgramsDir() : ProgramsDir;
  if (!sys::fs::is_directory(Dir)) {
    errs() << "error: benchmark directory `" << Dir << "` not found\n";
    return ExitUsage;
  }
  std::string Self = sys::fs::getMainExecutable(nullptr, (void *)&benchMain);
  auto CCPath = sys::findProgramByName(CC);
  if (!CCPath) {
    errs() << "error: C compiler `" << CC << "` not found\n";
    return ExitUsage;
  }
  SmallVector<StringRef, 4> Backends;
  StringRef(BackendsFlag).split(Backends, ',', -1, false);

  SmallString<128> Tmp;
  if (std::error_code EC = sys::fs::createUniqueDirectory("spl-bench", Tmp)) {
    errs() << "error: cannot create a temporary directory: " << EC.message() << "\n";
    return ExitLoadError;
  }
  std::string OutFile = (Tmp + "/out.txt").str();

  // Programs: every NAME.c twin with a NAME.json or NAME.mir beside it.
  std::vector<std::pair<std::string, std::string>> Programs; // name, mir path
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    StringRef P = It->path();
    if (sys::path::extension(P) != ".c")
      continue;
    std::string Stem = sys::path::stem(P).str();
    if (!Filter.empty() && Stem.find(Filter) == std::string::npos)
      continue;
    for (const char *Ext : {".json", ".mir"}) {
      std::string M = (Dir + "/" + Stem + Ext);
      if (sys::fs::exists(M)) {
        Programs.emplace_back(Stem, M);
        break;
      }
    }
  }
  llvm::sort(Programs);
  if (Programs.empty()) {
    errs() << "error: no benchmark programs (NAME.c with NAME.json|.mir) in `" << Dir << "`\n";
    return ExitUsage;
  }

  outs() << "spl-exec bench: " << unsigned(Reps)
         << " repetitions, medians of whole-process wall time; ratio = time / "
            "C -O2 twin (same run)\n\n";
  outs() << formatv("{0,-16} {1,-14} {2,10} {3,8}  {4}\n", "program", "runner",
                    "ms", "ratio", "note");
  bool AllAgree = true;
  for (auto &[Name, MirPath] : Programs) {
    std::string Exe = (Tmp + "/" + Name).str();
    std::string CPath = Dir + "/" + Name + ".c";
    std::string Err;
    StringRef CArgs[] = {*CCPath, "-O2", "-o", Exe, CPath, "-lm"};
    if (sys::ExecuteAndWait(*CCPath, CArgs, std::nullopt, {}, 0, 0, &Err) != 0) {
      errs() << "error: compiling " << CPath << " failed " << Err << "\n";
      AllAgree = false;
      continue;
    }
    StringRef TwinArgv[] = {Exe};
    Measured C = measure(TwinArgv, OutFile);
    row(Name, "C -O2", C.Ok ? std::optional<double>(C.Ms) : std::nullopt, "1.00",
        C.Ok ? "" : C.Note);
    for (StringRef B : Backends) {
      std::string Flag = ("--backend=" + B).str();
      StringRef Argv[] = {Self, "run", Flag, MirPath};
      Measured R = measure(Argv, OutFile);
      std::string Note = R.Ok ? "" : "failed: " + R.Note;
      if (R.Ok && C.Ok && R.Output != C.Output) {
        Note = "MISMATCH with the C twin's output";
        AllAgree = false;
      }
      std::string Ratio = C.Ok && R.Ok && C.Ms > 0 ? formatv("{0:F2}", R.Ms / C.Ms).str() : "-";
      row(Name, B, R.Ok ? std::optional<double>(R.Ms) : std::nullopt, Ratio, Note);
    }

    // In process: compile latency (manager creation + parse + verify +
    // backend load) and run time of main alone, each against the twin's
    // whole-process time (which includes its own start-up of ~1 ms).
    std::string Source = slurp(MirPath);
    for (StringRef B : Backends) {
      std::vector<double> Compile, Run;
      for (unsigned I = 0; I < std::max(1u, unsigned(Reps)); ++I) {
        Options O;
        O.Backend = B.str();
        auto T0 = Clock::now();
        auto M = ExecManager::create(O);
        if (!M || !(*M)->compile(Source, MirPath))
          break;
        Compile.push_back(std::chrono::duration<double, std::milli>(Clock::now() - T0).count());
        StdoutSilencer Quiet;
        auto T1 = Clock::now();
        auto R = (*M)->call("main", {});
        double Ms = std::chrono::duration<double, std::milli>(Clock::now() - T1).count();
        if (!R)
          break;
        Run.push_back(Ms);
      }
      if (!Compile.empty())
        row(Name, ("compile/" + B).str(), median(Compile), "",
            "in process: manager creation + compile");
      if (!Run.empty())
        row(Name, ("run/" + B).str(), median(Run),
            C.Ok ? formatv("{0:F2}", median(Run) / C.Ms).str() : "-",
            "in process: main() alone");
    }
    outs().flush();
  }
  sys::fs::remove_directories(Tmp);
  return AllAgree ? 0 : 1;
}

} // namespace spl::tool
