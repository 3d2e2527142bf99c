//===- tests/random/RandomV2Test.cpp - Random v2 programs, every backend --===//
//
// Each seed's program (ProgramGen.h) runs through spl::ExecManager on the
// interpreter, llvm -O0, llvm -O2 and auto (thresholds 1-2); `main` is called
// twice in the same manager (the global cells carry over), and the stdout and
// result or error text of both calls must be identical on all four.
//
// The seeds are split over shards (one ctest test each, so ctest -j runs them
// in parallel). A failure prints the seed, every backend's outcome and the
// program (mir::printText). Environment:
//   SPL_RANDOM_COUNT=<n>  programs per run (default 1000), seeds BASE..BASE+n-1
//   SPL_RANDOM_BASE=<s>   the first seed (default 1)
//   SPL_RANDOM_SEED=<s>   run only seed s (in shard 0)
//   SPL_RANDOM_SHOW=1     print every program and its outcome
//   SPL_RANDOM_TIME=1     print counts and the time spent per backend
//   SPL_RANDOM_BACKEND=<label>  run on that backend only (to chase a crash)
// e.g. SPL_RANDOM_SEED=17 build/bin/random_v2_tests --gtest_filter='*/0'
//
//===----------------------------------------------------------------------===//
#include "AllBackends.h"
#include "ProgramGen.h"

#include "mir/MIR.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

using namespace spl;
using namespace spl::randomtest;

namespace {

constexpr unsigned NumShards = 8;

uint64_t envOr(const char *Name, uint64_t Default) {
  const char *V = std::getenv(Name);
  return V && *V ? std::strtoull(V, nullptr, 10) : Default;
}

/// The program's canonical text form, or its raw text when it does not parse.
std::string canonical(const std::string &Text) {
  auto M = mir::parseText(Text, "random.mir");
  if (!M) {
    std::string E = llvm::toString(M.takeError());
    return "(does not parse: " + E + ")\n" + Text;
  }
  return mir::printText(*M);
}

class RandomV2 : public testing::TestWithParam<unsigned> {};

TEST_P(RandomV2, AllBackendsAgree) {
  std::vector<uint64_t> Seeds;
  if (const char *One = std::getenv("SPL_RANDOM_SEED")) {
    if (GetParam() == 0)
      Seeds.push_back(std::strtoull(One, nullptr, 10));
  } else {
    uint64_t Base = envOr("SPL_RANDOM_BASE", 1);
    uint64_t N = envOr("SPL_RANDOM_COUNT", 1000);
    for (uint64_t K = GetParam(); K < N; K += NumShards)
      Seeds.push_back(Base + K);
  }
  const std::vector<BackendConfig> &Bs = allBackends();
  unsigned Failures = 0, Errors = 0, Caught = 0;
  std::vector<double> Ms(Bs.size());
  for (uint64_t Seed : Seeds) {
    std::string Text = generateProgram(Seed);
    std::vector<std::string> Outs;
    for (size_t K = 0; K < Bs.size(); ++K) {
      auto T0 = std::chrono::steady_clock::now();
      Outs.push_back(runOn(Bs[K], Text, "main", {}, 2));
      Ms[K] += std::chrono::duration<double, std::milli>(
                   std::chrono::steady_clock::now() - T0)
                   .count();
    }
    if (std::getenv("SPL_RANDOM_SHOW")) {
      std::cerr << "seed " << Seed << ":\n" << Text;
      for (size_t K = 0; K < Bs.size(); ++K)
        std::cerr << Bs[K].Label << ":\n" << Outs[K];
    }
    if (Outs[0].rfind("load error: ", 0) == 0) {
      ADD_FAILURE() << "seed " << Seed << " generated a program that does not "
                    << "load: " << Outs[0] << "\nprogram:\n"
                    << Text;
      return;
    }
    if (Outs[0].find(" error: ") != std::string::npos)
      ++Errors;
    if (Outs[0].find("other\n") != std::string::npos ||
        Outs[0].find("caught\n") != std::string::npos)
      ++Caught;
    bool Same = true;
    for (size_t K = 1; K < Outs.size(); ++K)
      Same &= Outs[K] == Outs[0];
    if (Same)
      continue;
    std::string Msg;
    for (size_t K = 0; K < Bs.size(); ++K)
      Msg += std::string("--- ") + Bs[K].Label + ":\n" + Outs[K];
    ADD_FAILURE() << "seed " << Seed << ": the backends disagree (replay: "
                  << "SPL_RANDOM_SEED=" << Seed << ")\n"
                  << Msg << "--- program:\n"
                  << canonical(Text);
    if (++Failures == 3)
      return;
  }
  if (std::getenv("SPL_RANDOM_TIME")) {
    std::cerr << Seeds.size() << " programs, " << Errors << " end in errors, "
              << Caught << " catch;";
    for (size_t K = 0; K < Bs.size(); ++K)
      std::cerr << " " << Bs[K].Label << " " << unsigned(Ms[K]) << " ms";
    std::cerr << "\n";
  }
  // The generator must exercise runs that end normally, runs that end in a
  // runtime error (traps, uncaught raises), and handlers that run.
  if (Seeds.size() >= 50) {
    EXPECT_LT(Errors, Seeds.size() * 2 / 3) << "too many runs end in errors";
    EXPECT_GT(Errors, 0u);
    EXPECT_GT(Caught, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Shards, RandomV2, testing::Range(0u, NumShards));

} // namespace
