//===- tests/capi/CApiCacheTest.cpp - Hosts choosing the code cache -------===//
//
// rt_exec_manager_set_cache (C) and Options::Cache (C++): where a host's
// compiled code is cached, or that it is not; a second manager compiling
// the same program loads it (CompileStats says so, per function).
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"
#include "spl/exec_manager.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

using namespace llvm;

namespace {

const char *Program = R"(module "sum"

fn @sum(i64) -> i64 #1 {
  let _0 _return: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
  let _4: i64 temp

bb0 entry:
  _2 = binop le copy _1, const i64 0
  if copy _2 then bb1 else bb2

bb1 base:
  return const i64 0

bb2 rec:
  _3 = binop sub copy _1, const i64 1
  _4 = call @sum(copy _3) : fn(i64) -> i64
  _0 = binop add copy _4, copy _1
  return
}

fn @main() -> i64 #2 {
  let _0 _return: i64 return

bb0 entry:
  _0 = call @sum(const i64 100) : fn(i64) -> i64
  return
}
)";

class CApiCache : public ::testing::Test {
protected:
  void SetUp() override {
    SmallString<128> D;
    ASSERT_FALSE(sys::fs::createUniqueDirectory("spl-capi-cache", D));
    Root = std::string(D);
    // The default location of this process's managers.
    ::setenv("XDG_CACHE_HOME", (Root + "/xdg").c_str(), 1);
    ::unsetenv("SIMPLE_JIT_CACHE");
  }
  void TearDown() override { sys::fs::remove_directories(Root); }

  static unsigned entriesIn(const std::string &D) {
    unsigned N = 0;
    std::error_code EC;
    for (sys::fs::directory_iterator It(D, EC), End; It != End && !EC;
         It.increment(EC))
      N += StringRef(It->path()).ends_with(".splobj");
    return N;
  }

  /// A C host: llvm manager, optional set_cache, compile, run main.
  void runC(const char *Dir, bool SetCache = true) {
    int64_t H = rt_exec_manager_create("llvm");
    ASSERT_NE(H, 0);
    if (SetCache)
      ASSERT_TRUE(rt_exec_manager_set_cache(H, Dir, 0))
          << rt_exec_manager_get_last_error(H);
    EXPECT_STREQ(rt_exec_manager_compile(H, Program), "");
    EXPECT_EQ(rt_exec_manager_execute_args(H, "main", nullptr, 0), 5050);
    rt_exec_manager_cleanup(H);
  }

  std::string Root;
};

TEST_F(CApiCache, ADirectoryOfTheHostsChoice) {
  std::string Dir = Root + "/mine";
  runC(Dir.c_str());
  EXPECT_EQ(entriesIn(Dir), 1u);
  EXPECT_EQ(entriesIn(Root + "/xdg/spl-exec"), 0u);
}

TEST_F(CApiCache, NullTurnsTheCacheOff) {
  runC(nullptr);
  EXPECT_FALSE(sys::fs::exists(Root + "/xdg"));
  // Unset, the manager caches where the environment says.
  runC(nullptr, /*SetCache=*/false);
  EXPECT_EQ(entriesIn(Root + "/xdg/spl-exec"), 1u);
}

TEST_F(CApiCache, EmptyMeansTheDefaultLocation) {
  runC("");
  EXPECT_EQ(entriesIn(Root + "/xdg/spl-exec"), 1u);
}

TEST_F(CApiCache, BadArgumentsAreErrors) {
  int64_t H = rt_exec_manager_create("llvm");
  ASSERT_NE(H, 0);
  EXPECT_FALSE(rt_exec_manager_set_cache(H, "", -1));
  EXPECT_STREQ(rt_exec_manager_get_last_error(H),
               "set_cache: max_bytes must be 0 (the default) or more, got -1");
  rt_exec_manager_cleanup(H);
  EXPECT_FALSE(rt_exec_manager_set_cache(H, "", 0));
}

TEST_F(CApiCache, TheCppApiReportsHitsPerFunction) {
  spl::Options O;
  O.Backend = "llvm";
  O.Cache.Directory = Root + "/cpp";
  for (bool Hit : {false, true}) {
    auto M = spl::ExecManager::create(O);
    ASSERT_TRUE(M);
    ASSERT_TRUE((*M)->compile(Program));
    auto R = (*M)->callWithI64("main", {});
    ASSERT_TRUE(R);
    EXPECT_EQ(R->asI64(), 5050);
    spl::CompileStats S = (*M)->lastCompileStats();
    EXPECT_EQ(S.CacheHits, Hit ? 1u : 0u);
    EXPECT_EQ(S.CacheMisses, Hit ? 0u : 1u);
    ASSERT_EQ(S.Functions.size(), 2u);
    EXPECT_EQ(S.Functions[0].Name, "sum");
    EXPECT_EQ(S.Functions[1].Name, "main");
    // By hand: sum has 4 instructions and 3 terminators, main 1 and 1.
    EXPECT_EQ(S.Functions[0].MirInstructions, 7u);
    EXPECT_EQ(S.Functions[1].MirInstructions, 2u);
    for (const spl::FunctionCompileStats &F : S.Functions)
      EXPECT_EQ(F.FromCache, Hit) << F.Name;
  }
  // Enabled = false wins over a directory.
  O.Cache.Enabled = false;
  O.Cache.Directory = Root + "/off";
  auto M = spl::ExecManager::create(O);
  ASSERT_TRUE(M);
  ASSERT_TRUE((*M)->compile(Program));
  EXPECT_FALSE(sys::fs::exists(Root + "/off"));
}

} // namespace
