//===- tests/jit/TrapTest.cpp - Every runtime error, same text everywhere
//--===//
//
// Each trap kind of mir::TrapKind is provoked on the interpreter and on the
// JIT at -O0 and -O2, with the exact text docs/SEMANTICS.md gives. The
// arithmetic ones run twice: through main with constant operands (which the
// optimiser folds into a direct trap) and with the operands passed in from
// the host (a real runtime check).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "interp/Interpreter.h"

#include <fstream>
#include <sstream>

using namespace spl;
using namespace spl::jit::test;

namespace {

struct ArithTrap {
  const char *Name;
  const char *Ty;    // operand and result type
  const char *AmtTy; // right operand type (shifts, pow); null = Ty
  const char *Op;    // "binop div", "checked add", ...
  int64_t A, B;
  const char *Message;
};

const ArithTrap ArithTraps[] = {
    {"DivByZero", "i64", nullptr, "binop div", 7, 0,
     "attempt to divide by zero"},
    {"DivByZeroUnsigned", "u16", nullptr, "binop div", 7, 0,
     "attempt to divide by zero"},
    {"RemByZero", "u32", nullptr, "binop rem", 7, 0,
     "attempt to calculate the remainder with a divisor of zero"},
    {"DivOverflow", "i32", nullptr, "binop div", INT32_MIN, -1,
     "attempt to divide with overflow"},
    {"RemOverflow", "i8", nullptr, "binop rem", -128, -1,
     "attempt to calculate the remainder with overflow"},
    {"AddOverflowSigned", "i64", nullptr, "checked add", INT64_MAX, 1,
     "attempt to add with overflow"},
    {"AddOverflowUnsigned", "u8", nullptr, "checked add", 200, 56,
     "attempt to add with overflow"},
    {"SubOverflowUnsigned", "u64", nullptr, "checked sub", 0, 1,
     "attempt to subtract with overflow"},
    {"SubOverflowSigned", "i16", nullptr, "checked sub", -32768, 1,
     "attempt to subtract with overflow"},
    {"MulOverflowSigned", "i32", nullptr, "checked mul", 65536, 32768,
     "attempt to multiply with overflow"},
    {"MulOverflowUnsigned", "u64", nullptr, "checked mul", int64_t(1) << 32,
     int64_t(1) << 32, "attempt to multiply with overflow"},
    {"ShlOverflow", "i32", "i32", "binop shl", 1, 32,
     "attempt to shift left with overflow"},
    {"ShlNegativeAmount", "i64", "i64", "binop shl", 1, -1,
     "attempt to shift left with overflow"},
    {"ShrOverflow", "u8", "u64", "binop shr", 255, 8,
     "attempt to shift right with overflow"},
    {"NegativePow", "i64", "i32", "binop pow", 2, -1,
     "attempt to raise an integer to a negative power"},
};

std::string arithProgram(const ArithTrap &T) {
  std::string Ty = T.Ty, Amt = T.AmtTy ? T.AmtTy : T.Ty;
  return "fn @t(" + Ty + ", " + Amt + ") -> " + Ty + " {\n" +
         "  let _0: " + Ty + " return\n  let _1: " + Ty + " arg 0\n" +
         "  let _2: " + Amt + " arg 1\nbb0:\n" + "  _0 = " + T.Op +
         " copy _1, copy _2\n  return\n}\n\n" +
         "fn @main() -> i64 {\n  let _0: i64 return\n  let _1: " + Ty +
         " temp\nbb0:\n  call @rt_print(const *u8 \"before \") : "
         "fn(*u8)\n" +
         "  _1 = call @t(const " + Ty + " " + std::to_string(T.A) + ", const " +
         Amt + " " + std::to_string(T.B) + ") : fn(" + Ty + ", " + Amt +
         ") -> " + Ty + "\n  _0 = cast copy _1 to i64\n  return\n}\n";
}

class ArithTraps_ : public testing::TestWithParam<ArithTrap> {};

TEST_P(ArithTraps_, SameTextOnEveryBackend) {
  const ArithTrap &T = GetParam();
  mir::Module M = parse(arithProgram(T));
  if (HasFailure())
    return;
  std::string Error = std::string("error: runtime error in `t`: ") + T.Message;
  for (const Backend &B : {Interp, JitO0, JitO2}) {
    EXPECT_EQ(run(B, M), (Outcome{"before ", Error})) << "main on " << B.name();
    EXPECT_EQ(run(B, M, "t", {uint64_t(T.A), uint64_t(T.B)}),
              (Outcome{"", Error}))
        << "t on " << B.name();
  }
}

INSTANTIATE_TEST_SUITE_P(Traps, ArithTraps_, testing::ValuesIn(ArithTraps),
                         [](const auto &Info) {
                           return std::string(Info.param.Name);
                         });

void expectError(const std::string &Text, const std::string &Stdout,
                 const std::string &Error) {
  mir::Module M = parse(Text);
  if (testing::Test::HasFailure())
    return;
  for (const Backend &B : {Interp, JitO0, JitO2})
    EXPECT_EQ(run(B, M), (Outcome{Stdout, "error: " + Error}))
        << "on " << B.name();
}

TEST(Traps, UnreachableAndAbort) {
  expectError(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  unreachable
}
)",
              "", "runtime error in `main`: entered unreachable code");
  expectError(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  call @rt_print(const *u8 "x") : fn(*u8)
  abort "bad \"state\""
}
)",
              "x", "runtime error in `main`: aborted: bad \"state\"");
  expectError(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  abort ""
}
)",
              "", "runtime error in `main`: aborted");
}

const char *SelfRecursion = R"(
fn @deep(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = binop add copy _1, const i64 1
  _0 = call @deep(copy _2) : fn(i64) -> i64
  return
}

fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @deep(const i64 0) : fn(i64) -> i64
  return
}
)";

TEST(Traps, StackOverflowInSelfRecursion) {
  expectError(SelfRecursion, "",
              "runtime error in `deep`: stack overflow (call depth exceeded "
              "10000)");
}

TEST(Traps, StackOverflowNamesTheFunctionAtTheLimit) {
  // ping (even depths) and pong (odd depths): depth 10001 is pong's.
  expectError(R"(
fn @ping(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = call @pong(copy _1) : fn(i64) -> i64
  return
}

fn @pong(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = call @ping(copy _1) : fn(i64) -> i64
  return
}

fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @ping(const i64 0) : fn(i64) -> i64
  return
}
)",
              "",
              "runtime error in `pong`: stack overflow (call depth exceeded "
              "10000)");
}

TEST(Traps, StackOverflowThroughFunctionPointers) {
  // Indirect calls count like direct ones: the adapter continues the depth.
  expectError(R"(
fn @hop(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: fn(i64) -> i64 temp
  let _3: i64 temp
bb0:
  _2 = const fn(i64) -> i64 @hop
  _3 = binop add copy _1, const i64 1
  _0 = call_indirect copy _2(copy _3) : fn(i64) -> i64
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: fn(i64) -> i64 temp
bb0:
  _1 = const fn(i64) -> i64 @hop
  _0 = call_indirect copy _1(const i64 0) : fn(i64) -> i64
  return
}
)",
              "",
              "runtime error in `hop`: stack overflow (call depth exceeded "
              "10000)");
}

TEST(Traps, StackOverflowWithLargeFramesStaysAnError) {
  // 16 KB of Alloc per frame: 10000 frames would need 160 MB of stack, so
  // the native-stack check (not the depth) ends this one; either way it is
  // the stack-overflow error, never a crash.
  mir::Module M = parse(R"(
fn @big(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: *mut [i64; 2048] temp
  let _3: *mut i64 temp
  let _4: i64 temp
bb0:
  _2 = alloc [i64; 2048]
  _3 = gep copy _2, const i64 0, const i64 7
  store copy _3, copy _1
  _4 = binop add copy _1, const i64 1
  _0 = call @big(copy _4) : fn(i64) -> i64
  _4 = load copy _3
  _0 = binop add copy _0, copy _4
  return
}

fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @big(const i64 0) : fn(i64) -> i64
  return
}
)");
  if (HasFailure())
    return;
  for (const Backend &B : {JitO0, JitO2})
    EXPECT_EQ(run(B, M),
              (Outcome{"", "error: runtime error in `big`: stack overflow "
                           "(call depth exceeded 10000)"}))
        << B.name();
}

TEST(Traps, AnAllocLargerThanTheStackIsAnErrorNotACrash) {
  // 64 MB in one frame: more than any thread's stack. Since the per-frame
  // cap (mir::MaxFrameAllocBytes, 4 MiB: half a usual 8 MiB stack, so a
  // frame that loads can run at least once on every backend) it is a load
  // error, the same for every backend, instead of a run-time trap.
  llvm::Expected<mir::Module> M = mir::readModule(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut [i64; 8388608] temp
  let _2: *mut i64 temp
bb0:
  _1 = alloc [i64; 8388608]
  _2 = gep copy _1, const i64 0, const i64 8388607
  store copy _2, const i64 5
  _0 = load copy _2
  return
}
)");
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  EXPECT_EQ(errorText(mir::verify(*M)),
            "function `main`, block bb0, instruction 0: the Alloc areas of the "
            "function take more than the 4 MiB one frame may hold (alloc of "
            "[i64; 8388608]) (at 7:3)");
}

TEST(Traps, UndefinedCalleeAndNullFunctionPointer) {
  expectError(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  call @rt_print(const *u8 "a") : fn(*u8)
  _0 = call @nowhere(const i64 1) : fn(i64) -> i64
  return
}
)",
              "a", "runtime error: function `nowhere` is not defined");
  expectError(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: fn(i64) -> i64 temp
bb0:
  _1 = const fn(i64) -> i64 zero
  _0 = call_indirect copy _1(const i64 1) : fn(i64) -> i64
  return
}
)",
              "",
              "runtime error in `main`: call through an invalid function "
              "pointer");
}

TEST(Traps, TheSessionStaysUsableAfterATrap) {
  mir::Module M = parse(arithProgram(ArithTraps[0]));
  if (HasFailure())
    return;
  auto S = newSession();
  ASSERT_TRUE(S);
  ASSERT_EQ(errorText(S->load(M)), "<success>");
  for (int I = 0; I < 3; ++I) {
    EXPECT_EQ(callCapturing([&] {
                return S->call("t", {7, 0});
              }),
              (Outcome{"", "error: runtime error in `t`: attempt to divide "
                           "by zero"}));
    EXPECT_EQ(callCapturing([&] {
                return S->call("t", {42, 6});
              }),
              (Outcome{"", "ret 7"}));
  }
}

TEST(Traps, DepthLimitIsTheSessionOption) {
  mir::Module M = parse(SelfRecursion);
  if (HasFailure())
    return;
  jit::Options Opts;
  Opts.MaxCallDepth = 50;
  auto S = newSession(Opts);
  ASSERT_TRUE(S);
  ASSERT_EQ(errorText(S->load(M)), "<success>");
  interp::Options IO;
  IO.MaxCallDepth = 50;
  auto I = cantFail(interp::Interpreter::create(IO));
  ASSERT_EQ(errorText(I->load(M)), "<success>");
  Outcome Want{"", "error: runtime error in `deep`: stack overflow (call "
                   "depth exceeded 50)"};
  EXPECT_EQ(callCapturing([&] { return S->call("main", {}); }), Want);
  EXPECT_EQ(callCapturing([&] { return I->call("main", {}); }), Want);
}

TEST(Traps, CallErrorsFromTheHost) {
  mir::Module M = parse(arithProgram(ArithTraps[0]));
  if (HasFailure())
    return;
  auto S = newSession();
  ASSERT_TRUE(S);
  ASSERT_EQ(errorText(S->load(M)), "<success>");
  EXPECT_EQ(errorText(S->call("t", {1}).takeError()),
            "function `t` takes 2 arguments, got 1");
  EXPECT_EQ(errorText(S->call("absent", {}).takeError()),
            "runtime error: function `absent` is not defined");
}

} // namespace

// The JIT passes a depth budget (MaxCallDepth - depth) and checks its borrow
// before each direct call, in the checked entry reached through stubs and
// adapters, and at -O0 on entry (jit/LowerControl.cpp). Each way in must trap
// at exactly the interpreter's depth, at the smallest limits too, where an
// off-by-one in the budget would show; each case's depth is worked out below.

namespace {

/// Name(n) = 0 for n = 0, else Name(n - 1) + 1, calling itself directly
/// (down: tail recursion elimination makes a loop of it, which carries the
/// budget from one call to the next) or through a pointer to itself (hop:
/// the adapter turns the thread-local depth back into a budget).
std::string countDown(const char *Name, bool ThroughPointer) {
  std::string Self = std::string("@") + Name;
  std::string Call =
      ThroughPointer
          ? "  _5 = const fn(i64) -> i64 " + Self +
                "\n  _4 = call_indirect copy _5(copy _3) : fn(i64) -> i64\n"
          : "  _4 = call " + Self + "(copy _3) : fn(i64) -> i64\n";
  return "fn " + Self + R"((i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
  let _4: i64 temp
  let _5: fn(i64) -> i64 temp
bb0:
  _2 = binop eq copy _1, const i64 0
  if copy _2 then bb1 else bb2
bb1:
  return const i64 0
bb2:
  _3 = binop sub copy _1, const i64 1
)" + Call + R"(  _0 = binop add copy _4, const i64 1
  return copy _0
}
)";
}

const std::string Down = countDown("down", false);
const std::string Hop = countDown("hop", true);

/// The benchmark's fib (fib(n) for n < 2 is n, else fib(n - 1) + fib(n - 2)):
/// two calls at one depth, the second made a loop iteration by tail
/// recursion elimination.
std::string benchmarkFib() {
  std::ifstream In(SPL_SOURCE_DIR "/benchmarks/programs/fib.json");
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}
const std::string Fib = benchmarkFib();

/// A second module: via(n) = down(n), a call into the first module's batch
/// (through down's stub and its checked entry).
const std::string Via = R"(
fn @via(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
bb0:
  _0 = call @down(copy _1) : fn(i64) -> i64
  return copy _0
}
)";

std::string depthError(const char *Fn, unsigned Max) {
  return std::string("error: runtime error in `") + Fn +
         "`: stack overflow (call depth exceeded " + std::to_string(Max) +
         ")";
}

/// Loads Modules in order into B (interpreter or JIT at -O<B.Opt>) with
/// the given limit and calls Fn(Arg).
Outcome runWithLimit(const Backend &B, unsigned Max,
                     const std::vector<std::string> &Modules, const char *Fn,
                     uint64_t Arg) {
  std::vector<mir::Module> Ms;
  for (const std::string &Text : Modules)
    Ms.push_back(parse(Text));
  if (B.Opt < 0) {
    interp::Options IO;
    IO.MaxCallDepth = Max;
    auto I = cantFail(interp::Interpreter::create(IO));
    for (const mir::Module &M : Ms)
      if (std::string E = errorText(I->load(M)); E != "<success>")
        return {"", "load error: " + E};
    return callCapturing([&] { return I->call(Fn, {Arg}); });
  }
  jit::Options Opts;
  Opts.OptLevel = unsigned(B.Opt);
  Opts.MaxCallDepth = Max;
  auto S = newSession(Opts);
  if (!S)
    return {"", "no session"};
  for (const mir::Module &M : Ms)
    if (std::string E = errorText(S->load(M)); E != "<success>")
      return {"", "load error: " + E};
  return callCapturing([&] { return S->call(Fn, {Arg}); });
}

struct DepthCase {
  unsigned Max;
  std::vector<std::string> Modules;
  const char *Fn;
  uint64_t Arg;
  Outcome Want;
};

} // namespace

TEST(Traps, DepthLimitIsExactOnEveryPathAtSmallLimits) {
  const DepthCase Cases[] = {
      // The entry call is depth 1: with a limit of 1 it runs, and its first
      // call (depth 2) traps, in the callee.
      {1, {Down}, "down", 0, {"", "ret 0"}},
      {1, {Down}, "down", 1, {"", depthError("down", 1)}},
      // down(n) runs down(0) at depth n + 1.
      {2, {Down}, "down", 1, {"", "ret 1"}},
      {2, {Down}, "down", 2, {"", depthError("down", 2)}},
      {7, {Down}, "down", 6, {"", "ret 6"}},
      {7, {Down}, "down", 7, {"", depthError("down", 7)}},
      // fib(n) runs fib(1) at depth n: fib(7) = 13 fits in 7, fib(8) not.
      {1, {Fib}, "fib", 1, {"", "ret 1"}},
      {1, {Fib}, "fib", 2, {"", depthError("fib", 1)}},
      {2, {Fib}, "fib", 2, {"", "ret 1"}},
      {2, {Fib}, "fib", 3, {"", depthError("fib", 2)}},
      {7, {Fib}, "fib", 7, {"", "ret 13"}},
      {7, {Fib}, "fib", 8, {"", depthError("fib", 7)}},
      // Through a function pointer, as down.
      {1, {Hop}, "hop", 0, {"", "ret 0"}},
      {1, {Hop}, "hop", 1, {"", depthError("hop", 1)}},
      {5, {Hop}, "hop", 4, {"", "ret 4"}},
      {5, {Hop}, "hop", 5, {"", depthError("hop", 5)}},
      // via(n) is depth 1 and runs down(0) at depth n + 2; with a limit of
      // 1 the stub call itself traps.
      {1, {Down, Via}, "via", 0, {"", depthError("down", 1)}},
      {2, {Down, Via}, "via", 0, {"", "ret 0"}},
      {2, {Down, Via}, "via", 1, {"", depthError("down", 2)}},
      {6, {Down, Via}, "via", 4, {"", "ret 4"}},
      {6, {Down, Via}, "via", 5, {"", depthError("down", 6)}},
  };
  for (const DepthCase &K : Cases)
    for (const Backend &B : {Interp, JitO0, JitO1, JitO2})
      EXPECT_EQ(runWithLimit(B, K.Max, K.Modules, K.Fn, K.Arg), K.Want)
          << B.name() << ": " << K.Fn << "(" << K.Arg << "), limit "
          << K.Max;
}
