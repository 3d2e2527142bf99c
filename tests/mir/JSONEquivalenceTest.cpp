//===- tests/mir/JSONEquivalenceTest.cpp - fast JSON reader == llvm::json -===//
//
// readJSON reads with its own parser and falls back to the llvm::json reader
// (readJSONWithLLVM) for whatever it declines. The llvm::json reader is the
// reference: over every JSON file of the repository, every text-form
// program turned into JSON, the random programs, their compact spellings
// and truncations of all of them, readJSON gives the same model
// (operator==) or the same message. The fast path must also really be the
// one taken for valid input (else these comparisons would prove nothing).
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"
#include "mir/JSONQuirks.h"
#include "mir/JSONReaders.h"

#include "../random/ProgramGen.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

using namespace spl::mir;
using spl::mir::test::errorText;
namespace fs = std::filesystem;

namespace {

/// Both readers on Text: the same model, or the same message.
void expectSameResult(const std::string &Text, const std::string &What) {
  llvm::Expected<Module> New = readJSON(Text);
  llvm::Expected<Module> Old = readJSONWithLLVM(Text);
  ASSERT_EQ(bool(New), bool(Old)) << What << ": new `" << errorText(New)
                                  << "`, old `" << errorText(Old) << "`";
  if (New)
    EXPECT_TRUE(*New == *Old) << What << ": the models differ";
  else
    EXPECT_EQ(errorText(New), errorText(Old)) << What;
}

/// The fast reader alone accepts Text (or its quirk-cleaned form, as
/// readJSON tries it) and gives the llvm::json reader's model.
bool fastPathTakes(const std::string &Text) {
  std::optional<Module> M = readJSONFast(Text);
  if (!M) {
    CleanJSON Clean(Text);
    if (Clean.changed())
      M = readJSONFast(Clean.text());
  }
  llvm::Expected<Module> Old = readJSONWithLLVM(Text);
  bool Same = M && Old && *M == *Old;
  if (!Old)
    llvm::consumeError(Old.takeError());
  return Same;
}

/// The same JSON without any whitespace (the compiler's compact form), as
/// llvm::json prints it; nullopt if Text is not JSON even after the quirks
/// pass.
std::optional<std::string> compact(const std::string &Text) {
  CleanJSON Clean(Text);
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Clean.text());
  if (!V) {
    llvm::consumeError(V.takeError());
    return std::nullopt;
  }
  return llvm::formatv("{0}", *V).str();
}

/// Text cut at a spread of places (and near its end): each cut is either
/// an error with the old message or, rarely, still a module - never a
/// crash.
void expectSameOnTruncations(const std::string &Text, const std::string &What) {
  if (Text.size() < 2)
    return;
  std::vector<size_t> Cuts;
  for (size_t I = 1; I < 24; ++I)
    Cuts.push_back(Text.size() * I / 24);
  for (size_t Back : {1, 2, 3, 7})
    if (Back < Text.size())
      Cuts.push_back(Text.size() - Back);
  for (size_t Cut : Cuts)
    expectSameResult(Text.substr(0, Cut),
                     What + " cut at " + std::to_string(Cut));
}

std::vector<fs::path> filesUnder(const fs::path &Dir, const char *Ext) {
  std::vector<fs::path> Out;
  std::error_code EC;
  if (!fs::is_directory(Dir, EC))
    return Out;
  for (const auto &E : fs::recursive_directory_iterator(Dir, EC))
    if (E.is_regular_file() && E.path().extension() == Ext)
      Out.push_back(E.path());
  std::sort(Out.begin(), Out.end());
  return Out;
}

const char *const Dirs[] = {"tests/corpus", "tests/bad", "tests/random",
                            "tests/bench",  "examples",  "benchmarks"};

TEST(MirJSONEquivalence, EveryJSONFileOfTheRepository) {
  unsigned Files = 0, Valid = 0;
  for (const char *D : Dirs)
    for (const fs::path &P : filesUnder(test::sourceDir() / D, ".json")) {
      std::optional<std::string> Text = test::readFile(P);
      ASSERT_TRUE(Text) << P;
      ++Files;
      const std::string What = P.lexically_relative(test::sourceDir()).string();
      expectSameResult(*Text, What);
      expectSameOnTruncations(*Text, What);
      llvm::Expected<Module> Old = readJSONWithLLVM(*Text);
      if (!Old) {
        llvm::consumeError(Old.takeError());
        continue;
      }
      ++Valid;
      EXPECT_TRUE(fastPathTakes(*Text))
          << What << ": declined by the fast reader";
      if (std::optional<std::string> C = compact(*Text)) {
        expectSameResult(*C, What + " (compact)");
        EXPECT_TRUE(fastPathTakes(*C)) << What << " (compact): declined";
      }
    }
  // The corpus is there (a moved folder must not pass by reading nothing).
  EXPECT_GT(Files, 150u);
  EXPECT_GT(Valid, 100u);
}

TEST(MirJSONEquivalence, EveryTextProgramAsJSON) {
  unsigned N = 0;
  for (const char *D : Dirs)
    for (const fs::path &P : filesUnder(test::sourceDir() / D, ".mir")) {
      std::optional<std::string> Text = test::readFile(P);
      ASSERT_TRUE(Text) << P;
      llvm::Expected<Module> M = parseText(*Text, P.string());
      if (!M) {
        llvm::consumeError(M.takeError());
        continue;
      }
      ++N;
      const std::string What = P.lexically_relative(test::sourceDir()).string();
      std::string J = writeJSON(*M);
      expectSameResult(J, What + " as JSON");
      EXPECT_TRUE(fastPathTakes(J)) << What << ": declined";
      std::optional<std::string> C = compact(J);
      ASSERT_TRUE(C) << What;
      expectSameResult(*C, What + " as compact JSON");
      expectSameOnTruncations(*C, What + " as compact JSON");
    }
  EXPECT_GT(N, 10u);
}

TEST(MirJSONEquivalence, RandomPrograms) {
  for (uint64_t Seed = 1; Seed <= 40; ++Seed) {
    llvm::Expected<Module> M =
        parseText(spl::randomtest::generateProgram(Seed), "random.mir");
    ASSERT_TRUE(bool(M)) << errorText(M);
    std::string J = writeJSON(*M);
    const std::string What = "random program " + std::to_string(Seed);
    expectSameResult(J, What);
    EXPECT_TRUE(fastPathTakes(J)) << What << ": declined";
    std::optional<std::string> C = compact(J);
    ASSERT_TRUE(C);
    expectSameResult(*C, What + " (compact)");
    if (Seed <= 5)
      expectSameOnTruncations(*C, What + " (compact)");
  }
}

/// A module of one function `f() -> f64` whose one block holds Insts and
/// is labelled Label (JSON text); Extra goes into the module object.
std::string module(const std::string &Insts, const std::string &Label = "null",
                   const std::string &Extra = "") {
  return R"({)" + Extra +
         R"("name": "m", "functions": [{"symbol": 1, "name": "f",
    "signature": {"params": [], "return_type": "F64", "is_variadic": false},
    "locals": [{"id": 0, "name": null, "type": "F64", "kind": "Return"},
               {"id": 1, "name": null, "type": "F64", "kind": "Temp"}],
    "blocks": [{"id": 0, "label": )" +
         Label + R"(, "instructions": [)" + Insts +
         R"(], "terminator": "Return"}], "entry_block": 0}]})";
}

std::string constant(const std::string &Value,
                     const std::string &Ty = "\"F64\"") {
  return module(R"({"Const": {"dest": 1, "value": )" + Value + R"(, "type": )" +
                Ty + "}}");
}

/// readJSON's module of Text, which must also be the llvm::json reader's,
/// taken by the fast path exactly when Fast says.
Module readBoth(const std::string &Text, bool Fast) {
  expectSameResult(Text, Text);
  EXPECT_EQ(fastPathTakes(Text), Fast) << Text;
  llvm::Expected<Module> M = readJSON(Text);
  EXPECT_TRUE(bool(M)) << errorText(M);
  return M ? std::move(*M) : Module();
}

double floatOf(const Module &M) {
  if (M.Functions.empty() || M.Functions[0].Blocks.empty() ||
      M.Functions[0].Blocks[0].Insts.empty())
    return -1;
  return M.Functions[0].Blocks[0].Insts[0].constant().F;
}

std::string labelOf(const Module &M) {
  if (M.Functions.empty() || M.Functions[0].Blocks.empty())
    return "?";
  return M.Functions[0].Blocks[0].Label.value_or("(none)");
}

TEST(MirJSONEquivalence, SerializerQuirksStillRead) {
  // The float-special tokens (MIR.md "Constants"): through the quirks pass,
  // then the fast reader again.
  EXPECT_TRUE(std::isnan(floatOf(readBoth(constant("NaN"), true))));
  EXPECT_EQ(floatOf(readBoth(constant("inf"), true)), HUGE_VAL);
  EXPECT_EQ(floatOf(readBoth(constant("-inf"), true)), -HUGE_VAL);
  // A raw control character inside a string.
  EXPECT_EQ(labelOf(readBoth(module("", "\"a\x01\tb\""), true)), "a\x01\tb");
  // A surrogate pair above U+1FFFF is one character (U+20000: F0 A0 80 80).
  EXPECT_EQ(labelOf(readBoth(module("", R"("\ud840\udc00")"), true)),
            "\xF0\xA0\x80\x80");
  EXPECT_EQ(labelOf(readBoth(module("", R"("q\"b\\s\/\n\u00e9")"), true)),
            "q\"b\\s/\n\xC3\xA9");
}

TEST(MirJSONEquivalence, LlvmJsonMeaningsKept) {
  // The last of repeated keys wins, as in llvm::json.
  EXPECT_EQ(readBoth(module("", "null", R"("name": "first", )"), true).Name,
            "m");
  // Escaped keys are keys.
  std::string Labelled = module("", "\"L\"");
  Labelled.replace(Labelled.find("\"label\""), 7, R"("lab\u0065l")");
  EXPECT_EQ(labelOf(readBoth(Labelled, true)), "L");
  // An integral double is an integer where an id is asked for.
  Module M = readBoth(constant("1").replace(constant("1").find("\"dest\": 1"),
                                            9, "\"dest\": 1.0"),
                      true);
  ASSERT_EQ(M.Functions.size(), 1u);
  EXPECT_EQ(M.Functions[0].Blocks[0].Insts[0].maybeDest(), std::optional<uint32_t>(1));
  // -0 is the integer 0 (a +0.0 float); -0.0 keeps its sign.
  EXPECT_FALSE(std::signbit(floatOf(readBoth(constant("-0"), true))));
  EXPECT_TRUE(std::signbit(floatOf(readBoth(constant("-0.0"), true))));
  EXPECT_EQ(floatOf(readBoth(constant("1E2"), true)), 100.0);
  // Long decimals: strtod's value, as llvm::json reads them.
  EXPECT_EQ(floatOf(readBoth(constant("18446744073709551616.0"), true)),
            18446744073709551616.0);
  EXPECT_EQ(floatOf(readBoth(constant("123456789012345678901.5"), true)),
            123456789012345678901.5);
  for (const char *D :
       {"0.1", "0.30000000000000004", "9223372036854775808.0",
        "2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308",
        "3.14159265358979323846264338327950288", "-0.000001", "1e-7",
        "123456789.123456789e-300", "7.0e22", "9007199254740993.0"})
    EXPECT_EQ(floatOf(readBoth(constant(D), true)), std::strtod(D, nullptr))
        << D;
  // Numbers the fast reader will not take: llvm::json's reading, through the
  // fallback (2^64 is a double; 1e400 overflows to infinity).
  EXPECT_EQ(floatOf(readBoth(constant("18446744073709551616"), false)),
            18446744073709551616.0);
  EXPECT_EQ(floatOf(readBoth(constant("1e400"), false)), HUGE_VAL);
  // llvm::json takes a leading zero; the fast reader does not.
  EXPECT_EQ(floatOf(readBoth(constant("01"), false)), 1.0);
  // Payloads kept verbatim are llvm::json's compact spelling (keys sorted).
  M = readBoth(
      module(R"({"DebugValue": {"z": [1, 2.5, "x"], "a": {"b": null}}})"),
      true);
  ASSERT_EQ(M.Functions.size(), 1u);
  EXPECT_EQ(M.Functions[0].Blocks[0].Insts[0].payload(),
            R"({"a":{"b":null},"z":[1,2.5,"x"]})");
}

TEST(MirJSONEquivalence, ManyDoublesReadAsLlvmJsonReadsThem) {
  // Every spelling a serializer might use (shortest, 17 digits, long),
  // over magnitudes: the same model as the llvm::json reader's.
  uint64_t X = 88172645463325252u;
  for (int I = 0; I < 400; ++I) {
    X ^= X << 13, X ^= X >> 7, X ^= X << 17; // xorshift64
    double D =
        std::ldexp(double(X >> 11) / double(1ull << 53), int(X % 240) - 120);
    if (X >> 63)
      D = -D;
    for (const char *Fmt : {"%.17g", "%.25g", "%.6e", "%.40f"}) {
      char Buf[512];
      std::snprintf(Buf, sizeof(Buf), Fmt, D);
      std::string T(Buf);
      if (T.find_first_of(".e") == std::string::npos)
        T += ".0";
      expectSameResult(constant(T), T);
    }
  }
}

TEST(MirJSONEquivalence, IntegersAtTheLimits) {
  for (const char *N :
       {"-9223372036854775808", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "-1", "0", "-0", "4294967295", "4294967296",
        "12345678901234567890", "-9223372036854775809", "18446744073709551616"})
    for (const char *Ty : {"\"I64\"", "\"U64\"", "\"I32\"", "\"F64\""})
      expectSameResult(constant(N, Ty), std::string(N) + " " + Ty);
}

TEST(MirJSONEquivalence, MalformedAnywhereIsTheOldError) {
  // Inside a field nobody reads, after the top-level object, unbalanced:
  // the fast reader checks everything as it walks, read or not.
  for (const std::string &Bad :
       {module("", "null", R"("span": [1 2], )"),
        module("", "null", R"("span": [tru], )"),
        module("", "null", R"("span": {"a" 1}, )"),
        module("", "null", R"("span": "\x", )"), module("") + " {}",
        module("") + "x", module("").substr(0, module("").size() - 1),
        module("", R"("\ud800")"), module("", R"("\udc00x")")}) {
    expectSameResult(Bad, Bad);
    EXPECT_FALSE(readJSONFast(Bad)) << Bad;
    llvm::Expected<Module> M = readJSON(Bad);
    EXPECT_FALSE(bool(M)) << Bad;
    if (!M)
      llvm::consumeError(M.takeError());
  }
}

TEST(MirJSONEquivalence, NestingLimitAsBefore) {
  // 1024 levels in all are read; one more is the old message.
  auto Nested = [](unsigned Levels) { // the module object is level 1
    return module("", "null",
                  R"("deep": )" + std::string(Levels - 1, '[') +
                      std::string(Levels - 1, ']') + ", ");
  };
  readBoth(Nested(MaxJSONNesting), true);
  std::string TooDeep = Nested(MaxJSONNesting + 1);
  expectSameResult(TooDeep, "1025 levels");
  llvm::Expected<Module> M = readJSON(TooDeep);
  EXPECT_EQ(errorText(M).rfind("JSON nested too deeply: ", 0), 0u);
}

TEST(MirJSONEquivalence, KeysThatSortAsEqualsGoToLlvmJson) {
  std::string F = module("");
  std::string Fn = F.substr(F.find("[{") + 1);
  Fn = Fn.substr(0, Fn.rfind("]}"));
  std::string Text = R"({"functions": {"1": )" + Fn + R"(, "01": )" + Fn + "}}";
  expectSameResult(Text, "keys 1 and 01");
  EXPECT_FALSE(readJSONFast(Text));
}

} // namespace

namespace {

TEST(MirJSONEquivalence, OneWalkReadsWhatLlvmJsonReads) {
  // What the single walk checks as it goes, and the `functions` it hands
  // out one at a time: the same model or message as the llvm::json reader.
  std::string F = module("");
  std::string Fn = F.substr(F.find("[{") + 1);
  Fn = Fn.substr(0, Fn.rfind("]}"));
  std::string Other = Fn;
  Other.replace(Other.find("\"name\": \"f\""), 11, "\"name\": \"g\"");
  const std::vector<std::string> Cases = {
      // `functions` repeated, in both forms, or overridden by a scalar
      R"({"functions": [)" + Fn + R"(], "functions": [)" + Other + "]}",
      R"({"functions": {"1": )" + Fn + R"(}, "functions": [)" + Other + "]}",
      R"({"functions": [)" + Fn + R"(], "functions": null})",
      R"({"functions": null, "functions": [)" + Fn + "]}",
      R"({"functions": {"2": )" + Other + R"(, "1": )" + Fn + R"(, "2": )" +
          Fn + "}}",
      R"({"functions": {"b": )" + Other + R"(, "a": )" + Fn + "}}",
      R"({"functions": {"f\u0031": )" + Fn + "}}",
      R"({"functions": [], "name": "m"})", R"({"functions": {}})",
      R"({"functions": [)" + Fn + ", " + Fn + "]} ",
      R"({"functions": [)" + Fn + "]}\n\t\r ",
      R"({"functions": [)" + Fn + ",]}",
      R"({"functions": [)" + Fn + " " + Fn + "]}",
      R"({"functions" : [ )" + Fn + " ] , \"name\" : \"m\" }",
      R"({"functions": [)" + Fn + R"(], "name": "m", "name": 1})",
      // the bare function, with a repeated field
      Fn, Fn.substr(0, Fn.size() - 1) + R"(, "name": "h"})",
      // a repeated key inside a function, nested
      module(R"({"Const": {"dest": 1, "dest": 0, "value": 1.5,
                     "type": "F64"}})"),
      module("", R"("a\u0000b")"), module("", R"("\u00e9\u20ac")"),
      module("", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\""),
      module("", "\"\xC3\""), module("", "\"\xE0\x80\x80\""),
      module("", "\"\xED\xA0\x80\""), module("", "\"\xF4\x90\x80\x80\""),
      module("", "\"\xC0\xAF\""), module("", "\"\xFF\""),
      module("", R"("\u12G4")"), module("", R"("\ud800\u0041")"),
      module("", R"("\uDBFF\uDFFF")"), module("", "\"a\"\xC3\xA9"),
      constant("1.5e3"), constant("-1.5E-3"), constant("1."), constant(".5"),
      constant("+1"), constant("-"), constant("1e"), constant("1.5.2"),
      constant("0x10"), constant("-01"), constant("1e-400"), constant("-1e400"),
      constant("tru"), constant("nul"), constant("true"), constant("null"),
      constant("\"1\""), constant("-9223372036854775809", "\"I64\"")};
  for (const std::string &Text : Cases)
    expectSameResult(Text, Text);
  // The valid ones among them are the fast path's own (no fallback).
  for (size_t I : {0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 13, 15, 16, 17, 18, 19, 20})
    EXPECT_TRUE(readJSONFast(Cases[I])) << Cases[I];
}

TEST(MirJSONEquivalence, MutatedInputsReadAsLlvmJsonReadsThem) {
  // Bytes changed, inserted and deleted at random in every seed: whatever
  // the single walk takes, the llvm::json reader takes the same way.
  std::vector<std::string> Seeds;
  for (const char *D : {"tests/corpus", "fuzz/seeds/json"})
    for (const fs::path &P : filesUnder(test::sourceDir() / D, ".json"))
      if (std::optional<std::string> Text = test::readFile(P))
        if (Text->size() < 4096)
          Seeds.push_back(*Text);
  ASSERT_GT(Seeds.size(), 20u);
  const char Bytes[] = "{}[]:,\"\\ \n0-1.eE+tfnu\x01\x80\xC3\xE9\xF0\xED";
  uint64_t X = 0x9E3779B97F4A7C15u;
  auto Next = [&] {
    X ^= X << 13, X ^= X >> 7, X ^= X << 17;
    return X;
  };
  unsigned Taken = 0;
  for (int I = 0; I < 3000; ++I) {
    std::string T = Seeds[Next() % Seeds.size()];
    for (int Edits = 1 + Next() % 3; Edits; --Edits) {
      size_t At = Next() % T.size();
      char B = Bytes[Next() % (sizeof(Bytes) - 1)];
      switch (Next() % 3) {
      case 0:
        T[At] = B;
        break;
      case 1:
        T.insert(T.begin() + At, B);
        break;
      default:
        T.erase(At, 1);
        break;
      }
    }
    expectSameResult(T, "mutation " + std::to_string(I));
    if (readJSONFast(T))
      ++Taken;
  }
  std::printf("%u of 3000 mutations read by the fast path\n", Taken);
  // Some mutations keep the module valid (a changed digit, a space).
  EXPECT_GT(Taken, 50u);
}

} // namespace

namespace {

/// A function of Blocks blocks of Insts constants each (labels escaped),
/// as JSON: big enough that its arrays are kept as their text
/// (jsonview::LazyNodes) and walked one element at a time.
std::string bigFunction(unsigned Blocks, unsigned Insts,
                        const std::string &Last = "") {
  std::string S = R"({"functions": [{"symbol": 1, "name": "f",
    "signature": {"params": [], "return_type": "F64", "is_variadic": false},
    "locals": [{"id": 0, "name": null, "type": "F64", "kind": "Return"},
               {"id": 1, "name": "t\u00e9", "type": "F64", "kind": "Temp"}],
    "blocks": [)";
  for (unsigned B = 0; B < Blocks; ++B) {
    S += (B ? ", " : "") + std::string(R"({"id": )") + std::to_string(B) +
         R"(, "label": "b\"\u0031", "instructions": [)";
    for (unsigned I = 0; I < Insts; ++I)
      S += std::string(I ? ", " : "") + R"({"Const": {"dest": 1, "value": )" +
           std::to_string(I) +
           R"(.5, "type": "F64", "span": [1, {"a": "\n"}]}})";
    if (B + 1 == Blocks)
      S += Last;
    S += R"(], "terminator": )" +
         std::string(B + 1 < Blocks
                         ? R"({"Goto": )" + std::to_string(B + 1) + "}"
                         : R"("Return")") +
         "}";
  }
  return S + R"(], "entry_block": 0}]})";
}

TEST(MirJSONEquivalence, LargeArraysReadOneElementAtATime) {
  // About 15 nodes an instruction. Too big to keep: one block's 600
  // instructions; 400 blocks (of 2); 12 blocks of 200 (the blocks only);
  // and 400 blocks whose last has 302 instructions (an array kept as text
  // inside another).
  std::string More;
  for (int I = 0; I < 300; ++I)
    More += R"(, {"Const": {"dest": 1, "value": 2.5, "type": "F64"}})";
  struct Case {
    unsigned Blocks, Insts;
    std::string InLast;
    size_t LastInsts;
  };
  for (const Case &C : {Case{1, 600, "", 600}, Case{400, 2, "", 2},
                        Case{12, 200, "", 200}, Case{400, 2, More, 302}}) {
    std::string Text = bigFunction(C.Blocks, C.Insts, C.InLast);
    const std::string What = std::to_string(C.Blocks) + " blocks of " +
                             std::to_string(C.Insts) + " and " +
                             std::to_string(C.LastInsts) + " last";
    expectSameResult(Text, What);
    EXPECT_TRUE(fastPathTakes(Text)) << What << ": declined";
    std::optional<Module> M = readJSONFast(Text);
    ASSERT_TRUE(M) << What;
    ASSERT_EQ(M->Functions[0].Blocks.size(), C.Blocks);
    EXPECT_EQ(M->Functions[0].Blocks.back().Insts.size(), C.LastInsts);
    EXPECT_EQ(M->Functions[0].Blocks.back().Label, "b\"1");
    expectSameOnTruncations(Text, What);
    // Malformed or wrong in the last element: the old message.
    for (const char *Bad : {R"(, {"Const": {"dest": 1 "value": 1}})",
                            R"(, {"Const": {"dest": 1, "value": "\x"}})",
                            R"(, {"Frobnicate": {"dest": 1}})",
                            R"(, {"Const": {"dest": -1, "value": 1.5,
                                 "type": "F64"}})",
                            ", [[[[]]]]", ",", " "}) {
      std::string T = bigFunction(C.Blocks, C.Insts, C.InLast + Bad);
      expectSameResult(T, What + " + " + Bad);
    }
  }
}

} // namespace
