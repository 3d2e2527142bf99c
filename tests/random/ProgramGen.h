//===- tests/random/ProgramGen.h - Random MIR of the v2 forms -*- C++ -*-===//
//
// Writes a random, terminating, deterministic program in the MIR text form
// (docs/MIR-TEXT.md) whose `main() -> i64` exercises tuples and structs with
// mixed-type fields (Aggregate, GetField, SetField, nested, passed to and
// returned from functions), global cells (GlobalAddr + Load/Store as i64),
// exceptions (invoke with and without unwind, throw with computed payloads and
// tags, resume, tag dispatch by switch, raises in loops, catches several
// frames up, a bounded recursion that raises at its bottom), ordinary integer
// and float arithmetic, casts, branches, switches and bounded loops.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_RANDOM_PROGRAMGEN_H
#define SPL_TESTS_RANDOM_PROGRAMGEN_H

#include <cstdint>
#include <string>

namespace spl::randomtest {

/// The program of Seed (the same text for the same seed, on every machine).
std::string generateProgram(uint64_t Seed);

} // namespace spl::randomtest

#endif // SPL_TESTS_RANDOM_PROGRAMGEN_H
