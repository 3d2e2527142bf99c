//===- exec_manager/CApiHandles.cpp - Function handles and tiers in C -----===//
//
// rt_exec_manager_lookup hands out a small integer per function name of a
// manager (1, 2, ...: an index into the manager's handles, so a stale or
// foreign number is an error, never a crash); call_handle calls through it
// with words, as execute_args does, without looking the name up.
// rt_exec_manager_function_tier reports where a function runs.
//
//===----------------------------------------------------------------------===//
#include "spl/exec_manager.h"

#include "exec_manager/CApiState.h"

#include <string>
#include <vector>

using namespace spl;
using namespace spl::capi;

extern "C" {

int64_t rt_exec_manager_lookup(int64_t h, const char *fn) {
  return guarded<int64_t>(h, 0, [&]() -> int64_t {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return 0;
    }
    if (!fn) {
      setError(h, "lookup: the function name is NULL");
      return 0;
    }
    auto F = E->M->lookup(fn);
    if (!F) {
      setError(h, F.error().Message);
      return 0;
    }
    std::lock_guard<std::mutex> L(E->FnMu);
    for (size_t K = 0; K < E->Functions.size(); ++K)
      if (E->Functions[K].name() == fn) {
        ok(h);
        return int64_t(K + 1);
      }
    E->Functions.push_back(*F);
    ok(h);
    return int64_t(E->Functions.size());
  });
}

int64_t rt_exec_manager_call_handle(int64_t h, int64_t fh, const int64_t *args,
                                    int64_t nargs) {
  return guarded<int64_t>(h, 0, [&]() -> int64_t {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return 0;
    }
    if (nargs < 0 || (nargs > 0 && !args)) {
      setError(h, "call_handle: invalid arguments (nargs < 0, or args NULL)");
      return 0;
    }
    FunctionHandle F;
    {
      std::lock_guard<std::mutex> L(E->FnMu);
      if (fh < 1 || uint64_t(fh) > E->Functions.size()) {
        setError(h, "call_handle: " + std::to_string(fh) +
                        " is not a function handle of this manager");
        return 0;
      }
      F = E->Functions[size_t(fh - 1)];
    }
    return finishWordCall(
        h, E->M->callWithBits(F, std::vector<uint64_t>(args, args + nargs)));
  });
}

const char *rt_exec_manager_function_tier(int64_t h, const char *fn) {
  return guarded<const char *>(h, EmptyText, [&]() -> const char * {
    auto E = findManaged(h);
    if (!E)
      return invalidHandle(h);
    if (!fn || !E->M->hasFunction(fn)) {
      setError(h, std::string("function_tier: function `") + (fn ? fn : "") +
                      "` is not defined");
      return EmptyText;
    }
    for (const FunctionTier &T : E->M->tiers())
      if (T.Name == fn)
        return okText(h, T.Tier);
    return okText(h, "");
  });
}

} // extern "C"
