//===- tests/mir/TestUtil.h - Helpers of the mir tests ----------*- C++ -*-===//
#ifndef SPL_TESTS_MIR_TESTUTIL_H
#define SPL_TESTS_MIR_TESTUTIL_H

#include "mir/MIR.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace spl::mir::test {

inline std::optional<std::string> readFile(const std::filesystem::path &P) {
  auto B = llvm::MemoryBuffer::getFile(P.string(), /*IsText=*/true);
  if (!B)
    return std::nullopt;
  return (*B)->getBuffer().str();
}

/// The error text of E, or "" on success (consumes E).
inline std::string errorText(llvm::Error E) {
  return E ? llvm::toString(std::move(E)) : std::string();
}

template <typename T> std::string errorText(llvm::Expected<T> &E) {
  return E ? std::string() : llvm::toString(E.takeError());
}

/// readModule + verify: the first error's text, or "".
inline std::string loadError(llvm::StringRef Text,
                             llvm::StringRef Name = "<input>") {
  llvm::Expected<Module> M = readModule(Text, Name);
  if (!M)
    return llvm::toString(M.takeError());
  return errorText(verify(*M));
}

/// Files in Dir whose extension is one of Exts, sorted; empty if Dir is
/// missing.
inline std::vector<std::filesystem::path>
filesIn(const std::filesystem::path &Dir,
        std::initializer_list<const char *> Exts) {
  std::vector<std::filesystem::path> Out;
  std::error_code EC;
  if (!std::filesystem::is_directory(Dir, EC))
    return Out;
  for (const auto &E : std::filesystem::directory_iterator(Dir, EC))
    for (const char *X : Exts)
      if (E.path().extension() == X)
        Out.push_back(E.path());
  std::sort(Out.begin(), Out.end());
  return Out;
}

inline std::filesystem::path sourceDir() { return SPL_SOURCE_DIR; }

} // namespace spl::mir::test

#endif
