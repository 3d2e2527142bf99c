/* C twin of matmul.json: naive 200x200 f64 matrix multiply, c += a * b
 * repeated 100 times, then an integer checksum. Every value is a small
 * integer, so every sum is exact and independent of rounding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  int64_t n = 200;
  double *a = calloc(n * n * 8, 1);
  double *b = calloc(n * n * 8, 1);
  double *c = calloc(n * n * 8, 1);
  for (int64_t i = 0; i < n; i = i + 1)
    for (int64_t j = 0; j < n; j = j + 1) {
      a[i * n + j] = (double)((i + j) % 7 - 3);
      b[i * n + j] = (double)((i * j) % 5 - 2);
    }
  for (int64_t r = 0; r < 100; r = r + 1)
    for (int64_t i = 0; i < n; i = i + 1)
      for (int64_t j = 0; j < n; j = j + 1) {
        double s = c[i * n + j];
        for (int64_t k = 0; k < n; k = k + 1)
          s = s + a[i * n + k] * b[k * n + j];
        c[i * n + j] = s;
      }
  double total = 0.0;
  int64_t nn = n * n;
  for (int64_t i = 0; i < nn; i = i + 1)
    total = total + c[i] * (double)(i % 13 + 1);
  free(a);
  free(b);
  free(c);
  printf("%lld\n", (long long)(int64_t)total);
  return 0;
}
