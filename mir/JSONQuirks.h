//===- mir/JSONQuirks.h - The serializer's not-quite-JSON, made JSON -*- C++ -*-===//
//
// Private to mir/. The compiler's serializer writes float specials as the
// bare tokens NaN, inf and -inf, and leaves control characters unescaped
// inside strings (../shared/MIR.md "Constants"); llvm::json::parse rejects
// both. cleanJSON rewrites exactly those spots (the tokens become the strings
// "nan", "inf", "-inf", which the reader already accepts for float types;
// control bytes become \u00XX escapes) and remembers where, so a parse error
// in the rewritten text can still be reported at its place in the original.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_JSONQUIRKS_H
#define SPL_MIR_JSONQUIRKS_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace spl::mir {

class CleanJSON {
public:
  /// Scans Original; text() is Original itself when nothing needed fixing.
  explicit CleanJSON(llvm::StringRef Original);
  llvm::StringRef text() const {
    return Edits.empty() ? Original : llvm::StringRef(Rewritten);
  }
  bool changed() const { return !Edits.empty(); }
  /// llvm::json's message "[L:C, byte=N]: MSG" about text(), restated with
  /// the line, column and byte offset of the same spot in the original.
  std::string remapError(llvm::StringRef Message) const;

private:
  struct Edit {
    size_t OrigAt, OrigLen, NewAt, NewLen;
  };
  size_t originalOffset(size_t NewOffset) const;

  llvm::StringRef Original;
  std::string Rewritten;
  std::vector<Edit> Edits;
};

} // namespace spl::mir

#endif // SPL_MIR_JSONQUIRKS_H
