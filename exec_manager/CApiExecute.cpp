//===- exec_manager/CApiExecute.cpp - The C API's calls -------------------===//
//
// The execute family. Arguments are words: execute decodes the Simple
// client's tagged array (CApiRuntime.cpp), execute_args takes C's pointer and
// count, and both hand the words to ExecManager::callWithBits, so a float
// crosses as its bit pattern in both directions, never converted by value.
// execute_f64 is the one numeric call, for C hosts that hold doubles.
//
//===----------------------------------------------------------------------===//
#include "spl/exec_manager.h"

#include "exec_manager/CApiRuntime.h"
#include "exec_manager/CApiState.h"

#include <limits>
#include <string>
#include <vector>

using namespace spl;
using namespace spl::capi;

namespace {

/// What a call returns to C: 0 for Unit, a float's bits, an integer
/// extended by its signedness, a bool 0/1, a handle's word.
int64_t resultWord(const Value &V) {
  return V.isUnit() ? 0 : int64_t(V.bits());
}

} // namespace

int64_t spl::capi::finishWordCall(int64_t H, const Result<Value> &R) {
  if (!R) {
    setError(H, R.error().Message);
    // rt_exit(code) ends the program: its code is the result.
    return R.error().K == ExecError::Kind::Exit ? R.error().ExitCode : 0;
  }
  ok(H);
  return resultWord(*R);
}

extern "C" {

int64_t rt_exec_manager_execute(int64_t h, const char *fn, int64_t args_array) {
  fn = cString(fn);
  return guarded<int64_t>(h, 0, [&]() -> int64_t {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return 0;
    }
    if (!fn) {
      setError(h, "execute: the function name is NULL");
      return 0;
    }
    auto Args = decodeWordArgs(args_array, "execute");
    if (!Args) {
      setError(h, llvm::toString(Args.takeError()));
      return 0;
    }
    return finishWordCall(h, E->M->callWithBits(fn, *Args));
  });
}

int64_t rt_exec_manager_execute_args(int64_t h, const char *fn,
                                     const int64_t *args, int64_t nargs) {
  fn = cString(fn);
  return guarded<int64_t>(h, 0, [&]() -> int64_t {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return 0;
    }
    if (!fn || nargs < 0 || (nargs > 0 && !args)) {
      setError(h, "execute_args: invalid arguments (function name NULL, or "
                  "nargs < 0, or args NULL)");
      return 0;
    }
    std::vector<uint64_t> Words(args, args + nargs);
    return finishWordCall(h, E->M->callWithBits(fn, Words));
  });
}

double rt_exec_manager_execute_f64(int64_t h, const char *fn,
                                   const double *args, int64_t nargs) {
  fn = cString(fn);
  const double NaN = std::numeric_limits<double>::quiet_NaN();
  return guarded<double>(h, NaN, [&]() -> double {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return NaN;
    }
    if (!fn || nargs < 0 || (nargs > 0 && !args)) {
      setError(h, "execute_f64: invalid arguments (function name NULL, or "
                  "nargs < 0, or args NULL)");
      return NaN;
    }
    auto R = E->M->callWithF64(fn, std::vector<double>(args, args + nargs));
    if (!R) {
      setError(h, R.error().Message);
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

bool rt_exec_manager_execute_void(int64_t h, const char *fn) {
  fn = cString(fn);
  return guarded<bool>(h, false, [&]() -> bool {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return false;
    }
    if (!fn) {
      setError(h, "execute_void: the function name is NULL");
      return false;
    }
    auto R = E->M->callWithBits(fn, {});
    if (!R) {
      setError(h, R.error().Message);
      return false;
    }
    ok(h);
    return true;
  });
}

const char *rt_exec_manager_execute_string(int64_t h, const char *fn,
                                           int64_t args_array) {
  fn = cString(fn);
  return guarded<const char *>(h, EmptyText, [&]() -> const char * {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return EmptyText;
    }
    if (!fn) {
      setError(h, "execute_string: the function name is NULL");
      return EmptyText;
    }
    // Reading a number as a char* could crash: only a text result is read.
    if (E->M->hasFunction(fn) && !E->M->returnsText(fn)) {
      setError(h, std::string("execute_string: function `") + fn +
                      "` does not return text (" + E->M->signature(fn) + ")");
      return EmptyText;
    }
    auto Args = decodeTextArgs(args_array, "execute_string");
    if (!Args) {
      setError(h, llvm::toString(Args.takeError()));
      return EmptyText;
    }
    auto R = E->M->callWithBits(fn, *Args);
    if (!R) {
      setError(h, R.error().Message);
      return EmptyText;
    }
    auto Text = textOfWord(int64_t(R->bits()), "execute_string");
    if (!Text) {
      setError(h, llvm::toString(Text.takeError()));
      return EmptyText;
    }
    return okText(h, std::move(*Text));
  });
}

} // extern "C"
