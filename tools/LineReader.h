//===- tools/LineReader.h - The REPL's line editor, loaded on use -*- C++ -*-===//
//
// An interactive REPL edits lines with llvm::LineEditor (libedit: history,
// completion). It lives in libspl_exec_lineedit.so (tools/lineedit/), next to
// libspl_exec.so, loaded when an interactive REPL starts: every other run of
// the command starts without libedit and the four libraries it needs. Only
// standard types cross (the module has its own LLVM Support).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TOOLS_LINEREADER_H
#define SPL_TOOLS_LINEREADER_H

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spl::tool {

/// As llvm::LineEditor::Completion: what to insert, what to list.
struct Completion {
  std::string TypedText, DisplayText;
};
/// The completions for the word before Pos in Buffer.
using Completer =
    std::function<std::vector<Completion>(std::string_view Buffer, size_t Pos)>;

class LineReader {
public:
  virtual ~LineReader() = default;
  virtual void setPrompt(const std::string &Prompt) = 0;
  /// The next line, or nothing at the end of input (Ctrl-D).
  virtual std::optional<std::string> readLine() = 0;
};

/// The next line of stdin without its newline, or nothing at the end of
/// input: std::getline's result, through stdio (the command includes no
/// <iostream>, whose streams and locales every start would build).
std::optional<std::string> readPlainLine();

/// A line editor keeping its history in HistoryFile. When the module cannot
/// be loaded, a reader of plain lines (prompt, no editing), and Why says why.
std::unique_ptr<LineReader> openLineReader(const std::string &ProgName,
                                           const std::string &HistoryFile,
                                           Completer Complete,
                                           std::string &Why);

/// The entry point of libspl_exec_lineedit.so.
#define SPL_LINE_EDITOR_ENTRY "spl_exec_line_editor"
using LineEditorEntry = LineReader *(*)(const char *ProgName,
                                        const char *HistoryFile,
                                        Completer *Complete);

} // namespace spl::tool

#endif // SPL_TOOLS_LINEREADER_H
