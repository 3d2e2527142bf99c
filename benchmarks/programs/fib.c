/* C twin of fib.json: naive recursive fib(n). */
#include "bench_main.h"

int64_t fib(int64_t n) {
  if (n < 2)
    return n;
  return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
  printf("%lld\n", (long long)fib(bench_n(argc, argv)));
  return 0;
}
