//===- tools/BenchProcess.cpp - Runs as processes, with a timeout ---------===//
//
// Every run is a process of its own, so a trap, a crash or a hang costs that
// row only: a hang is killed after the timeout, and the row says which it
// was. A MIR run is `spl-exec bench --child=FILE ...`: the child times
// manager creation + compile and then main(n) alone, and writes both to a
// file; its stdout is the program's. A C twin times main itself
// (bench_main.h) into the same kind of file, so both leave process start-up
// out (loading libtorch before main takes longer than torch_loop's work). A
// Lua peer is timed as a whole process (its start-up, about a millisecond,
// included).
//
//===----------------------------------------------------------------------===//
#include "tools/BenchHarness.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <chrono>

using namespace llvm;

namespace spl::bench {

std::vector<std::string> twinLinkFlags(StringRef Link, StringRef LibDir) {
  if (Link.empty())
    return {};
  if (Link == "runtime") // spl-exec's own runtime, without LLVM
    return {linkedLibrary(Link, LibDir), "-lstdc++", "-lpthread"};
  return {("-L" + LibDir).str(), ("-l" + Link).str(),
          ("-Wl,-rpath," + LibDir).str()};
}

std::string linkedLibrary(StringRef Link, StringRef LibDir) {
  if (Link.empty())
    return "";
  if (Link == "runtime")
    return (LibDir + "/libspl_runtime.a").str();
  return (LibDir + "/lib" + Link + ".so").str();
}

namespace {
using Clock = std::chrono::steady_clock;

std::string slurp(StringRef Path) {
  auto B = MemoryBuffer::getFile(Path, /*IsText=*/true);
  return B ? (*B)->getBuffer().str() : std::string();
}

std::string lastLines(StringRef S) {
  // The end of stderr says why; keep it to one line for the table.
  SmallVector<StringRef, 8> L;
  S.trim().split(L, '\n', -1, false);
  if (L.empty())
    return "";
  StringRef Last = L.back().trim();
  return Last.size() > 160 ? (Last.take_front(157) + "...").str() : Last.str();
}

struct Exit {
  int RC = 0;
  double Ms = 0;
  std::string ExecError, Stdout, Stderr;
};

class ProcessExecutor final : public Executor {
public:
  explicit ProcessExecutor(const ProcessConfig &C) : C(C) {}

  Expected<std::optional<double>> prepare(const Program &P,
                                          const Runner &R) override {
    if (R.Kind != RunnerKind::CTwin)
      return std::nullopt;
    std::string Exe = exe(P, R);
    std::vector<std::string> Args = {R.Tool, "-O2", "-o", Exe, P.CPath};
    for (std::string &F : twinLinkFlags(P.Link, C.LibDir))
      Args.push_back(std::move(F));
    Args.push_back("-lm");
    Exit E = exec(Args, C.TimeoutSec);
    if (E.RC != 0)
      return createStringError(
          inconvertibleErrorCode(),
          formatv("compiling {0}.c with {1} failed: {2}", P.Name, R.Tool,
                  E.RC < 0 ? E.ExecError : lastLines(E.Stderr))
              .str());
    return E.Ms;
  }

  Outcome run(const Program &P, const Runner &R, int64_t N) override {
    std::string NArg = std::to_string(N);
    std::string Times = (C.WorkDir + "/times.txt");
    std::vector<std::string> Args;
    switch (R.Kind) {
    case RunnerKind::MIR:
      sys::fs::remove(Times);
      Args = {C.Self, "bench", "--child=" + P.MirPath,
              "--child-backend=" + R.Name, "--child-n=" + NArg,
              "--child-times=" + Times};
      break;
    case RunnerKind::CTwin:
      sys::fs::remove(Times);
      Args = {exe(P, R), NArg, Times};
      break;
    case RunnerKind::Lua:
      Args = {R.Tool, P.LuaPath, NArg};
      break;
    }
    Exit E = exec(Args, C.TimeoutSec);
    Outcome O;
    O.Output = E.Stdout;
    if (E.RC == -2 && E.Ms >= C.TimeoutSec * 1000.0 * 0.98) {
      O.Error = formatv("timed out after {0} s", C.TimeoutSec).str();
      return O;
    }
    if (E.RC < 0) {
      O.Error = (E.RC == -2 ? "crashed: " : "could not run: ") + E.ExecError;
      if (std::string W = lastLines(E.Stderr); !W.empty())
        O.Error += " (" + W + ")";
      return O;
    }
    if (E.RC != 0) {
      O.Error = formatv("exit status {0}", E.RC).str();
      if (std::string W = lastLines(E.Stderr); !W.empty())
        O.Error += ": " + W;
      return O;
    }
    O.RunMs = E.Ms;
    // "compile_ms run_ms" from the child; a C twin writes 0 for compile, and
    // one that does not use bench_main.h's timer keeps its process time.
    if (R.Kind == RunnerKind::MIR ||
        (R.Kind == RunnerKind::CTwin && sys::fs::exists(Times))) {
      std::string Text = slurp(Times);
      SmallVector<StringRef, 2> F;
      StringRef(Text).trim().split(F, ' ');
      double Compile, Run;
      if (F.size() != 2 || !to_float(F[0], Compile) || !to_float(F[1], Run)) {
        O.Error = "the child wrote no timing";
        if (std::string W = lastLines(E.Stderr); !W.empty())
          O.Error += " (" + W + ")";
        return O;
      }
      O.CompileMs = Compile;
      O.RunMs = Run;
    }
    O.Ok = true;
    return O;
  }

private:
  std::string exe(const Program &P, const Runner &R) const {
    return C.WorkDir + "/" + P.Name + "." + R.Name;
  }

  Exit exec(ArrayRef<std::string> Args, unsigned Timeout) {
    std::string Out = C.WorkDir + "/stdout.txt", Err = C.WorkDir + "/stderr.txt";
    std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(Out),
                                            StringRef(Err)};
    SmallVector<StringRef, 8> Argv(Args.begin(), Args.end());
    Exit E;
    auto T0 = Clock::now();
    E.RC = sys::ExecuteAndWait(Argv[0], Argv, std::nullopt, Redirects, Timeout,
                               0, &E.ExecError);
    E.Ms = std::chrono::duration<double, std::milli>(Clock::now() - T0).count();
    E.Stdout = slurp(Out);
    E.Stderr = slurp(Err);
    return E;
  }

  ProcessConfig C;
};
} // namespace

std::unique_ptr<Executor> createProcessExecutor(const ProcessConfig &C) {
  return std::make_unique<ProcessExecutor>(C);
}

} // namespace spl::bench
