//===- ffi/BuiltinFns.h - The C functions behind the builtins ---*- C++ -*-===//
//
// Private to ffi/. The C ABI implementations of the runtime's builtins. Each
// is named spl_builtin_<MIR name without its rt_/spl_ prefix>; the builtin
// table (BuiltinTable.cpp) maps MIR names to these addresses. MIR pointers
// arrive as plain C pointers, Bool as C bool, Char as a uint32_t code point.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_FFI_BUILTINFNS_H
#define SPL_FFI_BUILTINFNS_H

#include <cstddef>
#include <cstdint>

namespace spl::ffi {
/// Writes formatF64's text for V into Buf (at least F64TextMax bytes, not
/// NUL-terminated) and returns its length. Lets the print builtins format
/// without a heap allocation.
constexpr size_t F64TextMax = 32;
size_t formatF64To(double V, char *Buf);
} // namespace spl::ffi

extern "C" {
// Printing (C stdio stdout, so interpreter and JIT output interleave alike).
void spl_builtin_print_i64(int64_t V);
void spl_builtin_println_i64(int64_t V);
void spl_builtin_print_f64(double V);
void spl_builtin_println_f64(double V);
void spl_builtin_print_bool(bool V);
void spl_builtin_println_bool(bool V);
void spl_builtin_print_char(uint32_t C);
void spl_builtin_println_char(uint32_t C);

// Process services.
int64_t spl_builtin_time_now_monotonic_ms(void);
void spl_builtin_exit(int64_t Code);
const char *spl_builtin_env_get(const char *Name);

// Math.
double spl_builtin_math_sqrt(double X);
double spl_builtin_math_sin(double X);
double spl_builtin_math_cos(double X);
double spl_builtin_math_tan(double X);
double spl_builtin_math_exp(double X);
double spl_builtin_math_log(double X);
double spl_builtin_math_log2(double X);
double spl_builtin_math_log10(double X);
double spl_builtin_math_floor(double X);
double spl_builtin_math_ceil(double X);
double spl_builtin_math_fabs(double X);
double spl_builtin_math_round(double X);
double spl_builtin_math_trunc(double X);
double spl_builtin_math_pow(double X, double Y);
int64_t spl_builtin_abs_i64(int64_t X);
int64_t spl_builtin_min_i64(int64_t A, int64_t B);
int64_t spl_builtin_max_i64(int64_t A, int64_t B);

// WFFI: dynamic libraries and calls through raw function addresses.
int64_t spl_builtin_dlopen(const char *Path);
int64_t spl_builtin_dlsym(int64_t Handle, const char *Name);
int64_t spl_builtin_dlclose(int64_t Handle);
int64_t spl_builtin_wffi_call_i64(int64_t Fn, const int64_t *Args,
                                  int64_t NArgs);
double spl_builtin_wffi_call_f64(int64_t Fn, const double *Args, int64_t NArgs);
}

#endif // SPL_FFI_BUILTINFNS_H
