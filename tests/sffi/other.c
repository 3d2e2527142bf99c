/*===- tests/sffi/other.c - A library with one function --------------------===*
 *
 * libspl_other.so exports rt_other_present only: the tests use it for "the
 * library was found but the symbol is missing" (rt_other_missing).
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

int64_t rt_other_present(void) { return 42; }
