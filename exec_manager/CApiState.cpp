//===- exec_manager/CApiState.cpp - Handles and last errors of the C API --===//
//
// Handles index a process-wide table and are never reused. Results are kept
// per thread and per handle, so concurrent callers of one manager each see
// their own outcome. A cleanup erases the calling thread's slot at once; the
// slots other threads keep for that handle are dropped at their next call
// (a cleanup counter tells them to look), so a program that creates and
// cleans up managers forever does not grow any thread's storage.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/CApiState.h"

#include <mutex>
#include <unordered_map>

namespace spl::capi {

alignas(8) const char EmptyText[8] = "";

namespace {

struct HandleTable {
  std::mutex Mu;
  std::unordered_map<int64_t, std::shared_ptr<Managed>> Live;
  int64_t Next = 1;
  /// Bumped (under Mu) by every cleanup.
  std::atomic<uint64_t> Cleanups{0};
};

HandleTable &handles() {
  static HandleTable *T = new HandleTable; // never destroyed: hosts may call
  return *T;                               // from their own static dtors
}

struct Slot {
  std::string Error, Text, Backend;
};

struct ThreadState {
  std::unordered_map<int64_t, Slot> Slots;
  std::string Invalid;
  uint64_t SeenCleanups = 0;
};
thread_local ThreadState TS;

/// This thread's state, first dropping the slots of handles cleaned up since
/// the last look (the slot of 0, handle-less calls, always stays).
ThreadState &state() {
  HandleTable &T = handles();
  uint64_t C = T.Cleanups.load(std::memory_order_acquire);
  if (C != TS.SeenCleanups) {
    std::lock_guard<std::mutex> L(T.Mu);
    for (auto It = TS.Slots.begin(); It != TS.Slots.end();) {
      if (It->first != 0 && !T.Live.count(It->first))
        It = TS.Slots.erase(It);
      else
        ++It;
    }
    TS.SeenCleanups = C;
  }
  return TS;
}

Slot &slot(int64_t H) { return state().Slots[H]; }

} // namespace

int64_t addManaged(std::unique_ptr<ExecManager> M, int64_t OptLevel) {
  auto E = std::make_shared<Managed>();
  E->M = std::move(M);
  E->OptLevel = OptLevel;
  HandleTable &T = handles();
  std::lock_guard<std::mutex> L(T.Mu);
  int64_t H = T.Next++;
  T.Live.emplace(H, std::move(E));
  return H;
}

std::shared_ptr<Managed> findManaged(int64_t H) {
  HandleTable &T = handles();
  std::lock_guard<std::mutex> L(T.Mu);
  auto It = T.Live.find(H);
  return It == T.Live.end() ? nullptr : It->second;
}

bool removeManaged(int64_t H) {
  std::shared_ptr<Managed> E;
  {
    HandleTable &T = handles();
    std::lock_guard<std::mutex> L(T.Mu);
    auto It = T.Live.find(H);
    if (It == T.Live.end())
      return false;
    E = std::move(It->second);
    T.Live.erase(It);
    T.Cleanups.fetch_add(1, std::memory_order_release);
  }
  state().Slots.erase(H);
  // The manager is released here, or when the last concurrent call on it
  // returns.
  return true;
}

const char *setError(int64_t H, const std::string &Msg) {
  Slot &S = slot(H);
  S.Error = Msg;
  return S.Error.c_str();
}

const char *ok(int64_t H) {
  Slot &S = slot(H);
  S.Error.clear();
  return S.Error.c_str();
}

const char *okText(int64_t H, std::string Text) {
  Slot &S = slot(H);
  S.Error.clear();
  S.Text = std::move(Text);
  return S.Text.c_str();
}

const char *okBackendName(int64_t H, std::string Name) {
  Slot &S = slot(H);
  S.Error.clear();
  S.Backend = std::move(Name);
  return S.Backend.c_str();
}

const char *lastError(int64_t H) { return slot(H).Error.c_str(); }

void clearError(int64_t H) { slot(H).Error.clear(); }

size_t threadSlotCount() { return state().Slots.size(); }

std::string invalidHandleText(int64_t H) {
  return "invalid exec manager handle " + std::to_string(H) +
         " (never created, or already cleaned up)";
}

const char *invalidHandle(int64_t H) {
  ThreadState &S = state();
  S.Invalid = invalidHandleText(H);
  return S.Invalid.c_str();
}

} // namespace spl::capi
