//===- tests/limits/ExternCheckTest.cpp - Declared externs vs their own ---===//
//
// A declaration of a runtime function or builtin whose calling convention
// differs from the function's own is a load error naming both signatures
// (ffi/ExternCheck.cpp); spellings that travel the same way are accepted.
//
//===----------------------------------------------------------------------===//
#include "LimitsSupport.h"

using namespace spl;
using namespace spl::limits_test;

namespace {

class ExternCheck : public testing::TestWithParam<BackendCase> {
protected:
  Status compile(const std::string &Decl, const std::string &Call) {
    auto M = makeManager(GetParam());
    if (!M)
      return ExecError{};
    return M->compile("module \"m\"\n" + Decl + "\nfn @f() {\nbb0:\n  " +
                      Call + "\n  return\n}\n");
  }
};

TEST_P(ExternCheck, IntegerForAPointerIsALoadError) {
  Status S = compile("extern @rt_println_str(i64)",
                     "call @rt_println_str(const i64 4096) : fn(i64)");
  ASSERT_FALSE(bool(S));
  EXPECT_EQ(S.error().K, ExecError::Kind::Load);
  EXPECT_EQ(S.error().Message,
            "module `m`: extern `rt_println_str` is declared as fn(i64), but "
            "the runtime function's own signature is fn(*mut u8, u64) (a call "
            "would pass or read values of the wrong kind)");
}

TEST_P(ExternCheck, WrongWidthAndWrongFloat) {
  Status S = compile("extern @rt_println_i64(i32)",
                     "call @rt_println_i64(const i32 1) : fn(i32)");
  ASSERT_FALSE(bool(S));
  EXPECT_EQ(S.error().Message,
            "module `m`: extern `rt_println_i64` is declared as fn(i32), but "
            "the builtin's own signature is fn(i64) (a call would "
            "pass or read values of the wrong kind)");
  Status F = compile("extern @rt_math_sqrt(f32) -> f32",
                     "call @rt_math_sqrt(const f32 2.0) : fn(f32) -> f32");
  ASSERT_FALSE(bool(F));
  EXPECT_NE(F.error().Message.find("extern `rt_math_sqrt` is declared as "
                                   "fn(f32) -> f32, but the"),
            std::string::npos)
      << F.error().Message;
  EXPECT_NE(F.error().Message.find("own signature is fn(f64) -> f64"),
            std::string::npos)
      << F.error().Message;
}

TEST_P(ExternCheck, AgreeingSpellingsAreAccepted) {
  // *u8 for *mut u8 and u64 for the length; i64 for u64; a dropped result.
  Status S = compile("extern @rt_println_str(*u8, u64)",
                     "call @rt_println_str(const *u8 \"\", const u64 0) : "
                     "fn(*u8, u64)");
  EXPECT_TRUE(bool(S)) << S.error().Message;
  Status T = compile("extern @rt_max_i64(i64, i64)",
                     "call @rt_max_i64(const i64 1, const i64 2) : "
                     "fn(i64, i64)");
  EXPECT_TRUE(bool(T)) << T.error().Message;
  // A name spl-exec does not implement: its declaration is all there is.
  Status U = compile("extern @rt_geom_area(f64, f64) -> f64", "");
  // (It may fail to resolve, but never for its signature.)
  if (!U)
    EXPECT_EQ(U.error().Message.find("is declared as"), std::string::npos)
        << U.error().Message;
}

INSTANTIATE_TEST_SUITE_P(Backends, ExternCheck, testing::ValuesIn(AllBackends),
                         caseName);

} // namespace
