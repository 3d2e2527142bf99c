/* C twin of interp_fib30.json: naive recursive fib(30), timed in-process
 * (the run is too short for process start-up to be negligible). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int64_t fib(int64_t n) {
  if (n < 2)
    return n;
  return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 30;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int64_t r = fib(n);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%lld %.3f ms\n", (long long)r,
         (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
  return 0;
}
