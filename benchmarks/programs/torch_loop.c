/* C twin of torch_loop.json: add two 16-element tensors and free the result,
 * n times, through libspl_torch.so's C ABI (linked with -lspl_torch). */
#include "bench_main.h"

int64_t rt_torch_tensor_ones(const int64_t *dims, int64_t ndim);
int64_t rt_torch_torchtensor_add(int64_t a, int64_t b);
int64_t rt_torch_torchtensor_numel(int64_t t);
void rt_torch_torchtensor_free(int64_t t);

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  int64_t dims[1] = {16};
  int64_t a = rt_torch_tensor_ones(dims, 1);
  int64_t b = rt_torch_tensor_ones(dims, 1);
  int64_t count = 0;
  for (int64_t i = 0; i < n; i = i + 1) {
    int64_t t = rt_torch_torchtensor_add(a, b);
    count = count + rt_torch_torchtensor_numel(t);
    rt_torch_torchtensor_free(t);
  }
  printf("%lld\n", (long long)count);
  return 0;
}
