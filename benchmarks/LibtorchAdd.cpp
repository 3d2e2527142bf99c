//===- benchmarks/LibtorchAdd.cpp - The torch loop written against ATen ---===//

#include "LibtorchAdd.h"

#include <ATen/ATen.h>

int64_t spl::bench::libtorchAddLoop(int64_t N) {
  // float64, as libspl_torch.so creates its tensors.
  at::Tensor A = at::ones({16}, at::kDouble);
  at::Tensor B = at::ones({16}, at::kDouble);
  int64_t Count = 0;
  for (int64_t I = 0; I < N; ++I) {
    at::Tensor T = at::add(A, B);
    Count += T.numel() == 16;
  } // T is released here, as the other loops free their result handle.
  return Count;
}
