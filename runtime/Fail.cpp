//===- runtime/Fail.cpp - rt_panic and the failing intrinsics -------------===//
//
// These end the current execution through the hook the execution engine
// installs; they never exit: spl-exec is a library. Messages are formatted
// into a thread_local buffer because the handler longjmps and no destructor
// would run.
//
//===----------------------------------------------------------------------===//

#include "runtime/Fail.h"
#include "runtime/Objects.h"
#include "runtime/Runtime.h"
#include "runtime/Text.h"
#include "runtime/spl_runtime.h"

#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

std::atomic<FailHandler> Handler{nullptr};

constexpr size_t MessageMax = 4096;
thread_local char Message[MessageMax + 64];

/// A (pointer, length) longer than this is not a length: the one-argument
/// call left a stray register there.
constexpr uint64_t MaxPlausibleLen = uint64_t(1) << 20;

} // namespace

void spl::rt::setFailHandler(FailHandler H) {
  Handler.store(H, std::memory_order_release);
}

void detail::fail(const char *Msg) {
  if (FailHandler H = Handler.load(std::memory_order_acquire))
    H(Msg);
  // No engine (or a handler that returned): a plain C host's last resort.
  std::fputs(Msg, stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
  std::abort();
}

extern "C" {

/// Two arities share this symbol: (bytes, len) and (char*). A length of 0
/// with a non-null pointer, or an implausible length, means "NUL-terminated";
/// a tagged string handle is accepted too. Text is read only where readable
/// and cut at 4 KiB.
void rt_panic(const uint8_t *Msg, uint64_t Len) {
  static constexpr char Prefix[] = "panic: ";
  std::memcpy(Message, Prefix, sizeof(Prefix) - 1);
  size_t N = sizeof(Prefix) - 1;
  const char *Src = nullptr;
  size_t SrcLen = 0;
  StringObj *S =
      asString(static_cast<int64_t>(reinterpret_cast<uintptr_t>(Msg)));
  if (S) {
    Src = S->data();
    SrcLen = S->Len;
  } else if (reinterpret_cast<uintptr_t>(Msg) >= MinPointer) {
    Src = reinterpret_cast<const char *>(Msg);
    if (Len == 0 || Len > MaxPlausibleLen) {
      if (!safeStrlen(Src, MessageMax, SrcLen, nullptr))
        SrcLen = 0;
    } else {
      SrcLen = readablePrefix(Src, Len);
    }
  }
  if (SrcLen > MessageMax)
    SrcLen = MessageMax;
  if (SrcLen)
    std::memcpy(Message + N, Src, SrcLen);
  Message[N + SrcLen] = '\0';
  fail(Message);
}

int64_t __simple_intrinsic_bounds_check(int64_t Index, int64_t Len) {
  if (Index < 0 || Index >= Len) {
    std::snprintf(Message, sizeof(Message),
                  "index %" PRId64 " out of bounds for length %" PRId64, Index,
                  Len);
    fail(Message);
  }
  return 0;
}

int64_t __simple_intrinsic_unreachable(void) {
  fail("entered unreachable code");
}

int64_t __simple_intrinsic_trap(void) { fail("trap"); }

} // extern "C"
