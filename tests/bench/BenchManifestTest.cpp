//===- tests/bench/BenchManifestTest.cpp - programs.txt -------------------===//
#include "tools/BenchHarness.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace spl::bench;

namespace {
class Dir {
public:
  Dir() { llvm::sys::fs::createUniqueDirectory("bench-manifest", Path); }
  ~Dir() { llvm::sys::fs::remove_directories(Path); }
  void file(const std::string &Name, const std::string &Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS((Path + "/" + Name).str(), EC);
    OS << Text;
  }
  std::string path() const { return Path.str().str(); }
  llvm::SmallString<128> Path;
};

std::string error(llvm::Expected<std::vector<Program>> P) {
  if (P)
    return "no error";
  return llvm::toString(P.takeError());
}
} // namespace

TEST(BenchManifest, ReadsEachProgramWithItsFiles) {
  Dir D;
  D.file("programs.txt", "# comment\n\nfib 37 31 - naive fib: calls  # trailing\n"
                         "str 100 10 runtime string building\n");
  D.file("fib.json", "{}");
  D.file("fib.c", "");
  D.file("fib.lua", "");
  D.file("str.mir", "");
  D.file("str.c", "");
  auto P = readManifest(D.path());
  ASSERT_TRUE(bool(P)) << llvm::toString(P.takeError());
  ASSERT_EQ(P->size(), 2u);
  const Program &F = (*P)[0];
  EXPECT_EQ(F.Name, "fib");
  EXPECT_EQ(F.N, 37);
  EXPECT_EQ(F.QuickN, 31);
  EXPECT_EQ(F.Link, "");
  EXPECT_EQ(F.What, "naive fib: calls");
  EXPECT_EQ(F.MirPath, D.path() + "/fib.json");
  EXPECT_EQ(F.CPath, D.path() + "/fib.c");
  EXPECT_EQ(F.LuaPath, D.path() + "/fib.lua");
  const Program &S = (*P)[1];
  EXPECT_EQ(S.Link, "runtime");
  EXPECT_EQ(S.MirPath, D.path() + "/str.mir");
  EXPECT_EQ(S.LuaPath, "");
}

TEST(BenchManifest, BadLinesNameTheLine) {
  Dir D;
  D.file("fib.json", "{}");
  D.file("fib.c", "");
  D.file("programs.txt", "fib 37 31\n");
  EXPECT_EQ(error(readManifest(D.path())),
            D.path() + "/programs.txt:1: expected `name n quick_n link description...`");
  D.file("programs.txt", "\nfib 3x 1 - x\n");
  EXPECT_EQ(error(readManifest(D.path())),
            D.path() + "/programs.txt:2: sizes must be non-negative integers");
  D.file("programs.txt", "nope 1 1 - x\n");
  EXPECT_EQ(error(readManifest(D.path())),
            D.path() + "/programs.txt:1: no nope.json or nope.mir beside it");
  D.file("only.json", "{}");
  D.file("programs.txt", "only 1 1 - x\n");
  EXPECT_EQ(error(readManifest(D.path())),
            D.path() + "/programs.txt:1: no C twin only.c beside it");
}

TEST(BenchManifest, AMissingManifestIsAnError) {
  Dir D;
  EXPECT_NE(error(readManifest(D.path())).find("cannot read"), std::string::npos);
}

TEST(BenchManifest, TwinLinkFlags) {
  EXPECT_TRUE(twinLinkFlags("", "/b/lib").empty());
  EXPECT_EQ(twinLinkFlags("runtime", "/b/lib"),
            (std::vector<std::string>{"/b/lib/libspl_runtime.a", "-lstdc++", "-lpthread"}));
  EXPECT_EQ(twinLinkFlags("spl_bench", "/b/lib"),
            (std::vector<std::string>{"-L/b/lib", "-lspl_bench", "-Wl,-rpath,/b/lib"}));
  EXPECT_EQ(linkedLibrary("spl_torch", "/b/lib"), "/b/lib/libspl_torch.so");
  EXPECT_EQ(linkedLibrary("", "/b/lib"), "");
}
