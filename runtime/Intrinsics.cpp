//===- runtime/Intrinsics.cpp - __simple_intrinsic_* fallbacks ------------===//
//
// What an `Intrinsic` the engine does not implement itself calls (MIR.md:
// every argument as I64). The failing ones are in Fail.cpp.
//
//===----------------------------------------------------------------------===//

#include "runtime/spl_runtime.h"

#include <cstring>

extern "C" {

int64_t __simple_intrinsic_assume(int64_t Cond) { return Cond; }
int64_t __simple_intrinsic_likely(int64_t Cond) { return Cond; }
int64_t __simple_intrinsic_unlikely(int64_t Cond) { return Cond; }
int64_t __simple_intrinsic_prefetch(void *) { return 0; }

/// N <= 0 or a null pointer does nothing; returns 0 as upstream.
int64_t __simple_intrinsic_memcpy(void *Dst, const void *Src, int64_t N) {
  if (Dst && Src && N > 0)
    std::memmove(Dst, Src, static_cast<size_t>(N));
  return 0;
}

int64_t __simple_intrinsic_memset(void *Dst, int64_t Val, int64_t N) {
  if (Dst && N > 0)
    std::memset(Dst, static_cast<int>(Val & 0xFF), static_cast<size_t>(N));
  return 0;
}

/// Integer power, wrapping on overflow; a negative exponent gives 0 (as
/// upstream; MIR's Pow instruction raises its own error instead).
int64_t __simple_pow(int64_t Base, int64_t Exp) {
  if (Exp < 0)
    return 0;
  uint64_t B = static_cast<uint64_t>(Base), R = 1;
  for (uint64_t E = static_cast<uint64_t>(Exp); E; E >>= 1) {
    if (E & 1)
      R *= B;
    B *= B;
  }
  return static_cast<int64_t>(R);
}

} // extern "C"
