//===- runtime/Text.h - Reading text arguments safely -----------*- C++ -*-===//
//
// Text arguments arrive as a tagged string, as a raw char* (a MIR string
// literal, a C host's string, or the data pointer of one of our strings), or
// as some other word entirely when compiled code probes a value. Raw pointers
// are read only after the memory is known to be readable (SafeRead.cpp), so a
// stray word never crashes the process.
//
//===----------------------------------------------------------------------===//

#ifndef SPL_RUNTIME_TEXT_H
#define SPL_RUNTIME_TEXT_H

#include <cstddef>
#include <cstdint>

namespace spl::rt::detail {

/// Words below this are never dereferenced (small ints, specials, NULL+k).
inline constexpr uint64_t MinPointer = 0x10000;

struct Text {
  const char *Data = "";
  size_t Len = 0;
};

/// A word typed as text: 0 is "", a registered tagged string, or a raw
/// 8-aligned pointer to readable NUL-terminated bytes. False otherwise.
bool textOfWord(int64_t W, Text &T);
/// A char* parameter: as textOfWord, but a raw pointer may have any alignment.
bool textOfPtr(const void *P, Text &T);

/// Length of the NUL-terminated bytes at P when they are readable, reading at
/// most Max bytes (*Truncated then says so). False when an unreadable byte
/// comes first.
bool safeStrlen(const char *P, size_t Max, size_t &Len, bool *Truncated);
/// How many of the N bytes at P are readable from the start.
size_t readablePrefix(const void *P, size_t N);

} // namespace spl::rt::detail

#endif // SPL_RUNTIME_TEXT_H
