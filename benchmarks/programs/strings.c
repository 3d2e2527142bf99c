/* C twin of strings.json: the same runtime calls from C (the twin links
 * spl-exec's runtime, libspl_runtime.a): each number rendered with
 * rt_raw_i64_to_string and appended with rt_strcat_tagged; every 16 numbers
 * the line is measured, searched and freed. */
#include "bench_main.h"

/* RUNTIME.md signatures (runtime/spl_runtime.h) */
int64_t rt_raw_i64_to_string(int64_t v);
int64_t rt_strcat_tagged(int64_t a, int64_t b);
int64_t rt_string_free(int64_t w);
int64_t rt_string_len(int64_t w);
int64_t rt_string_contains(int64_t s, int64_t needle);

/* String constants are 8-aligned words, as MIR's are (MIR.md). */
static const char Empty[8] __attribute__((aligned(8))) = "";
static const char Comma[8] __attribute__((aligned(8))) = ",";
static const char Needle[8] __attribute__((aligned(8))) = "77";

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  int64_t line = rt_strcat_tagged((int64_t)Empty, (int64_t)Empty);
  int64_t total = 0, hits = 0;
  for (int64_t i = 0; i < n; i = i + 1) {
    int64_t t = rt_raw_i64_to_string(i);
    int64_t piece = rt_strcat_tagged(t, (int64_t)Comma);
    int64_t nl = rt_strcat_tagged(line, piece);
    rt_string_free(t);
    rt_string_free(piece);
    rt_string_free(line);
    line = nl;
    if (i % 16 == 15) {
      total = total + rt_string_len(line);
      if (rt_string_contains(line, (int64_t)Needle) != 0)
        hits = hits + 1;
      rt_string_free(line);
      line = rt_strcat_tagged((int64_t)Empty, (int64_t)Empty);
    }
  }
  printf("len=%lld hits=%lld\n", (long long)total, (long long)hits);
  return 0;
}
