//===- tests/guard/GuardTest.cpp - Faults are runtime errors, everywhere --===//
//
// Every program here is undefined or hostile (a null, wild or far store or
// load, a call through an integer or with the wrong signature, a fault in an
// SFFI function, a native stack overflow, a recursion with a big Alloc).
// Each must end in one exact runtime error on every backend (interpreter,
// llvm -O0, llvm -O2, auto), through the C++ API and the spl-exec command,
// and the manager must run the next call normally. The texts are derived
// from mir::trapMessage's table by hand ("runtime error in `FN`: MESSAGE").
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <pthread.h>
#include <regex>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace spl;

namespace {

struct Backend {
  const char *Label, *Name;
  unsigned Opt;
};
const Backend Backends[] = {{"interpreter", "interpreter", 2},
                            {"llvm-O0", "llvm", 0},
                            {"llvm-O2", "llvm", 2},
                            {"auto", "auto", 2}};

/// A function every program has: the call after the fault must work.
const char *const OkFn = R"(
fn @ok() -> i64 {
  let _0: i64 return
bb0 entry:
  _0 = const i64 42
  return
}
)";

std::unique_ptr<ExecManager> make(const Backend &B, unsigned MaxDepth = 10000) {
  Options O;
  O.Backend = B.Name;
  O.OptLevel = B.Opt;
  O.JitThreshold = 1; // auto: the JIT from the first call
  O.MaxCallDepth = MaxDepth;
  auto M = ExecManager::create(O);
  if (!M) {
    ADD_FAILURE() << M.error().Message;
    return nullptr;
  }
  return std::move(*M);
}

/// Compiles Src (plus @ok), calls main twice and returns Describe of the
/// first call's result; the second must be described the same. After each
/// call, @ok must still answer 42.
template <typename DescribeFn>
std::string runMainTwice(const Backend &B, const std::string &Src,
                         unsigned MaxDepth, DescribeFn Describe) {
  auto M = make(B, MaxDepth);
  if (!M)
    return "<no manager>";
  Status S = M->compile(Src + OkFn, "guard.mir");
  if (!S)
    return "<load error> " + S.error().Message;
  std::string Text;
  for (int Round = 0; Round < 2; ++Round) { // the same program twice
    std::string T = Describe(M->callWithI64("main", {}));
    if (Round == 0)
      Text = T;
    else
      EXPECT_EQ(T, Text) << B.Label << ": the second run differs";
    auto Ok = M->callWithI64("ok", {});
    EXPECT_TRUE(bool(Ok)) << B.Label << ": the manager is not usable";
    if (Ok) {
      EXPECT_EQ(Ok->asI64(), 42);
    }
  }
  return Text;
}

/// main's runtime error text (anything else is marked "<not a runtime
/// error>"), as runMainTwice checks it.
std::string runtimeError(const Backend &B, const std::string &Src,
                         unsigned MaxDepth = 10000) {
  return runMainTwice(B, Src, MaxDepth, [](const auto &R) {
    std::string T = R ? std::string() : R.error().Message;
    if (R || R.error().K != ExecError::Kind::Runtime)
      T = "<not a runtime error> " + T;
    return T;
  });
}

const char *const NullStore = R"(module "g"
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
bb0 entry:
  _1 = bitcast const i64 0 to *mut i64
  store copy _1, const i64 7
  _0 = const i64 1
  return
}
)";

const char *const NullLoad = R"(module "g"
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
bb0 entry:
  _1 = bitcast const i64 0 to *mut i64
  _0 = load copy _1
  return
}
)";

const char *const WildLoad = R"(module "g"
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
bb0 entry:
  _1 = bitcast const i64 16 to *mut i64
  _0 = load copy _1
  return
}
)";

// 2^44 bytes below a stack slot: far outside anything mapped.
const char *const FarStore = R"(module "g"
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut i64 temp
  let _2: i64 temp
  let _3: i64 temp
  let _4: *mut i64 temp
bb0 entry:
  _1 = alloc i64
  _2 = bitcast copy _1 to i64
  _3 = binop sub copy _2, const i64 17592186044416
  _4 = bitcast copy _3 to *mut i64
  store copy _4, const i64 7
  _0 = const i64 1
  return
}
)";

const char *const CallThroughInteger = R"(module "g"
fn @main() -> i64 {
  let _0: i64 return
  let _1: fn() -> i64 temp
bb0 entry:
  _1 = bitcast const i64 4096 to fn() -> i64
  _0 = call_indirect copy _1() : fn() -> i64
  return
}
)";

const char *const WrongSignature = R"(module "g"
fn @two(i64, i64) -> i64 {
  let _0: i64 return
  let _1 a: i64 arg 0
  let _2 b: i64 arg 1
bb0 entry:
  _0 = binop add copy _1, copy _2
  return
}
fn @main() -> i64 {
  let _0: i64 return
  let _1: fn() -> i64 temp
bb0 entry:
  _1 = bitcast const fn(i64, i64) -> i64 @two to fn() -> i64
  _0 = call_indirect copy _1() : fn() -> i64
  return
}
)";

// 1 MiB of Alloc per frame, recursing without end.
const char *const BigAllocRecursion = R"(module "g"
fn @big(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: *mut [u8; 1048576] temp
  let _3: i64 temp
bb0 entry:
  _2 = alloc [u8; 1048576]
  _3 = binop add copy _1, const i64 1
  _0 = call @big(copy _3) : fn(i64) -> i64
  return
}
fn @main() -> i64 {
  let _0: i64 return
bb0 entry:
  _0 = call @big(const i64 0) : fn(i64) -> i64
  return
}
)";

// Reads through a runtime block after rt_free: undefined in the language,
// but the runtime's arena never unmaps what it gave out (docs/RUNTIME.md,
// after the table of words): a freed large run's pages are given back and read as zeroes,
// a freed small slot keeps its old contents until it is reused (the free
// list is linked through the header before the object). So the stale load
// reads, never faults, and every backend reads the same word.
std::string staleRead(int64_t Bytes) {
  return R"(module "g"
fn @main() -> i64 {
  let _0: i64 return
  let _1: *mut u8 temp
  let _2: *mut i64 temp
bb0 entry:
  _1 = call @rt_alloc(const i64 )" +
         std::to_string(Bytes) + R"() : fn(i64) -> *mut u8
  _2 = bitcast copy _1 to *mut i64
  store copy _2, const i64 42
  call @rt_free(copy _1) : fn(*mut u8)
  _0 = load copy _2
  return
}
)";
}

/// main's result as text (an error as "<error> TEXT"), as runMainTwice
/// checks it.
std::string resultOf(const Backend &B, const std::string &Src) {
  return runMainTwice(B, Src, 10000, [](const auto &R) {
    return R ? std::to_string((*R).asI64()) : "<error> " + R.error().Message;
  });
}

class Guard : public ::testing::TestWithParam<Backend> {};

TEST_P(Guard, NullStoreIsInvalidMemoryAccess) {
  EXPECT_EQ(runtimeError(GetParam(), NullStore),
            "runtime error in `main`: invalid memory access at 0x0");
}

TEST_P(Guard, NullLoadIsInvalidMemoryAccess) {
  EXPECT_EQ(runtimeError(GetParam(), NullLoad),
            "runtime error in `main`: invalid memory access at 0x0");
}

TEST_P(Guard, WildLoadIsInvalidMemoryAccess) {
  EXPECT_EQ(runtimeError(GetParam(), WildLoad),
            "runtime error in `main`: invalid memory access at 0x10");
}

TEST_P(Guard, FarStoreIsInvalidMemoryAccess) {
  std::string T = runtimeError(GetParam(), FarStore);
  EXPECT_TRUE(std::regex_match(
      T, std::regex("runtime error in `main`: invalid memory access at "
                    "0x[0-9a-f]+")))
      << T;
  EXPECT_NE(T, "runtime error in `main`: invalid memory access at 0x0");
}

TEST_P(Guard, LoadThroughAFreedLargeBlockReadsZero) {
  // 4 MiB: a run of whole chunks.
  EXPECT_EQ(resultOf(GetParam(), staleRead(4 << 20)), "0");
}

TEST_P(Guard, LoadThroughAFreedSmallBlockReadsItsOldContents) {
  // 16 bytes + the 16-byte header: a 32-byte slot.
  EXPECT_EQ(resultOf(GetParam(), staleRead(16)), "42");
}

TEST_P(Guard, CallThroughIntegerIsBadFunctionPointer) {
  EXPECT_EQ(runtimeError(GetParam(), CallThroughInteger),
            "runtime error in `main`: call through an invalid function "
            "pointer");
}

TEST_P(Guard, CallWithWrongSignatureIsBadFunctionPointer) {
  EXPECT_EQ(runtimeError(GetParam(), WrongSignature),
            "runtime error in `main`: call through an invalid function "
            "pointer");
}

TEST_P(Guard, BigAllocRecursionIsStackOverflow) {
  EXPECT_EQ(runtimeError(GetParam(), BigAllocRecursion),
            "runtime error in `big`: stack overflow (call depth exceeded "
            "10000)");
}

TEST_P(Guard, FaultInsideSffiFunctionNamesItsMirCaller) {
  setenv("SIMPLE_SFFI_PATH", SPL_SFFI_DIR, 1);
  const char *Src = R"(module "g"
fn @main() -> i64 {
  let _0: i64 return
bb0 entry:
  _0 = call @rt_testlib_deref_i64(const i64 16) : fn(i64) -> i64
  return
}
)";
  EXPECT_EQ(runtimeError(GetParam(), Src),
            "runtime error in `main`: invalid memory access at 0x10");
}

// rec calls C (rt_testlib_apply_i64), which calls rec ...: with the depth
// limit far away, the native stack (1 MiB in this thread) runs out first.
// Whether a check before the end or the fault at the guard page catches it,
// the text is the stack-overflow one with the manager's limit.
TEST_P(Guard, NativeStackOverflowThroughCallbacks) {
  setenv("SIMPLE_SFFI_PATH", SPL_SFFI_DIR, 1);
  const char *Src = R"(module "cbdeep"
fn @rec(i64) -> i64 {
  let _0: i64 return
  let _1 x: i64 arg 0
  let _2: i64 temp
bb0 entry:
  _2 = binop add copy _1, const i64 1
  _0 = call @rt_testlib_apply_i64(const fn(i64) -> i64 @rec, copy _2) : fn(fn(i64) -> i64, i64) -> i64
  return
}
fn @main() -> i64 {
  let _0: i64 return
bb0 entry:
  _0 = call @rec(const i64 0) : fn(i64) -> i64
  return
}
)";
  struct Job {
    const Backend *B;
    const char *Src;
    std::string Text;
  } J{&GetParam(), Src, {}};
  pthread_attr_t A;
  pthread_attr_init(&A);
  pthread_attr_setstacksize(&A, 1 << 20);
  pthread_t T;
  ASSERT_EQ(pthread_create(
                &T, &A,
                [](void *P) -> void * {
                  auto &J = *static_cast<Job *>(P);
                  J.Text = runtimeError(*J.B, J.Src, 1000000);
                  return nullptr;
                },
                &J),
            0);
  pthread_join(T, nullptr);
  pthread_attr_destroy(&A);
  EXPECT_EQ(J.Text, "runtime error in `rec`: stack overflow (call depth "
                    "exceeded 1000000)");
}

INSTANTIATE_TEST_SUITE_P(AllBackends, Guard, ::testing::ValuesIn(Backends),
                         [](const auto &I) {
                           std::string S = I.param.Label;
                           for (char &C : S)
                             if (C == '-')
                               C = '_';
                           return S;
                         });

//===----------------------------------------------------------------------===//
// The same hostile programs through the spl-exec command: never a signal
//===----------------------------------------------------------------------===//

struct Hostile {
  const char *Name, *Src, *Expected; // Expected: a regex of stderr's line
};

const Hostile HostilePrograms[] = {
    {"null_store", NullStore,
     "error: runtime error in `main`: invalid memory access at 0x0"},
    {"null_load", NullLoad,
     "error: runtime error in `main`: invalid memory access at 0x0"},
    {"wild_load", WildLoad,
     "error: runtime error in `main`: invalid memory access at 0x10"},
    {"far_store", FarStore,
     "error: runtime error in `main`: invalid memory access at 0x[0-9a-f]+"},
    {"call_integer", CallThroughInteger,
     "error: runtime error in `main`: call through an invalid function "
     "pointer"},
    {"wrong_signature", WrongSignature,
     "error: runtime error in `main`: call through an invalid function "
     "pointer"},
    {"big_alloc_recursion", BigAllocRecursion,
     "error: runtime error in `big`: stack overflow \\(call depth exceeded "
     "10000\\)"},
};

std::string runTool(const std::vector<std::string> &Args, int &Status) {
  std::string Out = "/tmp/spl_guard_tool_" + std::to_string(getpid()) + ".err";
  std::string Cmd = "'" SPL_TOOL "'";
  for (const std::string &A : Args)
    Cmd += " '" + A + "'";
  Cmd += " >/dev/null 2>'" + Out + "'";
  Status = std::system(Cmd.c_str());
  std::ifstream In(Out);
  std::string Text((std::istreambuf_iterator<char>(In)),
                   std::istreambuf_iterator<char>());
  std::remove(Out.c_str());
  return Text;
}

TEST(GuardCli, HostileProgramsEndInErrorsNotSignals) {
  for (const Hostile &H : HostilePrograms) {
    std::string Path = "/tmp/spl_guard_" + std::string(H.Name) + "_" +
                       std::to_string(getpid()) + ".mir";
    {
      std::ofstream F(Path);
      F << H.Src;
    }
    for (const Backend &B : Backends) {
      int Status = 0;
      std::string Err = runTool({"run", std::string("--backend=") + B.Name,
                                 "-O" + std::to_string(B.Opt),
                                 "--jit-threshold=1", Path},
                                Status);
      // system() gives a wait status; a signal in spl-exec shows as the
      // shell's 128+N exit code.
      ASSERT_TRUE(WIFEXITED(Status)) << H.Name << " " << B.Label;
      int Code = WEXITSTATUS(Status);
      EXPECT_LT(Code, 128) << H.Name << " " << B.Label << ": signal " << Code - 128
                           << "\n"
                           << Err;
      EXPECT_EQ(Code, 101) << H.Name << " " << B.Label << "\n" << Err;
      EXPECT_TRUE(std::regex_search(Err, std::regex("^" + std::string(H.Expected) +
                                                    "\n$")))
          << H.Name << " " << B.Label << ":\n"
          << Err;
      EXPECT_EQ(Err.find("PLEASE submit"), std::string::npos) << Err;
    }
    std::remove(Path.c_str());
  }
}

//===----------------------------------------------------------------------===//
// Alloc: the verifier's checks (load errors naming the place)
//===----------------------------------------------------------------------===//

std::string loadError(const std::string &Src) {
  Options O;
  O.Backend = "interpreter";
  auto M = ExecManager::create(O);
  if (!M)
    return "<no manager>";
  Status S = (*M)->compile(Src, "alloc.mir");
  return S ? "" : S.error().Message;
}

std::string allocProgram(const std::string &Dest, const std::string &Allocs) {
  return "module \"a\"\nfn @main() -> i64 {\n  let _0: i64 return\n" + Dest +
         "bb0 entry:\n" + Allocs + "  _0 = const i64 0\n  return\n}\n";
}

TEST(GuardAlloc, AllocSmallerThanThePointeeIsALoadError) {
  std::string E = loadError(allocProgram("  let _1: *mut i64 temp\n",
                                         "  _1 = alloc u8\n"));
  EXPECT_NE(E.find("function `main`, block bb0 (entry), instruction 0: "
                   "alloc of u8 (1 bytes) into _1 of type *mut i64, whose "
                   "pointee needs 8 bytes"),
            std::string::npos)
      << E;
}

TEST(GuardAlloc, AllocAsBigAsThePointeeLoads) {
  EXPECT_EQ(loadError(allocProgram("  let _1: *mut i64 temp\n",
                                   "  _1 = alloc i64\n")),
            "");
  // An array area for a pointer to its first element is fine too.
  EXPECT_EQ(loadError(allocProgram("  let _1: *mut i64 temp\n",
                                   "  _1 = alloc [i64; 4]\n")),
            "");
}

TEST(GuardAlloc, SizeThatDoesNotFitIn64BitsIsALoadError) {
  std::string E = loadError(allocProgram(
      "  let _1: *mut [[u8; 9223372036854775808]; 2] temp\n",
      "  _1 = alloc [[u8; 9223372036854775808]; 2]\n"));
  EXPECT_NE(E.find("instruction 0: alloc of [[u8; 9223372036854775808]; 2]: "
                   "its size does not fit in 64 bits"),
            std::string::npos)
      << E;
}

TEST(GuardAlloc, MaximalArrayIsOverTheFrameCap) {
  std::string E = loadError(
      allocProgram("  let _1: *mut [u8; 18446744073709551615] temp\n",
                   "  _1 = alloc [u8; 18446744073709551615]\n"));
  EXPECT_NE(E.find("instruction 0: the Alloc areas of the function take more "
                   "than the 4 MiB one frame may hold (alloc of [u8; "
                   "18446744073709551615])"),
            std::string::npos)
      << E;
}

TEST(GuardAlloc, TwoHalvesOfTheAddressSpaceDoNotWrap) {
  std::string E = loadError(
      allocProgram("  let _1: *mut [u8; 9223372036854775808] temp\n"
                   "  let _2: *mut [u8; 9223372036854775808] temp\n",
                   "  _1 = alloc [u8; 9223372036854775808]\n"
                   "  _2 = alloc [u8; 9223372036854775808]\n"));
  EXPECT_NE(E.find("instruction 0: the Alloc areas of the function take more "
                   "than the 4 MiB one frame may hold"),
            std::string::npos)
      << E;
}

TEST(GuardAlloc, FrameCapCountsEveryAlloc) {
  // 4 MiB exactly loads; one more byte (an 8-byte area) does not.
  EXPECT_EQ(loadError(allocProgram("  let _1: *mut [u8; 4194304] temp\n",
                                   "  _1 = alloc [u8; 4194304]\n")),
            "");
  std::string E = loadError(
      allocProgram("  let _1: *mut [u8; 4194304] temp\n"
                   "  let _2: *mut u8 temp\n",
                   "  _1 = alloc [u8; 4194304]\n  _2 = alloc u8\n"));
  EXPECT_NE(E.find("instruction 1: the Alloc areas of the function take more "
                   "than the 4 MiB one frame may hold (alloc of u8)"),
            std::string::npos)
      << E;
}

} // namespace
