//===- tests/jit/DifferentialTest.cpp - JIT and interpreter, same programs
//-===//
//
// Small programs aimed at the places where JIT code could part ways with the
// interpreter: register vs memory forms of Bool, sub-word integers,
// signedness, saturating casts, Alloc re-zeroing, calls of every shape
// (direct, through a local, through a pointer to a MIR function or to a
// builtin, variadic-free C calls), and call-depth accounting. Each program
// states its exact expected stdout and result, and must give exactly that on
// the interpreter and on the JIT at -O0 and -O2.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include <cstring>

using namespace spl;
using namespace spl::jit::test;

namespace {

/// M with every constant operand of an arithmetic, comparison or cast
/// instruction replaced by a local that receives the constant through an
/// opaque extern (`__simple_intrinsic_assume`, an identity function of the
/// runtime that LLVM cannot see into). Without this, LLVM's constant folder
/// computes the programs below at compile time even at -O0, and the JIT's own
/// `mul`, `sdiv`, shifts and casts never run.
mir::Module hideConstants(mir::Module M) {
  using namespace spl::mir;
  for (Function &F : M.Functions) {
    LocalId Next = 0;
    for (const Local &L : F.Locals)
      Next = std::max(Next, L.Id + 1);
    for (Block &B : F.Blocks) {
      std::vector<Inst> Out;
      for (Inst &I : B.Insts) {
        bool Hides = I.Op == Opcode::BinOp || I.Op == Opcode::CheckedBinOp ||
                     I.Op == Opcode::UnaryOp || I.Op == Opcode::Cast ||
                     I.Op == Opcode::Bitcast;
        for (Operand &O : I.mutableOps()) {
          if (!Hides || !O.isConst() || !O.constant().Ty.isScalar() ||
              O.constant().Ty.isPointer() || O.constant().Ty.isFuncPtr())
            continue;
          Local L;
          L.Id = Next++;
          L.Ty = O.constant().Ty;
          L.Kind = LocalKind::Temp;
          F.Locals.push_back(L);
          Inst Id;
          Id.Op = Opcode::Intrinsic;
          Id.Intr = IntrinsicKind::Extern;
          Id.setName("assume");
          Id.setDest(L.Id);
          Id.addOp(O);
          Id.setLoc(I.loc());
          Out.push_back(std::move(Id));
          O = Operand::copy(L.Id);
        }
        Out.push_back(std::move(I));
      }
      B.Insts = std::move(Out);
    }
    F.reindex();
  }
  return M;
}

void expectEverywhere(const std::string &Text, const Outcome &Want,
                      const std::string &Fn = "main",
                      const std::vector<uint64_t> &Args = {}) {
  mir::Module M = parse(Text);
  if (testing::Test::HasFailure())
    return;
  for (const Backend &B : {Interp, JitO0, JitO2})
    EXPECT_EQ(run(B, M, Fn, Args), Want) << "on " << B.name();
  // The same programs with their constants out of the optimiser's reach.
  mir::Module Hidden = hideConstants(M);
  for (const Backend &B : {Interp, JitO0, JitO2})
    EXPECT_EQ(run(B, Hidden, Fn, Args), Want)
        << "on " << B.name() << " with constants hidden";
}

TEST(Differential, SubWordIntegersWrapAndExtendBySignedness) {
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i8 temp
  let _2: u8 temp
  let _3: i16 temp
  let _4: u32 temp
  let _5: i64 temp
bb0:
  _1 = binop add const i8 127, const i8 1
  _5 = cast copy _1 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  _2 = binop sub const u8 0, const u8 1
  _5 = cast copy _2 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  _1 = cast copy _2 to i8
  _5 = cast copy _1 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  _3 = binop mul const i16 300, const i16 300
  _5 = cast copy _3 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  _4 = binop shr const u32 4294967295, const u32 28
  _5 = cast copy _4 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  _1 = binop shr const i8 -128, const u8 7
  _5 = cast copy _1 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  _0 = cast copy _2 to i64
  return
}
)",
                   {"-128\n255\n-1\n24464\n15\n-1\n", "ret 255"});
}

TEST(Differential, UnsignedDivisionComparisonAndWideConstants) {
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: u64 temp
  let _2: bool temp
  let _3: i64 temp
bb0:
  _1 = binop div const u64 18446744073709551615, const u64 10
  _3 = cast copy _1 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _2 = binop gt const u64 18446744073709551615, const u64 1
  _3 = cast copy _2 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _2 = binop gt const i64 -1, const i64 1
  _3 = cast copy _2 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _1 = binop rem const u64 18446744073709551615, const u64 7
  _0 = cast copy _1 to i64
  return
}
)",
                   {"1844674407370955161\n1\n0\n", "ret 1"});
}

TEST(Differential, FloatsNaNComparisonsAndRem) {
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: f64 temp
  let _2: bool temp
  let _3: f32 temp
bb0:
  _1 = binop rem const f64 7.5, const f64 2.0
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = binop rem const f64 -7.5, const f64 2.0
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = binop div const f64 0.0, const f64 0.0
  _2 = binop ne copy _1, copy _1
  call @rt_println_bool(copy _2) : fn(bool)
  _2 = binop eq copy _1, copy _1
  call @rt_println_bool(copy _2) : fn(bool)
  _2 = binop le copy _1, const f64 1.0
  call @rt_println_bool(copy _2) : fn(bool)
  _1 = binop pow const f64 2.0, const f64 0.5
  call @rt_println_f64(copy _1) : fn(f64)
  _3 = binop add const f32 0.1, const f32 0.2
  _1 = cast copy _3 to f64
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = binop div const f64 1.0, const f64 0.0
  call @rt_println_f64(copy _1) : fn(f64)
  return const i64 0
}
)",
                   {"1.5\n-1.5\ntrue\nfalse\nfalse\n1.4142135623730951\n"
                    "0.30000001192092896\ninf\n",
                    "ret 0"});
}

TEST(Differential, FloatToIntCastsSaturate) {
  expectEverywhere(
      R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i32 temp
  let _2: u8 temp
  let _3: i64 temp
  let _4: f64 temp
  let _5: u64 temp
bb0:
  _1 = cast const f64 1e30 to i32
  _3 = cast copy _1 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _1 = cast const f64 -1e30 to i32
  _3 = cast copy _1 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _4 = binop div const f64 0.0, const f64 0.0
  _3 = cast copy _4 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _2 = cast const f64 -5.5 to u8
  _3 = cast copy _2 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _2 = cast const f64 300.0 to u8
  _3 = cast copy _2 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _3 = cast const f64 -2.9 to i64
  call @rt_println_i64(copy _3) : fn(i64)
  _4 = cast const u64 18446744073709551615 to f64
  call @rt_println_f64(copy _4) : fn(f64)
  _4 = cast const i64 -3 to f64
  call @rt_println_f64(copy _4) : fn(f64)
  _5 = cast const i8 -1 to u64
  _4 = cast copy _5 to f64
  call @rt_println_f64(copy _4) : fn(f64)
  return const i64 0
}
)",
      {"2147483647\n-2147483648\n0\n0\n255\n-2\n1.8446744073709552e+19\n"
       "-3.0\n1.8446744073709552e+19\n",
       "ret 0"});
}

TEST(Differential, BitcastsAndBoolConversions) {
  expectEverywhere(
      R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
  let _2: f64 temp
  let _3: bool temp
  let _4: u32 temp
  let _5: f32 temp
bb0:
  _1 = bitcast const f64 1.0 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  _2 = bitcast const i64 -4616189618054758400 to f64
  call @rt_println_f64(copy _2) : fn(f64)
  _4 = bitcast const f32 -0.0 to u32
  _1 = cast copy _4 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  _3 = cast const i64 256 to bool
  call @rt_println_bool(copy _3) : fn(bool)
  _3 = cast const u8 0 to bool
  call @rt_println_bool(copy _3) : fn(bool)
  _1 = cast const bool true to i64
  return copy _1
}
)",
      {"4607182418800017408\n-1.0\n2147483648\ntrue\nfalse\n", "ret 1"});
}

TEST(Differential, BoolInMemoryIsAByteAndNonzeroReadsTrue) {
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut u8 temp
  let _2: *mut bool temp
  let _3: bool temp
  let _4: u8 temp
  let _5: i64 temp
bb0:
  _1 = alloc u8
  store copy _1, const u8 2
  _2 = cast copy _1 to *mut bool
  _3 = load copy _2
  call @rt_println_bool(copy _3) : fn(bool)
  store copy _2, const bool true
  _4 = load copy _1
  _5 = cast copy _4 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  store copy _2, const bool false
  _3 = load copy _2
  call @rt_println_bool(copy _3) : fn(bool)
  return const i64 0
}
)",
                   {"true\n1\nfalse\n", "ret 0"});
}

TEST(Differential, AllocInALoopIsZeroedEveryTime) {
  // Each iteration reads the slot (0 after re-zeroing) and then writes it.
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 var
  let _2: *mut [i32; 4] temp
  let _3: *mut i32 temp
  let _4: i32 temp
  let _5: bool temp
  let _6: i64 var
bb0:
  _1 = const i64 0
  _0 = const i64 0
  goto bb1
bb1:
  _2 = alloc [i32; 4]
  _3 = gep copy _2, const i64 0, const i64 3
  _4 = load copy _3
  _6 = cast copy _4 to i64
  _0 = binop add copy _0, copy _6
  store copy _3, const i32 77
  _1 = binop add copy _1, const i64 1
  _5 = binop lt copy _1, const i64 5
  if copy _5 then bb1 else bb2
bb2:
  _4 = load copy _3
  _6 = cast copy _4 to i64
  _0 = binop add copy _0, copy _6
  return
}
)",
                   {"", "ret 77"});
}

TEST(Differential, GepOffsetAndMemoryWidths) {
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut [i16; 8] temp
  let _2: *mut i16 temp
  let _3: *mut i16 temp
  let _4: i16 temp
  let _5: i64 temp
  let _6: *mut [[u8; 3]; 2] temp
  let _7: *mut [u8; 3] temp
  let _8: *mut u8 temp
  let _9: u8 temp
bb0:
  _1 = alloc [i16; 8]
  _2 = gep copy _1, const i64 0, const i64 6
  store copy _2, const i16 -300
  _3 = binop offset copy _2, const i64 -4
  store copy _3, const i16 12
  _2 = gep copy _1, const i64 0, const u8 2
  _4 = load copy _2
  _5 = cast copy _4 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  _3 = binop offset copy _2, const i32 4
  _4 = load copy _3
  _5 = cast copy _4 to i64
  call @rt_println_i64(copy _5) : fn(i64)
  _6 = alloc [[u8; 3]; 2]
  _7 = gep copy _6, const i64 0, const i64 1
  _8 = gep copy _7, const i64 0, const i64 2
  store copy _8, const u8 200
  _8 = gep copy _6, const i64 0, const i64 0
  _8 = cast copy _8 to *mut u8
  _8 = binop offset copy _8, const i64 5
  _9 = load copy _8
  _0 = cast copy _9 to i64
  return
}
)",
                   {"12\n-300\n", "ret 200"});
}

TEST(Differential, CallsWithManyMixedArgumentsAndSmallResults) {
  expectEverywhere(R"(
fn @mix(i64, f64, u8, i16, bool, f32, char, i64, f64) -> f64 {
  let _0: f64 return
  let _1: i64 arg 0
  let _2: f64 arg 1
  let _3: u8 arg 2
  let _4: i16 arg 3
  let _5: bool arg 4
  let _6: f32 arg 5
  let _7: char arg 6
  let _8: i64 arg 7
  let _9: f64 arg 8
  let _10: f64 temp
bb0:
  _0 = cast copy _1 to f64
  _0 = binop add copy _0, copy _2
  _10 = cast copy _3 to f64
  _10 = binop mul copy _10, const f64 10.0
  _0 = binop add copy _0, copy _10
  _10 = cast copy _4 to f64
  _10 = binop mul copy _10, const f64 100.0
  _0 = binop add copy _0, copy _10
  if copy _5 then bb1 else bb2
bb1:
  _0 = binop add copy _0, const f64 0.25
  goto bb2
bb2:
  _10 = cast copy _6 to f64
  _0 = binop add copy _0, copy _10
  _10 = cast copy _7 to f64
  _0 = binop add copy _0, copy _10
  _10 = cast copy _8 to f64
  _0 = binop sub copy _0, copy _10
  _0 = binop add copy _0, copy _9
  return
}

fn @is_neg(i8) -> bool {
  let _0: bool return
  let _1: i8 arg 0
bb0:
  _0 = binop lt copy _1, const i8 0
  return
}

fn @half(u16) -> u16 {
  let _0: u16 return
  let _1: u16 arg 0
bb0:
  _0 = binop div copy _1, const u16 2
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: f64 temp
  let _2: bool temp
  let _3: u16 temp
bb0:
  _1 = call @mix(const i64 1, const f64 0.5, const u8 255, const i16 -2, const bool true, const f32 1.5, const char 65, const i64 1000, const f64 0.125) : fn(i64, f64, u8, i16, bool, f32, char, i64, f64) -> f64
  call @rt_println_f64(copy _1) : fn(f64)
  _2 = call @is_neg(const i8 -3) : fn(i8) -> bool
  call @rt_println_bool(copy _2) : fn(bool)
  _2 = call @is_neg(const i8 3) : fn(i8) -> bool
  call @rt_println_bool(copy _2) : fn(bool)
  _3 = call @half(const u16 65535) : fn(u16) -> u16
  _0 = cast copy _3 to i64
  return
}
)",
                   {"1418.375\ntrue\nfalse\n", "ret 32767"});
}

TEST(Differential, FunctionPointersToMIRFunctionsAndBuiltins) {
  expectEverywhere(R"(
fn @twice(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop mul copy _1, const i64 2
  return
}

fn @apply(fn(i64) -> i64, i64) -> i64 {
  let _0: i64 return
  let _1: fn(i64) -> i64 arg 0
  let _2: i64 arg 1
bb0:
  _0 = call_indirect copy _1(copy _2) : fn(i64) -> i64
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: fn(i64) -> i64 temp
  let _2: fn(i64) temp
  let _3: i64 temp
bb0:
  _1 = const fn(i64) -> i64 @twice
  _3 = call @apply(copy _1, const i64 21) : fn(fn(i64) -> i64, i64) -> i64
  _2 = const fn(i64) @rt_println_i64
  call_indirect copy _2(copy _3) : fn(i64)
  _3 = call copy _1(const i64 5)
  call copy _2(copy _3)
  _0 = call_indirect copy _1(const i64 -4) : fn(i64) -> i64
  return
}
)",
                   {"42\n10\n", "ret " + std::to_string(uint64_t(-8))});
}

TEST(Differential, CallsBySymbolId) {
  expectEverywhere(R"(
fn @inc(i64) -> i64 #40 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop add copy _1, const i64 1
  return
}

fn @main() -> i64 #41 {
  let _0: i64 return
  let _1: fn(i64) -> i64 temp
bb0:
  _0 = call #40(const i64 9) : fn(i64) -> i64
  _1 = const fn(i64) -> i64 40
  _0 = call_indirect copy _1(copy _0) : fn(i64) -> i64
  return
}
)",
                   {"", "ret 11"});
}

TEST(Differential, SwitchOnSignedUnsignedAndBool) {
  expectEverywhere(R"(
fn @classify(i8) -> i64 {
  let _0: i64 return
  let _1: i8 arg 0
bb0:
  switch copy _1 [-1: bb1, 0: bb2, 127: bb3, otherwise: bb4]
bb1:
  return const i64 10
bb2:
  return const i64 20
bb3:
  return const i64 30
bb4:
  return const i64 40
}

fn @big(u64) -> i64 {
  let _0: i64 return
  let _1: u64 arg 0
bb0:
  switch copy _1 [18446744073709551615: bb1, otherwise: bb2]
bb1:
  return const i64 1
bb2:
  return const i64 2
}

fn @flag(bool) -> i64 {
  let _0: i64 return
  let _1: bool arg 0
bb0:
  switch copy _1 [1: bb1, otherwise: bb2]
bb1:
  return const i64 7
bb2:
  return const i64 8
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
bb0:
  _1 = call @classify(const i8 -1) : fn(i8) -> i64
  _0 = copy _1
  _1 = call @classify(const i8 127) : fn(i8) -> i64
  _0 = binop mul copy _0, const i64 100
  _0 = binop add copy _0, copy _1
  _1 = call @classify(const i8 5) : fn(i8) -> i64
  _0 = binop mul copy _0, const i64 100
  _0 = binop add copy _0, copy _1
  _1 = call @big(const u64 18446744073709551615) : fn(u64) -> i64
  _0 = binop mul copy _0, const i64 10
  _0 = binop add copy _0, copy _1
  _1 = call @flag(const bool false) : fn(bool) -> i64
  _0 = binop mul copy _0, const i64 10
  _0 = binop add copy _0, copy _1
  return
}
)",
                   {"", "ret 10304018"});
}

TEST(Differential, IntegerPowAndShifts) {
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i64 temp
  let _2: u8 temp
  let _3: i16 temp
bb0:
  _1 = binop pow const i64 3, const u32 5
  call @rt_println_i64(copy _1) : fn(i64)
  _1 = binop pow const i64 -2, const i64 63
  call @rt_println_i64(copy _1) : fn(i64)
  _1 = binop pow const i64 2, const i64 64
  call @rt_println_i64(copy _1) : fn(i64)
  _1 = binop pow const i64 0, const i64 0
  call @rt_println_i64(copy _1) : fn(i64)
  _2 = binop pow const u8 3, const u8 7
  _1 = cast copy _2 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  _3 = binop shl const i16 1, const i64 15
  _1 = cast copy _3 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  _3 = binop shr copy _3, const u8 15
  _1 = cast copy _3 to i64
  call @rt_println_i64(copy _1) : fn(i64)
  _1 = binop shl const i64 1, const i8 63
  return copy _1
}
)",
                   {"243\n-9223372036854775808\n0\n1\n139\n-32768\n-1\n",
                    "ret 9223372036854775808"});
}

TEST(Differential, IntrinsicsOnF64AndF32) {
  expectEverywhere(
      R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: f64 temp
  let _2: f32 temp
bb0:
  _1 = intrinsic sqrt(const f64 2.0)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic floor(const f64 -2.5)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic round(const f64 2.5)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic trunc(const f64 -2.7)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic copysign(const f64 3.0, const f64 -0.5)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic fmax(const f64 1.0, const f64 4.0)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic fmin(const f64 1.0, const f64 4.0)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic pow(const f64 2.0, const f64 10.0)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic log2(const f64 8.0)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic exp(const f64 0.0)
  call @rt_println_f64(copy _1) : fn(f64)
  _1 = intrinsic tan(const f64 0.0)
  call @rt_println_f64(copy _1) : fn(f64)
  _2 = intrinsic sqrt(const f32 2.0)
  _1 = cast copy _2 to f64
  call @rt_println_f64(copy _1) : fn(f64)
  _2 = intrinsic ceil(const f32 1.25)
  _1 = cast copy _2 to f64
  call @rt_println_f64(copy _1) : fn(f64)
  _2 = intrinsic fabs(const f32 -3.5)
  _1 = cast copy _2 to f64
  call @rt_println_f64(copy _1) : fn(f64)
  return const i64 0
}
)",
      {"1.4142135623730951\n-3.0\n3.0\n-2.0\n-3.0\n4.0\n1.0\n1024.0\n"
       "3.0\n1.0\n0.0\n1.4142135381698608\n2.0\n3.5\n",
       "ret 0"});
}

TEST(Differential, StringsAndChars) {
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: *u8 temp
bb0:
  _1 = const *u8 "tab\there \"q\" \\ é\n"
  call @rt_print(copy _1) : fn(*u8)
  call @rt_println_char(const char 955) : fn(char)
  call @rt_println(const *u8 "again") : fn(*u8)
  return const i64 0
}
)",
                   {"tab\there \"q\" \\ é\nλ\nagain\n", "ret 0"});
}

TEST(Differential, UnitFunctionsAndArgumentsFromTheHost) {
  std::string Text = R"(
fn @show(i64, bool, f64) {
  let _1: i64 arg 0
  let _2: bool arg 1
  let _3: f64 arg 2
bb0:
  call @rt_println_i64(copy _1) : fn(i64)
  call @rt_println_bool(copy _2) : fn(bool)
  call @rt_println_f64(copy _3) : fn(f64)
  return
}

fn @narrow(i8, u16) -> i64 {
  let _0: i64 return
  let _1: i8 arg 0
  let _2: u16 arg 1
  let _3: i64 temp
bb0:
  _0 = cast copy _1 to i64
  _3 = cast copy _2 to i64
  _0 = binop add copy _0, copy _3
  return
}
)";
  double Half = 0.5;
  uint64_t HalfBits;
  std::memcpy(&HalfBits, &Half, 8);
  expectEverywhere(Text, {"-7\ntrue\n0.5\n", "ret 0"}, "show",
                   {uint64_t(-7), 1, HalfBits});
  // Slots wider than the parameter are read at the parameter's width.
  expectEverywhere(Text, {"", "ret 65535"}, "narrow", {0x100, 0xffff});
}

TEST(Differential, ExitFromNestedCallKeepsEarlierOutput) {
  expectEverywhere(R"(
fn @leave(i64) {
  let _1: i64 arg 0
bb0:
  call @rt_print(const *u8 "bye ") : fn(*u8)
  call @rt_exit(copy _1) : fn(i64)
  call @rt_println(const *u8 "not reached") : fn(*u8)
  return
}

fn @main() -> i64 {
  let _0: i64 return
bb0:
  call @leave(const i64 3) : fn(i64)
  return const i64 1
}
)",
                   {"bye ", "exit 3"});
}

TEST(Differential, RecursionUpToTheDepthLimitRuns) {
  // main is depth 1, down(n) runs at depth 10000 - n: down(9998) reaches
  // depth 10000 exactly, which is allowed.
  expectEverywhere(R"(
fn @down(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
bb0:
  _2 = binop eq copy _1, const i64 0
  if copy _2 then bb1 else bb2
bb1:
  return const i64 0
bb2:
  _3 = binop sub copy _1, const i64 1
  _0 = call @down(copy _3) : fn(i64) -> i64
  _0 = binop add copy _0, const i64 1
  return
}

fn @main() -> i64 {
  let _0: i64 return
bb0:
  _0 = call @down(const i64 9998) : fn(i64) -> i64
  return
}
)",
                   {"", "ret 9998"});
}

TEST(Differential, NamesThatAreNotIdentifiers) {
  expectEverywhere(R"(
fn @"my fn.v2"(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop add copy _1, const i64 1
  return
}

fn @main() -> i64 {
  let _0: i64 return
  let _1: fn(i64) -> i64 temp
bb0:
  _0 = call @"my fn.v2"(const i64 1) : fn(i64) -> i64
  _1 = const fn(i64) -> i64 @"my fn.v2"
  _0 = call_indirect copy _1(copy _0) : fn(i64) -> i64
  return
}
)",
                   {"", "ret 3"});
}

TEST(Differential, ConstantShiftedByAWiderLocal) {
  // The operation happens in the left operand's type (i8) even when the
  // left operand is a constant and the amount a local of a wider type: 10
  // is an oversized amount for i8.
  expectEverywhere(R"(
fn @main() -> i64 {
  let _0: i64 return
  let _1: i32 temp
  let _2: i8 temp
bb0:
  _1 = const i32 10
  _2 = binop shl const i8 48, copy _1
  _0 = cast copy _2 to i64
  return
}
)",
                   {"", "error: runtime error in `main`: attempt to shift "
                        "left with overflow"});
}

} // namespace
