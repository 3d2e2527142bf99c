//===- tests/jit/IncrementalTest.cpp - Functions arriving over time
//--------===//
//
// The compiler sends one function per compile, callers before callees, and
// redefines functions; REPL cells add modules. Each scenario here performs the
// same loads and calls on a JIT session and on an interpreter and expects the
// same outcomes (and the literal ones stated).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "interp/Interpreter.h"

#include <atomic>
#include <thread>

using namespace spl;
using namespace spl::jit::test;

namespace {

/// One JIT session (at some level) and one interpreter, driven in step.
class Pair {
public:
  explicit Pair(unsigned Opt = 2) {
    jit::Options O;
    O.OptLevel = Opt;
    J = newSession(O);
    I = cantFail(interp::Interpreter::create());
  }

  /// Loads Text on both; returns the JIT's error text ("<success>") after
  /// checking both agree on success.
  std::string load(const std::string &Text) {
    mir::Module M = parse(Text);
    std::string JE = errorText(J->load(M));
    std::string IE = errorText(I->load(M));
    EXPECT_EQ(JE == "<success>", IE == "<success>")
        << "jit: " << JE << "\ninterpreter: " << IE;
    return JE;
  }

  /// Calls Fn on both, expects Want from both.
  void expectCall(const std::string &Fn, const std::vector<uint64_t> &Args,
                  const Outcome &Want) {
    EXPECT_EQ(callCapturing([&] { return J->call(Fn, Args); }), Want)
        << "jit, " << Fn;
    EXPECT_EQ(callCapturing([&] { return I->call(Fn, Args); }), Want)
        << "interpreter, " << Fn;
  }

  std::unique_ptr<jit::Session> J;
  std::unique_ptr<interp::Interpreter> I;
};

std::string constFn(const std::string &Name, int64_t Value) {
  return "fn @" + Name + "() -> i64 {\n  let _0: i64 return\nbb0:\n" +
         "  return const i64 " + std::to_string(Value) + "\n}\n";
}

/// fn NAME() -> i64 { return CALLEE() + Add }
std::string caller(const std::string &Name, const std::string &Callee,
                   int64_t Add) {
  return "fn @" + Name + "() -> i64 {\n  let _0: i64 return\n" +
         "  let _1: i64 temp\nbb0:\n  _1 = call @" + Callee +
         "() : fn() -> i64\n  _0 = binop add copy _1, const i64 " +
         std::to_string(Add) + "\n  return\n}\n";
}

TEST(Incremental, CallersArriveBeforeCalleesInReverseOrder) {
  for (unsigned Opt : {0u, 2u}) {
    Pair P(Opt);
    ASSERT_EQ(P.load(caller("main", "b", 1)), "<success>");
    P.expectCall("main", {},
                 {"", "error: runtime error: function `b` is not defined"});
    ASSERT_EQ(P.load(caller("b", "c", 10)), "<success>");
    P.expectCall("main", {},
                 {"", "error: runtime error: function `c` is not defined"});
    ASSERT_EQ(P.load(constFn("c", 100)), "<success>");
    P.expectCall("main", {}, {"", "ret 111"});
    P.expectCall("b", {}, {"", "ret 110"});
    EXPECT_TRUE(P.J->hasFunction("c"));
  }
}

TEST(Incremental, ASecondModuleCallsTheFirst) {
  Pair P;
  ASSERT_EQ(P.load(R"(
fn @sq(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop mul copy _1, copy _1
  return
}
)"),
            "<success>");
  ASSERT_EQ(P.load(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @sq(const i64 12) : fn(i64) -> i64
  return
}
)"),
            "<success>");
  P.expectCall("main", {}, {"", "ret 144"});
  P.expectCall("sq", {5}, {"", "ret 25"});
}

TEST(Incremental, RedefinitionReachesDirectCallersOfOlderBatches) {
  for (unsigned Opt : {0u, 2u}) {
    Pair P(Opt);
    // f, g -> f and k -> g share a batch: g and k call directly (and at -O2
    // inline), so redefining f must re-lower both of them.
    ASSERT_EQ(
        P.load(constFn("f", 1) + caller("g", "f", 10) + caller("k", "g", 100)),
        "<success>");
    ASSERT_EQ(P.load(caller("h", "f", 1000)), "<success>");
    P.expectCall("k", {}, {"", "ret 111"});
    P.expectCall("h", {}, {"", "ret 1001"});

    ASSERT_EQ(P.load(constFn("f", 2)), "<success>");
    P.expectCall("f", {}, {"", "ret 2"});
    P.expectCall("g", {}, {"", "ret 12"});
    P.expectCall("k", {}, {"", "ret 112"});
    P.expectCall("h", {}, {"", "ret 1002"});

    ASSERT_EQ(P.load(caller("g", "f", 20)), "<success>");
    P.expectCall("k", {}, {"", "ret 122"});
    ASSERT_EQ(P.load(constFn("f", 3)), "<success>");
    P.expectCall("k", {}, {"", "ret 123"});
    P.expectCall("h", {}, {"", "ret 1003"});
  }
}

TEST(Incremental, RedefinitionWithOtherParametersIsAccepted) {
  // g was written against f(i64); the new f takes two. Loading it must not
  // fail because g (re-lowered along with it) no longer fits.
  Pair P;
  ASSERT_EQ(P.load(R"(
fn @f(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  return copy _1
}

fn @g() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @f(const i64 1) : fn(i64) -> i64
  return
}
)"),
            "<success>");
  ASSERT_EQ(P.load(R"(
fn @f(i64, i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 arg 1
bb0:
  _0 = binop mul copy _1, copy _2
  return
}
)"),
            "<success>");
  P.expectCall("f", {6, 7}, {"", "ret 42"});
  EXPECT_EQ(P.J->signature("f")->str(), "fn(i64, i64) -> i64");
}

TEST(Incremental, BatchesWithoutLiveFunctionsAreReleased) {
  auto S = newSession();
  ASSERT_TRUE(S);
  auto Load = [&](const std::string &Text) {
    return errorText(S->load(parse(Text)));
  };
  ASSERT_EQ(Load(constFn("f", 1) + caller("g", "f", 1)), "<success>");
  ASSERT_EQ(Load(constFn("h", 5)), "<success>");
  EXPECT_EQ(S->stats().LiveBatches, 2u);
  // Redefining f pulls g along: the first batch has nothing live left.
  ASSERT_EQ(Load(constFn("f", 2)), "<success>");
  EXPECT_EQ(S->stats().LiveBatches, 2u);
  ASSERT_EQ(Load(constFn("h", 6)), "<success>");
  EXPECT_EQ(S->stats().LiveBatches, 2u);
  ASSERT_EQ(Load(constFn("f", 3) + caller("g", "f", 2) + constFn("h", 7)),
            "<success>");
  EXPECT_EQ(S->stats().LiveBatches, 1u);
  EXPECT_EQ(callCapturing([&] { return S->call("g", {}); }),
            (Outcome{"", "ret 5"}));
  EXPECT_EQ(callCapturing([&] { return S->call("h", {}); }),
            (Outcome{"", "ret 7"}));
}

TEST(Incremental, FunctionPointersTakenBeforeTheFunctionArrives) {
  Pair P;
  ASSERT_EQ(P.load(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: fn(i64) -> i64 temp
bb0:
  _1 = const fn(i64) -> i64 @later
  _0 = call_indirect copy _1(const i64 4) : fn(i64) -> i64
  return
}
)"),
            "<success>");
  P.expectCall("main", {},
               {"", "error: runtime error: function `later` is not defined"});
  ASSERT_EQ(P.load(R"(
fn @later(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop sub copy _1, const i64 1
  return
}
)"),
            "<success>");
  P.expectCall("main", {}, {"", "ret 3"});
}

TEST(Incremental, CallsBySymbolIdResolveWhenTheFunctionArrives) {
  Pair P;
  ASSERT_EQ(P.load(R"(
fn @main() -> i64 #1 {
  let _0: i64 return
bb0:
  _0 = call #77(const i64 4) : fn(i64) -> i64
  return
}
)"),
            "<success>");
  P.expectCall("main", {},
               {"", "error: runtime error: function `#77` is not defined"});
  ASSERT_EQ(P.load(R"(
fn @neg(i64) -> i64 #77 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = unop neg copy _1
  return
}
)"),
            "<success>");
  P.expectCall("main", {}, {"", "ret " + std::to_string(uint64_t(-4))});
}

TEST(Incremental, AFailedLoadChangesNothing) {
  useTestLibraries();
  Pair P;
  ASSERT_EQ(P.load(constFn("f", 1) + caller("g", "f", 1)), "<success>");
  // The second module redefines f but also calls an SFFI function that its
  // library does not have: the whole module is rejected.
  std::string Bad = constFn("f", 50) + R"(
fn @uses_missing() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @rt_testlib_no_such_function() : fn() -> i64
  return
}
)";
  std::string Error = P.load(Bad);
  EXPECT_NE(Error.find("rt_testlib_no_such_function"), std::string::npos)
      << Error;
  EXPECT_FALSE(P.J->hasFunction("uses_missing"));
  P.expectCall("f", {}, {"", "ret 1"});
  P.expectCall("g", {}, {"", "ret 2"});
  // And the session takes the next module as if nothing had happened.
  ASSERT_EQ(P.load(constFn("f", 9)), "<success>");
  P.expectCall("g", {}, {"", "ret 10"});
}

TEST(Incremental, OptimisationLevelChangesBetweenLoads) {
  auto S = newSession();
  ASSERT_TRUE(S);
  for (unsigned Level : {0u, 3u, 1u, 2u}) {
    S->setOptLevel(Level);
    std::string Name = (llvm::Twine("v") + llvm::Twine(Level)).str();
    ASSERT_EQ(errorText(S->load(parse(constFn(Name, Level + 40)))),
              "<success>");
    EXPECT_EQ(callCapturing([&] { return S->call(Name, {}); }),
              (Outcome{"", "ret " + std::to_string(Level + 40)}));
  }
}

TEST(Incremental, WordTypesLoadAndUnitParametersAreLoadErrors) {
  // (v2) Tuples and structs are one word (MIR.md "Types"): locals and
  // parameters of those types load; the word passes through unchanged.
  auto S = newSession();
  ASSERT_TRUE(S);
  std::string E = errorText(S->load(parse(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: (i64, bool) temp
bb0:
  _1 = const (i64, bool) zero
  _0 = cast copy _1 to i64
  return
}

fn @f(struct#3) -> struct#3 {
  let _0: struct#3 return
  let _1: struct#3 arg 0
bb0:
  _0 = copy _1
  return
}
)")));
  EXPECT_EQ(E, "<success>");
  EXPECT_EQ(callCapturing([&] { return S->call("main", {}); }),
            (Outcome{"", "ret 0"}));
  EXPECT_EQ(callCapturing([&] { return S->call("f", {0x1234567890}); }),
            (Outcome{"", "ret " + std::to_string(0x1234567890)}));
}

TEST(Incremental, CallsFromSeveralThreads) {
  auto S = newSession();
  ASSERT_TRUE(S);
  ASSERT_EQ(errorText(S->load(parse(R"(
fn @fib(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
  let _4: i64 temp
bb0:
  _2 = binop lt copy _1, const i64 2
  if copy _2 then bb1 else bb2
bb1:
  return copy _1
bb2:
  _3 = binop sub copy _1, const i64 1
  _3 = call @fib(copy _3) : fn(i64) -> i64
  _4 = binop sub copy _1, const i64 2
  _4 = call @fib(copy _4) : fn(i64) -> i64
  _0 = binop add copy _3, copy _4
  return
}

fn @div(i64, i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 arg 1
bb0:
  _0 = binop div copy _1, copy _2
  return
}
)"))),
            "<success>");
  std::vector<std::thread> Threads;
  std::atomic<int> Wrong{0};
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      for (int K = 0; K < 50; ++K) {
        auto F = S->call("fib", {uint64_t(15 + T)});
        static const uint64_t Fib[] = {610, 987, 1597, 2584};
        if (!F || *F != Fib[T])
          ++Wrong;
        if (!F)
          consumeError(F.takeError());
        std::string E = errorText(S->call("div", {1, 0}).takeError());
        if (E != "runtime error in `div`: attempt to divide by zero")
          ++Wrong;
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Wrong.load(), 0);
}

TEST(Incremental, SignaturesOfLoadedFunctions) {
  auto S = newSession();
  ASSERT_TRUE(S);
  ASSERT_EQ(errorText(S->load(parse(caller("g", "f", 1)))), "<success>");
  const mir::Signature *Sig = S->signature("g");
  ASSERT_NE(Sig, nullptr);
  EXPECT_EQ(Sig->str(), "fn() -> i64");
  EXPECT_EQ(S->signature("f"), nullptr);
  EXPECT_FALSE(S->hasFunction("f"));
}

} // namespace
