//===- fuzz/ReplayMain.cpp - Runs a fuzz target over files, no libFuzzer --===//
//
// The normal (gcc) build links each target's LLVMFuzzerTestOneInput with
// this main, and ctest runs it over the seed inputs, so the targets keep
// compiling and their entry points keep accepting every seed.
//
//   fuzz_X_replay [--select-by-extension] PATH... [--raw PATH...]
//
// A PATH is a file or a directory (walked recursively, files in name order).
// After --select-by-extension, for the targets whose first byte picks the
// reader (fuzz_interp, fuzz_jit): a .mir file is fed as byte 0 + its text, a
// .json file as byte 1 + its text, other files are skipped. After --raw (and
// by default) every file is fed as it is (fuzz/seeds/NAME: target inputs).
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size);

namespace fs = std::filesystem;

int main(int Argc, char **Argv) {
  bool ByExtension = false;
  std::vector<std::pair<fs::path, bool>> Files; // (file, by extension)
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    if (A == "--select-by-extension" || A == "--raw") {
      ByExtension = A != "--raw";
      continue;
    }
    std::vector<fs::path> Found;
    std::error_code EC;
    if (fs::is_directory(A, EC)) {
      for (const auto &E : fs::recursive_directory_iterator(A))
        if (E.is_regular_file())
          Found.push_back(E.path());
    } else if (fs::is_regular_file(A, EC)) {
      Found.push_back(A);
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", A.c_str());
      return 2;
    }
    std::sort(Found.begin(), Found.end());
    for (fs::path &P : Found)
      Files.emplace_back(std::move(P), ByExtension);
  }
  size_t Ran = 0;
  for (const auto &[P, Select] : Files) {
    std::string Prefix;
    if (Select) {
      if (P.extension() == ".mir")
        Prefix = std::string(1, '\0');
      else if (P.extension() == ".json")
        Prefix = std::string(1, '\1');
      else
        continue;
    }
    std::ifstream In(P, std::ios::binary);
    std::string Bytes = Prefix + std::string(std::istreambuf_iterator<char>(In),
                                             std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(Bytes.data()),
                           Bytes.size());
    ++Ran;
  }
  std::printf("replay: %zu inputs, no crash\n", Ran);
  // A target that accepted nothing would test nothing.
  return Ran ? 0 : 1;
}
