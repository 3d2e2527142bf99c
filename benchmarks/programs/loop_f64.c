/* C twin of loop_f64.json: n terms of the Leibniz series for pi/4, printed
 * as (int64_t)(sum * 1e12). */
#include "bench_main.h"

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  double sum = 0.0;
  double sign = 1.0;
  for (int64_t i = 0; i < n; i = i + 1) {
    double d = (double)i * 2.0 + 1.0;
    sum = sum + sign / d;
    sign = -sign;
  }
  printf("%lld\n", (long long)(int64_t)(sum * 1e12));
  return 0;
}
