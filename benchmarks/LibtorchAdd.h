//===- benchmarks/LibtorchAdd.h - The torch loop written against ATen -*- C++ -*-===//
//
// Declared without torch headers so torch_loop_bench's other files stay
// torch-free; defined in LibtorchAdd.cpp, the one file built with Torch's
// flags (only when CMake finds Torch).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_BENCHMARKS_LIBTORCHADD_H
#define SPL_BENCHMARKS_LIBTORCHADD_H

#include <cstdint>

namespace spl::bench {
/// N times: at::add of two 16-element float64 tensors of ones, result
/// released. Returns how many results had 16 elements (N when all went well).
int64_t libtorchAddLoop(int64_t N);
} // namespace spl::bench

#endif // SPL_BENCHMARKS_LIBTORCHADD_H
