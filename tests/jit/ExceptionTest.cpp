//===- tests/jit/ExceptionTest.cpp - CallTerminator, Throw, Resume -------===//
//
// (v2) Exceptions on the JIT at -O0 and -O2 (MIR.md "Terminators",
// ffi/FFI.h "Exceptions"): catching across frames, tag dispatch, rethrow,
// raises through plain calls and loops, the uncaught texts, the C-callback
// barrier, values live across the try, and the session after each. Type tag
// of an i64 payload: 100000 + 64*2 + 1 = 100129; of a text: 300003.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include <chrono>
#include <cstdio>

using namespace spl;
using namespace spl::jit;
using namespace spl::jit::test;

namespace {

void expectJit(const std::string &Text, const Outcome &Want,
               const std::string &Fn = "main",
               const std::vector<uint64_t> &Args = {}) {
  mir::Module M = parse(Text);
  for (const Backend &B : {JitO0, JitO2})
    EXPECT_EQ(run(B, M, Fn, Args), Want) << "on " << B.name();
}

/// `l0(x)` throws (x, 100129); `lK(x)` calls `l(K-1)(x + 1)` with a plain
/// call and prints "not reached" after it.
std::string chain(unsigned Depth) {
  std::string S = R"(
fn @l0(i64) -> i64 {
  let _1: i64 arg 0
bb0:
  throw copy _1, const i64 100129
}
)";
  for (unsigned K = 1; K < Depth; ++K) {
    std::string N = std::to_string(K), P = std::to_string(K - 1);
    S += "\nfn @l" + N + R"((i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = binop add copy _1, const i64 1
  _0 = call @l)" +
         P + R"((copy _2) : fn(i64) -> i64
  call @rt_println(const *u8 "not reached") : fn(*u8)
  return
}
)";
  }
  return S;
}

/// main catches what l(Depth-1)(42) raises: payload + tag.
std::string catchFrom(unsigned Depth) {
  return chain(Depth) + R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
  let _2: i64 temp
  let _3: i64 temp
bb0:
  _1 = invoke @l)" +
         std::to_string(Depth - 1) +
         R"((const i64 42) : fn(i64) -> i64 normal bb1 unwind bb2 payload _2 tag _3
bb1:
  return const i64 -1
bb2:
  _0 = binop add copy _2, copy _3
  return
}
)";
}

TEST(Exceptions, CatchAcrossOneTwoAndFiveFrames) {
  // The payload grows by one per plain-call frame it passes.
  expectJit(catchFrom(1), {"", "ret " + std::to_string(42 + 100129)});
  expectJit(catchFrom(2), {"", "ret " + std::to_string(43 + 100129)});
  expectJit(catchFrom(5), {"", "ret " + std::to_string(46 + 100129)});
}

const char *DispatchProgram = R"(
fn @raise(i64, i64) -> i64 {
  let _1: i64 arg 0
  let _2: i64 arg 1
bb0:
  throw copy _1, copy _2
}

; Catches tags 1 and 2, re-raises anything else.
fn @dispatch(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
  let _3: i64 temp
bb0:
  _0 = invoke @raise(const i64 5, copy _1) : fn(i64, i64) -> i64 normal bb1 unwind bb2 payload _2 tag _3
bb1:
  return
bb2:
  switch copy _3 [1: bb3, 2: bb4, otherwise: bb5]
bb3:
  _0 = binop add copy _2, const i64 10
  return
bb4:
  _0 = binop add copy _2, const i64 20
  return
bb5:
  resume copy _2, copy _3
}

; Catches what dispatch re-raises.
fn @outer(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
  let _3: i64 temp
bb0:
  _0 = invoke @dispatch(copy _1) : fn(i64) -> i64 normal bb1 unwind bb2 payload _2 tag _3
bb1:
  return
bb2:
  _0 = binop mul copy _3, const i64 1000
  _0 = binop add copy _0, copy _2
  return
}
)";

TEST(Exceptions, TagDispatchAndRethrowThroughResume) {
  expectJit(DispatchProgram, {"", "ret 15"}, "dispatch", {1});
  expectJit(DispatchProgram, {"", "ret 25"}, "dispatch", {2});
  expectJit(DispatchProgram,
            {"", "error: runtime error in `dispatch`: uncaught exception "
                 "(type tag 3)"},
            "dispatch", {3});
  expectJit(DispatchProgram, {"", "ret 15"}, "outer", {1});
  expectJit(DispatchProgram, {"", "ret 7005"}, "outer", {7});
}

TEST(Exceptions, RaisesInsideALoopAndNormalReturns) {
  // maybe(i) returns i when i is even and raises i * 100 when it is odd;
  // the loop adds whichever it gets: 0+2+4+6+8 + 100+300+500+700+900.
  // The sum is modified before every try and read after every catch.
  expectJit(R"(
fn @maybe(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
  let _3: bool temp
bb0:
  _2 = binop rem copy _1, const i64 2
  _3 = binop eq copy _2, const i64 0
  if copy _3 then bb1 else bb2
bb1:
  _0 = copy _1
  return
bb2:
  _2 = binop mul copy _1, const i64 100
  throw copy _2, const i64 100129
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
  let _2: i64 temp
  let _3: i64 temp
  let _4: bool temp
  let _5: i64 temp
bb0:
  _1 = const i64 0
  _0 = const i64 0
  goto bb1
bb1:
  _4 = binop lt copy _1, const i64 10
  if copy _4 then bb2 else bb5
bb2:
  _1 = binop add copy _1, const i64 1
  _5 = binop sub copy _1, const i64 1
  _2 = invoke @maybe(copy _5) : fn(i64) -> i64 normal bb3 unwind bb4 payload _3
bb3:
  _0 = binop add copy _0, copy _2
  goto bb1
bb4:
  _0 = binop add copy _0, copy _3
  goto bb1
bb5:
  return
}
)",
            {"", "ret 2520"});
}

TEST(Exceptions, NoUnwindInvokeLetsTheRaisePass) {
  expectJit(chain(1) + R"(
fn @mid() -> i64 {
  let _0: i64 return
bb0:
  _0 = invoke @l0(const i64 8) : fn(i64) -> i64 normal bb1
bb1:
  call @rt_println(const *u8 "not reached") : fn(*u8)
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
bb0:
  _0 = invoke @mid() : fn() -> i64 normal bb1 unwind bb2 payload _1
bb1:
  return const i64 -1
bb2:
  _0 = copy _1
  return
}
)",
            {"", "ret 8"});
}

TEST(Exceptions, UncaughtTexts) {
  std::string Text = R"(
fn @int_raise() -> i64 {
bb0:
  throw const i64 4, const i64 100129
}

fn @text_raise() -> i64 {
bb0:
  throw const opaque "str" "boom", const i64 300003
}

fn @main() -> i64 {
  let _0: i64 return
bb0:
  call @rt_print(const *u8 "a ") : fn(*u8)
  _0 = call @int_raise() : fn() -> i64
  return
}

fn @main2() -> i64 {
  let _0: i64 return
bb0:
  _0 = invoke @text_raise() : fn() -> i64 normal bb1
bb1:
  return
}
)";
  expectJit(Text, {"a ", "error: runtime error in `int_raise`: uncaught "
                         "exception (type tag 100129)"});
  expectJit(Text,
            {"", "error: runtime error in `text_raise`: uncaught "
                 "exception: boom"},
            "main2");
}

TEST(Exceptions, LocalsAndMemoryAcrossTheTry) {
  // Locals computed before the try keep their values after the catch;
  // memory the callee wrote before raising is seen (also when the callee is
  // inlined at -O2). 15 locals stress the callee-saved registers.
  std::string Text = R"(
fn @writer(*mut i64, i64) -> i64 {
  let _0: i64 return
  let _1: *mut i64 arg 0
  let _2: i64 arg 1
bb0:
  store copy _1, const i64 7
  throw copy _2, const i64 100129
}

fn @main(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: *mut i64 temp
  let _3: i64 temp
  let _4: i64 temp
  let _5: i64 temp
  let _6: f64 temp
  let _7: i64 temp
  let _8: i64 temp
  let _9: i64 temp
  let _10: i64 temp
  let _11: i64 temp
  let _12: i64 temp
  let _13: i64 temp
  let _14: i64 temp
  let _15: i64 temp
bb0:
  _2 = alloc i64
  store copy _2, const i64 1
  _3 = binop mul copy _1, const i64 3
  _4 = binop add copy _1, const i64 100
  _6 = cast copy _1 to f64
  _6 = binop mul copy _6, const f64 0.5
  _7 = binop add copy _1, const i64 1
  _8 = binop add copy _1, const i64 2
  _9 = binop add copy _1, const i64 3
  _10 = binop add copy _1, const i64 4
  _11 = binop add copy _1, const i64 5
  _12 = binop add copy _1, const i64 6
  _13 = binop add copy _1, const i64 7
  _5 = invoke @writer(copy _2, copy _4) : fn(*mut i64, i64) -> i64 normal bb1 unwind bb2 payload _14
bb1:
  return const i64 -1
bb2:
  _15 = load copy _2
  _0 = binop mul copy _3, const i64 1000
  _0 = binop add copy _0, copy _15
  _0 = binop add copy _0, copy _14
  _5 = cast copy _6 to i64
  _0 = binop add copy _0, copy _5
  _0 = binop add copy _0, copy _7
  _0 = binop add copy _0, copy _8
  _0 = binop add copy _0, copy _9
  _0 = binop add copy _0, copy _10
  _0 = binop add copy _0, copy _11
  _0 = binop add copy _0, copy _12
  _0 = binop add copy _0, copy _13
  return
}
)";
  // x = 10: 30*1000 + 7 + 110 + 5 + (11+12+...+17 = 98) = 30220.
  expectJit(Text, {"", "ret 30220"}, "main", {10});
}

TEST(Exceptions, SsaPhiAfterTheUnwindEdge) {
  // The unwind block's predecessor is the invoking block.
  expectJit(chain(1) + R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
bb0:
  goto bb1
bb1:
  _1 = invoke @l0(const i64 1) : fn(i64) -> i64 normal bb2 unwind bb2
bb2:
  _0 = intrinsic __simple_ssa_phi(const i64 0, const i64 5, const i64 1, const i64 6)
  return
}
)",
            {"", "ret 6"});
}

TEST(Exceptions, RaiseThroughFunctionPointersAndCallbacks) {
  useTestLibraries();
  std::string Text = R"(
fn @cb(i64) -> i64 {
  let _1: i64 arg 0
bb0:
  throw copy _1, const i64 7
}

; MIR -> MIR through a function pointer: no C frame, the raise is caught.
fn @direct() -> i64 {
  let _0: i64 return
  let _1: fn(i64) -> i64 temp
  let _2: i64 temp
bb0:
  _1 = const fn(i64) -> i64 @cb
  _0 = invoke copy _1(const i64 3) normal bb1 unwind bb2 payload _2
bb1:
  return const i64 -1
bb2:
  _0 = copy _2
  return
}

; Through C (rt_testlib_apply_i64 calls cb): the raise ends at that edge.
fn @via_c() -> i64 {
  let _0: i64 return
  let _1: i64 temp
bb0:
  _0 = invoke @rt_testlib_apply_i64(const fn(i64) -> i64 @cb, const i64 4) : fn(fn(i64) -> i64, i64) -> i64 normal bb1 unwind bb2 payload _1
bb1:
  return const i64 -1
bb2:
  call @rt_println(const *u8 "caught through C") : fn(*u8)
  return const i64 -2
}
)";
  mir::Module M = parse(Text);
  for (unsigned Opt : {0u, 2u}) {
    Options O;
    O.OptLevel = Opt;
    auto S = newSession(O);
    ASSERT_TRUE(S);
    ASSERT_EQ(errorText(S->load(M)), "<success>");
    auto Call = [&](const char *Fn) {
      return callCapturing([&] { return S->call(Fn, {}); });
    };
    EXPECT_EQ(Call("direct"), (Outcome{"", "ret 3"})) << Opt;
    EXPECT_EQ(Call("via_c"),
              (Outcome{"", "error: runtime error in `cb`: uncaught exception "
                           "(type tag 7)"}))
        << Opt;
    // The session, its EH chain and its depth count are fine afterwards.
    EXPECT_EQ(Call("direct"), (Outcome{"", "ret 3"})) << Opt;
    EXPECT_EQ(Call("via_c"),
              (Outcome{"", "error: runtime error in `cb`: uncaught exception "
                           "(type tag 7)"}))
        << Opt;
  }
}

TEST(Exceptions, SessionIsUsableAfterEachOutcome) {
  mir::Module M = parse(DispatchProgram);
  for (unsigned Opt : {0u, 2u}) {
    Options O;
    O.OptLevel = Opt;
    auto S = newSession(O);
    ASSERT_TRUE(S);
    ASSERT_EQ(errorText(S->load(M)), "<success>");
    auto Call = [&](uint64_t Tag) {
      return callCapturing([&] { return S->call("dispatch", {Tag}); });
    };
    for (int Round = 0; Round < 3; ++Round) {
      EXPECT_EQ(Call(9), (Outcome{"", "error: runtime error in `dispatch`: "
                                      "uncaught exception (type tag 9)"}));
      EXPECT_EQ(Call(1), (Outcome{"", "ret 15"}));
      EXPECT_EQ(Call(2), (Outcome{"", "ret 25"}));
    }
    // A trap inside a try is not an exception: it ends the call.
    ASSERT_EQ(errorText(S->load(parse(R"(
fn @trapper() -> i64 {
  let _0: i64 return
bb0:
  _0 = binop div const i64 1, const i64 0
  return
}

fn @guarded() -> i64 {
  let _0: i64 return
bb0:
  _0 = invoke @trapper() : fn() -> i64 normal bb1 unwind bb2
bb1:
  return
bb2:
  return const i64 -7
}
)"))),
              "<success>");
    EXPECT_EQ(callCapturing([&] { return S->call("guarded", {}); }),
              (Outcome{"", "error: runtime error in `trapper`: attempt to "
                           "divide by zero"}));
    EXPECT_EQ(Call(1), (Outcome{"", "ret 15"}));
  }
}

/// ns per throw+catch, Depth frames up (printed, never asserted).
double timeThrowCatch(unsigned Depth, uint64_t N) {
  std::string Text =
      chain(Depth) + R"(
fn @bench(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
  let _3: i64 temp
  let _4: bool temp
  let _5: i64 temp
bb0:
  _2 = const i64 0
  goto bb1
bb1:
  _4 = binop lt copy _2, copy _1
  if copy _4 then bb2 else bb4
bb2:
  _2 = binop add copy _2, const i64 1
  _5 = invoke @l)" +
      std::to_string(Depth - 1) +
      R"((copy _2) : fn(i64) -> i64 normal bb1 unwind bb3 payload _3
bb3:
  _0 = binop add copy _0, copy _3
  goto bb1
bb4:
  return
}
)";
  Options O;
  O.OptLevel = 2;
  auto S = newSession(O);
  if (!S || S->load(parse(Text)))
    return -1;
  (void)S->call("bench", {1000});
  auto T0 = std::chrono::steady_clock::now();
  llvm::Expected<uint64_t> R = S->call("bench", {N});
  double Ns = std::chrono::duration<double, std::nano>(
                  std::chrono::steady_clock::now() - T0)
                  .count();
  if (!R) {
    llvm::consumeError(R.takeError());
    return -1;
  }
  // The sum of (i + Depth - 1) for i = 1..N.
  EXPECT_EQ(*R, N * (N + 1) / 2 + N * (Depth - 1));
  return Ns / double(N);
}

TEST(Exceptions, ThrowCatchTiming) {
  for (unsigned Depth : {1u, 5u})
    std::printf("[ timing ] throw+catch %u frame(s) up: %.1f ns\n", Depth,
                timeThrowCatch(Depth, 2000000));
}

} // namespace
