//===- tests/mir/VerifierTest.cpp - verify(): what passes, how errors read ===//
//
// Each rule's exact message is pinned by the files in tests/bad/; these tests
// cover what must pass, and how places and text positions are named.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace spl::mir;
using spl::mir::test::loadError;

namespace {

TEST(MirVerifier, ExamplesPass) {
  // The repository's examples (fib.json and arrays.json are the contract's
  // own examples, byte for byte).
  auto Dir = spl::mir::test::sourceDir() / "examples";
  size_t N = 0;
  for (const auto &P : spl::mir::test::filesIn(Dir, {".json", ".mir"})) {
    std::optional<std::string> Text = spl::mir::test::readFile(P);
    ASSERT_TRUE(Text.has_value()) << P;
    EXPECT_EQ(loadError(*Text, P.filename().string()), "") << P;
    ++N;
  }
  EXPECT_GE(N, 4u) << "examples/ should hold fib, arrays and the torch ones";
}

TEST(MirVerifier, AllFeaturesSamplePasses) {
  std::optional<std::string> Text = spl::mir::test::readFile(
      spl::mir::test::sourceDir() / "tests" / "mir" / "all_features.mir");
  ASSERT_TRUE(Text.has_value());
  EXPECT_EQ(loadError(*Text, "all_features.mir"), "");
}

TEST(MirVerifier, WellFormedTextPasses) {
  EXPECT_EQ(loadError(R"(module "ok"
extern @printf(*u8, ...) -> i32
extern @rt_geom_area(f64, f64) -> f64

fn @area(f64, f64) -> f64 #1 {
  let _1 w: f64 arg 0
  let _2 h: f64 arg 1
  let _3: f64 temp
  let _4: i32 temp
  let _5: *u8 temp
  let _6: [f64; 4] temp
  let _7: *mut [f64; 4] temp
  let _8: *mut f64 temp
  let _9: fn(f64, f64) -> f64 temp
  let _10: i64 temp
  let _11: bool temp
bb0:
  _3 = call @rt_geom_area(copy _1, copy _2) : fn(f64, f64) -> f64
  _5 = const *u8 "%f\n"
  _4 = call @printf(copy _5, copy _3, const i64 1) : fn(*u8, ...) -> i32
  _7 = alloc [f64; 4]
  _8 = gep copy _7, const i64 0, const u8 2
  store copy _8, copy _3
  _3 = load copy _8
  _8 = binop offset copy _8, const i32 1
  _9 = const fn(f64, f64) -> f64 @area
  _3 = call_indirect copy _9(copy _1, copy _2) : fn(f64, f64) -> f64
  _3 = call copy _9(copy _1, copy _2)
  _3 = intrinsic pow(copy _1, copy _2)
  _10 = bitcast copy _3 to i64
  _10 = cast copy _8 to i64
  _11 = binop lt copy _1, copy _2
  _10 = cast copy _11 to i64
  _10 = binop shl copy _10, const u32 3
  _10 = binop pow copy _10, const u32 3
  _11 = unop not copy _11
  switch copy _10 [-1: bb1, 7: bb1, otherwise: bb2]
bb1:
  return copy _3
bb2:
  abort "no"
}

fn @unit() {
bb0:
  return
}
)"),
            "");
}

TEST(MirVerifier, TextPositionsAreAppended) {
  EXPECT_EQ(loadError(R"(fn @f() -> i64 {
  let _0: i64 return
  let _1: f64 temp
bb0:
  _1 = const f64 1.0
  _0 = copy _1
  return
}
)",
                      "t.mir"),
            "function `f`, block bb0, instruction 1: dest _0 has type i64 but "
            "the result is f64 (at 6:3)");
  EXPECT_EQ(loadError(R"(fn @f() -> i64 {
bb0 start:
  nop
  return
}
)"),
            "function `f`, block bb0 (start), terminator: return without a "
            "value in a function that returns i64 and has no Return local "
            "(at 4:3)");
  EXPECT_EQ(loadError("fn @f() {\nbb0:\n  nop\n}\n"),
            "function `f`, block bb0: block has no terminator (at 2:1)");
}

TEST(MirVerifier, CallsUseTheModulesOwnSignature) {
  // The call's FuncPtr type says i64, but the module's g takes f64: the
  // definition wins.
  EXPECT_EQ(loadError(R"(fn @g(f64) -> f64 {
  let _1: f64 arg 0
bb0:
  return copy _1
}
fn @f() {
  let _1: i64 temp
bb0:
  _1 = call @g(const i64 1) : fn(i64) -> i64
  return
}
)"),
            "function `f`, block bb0, instruction 0: argument 0 of `g` "
            "`const i64 1` has type i64, the parameter is f64 (at 9:3)");
  // A callee the module does not define is checked against its FuncPtr type.
  EXPECT_EQ(loadError(R"(fn @f() {
  let _1: i64 temp
bb0:
  _1 = call @later(const i64 1) : fn(i64) -> i64
  _1 = call @later(const i64 1, const i64 2) : fn(i64) -> i64
  return
}
)"),
            "function `f`, block bb0, instruction 1: call of `later` passes 2 "
            "arguments, its signature fn(i64) -> i64 takes 1 (at 5:3)");
  // A call by symbol finds the module's function.
  EXPECT_EQ(loadError(R"(fn @g() -> i64 #7 {
bb0:
  return const i64 1
}
fn @f() {
  let _1: f64 temp
bb0:
  _1 = call #7() : fn() -> f64
  return
}
)"),
            "function `f`, block bb0, instruction 0: dest _1 has type f64 but "
            "`g` returns i64 (at 8:3)");
}

TEST(MirVerifier, ReturnRules) {
  // Return null is fine with a Return local, and in unit functions.
  EXPECT_EQ(loadError("fn @f() -> i64 {\n let _0: i64 return\nbb0:\n return\n}"),
            "");
  EXPECT_EQ(loadError("fn @f() -> never {\nbb0:\n return\n}"), "");
  EXPECT_EQ(loadError("fn @f() -> i64 {\nbb0:\n return const i32 1\n}"),
            "function `f`, block bb0, terminator: the returned value `const "
            "i32 1` has type i32, expected i64 (at 3:2)");
}

TEST(MirVerifier, JSONErrorsHaveNoPosition) {
  EXPECT_EQ(loadError(R"({"name": "f", "symbol": 1,
    "signature": {"params": [], "return_type": "I64", "is_variadic": false},
    "locals": [], "blocks": [{"id": 3, "label": "top", "instructions": [],
    "terminator": {"Goto": 9}}], "entry_block": 3})"),
            "function `f`, block bb3 (top), terminator: goto block bb9 does "
            "not exist");
}

} // namespace
