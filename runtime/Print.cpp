//===- runtime/Print.cpp - rt_print and friends ---------------------------===//
//
// Output goes through C stdio (stdout/stderr), as ffi/RuntimeBuiltins.cpp
// does, so it interleaves with the builtins and with anything the host
// prints. The (pointer, length) forms flush.
//
//===----------------------------------------------------------------------===//

#include "runtime/Objects.h"
#include "runtime/Text.h"
#include "runtime/spl_runtime.h"

#include <cstdio>

using namespace spl::rt;
using namespace spl::rt::detail;

namespace {

/// A char* argument: a tagged string or readable raw text; anything else
/// (NULL included) prints as empty.
void writeText(const char *S, FILE *To, bool Newline) {
  Text T;
  if (textOfPtr(S, T) && T.Len)
    std::fwrite(T.Data, 1, T.Len, To);
  if (Newline)
    std::fputc('\n', To);
}

/// (P, N): N bytes at P, or the string when P is a tagged string handle.
/// Only the readable prefix is written.
void writeBytes(const uint8_t *P, uint64_t N, FILE *To, bool Newline) {
  if (StringObj *S =
          asString(static_cast<int64_t>(reinterpret_cast<uintptr_t>(P)))) {
    std::fwrite(S->data(), 1, S->Len, To);
  } else if (P && N && reinterpret_cast<uintptr_t>(P) >= MinPointer) {
    size_t Ok = readablePrefix(P, N);
    if (Ok)
      std::fwrite(P, 1, Ok, To);
  }
  if (Newline)
    std::fputc('\n', To);
  std::fflush(To);
}

} // namespace

extern "C" {

void rt_print(const char *S) { writeText(S, stdout, false); }
void rt_println(const char *S) { writeText(S, stdout, true); }
void rt_eprint(const char *S) { writeText(S, stderr, false); }
void rt_eprintln(const char *S) { writeText(S, stderr, true); }

void rt_print_str(const uint8_t *P, uint64_t N) {
  writeBytes(P, N, stdout, false);
}
void rt_println_str(const uint8_t *P, uint64_t N) {
  writeBytes(P, N, stdout, true);
}
void rt_eprint_str(const uint8_t *P, uint64_t N) {
  writeBytes(P, N, stderr, false);
}
void rt_eprintln_str(const uint8_t *P, uint64_t N) {
  writeBytes(P, N, stderr, true);
}

} // extern "C"
