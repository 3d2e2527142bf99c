//===- mir/TextLexer.h - Tokens of the .mir text form -----------*- C++ -*-===//
//
// Private to mir/. A hand-written lexer for docs/MIR-TEXT.md: it knows the
// shapes of tokens (_3 is a local, bb2 a block, @f a global, #4 a symbol),
// not the grammar. Comments run from `;` or `//` to the end of the line,
// except that inside [...] `;` is the array-size separator.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_TEXTLEXER_H
#define SPL_MIR_TEXTLEXER_H

#include "mir/MIR.h"

#include <string>
#include <vector>

namespace spl::mir {

struct Token {
  enum Kind : uint8_t {
    Eof,
    Error,  // Text holds the message
    Ident,  // a name or keyword: fn, let, i64, entry, ...
    Local,  // _N            (N)
    BlockT, // bbN           (N)
    Global, // @name, @"..." (Text = name)
    Hash,   // #N, #-N       (N: two's complement)
    HashDot, // #N.M         (N as Hash; M in Sub): an enum variant
    Int,    // 42, -7, 0x1f  (N: two's complement; Negative, Hex)
    Float,  // 2.0, -1e-05   (F)
    String, // "..."         (Text = the bytes, escapes resolved)
    LParen, RParen, LBracket, RBracket, LBrace, RBrace,
    Comma, Colon, Semi, Equal, Arrow, Star, Amp, Minus, Ellipsis,
    Less, Greater, // < > of the (v2) handle types: dict<K, V>
  };
  Kind K = Eof;
  SourceLoc Loc;
  size_t Offset = 0; // of the first character
  std::string Text;  // Ident, Global, String; the error message
  uint64_t N = 0;    // Local, BlockT, Hash, HashDot, Int
  uint64_t Sub = 0;  // HashDot: the number after the dot
  unsigned DepthBefore = 0; // the lexer's [...] depth before this token
  bool Negative = false, Hex = false;
  double F = 0;
};

class Lexer {
public:
  explicit Lexer(llvm::StringRef Buffer);
  Token next();
  /// Where the next token would start (after blanks and comments).
  SourceLoc peekLoc();
  size_t offset() const { return Pos; }
  /// Scans one JSON value starting at the cursor (after blanks), for
  /// debug_value payloads; returns its text and moves past it, or an empty
  /// StringRef if no value could be delimited.
  llvm::StringRef scanJSONValue();
  SourceLoc locOf(size_t Offset) const;
  /// An upper bound on the instructions of a block whose body starts on
  /// the line holding Offset: its lines up to the next block label (bbN) or
  /// `}`, blank and comment-only lines left out. The parser reserves that
  /// many, so a block of a million instructions is one allocation, not a
  /// doubling series whose last step briefly holds 1.5 times the block.
  size_t blockLinesFrom(size_t Offset) const;
  /// Moves the cursor back to where T started, as if T had not been lexed
  /// (for a JSON payload that follows a token the parser already looked at).
  void resetTo(const Token &T) {
    Pos = T.Offset;
    BracketDepth = T.DepthBefore;
  }

private:
  void skipBlanks();
  Token make(Token::Kind K, size_t Start);
  Token error(size_t At, const llvm::Twine &Msg);
  Token lexNumber(size_t Start);
  Token lexString(size_t Start);

  llvm::StringRef Buf;
  size_t Pos = 0;
  unsigned BracketDepth = 0;
  unsigned DepthAtStart = 0; // BracketDepth before the token being lexed
  /// Where locOf last answered: the line holding it (from 1), where that
  /// line starts and where it ends (its newline, or the end of the input).
  struct Cursor {
    uint32_t Line = 1;
    size_t LineStart = 0, NextNewline = 0;
  };
  Cursor firstLine() const;
  mutable Cursor At;
};

/// How a token is shown in messages: `foo`, end of input, ...
std::string describe(const Token &T);

} // namespace spl::mir

#endif // SPL_MIR_TEXTLEXER_H
