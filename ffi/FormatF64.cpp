//===- ffi/FormatF64.cpp - Python-repr text of a double
//---------------------===//
//
// rt_print_f64 must print the same text in every backend, and the text users
// expect from a scripting language: the shortest digits that read back to the
// same double (std::to_chars gives those), laid out like Python's repr:
// fixed notation for decimal exponents -4..15 with ".0" on whole numbers,
// scientific (1e+16, 1.5e-07) outside that range.
//
//===----------------------------------------------------------------------===//

#include "BuiltinFns.h"
#include "ffi/FFI.h"

#include <charconv>
#include <cmath>
#include <cstring>

using namespace spl;

namespace {

size_t put(char *Buf, size_t At, const char *S, size_t N) {
  std::memcpy(Buf + At, S, N);
  return At + N;
}

size_t putZeros(char *Buf, size_t At, int N) {
  for (int I = 0; I < N; ++I)
    Buf[At++] = '0';
  return At;
}

} // namespace

size_t ffi::formatF64To(double V, char *Buf) {
  if (std::isnan(V))
    return put(Buf, 0, "nan", 3);
  size_t Len = 0;
  if (std::signbit(V)) {
    Buf[Len++] = '-';
    V = -V;
  }
  if (std::isinf(V))
    return put(Buf, Len, "inf", 3);
  if (V == 0)
    return put(Buf, Len, "0.0", 3);

  // Shortest round-trip digits in scientific form: "d[.ddd]e[+-]x".
  char Sci[F64TextMax];
  auto [End, Ec] =
      std::to_chars(Sci, Sci + sizeof(Sci), V, std::chars_format::scientific);
  (void)Ec; // 32 bytes always suffice for a double.
  const char *E = static_cast<const char *>(std::memchr(Sci, 'e', End - Sci));
  char Digits[20];
  int NDigits = 0;
  for (const char *P = Sci; P != E; ++P)
    if (*P != '.')
      Digits[NDigits++] = *P;
  int Exp = 0;
  std::from_chars(E[1] == '+' ? E + 2 : E + 1, End, Exp);

  if (Exp >= -4 && Exp < 16) {
    if (Exp < 0) {
      Len = put(Buf, Len, "0.", 2);
      Len = putZeros(Buf, Len, -Exp - 1);
      return put(Buf, Len, Digits, NDigits);
    }
    int IntDigits = Exp + 1;
    if (NDigits <= IntDigits) {
      Len = put(Buf, Len, Digits, NDigits);
      Len = putZeros(Buf, Len, IntDigits - NDigits);
      return put(Buf, Len, ".0", 2);
    }
    Len = put(Buf, Len, Digits, IntDigits);
    Buf[Len++] = '.';
    return put(Buf, Len, Digits + IntDigits, NDigits - IntDigits);
  }

  Buf[Len++] = Digits[0];
  if (NDigits > 1) {
    Buf[Len++] = '.';
    Len = put(Buf, Len, Digits + 1, NDigits - 1);
  }
  Buf[Len++] = 'e';
  Buf[Len++] = Exp < 0 ? '-' : '+';
  int AbsExp = Exp < 0 ? -Exp : Exp;
  if (AbsExp < 10)
    Buf[Len++] = '0';
  auto [ExpEnd, ExpEc] = std::to_chars(Buf + Len, Buf + F64TextMax, AbsExp);
  (void)ExpEc;
  return ExpEnd - Buf;
}

std::string ffi::formatF64(double V) {
  char Buf[F64TextMax];
  return std::string(Buf, formatF64To(V, Buf));
}
