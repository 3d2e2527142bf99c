//===- tools/LineReader.cpp - Loading the REPL's line editor --------------===//
#include "tools/LineReader.h"

#include "spl/exec_manager.h"

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>

namespace spl::tool {
namespace {
/// Prompts on stdout and reads lines as they come: no editing, no history.
class PlainReader final : public LineReader {
public:
  void setPrompt(const std::string &P) override { Prompt = P; }
  std::optional<std::string> readLine() override {
    std::fputs(Prompt.c_str(), stdout);
    std::fflush(stdout);
    return readPlainLine();
  }

private:
  std::string Prompt;
};

/// libspl_exec_lineedit.so's entry point, from the directory that holds
/// libspl_exec.so (never a search, never the current directory).
LineEditorEntry loadEntry(std::string &Why) {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&rt_exec_manager_create), &Info) ||
      !Info.dli_fname) {
    Why = "cannot tell where libspl_exec.so is";
    return nullptr;
  }
  std::string Path = Info.dli_fname;
  size_t Slash = Path.rfind('/');
  Path = (Slash == std::string::npos ? std::string(".")
                                     : Path.substr(0, Slash)) +
         "/libspl_exec_lineedit.so";
  void *H = dlopen(Path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!H) {
    const char *E = dlerror();
    Why = E ? E : ("cannot load " + Path);
    return nullptr;
  }
  auto Entry = reinterpret_cast<LineEditorEntry>(dlsym(H, SPL_LINE_EDITOR_ENTRY));
  if (!Entry)
    Why = Path + " has no " SPL_LINE_EDITOR_ENTRY;
  return Entry;
}
} // namespace

std::optional<std::string> readPlainLine() {
  char *Buf = nullptr;
  size_t Cap = 0;
  ssize_t N = ::getline(&Buf, &Cap, stdin);
  std::optional<std::string> L;
  if (N >= 0)
    L.emplace(Buf, size_t(N) - (N > 0 && Buf[N - 1] == '\n'));
  std::free(Buf);
  return L;
}

std::unique_ptr<LineReader> openLineReader(const std::string &ProgName,
                                           const std::string &HistoryFile,
                                           Completer Complete,
                                           std::string &Why) {
  if (LineEditorEntry Entry = loadEntry(Why))
    return std::unique_ptr<LineReader>(
        Entry(ProgName.c_str(), HistoryFile.c_str(), &Complete));
  return std::make_unique<PlainReader>();
}

} // namespace spl::tool
