/* C twin of mandelbrot.json: points of an n x n grid over [-1.5, 0.5] x
 * [-1, 1] that stay bounded for 50 iterations. */
#include "bench_main.h"

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  double nf = (double)n;
  int64_t inside = 0;
  for (int64_t y = 0; y < n; y = y + 1) {
    double ci = 2.0 * (double)y / nf - 1.0;
    for (int64_t x = 0; x < n; x = x + 1) {
      double cr = 2.0 * (double)x / nf - 1.5;
      double zr = 0.0, zi = 0.0;
      int64_t it = 0;
      for (;;) {
        if (!(it < 50)) {
          inside = inside + 1;
          break;
        }
        double zr2 = zr * zr, zi2 = zi * zi;
        if (zr2 + zi2 > 4.0)
          break;
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        it = it + 1;
      }
    }
  }
  printf("%lld\n", (long long)inside);
  return 0;
}
