/* What every C twin shares: n, the problem size, from argv[1] (spl-exec bench
 * passes programs.txt's full or --quick size, as it passes it to main(n) of
 * the MIR program), and its own timing: with a file name in argv[2], the time
 * from bench_n to the end of main is written there as "0 RUN_MS", so the twin
 * is timed like a MIR run (main alone). Process start-up is left out because
 * for a twin linking a big library it is not the program's work: loading
 * libtorch takes ~0.6 s before main, more than the torch_loop itself. */
#ifndef SPL_BENCH_MAIN_H
#define SPL_BENCH_MAIN_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *bench_times_file;
static struct timespec bench_t0;

static void bench_write_times(void) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (t1.tv_sec - bench_t0.tv_sec) * 1e3 +
              (t1.tv_nsec - bench_t0.tv_nsec) / 1e6;
  FILE *f = fopen(bench_times_file, "w");
  if (f) {
    fprintf(f, "0 %.6f\n", ms);
    fclose(f);
  }
}

static int64_t bench_n(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s N\n", argv[0]);
    exit(2);
  }
  if (argc > 2) {
    bench_times_file = argv[2];
    atexit(bench_write_times); /* runs after main returns: main's work only */
  }
  clock_gettime(CLOCK_MONOTONIC, &bench_t0);
  return atoll(argv[1]);
}
#endif
