/* C twin of sffi_call.json: one call of rt_bench_mix per iteration, into
 * libspl_bench.so as the JIT calls it (linked with -lspl_bench). */
#include "bench_main.h"

int64_t rt_bench_mix(int64_t acc, int64_t i);

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  int64_t acc = 0;
  for (int64_t i = 0; i < n; i = i + 1)
    acc = rt_bench_mix(acc, i);
  printf("%lld\n", (long long)acc);
  return 0;
}
