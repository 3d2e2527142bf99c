//===- interp/Interpreter.h - The MIR interpreter backend -------*- C++ -*-===//
//
// The face header of interp/. Functions are lowered once, when loaded, to
// compact register bytecode and run by a threaded dispatch loop. Arguments
// and results are raw 64-bit slots (see ffi/FFI.h).
//
// Tiering hooks (neutral: nothing here knows which other tier exists; the
// exec manager wires them):
//   * profile: every definition counts its calls, and with a back-edge
//     threshold the loop back-edges it takes (an interpreter that does not
//     tier up leaves its loops free of that); when either reaches its
//     threshold, Options::OnHot hears of it once (on the thread that ran
//     it, inside the execution: the hook must return quickly and must not
//     run MIR);
//   * publishNative: native code for a definition, which interpreted callers,
//     host calls and C callbacks reach from then on (one pointer store per
//     call site); unpublishNative goes back to the bytecode;
//   * callFromNative: native code calling a function it does not have,
//     continuing the execution it runs in;
//   * bindings: how a definition bound its calls when it was loaded, so that
//     another tier compiling it later binds them the same way.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_INTERP_INTERPRETER_H
#define SPL_INTERP_INTERPRETER_H

#include "ffi/FFI.h"
#include "mir/MIR.h"
#include "mir/Semantics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spl::interp {

/// A function's permanent identity in one interpreter: it follows
/// redefinitions, and a call through it needs no name lookup. Null: none.
class FunctionRef {
public:
  FunctionRef() = default;
  explicit operator bool() const { return P != nullptr; }
  bool operator==(const FunctionRef &O) const { return P == O.P; }
  const void *opaque() const { return P; }
  static FunctionRef fromOpaque(const void *P) { return FunctionRef(P); }

private:
  explicit FunctionRef(const void *P) : P(P) {}
  const void *P = nullptr;
};

/// Native code of another tier for one definition: raw-slot arguments, the
/// raw slot of the result written to *Ret, run at call depth Depth (1 = a
/// host call), inside the guarded execution of its caller.
using NativeEntry = void (*)(const uint64_t *Args, uint64_t *Ret,
                             uint32_t Depth);

/// How a definition's call of one constant callee was bound when it was
/// loaded (CallBinding in Bytecode.h).
struct Binding {
  bool Extern = false;
  std::string Target; // the extern's or the program function's name
  /// A program function whose signature was known then: the calls were
  /// compiled for Sig; else each call for its own call-site signature
  /// (mir::boundCallSignature).
  std::optional<mir::Signature> Known;
};

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
  /// (tiering) Calls / back-edges of one definition before OnHot hears of
  /// it (0: never); no hook, no report.
  unsigned HotCalls = 0, HotBackEdges = 0;
  /// Called once per definition Def (definition()) of F that got hot, with
  /// whether loop back-edges (rather than calls) made it so.
  std::function<void(FunctionRef F, const void *Def, bool ByBackEdges)> OnHot;
};

/// What one definition of a function did in the interpreter so far.
struct Profile {
  uint64_t Calls = 0, BackEdges = 0;
  /// (osr) Running calls that moved to a continuation from a back-edge.
  uint64_t OsrTransfers = 0;
};

class Interpreter {
public:
  static llvm::Expected<std::unique_ptr<Interpreter>> create(Options Opts = {});
  ~Interpreter();

  /// Adds the functions of M, replacing functions of the same name. Externs
  /// are bound here (resolution errors are load errors). All or nothing: on
  /// error nothing of M is visible. Safe while other threads run calls: a
  /// call that started before sees the old definitions or the new ones.
  llvm::Error load(const mir::Module &M);
  /// load() without running mir::verify, for a module the caller has
  /// verified already (the exec manager verifies once for every tier).
  llvm::Error loadVerified(const mir::Module &M);

  bool hasFunction(llvm::StringRef Name) const;
  /// The signature of a loaded function, or null.
  const mir::Signature *signature(llvm::StringRef Name) const;
  /// The function Name (or "#<symbol id>": the one calls by that id reach),
  /// or null when nothing of that name was ever loaded or called.
  FunctionRef lookup(llvm::StringRef Name) const;
  llvm::StringRef name(FunctionRef F) const;
  /// F's current signature, or none when F is undefined.
  std::optional<mir::Signature> signature(FunctionRef F) const;

  /// Runs Name. Args are raw slots (one per parameter); the result is the raw
  /// slot of the return value (0 for Unit). Runtime errors come back as an
  /// error with mir::trapMessage text; rt_exit as ffi::ExitRequest. Safe to
  /// call from several threads at once.
  llvm::Expected<uint64_t> call(llvm::StringRef Name,
                                llvm::ArrayRef<uint64_t> Args);
  /// The same for a function found earlier.
  llvm::Expected<uint64_t> call(FunctionRef F, llvm::ArrayRef<uint64_t> Args);

  void setMaxCallDepth(unsigned N);

  //===------------------------------------------------------------------===//
  // Tiering
  //===------------------------------------------------------------------===//

  /// F's current definition (changes at each redefinition; opaque, never
  /// reused while the interpreter lives), or null when F is undefined.
  const void *definition(FunctionRef F) const;
  /// The calls and back-edges F's current definition has made.
  Profile profile(FunctionRef F) const;
  /// How F's current definition bound its calls of the constant callee Key
  /// (a name, or "#<symbol id>"); none when it has no such call.
  std::optional<Binding> binding(FunctionRef F, llvm::StringRef Key) const;
  /// The program functions F's current definition calls by name or id.
  std::vector<std::string> callees(FunctionRef F) const;
  /// From now on calls of F run Entry, which is native code for definition
  /// Def. False (nothing changes) when F has been redefined since Def.
  bool publishNative(FunctionRef F, const void *Def, NativeEntry Entry);
  /// Calls of F run its current definition's bytecode again (its native
  /// code is going away); its profile starts over, so it can get hot again.
  void unpublishNative(FunctionRef F);

  /// (osr) Definition Def's frame image (mir/Semantics.h): where its running
  /// calls keep their state at the blocks its back-edges go to; null when
  /// it has no loop, or the interpreter does not count back-edges
  /// (Options::OnHot, HotBackEdges).
  static const mir::FrameImage *frameImage(const void *Def);
  /// (osr) Another tier prepares a continuation of Def's running calls:
  /// they look for it every few hundred back-edges from now on, and move
  /// to Entry once published (at one of the image's target blocks). The
  /// continuation must stay callable while the interpreter lives. end
  /// stops the looking (no continuation will come, or it came and the
  /// calls that could use it are over).
  static void beginContinuation(const void *Def);
  static void publishContinuation(const void *Def, mir::OSREntryFn Entry);
  static void endContinuation(const void *Def);
  /// Runs F for native code of another tier at call depth Depth (the
  /// callee's: the caller's plus one), raw-slot Args, returning the raw
  /// result. Only from inside a guarded execution (ffi::runGuarded): a trap
  /// leaves through its guard, a raise unwinds to the innermost catching
  /// frame of either tier, as from any call.
  uint64_t callFromNative(FunctionRef F, const uint64_t *Args,
                          uint32_t NumArgs, uint32_t Depth);
  /// The C address of F as a function pointer of type Sig: the one the
  /// interpreter's own code uses (Callbacks.h), so a pointer taken in either
  /// tier compares equal.
  llvm::Expected<uint64_t> functionPointer(FunctionRef F,
                                           const mir::Signature &Sig);

  class Impl;

private:
  explicit Interpreter(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> P;
};

} // namespace spl::interp

#endif // SPL_INTERP_INTERPRETER_H
