//===- ffi/Libraries.cpp - SFFI libraries and extern resolution
//-------------===//
//
// The SFFI convention: `rt_<lib>_<rest>` lives in `libspl_<lib>.so`. A
// library is looked for in SIMPLE_<LIB>_LIB (a full path; when set, the only
// place tried, so a mistake in it is reported instead of silently loading
// another copy), else in each directory of SIMPLE_SFFI_PATH and then in the
// directory of libspl_exec.so itself, never one relative to the current
// directory (an installed tree works from anywhere, and a stray build/ in
// the working directory is never picked up). The first file that exists is
// the one loaded: if dlopen rejects it, its dlerror is the error, rather than
// another copy further on. Each library is dlopen'd once per process and never
// closed: JIT code and call plans keep raw addresses into it. A failed load is
// not remembered, so fixing the environment and retrying works.
//
//===----------------------------------------------------------------------===//

#include "ffi/FFI.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <mutex>

using namespace spl;
using namespace spl::ffi;
using namespace llvm;

namespace {

Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// The loaded libraries, by lib name. Never destroyed: JIT code may run
/// during static destruction and the handles stay open anyway.
struct LibraryRegistry {
  std::mutex M;
  StringMap<std::unique_ptr<Library>> Loaded;
};

LibraryRegistry &registry() {
  static auto *R = new LibraryRegistry;
  return *R;
}

/// dlerror()'s text for a failed dlopen of Path, without the leading
/// "Path: " glibc puts there (our messages name the path themselves).
std::string dlopenError(StringRef Path) {
  const char *E = dlerror();
  StringRef Text = E ? E : "unknown dlopen error";
  if (Text.starts_with(Path) && Text.substr(Path.size()).starts_with(": "))
    Text = Text.substr(Path.size() + 2);
  return Text.str();
}

std::string joinPath(StringRef Dir, StringRef File) {
  if (Dir.ends_with("/"))
    return (Dir + File).str();
  return (Dir + "/" + File).str();
}

/// The directory of the object (shared library or executable) this code
/// was linked into.
std::string ownObjectDir() {
  Dl_info Info;
  char Buf[PATH_MAX];
  if (dladdr(reinterpret_cast<void *>(&ffi::defaultSearchDirs), &Info) &&
      Info.dli_fname && *Info.dli_fname && realpath(Info.dli_fname, Buf))
    return sys::path::parent_path(Buf).str();
  // dladdr names the main program by argv[0], which may not be a path.
  ssize_t N = readlink("/proc/self/exe", Buf, sizeof(Buf) - 1);
  if (N <= 0)
    return "";
  Buf[N] = 0;
  return sys::path::parent_path(Buf).str();
}

} // namespace

std::string ffi::sffiLibName(StringRef Symbol) {
  if (!Symbol.consume_front("rt_"))
    return "";
  size_t Sep = Symbol.find('_');
  if (Sep == StringRef::npos || Sep == 0 || Sep + 1 == Symbol.size())
    return "";
  StringRef Lib = Symbol.take_front(Sep);
  // The lib name becomes part of a file name and of an environment variable.
  if (!all_of(Lib, isAlnum))
    return "";
  return Lib.str();
}

std::vector<std::string> ffi::defaultSearchDirs() {
  static const std::vector<std::string> Dirs = [] {
    std::vector<std::string> D;
    std::string Own = ownObjectDir();
    if (!Own.empty())
      D.push_back(Own);
    return D;
  }();
  return Dirs;
}

Expected<const Library &> ffi::loadLibrary(StringRef Lib) {
  LibraryRegistry &R = registry();
  std::lock_guard<std::mutex> Lock(R.M);
  if (auto It = R.Loaded.find(Lib); It != R.Loaded.end())
    return *It->second;

  std::string FileName = ("libspl_" + Lib + ".so").str();
  auto Remember = [&](std::string Path, void *Handle) -> const Library & {
    auto L =
        std::make_unique<Library>(Library{Lib.str(), std::move(Path), Handle});
    return *(R.Loaded[Lib] = std::move(L));
  };

  std::string EnvVar = ("SIMPLE_" + Lib.upper() + "_LIB");
  if (const char *Path = getenv(EnvVar.c_str()); Path && *Path) {
    if (void *H = dlopen(Path, RTLD_NOW | RTLD_LOCAL))
      return Remember(Path, H);
    return makeError("library " + FileName + " could not be loaded from " +
                     EnvVar + "=" + Path + ": " + dlopenError(Path));
  }

  std::vector<std::string> Dirs;
  if (const char *P = getenv("SIMPLE_SFFI_PATH")) {
    SmallVector<StringRef, 8> Parts;
    StringRef(P).split(Parts, ':', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    for (StringRef D : Parts)
      Dirs.push_back(D.str());
  }
  for (std::string &D : defaultSearchDirs())
    Dirs.push_back(std::move(D));

  std::vector<std::string> Tried;
  StringSet<> Seen;
  for (const std::string &Dir : Dirs) {
    std::string Path = joinPath(Dir, FileName);
    if (!Seen.insert(Path).second)
      continue;
    if (void *H = dlopen(Path.c_str(), RTLD_NOW | RTLD_LOCAL))
      return Remember(Path, H);
    std::string Why = dlopenError(Path);
    // Found but rejected (a missing dependency, a wrong architecture, not
    // an ELF file): that is the problem to report, not "not found".
    if (sys::fs::exists(Path))
      return makeError("library " + FileName + " could not be loaded from " +
                       Path + ": " + Why);
    Tried.push_back(Path);
  }
  // Say how to point at the library: a user meeting this error for the
  // first time does not know the variables.
  return makeError("library " + FileName + " not found (tried: " +
                   join(Tried, ", ") + "); set " + EnvVar +
                   " to its full path, or add its directory to "
                   "SIMPLE_SFFI_PATH");
}
