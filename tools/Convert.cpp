//===- tools/Convert.cpp - spl-exec convert -------------------------------===//
//
//   spl-exec convert IN [-o OUT] [--to=json|text]
//
// Reads MIR in either form and writes the other (or the one --to names, or
// the one OUT's extension names: .json / .mir). The module is verified
// first, so a conversion never produces a file that would not load.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"
#include "mir/MIR.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace spl::tool {
namespace {
cl::OptionCategory ConvertCat("Convert options");
cl::opt<std::string> In(cl::Positional, cl::desc("<input.json|input.mir>"),
                        cl::Required, cl::sub(convertCmd()), cl::cat(ConvertCat));
cl::opt<std::string> Out("o", cl::desc("Output file (default: stdout)"),
                         cl::value_desc("file"), cl::init("-"),
                         cl::sub(convertCmd()), cl::cat(ConvertCat));
enum class Format { Auto, JSON, Text };
cl::opt<Format> To("to", cl::desc("Output form (default: from -o's extension, else the other form)"),
                   cl::values(clEnumValN(Format::JSON, "json", "the compiler's JSON"),
                              clEnumValN(Format::Text, "text", "the .mir text form")),
                   cl::init(Format::Auto), cl::sub(convertCmd()), cl::cat(ConvertCat));
cl::opt<bool> NoVerify("no-verify", cl::desc("Convert without verifying"),
                       cl::sub(convertCmd()), cl::cat(ConvertCat));
} // namespace

int convertMain() {
  std::string Source, Err;
  if (!readFile(In, Source, Err)) {
    errs() << "error: " << Err << "\n";
    return ExitLoadError;
  }
  const std::string Name = In == "-" ? std::string("<stdin>") : In;
  auto FileError = [&](llvm::Error Err) {
    ExecError E; // a load error: about the file, so named after it
    E.Message = toString(std::move(Err));
    return reportError(E, Name);
  };
  auto M = mir::readModule(Source, Name);
  if (!M)
    return FileError(M.takeError());
  if (!NoVerify)
    if (llvm::Error E = mir::verify(*M))
      return FileError(std::move(E));

  Format F = To;
  if (F == Format::Auto) {
    StringRef O(Out);
    if (O.ends_with(".json"))
      F = Format::JSON;
    else if (O.ends_with(".mir"))
      F = Format::Text;
    else
      F = mir::looksLikeJSON(Source) ? Format::Text : Format::JSON;
  }
  std::string Text = F == Format::JSON ? mir::writeJSON(*M) : mir::printText(*M);

  std::error_code EC;
  ToolOutputFile OF(Out, EC, sys::fs::OF_Text);
  if (EC) {
    errs() << "error: cannot write `" << Out << "`: " << EC.message() << "\n";
    return ExitLoadError;
  }
  OF.os() << Text;
  if (!Text.empty() && Text.back() != '\n')
    OF.os() << "\n";
  OF.keep();
  return 0;
}

} // namespace spl::tool
