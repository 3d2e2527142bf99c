//===- exec_manager/CApiState.h - C API handles and results -----*- C++ -*-===//
//
// What the C entry points share: the process-wide handle table and this
// thread's per-handle slots (last error, returned text). Every string handed
// to C lives in one of these slots, so it stays valid until the thread's next
// call on the same handle, and is 8-aligned (heap or in-object std::string
// storage), as RUNTIME.md wants raw char* text to be.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_EXEC_MANAGER_CAPISTATE_H
#define SPL_EXEC_MANAGER_CAPISTATE_H

#include "spl/ExecManager.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace spl::capi {

/// One live manager behind a handle.
struct Managed {
  std::unique_ptr<ExecManager> M;
  /// What set_opt_level last accepted (ExecManager has no getter).
  std::atomic<int64_t> OptLevel{2};
  /// Function handles given out (rt_exec_manager_lookup): handle K is
  /// Functions[K - 1]; one per name.
  std::mutex FnMu;
  std::vector<FunctionHandle> Functions;
};

/// A new handle for M.
int64_t addManaged(std::unique_ptr<ExecManager> M, int64_t OptLevel);
/// The manager behind H, or null (never created, or cleaned up). Holding the
/// result keeps the manager alive through a concurrent cleanup.
std::shared_ptr<Managed> findManaged(int64_t H);
/// Removes H; false when it was not live. Erases this thread's slot of H, and
/// makes every other thread drop its own at its next call.
bool removeManaged(int64_t H);

/// Records Msg as H's last error on this thread; returns it.
const char *setError(int64_t H, const std::string &Msg);
/// What a word call returns to C (and records): the result's word (0 for
/// Unit, a float's bits, an integer extended by its signedness), or 0 and
/// the error (rt_exit(code): code).
int64_t finishWordCall(int64_t H, const Result<Value> &R);
/// Records success; returns "".
const char *ok(int64_t H);
/// Records success and keeps Text as H's returned text; returns it.
const char *okText(int64_t H, std::string Text);
/// Records success and keeps Name as H's backend name; returns it.
const char *okBackendName(int64_t H, std::string Name);
/// H's last error on this thread ("" if none yet); for 0, the last
/// handle-less call (create, rt_set_jit_backend).
const char *lastError(int64_t H);
/// Clears H's last error on this thread.
void clearError(int64_t H);
/// The error of a call on an invalid handle. It is not stored per handle (a
/// dead handle's slot would never be freed): it stays valid until this
/// thread's next call on an invalid handle.
const char *invalidHandle(int64_t H);
std::string invalidHandleText(int64_t H);

/// The lock-free list rt_exec_manager_interrupt reads (CApiLimits.cpp):
/// create lists a new manager, cleanup unlists it before it goes.
void listInterruptible(int64_t H, ExecManager *M);
void unlistInterruptible(int64_t H);
/// Interrupts H's manager; false if H is not live. Async-signal-safe.
bool interruptHandle(int64_t H) noexcept;

/// How many per-handle slots this thread holds (for tests of cleanup).
size_t threadSlotCount();

/// "" with static storage, 8-aligned.
extern const char EmptyText[8];

/// Runs Body; a C++ exception becomes H's last error and OnError is returned
/// (none may cross extern "C").
template <typename T, typename F> T guarded(int64_t H, T OnError, F Body) {
  try {
    return Body();
  } catch (const std::exception &X) {
    setError(H, std::string("internal error: ") + X.what());
  } catch (...) {
    setError(H, "internal error: unknown exception");
  }
  return OnError;
}

} // namespace spl::capi

#endif // SPL_EXEC_MANAGER_CAPISTATE_H
