//===- ffi/RuntimeBuiltins.cpp - Printing, time, memory, env, math
//----------===//
//
// The C ABI bodies of the runtime builtins. Both backends call these very
// functions (the JIT as absolute symbols, the interpreter through call plans),
// which is what keeps their output identical. Printing goes through C stdio's
// stdout so it interleaves with anything else the host prints there.
//
//===----------------------------------------------------------------------===//

#include "BuiltinFns.h"
#include "ffi/FFI.h"

#include "runtime/Runtime.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

using namespace spl;

namespace {

void writeStr(const char *S) {
  if (S)
    std::fputs(S, stdout);
}

void writeF64(double V) {
  char Buf[ffi::F64TextMax];
  std::fwrite(Buf, 1, ffi::formatF64To(V, Buf), stdout);
}

void writeBool(bool V) { writeStr(V ? "true" : "false"); }

/// Writes code point C as UTF-8. Values that are not Unicode scalar values
/// (surrogates, beyond U+10FFFF) print as U+FFFD, the replacement character,
/// rather than as bytes no decoder accepts.
void writeChar(uint32_t C) {
  char B[4];
  std::fwrite(B, 1, rt::encodeUtf8(C, B), stdout);
}

void newline() { std::fputc('\n', stdout); }

} // namespace

extern "C" {

void spl_builtin_print_i64(int64_t V) {
  std::printf("%lld", static_cast<long long>(V));
}
void spl_builtin_println_i64(int64_t V) {
  std::printf("%lld\n", static_cast<long long>(V));
}
void spl_builtin_print_f64(double V) { writeF64(V); }
void spl_builtin_println_f64(double V) {
  writeF64(V);
  newline();
}
void spl_builtin_print_bool(bool V) { writeBool(V); }
void spl_builtin_println_bool(bool V) {
  writeBool(V);
  newline();
}
void spl_builtin_print_char(uint32_t C) { writeChar(C); }
void spl_builtin_println_char(uint32_t C) {
  writeChar(C);
  newline();
}

int64_t spl_builtin_time_now_monotonic_ms(void) {
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return static_cast<int64_t>(T.tv_sec) * 1000 + T.tv_nsec / 1000000;
}


/// Ends the running execution with an ExitRequest; the host decides what an
/// exit means (the spl-exec tool exits the process with Code). Codes are
/// truncated to int, as C's exit does.
void spl_builtin_exit(int64_t Code) { ffi::raiseExit(static_cast<int>(Code)); }

/// The value of environment variable Name, or "" when it is unset (never
/// null, so programs can print it directly). The text belongs to the
/// environment: valid until the variable changes.
const char *spl_builtin_env_get(const char *Name) {
  const char *V = Name ? std::getenv(Name) : nullptr;
  return V ? V : "";
}

double spl_builtin_math_sqrt(double X) { return std::sqrt(X); }
double spl_builtin_math_sin(double X) { return std::sin(X); }
double spl_builtin_math_cos(double X) { return std::cos(X); }
double spl_builtin_math_tan(double X) { return std::tan(X); }
double spl_builtin_math_exp(double X) { return std::exp(X); }
double spl_builtin_math_log(double X) { return std::log(X); }
double spl_builtin_math_log2(double X) { return std::log2(X); }
double spl_builtin_math_log10(double X) { return std::log10(X); }
double spl_builtin_math_floor(double X) { return std::floor(X); }
double spl_builtin_math_ceil(double X) { return std::ceil(X); }
double spl_builtin_math_fabs(double X) { return std::fabs(X); }
double spl_builtin_math_round(double X) { return std::round(X); }
double spl_builtin_math_trunc(double X) { return std::trunc(X); }
double spl_builtin_math_pow(double X, double Y) { return std::pow(X, Y); }

/// |X|, wrapping like the rest of MIR's unchecked arithmetic: the absolute
/// value of INT64_MIN is INT64_MIN.
int64_t spl_builtin_abs_i64(int64_t X) {
  uint64_t U = static_cast<uint64_t>(X);
  return static_cast<int64_t>(X < 0 ? 0 - U : U);
}
int64_t spl_builtin_min_i64(int64_t A, int64_t B) { return A < B ? A : B; }
int64_t spl_builtin_max_i64(int64_t A, int64_t B) { return A > B ? A : B; }

} // extern "C"
