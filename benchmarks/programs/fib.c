/* C twin of fib.json: naive recursive fib(41). */
#include <stdint.h>
#include <stdio.h>

int64_t fib(int64_t n) {
  if (n < 2)
    return n;
  return fib(n - 1) + fib(n - 2);
}

int main(void) {
  int64_t r = fib(41);
  printf("%lld\n", (long long)r);
  return 0;
}
