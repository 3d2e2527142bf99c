//===- mir/JSONReaders.h - The two JSON readers, for tests and benchmarks -*-
//C++ -*-===//
//
// Private to mir/ (and its tests and benchmarks). readJSON (MIR.h) reads
// with simdjson and falls back to the llvm::json reader whenever simdjson
// declines; these name each path on its own.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_JSONREADERS_H
#define SPL_MIR_JSONREADERS_H

#include "mir/MIR.h"

#include <optional>

namespace spl::mir {

/// The llvm::json reader (quirks pre-pass, DOM, semantic layer): the
/// reference for every model and message.
llvm::Expected<Module> readJSONWithLLVM(llvm::StringRef Text);

/// The simdjson reader alone: the module, or nullopt where it declines (the
/// text is not JSON as llvm::json reads it, it needs the quirks pass, or it
/// holds an error: readJSON then asks readJSONWithLLVM). Capacity as for
/// jsonview::JSONDocument::open.
std::optional<Module> readJSONWithSimdjson(llvm::StringRef Text,
                                           size_t Capacity = 0);

/// Parsing only, without building a model (the benchmark's reader share):
/// true when the text parses. The simdjson one parses, validates and visits
/// every value as the reader's view does.
bool parseOnlyWithLLVM(llvm::StringRef Text);
bool parseOnlyWithSimdjson(llvm::StringRef Text);

} // namespace spl::mir

#endif // SPL_MIR_JSONREADERS_H
