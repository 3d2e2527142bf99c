//===- exec_manager/CApiLimits.cpp - Interrupts and host limits (C API) ---===//
//
// rt_exec_manager_interrupt must work from a signal handler, where neither
// the handle table's mutex nor the per-thread error slots may be touched. So
// live managers are also listed in a table of their own that is read without
// locks: chunks of entries, linked and never freed, each entry a handle and
// its manager. An interrupt counts itself in flight while it reads an entry;
// cleanup unlists the manager, then waits until no interrupt is in flight
// before the manager may be destroyed.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/CApiState.h"

#include "spl/exec_manager.h"

#include "llvm/Support/FileSystem.h"

#include <atomic>
#include <climits>
#include <thread>

using namespace spl;
using namespace spl::capi;

namespace {

struct Entry {
  std::atomic<int64_t> Handle{0}; // 0 free, -1 being filled or emptied
  std::atomic<ExecManager *> M{nullptr};
};

struct Chunk {
  Entry E[64];
  std::atomic<Chunk *> Next{nullptr};
};

Chunk &firstChunk() {
  static Chunk *C = new Chunk; // never destroyed: signals may come late
  return *C;
}

std::atomic<int> InFlight{0};

static_assert(std::atomic<int64_t>::is_always_lock_free &&
                  std::atomic<ExecManager *>::is_always_lock_free &&
                  std::atomic<int>::is_always_lock_free,
              "the interrupt table must be lock-free");

} // namespace

void capi::listInterruptible(int64_t H, ExecManager *M) {
  for (Chunk *C = &firstChunk();;) {
    for (Entry &E : C->E) {
      int64_t Free = 0;
      if (E.Handle.compare_exchange_strong(Free, -1)) {
        E.M.store(M);
        E.Handle.store(H);
        return;
      }
    }
    Chunk *N = C->Next.load();
    if (!N) {
      auto *New = new Chunk;
      if (C->Next.compare_exchange_strong(N, New))
        N = New;
      else
        delete New; // another thread appended first: N is its chunk
    }
    C = N;
  }
}

void capi::unlistInterruptible(int64_t H) {
  for (Chunk *C = &firstChunk(); C; C = C->Next.load())
    for (Entry &E : C->E) {
      int64_t Want = H;
      if (!E.Handle.compare_exchange_strong(Want, -1))
        continue;
      E.M.store(nullptr);
      // An interrupt that read the manager before the store above is still
      // using it: wait for it (it only does two atomic operations).
      while (InFlight.load() != 0)
        std::this_thread::yield();
      E.Handle.store(0);
      return;
    }
}

bool capi::interruptHandle(int64_t H) noexcept {
  if (H <= 0)
    return false;
  InFlight.fetch_add(1);
  bool Found = false;
  for (Chunk *C = &firstChunk(); C && !Found; C = C->Next.load())
    for (Entry &E : C->E)
      if (E.Handle.load() == H) {
        if (ExecManager *M = E.M.load()) {
          M->interrupt();
          Found = true;
        }
        break;
      }
  InFlight.fetch_sub(1);
  return Found;
}

/// The shared shape of the setters: a live handle, a value >= Min.
template <typename F>
static bool setLimit(int64_t h, const char *What, int64_t V, int64_t Min,
                     int64_t Max, F Apply) {
  return guarded<bool>(h, false, [&]() -> bool {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return false;
    }
    if (V < Min || V > Max) {
      setError(h, std::string(What) + ": " + std::to_string(V) +
                      " is out of range " + std::to_string(Min) + ".." +
                      std::to_string(Max));
      return false;
    }
    return Apply(*E->M);
  });
}

extern "C" {

bool rt_exec_manager_interrupt(int64_t h) { return interruptHandle(h); }

bool rt_exec_manager_set_time_limit(int64_t h, int64_t ms) {
  return setLimit(h, "set_time_limit", ms, 0, INT64_MAX, [&](ExecManager &M) {
    M.setTimeLimit(uint64_t(ms));
    ok(h);
    return true;
  });
}

bool rt_exec_manager_set_max_call_depth(int64_t h, int64_t depth) {
  return setLimit(h, "set_max_call_depth", depth, 1, INT32_MAX,
                  [&](ExecManager &M) {
                    Status S = M.setMaxCallDepth(unsigned(depth));
                    if (!S) {
                      setError(h, "set_max_call_depth: " + S.error().Message);
                      return false;
                    }
                    ok(h);
                    return true;
                  });
}

bool rt_exec_manager_set_max_code_bytes(int64_t h, int64_t bytes) {
  return setLimit(h, "set_max_code_bytes", bytes, 0, INT64_MAX,
                  [&](ExecManager &M) {
                    M.setMaxCodeBytes(uint64_t(bytes));
                    ok(h);
                    return true;
                  });
}

bool rt_exec_manager_set_max_input_bytes(int64_t h, int64_t bytes) {
  return setLimit(h, "set_max_input_bytes", bytes, 0, INT64_MAX,
                  [&](ExecManager &M) {
                    M.setMaxInputBytes(uint64_t(bytes));
                    ok(h);
                    return true;
                  });
}

} // extern "C"
