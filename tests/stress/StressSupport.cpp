//===- tests/stress/StressSupport.cpp - Shared by the stress tests --------===//
#include "StressSupport.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace spl::stress {

int scaled(int Count, int Min) {
  double Scale = 1.0;
  if (const char *S = std::getenv("SPL_STRESS_SCALE")) {
    char *End = nullptr;
    double V = std::strtod(S, &End);
    if (End != S && V > 0 && std::isfinite(V))
      Scale = V;
  }
  double N = std::ceil(Count * Scale);
  if (N < Min)
    return Min;
  return N > 1e9 ? 1000000000 : int(N);
}

bool underAddressSanitizer() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

uint64_t residentKiB() {
  std::FILE *F = std::fopen("/proc/self/statm", "r");
  if (!F)
    return 0;
  unsigned long long Size = 0, Resident = 0;
  int Got = std::fscanf(F, "%llu %llu", &Size, &Resident);
  std::fclose(F);
  if (Got != 2)
    return 0;
  return Resident * uint64_t(sysconf(_SC_PAGESIZE)) / 1024;
}

std::string sumSquaresModule() {
  return R"(module "stress"

fn @sq(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop mul copy _1, copy _1
  return
}

fn @sum_sq(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 i: i64 var
  let _3: bool temp
  let _4: i64 temp
bb0:
  _0 = const i64 0
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop lt copy _2, copy _1
  if copy _3 then bb2 else bb3
bb2:
  _4 = call @sq(copy _2) : fn(i64) -> i64
  _0 = binop add copy _0, copy _4
  _2 = binop add copy _2, const i64 1
  goto bb1
bb3:
  return
}
)";
}

int64_t sumSquares(int64_t N) {
  return N <= 0 ? 0 : (N - 1) * N * (2 * N - 1) / 6;
}

std::string addConstFunction(const std::string &Name, int64_t K) {
  return "fn @" + Name +
         "(i64) -> i64 {\n"
         "  let _0: i64 return\n"
         "  let _1: i64 arg 0\n"
         "bb0:\n"
         "  _0 = binop add copy _1, const i64 " +
         std::to_string(K) +
         "\n"
         "  return\n"
         "}\n";
}

std::string constFunction(const std::string &Name, int64_t K) {
  return "fn @" + Name +
         "() -> i64 {\n"
         "  let _0: i64 return\n"
         "bb0:\n"
         "  _0 = const i64 " +
         std::to_string(K) +
         "\n"
         "  return\n"
         "}\n";
}

std::string twiceCallerFunction(const std::string &Name,
                                const std::string &Callee) {
  return "fn @" + Name +
         "(i64) -> i64 {\n"
         "  let _0: i64 return\n"
         "  let _1: i64 arg 0\n"
         "  let _2: i64 temp\n"
         "bb0:\n"
         "  _2 = call @" +
         Callee +
         "(copy _1) : fn(i64) -> i64\n"
         "  _0 = binop mul copy _2, const i64 2\n"
         "  return\n"
         "}\n";
}

} // namespace spl::stress
