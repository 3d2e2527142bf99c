//===- mir/JSONQuirks.h - The serializer's not-quite-JSON, made JSON -*- C++ -*-===//
//
// Private to mir/. The compiler's serializer writes float specials as the
// bare tokens NaN, inf and -inf, and leaves control characters unescaped
// inside strings (../shared/MIR.md "Constants"); llvm::json::parse rejects
// both. cleanJSON rewrites exactly those spots (the tokens become the strings
// "nan", "inf", "-inf", which the reader already accepts for float types;
// control bytes become \u00XX escapes) and remembers where, so a parse error
// in the rewritten text can still be reported at its place in the original.
// The same pass measures how deeply arrays and objects nest: llvm::json::parse
// recurses once per level, so text nested beyond MaxJSONNesting must never
// reach it (the native stack would overflow first).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_JSONQUIRKS_H
#define SPL_MIR_JSONQUIRKS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace spl::mir {

class CleanJSON {
public:
  /// Scans Original; text() is Original itself when nothing needed fixing.
  /// Surrogate-pair escapes are always rewritten (as UTF-8: llvm::json
  /// decodes pairs above U+1FFFF wrongly); with Quirks false the
  /// serializer's tokens and raw control characters are left alone (for
  /// JSON that must be plain JSON, such as a payload in the text form).
  explicit CleanJSON(llvm::StringRef Original, bool Quirks = true);
  /// The offset in the original of the first `[` or `{` that opens level
  /// MaxJSONNesting + 1 (outside strings), if any. When set, the rest of the
  /// input was not scanned: text() must not be parsed.
  std::optional<size_t> tooDeepAt() const { return TooDeepAt; }
  /// The offset of the first `\uXXXX` escape in a string that is half of a
  /// UTF-16 surrogate pair without its other half, if any.
  std::optional<size_t> loneSurrogateAt() const { return LoneSurrogateAt; }
  llvm::StringRef text() const {
    return Edits.empty() ? Original : llvm::StringRef(Rewritten);
  }
  bool changed() const { return !Edits.empty(); }
  /// llvm::json's message "[L:C, byte=N]: MSG" about text(), restated with
  /// the line, column and byte offset of the same spot in the original.
  std::string remapError(llvm::StringRef Message) const;
  /// "[L:C, byte=N]" for an offset in the original, counted as llvm::json
  /// counts (lines from 1, columns from 0).
  std::string positionOf(size_t Offset) const;

private:
  struct Edit {
    size_t OrigAt, OrigLen, NewAt, NewLen;
  };
  size_t originalOffset(size_t NewOffset) const;
  std::optional<unsigned> hex4(size_t At) const;

  llvm::StringRef Original;
  std::string Rewritten;
  std::vector<Edit> Edits;
  std::optional<size_t> TooDeepAt, LoneSurrogateAt;
};

} // namespace spl::mir

#endif // SPL_MIR_JSONQUIRKS_H
