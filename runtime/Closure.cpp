//===- runtime/Closure.cpp - Closures: a function word and captures -------===//

#include "runtime/Objects.h"
#include "runtime/spl_runtime.h"

using namespace spl::rt;
using namespace spl::rt::detail;

extern "C" {

/// N zero captures (N < 0 counts as 0); nil when N is absurdly large.
int64_t rt_closure_new(int64_t Fn, int64_t N) {
  if (N < 0)
    N = 0;
  if (N > (int64_t(1) << 32))
    return Nil;
  auto *C = static_cast<ClosureObj *>(heap::allocate(
      heap::Kind::Closure,
      sizeof(ClosureObj) + static_cast<size_t>(N) * sizeof(int64_t)));
  if (!C)
    return Nil;
  C->Kind = ClosureKind;
  C->Func = Fn;
  C->Count = N;
  return wordOf(C);
}

int8_t rt_closure_set_capture(int64_t H, int64_t I, int64_t W) {
  ClosureObj *C = asClosure(H);
  if (!C || I < 0 || I >= C->Count)
    return 0;
  C->captures()[I] = W;
  return 1;
}

int64_t rt_closure_get_capture(int64_t H, int64_t I) {
  ClosureObj *C = asClosure(H);
  if (!C || I < 0 || I >= C->Count)
    return Nil;
  return C->captures()[I];
}

/// 0 for a non-closure: then the word itself is the function.
int64_t rt_closure_func_ptr(int64_t W) {
  ClosureObj *C = asClosure(W);
  return C ? C->Func : 0;
}

} // extern "C"
