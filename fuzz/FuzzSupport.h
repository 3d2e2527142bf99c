//===- fuzz/FuzzSupport.h - Shared by the libFuzzer targets -----*- C++ -*-===//
//
// Private to fuzz/. What more than one target needs: parsing the input as
// the exec manager does, the bound on what the interpreter target runs, and
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

/// Whether the interpreter target may run M to completion in bounded time
/// and without touching memory the program computed an address for.
///
/// This is the stand-in for the step/time budget (Options::TimeLimitMs and
/// the interrupt, branch `limits`): once that is merged, replace the body by
/// `return true` plus a small budget in runBounded() (fuzz/FuzzInterp.cpp),
/// and drop the memory rule once memory faults are runtime errors (issue 14,
/// item 1). Until then: no cycle in any CFG (so a call runs each block at
/// most once), few call sites per function (with MaxCallDepth 6 the calls
/// made stay below 4^6), a bounded program size, and no instruction or
/// runtime call that dereferences an address the program computed (a wild
/// load kills every backend today; that is issue 14's, not a fuzz finding).
bool boundedRunAllowed(const mir::Module &M);

/// Registers the runtime's object arena as a LeakSanitizer root region:
/// objects live there (an mmap LSan does not scan) and point at malloc'd
/// items, which LSan would otherwise report as leaked although the runtime,
/// which has no garbage collector by design (RUNTIME.md), still holds them.
/// A no-op without LSan.
void registerRuntimeArena();

} // namespace spl::fuzz

#endif // SPL_FUZZ_FUZZSUPPORT_H
