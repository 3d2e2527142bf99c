//===- tests/interp/InterpExceptionTest.cpp - Throw, Resume, CallTerminator
//-===//
//
// MIR.md "Terminators" (v2) and ffi/FFI.h "Exceptions": a raise leaves every
// frame up to the innermost CallTerminator with an unwind block, which gets
// the payload and the tag; one that reaches the host is the runtime error
// UncaughtException, and so is one that reaches a C frame (a callback).
// The interpreter must stay usable after each.
//
//===----------------------------------------------------------------------===//

#include "V2Builder.h"

#include "ffi/FFI.h"

#include <chrono>
#include <functional>
#include <cstdio>
#include <pthread.h>

using namespace spl;
using namespace spl::interp::v2test;
using mir::BinOpKind;

namespace {

/// The compiler's tag of an i64 payload: 100000 + bits * 2 + signed.
constexpr int64_t I64Tag = 100129;
constexpr int64_t TextTag = 300003;

const Type Binary = sig({I64, I64}, I64);
const Type Unary = sig({I64}, I64);

/// thrower(p, t): raise (p, t).
mir::Function thrower() {
  Fn F("thrower", {I64, I64}, I64);
  F.block(0, {}, throwT(cp(F.arg(0)), cp(F.arg(1))));
  return F.done();
}

/// ok(x) = x + 1, returning normally.
mir::Function ok() {
  Fn F("ok", {I64}, I64);
  F.block(0, {binI(0, BinOpKind::Add, cp(F.arg(0)), ki(1))}, retT());
  return F.done();
}

/// lvl1(p) .. lvl5(p): lvl<k> = lvl<k+1>(p) + k by plain calls; lvl5 raises
/// (p, I64Tag). A raise from lvl5 leaves k frames when caught by a
/// CallTerminator calling lvl<6-k>.
std::vector<mir::Function> levels() {
  std::vector<mir::Function> Fns;
  for (int K = 1; K <= 5; ++K) {
    Fn F("lvl" + std::to_string(K), {I64}, I64);
    if (K == 5) {
      F.block(0, {}, throwT(cp(F.arg(0)), ki(I64Tag)));
    } else {
      LocalId R = F.var(I64);
      F.block(
          0,
          {callI(R, fn("lvl" + std::to_string(K + 1), Unary), {cp(F.arg(0))}),
           binI(0, BinOpKind::Add, cp(R), ki(K))},
          retT());
    }
    Fns.push_back(F.done());
  }
  return Fns;
}

/// NAME(args) invokes Callee(args): on return -1 - result, on a raise
/// payload * 1000000 + tag.
mir::Function catcher(const std::string &Name, const std::string &Callee,
                      std::vector<Type> Params, const Type &CalleeTy) {
  Fn F(Name, Params, I64);
  LocalId D = F.var(I64), P = F.var(I64), T = F.var(I64), X = F.var(I64);
  Ops Args;
  for (unsigned K = 0; K < Params.size(); ++K)
    Args.push_back(cp(F.arg(K)));
  F.block(0, {}, invokeT(D, fn(Callee, CalleeTy), Args, 1, 2, P, T))
      .block(1, {binI(0, BinOpKind::Sub, ki(-1), cp(D))}, retT())
      .block(2,
             {binI(X, BinOpKind::Mul, cp(P), ki(1000000)),
              binI(0, BinOpKind::Add, cp(X), cp(T))},
             retT());
  return F.done();
}

class ExceptionTest : public V2Test {
protected:
  void SetUp() override {
    std::vector<mir::Function> Fns = levels();
    Fns.push_back(thrower());
    Fns.push_back(ok());
    Fns.push_back(catcher("catch0", "thrower", {I64, I64}, Binary));
    Fns.push_back(catcher("catch_ok", "ok", {I64}, Unary));
    for (int K = 1; K <= 5; ++K)
      Fns.push_back(catcher("catch" + std::to_string(K),
                            "lvl" + std::to_string(6 - K), {I64}, Unary));
    mustLoad(moduleOf(Fns));
  }
  /// The interpreter still catches, returns and raises as it should.
  void expectUsable() {
    EXPECT_EQ(run("catch0", {3, 4}), 3000004u);
    EXPECT_EQ(run("catch_ok", {41}), uint64_t(-43));
    EXPECT_EQ(callText("thrower", {1, 2}),
              "error: runtime error in `thrower`: uncaught exception (type "
              "tag 2)");
  }
};

TEST_F(ExceptionTest, CatchOneFrameUp) {
  EXPECT_EQ(run("catch0", {42, I64Tag}), uint64_t(42 * 1000000 + I64Tag));
  EXPECT_EQ(run("catch0", {uint64_t(-1), 7}), uint64_t(-1000000 + 7));
}

TEST_F(ExceptionTest, CatchAcrossPlainCalls) {
  // catchK calls lvl(6-K): the raise in lvl5 leaves K frames.
  for (int K = 1; K <= 5; ++K)
    EXPECT_EQ(run("catch" + std::to_string(K), {uint64_t(K + 10)}),
              uint64_t((K + 10) * 1000000 + I64Tag))
        << K;
  expectUsable();
}

TEST_F(ExceptionTest, NormalReturnThroughCallTerminator) {
  EXPECT_EQ(run("catch_ok", {41}), uint64_t(-43)); // -1 - 42
  // Into a callee whose base case a guard answers, and one that is not.
  Fn Rec("count", {I64}, I64);
  LocalId C = Rec.var(BoolT), M = Rec.var(I64), R = Rec.var(I64);
  Rec.block(0, {binI(C, BinOpKind::Lt, cp(Rec.arg(0)), ki(1))},
            ifT(cp(C), 1, 2))
      .block(1, {}, retT(ki(0)))
      .block(2, {binI(M, BinOpKind::Sub, cp(Rec.arg(0)), ki(1))},
             invokeT(R, fn("count", Unary), {cp(M)}, 3, 4))
      .block(3, {binI(0, BinOpKind::Add, cp(R), ki(1))}, retT())
      .block(4, {}, retT(ki(-100)));
  mustLoad(moduleOf({Rec.done()}));
  EXPECT_EQ(run("count", {0}), 0u);
  EXPECT_EQ(run("count", {1}), 1u);
  EXPECT_EQ(run("count", {500}), 500u);
}

TEST_F(ExceptionTest, TagDispatchAndResume) {
  // dispatch(t): tag 1 -> 10 + p, tag 2 -> 20 + p, else resume; outer(t)
  // catches what dispatch resumes.
  Fn D("dispatch", {I64}, I64);
  LocalId R = D.var(I64), P = D.var(I64), T = D.var(I64);
  D.block(0, {},
          invokeT(R, fn("thrower", Binary), {ki(7), cp(D.arg(0))}, 1, 2, P, T))
      .block(1, {}, retT(cp(R)))
      .block(2, {}, switchT(cp(T), {{1, 3}, {2, 4}}, 5))
      .block(3, {binI(0, BinOpKind::Add, cp(P), ki(10))}, retT())
      .block(4, {binI(0, BinOpKind::Add, cp(P), ki(20))}, retT())
      .block(5, {}, resumeT(cp(P), cp(T)));
  mustLoad(moduleOf({D.done(), catcher("outer", "dispatch", {I64}, Unary)}));
  EXPECT_EQ(run("outer", {1}), uint64_t(-1 - 17));
  EXPECT_EQ(run("outer", {2}), uint64_t(-1 - 27));
  EXPECT_EQ(run("outer", {3}), 7000003u); // resumed with the same pair
  EXPECT_EQ(callText("dispatch", {9}),
            "error: runtime error in `dispatch`: uncaught exception (type "
            "tag 9)");
  expectUsable();
}

TEST_F(ExceptionTest, CallTerminatorWithoutUnwindPropagates) {
  Fn Pass("pass", {I64}, I64);
  LocalId R = Pass.var(I64);
  Pass.block(0, {},
             invokeT(R, fn("thrower", Binary), {cp(Pass.arg(0)), ki(5)}, 1,
                     std::nullopt))
      .block(1, {}, retT(cp(R)));
  mustLoad(moduleOf({Pass.done(), catcher("outer", "pass", {I64}, Unary)}));
  EXPECT_EQ(run("outer", {6}), 6000005u);
  EXPECT_EQ(callText("pass", {6}),
            "error: runtime error in `thrower`: uncaught exception (type tag "
            "5)");
}

TEST_F(ExceptionTest, PayloadAndTagTakeTheirLocalsTypes) {
  // Payload into an I32 local: the low 32 bits (GetField's conversion).
  Fn F("narrow", {I64}, I64);
  LocalId D = F.var(I64), P = F.var(I32), T = F.var(I64);
  F.block(0, {},
          invokeT(D, fn("thrower", Binary), {cp(F.arg(0)), ki(3)}, 1, 2, P, T))
      .block(1, {}, retT(cp(D)))
      .block(2, {castI(0, cp(P), I64)}, retT());
  // Only a tag dest; and neither.
  Fn G("tag_only", {}, I64);
  LocalId D2 = G.var(I64), T2 = G.var(I64);
  G.block(0, {},
          invokeT(D2, fn("thrower", Binary), {ki(1), ki(77)}, 1, 2,
                  std::nullopt, T2))
      .block(1, {}, retT(cp(D2)))
      .block(2, {}, retT(cp(T2)));
  Fn H("neither", {}, I64);
  LocalId D3 = H.var(I64);
  H.block(0, {}, invokeT(D3, fn("thrower", Binary), {ki(1), ki(77)}, 1, 2))
      .block(1, {}, retT(cp(D3)))
      .block(2, {}, retT(ki(55)));
  mustLoad(moduleOf({F.done(), G.done(), H.done()}));
  EXPECT_EQ(run("narrow", {0x1FFFFFFFF}), uint64_t(-1));
  EXPECT_EQ(run("narrow", {0x100000005}), 5u);
  EXPECT_EQ(run("tag_only"), 77u);
  EXPECT_EQ(run("neither"), 55u);
}

TEST_F(ExceptionTest, RaisesInsideLoops) {
  // maybe(i) raises (i, tag) for odd i; loop(n) invokes it for i < n and
  // sums the payloads it catches: 1 + 3 + ... .
  Fn M("maybe", {I64}, I64);
  LocalId Odd = M.var(I64), C = M.var(BoolT);
  M.block(0,
          {binI(Odd, BinOpKind::BitAnd, cp(M.arg(0)), ki(1)),
           binI(C, BinOpKind::Eq, cp(Odd), ki(1))},
          ifT(cp(C), 1, 2))
      .block(1, {}, throwT(cp(M.arg(0)), ki(I64Tag)))
      .block(2, {}, retT(ki(0)));
  Fn L("loop", {I64}, I64);
  LocalId I = L.var(I64), Sum = L.var(I64), Lt = L.var(BoolT), R = L.var(I64),
          P = L.var(I64);
  L.block(0, {copyI(I, ki(0)), copyI(Sum, ki(0))}, gotoT(1))
      .block(1, {binI(Lt, BinOpKind::Lt, cp(I), cp(L.arg(0)))},
             ifT(cp(Lt), 2, 5))
      .block(2, {}, invokeT(R, fn("maybe", Unary), {cp(I)}, 3, 4, P))
      .block(3, {binI(I, BinOpKind::Add, cp(I), ki(1))}, gotoT(1))
      .block(4,
             {binI(Sum, BinOpKind::Add, cp(Sum), cp(P)),
              binI(I, BinOpKind::Add, cp(I), ki(1))},
             gotoT(1))
      .block(5, {}, retT(cp(Sum)));
  // The raise from inside a loop of the callee, three plain calls down.
  Fn Spin("spin", {I64}, I64);
  LocalId J = Spin.var(I64), Hit = Spin.var(BoolT);
  Spin.block(0, {copyI(J, ki(0))}, gotoT(1))
      .block(1,
             {binI(J, BinOpKind::Add, cp(J), ki(1)),
              binI(Hit, BinOpKind::Eq, cp(J), cp(Spin.arg(0)))},
             ifT(cp(Hit), 2, 1))
      .block(2, {}, throwT(cp(J), ki(I64Tag)));
  Fn Mid("mid", {I64}, I64);
  LocalId X = Mid.var(I64);
  Mid.block(0,
            {callI(X, fn("spin", Unary), {cp(Mid.arg(0))}),
             binI(0, BinOpKind::Add, cp(X), ki(1))},
            retT());
  mustLoad(moduleOf({M.done(), L.done(), Spin.done(), Mid.done(),
                     catcher("catch_mid", "mid", {I64}, Unary)}));
  EXPECT_EQ(run("loop", {10}), 25u);
  // Many catches in a row leave no stack behind: 1 + 3 + ... + 99999 =
  // 50000^2.
  EXPECT_EQ(run("loop", {100000}), 2500000000u);
  EXPECT_EQ(run("catch_mid", {1234}), uint64_t(1234 * 1000000 + I64Tag));
  expectUsable();
}

TEST_F(ExceptionTest, DeepRaisesAndNestedCatches) {
  // deep(n): n plain calls down, then raise (99, 1).
  Fn Deep("deep", {I64}, I64);
  LocalId C = Deep.var(BoolT), M = Deep.var(I64);
  Deep.block(0, {binI(C, BinOpKind::Eq, cp(Deep.arg(0)), ki(0))},
             ifT(cp(C), 1, 2))
      .block(1, {}, throwT(ki(99), ki(1)))
      .block(2,
             {binI(M, BinOpKind::Sub, cp(Deep.arg(0)), ki(1)),
              callI(0, fn("deep", Unary), {cp(M)})},
             retT());
  // rec(n): every level catches and resumes with payload + 1; rec(0)
  // raises 0, so the top sees n.
  Fn Rec("rec", {I64}, I64);
  LocalId C2 = Rec.var(BoolT), M2 = Rec.var(I64), R2 = Rec.var(I64),
          P2 = Rec.var(I64), T2 = Rec.var(I64), Q2 = Rec.var(I64);
  Rec.block(0, {binI(C2, BinOpKind::Eq, cp(Rec.arg(0)), ki(0))},
            ifT(cp(C2), 1, 2))
      .block(1, {}, throwT(ki(0), ki(I64Tag)))
      .block(2, {binI(M2, BinOpKind::Sub, cp(Rec.arg(0)), ki(1))},
             invokeT(R2, fn("rec", Unary), {cp(M2)}, 3, 4, P2, T2))
      .block(3, {}, retT(cp(R2)))
      .block(4, {binI(Q2, BinOpKind::Add, cp(P2), ki(1))},
             resumeT(cp(Q2), cp(T2)));
  // down(n): plain recursion, for the value stack after the raises.
  Fn Down("down", {I64}, I64);
  LocalId C3 = Down.var(BoolT), M3 = Down.var(I64), R3 = Down.var(I64);
  Down.block(0, {binI(C3, BinOpKind::Eq, cp(Down.arg(0)), ki(0))},
             ifT(cp(C3), 1, 2))
      .block(1, {}, retT(ki(0)))
      .block(2,
             {binI(M3, BinOpKind::Sub, cp(Down.arg(0)), ki(1)),
              callI(R3, fn("down", Unary), {cp(M3)}),
              binI(0, BinOpKind::Add, cp(R3), ki(1))},
             retT());
  mustLoad(moduleOf({Deep.done(), Rec.done(), Down.done(),
                     catcher("catch_deep", "deep", {I64}, Unary),
                     catcher("catch_rec", "rec", {I64}, Unary)}));
  EXPECT_EQ(run("catch_deep", {5000}), 99000001u);
  EXPECT_EQ(run("down", {9000}), 9000u);
  EXPECT_EQ(run("catch_rec", {1000}), uint64_t(1000 * 1000000 + I64Tag));
  EXPECT_EQ(run("catch_deep", {3}), 99000001u);
  expectUsable();
}

TEST_F(ExceptionTest, CatchingRecursionOnASmallNativeStackTraps) {
  // Each active catching call holds C frames: on a thread with a 1 MiB
  // stack, 5000 nested catches (well under the call-depth limit) would run
  // out of native stack; they trap StackOverflow instead.
  Fn Rec("rec", {I64}, I64);
  LocalId C = Rec.var(BoolT), M = Rec.var(I64), R = Rec.var(I64);
  Rec.block(0, {binI(C, BinOpKind::Eq, cp(Rec.arg(0)), ki(0))},
            ifT(cp(C), 1, 2))
      .block(1, {}, throwT(ki(0), ki(I64Tag)))
      .block(2, {binI(M, BinOpKind::Sub, cp(Rec.arg(0)), ki(1))},
             invokeT(R, fn("rec", Unary), {cp(M)}, 3, 4))
      .block(3, {}, retT(cp(R)))
      .block(4, {}, retT(ki(7)));
  mustLoad(moduleOf({Rec.done()}));
  // callText("rec", {N}) on a thread of its own with a native stack of
  // StackBytes.
  struct Job {
    std::function<std::string()> Work;
    std::string Text;
  };
  auto OnStack = [&](uint64_t N, size_t StackBytes) -> std::string {
    Job J{[this, N] { return callText("rec", {N}); }, ""};
    pthread_attr_t A;
    EXPECT_EQ(pthread_attr_init(&A), 0);
    EXPECT_EQ(pthread_attr_setstacksize(&A, StackBytes), 0);
    pthread_t Th;
    int Created = pthread_create(
        &Th, &A,
        [](void *P) -> void * {
          auto *J = static_cast<Job *>(P);
          J->Text = J->Work();
          return nullptr;
        },
        &J);
    pthread_attr_destroy(&A);
    if (Created != 0)
      return "<no thread>";
    pthread_join(Th, nullptr);
    return J.Text;
  };
  EXPECT_EQ(OnStack(5000, 1 << 20),
            "error: runtime error in `rec`: stack overflow (call "
            "depth exceeded 10000)");
  // rec(1) catches rec(0)'s raise and gives 7, which returns up normally.
  EXPECT_EQ(OnStack(100, 1 << 20), "7");
  // The same 5000 catches fit in 256 MiB, even with a sanitizer's frames.
  EXPECT_EQ(OnStack(5000, size_t(256) << 20), "7");
  expectUsable();
}

TEST_F(ExceptionTest, UncaughtAtTheHostEdge) {
  EXPECT_EQ(callText("thrower", {42, I64Tag}),
            "error: runtime error in `thrower`: uncaught exception (type tag "
            "100129)");
  // Through plain calls the text names the function that raised.
  EXPECT_EQ(callText("lvl1", {1}),
            "error: runtime error in `lvl5`: uncaught exception (type tag "
            "100129)");
  // A text payload (tag 300003) shows its text.
  Fn T("throw_text", {}, I64);
  T.block(0, {}, throwT(ks("boom"), ki(TextTag)));
  mustLoad(moduleOf(
      {T.done(), catcher("catch_text", "throw_text", {}, sig({}, I64))}));
  EXPECT_EQ(callText("throw_text"),
            "error: runtime error in `throw_text`: uncaught exception: boom");
  expectUsable();
}

TEST_F(ExceptionTest, TrapInsideACatchingCallIsNotCaught) {
  Fn D("divz", {I64}, I64);
  D.block(0, {binI(0, BinOpKind::Div, ki(1), cp(D.arg(0)))}, retT());
  mustLoad(moduleOf({D.done(), catcher("catch_divz", "divz", {I64}, Unary)}));
  EXPECT_EQ(callText("catch_divz", {0}),
            "error: runtime error in `divz`: attempt to divide by zero");
  // The catch frame the trap jumped over is gone: a later raise with no
  // catcher is uncaught, not delivered to it.
  expectUsable();
  EXPECT_EQ(run("catch_divz", {1}), uint64_t(-2));
}

TEST_F(ExceptionTest, RaiseInsideACCallbackIsTheErrorAtThatEdge) {
  // qsort (libc, found in the host process) calls cmp, which raises: the
  // callback's barrier makes that the runtime error, even under a catching
  // CallTerminator further out.
  Type P = Type::ptr(U8);
  Type CmpTy = sig({P, P}, I32);
  mir::ExternDecl Q;
  Q.Name = "qsort";
  Q.Sig.Params = {P, U64, U64, CmpTy};
  Fn Cmp("cmp", {P, P}, I32);
  Cmp.block(0, {}, throwT(ki(5), ki(I64Tag)));
  Type Area = Type::array(I64, 4);
  Fn Sort("sorter", {}, I64);
  LocalId A = Sort.var(Type::ptr(Area));
  Sort.block(0,
             {allocI(A, Area),
              callI(std::nullopt, fn("qsort", sig({}, UnitT)),
                    {cp(A), ki(4, U64), ki(8, U64), fn("cmp", CmpTy)})},
             retT(ki(0)));
  mustLoad(moduleOf({Cmp.done(), Sort.done(),
                     catcher("catch_sort", "sorter", {}, sig({}, I64))},
                    {Q}));
  const char *Want = "error: runtime error in `cmp`: uncaught exception (type "
                     "tag 100129)";
  EXPECT_EQ(callText("sorter"), Want);
  EXPECT_EQ(callText("catch_sort"), Want);
  expectUsable();
}

/// ns per throw + catch, N times in a MIR loop; one frame up (the catcher
/// calls the thrower) or five (through lvl1 .. lvl4 to lvl5).
TEST_F(ExceptionTest, DISABLED_ThrowCatchTiming) {
  auto Loop = [](const std::string &Name, const std::string &Callee) {
    Fn L(Name, {I64}, I64);
    LocalId I = L.var(I64), Lt = L.var(BoolT), R = L.var(I64), P = L.var(I64);
    L.block(0, {copyI(I, ki(0))}, gotoT(1))
        .block(1, {binI(Lt, BinOpKind::Lt, cp(I), cp(L.arg(0)))},
               ifT(cp(Lt), 2, 4))
        .block(2, {}, invokeT(R, fn(Callee, Unary), {cp(I)}, 3, 3, P))
        .block(3, {binI(I, BinOpKind::Add, cp(I), ki(1))}, gotoT(1))
        .block(4, {}, retT(cp(I)));
    return L.done();
  };
  Fn Fast("raise1", {I64}, I64);
  Fast.block(0, {}, throwT(cp(Fast.arg(0)), ki(I64Tag)));
  mustLoad(moduleOf({Fast.done(), Loop("one_up", "raise1"),
                     Loop("five_up", "lvl1"), Loop("no_raise", "ok")}));
  const uint64_t N = 2000000;
  for (const char *Name : {"one_up", "five_up", "no_raise"}) {
    double Best = 1e30;
    for (int Rep = 0; Rep < 5; ++Rep) {
      auto T0 = std::chrono::steady_clock::now();
      EXPECT_EQ(run(Name, {N}), N);
      auto T1 = std::chrono::steady_clock::now();
      Best = std::min(
          Best, std::chrono::duration<double, std::nano>(T1 - T0).count());
    }
    std::printf("%-9s %.1f ns per iteration (best of 5, %llu iterations)\n",
                Name, Best / double(N), (unsigned long long)N);
  }
}

} // namespace
