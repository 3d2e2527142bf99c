//===- runtime/Heap.h - The object registry: a slab arena -------*- C++ -*-===//
//
// Every object the runtime makes lives in one virtual address range reserved
// at first use, so "is this word ours?" needs no lock and no set:
//
//   1. range check: the address lies in the arena;
//   2. chunk check: the arena is cut into 1 MiB chunks, each dedicated to one
//      power-of-two slot size (32 B .. 512 KiB) or to one large object; the
//      chunk's one-byte meta (an atomic array) gives the slot size, so the
//      address must sit exactly at an object start (slot + 16): interior
//      pointers are refused with a mask, no division;
//   3. guard check: the 8 bytes before the object's 16-byte prefix hold
//      LiveMagic | kind, written last (release) when the object is made and
//      changed by a CAS when it is freed. So a freed slot, a slot of another
//      kind, or a double free are all refused.
//
// A lookup is a few loads and compares. Chunks are committed (mprotect RW)
// when first used and never given back to the OS as unmapped, so any address
// of a committed chunk is readable; that lets the text functions read raw
// char* pointers into the arena (string data) without probing.
//
//===----------------------------------------------------------------------===//

#ifndef SPL_RUNTIME_HEAP_H
#define SPL_RUNTIME_HEAP_H

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace spl::rt::heap {

enum class Kind : uint8_t {
  String = 1,
  Array,
  Enum,
  Closure,
  Dict,
  Float,
  WideInt,
  UInt,
  Raw, // rt_alloc blocks
};

inline constexpr unsigned ChunkShift = 20;
inline constexpr size_t ChunkSize = size_t(1) << ChunkShift;
inline constexpr unsigned MinSlotShift = 5;  // 32 B
inline constexpr unsigned MaxSlotShift = 19; // 512 KiB
/// Meta values: 0 not committed, MinSlotShift..MaxSlotShift slot size,
/// LargeHead one object at the chunk start, LargeTail the rest of its run,
/// FreeCommitted a freed large run (still readable, zero).
inline constexpr uint8_t LargeHead = ChunkShift;
inline constexpr uint8_t LargeTail = 0xFE;
inline constexpr uint8_t FreeCommitted = 0xFF;
inline constexpr size_t MaxChunks = size_t(1) << 16; // 64 GiB of addresses
inline constexpr size_t PrefixBytes = 16;            // guard + size/link
inline constexpr uint64_t LiveMagic = 0x53504C5254560000ull; // "SPLRTV"

struct Arena {
  std::atomic<uintptr_t> Base{0};
  std::atomic<uintptr_t> Bytes{0}; // reserved bytes, a multiple of ChunkSize
  std::atomic<uint8_t> Meta[MaxChunks] = {};
};
extern Arena TheArena;

/// The object at P (untagged address) when P is exactly the start of a live
/// object of kind K, else nullptr.
inline void *lookup(uintptr_t P, Kind K) {
  uintptr_t Off =
      P - TheArena.Base.load(std::memory_order_relaxed) - PrefixBytes;
  if (Off >= TheArena.Bytes.load(std::memory_order_acquire))
    return nullptr;
  uint8_t M = TheArena.Meta[Off >> ChunkShift].load(std::memory_order_acquire);
  if (M < MinSlotShift || M > LargeHead)
    return nullptr;
  if (Off & ((uintptr_t(1) << M) - 1))
    return nullptr;
  uint64_t &G = *reinterpret_cast<uint64_t *>(P - PrefixBytes);
  if (std::atomic_ref<uint64_t>(G).load(std::memory_order_acquire) !=
      (LiveMagic | static_cast<uint64_t>(K)))
    return nullptr;
  return reinterpret_cast<void *>(P);
}

/// The kind of the live object starting at P, or 0.
uint8_t kindAt(uintptr_t P);

/// True when [P, P+1) lies in a committed chunk of the arena (readable).
/// *End is set to the end of that chunk.
bool arenaReadable(uintptr_t P, uintptr_t *End);
bool inArena(uintptr_t P);

/// Zeroed, 16-byte aligned, registered storage of Bytes bytes, or nullptr.
void *allocate(Kind K, size_t Bytes);
/// First half of a free: atomically marks the live object at P of kind K as
/// dying. False (nothing happens) for anything else: a foreign pointer, a
/// double free, another kind. Only the winner may then release.
bool retire(void *P, Kind K);
/// Second half: returns the slot of a retired object for reuse.
void release(void *P);

/// Number of live objects (for tests).
size_t liveObjects();

} // namespace spl::rt::heap

#endif // SPL_RUNTIME_HEAP_H
