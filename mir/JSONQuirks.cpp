//===- mir/JSONQuirks.cpp - The serializer's not-quite-JSON, made JSON ----===//
#include "mir/JSONQuirks.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cstdio>

namespace spl::mir {

// The float-special tokens a serializer may write where a number belongs,
// and the string the reader understands for each.
static const char *specialFor(llvm::StringRef Word) {
  if (Word == "NaN" || Word == "nan" || Word == "-NaN" || Word == "-nan")
    return "\"nan\"";
  if (Word == "inf" || Word == "Infinity" || Word == "+inf")
    return "\"inf\"";
  if (Word == "-inf" || Word == "-Infinity")
    return "\"-inf\"";
  return nullptr;
}

CleanJSON::CleanJSON(llvm::StringRef Text) : Original(Text) {
  // Only rewrite when needed: well-formed JSON is parsed in place.
  size_t Copied = 0; // Original[0, Copied) is already in Rewritten
  auto Replace = [&](size_t At, size_t Len, llvm::StringRef With) {
    if (Edits.empty())
      Rewritten.reserve(Original.size() + 64);
    Rewritten.append(Original.data() + Copied, At - Copied);
    Edits.push_back({At, Len, Rewritten.size(), With.size()});
    Rewritten.append(With.data(), With.size());
    Copied = At + Len;
  };
  bool InString = false;
  for (size_t I = 0; I < Original.size(); ++I) {
    unsigned char C = Original[I];
    if (InString) {
      if (C == '\\') {
        ++I; // the escaped character, whatever it is
      } else if (C == '"') {
        InString = false;
      } else if (C < 0x20) {
        char Esc[8];
        std::snprintf(Esc, sizeof(Esc), "\\u%04x", unsigned(C));
        Replace(I, 1, Esc);
      }
      continue;
    }
    if (C == '"') {
      InString = true;
      continue;
    }
    // A word outside strings: true/false/null, or one of the specials.
    bool Signed = (C == '-' || C == '+') && I + 1 < Original.size() &&
                  llvm::isAlpha(Original[I + 1]);
    if (!llvm::isAlpha(C) && !Signed)
      continue;
    if (I > 0 && (llvm::isAlnum(Original[I - 1]) || Original[I - 1] == '.'))
      continue; // inside a number such as 1e5: not a word
    size_t E = I + 1;
    while (E < Original.size() && llvm::isAlnum(Original[E]))
      ++E;
    if (const char *With = specialFor(Original.slice(I, E)))
      Replace(I, E - I, With);
    I = E - 1;
  }
  if (!Edits.empty())
    Rewritten.append(Original.data() + Copied, Original.size() - Copied);
}

size_t CleanJSON::originalOffset(size_t NewOffset) const {
  long Shift = 0;
  for (const Edit &E : Edits) {
    if (NewOffset < E.NewAt)
      break;
    if (NewOffset < E.NewAt + E.NewLen)
      return E.OrigAt; // inside a rewritten spot: its start
    Shift += long(E.NewLen) - long(E.OrigLen);
  }
  return size_t(long(NewOffset) - Shift);
}

std::string CleanJSON::remapError(llvm::StringRef Message) const {
  if (Edits.empty())
    return Message.str();
  // "[L:C, byte=N]: MSG" (llvm::json::ParseError::log).
  llvm::StringRef Rest = Message;
  size_t ByteAt = Rest.find(", byte=");
  size_t Close = Rest.find("]: ");
  size_t Offset;
  if (!Rest.starts_with("[") || ByteAt == llvm::StringRef::npos ||
      Close == llvm::StringRef::npos || Close < ByteAt ||
      Rest.slice(ByteAt + 7, Close).getAsInteger(10, Offset))
    return Message.str();
  size_t Orig = std::min(originalOffset(Offset), Original.size());
  // Line and column as llvm::json counts them: lines from 1, columns from 0.
  size_t LineStart = 0;
  unsigned Line = 1;
  for (size_t I = 0; I < Orig; ++I)
    if (Original[I] == '\n') {
      ++Line;
      LineStart = I + 1;
    }
  return "[" + std::to_string(Line) + ":" + std::to_string(Orig - LineStart) +
         ", byte=" + std::to_string(Orig) + "]: " +
         Rest.substr(Close + 3).str();
}

} // namespace spl::mir
