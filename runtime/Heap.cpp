//===- runtime/Heap.cpp - The object registry: a slab arena ---------------===//
//
// Allocation side of Heap.h. Small objects come from per-size-class free
// lists and bump pointers, each class under its own mutex (allocation may
// lock; lookups never do). Large objects take a run of whole chunks.
//
//===----------------------------------------------------------------------===//

#include "runtime/Heap.h"

#include <bit>
#include <cstring>
#include <mutex>
#include <new>
#include <sys/mman.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define SPL_RT_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define SPL_RT_LSAN 1
#endif
#endif
#ifdef SPL_RT_LSAN
#include <sanitizer/lsan_interface.h>
#endif

using namespace spl::rt;
using namespace spl::rt::heap;

Arena heap::TheArena;

namespace {

constexpr uint64_t DyingMagic = 0x5350'4C52'5444'0000ull; // "SPLRTD"

struct Prefix {
  uint64_t Guard;
  uint64_t Word; // requested bytes while live; free-list link while free
};
static_assert(sizeof(Prefix) == PrefixBytes);

struct SizeClass {
  std::mutex M;
  uintptr_t FreeList = 0; // slot addresses, linked through Prefix::Word
  uintptr_t Bump = 0, BumpEnd = 0;
};

struct Run {
  size_t First, Count;
};

struct Allocator {
  SizeClass Classes[MaxSlotShift + 1];
  std::mutex ChunkMutex;
  size_t NextChunk = 0;
  std::vector<Run> FreeRuns;
  std::atomic<size_t> Live{0};
};

Allocator &allocator() {
  // Never destroyed: objects may be used from atexit handlers and other
  // threads until the process ends.
  static Allocator *A = new Allocator;
  return *A;
}

std::once_flag ReserveOnce;

/// Reserves the address range: PROT_NONE, no swap reserved, so it costs
/// nothing until chunks are committed. Falls back to smaller sizes where
/// address space is limited (ulimit -v).
void reserve() {
  for (size_t Chunks = MaxChunks; Chunks >= 64; Chunks /= 4) {
    void *P = mmap(nullptr, Chunks * ChunkSize, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (P == MAP_FAILED)
      continue;
#ifdef SPL_RT_LSAN
    // LeakSanitizer does not scan mmap'd memory: the malloc'd buffers that
    // live objects point to (array items, dict entries) would all look
    // leaked. It scans the readable (committed) chunks of a root region.
    __lsan_register_root_region(P, Chunks * ChunkSize);
#endif
    TheArena.Base.store(reinterpret_cast<uintptr_t>(P),
                        std::memory_order_relaxed);
    TheArena.Bytes.store(Chunks * ChunkSize, std::memory_order_release);
    return;
  }
}

uintptr_t chunkAddr(size_t Index) {
  return TheArena.Base.load(std::memory_order_relaxed) + Index * ChunkSize;
}

/// Takes Count contiguous chunks (ChunkMutex held): a freed run first (still
/// committed), else fresh ones, committed here. Returns the first index or
/// SIZE_MAX.
size_t takeChunks(Allocator &A, size_t Count) {
  for (size_t I = 0; I < A.FreeRuns.size(); ++I) {
    Run &R = A.FreeRuns[I];
    if (R.Count < Count)
      continue;
    size_t First = R.First;
    R.First += Count;
    R.Count -= Count;
    if (R.Count == 0)
      A.FreeRuns.erase(A.FreeRuns.begin() + static_cast<ptrdiff_t>(I));
    return First;
  }
  size_t Total = TheArena.Bytes.load(std::memory_order_relaxed) / ChunkSize;
  if (Count > Total - A.NextChunk)
    return SIZE_MAX;
  size_t First = A.NextChunk;
  if (mprotect(reinterpret_cast<void *>(chunkAddr(First)), Count * ChunkSize,
               PROT_READ | PROT_WRITE) != 0)
    return SIZE_MAX;
  A.NextChunk += Count;
  return First;
}

void *finish(uintptr_t Slot, Kind K, size_t Bytes) {
  auto *P = reinterpret_cast<Prefix *>(Slot);
  P->Word = Bytes;
  std::atomic_ref<uint64_t>(P->Guard).store(LiveMagic | uint64_t(K),
                                            std::memory_order_release);
  allocator().Live.fetch_add(1, std::memory_order_relaxed);
  return reinterpret_cast<void *>(Slot + PrefixBytes);
}

void *allocateSmall(Allocator &A, unsigned Shift, Kind K, size_t Bytes) {
  SizeClass &C = A.Classes[Shift];
  size_t SlotSize = size_t(1) << Shift;
  uintptr_t Slot;
  {
    std::lock_guard<std::mutex> L(C.M);
    if (C.FreeList) {
      Slot = C.FreeList;
      C.FreeList = reinterpret_cast<Prefix *>(Slot)->Word;
    } else {
      if (C.Bump == C.BumpEnd) {
        size_t Index;
        {
          std::lock_guard<std::mutex> LC(A.ChunkMutex);
          Index = takeChunks(A, 1);
        }
        if (Index == SIZE_MAX)
          return nullptr;
        C.Bump = chunkAddr(Index);
        C.BumpEnd = C.Bump + ChunkSize;
        // A reused large run holds zeroes already (MADV_DONTNEED).
        TheArena.Meta[Index].store(static_cast<uint8_t>(Shift),
                                   std::memory_order_release);
      }
      Slot = C.Bump;
      C.Bump += SlotSize;
    }
  }
  // Freed slots keep old contents; fresh ones are zero, clearing is cheap.
  std::memset(reinterpret_cast<void *>(Slot + PrefixBytes), 0, Bytes);
  return finish(Slot, K, Bytes);
}

void *allocateLarge(Allocator &A, Kind K, size_t Bytes) {
  size_t Count = (Bytes + PrefixBytes + ChunkSize - 1) / ChunkSize;
  size_t First;
  {
    std::lock_guard<std::mutex> L(A.ChunkMutex);
    First = takeChunks(A, Count);
    if (First == SIZE_MAX)
      return nullptr;
    for (size_t I = 1; I < Count; ++I)
      TheArena.Meta[First + I].store(LargeTail, std::memory_order_relaxed);
    TheArena.Meta[First].store(LargeHead, std::memory_order_release);
  }
  return finish(chunkAddr(First), K, Bytes);
}

} // namespace

void *heap::allocate(Kind K, size_t Bytes) {
  std::call_once(ReserveOnce, reserve);
  if (TheArena.Bytes.load(std::memory_order_acquire) == 0)
    return nullptr;
  if (Bytes > (size_t(1) << 40))
    return nullptr;
  size_t Total = Bytes + PrefixBytes;
  Allocator &A = allocator();
  if (Total <= (size_t(1) << MaxSlotShift)) {
    unsigned Shift = static_cast<unsigned>(std::bit_width(Total - 1));
    if (Shift < MinSlotShift)
      Shift = MinSlotShift;
    return allocateSmall(A, Shift, K, Bytes);
  }
  return allocateLarge(A, K, Bytes);
}

bool heap::retire(void *P, Kind K) {
  if (!lookup(reinterpret_cast<uintptr_t>(P), K))
    return false;
  uint64_t &G = *reinterpret_cast<uint64_t *>(reinterpret_cast<uintptr_t>(P) -
                                              PrefixBytes);
  uint64_t Expected = LiveMagic | uint64_t(K);
  return std::atomic_ref<uint64_t>(G).compare_exchange_strong(
      Expected, DyingMagic, std::memory_order_acq_rel);
}

void heap::release(void *P) {
  uintptr_t Slot = reinterpret_cast<uintptr_t>(P) - PrefixBytes;
  uintptr_t Off = Slot - TheArena.Base.load(std::memory_order_relaxed);
  size_t Index = Off >> ChunkShift;
  uint8_t M = TheArena.Meta[Index].load(std::memory_order_acquire);
  Allocator &A = allocator();
  A.Live.fetch_sub(1, std::memory_order_relaxed);
  if (M != LargeHead) {
    SizeClass &C = A.Classes[M];
    std::lock_guard<std::mutex> L(C.M);
    reinterpret_cast<Prefix *>(Slot)->Word = C.FreeList;
    C.FreeList = Slot;
    return;
  }
  auto *Pre = reinterpret_cast<Prefix *>(Slot);
  size_t Count = (Pre->Word + PrefixBytes + ChunkSize - 1) / ChunkSize;
  std::lock_guard<std::mutex> L(A.ChunkMutex);
  for (size_t I = 0; I < Count; ++I)
    TheArena.Meta[Index + I].store(FreeCommitted, std::memory_order_release);
  // Give the pages back but keep them mapped, so stale readers still read
  // (zeroes) instead of faulting.
  madvise(reinterpret_cast<void *>(Slot), Count * ChunkSize, MADV_DONTNEED);
  try {
    A.FreeRuns.push_back({Index, Count});
  } catch (...) {
    // Out of memory for the list: the run stays unused, nothing breaks.
  }
}

uint8_t heap::kindAt(uintptr_t P) {
  // lookup() with any kind: the same checks, then the magic without the kind.
  uintptr_t Off =
      P - TheArena.Base.load(std::memory_order_relaxed) - PrefixBytes;
  if (Off >= TheArena.Bytes.load(std::memory_order_acquire))
    return 0;
  uint8_t M = TheArena.Meta[Off >> ChunkShift].load(std::memory_order_acquire);
  if (M < MinSlotShift || M > LargeHead || (Off & ((uintptr_t(1) << M) - 1)))
    return 0;
  uint64_t &G = *reinterpret_cast<uint64_t *>(P - PrefixBytes);
  uint64_t V = std::atomic_ref<uint64_t>(G).load(std::memory_order_acquire);
  uint64_t K = V & 0xFF;
  if ((V & ~uint64_t(0xFF)) != LiveMagic || K == 0 ||
      K > static_cast<uint64_t>(Kind::Raw))
    return 0;
  return static_cast<uint8_t>(K);
}

bool heap::inArena(uintptr_t P) {
  uintptr_t Off = P - TheArena.Base.load(std::memory_order_relaxed);
  return Off < TheArena.Bytes.load(std::memory_order_acquire);
}

bool heap::arenaReadable(uintptr_t P, uintptr_t *End) {
  uintptr_t Base = TheArena.Base.load(std::memory_order_relaxed);
  uintptr_t Off = P - Base;
  if (Off >= TheArena.Bytes.load(std::memory_order_acquire))
    return false;
  size_t Index = Off >> ChunkShift;
  if (TheArena.Meta[Index].load(std::memory_order_acquire) == 0)
    return false;
  *End = Base + (Index + 1) * ChunkSize;
  return true;
}

size_t heap::liveObjects() {
  return allocator().Live.load(std::memory_order_relaxed);
}
