//===- runtime/Runtime.h - The Simple core runtime, C++ face ----*- C++ -*-===//
//
// spl-exec's own implementation of the Simple core runtime ABI (RUNTIME.md):
// the rt_* functions compiled MIR calls for strings, arrays, enums, dicts,
// closures and printing. The C declarations are in runtime/spl_runtime.h; this
// header is what the execution engine uses: the failure hook, the symbol table
// for extern resolution and the tagged-word helpers.
//
//===----------------------------------------------------------------------===//

#ifndef SPL_RUNTIME_RUNTIME_H
#define SPL_RUNTIME_RUNTIME_H

#include <cstddef>
#include <cstdint>

namespace spl::rt {

//===-- Tagged words (RUNTIME.md "Values") --------------------------------===//

inline constexpr int64_t Nil = 3;
inline constexpr int64_t True = 11;
inline constexpr int64_t False = 19;
inline constexpr uint64_t TagMask = 7;
inline constexpr uint64_t TagInt = 0, TagHeap = 1, TagFloat = 2, TagSpecial = 3;

inline constexpr uint64_t tagOf(int64_t W) {
  return static_cast<uint64_t>(W) & TagMask;
}
inline constexpr bool isIntWord(int64_t W) { return tagOf(W) == TagInt; }
inline constexpr bool isHeapWord(int64_t W) { return tagOf(W) == TagHeap; }
inline constexpr bool isLegacyFloatWord(int64_t W) {
  return tagOf(W) == TagFloat;
}
inline constexpr bool isSpecialWord(int64_t W) {
  return tagOf(W) == TagSpecial;
}
/// v << 3, computed unsigned so negative values do not hit UB. Only exact for
/// |v| < 2^60; rt_value_int_wide boxes the rest.
inline constexpr int64_t intWord(int64_t V) {
  return static_cast<int64_t>(static_cast<uint64_t>(V) << 3);
}
/// Arithmetic >> 3.
inline constexpr int64_t intOfWord(int64_t W) { return W >> 3; }
inline constexpr bool fitsIntWord(int64_t V) {
  return V > -(int64_t(1) << 60) && V < (int64_t(1) << 60);
}
inline constexpr int64_t boolWord(bool B) { return B ? True : False; }
inline constexpr int64_t heapWord(uintptr_t P) {
  return static_cast<int64_t>(P | TagHeap);
}
inline constexpr uintptr_t heapPtrOfWord(int64_t W) {
  return static_cast<uintptr_t>(W) & ~static_cast<uintptr_t>(TagMask);
}

//===-- Objects
//------------------------------------------------------------===//

/// True when W names a live object this runtime made: a tagged heap word
/// (ptr|1) or an untagged pointer (an rt_alloc block, an array handle passed
/// untagged). Never dereferences anything that is not ours.
bool isRuntimeObject(int64_t W);

//===-- Text ----------------------------------------------------------------===//

/// Writes the UTF-8 bytes of code point C to Out and returns their count.
/// Values that are not Unicode scalar values (surrogates, beyond U+10FFFF)
/// give U+FFFD rather than bytes no decoder accepts.
size_t encodeUtf8(uint32_t C, char Out[4]);

//===-- Failures
//-----------------------------------------------------------===//

/// Ends the current execution with a runtime error. Never returns (the engine
/// longjmps); it is called with no heap temporaries alive. Message texts:
/// "panic: MSG", "index I out of bounds for length N",
/// "entered unreachable code", "trap".
using FailHandler = void (*)(const char *Message);
/// Process-wide. Null restores the default: print to stderr and abort, which
/// only ever happens outside spl-exec.
void setFailHandler(FailHandler);

//===-- Extern resolution
//--------------------------------------------------===//

/// Sig: the return letter, then one letter per parameter. 'v' void, 'w' int64
/// word, 'p' pointer (char*, uint8_t*, void*), 'f' double, 'b' int8/bool,
/// 'i' int32, 'u' uint64.
struct RuntimeFn {
  const char *Name;
  void *Address;
  const char *Sig;
};
/// Every exported function, sorted by name (strcmp order).
const RuntimeFn *runtimeFunctions(size_t *Count);
/// The entry for Name, or nullptr.
const RuntimeFn *findRuntimeFunction(const char *Name);

} // namespace spl::rt

#endif // SPL_RUNTIME_RUNTIME_H
