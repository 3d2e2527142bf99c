//===- runtime/SafeRead.cpp - Is this memory readable? --------------------===//
//
// Arena memory answers from the chunk table. Anything else is probed once per
// 4 KiB page by asking the kernel to copy one byte of it into a pipe: write(2)
// fails with EFAULT instead of faulting. The raw syscall is used so sanitizer
// interceptors never touch the address. Pages found readable are remembered
// in a small per-thread cache (string literals are read again and again);
// a page unmapped later while still cached is the program's own dangling
// pointer.
//
//===----------------------------------------------------------------------===//

#include "runtime/Heap.h"
#include "runtime/Objects.h"
#include "runtime/Text.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/syscall.h>
#include <unistd.h>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

constexpr unsigned PageShift = 12;
constexpr uintptr_t PageSize = uintptr_t(1) << PageShift;
/// Above this no user mapping exists (57-bit addresses with 5-level paging).
constexpr uintptr_t MaxUserAddress = uintptr_t(1) << 57;

int ProbePipe[2] = {-1, -1};
std::once_flag ProbeOnce;

void openProbePipe() {
  if (pipe2(ProbePipe, O_CLOEXEC | O_NONBLOCK) != 0)
    ProbePipe[0] = ProbePipe[1] = -1;
}

bool osReadable(uintptr_t Addr) {
  if (Addr >= MaxUserAddress)
    return false;
  std::call_once(ProbeOnce, openProbePipe);
  if (ProbePipe[1] < 0)
    return false;
  for (int Attempt = 0; Attempt < 4; ++Attempt) {
    long R =
        syscall(SYS_write, ProbePipe[1], reinterpret_cast<void *>(Addr), 1);
    if (R == 1) {
      char Sink;
      // Some thread's byte is there: every reader wrote one first.
      syscall(SYS_read, ProbePipe[0], &Sink, 1);
      return true;
    }
    if (R < 0 && errno == EAGAIN) { // full: drain a little and retry
      char Sink[64];
      syscall(SYS_read, ProbePipe[0], Sink, sizeof(Sink));
      continue;
    }
    if (R < 0 && errno == EINTR)
      continue;
    return false;
  }
  return false;
}

bool pageReadable(uintptr_t Page) {
  thread_local uintptr_t Cache[64] = {};
  size_t Slot = static_cast<size_t>((Page * 0x9E3779B97F4A7C15ull) >> 58);
  if (Cache[Slot] == Page + 1)
    return true;
  if (!osReadable(Page << PageShift))
    return false;
  Cache[Slot] = Page + 1;
  return true;
}

/// True when byte A is readable; *End is the end of the unit (page or arena
/// chunk) known readable with it.
bool readableAt(uintptr_t A, uintptr_t *End) {
  if (heap::arenaReadable(A, End))
    return true;
  if (heap::inArena(A))
    return false; // reserved, never committed
  if (A < MinPointer || !pageReadable(A >> PageShift))
    return false;
  *End = (A | (PageSize - 1)) + 1;
  return true;
}

bool rawText(uintptr_t A, Text &T) {
  // The data pointer of one of our strings (rt_interp_cstr's result): its
  // length is known, embedded NULs included.
  if ((A & 7) == 0 && heap::inArena(A))
    if (auto *S = static_cast<StringObj *>(
            heap::lookup(A - sizeof(StringObj), heap::Kind::String))) {
      T.Data = S->data();
      T.Len = S->Len;
      return true;
    }
  size_t Len;
  if (!safeStrlen(reinterpret_cast<const char *>(A), SIZE_MAX, Len, nullptr))
    return false;
  T.Data = reinterpret_cast<const char *>(A);
  T.Len = Len;
  return true;
}

} // namespace

bool detail::safeStrlen(const char *P, size_t Max, size_t &Len,
                        bool *Truncated) {
  uintptr_t A = reinterpret_cast<uintptr_t>(P);
  size_t N = 0;
  if (Truncated)
    *Truncated = false;
  while (N < Max) {
    uintptr_t End;
    if (!readableAt(A, &End))
      return false;
    size_t Span = End - A;
    if (Span > Max - N)
      Span = Max - N;
    if (const void *Z =
            std::memchr(reinterpret_cast<const void *>(A), 0, Span)) {
      Len = N + static_cast<size_t>(static_cast<const char *>(Z) -
                                    reinterpret_cast<const char *>(A));
      return true;
    }
    N += Span;
    A += Span;
  }
  Len = Max;
  if (Truncated)
    *Truncated = true;
  return true;
}

size_t detail::readablePrefix(const void *P, size_t N) {
  uintptr_t A = reinterpret_cast<uintptr_t>(P);
  size_t Done = 0;
  while (Done < N) {
    uintptr_t End;
    if (!readableAt(A, &End))
      break;
    size_t Span = End - A;
    if (Span > N - Done)
      Span = N - Done;
    Done += Span;
    A += Span;
  }
  return Done;
}

bool detail::textOfWord(int64_t W, Text &T) {
  uint64_t U = static_cast<uint64_t>(W);
  if (U == 0) {
    T = Text();
    return true;
  }
  if (U < MinPointer)
    return false;
  if (tagOf(W) == TagHeap) {
    StringObj *S = asString(W);
    if (!S)
      return false;
    T.Data = S->data();
    T.Len = S->Len;
    return true;
  }
  if (tagOf(W) != TagInt)
    return false;
  return rawText(static_cast<uintptr_t>(U), T);
}

bool detail::textOfPtr(const void *P, Text &T) {
  uintptr_t U = reinterpret_cast<uintptr_t>(P);
  if (U == 0) {
    T = Text();
    return true;
  }
  if (U < MinPointer)
    return false;
  if (tagOf(static_cast<int64_t>(U)) == TagHeap)
    if (StringObj *S = asString(static_cast<int64_t>(U))) {
      T.Data = S->data();
      T.Len = S->Len;
      return true;
    }
  return rawText(U, T);
}
