//===- benchmarks/mir_load/MirLoadBench.cpp - JSON vs text load, time and memory
//===//
//
//   mir_load_bench [--runs=N] [--modes=M,...] FILE...
//                                             measure (FILE: .json or .mir)
//   mir_load_bench --write-compact IN.mir OUT.json
//                                             the compiler's compact JSON of IN
//
// For each file, the load of the whole model and the parse alone (no model):
//   text       mir::parseText                    (.mir)
//   json       mir::readJSON: its own parser, falling back to llvm::json
//   json-old   the llvm::json reader alone (the fallback)
//   parse      that parser (checking as it goes) + the reader's visit of
//              every value, no model
//   parse-old  the quirks pass + llvm::json::parse, no model
// Time: the median CPU time (of this thread: the machine is shared) of N
// loads in this process, after one warm-up. Memory:
// each mode once more in a fresh process of its own (this program, with
// --one), which reports how far its peak RSS (VmHWM) rose over reading the
// file: the reader's transient memory and the model together; and the
// bytes the model keeps (malloc's count while it is alive). Ratios are
// against the input's size. Never a test: speed is measured, not asserted.
//
//===----------------------------------------------------------------------===//
#include "mir/JSONReaders.h"
#include "mir/MIR.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <malloc.h>
#include <string>
#include <vector>

using namespace spl;

namespace {

long hwmKiB() {
  FILE *F = std::fopen("/proc/self/status", "r");
  if (!F)
    return 0;
  char Line[256];
  long V = 0;
  while (std::fgets(Line, sizeof(Line), F))
    if (!std::strncmp(Line, "VmHWM:", 6))
      V = std::atol(Line + 6);
  std::fclose(F);
  return V;
}

// Straight into Out: no second copy to raise the peak before the load.
bool readWhole(const std::string &Path, std::string &Out) {
  FILE *F = std::fopen(Path.c_str(), "rb");
  if (!F) {
    llvm::errs() << "error: cannot read " << Path << "\n";
    return false;
  }
  std::fseek(F, 0, SEEK_END);
  Out.resize(size_t(std::ftell(F)));
  std::fseek(F, 0, SEEK_SET);
  bool Ok = std::fread(Out.data(), 1, Out.size(), F) == Out.size();
  std::fclose(F);
  return Ok;
}

/// One load in Mode; false if it failed. Keep: the model, when there is one.
bool loadOnce(const std::string &Mode, const std::string &Text,
              std::optional<mir::Module> &Keep) {
  auto Take = [&](llvm::Expected<mir::Module> M) {
    if (!M) {
      llvm::errs() << "error: " << llvm::toString(M.takeError()) << "\n";
      return false;
    }
    Keep = std::move(*M);
    return true;
  };
  if (Mode == "text")
    return Take(mir::parseText(Text));
  if (Mode == "json")
    return Take(mir::readJSON(Text));
  if (Mode == "json-old")
    return Take(mir::readJSONWithLLVM(Text));
  if (Mode == "parse")
    return mir::parseOnlyFast(Text);
  if (Mode == "parse-old")
    return mir::parseOnlyWithLLVM(Text);
  llvm::errs() << "error: unknown mode " << Mode << "\n";
  return false;
}

/// --one MODE FILE: prints "PEAK_KIB MODEL_BYTES".
int one(const std::string &Mode, const std::string &Path) {
  std::string Text;
  long Before = hwmKiB();
  if (!readWhole(Path, Text))
    return 1;
  long AfterRead = hwmKiB();
  size_t Held = mallinfo2().uordblks;
  std::optional<mir::Module> Keep;
  if (!loadOnce(Mode, Text, Keep))
    return 1;
  long After = hwmKiB();
  size_t Model = mallinfo2().uordblks - Held;
  std::printf("%ld %zu %ld\n", After - AfterRead, Model, AfterRead - Before);
  return 0;
}

// This thread's CPU time: the machine is shared, and wall time counts the
// others' turns too.
double cpuMs() {
  timespec T;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &T);
  return T.tv_sec * 1e3 + T.tv_nsec / 1e6;
}

double medianMs(const std::string &Mode, const std::string &Text, int Runs) {
  std::vector<double> Ms;
  for (int I = 0; I <= Runs; ++I) {
    std::optional<mir::Module> Keep;
    double T0 = cpuMs();
    if (!loadOnce(Mode, Text, Keep))
      return -1;
    double T1 = cpuMs();
    if (I) // the first is a warm-up
      Ms.push_back(T1 - T0);
  }
  std::sort(Ms.begin(), Ms.end());
  return Ms[Ms.size() / 2];
}

bool memory(const char *Self, const std::string &Mode, const std::string &Path,
            long &PeakKiB, size_t &ModelBytes) {
  std::string Cmd = std::string(Self) + " --one " + Mode + " '" + Path + "'";
  FILE *P = popen(Cmd.c_str(), "r");
  if (!P)
    return false;
  long Read = 0;
  bool Ok = std::fscanf(P, "%ld %zu %ld", &PeakKiB, &ModelBytes, &Read) == 3;
  return pclose(P) == 0 && Ok;
}

int writeCompact(const std::string &In, const std::string &Out) {
  std::string Text;
  if (!readWhole(In, Text))
    return 1;
  llvm::Expected<mir::Module> M = mir::readModule(Text, In);
  if (!M) {
    llvm::errs() << "error: " << llvm::toString(M.takeError()) << "\n";
    return 1;
  }
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(mir::writeJSON(*M));
  if (!V) {
    llvm::errs() << "error: " << llvm::toString(V.takeError()) << "\n";
    return 1;
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(Out, EC);
  if (EC) {
    llvm::errs() << "error: cannot write " << Out << "\n";
    return 1;
  }
  OS << llvm::formatv("{0}", *V) << "\n";
  return 0;
}

} // namespace

int main(int Argc, char **Argv) {
  std::vector<std::string> Files;
  std::string Only; // --modes=a,b: only these
  int Runs = 9;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    if (A == "--one" && I + 2 < Argc)
      return one(Argv[I + 1], Argv[I + 2]);
    if (A == "--write-compact" && I + 2 < Argc)
      return writeCompact(Argv[I + 1], Argv[I + 2]);
    if (A.rfind("--modes=", 0) == 0)
      Only = "," + A.substr(8) + ",";
    else if (A.rfind("--runs=", 0) == 0)
      Runs = std::max(1, std::atoi(A.c_str() + 7));
    else
      Files.push_back(A);
  }
  if (Files.empty()) {
    std::fprintf(stderr,
                 "usage: %s [--runs=N] FILE.json|FILE.mir...\n"
                 "       %s --write-compact IN.mir OUT.json\n",
                 Argv[0], Argv[0]);
    return 2;
  }
  double Load[3];
  if (FILE *F = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(F, "%lf %lf %lf", &Load[0], &Load[1], &Load[2]) == 3)
      std::printf("load average %.2f %.2f %.2f, median of %d runs\n", Load[0],
                  Load[1], Load[2], Runs);
    std::fclose(F);
  }
  std::printf("%-28s %-10s %9s %10s %11s %10s\n", "file (KiB)", "mode",
              "cpu ms", "peak KiB", "peak/input", "model/in");
  for (const std::string &Path : Files) {
    std::string Text;
    if (!readWhole(Path, Text))
      return 1;
    bool JSON = mir::looksLikeJSON(Text);
    std::vector<std::string> Modes =
        JSON
            ? std::vector<std::string>{"json", "json-old", "parse", "parse-old"}
            : std::vector<std::string>{"text"};
    std::string Name = Path.substr(Path.rfind('/') + 1) + " (" +
                       std::to_string(Text.size() / 1024) + ")";
    for (const std::string &Mode : Modes) {
      if (!Only.empty() && Only.find("," + Mode + ",") == std::string::npos)
        continue;
      // The old reader is slow: fewer runs of it on big inputs.
      int N = Mode.find("old") != std::string::npos ? std::min(Runs, 3) : Runs;
      double Ms = medianMs(Mode, Text, N);
      long Peak = 0;
      size_t Model = 0;
      if (Ms < 0 || !memory(Argv[0], Mode, Path, Peak, Model)) {
        std::printf("%-28s %-10s failed\n", Name.c_str(), Mode.c_str());
        continue;
      }
      std::printf("%-28s %-10s %9.2f %10ld %10.2fx %9.2fx\n", Name.c_str(),
                  Mode.c_str(), Ms, Peak, Peak * 1024.0 / Text.size(),
                  double(Model) / Text.size());
    }
  }
  return 0;
}
