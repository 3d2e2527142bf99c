/* C twin of loop_f64.json: 150,000,000 terms of the Leibniz series for pi/4,
 * printed as the integer checksum (int64_t)(sum * 1e12). */
#include <stdint.h>
#include <stdio.h>

int main(void) {
  double sum = 0.0;
  double sign = 1.0;
  for (int64_t i = 0; i < 150000000; i = i + 1) {
    double d = (double)i * 2.0 + 1.0;
    sum = sum + sign / d;
    sign = -sign;
  }
  int64_t checksum = (int64_t)(sum * 1000000000000.0);
  printf("%lld\n", (long long)checksum);
  return 0;
}
