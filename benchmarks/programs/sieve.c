/* C twin of sieve.json: the primes below n, a sieve of Eratosthenes over
 * zeroed bytes (rt_alloc's memory is zeroed, as calloc's). */
#include "bench_main.h"

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  uint8_t *composite = calloc(n, 1);
  for (int64_t p = 2; p * p < n; p = p + 1)
    if (composite[p] == 0)
      for (int64_t j = p * p; j < n; j = j + p)
        composite[j] = 1;
  int64_t count = 0;
  for (int64_t i = 2; i < n; i = i + 1)
    if (composite[i] == 0)
      count = count + 1;
  printf("%lld\n", (long long)count);
  return 0;
}
