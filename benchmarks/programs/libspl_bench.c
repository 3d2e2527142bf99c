/* libspl_bench.so: the trivial SFFI library of the sffi_call benchmark.
 * rt_bench_* lives in libspl_bench.so by the SFFI convention, so MIR calls
 * it by name with no declaration. */
#include <stdint.h>

__attribute__((visibility("default"))) int64_t rt_bench_mix(int64_t acc,
                                                            int64_t i) {
  return (acc * 31 + i) % 1000003;
}
