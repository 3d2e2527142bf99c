/* C twin of state_machine.json: a switch over 8 states driven by a small
 * LCG, a lexer-shaped dispatch loop. */
#include "bench_main.h"

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  int64_t x = 1, state = 0, acc = 0;
  for (int64_t i = 0; i < n; i = i + 1) {
    x = (x * 75 + 74) % 65537;
    int64_t c = x % 8;
    switch (state) {
    case 0: acc = acc + c; state = (c * 1 + 1) % 8; break;
    case 1: acc = acc - 1; state = (c * 3 + 2) % 8; break;
    case 2: acc = acc + c * 3; state = (c * 5 + 3) % 8; break;
    case 3: acc = (acc + 1000003) % 1000003; state = (c * 7 + 4) % 8; break;
    case 4: acc = acc + 7; state = (c * 1 + 5) % 8; break;
    case 5: acc = acc - c; state = (c * 3 + 6) % 8; break;
    case 6: acc = acc + x % 13; state = (c * 5 + 7) % 8; break;
    default: acc = acc + 2; state = (c * 7 + 0) % 8; break;
    }
  }
  printf("%lld\n", (long long)acc);
  return 0;
}
