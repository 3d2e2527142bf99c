/* C twin of loop_int.json: sum of (i * i) % 7 for i < 250,000,000
 * (i * i < 6.3e16 fits int64_t). */
#include <stdint.h>
#include <stdio.h>

int main(void) {
  int64_t sum = 0;
  for (int64_t i = 0; i < 250000000; i = i + 1)
    sum = sum + (i * i) % 7;
  printf("%lld\n", (long long)sum);
  return 0;
}
