//===- tests/jit/PollTest.cpp - Where JIT code polls, and the signal ------===//
//
// jit/LowerPolls.cpp: with interrupts coming by signal, code that spends its
// time in JIT code has no poll (so a loop of it is vectorised), code that
// calls out of JIT code keeps one; and the signal ends a call in the loop
// that has none. The optimised IR of each function is read from DumpIR.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"
#include "tests/programs/Programs.h"

#include <atomic>
#include <chrono>
#include <thread>

using namespace spl;
using namespace spl::jit::test;

namespace {

/// fill and fib from tests/programs; naps(n) sleeps 1 us in libc's usleep
/// n times, then returns 7: a loop that calls out of JIT code.
const std::string Program = test_programs::programs("polls", {"fill", "fib"}) +
                            R"(
extern @usleep(u32) -> i32

fn @naps(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2: i32 temp
  let _3: bool temp
bb0:
  _3 = binop le copy _1, const i64 0
  if copy _3 then bb2 else bb1
bb1:
  _2 = call @usleep(const u32 1) : fn(u32) -> i32
  _1 = binop sub copy _1, const i64 1
  goto bb0
bb2:
  return const i64 7
}
)";

/// The definition of Symbol in the dumped IR ("" when missing).
std::string definition(const std::string &IR, const std::string &Symbol) {
  size_t At = IR.find("@" + Symbol + "(");
  At = At == std::string::npos ? At : IR.rfind("define ", At);
  if (At == std::string::npos)
    return "";
  size_t End = IR.find("\n}\n", At);
  return IR.substr(At, End == std::string::npos ? End : End - At);
}

const char *PollLoad = "load atomic i32, ptr @spl.poll.flag";

bool polls(const std::string &Def) {
  return Def.find(PollLoad) != std::string::npos;
}

class Polls : public testing::Test {
protected:
  void SetUp() override {
    if (!ffi::interruptsBySignal())
      GTEST_SKIP() << "interrupts do not come by signal here (ThreadSanitizer)";
    Limits = std::make_shared<ffi::CallLimits>();
    jit::Options Opts;
    Opts.OptLevel = 2;
    Opts.Limits = Limits;
    OS = std::make_unique<llvm::raw_string_ostream>(IR);
    Opts.DumpIR = OS.get();
    S = newSession(Opts);
    ASSERT_TRUE(S);
    ASSERT_EQ(errorText(S->load(parse(Program))), "<success>");
    OS->flush();
  }

  std::string IR;
  std::unique_ptr<llvm::raw_string_ostream> OS;
  std::shared_ptr<ffi::CallLimits> Limits;
  std::unique_ptr<jit::Session> S;
};

TEST_F(Polls, ALoopWithNoCallIsVectorisedAndDoesNotPoll) {
  std::string Fill = definition(IR, "fill.b1.body");
  ASSERT_NE(Fill, "") << IR;
  EXPECT_NE(Fill.find(" x i8>"), std::string::npos) << Fill;
  // Its entry calls rt_alloc, so the entry polls; its loops do not: the one
  // poll is in the entry block, before any vector code.
  size_t Poll = Fill.find(PollLoad);
  ASSERT_NE(Poll, std::string::npos) << Fill;
  EXPECT_EQ(Fill.find(PollLoad, Poll + 1), std::string::npos) << Fill;
  EXPECT_LT(Poll, Fill.find(" x i8>")) << Fill;
}

TEST_F(Polls, ALoopThatCallsOutOfJitCodePolls) {
  std::string Naps = definition(IR, "naps.b1.body");
  ASSERT_NE(Naps, "") << IR;
  EXPECT_TRUE(polls(Naps)) << Naps;
  auto R = S->call("naps", {3});
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ(*R, 7u);
}

TEST_F(Polls, RecursionWithNoCallOutDoesNotPoll) {
  std::string Fib = definition(IR, "fib.b1.body");
  ASSERT_NE(Fib, "") << IR;
  EXPECT_FALSE(polls(Fib)) << Fib;
  auto R = S->call("fib", {20});
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ(*R, 6765u);
}

/// Calls Fn in a CallScope of Limits while another thread interrupts every
/// 20 ms until it has returned; the call's error text.
std::string interrupted(jit::Session &S, ffi::CallLimits &Limits,
                        const std::string &Fn, std::vector<uint64_t> Args) {
  std::atomic<bool> Done{false};
  std::thread T([&] {
    while (!Done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      Limits.interrupt();
    }
  });
  std::string Text;
  {
    ffi::CallScope Scope(Limits, 0);
    llvm::Expected<uint64_t> R = S.call(Fn, Args);
    Text = R ? "returned " + std::to_string(*R) : llvm::toString(R.takeError());
  }
  Done = true;
  T.join();
  return Text;
}

TEST_F(Polls, TheSignalEndsTheVectorisedLoop) {
  EXPECT_EQ(interrupted(*S, *Limits, "fill", {}),
            "runtime error in `fill`: interrupted");
  EXPECT_EQ(interrupted(*S, *Limits, "fib", {60}),
            "runtime error in `fib`: interrupted");
  // The session is usable afterwards.
  auto R = S->call("fib", {10});
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ(*R, 55u);
}

} // namespace
