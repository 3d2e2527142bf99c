//===- tools/Driver.h - Shared pieces of the spl-exec command ---*- C++ -*-===//
//
// Each subcommand lives in its own file and registers its llvm::cl options
// on its own cl::SubCommand; this header names them for main().
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TOOLS_DRIVER_H
#define SPL_TOOLS_DRIVER_H

#include "spl/ExecManager.h"

#include "llvm/Support/CommandLine.h"

#include <optional>
#include <string>

namespace spl::tool {

// Accessors rather than globals: options in other files name these during
// static initialisation, which must not depend on the order of files.
llvm::cl::SubCommand &runCmd();
llvm::cl::SubCommand &convertCmd();
llvm::cl::SubCommand &replCmd();
llvm::cl::SubCommand &benchCmd();

/// Exit statuses of the command (all below 128, so never mistaken for a
/// signal): a program's own status is its return value & 255.
enum ExitStatus : int {
  ExitLoadError = 1,   // bad input, unresolved extern, unreadable file
  ExitUsage = 2,       // bad flags
  ExitRuntimeError = 101, // a runtime error of MIR.md (as Rust panics)
};

/// Builds Options from the selection flags shared by run/repl/bench
/// (--backend, --interpret, --no-jit, -O, --jit-threshold, ...). What no
/// flag sets stays unset, so libspl_exec.so takes it from the environment
/// as for any host. Returns false and prints on a bad value.
bool selectionOptions(Options &O);

/// Prints "error: MSG" to stderr and returns the status for E. With File,
/// an error about the file's content reads "FILE:LINE:COL: error: MSG"
/// (text form; the parser's position) or "FILE: error: MSG", so editors
/// and compilation buffers can jump to it.
int reportError(const ExecError &E, const std::string &File = "");

/// The text of a result in RUNTIME.md's rt_raw_*_to_string form for its
/// type; nothing for Unit.
std::optional<std::string> resultText(const Value &V);

/// Reads a whole file ("-" = stdin).
bool readFile(const std::string &Path, std::string &Out, std::string &Err);

int runMain();
int convertMain();
int replMain();
int benchMain();

} // namespace spl::tool

#endif // SPL_TOOLS_DRIVER_H
