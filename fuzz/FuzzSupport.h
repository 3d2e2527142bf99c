//===- fuzz/FuzzSupport.h - Shared by the libFuzzer targets -----*- C++ -*-===//
//
// Private to fuzz/. What more than one target needs: parsing the input as
// the exec manager does, the rule for what the interpreter target runs, and
// telling LeakSanitizer where the runtime keeps its objects.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_FUZZ_FUZZSUPPORT_H
#define SPL_FUZZ_FUZZSUPPORT_H

#include "mir/MIR.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace spl::fuzz {

/// Reads Data as the exec manager's compile() does: readModule, verify,
/// completeRuntimeCalls. The first byte picks the reader (even: text, odd:
/// JSON) and is not part of the source. Errors are dropped: a rejected input
/// is an ordinary outcome, not a finding.
std::optional<mir::Module> loadVerified(const uint8_t *Data, size_t Size);

/// Whether the interpreter target may run M: no instruction or runtime call
/// that dereferences an address the program computed, and a bounded program
/// size. Time is not bounded here: every call runs under a time budget
/// (FuzzInterp.cpp), so loops and recursion are fuzzed too.
///
/// The memory rule stays although memory faults are runtime errors now
/// (issue 14 item 1): the fuzz build instruments the interpreter with ASan,
/// which reports a wild or out-of-bounds MIR load as an error in the
/// interpreter before any fault could happen. That is the program's bug,
/// not a finding. So: Load/Store/GetField/SetField only through locals whose
/// every definition is an Alloc, a GlobalAddr or a struct/tuple Aggregate;
/// no CallIndirect; externs only from a list of word-tolerant runtime
/// functions and builtins.
bool runAllowed(const mir::Module &M);

/// Registers the runtime's object arena as a LeakSanitizer root region:
/// objects live there (an mmap LSan does not scan) and point at malloc'd
/// items, which LSan would otherwise report as leaked although the runtime,
/// which has no garbage collector by design (RUNTIME.md), still holds them.
/// A no-op without LSan.
void registerRuntimeArena();

} // namespace spl::fuzz

#endif // SPL_FUZZ_FUZZSUPPORT_H
