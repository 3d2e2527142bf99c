//===- tests/ffi/GuardTest.cpp - runGuarded, raiseTrap, raiseExit ---------===//

#include "TestUtil.h"

#include <thread>

using namespace spl;
using namespace spl::ffi;
using namespace spl::ffi::test;

extern "C" double rt_testlib_apply_f64(double (*)(double), double);

namespace {

/// The exit code of an ExitRequest, or -1 (and a failure) for anything else.
int exitCode(Error E) {
  int Code = -1;
  handleAllErrors(
      std::move(E), [&](const ExitRequest &X) { Code = X.code(); },
      [](const ErrorInfoBase &X) {
        ADD_FAILURE() << "not an exit: " << X.message();
      });
  return Code;
}

TEST(Guard, BodyThatReturnsNormally) {
  int Ran = 0;
  EXPECT_FALSE(inGuard());
  Error E = runGuarded([&] {
    EXPECT_TRUE(inGuard());
    ++Ran;
  });
  EXPECT_EQ(errorText(std::move(E)), "<success>");
  EXPECT_EQ(Ran, 1);
  EXPECT_FALSE(inGuard());
}

TEST(Guard, TrapReturnsItsMessage) {
  bool After = false;
  Error E = runGuarded([&] {
    raiseTrap("runtime error in `f`: something went wrong, and the message "
              "is long enough to live on the heap");
    After = true;
  });
  EXPECT_FALSE(After);
  EXPECT_FALSE(inGuard());
  EXPECT_EQ(errorText(std::move(E)),
            "runtime error in `f`: something went wrong, and the message is "
            "long enough to live on the heap");
}

TEST(Guard, ExitReturnsAnExitRequest) {
  Error E = runGuarded([] { raiseExit(3); });
  EXPECT_EQ(exitCode(std::move(E)), 3);
  EXPECT_EQ(errorText(runGuarded([] { raiseExit(-2); })),
            "program exited with code -2");
}

/// Real frames down to the raise: the addition defeats tail calls, the
/// volatile pointer keeps the compiler from reasoning about the recursion.
int recurseThenTrap(int Depth);
int (*volatile Recurse)(int) = recurseThenTrap;
int recurseThenTrap(int Depth) {
  if (Depth > 0)
    return 1 + Recurse(Depth - 1);
  raiseTrap("deep");
}

TEST(Guard, UnwindsManyFrames) {
  EXPECT_EQ(errorText(runGuarded([] { recurseThenTrap(5000); })), "deep");
}

TEST(Guard, GuardsNest) {
  std::string Inner;
  Error Outer = runGuarded([&] {
    {
      Error E = runGuarded([] { raiseTrap("inner trap"); });
      Inner = errorText(std::move(E));
    }
    EXPECT_TRUE(inGuard()); // still inside the outer guard
    raiseExit(9);
  });
  EXPECT_EQ(Inner, "inner trap");
  EXPECT_EQ(exitCode(std::move(Outer)), 9);
  EXPECT_FALSE(inGuard());

  // An inner guard that succeeds leaves the outer one in charge.
  Error E = runGuarded([] {
    cantFail(runGuarded([] {}));
    raiseTrap("outer trap");
  });
  EXPECT_EQ(errorText(std::move(E)), "outer trap");
}

TEST(Guard, GuardIsReusableAfterATrap) {
  for (int I = 0; I < 100; ++I)
    EXPECT_EQ(errorText(runGuarded([I] { raiseTrap(std::to_string(I)); })),
              std::to_string(I));
}

TEST(Guard, SplRtTrapUsesTrapMessage) {
  using mir::TrapKind;
  auto Trap = [](TrapKind K, const char *Fn, const char *Detail) {
    return errorText(
        runGuarded([&] { spl_rt_trap(static_cast<uint32_t>(K), Fn, Detail); }));
  };
  EXPECT_EQ(Trap(TrapKind::DivByZero, "div", nullptr),
            "runtime error in `div`: attempt to divide by zero");
  EXPECT_EQ(Trap(TrapKind::MulOverflow, "f", ""),
            "runtime error in `f`: attempt to multiply with overflow");
  EXPECT_EQ(Trap(TrapKind::Abort, "main", "bad state"),
            "runtime error in `main`: aborted: bad state");
  EXPECT_EQ(Trap(TrapKind::StackOverflow, "f", "10000"),
            "runtime error in `f`: stack overflow (call depth exceeded 10000)");
  EXPECT_EQ(Trap(TrapKind::UndefinedFunction, "main", "later"),
            "runtime error: function `later` is not defined");
  EXPECT_EQ(errorText(runGuarded([] { spl_rt_trap(200, "f", nullptr); })),
            "runtime error in `f`: unknown runtime error (kind 200)");
}

double trapInCallback(double) { raiseTrap("trap from a callback"); }

TEST(Guard, UnwindsThroughCAndLibffiFrames) {
  // rt_testlib_apply_f64(fn, f64) -> f64 is a mixed signature: libffi calls
  // the C library, which calls back into a function that traps.
  mir::Signature CB;
  CB.Params = {mir::TypeKind::F64};
  CB.Ret = mir::TypeKind::F64;
  mir::Signature S;
  S.Params = {mir::Type::funcPtr(CB), mir::TypeKind::F64};
  // Six integers more than the function reads make the call one only libffi
  // makes (seven integer arguments; the callee ignores the extra registers
  // and stack word, which its caller owns under the SysV ABI).
  S.Params.insert(S.Params.end(), 6, mir::TypeKind::I64);
  S.Ret = mir::TypeKind::F64;
  auto P = CallPlan::create(S, reinterpret_cast<void *>(rt_testlib_apply_f64),
                            "rt_testlib_apply_f64");
  ASSERT_TRUE(!!P) << errorText(P);
  ASSERT_TRUE((*P)->UsesLibffi);
  uint64_t Args[] = {raw(&trapInCallback), raw(1.0), 0, 0, 0, 0, 0, 0}, Out = 0;
  const CallPlan &Plan = **P;
  EXPECT_EQ(errorText(runGuarded([&] { Plan.invoke(Args, &Out); })),
            "trap from a callback");
}

TEST(Guard, GuardsArePerThread) {
  std::string A, B;
  std::thread T1(
      [&] { A = errorText(runGuarded([] { raiseTrap("thread one"); })); });
  std::thread T2([&] {
    B = errorText(runGuarded([] {
      EXPECT_TRUE(inGuard());
      raiseExit(2);
    }));
  });
  T1.join();
  T2.join();
  EXPECT_EQ(A, "thread one");
  EXPECT_EQ(B, "program exited with code 2");
  EXPECT_FALSE(inGuard());
}

TEST(GuardDeathTest, RaiseOutsideAGuardIsABackendBug) {
  EXPECT_DEATH(raiseTrap("lost"),
               "runtime error raised outside a guarded execution: lost");
}

} // namespace
