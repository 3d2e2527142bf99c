/* C twin of sieve.json: count the primes below 40,000,000 with a sieve of
 * Eratosthenes over zeroed bytes (rt_alloc is calloc(size, 1)). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  int64_t n = 40000000;
  uint8_t *composite = calloc(n, 1);
  for (int64_t i = 2; i * i < n; i = i + 1)
    if (composite[i] == 0)
      for (int64_t j = i * i; j < n; j = j + i)
        composite[j] = 1;
  int64_t count = 0;
  for (int64_t i = 2; i < n; i = i + 1)
    if (composite[i] == 0)
      count = count + 1;
  free(composite);
  printf("%lld\n", (long long)count);
  return 0;
}
