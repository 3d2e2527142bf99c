//===- exec_manager/CApiRuntime.h - The active runtime ----------*- C++ -*-===//
//
// The C API speaks the Simple client's values (RUNTIME.md "The exec manager
// as the client calls it"): arguments arrive as one tagged array handle and
// lists go back as tagged arrays of tagged strings. Those objects belong to
// the *active* runtime: the embedding Simple host's when the host exports the
// rt_* functions, else spl-exec's own (runtime/). So every word is read and
// made through that runtime's functions, never through a guessed layout.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_EXEC_MANAGER_CAPIRUNTIME_H
#define SPL_EXEC_MANAGER_CAPIRUNTIME_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spl::capi {

/// A text parameter of the C API as a char*: compiled Simple passes a raw
/// char*, but a text it built at run time is a tagged string handle, so P
/// goes through rt_interp_cstr (a raw char* passes through unchanged).
const char *cString(const char *P);

/// Items of the tagged array Array, each decoded with rt_value_as_int_wide
/// (execute's integer words; a float argument is its bit pattern). What names
/// the entry point in messages. Fails for a word that is not an array.
llvm::Expected<std::vector<uint64_t>> decodeWordArgs(int64_t Array,
                                                     const char *What);

/// Items of the tagged array Array as char* words (rt_interp_cstr: a tagged
/// string gives its data, a raw char* passes through). Fails for a word that
/// is not an array or an item that is not text.
llvm::Expected<std::vector<uint64_t>> decodeTextArgs(int64_t Array,
                                                     const char *What);

/// The bytes of a text word (a tagged string or a raw char*); NULL is "".
llvm::Expected<std::string> textOfWord(int64_t W, const char *What);

/// A new tagged array of new tagged strings, one per name, made with the
/// active runtime's rt_array_new / rt_string_new / rt_array_push.
llvm::Expected<int64_t> makeStringArray(const std::vector<std::string> &Names,
                                        const char *What);

} // namespace spl::capi

#endif // SPL_EXEC_MANAGER_CAPIRUNTIME_H
