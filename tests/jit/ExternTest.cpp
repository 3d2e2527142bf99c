//===- tests/jit/ExternTest.cpp - Builtins and SFFI libraries from JIT code
//===//
//
// SFFI calls go straight from JIT code into libspl_testlib.so (tests/sffi):
// the address JIT code links to is the library's own (dlsym's), and every
// scalar type crosses the C boundary correctly extended, in both directions,
// including callbacks into JIT'd MIR functions.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "ffi/FFI.h"

#include <dlfcn.h>

using namespace spl;
using namespace spl::jit::test;

namespace {

class Extern : public testing::Test {
protected:
  void SetUp() override { useTestLibraries(); }
};

TEST_F(Extern, AddressIsTheLibrarysOwnSymbol) {
  auto S = newSession();
  ASSERT_TRUE(S);
  llvm::Expected<uint64_t> A = S->externAddress("rt_testlib_inc");
  ASSERT_TRUE(bool(A)) << llvm::toString(A.takeError());
  std::string Path = SffiDir + "/libspl_testlib.so";
  void *H = dlopen(Path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(H, nullptr) << dlerror();
  EXPECT_EQ(*A,
            uint64_t(reinterpret_cast<uintptr_t>(dlsym(H, "rt_testlib_inc"))));
  dlclose(H);
}

TEST_F(Extern, BuiltinAddressIsTheTableEntry) {
  auto S = newSession();
  ASSERT_TRUE(S);
  llvm::Expected<uint64_t> A = S->externAddress("rt_println_i64");
  ASSERT_TRUE(bool(A)) << llvm::toString(A.takeError());
  EXPECT_EQ(*A, uint64_t(reinterpret_cast<uintptr_t>(
                    ffi::findBuiltin("rt_println_i64")->Address)));
}

TEST_F(Extern, UnknownNamesAreErrors) {
  auto S = newSession();
  ASSERT_TRUE(S);
  std::string Missing =
      errorText(S->externAddress("rt_testlib_absent").takeError());
  EXPECT_NE(Missing.find("rt_testlib_absent"), std::string::npos) << Missing;
  std::string NoLib = errorText(S->externAddress("rt_nolibhere_f").takeError());
  EXPECT_NE(NoLib.find("nolibhere"), std::string::npos) << NoLib;
}

TEST_F(Extern, ScalarsCrossTheCBoundaryBothWays) {
  mir::Module M = parse(R"(
extern @rt_testlib_i16_id(i16) -> i16

fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
  let _2: u8 temp
  let _3: bool temp
  let _4: f64 temp
  let _5: f32 temp
  let _6: i8 temp
  let _7: i16 temp
  let _9: u64 temp
bb0:
  _1 = call @rt_testlib_i8_widen(const i8 -5) : fn(i8) -> i64
  call @rt_println_i64(copy _1) : fn(i64)
  _2 = call @rt_testlib_u8_add(const u8 250, const u8 10) : fn(u8, u8) -> u8
  _1 = cast copy _2 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  _3 = call @rt_testlib_bool_not(const bool false) : fn(bool) -> bool
  call @rt_println_bool(copy _3) : fn(bool)
  _4 = call @rt_testlib_mix8(const i64 1, const f64 0.5, const i32 -2, const f32 1.5, const i8 -3, const u16 65535, const bool true, const u32 4000000000) : fn(i64, f64, i32, f32, i8, u16, bool, u32) -> f64
  call @rt_println_f64(copy _4) : fn(f64)
  _5 = call @rt_testlib_f32_add(const f32 0.5, const f32 0.25) : fn(f32, f32) -> f32
  _4 = cast copy _5 to f64
  call @rt_println_f64(copy _4) : fn(f64)
  _6 = call @rt_testlib_mix_i8(const f64 300.7, const i64 100) : fn(f64, i64) -> i8
  _1 = cast copy _6 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  _7 = call @rt_testlib_i16_id(const i16 -1234) : fn(i16) -> i16
  _1 = cast copy _7 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  _1 = call @rt_testlib_sum8(const i64 1, const i64 1, const i64 1, const i64 1, const i64 1, const i64 1, const i64 1, const i64 10) : fn(i64, i64, i64, i64, i64, i64, i64, i64) -> i64
  call @rt_println_i64(copy _1) : fn(i64)
  call @rt_testlib_counter_reset() : fn()
  call @rt_testlib_counter_inc() : fn()
  call @rt_testlib_counter_add(const i64 5) : fn(i64)
  _1 = call @rt_testlib_counter_get() : fn() -> i64
  call @rt_println_i64(copy _1) : fn(i64)
  _9 = call @rt_testlib_u64_max() : fn() -> u64
  _0 = cast copy _9 to i64
  return
}
)");
  if (HasFailure())
    return;
  Outcome Want{"-5\n4\ntrue\n32000393204.0\n0.75\n-112\n-1234\n108\n6\n",
               "ret 18446744073709551615"};
  for (const Backend &B : {Interp, JitO0, JitO2})
    EXPECT_EQ(run(B, M), Want) << B.name();
}

TEST_F(Extern, CCallsBackIntoJITCode) {
  // C receives a pointer to a MIR function (its C-ABI adapter) and calls it,
  // twice nested. (JIT only: SEMANTICS.md does not promise C callbacks, and
  // the interpreter's function pointers are not C functions.)
  mir::Module M = parse(R"(
fn @triple(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop mul copy _1, const i64 3
  return
}

fn @twice_tripled(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: fn(i64) -> i64 temp
bb0:
  _2 = const fn(i64) -> i64 @triple
  _0 = call @rt_testlib_apply_i64(copy _2, copy _1) : fn(fn(i64) -> i64, i64) -> i64
  _0 = binop mul copy _0, const i64 2
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: fn(i64) -> i64 temp
bb0:
  _1 = const fn(i64) -> i64 @twice_tripled
  _0 = call @rt_testlib_apply_i64(copy _1, const i64 7) : fn(fn(i64) -> i64, i64) -> i64
  return
}
)");
  if (HasFailure())
    return;
  for (const Backend &B : {JitO0, JitO2})
    EXPECT_EQ(run(B, M), (Outcome{"", "ret 42"})) << B.name();
}

TEST_F(Extern, JITCodeWritesThroughLibraryPointers) {
  mir::Module M = parse(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut [i32; 4] temp
  let _2: *mut i32 temp
  let _3: i32 temp
  let _4: *mut i64 temp
bb0:
  _1 = alloc [i32; 4]
  _2 = gep copy _1, const i64 0, const i64 0
  call @rt_testlib_fill_i32(copy _2, const i64 4, const i32 -9) : fn(*mut i32, i64, i32)
  _2 = gep copy _1, const i64 0, const i64 3
  _3 = load copy _2
  _0 = cast copy _3 to i64
  _4 = alloc i64
  call @rt_testlib_write_i64(copy _4, const i64 1000) : fn(*mut i64, i64)
  _3 = cast copy _0 to i32
  _0 = load copy _4
  _0 = binop add copy _0, const i64 -1
  return
}
)");
  if (HasFailure())
    return;
  for (const Backend &B : {Interp, JitO0, JitO2})
    EXPECT_EQ(run(B, M), (Outcome{"", "ret 999"})) << B.name();
}

TEST_F(Extern, MissingLibraryIsALoadErrorNamingTheSymbol) {
  mir::Module M = parse(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @rt_nolibhere_f() : fn() -> i64
  return
}
)");
  if (HasFailure())
    return;
  auto S = newSession();
  ASSERT_TRUE(S);
  std::string E = errorText(S->load(M));
  EXPECT_NE(E.find("rt_nolibhere_f"), std::string::npos) << E;
  EXPECT_FALSE(S->hasFunction("main"));
}

} // namespace
