//===- tests/bench/BenchSmokeTest.cpp - spl-exec bench end to end ---------===//
//
// The real command on tests/bench/programs: a tiny benchmark whose rows are
// valid, a twin that disagrees, a program that traps, and a bad backend.
// Exit statuses and row contents only: no time is asserted.
//
//===----------------------------------------------------------------------===//
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

namespace {
const std::string Exe = SPL_BINARY_DIR "/bin/spl-exec";
const std::string Programs = "--programs=" SPL_SOURCE_DIR "/tests/bench/programs";

struct Result {
  int Status = -1;
  std::string Stdout, Stderr;
  llvm::json::Value JSON = nullptr;
};

class BenchSmoke : public ::testing::Test {
protected:
  void SetUp() override { llvm::sys::fs::createUniqueDirectory("bench-smoke", Tmp); }
  void TearDown() override { llvm::sys::fs::remove_directories(Tmp); }

  Result bench(std::vector<std::string> Args) {
    std::string Out = (Tmp + "/out").str(), Err = (Tmp + "/err").str(),
                JSON = (Tmp + "/r.json").str();
    std::vector<llvm::StringRef> Argv = {Exe, "bench", Programs, "--runs=1",
                                         "--json", JSON};
    for (const std::string &A : Args)
      Argv.push_back(A);
    std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(Out),
                                                  llvm::StringRef(Err)};
    Result R;
    R.Status = llvm::sys::ExecuteAndWait(Exe, Argv, std::nullopt, Redirects, 120);
    R.Stdout = slurp(Out);
    R.Stderr = slurp(Err);
    if (auto V = llvm::json::parse(slurp(JSON)))
      R.JSON = std::move(*V);
    else
      llvm::consumeError(V.takeError());
    return R;
  }

  static std::string slurp(const std::string &Path) {
    auto B = llvm::MemoryBuffer::getFile(Path);
    return B ? (*B)->getBuffer().str() : "";
  }

  /// "backend: error" (or "backend: ok") for each JSON result, in order.
  static std::vector<std::string> rows(const Result &R) {
    std::vector<std::string> Out;
    const llvm::json::Object *O = R.JSON.getAsObject();
    if (!O || !O->getArray("results"))
      return Out;
    for (const llvm::json::Value &V : *O->getArray("results")) {
      const llvm::json::Object *X = V.getAsObject();
      std::string B = X->getString("backend").value_or("?").str();
      auto E = X->getString("error");
      Out.push_back(B + ": " + (E ? E->str() : "ok"));
    }
    return Out;
  }

  llvm::SmallString<128> Tmp;
};
} // namespace

TEST_F(BenchSmoke, ATinyBenchmarkEndToEnd) {
  std::string SVG = (Tmp + "/c.svg").str();
  Result R = bench({"--filter=^tiny$", "--backends=native,interpreter,llvm,auto",
                    "--svg", SVG});
  EXPECT_EQ(R.Status, 0) << R.Stdout << R.Stderr;
  EXPECT_EQ(rows(R), (std::vector<std::string>{"native: ok", "interpreter: ok",
                                               "llvm: ok", "auto: ok"}))
      << R.Stdout;
  const llvm::json::Object *First =
      (*R.JSON.getAsObject()->getArray("results"))[1].getAsObject();
  EXPECT_EQ(First->getInteger("runs"), 1);
  EXPECT_TRUE(First->getNumber("run_ms").has_value());
  EXPECT_TRUE(First->getNumber("compile_ms").has_value());
  EXPECT_NE(R.Stdout.find("| tiny |"), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stderr.find("[1/1] tiny"), std::string::npos) << R.Stderr;
  EXPECT_TRUE(llvm::StringRef(slurp(SVG)).starts_with("<svg "));
}

TEST_F(BenchSmoke, ATwinThatDisagreesMakesErrorRowsAndExitOne) {
  Result R = bench({"--filter=^wrong$", "--backends=native,interpreter"});
  EXPECT_EQ(R.Status, 1) << R.Stdout << R.Stderr;
  EXPECT_EQ(rows(R), (std::vector<std::string>{
                         "native: ok",
                         "interpreter: output differs from native's: printed "
                         "\"499500\", expected \"499501\""}));
}

TEST_F(BenchSmoke, ATrapIsAnErrorRowNotATime) {
  Result R = bench({"--filter=^trap$", "--backends=native,llvm"});
  EXPECT_EQ(R.Status, 1) << R.Stdout << R.Stderr;
  std::vector<std::string> Rows = rows(R);
  ASSERT_EQ(Rows.size(), 2u) << R.Stdout;
  EXPECT_EQ(Rows[0], "native: ok");
  // spl-exec's exit status for a runtime error (tools/Driver.h).
  EXPECT_EQ(Rows[1].rfind("llvm: exit status 101: ", 0), 0u) << Rows[1];
  EXPECT_NE(R.Stdout.find("**ERROR**"), std::string::npos);
}

TEST_F(BenchSmoke, AnUnknownBackendIsAUsageError) {
  Result R = bench({"--backends=native,cranelift"});
  EXPECT_EQ(R.Status, 2);
  EXPECT_NE(R.Stderr.find("unknown backend `cranelift`"), std::string::npos) << R.Stderr;
  EXPECT_EQ(R.Stdout, ""); // nothing ran
}

TEST_F(BenchSmoke, ATwinThatTimesItselfIsTakenAtItsWord) {
  // bench_main.h's twins time main alone and write "0 RUN_MS" to argv[2], so a
  // library loaded before main (libtorch: ~0.6 s) is not counted as work.
  Result R = bench({"--filter=^selftimed$", "--backends=native"});
  EXPECT_EQ(R.Status, 0) << R.Stdout << R.Stderr;
  ASSERT_EQ(rows(R), (std::vector<std::string>{"native: ok"})) << R.Stdout;
  const llvm::json::Object *Row =
      (*R.JSON.getAsObject()->getArray("results"))[0].getAsObject();
  EXPECT_EQ(Row->getNumber("run_ms"), 4242.5);
  EXPECT_EQ(Row->getNumber("compile_ms").has_value(), true);
}
