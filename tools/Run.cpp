//===- tools/Run.cpp - spl-exec run ---------------------------------------===//
//
//   spl-exec run [--backend=...] [--entry=main] FILE [ARGS...]
//
// Loads FILE (JSON or text, sniffed), calls the entry with ARGS converted to
// its parameter types, and exits with its integer result & 255 (0 for Unit).
// --print-result prints the result instead (RUNTIME.md's text for its type)
// and exits 0.
// --emit=llvm|asm prints the optimised IR / assembly instead of running;
// --list-externs prints where each extern resolves; --stats prints phase times
// and, for JIT-compiled code, the cache and each function's compile cost.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>

using namespace llvm;

namespace spl::tool {
namespace {
cl::OptionCategory RunCat("Run options");

cl::opt<std::string> File(cl::Positional, cl::desc("<program.json|program.mir>"),
                          cl::Required, cl::sub(runCmd()), cl::cat(RunCat));
cl::list<std::string> Args(cl::ConsumeAfter, cl::desc("<entry arguments>..."),
                           cl::sub(runCmd()), cl::cat(RunCat));
cl::opt<std::string> Entry("entry", cl::desc("Function to call (default: main)"),
                           cl::init("main"), cl::sub(runCmd()), cl::cat(RunCat));
enum class EmitKind { None, LLVM, Asm };
cl::opt<EmitKind> Emit(
    "emit", cl::desc("Print compiled code instead of running (implies --backend=llvm)"),
    cl::values(clEnumValN(EmitKind::LLVM, "llvm", "optimised LLVM IR"),
               clEnumValN(EmitKind::Asm, "asm", "native assembly")),
    cl::init(EmitKind::None), cl::sub(runCmd()), cl::cat(RunCat));
cl::opt<bool> Stats("stats", cl::desc("Print parse/verify/lower/optimise/codegen/run times to stderr"),
                    cl::sub(runCmd()), cl::cat(RunCat));
cl::opt<bool> PrintResult("print-result",
                          cl::desc("Print the entry's return value (nothing for unit) and exit 0"),
                          cl::sub(runCmd()), cl::cat(RunCat));
cl::opt<bool> ListExterns("list-externs",
                          cl::desc("List each extern with its resolved library (or why it failed), then exit"),
                          cl::sub(runCmd()), cl::cat(RunCat));

/// Parses one command-line argument for a parameter of type Sig: an integer,
/// or for float parameters any number. A float (1e300, -2.5, inf, nan) given
/// to an integer parameter converts as a Cast from f64 does: toward zero,
/// saturating, NaN -> 0 (docs/SEMANTICS.md "Host values").
bool parseArg(StringRef S, Value &V) {
  int64_t I;
  if (to_integer(S, I, 0)) {
    V = Value::i64(I);
    return true;
  }
  uint64_t U;
  if (to_integer(S, U, 0)) {
    V = Value::u64(U);
    return true;
  }
  double D;
  if (to_float(S, D)) {
    V = Value::f64(D);
    return true;
  }
  return false;
}

/// Whether S looks like an option rather than a (possibly negative) number:
/// cl::ConsumeAfter hands everything after FILE to the entry.
bool looksLikeFlag(StringRef S) {
  return S.starts_with("--") ||
         (S.size() > 1 && S[0] == '-' && !isDigit(S[1]) && S[1] != '.');
}

/// The name errors about the file use ("-" is standard input).
std::string displayName(const std::string &Path) {
  return Path == "-" ? "<stdin>" : Path;
}

/// The cache line and one line per compiled function (llvm, and auto once
/// it compiled): lower/optimise/codegen ms, MIR and IR instruction counts,
/// and whether its code came from the cache. Optimise and codegen work no
/// one function owns (module passes, object emission) is the "(module)"
/// line: the totals above minus the functions' sum.
void printFunctionStats(const CompileStats &C) {
  if (C.CacheHits + C.CacheMisses)
    errs() << format("cache     %8.3f ms (%u hit%s, %u miss%s)\n", C.CacheMs,
                     C.CacheHits, C.CacheHits == 1 ? "" : "s", C.CacheMisses,
                     C.CacheMisses == 1 ? "" : "es");
  if (C.Functions.empty())
    return;
  size_t W = 8;
  for (const FunctionCompileStats &F : C.Functions)
    W = std::max(W, F.Name.size());
  W = std::min<size_t>(W, 40);
  errs() << left_justify("function", W)
         << "  lower ms    opt ms     cg ms     MIR      IR  code\n";
  double Lower = 0, Opt = 0, Cg = 0;
  for (const FunctionCompileStats &F : C.Functions) {
    errs() << left_justify(F.Name, W)
           << format(" %9.3f %9.3f %9.3f %7u %7u  %s\n", F.LowerMs, F.OptimizeMs, F.CodegenMs,
                     F.MirInstructions, F.IRInstructions,
                     F.FromCache ? "cached" : "compiled");
    Lower += F.LowerMs;
    Opt += F.OptimizeMs;
    Cg += F.CodegenMs;
  }
  errs() << left_justify("(module)", W)
         << format(" %9.3f %9.3f %9.3f\n",
                   std::max(0.0, C.LowerMs - Lower),
                   std::max(0.0, C.OptimizeMs - Opt),
                   std::max(0.0, C.CodegenMs - Cg));
}

/// auto: one line per function that ran or tiered up: its tier, interpreted
/// calls and back-edges, when it got hot and when its native code was
/// published (ms since the manager was created), its compile time and batch.
void printTierStats(const ExecManager &M) {
  std::vector<FunctionTier> Tiers = M.tiers();
  size_t W = 8;
  for (const FunctionTier &T : Tiers)
    W = std::max(W, T.Name.size());
  W = std::min<size_t>(W, 40);
  errs() << left_justify("function", W)
         << "  tier         calls  back-edges    hot ms  promoted ms  "
            "compile ms  batch  osr\n";
  auto Ms = [](double V) {
    return V < 0 ? std::string("-") : formatv("{0:F3}", V).str();
  };
  for (const FunctionTier &T : Tiers) {
    if (T.Calls + T.BackEdges == 0 && T.Tier == "interpreter")
      continue;
    errs() << left_justify(T.Name, W)
           << format("  %-11s %6llu %11llu %9s %12s %11s %6s %4llu\n",
                     T.Tier.c_str(), (unsigned long long)T.Calls,
                     (unsigned long long)T.BackEdges, Ms(T.HotMs).c_str(),
                     Ms(T.PromotedMs).c_str(),
                     T.Batch ? formatv("{0:F3}", T.CompileMs).str().c_str()
                             : "-",
                     T.Batch ? std::to_string(T.Batch).c_str() : "-",
                     (unsigned long long)T.OsrEntries);
    if (!T.Error.empty())
      errs() << "  (" << T.Error << ")\n";
  }
}

} // namespace

bool readFile(const std::string &Path, std::string &Out, std::string &Err) {
  auto B = MemoryBuffer::getFileOrSTDIN(Path, /*IsText=*/true);
  if (!B) {
    Err = "cannot read `" + Path + "`: " + B.getError().message();
    return false;
  }
  Out = (*B)->getBuffer().str();
  return true;
}

int runMain() {
  using Clock = std::chrono::steady_clock;
  const std::string Name = displayName(File);
  // Arguments first: a misplaced option is a usage error, whatever FILE holds.
  std::vector<Value> Vals;
  for (const std::string &A : Args) {
    Value V;
    if (parseArg(A, V)) {
      Vals.push_back(V);
      continue;
    }
    errs() << "error: argument `" << A << "` is not a number";
    if (looksLikeFlag(A))
      errs() << "; options go before FILE: spl-exec run [OPTIONS] FILE "
                "[ARGS...]";
    errs() << "\n";
    return ExitUsage;
  }

  std::string Source, Err;
  if (!readFile(File, Source, Err)) {
    errs() << "error: " << Err << "\n";
    return ExitLoadError;
  }

  Options O;
  if (!selectionOptions(O))
    return ExitUsage;
  if (ListExterns) {
    auto L = ExecManager::inspectExterns(Source, Name, O.HostSymbols);
    if (!L)
      return reportError(L.error(), Name);
    bool AllResolved = true;
    for (const ExternInfo &X : *L) {
      outs() << X.Name << "\t" << (X.Resolved ? "" : "unresolved: ") << X.Where
             << "\n";
      AllResolved &= X.Resolved;
    }
    return AllResolved ? 0 : ExitLoadError;
  }

  std::string Dump;
  if (Emit != EmitKind::None) {
    O.Backend = "llvm";
    auto Sink = [&Dump](std::string_view S) { Dump.append(S); };
    if (Emit == EmitKind::LLVM)
      O.OnIR = Sink;
    else
      O.OnAsm = Sink;
  }
  auto M = ExecManager::create(O);
  if (!M)
    return reportError(M.error());

  if (Status S = (*M)->compile(Source, Name); !S)
    return reportError(S.error(), Name);
  if (Emit != EmitKind::None) {
    outs() << Dump;
    return 0;
  }

  if (!(*M)->hasFunction(Entry)) {
    ExecError E;
    E.Message = "entry function `" + Entry + "` is not defined (choose one "
                "with --entry=NAME)";
    return reportError(E, Name);
  }

  auto T0 = Clock::now();
  auto R = (*M)->call(Entry, Vals);
  double RunMs =
      std::chrono::duration<double, std::milli>(Clock::now() - T0).count();
  std::fflush(stdout); // the program printed through C stdio

  if (Stats) {
    CompileStats C = (*M)->lastCompileStats();
    errs() << format("backend   %s\n", (*M)->backendName().c_str())
           << format("parse     %8.3f ms\n", C.ParseMs)
           << format("verify    %8.3f ms\n", C.VerifyMs)
           << format("lower     %8.3f ms\n", C.LowerMs)
           << format("optimise  %8.3f ms\n", C.OptimizeMs)
           << format("codegen   %8.3f ms\n", C.CodegenMs)
           << format("load      %8.3f ms (backend total)\n", C.LoadMs)
           << format("run       %8.3f ms\n", RunMs);
    printFunctionStats(C);
    if ((*M)->backendName() == "auto")
      printTierStats(**M);
  }
  if (!R) {
    if (R.error().K == ExecError::Kind::Exit)
      return R.error().ExitCode & 255;
    return reportError(R.error());
  }
  if (PrintResult) {
    if (std::optional<std::string> T = resultText(*R))
      outs() << *T << "\n";
    return 0;
  }
  if (R->isUnit())
    return 0;
  if (R->isFloat())
    return 0; // an exit status cannot carry a float
  return int(R->asU64() & 255);
}

} // namespace spl::tool
