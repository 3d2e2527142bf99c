//===- exec_manager/CApiRuntime.cpp - Words of the active runtime ---------===//
//
// Resolves the handful of runtime functions the C API needs once per process
// (a function-local static: thread-safe), in the order extern resolution
// uses (ffi/Resolve.cpp): the host process first (dlsym(RTLD_DEFAULT)), then
// spl-exec's own runtime. Each function is resolved by itself, exactly as an
// extern of MIR code would be, so the C API and JIT code agree on whose
// objects they handle.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/CApiRuntime.h"

#include "runtime/Runtime.h"

#include "llvm/Support/Format.h"

#include <dlfcn.h>

using namespace llvm;

namespace spl::capi {

namespace {

struct ActiveRuntime {
  int64_t (*ArrayNew)(int64_t) = nullptr;
  int8_t (*ArrayPush)(int64_t, int64_t) = nullptr;
  int64_t (*ArrayLen)(int64_t) = nullptr;
  int64_t (*ArrayGet)(int64_t, int64_t) = nullptr;
  int64_t (*AsIntWide)(int64_t) = nullptr;
  int64_t (*StringNew)(const uint8_t *, uint64_t) = nullptr;
  const char *(*InterpCstr)(int64_t) = nullptr;
  // Optional probes that tell an empty array from another heap object.
  int64_t (*StringLen)(int64_t) = nullptr;
  int64_t (*EnumDiscriminant)(int64_t) = nullptr;
};

void *resolve(const char *Name) {
  dlerror(); // per thread; a stale error must not mislead
  if (void *Host = dlsym(RTLD_DEFAULT, Name))
    return Host;
  if (const rt::RuntimeFn *F = rt::findRuntimeFunction(Name))
    return F->Address;
  return nullptr;
}

template <typename Fn> void bind(Fn &Slot, const char *Name) {
  Slot = reinterpret_cast<Fn>(resolve(Name));
}

const ActiveRuntime &runtime() {
  static const ActiveRuntime R = [] {
    ActiveRuntime A;
    bind(A.ArrayNew, "rt_array_new");
    bind(A.ArrayPush, "rt_array_push");
    bind(A.ArrayLen, "rt_array_len");
    bind(A.ArrayGet, "rt_array_get");
    bind(A.AsIntWide, "rt_value_as_int_wide");
    bind(A.StringNew, "rt_string_new");
    bind(A.InterpCstr, "rt_interp_cstr");
    bind(A.StringLen, "rt_string_len");
    bind(A.EnumDiscriminant, "rt_enum_discriminant");
    return A;
  }();
  return R;
}

Error fail(const char *What, const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Twine(What) + ": " + Msg);
}

/// An error naming the first of Names whose function is missing, else
/// success.
Error require(
    const char *What,
    std::initializer_list<std::pair<const void *, const char *>> Fns) {
  for (auto [Address, Name] : Fns)
    if (!Address)
      return fail(What, Twine("the Simple runtime function `") + Name +
                            "` is not available (neither the host process "
                            "nor libspl_exec.so defines it)");
  return Error::success();
}

std::string hexWord(int64_t W) {
  std::string S;
  raw_string_ostream(S) << format_hex(uint64_t(W), 1);
  return S;
}

/// Words below this are never dereferenced (RUNTIME.md rt_interp_cstr).
constexpr uintptr_t FirstAddress = 0x10000;

/// The number of items of Array, checking that the word is an array handle.
Expected<int64_t> arrayLength(const ActiveRuntime &R, int64_t Array,
                              const char *What) {
  auto NotArray = [&] {
    return fail(What, "the arguments are not an array handle (word " +
                          hexWord(Array) + ")");
  };
  // Handles are tagged heap words (RUNTIME.md "Values"), but a host runtime
  // may pass them untagged (upstream spells the parameter SplArray*): refuse
  // only what is certainly no handle, and let rt_array_len judge the rest.
  if (rt::isLegacyFloatWord(Array) || rt::isSpecialWord(Array) ||
      (rt::isIntWord(Array) && uint64_t(Array) < FirstAddress))
    return NotArray();
  int64_t N = R.ArrayLen(Array);
  if (N < 0)
    return NotArray();
  // rt_array_len gives 0 for any non-array: probe the other documented kinds
  // so a string or an enum is not taken for an empty list.
  if (N == 0 && ((R.StringLen && R.StringLen(Array) >= 0) ||
                 (R.EnumDiscriminant && R.EnumDiscriminant(Array) >= 0)))
    return NotArray();
  return N;
}

} // namespace

const char *cString(const char *P) {
  const ActiveRuntime &R = runtime();
  if (!P || !R.InterpCstr)
    return P;
  return R.InterpCstr(int64_t(uintptr_t(P)));
}

Expected<std::vector<uint64_t>> decodeWordArgs(int64_t Array,
                                               const char *What) {
  const ActiveRuntime &R = runtime();
  if (Error E =
          require(What, {{(const void *)R.ArrayLen, "rt_array_len"},
                         {(const void *)R.ArrayGet, "rt_array_get"},
                         {(const void *)R.AsIntWide, "rt_value_as_int_wide"}}))
    return E;
  Expected<int64_t> N = arrayLength(R, Array, What);
  if (!N)
    return N.takeError();
  std::vector<uint64_t> Out;
  Out.reserve(size_t(*N));
  for (int64_t I = 0; I < *N; ++I)
    Out.push_back(uint64_t(R.AsIntWide(R.ArrayGet(Array, I))));
  return Out;
}

Expected<std::vector<uint64_t>> decodeTextArgs(int64_t Array,
                                               const char *What) {
  const ActiveRuntime &R = runtime();
  if (Error E = require(What, {{(const void *)R.ArrayLen, "rt_array_len"},
                               {(const void *)R.ArrayGet, "rt_array_get"},
                               {(const void *)R.InterpCstr, "rt_interp_cstr"}}))
    return E;
  Expected<int64_t> N = arrayLength(R, Array, What);
  if (!N)
    return N.takeError();
  std::vector<uint64_t> Out;
  Out.reserve(size_t(*N));
  for (int64_t I = 0; I < *N; ++I) {
    int64_t W = R.ArrayGet(Array, I);
    const char *S = R.InterpCstr(W);
    if (uintptr_t(S) < FirstAddress)
      return fail(What, "argument " + Twine(I) + " is not text (word " +
                            hexWord(W) + ")");
    Out.push_back(uint64_t(uintptr_t(S)));
  }
  return Out;
}

Expected<std::string> textOfWord(int64_t W, const char *What) {
  const ActiveRuntime &R = runtime();
  if (Error E = require(What, {{(const void *)R.InterpCstr, "rt_interp_cstr"}}))
    return E;
  if (W == 0)
    return std::string();
  const char *S = R.InterpCstr(W);
  if (uintptr_t(S) < FirstAddress)
    return fail(What, "the result is not text (word " + hexWord(W) + ")");
  return std::string(S);
}

Expected<int64_t> makeStringArray(const std::vector<std::string> &Names,
                                  const char *What) {
  const ActiveRuntime &R = runtime();
  if (Error E = require(What, {{(const void *)R.ArrayNew, "rt_array_new"},
                               {(const void *)R.ArrayPush, "rt_array_push"},
                               {(const void *)R.StringNew, "rt_string_new"}}))
    return E;
  int64_t A = R.ArrayNew(int64_t(Names.size()));
  if (A == 0 || A == rt::Nil)
    return fail(What, "rt_array_new failed");
  for (const std::string &N : Names)
    R.ArrayPush(
        A, R.StringNew(reinterpret_cast<const uint8_t *>(N.data()), N.size()));
  return A;
}

} // namespace spl::capi
