/* C twin of matmul.json: naive n x n f64 matrix multiply (a dot product per
 * element, i-j-k order), then a weighted checksum. Every value is a small
 * integer, so every sum is exact whatever the rounding. */
#include "bench_main.h"

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  int64_t nn = n * n;
  double *a = calloc(nn * 8, 1);
  double *b = calloc(nn * 8, 1);
  double *c = calloc(nn * 8, 1);
  for (int64_t i = 0; i < n; i = i + 1)
    for (int64_t j = 0; j < n; j = j + 1) {
      a[i * n + j] = (double)((i + j) % 7 - 3);
      b[i * n + j] = (double)((i * j) % 5 - 2);
    }
  for (int64_t i = 0; i < n; i = i + 1)
    for (int64_t j = 0; j < n; j = j + 1) {
      double s = 0.0;
      for (int64_t k = 0; k < n; k = k + 1)
        s = s + a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
  double total = 0.0;
  for (int64_t q = 0; q < nn; q = q + 1)
    total = total + c[q] * (double)(q % 13 + 1);
  printf("%lld\n", (long long)(int64_t)total);
  return 0;
}
