//===- mir/JSONQuirks.cpp - The serializer's not-quite-JSON, made JSON ----===//
#include "mir/JSONQuirks.h"
#include "mir/MIR.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

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

// The value of `\uXXXX` starting at At (the backslash), if that is there.
std::optional<unsigned> CleanJSON::hex4(size_t At) const {
  unsigned V;
  if (At + 6 > Original.size() || Original[At] != '\\' ||
      Original[At + 1] != 'u' ||
      !llvm::all_of(Original.substr(At + 2, 4), llvm::isHexDigit) ||
      Original.substr(At + 2, 4).getAsInteger(16, V))
    return std::nullopt;
  return V;
}

CleanJSON::CleanJSON(llvm::StringRef Text, bool Quirks) : Original(Text) {
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
  unsigned Depth = 0; // arrays and objects open at I (outside strings)
  for (size_t I = 0; I < Original.size(); ++I) {
    unsigned char C = Original[I];
    if (InString) {
      if (C == '\\') {
        // \uXXXX: llvm::json would quietly turn a lone UTF-16 surrogate into
        // U+FFFD; no character is spelled that way, so it is an error.
        if (std::optional<unsigned> V = hex4(I)) {
          if (*V >= 0xD800 && *V <= 0xDBFF) {
            std::optional<unsigned> Lo = hex4(I + 6);
            if (Lo && *Lo >= 0xDC00 && *Lo <= 0xDFFF) {
              // A pair is one character. LLVM 19 decodes pairs above
              // U+1FFFF wrongly (it ORs 0x10000 in instead of adding it:
              // \ud840\udc00 reads as U+10000, not U+20000), so every pair
              // is written here as its UTF-8 bytes, which JSON allows.
              uint32_t CP = 0x10000 + ((*V - 0xD800) << 10) + (*Lo - 0xDC00);
              char UTF8[4] = {
                  char(0xF0 | (CP >> 18)), char(0x80 | ((CP >> 12) & 0x3F)),
                  char(0x80 | ((CP >> 6) & 0x3F)), char(0x80 | (CP & 0x3F))};
              Replace(I, 12, llvm::StringRef(UTF8, 4));
              I += 11;
              continue;
            }
          }
          if (*V >= 0xD800 && *V <= 0xDFFF && !LoneSurrogateAt)
            LoneSurrogateAt = I;
          I += 5;
          continue;
        }
        ++I; // the escaped character, whatever it is
      } else if (C == '"') {
        InString = false;
      } else if (C < 0x20 && Quirks) {
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
    if (C == '[' || C == '{') {
      if (++Depth > MaxJSONNesting) {
        TooDeepAt = I;
        break; // an error either way: no need to look further
      }
      continue;
    }
    if (C == ']' || C == '}') {
      if (Depth) // unbalanced: llvm::json reports it
        --Depth;
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
    if (const char *With = specialFor(Original.slice(I, E)); With && Quirks)
      Replace(I, E - I, With);
    I = E - 1;
  }
  if (!Edits.empty())
    Rewritten.append(Original.data() + Copied, Original.size() - Copied);
}

std::string CleanJSON::positionOf(size_t Orig) const {
  Orig = std::min(Orig, Original.size());
  size_t LineStart = 0;
  unsigned Line = 1;
  for (size_t I = 0; I < Orig; ++I)
    if (Original[I] == '\n') {
      ++Line;
      LineStart = I + 1;
    }
  return llvm::formatv("[{0}:{1}, byte={2}]", Line, Orig - LineStart, Orig)
      .str();
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
  return positionOf(originalOffset(Offset)) + ": " +
         Rest.substr(Close + 3).str();
}

} // namespace spl::mir
