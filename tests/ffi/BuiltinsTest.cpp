//===- tests/ffi/BuiltinsTest.cpp - Every builtin through its call plan ---===//
//
// Builtins are called the way the interpreter calls them: the table's
// signature and address, a CallPlan, raw slots. Printed text is captured
// from stdout and compared exactly.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cmath>
#include <cstring>
#include <ctime>
#include <map>
#include <set>

using namespace spl;
using namespace spl::ffi;
using namespace spl::ffi::test;
using testing::internal::CaptureStdout;
using testing::internal::GetCapturedStdout;

namespace {

/// The plan for builtin Name, made once from its table entry and kept, so
/// that calls inside runGuarded hold no owning object when they unwind.
const CallPlan *plan(const char *Name) {
  static std::map<std::string, std::unique_ptr<CallPlan>> Plans;
  std::unique_ptr<CallPlan> &Slot = Plans[Name];
  if (Slot)
    return Slot.get();
  // Resolved as the backends do (a runtime function may stand beside the
  // builtins, as rt_print does in PrintsInterleaveInOrder).
  Expected<ExternBinding> B = resolveExtern(Name);
  EXPECT_TRUE(!!B) << errorText(B);
  if (!B || !B->Sig)
    return nullptr;
  Expected<std::unique_ptr<CallPlan>> P =
      CallPlan::create(*B->Sig, B->Address, Name);
  EXPECT_TRUE(!!P) << errorText(P);
  if (!P)
    return nullptr;
  // Builtin signatures all fit the specialised stubs.
  EXPECT_FALSE((*P)->UsesLibffi) << Name;
  Slot = std::move(*P);
  return Slot.get();
}

/// Calls builtin Name through its plan.
uint64_t call(const char *Name, std::initializer_list<uint64_t> Args = {}) {
  const CallPlan *P = plan(Name);
  if (!P)
    return 0;
  EXPECT_EQ(P->Sig.Params.size(), Args.size()) << Name;
  uint64_t Out = 0;
  P->invoke(Args.begin(), &Out);
  return Out;
}

std::string printed(const char *Name, uint64_t Arg) {
  CaptureStdout();
  call(Name, {Arg});
  return GetCapturedStdout();
}

double f64(uint64_t Raw) { return std::bit_cast<double>(Raw); }

TEST(Builtins, TableHoldsExactlyTheRuntimeBuiltins) {
  std::set<std::string> Names;
  for (const Builtin &B : builtins()) {
    EXPECT_TRUE(Names.insert(B.Name).second) << "duplicate " << B.Name;
    EXPECT_EQ(findBuiltin(B.Name), &B);
    EXPECT_NE(B.Address, nullptr);
  }
  // rt_print_str, rt_println_str, rt_alloc and rt_free are the runtime's
  // (runtime/, upstream signatures), not builtins.
  std::set<std::string> Want = {"rt_print_i64",
                                "rt_println_i64",
                                "rt_print_f64",
                                "rt_println_f64",
                                "rt_print_bool",
                                "rt_println_bool",
                                "rt_print_char",
                                "rt_println_char",
                                "rt_time_now_monotonic_ms",
                                "rt_exit",
                                "rt_env_get",
                                "rt_math_sqrt",
                                "rt_math_sin",
                                "rt_math_cos",
                                "rt_math_tan",
                                "rt_math_exp",
                                "rt_math_log",
                                "rt_math_log2",
                                "rt_math_log10",
                                "rt_math_floor",
                                "rt_math_ceil",
                                "rt_math_fabs",
                                "rt_math_round",
                                "rt_math_trunc",
                                "rt_math_pow",
                                "rt_abs_i64",
                                "rt_min_i64",
                                "rt_max_i64",
                                "spl_dlopen",
                                "spl_dlsym",
                                "spl_dlclose",
                                "spl_wffi_call_i64",
                                "spl_wffi_call_f64"};
  EXPECT_EQ(Names, Want);
  EXPECT_EQ(findBuiltin("rt_print_i32"), nullptr);
  EXPECT_EQ(findBuiltin(""), nullptr);
}

TEST(Builtins, Signatures) {
  auto Sig = [](const char *Name) { return findBuiltin(Name)->Sig.str(); };
  EXPECT_EQ(Sig("rt_println_i64"), "fn(i64)");
  EXPECT_EQ(Sig("rt_println_f64"), "fn(f64)");
  EXPECT_EQ(Sig("rt_print_bool"), "fn(bool)");
  EXPECT_EQ(Sig("rt_println_char"), "fn(char)");
  EXPECT_EQ(Sig("rt_time_now_monotonic_ms"), "fn() -> i64");
  EXPECT_EQ(Sig("rt_exit"), "fn(i64)");
  EXPECT_EQ(Sig("rt_env_get"), "fn(*u8) -> *u8");
  EXPECT_EQ(Sig("rt_math_log10"), "fn(f64) -> f64");
  EXPECT_EQ(Sig("rt_math_pow"), "fn(f64, f64) -> f64");
  EXPECT_EQ(Sig("rt_min_i64"), "fn(i64, i64) -> i64");
  EXPECT_EQ(Sig("spl_dlopen"), "fn(*u8) -> i64");
  EXPECT_EQ(Sig("spl_dlsym"), "fn(i64, *u8) -> i64");
  EXPECT_EQ(Sig("spl_dlclose"), "fn(i64) -> i64");
  EXPECT_EQ(Sig("spl_wffi_call_i64"), "fn(i64, *i64, i64) -> i64");
  EXPECT_EQ(Sig("spl_wffi_call_f64"), "fn(i64, *f64, i64) -> f64");
}

TEST(Builtins, ResolveFindsBuiltins) {
  Expected<ExternBinding> B = resolveExtern("rt_println_i64");
  ASSERT_TRUE(!!B) << errorText(B);
  EXPECT_EQ(B->B, findBuiltin("rt_println_i64"));
  EXPECT_EQ(B->Origin, ExternOrigin::Builtin);
  EXPECT_EQ(B->Lib, nullptr);
  EXPECT_EQ(B->Address, B->B->Address);
  EXPECT_EQ(B->Name, "rt_println_i64");
}

TEST(Builtins, PrintIntegers) {
  EXPECT_EQ(printed("rt_print_i64", raw(int64_t{42})), "42");
  EXPECT_EQ(printed("rt_println_i64", raw(int64_t{-7})), "-7\n");
  EXPECT_EQ(printed("rt_print_i64", raw(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(printed("rt_println_i64", raw(INT64_MAX)), "9223372036854775807\n");
}

TEST(Builtins, PrintFloats) {
  EXPECT_EQ(printed("rt_print_f64", raw(13.0)), "13.0");
  EXPECT_EQ(printed("rt_println_f64", raw(2.001)), "2.001\n");
  EXPECT_EQ(printed("rt_println_f64", raw(1e16)), "1e+16\n");
  EXPECT_EQ(printed("rt_print_f64", raw(-0.0)), "-0.0");
  EXPECT_EQ(printed("rt_println_f64", raw(std::nan(""))), "nan\n");
  EXPECT_EQ(printed("rt_println_f64", raw(-HUGE_VAL)), "-inf\n");
}

TEST(Builtins, PrintBools) {
  EXPECT_EQ(printed("rt_print_bool", raw(true)), "true");
  EXPECT_EQ(printed("rt_print_bool", raw(false)), "false");
  EXPECT_EQ(printed("rt_println_bool", raw(true)), "true\n");
  EXPECT_EQ(printed("rt_println_bool", raw(false)), "false\n");
}

TEST(Builtins, PrintCharsAsUtf8) {
  EXPECT_EQ(printed("rt_print_char", 'A'), "A");
  EXPECT_EQ(printed("rt_print_char", 0xE9), "\xC3\xA9");
  EXPECT_EQ(printed("rt_print_char", 0x20AC), "\xE2\x82\xAC");
  EXPECT_EQ(printed("rt_println_char", 0x1F600), "\xF0\x9F\x98\x80\n");
  EXPECT_EQ(printed("rt_print_char", 0x7F), "\x7F");
  EXPECT_EQ(printed("rt_print_char", 0x80), "\xC2\x80");
  EXPECT_EQ(printed("rt_print_char", 0x7FF), "\xDF\xBF");
  EXPECT_EQ(printed("rt_print_char", 0x800), "\xE0\xA0\x80");
  EXPECT_EQ(printed("rt_print_char", 0x10FFFF), "\xF4\x8F\xBF\xBF");
  // Not Unicode scalar values: U+FFFD.
  EXPECT_EQ(printed("rt_print_char", 0xD800), "\xEF\xBF\xBD");
  EXPECT_EQ(printed("rt_print_char", 0x110000), "\xEF\xBF\xBD");
}

TEST(Builtins, PrintsInterleaveInOrder) {
  CaptureStdout();
  call("rt_print", {raw("x = ")}); // the runtime's, on the same stdout
  call("rt_print_i64", {raw(int64_t{3})});
  call("rt_print_char", {','});
  call("rt_print_f64", {raw(0.5)});
  call("rt_println_bool", {raw(true)});
  EXPECT_EQ(GetCapturedStdout(), "x = 3,0.5true\n");
}

TEST(Builtins, MonotonicTime) {
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  int64_t Before = int64_t(T.tv_sec) * 1000 + T.tv_nsec / 1000000;
  int64_t A = call("rt_time_now_monotonic_ms");
  int64_t B = call("rt_time_now_monotonic_ms");
  EXPECT_GE(A, Before);
  EXPECT_LE(A - Before, 1000);
  EXPECT_GE(B, A);
}

TEST(Builtins, AllocIsZeroedAndFreeable) {
  auto *P = reinterpret_cast<unsigned char *>(call("rt_alloc", {4096}));
  ASSERT_NE(P, nullptr);
  for (int I = 0; I < 4096; ++I)
    ASSERT_EQ(P[I], 0) << I;
  std::memset(P, 0xAB, 4096);
  call("rt_free", {raw(P)});
  uint64_t Zero = call("rt_alloc", {0});
  EXPECT_NE(Zero, 0u);
  call("rt_free", {Zero});
  EXPECT_EQ(call("rt_alloc", {raw(int64_t{-1})}), 0u);
  call("rt_free", {0}); // free(null) is a no-op
}

TEST(Builtins, ExitEndsTheGuardedExecution) {
  int Code = -1;
  bool After = false;
  plan("rt_exit"); // made outside the guard: nothing owned is live at the exit
  Error E = runGuarded([&] {
    call("rt_exit", {raw(int64_t{7})});
    After = true;
  });
  EXPECT_FALSE(After);
  handleAllErrors(
      std::move(E), [&](const ExitRequest &X) { Code = X.code(); },
      [](const ErrorInfoBase &X) { ADD_FAILURE() << X.message(); });
  EXPECT_EQ(Code, 7);
}

TEST(Builtins, EnvGet) {
  setenv("SPL_FFI_TEST_VAR", "some value", 1);
  auto Get = [](const char *Name) {
    return reinterpret_cast<const char *>(call("rt_env_get", {raw(Name)}));
  };
  EXPECT_STREQ(Get("SPL_FFI_TEST_VAR"), "some value");
  unsetenv("SPL_FFI_TEST_VAR");
  const char *Missing = Get("SPL_FFI_TEST_VAR");
  ASSERT_NE(Missing, nullptr);
  EXPECT_STREQ(Missing, "");
}

TEST(Builtins, Math) {
  auto M = [](const char *Name, double X) { return f64(call(Name, {raw(X)})); };
  EXPECT_EQ(M("rt_math_sqrt", 16.0), 4.0);
  EXPECT_EQ(M("rt_math_sqrt", 2.0), std::sqrt(2.0));
  EXPECT_TRUE(std::isnan(M("rt_math_sqrt", -1.0)));
  EXPECT_EQ(M("rt_math_sin", 0.0), 0.0);
  EXPECT_EQ(M("rt_math_sin", 1.0), std::sin(1.0));
  EXPECT_EQ(M("rt_math_cos", 0.0), 1.0);
  EXPECT_EQ(M("rt_math_cos", 1.0), std::cos(1.0));
  EXPECT_EQ(M("rt_math_tan", 0.0), 0.0);
  EXPECT_EQ(M("rt_math_tan", 1.0), std::tan(1.0));
  EXPECT_EQ(M("rt_math_exp", 0.0), 1.0);
  EXPECT_EQ(M("rt_math_exp", 1.0), std::exp(1.0));
  EXPECT_EQ(M("rt_math_log", 1.0), 0.0);
  EXPECT_EQ(M("rt_math_log", 10.0), std::log(10.0));
  EXPECT_EQ(M("rt_math_log2", 8.0), 3.0);
  EXPECT_EQ(M("rt_math_log10", 1000.0), 3.0);
  EXPECT_EQ(M("rt_math_floor", -2.5), -3.0);
  EXPECT_EQ(M("rt_math_ceil", -2.5), -2.0);
  EXPECT_EQ(M("rt_math_fabs", -3.25), 3.25);
  EXPECT_EQ(M("rt_math_round", 2.5), 3.0);
  EXPECT_EQ(M("rt_math_round", -2.5), -3.0);
  EXPECT_EQ(M("rt_math_trunc", -2.7), -2.0);
  EXPECT_EQ(f64(call("rt_math_pow", {raw(2.0), raw(10.0)})), 1024.0);
  EXPECT_EQ(f64(call("rt_math_pow", {raw(2.0), raw(-1.0)})), 0.5);
}

TEST(Builtins, IntegerHelpers) {
  auto I = [](int64_t V) { return raw(V); };
  EXPECT_EQ(call("rt_abs_i64", {I(-5)}), 5u);
  EXPECT_EQ(call("rt_abs_i64", {I(5)}), 5u);
  EXPECT_EQ(call("rt_abs_i64", {I(INT64_MIN)}), raw(INT64_MIN));
  EXPECT_EQ(call("rt_min_i64", {I(-3), I(2)}), raw(int64_t{-3}));
  EXPECT_EQ(call("rt_max_i64", {I(-3), I(2)}), 2u);
  EXPECT_EQ(call("rt_max_i64", {I(INT64_MIN), I(INT64_MAX)}), raw(INT64_MAX));
}

} // namespace
