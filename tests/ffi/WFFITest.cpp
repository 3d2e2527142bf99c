//===- tests/ffi/WFFITest.cpp - spl_dlopen/dlsym/dlclose and wffi calls ---===//
//
// The WFFI builtins are called through their call plans, as a MIR program
// would call them, on libc, libm and the test library.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cstring>
#include <map>

using namespace spl;
using namespace spl::ffi;
using namespace spl::ffi::test;

extern "C" {
int64_t rt_testlib_sum0(void);
int64_t rt_testlib_sum8(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                        int64_t, int64_t);
double rt_testlib_dsum8(double, double, double, double, double, double, double,
                        double);
int64_t rt_testlib_strlen(const char *);
}

namespace {

class WFFI : public ::testing::Test {
protected:
  void SetUp() override {
    for (const char *Name : {"spl_dlopen", "spl_dlsym", "spl_dlclose",
                             "spl_wffi_call_i64", "spl_wffi_call_f64"}) {
      const Builtin *B = findBuiltin(Name);
      ASSERT_NE(B, nullptr) << Name;
      auto P = CallPlan::create(B->Sig, B->Address, Name);
      ASSERT_TRUE(!!P) << errorText(P);
      Plans[Name] = std::move(*P);
    }
  }

  /// Calls builtin Name through its plan. The plans belong to the fixture,
  /// so a call that traps inside runGuarded unwinds no owning object.
  uint64_t call(const char *Name, std::initializer_list<uint64_t> Args) {
    uint64_t Out = 0;
    Plans.at(Name)->invoke(Args.begin(), &Out);
    return Out;
  }
  int64_t open(const char *Path) { return call("spl_dlopen", {raw(Path)}); }
  int64_t sym(int64_t H, const char *Name) {
    return call("spl_dlsym", {raw(H), raw(Name)});
  }
  int64_t callI64(int64_t Fn, const int64_t *Args, int64_t N) {
    return call("spl_wffi_call_i64", {raw(Fn), raw(Args), raw(N)});
  }
  double callF64(int64_t Fn, const double *Args, int64_t N) {
    return std::bit_cast<double>(
        call("spl_wffi_call_f64", {raw(Fn), raw(Args), raw(N)}));
  }

  std::map<std::string_view, std::unique_ptr<CallPlan>> Plans;
};

TEST_F(WFFI, LibcThroughTheProgramHandle) {
  int64_t Self = open(nullptr);
  ASSERT_NE(Self, 0);
  int64_t Strlen = sym(Self, "strlen");
  ASSERT_NE(Strlen, 0);
  EXPECT_EQ(Strlen, reinterpret_cast<int64_t>(&strlen));
  const char *S = "hello, wffi";
  int64_t Args[] = {static_cast<int64_t>(raw(S))};
  EXPECT_EQ(callI64(Strlen, Args, 1), 11);
  int64_t Labs = sym(Self, "labs");
  int64_t Neg[] = {-12345};
  EXPECT_EQ(callI64(Labs, Neg, 1), 12345);
}

TEST_F(WFFI, LibmDoubles) {
  int64_t M = open("libm.so.6");
  ASSERT_NE(M, 0);
  int64_t Pow = sym(M, "pow");
  ASSERT_NE(Pow, 0);
  double Args[] = {2.0, 10.0};
  EXPECT_EQ(callF64(Pow, Args, 2), 1024.0);
  int64_t Sqrt = sym(M, "sqrt");
  double Nine[] = {9.0};
  EXPECT_EQ(callF64(Sqrt, Nine, 1), 3.0);
  EXPECT_EQ(call("spl_dlclose", {raw(M)}), 0u);
}

TEST_F(WFFI, TestLibraryAllArities) {
  std::string Path = SffiDir + "/libspl_testlib.so";
  int64_t H = open(Path.c_str());
  ASSERT_NE(H, 0);
  int64_t Args[8] = {3, -1, 4, -1, 5, -9, 2, 6};
  double DArgs[8] = {0.5, -1.25, 4, 1e3, -5, 0.125, 2, 6};
  for (int N = 0; N <= 8; ++N) {
    std::string IName = "rt_testlib_sum" + std::to_string(N);
    std::string DName = "rt_testlib_dsum" + std::to_string(N);
    int64_t I = sym(H, IName.c_str()), D = sym(H, DName.c_str());
    ASSERT_NE(I, 0) << IName;
    ASSERT_NE(D, 0) << DName;
    // Weighted sums over the first N arguments, computed here.
    int64_t WantI = 0;
    double WantD = 0;
    for (int K = 0; K < N; ++K) {
      WantI += (K + 1) * Args[K];
      WantD += (K + 1) * DArgs[K];
    }
    EXPECT_EQ(callI64(I, Args, N), WantI) << IName;
    EXPECT_EQ(callF64(D, DArgs, N), WantD) << DName;
  }
  EXPECT_EQ(callI64(sym(H, "rt_testlib_sum8"), Args, 8),
            rt_testlib_sum8(3, -1, 4, -1, 5, -9, 2, 6));
  EXPECT_EQ(callF64(sym(H, "rt_testlib_dsum8"), DArgs, 8),
            rt_testlib_dsum8(0.5, -1.25, 4, 1e3, -5, 0.125, 2, 6));
  int64_t NoArgs = callI64(sym(H, "rt_testlib_sum0"), nullptr, 0);
  EXPECT_EQ(NoArgs, rt_testlib_sum0());
}

TEST_F(WFFI, FailuresAreZero) {
  EXPECT_EQ(open("/nonexistent/libnothing.so"), 0);
  int64_t Self = open(nullptr);
  EXPECT_EQ(sym(Self, "no_such_function_anywhere"), 0);
  EXPECT_EQ(sym(0, "strlen"), 0); // a failed handle finds nothing
  EXPECT_EQ(sym(Self, nullptr), 0);
  EXPECT_EQ(call("spl_dlclose", {0}), raw(int64_t{-1}));
}

TEST_F(WFFI, BadCallsTrap) {
  int64_t Strlen = reinterpret_cast<int64_t>(&strlen);
  int64_t Args[9] = {};
  double DArgs[9] = {};
  auto Trap = [&](auto Body) { return errorText(runGuarded(Body)); };
  EXPECT_EQ(Trap([&] { callI64(Strlen, Args, 9); }),
            "runtime error: spl_wffi_call_i64: argument count 9 is out of "
            "range (0..8)");
  EXPECT_EQ(Trap([&] { callI64(Strlen, Args, -1); }),
            "runtime error: spl_wffi_call_i64: argument count -1 is out of "
            "range (0..8)");
  EXPECT_EQ(Trap([&] { callF64(Strlen, DArgs, 100); }),
            "runtime error: spl_wffi_call_f64: argument count 100 is out of "
            "range (0..8)");
  EXPECT_EQ(Trap([&] { callF64(0, DArgs, 1); }),
            "runtime error: spl_wffi_call_f64: null function pointer");
  EXPECT_EQ(Trap([&] { callI64(Strlen, nullptr, 1); }),
            "runtime error: spl_wffi_call_i64: null argument array");
}

} // namespace
