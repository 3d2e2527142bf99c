//===- tests/jit/ObjectCacheTest.cpp - The on-disk cache of compiled code -===//
//
// Each test has its own cache directory. A "run" is a fresh Session (as a
// new process would have) loading a module and calling main; the cache is
// observed through Stats (hits, misses, per-function flags), the files in
// the directory and the warnings the session reports.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "jit/ObjectCache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <thread>

using namespace llvm;
using namespace spl;
using namespace spl::jit::test;

namespace {

std::string fibProgram(int N) {
  return R"(module "fib"

fn @fib(i64) -> i64 #1 {
  let _0 _return: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
  let _4: i64 temp
  let _5: i64 temp
  let _6: i64 temp

bb0 entry:
  _2 = binop lt copy _1, const i64 2
  if copy _2 then bb1 else bb2

bb1 base:
  return copy _1

bb2 rec:
  _3 = binop sub copy _1, const i64 1
  _5 = call @fib(copy _3) : fn(i64) -> i64
  _4 = binop sub copy _1, const i64 2
  _6 = call @fib(copy _4) : fn(i64) -> i64
  _0 = binop add copy _5, copy _6
  return
}

fn @main() -> i64 #2 {
  let _0 _return: i64 return
  let _1: i64 temp

bb0 entry:
  _1 = call @fib(const i64 )" +
         std::to_string(N) + R"() : fn(i64) -> i64
  return copy _1
}
)";
}

/// GlobalAddr: the cell's address differs between sessions, so a cached
/// object must reach it through a symbol, not a constant.
const char *CounterProgram = R"(module "counter"

fn @bump(i64) #1 {
  let _0 by: i64 arg 0
  let _1: *mut i64 temp
  let _2: i64 temp
  let _3: i64 temp

bb0 entry:
  _1 = global_addr #900 mut
  _2 = load copy _1
  _3 = binop add copy _2, copy _0
  store copy _1, copy _3
  return
}

fn @main() -> i64 #2 {
  let _0 _return: i64 return
  let _1: *i64 temp

bb0 entry:
  call @bump(const i64 40) : fn(i64)
  call @bump(const i64 2) : fn(i64)
  _1 = global_addr #900
  _0 = load copy _1
  return
}
)";

class ObjectCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    SmallString<128> D;
    ASSERT_FALSE(sys::fs::createUniqueDirectory("spl-cache-test", D));
    Root = std::string(D);
    Dir = Root + "/spl-exec";
  }
  void TearDown() override { sys::fs::remove_directories(Root); }

  jit::Options options(uint64_t MaxBytes = 256ull << 20) {
    jit::Options O;
    O.Cache.Directory = Dir;
    O.Cache.MaxBytes = MaxBytes;
    O.Cache.Warn = [this](StringRef W) { Warnings.push_back(W.str()); };
    return O;
  }

  /// A fresh session loads Text and calls main; returns its result and
  /// leaves the session's stats in Last.
  uint64_t runOnce(const std::string &Text, jit::Options O) {
    auto S = newSession(O);
    if (!S)
      return ~0ull;
    mir::Module M = parse(Text);
    std::string E = errorText(S->load(M));
    EXPECT_EQ(E, "<success>");
    Last = S->stats();
    Expected<uint64_t> R = S->call("main", {});
    if (!R) {
      ADD_FAILURE() << toString(R.takeError());
      return ~0ull;
    }
    return *R;
  }
  uint64_t runOnce(const std::string &Text) { return runOnce(Text, options()); }

  std::vector<std::string> entries() const {
    std::vector<std::string> Out;
    std::error_code EC;
    for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC))
      if (StringRef(It->path()).ends_with(".splobj"))
        Out.push_back(It->path());
    std::sort(Out.begin(), Out.end());
    return Out;
  }

  static std::string read(const std::string &P) {
    auto B = MemoryBuffer::getFile(P, false, false);
    return B ? (*B)->getBuffer().str() : std::string();
  }
  static void write(const std::string &P, StringRef Bytes) {
    std::error_code EC;
    raw_fd_ostream OS(P, EC);
    ASSERT_FALSE(EC) << EC.message();
    OS << Bytes;
  }

  /// The only entry; fails the test if there is not exactly one.
  std::string onlyEntry() {
    std::vector<std::string> E = entries();
    EXPECT_EQ(E.size(), 1u);
    return E.empty() ? std::string() : E[0];
  }

  /// After an entry was damaged: the run warns once naming the file and
  /// Why, compiles (a miss), rewrites the entry, and the next run hits
  /// without a warning.
  void expectIgnoredAndRewritten(const std::string &Entry, StringRef Why) {
    Warnings.clear();
    EXPECT_EQ(runOnce(fibProgram(20)), 6765u);
    ASSERT_EQ(Warnings.size(), 1u);
    EXPECT_NE(Warnings[0].find("ignoring " + Entry + ": "), std::string::npos)
        << Warnings[0];
    EXPECT_NE(Warnings[0].find(Why), std::string::npos) << Warnings[0];
    EXPECT_EQ(Last.CacheHits, 0u);
    EXPECT_EQ(Last.CacheMisses, 1u);
    Warnings.clear();
    EXPECT_EQ(runOnce(fibProgram(20)), 6765u);
    EXPECT_TRUE(Warnings.empty());
    EXPECT_EQ(Last.CacheHits, 1u);
    EXPECT_EQ(entries(), std::vector<std::string>{Entry});
  }

  std::string Root, Dir;
  std::vector<std::string> Warnings;
  jit::Stats Last;
};

TEST_F(ObjectCacheTest, SecondRunLoadsTheCompiledCode) {
  EXPECT_EQ(runOnce(fibProgram(20)), 6765u);
  EXPECT_EQ(Last.CacheHits, 0u);
  EXPECT_EQ(Last.CacheMisses, 1u);
  EXPECT_GT(Last.OptimizeMs, 0.0);
  ASSERT_EQ(Last.PerFunction.size(), 2u);
  EXPECT_FALSE(Last.PerFunction[0].Cached);
  ASSERT_EQ(entries().size(), 1u);

  EXPECT_EQ(runOnce(fibProgram(20)), 6765u);
  EXPECT_EQ(Last.CacheHits, 1u);
  EXPECT_EQ(Last.CacheMisses, 0u);
  // A hit skips optimisation and code generation entirely.
  EXPECT_EQ(Last.OptimizeMs, 0.0);
  EXPECT_EQ(Last.CodegenMs, 0.0);
  ASSERT_EQ(Last.PerFunction.size(), 2u);
  for (const jit::FunctionStats &F : Last.PerFunction) {
    EXPECT_TRUE(F.Cached) << F.Name;
    EXPECT_EQ(F.OptimizeMs, 0.0);
    EXPECT_EQ(F.CodegenMs, 0.0);
  }
  EXPECT_EQ(entries().size(), 1u);
  EXPECT_TRUE(Warnings.empty());
}

TEST_F(ObjectCacheTest, PerFunctionStatsNameAndCountEachFunction) {
  runOnce(fibProgram(10));
  ASSERT_EQ(Last.PerFunction.size(), 2u);
  const jit::FunctionStats &Fib = Last.PerFunction[0],
                           &Main = Last.PerFunction[1];
  EXPECT_EQ(Fib.Name, "fib");
  EXPECT_EQ(Main.Name, "main");
  // By hand: fib has 6 instructions and 3 terminators, main 1 and 1.
  EXPECT_EQ(Fib.MirInstructions, 9u);
  EXPECT_EQ(Main.MirInstructions, 2u);
  EXPECT_GT(Fib.IRInstructions, Main.IRInstructions);
  EXPECT_GT(Fib.OptimizeMs, 0.0);
  EXPECT_GT(Fib.CodegenMs, 0.0);
  EXPECT_EQ(Fib.Batch, Main.Batch);
}

TEST_F(ObjectCacheTest, AnEditedProgramMisses) {
  EXPECT_EQ(runOnce(fibProgram(20)), 6765u);
  EXPECT_EQ(runOnce(fibProgram(21)), 10946u);
  EXPECT_EQ(Last.CacheHits, 0u);
  EXPECT_EQ(Last.CacheMisses, 1u);
  EXPECT_EQ(entries().size(), 2u);
  // Another level is another key too.
  jit::Options O0 = options();
  O0.OptLevel = 0;
  EXPECT_EQ(runOnce(fibProgram(21), O0), 10946u);
  EXPECT_EQ(Last.CacheMisses, 1u);
  EXPECT_EQ(entries().size(), 3u);
  EXPECT_EQ(runOnce(fibProgram(20)), 6765u);
  EXPECT_EQ(Last.CacheHits, 1u);
}

TEST_F(ObjectCacheTest, GlobalCellsAreSymbolsSoTheKeyIsStable) {
  EXPECT_EQ(runOnce(CounterProgram), 42u);
  EXPECT_EQ(Last.CacheMisses, 1u);
  // Another session has other cells: the cached code must use them.
  EXPECT_EQ(runOnce(CounterProgram), 42u);
  EXPECT_EQ(Last.CacheHits, 1u);
  EXPECT_EQ(entries().size(), 1u);
}

TEST_F(ObjectCacheTest, ACorruptEntryIsIgnoredAndRewritten) {
  runOnce(fibProgram(20));
  std::string E = onlyEntry();
  std::string Bytes = read(E);
  ASSERT_GT(Bytes.size(), 200u);
  for (size_t I = Bytes.size() - 100; I < Bytes.size() - 90; ++I)
    Bytes[I] ^= 0x5a;
  write(E, Bytes);
  expectIgnoredAndRewritten(E, "corrupt (checksum mismatch)");
}

TEST_F(ObjectCacheTest, ATruncatedEntryIsIgnoredAndRewritten) {
  runOnce(fibProgram(20));
  std::string E = onlyEntry();
  std::string Bytes = read(E);
  write(E, StringRef(Bytes).take_front(Bytes.size() / 2));
  expectIgnoredAndRewritten(E, "truncated or padded");
  // Shorter than the header.
  write(E, "SPLOBJC");
  expectIgnoredAndRewritten(E, "shorter than the header");
}

TEST_F(ObjectCacheTest, AForeignEntryIsIgnoredAndRewritten) {
  runOnce(fibProgram(20));
  std::string E = onlyEntry();
  std::string Bytes = read(E);
  // A well-formed file from another version for another CPU, at the same
  // name and with the same key.
  jit::CacheKey Key;
  std::memcpy(Key.data(), Bytes.data() + 16, 32);
  write(E, jit::encodeCacheFile(Key, "spl-exec 0.0.1; LLVM 18.1.0; cpu other",
                                "not an object"));
  expectIgnoredAndRewritten(E, "written for another build or machine "
                               "(spl-exec 0.0.1; LLVM 18.1.0; cpu other)");
  // Not a cache file at all.
  write(E, std::string(200, 'x'));
  expectIgnoredAndRewritten(E, "not an spl-exec cache file");
  // Another format version.
  Bytes = read(E);
  Bytes[8] = 7;
  write(E, Bytes);
  expectIgnoredAndRewritten(E, "cache format 7, expected 1");
}

TEST_F(ObjectCacheTest, TheCapRemovesTheOldestEntriesFirst) {
  ASSERT_FALSE(sys::fs::create_directories(Dir));
  auto Now = std::chrono::system_clock::now();
  auto Old = [&](const std::string &Name, int SecondsAgo) {
    std::string P = Dir + "/" + Name;
    write(P, std::string(1000, 'o'));
    int FD;
    EXPECT_FALSE(sys::fs::openFileForWrite(P, FD, sys::fs::CD_OpenExisting,
                                           sys::fs::OF_Append));
    EXPECT_FALSE(sys::fs::setLastAccessAndModificationTime(
        FD, Now - std::chrono::seconds(SecondsAgo)));
    sys::fs::closeFile(FD);
    return P;
  };
  std::string A = Old("a.splobj", 300), B = Old("b.splobj", 200),
              C = Old("c.splobj", 100);
  std::string Other = Old("notes.txt", 400); // not an entry: never removed
  // Learn the size of the new entry in another directory.
  jit::Options Probe = options();
  Probe.Cache.Directory = Root + "/probe";
  runOnce(fibProgram(20), Probe);
  uint64_t NewSize = 0;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Root + "/probe", EC), End;
       It != End && !EC; It.increment(EC))
    NewSize += It->status()->getSize();
  ASSERT_GT(NewSize, 0u);

  // Room for the new entry and one and a half old ones: a and b go.
  runOnce(fibProgram(20), options(NewSize + 1500));
  EXPECT_EQ(Last.CacheMisses, 1u);
  std::vector<std::string> Left = entries();
  ASSERT_EQ(Left.size(), 2u);
  EXPECT_NE(std::find(Left.begin(), Left.end(), C), Left.end());
  EXPECT_TRUE(sys::fs::exists(Other));
  EXPECT_FALSE(sys::fs::exists(A));
  EXPECT_FALSE(sys::fs::exists(B));
  EXPECT_TRUE(Warnings.empty());
}

TEST_F(ObjectCacheTest, AnUnwritableDirectoryIsAWarningNotAFailure) {
  // A directory under a regular file can never be created (even as root).
  write(Root + "/file", "x");
  jit::Options O = options();
  O.Cache.Directory = Root + "/file/spl-exec";
  auto S = newSession(O);
  ASSERT_TRUE(S);
  ASSERT_EQ(errorText(S->load(parse(fibProgram(20)))), "<success>");
  EXPECT_EQ(cantFail(S->call("main", {})), 6765u);
  ASSERT_EQ(Warnings.size(), 1u);
  EXPECT_EQ(Warnings[0].find("spl-exec cache: cannot write to " + Root +
                             "/file/spl-exec ("),
            0u)
      << Warnings[0];
  // Said once per session, not once per module.
  ASSERT_EQ(errorText(S->load(parse(CounterProgram))), "<success>");
  EXPECT_EQ(Warnings.size(), 1u);
}

TEST_F(ObjectCacheTest, ADumpBypassesTheCache) {
  std::string IR;
  raw_string_ostream OS(IR);
  jit::Options O = options();
  O.DumpIR = &OS;
  runOnce(fibProgram(20), O);
  EXPECT_EQ(Last.CacheHits + Last.CacheMisses, 0u);
  EXPECT_NE(IR.find("define"), std::string::npos);
  EXPECT_FALSE(sys::fs::exists(Dir));
}

TEST_F(ObjectCacheTest, ConcurrentWritersOfOneEntryAllSucceed) {
  // Sessions in threads stand in for processes here (tests/e2e runs real
  // ones): each compiles, writes a temporary file and renames it over the
  // same entry.
  std::vector<std::thread> Ts;
  std::vector<uint64_t> Results(4, 0);
  for (size_t I = 0; I < Results.size(); ++I)
    Ts.emplace_back([&, I] {
      jit::Options O = options();
      O.Cache.Warn = [](StringRef W) { ADD_FAILURE() << W.str(); };
      auto S = jit::Session::create(O);
      if (!S) {
        consumeError(S.takeError());
        return;
      }
      mir::Module M = cantFail(mir::readModule(fibProgram(20), "<t>"));
      if (Error E = (*S)->load(M)) {
        consumeError(std::move(E));
        return;
      }
      Expected<uint64_t> R = (*S)->call("main", {});
      Results[I] = R ? *R : (consumeError(R.takeError()), 0);
    });
  for (std::thread &T : Ts)
    T.join();
  for (uint64_t R : Results)
    EXPECT_EQ(R, 6765u);
  EXPECT_EQ(entries().size(), 1u);
  // No temporary left behind, and the entry is whole.
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    EXPECT_TRUE(StringRef(It->path()).ends_with(".splobj")) << It->path();
  EXPECT_EQ(runOnce(fibProgram(20)), 6765u);
  EXPECT_EQ(Last.CacheHits, 1u);
  EXPECT_TRUE(Warnings.empty());
}

} // namespace
