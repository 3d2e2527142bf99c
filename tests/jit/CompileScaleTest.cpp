//===- tests/jit/CompileScaleTest.cpp - Compile time stays linear ---------===//
//
// Guards against the quadratic compile times of issues 10 and 15 coming
// back: each test compiles a large module and checks its result; the time
// limit is ctest's TIMEOUT (tests/jit/CMakeLists.txt), far above what a
// linear compile takes and far below what the quadratic ones took. Nothing
// here measures speed. The modules have the shapes of
// benchmarks/compile_scale/gen.py.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include <string>

using namespace spl;
using namespace spl::jit::test;

namespace {

/// `fK(n) = (K + sum over i < n of (i * (K % 13 + 3)) % 7) + f{K-1}(n)`,
/// f0 without the call; main(n) = f{N-1}(n).
std::string chainProgram(int N) {
  std::string S;
  for (int K = 0; K < N; ++K) {
    std::string Ks = std::to_string(K);
    S += "fn @f" + Ks + "(i64) -> i64 {\n" +
         "  let _0: i64 return\n  let _1: i64 arg 0\n  let _2: i64 temp\n"
         "  let _3: i64 temp\n  let _4: bool temp\n  let _5: i64 temp\n"
         "  let _6: i64 temp\nbb0:\n  _2 = const i64 0\n  _3 = const i64 " +
         Ks + "\n  goto bb1\nbb1:\n  _4 = binop lt copy _2, copy _1\n" +
         "  if copy _4 then bb2 else bb3\nbb2:\n" +
         "  _5 = binop mul copy _2, const i64 " + std::to_string(K % 13 + 3) +
         "\n  _5 = binop rem copy _5, const i64 7\n" +
         "  _3 = binop add copy _3, copy _5\n" +
         "  _2 = binop add copy _2, const i64 1\n  goto bb1\nbb3:\n";
    if (K == 0)
      S += "  return copy _3\n}\n";
    else
      S += "  _6 = call @f" + std::to_string(K - 1) +
           "(copy _1) : fn(i64) -> i64\n"
           "  _0 = binop add copy _3, copy _6\n  return\n}\n";
  }
  return S +
         "fn @main(i64) -> i64 {\n  let _0: i64 return\n"
         "  let _1: i64 arg 0\nbb0:\n  _0 = call @f" +
         std::to_string(N - 1) + "(copy _1) : fn(i64) -> i64\n  return\n}\n";
}

int64_t chainResult(int N, int64_t Arg) {
  int64_t Sum = 0;
  for (int K = 0; K < N; ++K) {
    Sum += K;
    for (int64_t I = 0; I < Arg; ++I)
      Sum += (I * (K % 13 + 3)) % 7;
  }
  return Sum;
}

/// pick(x): 100,000 cases 0 .. 99999, each setting the result to
/// (k * 7919) % 10007 and jumping to the one return block; default -1.
std::string switchProgram(int N) {
  std::string S = "fn @pick(i64) -> i64 {\n  let _0: i64 return\n"
                  "  let _1: i64 arg 0\nbb0:\n  switch copy _1 [";
  for (int K = 0; K < N; ++K)
    S += std::to_string(K) + ": bb" + std::to_string(K + 3) + ", ";
  S += "otherwise: bb1]\nbb1:\n  _0 = const i64 -1\n  goto bb2\n"
       "bb2:\n  return\n";
  for (int K = 0; K < N; ++K)
    S += "bb" + std::to_string(K + 3) + ":\n  _0 = const i64 " +
         std::to_string((int64_t(K) * 7919) % 10007) + "\n  goto bb2\n";
  return S + "}\n";
}

void runAt(unsigned Level, const mir::Module &M, const std::string &Fn,
           const std::vector<std::pair<uint64_t, int64_t>> &Calls) {
  jit::Options Opts;
  Opts.OptLevel = Level;
  std::unique_ptr<jit::Session> S = newSession(Opts);
  if (!S)
    return;
  ASSERT_EQ(errorText(S->load(M)), "<success>");
  for (auto [Arg, Want] : Calls)
    EXPECT_EQ(callCapturing([&] { return S->call(Fn, {Arg}); }),
              (Outcome{"", "ret " + std::to_string(uint64_t(Want))}))
        << Fn << "(" << Arg << ") at -O" << Level;
}

TEST(CompileScale, ChainOf500FunctionsAtO2) {
  mir::Module M = parse(chainProgram(500));
  if (HasFailure())
    return;
  runAt(2, M, "main", {{10, chainResult(500, 10)}, {0, chainResult(500, 0)}});
}

TEST(CompileScale, ChainOf2000FunctionsAtO0) {
  mir::Module M = parse(chainProgram(2000));
  if (HasFailure())
    return;
  runAt(0, M, "main", {{3, chainResult(2000, 3)}});
}

const int SwitchCases = 100000;
const std::vector<std::pair<uint64_t, int64_t>> SwitchCalls = {
    {0, 0},
    {1, 7919},
    {54321, (54321LL * 7919) % 10007},
    {99999, (99999LL * 7919) % 10007},
    {100000, -1},
    {uint64_t(-1), -1}};

TEST(CompileScale, SwitchOf100000CasesAtO0) {
  mir::Module M = parse(switchProgram(SwitchCases));
  if (HasFailure())
    return;
  runAt(0, M, "pick", SwitchCalls);
}

TEST(CompileScale, SwitchOf100000CasesAtO2) {
  mir::Module M = parse(switchProgram(SwitchCases));
  if (HasFailure())
    return;
  runAt(2, M, "pick", SwitchCalls);
}

} // namespace
