//===- tests/tiering/TieringSupport.cpp - Managers and programs ----------===//
#include "TieringSupport.h"

#include <climits>

namespace spl::tiering {

std::unique_ptr<ExecManager> make(const std::string &Backend, Tiering T,
                                  unsigned OptLevel, unsigned MaxCallDepth) {
  Options O;
  O.Backend = Backend;
  O.OptLevel = OptLevel;
  O.MaxCallDepth = MaxCallDepth;
  O.JitThreshold = T.Calls;
  O.JitLoopThreshold = T.Loops;
  O.JitSync = T.Sync;
  O.Cache.Enabled = false;
  auto M = ExecManager::create(O);
  if (!M) {
    ADD_FAILURE() << M.error().Message;
    return nullptr;
  }
  return std::move(*M);
}

bool compile(ExecManager &M, const std::string &Src) {
  Status S = M.compile(Src, "tiering.mir");
  if (!S)
    ADD_FAILURE() << S.error().Message;
  return bool(S);
}

FunctionTier tierOf(const ExecManager &M, const std::string &Fn) {
  for (const FunctionTier &T : M.tiers())
    if (T.Name == Fn)
      return T;
  ADD_FAILURE() << "no tier record of " << Fn;
  return {};
}

int64_t callI64(ExecManager &M, const std::string &Fn,
                const std::vector<int64_t> &Args) {
  auto R = M.callWithI64(Fn, Args);
  if (!R) {
    ADD_FAILURE() << Fn << ": " << R.error().Message;
    return INT64_MIN;
  }
  return R->asI64();
}

std::string errorOf(ExecManager &M, const std::string &Fn,
                    const std::vector<int64_t> &Args) {
  auto R = M.callWithI64(Fn, Args);
  return R ? "" : R.error().Message;
}

std::string addConst(const std::string &Name, int64_t K) {
  return "fn @" + Name + "(i64) -> i64 {\n  let _0: i64 return\n"
         "  let _1: i64 arg 0\nbb0:\n  _0 = binop add copy _1, const i64 " +
         std::to_string(K) + "\n  return\n}\n";
}

std::string sumLoop(const std::string &Name, int64_t K) {
  return "fn @" + Name + R"((i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 i: i64 var
  let _3: bool temp
  let _4: i64 temp
bb0:
  _0 = const i64 0
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop lt copy _2, copy _1
  if copy _3 then bb2 else bb3
bb2:
  _4 = binop mul copy _2, const i64 )" +
         std::to_string(K) + R"(
  _0 = binop add copy _0, copy _4
  _2 = binop add copy _2, const i64 1
  goto bb1
bb3:
  return
}
)";
}

std::string callLoop(const std::string &Name, const std::string &Callee) {
  return "fn @" + Name + R"((i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 i: i64 var
  let _3: bool temp
  let _4: i64 temp
bb0:
  _0 = const i64 0
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop lt copy _2, copy _1
  if copy _3 then bb2 else bb3
bb2:
  _4 = call @)" + Callee +
         R"((copy _2) : fn(i64) -> i64
  _0 = binop add copy _0, copy _4
  _2 = binop add copy _2, const i64 1
  goto bb1
bb3:
  return
}
)";
}

} // namespace spl::tiering
