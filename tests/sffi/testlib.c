/*===- tests/sffi/testlib.c - An SFFI library for the tests ---------------===*
 *
 * libspl_testlib.so: every rt_testlib_* function follows the SFFI convention,
 * so a MIR program calls it by name and spl-exec finds it in this library.
 * The functions cover each MIR scalar type as argument and result, 0..16
 * arguments, mixed integer/float signatures, writes through pointers, a
 * global counter, callbacks, and a trivial function for call benchmarks.
 * Sums are weighted by position (1*a1 + 2*a2 + ...), so an argument passed in
 * the wrong place changes the result.
 *
 *===----------------------------------------------------------------------===*/

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One scalar type at a time: identity, wrapping add, and a widening that
 * shows the callee received the value correctly extended. */

int8_t rt_testlib_i8_id(int8_t x) { return x; }
int8_t rt_testlib_i8_add(int8_t a, int8_t b) {
  return (int8_t)((uint64_t)a + (uint64_t)b);
}
int64_t rt_testlib_i8_widen(int8_t x) { return (int64_t)x; }

int16_t rt_testlib_i16_id(int16_t x) { return x; }
int16_t rt_testlib_i16_add(int16_t a, int16_t b) {
  return (int16_t)((uint64_t)a + (uint64_t)b);
}
int64_t rt_testlib_i16_widen(int16_t x) { return (int64_t)x; }

int32_t rt_testlib_i32_id(int32_t x) { return x; }
int32_t rt_testlib_i32_add(int32_t a, int32_t b) {
  return (int32_t)((uint64_t)a + (uint64_t)b);
}
int64_t rt_testlib_i32_widen(int32_t x) { return (int64_t)x; }

int64_t rt_testlib_i64_id(int64_t x) { return x; }
int64_t rt_testlib_i64_add(int64_t a, int64_t b) {
  return (int64_t)((uint64_t)a + (uint64_t)b);
}
int64_t rt_testlib_i64_widen(int64_t x) { return (int64_t)x; }

uint8_t rt_testlib_u8_id(uint8_t x) { return x; }
uint8_t rt_testlib_u8_add(uint8_t a, uint8_t b) {
  return (uint8_t)((uint64_t)a + (uint64_t)b);
}
int64_t rt_testlib_u8_widen(uint8_t x) { return (int64_t)x; }

uint16_t rt_testlib_u16_id(uint16_t x) { return x; }
uint16_t rt_testlib_u16_add(uint16_t a, uint16_t b) {
  return (uint16_t)((uint64_t)a + (uint64_t)b);
}
int64_t rt_testlib_u16_widen(uint16_t x) { return (int64_t)x; }

uint32_t rt_testlib_u32_id(uint32_t x) { return x; }
uint32_t rt_testlib_u32_add(uint32_t a, uint32_t b) {
  return (uint32_t)((uint64_t)a + (uint64_t)b);
}
int64_t rt_testlib_u32_widen(uint32_t x) { return (int64_t)x; }

uint64_t rt_testlib_u64_id(uint64_t x) { return x; }
uint64_t rt_testlib_u64_add(uint64_t a, uint64_t b) {
  return (uint64_t)((uint64_t)a + (uint64_t)b);
}
int64_t rt_testlib_u64_widen(uint64_t x) { return (int64_t)x; }

float rt_testlib_f32_id(float x) { return x; }
float rt_testlib_f32_add(float a, float b) { return a + b; }
double rt_testlib_f32_widen(float x) { return (double)x; }

double rt_testlib_f64_id(double x) { return x; }
double rt_testlib_f64_add(double a, double b) { return a + b; }

bool rt_testlib_bool_id(bool x) { return x; }
bool rt_testlib_bool_not(bool x) { return !x; }
bool rt_testlib_bool_and(bool a, bool b) { return a && b; }
int64_t rt_testlib_bool_widen(bool x) { return x ? 1 : 0; }

/* Char: a Unicode code point as uint32_t. */
uint32_t rt_testlib_char_id(uint32_t c) { return c; }
uint32_t rt_testlib_char_next(uint32_t c) { return c + 1; }
uint32_t rt_testlib_char_upper(uint32_t c) {
  return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* Pointers. */
const char *rt_testlib_ptr_id(const char *p) { return p; }
const char *rt_testlib_ptr_offset(const char *p, int64_t n) { return p + n; }
bool rt_testlib_ptr_is_null(const void *p) { return p == NULL; }
int64_t rt_testlib_strlen(const char *s) { return (int64_t)strlen(s); }
const char *rt_testlib_hello(void) { return "hello from testlib"; }
uint64_t rt_testlib_u64_max(void) { return UINT64_MAX; }

/* rt_testlib_sumN: 1*a1 + 2*a2 + ... + N*aN over int64_t (sum0 is 0). */
int64_t rt_testlib_sum0(void) { return 0; }
int64_t rt_testlib_sum1(int64_t a1) { return 1 * a1; }
int64_t rt_testlib_sum2(int64_t a1, int64_t a2) { return 1 * a1 + 2 * a2; }
int64_t rt_testlib_sum3(int64_t a1, int64_t a2, int64_t a3) {
  return 1 * a1 + 2 * a2 + 3 * a3;
}
int64_t rt_testlib_sum4(int64_t a1, int64_t a2, int64_t a3, int64_t a4) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4;
}
int64_t rt_testlib_sum5(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                        int64_t a5) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5;
}
int64_t rt_testlib_sum6(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                        int64_t a5, int64_t a6) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6;
}
int64_t rt_testlib_sum7(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                        int64_t a5, int64_t a6, int64_t a7) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7;
}
int64_t rt_testlib_sum8(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                        int64_t a5, int64_t a6, int64_t a7, int64_t a8) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8;
}
int64_t rt_testlib_sum9(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                        int64_t a5, int64_t a6, int64_t a7, int64_t a8,
                        int64_t a9) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9;
}
int64_t rt_testlib_sum10(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                         int64_t a5, int64_t a6, int64_t a7, int64_t a8,
                         int64_t a9, int64_t a10) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10;
}
int64_t rt_testlib_sum11(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                         int64_t a5, int64_t a6, int64_t a7, int64_t a8,
                         int64_t a9, int64_t a10, int64_t a11) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11;
}
int64_t rt_testlib_sum12(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                         int64_t a5, int64_t a6, int64_t a7, int64_t a8,
                         int64_t a9, int64_t a10, int64_t a11, int64_t a12) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12;
}
int64_t rt_testlib_sum13(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                         int64_t a5, int64_t a6, int64_t a7, int64_t a8,
                         int64_t a9, int64_t a10, int64_t a11, int64_t a12,
                         int64_t a13) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13;
}
int64_t rt_testlib_sum14(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                         int64_t a5, int64_t a6, int64_t a7, int64_t a8,
                         int64_t a9, int64_t a10, int64_t a11, int64_t a12,
                         int64_t a13, int64_t a14) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13 + 14 * a14;
}
int64_t rt_testlib_sum15(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                         int64_t a5, int64_t a6, int64_t a7, int64_t a8,
                         int64_t a9, int64_t a10, int64_t a11, int64_t a12,
                         int64_t a13, int64_t a14, int64_t a15) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13 + 14 * a14 +
         15 * a15;
}
int64_t rt_testlib_sum16(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                         int64_t a5, int64_t a6, int64_t a7, int64_t a8,
                         int64_t a9, int64_t a10, int64_t a11, int64_t a12,
                         int64_t a13, int64_t a14, int64_t a15, int64_t a16) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13 + 14 * a14 +
         15 * a15 + 16 * a16;
}

/* rt_testlib_dsumN: the same over double (dsum0 is 0.0). */
double rt_testlib_dsum0(void) { return 0.0; }
double rt_testlib_dsum1(double a1) { return 1 * a1; }
double rt_testlib_dsum2(double a1, double a2) { return 1 * a1 + 2 * a2; }
double rt_testlib_dsum3(double a1, double a2, double a3) {
  return 1 * a1 + 2 * a2 + 3 * a3;
}
double rt_testlib_dsum4(double a1, double a2, double a3, double a4) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4;
}
double rt_testlib_dsum5(double a1, double a2, double a3, double a4, double a5) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5;
}
double rt_testlib_dsum6(double a1, double a2, double a3, double a4, double a5,
                        double a6) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6;
}
double rt_testlib_dsum7(double a1, double a2, double a3, double a4, double a5,
                        double a6, double a7) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7;
}
double rt_testlib_dsum8(double a1, double a2, double a3, double a4, double a5,
                        double a6, double a7, double a8) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8;
}
double rt_testlib_dsum9(double a1, double a2, double a3, double a4, double a5,
                        double a6, double a7, double a8, double a9) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9;
}
double rt_testlib_dsum10(double a1, double a2, double a3, double a4, double a5,
                         double a6, double a7, double a8, double a9,
                         double a10) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10;
}
double rt_testlib_dsum11(double a1, double a2, double a3, double a4, double a5,
                         double a6, double a7, double a8, double a9, double a10,
                         double a11) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11;
}
double rt_testlib_dsum12(double a1, double a2, double a3, double a4, double a5,
                         double a6, double a7, double a8, double a9, double a10,
                         double a11, double a12) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12;
}
double rt_testlib_dsum13(double a1, double a2, double a3, double a4, double a5,
                         double a6, double a7, double a8, double a9, double a10,
                         double a11, double a12, double a13) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13;
}
double rt_testlib_dsum14(double a1, double a2, double a3, double a4, double a5,
                         double a6, double a7, double a8, double a9, double a10,
                         double a11, double a12, double a13, double a14) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13 + 14 * a14;
}
double rt_testlib_dsum15(double a1, double a2, double a3, double a4, double a5,
                         double a6, double a7, double a8, double a9, double a10,
                         double a11, double a12, double a13, double a14,
                         double a15) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13 + 14 * a14 +
         15 * a15;
}
double rt_testlib_dsum16(double a1, double a2, double a3, double a4, double a5,
                         double a6, double a7, double a8, double a9, double a10,
                         double a11, double a12, double a13, double a14,
                         double a15, double a16) {
  return 1 * a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8 +
         9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13 + 14 * a14 +
         15 * a15 + 16 * a16;
}

/* Mixed integer and floating-point arguments. */
double rt_testlib_mix8(int64_t a, double b, int32_t c, float d, int8_t e,
                       uint16_t f, bool g, uint32_t h) {
  return (double)a + 2 * b + 3.0 * c + 4.0 * d + 5.0 * e + 6.0 * f + 7.0 * g +
         8.0 * h;
}

double rt_testlib_mix16(int64_t a1, double a2, int32_t a3, float a4, int8_t a5,
                        uint16_t a6, bool a7, uint32_t a8, uint8_t a9,
                        int16_t a10, uint64_t a11, double a12, float a13,
                        int64_t a14, double a15, int32_t a16) {
  return (double)a1 + 2 * a2 + 3.0 * a3 + 4.0 * a4 + 5.0 * a5 + 6.0 * a6 +
         7.0 * a7 + 8.0 * a8 + 9.0 * a9 + 10.0 * a10 + 11.0 * (double)a11 +
         12 * a12 + 13.0 * a13 + 14.0 * (double)a14 + 15 * a15 + 16.0 * a16;
}

float rt_testlib_mix_f32(float a, int32_t b, float c) {
  return a * (float)b + c;
}
int8_t rt_testlib_mix_i8(double a, int64_t b) {
  return (int8_t)(uint8_t)((int64_t)a + b);
}
uint16_t rt_testlib_mix_u16(uint8_t a, double b) {
  return (uint16_t)((uint64_t)a * 256u + (uint64_t)b);
}
/* Each result kind from a mixed signature, for the call plans' stubs. */
int32_t rt_testlib_mix_ret_i32(float a, int64_t b) {
  return (int32_t)(b - (int64_t)a);
}
uint32_t rt_testlib_mix_ret_u32(double a, uint32_t b) {
  return b + (uint32_t)a;
}
bool rt_testlib_mix_ret_bool(int64_t a, double b) { return (double)a < b; }
static double last_mix_record;
void rt_testlib_mix_record(float a, int32_t b) {
  last_mix_record = a + 2.0 * b;
}
double rt_testlib_last_mix_record(void) { return last_mix_record; }

/* Six mixed arguments for the call benchmark: acc + 1 with the arguments
 * extern_call_bench passes (1, 0.5, -2, acc, 3, -1.5). */
double rt_testlib_mix6(int32_t a, float b, int64_t c, double acc, uint32_t e,
                       float f) {
  return acc + ((double)a + b + (double)c + (double)e + f);
}

/* One function per register-class shape of up to 6 arguments (every count
 * of integer and float arguments): rt_testlib_shape_CODES, a code per
 * parameter (i int32_t, I int64_t, u uint32_t, f float, d double), returning
 * the sum of a_k * 10^k, so each value must arrive in its own place. */
double rt_testlib_shape_i(int32_t a0) {
  return (double)a0;
}
double rt_testlib_shape_f(float a0) {
  return (double)a0;
}
double rt_testlib_shape_iI(int32_t a0, int64_t a1) {
  return (double)a0 + 10.0 * a1;
}
double rt_testlib_shape_if(int32_t a0, float a1) {
  return (double)a0 + 10.0 * a1;
}
double rt_testlib_shape_fd(float a0, double a1) {
  return (double)a0 + 10.0 * a1;
}
double rt_testlib_shape_iIu(int32_t a0, int64_t a1, uint32_t a2) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2;
}
double rt_testlib_shape_iIf(int32_t a0, int64_t a1, float a2) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2;
}
double rt_testlib_shape_ifd(int32_t a0, float a1, double a2) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2;
}
double rt_testlib_shape_fdf(float a0, double a1, float a2) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2;
}
double rt_testlib_shape_iIui(int32_t a0, int64_t a1, uint32_t a2, int32_t a3) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3;
}
double rt_testlib_shape_iIuf(int32_t a0, int64_t a1, uint32_t a2, float a3) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3;
}
double rt_testlib_shape_ifId(int32_t a0, float a1, int64_t a2, double a3) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3;
}
double rt_testlib_shape_ifdf(int32_t a0, float a1, double a2, float a3) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3;
}
double rt_testlib_shape_fdfd(float a0, double a1, float a2, double a3) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3;
}
double rt_testlib_shape_iIuiI(int32_t a0, int64_t a1, uint32_t a2, int32_t a3, int64_t a4) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4;
}
double rt_testlib_shape_iIuif(int32_t a0, int64_t a1, uint32_t a2, int32_t a3, float a4) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4;
}
double rt_testlib_shape_iIfud(int32_t a0, int64_t a1, float a2, uint32_t a3, double a4) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4;
}
double rt_testlib_shape_ifIdf(int32_t a0, float a1, int64_t a2, double a3, float a4) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4;
}
double rt_testlib_shape_ifdfd(int32_t a0, float a1, double a2, float a3, double a4) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4;
}
double rt_testlib_shape_fdfdf(float a0, double a1, float a2, double a3, float a4) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4;
}
double rt_testlib_shape_iIuiIu(int32_t a0, int64_t a1, uint32_t a2, int32_t a3, int64_t a4, uint32_t a5) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4 + 100000.0 * a5;
}
double rt_testlib_shape_iIuiIf(int32_t a0, int64_t a1, uint32_t a2, int32_t a3, int64_t a4, float a5) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4 + 100000.0 * a5;
}
double rt_testlib_shape_iIfuid(int32_t a0, int64_t a1, float a2, uint32_t a3, int32_t a4, double a5) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4 + 100000.0 * a5;
}
double rt_testlib_shape_ifIduf(int32_t a0, float a1, int64_t a2, double a3, uint32_t a4, float a5) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4 + 100000.0 * a5;
}
double rt_testlib_shape_ifdIfd(int32_t a0, float a1, double a2, int64_t a3, float a4, double a5) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4 + 100000.0 * a5;
}
double rt_testlib_shape_ifdfdf(int32_t a0, float a1, double a2, float a3, double a4, float a5) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4 + 100000.0 * a5;
}
double rt_testlib_shape_fdfdfd(float a0, double a1, float a2, double a3, float a4, double a5) {
  return (double)a0 + 10.0 * a1 + 100.0 * a2 + 1000.0 * a3 + 10000.0 * a4 + 100000.0 * a5;
}

/* Writing through pointers. */
void rt_testlib_write_i64(int64_t *p, int64_t v) { *p = v; }
void rt_testlib_write_u8(uint8_t *p, uint8_t v) { *p = v; }
void rt_testlib_write_f64(double *p, double v) { *p = v; }
void rt_testlib_fill_i32(int32_t *p, int64_t n, int32_t v) {
  for (int64_t i = 0; i < n; ++i)
    p[i] = v;
}
void rt_testlib_swap_i64(int64_t *a, int64_t *b) {
  int64_t t = *a;
  *a = *b;
  *b = t;
}
int64_t rt_testlib_sum_array_i64(const int64_t *p, int64_t n) {
  int64_t s = 0;
  for (int64_t i = 0; i < n; ++i)
    s += p[i];
  return s;
}
double rt_testlib_sum_array_f64(const double *p, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i)
    s += p[i];
  return s;
}

/* A process-wide counter: shows calls happen, in order, exactly once. */
static int64_t counter;
void rt_testlib_counter_inc(void) { ++counter; }
void rt_testlib_counter_add(int64_t n) { counter += n; }
int64_t rt_testlib_counter_get(void) { return counter; }
void rt_testlib_counter_reset(void) { counter = 0; }

/* Unit results with arguments: the weighted sum is kept for the getter. */
static int64_t last_record;
static double last_record_f64;
void rt_testlib_record6(int64_t a1, int64_t a2, int64_t a3, int64_t a4,
                        int64_t a5, int64_t a6) {
  last_record = a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6;
}
int64_t rt_testlib_last_record(void) { return last_record; }
void rt_testlib_record_f64(double a1, double a2) {
  last_record_f64 = a1 + 2 * a2;
}
double rt_testlib_last_record_f64(void) { return last_record_f64; }

/* Callbacks: call a function pointer the caller passes. */
int64_t rt_testlib_apply_i64(int64_t (*f)(int64_t), int64_t x) { return f(x); }
double rt_testlib_apply_f64(double (*f)(double), double x) { return f(x); }

/* For call-overhead benchmarks. */
int64_t rt_testlib_inc(int64_t x) { return x + 1; }

/* (guard) Reads the word at p: a fault inside an SFFI function called from
 * MIR (p = 16) must be the invalid-memory-access runtime error. */
int64_t rt_testlib_deref_i64(const int64_t *p) { return *(const volatile int64_t *)p; }
