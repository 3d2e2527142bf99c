//===- ffi/WFFI.cpp - dlopen/dlsym and calls through raw addresses
//----------===//
//
// The WFFI builtins let a MIR program load any shared library at run time and
// call its functions without declaring them: handles and function addresses
// travel as I64, arguments as an array of I64 (or F64) with a count. Calls
// with 0..8 arguments of one class are enough for C functions such as
// strlen, labs or pow; richer signatures go through SFFI instead.
//
//===----------------------------------------------------------------------===//

#include "BuiltinFns.h"
#include "Guard.h"
#include "ffi/FFI.h"

#include <dlfcn.h>

#include <string>

using namespace spl;

namespace {

constexpr int64_t MaxWffiArgs = 8;

/// Why a WFFI call's operands are bad, or "" when they are fine.
std::string callProblem(const char *Builtin, int64_t Fn, const void *Args,
                        int64_t NArgs) {
  std::string Why;
  if (NArgs < 0 || NArgs > MaxWffiArgs)
    Why = "argument count " + std::to_string(NArgs) + " is out of range (0..8)";
  else if (Fn == 0)
    Why = "null function pointer";
  else if (NArgs > 0 && !Args)
    Why = "null argument array";
  else
    return Why;
  return "runtime error: " + std::string(Builtin) + ": " + Why;
}

/// Traps (never returns) when a WFFI call's operands are bad. The message is
/// handed over before unwinding so no string is alive when we longjmp.
void checkCall(const char *Builtin, int64_t Fn, const void *Args,
               int64_t NArgs) {
  if (__builtin_expect(NArgs < 0 || NArgs > MaxWffiArgs || Fn == 0 ||
                           (NArgs > 0 && !Args),
                       0)) {
    ffi::setPendingTrap(callProblem(Builtin, Fn, Args, NArgs));
    ffi::unwindToGuard();
  }
}

template <class T, class R> R callWith(int64_t Fn, const T *A, int64_t N) {
  void *P = reinterpret_cast<void *>(Fn);
  switch (N) {
  case 0:
    return reinterpret_cast<R (*)()>(P)();
  case 1:
    return reinterpret_cast<R (*)(T)>(P)(A[0]);
  case 2:
    return reinterpret_cast<R (*)(T, T)>(P)(A[0], A[1]);
  case 3:
    return reinterpret_cast<R (*)(T, T, T)>(P)(A[0], A[1], A[2]);
  case 4:
    return reinterpret_cast<R (*)(T, T, T, T)>(P)(A[0], A[1], A[2], A[3]);
  case 5:
    return reinterpret_cast<R (*)(T, T, T, T, T)>(P)(A[0], A[1], A[2], A[3],
                                                     A[4]);
  case 6:
    return reinterpret_cast<R (*)(T, T, T, T, T, T)>(P)(A[0], A[1], A[2], A[3],
                                                        A[4], A[5]);
  case 7:
    return reinterpret_cast<R (*)(T, T, T, T, T, T, T)>(P)(
        A[0], A[1], A[2], A[3], A[4], A[5], A[6]);
  default:
    return reinterpret_cast<R (*)(T, T, T, T, T, T, T, T)>(P)(
        A[0], A[1], A[2], A[3], A[4], A[5], A[6], A[7]);
  }
}

} // namespace

extern "C" {

/// A handle for the library at Path (RTLD_NOW | RTLD_LOCAL), or 0 if it
/// cannot be loaded. A null Path opens the program itself, whose handle finds
/// every symbol of the process's global scope (libc, for one).
int64_t spl_builtin_dlopen(const char *Path) {
  return reinterpret_cast<int64_t>(dlopen(Path, RTLD_NOW | RTLD_LOCAL));
}

/// The address of Name in the library Handle, or 0 when it is missing. Handle
/// 0 (a failed spl_dlopen) finds nothing: it does not mean "search
/// everywhere".
int64_t spl_builtin_dlsym(int64_t Handle, const char *Name) {
  if (Handle == 0 || !Name)
    return 0;
  return reinterpret_cast<int64_t>(
      dlsym(reinterpret_cast<void *>(Handle), Name));
}

/// Releases a handle of spl_dlopen: 0 on success, -1 on failure (including
/// handle 0). Functions of the library must not be called afterwards.
int64_t spl_builtin_dlclose(int64_t Handle) {
  if (Handle == 0)
    return -1;
  return dlclose(reinterpret_cast<void *>(Handle)) == 0 ? 0 : -1;
}

/// Calls Fn(Args[0], ..., Args[NArgs-1]) as a C function of NArgs int64_t
/// parameters returning int64_t (pointers pass as their address).
int64_t spl_builtin_wffi_call_i64(int64_t Fn, const int64_t *Args,
                                  int64_t NArgs) {
  checkCall("spl_wffi_call_i64", Fn, Args, NArgs);
  return callWith<int64_t, int64_t>(Fn, Args, NArgs);
}

/// Calls Fn(Args[0], ..., Args[NArgs-1]) as a C function of NArgs double
/// parameters returning double.
double spl_builtin_wffi_call_f64(int64_t Fn, const double *Args,
                                 int64_t NArgs) {
  checkCall("spl_wffi_call_f64", Fn, Args, NArgs);
  return callWith<double, double>(Fn, Args, NArgs);
}

} // extern "C"
