//===- tests/jit/V2FormsTest.cpp - The MIR v2 forms on the JIT -----------===//
//
// Word types, Aggregate, GetField/SetField, GlobalAddr, probes, SsaPhi,
// bounds_check, bit and extern intrinsics, and the v2 call conversions, each
// at -O0 and -O2, with the values derived by hand from MIR.md and the lead's
// v2 decisions (prompts/backend-v2.md).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "ffi/FFI.h"

using namespace spl;
using namespace spl::jit;
using namespace spl::jit::test;

namespace {

/// Runs Text's Fn on a fresh session at -O0 and at -O2 and expects Want.
void expectJit(const std::string &Text, const Outcome &Want,
               const std::string &Fn = "main",
               const std::vector<uint64_t> &Args = {}) {
  mir::Module M = parse(Text);
  for (const Backend &B : {JitO0, JitO2})
    EXPECT_EQ(run(B, M, Fn, Args), Want) << "on " << B.name();
}

std::string ret(int64_t V) { return "ret " + std::to_string(uint64_t(V)); }

TEST(V2Forms, TupleOfMixedOperandsHoldsEncodedWords) {
  // Every field is read back as the raw word (get_field into i64): signed
  // integers sign-extended, unsigned and char zero-extended, bool 0/1, f32
  // its bits zero-extended, f64 its bits, text its (8-aligned) address.
  expectJit(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: struct#1 temp
  let _2: i64 temp
  let _3: opaque "str" temp
bb0:
  _1 = aggregate tuple (const i8 -1, const u8 255, const bool true, const f32 1.5, const f64 -2.0, const char 955, const i64 -7, const opaque "str" "hi")
  _2 = get_field copy _1, 0
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 1
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 2
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 3
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 4
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 5
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 6
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 7
  _2 = binop bitand copy _2, const i64 7
  call @rt_println_i64(copy _2) : fn(i64)
  _3 = get_field copy _1, 7
  call @rt_println(copy _3) : fn()
  return const i64 0
}
)",
            {"-1\n255\n1\n1069547520\n-4611686018427387904\n955\n-7\n0\nhi\n",
             ret(0)});
}

TEST(V2Forms, StructArrayAndEnumAggregates) {
  // struct#7: two words; [i64]: a runtime array of the words pushed in
  // order; enum#4.1 with one operand: that word is the payload; enum#9.2 with
  // two: a tuple of the words; enum#4.0 without operands: payload 0.
  expectJit(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: struct#7 temp
  let _2: [i64; 0] temp
  let _3: enum#4 temp
  let _4: enum#9 temp
  let _5: enum#4 temp
  let _6: i64 temp
  let _7: i64 temp
bb0:
  _1 = aggregate struct#7 (const i16 -2, const u32 4000000000)
  _6 = get_field copy _1, 0
  call @rt_println_i64(copy _6) : fn(i64)
  _6 = get_field copy _1, 1
  call @rt_println_i64(copy _6) : fn(i64)
  _2 = aggregate [i64] (const i64 8, const i64 16, const i64 24)
  _6 = call @rt_array_len(copy _2) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _6 = call @rt_array_get(copy _2, const i64 1) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _3 = aggregate enum#4.1 (const i64 40)
  _6 = call @rt_enum_id(copy _3) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _6 = call @rt_enum_discriminant(copy _3) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _6 = call @rt_enum_payload(copy _3) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _4 = aggregate enum#9.2 (const i64 5, const bool true)
  _6 = call @rt_enum_discriminant(copy _4) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _7 = call @rt_enum_payload(copy _4) : fn() -> i64
  _6 = call @rt_tuple_get(copy _7, const i64 0) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _6 = call @rt_tuple_get(copy _7, const i64 1) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _5 = aggregate enum#4.0 ()
  _6 = call @rt_enum_discriminant(copy _5) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  _6 = call @rt_enum_payload(copy _5) : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  return const i64 0
}
)",
            {"-2\n4000000000\n3\n16\n4\n1\n40\n2\n5\n1\n0\n0\n", ret(0)});
}

TEST(V2Forms, GetFieldConvertsTheWordToTheDestType) {
  // Words: 0 = -1; 1 = 0x1_8000_0001; 2 = the bits of 42.0; 3 = 2;
  // 4 = 0x12345678_3FC00000 (low half: the bits of 1.5f).
  expectJit(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: struct#2 temp
  let _2: u8 temp
  let _3: i8 temp
  let _4: i32 temp
  let _5: u16 temp
  let _6: f64 temp
  let _7: bool temp
  let _8: f32 temp
  let _9: i64 temp
bb0:
  _1 = aggregate tuple (const i64 -1, const i64 6442450945, const i64 4631107791820423168, const i64 2, const i64 1311768465937268736)
  _2 = get_field copy _1, 0
  _9 = cast copy _2 to i64
  call @rt_println_i64(copy _9) : fn(i64)
  _3 = get_field copy _1, 0
  _9 = cast copy _3 to i64
  call @rt_println_i64(copy _9) : fn(i64)
  _4 = get_field copy _1, 1
  _9 = cast copy _4 to i64
  call @rt_println_i64(copy _9) : fn(i64)
  _5 = get_field copy _1, 1
  _9 = cast copy _5 to i64
  call @rt_println_i64(copy _9) : fn(i64)
  _6 = get_field copy _1, 2
  call @rt_println_f64(copy _6) : fn(f64)
  _7 = get_field copy _1, 3
  call @rt_println_bool(copy _7) : fn(bool)
  _7 = get_field copy _1, 0
  call @rt_println_bool(copy _7) : fn(bool)
  _8 = get_field copy _1, 4
  _8 = binop mul copy _8, const f32 2.0
  _6 = cast copy _8 to f64
  call @rt_println_f64(copy _6) : fn(f64)
  return const i64 0
}
)",
            {"255\n-1\n-2147483647\n1\n42.0\nfalse\ntrue\n3.0\n", ret(0)});
}

TEST(V2Forms, SetFieldStoresTheEncodedWord) {
  expectJit(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: struct#3 temp
  let _2: i64 temp
bb0:
  _1 = aggregate struct#3 (const i64 0, const i64 0, const i64 0, const i64 0, const i64 0)
  set_field copy _1, 0, const i8 -3
  set_field copy _1, 1, const u16 65535
  set_field copy _1, 2, const f32 2.5
  set_field copy _1, 3, const bool true
  set_field copy _1, 4, const char 65
  _2 = get_field copy _1, 0
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 1
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 2
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 3
  call @rt_println_i64(copy _2) : fn(i64)
  _2 = get_field copy _1, 4
  call @rt_println_i64(copy _2) : fn(i64)
  return const i64 0
}
)",
            {"-3\n65535\n1075838976\n1\n65\n", ret(0)});
}

TEST(V2Forms, WordTypesAreOneWordEverywhere) {
  // A text constant is 8-aligned and keeps its bits through casts, word
  // parameters and results; the raw slot of a word result is the word.
  std::string Text = R"(
fn @id(opaque "str") -> opaque "str" {
  let _0: opaque "str" return
  let _1: opaque "str" arg 0
bb0:
  _0 = copy _1
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: opaque "str" temp
  let _2: i64 temp
  let _3: i64 temp
bb0:
  _1 = call @id(const opaque "str" "a") : fn(opaque "str") -> opaque "str"
  _2 = cast copy _1 to i64
  _3 = binop bitand copy _2, const i64 7
  _1 = const opaque "str" "abc"
  _2 = cast copy _1 to i64
  _2 = binop bitand copy _2, const i64 7
  _3 = binop add copy _3, copy _2
  _1 = const opaque "str" "hello, world"
  _2 = cast copy _1 to i64
  _2 = binop bitand copy _2, const i64 7
  _0 = binop add copy _3, copy _2
  call @rt_println(copy _1) : fn()
  return
}

fn @word(struct#1) -> i64 {
  let _0: i64 return
  let _1: struct#1 arg 0
bb0:
  _0 = cast copy _1 to i64
  return
}
)";
  expectJit(Text, {"hello, world\n", ret(0)});
  expectJit(Text, {"", ret(-5)}, "word", {uint64_t(-5)});
}

TEST(V2Forms, GlobalCellsAreSharedAcrossFunctionsBatchesAndSessions) {
  for (unsigned Opt : {0u, 2u}) {
    auto Cells = std::make_shared<ffi::GlobalCells>();
    Options O;
    O.OptLevel = Opt;
    O.Globals = Cells;
    auto S = newSession(O);
    ASSERT_TRUE(S);
    ASSERT_EQ(errorText(S->load(parse(R"(
fn @bump() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
bb0:
  _1 = global_addr #5 mut
  _0 = load copy _1
  _0 = binop add copy _0, const i64 1
  store copy _1, copy _0
  return
}

fn @peek() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
bb0:
  _1 = global_addr #5
  _0 = load copy _1
  return
}
)"))),
              "<success>");
    auto Call = [&](Session &J, const char *Fn) {
      return callCapturing([&] { return J.call(Fn, {}); });
    };
    EXPECT_EQ(Call(*S, "bump"), (Outcome{"", "ret 1"}));
    EXPECT_EQ(Call(*S, "bump"), (Outcome{"", "ret 2"}));
    EXPECT_EQ(Call(*S, "peek"), (Outcome{"", "ret 2"}));
    // A later batch sees the same cell; another symbol has its own.
    ASSERT_EQ(errorText(S->load(parse(R"(
fn @peek2() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
  let _2: u64 temp
bb0:
  _2 = global_addr #6
  _1 = global_addr #5
  _0 = load copy _1
  _0 = binop mul copy _0, const i64 10
  return
}

fn @other() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
bb0:
  _1 = global_addr #6 mut
  _0 = load copy _1
  return
}
)"))),
              "<success>");
    EXPECT_EQ(Call(*S, "peek2"), (Outcome{"", "ret 20"}));
    EXPECT_EQ(Call(*S, "other"), (Outcome{"", "ret 0"}));
    EXPECT_EQ(*Cells->cell(5), 2u);
    // A second session given the same cells (the other tier) shares them.
    auto S2 = newSession(O);
    ASSERT_TRUE(S2);
    ASSERT_EQ(errorText(S2->load(parse(R"(
fn @bump() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
bb0:
  _1 = global_addr #5 mut
  _0 = load copy _1
  _0 = binop add copy _0, const i64 1
  store copy _1, copy _0
  return
}
)"))),
              "<success>");
    EXPECT_EQ(Call(*S2, "bump"), (Outcome{"", "ret 3"}));
    EXPECT_EQ(Call(*S, "peek"), (Outcome{"", "ret 3"}));
  }
}

TEST(V2Forms, ProbesHaveNoEffect) {
  expectJit(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: bool temp
bb0:
  _1 = binop lt const i64 1, const i64 2
  decision_probe copy _1 {"runtime_id":1,"semantic_id":"d1"}
  condition_probe copy _1 {"runtime_id":2,"semantic_id":"c1"}
  _0 = cast copy _1 to i64
  return
}
)",
            {"", "ret 1"});
}

const char *PhiProgram = R"(
fn @pick(bool) -> i64 {
  let _0: i64 return
  let _1: bool arg 0
bb0:
  if copy _1 then bb1 else bb2
bb1:
  goto bb3
bb2:
  goto bb3
bb3:
  _0 = intrinsic __simple_ssa_phi(const i64 1, const i32 10, const i64 2, const i64 20)
  return
}

fn @nomatch() -> i64 {
  let _0: i64 return
bb0:
  goto bb7
bb7:
  _0 = intrinsic __simple_ssa_phi(const i64 1, const i64 10, const i64 2, const i64 20)
  return
}

fn @short() -> i64 {
  let _0: i64 return
bb0:
  _0 = intrinsic __simple_ssa_phi(const i64 77, const i64 5)
  return
}

; i = phi(bb0: 0, bb2: i + 1) while i < n: a loop through a phi.
fn @count(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 temp
  let _3: i64 temp
  let _4: bool temp
bb0:
  goto bb1
bb1:
  _2 = intrinsic __simple_ssa_phi(const i64 0, const i64 0, const i64 2, copy _3)
  _4 = binop lt copy _2, copy _1
  if copy _4 then bb2 else bb3
bb2:
  _3 = binop add copy _2, const i64 1
  goto bb1
bb3:
  _0 = copy _2
  return
}
)";

TEST(V2Forms, SsaPhiChoosesByPredecessor) {
  expectJit(PhiProgram, {"", "ret 10"}, "pick", {1});
  expectJit(PhiProgram, {"", "ret 20"}, "pick", {0});
  expectJit(PhiProgram, {"", "ret 10"}, "nomatch");
  expectJit(PhiProgram, {"", "ret 77"}, "short");
  expectJit(PhiProgram, {"", "ret 5"}, "count", {5});
  expectJit(PhiProgram, {"", "ret 0"}, "count", {0});
}

const char *BoundsProgram = R"(
fn @at(i64, i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 arg 1
bb0:
  call @rt_print(const *u8 "check ") : fn(*u8)
  _0 = intrinsic bounds_check(copy _1, copy _2)
  intrinsic bounds_check(copy _1, copy _2)
  return
}
)";

TEST(V2Forms, BoundsCheck) {
  expectJit(BoundsProgram, {"check ", "ret 0"}, "at", {0, 10});
  expectJit(BoundsProgram, {"check ", "ret 9"}, "at", {9, 10});
  expectJit(BoundsProgram,
            {"check ",
             "error: runtime error in `at`: index 10 out of bounds for length "
             "10"},
            "at", {10, 10});
  expectJit(BoundsProgram,
            {"check ",
             "error: runtime error in `at`: index -1 out of bounds for length "
             "10"},
            "at", {uint64_t(-1), 10});
  expectJit(BoundsProgram,
            {"check ",
             "error: runtime error in `at`: index 0 out of bounds for length "
             "-3"},
            "at", {0, uint64_t(-3)});
}

TEST(V2Forms, ExternIntrinsicCallsSimpleIntrinsicWithWords) {
  // __simple_intrinsic_likely is the identity on its word; the result is
  // read as get_field reads a field (bool: bit 0).
  expectJit(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
  let _2: bool temp
  let _3: i8 temp
bb0:
  _1 = intrinsic likely(const i32 -9)
  call @rt_println_i64(copy _1) : fn(i64)
  _2 = intrinsic unlikely(const i64 3)
  call @rt_println_bool(copy _2) : fn(bool)
  _3 = intrinsic assume(const i64 511)
  _1 = cast copy _3 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  intrinsic prefetch(const i64 0)
  return const i64 0
}
)",
            {"-9\ntrue\n-1\n", ret(0)});
  expectJit(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = intrinsic nosuch_thing(const i64 1)
  return
}
)",
            {"", "load error: cannot resolve extern `__simple_intrinsic_nosuch_"
                 "thing`: it is not a runtime function or builtin and does not "
                 "follow the SFFI convention rt_<lib>_<name>"});
}

TEST(V2Forms, BitIntrinsics) {
  // clmul: 0b11 x 0b11 = 0b101 carry-less; 2^63 x 2 = 2^64 (high word 1).
  // crc32_u8 over "123456789" from ~0, inverted at the end, is CRC-32C's
  // check value 0xE3069283 (= 3808858755).
  std::string Crc = "  _1 = const i64 4294967295\n";
  for (char Ch : std::string("123456789"))
    Crc += "  _1 = intrinsic crc32_u8(copy _1, const i64 " +
           std::to_string(int(Ch)) + ")\n";
  expectJit(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
  let _2: *mut [u8; 16] temp
  let _3: *mut [u8; 16] temp
  let _4: *mut u64 temp
  let _5: u64 temp
bb0:
  _1 = intrinsic clmul_lo(const i64 3, const i64 3)
  call @rt_println_i64(copy _1) : fn(i64)
  _1 = intrinsic clmul_hi(const i64 -9223372036854775808, const i64 2)
  call @rt_println_i64(copy _1) : fn(i64)
)" + Crc + R"(  _1 = binop bitxor copy _1, const i64 4294967295
  call @rt_println_i64(copy _1) : fn(i64)
  _2 = alloc [u8; 16]
  _3 = alloc [u8; 16]
  intrinsic crypto_aes_round(copy _3, copy _2, copy _2)
  _4 = cast copy _3 to *mut u64
  _5 = load copy _4
  _1 = cast copy _5 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  return const i64 0
}
)",
            // AESENC of a zero state with a zero key: every byte
            // SubBytes(0) = 0x63, which MixColumns keeps (2x ^ 3x ^ x ^ x
            // = x).
            {"5\n1\n3808858755\n" +
                 std::to_string(int64_t(0x6363636363636363)) + "\n",
             ret(0)});
}

TEST(V2Forms, CallArgumentsConvertToTheCalleesParameters) {
  // Integers extend by the *source* signedness or truncate; F32 -> F64
  // numerically; an extern's own signature decides over `fn()`.
  expectJit(R"(
fn @wide(i64, i64, i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 arg 1
  let _3: i64 arg 2
bb0:
  call @rt_println_i64(copy _1) : fn(i64)
  call @rt_println_i64(copy _2) : fn(i64)
  call @rt_println_i64(copy _3) : fn(i64)
  return const i64 0
}

fn @narrow(i8) -> i64 {
  let _0: i64 return
  let _1: i8 arg 0
bb0:
  _0 = cast copy _1 to i64
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: [i64; 0] temp
bb0:
  _0 = call @wide(const i8 -1, const u8 255, const char 955) : fn(i8, u8, char) -> i64
  call @rt_println_f64(const f32 0.5) : fn(f32)
  call @rt_println_i64(const bool true) : fn(bool)
  call @rt_println_i64(const u32 4294967295) : fn(u32)
  call @rt_println_i64(const i16 -2) : fn(i16)
  _0 = call @narrow(const i64 511) : fn(i64) -> i64
  call @rt_println_i64(copy _0) : fn(i64)
  _1 = aggregate [i64] (const i64 1, const i64 2)
  _0 = call @rt_array_len(copy _1) : fn() -> i64
  return
}
)",
            {"-1\n255\n955\n0.5\n1\n4294967295\n-2\n-1\n", ret(2)});
}

TEST(V2Forms, CallConversionErrorsAreLoadErrors) {
  mir::Module M = parse(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @rt_array_len(const f64 1.5) : fn() -> i64
  return
}
)");
  for (const Backend &B : {JitO0, JitO2})
    EXPECT_EQ(run(B, M).Result,
              "load error: function `main`, block bb0, instruction 0: "
              "argument 0 of `rt_array_len` has type f64, the parameter is "
              "i64")
        << B.name();
  M = parse(R"(
fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @rt_array_len(const i64 1, const i64 2) : fn() -> i64
  return
}
)");
  for (const Backend &B : {JitO0, JitO2})
    EXPECT_EQ(run(B, M).Result,
              "load error: call of `rt_array_len` passes 2 arguments, its "
              "signature fn(i64) -> i64 takes 1 (the call site says fn() -> "
              "i64)")
        << B.name();
}

} // namespace
