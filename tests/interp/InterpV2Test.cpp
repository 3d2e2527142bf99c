//===- tests/interp/InterpV2Test.cpp - The MIR v2 forms -------------------===//
//
// ../shared/MIR.md (v2) and the backend-v2 decisions: word types, string
// constants, Aggregate of every kind, GetField/SetField conversions,
// GlobalAddr cells, coverage probes, __simple_ssa_phi, bounds_check, the bit
// and Extern intrinsics, and argument conversion by the callee's own
// signature. Expected values are worked out by hand in the comments.
//
//===----------------------------------------------------------------------===//

#include "V2Builder.h"

#include "ffi/FFI.h"

#include <cstring>

using namespace spl;
using namespace spl::interp::v2test;
using mir::AggKind;
using mir::BinOpKind;
using mir::IntrinsicKind;

namespace {

/// A runtime function for the checks, found the way the backends find it.
template <class FnT> FnT runtimeFn(const char *Name) {
  auto B = ffi::resolveExtern(Name);
  if (!B) {
    ADD_FAILURE() << llvm::toString(B.takeError());
    return nullptr;
  }
  return reinterpret_cast<FnT>(B->Address);
}

const Type Words2 = Type::array(I64, 2);

//===----------------------------------------------------------------------===//
// Word types and string constants
//===----------------------------------------------------------------------===//

TEST_F(V2Test, WordTypesTravelAsI64) {
  // A tuple handle in, cast to I64, moved by 8, cast back, returned.
  Type Tup = tupleOf({I64, BoolT});
  Fn F("bump", {Tup}, Tup);
  LocalId X = F.var(I64), Y = F.var(I64);
  F.block(0,
          {castI(X, cp(F.arg(0)), I64), binI(Y, BinOpKind::Add, cp(X), ki(8)),
           castI(0, cp(Y), Tup)},
          retT());
  // The same through a call: a handle parameter of a module function.
  Fn G("via", {opaque("Thing")}, opaque("Thing"));
  LocalId R = G.var(Tup);
  Type BumpTy = sig({Tup}, Tup);
  G.block(0, {callI(R, fn("bump", BumpTy), {cp(G.arg(0))}), copyI(0, cp(R))},
          retT());
  mustLoad(moduleOf({F.done(), G.done()}));
  EXPECT_EQ(run("bump", {1000}), 1008u);
  EXPECT_EQ(run("via", {0xFFFFFFFFFFFFFFF0}), 0xFFFFFFFFFFFFFFF8);
}

TEST_F(V2Test, StringConstantsAreAlignedAndTerminated) {
  // Odd lengths back to back: each constant still starts 8-byte aligned.
  std::vector<mir::Function> Fns;
  const char *Texts[] = {"a", "bc", "hello world", "", "0123456789abcdef"};
  for (int K = 0; K < 5; ++K) {
    Fn F("s" + std::to_string(K), {}, opaque("str"));
    LocalId Junk = F.var(opaque("str"));
    F.block(0, {copyI(Junk, ks("xyz")), copyI(0, ks(Texts[K]))}, retT());
    Fns.push_back(F.done());
  }
  mustLoad(moduleOf(Fns));
  for (int K = 0; K < 5; ++K) {
    uint64_t P = run("s" + std::to_string(K));
    EXPECT_EQ(P % 8, 0u) << Texts[K];
    EXPECT_STREQ(reinterpret_cast<const char *>(uintptr_t(P)), Texts[K]);
  }
}

//===----------------------------------------------------------------------===//
// Aggregate
//===----------------------------------------------------------------------===//

TEST_F(V2Test, AggregateStructEncodesEachOperand) {
  // Locals and constants mixed; words as ffi's raw slots: signed extended,
  // unsigned zero-extended, Bool 0/1, F32 bits zero-extended, F64 bits.
  Fn F("mk", {I8, U16}, structOf(5));
  LocalId C = F.var(CharT);
  F.block(0,
          {copyI(C, ki(0x41, CharT)),
           aggI(0, AggKind::Struct,
                {cp(F.arg(0)), cp(F.arg(1)), kb(true), kf(1.5, F32T), kf(-2.25),
                 cp(C), ki(-5, I32), ks("s")},
                5)},
          retT());
  mustLoad(moduleOf({F.done()}));
  auto *W = reinterpret_cast<const uint64_t *>(
      uintptr_t(run("mk", {uint64_t(-1), 0xFFFF})));
  ASSERT_NE(W, nullptr);
  EXPECT_EQ(W[0], 0xFFFFFFFFFFFFFFFF); // I8 -1
  EXPECT_EQ(W[1], 0xFFFFu);            // U16 65535
  EXPECT_EQ(W[2], 1u);                 // true
  EXPECT_EQ(W[3], 0x3FC00000u);        // 1.5f = 0 01111111 100...
  EXPECT_EQ(W[4], 0xC002000000000000); // -2.25 = -1.125 * 2^1
  EXPECT_EQ(W[5], 0x41u);              // 'A'
  EXPECT_EQ(W[6], 0xFFFFFFFFFFFFFFFB); // I32 -5
  EXPECT_STREQ(reinterpret_cast<const char *>(uintptr_t(W[7])), "s");
}

TEST_F(V2Test, AggregateTupleReadBackWithGetField) {
  // t = (x, 2.5); t.0 + 1 and the F64 bits of t.1.
  Type Tup = tupleOf({I64, F64T});
  Fn F("first", {I64}, I64);
  LocalId T = F.var(Tup), A = F.var(I64);
  F.block(0,
          {aggI(T, AggKind::Tuple, {cp(F.arg(0)), kf(2.5)}), getI(A, cp(T), 0),
           binI(0, BinOpKind::Add, cp(A), ki(1))},
          retT());
  Fn G("second", {}, F64T);
  LocalId T2 = G.var(Tup);
  G.block(0, {aggI(T2, AggKind::Tuple, {ki(7), kf(2.5)}), getI(0, cp(T2), 1)},
          retT());
  // The dest is also an operand: operands are read first.
  Fn H("self", {I64}, I64);
  LocalId T3 = H.var(I64);
  H.block(0,
          {copyI(T3, cp(H.arg(0))), aggI(T3, AggKind::Tuple, {cp(T3), ki(9)}),
           getI(0, cp(T3), 0)},
          retT());
  mustLoad(moduleOf({F.done(), G.done(), H.done()}));
  EXPECT_EQ(run("first", {41}), 42u);
  EXPECT_EQ(run("second"), f64Bits(2.5));
  EXPECT_EQ(run("self", {uint64_t(-3)}), uint64_t(-3));
}

TEST_F(V2Test, AggregateArrayPushesEachWordInOrder) {
  Type Arr = Type::array(I64, 0);
  Fn F("arr", {I64}, Arr);
  F.block(0, {aggI(0, AggKind::Array, {cp(F.arg(0)), ki(16), ki(24)})}, retT());
  Fn E("empty", {}, Arr);
  E.block(0, {aggI(0, AggKind::Array, {})}, retT());
  mustLoad(moduleOf({F.done(), E.done()}));
  auto Len = runtimeFn<int64_t (*)(int64_t)>("rt_array_len");
  auto Get = runtimeFn<int64_t (*)(int64_t, int64_t)>("rt_array_get");
  ASSERT_TRUE(Len && Get);
  int64_t A = int64_t(run("arr", {8}));
  EXPECT_EQ(Len(A), 3);
  EXPECT_EQ(Get(A, 0), 8);
  EXPECT_EQ(Get(A, 1), 16);
  EXPECT_EQ(Get(A, 2), 24);
  EXPECT_EQ(Len(int64_t(run("empty"))), 0);
}

TEST_F(V2Test, AggregateEnumPayloads) {
  // No operand: payload 0. One: its word. Three: a tuple of the words. The
  // symbol's low 32 bits are the enum id.
  Fn None("none", {}, enumOf(1));
  None.block(0, {aggI(0, AggKind::Enum, {}, 1, 1)}, retT());
  Fn Some("some", {I64}, enumOf(1));
  Some.block(0, {aggI(0, AggKind::Enum, {cp(Some.arg(0))}, 1, 0)}, retT());
  Fn Many("many", {}, enumOf((int64_t(1) << 32) + 9));
  Many.block(0,
             {aggI(0, AggKind::Enum, {ki(8), ki(-16, I32), kb(true)},
                   (int64_t(1) << 32) + 9, 3)},
             retT());
  mustLoad(moduleOf({None.done(), Some.done(), Many.done()}));
  auto Id = runtimeFn<int64_t (*)(int64_t)>("rt_enum_id");
  auto Disc = runtimeFn<int64_t (*)(int64_t)>("rt_enum_discriminant");
  auto Payload = runtimeFn<int64_t (*)(int64_t)>("rt_enum_payload");
  auto TupleGet = runtimeFn<int64_t (*)(int64_t, int64_t)>("rt_tuple_get");
  ASSERT_TRUE(Id && Disc && Payload && TupleGet);
  int64_t N = int64_t(run("none"));
  EXPECT_EQ(Id(N), 1);
  EXPECT_EQ(Disc(N), 1);
  EXPECT_EQ(Payload(N), 0);
  int64_t S = int64_t(run("some", {40}));
  EXPECT_EQ(Id(S), 1);
  EXPECT_EQ(Disc(S), 0);
  EXPECT_EQ(Payload(S), 40);
  int64_t M = int64_t(run("many"));
  EXPECT_EQ(Id(M), 9);
  EXPECT_EQ(Disc(M), 3);
  int64_t T = Payload(M);
  EXPECT_EQ(TupleGet(T, 0), 8);
  EXPECT_EQ(TupleGet(T, 1), -16);
  EXPECT_EQ(TupleGet(T, 2), 1);
}

//===----------------------------------------------------------------------===//
// GetField / SetField
//===----------------------------------------------------------------------===//

/// get_T(w) stores word w as field 1 of a two-word area, then reads field 1
/// as a T.
mir::Function getter(const std::string &Name, const Type &T) {
  Fn F(Name, {I64}, T);
  LocalId P = F.var(Type::ptr(Words2));
  F.block(0,
          {allocI(P, Words2), setI(cp(P), 1, cp(F.arg(0))), getI(0, cp(P), 1)},
          retT());
  return F.done();
}

TEST_F(V2Test, GetFieldConvertsToTheDestType) {
  mustLoad(
      moduleOf({getter("i8", I8), getter("u8", U8), getter("i16", I16),
                getter("u16", U16), getter("i32", I32), getter("u32", U32),
                getter("b", BoolT), getter("ch", CharT), getter("f32", F32T),
                getter("f64", F64T), getter("p", Type::ptr(U8)),
                getter("o", opaque("str")), getter("i64", I64)}));
  // Integers: the low w bits, then extended by the dest's signedness.
  EXPECT_EQ(run("i8", {0x1FF}), uint64_t(-1));
  EXPECT_EQ(run("u8", {0x1FF}), 0xFFu);
  EXPECT_EQ(run("i16", {0x18000}), uint64_t(-32768));
  EXPECT_EQ(run("u16", {0x18000}), 0x8000u);
  EXPECT_EQ(run("i32", {0x180000000}), uint64_t(int64_t(INT32_MIN)));
  EXPECT_EQ(run("u32", {0x1FFFFFFFF}), 0xFFFFFFFFu);
  EXPECT_EQ(run("ch", {0x100000041}), 0x41u);
  // Bool: bit 0.
  EXPECT_EQ(run("b", {2}), 0u);
  EXPECT_EQ(run("b", {3}), 1u);
  // F32: the low 32 bits are the float's bits; F64 and words: the word.
  EXPECT_EQ(run("f32", {0x123456783FC00000}), 0x3FC00000u);
  EXPECT_EQ(run("f64", {f64Bits(-2.25)}), f64Bits(-2.25));
  EXPECT_EQ(run("p", {0xDEADBEEF0}), 0xDEADBEEF0u);
  EXPECT_EQ(run("o", {0x8000000000000008}), 0x8000000000000008u);
  EXPECT_EQ(run("i64", {0x8000000000000001}), 0x8000000000000001u);
}

/// set_T(v) writes v of type T as field 0 and reads the word back as I64.
mir::Function setter(const std::string &Name, const Type &T) {
  Fn F(Name, {T}, I64);
  LocalId P = F.var(Type::ptr(Words2));
  F.block(0,
          {allocI(P, Words2), setI(cp(P), 0, cp(F.arg(0))), getI(0, cp(P), 0)},
          retT());
  return F.done();
}

TEST_F(V2Test, SetFieldStoresTheEncodedWord) {
  mustLoad(
      moduleOf({setter("i8", I8), setter("u8", U8), setter("i16", I16),
                setter("u32", U32), setter("b", BoolT), setter("f32", F32T),
                setter("f64", F64T), setter("ch", CharT)}));
  EXPECT_EQ(run("i8", {uint64_t(-1)}), 0xFFFFFFFFFFFFFFFF);
  EXPECT_EQ(run("u8", {255}), 0xFFu);
  EXPECT_EQ(run("i16", {uint64_t(-2)}), 0xFFFFFFFFFFFFFFFE);
  EXPECT_EQ(run("u32", {0xFFFFFFFF}), 0xFFFFFFFFu);
  EXPECT_EQ(run("b", {1}), 1u);
  EXPECT_EQ(run("f32", {f32Bits(1.5f)}), 0x3FC00000u);
  EXPECT_EQ(run("f64", {f64Bits(-2.25)}), 0xC002000000000000);
  EXPECT_EQ(run("ch", {0x10FFFF}), 0x10FFFFu);
}

TEST_F(V2Test, SetFieldOfConstantsAndEveryField) {
  // Three fields written with constants, summed through GetField: the words
  // are -1 (I8), 255 (U8) and 1 (Bool): -1 + 255 + 1 = 255.
  Type Area = Type::array(I64, 3);
  Fn F("sum", {}, I64);
  LocalId P = F.var(Type::ptr(Area)), A = F.var(I64), B = F.var(I64),
          C = F.var(I64), S = F.var(I64);
  F.block(0,
          {allocI(P, Area), setI(cp(P), 0, ki(-1, I8)),
           setI(cp(P), 1, ki(255, U8)), setI(cp(P), 2, kb(true)),
           getI(A, cp(P), 0), getI(B, cp(P), 1), getI(C, cp(P), 2),
           binI(S, BinOpKind::Add, cp(A), cp(B)),
           binI(0, BinOpKind::Add, cp(S), cp(C))},
          retT());
  mustLoad(moduleOf({F.done()}));
  EXPECT_EQ(run("sum"), 255u);
}

//===----------------------------------------------------------------------===//
// GlobalAddr
//===----------------------------------------------------------------------===//

/// bump() = ++cell(7); peek() = cell(7); other() = cell(8); addr() = &cell(7);
/// put(s) stores a string handle in cell(9), text() reads it back.
mir::Module globalsModule() {
  Type P = Type::ptr(I64);
  Fn Bump("bump", {}, I64);
  LocalId G = Bump.var(P), V = Bump.var(I64);
  Bump.block(0,
             {globalI(G, 7), loadI(V, cp(G)),
              binI(0, BinOpKind::Add, cp(V), ki(1)), storeI(cp(G), cp(0))},
             retT());
  Fn Peek("peek", {}, I64);
  LocalId G2 = Peek.var(P);
  Peek.block(0, {globalI(G2, 7), loadI(0, cp(G2))}, retT());
  Fn Other("other", {}, I64);
  LocalId G3 = Other.var(P);
  Other.block(0, {globalI(G3, 8), loadI(0, cp(G3))}, retT());
  Fn Addr("addr", {}, I64);
  LocalId G4 = Addr.var(P);
  Addr.block(0, {globalI(G4, 7), castI(0, cp(G4), I64)}, retT());
  Type PS = Type::ptr(opaque("str"));
  Fn Put("put", {opaque("str")}, UnitT);
  LocalId G5 = Put.var(PS);
  Put.block(0, {globalI(G5, 9), storeI(cp(G5), cp(Put.arg(0)))}, retT());
  Fn Text("text", {}, opaque("str"));
  LocalId G6 = Text.var(PS);
  Text.block(0, {globalI(G6, 9), loadI(0, cp(G6))}, retT());
  return moduleOf({Bump.done(), Peek.done(), Other.done(), Addr.done(),
                   Put.done(), Text.done()});
}

TEST_F(V2Test, GlobalCellsAreSharedAndPersist) {
  mustLoad(globalsModule());
  EXPECT_EQ(run("peek"), 0u); // zero on first use
  EXPECT_EQ(run("bump"), 1u);
  EXPECT_EQ(run("bump"), 2u);
  EXPECT_EQ(run("bump"), 3u);
  EXPECT_EQ(run("peek"), 3u);
  EXPECT_EQ(run("other"), 0u);
  static const char Word[] = "handle";
  run("put", {uint64_t(uintptr_t(Word))});
  EXPECT_EQ(run("text"), uint64_t(uintptr_t(Word)));
  // Reloading the module keeps the cells (they belong to the manager).
  mustLoad(globalsModule());
  EXPECT_EQ(run("peek"), 3u);
}

TEST(V2Globals, CellsComeFromOptionsGlobals) {
  auto Cells = std::make_shared<ffi::GlobalCells>();
  interp::Options O;
  O.Globals = Cells;
  auto A = llvm::cantFail(interp::Interpreter::create(O));
  auto B = llvm::cantFail(interp::Interpreter::create(O));
  auto C = llvm::cantFail(interp::Interpreter::create());
  for (auto *I : {A.get(), B.get(), C.get()})
    ASSERT_FALSE(bool(I->loadVerified(globalsModule())));
  EXPECT_EQ(llvm::cantFail(A->call("bump", {})), 1u);
  EXPECT_EQ(llvm::cantFail(B->call("bump", {})), 2u); // the same cell
  EXPECT_EQ(llvm::cantFail(C->call("peek", {})), 0u); // its own cells
  EXPECT_EQ(*Cells->cell(7), 2u);
  EXPECT_EQ(llvm::cantFail(A->call("addr", {})),
            uint64_t(uintptr_t(Cells->cell(7))));
}

//===----------------------------------------------------------------------===//
// Probes
//===----------------------------------------------------------------------===//

TEST_F(V2Test, ProbesHaveNoEffect) {
  Fn F("f", {BoolT}, I64);
  mir::Inst D = inst(mir::Opcode::DecisionProbe, std::nullopt, {cp(F.arg(0))});
  D.setPayload(R"({"decision_id": 1})");
  mir::Inst C = inst(mir::Opcode::ConditionProbe, std::nullopt, {kb(true)});
  F.block(0, {D, copyI(0, ki(7)), C}, retT());
  mustLoad(moduleOf({F.done()}));
  EXPECT_EQ(run("f", {1}), 7u);
  EXPECT_EQ(run("f", {0}), 7u);
}

//===----------------------------------------------------------------------===//
// __simple_ssa_phi
//===----------------------------------------------------------------------===//

Operand bid(int64_t B) { return ki(B); }

TEST_F(V2Test, PhiPicksTheValueOfThePredecessor) {
  // bb0: if c bb1 else bb2; bb1, bb2: goto bb3; bb3: phi(bb1: 10, bb2: x).
  Fn F("diamond", {BoolT, I64}, I64);
  F.block(0, {}, ifT(cp(F.arg(0)), 1, 2))
      .block(1, {}, gotoT(3))
      .block(2, {}, gotoT(3))
      .block(3,
             {intrI(0, IntrinsicKind::SsaPhi,
                    {bid(1), ki(10), bid(2), cp(F.arg(1))})},
             retT());
  mustLoad(moduleOf({F.done()}));
  EXPECT_EQ(run("diamond", {1, 99}), 10u);
  EXPECT_EQ(run("diamond", {0, 99}), 99u);
}

TEST_F(V2Test, PhiInALoop) {
  // sum(n) = 0 + 1 + ... + (n-1), with i and acc as phis of bb0 and bb2.
  Fn F("sum", {I64}, I64);
  LocalId I = F.var(I64), Acc = F.var(I64), INext = F.var(I64),
          AccNext = F.var(I64), C = F.var(BoolT);
  F.block(0, {}, gotoT(1))
      .block(
          1,
          {intrI(I, IntrinsicKind::SsaPhi, {bid(0), ki(0), bid(2), cp(INext)}),
           intrI(Acc, IntrinsicKind::SsaPhi,
                 {bid(0), ki(0), bid(2), cp(AccNext)}),
           binI(C, BinOpKind::Lt, cp(I), cp(F.arg(0)))},
          ifT(cp(C), 2, 3))
      .block(2,
             {binI(AccNext, BinOpKind::Add, cp(Acc), cp(I)),
              binI(INext, BinOpKind::Add, cp(I), ki(1))},
             gotoT(1))
      .block(3, {}, retT(cp(Acc)));
  mustLoad(moduleOf({F.done()}));
  EXPECT_EQ(run("sum", {0}), 0u);
  EXPECT_EQ(run("sum", {5}), 10u);
  EXPECT_EQ(run("sum", {1000}), 499500u);
}

TEST_F(V2Test, PhiSeesTheRealPredecessorOfABlockThatOnlyTests) {
  // bb0 jumps to bb1, which only tests (and is laid out last, so the jump
  // is not a fall-through): elsewhere the test is copied into bb0, but the
  // phi in bb2 must see bb1 (200), not bb0 (100).
  Fn F("f", {BoolT}, I64);
  F.block(0, {}, gotoT(1))
      .block(
          2,
          {intrI(0, IntrinsicKind::SsaPhi, {bid(0), ki(100), bid(1), ki(200)})},
          retT())
      .block(3, {}, retT(ki(-1)))
      .block(1, {}, ifT(cp(F.arg(0)), 2, 3));
  mustLoad(moduleOf({F.done()}));
  EXPECT_EQ(run("f", {1}), 200u);
  EXPECT_EQ(run("f", {0}), uint64_t(-1));
}

TEST_F(V2Test, PhiWithoutMatchOrWithFewArguments) {
  // In the entry block no predecessor matches: v0. With fewer than 4
  // arguments: the first argument.
  Fn F("nomatch", {}, I64);
  F.block(0,
          {intrI(0, IntrinsicKind::SsaPhi, {bid(5), ki(10), bid(6), ki(20)})},
          retT());
  Fn G("one", {}, I64);
  G.block(0, {intrI(0, IntrinsicKind::SsaPhi, {ki(77)})}, retT());
  Fn H("two", {I64}, I64);
  H.block(0, {intrI(0, IntrinsicKind::SsaPhi, {cp(H.arg(0)), ki(9)})}, retT());
  mustLoad(moduleOf({F.done(), G.done(), H.done()}));
  EXPECT_EQ(run("nomatch"), 10u);
  EXPECT_EQ(run("one"), 77u);
  EXPECT_EQ(run("two", {3}), 3u);
}

//===----------------------------------------------------------------------===//
// bounds_check
//===----------------------------------------------------------------------===//

TEST_F(V2Test, BoundsCheck) {
  Fn F("bc", {I64, I64}, I64);
  F.block(0,
          {intrI(0, IntrinsicKind::BoundsCheck, {cp(F.arg(0)), cp(F.arg(1))})},
          retT());
  Fn G("bc_nodest", {I64}, I64);
  G.block(
      0,
      {intrI(std::nullopt, IntrinsicKind::BoundsCheck, {cp(G.arg(0)), ki(4)})},
      retT(ki(1)));
  mustLoad(moduleOf({F.done(), G.done()}));
  EXPECT_EQ(run("bc", {2, 3}), 2u); // the dest gets the index
  EXPECT_EQ(run("bc", {0, 1}), 0u);
  EXPECT_EQ(callText("bc", {3, 3}),
            "error: runtime error in `bc`: index 3 out of bounds for length 3");
  EXPECT_EQ(
      callText("bc", {uint64_t(-1), 3}),
      "error: runtime error in `bc`: index -1 out of bounds for length 3");
  EXPECT_EQ(callText("bc", {0, 0}),
            "error: runtime error in `bc`: index 0 out of bounds for length 0");
  EXPECT_EQ(
      callText("bc", {0, uint64_t(-5)}),
      "error: runtime error in `bc`: index 0 out of bounds for length -5");
  EXPECT_EQ(run("bc_nodest", {3}), 1u);
  EXPECT_EQ(callText("bc_nodest", {4}),
            "error: runtime error in `bc_nodest`: index 4 out of bounds for "
            "length 4");
  EXPECT_EQ(run("bc", {1, 2}), 1u); // usable after a failure
}

//===----------------------------------------------------------------------===//
// Bit intrinsics and the Extern intrinsic
//===----------------------------------------------------------------------===//

TEST_F(V2Test, WordBitIntrinsics) {
  auto Binary = [](const char *Name, IntrinsicKind K, Type Ret) {
    Fn F(Name, {U64, U64}, Ret);
    F.block(0, {intrI(0, K, {cp(F.arg(0)), cp(F.arg(1))})}, retT());
    return F.done();
  };
  mustLoad(moduleOf({Binary("lo", IntrinsicKind::ClmulLo, U64),
                     Binary("hi", IntrinsicKind::ClmulHi, U64),
                     Binary("crc8", IntrinsicKind::Crc32U8, U32)}));
  // (x + 1)(x + 1) = x^2 + 1 carry-less: 0b101.
  EXPECT_EQ(run("lo", {3, 3}), 5u);
  EXPECT_EQ(run("hi", {3, 3}), 0u);
  // x^63 * x = x^64: bit 0 of the high half.
  EXPECT_EQ(run("hi", {uint64_t(1) << 63, 2}), 1u);
  EXPECT_EQ(run("lo", {uint64_t(1) << 63, 2}), 0u);
  // CRC-32C of "123456789" with the usual pre- and post-inversion is the
  // catalogued check value 0xE3069283.
  uint64_t Crc = 0xFFFFFFFF;
  for (char C : std::string("123456789"))
    Crc = run("crc8", {Crc, uint64_t(uint8_t(C))});
  EXPECT_EQ(Crc ^ 0xFFFFFFFF, 0xE3069283u);
}

TEST_F(V2Test, BlockBitIntrinsicsWriteTheirFirstOperand) {
  // The operands go to the C function in MIR order: the result must be what
  // mir's evaluators give for the same blocks.
  Type P = Type::ptr(U8);
  Fn A("aes", {P, P, P}, UnitT);
  A.block(0,
          {intrI(std::nullopt, IntrinsicKind::AesRound,
                 {cp(A.arg(0)), cp(A.arg(1)), cp(A.arg(2))})},
          retT());
  Fn S("sha", {P, P, P, P}, UnitT);
  S.block(0,
          {intrI(std::nullopt, IntrinsicKind::Sha256Rounds2,
                 {cp(S.arg(0)), cp(S.arg(1)), cp(S.arg(2)), cp(S.arg(3))})},
          retT());
  mustLoad(moduleOf({A.done(), S.done()}));
  uint8_t State[16], Key[16], Out[16], Want[16], W2[16];
  for (int K = 0; K < 16; ++K) {
    State[K] = uint8_t(K * 17 + 3);
    Key[K] = uint8_t(255 - K * 5);
  }
  auto Ptr = [](void *P) { return uint64_t(uintptr_t(P)); };
  run("aes", {Ptr(Out), Ptr(State), Ptr(Key)});
  mir::evalAesRound(Want, State, Key);
  EXPECT_EQ(std::memcmp(Out, Want, 16), 0);
  uint8_t Wk[16];
  for (int K = 0; K < 16; ++K)
    Wk[K] = uint8_t(K * 3);
  run("sha", {Ptr(Out), Ptr(State), Ptr(Key), Ptr(Wk)});
  mir::evalSha256Rnds2(W2, State, Key, Wk);
  EXPECT_EQ(std::memcmp(Out, W2, 16), 0);
}

TEST_F(V2Test, ExternIntrinsicCallsSimpleIntrinsic) {
  // __simple_intrinsic_likely is the identity on its word; the result is
  // brought to the dest type as GetField does (Bool: bit 0; I8: low 8 bits).
  auto Likely = [](const char *Name, Type Ret) {
    Fn F(Name, {I64}, Ret);
    F.block(0, {intrI(0, IntrinsicKind::Extern, {cp(F.arg(0))}, "likely")},
            retT());
    return F.done();
  };
  // memset(p, 'A', 3) on 8 zeroed bytes, then bytes 2 and 3.
  Type Bytes = Type::array(U8, 8);
  Fn M("fill", {}, I64);
  LocalId P = M.var(Type::ptr(Bytes)), Q = M.var(Type::ptr(U8)), B2 = M.var(U8),
          B3 = M.var(U8), X = M.var(I64), Y = M.var(I64);
  mir::Inst Gep2 = inst(mir::Opcode::GetElementPtr, Q, {cp(P), ki(0), ki(2)});
  mir::Inst Gep3 = inst(mir::Opcode::GetElementPtr, Q, {cp(P), ki(0), ki(3)});
  M.block(0,
          {allocI(P, Bytes),
           intrI(std::nullopt, IntrinsicKind::Extern,
                 {cp(P), ki(0x41, U8), ki(3, I32)}, "memset"),
           Gep2, loadI(B2, cp(Q)), Gep3, loadI(B3, cp(Q)),
           castI(X, cp(B2), I64), castI(Y, cp(B3), I64),
           binI(0, BinOpKind::Mul, cp(X), ki(1000)),
           binI(0, BinOpKind::Add, cp(0), cp(Y))},
          retT());
  mustLoad(moduleOf(
      {Likely("i64", I64), Likely("b", BoolT), Likely("i8", I8), M.done()}));
  EXPECT_EQ(run("i64", {5}), 5u);
  EXPECT_EQ(run("b", {2}), 0u);
  EXPECT_EQ(run("b", {3}), 1u);
  EXPECT_EQ(run("i8", {0x1FF}), uint64_t(-1));
  EXPECT_EQ(run("fill"), 65000u); // byte 2 = 'A' (65), byte 3 = 0
}

TEST_F(V2Test, UnknownExternIntrinsicIsALoadError) {
  Fn F("f", {}, I64);
  F.block(0, {intrI(0, IntrinsicKind::Extern, {}, "no_such_thing_xyz")},
          retT());
  std::string Err = load(moduleOf({F.done()}));
  EXPECT_EQ(Err.rfind("cannot resolve extern `__simple_intrinsic_no_such_thing_"
                      "xyz`",
                      0),
            0u)
      << Err;
  EXPECT_FALSE(Interp->hasFunction("f"));
}

//===----------------------------------------------------------------------===//
// Calls: the callee's own signature decides
//===----------------------------------------------------------------------===//

/// take_T(x: T) -> I64 = x cast to I64 (sign- or zero-extending by T).
mir::Function taker(const std::string &Name, const Type &T) {
  Fn F(Name, {T}, I64);
  F.block(0, {castI(0, cp(F.arg(0)), I64)}, retT());
  return F.done();
}

/// pass_FROM(x: FROM) -> I64 = take(x), called with a `params: []` type.
mir::Function passer(const std::string &Name, const Type &From,
                     const std::string &Callee, Type Ret = I64) {
  Fn F(Name, {From}, Ret);
  F.block(0, {callI(0, fn(Callee, sig({}, Ret)), {cp(F.arg(0))})}, retT());
  return F.done();
}

TEST_F(V2Test, ArgumentsConvertToTheCalleesParameters) {
  Fn TakeF("take_f64", {F64T}, F64T);
  TakeF.block(0, {}, retT(cp(TakeF.arg(0))));
  Fn Consts("consts", {}, I64);
  LocalId A = Consts.var(I64), B = Consts.var(I64);
  Consts.block(0,
               {callI(A, fn("take_u8", sig({}, I64)), {ki(-1)}),
                callI(B, fn("take_i32", sig({}, I64)), {ki(0x100000007)}),
                binI(0, BinOpKind::Add, cp(A), cp(B))},
               retT());
  Fn FConst("fconst", {}, F64T);
  FConst.block(0, {callI(0, fn("take_f64", sig({}, F64T)), {kf(0.5, F32T)})},
               retT());
  mustLoad(moduleOf(
      {taker("take_i32", I32), taker("take_u8", U8), taker("take_u32", U32),
       TakeF.done(), passer("i64_to_i32", I64, "take_i32"),
       passer("i64_to_u8", I64, "take_u8"), passer("i8_to_u32", I8, "take_u32"),
       passer("u8_to_i32", U8, "take_i32"),
       passer("bool_to_i32", BoolT, "take_i32"),
       passer("f32_to_f64", F32T, "take_f64", F64T), Consts.done(),
       FConst.done()}));
  // Truncation to the parameter's width, then its signedness.
  EXPECT_EQ(run("i64_to_i32", {0x100000005}), 5u);
  EXPECT_EQ(run("i64_to_i32", {0xFFFFFFFF}), uint64_t(-1));
  EXPECT_EQ(run("i64_to_u8", {uint64_t(-1)}), 255u);
  // Widening by the source's signedness: I8 -1 -> U32 0xFFFFFFFF, U8 255 ->
  // I32 255.
  EXPECT_EQ(run("i8_to_u32", {uint64_t(-1)}), 0xFFFFFFFFu);
  EXPECT_EQ(run("u8_to_i32", {255}), 255u);
  EXPECT_EQ(run("bool_to_i32", {1}), 1u);
  EXPECT_EQ(run("f32_to_f64", {f32Bits(1.5f)}), f64Bits(1.5));
  EXPECT_EQ(run("consts"), 255u + 7u);
  EXPECT_EQ(run("fconst"), f64Bits(0.5));
}

TEST_F(V2Test, ArgumentsConvertForAFunctionLoadedBefore) {
  mustLoad(moduleOf({taker("take_u8", U8)}));
  mustLoad(moduleOf({passer("later", I64, "take_u8")}));
  EXPECT_EQ(run("later", {0x1234}), 0x34u);
}

TEST_F(V2Test, IndirectCallsConvertToThePointersSignature) {
  // p = take_i32 as fn(i32) -> i64; p(0x100000005) passes 5.
  Type PT = sig({I32}, I64);
  Fn F("ind", {I64}, I64);
  LocalId P = F.var(PT);
  F.block(0, {copyI(P, fn("take_i32", PT)), callI(0, cp(P), {cp(F.arg(0))})},
          retT());
  mustLoad(moduleOf({taker("take_i32", I32), F.done()}));
  EXPECT_EQ(run("ind", {0x100000005}), 5u);
  EXPECT_EQ(run("ind", {0x80000000}), uint64_t(int64_t(INT32_MIN)));
}

TEST_F(V2Test, IntegerToFloatArgumentIsALoadError) {
  Fn TakeF("take_f64", {F64T}, F64T);
  TakeF.block(0, {}, retT(cp(TakeF.arg(0))));
  std::string Err =
      load(moduleOf({TakeF.done(), passer("bad", I64, "take_f64", F64T)}));
  EXPECT_EQ(Err, "function `bad`, block bb0, instruction 0: argument 0 of "
                 "`take_f64` has type i64, the parameter is f64");
  EXPECT_FALSE(Interp->hasFunction("take_f64")); // all or nothing
}

TEST_F(V2Test, WrongArgumentCountIsALoadError) {
  Fn F("bad", {I64}, I64);
  F.block(0,
          {callI(0, fn("take_i32", sig({I64, I64}, I64)),
                 {cp(F.arg(0)), cp(F.arg(0))})},
          retT());
  std::string Err = load(moduleOf({taker("take_i32", I32), F.done()}));
  EXPECT_EQ(Err, "function `bad`, block bb0, instruction 0: call of "
                 "`take_i32` passes 2 arguments, its signature fn(i32) -> i64 "
                 "takes 1 (the call site says fn(i64, i64) -> i64)");
}

TEST_F(V2Test, ExternCallSiteWithEmptyParamsUsesTheRuntimeSignature) {
  // rt_array_len(a) with the call site type fn() -> i64, as the compiler
  // writes it; the argument is an array handle.
  Type Arr = Type::array(I64, 0);
  Fn F("len", {}, I64);
  LocalId A = F.var(Arr);
  F.block(0,
          {aggI(A, AggKind::Array, {ki(1), ki(2)}),
           callI(0, fn("rt_array_len", sig({}, I64)), {cp(A)})},
          retT());
  mustLoad(moduleOf({F.done()}));
  EXPECT_EQ(run("len"), 2u);
}

TEST_F(V2Test, ExternWrongCountIsALoadError) {
  mir::ExternDecl D;
  D.Name = "rt_println_i64";
  D.Sig.Params = {I64};
  Fn F("bad", {}, I64);
  F.block(0,
          {callI(std::nullopt, fn("rt_println_i64", sig({}, UnitT)),
                 {ki(1), ki(2)})},
          retT(ki(0)));
  std::string Err = load(moduleOf({F.done()}, {D}));
  EXPECT_EQ(Err, "function `bad`, block bb0, instruction 0: call of "
                 "`rt_println_i64` passes 2 arguments, its signature fn(i64) "
                 "takes 1");
}

} // namespace
