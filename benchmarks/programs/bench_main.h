/* What every C twin shares: n, the problem size, from argv[1] (spl-exec bench
 * passes programs.txt's full or --quick size, as it passes it to main(n) of
 * the MIR program). */
#ifndef SPL_BENCH_MAIN_H
#define SPL_BENCH_MAIN_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t bench_n(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s N\n", argv[0]);
    exit(2);
  }
  return atoll(argv[1]);
}
#endif
