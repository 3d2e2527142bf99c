//===- tests/torch_e2e/TorchE2ETest.cpp - Torch programs on every backend -===//
//
// Runs examples/torch_matmul.mir and examples/torch_mlp.mir through
// spl::ExecManager under the interpreter, llvm -O0, llvm -O2 and auto, with
// their rt_torch_* calls going to the libspl_torch.so this build made, and
// checks:
//   - every backend prints byte-identical output;
//   - torch_matmul prints exactly tests/torch_e2e/torch_matmul.expected
//     (values worked out by hand: small integers, exact in binary);
//   - torch_mlp's printed losses strictly decrease and it ends with
//     "live handles: 0" (every tensor handle it made was freed).
//
//===----------------------------------------------------------------------===//
#include "spl/ExecManager.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

/// Makes the SFFI search find the library of this build, whatever the
/// environment or the default directories say. Runs before any manager
/// exists (libraries are loaded once per process, at the first load).
class TorchLibraryEnvironment : public testing::Environment {
public:
  void SetUp() override {
    unsetenv("SIMPLE_TORCH_LIB"); // would win over SIMPLE_SFFI_PATH
    setenv("SIMPLE_SFFI_PATH", SPL_TORCH_LIB_DIR, /*overwrite=*/1);
  }
};
[[maybe_unused]] testing::Environment *const TorchEnv =
    testing::AddGlobalTestEnvironment(new TorchLibraryEnvironment);

std::string slurp(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

fs::path sourcePath(const char *Rel) { return fs::path(SPL_SOURCE_DIR) / Rel; }

std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> Out;
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);)
    Out.push_back(L);
  return Out;
}

struct Config {
  const char *Label;
  const char *Backend;
  unsigned Opt;
  unsigned Threshold;
};
const Config Configs[] = {
    {"interpreter", "interpreter", 2, 2},
    {"llvm_O0", "llvm", 0, 2},
    {"llvm_O2", "llvm", 2, 2},
    {"auto", "auto", 2, 2}, // helpers get promoted while the program runs
};

/// What one run of `main` printed and returned.
struct RunResult {
  std::string Out;
  bool Ok = false;
  std::string Error;
  int64_t Ret = -1;
};

RunResult runMain(const std::string &Source, const std::string &Name,
                  const Config &C) {
  RunResult R;
  spl::Options O;
  O.Backend = C.Backend;
  O.OptLevel = C.Opt;
  O.JitThreshold = C.Threshold;
  auto M = spl::ExecManager::create(O);
  if (!M) {
    R.Error = "create: " + M.error().Message;
    return R;
  }
  if (spl::Status S = (*M)->compile(Source, Name); !S) {
    R.Error = "compile: " + S.error().Message;
    return R;
  }
  testing::internal::CaptureStdout();
  auto V = (*M)->call("main", {});
  std::fflush(stdout); // the builtins print through C stdio
  R.Out = testing::internal::GetCapturedStdout();
  if (!V) {
    R.Error = "run: " + V.error().Message;
    return R;
  }
  R.Ok = true;
  R.Ret = V->asI64();
  return R;
}

/// Runs the program on every configuration; each must succeed, return 0 and
/// print what the first one printed. Returns that output.
std::string runEverywhere(const char *RelPath) {
  std::string Source = slurp(sourcePath(RelPath));
  EXPECT_FALSE(Source.empty()) << "cannot read " << RelPath;
  std::string First;
  bool HaveFirst = false;
  for (const Config &C : Configs) {
    SCOPED_TRACE(C.Label);
    RunResult R = runMain(Source, RelPath, C);
    EXPECT_TRUE(R.Ok) << R.Error << "\noutput so far:\n" << R.Out;
    EXPECT_EQ(R.Ret, 0);
    if (!HaveFirst) {
      First = R.Out;
      HaveFirst = true;
    } else {
      EXPECT_EQ(R.Out, First) << "differs from " << Configs[0].Label;
    }
  }
  return First;
}

TEST(TorchE2E, ExternsResolveToTheBuiltLibrary) {
  std::string Source = slurp(sourcePath("examples/torch_mlp.mir"));
  auto L = spl::ExecManager::inspectExterns(Source, "torch_mlp.mir");
  ASSERT_TRUE(bool(L)) << L.error().Message;
  std::string Lib = fs::path(SPL_TORCH_LIB_DIR) / "libspl_torch.so";
  int TorchExterns = 0;
  for (const spl::ExternInfo &X : *L) {
    SCOPED_TRACE(X.Name);
    EXPECT_TRUE(X.Resolved) << X.Where;
    if (X.Name.rfind("rt_torch_", 0) == 0) {
      EXPECT_EQ(X.Where, Lib);
      ++TorchExterns;
    } else if (X.Name == "rt_print" || X.Name == "rt_println") {
      EXPECT_EQ(X.Where, "runtime"); // the Simple runtime's text printing
    } else {
      EXPECT_EQ(X.Where, "builtin");
    }
  }
  // Each declared rt_torch_* extern is listed once.
  int Declared = 0;
  for (const std::string &Line : lines(Source))
    Declared += Line.rfind("extern @rt_torch_", 0) == 0;
  EXPECT_GT(Declared, 0);
  EXPECT_EQ(TorchExterns, Declared);
}

TEST(TorchE2E, MatmulPrintsTheExactValuesOnEveryBackend) {
  std::string Out = runEverywhere("examples/torch_matmul.mir");
  std::string Expected = slurp(sourcePath("tests/torch_e2e/torch_matmul.expected"));
  ASSERT_FALSE(Expected.empty());
  EXPECT_EQ(Out, Expected);
}

TEST(TorchE2E, MlpLossDecreasesAndFreesEveryHandle) {
  std::string Out = runEverywhere("examples/torch_mlp.mir");
  std::vector<std::string> L = lines(Out);
  ASSERT_FALSE(L.empty());

  // "step N loss L" for N = 0, 20, ..., 180, then "final loss L".
  std::vector<double> Losses;
  int Reports = 0;
  for (const std::string &Line : L) {
    std::istringstream In(Line);
    std::string Word, Loss, Value;
    In >> Word;
    if (Word == "step") {
      long Step = -1;
      In >> Step >> Loss >> Value;
      EXPECT_EQ(Step, 20L * Reports) << Line;
      EXPECT_EQ(Loss, "loss") << Line;
      ++Reports;
    } else if (Word == "final") {
      In >> Loss >> Value;
      EXPECT_EQ(Loss, "loss") << Line;
    } else {
      continue;
    }
    char *End = nullptr;
    double D = std::strtod(Value.c_str(), &End);
    ASSERT_TRUE(!Value.empty() && *End == '\0') << "not a number in: " << Line;
    Losses.push_back(D);
  }
  EXPECT_EQ(Reports, 10);
  ASSERT_EQ(Losses.size(), 11u) << Out;

  for (size_t I = 1; I < Losses.size(); ++I)
    EXPECT_LT(Losses[I], Losses[I - 1]) << "report " << I << " in:\n" << Out;
  // Training does real work: the loss ends well below where it started.
  EXPECT_LT(Losses.back(), Losses.front() / 4) << Out;

  EXPECT_EQ(L.back(), "live handles: 0");
  EXPECT_EQ(L.size(), 12u) << Out;
}

/// A torch error (here a shape mismatch) reaches MIR as handle 0 plus the
/// message of rt_torch_last_error(), on every backend, and the next successful
/// call clears the message.
TEST(TorchE2E, TorchErrorsComeBackAsZeroHandles) {
  const std::string Source = R"mir(
module "torch_error"
fn @main() -> i64 {
  let _0 _return: i64 return
  let _1 a: i64 temp
  let _2 b: i64 temp
  let _3 sum: i64 temp
  let _4 message: *u8 temp
  let _5 dims: *mut i64 temp
  let _6 live: i64 temp
bb0:
  _5 = alloc i64
  store copy _5, const i64 3
  _1 = call @rt_torch_tensor_ones(copy _5, const i64 1) : fn(*i64, i64) -> i64
  store copy _5, const i64 4
  _2 = call @rt_torch_tensor_ones(copy _5, const i64 1) : fn(*i64, i64) -> i64
  _3 = call @rt_torch_torchtensor_add(copy _1, copy _2) : fn(i64, i64) -> i64
  call @rt_println_i64(copy _3) : fn(i64)
  _4 = call @rt_torch_last_error() : fn() -> *u8
  call @rt_println(copy _4) : fn(*u8)
  call @rt_torch_torchtensor_free(copy _1) : fn(i64)
  call @rt_torch_torchtensor_free(copy _2) : fn(i64)
  _4 = call @rt_torch_last_error() : fn() -> *u8
  call @rt_print(const *u8 "after free: \"") : fn(*u8)
  call @rt_print(copy _4) : fn(*u8)
  call @rt_println(const *u8 "\"") : fn(*u8)
  _6 = call @rt_torch_live_handles() : fn() -> i64
  call @rt_println_i64(copy _6) : fn(i64)
  return const i64 0
}
)mir";
  std::string First;
  for (const Config &C : Configs) {
    SCOPED_TRACE(C.Label);
    RunResult R = runMain(Source, "torch_error.mir", C);
    ASSERT_TRUE(R.Ok) << R.Error;
    std::vector<std::string> L = lines(R.Out);
    ASSERT_EQ(L.size(), 4u) << R.Out;
    EXPECT_EQ(L[0], "0");
    const std::string Prefix = "rt_torch_torchtensor_add: ";
    EXPECT_EQ(L[1].rfind(Prefix, 0), 0u) << L[1];
    EXPECT_GT(L[1].size(), Prefix.size()) << "no reason given";
    EXPECT_EQ(L[2], "after free: \"\"");
    EXPECT_EQ(L[3], "0");
    if (First.empty())
      First = R.Out;
    else
      EXPECT_EQ(R.Out, First);
  }
}

} // namespace
