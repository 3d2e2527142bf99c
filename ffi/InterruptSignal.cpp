//===- ffi/InterruptSignal.cpp - Ending calls in JIT code by signal -------===//
//
// A poll costs little, but in a loop it costs the loop its vectorisation: the
// poll's side exit is a call the vectoriser cannot move (sieve ran 1.7x
// clang). So JIT code that spends its time in itself polls nowhere, and an
// interrupt reaches it by signal instead:
//
//   * every thread running calls of a manager has a slot (ThreadSlot) naming
//     the managers of its CallScopes;
//   * interrupt() (and the watchdog at a deadline) marks the slots of the
//     manager's threads as wanted and sends each one SIGURG with tgkill,
//     then posts a semaphore that wakes the deliverer thread, which sends the
//     signal again every millisecond to every wanted slot;
//   * the handler asks Limits.cpp what the thread's calls need. When the
//     innermost manager's call must end and the interrupted PC lies in MIR
//     code that may stop anywhere (Signals.cpp: JIT machine code, by the
//     code range table, or the interpreter's dispatch loop), it longjmps to
//     the innermost guard, as a memory fault does, and the guard returns
//     "interrupted" or "time limit of N ms exceeded", naming the function
//     that was running. Anywhere else (the runtime, an SFFI library, libc,
//     the host) it leaves the call running: that code may hold a lock or a
//     half-built object. The next signal tries again, and the polls that
//     remain (where code calls out of MIR code: jit/LowerPolls.cpp,
//     interp/Poll.cpp) notice the raised flag meanwhile. When no call of the
//     thread needs ending any more, the handler clears the slot's mark and
//     the signals stop.
//
// Ending MIR code between any two instructions is safe because neither JIT
// code nor the dispatch loop takes a lock or keeps an object with a
// destructor (ffi/Guard.cpp's rule holds for every instruction of them, not
// only at their calls), and what the dispatch loop keeps outside its
// registers the interpreter restores after any guard returns. The MIR
// program's own memory may be left between two stores of one MIR
// instruction, as after any runtime error.
//
// SIGURG because its default action is to ignore it: a stray one (sent just
// as a thread ended, or to a process that never installed the handler after
// a fork) does nothing, and standard signals do not queue, so a thread that
// blocks it does not pile up signals. A handler the host had installed
// before ours still runs for every SIGURG that no call of ours needed.
// System calls it interrupts restart (SA_RESTART) where the kernel allows;
// a sleep in native code may return early while its call is interrupted.
//
// Everything the handler touches is async-signal-safe: atomics, thread
// locals made before the first call, clock_gettime, tgkill, sem_post.
//
//===----------------------------------------------------------------------===//

#include "Guard.h"
#include "InterruptSignal.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <semaphore.h>
#include <sys/syscall.h>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

using namespace spl;
using namespace spl::ffi;
using namespace spl::ffi::detail;

#if defined(__SANITIZE_THREAD__)
#define SPL_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPL_TSAN 1
#endif
#endif

namespace {

constexpr int InterruptSignalNumber = SIGURG;

//===----------------------------------------------------------------------===//
// The slots
//===----------------------------------------------------------------------===//

constexpr unsigned SlotChunk = 256;
constexpr unsigned MaxSlotChunks = 256;

struct SlotTable {
  std::atomic<ThreadSlot *> Chunks[MaxSlotChunks] = {};
  /// Slots [0, Used) may be live; readers scan only those.
  std::atomic<uint32_t> Used{0};
  std::mutex Mu; // writers only
  std::vector<ThreadSlot *> Free;
};

SlotTable &slots() {
  static SlotTable *T = new SlotTable; // never destroyed: late signals
  return *T;
}

template <class Fn> void forEachSlot(Fn F) {
  SlotTable &T = slots();
  uint32_t N = T.Used.load(std::memory_order_acquire);
  for (uint32_t I = 0; I < N; ++I) {
    ThreadSlot *C = T.Chunks[I / SlotChunk].load(std::memory_order_acquire);
    if (!C)
      return;
    F(C[I % SlotChunk]);
  }
}

/// The slot of this thread: taken at its first call, given back at its end.
struct SlotHolder {
  ThreadSlot *S = nullptr;
  bool Outside = false; // not in the table (it was full)
  SlotHolder();
  ~SlotHolder();
};

/// Read by the handler: plain data, no dynamic initialisation.
thread_local ThreadSlot *MySlot;
thread_local bool InHandler;
struct InterruptRecord {
  InterruptNeed::Kind K;
  uint64_t Ms;
  char Fn[512];
};
thread_local InterruptRecord Record;

int currentTid() { return int(syscall(SYS_gettid)); }

SlotHolder::SlotHolder() {
  SlotTable &T = slots();
  std::lock_guard<std::mutex> G(T.Mu);
  if (!T.Free.empty()) {
    S = T.Free.back();
    T.Free.pop_back();
  } else {
    uint32_t I = T.Used.load(std::memory_order_relaxed);
    if (I >= SlotChunk * MaxSlotChunks) {
      // 65536 threads with calls at once: this one is never signalled (its
      // polls still see the flag).
      S = new ThreadSlot;
      Outside = true;
    } else {
      std::atomic<ThreadSlot *> &C = T.Chunks[I / SlotChunk];
      if (!C.load(std::memory_order_relaxed))
        C.store(new ThreadSlot[SlotChunk], std::memory_order_release);
      S = &C.load(std::memory_order_relaxed)[I % SlotChunk];
      T.Used.store(I + 1, std::memory_order_release);
    }
  }
  S->Want.store(0, std::memory_order_relaxed);
  S->Depth.store(0, std::memory_order_relaxed);
  S->Tid.store(currentTid(), std::memory_order_release);
  // Touch the handler's thread-locals here, not first in the handler.
  InHandler = false;
  Record.Fn[0] = '\0';
  MySlot = S;
}

SlotHolder::~SlotHolder() {
  MySlot = nullptr;
  S->Want.store(0, std::memory_order_relaxed);
  S->Tid.store(0, std::memory_order_release);
  if (Outside) {
    delete S;
    return;
  }
  SlotTable &T = slots();
  std::lock_guard<std::mutex> G(T.Mu);
  T.Free.push_back(S);
}

//===----------------------------------------------------------------------===//
// Sending: the first signal from interrupt(), the rest from the deliverer
//===----------------------------------------------------------------------===//

sem_t Kick;
std::once_flag DelivererOnce;

void send(const ThreadSlot &S) {
  int Tid = S.Tid.load(std::memory_order_acquire);
  if (Tid)
    syscall(SYS_tgkill, getpid(), Tid, InterruptSignalNumber);
}

/// Sends the signal again every millisecond while any slot is wanted; sleeps
/// on Kick otherwise. One thread per process, made with the first slot.
[[noreturn]] void deliver() {
  for (;;) {
    while (sem_wait(&Kick) != 0 && errno == EINTR) {
    }
    for (;;) {
      timespec Ms = {0, 1000000};
      nanosleep(&Ms, nullptr);
      bool Any = false;
      forEachSlot([&](ThreadSlot &S) {
        if (!S.Want.load(std::memory_order_acquire))
          return;
        Any = true;
        send(S);
      });
      if (!Any)
        break;
    }
  }
}

void startDeliverer() {
  sem_init(&Kick, 0, 0);
  std::thread(deliver).detach();
}

//===----------------------------------------------------------------------===//
// The handler
//===----------------------------------------------------------------------===//

struct sigaction PreviousAction;

/// A SIGURG nobody of ours needed: the host's own handler, if it had one.
void chain(int Sig, siginfo_t *Info, void *Ctx) {
  const struct sigaction &P = PreviousAction;
  if (P.sa_flags & SA_SIGINFO) {
    if (P.sa_sigaction)
      P.sa_sigaction(Sig, Info, Ctx);
  } else if (P.sa_handler != SIG_DFL && P.sa_handler != SIG_IGN) {
    P.sa_handler(Sig);
  }
}

void onInterruptSignal(int Sig, siginfo_t *Info, void *Ctx) {
  int SavedErrno = errno;
  ThreadSlot *S = MySlot;
  if (!S || InHandler) {
    if (!S)
      chain(Sig, Info, Ctx);
    errno = SavedErrno;
    return;
  }
  InHandler = true;
  // Cleared before the look, so an interrupt() racing with it marks the
  // slot again (and sends another signal).
  S->Want.store(0, std::memory_order_seq_cst);
  InterruptNeed N = interruptNeed();
  if (N.K == InterruptNeed::None) {
    InHandler = false;
    chain(Sig, Info, Ctx);
    errno = SavedErrno;
    return;
  }
  S->Want.store(1, std::memory_order_seq_cst);
  const char *Fn = nullptr;
  if (N.K != InterruptNeed::Outer && guardActive())
    Fn = interruptibleFunction(Ctx);
  if (!Fn) { // not in MIR code: the next signal or a poll ends it
    InHandler = false;
    errno = SavedErrno;
    return;
  }
  Record.K = N.K;
  Record.Ms = N.Ms;
  size_t K = 0;
  for (; Fn[K] && K + 1 < sizeof(Record.Fn); ++K)
    Record.Fn[K] = Fn[K];
  Record.Fn[K] = '\0';
  InHandler = false;
  jumpFromInterrupt();
}

bool install() {
#ifdef SPL_TSAN
  return false;
#else
  struct sigaction A;
  std::memset(&A, 0, sizeof(A));
  A.sa_sigaction = onInterruptSignal;
  // SA_NODEFER: the jump leaves the handler without sigreturn, and the
  // signal must not stay blocked for the next interrupt.
  A.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTART;
  sigemptyset(&A.sa_mask);
  return sigaction(InterruptSignalNumber, &A, &PreviousAction) == 0;
#endif
}

} // namespace

bool ffi::interruptsBySignal() {
  static const bool Ready = install();
  return Ready;
}

ThreadSlot &detail::thisThreadSlot() {
  if (ThreadSlot *S = MySlot)
    return *S;
  interruptsBySignal();
  std::call_once(DelivererOnce, startDeliverer);
  thread_local SlotHolder H;
  return *H.S;
}

void detail::signalThread(ThreadSlot &S) noexcept {
  S.Want.store(1, std::memory_order_seq_cst);
  send(S);
}

void detail::signalCallsOf(const CallLimits &L) noexcept {
  bool Sent = false;
  forEachSlot([&](ThreadSlot &S) {
    if (!S.Tid.load(std::memory_order_acquire))
      return;
    uint32_t D = S.Depth.load(std::memory_order_seq_cst);
    bool Mine = D > ThreadSlot::Tracked;
    for (uint32_t K = 0; K < D && K < ThreadSlot::Tracked && !Mine; ++K)
      Mine = S.Managers[K].load(std::memory_order_relaxed) == &L;
    if (!Mine)
      return;
    signalThread(S);
    Sent = true;
  });
  // The deliverer exists once any slot does.
  if (Sent)
    sem_post(&Kick);
}

std::string detail::interruptMessage() {
  if (Record.K == InterruptNeed::TimeLimit)
    return mir::trapMessage(mir::TrapKind::TimeLimit, Record.Fn,
                            std::to_string(Record.Ms));
  return mir::trapMessage(mir::TrapKind::Interrupted, Record.Fn);
}
