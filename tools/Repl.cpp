//===- tools/Repl.cpp - spl-exec repl -------------------------------------===//
//
// An interactive session on one exec manager. MIR text typed at the prompt
// is collected until its braces balance (tools/Repl.h: comments and strings
// do not count), then compiled as a cell (cells add to and redefine what the
// manager holds, as compile() does). A line `name(arg, ...)` calls a
// function, each argument checked against its parameter's type, and prints
// the result with its type. Line editing, history and completion come from
// llvm::LineEditor, loaded when an interactive session starts
// (tools/LineReader.h); with a piped stdin there is no prompt and no history,
// output stays in input order, and the exit status says whether any input
// failed. Ctrl-C drops the line or the half-typed cell and never ends the
// session; Ctrl-D does.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"
#include "tools/LineReader.h"
#include "tools/Repl.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <unistd.h>

using namespace llvm;

namespace spl::tool {
namespace {
cl::list<std::string> Preload(cl::Positional, cl::desc("[files to load first]..."),
                              cl::sub(replCmd()));

const char *HelpText =
    "Type MIR text (a module, functions or externs); it is compiled when its\n"
    "braces balance. Other inputs:\n"
    "  name(1, 2.5)     call a function and print its result with its type\n"
    "                   (each argument must fit its parameter's type)\n"
    "  :load FILE       compile a .json or .mir file\n"
    "  :list            list the functions with their signatures\n"
    "  :backend [NAME]  show the backend, or switch to NAME keeping every\n"
    "                   definition (interpreter, llvm, auto)\n"
    "  :emit NAME       print the optimised LLVM IR of function NAME\n"
    "  :tiers           each function's tier (interpreter, native, ...),\n"
    "                   interpreted calls and loop back-edges\n"
    "  :opt N           set the JIT optimisation level (0..3)\n"
    "  :time on|off     print how long each call took\n"
    "  :help            this text\n"
    "  :quit            leave (also Ctrl-D)\n"
    "Ctrl-C stops a running call, or drops the line or the unfinished cell.\n";

// Set by the SIGINT handler; the loop reads and clears it.
volatile std::sig_atomic_t GotInterrupt = 0;
// The manager running a call right now, if any: Ctrl-C interrupts it
// (ExecManager::interrupt is async-signal-safe).
std::atomic<ExecManager *> Running{nullptr};

void onInterrupt(int) {
  GotInterrupt = 1;
  if (ExecManager *M = Running.load())
    M->interrupt();
}

/// SIGINT ends the current read (no SA_RESTART) instead of the process, for
/// as long as the session runs; the previous disposition comes back after.
class InterruptScope {
public:
  InterruptScope() {
    struct sigaction SA = {};
    SA.sa_handler = onInterrupt;
    sigemptyset(&SA.sa_mask);
    sigaction(SIGINT, &SA, &Old);
  }
  ~InterruptScope() { sigaction(SIGINT, &Old, nullptr); }

private:
  struct sigaction Old = {};
};

class Session {
public:
  Session(Options O, bool Interactive) : O(std::move(O)), Interactive(Interactive) {}

  bool start() {
    auto M = ExecManager::create(O);
    if (!M) {
      fail(M.error().Message);
      return false;
    }
    EM = std::move(*M);
    return true;
  }

  ExecManager &manager() { return *EM; }
  bool anyFailed() const { return Failed; }

  void compile(StringRef Text, StringRef Name) {
    if (Status S = EM->compile(Text.str(), Name.str()); !S)
      return fail(S.error().Message);
    Cells.push_back({Text.str(), Name.str()});
  }

  void load(StringRef File) {
    std::string Src, Err;
    if (!readFile(File.str(), Src, Err))
      return fail(Err);
    compile(Src, File);
  }

  /// A command line (starting with ':'). False: leave the session.
  bool command(StringRef L) {
    StringRef Cmd = L.split(' ').first, Arg = L.split(' ').second.trim();
    if (Cmd == ":quit" || Cmd == ":q")
      return false;
    if (Cmd == ":help")
      out(HelpText);
    else if (Cmd == ":list")
      for (const std::string &F : EM->functionNames())
        out(F + ": " + EM->signature(F) + "\n");
    else if (Cmd == ":backend")
      Arg.empty() ? out(EM->backendName() + "\n") : switchBackend(Arg);
    else if (Cmd == ":opt") {
      unsigned N;
      if (to_integer(Arg, N, 10) && N <= 3) {
        EM->setOptLevel(N);
        O.OptLevel = N;
      } else {
        fail(":opt takes 0..3");
      }
    } else if (Cmd == ":load")
      Arg.empty() ? fail(":load takes a file name") : load(Arg);
    else if (Cmd == ":emit")
      emit(Arg);
    else if (Cmd == ":tiers")
      tiers();
    else if (Cmd == ":time") {
      if (Arg == "on" || Arg == "off")
        Time = Arg == "on";
      else
        fail(":time takes on or off");
    } else
      fail(("unknown command `" + Cmd + "` (:help lists them)").str());
    return true;
  }

  void call(const CallLine &C) {
    std::string Sig = EM->signature(C.Name);
    std::optional<SignatureText> S = parseSignatureText(Sig);
    if (Sig.empty() || !S)
      return fail("no function `" + C.Name + "` (:list shows them)");
    if (S->Params.size() != C.Args.size())
      return fail(formatv("`{0}` takes {1} argument{2} ({3}), {4} given", C.Name,
                          S->Params.size(), S->Params.size() == 1 ? "" : "s",
                          Sig, C.Args.size())
                      .str());
    std::vector<Value> Args;
    for (size_t I = 0; I < C.Args.size(); ++I) {
      std::string Why;
      std::optional<Value> V = argumentValue(C.Args[I], S->Params[I], Why);
      if (!V)
        return fail(formatv("argument {0} of `{1}`: {2}", I + 1, C.Name, Why).str());
      Args.push_back(*V);
    }
    auto T0 = std::chrono::steady_clock::now();
    Running.store(EM.get());
    Result<Value> R = EM->call(C.Name, Args);
    Running.store(nullptr);
    GotInterrupt = 0; // a Ctrl-C during the call was for the call
    double Ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - T0)
                    .count();
    std::fflush(stdout); // the program's own output first
    if (!R)
      fail(R.error().Message);
    else if (std::optional<std::string> T = typedResult(*R, S->Ret))
      out(*T + "\n");
    if (Time)
      out(formatv("time: {0:f3} ms\n", Ms).str());
  }

  std::vector<std::string> functionNames() const { return EM->functionNames(); }

  /// `NAME: TIER, C calls, B back-edges[, K on-stack replacements]`, one
  /// line per function.
  void tiers() {
    for (const FunctionTier &T : EM->tiers()) {
      std::string Osr =
          T.OsrEntries ? formatv(", {0} on-stack replacement{1}", T.OsrEntries,
                                 T.OsrEntries == 1 ? "" : "s")
                             .str()
                       : "";
      out(formatv("{0}: {1}, {2} call{3}, {4} back-edge{5}{6}\n", T.Name,
                  T.Tier, T.Calls, T.Calls == 1 ? "" : "s", T.BackEdges,
                  T.BackEdges == 1 ? "" : "s", Osr)
              .str());
    }
  }

  void fail(StringRef Message) {
    Failed = true;
    std::fflush(stdout);
    outs().flush();
    // One write: stderr is unbuffered, and on a terminal a Ctrl-C's echo
    // must not land inside the message.
    errs() << ("error: " + Message + "\n").str();
  }

private:
  void out(StringRef Text) {
    std::fflush(stdout);
    outs() << Text;
    outs().flush();
  }

  /// A manager of backend Backend holding every cell compiled so far, in
  /// order, or nullptr (the error reported).
  std::unique_ptr<ExecManager> replay(Options With) {
    auto M = ExecManager::create(With);
    if (!M) {
      fail(M.error().Message);
      return nullptr;
    }
    for (const auto &[Text, Name] : Cells)
      if (Status S = (*M)->compile(Text, Name); !S) {
        fail(S.error().Message);
        return nullptr;
      }
    return std::move(*M);
  }

  void switchBackend(StringRef Name) {
    Options With = O;
    With.Backend = Name.str();
    if (std::unique_ptr<ExecManager> M = replay(With)) {
      EM = std::move(M);
      O = With;
      out("backend " + EM->backendName() + "\n");
    }
  }

  void emit(StringRef Fn) {
    if (Fn.empty() || !EM->hasFunction(Fn))
      return fail(("no function `" + Fn + "` (:list shows them)").str());
    std::string IR;
    Options With = O;
    With.Backend = "llvm";
    With.OnIR = [&IR](std::string_view S) { IR.append(S); };
    if (!replay(With))
      return;
    // Its definitions, from each `define` line to the closing `}`: the JIT
    // names a function of batch B `NAME.bB`, with its `.body` and `.entry`
    // (jit/: the checked entry, the body, the host wrapper).
    Regex Def("^define .*@\"?" + Regex::escape(Fn) + "(\\.b[0-9]+(\\.[a-z]+)?)?\"?\\(");
    StringRef Rest = IR;
    std::string Found;
    while (!Rest.empty()) {
      auto [Line, Next] = Rest.split('\n');
      if (Def.match(Line)) {
        size_t End = Rest.find("\n}\n");
        StringRef D = Rest.take_front(End == StringRef::npos ? Rest.size() : End + 3);
        Found += D.str() + "\n";
        Rest = Rest.drop_front(D.size());
        continue;
      }
      Rest = Next;
    }
    if (Found.empty())
      return fail(("the compiled module has no definition of `" + Fn + "`").str());
    out(Found);
  }

  Options O;
  bool Interactive;
  std::unique_ptr<ExecManager> EM;
  std::vector<std::pair<std::string, std::string>> Cells;
  bool Failed = false, Time = false;
};

/// Completions for the word before the cursor: commands after ':', else
/// function names.
std::vector<Completion> complete(Session &S, StringRef Buffer, size_t Pos) {
  StringRef Before = Buffer.take_front(Pos);
  // find_last_of gives npos with no separator: + 1 wraps to 0, the start.
  size_t Start = Before.find_last_of(" \t(,") + 1;
  StringRef Word = Before.drop_front(Start);
  std::vector<Completion> Out;
  auto Offer = [&](const std::string &Name) {
    if (StringRef(Name).starts_with(Word))
      Out.push_back({Name.substr(Word.size()), Name});
  };
  if (Start == 0 && Word.starts_with(":"))
    for (const std::string &C : replCommands())
      Offer(C);
  else if (!Before.starts_with(":") || Before.starts_with(":emit "))
    for (const std::string &F : S.functionNames())
      Offer(F);
  return Out;
}
} // namespace

int replMain() {
  Options O;
  if (!selectionOptions(O))
    return ExitUsage;
  bool Interactive = ::isatty(STDIN_FILENO);
  Session S(O, Interactive);
  if (!S.start())
    return ExitLoadError;
  for (const std::string &F : Preload)
    S.load(F);

  std::optional<InterruptScope> Interrupts;
  std::unique_ptr<LineReader> LE;
  if (Interactive) {
    Interrupts.emplace();
    SmallString<128> History;
    if (const char *Home = std::getenv("HOME"))
      sys::path::append(History, Home, ".spl_exec_history");
    std::string Why;
    LE = openLineReader(
        "spl-exec", std::string(History),
        [&S](std::string_view B, size_t P) {
          return complete(S, StringRef(B.data(), B.size()), P);
        },
        Why);
    if (!Why.empty())
      errs() << "warning: no line editing (" << Why << ")\n";
    outs() << "spl-exec repl (backend " << S.manager().backendName()
           << "). :help for help.\n";
  }

  CellReader Cell;
  auto ReadLine = [&]() -> std::optional<std::string> {
    if (!Interactive)
      return readPlainLine();
    LE->setPrompt(Cell.empty() ? "mir> " : "...> ");
    return LE->readLine();
  };

  bool Quit = false; // :quit drops an unfinished cell on purpose
  while (!Quit) {
    GotInterrupt = 0;
    std::optional<std::string> Line = ReadLine();
    // Only an interrupted read drops anything: libedit returns no line when
    // a signal ended its read, and the whole line once Enter was typed. A
    // Ctrl-C that lands after Enter (before the call the line starts) has
    // nothing to stop yet; it must not drop the line it followed.
    if (!Line && GotInterrupt) {
      // Ctrl-C at the prompt: the line (and a half-typed cell) is dropped.
      outs() << (Cell.empty() ? "^C\n" : "^C (cell dropped)\n");
      outs().flush();
      Cell.clear();
      continue;
    }
    if (!Line)
      break; // Ctrl-D or the end of piped input
    StringRef L = StringRef(*Line).trim();
    // A command line is never MIR text (no MIR line starts with ':'), so
    // :quit works inside an unfinished cell too.
    if (L.starts_with(":")) {
      Quit = !S.command(L);
      continue;
    }
    if (Cell.empty()) {
      if (L.empty())
        continue;
      if (std::optional<CallLine> C = splitCallLine(L)) {
        S.call(*C);
        continue;
      }
    }
    Cell.addLine(*Line);
    if (Cell.complete()) {
      S.compile(Cell.text(), "<repl>");
      Cell.clear();
    }
  }
  if (!Cell.empty() && !Quit)
    S.fail("the input ended inside an unfinished cell");
  if (Interactive)
    outs() << "\n";
  return !Interactive && S.anyFailed() ? ExitLoadError : 0;
}

} // namespace spl::tool
