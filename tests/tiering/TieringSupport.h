//===- tests/tiering/TieringSupport.h - Managers and programs -*- C++ -*-===//
#ifndef SPL_TESTS_TIERING_TIERINGSUPPORT_H
#define SPL_TESTS_TIERING_TIERINGSUPPORT_H

#include "spl/ExecManager.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace spl::tiering {

/// How a test wants auto to promote.
struct Tiering {
  unsigned Calls = 1000000, Loops = 1000000; // thresholds
  bool Sync = false;
};

/// A manager of Backend (auto gets T's thresholds), or null after a
/// test failure.
std::unique_ptr<ExecManager> make(const std::string &Backend, Tiering T = {},
                                  unsigned OptLevel = 2,
                                  unsigned MaxCallDepth = 10000);
/// Compiles Src into M; a test failure when it does not load.
bool compile(ExecManager &M, const std::string &Src);
/// The tier record of Fn (a test failure and an empty record when absent).
FunctionTier tierOf(const ExecManager &M, const std::string &Fn);
/// Fn(Args) as an i64 (INT64_MIN and a test failure on an error).
int64_t callI64(ExecManager &M, const std::string &Fn,
                const std::vector<int64_t> &Args);
/// The error text of Fn(Args) ("" when it succeeded).
std::string errorOf(ExecManager &M, const std::string &Fn,
                    const std::vector<int64_t> &Args);

/// `fn @NAME(i64) -> i64`: x + K.
std::string addConst(const std::string &Name, int64_t K);
/// `fn @NAME(i64) -> i64`: the sum of i * K for i < n (a loop).
std::string sumLoop(const std::string &Name, int64_t K);
/// `fn @NAME(i64) -> i64`: the sum of CALLEE(i) for i < n.
std::string callLoop(const std::string &Name, const std::string &Callee);

} // namespace spl::tiering

#endif
