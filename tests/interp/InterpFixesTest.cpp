//===- tests/interp/InterpFixesTest.cpp - Cases the JIT comparison found --===//
//
// Programs in the text form where the interpreter once disagreed with the
// JIT: the operation type of a BinOp whose left operand is a constant, and
// locals read before anything wrote them (they start at zero).
//
//===----------------------------------------------------------------------===//
#include "InterpTestUtil.h"

#include "mir/MIR.h"

using namespace spl;
using namespace spl::interp;
using namespace spl::interp::test;

namespace {

/// Loads Text and calls Name with Args.
Outcome runText(const std::string &Text, const std::string &Name,
                const std::vector<uint64_t> &Args = {}) {
  auto M = mir::parseText(Text);
  if (!M)
    return error("parse: " + llvm::toString(M.takeError()));
  auto In = Interpreter::create();
  if (!In)
    return error("create: " + llvm::toString(In.takeError()));
  if (llvm::Error E = (*In)->load(*M))
    return error("load: " + llvm::toString(std::move(E)));
  auto R = (*In)->call(Name, Args);
  if (!R)
    return error(llvm::toString(R.takeError()));
  return value(*R);
}

TEST(InterpFixes, ConstantShiftedByAWiderLocalShiftsInTheLeftType) {
  // 10 is too large an amount for i8, though not for the amount's i32.
  const char *Shl = R"(
fn @main(i32) -> i64 {
  let _0: i64 return
  let _1: i32 arg 0
  let _2: i8 temp
bb0:
  _2 = binop shl const i8 48, copy _1
  _0 = cast copy _2 to i64
  return
}
)";
  EXPECT_EQ(runText(Shl, "main", {10}),
            error("runtime error in `main`: attempt to shift left with "
                  "overflow"));
  EXPECT_EQ(runText(Shl, "main", {2}), value(I(-64))); // 192 wraps in i8
}

TEST(InterpFixes, ConstantOnTheLeftKeepsItsSignedness) {
  // u8 200 >> 1 is logical (100); as i32 it would be the same, but an i8
  // shift right of 200 (-56) would give -28: the left type decides.
  const char *Shr = R"(
fn @main(i32) -> i64 {
  let _0: i64 return
  let _1: i32 arg 0
  let _2: u8 temp
bb0:
  _2 = binop shr const u8 200, copy _1
  _0 = cast copy _2 to i64
  return
}
)";
  EXPECT_EQ(runText(Shr, "main", {1}), value(100));
  EXPECT_EQ(runText(Shr, "main", {8}),
            error("runtime error in `main`: attempt to shift right with "
                  "overflow"));
}

// dirty(x) leaves 77 in its frame's slot 2; main calls it, then maybe(x),
// whose _2 (the same slot) is written only when x > 100.
const char *DirtyThenMaybe = R"(
fn @dirty(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = const i64 77
  _0 = binop add copy _2, copy _1
  return
}

fn @main(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
bb0:
  _2 = call @dirty(copy _1) : fn(i64) -> i64
  _0 = call @maybe(copy _1) : fn(i64) -> i64
  return
}
)";

TEST(InterpFixes, LocalsReadBeforeWrittenAreZero) {
  // _2 is written only on the path not taken; a frame left on the stack
  // by the call before (which wrote 77 in the same slot) must not show.
  std::string Text = std::string(DirtyThenMaybe) + R"(
fn @maybe(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
  let _3: bool temp
bb0:
  _3 = binop gt copy _1, const i64 100
  if copy _3 then bb1 else bb2
bb1:
  _2 = const i64 5
  goto bb2
bb2:
  _0 = copy _2
  return
}
)";
  EXPECT_EQ(runText(Text, "main", {1}), value(0));
  EXPECT_EQ(runText(Text, "main", {101}), value(5));
}

TEST(InterpFixes, LocalsReadBeforeWrittenAreZeroInAHugeFunction) {
  // As above, with `maybe` padded to 5,000 locals and 5,000 blocks: past
  // 2^24 block x local bits the interpreter's analysis is the linear
  // block-local rule (interp/InitAnalysis.cpp), which must still zero _2.
  std::string Maybe = "fn @maybe(i64) -> i64 {\n  let _0: i64 return\n"
                      "  let _1: i64 arg 0\n  let _2: i64 temp\n"
                      "  let _3: bool temp\n";
  const int Pad = 5000;
  for (int I = 4; I <= Pad; ++I)
    Maybe += "  let _" + std::to_string(I) + ": i64 temp\n";
  Maybe += "bb0:\n  _3 = binop gt copy _1, const i64 100\n"
           "  if copy _3 then bb1 else bb2\nbb1:\n  _2 = const i64 5\n"
           "  goto bb2\nbb2:\n  _0 = copy _2\n  goto bb3\n";
  for (int B = 3; B < Pad; ++B) // bbB writes _(B+1): the i64 padding
    Maybe += "bb" + std::to_string(B) + ":\n  _" + std::to_string(B + 1) +
             " = copy _0\n" +
             (B + 1 < Pad ? "  goto bb" + std::to_string(B + 1) + "\n"
                          : std::string("  return\n"));
  Maybe += "}\n";
  std::string Text = DirtyThenMaybe + Maybe;
  EXPECT_EQ(runText(Text, "main", {1}), value(0));
  EXPECT_EQ(runText(Text, "main", {101}), value(5));
}

TEST(InterpFixes, ReturnLocalNeverWrittenIsZero) {
  const char *Text = R"(
fn @dirty() -> i64 {
  let _0: i64 return
bb0:
  _0 = const i64 -1
  return
}

fn @never() -> i64 {
  let _0: i64 return
bb0:
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
bb0:
  _1 = call @dirty() : fn() -> i64
  _0 = call @never() : fn() -> i64
  return
}
)";
  EXPECT_EQ(runText(Text, "main"), value(0));
}

} // namespace
