//===- jit/plugin/CodeGenLoader.cpp - The code generator, loaded on use ---===//
//
// In libspl_exec_jit.so, jit/CodeGen.h's code generator is
// libspl_exec_codegen.so, loaded from this library's own directory the
// first time a module is not in the cache, and kept for the life of the
// process.
//
//===----------------------------------------------------------------------===//
#include "jit/CodeGen.h"

#include <dlfcn.h>
#include <sys/stat.h>

using namespace spl;
using namespace spl::jit;

namespace {
/// SPL_CODEGEN_PLUGIN_FILE in the directory of this library; empty when
/// that cannot be told (never a search, never the current directory).
const std::string &codeGenPath() {
  static const std::string Path = []() -> std::string {
    Dl_info Info;
    if (!dladdr(reinterpret_cast<void *>(&codeGenPath), &Info) ||
        !Info.dli_fname)
      return "";
    std::string Self = Info.dli_fname;
    size_t Slash = Self.rfind('/');
    if (Slash == std::string::npos)
      return "";
    return Self.substr(0, Slash + 1) + SPL_CODEGEN_PLUGIN_FILE;
  }();
  return Path;
}

struct Loaded {
  CodeGen *G = nullptr;
  std::string Why;
};

Loaded load() {
  const std::string &Path = codeGenPath();
  if (Path.empty())
    return {nullptr, "cannot tell which directory libspl_exec_jit.so was "
                     "loaded from, to load " SPL_CODEGEN_PLUGIN_FILE};
  void *H = dlopen(Path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!H) {
    const char *E = dlerror();
    return {nullptr, "cannot load " + Path + ": " + (E ? E : "unknown error")};
  }
  auto Entry = reinterpret_cast<CodeGenEntry>(dlsym(H, SPL_CODEGEN_PLUGIN_ENTRY));
  CodeGen *G = Entry ? Entry(codeGenLayout()) : nullptr;
  if (!G)
    return {nullptr, Path + " is not the code generator of this "
                            "libspl_exec_jit.so (another build of spl-exec)"};
  return {G, ""};
}
} // namespace

CodeGen *jit::codeGen(std::string &Why) {
  static const Loaded L = load();
  Why = L.Why;
  return L.G;
}

const std::string &jit::codeGenIdentity() {
  static const std::string Id = [] {
    const std::string &Path = codeGenPath();
    struct stat St;
    if (::stat(Path.c_str(), &St) != 0)
      return Path;
    return Path + " " + std::to_string(St.st_size) + " " +
           std::to_string(St.st_mtim.tv_sec) + "." +
           std::to_string(St.st_mtim.tv_nsec);
  }();
  return Id;
}
