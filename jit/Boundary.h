//===- jit/Boundary.h - Between libspl_exec.so and its JIT ------*- C++ -*-===//
//
// The other half of jit/'s face, for exec_manager/JitLoader.cpp and
// jit/plugin/ only. libspl_exec.so (exec manager, interpreter, ffi, runtime,
// mir, a static LLVM Support) loads libspl_exec_jit.so (jit/, mir and the
// static LLVM the JIT needs) the first time a JIT session is created, from
// its own directory, so a program that never compiles never maps, relocates
// or initialises that LLVM. Both are built from one tree. What crosses:
//
//  1. jit::Session (JIT.h): the core calls its virtual methods. The types in
//     their signatures are laid out by headers both sides compile, and any
//     memory they own is freed by the one C++ runtime of the process.
//  2. CoreServices (below): the core's functions jit/ calls. State of ffi/
//     and runtime/ (the guard and its thread-locals, the code-range table,
//     loaded libraries, extern resolution, GlobalAddr cells, EH frames)
//     must exist once in the process, so libspl_exec_jit.so links no ffi/ or
//     runtime/ code: jit/plugin/CoreShim.cpp defines the ffi/ functions jit/
//     calls as calls through this table, and the library is linked with
//     -z defs, so a new call from jit/ into ffi/ fails its link until it is
//     a service here. mir/ holds no state and is linked on both sides; the
//     ctest jit_plugin.no_core_state fails if libspl_exec_jit.so ever holds
//     writable data of mir/, ffi/ or runtime/ (a global intern table, say).
//  3. Errors, as CrossError. Each library has its own copy of LLVM Support,
//     and an llvm::Error can only be handled (toString, handleErrors,
//     consumeError) by the copy that made it: ErrorInfo class ids are
//     addresses in that copy. So a core error (a trap, an ExitRequest, an
//     unresolved extern) reaches jit/ as a CrossError and becomes a jit-side
//     error, and an error a Session method returns is rebuilt on the core's
//     side by MakeError (jit/Session.cpp's out()).
//
// Adding a service: a member at the end of CoreServices, its definition in
// JitLoader.cpp's table, its forwarding definition in CoreShim.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_BOUNDARY_H
#define SPL_JIT_BOUNDARY_H

#include "jit/JIT.h"

#include "ffi/FFI.h"
#include "mir/MIR.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace spl::jit {

/// An error in plain data, as it crosses the boundary.
struct CrossError {
  enum class Kind : uint8_t { None, Message, Exit };
  Kind K = Kind::None;
  int ExitCode = 0;    // Exit: the program's rt_exit code
  std::string Message; // Message: the error's text
  explicit operator bool() const { return K != Kind::None; }
};

/// E as data. ExitT is the side's own error class for rt_exit (the core's
/// ffi::ExitRequest, the plugin's CrossedExit), with code(): each side's
/// copy of LLVM can only handle the classes it made. Several errors joined
/// read as toString() reads them; an exit wins over anything with it.
template <typename ExitT> CrossError toCrossError(llvm::Error E) {
  CrossError C;
  llvm::handleAllErrors(
      std::move(E),
      [&](const ExitT &X) {
        C.K = CrossError::Kind::Exit;
        C.ExitCode = X.code();
      },
      [&](const llvm::ErrorInfoBase &X) {
        if (C.K == CrossError::Kind::Exit)
          return;
        if (!C.Message.empty())
          C.Message += "\n";
        C.Message += X.message();
        C.K = CrossError::Kind::Message;
      });
  return C;
}

/// The error of this side for E: an ExitT for an exit, else a StringError.
template <typename ExitT> llvm::Error fromCrossError(CrossError E) {
  switch (E.K) {
  case CrossError::Kind::None:
    return llvm::Error::success();
  case CrossError::Kind::Exit:
    return llvm::make_error<ExitT>(E.ExitCode);
  case CrossError::Kind::Message:
    break;
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(), E.Message);
}

/// The core's functions jit/ calls; each does what the ffi/ function of the
/// same name does (FFI.h), with a CrossError for an llvm::Error.
struct CoreServices {
  uint32_t Size;    // sizeof(CoreServices) of the core
  uint64_t Layout;  // layoutFingerprint() of the core

  /// An error of the core's side: an ffi::ExitRequest for Kind::Exit, else
  /// a StringError of the message.
  llvm::Error (*MakeError)(CrossError E);

  // Extern resolution.
  CrossError (*ResolveExtern)(llvm::StringRef Name,
                              const ffi::ResolveOptions &Opts,
                              ffi::ExternBinding &Out);
  CrossError (*ExternCallSignature)(const ffi::ExternBinding &B,
                                    const mir::Module &M,
                                    const mir::Signature &CallSite,
                                    llvm::ArrayRef<mir::Type> ArgTypes,
                                    mir::Signature &Out);
  bool (*IsExternName)(llvm::StringRef Name, const mir::Module &M);

  // Guarded execution and C callbacks.
  CrossError (*RunGuarded)(llvm::function_ref<void()> Body,
                           unsigned MaxCallDepth);
  bool (*RunCallback)(llvm::function_ref<void()> Body,
                      ffi::CallbackErrors *Sink, unsigned MaxCallDepth);
  bool (*InGuard)();

  // Code ranges and function pointers.
  uint32_t (*RegisterCodeRange)(const void *Begin, const void *End,
                                llvm::StringRef Name, bool MachineCode);
  void (*UnregisterCodeRange)(uint32_t Id);
  bool (*IsCodeAddress)(const void *P);

  // GlobalAddr cells.
  uint64_t *(*GlobalCell)(ffi::GlobalCells &Cells, int64_t Symbol);

  // The entry points JIT code calls (FFI.h's extern "C" functions; the
  // never-returning ones never return here either).
  void (*Poll)(const void *Limits, const char *Fn);
  void (*EHPush)(ffi::EHFrame *F);
  void (*EHPop)(ffi::EHFrame *F);
  void (*Throw)(int64_t Payload, int64_t Tag, const char *Fn);
  void (*BoundsFail)(int64_t Index, int64_t Len, const char *Fn);
  void (*Trap)(uint32_t Kind, const char *Fn, const char *Detail);

  // This thread's native stack (JIT code's stack limit).
  const ffi::NativeStack &(*NativeStack)();

  // Whether interrupts arrive by signal (JIT loops that make no call out
  // then need no poll).
  bool (*InterruptsBySignal)();
};

/// What libspl_exec_jit.so gives the core.
struct Plugin {
  uint64_t Layout; // layoutFingerprint() of the plugin
  /// A session with Opts, whose Globals, Limits and CallbackErrors are set;
  /// null and Err set on failure. The caller owns the result.
  Session *(*CreateSession)(const Options &Opts, CrossError &Err);
};

/// The one symbol libspl_exec_jit.so exports. Core outlives every session;
/// null when Core's size or layout is not the plugin's (another build).
#define SPL_JIT_PLUGIN_ENTRY "spl_exec_jit_plugin"
using PluginEntry = const Plugin *(*)(const CoreServices *Core);

/// The file libspl_exec.so loads, from its own directory.
#define SPL_JIT_PLUGIN_FILE "libspl_exec_jit.so"

/// A summary of the layouts both sides must agree on: a plugin from another
/// build (a stale file next to the core) is refused instead of misread.
constexpr uint64_t layoutFingerprint() {
  uint64_t H = 0x5350'4c4a'4954'0001ull; // "SPLJIT", boundary version 1
  for (uint64_t S :
       {sizeof(CoreServices), sizeof(Plugin), sizeof(CrossError),
        sizeof(Options), sizeof(CacheOptions), sizeof(Stats),
        sizeof(FunctionStats), sizeof(mir::Module), sizeof(mir::Function),
        sizeof(mir::Block), sizeof(mir::Inst), sizeof(mir::Operand),
        sizeof(mir::Type), sizeof(mir::Signature), sizeof(mir::Constant),
        sizeof(ffi::ExternBinding), sizeof(ffi::ResolveOptions),
        sizeof(ffi::CallLimits), sizeof(ffi::EHFrame), sizeof(mir::FrameImage),
        sizeof(ContinuationInput), sizeof(FunctionInput)})
    H = (H ^ S) * 0x100'0000'01b3ull;
  return H;
}

} // namespace spl::jit

#endif // SPL_JIT_BOUNDARY_H
