//===- tools/Repl.cpp - spl-exec repl -------------------------------------===//
//
// An interactive session on one exec manager. MIR text typed at the prompt
// is collected until its braces balance, then compiled as a cell (cells add
// to and redefine what the manager holds, as compile() does). A line of the
// form `name(arg, ...)` calls a function and prints its result. Line editing
// and history come from llvm::LineEditor.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/LineEditor/LineEditor.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <optional>

using namespace llvm;

namespace spl::tool {
namespace {
cl::list<std::string> Preload(cl::Positional, cl::desc("[files to load first]..."),
                              cl::sub(replCmd()));

const char *HelpText =
    "Type MIR text (a module, functions or externs); it is compiled when its\n"
    "braces balance. Other inputs:\n"
    "  name(1, 2)     call a function with numbers and print the result\n"
    "  :load FILE     compile a .json or .mir file\n"
    "  :list          list the functions with their signatures\n"
    "  :backend       show the backend\n"
    "  :opt N         set the JIT optimisation level (0..3)\n"
    "  :help          this text\n"
    "  :quit          leave (also Ctrl-D)\n";

void printResult(raw_ostream &OS, const Value &V) {
  switch (V.type()) {
  case ValueType::F32:
  case ValueType::F64: OS << format("%.17g", V.asF64()); break;
  case ValueType::U8: case ValueType::U16: case ValueType::U32:
  case ValueType::U64: case ValueType::Char: OS << V.asU64(); break;
  case ValueType::Bool: OS << (V.asBool() ? "true" : "false"); break;
  case ValueType::Ptr: OS << format_hex(V.asU64(), 18); break;
  case ValueType::Unit: OS << "()"; break;
  default: OS << V.asI64(); break;
  }
  OS << "\n";
}

/// "fib(10, 2.5)" -> name and arguments; nullopt if Line is not a call.
std::optional<std::pair<std::string, std::vector<Value>>>
parseCall(StringRef Line) {
  Line = Line.trim();
  size_t Open = Line.find('(');
  if (Open == StringRef::npos || !Line.ends_with(")") || Open == 0)
    return std::nullopt;
  StringRef Name = Line.take_front(Open).trim();
  if (Name.find_first_of(" {}:=") != StringRef::npos)
    return std::nullopt;
  StringRef Inner = Line.drop_front(Open + 1).drop_back().trim();
  std::vector<Value> Args;
  SmallVector<StringRef, 8> Parts;
  if (!Inner.empty())
    Inner.split(Parts, ',');
  for (StringRef P : Parts) {
    P = P.trim();
    int64_t I;
    double D;
    if (to_integer(P, I, 0))
      Args.push_back(Value::i64(I));
    else if (to_float(P, D))
      Args.push_back(Value::f64(D));
    else
      return std::nullopt;
  }
  return std::make_pair(Name.str(), std::move(Args));
}

int braceDepth(StringRef S) {
  int D = 0;
  bool InString = false;
  for (size_t I = 0; I < S.size(); ++I) {
    char C = S[I];
    if (InString) {
      if (C == '\\')
        ++I;
      else if (C == '"')
        InString = false;
    } else if (C == '"') {
      InString = true;
    } else if (C == '{') {
      ++D;
    } else if (C == '}') {
      --D;
    }
  }
  return D;
}
} // namespace

int replMain() {
  Options O;
  if (!selectionOptions(O))
    return ExitUsage;
  auto M = ExecManager::create(O);
  if (!M)
    return reportError(M.error());
  ExecManager &EM = **M;

  auto Compile = [&](StringRef Text, StringRef Name) {
    if (Status S = EM.compile(Text.str(), Name.str()); !S)
      errs() << "error: " << S.error().Message << "\n";
  };
  for (const std::string &F : Preload) {
    std::string Src, Err;
    if (!readFile(F, Src, Err))
      errs() << "error: " << Err << "\n";
    else
      Compile(Src, F);
  }

  SmallString<128> History;
  if (const char *Home = std::getenv("HOME"))
    sys::path::append(History, Home, ".spl_exec_history");
  LineEditor LE("spl-exec", History);
  LE.setPrompt("mir> ");
  outs() << "spl-exec repl (backend " << EM.backendName()
         << "). :help for help.\n";

  std::string Cell;
  while (std::optional<std::string> Line = LE.readLine()) {
    StringRef L = StringRef(*Line).trim();
    if (Cell.empty()) {
      if (L.empty())
        continue;
      if (L == ":quit" || L == ":q")
        break;
      if (L == ":help") {
        outs() << HelpText;
        continue;
      }
      if (L == ":backend") {
        outs() << EM.backendName() << "\n";
        continue;
      }
      if (L == ":list") {
        for (const std::string &F : EM.functionNames())
          outs() << F << ": " << EM.signature(F) << "\n";
        continue;
      }
      if (L.consume_front(":opt ")) {
        unsigned N;
        if (to_integer(L.trim(), N, 10) && N <= 3)
          EM.setOptLevel(N);
        else
          errs() << "error: :opt takes 0..3\n";
        continue;
      }
      if (L.consume_front(":load ")) {
        std::string Src, Err;
        if (!readFile(L.trim().str(), Src, Err))
          errs() << "error: " << Err << "\n";
        else
          Compile(Src, L.trim());
        continue;
      }
      if (L.starts_with(":")) {
        errs() << "error: unknown command `" << L << "` (:help lists them)\n";
        continue;
      }
      if (auto C = parseCall(L)) {
        auto R = EM.call(C->first, C->second);
        std::fflush(stdout);
        if (R)
          printResult(outs(), *R);
        else
          errs() << "error: " << R.error().Message << "\n";
        continue;
      }
    }
    Cell += *Line;
    Cell += "\n";
    if (braceDepth(Cell) <= 0) {
      LE.setPrompt("mir> ");
      Compile(Cell, "<repl>");
      Cell.clear();
    } else {
      LE.setPrompt("...> ");
    }
  }
  return 0;
}

} // namespace spl::tool
