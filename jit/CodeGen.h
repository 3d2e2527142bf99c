//===- jit/CodeGen.h - The optimiser and code generator ---------*- C++ -*-===//
//
// Private to jit/. What a session asks of LLVM's optimiser and code generator
// when a module is not in the on-disk cache (CompileCache.cpp). They live in
// jit/codegen/: linked into a program that links spl_jit (tests), and, for
// libspl_exec_jit.so, in a library of their own, libspl_exec_codegen.so,
// loaded the first time a module must be compiled (plugin/CodeGenLoader.cpp).
// A run whose modules all come from the cache never maps, relocates or
// initialises LLVM's passes, code generator and target (most of the LLVM the
// JIT links). That library has its own copy of LLVM, so nothing of LLVM
// crosses: the module goes as bitcode, the object and the texts come back as
// bytes, an error as its message.
//
// The module as lowered has no data layout: lowering does not depend on it
// (MIR fixes every size), and the code generator sets its target's before
// optimising. So a cache hit needs no TargetMachine at all.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_CODEGEN_H
#define SPL_JIT_CODEGEN_H

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spl::jit {

/// One module to compile for the host.
struct CompileJob {
  std::string_view Bitcode; // the module as lowered
  unsigned OptLevel = 2;    // 0..3
  /// The host as the session detected it (JITTargetMachineBuilder):
  /// triple, CPU name, feature string.
  std::string_view Triple, CPU, Features;
  bool PrintIR = false;  // the optimised module's text, in IR
  bool PrintAsm = false; // its assembly, in Asm
  /// Set by another thread when nobody waits for the compile any more: the
  /// optimiser skips its remaining passes and the compile fails. Null: never.
  const std::atomic<bool> *Cancel = nullptr;
};

struct CompileResult {
  std::string Error; // empty: Object is the module's relocatable object
  std::string Object, IR, Asm;
  double OptimizeMs = 0, CodegenMs = 0;
  /// Pass and code-generation time by function name ("": no one function).
  std::vector<std::pair<std::string, double>> OptimizeMsByFn, CodegenMsByFn;
};

class CodeGen {
public:
  virtual ~CodeGen() = default;
  /// Safe from several threads (each compile takes a target machine of its
  /// level from a pool of idle ones).
  virtual void compile(const CompileJob &Job, CompileResult &Out) = 0;
};

/// The process's code generator, made or loaded on the first call; null
/// with Why set when it cannot be loaded. Defined by jit/codegen/CodeGen.cpp
/// (in process) or jit/plugin/CodeGenLoader.cpp (libspl_exec_jit.so).
CodeGen *codeGen(std::string &Why);

/// Names the build of the code generator for cache keys (a file, its size
/// and modification time), without loading it.
const std::string &codeGenIdentity();

/// The file libspl_exec_jit.so loads it from (in its own directory), and its
/// entry point.
#define SPL_CODEGEN_PLUGIN_FILE "libspl_exec_codegen.so"
#define SPL_CODEGEN_PLUGIN_ENTRY "spl_exec_codegen_plugin"
/// Null when Layout is not the library's codeGenLayout() (another build).
using CodeGenEntry = CodeGen *(*)(uint64_t Layout);
constexpr uint64_t codeGenLayout() {
  return 0x5350'4c43'4700'0001ull ^ (sizeof(CompileJob) << 16) ^
         (sizeof(CompileResult) << 32);
}

} // namespace spl::jit

#endif // SPL_JIT_CODEGEN_H
