//===- tests/jit/ToolingTest.cpp - Dumps, statistics, debugger, perf ------===//
#include "JitTestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <unistd.h>

using namespace spl;
using namespace spl::jit::test;

// The GDB JIT interface's descriptor (in libLLVM): the list of registered
// objects a debugger reads.
extern "C" struct {
  uint32_t Version;
  uint32_t ActionFlag;
  void *RelevantEntry;
  void *FirstEntry;
} __jit_debug_descriptor;

namespace {

const char *Square = R"(
fn @square(i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
bb0:
  _0 = binop mul copy _1, copy _1
  return
}
)";

uint64_t callSquare(jit::Session &S, uint64_t X) {
  llvm::Expected<uint64_t> R = S.call("square", {X});
  if (!R) {
    ADD_FAILURE() << llvm::toString(R.takeError());
    return 0;
  }
  return *R;
}

TEST(Tooling, DumpIRPrintsTheOptimisedBatch) {
  std::string IR;
  llvm::raw_string_ostream OS(IR);
  jit::Options Opts;
  Opts.DumpIR = &OS;
  auto S = newSession(Opts);
  ASSERT_TRUE(S);
  ASSERT_EQ(errorText(S->load(parse(Square))), "<success>");
  OS.flush();
  EXPECT_NE(IR.find("i64 @square.b1(i64 swiftself"), std::string::npos) << IR;
  EXPECT_NE(IR.find("void @square.b1.entry(ptr"), std::string::npos) << IR;
  // Optimised: the local's alloca is gone.
  EXPECT_EQ(IR.find("alloca"), std::string::npos) << IR;
  EXPECT_EQ(callSquare(*S, 9), 81u);
}

TEST(Tooling, DumpAsmPrintsMachineCode) {
  std::string Asm;
  llvm::raw_string_ostream OS(Asm);
  jit::Options Opts;
  Opts.DumpAsm = &OS;
  auto S = newSession(Opts);
  ASSERT_TRUE(S);
  ASSERT_EQ(errorText(S->load(parse(Square))), "<success>");
  OS.flush();
  EXPECT_NE(Asm.find("square.b1:"), std::string::npos) << Asm;
  EXPECT_NE(Asm.find("imul"), std::string::npos) << Asm;
  EXPECT_EQ(callSquare(*S, 7), 49u);
}

TEST(Tooling, StatsTimeEveryPhase) {
  auto S = newSession();
  ASSERT_TRUE(S);
  EXPECT_GT(S->stats().CreateMs, 0.0);
  ASSERT_EQ(errorText(S->load(parse(Square))), "<success>");
  const jit::Stats &St = S->stats();
  EXPECT_GT(St.LowerMs, 0.0);
  EXPECT_GT(St.OptimizeMs, 0.0);
  EXPECT_GT(St.CodegenMs, 0.0);
  EXPECT_GE(St.SessionMs, 0.0);
  EXPECT_EQ(St.LiveBatches, 1u);
}

TEST(Tooling, DebuggerSupportRegistersObjects) {
  jit::Options Opts;
  Opts.DebuggerSupport = true;
  auto S = newSession(Opts);
  ASSERT_TRUE(S);
  void *Before = __jit_debug_descriptor.FirstEntry;
  ASSERT_EQ(errorText(S->load(parse(Square))), "<success>");
  EXPECT_NE(__jit_debug_descriptor.FirstEntry, nullptr);
  EXPECT_NE(__jit_debug_descriptor.FirstEntry, Before);
  EXPECT_EQ(callSquare(*S, 12), 144u);
}

TEST(Tooling, PerfSupportWritesThePerfMap) {
  // perf reads /tmp/perf-<pid>.map by itself; every JIT'd function is there.
  std::string Map = "/tmp/perf-" + std::to_string(getpid()) + ".map";
  {
    jit::Options Opts;
    Opts.PerfSupport = true;
    auto S = newSession(Opts);
    ASSERT_TRUE(S);
    ASSERT_EQ(errorText(S->load(parse(Square))), "<success>");
    EXPECT_EQ(callSquare(*S, 3), 9u);
  }
  auto Text = llvm::MemoryBuffer::getFile(Map);
  ASSERT_TRUE(bool(Text)) << Map;
  llvm::StringRef T = (*Text)->getBuffer();
  EXPECT_NE(T.find(" square.b1\n"), llvm::StringRef::npos) << T.str();
  EXPECT_NE(T.find(" square.b1.entry\n"), llvm::StringRef::npos) << T.str();
  llvm::sys::fs::remove(Map);
}

} // namespace
