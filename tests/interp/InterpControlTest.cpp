//===- tests/interp/InterpControlTest.cpp - Blocks, terminators, loads ----===//
//
// Goto/If/Switch/Return/Unreachable/Abort, the lowering's fusions (compare
// and branch, writing a temporary's copy directly) where they must not change
// behaviour, and what load() rejects.
//
//===----------------------------------------------------------------------===//

#include "InterpTestUtil.h"

using namespace spl::interp::test;

namespace {

const std::string I64 = ty("I64");
const std::string B = ty("Bool");

/// sum(n) = 1 + 2 + ... + n with the loop test in its own block.
std::string sumFn() {
  return func("sum", {I64}, I64,
              {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, I64),
               varLocal(3, B)},
              {block(0, {constI(0, "0", I64), constI(2, "1", I64)}, gotoT(1)),
               block(1, {binI(3, "Le", cp(2), cp(1))}, ifT(cp(3), 2, 3)),
               block(2,
                     {binI(0, "Add", cp(0), cp(2)),
                      binI(2, "Add", cp(2), k("1", I64))},
                     gotoT(1)),
               block(3, {}, retT())});
}

TEST_F(InterpTest, LoopsWithGotoAndIf) {
  mustLoad(module({sumFn()}));
  EXPECT_EQ(run("sum", {100}), 5050u);
  EXPECT_EQ(run("sum", {0}), 0u);
  EXPECT_EQ(run("sum", {I(-5)}), 0u);
}

TEST_F(InterpTest, ConditionUsedAfterTheBranch) {
  // The comparison's Bool is read again after the If: it must be written.
  // `then` next in layout (f) and `else` next (g).
  auto Fn = [](const char *Name, unsigned Then, unsigned Else) {
    return func(
        Name, {I64}, I64,
        {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, B)},
        {block(0, {binI(2, "Lt", cp(1), k("10", I64))}, ifT(cp(2), Then, Else)),
         block(1, {constI(0, "100", I64)}, gotoT(3)),
         block(2, {constI(0, "200", I64)}, gotoT(3)),
         block(3, {castI(1, cp(2), I64), binI(0, "Add", cp(0), cp(1))},
               retT())});
  };
  mustLoad(module({Fn("f", 1, 2), Fn("g", 2, 1)}));
  EXPECT_EQ(run("f", {3}), 101u);
  EXPECT_EQ(run("f", {30}), 200u);
  EXPECT_EQ(run("g", {3}), 201u);
  EXPECT_EQ(run("g", {30}), 100u);
}

TEST_F(InterpTest, BranchesOnEveryComparisonBothWays) {
  // For each comparison: if (a OP b) 1 else 0, once with `then` next in
  // layout (inverted branch) and once with `else` next; plus constants left.
  Strs Fns;
  auto Fn = [&](const std::string &Name, const char *Ty, const char *Op,
                bool ThenNext, bool ConstLeft) {
    std::string T = ty(Ty);
    std::string Cmp = ConstLeft ? binI(3, Op, k("5", T), cp(2))
                                : binI(3, Op, cp(1), cp(2));
    unsigned Then = ThenNext ? 1 : 2, Else = ThenNext ? 2 : 1;
    Fns.push_back(func(
        Name, {T, T}, I64,
        {retLocal(0, I64), argLocal(1, T, 0), argLocal(2, T, 1),
         varLocal(3, B)},
        {block(0, {Cmp}, ifT(cp(3), Then, Else)),
         block(Then, {constI(0, "1", I64)}, retT()),
         block(Else, {constI(0, "0", I64)}, retT())}));
  };
  const char *Ops[] = {"Eq", "Ne", "Lt", "Le", "Gt", "Ge"};
  for (const char *Op : Ops)
    for (const char *Ty : {"I32", "U32"})
      for (int Mode = 0; Mode < 4; ++Mode)
        Fn(std::string(Op) + Ty + std::to_string(Mode), Ty, Op, Mode & 1,
           Mode & 2);
  mustLoad(module(Fns));
  // Operand pairs (as I32 and as U32 of the same bits) and the truth of
  // each comparison, signed then unsigned.
  struct Case {
    int64_t A, B;
    bool S[6], U[6];
  };
  const Case Cases[] = {
      {3, 5, {0, 1, 1, 1, 0, 0}, {0, 1, 1, 1, 0, 0}},
      {5, 5, {1, 0, 0, 1, 0, 1}, {1, 0, 0, 1, 0, 1}},
      {-1, 5, {0, 1, 1, 1, 0, 0}, {0, 1, 0, 0, 1, 1}},
  };
  for (const Case &C : Cases)
    for (int O = 0; O < 6; ++O)
      for (int Mode : {0, 1}) {
        std::string Suffix = std::to_string(Mode);
        EXPECT_EQ(run(std::string(Ops[O]) + "I32" + Suffix, {I(C.A), I(C.B)}),
                  uint64_t(C.S[O]))
            << Ops[O] << " I32 " << C.A << " " << C.B << " mode " << Mode;
        EXPECT_EQ(run(std::string(Ops[O]) + "U32" + Suffix,
                      {uint64_t(uint32_t(C.A)), uint64_t(uint32_t(C.B))}),
                  uint64_t(C.U[O]))
            << Ops[O] << " U32 " << C.A << " " << C.B << " mode " << Mode;
      }
  // Constant 5 on the left against b = 3, 5, -1 (U32: 4294967295).
  const bool FiveS[3][6] = {{0, 1, 0, 0, 1, 1}, {1, 0, 0, 1, 0, 1},
                            {0, 1, 0, 0, 1, 1}};
  const bool FiveU[3][6] = {{0, 1, 0, 0, 1, 1}, {1, 0, 0, 1, 0, 1},
                            {0, 1, 1, 1, 0, 0}};
  const int64_t Bs[3] = {3, 5, -1};
  for (int J = 0; J < 3; ++J)
    for (int O = 0; O < 6; ++O)
      for (int Mode : {2, 3}) {
        EXPECT_EQ(run(std::string(Ops[O]) + "I32" + std::to_string(Mode),
                      {0, I(Bs[J])}),
                  uint64_t(FiveS[J][O]))
            << "5 " << Ops[O] << " " << Bs[J];
        EXPECT_EQ(run(std::string(Ops[O]) + "U32" + std::to_string(Mode),
                      {0, uint64_t(uint32_t(Bs[J]))}),
                  uint64_t(FiveU[J][O]))
            << "5 " << Ops[O] << " " << Bs[J] << " unsigned";
      }
}

TEST_F(InterpTest, EarlyReturnsFromTests) {
  mustLoad(module({
      // sign(x): both targets of the second If only return.
      func("sign", {I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, B),
            varLocal(3, B)},
           {block(0, {binI(2, "Lt", cp(1), k("0", I64))}, ifT(cp(2), 1, 2)),
            block(1, {}, retT(k("-1", I64))),
            block(2, {binI(3, "Eq", cp(1), k("0", I64))}, ifT(cp(3), 3, 4)),
            block(3, {}, retT(k("0", I64))), block(4, {}, retT(k("1", I64)))}),
      // clamp(x): one return block reached from two tests.
      func("clamp", {I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, B),
            varLocal(3, B)},
           {block(0, {binI(2, "Lt", cp(1), k("0", I64))}, ifT(cp(2), 3, 1)),
            block(1, {binI(3, "Gt", cp(1), k("100", I64))}, ifT(cp(3), 3, 2)),
            block(2, {}, retT(cp(1))), block(3, {}, retT(k("0", I64)))}),
      // The Return local, set before the test, is what an early return gives.
      func("early_local", {I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, B)},
           {block(0,
                  {binI(0, "Mul", cp(1), k("2", I64)),
                   binI(2, "Ge", cp(1), k("10", I64))},
                  ifT(cp(2), 2, 1)),
            block(1, {binI(0, "Add", cp(0), k("1", I64))}, gotoT(2)),
            block(2, {}, retT())}),
      // A Unit function returning early.
      func("unit_early", {I64}, "null",
           {argLocal(1, I64, 0), varLocal(2, B)},
           {block(0, {binI(2, "Ne", cp(1), k("3", I64))}, ifT(cp(2), 1, 2)),
            block(1, {}, retT()),
            block(2, {}, R"({"Abort": "three"})")}),
  }));
  EXPECT_EQ(run("sign", {I(-9)}), I(-1));
  EXPECT_EQ(run("sign", {0}), 0u);
  EXPECT_EQ(run("sign", {9}), 1u);
  EXPECT_EQ(run("clamp", {I(-5)}), 0u);
  EXPECT_EQ(run("clamp", {500}), 0u);
  EXPECT_EQ(run("clamp", {7}), 7u);
  EXPECT_EQ(run("early_local", {12}), 24u);
  EXPECT_EQ(run("early_local", {4}), 9u);
  EXPECT_EQ(run("unit_early", {4}), 0u);
  EXPECT_EQ(call("unit_early", {3}),
            error("runtime error in `unit_early`: aborted: three"));
}

TEST_F(InterpTest, ConstantConditionsAndFloatConditions) {
  std::string F = ty("F64");
  mustLoad(module({
      func("always", {}, I64, {retLocal(0, I64)},
           {block(0, {}, ifT(k("true", B), 1, 2)),
            block(1, {}, retT(k("1", I64))), block(2, {}, retT(k("2", I64)))}),
      func("flt", {F}, I64, {retLocal(0, I64), argLocal(1, F, 0), varLocal(2, B)},
           {block(0, {binI(2, "Lt", cp(1), k("0.5", F))}, ifT(cp(2), 1, 2)),
            block(1, {}, retT(k("1", I64))), block(2, {}, retT(k("2", I64)))}),
  }));
  EXPECT_EQ(run("always"), 1u);
  EXPECT_EQ(run("flt", {F64(0.25)}), 1u);
  EXPECT_EQ(run("flt", {F64(0.75)}), 2u);
}

/// A function switching on its argument of type T with the given cases
/// (value, result); the default returns 99.
std::string switchFn(const std::string &Name, const char *Ty,
                     const std::vector<std::pair<std::string, int>> &Cases) {
  std::string T = ty(Ty);
  std::vector<std::pair<std::string, unsigned>> Targets;
  Strs Blocks;
  unsigned Next = 1;
  for (auto &[V, R] : Cases) {
    Targets.push_back({V, Next});
    Blocks.push_back(block(Next, {}, retT(k(std::to_string(R), I64))));
    ++Next;
  }
  Blocks.insert(Blocks.begin(),
                block(0, {}, switchT(cp(1), Targets, Next)));
  Blocks.push_back(block(Next, {}, retT(k("99", I64))));
  return func(Name, {T}, I64, {retLocal(0, I64), argLocal(1, T, 0)}, Blocks);
}

TEST_F(InterpTest, SwitchSmallAndLarge) {
  std::vector<std::pair<std::string, int>> Large;
  for (int V = 0; V < 20; ++V)
    Large.push_back({std::to_string(V * 7 - 30), V});
  mustLoad(module({
      switchFn("small", "I64", {{"1", 10}, {"-2", 20}, {"3", 30}}),
      switchFn("large", "I32", Large),
      switchFn("bytes", "U8", {{"255", 1}, {"0", 2}, {"128", 3}, {"7", 4},
                                {"9", 5}, {"11", 6}}),
  }));
  EXPECT_EQ(run("small", {1}), 10u);
  EXPECT_EQ(run("small", {I(-2)}), 20u);
  EXPECT_EQ(run("small", {3}), 30u);
  EXPECT_EQ(run("small", {2}), 99u);
  for (int V = 0; V < 20; ++V)
    EXPECT_EQ(run("large", {I(V * 7 - 30)}), uint64_t(V)) << V;
  EXPECT_EQ(run("large", {I(-31)}), 99u);
  EXPECT_EQ(run("large", {I(1000)}), 99u);
  EXPECT_EQ(run("bytes", {255}), 1u);
  EXPECT_EQ(run("bytes", {128}), 3u);
  EXPECT_EQ(run("bytes", {11}), 6u);
  EXPECT_EQ(run("bytes", {10}), 99u);
}

TEST_F(InterpTest, ReturnForms) {
  mustLoad(module({
      // Return null returns the Return local.
      func("ret_local", {}, I64, {retLocal(0, I64)},
           {block(0, {constI(0, "7", I64)}, retT())}),
      // A Unit function returns 0.
      func("unit", {}, "null", {}, {block(0, {}, retT())}),
      // A constant of a narrower type comes back canonical.
      func("ret_i8", {}, ty("I8"), {}, {block(0, {}, retT(k("-3", ty("I8"))))}),
      // The entry block need not come first.
      func("entry_last", {}, I64, {retLocal(0, I64)},
           {block(1, {}, retT(k("11", I64))),
            block(0, {constI(0, "1", I64)}, gotoT(1))}),
  }));
  EXPECT_EQ(run("ret_local"), 7u);
  EXPECT_EQ(run("unit"), 0u);
  EXPECT_EQ(run("ret_i8"), I(-3));
  EXPECT_EQ(run("entry_last"), 11u);
}

TEST_F(InterpTest, UnreachableAndAbortTrap) {
  mustLoad(module({
      func("unreach", {}, I64, {retLocal(0, I64)},
           {block(0, {}, R"("Unreachable")")}),
      func("boom", {}, I64, {retLocal(0, I64)},
           {block(0, {}, R"({"Abort": "index out of bounds"})")}),
  }));
  EXPECT_EQ(call("unreach"),
            error("runtime error in `unreach`: entered unreachable code"));
  EXPECT_EQ(call("boom"),
            error("runtime error in `boom`: aborted: index out of bounds"));
  // The interpreter stays usable after a trap.
  mustLoad(module({sumFn()}));
  EXPECT_EQ(run("sum", {10}), 55u);
}

TEST_F(InterpTest, TrapsNameTheFunctionTheyHappenIn) {
  std::string DivTy = fnTy({I64, I64}, I64);
  mustLoad(module({
      func("div", {I64, I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), argLocal(2, I64, 1)},
           {block(0, {binI(0, "Div", cp(1), cp(2))}, retT())}),
      func("outer", {I64}, I64, {retLocal(0, I64), argLocal(1, I64, 0)},
           {block(0, {callI(0, fnRef("div", DivTy), {k("10", I64), cp(1)})},
                  retT())}),
  }));
  EXPECT_EQ(run("outer", {3}), 3u);
  EXPECT_EQ(call("outer", {0}),
            error("runtime error in `div`: attempt to divide by zero"));
}

TEST_F(InterpTest, TemporaryCopiedOnceIsStillCorrect) {
  // t = a * b; x = copy t (the lowering writes x directly) and a temporary
  // copied twice (it must keep its own slot).
  mustLoad(module({func(
      "f", {I64, I64}, I64,
      {retLocal(0, I64), argLocal(1, I64, 0), argLocal(2, I64, 1),
       varLocal(3, I64), varLocal(4, I64), varLocal(5, I64)},
      {block(0,
             {binI(3, "Mul", cp(1), cp(2)), copyI(4, cp(3)),
              binI(5, "Add", cp(1), cp(2)), copyI(1, cp(5)), copyI(2, cp(5)),
              binI(0, "Sub", cp(4), cp(1)), binI(0, "Add", cp(0), cp(2))},
             retT())})}));
  // x = 6*7 = 42; a = b = 13; 42 - 13 + 13
  EXPECT_EQ(run("f", {6, 7}), 42u);
}

TEST_F(InterpTest, WordTypedLocalsLoad) {
  // (v2) Tuples, structs and opaque values are one word, like an I64
  // (MIR.md "Types"); v1 rejected them.
  std::string Tup = tupleTy({I64, I64});
  EXPECT_EQ(
      load(module({func("f", {}, I64, {retLocal(0, I64), varLocal(1, Tup)},
                        {block(0, {}, retT(k("0", I64)))})})),
      "");
  EXPECT_EQ(
      load(module({func("g", {}, I64,
                        {retLocal(0, I64), varLocal(1, R"({"Struct": 4})")},
                        {block(0, {}, retT(k("1", I64)))})})),
      "");
  EXPECT_EQ(load(module(
                {func("h", {}, I64,
                      {retLocal(0, I64), varLocal(1, R"({"Opaque": "File"})")},
                      {block(0, {}, retT(k("2", I64)))})})),
            "");
  EXPECT_EQ(run("f"), 0u);
  EXPECT_EQ(run("g"), 1u);
  EXPECT_EQ(run("h"), 2u);
}

TEST_F(InterpTest, LoadRejectsInvalidModules) {
  // The verifier's message comes back; nothing is loaded.
  std::string Err = load(module({
      func("ok", {}, I64, {retLocal(0, I64)}, {block(0, {}, retT(k("1", I64)))}),
      func("bad", {}, I64, {retLocal(0, I64)}, {block(0, {}, gotoT(7))}),
  }));
  EXPECT_EQ(Err, "function `bad`, block bb0, terminator: goto block bb7 does "
                 "not exist");
  EXPECT_FALSE(Interp->hasFunction("ok"));
}

} // namespace
