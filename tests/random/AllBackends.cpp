//===- tests/random/AllBackends.cpp - One program on every backend --------===//
#include "AllBackends.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <cstdlib>

using namespace spl;
using namespace spl::randomtest;

const std::vector<BackendConfig> &spl::randomtest::allBackends() {
  static const std::vector<BackendConfig> All = [] {
    std::vector<BackendConfig> Every = {
        {"interpreter", "interpreter", 2, std::nullopt},
        {"llvm -O0", "llvm", 0, std::nullopt},
        {"llvm -O2", "llvm", 2, std::nullopt},
        // Thresholds 1 and 2: promotion (sharing the interpreter's global
        // cells) in the middle of the program, in the background (where it
        // lands varies) and at the call that makes a function hot (every
        // callee's second call and later run native).
        {"auto", "auto", 2, 1u, 2u},
        {"auto sync", "auto", 2, 1u, 2u, true},
    };
    // SPL_RANDOM_BACKEND=<label> keeps one (to chase a crash in a backend).
    const char *Only = std::getenv("SPL_RANDOM_BACKEND");
    if (!Only || !*Only)
      return Every;
    std::vector<BackendConfig> One;
    for (const BackendConfig &B : Every)
      if (Only == std::string(B.Label))
        One.push_back(B);
    return One;
  }();
  return All;
}

namespace {
const char *kindName(ExecError::Kind K) {
  switch (K) {
  case ExecError::Kind::Load:
    return "load";
  case ExecError::Kind::Runtime:
    return "runtime";
  case ExecError::Kind::Exit:
    return "exit";
  case ExecError::Kind::Usage:
    return "usage";
  }
  return "?";
}

const char *typeName(ValueType T) {
  static const char *Names[] = {"i8",   "i16",  "i32", "i64", "u8",
                                "u16",  "u32",  "u64", "f32", "f64",
                                "bool", "char", "ptr", "unit"};
  return Names[unsigned(T)];
}
} // namespace

std::string spl::randomtest::runOn(const BackendConfig &B,
                                   const std::string &Source,
                                   const std::string &Fn,
                                   const std::vector<uint64_t> &Args,
                                   unsigned Times) {
  Options O;
  O.Backend = B.Backend;
  O.OptLevel = B.OptLevel;
  O.JitThreshold = B.JitThreshold;
  O.JitLoopThreshold = B.JitLoopThreshold;
  O.JitSync = B.JitSync;
  auto M = ExecManager::create(O);
  if (!M)
    return "create error: " + M.error().Message;
  if (Status S = (*M)->compile(Source, "random.mir"); !S)
    return "load error: " + S.error().Message;
  std::string Out;
  for (unsigned K = 0; K < Times; ++K) {
    std::fflush(stdout);
    testing::internal::CaptureStdout();
    Result<Value> R = (*M)->callWithBits(Fn, Args);
    std::fflush(stdout);
    Out += testing::internal::GetCapturedStdout();
    if (R)
      Out += "=> ret " + std::string(typeName(R->type())) + " " +
             std::to_string(R->bits()) + "\n";
    else
      Out += "=> " + std::string(kindName(R.error().K)) +
             " error: " + R.error().Message + "\n";
  }
  return Out;
}
