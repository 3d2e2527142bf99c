/* The checks the C hosts of tests/capi/ share: each counts into Passed or
 * Failed and reports a failure with its file and line; a host ends with
 * "N passed, M failed" and exit status Failed != 0. One translation unit per
 * host, so the counters can be static here. */
#ifndef SPL_TESTS_CAPI_CHECK_H
#define SPL_TESTS_CAPI_CHECK_H

#include <stdio.h>
#include <string.h>

static int Passed, Failed;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++Passed;                                                                \
    } else {                                                                   \
      ++Failed;                                                                \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_STR(a, b)                                                        \
  do {                                                                         \
    const char *A_ = (a), *B_ = (b);                                           \
    if (A_ && B_ && strcmp(A_, B_) == 0) {                                     \
      ++Passed;                                                                \
    } else {                                                                   \
      ++Failed;                                                                \
      fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__,        \
              __LINE__, B_ ? B_ : "(null)", A_ ? A_ : "(null)");               \
    }                                                                          \
  } while (0)

#endif
