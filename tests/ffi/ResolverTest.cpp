//===- tests/ffi/ResolverTest.cpp - SFFI libraries and extern resolution --===//
//
// Libraries are cached per process and a lib name loads once, so each test
// that checks where a library came from uses a lib name of its own (copies
// of libspl_other.so under a temporary directory).
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <dlfcn.h>

#include <climits>
#include <filesystem>
#include <thread>
#include <unistd.h>

using namespace spl;
using namespace spl::ffi;
using namespace spl::ffi::test;
namespace fs = std::filesystem;

extern "C" int64_t rt_testlib_inc(int64_t);

namespace {

const char *NoSuchFile = "cannot open shared object file: No such file or "
                         "directory";

/// A fresh empty directory for this test.
std::string tempDir(const std::string &Name) {
  fs::path P = fs::path(testing::TempDir()) /
               ("spl_ffi_" + std::to_string(getpid()) + "_" + Name);
  fs::remove_all(P);
  fs::create_directories(P);
  return P.string();
}

/// Copies libspl_other.so to Dir/libspl_<Lib>.so.
std::string copyOther(const std::string &Dir, const std::string &Lib) {
  std::string To = Dir + "/libspl_" + Lib + ".so";
  fs::copy_file(SffiDir + "/libspl_other.so", To,
                fs::copy_options::overwrite_existing);
  return To;
}

std::string realPath(const std::string &P) {
  char Buf[PATH_MAX];
  return realpath(P.c_str(), Buf) ? Buf : P;
}

/// The "tried" entry of the default directory for libspl_<Lib>.so (the
/// test executable's own directory: it links spl_ffi statically).
std::string defaultTried(const std::string &Lib) {
  return realPath(SPL_BINARY_DIR "/bin") + "/libspl_" + Lib + ".so";
}

/// What follows the list of paths tried: how to point at the library.
std::string howToPoint(const std::string &Lib) {
  return "; set SIMPLE_" + llvm::StringRef(Lib).upper() +
         "_LIB to its full path, or add its directory to SIMPLE_SFFI_PATH";
}

class Resolver : public ::testing::Test {
protected:
  void SetUp() override { useTestLibraries(); }
};

TEST(SffiLibName, Convention) {
  EXPECT_EQ(sffiLibName("rt_torch_matmul"), "torch");
  EXPECT_EQ(sffiLibName("rt_testlib_sum0"), "testlib");
  EXPECT_EQ(sffiLibName("rt_x_y_z"), "x");
  EXPECT_EQ(sffiLibName("rt_geom2_area"), "geom2");
  EXPECT_EQ(sffiLibName("rt_foo"), "");
  EXPECT_EQ(sffiLibName("rt_foo_"), "");
  EXPECT_EQ(sffiLibName("rt__bar"), "");
  EXPECT_EQ(sffiLibName("rt_a-b_c"), "");
  EXPECT_EQ(sffiLibName("spl_dlopen"), "");
  EXPECT_EQ(sffiLibName("main"), "");
  EXPECT_EQ(sffiLibName(""), "");
}

TEST(DefaultSearchDirs, OwnDirectoryOnly) {
  // The tests link spl_ffi statically, so "spl-exec's own libraries" are in
  // the test executable's directory; nothing relative to the working one.
  std::vector<std::string> Expected = {realPath(SPL_BINARY_DIR "/bin")};
  EXPECT_EQ(defaultSearchDirs(), Expected);
}

TEST_F(Resolver, FindsTestLibraryFunctions) {
  Expected<ExternBinding> B = resolveExtern("rt_testlib_inc", sffiOnly());
  ASSERT_TRUE(!!B) << errorText(B);
  EXPECT_EQ(B->Name, "rt_testlib_inc");
  EXPECT_EQ(B->Address, reinterpret_cast<void *>(rt_testlib_inc));
  EXPECT_EQ(B->B, nullptr);
  ASSERT_NE(B->Lib, nullptr);
  EXPECT_EQ(B->Lib->Lib, "testlib");
  EXPECT_EQ(B->Lib->Path, SffiDir + "/libspl_testlib.so");
}

TEST_F(Resolver, LibrariesLoadOnce) {
  Expected<const Library &> A = loadLibrary("testlib");
  ASSERT_TRUE(!!A) << errorText(A);
  // Once loaded, the environment no longer matters.
  setenv("SIMPLE_SFFI_PATH", "/nonexistent", 1);
  Expected<const Library &> B = loadLibrary("testlib");
  ASSERT_TRUE(!!B) << errorText(B);
  EXPECT_EQ(&*A, &*B);
  EXPECT_NE(A->Handle, nullptr);
}

TEST_F(Resolver, MissingSymbolNamesTheLibrary) {
  Expected<ExternBinding> Present = resolveExtern("rt_other_present");
  ASSERT_TRUE(!!Present) << errorText(Present);
  EXPECT_EQ(reinterpret_cast<int64_t (*)()>(Present->Address)(), 42);
  Expected<ExternBinding> B = resolveExtern("rt_other_missing");
  EXPECT_EQ(errorText(B), "symbol `rt_other_missing` not found in " + SffiDir +
                              "/libspl_other.so");
}

TEST_F(Resolver, MissingLibraryListsEveryPathTried) {
  setenv("SIMPLE_SFFI_PATH", "/nonexistent-a:/nonexistent-b/::", 1);
  Expected<ExternBinding> B = resolveExtern("rt_nosuchlib_f");
  EXPECT_EQ(errorText(B),
            std::string("cannot resolve extern `rt_nosuchlib_f`: library "
                        "libspl_nosuchlib.so not found (tried: "
                        "/nonexistent-a/libspl_nosuchlib.so, "
                        "/nonexistent-b/libspl_nosuchlib.so, ") +
                defaultTried("nosuchlib") + ")" + howToPoint("nosuchlib"));
}

TEST_F(Resolver, WithoutSffiPathOnlyDefaultsAreTried) {
  unsetenv("SIMPLE_SFFI_PATH");
  Expected<const Library &> L = loadLibrary("nosuchlib2");
  EXPECT_EQ(errorText(L), "library libspl_nosuchlib2.so not found (tried: " +
                              defaultTried("nosuchlib2") + ")" +
                              howToPoint("nosuchlib2"));
}

TEST_F(Resolver, NotAConventionName) {
  ResolveOptions NoHost;
  NoHost.HostLookup = false;
  Expected<ExternBinding> B = resolveExtern("puts", NoHost);
  EXPECT_EQ(errorText(B), "cannot resolve extern `puts`: it is not a runtime "
                          "function or builtin and does not follow the SFFI "
                          "convention rt_<lib>_<name>");
}

TEST_F(Resolver, HostSymbolComesFirst) {
  // A declared extern that only the host process has (libc here).
  Expected<ExternBinding> B = resolveExtern("puts");
  ASSERT_TRUE(!!B) << errorText(B);
  EXPECT_EQ(B->Origin, ExternOrigin::Host);
  EXPECT_EQ(B->Address, dlsym(RTLD_DEFAULT, "puts"));
  EXPECT_FALSE(B->Sig.has_value());
}

TEST_F(Resolver, RuntimeFunctionsResolveToTheRuntime) {
  Expected<ExternBinding> B = resolveExtern("rt_array_get");
  ASSERT_TRUE(!!B) << errorText(B);
  EXPECT_EQ(B->Origin, ExternOrigin::Runtime);
  ASSERT_TRUE(B->Sig.has_value());
  EXPECT_EQ(B->Sig->str(), "fn(i64, i64) -> i64");
}

TEST_F(Resolver, CallSiteWithEmptyParamsTakesTheCalleesSignature) {
  mir::Module M;
  Expected<ExternBinding> B = resolveExtern("rt_array_get");
  ASSERT_TRUE(!!B) << errorText(B);
  mir::Signature Empty; // "params": [] as the compiler writes it
  Empty.Ret = mir::TypeKind::I64;
  Expected<mir::Signature> S = externCallSignature(
      *B, M, Empty, {mir::TypeKind::I64, mir::TypeKind::I64});
  ASSERT_TRUE(!!S) << errorText(S);
  EXPECT_EQ(S->str(), "fn(i64, i64) -> i64");
  Expected<mir::Signature> Bad =
      externCallSignature(*B, M, Empty, {mir::TypeKind::I64});
  EXPECT_EQ(errorText(Bad), "call of `rt_array_get` passes 1 argument, its "
                            "signature fn(i64, i64) -> i64 takes 2");
}

TEST_F(Resolver, UnknownExternTakesItsArgumentsTypes) {
  mir::Module M;
  ExternBinding B; // an SFFI symbol spl-exec knows nothing about
  B.Name = "rt_geom_area";
  mir::Signature Empty;
  Empty.Ret = mir::TypeKind::F64;
  Expected<mir::Signature> S = externCallSignature(
      B, M, Empty, {mir::TypeKind::F64, mir::TypeKind::I32});
  ASSERT_TRUE(!!S) << errorText(S);
  EXPECT_EQ(S->str(), "fn(f64, i32) -> f64");
}

TEST_F(Resolver, LibEnvVarThatIsNotALibrary) {
  std::string Text = SPL_SOURCE_DIR "/tests/sffi/notalib.txt";
  setenv("SIMPLE_NOTALIB_LIB", Text.c_str(), 1);
  Expected<ExternBinding> B = resolveExtern("rt_notalib_f");
  unsetenv("SIMPLE_NOTALIB_LIB");
  EXPECT_EQ(errorText(B), "cannot resolve extern `rt_notalib_f`: library "
                          "libspl_notalib.so could not be loaded from "
                          "SIMPLE_NOTALIB_LIB=" +
                              Text + ": invalid ELF header");
}

TEST_F(Resolver, LibEnvVarThatIsMissing) {
  setenv("SIMPLE_GONE_LIB", "/nonexistent/libspl_gone.so", 1);
  Expected<const Library &> L = loadLibrary("gone");
  unsetenv("SIMPLE_GONE_LIB");
  EXPECT_EQ(errorText(L),
            std::string("library libspl_gone.so could not be loaded from "
                        "SIMPLE_GONE_LIB=/nonexistent/libspl_gone.so: ") +
                NoSuchFile);
}

TEST_F(Resolver, LibEnvVarWinsOverTheSearchPath) {
  std::string Dir = tempDir("envwins");
  std::string InDir = copyOther(SffiDir, "envwins");
  std::string Named = copyOther(Dir, "envwins");
  setenv("SIMPLE_ENVWINS_LIB", Named.c_str(), 1);
  Expected<const Library &> L = loadLibrary("envwins");
  unsetenv("SIMPLE_ENVWINS_LIB");
  fs::remove(InDir);
  ASSERT_TRUE(!!L) << errorText(L);
  EXPECT_EQ(L->Path, Named);
  EXPECT_EQ(L->Lib, "envwins");
}

TEST_F(Resolver, SffiPathIsSearchedInOrder) {
  std::string Root = tempDir("order");
  fs::create_directories(Root + "/d1");
  fs::create_directories(Root + "/d2");
  fs::create_directories(Root + "/d3");
  copyOther(Root + "/d2", "order");
  copyOther(Root + "/d3", "order");
  std::string Path = Root + "/d1:" + Root + "/d2:" + Root + "/d3";
  setenv("SIMPLE_SFFI_PATH", Path.c_str(), 1);
  Expected<const Library &> L = loadLibrary("order");
  ASSERT_TRUE(!!L) << errorText(L);
  EXPECT_EQ(L->Path, Root + "/d2/libspl_order.so");
}

TEST_F(Resolver, AFailureIsRetried) {
  std::string Dir = tempDir("retry");
  setenv("SIMPLE_SFFI_PATH", Dir.c_str(), 1);
  Expected<const Library &> First = loadLibrary("retry");
  EXPECT_EQ(errorText(First), "library libspl_retry.so not found (tried: " +
                                  Dir + "/libspl_retry.so, " +
                                  defaultTried("retry") + ")" +
                                  howToPoint("retry"));
  copyOther(Dir, "retry");
  Expected<const Library &> Second = loadLibrary("retry");
  ASSERT_TRUE(!!Second) << errorText(Second);
  EXPECT_EQ(Second->Path, Dir + "/libspl_retry.so");
}

TEST_F(Resolver, ConcurrentResolution) {
  std::vector<std::thread> Threads;
  std::vector<void *> Found(8, nullptr);
  for (int I = 0; I < 8; ++I)
    Threads.emplace_back([&, I] {
      Expected<ExternBinding> B =
          resolveExtern(I % 2 ? "rt_testlib_sum3" : "rt_other_present",
                        sffiOnly());
      if (B)
        Found[I] = B->Address;
      else
        consumeError(B.takeError());
    });
  for (std::thread &T : Threads)
    T.join();
  for (int I = 0; I < 8; ++I) {
    EXPECT_NE(Found[I], nullptr) << I;
    EXPECT_EQ(Found[I], Found[I % 2]) << I;
  }
}

} // namespace
