/* C twin of loop_int.json: sum of (i * i) % 7 for i < n (n <= 94M keeps
 * i * i exact in a double, for the LuaJIT twin). */
#include "bench_main.h"

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  int64_t sum = 0;
  for (int64_t i = 0; i < n; i = i + 1)
    sum = sum + (i * i) % 7;
  printf("%lld\n", (long long)sum);
  return 0;
}
