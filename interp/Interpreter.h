//===- interp/Interpreter.h - The MIR interpreter backend -------*- C++ -*-===//
//
// The face header of interp/. Functions are lowered once, when loaded, to
// compact register bytecode and run by a threaded dispatch loop. Arguments
// and results are raw 64-bit slots (see ffi/FFI.h).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_INTERP_INTERPRETER_H
#define SPL_INTERP_INTERPRETER_H

#include "ffi/FFI.h"
#include "mir/MIR.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace spl::interp {

struct Options {
  unsigned MaxCallDepth = mir::DefaultMaxCallDepth;
  /// GlobalAddr cells, shared with the other tier of an auto manager; null:
  /// the interpreter makes its own.
  std::shared_ptr<ffi::GlobalCells> Globals;
  ffi::ResolveOptions Resolve;
  /// (guard) Where a trap of a C callback called with no execution running
  /// goes (the callback returns 0); null: stderr.
  std::shared_ptr<ffi::CallbackErrors> CallbackErrors;
  /// The manager's interrupt flag and time budgets; null: the interpreter
  /// makes its own (nothing raises it but interrupt() on it).
  std::shared_ptr<ffi::CallLimits> Limits;
};

class Interpreter {
public:
  static llvm::Expected<std::unique_ptr<Interpreter>> create(Options Opts = {});
  ~Interpreter();

  /// Adds the functions of M, replacing functions of the same name. Externs
  /// are bound here (resolution errors are load errors). All or nothing: on
  /// error nothing of M is visible. Not to be called concurrently with call().
  llvm::Error load(const mir::Module &M);
  /// load() without running mir::verify, for a module the caller has
  /// verified already (the exec manager verifies once for every tier).
  llvm::Error loadVerified(const mir::Module &M);

  bool hasFunction(llvm::StringRef Name) const;
  /// The signature of a loaded function, or null.
  const mir::Signature *signature(llvm::StringRef Name) const;

  /// Runs Name. Args are raw slots (one per parameter); the result is the raw
  /// slot of the return value (0 for Unit). Runtime errors come back as an
  /// error with mir::trapMessage text; rt_exit as ffi::ExitRequest. Safe to
  /// call from several threads at once.
  llvm::Expected<uint64_t> call(llvm::StringRef Name,
                                llvm::ArrayRef<uint64_t> Args);

  void setMaxCallDepth(unsigned N);

  class Impl;

private:
  explicit Interpreter(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> P;
};

} // namespace spl::interp

#endif // SPL_INTERP_INTERPRETER_H
