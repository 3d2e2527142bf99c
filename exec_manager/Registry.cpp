//===- exec_manager/Registry.cpp - Backends by name -----------------------===//
#include "exec_manager/Backend.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace spl {

Backend::~Backend() = default;

namespace {
struct BackendRow {
  const char *Name;
  const char *Aliases[3]; // null-terminated
  Expected<std::unique_ptr<Backend>> (*Create)(const BackendConfig &);
};

// The registry: one row per backend. "cranelift" is a name the Simple CLI
// knows but this project does not provide; it is reported as unavailable.
const BackendRow Rows[] = {
    {"auto", {nullptr}, createTieredBackend},
    {"interpreter", {"interp", "interpret", nullptr}, createInterpreterBackend},
    {"llvm", {"jit", nullptr}, createLLVMBackend},
};
} // namespace

std::string canonicalBackendName(StringRef Name) {
  std::string Lower = Name.lower();
  for (const BackendRow &R : Rows) {
    if (Lower == R.Name)
      return R.Name;
    for (const char *const *A = R.Aliases; *A; ++A)
      if (Lower == *A)
        return R.Name;
  }
  return "";
}

std::vector<std::string> backendNames() {
  std::vector<std::string> Names;
  for (const BackendRow &R : Rows)
    Names.push_back(R.Name);
  return Names;
}

Expected<std::unique_ptr<Backend>> createBackend(StringRef Name,
                                                 const BackendConfig &Config) {
  std::string Canon = canonicalBackendName(Name);
  BackendConfig C = Config;
  if (!C.Globals)
    C.Globals = std::make_shared<ffi::GlobalCells>();
  if (!C.CallbackErrors)
    C.CallbackErrors = std::make_shared<ffi::CallbackErrors>();
  if (!C.Limits)
    C.Limits = std::make_shared<ffi::CallLimits>();
  for (const BackendRow &R : Rows)
    if (Canon == R.Name)
      return R.Create(C);
  return createStringError(
      inconvertibleErrorCode(), "unknown or unavailable backend `%s` "
      "(available: %s)", Name.str().c_str(), join(backendNames(), ", ").c_str());
}

} // namespace spl
