//===- tools/Repl.h - The REPL's input rules, testable apart ----*- C++ -*-===//
//
// What `spl-exec repl` decides about its input without a terminal or an exec
// manager: when a cell of MIR text is complete (braces counted the way the
// text lexer reads, so a `{` in a comment or a string does not count), how a
// call line's arguments fit the function's parameter types (an argument that
// does not fit is an error, never a silent conversion), and how a result is
// shown with its type. The loop itself is in Repl.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TOOLS_REPL_H
#define SPL_TOOLS_REPL_H

#include "spl/Value.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace spl::tool {

/// Collects the lines of one cell. Comments run from `//`, or from `;`
/// outside `[...]`, to the end of the line (docs/MIR-TEXT.md); strings are
/// "..." with backslash escapes, chars '...'. Only braces outside those count.
class CellReader {
public:
  void addLine(llvm::StringRef Line);
  /// Something was typed and every `{` has its `}` (or there are more `}`:
  /// the parser then says what is wrong).
  bool complete() const { return !Text.empty() && Depth <= 0 && !InString; }
  bool empty() const { return Text.empty(); }
  const std::string &text() const { return Text; }
  void clear() { *this = CellReader(); }

private:
  std::string Text;
  int Depth = 0, Brackets = 0;
  bool InString = false; // a string literal left open at a line's end
  bool HasCode = false;  // a line with something besides blanks/comments
};

/// A parsed signature string as ExecManager::signature writes it:
/// "fn(i64, f64) -> i64" (no arrow: unit).
struct SignatureText {
  std::vector<std::string> Params;
  std::string Ret = "unit";
};
std::optional<SignatureText> parseSignatureText(llvm::StringRef Sig);

/// A line `name(arg, ...)`: its name and argument texts; nullopt when the
/// line does not have that shape (it is then MIR text).
struct CallLine {
  std::string Name;
  std::vector<std::string> Args;
};
std::optional<CallLine> splitCallLine(llvm::StringRef Line);

/// Arg as a value of the parameter type Ty (a scalar type's text name), or
/// the reason it does not fit: "argument 2 of `div`: 2.5 is not an i64".
/// Integers must be in range; a float parameter takes a float or an
/// integer literal that it holds exactly; bool takes true/false; char a
/// 'c' literal or a code point.
std::optional<Value> argumentValue(llvm::StringRef Arg, llvm::StringRef Ty,
                                   std::string &Error);

/// "4.0 : f64", "true : bool"; nullopt for a unit result (nothing shown).
std::optional<std::string> typedResult(const Value &V, llvm::StringRef Ty);

/// ":backend" etc. The command names the completer offers.
const std::vector<std::string> &replCommands();

} // namespace spl::tool

#endif // SPL_TOOLS_REPL_H
