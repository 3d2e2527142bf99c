//===- exec_manager/CApi.cpp - The C API of libspl_exec.so ----------------===//
//
// The only place where errors become strings for C hosts. Handles index a
// process-wide table; every entry point checks its handle, catches every C++
// exception (none may cross extern "C"), and records the outcome in a
// per-thread, per-handle last-error slot so concurrent callers of one manager
// each see their own result.
//
//===----------------------------------------------------------------------===//
#include "spl/exec_manager.h"
#include "spl/ExecManager.h"

#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

using namespace spl;

namespace {
struct HandleTable {
  std::mutex Mu;
  std::unordered_map<int64_t, std::shared_ptr<ExecManager>> Live;
  int64_t Next = 1;

  std::shared_ptr<ExecManager> get(int64_t H) {
    std::lock_guard<std::mutex> L(Mu);
    auto It = Live.find(H);
    return It == Live.end() ? nullptr : It->second;
  }
};

HandleTable &handles() {
  static HandleTable T; // never destroyed before hosts stop calling
  return T;
}

/// This thread's results per handle; also holds the strings returned to C.
struct ThreadState {
  std::unordered_map<int64_t, std::string> LastError;
  std::unordered_map<int64_t, std::string> BackendName;
};
thread_local ThreadState TS;

const char *setError(int64_t H, std::string Msg) {
  std::string &S = TS.LastError[H];
  S = std::move(Msg);
  return S.c_str();
}
const char *ok(int64_t H) { return setError(H, ""); }

std::string invalidHandle(int64_t H) {
  return "invalid exec manager handle " + std::to_string(H) +
         " (never created, or already cleaned up)";
}

std::string describe(const ExecError &E) { return E.Message; }

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
} // namespace

extern "C" {

int64_t rt_exec_manager_create(const char *backend) {
  return guarded<int64_t>(0, 0, [&]() -> int64_t {
    Options O;
    O.Backend = backend ? backend : "";
    auto M = ExecManager::create(O);
    if (!M) {
      setError(0, describe(M.error()));
      return 0;
    }
    HandleTable &T = handles();
    std::lock_guard<std::mutex> L(T.Mu);
    int64_t H = T.Next++;
    T.Live.emplace(H, std::shared_ptr<ExecManager>(std::move(*M)));
    ok(0);
    return H;
  });
}

const char *rt_exec_manager_compile(int64_t h, const char *mir) {
  return guarded<const char *>(h, "internal error", [&]() -> const char * {
    auto M = handles().get(h);
    if (!M)
      return setError(h, invalidHandle(h));
    if (!mir)
      return setError(h, "compile: MIR text is NULL");
    Status S = M->compile(mir);
    if (!S)
      return setError(h, describe(S.error()));
    return ok(h);
  });
}

int64_t rt_exec_manager_execute(int64_t h, const char *fn, const int64_t *args,
                                int64_t nargs) {
  return guarded<int64_t>(h, 0, [&]() -> int64_t {
    auto M = handles().get(h);
    if (!M) {
      setError(h, invalidHandle(h));
      return 0;
    }
    if (!fn || nargs < 0 || (nargs > 0 && !args)) {
      setError(h, "execute: invalid arguments (function name NULL, or "
                  "nargs < 0, or args NULL)");
      return 0;
    }
    auto R = M->callWithI64(fn, std::vector<int64_t>(args, args + nargs));
    if (!R) {
      setError(h, describe(R.error()));
      return R.error().K == ExecError::Kind::Exit ? R.error().ExitCode : 0;
    }
    ok(h);
    if (R->isFloat())
      return int64_t(R->asF64());
    return R->asI64();
  });
}

double rt_exec_manager_execute_f64(int64_t h, const char *fn,
                                   const double *args, int64_t nargs) {
  const double NaN = std::numeric_limits<double>::quiet_NaN();
  return guarded<double>(h, NaN, [&]() -> double {
    auto M = handles().get(h);
    if (!M) {
      setError(h, invalidHandle(h));
      return NaN;
    }
    if (!fn || nargs < 0 || (nargs > 0 && !args)) {
      setError(h, "execute_f64: invalid arguments (function name NULL, or "
                  "nargs < 0, or args NULL)");
      return NaN;
    }
    auto R = M->callWithF64(fn, std::vector<double>(args, args + nargs));
    if (!R) {
      setError(h, describe(R.error()));
      return NaN;
    }
    ok(h);
    if (R->isFloat())
      return R->asF64();
    if (R->type() == ValueType::U64)
      return double(R->asU64());
    return double(R->asI64());
  });
}

bool rt_exec_manager_has_function(int64_t h, const char *fn) {
  return guarded<bool>(h, false, [&]() -> bool {
    auto M = handles().get(h);
    if (!M) {
      setError(h, invalidHandle(h));
      return false;
    }
    ok(h);
    return fn && M->hasFunction(fn);
  });
}

const char *rt_exec_manager_backend_name(int64_t h) {
  return guarded<const char *>(h, "", [&]() -> const char * {
    auto M = handles().get(h);
    if (!M) {
      setError(h, invalidHandle(h));
      return "";
    }
    ok(h);
    std::string &S = TS.BackendName[h];
    S = M->backendName();
    return S.c_str();
  });
}

const char *rt_exec_manager_get_last_error(int64_t h) {
  return guarded<const char *>(h, "internal error", [&]() -> const char * {
    // An invalid handle that was never used on this thread still gets an
    // answer: its invalidity.
    if (h != 0 && !handles().get(h)) {
      auto It = TS.LastError.find(h);
      if (It == TS.LastError.end() || It->second.empty())
        return setError(h, invalidHandle(h));
    }
    return TS.LastError[h].c_str();
  });
}

void rt_exec_manager_set_opt_level(int64_t h, int64_t level) {
  guarded<int>(h, 0, [&]() -> int {
    auto M = handles().get(h);
    if (!M) {
      setError(h, invalidHandle(h));
      return 0;
    }
    if (level < 0 || level > 3) {
      setError(h, "set_opt_level: level must be 0..3, got " +
                      std::to_string(level));
      return 0;
    }
    M->setOptLevel(unsigned(level));
    ok(h);
    return 0;
  });
}

void rt_exec_manager_cleanup(int64_t h) {
  guarded<int>(h, 0, [&]() -> int {
    std::shared_ptr<ExecManager> M;
    {
      HandleTable &T = handles();
      std::lock_guard<std::mutex> L(T.Mu);
      auto It = T.Live.find(h);
      if (It == T.Live.end()) {
        setError(h, invalidHandle(h));
        return 0;
      }
      M = std::move(It->second);
      T.Live.erase(It);
    }
    ok(h);
    // M is released here, or when the last concurrent call on it returns.
    return 0;
  });
}

} // extern "C"
