//===- tests/runtime/Support.h - Helpers for the runtime tests ---*- C++
//-*-===//

#ifndef SPL_TESTS_RUNTIME_SUPPORT_H
#define SPL_TESTS_RUNTIME_SUPPORT_H

#include "runtime/Runtime.h"
#include "runtime/spl_runtime.h"

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace spl::rt::test {

/// A new tagged string.
inline int64_t str(const std::string &S) {
  return rt_string_new(reinterpret_cast<const uint8_t *>(S.data()), S.size());
}

/// The bytes of a tagged string word (via the public ABI).
inline std::string text(int64_t W) {
  int64_t N = rt_string_len(W);
  if (N < 0)
    return "<not a string>";
  return std::string(rt_interp_cstr(W), static_cast<size_t>(N));
}

/// The word of a raw char* (8-aligned literal, as MIR string constants are).
inline int64_t lit(const char *P) {
  return static_cast<int64_t>(reinterpret_cast<uintptr_t>(P));
}

inline int64_t I(int64_t V) { return intWord(V); }

/// Prefix followed by N in decimal. (snprintf: GCC 12 warns falsely on
/// `"k" + std::to_string(N)`.)
inline std::string numbered(const char *Prefix, long N) {
  char Buf[64];
  std::snprintf(Buf, sizeof(Buf), "%s%ld", Prefix, N);
  return Buf;
}

/// Raw bytes of an object (tagged word), to check layouts.
template <typename T> T field(int64_t W, size_t Offset) {
  T V;
  std::memcpy(&V, reinterpret_cast<const char *>(heapPtrOfWord(W)) + Offset,
              sizeof(T));
  return V;
}

inline std::vector<std::string> strings(int64_t Array) {
  std::vector<std::string> Out;
  for (int64_t K = 0; K < rt_array_len(Array); ++K)
    Out.push_back(text(rt_array_get(Array, K)));
  return Out;
}

inline uint64_t bitsOf(double D) {
  uint64_t B;
  std::memcpy(&B, &D, sizeof(B));
  return B;
}
inline double doubleOf(uint64_t B) {
  double D;
  std::memcpy(&D, &B, sizeof(D));
  return D;
}

/// Runs F with a FailHandler that longjmps back here. Returns the failure
/// message, or "<no failure>".
std::string failureOf(void (*F)(void *), void *Arg);

template <typename Fn> std::string failureOf(Fn &&F) {
  return failureOf([](void *P) { (*static_cast<Fn *>(P))(); }, &F);
}

} // namespace spl::rt::test

/// 8-aligned string literals, as MIR string constants are.
#define SPL_LIT(Name, S) alignas(8) static const char Name[] = S

#endif // SPL_TESTS_RUNTIME_SUPPORT_H
