//===- tests/mir/HostEdgeTest.cpp - Host doubles into integer parameters --===//
//
// docs/SEMANTICS.md "Host values": a host's double passed by value to an
// integer parameter converts as a Cast from F64 does (toward zero,
// saturating, NaN -> 0), never by `int64_t(double)`, which C++ leaves
// undefined for NaN, infinities and out-of-range values. Both APIs, both
// backends; the expected values are the limits of each type, by hand.
//
//===----------------------------------------------------------------------===//
#include "mir/Semantics.h"
#include "spl/ExecManager.h"
#include "spl/exec_manager.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

using namespace spl;

namespace {

const double Inf = std::numeric_limits<double>::infinity();
const double NaN = std::numeric_limits<double>::quiet_NaN();
const double TwoTo63 = 9223372036854775808.0;
const double TwoTo64 = 18446744073709551616.0;

/// fn @id_T(T) -> T for each type the tests pass doubles to.
std::string identities() {
  std::string T;
  for (const char *Ty :
       {"i64", "i32", "i8", "u8", "u64", "bool", "char", "f64", "f32"})
    T += std::string("fn @id_") + Ty + "(" + Ty + ") -> " + Ty +
         " {\n  let _0: " + Ty + " return\n  let _1: " + Ty +
         " arg 0\nbb0:\n  _0 = copy _1\n  return\n}\n";
  return T;
}

class HostEdge : public ::testing::TestWithParam<const char *> {
protected:
  void SetUp() override {
    Options O;
    O.Backend = GetParam();
    auto R = ExecManager::create(O);
    ASSERT_TRUE(bool(R)) << R.error().Message;
    M = std::move(*R);
    Status S = M->compile(identities(), "ids.mir");
    ASSERT_TRUE(bool(S)) << S.error().Message;
  }
  /// The result of id_Ty(X) as its raw bits.
  uint64_t call(const char *Ty, double X) {
    auto R = M->call(std::string("id_") + Ty, {Value::f64(X)});
    EXPECT_TRUE(bool(R)) << (R ? "" : R.error().Message);
    return R ? R->bits() : 0xdeadbeef;
  }
  std::unique_ptr<ExecManager> M;
};

TEST_P(HostEdge, SignedParametersSaturate) {
  const uint64_t Min = uint64_t(INT64_MIN), Max = uint64_t(INT64_MAX);
  EXPECT_EQ(call("i64", NaN), 0u);
  EXPECT_EQ(call("i64", -NaN), 0u);
  EXPECT_EQ(call("i64", Inf), Max);
  EXPECT_EQ(call("i64", -Inf), Min);
  EXPECT_EQ(call("i64", 1e300), Max);
  EXPECT_EQ(call("i64", -1e300), Min);
  EXPECT_EQ(call("i64", TwoTo63), Max);  // the first double above MAX
  EXPECT_EQ(call("i64", -TwoTo63), Min); // exactly MIN
  EXPECT_EQ(call("i64", 2.9), 2u);       // toward zero
  EXPECT_EQ(call("i64", -2.9), uint64_t(-2));
  EXPECT_EQ(call("i64", -0.0), 0u);
  // Narrower types saturate to their own range (in slot form: extended).
  EXPECT_EQ(call("i32", 3e9), uint64_t(INT32_MAX));
  EXPECT_EQ(call("i32", -3e9), uint64_t(int64_t(INT32_MIN)));
  EXPECT_EQ(call("i8", 200.0), 127u);
  EXPECT_EQ(call("i8", -128.9), uint64_t(int64_t(-128)));
  EXPECT_EQ(call("i8", -129.0), uint64_t(int64_t(-128)));
  EXPECT_EQ(call("i8", NaN), 0u);
}

TEST_P(HostEdge, UnsignedParametersSaturate) {
  EXPECT_EQ(call("u8", 300.0), 255u);
  EXPECT_EQ(call("u8", 255.9), 255u);
  EXPECT_EQ(call("u8", -5.0), 0u);
  EXPECT_EQ(call("u8", -0.9), 0u);
  EXPECT_EQ(call("u8", NaN), 0u);
  EXPECT_EQ(call("u64", 1e19), 10000000000000000000u); // above INT64_MAX
  EXPECT_EQ(call("u64", TwoTo64), UINT64_MAX);
  EXPECT_EQ(call("u64", 1e300), UINT64_MAX);
  EXPECT_EQ(call("u64", Inf), UINT64_MAX);
  EXPECT_EQ(call("u64", -1.0), 0u);
  EXPECT_EQ(call("u64", -Inf), 0u);
  EXPECT_EQ(call("u64", NaN), 0u);
  // Char is an unsigned 32-bit integer for casts.
  EXPECT_EQ(call("char", 1e10), 0xffffffffu);
  EXPECT_EQ(call("char", 65.5), 65u);
  // Bool: the integer the value truncates to (saturated), != 0.
  EXPECT_EQ(call("bool", 0.5), 0u);
  EXPECT_EQ(call("bool", -1.0), 1u);
  EXPECT_EQ(call("bool", -Inf), 1u);
  EXPECT_EQ(call("bool", NaN), 0u);
}

TEST_P(HostEdge, FloatParametersKeepTheValue) {
  double D;
  uint64_t B = call("f64", 1e300);
  std::memcpy(&D, &B, 8);
  EXPECT_EQ(D, 1e300);
  // Beyond the float range the conversion gives inf (defined in IEEE).
  uint32_t F32 = uint32_t(call("f32", 1e300));
  float F;
  std::memcpy(&F, &F32, 4);
  EXPECT_EQ(F, std::numeric_limits<float>::infinity());
  // An unsigned integer Value above 2^63 is not negative.
  auto R = M->call("id_f64", {Value::u64(uint64_t(1) << 63)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asF64(), TwoTo63);
}

TEST_P(HostEdge, CallWithF64Saturates) {
  auto R = M->callWithF64("id_i64", {NaN});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asI64(), 0);
  R = M->callWithF64("id_u8", {-1e300});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asU64(), 0u);
}

TEST_P(HostEdge, TheCApiSaturates) {
  int64_t H = rt_exec_manager_create(GetParam());
  ASSERT_NE(H, 0) << rt_exec_manager_get_last_error(0);
  std::string Src = identities();
  ASSERT_STREQ(rt_exec_manager_compile(H, Src.c_str()), "");
  auto Call = [&](const char *Fn, double X) {
    return rt_exec_manager_execute_f64(H, Fn, &X, 1);
  };
  // The result comes back as a double: INT64_MAX as the nearest, 2^63.
  EXPECT_EQ(Call("id_i64", NaN), 0.0);
  EXPECT_EQ(Call("id_i64", 1e300), TwoTo63);
  EXPECT_EQ(Call("id_i64", -Inf), -TwoTo63);
  EXPECT_EQ(Call("id_u64", Inf), TwoTo64);
  EXPECT_EQ(Call("id_i8", 1000.0), 127.0);
  EXPECT_EQ(Call("id_u8", -3.0), 0.0);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H), "");
  rt_exec_manager_cleanup(H);
}

INSTANTIATE_TEST_SUITE_P(Backends, HostEdge,
                         ::testing::Values("interpreter", "llvm"));

TEST(HostEdgeSemantics, SaturatingFloatToIntByHand) {
  using mir::saturatingFloatToInt;
  using mir::TypeKind;
  EXPECT_EQ(saturatingFloatToInt(NaN, TypeKind::I64), 0u);
  EXPECT_EQ(saturatingFloatToInt(1e300, TypeKind::I64), uint64_t(INT64_MAX));
  EXPECT_EQ(saturatingFloatToInt(-TwoTo63, TypeKind::I64), uint64_t(INT64_MIN));
  // The largest double below 2^63 converts exactly.
  EXPECT_EQ(saturatingFloatToInt(9223372036854774784.0, TypeKind::I64),
            9223372036854774784u);
  EXPECT_EQ(saturatingFloatToInt(-129.0, TypeKind::I8),
            uint64_t(int64_t(-128)));
  EXPECT_EQ(saturatingFloatToInt(32767.99, TypeKind::I16), 32767u);
  EXPECT_EQ(saturatingFloatToInt(32768.0, TypeKind::I16), 32767u);
  EXPECT_EQ(saturatingFloatToInt(65536.0, TypeKind::U16), 65535u);
  EXPECT_EQ(saturatingFloatToInt(4294967295.5, TypeKind::U32), 4294967295u);
  // The largest double below 2^64 converts exactly.
  EXPECT_EQ(saturatingFloatToInt(18446744073709549568.0, TypeKind::U64),
            18446744073709549568u);
  EXPECT_EQ(saturatingFloatToInt(-0.5, TypeKind::U64), 0u);
  EXPECT_EQ(saturatingFloatToInt(1.0, TypeKind::F64), 0u); // not an integer
}

} // namespace
