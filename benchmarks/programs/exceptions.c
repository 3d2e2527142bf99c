/* C twin of exceptions.json: every 8th call fails two frames down. C has no
 * exceptions; the twin does what a C programmer writes instead (an error
 * flag returned through each frame), which is also what the MIR backends
 * must do to unwind. */
#include "bench_main.h"

static int check(int64_t i, int64_t *out, int64_t *payload) {
  if (i % 8 == 0) {
    *payload = i;
    return 1;
  }
  *out = i * 3;
  return 0;
}

static int mid(int64_t i, int64_t *out, int64_t *payload) {
  int64_t r;
  if (check(i, &r, payload))
    return 1;
  *out = r + 1;
  return 0;
}

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  int64_t total = 0, caught = 0;
  for (int64_t i = 0; i < n; i = i + 1) {
    int64_t r, payload;
    if (mid(i, &r, &payload))
      caught = caught + payload % 1000;
    else
      total = (total + r) % 1000000007;
  }
  printf("total=%lld caught=%lld\n", (long long)total, (long long)caught);
  return 0;
}
