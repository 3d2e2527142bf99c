/* C twin of boxed_array.json: a runtime array of boxed ints (v << 3) through
 * the same runtime calls (the twin links libspl_runtime.a): n pushes, then 4
 * passes of get, decode (>> 3), set. */
#include "bench_main.h"

/* RUNTIME.md signatures (runtime/spl_runtime.h) */
int64_t rt_array_new(int64_t cap);
int8_t rt_array_push(int64_t a, int64_t w);
int64_t rt_array_len(int64_t a);
int64_t rt_array_get(int64_t a, int64_t i);
void rt_array_set(int64_t a, int64_t i, int64_t w);

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  int64_t a = rt_array_new(0);
  for (int64_t i = 0; i < n; i = i + 1)
    rt_array_push(a, ((i * 7) % 1000) << 3);
  int64_t len = rt_array_len(a);
  int64_t total = 0;
  for (int64_t r = 0; r < 4; r = r + 1)
    for (int64_t i = 0; i < len; i = i + 1) {
      int64_t v = rt_array_get(a, i) >> 3;
      total = total + v;
      rt_array_set(a, i, ((v + 1) % 1000) << 3);
    }
  printf("len=%lld total=%lld\n", (long long)len, (long long)total);
  return 0;
}
