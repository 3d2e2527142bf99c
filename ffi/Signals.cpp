//===- ffi/Signals.cpp - Memory faults in guarded calls are runtime errors ===//
//
// A SIGSEGV or SIGBUS raised on a thread inside runGuarded (MIR code of
// either backend, or a runtime/SFFI/host function it called) ends that
// execution with "runtime error in `FN`: invalid memory access at 0xADDR";
// one at the native stack's end with the stack-overflow text. Anywhere else
// the handler that was installed before ours runs, as if we were not there.
//
// How FN is found, without any cost on the normal path: every backend
// registers its code in one table (JIT machine code per function, the
// interpreter's bytecode per function, C callback closures). The handler
// looks up, in order: the faulting PC (a fault in JIT code); the general
// registers (the interpreter keeps its bytecode IP in one); then the words
// of the stack from the faulting SP up to the guard's frame, where the first
// word inside a registered range is the return address into the innermost
// JIT function (or the spilled IP of the interpreter) that called the native
// code which faulted. Recording the function at every call would cost every
// call; walking frame pointers would need them in the runtime and libraries,
// which are built without. The scan reads only the live part of this
// thread's own stack, so it cannot fault itself.
//
// The handler is async-signal-safe: it reads the table with atomic loads,
// copies the name into a thread-local buffer, and longjmps to the guard,
// which builds the message once it is back on the normal stack. It runs on
// a per-thread alternate stack (sigaltstack), so a native stack overflow can
// still be handled. SA_NODEFER: the jump leaves the handler without
// sigreturn, and the signal must not stay blocked for the next fault.
//
// What it cannot undo: a fault in native code that held a lock (malloc's, a
// runtime mutex) leaves it held; a wild store that did not fault has already
// corrupted what it hit (docs/HARDENING.md).
//
//===----------------------------------------------------------------------===//

#include "Guard.h"
#include "ffi/FFI.h"

#include <atomic>
#include <csignal>
#include <cstring>
#include <link.h>
#include <mutex>
#include <pthread.h>
#include <sys/mman.h>
#include <thread>
#include <ucontext.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

using namespace spl;

//===----------------------------------------------------------------------===//
// The code range table
//===----------------------------------------------------------------------===//

namespace {

struct RangeEntry {
  std::atomic<uintptr_t> Begin{0}, End{0};
  std::atomic<const char *> Name{nullptr};
  std::atomic<bool> MachineCode{false};
};

constexpr unsigned ChunkEntries = 4096;
constexpr unsigned MaxChunks = 64;

struct RangeTable {
  std::atomic<RangeEntry *> Chunks[MaxChunks] = {};
  /// Entries [0, Used) may be live; readers scan only those.
  std::atomic<uint32_t> Used{0};
  std::mutex Mu; // writers only
  std::vector<uint32_t> Free;
  /// Bumped by every unregistration: isCodeAddress's cache is then stale.
  std::atomic<uint64_t> Epoch{0};
};

RangeTable &ranges() {
  static RangeTable *T = new RangeTable; // never destroyed: late callers
  return *T;
}

RangeEntry *entry(RangeTable &T, uint32_t Index) {
  RangeEntry *C = T.Chunks[Index / ChunkEntries].load(std::memory_order_acquire);
  return C ? C + Index % ChunkEntries : nullptr;
}

/// The range holding A, or null. Async-signal-safe.
const RangeEntry *findRange(uintptr_t A) {
  RangeTable &T = ranges();
  uint32_t N = T.Used.load(std::memory_order_acquire);
  for (uint32_t I = 0; I < N; ++I) {
    RangeEntry *E = entry(T, I);
    if (!E)
      break;
    uintptr_t B = E->Begin.load(std::memory_order_acquire);
    if (B && A >= B && A < E->End.load(std::memory_order_relaxed))
      return E;
  }
  return nullptr;
}

/// The name of the range holding A, or null. Async-signal-safe.
const char *lookupRange(uintptr_t A) {
  const RangeEntry *E = findRange(A);
  return E ? E->Name.load(std::memory_order_relaxed) : nullptr;
}

} // namespace

uint32_t ffi::registerCodeRange(const void *Begin, const void *End,
                                llvm::StringRef Name, bool MachineCode) {
  if (!Begin || End <= Begin)
    return 0;
  RangeTable &T = ranges();
  std::lock_guard<std::mutex> L(T.Mu);
  uint32_t Index;
  if (!T.Free.empty()) {
    Index = T.Free.back();
    T.Free.pop_back();
  } else {
    Index = T.Used.load(std::memory_order_relaxed);
    if (Index >= ChunkEntries * MaxChunks)
      return 0;
    std::atomic<RangeEntry *> &C = T.Chunks[Index / ChunkEntries];
    if (!C.load(std::memory_order_relaxed))
      C.store(new RangeEntry[ChunkEntries], std::memory_order_release);
  }
  RangeEntry *E = entry(T, Index);
  char *Copy = new char[Name.size() + 1];
  std::memcpy(Copy, Name.data(), Name.size());
  Copy[Name.size()] = '\0';
  E->Name.store(Copy, std::memory_order_relaxed);
  E->MachineCode.store(MachineCode, std::memory_order_relaxed);
  E->End.store(uintptr_t(End), std::memory_order_relaxed);
  E->Begin.store(uintptr_t(Begin), std::memory_order_release);
  if (Index >= T.Used.load(std::memory_order_relaxed))
    T.Used.store(Index + 1, std::memory_order_release);
  return Index + 1;
}

void ffi::unregisterCodeRange(uint32_t Id) {
  if (!Id)
    return;
  RangeTable &T = ranges();
  std::lock_guard<std::mutex> L(T.Mu);
  RangeEntry *E = entry(T, Id - 1);
  E->Begin.store(0, std::memory_order_release);
  // A handler on another thread can only be reading the name of code that
  // thread is running, which is not being unregistered.
  delete[] E->Name.exchange(nullptr, std::memory_order_acq_rel);
  T.Free.push_back(Id - 1);
  T.Epoch.fetch_add(1, std::memory_order_acq_rel);
}

//===----------------------------------------------------------------------===//
// Function pointers
//===----------------------------------------------------------------------===//

namespace {

/// Whether A lies in an executable PT_LOAD segment of a loaded object.
bool inExecutableSegment(uintptr_t A) {
  struct Query {
    uintptr_t A;
    bool Found;
  } Q{A, false};
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Data) {
        auto &Q = *static_cast<Query *>(Data);
        for (int K = 0; K < Info->dlpi_phnum; ++K) {
          const ElfW(Phdr) &P = Info->dlpi_phdr[K];
          if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
            continue;
          uintptr_t B = Info->dlpi_addr + P.p_vaddr;
          if (Q.A >= B && Q.A < B + P.p_memsz) {
            Q.Found = true;
            return 1;
          }
        }
        return 0;
      },
      &Q);
  return Q.Found;
}

/// Addresses found to be code, per thread (an indirect call site calls few
/// targets); dropped when any range is unregistered.
struct CodeCache {
  static constexpr unsigned Size = 64;
  uintptr_t Known[Size] = {};
  uint64_t Epoch = 0;
};
thread_local CodeCache Cache;

} // namespace

bool ffi::isCodeAddress(const void *P) {
  uintptr_t A = uintptr_t(P);
  if (A < 4096)
    return false;
  uint64_t Now = ranges().Epoch.load(std::memory_order_acquire);
  if (Cache.Epoch != Now) {
    std::memset(Cache.Known, 0, sizeof(Cache.Known));
    Cache.Epoch = Now;
  }
  uintptr_t &Slot = Cache.Known[(A >> 4) % CodeCache::Size];
  if (Slot == A)
    return true;
  if (!lookupRange(A) && !inExecutableSegment(A))
    return false;
  Slot = A;
  return true;
}

//===----------------------------------------------------------------------===//
// Where an interrupt may end a call
//===----------------------------------------------------------------------===//

namespace {
std::atomic<uintptr_t> DispatchBegin{0}, DispatchEnd{0};

/// The general registers, as the fault handler also reads them.
constexpr int ScannedRegs[] = {REG_RBX, REG_R12, REG_R13, REG_R14, REG_R15,
                               REG_RBP, REG_RAX, REG_RCX, REG_RDX, REG_RSI,
                               REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11};
} // namespace

bool ffi::registerDispatchCode(const void *Begin, const void *End) {
  if (!interruptsBySignal() || !Begin || End <= Begin)
    return false;
  DispatchEnd.store(uintptr_t(End), std::memory_order_relaxed);
  DispatchBegin.store(uintptr_t(Begin), std::memory_order_release);
  return true;
}

const char *ffi::detail::interruptibleFunction(const void *Ctx) {
  const greg_t *R = static_cast<const ucontext_t *>(Ctx)->uc_mcontext.gregs;
  uintptr_t PC = uintptr_t(R[REG_RIP]);
  if (const RangeEntry *E = findRange(PC))
    return E->MachineCode.load(std::memory_order_relaxed)
               ? E->Name.load(std::memory_order_relaxed)
               : nullptr;
  uintptr_t B = DispatchBegin.load(std::memory_order_acquire);
  if (!B || PC < B || PC >= DispatchEnd.load(std::memory_order_relaxed))
    return nullptr;
  for (int Reg : ScannedRegs)
    if (const RangeEntry *E = findRange(uintptr_t(R[Reg])))
      if (!E->MachineCode.load(std::memory_order_relaxed))
        return E->Name.load(std::memory_order_relaxed);
  return nullptr; // the bytecode pointer is not in a register: next time
}

//===----------------------------------------------------------------------===//
// The fault handler
//===----------------------------------------------------------------------===//

namespace {

/// What the handler found, read by faultMessage after the jump. Plain data:
/// no dynamic initialisation, so a handler's first touch allocates nothing.
struct FaultRecord {
  uintptr_t Addr;
  bool StackOverflow;
  char Fn[512];
};
thread_local FaultRecord Fault;
thread_local bool InHandler;
/// This thread's native stack, [Low, High) (0 when unknown).
thread_local uintptr_t StackLow, StackHigh;

struct sigaction Previous[2]; // SIGSEGV, SIGBUS: what ran before us

struct sigaction &previousFor(int Sig) {
  return Previous[Sig == SIGBUS ? 1 : 0];
}

/// Runs what the host had installed. SIG_DFL/SIG_IGN: restore it and
/// return, so the faulting instruction runs again and gets the host's
/// behaviour (a signal sent by kill is raised again instead).
void chain(int Sig, siginfo_t *Info, void *Ctx) {
  struct sigaction &P = previousFor(Sig);
  if (P.sa_flags & SA_SIGINFO) {
    if (P.sa_sigaction) {
      P.sa_sigaction(Sig, Info, Ctx);
      return;
    }
  } else if (P.sa_handler != SIG_DFL && P.sa_handler != SIG_IGN) {
    P.sa_handler(Sig);
    return;
  }
  struct sigaction D;
  std::memset(&D, 0, sizeof(D));
  D.sa_handler = SIG_DFL;
  sigemptyset(&D.sa_mask);
  sigaction(Sig, &D, nullptr);
  if (Info->si_code <= 0)
    raise(Sig);
}

void copyName(const char *N) {
  size_t K = 0;
  for (; N && N[K] && K + 1 < sizeof(Fault.Fn); ++K)
    Fault.Fn[K] = N[K];
  Fault.Fn[K] = '\0';
}

/// The innermost MIR function at the fault (see the file comment).
const char *findFunction(const ucontext_t *UC) {
  const greg_t *R = UC->uc_mcontext.gregs;
  if (const char *N = lookupRange(uintptr_t(R[REG_RIP])))
    return N;
  for (int Reg : ScannedRegs)
    if (const char *N = lookupRange(uintptr_t(R[Reg])))
      return N;
  uintptr_t SP = uintptr_t(R[REG_RSP]) & ~uintptr_t(7);
  // An overflow may leave SP just below the stack's low end: scan from there.
  if (StackLow && SP < StackLow && SP + 1024 * 1024 >= StackLow)
    SP = StackLow;
  if (!StackLow || SP < StackLow || SP >= StackHigh)
    return nullptr; // not on the stack we know: do not read it
  uintptr_t End = uintptr_t(ffi::detail::guardFrame());
  if (End > StackHigh || End <= SP)
    End = StackHigh;
  // Bounded: a scan of a deep overflowed stack must stay quick.
  constexpr uintptr_t MaxScan = 512 * 1024;
  if (End - SP > MaxScan)
    End = SP + MaxScan;
  for (uintptr_t A = SP; A + 8 <= End; A += 8)
    if (const char *N = lookupRange(*reinterpret_cast<const uintptr_t *>(A)))
      return N;
  return nullptr;
}

void onFault(int Sig, siginfo_t *Info, void *Ctx) {
  if (InHandler || !ffi::detail::guardActive()) {
    chain(Sig, Info, Ctx);
    return;
  }
  InHandler = true;
  const auto *UC = static_cast<const ucontext_t *>(Ctx);
  uintptr_t Addr = uintptr_t(Info->si_addr);
  uintptr_t SP = uintptr_t(UC->uc_mcontext.gregs[REG_RSP]);
  constexpr uintptr_t Near = 64 * 1024;
  Fault.Addr = Addr;
  Fault.StackOverflow =
      StackLow && ((SP >= StackLow - Near && SP < StackLow + Near) ||
                   (Addr + 1024 * 1024 >= StackLow && Addr < StackLow + Near));
  copyName(findFunction(UC));
  InHandler = false;
  ffi::detail::jumpFromFault();
}

void installHandlers() {
  struct sigaction A;
  std::memset(&A, 0, sizeof(A));
  A.sa_sigaction = onFault;
  A.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&A.sa_mask);
  sigaction(SIGSEGV, &A, &Previous[0]);
  sigaction(SIGBUS, &A, &Previous[1]);
}

/// This thread's signal stack: made at its first guarded call, freed at its
/// exit. A stack the host installed itself is left as it is.
struct AltStack {
  static constexpr size_t Size = 64 * 1024;
  void *Mem = nullptr;
  AltStack() {
    stack_t Cur;
    if (sigaltstack(nullptr, &Cur) == 0 && !(Cur.ss_flags & SS_DISABLE))
      return;
    void *M = mmap(nullptr, Size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (M == MAP_FAILED)
      return;
    stack_t S;
    S.ss_sp = M;
    S.ss_size = Size;
    S.ss_flags = 0;
    if (sigaltstack(&S, nullptr) != 0) {
      munmap(M, Size);
      return;
    }
    Mem = M;
  }
  ~AltStack() {
    if (!Mem)
      return;
    stack_t Cur;
    if (sigaltstack(nullptr, &Cur) == 0 && Cur.ss_sp == Mem) {
      stack_t D;
      std::memset(&D, 0, sizeof(D));
      D.ss_flags = SS_DISABLE;
      sigaltstack(&D, nullptr);
    }
    munmap(Mem, Size);
  }
};

void prepareThread() {
  thread_local AltStack Alt;
  (void)Alt;
  const ffi::NativeStack &NS = ffi::nativeStack();
  if (NS.Size) {
    StackLow = NS.Low;
    StackHigh = NS.Low + NS.Size;
  }
  // Touch the handler's thread-locals here, not first in the handler.
  Fault.Fn[0] = '\0';
  InHandler = false;
}

} // namespace

void ffi::detail::prepareFaultHandling() {
  static std::once_flag Once;
  std::call_once(Once, installHandlers);
  prepareThread();
}

std::string ffi::detail::faultMessage(unsigned MaxCallDepth) {
  if (Fault.StackOverflow)
    return mir::trapMessage(mir::TrapKind::StackOverflow, Fault.Fn,
                            std::to_string(MaxCallDepth));
  return mir::trapMessage(mir::TrapKind::InvalidMemoryAccess, Fault.Fn,
                          mir::faultAddressText(Fault.Addr));
}

//===----------------------------------------------------------------------===//
// Errors of callbacks that ran with no execution
//===----------------------------------------------------------------------===//

struct ffi::CallbackErrors::Impl {
  std::mutex Mu;
  std::unordered_map<std::thread::id, std::string> ByThread;
};

ffi::CallbackErrors::CallbackErrors() : P(std::make_unique<Impl>()) {}
ffi::CallbackErrors::~CallbackErrors() = default;

void ffi::CallbackErrors::record(std::string Message) {
  std::lock_guard<std::mutex> L(P->Mu);
  P->ByThread[std::this_thread::get_id()] = std::move(Message);
}

std::optional<std::string> ffi::CallbackErrors::take() {
  std::lock_guard<std::mutex> L(P->Mu);
  auto It = P->ByThread.find(std::this_thread::get_id());
  if (It == P->ByThread.end())
    return std::nullopt;
  std::string M = std::move(It->second);
  P->ByThread.erase(It);
  return M;
}
