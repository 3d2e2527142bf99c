//===- tests/interp/InterpMemoryTest.cpp - Alloc, GEP, Load, Store --------===//
//
// docs/SEMANTICS.md "Memory": widths in memory, sign/zero extension on
// load, Bool as a byte read as nonzero, one zeroed area per Alloc per frame,
// GetElementPtr with one and two indices, Offset.
//
//===----------------------------------------------------------------------===//

#include "InterpTestUtil.h"

using namespace spl::interp::test;

namespace {

const std::string I64 = ty("I64");

/// f() -> R: stores V (of type T) into an Alloc'd T and loads it back as R
/// through a pointer to R (the same bytes, read at R's width).
std::string storeLoad(const std::string &Name, const char *T, const char *V,
                      const char *R) {
  std::string TT = ty(T), RT = ty(R);
  return func(Name, {}, RT,
              {retLocal(0, RT), varLocal(1, ptrTy(TT)), varLocal(2, ptrTy(RT))},
              {block(0,
                     {allocI(1, TT), storeI(cp(1), k(V, TT)),
                      castI(2, cp(1), ptrTy(RT)), loadI(0, cp(2))},
                     retT(cp(0)))});
}

TEST_F(InterpTest, LoadsExtendByTheirType) {
  mustLoad(module({
      storeLoad("i8", "I8", "-2", "I8"),
      storeLoad("u8", "I8", "-2", "U8"),
      storeLoad("i16", "U16", "65535", "I16"),
      storeLoad("u16", "I16", "-1", "U16"),
      storeLoad("i32", "U32", "4294967295", "I32"),
      storeLoad("u32", "I32", "-1", "U32"),
      storeLoad("i64", "I64", "-5", "I64"),
      storeLoad("f64", "F64", "2.5", "F64"),
      storeLoad("f32", "F32", "2.5", "F32"),
      storeLoad("char", "Char", "955", "Char"),
      storeLoad("bool_from_byte", "U8", "2", "Bool"),
      storeLoad("bool", "Bool", "true", "Bool"),
  }));
  EXPECT_EQ(run("i8"), I(-2));
  EXPECT_EQ(run("u8"), 254u);
  EXPECT_EQ(run("i16"), I(-1));
  EXPECT_EQ(run("u16"), 0xffffu);
  EXPECT_EQ(run("i32"), I(-1));
  EXPECT_EQ(run("u32"), 0xffffffffu);
  EXPECT_EQ(run("i64"), I(-5));
  EXPECT_EQ(run("f64"), F64(2.5));
  EXPECT_EQ(run("f32"), F32(2.5f));
  EXPECT_EQ(run("char"), 955u);
  EXPECT_EQ(run("bool_from_byte"), 1u); // nonzero reads as true
  EXPECT_EQ(run("bool"), 1u);
}

TEST_F(InterpTest, StoresWriteOnlyTheirWidth) {
  // A U8 store into the low byte of an I64 that holds -1 leaves the rest.
  std::string U8 = ty("U8");
  mustLoad(module({func(
      "f", {}, I64, {retLocal(0, I64), varLocal(1, ptrTy(I64)),
                     varLocal(2, ptrTy(U8))},
      {block(0,
             {allocI(1, I64), storeI(cp(1), k("-1", I64)),
              castI(2, cp(1), ptrTy(U8)), storeI(cp(2), k("0", U8)),
              loadI(0, cp(1))},
             retT(cp(0)))})}));
  EXPECT_EQ(run("f"), I(-256)); // 0xffff...ff00 on little-endian x86-64
}

TEST_F(InterpTest, AllocIsZeroedEveryTimeItRuns) {
  // for i in 0..3 { p = alloc i64; sum += *p; *p = 7 } -> sum == 0
  std::string B = ty("Bool"), P = ptrTy(I64);
  mustLoad(module({func(
      "f", {}, I64,
      {retLocal(0, I64), varLocal(1, I64), varLocal(2, P), varLocal(3, I64),
       varLocal(4, B)},
      {block(0, {constI(0, "0", I64), constI(1, "0", I64)}, gotoT(1)),
       block(1, {binI(4, "Lt", cp(1), k("3", I64))}, ifT(cp(4), 2, 3)),
       block(2,
             {allocI(2, I64), loadI(3, cp(2)), binI(0, "Add", cp(0), cp(3)),
              storeI(cp(2), k("7", I64)), binI(1, "Add", cp(1), k("1", I64))},
             gotoT(1)),
       block(3, {}, retT())})}));
  EXPECT_EQ(run("f"), 0u);
}

TEST_F(InterpTest, EachFrameHasItsOwnAllocArea) {
  // rec(n): p = alloc; *p = n; if n > 0 { rec(n - 1) }; return *p * 10 + ...
  // Each frame must read back its own n after the deeper calls wrote theirs.
  std::string B = ty("Bool"), P = ptrTy(I64);
  std::string RecTy = fnTy({I64}, I64);
  mustLoad(module({func(
      "rec", {I64}, I64,
      {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, P), varLocal(3, B),
       varLocal(4, I64), varLocal(5, I64)},
      {block(0,
             {allocI(2, I64), storeI(cp(2), cp(1)), constI(4, "0", I64),
              binI(3, "Gt", cp(1), k("0", I64))},
             ifT(cp(3), 1, 2)),
       block(1,
             {binI(5, "Sub", cp(1), k("1", I64)),
              callI(4, fnRef("rec", RecTy), {cp(5)})},
             gotoT(2)),
       block(2,
             {loadI(5, cp(2)), binI(0, "Mul", cp(4), k("10", I64)),
              binI(0, "Add", cp(0), cp(5))},
             retT())})}));
  EXPECT_EQ(run("rec", {4}), 1234u); // digits n, n-1, ... 1, 0 read back
}

TEST_F(InterpTest, GetElementPtrWithOneAndTwoIndices) {
  // a: [i32; 5]; a[i] = i * 3 through p + (0, i); then read a[3] through
  // a one-index GEP on a *i32 and through Offset.
  std::string I32 = ty("I32"), Arr = arrTy(I32, 5), B = ty("Bool");
  mustLoad(module({func(
      "f", {I64}, I32,
      {retLocal(0, I32), argLocal(1, I64, 0), varLocal(2, ptrTy(Arr)),
       varLocal(3, ptrTy(I32)), varLocal(4, I64), varLocal(5, B),
       varLocal(6, I32), varLocal(7, I32), varLocal(8, ptrTy(I32))},
      {block(0, {allocI(2, Arr), constI(4, "0", I64)}, gotoT(1)),
       block(1, {binI(5, "Lt", cp(4), k("5", I64))}, ifT(cp(5), 2, 3)),
       block(2,
             {gepI(3, cp(2), {k("0", I64), cp(4)}), castI(6, cp(4), I32),
              binI(6, "Mul", cp(6), k("3", I32)), storeI(cp(3), cp(6)),
              binI(4, "Add", cp(4), k("1", I64))},
             gotoT(1)),
       block(3,
             {gepI(3, cp(2), {k("0", I64), k("0", I64)}), // &a[0]
              gepI(8, cp(3), {cp(1)}),                    // &a[arg]
              loadI(6, cp(8)),
              binI(8, "Offset", cp(3), k("4", I64)), // &a[4]
              loadI(7, cp(8)), binI(0, "Add", cp(6), cp(7))},
             retT())})}));
  EXPECT_EQ(run("f", {3}), 9u + 12u);
  EXPECT_EQ(run("f", {0}), 0u + 12u);
}

TEST_F(InterpTest, GetElementPtrOverRowsAndNegativeIndices) {
  // m: [[i64; 3]; 2] as *[i64; 3]; m + 1 rows + 2 -> element 5; and a
  // negative first index steps back a whole row.
  std::string Row = arrTy(I64, 3), Arr = arrTy(Row, 2), P = ptrTy(I64);
  mustLoad(module({func(
      "f", {I64, I64}, I64,
      {retLocal(0, I64), argLocal(1, I64, 0), argLocal(2, I64, 1),
       varLocal(3, ptrTy(Arr)), varLocal(4, ptrTy(Row)), varLocal(5, P),
       varLocal(6, P), varLocal(7, ptrTy(Row))},
      {block(0,
             {allocI(3, Arr), castI(4, cp(3), ptrTy(Row)),
              gepI(5, cp(4), {k("1", I64), k("2", I64)}), // m[1][2]
              storeI(cp(5), k("42", I64)),
              gepI(6, cp(4), {cp(1), cp(2)}), // m[i][j]
              loadI(0, cp(6)),
              gepI(7, cp(4), {k("1", I64)}), // row 1
              gepI(6, cp(7), {k("-1", I64), k("2", I64)}), // row 0, col 2
              storeI(cp(6), k("5", I64)),
              gepI(6, cp(4), {k("0", I64), cp(2)}), loadI(1, cp(6)),
              binI(0, "Add", cp(0), cp(1))},
             retT())})}));
  EXPECT_EQ(run("f", {1, 2}), 42u + 5u);
  EXPECT_EQ(run("f", {0, 2}), 0u + 5u);
}

TEST_F(InterpTest, BoolStoresOneByte) {
  std::string B = ty("Bool"), Arr = arrTy(B, 2);
  mustLoad(module({func(
      "f", {}, I64,
      {retLocal(0, I64), varLocal(1, ptrTy(Arr)), varLocal(2, ptrTy(B)),
       varLocal(3, ptrTy(ty("U16"))), varLocal(4, ty("U16"))},
      {block(0,
             {allocI(1, Arr), gepI(2, cp(1), {k("0", I64), k("1", I64)}),
              storeI(cp(2), k("true", B)), castI(3, cp(1), ptrTy(ty("U16"))),
              loadI(4, cp(3)), castI(0, cp(4), I64)},
             retT())})}));
  EXPECT_EQ(run("f"), 0x100u); // byte 1 is 1, byte 0 is 0
}

} // namespace
