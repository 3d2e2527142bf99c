/* C twin of interp_loop.json: sum of (i * i) % 7 for i < 100,000,000. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 100000000;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int64_t sum = 0;
  for (int64_t i = 0; i < n; i = i + 1)
    sum = sum + (i * i) % 7;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%lld %.3f ms\n", (long long)sum,
         (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
  return 0;
}
