//===- tests/stress/StressSupport.h - Shared by the stress tests -*- C++ -*-===//
//
// The programs the stress tests run, their expected results worked out by
// formula, the iteration scale and the process's resident memory.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_STRESS_STRESSSUPPORT_H
#define SPL_TESTS_STRESS_STRESSSUPPORT_H

#include <cstdint>
#include <string>

namespace spl::stress {

/// The backends every stress test runs on.
inline const char *const Backends[] = {"interpreter", "llvm", "auto"};

/// SPL_STRESS_SCALE (a positive number, default 1) multiplies every count:
/// the sanitizer builds run fewer iterations (make test-asan sets 0.1). A
/// count never drops below Min, so each test still does what it says.
int scaled(int Count, int Min = 1);

/// Whether this binary is built with AddressSanitizer, whose quarantine and
/// shadow memory make resident memory meaningless as a leak signal (LSan
/// checks for leaks there instead).
bool underAddressSanitizer();

/// Resident memory of this process in KiB (/proc/self/statm), 0 if unknown.
uint64_t residentKiB();

/// A module of two functions: sq(x) = x*x and sum_sq(n) = sum of sq(i) for
/// i in [0, n), a loop with a call in it (so "auto" JIT-compiles it at its
/// first call).
std::string sumSquaresModule();
/// 0^2 + 1^2 + ... + (n-1)^2 = (n-1) n (2n-1) / 6.
int64_t sumSquares(int64_t N);

/// fn @Name(i64) -> i64: returns x + K.
std::string addConstFunction(const std::string &Name, int64_t K);
/// fn @Name() -> i64: returns K.
std::string constFunction(const std::string &Name, int64_t K);
/// fn @Name(i64) -> i64: returns 2 * Callee(x).
std::string twiceCallerFunction(const std::string &Name,
                                const std::string &Callee);

} // namespace spl::stress

#endif // SPL_TESTS_STRESS_STRESSSUPPORT_H
