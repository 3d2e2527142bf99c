//===- exec_manager/CApi.cpp - The C API of libspl_exec.so ----------------===//
//
// With CApiExecute.cpp, the only place where errors become strings for C
// hosts. Here: creating and releasing managers, compiling, queries, errors
// and the default backend.
// The calls live in CApiExecute.cpp; handles and per-thread results in
// CApiState.cpp. Every entry point checks its handle and catches every C++
// exception (none may cross extern "C").
//
//===----------------------------------------------------------------------===//
#include "spl/exec_manager.h"

#include "exec_manager/Backend.h"
#include "exec_manager/CApiRuntime.h"
#include "exec_manager/CApiState.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <atomic>
#include <mutex>
#include <string>

using namespace spl;
using namespace spl::capi;

namespace {

/// The default backend of create(NULL or ""), set by rt_set_jit_backend;
/// empty = the environment's (ExecManager::defaultBackend).
struct JitDefault {
  std::mutex Mu;
  std::string Name;
};
JitDefault &jitDefault() {
  static JitDefault *D = new JitDefault; // never destroyed: hosts may call
  return *D;                             // from their static destructors
}
std::string currentDefaultBackend() {
  JitDefault &D = jitDefault();
  std::lock_guard<std::mutex> L(D.Mu);
  return D.Name;
}

thread_local std::string JitBackendText; // what rt_get_jit_backend returned

/// Whether managers created from now on look externs up in the host process
/// first (rt_exec_manager_set_host_symbols).
std::atomic<bool> HostSymbolsDefault{true};

alignas(8) const char InternalError[] = "internal error";

const char *compileText(int64_t H, const char *What, const char *Text,
                        llvm::StringRef BufferName) {
  auto E = findManaged(H);
  if (!E)
    return invalidHandle(H);
  if (!Text)
    return setError(H, std::string(What) + ": MIR text is NULL");
  Status S = E->M->compile(
      Text, std::string_view(BufferName.data(), BufferName.size()));
  if (!S)
    return setError(H, S.error().Message);
  return ok(H);
}

} // namespace

extern "C" {

int64_t rt_exec_manager_create(const char *backend) {
  backend = cString(backend);
  return guarded<int64_t>(0, 0, [&]() -> int64_t {
    Options O;
    O.Backend = backend && *backend ? backend : currentDefaultBackend();
    O.HostSymbols = HostSymbolsDefault.load();
    auto M = ExecManager::create(O);
    if (!M) {
      setError(0, M.error().Message);
      return 0;
    }
    ExecManager *Raw = M->get();
    int64_t H = addManaged(std::move(*M), O.OptLevel);
    listInterruptible(H, Raw);
    ok(0);
    return H;
  });
}

const char *rt_exec_manager_compile(int64_t h, const char *mir) {
  mir = cString(mir);
  return guarded<const char *>(h, InternalError, [&] {
    return compileText(h, "compile", mir, "<input>");
  });
}

const char *rt_exec_manager_compile_mir(int64_t h, const char *mir) {
  mir = cString(mir);
  return guarded<const char *>(h, InternalError, [&] {
    return compileText(h, "compile_mir", mir, "<input>");
  });
}

const char *rt_exec_manager_compile_file(int64_t h, const char *path) {
  path = cString(path);
  return guarded<const char *>(h, InternalError, [&]() -> const char * {
    if (!findManaged(h))
      return invalidHandle(h);
    if (!path)
      return setError(h, "compile_file: the path is NULL");
    // The input size limit holds before the file is read, too.
    uint64_t Size = 0;
    auto E = findManaged(h);
    if (uint64_t Max = E ? E->M->maxInputBytes() : 0;
        Max && !llvm::sys::fs::file_size(path, Size) && Size > Max)
      return setError(h, std::string(path) + ": input of " +
                             std::to_string(Size) +
                             " bytes exceeds the input size limit of " +
                             std::to_string(Max) +
                             " bytes (Options::MaxInputBytes)");
    auto Buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!Buf)
      return setError(h, std::string("compile_file: cannot read `") + path +
                             "`: " + Buf.getError().message());
    // A MemoryBuffer is NUL-terminated, as compile's text must be.
    return compileText(h, "compile_file", (*Buf)->getBufferStart(), path);
  });
}

const char *rt_exec_manager_compile_source(int64_t h, const char *source) {
  (void)source;
  return guarded<const char *>(h, InternalError, [&]() -> const char * {
    if (!findManaged(h))
      return invalidHandle(h);
    return setError(h, "compile_source: spl-exec takes MIR (JSON or text), "
                       "not Simple source; compile the source with the "
                       "Simple compiler and pass its MIR to "
                       "rt_exec_manager_compile");
  });
}

bool rt_exec_manager_has_function(int64_t h, const char *fn) {
  fn = cString(fn);
  return guarded<bool>(h, false, [&]() -> bool {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return false;
    }
    ok(h);
    return fn && E->M->hasFunction(fn);
  });
}

int64_t rt_exec_manager_list_functions(int64_t h) {
  return guarded<int64_t>(h, 0, [&]() -> int64_t {
    auto E = findManaged(h);
    // An invalid handle still gets an array (empty), so a Simple caller can
    // iterate or push without checking; the error says what went wrong.
    auto A =
        makeStringArray(E ? E->M->functionNames() : std::vector<std::string>(),
                        "list_functions");
    if (!E) {
      invalidHandle(h);
      if (!A) {
        llvm::consumeError(A.takeError());
        return 0;
      }
      return *A;
    }
    if (!A) {
      setError(h, llvm::toString(A.takeError()));
      return 0;
    }
    ok(h);
    return *A;
  });
}

bool rt_exec_manager_is_valid(int64_t h) {
  // A pure query: it records nothing, so probing a dead handle leaves no
  // slot behind.
  return guarded<bool>(h, false, [&] { return findManaged(h) != nullptr; });
}

int64_t rt_exec_manager_get_opt_level(int64_t h) {
  return guarded<int64_t>(h, -1, [&]() -> int64_t {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return -1;
    }
    ok(h);
    return E->OptLevel.load();
  });
}

bool rt_exec_manager_set_opt_level(int64_t h, int64_t level) {
  return guarded<bool>(h, false, [&]() -> bool {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return false;
    }
    if (level < 0 || level > 3) {
      setError(h, "set_opt_level: level must be 0..3, got " +
                      std::to_string(level));
      return false;
    }
    E->M->setOptLevel(unsigned(level));
    E->OptLevel = level;
    ok(h);
    return true;
  });
}

bool rt_exec_manager_set_cache(int64_t h, const char *dir_or_null,
                               int64_t max_bytes) {
  return guarded<bool>(h, false, [&]() -> bool {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return false;
    }
    if (max_bytes < 0) {
      setError(h, "set_cache: max_bytes must be 0 (the default) or more, "
                  "got " +
                      std::to_string(max_bytes));
      return false;
    }
    CacheOptions C;
    C.Enabled = dir_or_null != nullptr;
    if (dir_or_null)
      C.Directory = dir_or_null;
    if (max_bytes > 0)
      C.MaxBytes = uint64_t(max_bytes);
    E->M->setCache(C);
    ok(h);
    return true;
  });
}

void rt_exec_manager_clear_error(int64_t h) {
  guarded<int>(h, 0, [&] {
    if (h == 0 || findManaged(h))
      clearError(h);
    return 0;
  });
}

const char *rt_exec_manager_get_last_error(int64_t h) {
  return guarded<const char *>(h, InternalError, [&]() -> const char * {
    if (h == 0)
      return lastError(h);
    auto M = findManaged(h);
    if (!M)
      return invalidHandle(h);
    // A callback C called after execute returned trapped: its error.
    if (std::optional<std::string> CB = M->M->takeCallbackError())
      return setError(h, *CB);
    return lastError(h);
  });
}

const char *rt_exec_manager_backend_name(int64_t h) {
  return guarded<const char *>(h, EmptyText, [&]() -> const char * {
    auto E = findManaged(h);
    if (!E) {
      invalidHandle(h);
      return EmptyText;
    }
    return okBackendName(h, E->M->backendName());
  });
}

void rt_exec_manager_cleanup(int64_t h) {
  guarded<int>(h, 0, [&] {
    unlistInterruptible(h);
    if (!removeManaged(h))
      invalidHandle(h);
    return 0;
  });
}

bool rt_set_jit_backend(const char *backend) {
  backend = cString(backend);
  return guarded<bool>(0, false, [&]() -> bool {
    std::string Canon;
    if (backend && *backend) {
      Canon = canonicalBackendName(backend);
      if (Canon.empty() || !llvm::is_contained(backendNames(), Canon)) {
        setError(0, std::string("rt_set_jit_backend: unknown or unavailable "
                                "backend `") +
                        backend + "` (available: " +
                        llvm::join(backendNames(), ", ") + ")");
        return false;
      }
    }
    JitDefault &D = jitDefault();
    {
      std::lock_guard<std::mutex> L(D.Mu);
      D.Name = Canon;
    }
    ok(0);
    return true;
  });
}

const char *rt_get_jit_backend(void) {
  return guarded<const char *>(0, EmptyText, [&]() -> const char * {
    std::string Name = currentDefaultBackend();
    if (Name.empty()) {
      Name = ExecManager::defaultBackend();
      if (std::string Canon = canonicalBackendName(Name); !Canon.empty())
        Name = Canon;
    }
    JitBackendText = std::move(Name);
    return JitBackendText.c_str();
  });
}

void rt_exec_manager_set_host_symbols(bool enabled) {
  HostSymbolsDefault.store(enabled);
}

bool rt_exec_manager_get_host_symbols(void) {
  return HostSymbolsDefault.load();
}

} // extern "C"
