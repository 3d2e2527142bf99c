//===- tests/ffi/CallPlanTest.cpp - Call plans over the test library ------===//
//
// Every rt_testlib_* function is resolved by the SFFI convention and called
// through a CallPlan with raw slots; the result slot must equal the slot of
// the same call made directly from C++, bit for bit (so narrow results are
// checked to be extended by their type).
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cstring>
#include <type_traits>

using namespace spl;
using namespace spl::ffi;
using namespace spl::ffi::test;
using mir::Type;
using mir::TypeKind;

extern "C" {
int8_t rt_testlib_i8_id(int8_t);
int8_t rt_testlib_i8_add(int8_t, int8_t);
int64_t rt_testlib_i8_widen(int8_t);
int16_t rt_testlib_i16_id(int16_t);
int16_t rt_testlib_i16_add(int16_t, int16_t);
int64_t rt_testlib_i16_widen(int16_t);
int32_t rt_testlib_i32_id(int32_t);
int32_t rt_testlib_i32_add(int32_t, int32_t);
int64_t rt_testlib_i32_widen(int32_t);
int64_t rt_testlib_i64_id(int64_t);
int64_t rt_testlib_i64_add(int64_t, int64_t);
int64_t rt_testlib_i64_widen(int64_t);
uint8_t rt_testlib_u8_id(uint8_t);
uint8_t rt_testlib_u8_add(uint8_t, uint8_t);
int64_t rt_testlib_u8_widen(uint8_t);
uint16_t rt_testlib_u16_id(uint16_t);
uint16_t rt_testlib_u16_add(uint16_t, uint16_t);
int64_t rt_testlib_u16_widen(uint16_t);
uint32_t rt_testlib_u32_id(uint32_t);
uint32_t rt_testlib_u32_add(uint32_t, uint32_t);
int64_t rt_testlib_u32_widen(uint32_t);
uint64_t rt_testlib_u64_id(uint64_t);
uint64_t rt_testlib_u64_add(uint64_t, uint64_t);
int64_t rt_testlib_u64_widen(uint64_t);
float rt_testlib_f32_id(float);
float rt_testlib_f32_add(float, float);
double rt_testlib_f32_widen(float);
double rt_testlib_f64_id(double);
double rt_testlib_f64_add(double, double);
bool rt_testlib_bool_id(bool);
bool rt_testlib_bool_not(bool);
bool rt_testlib_bool_and(bool, bool);
int64_t rt_testlib_bool_widen(bool);
uint32_t rt_testlib_char_id(uint32_t);
uint32_t rt_testlib_char_next(uint32_t);
uint32_t rt_testlib_char_upper(uint32_t);
const char *rt_testlib_ptr_id(const char *);
const char *rt_testlib_ptr_offset(const char *, int64_t);
bool rt_testlib_ptr_is_null(const char *);
int64_t rt_testlib_strlen(const char *);
const char *rt_testlib_hello(void);
uint64_t rt_testlib_u64_max(void);
int64_t rt_testlib_sum0(void);
int64_t rt_testlib_sum1(int64_t);
int64_t rt_testlib_sum2(int64_t, int64_t);
int64_t rt_testlib_sum3(int64_t, int64_t, int64_t);
int64_t rt_testlib_sum4(int64_t, int64_t, int64_t, int64_t);
int64_t rt_testlib_sum5(int64_t, int64_t, int64_t, int64_t, int64_t);
int64_t rt_testlib_sum6(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
int64_t rt_testlib_sum7(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                        int64_t);
int64_t rt_testlib_sum8(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                        int64_t, int64_t);
int64_t rt_testlib_sum9(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                        int64_t, int64_t, int64_t);
int64_t rt_testlib_sum10(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t);
int64_t rt_testlib_sum11(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t);
int64_t rt_testlib_sum12(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
int64_t rt_testlib_sum13(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t);
int64_t rt_testlib_sum14(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t);
int64_t rt_testlib_sum15(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t);
int64_t rt_testlib_sum16(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t);
double rt_testlib_dsum0(void);
double rt_testlib_dsum1(double);
double rt_testlib_dsum2(double, double);
double rt_testlib_dsum3(double, double, double);
double rt_testlib_dsum4(double, double, double, double);
double rt_testlib_dsum5(double, double, double, double, double);
double rt_testlib_dsum6(double, double, double, double, double, double);
double rt_testlib_dsum7(double, double, double, double, double, double, double);
double rt_testlib_dsum8(double, double, double, double, double, double, double,
                        double);
double rt_testlib_dsum9(double, double, double, double, double, double, double,
                        double, double);
double rt_testlib_dsum10(double, double, double, double, double, double, double,
                         double, double, double);
double rt_testlib_dsum11(double, double, double, double, double, double, double,
                         double, double, double, double);
double rt_testlib_dsum12(double, double, double, double, double, double, double,
                         double, double, double, double, double);
double rt_testlib_dsum13(double, double, double, double, double, double, double,
                         double, double, double, double, double, double);
double rt_testlib_dsum14(double, double, double, double, double, double, double,
                         double, double, double, double, double, double,
                         double);
double rt_testlib_dsum15(double, double, double, double, double, double, double,
                         double, double, double, double, double, double, double,
                         double);
double rt_testlib_dsum16(double, double, double, double, double, double, double,
                         double, double, double, double, double, double, double,
                         double, double);
double rt_testlib_mix8(int64_t, double, int32_t, float, int8_t, uint16_t, bool,
                       uint32_t);
double rt_testlib_mix16(int64_t, double, int32_t, float, int8_t, uint16_t, bool,
                        uint32_t, uint8_t, int16_t, uint64_t, double, float,
                        int64_t, double, int32_t);
float rt_testlib_mix_f32(float, int32_t, float);
int8_t rt_testlib_mix_i8(double, int64_t);
uint16_t rt_testlib_mix_u16(uint8_t, double);
int32_t rt_testlib_mix_ret_i32(float, int64_t);
uint32_t rt_testlib_mix_ret_u32(double, uint32_t);
bool rt_testlib_mix_ret_bool(int64_t, double);
void rt_testlib_mix_record(float, int32_t);
double rt_testlib_last_mix_record(void);
double rt_testlib_mix6(int32_t, float, int64_t, double, uint32_t, float);
void rt_testlib_write_i64(int64_t *, int64_t);
void rt_testlib_write_u8(uint8_t *, uint8_t);
void rt_testlib_write_f64(double *, double);
void rt_testlib_fill_i32(int32_t *, int64_t, int32_t);
void rt_testlib_swap_i64(int64_t *, int64_t *);
int64_t rt_testlib_sum_array_i64(const int64_t *, int64_t);
double rt_testlib_sum_array_f64(const double *, int64_t);
void rt_testlib_counter_inc(void);
void rt_testlib_counter_add(int64_t);
int64_t rt_testlib_counter_get(void);
void rt_testlib_counter_reset(void);
void rt_testlib_record6(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
int64_t rt_testlib_last_record(void);
void rt_testlib_record_f64(double, double);
double rt_testlib_last_record_f64(void);
int64_t rt_testlib_apply_i64(int64_t (*)(int64_t), int64_t);
double rt_testlib_apply_f64(double (*)(double), double);
int64_t rt_testlib_inc(int64_t);
}

namespace {

class CallPlanTest : public ::testing::Test {
protected:
  void SetUp() override { useTestLibraries(); }

  /// A plan for Name (resolved by the SFFI convention) with signature Sig;
  /// checks the resolver found the very function Direct points at.
  template <class F>
  std::unique_ptr<CallPlan> planFor(const char *Name, F *Direct,
                                    const mir::Signature &Sig) {
    Expected<ExternBinding> B = resolveExtern(Name, sffiOnly());
    EXPECT_TRUE(!!B) << errorText(B);
    if (!B)
      return nullptr;
    EXPECT_EQ(B->Address, reinterpret_cast<void *>(Direct)) << Name;
    EXPECT_NE(B->Lib, nullptr) << Name;
    Expected<std::unique_ptr<CallPlan>> P =
        CallPlan::create(Sig, B->Address, Name);
    EXPECT_TRUE(!!P) << errorText(P);
    return P ? std::move(*P) : nullptr;
  }

  /// Calls Name through a plan and directly with Args; the result slots must
  /// be identical. Returns whether the plan used libffi.
  template <class R, class... A>
  bool same(const char *Name, R (*Direct)(A...),
            std::type_identity_t<A>... Args) {
    return sameWithSig(Name, sigOf(Direct), Direct, Args...);
  }

  template <class R, class... A>
  bool sameWithSig(const char *Name, const mir::Signature &Sig,
                   R (*Direct)(A...), std::type_identity_t<A>... Args) {
    std::unique_ptr<CallPlan> P = planFor(Name, Direct, Sig);
    if (!P)
      return false;
    uint64_t In[sizeof...(A) + 1] = {raw(Args)...};
    uint64_t Out = 0xDEADBEEFDEADBEEF;
    P->invoke(In, &Out);
    if constexpr (std::is_void_v<R>)
      EXPECT_EQ(Out, 0xDEADBEEFDEADBEEF) << Name << ": unit wrote a result";
    else
      EXPECT_EQ(Out, raw(Direct(Args...))) << Name;
    return P->UsesLibffi;
  }
};

mir::Signature charSig(unsigned NParams) {
  mir::Signature S;
  S.Params.assign(NParams, TypeKind::Char);
  S.Ret = TypeKind::Char;
  return S;
}

TEST_F(CallPlanTest, EveryIntegerType) {
  // Values chosen so results wrap and need sign or zero extension.

  EXPECT_FALSE(same("rt_testlib_i8_id", rt_testlib_i8_id, -100));
  EXPECT_FALSE(same("rt_testlib_i8_add", rt_testlib_i8_add, -100, -100));
  EXPECT_FALSE(same("rt_testlib_i8_add", rt_testlib_i8_add, 100, 100));
  EXPECT_FALSE(same("rt_testlib_i8_widen", rt_testlib_i8_widen, -100));
  EXPECT_FALSE(same("rt_testlib_i16_id", rt_testlib_i16_id, -30000));
  EXPECT_FALSE(same("rt_testlib_i16_add", rt_testlib_i16_add, -30000, -30000));
  EXPECT_FALSE(same("rt_testlib_i16_add", rt_testlib_i16_add, 30000, 30000));
  EXPECT_FALSE(same("rt_testlib_i16_widen", rt_testlib_i16_widen, -30000));
  EXPECT_FALSE(same("rt_testlib_i32_id", rt_testlib_i32_id, -2000000000));
  EXPECT_FALSE(
      same("rt_testlib_i32_add", rt_testlib_i32_add, -2000000000, -2000000000));
  EXPECT_FALSE(
      same("rt_testlib_i32_add", rt_testlib_i32_add, 2000000000, 2000000000));
  EXPECT_FALSE(same("rt_testlib_i32_widen", rt_testlib_i32_widen, -2000000000));
  EXPECT_FALSE(same("rt_testlib_i64_id", rt_testlib_i64_id, INT64_MIN));
  EXPECT_FALSE(same("rt_testlib_i64_add", rt_testlib_i64_add, INT64_MIN, -1));
  EXPECT_FALSE(same("rt_testlib_i64_add", rt_testlib_i64_add, INT64_MAX, 1));
  EXPECT_FALSE(same("rt_testlib_i64_widen", rt_testlib_i64_widen, INT64_MIN));
  EXPECT_FALSE(same("rt_testlib_u8_id", rt_testlib_u8_id, 200));
  EXPECT_FALSE(same("rt_testlib_u8_add", rt_testlib_u8_add, 200, 200));
  EXPECT_FALSE(same("rt_testlib_u8_add", rt_testlib_u8_add, 100, 255));
  EXPECT_FALSE(same("rt_testlib_u8_widen", rt_testlib_u8_widen, 200));
  EXPECT_FALSE(same("rt_testlib_u16_id", rt_testlib_u16_id, 65000));
  EXPECT_FALSE(same("rt_testlib_u16_add", rt_testlib_u16_add, 65000, 65000));
  EXPECT_FALSE(same("rt_testlib_u16_add", rt_testlib_u16_add, 1000, 65535));
  EXPECT_FALSE(same("rt_testlib_u16_widen", rt_testlib_u16_widen, 65000));
  EXPECT_FALSE(same("rt_testlib_u32_id", rt_testlib_u32_id, 4000000000u));
  EXPECT_FALSE(
      same("rt_testlib_u32_add", rt_testlib_u32_add, 4000000000u, 4000000000u));
  EXPECT_FALSE(same("rt_testlib_u32_add", rt_testlib_u32_add, 1, UINT32_MAX));
  EXPECT_FALSE(same("rt_testlib_u32_widen", rt_testlib_u32_widen, 4000000000u));
  EXPECT_FALSE(same("rt_testlib_u64_id", rt_testlib_u64_id, UINT64_MAX));
  EXPECT_FALSE(
      same("rt_testlib_u64_add", rt_testlib_u64_add, UINT64_MAX, UINT64_MAX));
  EXPECT_FALSE(same("rt_testlib_u64_add", rt_testlib_u64_add, 1, UINT64_MAX));
  EXPECT_FALSE(same("rt_testlib_u64_widen", rt_testlib_u64_widen, UINT64_MAX));
}

TEST_F(CallPlanTest, NarrowResultsAreExtendedByType) {
  // Exact slots, independent of the direct call: I8 -56 sign-extends, U8 200
  // zero-extends.
  auto P =
      planFor("rt_testlib_i8_add", rt_testlib_i8_add, sigOf(rt_testlib_i8_add));
  ASSERT_TRUE(P);
  uint64_t In[] = {raw<int8_t>(100), raw<int8_t>(100)}, Out = 0;
  P->invoke(In, &Out);
  EXPECT_EQ(Out, 0xFFFFFFFFFFFFFFC8u);
  auto Q =
      planFor("rt_testlib_u8_add", rt_testlib_u8_add, sigOf(rt_testlib_u8_add));
  ASSERT_TRUE(Q);
  uint64_t InU[] = {raw<uint8_t>(100), raw<uint8_t>(100)};
  Q->invoke(InU, &Out);
  EXPECT_EQ(Out, 200u);
  auto R = planFor("rt_testlib_i32_widen", rt_testlib_i32_widen,
                   sigOf(rt_testlib_i32_widen));
  ASSERT_TRUE(R);
  uint64_t InW[] = {raw<int32_t>(-7)};
  R->invoke(InW, &Out);
  EXPECT_EQ(Out, static_cast<uint64_t>(int64_t{-7}));
}

TEST_F(CallPlanTest, FloatsBoolCharPointers) {
  EXPECT_FALSE(same("rt_testlib_f32_id", rt_testlib_f32_id, 1.5f));
  EXPECT_FALSE(same("rt_testlib_f32_add", rt_testlib_f32_add, 0.1f, 0.2f));
  EXPECT_FALSE(same("rt_testlib_f32_widen", rt_testlib_f32_widen, 0.1f));
  EXPECT_FALSE(same("rt_testlib_f64_id", rt_testlib_f64_id, -0.0));
  EXPECT_FALSE(same("rt_testlib_f64_add", rt_testlib_f64_add, 0.1, 0.2));
  EXPECT_FALSE(same("rt_testlib_bool_id", rt_testlib_bool_id, true));
  EXPECT_FALSE(same("rt_testlib_bool_not", rt_testlib_bool_not, true));
  EXPECT_FALSE(same("rt_testlib_bool_not", rt_testlib_bool_not, false));
  EXPECT_FALSE(same("rt_testlib_bool_and", rt_testlib_bool_and, true, true));
  EXPECT_FALSE(same("rt_testlib_bool_and", rt_testlib_bool_and, true, false));
  EXPECT_FALSE(same("rt_testlib_bool_widen", rt_testlib_bool_widen, true));
  EXPECT_FALSE(sameWithSig("rt_testlib_char_id", charSig(1), rt_testlib_char_id,
                           0x1F600));
  EXPECT_FALSE(sameWithSig("rt_testlib_char_next", charSig(1),
                           rt_testlib_char_next, U'a'));
  EXPECT_FALSE(sameWithSig("rt_testlib_char_upper", charSig(1),
                           rt_testlib_char_upper, U'q'));
  const char *Text = "hello";
  EXPECT_FALSE(same("rt_testlib_ptr_id", rt_testlib_ptr_id, Text));
  EXPECT_FALSE(same("rt_testlib_ptr_offset", rt_testlib_ptr_offset, Text, 3));
  EXPECT_FALSE(same("rt_testlib_ptr_is_null", rt_testlib_ptr_is_null, Text));
  EXPECT_FALSE(same("rt_testlib_ptr_is_null", rt_testlib_ptr_is_null, nullptr));
  EXPECT_FALSE(same("rt_testlib_strlen", rt_testlib_strlen, Text));
  EXPECT_FALSE(same("rt_testlib_hello", rt_testlib_hello));
  EXPECT_FALSE(same("rt_testlib_u64_max", rt_testlib_u64_max));
}

TEST_F(CallPlanTest, FloatResultSlots) {
  // F32 results sit in the low 32 bits with zero above; F64 as its bits.
  auto P = planFor("rt_testlib_f32_add", rt_testlib_f32_add,
                   sigOf(rt_testlib_f32_add));
  ASSERT_TRUE(P);
  uint64_t In[] = {raw(1.5f), raw(2.25f)}, Out = ~0ull;
  P->invoke(In, &Out);
  EXPECT_EQ(Out, uint64_t{std::bit_cast<uint32_t>(3.75f)});
  auto Q =
      planFor("rt_testlib_dsum2", rt_testlib_dsum2, sigOf(rt_testlib_dsum2));
  ASSERT_TRUE(Q);
  uint64_t InD[] = {raw(1.0), raw(0.5)};
  Q->invoke(InD, &Out);
  EXPECT_EQ(Out, std::bit_cast<uint64_t>(2.0));
}

TEST_F(CallPlanTest, IntegerArities0To16) {

  EXPECT_FALSE(same("rt_testlib_sum0", rt_testlib_sum0));
  EXPECT_FALSE(same("rt_testlib_sum1", rt_testlib_sum1, 419));
  EXPECT_FALSE(same("rt_testlib_sum2", rt_testlib_sum2, 419, 338));
  EXPECT_FALSE(same("rt_testlib_sum3", rt_testlib_sum3, 419, 338, 257));
  EXPECT_FALSE(same("rt_testlib_sum4", rt_testlib_sum4, 419, 338, 257, 176));
  EXPECT_FALSE(
      same("rt_testlib_sum5", rt_testlib_sum5, 419, 338, 257, 176, 95));
  EXPECT_FALSE(
      same("rt_testlib_sum6", rt_testlib_sum6, 419, 338, 257, 176, 95, 14));
  EXPECT_TRUE(same("rt_testlib_sum7", rt_testlib_sum7, 419, 338, 257, 176, 95,
                   14, -67));
  EXPECT_TRUE(same("rt_testlib_sum8", rt_testlib_sum8, 419, 338, 257, 176, 95,
                   14, -67, -148));
  EXPECT_TRUE(same("rt_testlib_sum9", rt_testlib_sum9, 419, 338, 257, 176, 95,
                   14, -67, -148, -229));
  EXPECT_TRUE(same("rt_testlib_sum10", rt_testlib_sum10, 419, 338, 257, 176, 95,
                   14, -67, -148, -229, -310));
  EXPECT_TRUE(same("rt_testlib_sum11", rt_testlib_sum11, 419, 338, 257, 176, 95,
                   14, -67, -148, -229, -310, -391));
  EXPECT_TRUE(same("rt_testlib_sum12", rt_testlib_sum12, 419, 338, 257, 176, 95,
                   14, -67, -148, -229, -310, -391, -472));
  EXPECT_TRUE(same("rt_testlib_sum13", rt_testlib_sum13, 419, 338, 257, 176, 95,
                   14, -67, -148, -229, -310, -391, -472, 447));
  EXPECT_TRUE(same("rt_testlib_sum14", rt_testlib_sum14, 419, 338, 257, 176, 95,
                   14, -67, -148, -229, -310, -391, -472, 447, 366));
  EXPECT_TRUE(same("rt_testlib_sum15", rt_testlib_sum15, 419, 338, 257, 176, 95,
                   14, -67, -148, -229, -310, -391, -472, 447, 366, 285));
  EXPECT_TRUE(same("rt_testlib_sum16", rt_testlib_sum16, 419, 338, 257, 176, 95,
                   14, -67, -148, -229, -310, -391, -472, 447, 366, 285, 204));
  // The weights make argument order visible: 1*1 + 2*2 + ... + 16*16.
  auto P =
      planFor("rt_testlib_sum16", rt_testlib_sum16, sigOf(rt_testlib_sum16));
  ASSERT_TRUE(P);
  uint64_t In[16], Out = 0;
  for (int I = 0; I < 16; ++I)
    In[I] = I + 1;
  P->invoke(In, &Out);
  EXPECT_EQ(Out, 1496u);
}

TEST_F(CallPlanTest, DoubleArities0To16) {
  EXPECT_FALSE(same("rt_testlib_dsum0", rt_testlib_dsum0));
  EXPECT_FALSE(same("rt_testlib_dsum1", rt_testlib_dsum1, 52.375));
  EXPECT_FALSE(same("rt_testlib_dsum2", rt_testlib_dsum2, 52.375, 42.25));
  EXPECT_FALSE(
      same("rt_testlib_dsum3", rt_testlib_dsum3, 52.375, 42.25, 32.125));
  EXPECT_FALSE(
      same("rt_testlib_dsum4", rt_testlib_dsum4, 52.375, 42.25, 32.125, 22.0));
  EXPECT_FALSE(same("rt_testlib_dsum5", rt_testlib_dsum5, 52.375, 42.25, 32.125,
                   22.0, 11.875));
  EXPECT_FALSE(same("rt_testlib_dsum6", rt_testlib_dsum6, 52.375, 42.25, 32.125,
                   22.0, 11.875, 1.75));
  EXPECT_FALSE(same("rt_testlib_dsum7", rt_testlib_dsum7, 52.375, 42.25, 32.125,
                   22.0, 11.875, 1.75, -8.375));
  EXPECT_FALSE(same("rt_testlib_dsum8", rt_testlib_dsum8, 52.375, 42.25, 32.125,
                   22.0, 11.875, 1.75, -8.375, -18.5));
  EXPECT_TRUE(same("rt_testlib_dsum9", rt_testlib_dsum9, 52.375, 42.25, 32.125,
                   22.0, 11.875, 1.75, -8.375, -18.5, -28.625));
  EXPECT_TRUE(same("rt_testlib_dsum10", rt_testlib_dsum10, 52.375, 42.25,
                   32.125, 22.0, 11.875, 1.75, -8.375, -18.5, -28.625, -38.75));
  EXPECT_TRUE(same("rt_testlib_dsum11", rt_testlib_dsum11, 52.375, 42.25,
                   32.125, 22.0, 11.875, 1.75, -8.375, -18.5, -28.625, -38.75,
                   -48.875));
  EXPECT_TRUE(same("rt_testlib_dsum12", rt_testlib_dsum12, 52.375, 42.25,
                   32.125, 22.0, 11.875, 1.75, -8.375, -18.5, -28.625, -38.75,
                   -48.875, -59.0));
  EXPECT_TRUE(same("rt_testlib_dsum13", rt_testlib_dsum13, 52.375, 42.25,
                   32.125, 22.0, 11.875, 1.75, -8.375, -18.5, -28.625, -38.75,
                   -48.875, -59.0, 55.875));
  EXPECT_TRUE(same("rt_testlib_dsum14", rt_testlib_dsum14, 52.375, 42.25,
                   32.125, 22.0, 11.875, 1.75, -8.375, -18.5, -28.625, -38.75,
                   -48.875, -59.0, 55.875, 45.75));
  EXPECT_TRUE(same("rt_testlib_dsum15", rt_testlib_dsum15, 52.375, 42.25,
                   32.125, 22.0, 11.875, 1.75, -8.375, -18.5, -28.625, -38.75,
                   -48.875, -59.0, 55.875, 45.75, 35.625));
  EXPECT_TRUE(same("rt_testlib_dsum16", rt_testlib_dsum16, 52.375, 42.25,
                   32.125, 22.0, 11.875, 1.75, -8.375, -18.5, -28.625, -38.75,
                   -48.875, -59.0, 55.875, 45.75, 35.625, 25.5));
}

TEST_F(CallPlanTest, MixedSignatures) {
  EXPECT_FALSE(same("rt_testlib_mix8", rt_testlib_mix8, -5, 0.25, -70000, 1.5f,
                   -3, 65535, true, 0x10FFFF));
  EXPECT_TRUE(same("rt_testlib_mix16", rt_testlib_mix16, INT64_MIN / 4, 0.5,
                   INT32_MIN, -2.5f, INT8_MIN, UINT16_MAX, true, UINT32_MAX,
                   UINT8_MAX, INT16_MIN, UINT64_MAX / 3, 1e10, 3.0f, -99, 0.125,
                   INT32_MAX));
  EXPECT_FALSE(same("rt_testlib_mix_f32", rt_testlib_mix_f32, 1.25f, -3, 0.5f));
  EXPECT_FALSE(same("rt_testlib_mix_i8", rt_testlib_mix_i8, 100.9, 100));
  EXPECT_FALSE(same("rt_testlib_mix_u16", rt_testlib_mix_u16, 255, 255.5));
}

// Every count of integer and float arguments up to six has a stub of its
// own (CallPlan.cpp), with an entry from an argument array and one from frame
// slots: each is called with a value per position that no other position
// holds, so a register taken from the wrong argument, a float read
// as a double or an integer cut or extended wrongly changes the sum.
TEST_F(CallPlanTest, EveryRegisterClassShapeUpToSixArguments) {
  // tests/sffi/testlib.c's rt_testlib_shape_CODES: i I32, I I64, u U32,
  // f F32, d F64; the result is the sum of a_k * 10^k.
  const char *const Shapes[] = {
      "i",
      "f",
      "iI",
      "if",
      "fd",
      "iIu",
      "iIf",
      "ifd",
      "fdf",
      "iIui",
      "iIuf",
      "ifId",
      "ifdf",
      "fdfd",
      "iIuiI",
      "iIuif",
      "iIfud",
      "ifIdf",
      "ifdfd",
      "fdfdf",
      "iIuiIu",
      "iIuiIf",
      "iIfuid",
      "ifIduf",
      "ifdIfd",
      "ifdfdf",
      "fdfdfd"};
  for (const char *Codes : Shapes) {
    std::string Name = std::string("rt_testlib_shape_") + Codes;
    mir::Signature Sig;
    Sig.Ret = TypeKind::F64;
    std::vector<uint64_t> In;
    double Want = 0, Weight = 1;
    for (unsigned K = 0; Codes[K]; ++K, Weight *= 10) {
      double V;
      switch (Codes[K]) {
      case 'i': // negative: the slot is sign-extended
        V = -(1000.0 * (K + 1) + 7);
        In.push_back(raw(int32_t(V)));
        Sig.Params.push_back(TypeKind::I32);
        break;
      case 'I': // beyond 32 bits
        V = double((K + 1) * int64_t{1000000007});
        In.push_back(raw(int64_t(V)));
        Sig.Params.push_back(TypeKind::I64);
        break;
      case 'u': // above INT32_MAX: the slot is zero-extended
        V = 4000000000.0 + K;
        In.push_back(raw(uint32_t(V)));
        Sig.Params.push_back(TypeKind::U32);
        break;
      case 'f':
        V = K + 0.5;
        In.push_back(raw(float(V)));
        Sig.Params.push_back(TypeKind::F32);
        break;
      default: // 'd'
        V = -(K + 0.25);
        In.push_back(raw(V));
        Sig.Params.push_back(TypeKind::F64);
        break;
      }
      Want += Weight * V;
    }
    Expected<ExternBinding> B = resolveExtern(Name, sffiOnly());
    ASSERT_TRUE(!!B) << errorText(B);
    Expected<std::unique_ptr<CallPlan>> P =
        CallPlan::create(Sig, B->Address, Name);
    ASSERT_TRUE(!!P) << errorText(P);
    EXPECT_FALSE((*P)->UsesLibffi) << Name;
    uint64_t Out = 0;
    (*P)->invoke(In.data(), &Out);
    EXPECT_EQ(std::bit_cast<double>(Out), Want) << Name;
    // The interpreter's entry: argument K in frame slot 3 * K + 1 (the
    // others hold a decoy), the slots named in the plan's register order.
    ASSERT_NE((*P)->InvokeFrame, nullptr) << Name;
    std::vector<uint64_t> Frame(3 * In.size() + 1, raw(-1.0e300));
    std::vector<uint64_t> Words((In.size() + 1) / 2, 0);
    for (size_t K = 0; K < In.size(); ++K) {
      Frame[3 * K + 1] = In[K];
      uint64_t Slot = 3 * (*P)->ArgOf[K] + 1;
      Words[K / 2] |= Slot << (32 * (K % 2));
    }
    Out = 0;
    (*P)->InvokeFrame(**P, Frame.data(), Words.data(), &Out);
    EXPECT_EQ(std::bit_cast<double>(Out), Want) << Name << " from a frame";
  }
}

TEST_F(CallPlanTest, MixedSignaturesEveryResultKind) {
  // 5 * 2^32 - 10 cut to 32 bits is -10: the callee's int32 result is
  // sign-extended; the float argument is truncated to 3 by the callee.
  auto P = planFor("rt_testlib_mix_ret_i32", rt_testlib_mix_ret_i32,
                   sigOf(rt_testlib_mix_ret_i32));
  ASSERT_TRUE(P);
  uint64_t In[] = {raw(3.75f), raw((int64_t{5} << 32) - 7)}, Out = 0;
  P->invoke(In, &Out);
  EXPECT_EQ(Out, raw(int32_t{-10}));
  // 4000000000 + 2: above INT32_MAX, zero-extended.
  auto Q = planFor("rt_testlib_mix_ret_u32", rt_testlib_mix_ret_u32,
                   sigOf(rt_testlib_mix_ret_u32));
  ASSERT_TRUE(Q);
  uint64_t InU[] = {raw(2.5), raw(uint32_t{4000000000u})};
  Q->invoke(InU, &Out);
  EXPECT_EQ(Out, uint64_t{4000000002u});
  auto R = planFor("rt_testlib_mix_ret_bool", rt_testlib_mix_ret_bool,
                   sigOf(rt_testlib_mix_ret_bool));
  ASSERT_TRUE(R);
  uint64_t InB[] = {raw(int64_t{-3}), raw(-2.5)};
  R->invoke(InB, &Out);
  EXPECT_EQ(Out, 1u);
  uint64_t InB2[] = {raw(int64_t{-2}), raw(-2.5)};
  R->invoke(InB2, &Out);
  EXPECT_EQ(Out, 0u);
  // A unit result leaves the result slot alone; the callee saw both values.
  EXPECT_FALSE(same("rt_testlib_mix_record", rt_testlib_mix_record, -1.5f,
                    -40000));
  EXPECT_EQ(rt_testlib_last_mix_record(), -80001.5);
  // The benchmark's six-argument shape: acc + 1 with its constants.
  auto S = planFor("rt_testlib_mix6", rt_testlib_mix6, sigOf(rt_testlib_mix6));
  ASSERT_TRUE(S);
  EXPECT_FALSE(S->UsesLibffi);
  uint64_t In6[] = {raw(int32_t{1}), raw(0.5f), raw(int64_t{-2}), raw(41.0),
                    raw(uint32_t{3}), raw(-1.5f)};
  S->invoke(In6, &Out);
  EXPECT_EQ(std::bit_cast<double>(Out), 42.0);
}

TEST_F(CallPlanTest, WritesThroughPointers) {
  int64_t I = 0;
  same("rt_testlib_write_i64", rt_testlib_write_i64, &I, INT64_MIN + 1);
  EXPECT_EQ(I, INT64_MIN + 1);
  uint8_t B[2] = {0, 0};
  same("rt_testlib_write_u8", rt_testlib_write_u8, &B[0], 255);
  EXPECT_EQ(B[0], 255);
  EXPECT_EQ(B[1], 0);
  double D = 0;
  EXPECT_FALSE(same("rt_testlib_write_f64", rt_testlib_write_f64, &D, 2.5));
  EXPECT_EQ(D, 2.5);
  int32_t Arr[5] = {0, 0, 0, 0, 9};
  same("rt_testlib_fill_i32", rt_testlib_fill_i32, Arr, 4, -7);
  EXPECT_EQ(Arr[0], -7);
  EXPECT_EQ(Arr[3], -7);
  EXPECT_EQ(Arr[4], 9);
  int64_t X = 1, Y = 2;
  same("rt_testlib_swap_i64", rt_testlib_swap_i64, &X, &Y);
  EXPECT_EQ(X, 2);
  EXPECT_EQ(Y, 1);
  const int64_t Ints[] = {1, 2, 3, 4};
  EXPECT_FALSE(
      same("rt_testlib_sum_array_i64", rt_testlib_sum_array_i64, Ints, 4));
  const double Doubles[] = {0.5, 0.25};
  EXPECT_FALSE(
      same("rt_testlib_sum_array_f64", rt_testlib_sum_array_f64, Doubles, 2));
}

TEST_F(CallPlanTest, CounterAndUnitResults) {
  rt_testlib_counter_reset();
  EXPECT_FALSE(same("rt_testlib_counter_inc", rt_testlib_counter_inc));
  EXPECT_EQ(rt_testlib_counter_get(), 1);
  EXPECT_FALSE(same("rt_testlib_counter_add", rt_testlib_counter_add, 41));
  EXPECT_EQ(rt_testlib_counter_get(), 42);
  EXPECT_FALSE(same("rt_testlib_counter_get", rt_testlib_counter_get));
  EXPECT_FALSE(same("rt_testlib_counter_reset", rt_testlib_counter_reset));
  EXPECT_EQ(rt_testlib_counter_get(), 0);
  EXPECT_FALSE(
      same("rt_testlib_record6", rt_testlib_record6, 1, 2, 3, 4, 5, -6));
  EXPECT_EQ(rt_testlib_last_record(), 1 + 4 + 9 + 16 + 25 - 36);
  EXPECT_FALSE(same("rt_testlib_last_record", rt_testlib_last_record));
  EXPECT_FALSE(same("rt_testlib_record_f64", rt_testlib_record_f64, 0.5, 4.0));
  EXPECT_EQ(rt_testlib_last_record_f64(), 8.5);
  EXPECT_FALSE(same("rt_testlib_last_record_f64", rt_testlib_last_record_f64));
  EXPECT_FALSE(same("rt_testlib_inc", rt_testlib_inc, INT64_MAX - 1));
}

int64_t triple(int64_t X) { return 3 * X; }
double halve(double X) { return X / 2; }

TEST_F(CallPlanTest, FunctionPointerArguments) {
  mir::Signature IntFn, DblFn;
  IntFn.Params = {TypeKind::I64};
  IntFn.Ret = TypeKind::I64;
  DblFn.Params = {TypeKind::F64};
  DblFn.Ret = TypeKind::F64;
  mir::Signature S1, S2;
  S1.Params = {Type::funcPtr(IntFn), TypeKind::I64};
  S1.Ret = TypeKind::I64;
  S2.Params = {Type::funcPtr(DblFn), TypeKind::F64};
  S2.Ret = TypeKind::F64;
  EXPECT_FALSE(sameWithSig("rt_testlib_apply_i64", S1, rt_testlib_apply_i64,
                           triple, 14));
  EXPECT_FALSE(sameWithSig("rt_testlib_apply_f64", S2, rt_testlib_apply_f64,
                          halve, 5.0));
}

TEST_F(CallPlanTest, MixedClassesUpToTheRegistersNeedNoLibffi) {
  // Six integer and eight float arguments in any order are placed by
  // register class; a seventh integer or a ninth float goes to libffi.
  EXPECT_FALSE(same("rt_testlib_mix8", rt_testlib_mix8, 7, -0.5, 1 << 20, -2.25f,
                    -128, 1, false, 0x41));
  EXPECT_FALSE(same("rt_testlib_dsum8", rt_testlib_dsum8, 1.0, 2.0, 3.0, 4.0,
                    5.0, 6.0, 7.0, 8.5));
  EXPECT_TRUE(same("rt_testlib_dsum9", rt_testlib_dsum9, 1.0, 2.0, 3.0, 4.0,
                   5.0, 6.0, 7.0, 8.0, 9.5));
  EXPECT_TRUE(same("rt_testlib_sum7", rt_testlib_sum7, 1, 2, 3, 4, 5, 6, 7));
}

TEST_F(CallPlanTest, CifsAreSharedPerAbiSignature) {
  auto A = planFor("rt_testlib_sum7", rt_testlib_sum7, sigOf(rt_testlib_sum7));
  auto B = planFor("rt_testlib_sum7", rt_testlib_sum7, sigOf(rt_testlib_sum7));
  ASSERT_TRUE(A && B);
  EXPECT_TRUE(A->UsesLibffi);
  EXPECT_EQ(A->Cif, B->Cif);
  // Pointers of any pointee share one cif; different types do not. (Six
  // more integers make each signature one the register-class stub cannot
  // take - seven integers - so these plans are libffi's; none is invoked.)
  mir::Signature P1, P2, P3;
  P1.Params = {Type::ptr(TypeKind::I64), TypeKind::F32};
  P2.Params = {Type::ptr(TypeKind::F64, false), TypeKind::F32};
  P3.Params = {Type::ptr(TypeKind::F64, false), TypeKind::F64, TypeKind::F32};
  for (mir::Signature *S : {&P1, &P2, &P3})
    S->Params.insert(S->Params.end(), 6, TypeKind::I64);
  auto C1 = CallPlan::create(P1, reinterpret_cast<void *>(rt_testlib_inc), "a");
  auto C2 = CallPlan::create(P2, reinterpret_cast<void *>(rt_testlib_inc), "b");
  auto C3 = CallPlan::create(P3, reinterpret_cast<void *>(rt_testlib_inc), "c");
  ASSERT_TRUE(C1 && C2 && C3);
  ASSERT_NE((*C1)->Cif, nullptr);
  EXPECT_EQ((*C1)->Cif, (*C2)->Cif);
  EXPECT_NE((*C1)->Cif, (*C3)->Cif);
  // The cif depends on the ABI signature only, not on the function called.
  auto C4 = CallPlan::create(P1, reinterpret_cast<void *>(rt_testlib_sum7), "d");
  ASSERT_TRUE(bool(C4));
  EXPECT_EQ((*C4)->Cif, (*C1)->Cif);
  // Stubs carry no cif.
  auto D = planFor("rt_testlib_sum6", rt_testlib_sum6, sigOf(rt_testlib_sum6));
  ASSERT_TRUE(D);
  EXPECT_EQ(D->Cif, nullptr);
  EXPECT_EQ((*C1)->Sig, P1);
}

TEST(CallPlanErrors, UnsupportedTypesNameFunctionAndType) {
  void *F = reinterpret_cast<void *>(rt_testlib_inc);
  auto Check = [&](const mir::Signature &S, const char *Expected) {
    auto P = CallPlan::create(S, F, "rt_lib_f");
    EXPECT_EQ(errorText(P), Expected);
  };
  mir::Signature Tuple;
  Tuple.Params = {TypeKind::I64, Type()};
  Tuple.Params[1].Kind = TypeKind::Tuple;
  Tuple.Params[1].setMembers({TypeKind::I64, TypeKind::F64});
  Check(Tuple, "cannot call `rt_lib_f`: parameter 1 has type `(i64, f64)`, "
               "which cannot be passed to a C function (only scalars and "
               "pointers can)");
  mir::Signature Arr;
  Arr.Params = {Type::array(TypeKind::I64, 4)};
  Check(Arr, "cannot call `rt_lib_f`: parameter 0 has type `[i64; 4]`, which "
             "cannot be passed to a C function (only scalars and pointers "
             "can)");
  mir::Signature UnitParam;
  UnitParam.Params = {TypeKind::Unit};
  Check(UnitParam, "cannot call `rt_lib_f`: parameter 0 has type `unit`, "
                   "which cannot be passed to a C function (only scalars and "
                   "pointers can)");
  mir::Signature StructRet;
  StructRet.Ret.Kind = TypeKind::Struct;
  StructRet.Ret.setStructId(3);
  Check(StructRet, "cannot call `rt_lib_f`: result type `struct#3` cannot be "
                   "returned from a C function (only scalars, pointers and "
                   "unit can)");
  mir::Signature OpaqueRet;
  OpaqueRet.Ret.Kind = TypeKind::Opaque;
  OpaqueRet.Ret.setOpaqueName("Tensor");
  Check(OpaqueRet, "cannot call `rt_lib_f`: result type `opaque \"Tensor\"` "
                   "cannot be returned from a C function (only scalars, "
                   "pointers and unit can)");
  mir::Signature Var;
  Var.Params = {Type::ptr(TypeKind::U8)};
  Var.Variadic = true;
  Check(Var, "cannot call `rt_lib_f`: variadic functions are not supported");
  mir::Signature Many;
  Many.Params.assign(65, TypeKind::I64);
  Check(Many, "cannot call `rt_lib_f`: 65 parameters exceed the limit of 64");
  auto Null = CallPlan::create(mir::Signature(), nullptr, "rt_lib_g");
  EXPECT_EQ(errorText(Null), "cannot call `rt_lib_g`: it has no address");
}

TEST(CallPlanErrors, NeverResultIsLikeUnit) {
  mir::Signature S;
  S.Ret = TypeKind::Never;
  auto P = CallPlan::create(S, reinterpret_cast<void *>(rt_testlib_counter_inc),
                            "rt_testlib_counter_inc");
  ASSERT_TRUE(!!P) << errorText(P);
  rt_testlib_counter_reset();
  (*P)->invoke(nullptr, nullptr);
  EXPECT_EQ(rt_testlib_counter_get(), 1);
}

} // namespace
