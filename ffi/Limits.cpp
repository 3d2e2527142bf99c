//===- ffi/Limits.cpp - Interrupts, time budgets and the watchdog ---------===//
//
// The poll protocol of FFI.h "Interrupts and time budgets". Polls are cheap
// because they only read one word; everything that needs thought (which call
// the raise was for, clearing a raise nobody needs) happens here, in the
// slow path, which runs only after a raise.
//
// The watchdog is one thread per manager, made when the manager's first call
// with a time limit starts. It sleeps on a condition variable until the
// earliest deadline of the calls running, then raises the flag; while a call
// whose deadline passed is still registered it raises again every
// millisecond, so a raise that a slow path cleared (racing with the deadline)
// is never lost for long.
//
//===----------------------------------------------------------------------===//

#include "ffi/FFI.h"

#include <chrono>
#include <condition_variable>
#include <set>
#include <string>
#include <thread>

using namespace spl;
using namespace spl::ffi;

namespace {

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The innermost call scope of this thread (of any manager).
thread_local CallScope *InnermostScope = nullptr;

} // namespace

struct CallLimits::Watchdog {
  explicit Watchdog(CallLimits &L) : L(L), T([this] { run(); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> G(Mu);
      Stop = true;
    }
    CV.notify_all();
    T.join();
  }

  void add(int64_t Deadline) {
    {
      std::lock_guard<std::mutex> G(Mu);
      Deadlines.insert(Deadline);
    }
    CV.notify_all();
  }
  void remove(int64_t Deadline) {
    std::lock_guard<std::mutex> G(Mu);
    auto It = Deadlines.find(Deadline);
    if (It != Deadlines.end())
      Deadlines.erase(It);
  }

private:
  void run() {
    std::unique_lock<std::mutex> G(Mu);
    while (!Stop) {
      if (Deadlines.empty()) {
        CV.wait(G);
        continue;
      }
      int64_t Next = *Deadlines.begin(), Now = nowNs();
      if (Now >= Next) {
        L.Flag.store(1, std::memory_order_release);
        CV.wait_for(G, std::chrono::milliseconds(1));
        continue;
      }
      CV.wait_for(G, std::chrono::nanoseconds(Next - Now));
    }
  }

  CallLimits &L;
  std::mutex Mu;
  std::condition_variable CV;
  std::multiset<int64_t> Deadlines; // of the running calls with a limit
  bool Stop = false;
  std::thread T; // last: starts once the members above exist
};

CallLimits::CallLimits() = default;
CallLimits::~CallLimits() = default;

CallScope::CallScope(CallLimits &L, uint64_t TimeLimitMs)
    : L(L), Prev(InnermostScope), TimeLimitMs(TimeLimitMs) {
  // The first call to start after a quiet spell drops a raise left over from
  // an interrupt that came while nothing ran (or after its calls ended).
  if (L.Active.fetch_add(1, std::memory_order_acq_rel) == 0)
    L.Flag.store(0, std::memory_order_release);
  StartEpoch = L.Epoch.load(std::memory_order_acquire);
  InnermostScope = this;
  if (TimeLimitMs) {
    // Saturates: a limit of years is no limit.
    uint64_t Ns = TimeLimitMs > uint64_t(INT64_MAX / 2) / 1000000
                      ? uint64_t(INT64_MAX / 2)
                      : TimeLimitMs * 1000000;
    DeadlineNs = nowNs() + int64_t(Ns);
    {
      std::lock_guard<std::mutex> G(L.WMu);
      if (!L.W)
        L.W = std::make_unique<CallLimits::Watchdog>(L);
    }
    L.W->add(DeadlineNs);
  }
}

CallScope::~CallScope() {
  if (TimeLimitMs)
    L.W->remove(DeadlineNs);
  InnermostScope = Prev;
  L.Active.fetch_sub(1, std::memory_order_acq_rel);
}

namespace {
[[noreturn]] void trapInterrupted(llvm::function_ref<const char *()> Fn) {
  raiseTrapWith([&] {
    const char *Name = Fn();
    return mir::trapMessage(mir::TrapKind::Interrupted, Name ? Name : "");
  });
}
[[noreturn]] void trapTimeLimit(llvm::function_ref<const char *()> Fn,
                                uint64_t Ms) {
  raiseTrapWith([&] {
    const char *Name = Fn();
    return mir::trapMessage(mir::TrapKind::TimeLimit, Name ? Name : "",
                            std::to_string(Ms));
  });
}
} // namespace

void ffi::pollSlow(const CallLimits &LC,
                   llvm::function_ref<const char *()> Fn) {
  auto &L = const_cast<CallLimits &>(LC);
  // This thread's calls of L: the outermost decides "interrupted" (an
  // interrupt ends a nested call too, so that the outer one can end), each
  // one's own deadline decides "time limit".
  const CallScope *Outer = nullptr, *Expired = nullptr;
  uint32_t Mine = 0;
  int64_t Now = -1;
  for (const CallScope *S = InnermostScope; S; S = S->Prev) {
    if (&S->L != &L)
      continue;
    Outer = S;
    ++Mine;
    if (S->TimeLimitMs && !Expired) {
      if (Now < 0)
        Now = nowNs();
      if (Now >= S->DeadlineNs)
        Expired = S;
    }
  }
  if (!Outer) // code of L running outside any call of L (a late callback)
    return;
  uint64_t E = L.Epoch.load(std::memory_order_acquire);
  if (E != Outer->StartEpoch)
    trapInterrupted(Fn);
  if (Expired)
    trapTimeLimit(Fn, Expired->TimeLimitMs);
  // Nobody here needs the raise. When every running call of L is on this
  // thread, nobody elsewhere does either: clear it, so the polls go back to
  // the fast path. An interrupt racing with the clear is seen by the second
  // look at the epoch, which then puts the raise back for the others.
  if (L.Active.load(std::memory_order_acquire) == Mine) {
    L.Flag.store(0, std::memory_order_release);
    if (L.Epoch.load(std::memory_order_acquire) != E) {
      L.Flag.store(1, std::memory_order_release);
      trapInterrupted(Fn);
    }
  }
}

extern "C" void spl_rt_poll(const void *Limits, const char *Fn) {
  pollSlow(*static_cast<const CallLimits *>(Limits), [Fn] { return Fn; });
}
