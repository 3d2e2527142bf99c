//===- runtime/Memory.cpp - rt_alloc / rt_free and isRuntimeObject --------===//
//
// rt_alloc blocks (struct and tuple Aggregates) come from the registry too, so
// rt_free can refuse what rt_alloc never returned, or returned and already
// took back, instead of handing it to free() and crashing.
//
//===----------------------------------------------------------------------===//

#include "runtime/Objects.h"
#include "runtime/Runtime.h"
#include "runtime/spl_runtime.h"

using namespace spl::rt;
using namespace spl::rt::detail;

bool spl::rt::isRuntimeObject(int64_t W) {
  uintptr_t P = static_cast<uintptr_t>(W);
  if (tagOf(W) == TagHeap)
    --P;
  else if (tagOf(W) != TagInt)
    return false;
  return heap::kindAt(P) != 0;
}

extern "C" {

/// Zeroed, 16-byte aligned memory; size 0 still gives a distinct block (as
/// if 1 byte), a negative size null.
void *rt_alloc(int64_t Size) {
  if (Size < 0)
    return nullptr;
  return heap::allocate(heap::Kind::Raw,
                        Size == 0 ? 1 : static_cast<size_t>(Size));
}

/// Frees a live rt_alloc block; anything else (null, a foreign pointer, a
/// second free, another runtime object) is ignored.
void rt_free(void *P) {
  if (heap::retire(P, heap::Kind::Raw))
    heap::release(P);
}

} // extern "C"
