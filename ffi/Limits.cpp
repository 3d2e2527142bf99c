//===- ffi/Limits.cpp - Interrupts, time budgets and the watchdog ---------===//
//
// The poll protocol of FFI.h "Interrupts and time budgets". Polls are cheap
// because they only read one word; everything that needs thought (which call
// the raise was for, clearing a raise nobody needs) happens here, in the
// slow path, which runs only after a raise.
//
// The watchdog is one thread per manager, made when the manager's first call
// with a time limit starts. It sleeps on a condition variable until the
// earliest deadline of the calls running, then raises the flag and signals
// the call's thread (InterruptSignal.cpp); while a call whose deadline passed
// is still registered it does both again every millisecond, so a raise that
// a slow path cleared (racing with the deadline), or a signal that landed
// outside JIT code, is never lost for long.
//
// Each CallScope also names its manager in its thread's slot before it reads
// the epoch, and interrupt() bumps the epoch before it reads the slots (both
// sequentially consistent): so an interrupt either finds the thread to
// signal, or came before the call started and does not concern it.
//
//===----------------------------------------------------------------------===//

#include "InterruptSignal.h"
#include "ffi/FFI.h"

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <map>
#include <string>
#include <thread>

using namespace spl;
using namespace spl::ffi;

namespace {

/// The steady clock in ns (clock_gettime: async-signal-safe, and the clock
/// std::chrono::steady_clock reads).
int64_t nowNs() {
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return int64_t(T.tv_sec) * 1000000000 + T.tv_nsec;
}

/// The innermost call scope of this thread (of any manager).
thread_local CallScope *InnermostScope = nullptr;
/// While a CallScope registers itself: a signal then cannot tell whether
/// the new call needs ending, and must come again.
thread_local bool ScopeStarting = false;

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

  void add(int64_t Deadline, detail::ThreadSlot *S) {
    {
      std::lock_guard<std::mutex> G(Mu);
      Deadlines.emplace(Deadline, S);
    }
    CV.notify_all();
  }
  void remove(int64_t Deadline, detail::ThreadSlot *S) {
    std::lock_guard<std::mutex> G(Mu);
    auto [B, E] = Deadlines.equal_range(Deadline);
    for (auto It = B; It != E; ++It)
      if (It->second == S) {
        Deadlines.erase(It);
        return;
      }
  }

private:
  void run() {
    std::unique_lock<std::mutex> G(Mu);
    while (!Stop) {
      if (Deadlines.empty()) {
        CV.wait(G);
        continue;
      }
      int64_t Next = Deadlines.begin()->first, Now = nowNs();
      if (Now >= Next) {
        L.Flag.store(1, std::memory_order_release);
        // Under Mu: a registered deadline's thread is still in its call.
        for (auto &[D, S] : Deadlines) {
          if (D > Now)
            break;
          detail::signalThread(*S);
        }
        CV.wait_for(G, std::chrono::milliseconds(1));
        continue;
      }
      CV.wait_for(G, std::chrono::nanoseconds(Next - Now));
    }
  }

  CallLimits &L;
  std::mutex Mu;
  std::condition_variable CV;
  /// Of the running calls with a limit, with their threads.
  std::multimap<int64_t, detail::ThreadSlot *> Deadlines;
  bool Stop = false;
  std::thread T; // last: starts once the members above exist
};

CallLimits::CallLimits() = default;
CallLimits::~CallLimits() = default;

void CallLimits::interrupt() noexcept {
  Epoch.fetch_add(1, std::memory_order_seq_cst);
  Flag.store(1, std::memory_order_release);
  detail::signalCallsOf(*this);
}

CallScope::CallScope(CallLimits &L, uint64_t TimeLimitMs)
    : L(L), Prev(InnermostScope), Slot(&detail::thisThreadSlot()),
      TimeLimitMs(TimeLimitMs) {
  // The first call to start after a quiet spell drops a raise left over from
  // an interrupt that came while nothing ran (or after its calls ended).
  if (L.Active.fetch_add(1, std::memory_order_acq_rel) == 0)
    L.Flag.store(0, std::memory_order_release);
  ScopeStarting = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  uint32_t D = Slot->Depth.load(std::memory_order_relaxed);
  if (D < detail::ThreadSlot::Tracked)
    Slot->Managers[D].store(&L, std::memory_order_relaxed);
  Slot->Depth.store(D + 1, std::memory_order_seq_cst);
  StartEpoch = L.Epoch.load(std::memory_order_seq_cst);
  if (TimeLimitMs) {
    // Saturates: a limit of years is no limit.
    uint64_t Ns = TimeLimitMs > uint64_t(INT64_MAX / 2) / 1000000
                      ? uint64_t(INT64_MAX / 2)
                      : TimeLimitMs * 1000000;
    DeadlineNs = nowNs() + int64_t(Ns);
  }
  // The handler walks the chain from InnermostScope: publish this scope
  // only once it is complete (the handler runs on this thread).
  std::atomic_signal_fence(std::memory_order_seq_cst);
  InnermostScope = this;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  ScopeStarting = false;
  if (TimeLimitMs) {
    {
      std::lock_guard<std::mutex> G(L.WMu);
      if (!L.W)
        L.W = std::make_unique<CallLimits::Watchdog>(L);
    }
    L.W->add(DeadlineNs, Slot);
  }
}

CallScope::~CallScope() {
  if (TimeLimitMs)
    L.W->remove(DeadlineNs, Slot);
  InnermostScope = Prev;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  uint32_t D = Slot->Depth.load(std::memory_order_relaxed) - 1;
  Slot->Depth.store(D, std::memory_order_release);
  // A thread with no call wants no signal (an outer call that still needs
  // one keeps Want; its handler clears it once nothing needs ending).
  if (D == 0)
    Slot->Want.store(0, std::memory_order_release);
  L.Active.fetch_sub(1, std::memory_order_acq_rel);
}

/// Whether the call of scope S must end now (its manager was interrupted
/// since it started, or its deadline passed); Now is read once, lazily.
static bool mustEnd(const CallScope &S, int64_t &Now) {
  if (S.L.Epoch.load(std::memory_order_acquire) != S.StartEpoch)
    return true;
  if (!S.TimeLimitMs)
    return false;
  if (Now < 0)
    Now = nowNs();
  return Now >= S.DeadlineNs;
}

detail::InterruptNeed detail::interruptNeed() noexcept {
  const CallScope *Inner = InnermostScope;
  InterruptNeed N;
  if (ScopeStarting) { // an interrupt of the new call would be lost
    N.K = InterruptNeed::Outer;
    return N;
  }
  if (!Inner)
    return N;
  // As pollSlow decides for the innermost manager: its outermost scope's
  // epoch says "interrupted", else its innermost expired deadline says
  // "time limit". Any other scope that must end makes it Outer.
  int64_t Now = -1;
  const CallScope *Outer = nullptr, *Expired = nullptr;
  bool Any = false;
  for (const CallScope *S = Inner; S; S = S->Prev) {
    if (&S->L != &Inner->L) {
      Any = Any || mustEnd(*S, Now);
      continue;
    }
    Outer = S;
    if (!Expired && S->TimeLimitMs) {
      if (Now < 0)
        Now = nowNs();
      if (Now >= S->DeadlineNs)
        Expired = S;
    }
  }
  if (Inner->L.Epoch.load(std::memory_order_acquire) != Outer->StartEpoch) {
    N.K = InterruptNeed::Interrupted;
  } else if (Expired) {
    N.K = InterruptNeed::TimeLimit;
    N.Ms = Expired->TimeLimitMs;
  } else if (Any) {
    N.K = InterruptNeed::Outer;
  }
  return N;
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
