//===- tests/jit/HugeSwitchTest.cpp - Switches lowered to tables ----------===//
//
// A Switch of more than 1024 distinct values is lowered to a table of block
// addresses and an indirectbr (jit/LowerControl.cpp): dense values index the
// table, sparse ones are found by binary search. Both must pick exactly the
// block docs/SEMANTICS.md's Switch picks: the case whose value equals the
// operand's bits, else the default. The
// expected results are computed here from the case list, by hand, and the
// interpreter must agree.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include <string>
#include <vector>

using namespace spl;
using namespace spl::jit::test;

namespace {

struct Case {
  int64_t Value;
  int64_t Result;
};

/// `pick(x: Ty) -> i64` switching on x over Cases (case k goes to a block
/// returning Cases[k].Result; the default returns -1).
std::string switchProgram(const std::string &Ty,
                          const std::vector<Case> &Cases) {
  std::string S = "fn @pick(" + Ty + ") -> i64 {\n  let _0: i64 return\n" +
                  "  let _1: " + Ty + " arg 0\nbb0:\n  switch copy _1 [";
  for (size_t K = 0; K < Cases.size(); ++K)
    S += std::to_string(Cases[K].Value) + ": bb" + std::to_string(K + 2) + ", ";
  S += "otherwise: bb1]\nbb1:\n  return const i64 -1\n";
  for (size_t K = 0; K < Cases.size(); ++K)
    S += "bb" + std::to_string(K + 2) + ":\n  return const i64 " +
         std::to_string(Cases[K].Result) + "\n";
  return S + "}\n";
}

void expectPicks(const mir::Module &M,
                 const std::vector<std::pair<uint64_t, int64_t>> &Picks) {
  for (auto [Arg, Want] : Picks) {
    Outcome O = expectSameEverywhere(M, "pick", {Arg});
    EXPECT_EQ(O, (Outcome{"", "ret " + std::to_string(uint64_t(Want))}))
        << "pick(" << int64_t(Arg) << ")";
  }
}

TEST(HugeSwitch, DenseValuesIndexATable) {
  // 0, 1, ..., 1999 except multiples of 7 (holes go to the default), result
  // 3 * value + 1.
  std::vector<Case> Cases;
  for (int64_t V = 0; V < 2000; ++V)
    if (V % 7 != 0)
      Cases.push_back({V, 3 * V + 1});
  mir::Module M = parse(switchProgram("i64", Cases));
  if (HasFailure())
    return;
  expectPicks(M, {{1, 4},
                  {2, 7},
                  {7, -1},
                  {1999, 5998},
                  {1998, 5995},
                  {2000, -1},
                  {0, -1},
                  {uint64_t(-1), -1},
                  {uint64_t(1) << 40, -1}});
}

TEST(HugeSwitch, SparseValuesAreSearched) {
  // i32 values -1100 * 1000 .. 1100 * 1000 in steps of 1000 (2201 values
  // over a range of 2.2M: sparse), result value / 1000, listed from the top
  // down (the lowering sorts them).
  std::vector<Case> Cases;
  for (int64_t K = 1100; K >= -1100; --K)
    Cases.push_back({K * 1000, K});
  mir::Module M = parse(switchProgram("i32", Cases));
  if (HasFailure())
    return;
  // An i32 operand arrives as its raw slot (sign-extended bits).
  auto I32 = [](int64_t V) { return uint64_t(V); };
  expectPicks(M, {{I32(0), 0},
                  {I32(5000), 5},
                  {I32(-1100000), -1100},
                  {I32(1100000), 1100},
                  {I32(1100001), -1},
                  {I32(-1100001), -1},
                  {I32(-1), -1},
                  {I32(999), -1},
                  {I32(INT32_MAX), -1},
                  {I32(INT32_MIN), -1}});
}

TEST(HugeSwitch, UnsignedValuesAtTheTopOfTheRange) {
  // u64 values 2^64 - 3000 .. 2^64 - 1 in steps of 2 (1500 values, dense),
  // and 0 and 5 (which make the range the whole u64 space: sparse).
  std::vector<Case> Cases;
  for (int64_t K = 0; K < 1500; ++K)
    Cases.push_back({-3000 + 2 * K, K});
  Cases.push_back({0, 7000});
  Cases.push_back({5, 7005});
  mir::Module M = parse(switchProgram("u64", Cases));
  if (HasFailure())
    return;
  expectPicks(M, {{uint64_t(-3000), 0},
                  {uint64_t(-2), 1499},
                  {uint64_t(-1), -1},
                  {uint64_t(-2999), -1},
                  {0, 7000},
                  {5, 7005},
                  {4, -1},
                  {uint64_t(1) << 63, -1}});
}

TEST(HugeSwitch, CasesJoiningOneBlock) {
  // The shape of compiled `match` code: 3000 cases each set the result and
  // jump to one return block (a block with 3000 predecessors: the function
  // is compiled unoptimised, Lowering.h hasHugeControlFlow).
  std::string S = "fn @pick(i64) -> i64 {\n  let _0: i64 return\n"
                  "  let _1: i64 arg 0\nbb0:\n  switch copy _1 [";
  for (int K = 0; K < 3000; ++K)
    S += std::to_string(K) + ": bb" + std::to_string(K + 3) + ", ";
  S += "otherwise: bb1]\nbb1:\n  _0 = const i64 -1\n  goto bb2\n"
       "bb2:\n  return\n";
  for (int K = 0; K < 3000; ++K)
    S += "bb" + std::to_string(K + 3) + ":\n  _0 = const i64 " +
         std::to_string((K * 7919) % 10007) + "\n  goto bb2\n";
  mir::Module M = parse(S + "}\n");
  if (HasFailure())
    return;
  expectPicks(M, {{0, 0},
                  {1, 7919},
                  {2, 5831},
                  {2999, (2999 * 7919) % 10007},
                  {3000, -1}});
}

} // namespace
