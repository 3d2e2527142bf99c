//===- ffi/GlobalCells.cpp - The cells behind GlobalAddr -------------------===//
//
// Cells are allocated one by one and never move or die before the manager, so
// backends may embed their addresses in code. A mutex is enough: lookups
// happen at load time, not per execution of GlobalAddr.
//
//===----------------------------------------------------------------------===//

#include "ffi/FFI.h"

#include <unordered_map>

using namespace spl;

struct ffi::GlobalCells::Impl {
  std::mutex M;
  // Not DenseMap: any int64 symbol id is valid input, its sentinel keys too.
  std::unordered_map<int64_t, std::unique_ptr<uint64_t>> Cells;
};

ffi::GlobalCells::GlobalCells() : P(std::make_unique<Impl>()) {}
ffi::GlobalCells::~GlobalCells() = default;

uint64_t *ffi::GlobalCells::cell(int64_t Symbol) {
  std::lock_guard<std::mutex> L(P->M);
  std::unique_ptr<uint64_t> &C = P->Cells[Symbol];
  if (!C)
    C = std::make_unique<uint64_t>(0);
  return C.get();
}
