//===- interp/ValueStack.cpp - Per-thread frames --------------------------===//
//
// Frames are carved from chunks that never move (a frame's address is baked
// into its callee's header); a call that does not fit moves on to the next
// chunk, which is kept for reuse once the deep call returns.
//
//===----------------------------------------------------------------------===//

#include "interp/Bytecode.h"

#include <algorithm>
#include <new>

namespace spl::interp {

/// 1 MiB of slots: deep enough for thousands of small frames.
static constexpr size_t ChunkSlots = size_t(1) << 17;

size_t frameBudgetSlots() {
  // The size of this thread's native stack (8 MiB when it cannot be known),
  // and never less than one chunk.
  thread_local size_t Budget = [] {
    size_t Bytes = ffi::nativeStack().Size;
    if (!Bytes)
      Bytes = size_t(8) << 20;
    return std::max(Bytes / 8, ChunkSlots);
  }();
  return Budget;
}

ValueStack &threadStack() {
  thread_local ValueStack S;
  return S;
}

uint64_t *growStack(ValueStack &S, uint64_t *&Limit, size_t Need,
                    const CompiledFunction *Fn, unsigned MaxDepth) {
  size_t Next = 0;
  if (Limit)
    for (size_t K = 0; K < S.Chunks.size(); ++K)
      if (S.Chunks[K].End == Limit) {
        Next = K + 1;
        break;
      }
  // Chunks after the current one hold no live frame: reuse or replace.
  if (Next < S.Chunks.size() &&
      size_t(S.Chunks[Next].End - S.Chunks[Next].Begin) >= Need) {
    Limit = S.Chunks[Next].End;
    return S.Chunks[Next].Begin;
  }
  size_t Slots = std::max(ChunkSlots, Need);
  // (guard) Frames are budgeted like a native stack, the one JIT code runs
  // on: a recursion with a big Alloc ends in the same stack-overflow error
  // on every backend instead of taking memory until the host runs out.
  size_t InUse = Slots;
  for (size_t K = 0; K < Next && K < S.Chunks.size(); ++K)
    InUse += size_t(S.Chunks[K].End - S.Chunks[K].Begin);
  if (InUse > frameBudgetSlots())
    trapStackOverflow(Fn, MaxDepth);
  uint64_t *Mem = new (std::nothrow) uint64_t[Slots];
  if (!Mem)
    trapStackOverflow(Fn, MaxDepth);
  ValueStack::Chunk C;
  C.Mem.reset(Mem);
  C.Begin = Mem;
  C.End = Mem + Slots;
  Limit = C.End;
  if (Next < S.Chunks.size())
    S.Chunks[Next] = std::move(C);
  else
    S.Chunks.push_back(std::move(C));
  return Mem;
}

} // namespace spl::interp
