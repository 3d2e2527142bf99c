//===- ffi/FFI.h - Externs: builtins, SFFI libraries, call plans -*- C++ -*-===//
//
// The face header of ffi/. Everything a backend needs to call code that is
// not MIR: the runtime's builtins (a table, not a match), the SFFI convention
// that maps `rt_<lib>_*` to `libspl_<lib>.so`, prepared call plans for the
// interpreter, and the runtime-error unwinding shared by both backends.
// Neither libffi nor dlfcn.h leaks out of this header.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_FFI_FFI_H
#define SPL_FFI_FFI_H

#include "mir/MIR.h"

#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace spl::ffi {

//===----------------------------------------------------------------------===//
// Builtins
//===----------------------------------------------------------------------===//

/// A runtime builtin: its MIR name, its MIR signature, and the C function
/// that implements it (a plain C ABI function the JIT links as an absolute
/// symbol and the interpreter calls through a call plan).
struct Builtin {
  const char *Name;
  mir::Signature Sig;
  void *Address;
};

/// Every builtin, in table order.
llvm::ArrayRef<Builtin> builtins();
/// The builtin named Name, or null.
const Builtin *findBuiltin(llvm::StringRef Name);

/// The text rt_print_f64 writes: the shortest text that round-trips, in the
/// style of Python's repr (13.0, 0.1, 1e+16, 1e-05, inf, nan, -0.0).
std::string formatF64(double V);

//===----------------------------------------------------------------------===//
// SFFI libraries
//===----------------------------------------------------------------------===//

/// A dlopen'd SFFI library; loaded once per process and never unloaded.
struct Library {
  std::string Lib;  // "torch"
  std::string Path; // the file that was loaded
  void *Handle;     // dlopen handle (RTLD_NOW | RTLD_LOCAL)
};

/// "rt_torch_matmul" -> "torch"; empty if Name does not follow rt_<lib>_.
std::string sffiLibName(llvm::StringRef Symbol);

/// The library for Lib, loading it on first use. Search order: the file in
/// SIMPLE_<LIB>_LIB, then libspl_<lib>.so in each directory of
/// SIMPLE_SFFI_PATH, then in the default directories (defaultSearchDirs()).
/// The error names every path tried and dlerror()'s text.
/// When SIMPLE_<LIB>_LIB is set (non-empty) it is the only place tried, so a
/// wrong setting is reported rather than hidden by another copy. Thread-safe;
/// a failure is not cached (fix the environment and call again).
llvm::Expected<const Library &> loadLibrary(llvm::StringRef Lib);

/// Where libraries are looked for after SIMPLE_SFFI_PATH's directories (or
/// alone when it is unset): the directory holding spl-exec's own libraries
/// (the object ffi/ is linked into: libspl_exec.so, or an executable that
/// links it statically), then "build" and "build/lib" relative to the
/// current directory.
std::vector<std::string> defaultSearchDirs();

/// A resolved extern: a builtin, or a symbol of an SFFI library.
struct ExternBinding {
  std::string Name;
  void *Address = nullptr;
  const Builtin *B = nullptr;   // set for builtins
  const Library *Lib = nullptr; // set for SFFI symbols
};

/// Whether a call of Name from module M is an extern call (docs/SEMANTICS.md,
/// "Calls"): Name is not a function of M, and is a builtin, is declared in
/// M's externs, or follows the SFFI convention rt_<lib>_<rest>. Any other
/// name is a MIR function that may arrive later. Both backends use this one
/// rule.
bool isExternName(llvm::StringRef Name, const mir::Module &M);

/// Resolves Name: builtins first, then the SFFI convention. The error names
/// the symbol and every place that was searched.
llvm::Expected<ExternBinding> resolveExtern(llvm::StringRef Name);

//===----------------------------------------------------------------------===//
// Call plans (interpreter side)
//===----------------------------------------------------------------------===//

/// Arguments and results travel as 64-bit slots ("raw values"): integers
/// sign- or zero-extended by their type, Bool 0/1, Char as u32, F64 as its
/// bits, F32 as its bits in the low 32, pointers as addresses.
class CallPlan;
using Invoker = void (*)(const CallPlan &P, const uint64_t *Args,
                         uint64_t *Ret);

/// A prepared call to one C function of one signature: made once at load
/// time, then invoked with no lookup. Common shapes (integers/pointers only up
/// to 6 arguments, doubles only up to 4) use a specialised stub that calls a
/// cast function pointer; everything else goes through a libffi cif cached per
/// signature.
class CallPlan {
public:
  static llvm::Expected<std::unique_ptr<CallPlan>>
  create(const mir::Signature &Sig, void *Fn, llvm::StringRef Name);
  ~CallPlan();

  /// Args holds one slot per parameter; Ret receives the result slot (it
  /// is not touched, and may be null, when the result is Unit or Never).
  void invoke(const uint64_t *Args, uint64_t *Ret) const {
    Invoke(*this, Args, Ret);
  }

  Invoker Invoke = nullptr;
  void *Fn = nullptr;
  const void *Cif = nullptr; // the cached ffi_cif when Invoke is libffi's
  mir::Signature Sig;
  bool UsesLibffi = false;
};

//===----------------------------------------------------------------------===//
// Runtime errors and exits: one unwinding mechanism for every backend
//===----------------------------------------------------------------------===//

/// The error an execution ends with when the program called rt_exit(Code).
class ExitRequest : public llvm::ErrorInfo<ExitRequest> {
public:
  static char ID;
  explicit ExitRequest(int Code) : Code(Code) {}
  int code() const { return Code; }
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  int Code;
};

/// Runs Body under a guard. If, while it runs on this thread, a trap is
/// raised (raiseTrap, spl_rt_trap from JIT code) or the program calls rt_exit,
/// control returns here (longjmp) and the result is the error (a StringError
/// with the trap text, or an ExitRequest). Guards nest.
///
/// Because it longjmps, frames between the guard and the raise must hold no
/// objects with non-trivial destructors (JIT frames never do; the
/// interpreter's dispatch loop is written to that rule).
llvm::Error runGuarded(llvm::function_ref<void()> Body);

/// Ends the innermost guarded execution with Message (must be inside one;
/// outside any guard it is a backend bug: reported on stderr, then abort).
[[noreturn]] void raiseTrap(std::string Message);
/// Ends the innermost guarded execution with an ExitRequest(Code).
[[noreturn]] void raiseExit(int Code);
/// Whether this thread is inside runGuarded.
bool inGuard();

} // namespace spl::ffi

extern "C" {
/// Called by JIT code on a runtime error: builds the text with
/// mir::trapMessage(Kind, Fn, Detail) and ends the guarded execution.
[[noreturn]] void spl_rt_trap(uint32_t Kind, const char *Fn,
                              const char *Detail);
}

#endif // SPL_FFI_FFI_H
