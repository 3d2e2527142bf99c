//===- tools/lineedit/LineEditModule.cpp - libspl_exec_lineedit.so --------===//
//
// llvm::LineEditor behind tools/LineReader.h's interface: the one thing in
// the command that needs libedit, loaded only by an interactive REPL.
//
//===----------------------------------------------------------------------===//
#include "tools/LineReader.h"

#include "llvm/LineEditor/LineEditor.h"

using namespace llvm;

namespace {
class EditingReader final : public spl::tool::LineReader {
public:
  EditingReader(const char *ProgName, const char *HistoryFile,
                spl::tool::Completer Complete)
      : LE(ProgName, HistoryFile) {
    LE.setListCompleter([C = std::move(Complete)](StringRef B, size_t Pos) {
      std::vector<LineEditor::Completion> Out;
      for (spl::tool::Completion &X : C(std::string_view(B.data(), B.size()), Pos))
        Out.emplace_back(std::move(X.TypedText), std::move(X.DisplayText));
      return Out;
    });
  }
  void setPrompt(const std::string &P) override { LE.setPrompt(P); }
  std::optional<std::string> readLine() override { return LE.readLine(); }

private:
  LineEditor LE;
};
} // namespace

extern "C" __attribute__((visibility("default"))) spl::tool::LineReader *
spl_exec_line_editor(const char *ProgName, const char *HistoryFile,
                     spl::tool::Completer *Complete) {
  return new EditingReader(ProgName, HistoryFile, std::move(*Complete));
}
