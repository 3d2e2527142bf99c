//===- tests/e2e/CliFirstContactTest.cpp - spl-exec as a new user meets it ===//
//
// The short --help, --print-result in RUNTIME.md's text for every type, exit
// statuses, the hint for an option placed after FILE, "FILE:LINE:COL: error:"
// / "FILE: error:" in front of every error about a file (every file of
// tests/bad/ with its pinned message), the SFFI load errors, and the
// environment read by the library with flags winning.
//
//===----------------------------------------------------------------------===//
#include "CliSupport.h"

#include "llvm/ADT/StringExtras.h"

#include <filesystem>

using namespace llvm;
using namespace spl::clitest;
namespace fs = std::filesystem;

namespace {

std::string source(const std::string &Rel) {
  return std::string(SPL_SOURCE_DIR) + "/" + Rel;
}

size_t lineCount(StringRef S) { return S.count('\n'); }

/// main() -> TYPE returning `const TYPE VALUE`, in the text form.
std::string constMain(StringRef Type, StringRef Value) {
  return ("module \"r\"\n"
          "fn @main() -> " +
          Type +
          " {\n"
          "  let _0 _return: " +
          Type +
          " return\n"
          "bb0:\n"
          "  return const " +
          Type + " " + Value +
          "\n"
          "}\n")
      .str();
}

const char *const Backends[] = {"--backend=interpreter", "--backend=llvm",
                                "--backend=auto"};

TEST(CliHelp, TopLevelHelpIsShortAndOurs) {
  RunResult H = run({"--help"});
  EXPECT_EQ(H.Status, 0);
  EXPECT_LE(lineCount(H.Out), 40u) << H.Out;
  // The subcommands and how to use them.
  for (const char *Word : {"spl-exec run", "spl-exec convert", "spl-exec repl",
                           "spl-exec bench", "--help-hidden", "--version"})
    EXPECT_NE(H.Out.find(Word), std::string::npos) << Word << " in:\n" << H.Out;
  // None of libLLVM's own options.
  for (const char *Word : {"amdgpu", "polly", "x86-", "print-after"})
    EXPECT_EQ(StringRef(H.Out).lower().find(Word), std::string::npos)
        << Word << " in:\n"
        << H.Out;
}

// LLVM's passes live in libspl_exec_codegen.so, with its own copy of LLVM:
// their options are not spl-exec's (not even behind --help-hidden) and come
// from SPL_LLVM_ARGS instead, as the code generator is loaded.
TEST(CliHelp, LLVMPassOptionsComeFromTheEnvironment) {
  RunResult H = run({"--help-hidden"});
  EXPECT_EQ(H.Status, 0);
  EXPECT_NE(H.Out.find("--help-list-hidden"), std::string::npos) << H.Out;
  EXPECT_EQ(H.Out.find("--print-after-all"), std::string::npos) << H.Out;
  EXPECT_NE(H.Out.find("SPL_LLVM_ARGS"), std::string::npos) << H.Out;

  std::string Prog = source("benchmarks/startup/return0.mir");
  RunResult Plain = run({"run", "--backend=llvm", "--no-cache", Prog});
  EXPECT_EQ(Plain.Status, 0) << Plain.Err;
  EXPECT_EQ(Plain.Err.find("IR Dump After"), std::string::npos) << Plain.Err;
  RunResult Dumped = run({"run", "--backend=llvm", "--no-cache", Prog},
                         {"SPL_LLVM_ARGS=--print-after-all"});
  EXPECT_EQ(Dumped.Status, 0) << Dumped.Err;
  EXPECT_NE(Dumped.Err.find("IR Dump After"), std::string::npos);
  EXPECT_NE(Dumped.Err.find("@main"), std::string::npos);
}

TEST(CliHelp, SubcommandPagesListTheirOptions) {
  RunResult R = run({"run", "--help"});
  EXPECT_EQ(R.Status, 0);
  for (const char *Opt : {"--backend", "--entry", "--emit", "--print-result",
                          "--list-externs", "--jit-threshold", "--stats"})
    EXPECT_NE(R.Out.find(Opt), std::string::npos) << Opt << " in:\n" << R.Out;
  RunResult C = run({"convert", "--help"});
  EXPECT_EQ(C.Status, 0);
  EXPECT_NE(C.Out.find("--to"), std::string::npos) << C.Out;
}

TEST(CliPrintResult, FloatsAsTheRuntimePrintsThem) {
  // RUNTIME.md, rt_raw_f64_to_string: shortest round-trip digits, fixed
  // point, ".0" on integral values, never an exponent.
  const std::pair<const char *, std::string> Cases[] = {
      {"2.0", "2.0"},
      {"0.30000000000000004", "0.30000000000000004"},
      {"-0.0", "-0.0"},
      {"1e20", "100000000000000000000.0"},
      {"1e-7", "0.0000001"},
      {"0.1", "0.1"},
      {"-2.5", "-2.5"},
      {"123456789.125", "123456789.125"},
      // 5 * 10^-324: the 5 is the 324th digit after the point.
      {"5e-324", "0." + std::string(323, '0') + "5"},
      {"inf", "inf"},
      {"-inf", "-inf"},
      {"nan", "NaN"},
      {"0xfff8000000000000", "-NaN"}, // the quiet NaN with the sign bit set
  };
  for (const auto &[Value, Text] : Cases) {
    std::string P = writeTemp("mir", constMain("f64", Value));
    for (const char *B : Backends) {
      RunResult R = run({"run", B, "--print-result", P});
      EXPECT_EQ(R.Status, 0) << Value << " " << B << ": " << R.Err;
      EXPECT_EQ(R.Out, Text + "\n") << Value << " " << B;
    }
  }
}

TEST(CliPrintResult, ComputedSumOfTenthAndFifth) {
  std::string P = writeTemp("mir", R"(module "s"
fn @main(f64, f64) -> f64 {
  let _0 _return: f64 return
  let _1 a: f64 arg 0
  let _2 b: f64 arg 1
bb0:
  _0 = binop add copy _1, copy _2
  return
}
)");
  for (const char *B : Backends) {
    RunResult R = run({"run", B, "--print-result", P, "0.1", "0.2"});
    EXPECT_EQ(R.Status, 0) << B << ": " << R.Err;
    EXPECT_EQ(R.Out, "0.30000000000000004\n") << B;
  }
}

TEST(CliPrintResult, EveryScalarType) {
  const struct {
    const char *Type, *Value, *Text;
  } Cases[] = {
      {"i64", "-9223372036854775808", "-9223372036854775808"},
      {"i64", "300", "300"},
      {"i32", "-7", "-7"},
      {"i8", "-1", "-1"},
      {"i16", "-32768", "-32768"},
      {"u8", "255", "255"},
      {"u16", "65535", "65535"},
      {"u32", "4294967295", "4294967295"},
      {"u64", "18446744073709551615", "18446744073709551615"},
      {"bool", "true", "true"},
      {"bool", "false", "false"},
      {"char", "65", "A"},
      {"char", "233", "\xC3\xA9"},            // U+00E9 in UTF-8
      {"char", "128512", "\xF0\x9F\x98\x80"}, // U+1F600
      {"f32", "0.1", "0.1"},                  // the shortest text of the float
      {"f32", "16777216.0", "16777216.0"},
  };
  for (const auto &C : Cases) {
    std::string P = writeTemp("mir", constMain(C.Type, C.Value));
    for (const char *B : Backends) {
      RunResult R = run({"run", B, "--print-result", P});
      EXPECT_EQ(R.Status, 0)
          << C.Type << " " << C.Value << " " << B << ": " << R.Err;
      EXPECT_EQ(R.Out, std::string(C.Text) + "\n")
          << C.Type << " " << C.Value << " " << B;
    }
  }
}

TEST(CliPrintResult, UnitPrintsNothingAndProgramOutputComesFirst) {
  std::string Unit = writeTemp("mir", R"(module "u"
fn @main() {
bb0:
  call @rt_println_i64(const i64 7) : fn(i64)
  return
}
)");
  for (const char *B : Backends) {
    RunResult R = run({"run", B, "--print-result", Unit});
    EXPECT_EQ(R.Status, 0) << B << ": " << R.Err;
    EXPECT_EQ(R.Out, "7\n") << B;
  }
  // The issue's own example: fib(30) = 832040, and the status is 0, not
  // 832040 & 255 = 40.
  RunResult F = run({"run", "--print-result", "--entry=fib",
                     source("examples/fib.json"), "30"});
  EXPECT_EQ(F.Status, 0) << F.Err;
  EXPECT_EQ(F.Out, "832040\n");
  // Without the flag the status still carries the result.
  EXPECT_EQ(
      run({"run", "--entry=fib", source("examples/fib.json"), "30"}).Status,
      40);
}

TEST(CliErrors, OptionAfterFileGetsAHint) {
  RunResult R = run({"run", source("examples/fib.json"), "--backend=llvm"});
  EXPECT_EQ(R.Status, 2);
  EXPECT_EQ(R.Err,
            "error: argument `--backend=llvm` is not a number; options go "
            "before FILE: spl-exec run [OPTIONS] FILE [ARGS...]\n");
  RunResult P = run({"run", source("examples/fib.json"), "-O0"});
  EXPECT_EQ(P.Status, 2);
  EXPECT_NE(P.Err.find("options go before FILE"), std::string::npos) << P.Err;
  // A word that is no option gets no hint.
  RunResult W = run({"run", source("examples/fib.json"), "ten"});
  EXPECT_EQ(W.Status, 2);
  EXPECT_EQ(W.Err, "error: argument `ten` is not a number\n");
}

TEST(CliErrors, BadFlagsExit2) {
  RunResult U = run({"run", "--no-such-flag", source("examples/fib.json")});
  EXPECT_EQ(U.Status, 2);
  EXPECT_NE(U.Err.find("--no-such-flag"), std::string::npos) << U.Err;
  RunResult T =
      run({"run", "--jit-threshold=many", source("examples/fib.json")});
  EXPECT_EQ(T.Status, 2) << T.Err;
  RunResult E = run({"run", "--emit=wasm", source("examples/fib.json")});
  EXPECT_EQ(E.Status, 2) << E.Err;
  RunResult S = run({"frobnicate"});
  EXPECT_EQ(S.Status, 2) << S.Err;
}

/// "NAME:LINE:COL: TEXT" (the parser's position for a file read as NAME)
/// as spl-exec prints it for PATH: "PATH:LINE:COL: error: TEXT"; any other
/// message M as "PATH: error: M".
std::string asToolError(const std::string &Name, const std::string &Path,
                        StringRef Msg) {
  // A verifier message about text input ends in " (at L:C)"; the tool puts
  // that position in front.
  size_t At = Msg.rfind(" (at ");
  if (Msg.ends_with(")") && At != StringRef::npos) {
    auto [Line, Col] = Msg.substr(At + 5).drop_back().split(':');
    if (!Line.empty() && all_of(Line, isDigit) && !Col.empty() &&
        all_of(Col, isDigit))
      return Path + ":" + Line.str() + ":" + Col.str() + ": error: " +
             Msg.take_front(At).str() + "\n";
  }
  StringRef Rest = Msg;
  if (Rest.consume_front(Name + ":")) {
    auto [Line, AfterLine] = Rest.split(':');
    auto [Col, Text] = AfterLine.split(':');
    if (!Line.empty() && all_of(Line, isDigit) && !Col.empty() &&
        all_of(Col, isDigit))
      return Path + ":" + Line.str() + ":" + Col.str() +
             ": error: " + Text.ltrim(' ').str() + "\n";
  }
  return Path + ": error: " + Msg.str() + "\n";
}

TEST(CliErrors, EveryErrorAboutAFileStartsWithItsName) {
  // tests/bad/NAME.err pins the message readModule + verify give for NAME
  // read under its file name; the tool names the path it was given.
  size_t N = 0, Positioned = 0;
  for (const auto &E : fs::directory_iterator(source("tests/bad"))) {
    fs::path P = E.path();
    if (P.extension() != ".json" && P.extension() != ".mir")
      continue;
    fs::path ErrFile = P;
    ErrFile.replace_extension(".err");
    std::string Want = slurp(ErrFile.string());
    if (Want.empty())
      continue; // BadInputTest reports a missing .err
    std::string Expected = asToolError(P.filename().string(), P.string(),
                                       StringRef(Want).rtrim("\n"));
    Positioned += StringRef(Expected).starts_with(P.string() + ":") &&
                  !StringRef(Expected).starts_with(P.string() + ": ");
    RunResult R = run({"run", "--backend=interpreter", P.string()});
    EXPECT_EQ(R.Status, 1) << P.filename();
    EXPECT_EQ(R.Err, Expected) << P.filename();
    ++N;
  }
  EXPECT_GE(N, 45u);
  EXPECT_GE(Positioned, 10u); // text files carry LINE:COL
}

TEST(CliErrors, ConvertNamesTheFileToo) {
  std::string P = writeTemp("mir", "module \"x\"\nfn @f( {\n");
  RunResult R = run({"convert", P});
  EXPECT_EQ(R.Status, 1);
  EXPECT_EQ(R.Err.rfind(P + ":2:", 0), 0u) << R.Err;
  EXPECT_NE(R.Err.find(": error: "), std::string::npos) << R.Err;
}

/// A program whose main calls rt_<Lib>_f() -> i64.
std::string callsLib(StringRef Lib) {
  return ("module \"l\"\n"
          "extern @rt_" +
          Lib +
          "_f() -> i64\n"
          "fn @main() -> i64 {\n"
          "  let _0 _return: i64 return\n"
          "bb0:\n"
          "  _0 = call @rt_" +
          Lib +
          "_f() : fn() -> i64\n"
          "  return\n"
          "}\n")
      .str();
}

std::string ownLibDir() {
  return fs::canonical(fs::path(SPL_BINARY_DIR) / "lib").string();
}

TEST(CliLibraries, MissingLibrarySaysHowToPointAtIt) {
  std::string P = writeTemp("mir", callsLib("nolib"));
  RunResult R = run({"run", "--backend=interpreter", P},
                    {"SIMPLE_SFFI_PATH=/nonexistent-a:/nonexistent-b"});
  EXPECT_EQ(R.Status, 1);
  EXPECT_EQ(R.Err.rfind(P + ": error: ", 0), 0u) << R.Err;
  // Every path tried, in order (SIMPLE_SFFI_PATH's, then libspl_exec.so's
  // own directory, never one relative to the working directory), and both
  // ways to fix it.
  std::string Lib =
      "library libspl_nolib.so not found (tried: "
      "/nonexistent-a/libspl_nolib.so, /nonexistent-b/libspl_nolib.so, " +
      ownLibDir() +
      "/libspl_nolib.so); set SIMPLE_NOLIB_LIB to its "
      "full path, or add its directory to SIMPLE_SFFI_PATH\n";
  EXPECT_NE(R.Err.find(Lib), std::string::npos) << R.Err;
}

TEST(CliLibraries, LibraryThatFailsToLoadShowsDlerror) {
  SmallString<128> Dir;
  ASSERT_FALSE(sys::fs::createUniqueDirectory("cli-broken", Dir));
  std::string Broken = (Dir + "/libspl_broken.so").str();
  // Text, not ELF: found, but dlopen rejects it.
  fs::copy_file(source("tests/sffi/notalib.txt"), Broken);
  std::string P = writeTemp("mir", callsLib("broken"));
  RunResult R = run({"run", "--backend=interpreter", P},
                    {"SIMPLE_SFFI_PATH=" + Dir.str().str()});
  fs::remove_all(Dir.str().str());
  EXPECT_EQ(R.Status, 1);
  EXPECT_EQ(R.Err.rfind(P + ": error: ", 0), 0u) << R.Err;
  EXPECT_NE(R.Err.find("library libspl_broken.so could not be loaded from " +
                       Broken + ": invalid ELF header\n"),
            std::string::npos)
      << R.Err;
  EXPECT_EQ(R.Err.find("not found"), std::string::npos) << R.Err;
}

TEST(CliEnvironment, ThresholdFromTheEnvironmentIsCheckedAndFlagsWin) {
  std::string Fib = source("examples/fib.json");
  RunResult Bad = run({"run", Fib}, {"SIMPLE_JIT_THRESHOLD=many"});
  EXPECT_EQ(Bad.Status, 2);
  EXPECT_EQ(Bad.Err,
            "error: SIMPLE_JIT_THRESHOLD must be a whole number, got `many`\n");
  RunResult Flag =
      run({"run", "--jit-threshold=3", Fib}, {"SIMPLE_JIT_THRESHOLD=many"});
  EXPECT_EQ(Flag.Status, 0) << Flag.Err;
  EXPECT_EQ(Flag.Out, "196418\n");
  // --interpret wins over SIMPLE_JIT_BACKEND; --stats names the backend.
  RunResult I =
      run({"run", "--interpret", "--stats", Fib}, {"SIMPLE_JIT_BACKEND=llvm"});
  EXPECT_EQ(I.Status, 0) << I.Err;
  EXPECT_NE(I.Err.find("backend   interpreter\n"), std::string::npos) << I.Err;
  RunResult L = run({"run", "--stats", Fib}, {"SIMPLE_JIT_BACKEND=llvm"});
  EXPECT_NE(L.Err.find("backend   llvm\n"), std::string::npos) << L.Err;
}

} // namespace

namespace {

// A misspelled runtime function is a load error that suggests the real one
// (rt_ names are the runtime's and the SFFI libraries', never program
// functions that may arrive later), on every backend.
TEST(CliErrors, AMisspelledRuntimeFunctionSuggestsTheNearestName) {
  std::string P = writeTemp("mir", R"(module "typo"

fn @main() -> i64 {
  let _0: i64 return
bb0:
  call @rt_printline(const *u8 "hi") : fn(*u8)
  _0 = const i64 0
  return
}
)");
  for (const char *B : Backends) {
    RunResult R = run({"run", B, P});
    EXPECT_EQ(R.Status, 1) << B;
    EXPECT_EQ(R.Out, "") << B;
    EXPECT_EQ(R.Err, P + ": error: cannot resolve extern `rt_printline`: it is "
                         "not a runtime function or builtin and does not follow "
                         "the SFFI convention rt_<lib>_<name>; did you mean "
                         "`rt_println`?\n")
        << B;
  }
}

// A verifier error about a .mir file starts FILE:LINE:COL: (where editors
// look), with the position of the offending instruction.
TEST(CliErrors, VerifierErrorsInTextStartWithTheirPosition) {
  std::string P = writeTemp("mir", R"(module "v"

fn @main() -> i64 {
  let _0: i64 return
  let _1: f64 temp
bb0:
  _0 = copy _1
  return
}
)");
  RunResult R = run({"run", P});
  EXPECT_EQ(R.Status, 1);
  EXPECT_EQ(R.Err, P + ":7:3: error: function `main`, block bb0, instruction "
                       "0: dest _0 has type i64 but the result is f64\n");
}

} // namespace

namespace {

// A float where a known signature takes an integer is a load error naming
// both types, with one text on every backend (here a builtin's signature).
TEST(CliErrors, AFloatForAnIntegerParameterIsALoadError) {
  std::string P = writeTemp("mir", R"(module "f2i"

fn @main() -> i64 {
  let _0: i64 return
bb0:
  call @rt_println_i64(const f64 2.5) : fn(f64)
  _0 = const i64 0
  return
}
)");
  for (const char *B : Backends) {
    RunResult R = run({"run", B, P});
    EXPECT_EQ(R.Status, 1) << B;
    EXPECT_EQ(R.Err, P + ": error: function `main`, block bb0, instruction 0: "
                         "argument 0 of `rt_println_i64` has type f64, the "
                         "parameter is i64\n")
        << B;
  }
}

} // namespace
