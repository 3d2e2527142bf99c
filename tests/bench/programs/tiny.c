/* The smoke test's benchmark: the sum of i for i < n. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int64_t n = atoll(argv[1]), s = 0;
  for (int64_t i = 0; i < n; i = i + 1)
    s = s + i;
  printf("%lld\n", (long long)s);
  return 0;
}
