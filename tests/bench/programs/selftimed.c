/* The smoke test's self-timing twin: tiny's work, and instead of measuring
 * itself it writes a fixed time into argv[2] (the file bench_main.h's timer
 * writes), so the test can see that the harness takes a twin's own figure
 * over its process time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int64_t n = atoll(argv[1]), s = 0;
  for (int64_t i = 0; i < n; i = i + 1)
    s = s + i;
  printf("%lld\n", (long long)s);
  if (argc > 2) {
    FILE *f = fopen(argv[2], "w");
    if (f) {
      fputs("0 4242.5\n", f);
      fclose(f);
    }
  }
  return 0;
}
