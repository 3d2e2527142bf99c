//===- mir/JSONReaders.h - The two JSON readers, for tests and benchmarks -*-
//C++ -*-===//
//
// Private to mir/ (and its tests and benchmarks). readJSON (MIR.h) reads
// with its own parser (JSONView.h) and falls back to the llvm::json reader
// whenever that declines; these name each path on its own.
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

/// The fast reader alone: the module, or nullopt where it declines (the
/// text is not JSON as llvm::json reads it, it needs the quirks pass, or it
/// holds an error: readJSON then asks readJSONWithLLVM).
std::optional<Module> readJSONFast(llvm::StringRef Text);

/// Parsing only, without building a model (the benchmark's reader share):
/// true when the text parses. The fast one parses (checking as it goes) and
/// visits every value as the reader's view does.
bool parseOnlyWithLLVM(llvm::StringRef Text);
bool parseOnlyFast(llvm::StringRef Text);

} // namespace spl::mir

#endif // SPL_MIR_JSONREADERS_H
