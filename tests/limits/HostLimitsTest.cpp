//===- tests/limits/HostLimitsTest.cpp - Call depth, code memory, input ---===//
#include "LimitsSupport.h"

#include "spl/exec_manager.h"

#include <string>

using namespace spl;
using namespace spl::limits_test;

namespace {

class HostLimits : public testing::TestWithParam<BackendCase> {
protected:
  int64_t create() {
    int64_t H = rt_exec_manager_create(GetParam().Backend);
    EXPECT_NE(H, 0) << rt_exec_manager_get_last_error(0);
    EXPECT_TRUE(rt_exec_manager_set_opt_level(H, GetParam().OptLevel));
    return H;
  }
};

/// deep(n) recurses n times: n + 1 nested calls in all.
const char *Deep = R"(module "deep"

fn @deep(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
  let _4: i64 temp
bb0:
  _2 = binop eq copy _1, const i64 0
  if copy _2 then bb1 else bb2
bb1:
  return const i64 0
bb2:
  _3 = binop sub copy _1, const i64 1
  _4 = call @deep(copy _3) : fn(i64) -> i64
  _0 = binop add copy _4, const i64 1
  return copy _0
}
)";

TEST_P(HostLimits, CallDepthSetter) {
  int64_t H = create();
  EXPECT_FALSE(rt_exec_manager_set_max_call_depth(H, 0));
  EXPECT_STREQ(rt_exec_manager_get_last_error(H),
               "set_max_call_depth: 0 is out of range 1..2147483647");
  ASSERT_TRUE(rt_exec_manager_set_max_call_depth(H, 50));
  ASSERT_STREQ(rt_exec_manager_compile(H, Deep), "");
  // 50 nested calls are allowed: deep(49) is the deepest that fits.
  int64_t N = 49;
  EXPECT_EQ(rt_exec_manager_execute_args(H, "deep", &N, 1), 49);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H), "");
  N = 50;
  EXPECT_EQ(rt_exec_manager_execute_args(H, "deep", &N, 1), 0);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H),
               "runtime error in `deep`: stack overflow (call depth exceeded "
               "50)");
  // After the first compile the JIT has built the limit into code.
  EXPECT_FALSE(rt_exec_manager_set_max_call_depth(H, 100));
  EXPECT_STREQ(rt_exec_manager_get_last_error(H),
               "set_max_call_depth: the call depth limit can only be set "
               "before the first compile");
  N = 20;
  EXPECT_EQ(rt_exec_manager_execute_args(H, "deep", &N, 1), 20);
  rt_exec_manager_cleanup(H);
}

TEST_P(HostLimits, CallDepthFromOptions) {
  Options O;
  O.MaxCallDepth = 30;
  auto M = makeManager(GetParam(), O);
  ASSERT_TRUE(M);
  ASSERT_TRUE(bool(M->compile(Deep)));
  auto R = M->call("deep", {Value::i64(29)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asI64(), 29);
  auto E = M->call("deep", {Value::i64(1000)});
  ASSERT_FALSE(bool(E));
  EXPECT_EQ(E.error().Message, "runtime error in `deep`: stack overflow "
                               "(call depth exceeded 30)");
}

/// fn @Name(i64) -> i64: 0 for n = 0, else Other(n - 1) + 1.
std::string countDownThrough(const char *Name, const char *Other) {
  return std::string("fn @") + Name + R"((i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: bool temp
  let _3: i64 temp
  let _4: i64 temp
bb0:
  _2 = binop eq copy _1, const i64 0
  if copy _2 then bb1 else bb2
bb1:
  return const i64 0
bb2:
  _3 = binop sub copy _1, const i64 1
  _4 = call @)" + Other + R"((copy _3) : fn(i64) -> i64
  _0 = binop add copy _4, const i64 1
  return copy _0
}
)";
}

/// ping(n) and pong(n) call each other n times: the entry's call is depth
/// 1, so odd depths are ping's and even ones pong's. walk(n) loops n times
/// around a call of itself at n - 1 (a loop with a call, and no call out of
/// MIR code: neither its loop nor its entry polls).
const std::string PingPong = "module \"pingpong\"\n" +
                             countDownThrough("ping", "pong") +
                             countDownThrough("pong", "ping") + R"(
fn @walk(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 i: i64 var
  let _3: bool temp
  let _4: i64 temp
  let _5: i64 temp
bb0:
  _0 = const i64 1
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop lt copy _2, copy _1
  if copy _3 then bb2 else bb3
bb2:
  _4 = binop sub copy _1, const i64 1
  _5 = call @walk(copy _4) : fn(i64) -> i64
  _0 = binop add copy _0, copy _5
  _2 = binop add copy _2, const i64 1
  goto bb1
bb3:
  return copy _0
}
)";

TEST_P(HostLimits, CallDepthTextNamesTheCalleeAtTheLimit) {
  Options O;
  O.MaxCallDepth = 31;
  auto M = makeManager(GetParam(), O);
  ASSERT_TRUE(M);
  ASSERT_TRUE(bool(M->compile(PingPong)));
  // ping(30): 31 nested calls, the deepest allowed.
  auto R = M->call("ping", {Value::i64(30)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asI64(), 30);
  // ping(31) would make a 32nd, even depth: pong's call traps.
  auto E = M->call("ping", {Value::i64(31)});
  ASSERT_FALSE(bool(E));
  EXPECT_EQ(E.error().Message, "runtime error in `pong`: stack overflow "
                               "(call depth exceeded 31)");
  // From pong the parity turns round.
  auto F = M->call("pong", {Value::i64(31)});
  ASSERT_FALSE(bool(F));
  EXPECT_EQ(F.error().Message, "runtime error in `ping`: stack overflow "
                               "(call depth exceeded 31)");
  // walk(k) = 1 + k * walk(k - 1), so walk(3) = 1 + 3 * (1 + 2 * (1 + 1)) =
  // 16. On its way down each first iteration recurses at once: walk(31)
  // reaches a 32nd nested call before any loop goes round.
  auto W = M->call("walk", {Value::i64(3)});
  ASSERT_TRUE(bool(W)) << W.error().Message;
  EXPECT_EQ(W->asI64(), 16);
  auto D = M->call("walk", {Value::i64(31)});
  ASSERT_FALSE(bool(D));
  EXPECT_EQ(D.error().Message, "runtime error in `walk`: stack overflow "
                               "(call depth exceeded 31)");
}

TEST_P(HostLimits, InputSizeCap) {
  int64_t H = create();
  std::string Src = Deep;
  ASSERT_TRUE(rt_exec_manager_set_max_input_bytes(H, 100));
  EXPECT_EQ(std::string(rt_exec_manager_compile(H, Src.c_str())),
            "<input>: input of " + std::to_string(Src.size()) +
                " bytes exceeds the input size limit of 100 bytes "
                "(Options::MaxInputBytes)");
  EXPECT_FALSE(rt_exec_manager_has_function(H, "deep"));
  ASSERT_TRUE(rt_exec_manager_set_max_input_bytes(H, Src.size()));
  EXPECT_STREQ(rt_exec_manager_compile(H, Src.c_str()), "");
  int64_t N = 3;
  EXPECT_EQ(rt_exec_manager_execute_args(H, "deep", &N, 1), 3);
  EXPECT_FALSE(rt_exec_manager_set_max_input_bytes(H, -5));
  rt_exec_manager_cleanup(H);
}

TEST(HostLimitsDefaults, InputSizeCapIs256MiB) {
  Options O;
  EXPECT_EQ(O.MaxInputBytes, uint64_t(256) << 20);
  EXPECT_EQ(O.TimeLimitMs, 0u);
  EXPECT_EQ(O.MaxCodeBytes, 0u);
  O.Backend = "interpreter";
  O.MaxInputBytes = 10;
  auto M = ExecManager::create(O);
  ASSERT_TRUE(bool(M));
  Status S = (*M)->compile("module \"m\"\n", "small.mir");
  ASSERT_FALSE(bool(S));
  EXPECT_EQ(S.error().K, ExecError::Kind::Load);
  EXPECT_EQ(S.error().Message, "small.mir: input of 11 bytes exceeds the "
                               "input size limit of 10 bytes "
                               "(Options::MaxInputBytes)");
}

INSTANTIATE_TEST_SUITE_P(Backends, HostLimits, testing::ValuesIn(AllBackends),
                         caseName);

// JIT code memory: llvm compiles at compile(); auto only when it promotes
// (then a refusal keeps the program interpreted, as any JIT failure does).
class CodeMemory : public testing::TestWithParam<unsigned> {};

TEST_P(CodeMemory, CapRefusesACompileAndTheManagerStaysUsable) {
  int64_t H = rt_exec_manager_create("llvm");
  ASSERT_NE(H, 0);
  ASSERT_TRUE(rt_exec_manager_set_opt_level(H, GetParam()));
  ASSERT_STREQ(rt_exec_manager_compile(H, Deep), "");
  // One byte: no object fits.
  ASSERT_TRUE(rt_exec_manager_set_max_code_bytes(H, 1));
  std::string Err = rt_exec_manager_compile(H, Programs);
  EXPECT_NE(Err.find("JIT code memory limit of 1 bytes exceeded ("), std::string::npos)
      << Err;
  EXPECT_NE(Err.find(" more needed; Options::MaxCodeBytes)"), std::string::npos)
      << Err;
  EXPECT_FALSE(rt_exec_manager_has_function(H, "add"));
  // What was loaded before still runs.
  int64_t N = 7;
  EXPECT_EQ(rt_exec_manager_execute_args(H, "deep", &N, 1), 7);
  EXPECT_STREQ(rt_exec_manager_get_last_error(H), "");
  // Lifted, the same module loads.
  ASSERT_TRUE(rt_exec_manager_set_max_code_bytes(H, 0));
  EXPECT_STREQ(rt_exec_manager_compile(H, Programs), "");
  int64_t Args[2] = {1, 2};
  EXPECT_EQ(rt_exec_manager_execute_args(H, "add", Args, 2), 3);
  EXPECT_FALSE(rt_exec_manager_set_max_code_bytes(H, -1));
  rt_exec_manager_cleanup(H);
}

INSTANTIATE_TEST_SUITE_P(OptLevels, CodeMemory, testing::Values(0u, 2u));

TEST(CodeMemoryOptions, ACapLargeEnoughChangesNothing) {
  Options O;
  O.Backend = "llvm";
  O.MaxCodeBytes = 64 << 20;
  auto M = ExecManager::create(O);
  ASSERT_TRUE(bool(M));
  Status S = (*M)->compile(Programs);
  ASSERT_TRUE(bool(S)) << S.error().Message;
  auto R = (*M)->call("fib", {Value::i64(15)});
  ASSERT_TRUE(bool(R)) << R.error().Message;
  EXPECT_EQ(R->asI64(), 610);
}

} // namespace
