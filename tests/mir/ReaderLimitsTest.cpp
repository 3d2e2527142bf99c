//===- tests/mir/ReaderLimitsTest.cpp - Hostile input the readers refuse --===//
//
// docs/MIR-TEXT.md "Limits" and "Lexical rules": nesting deeper than the
// documented limits is a load error at its place (never a native stack
// overflow), strings are UTF-8 in both forms (so every string converts
// without loss), and id lookups never scan.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <string>

using namespace spl::mir;
using spl::mir::test::errorText;

namespace {

std::string repeat(llvm::StringRef S, size_t N) {
  std::string Out;
  Out.reserve(S.size() * N);
  for (size_t I = 0; I < N; ++I)
    Out += S;
  return Out;
}

std::string textError(llvm::StringRef Text) {
  llvm::Expected<Module> M = parseText(Text, "t.mir");
  return errorText(M);
}

std::string jsonError(llvm::StringRef Text) {
  llvm::Expected<Module> M = readJSON(Text);
  return errorText(M);
}

constexpr size_t Deep = 100000;

//===----------------------------------------------------------------------===//
// Nesting
//===----------------------------------------------------------------------===//

TEST(MirReaderLimits, TheLimitsAreTheDocumentedOnes) {
  EXPECT_EQ(MaxTypeNesting, 256u);
  EXPECT_EQ(MaxJSONNesting, 1024u);
}

TEST(MirReaderLimits, JSONArraysNestedTooDeeplyAreALoadError) {
  // `{"a":` is bytes 0..4; the arrays start at byte 5, so the one that opens
  // level 1025 (the object is level 1) is at byte 5 + 1023.
  std::string J = "{\"a\":" + repeat("[", Deep) + repeat("]", Deep) + "}";
  EXPECT_EQ(jsonError(J), "JSON nested too deeply: [1:1028, byte=1028]: more "
                          "than 1024 levels of arrays and objects");
  EXPECT_EQ(test::loadError(J),
            "JSON nested too deeply: [1:1028, byte=1028]: more than 1024 "
            "levels of arrays and objects");
}

TEST(MirReaderLimits, JSONObjectsNestedTooDeeplyAreALoadError) {
  // Line 2 starts after "{\n"; each level is `{"k":` (5 bytes), so the 1025th
  // `{` (the outer one is the first) is at column 5 * 1023 of line 2.
  std::string J =
      "{\n" + repeat("{\"k\":", Deep) + "1" + repeat("}", Deep) + "}";
  EXPECT_EQ(jsonError(J), "JSON nested too deeply: [2:5115, byte=5117]: more "
                          "than 1024 levels of arrays and objects");
}

TEST(MirReaderLimits, BracketsInsideJSONStringsDoNotCount) {
  std::string J =
      "{\"name\": \"" + repeat("[{", Deep) + "\", \"functions\": []}";
  llvm::Expected<Module> M = readJSON(J);
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, repeat("[{", Deep));
}

TEST(MirReaderLimits, JSONAtTheLimitStillLoads) {
  // The module object is level 1: 1023 arrays more make exactly 1024.
  std::string J = "{\"x\": " + repeat("[", 1023) + repeat("]", 1023) +
                  ", \"functions\": []}";
  llvm::Expected<Module> M = readJSON(J);
  EXPECT_TRUE(bool(M)) << errorText(M);
}

TEST(MirReaderLimits, TypesNestedTooDeeplyInText) {
  // `fn @f(` is columns 1..6: the type that would be level 257 starts at
  // column 6 + 257.
  const char *Want = "t.mir:1:263: type nested more than 256 levels deep";
  for (llvm::StringRef Open : {"*", "*mut ", "&", "["}) {
    SCOPED_TRACE(Open.str());
    std::string Close = Open == "[" ? repeat("; 1]", Deep) : "";
    std::string T = "fn @f(" + repeat(Open, Deep) + "i64" + Close +
                    ") {\nbb0:\n  return\n}\n";
    std::string Err = textError(T);
    // A multi-character opener puts level 257 further right.
    if (Open.size() == 1)
      EXPECT_EQ(Err, Want);
    else
      EXPECT_EQ(Err, "t.mir:1:" + std::to_string(6 + 256 * Open.size() + 1) +
                         ": type nested more than 256 levels deep");
  }
  for (llvm::StringRef Open : {"(", "fn(", "slice<"}) {
    SCOPED_TRACE(Open.str());
    std::string T = "fn @f(" + repeat(Open, Deep) + "i64";
    EXPECT_EQ(textError(T),
              "t.mir:1:" + std::to_string(6 + 256 * Open.size() + 1) +
                  ": type nested more than 256 levels deep");
  }
  // In `dict<i64, dict<i64, ...`, level 257 is the key of the 256th dict:
  // `i64` 5 columns after where that dict starts.
  std::string Dicts = "fn @f(" + repeat("dict<i64, ", Deep) + "i64";
  EXPECT_EQ(textError(Dicts),
            "t.mir:1:" + std::to_string(6 + 255 * 10 + 5 + 1) +
                ": type nested more than 256 levels deep");
}

TEST(MirReaderLimits, TypesNestedTooDeeplyInJSON) {
  // Within the JSON limit (2 levels per Ptr), past the type limit.
  std::string T =
      repeat("{\"Ptr\": {\"pointee\": ", 300) + "\"I64\"" + repeat("}}", 300);
  std::string J = "{\"functions\": [{\"name\": \"f\", \"signature\": "
                  "{\"params\": [" +
                  T + "]}, \"locals\": [], \"blocks\": []}]}";
  EXPECT_EQ(jsonError(J),
            "function `f`, signature: type nested more than 256 levels deep");
}

TEST(MirReaderLimits, TypesAtTheLimitLoadInBothForms) {
  // 256 levels: 255 pointers around i64.
  std::string TextTy = repeat("*", 255) + "i64";
  std::string T = "fn @f(" + TextTy + ") {\n  let _1: " + TextTy +
                  " arg 0\nbb0:\n  return\n}\n";
  llvm::Expected<Module> M = parseText(T, "t.mir");
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(errorText(verify(*M)), "");
  llvm::Expected<Module> Back = readJSON(writeJSON(*M));
  ASSERT_TRUE(bool(Back)) << errorText(Back);
  EXPECT_TRUE(*Back == *M);
}

TEST(MirReaderLimits, DebugValueJSONNestedTooDeeplyInText) {
  // "  debug_value " is 14 columns: the 1025th `[` is at column 14 + 1025.
  std::string T = "fn @f() {\nbb0:\n  debug_value " + repeat("[", Deep) +
                  repeat("]", Deep) + "\n  return\n}\n";
  EXPECT_EQ(textError(T), "t.mir:3:1039: the JSON of `debug_value` nests more "
                          "than 1024 levels of arrays and objects");
}

TEST(MirReaderLimits, ProbeJSONNestedTooDeeplyInText) {
  // "  decision_probe const bool true " is 33 columns; the object is level
  // 1, so the 1024th `[` inside it opens level 1025: column 33 + 1 + 1024.
  std::string T = "fn @f() {\nbb0:\n  decision_probe const bool true {\"a\": " +
                  repeat("[", Deep) + repeat("]", Deep) + "}\n  return\n}\n";
  EXPECT_EQ(textError(T), "t.mir:3:1063: the JSON of `decision_probe` nests "
                          "more than 1024 levels of arrays and objects");
}

//===----------------------------------------------------------------------===//
// Strings are UTF-8
//===----------------------------------------------------------------------===//

std::string moduleNamed(llvm::StringRef Quoted) {
  return "module " + Quoted.str() + "\n";
}

TEST(MirReaderLimits, TextRejectsBytesThatAreNotUTF8) {
  const std::string Tail =
      ": strings must be UTF-8; write a code point as \\u{HEX}";
  // `module "A` is columns 1..9: the culprit is at column 10.
  struct Case {
    const char *Source; // the quoted string, as written
    const char *Byte;   // the culprit byte
    unsigned Col;       // where it (its sequence) begins
  } Cases[] = {
      {"\"A\\xffB\"", "0xff", 10}, // never valid
      {"\"A\xff"
       "B\"",
       "0xff", 10},                              // the same byte, raw
      {"\"A\\x80\"", "0x80", 10},                // a lone continuation byte
      {"\"A\\xc3B\"", "0xc3", 10},               // a sequence broken off
      {"\"A\\xc3\"", "0xc3", 10},                // ... by the end of the string
      {"\"A\xc3\"", "0xc3", 10},                 // ... raw
      {"\"A\\xc0\\x80\"", "0xc0", 10},           // an overlong NUL
      {"\"A\\xe0\\x80\\x80\"", "0xe0", 10},      // an overlong 3-byte form
      {"\"A\\xed\\xa0\\x80\"", "0xed", 10},      // a surrogate, U+D800
      {"\"A\\xf4\\x90\\x80\\x80\"", "0xf4", 10}, // above U+10FFFF
      {"\"AB\\xf5\\x80\\x80\\x80\"", "0xf5", 11},
      {"\"A\\xc3\\xa9\\xff\"", "0xff", 18}, // after a valid é
  };
  for (const Case &C : Cases) {
    SCOPED_TRACE(C.Source);
    EXPECT_EQ(textError(moduleNamed(C.Source)),
              "t.mir:1:" + std::to_string(C.Col) +
                  ": invalid UTF-8 in a string (byte " + C.Byte + ")" + Tail);
  }
  // Every kind of string: a global's name, a constant, a local's name.
  EXPECT_EQ(textError("extern @\"x\\xff\"()\n"),
            "t.mir:1:11: invalid UTF-8 in a string (byte 0xff)" + Tail);
  EXPECT_EQ(textError("fn @f() {\nbb0:\n  _1 = const *u8 \"\\xfe\"\n"),
            "t.mir:3:19: invalid UTF-8 in a string (byte 0xfe)" + Tail);
  EXPECT_EQ(textError("fn @f() {\n  let _1 \"n\\xff\": i64 temp\n"),
            "t.mir:2:12: invalid UTF-8 in a string (byte 0xff)" + Tail);
  // A surrogate is not a code point either.
  EXPECT_EQ(textError(moduleNamed("\"\\u{D800}\"")),
            "t.mir:1:9: \\u needs a code point as \\u{HEX}");
}

TEST(MirReaderLimits, InvalidBytesInCommentsAreFine) {
  llvm::Expected<Module> M = parseText("; \xff\xfe comment\nmodule \"m\"\n");
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, "m");
}

TEST(MirReaderLimits, JSONRejectsWhatIsNotUTF8) {
  // A raw invalid byte (llvm::json's own check) ...
  std::string Raw = jsonError("{\"name\": \"A\xff"
                              "B\", \"functions\": []}");
  EXPECT_NE(Raw.find("malformed JSON: [1:11, byte=11]"), std::string::npos)
      << Raw;
  // ... and the escapes that spell half a UTF-16 pair, which llvm::json
  // would quietly turn into U+FFFD.
  EXPECT_EQ(jsonError("{\"name\": \"A\\ud800B\", \"functions\": []}"),
            "malformed JSON: [1:11, byte=11]: a lone UTF-16 surrogate escape "
            "(\\ud800) is not a character");
  EXPECT_EQ(jsonError("{\"name\": \"A\\uDC00\", \"functions\": []}"),
            "malformed JSON: [1:11, byte=11]: a lone UTF-16 surrogate escape "
            "(\\uDC00) is not a character");
  EXPECT_EQ(jsonError("{\"name\": \"\\ud800\\u0041\", \"functions\": []}"),
            "malformed JSON: [1:10, byte=10]: a lone UTF-16 surrogate escape "
            "(\\ud800) is not a character");
  // An escaped backslash before `u` is not an escape.
  llvm::Expected<Module> M =
      readJSON("{\"name\": \"\\\\ud800\", \"functions\": []}");
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, "\\ud800");
}

TEST(MirReaderLimits, UTF8StringsConvertWithoutLossBothWays) {
  // é (2 bytes), € (3), 😀 (4), U+10FFFF (the last), NUL and controls.
  const std::string Bytes =
      std::string("A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf") +
      std::string("\0\x01\x7f", 3) + "\"\\";
  // Text -> model -> JSON -> model -> text, the text spelling escapes.
  std::string Text =
      "module \"A\\xc3\\xa9\\u{20AC}\xf0\x9f\x98\x80\\u{10FFFF}\\0\\x01\\x7f"
      "\\\"\\\\\"\n"
      "extern @\"A\\xc3\\xa9\\u{20AC}\xf0\x9f\x98\x80\\u{10FFFF}\\0\\x01\\x7f"
      "\\\"\\\\\"()\n"
      "fn @f() {\n  let _1: *u8 temp\nbb0:\n"
      "  _1 = const *u8 \"A\\xc3\\xa9\\u{20AC}\xf0\x9f\x98\x80\\u{10FFFF}"
      "\\0\\x01\\x7f\\\"\\\\\"\n  return\n}\n";
  llvm::Expected<Module> M = parseText(Text, "t.mir");
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, Bytes);
  EXPECT_EQ(M->Externs[0].Name, Bytes);
  EXPECT_EQ(M->Functions[0].Blocks[0].Insts[0].constant().S, Bytes);

  std::string J = writeJSON(*M);
  llvm::Expected<Module> FromJSON = readJSON(J);
  ASSERT_TRUE(bool(FromJSON)) << errorText(FromJSON);
  EXPECT_TRUE(*FromJSON == *M);
  EXPECT_EQ(FromJSON->Name, Bytes);

  llvm::Expected<Module> Again = parseText(printText(*FromJSON), "t.mir");
  ASSERT_TRUE(bool(Again)) << errorText(Again);
  EXPECT_TRUE(*Again == *M);

  // JSON -> model -> text -> model -> JSON, the JSON spelling escapes.
  llvm::Expected<Module> FromEscapes = readJSON(
      "{\"name\": \"A\\u00e9\\u20ac\\ud83d\\ude00\\udbff\\udfff\\u0000\\u0001"
      "\\u007f\\\"\\\\\", \"functions\": []}");
  ASSERT_TRUE(bool(FromEscapes)) << errorText(FromEscapes);
  EXPECT_EQ(FromEscapes->Name, Bytes);
  llvm::Expected<Module> ViaText = parseText(printText(*FromEscapes), "t.mir");
  ASSERT_TRUE(bool(ViaText)) << errorText(ViaText);
  EXPECT_TRUE(*ViaText == *FromEscapes);
  llvm::Expected<Module> Back = readJSON(writeJSON(*ViaText));
  ASSERT_TRUE(bool(Back)) << errorText(Back);
  EXPECT_EQ(Back->Name, Bytes);
}

TEST(MirReaderLimits, SurrogatePairsReadAsTheirCharacter) {
  // Every plane: U+10000, U+1F600, U+20000 (the first that llvm::json alone
  // reads wrongly), U+10FFFF; written with upper- and lower-case digits.
  llvm::Expected<Module> M =
      readJSON("{\"name\": \"\\ud800\\udc00 \\uD83D\\uDE00 \\ud840\\udc00 "
               "\\udbff\\udfff\", \"functions\": []}");
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Name, "\xf0\x90\x80\x80 \xf0\x9f\x98\x80 \xf0\xa0\x80\x80 "
                     "\xf4\x8f\xbf\xbf");
  // Where the pair is rewritten, a later error keeps its place: the same as
  // with 12 plain characters in its stead.
  std::string Err = jsonError("{\"name\": \"\\ud840\\udc00\", !}");
  EXPECT_NE(Err, "");
  EXPECT_EQ(Err, jsonError("{\"name\": \"abcdefghijkl\", !}"));
}

TEST(MirReaderLimits, TextPayloadsReadStringsAsTheJSONReaderDoes) {
  llvm::Expected<Module> M = parseText(
      "fn @f() {\nbb0:\n  debug_value \"\\ud840\\udc00\"\n  return\n}\n");
  ASSERT_TRUE(bool(M)) << errorText(M);
  EXPECT_EQ(M->Functions[0].Blocks[0].Insts[0].payload(), "\"\xf0\xa0\x80\x80\"");
  // "  debug_value \"" is 15 columns: the escape starts at column 16.
  EXPECT_EQ(textError("fn @f() {\nbb0:\n  debug_value \"\\udc00\"\n"),
            "t.mir:3:16: a lone UTF-16 surrogate escape (\\udc00) is not a "
            "character");
}

//===----------------------------------------------------------------------===//
// Id lookups
//===----------------------------------------------------------------------===//

Local local(LocalId Id, LocalKind K = LocalKind::Temp, unsigned ArgIndex = 0) {
  Local L;
  L.Id = Id;
  L.Kind = K;
  L.ArgIndex = ArgIndex;
  return L;
}

TEST(MirReaderLimits, SparseIdsFindTheFirstOfDuplicates) {
  Function F;
  // Ids far apart (the sorted index), with a duplicate and the largest id.
  F.Locals = {local(4000000000u),
              local(7),
              local(UINT32_MAX),
              local(7, LocalKind::Arg, 4000000000u),
              local(3, LocalKind::Return),
              local(9, LocalKind::Return),
              local(11, LocalKind::Arg, 0),
              local(12, LocalKind::Arg, 0)};
  Block B1, B2, B3;
  B1.Id = 3000000000u;
  B2.Id = 5;
  B3.Id = 5;
  B3.Label = "second";
  F.Blocks = {B1, B2, B3};
  F.reindex();
  EXPECT_EQ(F.localIndex(4000000000u), 0);
  EXPECT_EQ(F.localIndex(7), 1); // not 3
  EXPECT_EQ(F.localIndex(UINT32_MAX), 2);
  EXPECT_EQ(F.localIndex(8), -1);
  EXPECT_EQ(F.localIndex(0), -1);
  EXPECT_EQ(F.blockIndex(5), 1); // not 2
  EXPECT_EQ(F.blockIndex(3000000000u), 0);
  EXPECT_EQ(F.block(6), nullptr);
  EXPECT_EQ(F.argLocal(0), &F.Locals[6]); // not 7
  EXPECT_EQ(F.argLocal(4000000000u), &F.Locals[3]);
  EXPECT_EQ(F.argLocal(1), nullptr);
  EXPECT_EQ(F.returnLocal(), &F.Locals[4]); // not 5
}

TEST(MirReaderLimits, DenseIdsFindTheFirstOfDuplicates) {
  Function F;
  F.Locals = {local(2), local(0, LocalKind::Arg, 1), local(2, LocalKind::Var),
              local(1, LocalKind::Arg, 1)};
  Block B1, B2;
  B1.Id = 1;
  B2.Id = 1;
  F.Blocks = {B1, B2};
  F.reindex();
  EXPECT_EQ(F.localIndex(2), 0);
  EXPECT_EQ(F.localIndex(1), 3);
  EXPECT_EQ(F.localIndex(3), -1);
  EXPECT_EQ(F.blockIndex(1), 0);
  EXPECT_EQ(F.argLocal(1), &F.Locals[1]);
  EXPECT_EQ(F.argLocal(0), nullptr);
  EXPECT_EQ(F.returnLocal(), nullptr);
}

TEST(MirReaderLimits, AFunctionNeverReindexedStillFindsItsIds) {
  Function F;
  F.Locals = {local(9), local(4000000000u, LocalKind::Return),
              local(5, LocalKind::Arg, 2)};
  Block B;
  B.Id = 77;
  F.Blocks = {B};
  EXPECT_EQ(F.localIndex(4000000000u), 1);
  EXPECT_EQ(F.local(10), nullptr);
  EXPECT_EQ(F.blockIndex(77), 0);
  EXPECT_EQ(F.argLocal(2), &F.Locals[2]);
  EXPECT_EQ(F.returnLocal(), &F.Locals[1]);
}

TEST(MirReaderLimits, ReindexFollowsChanges) {
  Function F;
  F.Locals = {local(1)};
  F.reindex();
  EXPECT_EQ(F.returnLocal(), nullptr);
  F.Locals.push_back(local(4000000000u, LocalKind::Return));
  F.reindex();
  EXPECT_EQ(F.localIndex(4000000000u), 1);
  EXPECT_EQ(F.returnLocal(), &F.Locals[1]);
  F.Locals.erase(F.Locals.begin());
  F.reindex();
  EXPECT_EQ(F.localIndex(1), -1);
  EXPECT_EQ(F.localIndex(4000000000u), 0);
}

} // namespace
