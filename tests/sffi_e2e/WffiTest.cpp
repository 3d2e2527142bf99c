//===- tests/sffi_e2e/WffiTest.cpp - dlopen/dlsym/calls from MIR ----------===//
//
// wffi.mir loads libspl_testlib.so by path with spl_dlopen, finds
// rt_testlib_sum3 and rt_testlib_dsum2 with spl_dlsym and calls them through
// spl_wffi_call_i64/f64 with alloc'd argument arrays. The library's path is
// written into the program text at test time. Bad argument counts are
// runtime errors with one text on every backend.
//
//===----------------------------------------------------------------------===//
#include "SffiTestSupport.h"

#include <gtest/gtest.h>

using namespace sffi_test;

namespace {

/// NAME.mir with each @TESTLIB@ replaced by the test library's path.
std::string programWithLibPath(const std::string &Name) {
  std::string Text = slurp(programPath(Name));
  const std::string Slot = "@TESTLIB@";
  int Replaced = 0;
  for (size_t At = Text.find(Slot); At != std::string::npos;
       At = Text.find(Slot, At + 1), ++Replaced)
    Text.replace(At, Slot.size(), testlibPath());
  EXPECT_GT(Replaced, 0) << Name << " has no " << Slot;
  return Text;
}

TEST(SffiWffi, CallsThroughDlsymAddressesOnEveryBackend) {
  std::string Source = programWithLibPath("wffi.mir");
  std::string Expected = slurp(programPath("wffi.expected"));
  ASSERT_FALSE(Expected.empty());
  for (const Config &C : allConfigs()) {
    SCOPED_TRACE(C.Label);
    auto M = makeManager(C);
    ASSERT_TRUE(M);
    spl::Status S = M->compile(Source, "wffi.mir");
    ASSERT_TRUE(bool(S)) << S.error().Message;
    for (unsigned Run = 0; Run < C.Runs; ++Run) {
      CallOutput R = callCapturing(*M, "main");
      ASSERT_TRUE(R.Ok) << R.Error.Message << "\noutput so far:\n" << R.Out;
      EXPECT_EQ(R.Result.asI64(), 0);
      EXPECT_EQ(R.Out, Expected);
    }
  }
}

TEST(SffiWffi, ArgumentCountOutOfRangeIsTheSameRuntimeErrorEverywhere) {
  std::string Source = programWithLibPath("wffi_bad_count.mir");
  struct Case {
    int64_t Which;
    const char *Message;
  } Cases[] = {
      {0, "runtime error: spl_wffi_call_i64: argument count 9 is out of "
          "range (0..8)"},
      {1, "runtime error: spl_wffi_call_f64: argument count -1 is out of "
          "range (0..8)"},
  };
  for (const Config &C : allConfigs()) {
    SCOPED_TRACE(C.Label);
    auto M = makeManager(C);
    ASSERT_TRUE(M);
    spl::Status S = M->compile(Source, "wffi_bad_count.mir");
    ASSERT_TRUE(bool(S)) << S.error().Message;
    for (const Case &K : Cases) {
      SCOPED_TRACE(K.Which);
      CallOutput R = callCapturing(*M, "main", {spl::Value::i64(K.Which)});
      ASSERT_FALSE(R.Ok) << "returned " << R.Result.asI64();
      EXPECT_EQ(R.Error.K, spl::ExecError::Kind::Runtime);
      EXPECT_EQ(R.Error.Message, K.Message);
      EXPECT_EQ(R.Out, "found true\n");
    }
    // The manager survives the error and runs the program again.
    CallOutput Again = callCapturing(*M, "main", {spl::Value::i64(0)});
    EXPECT_FALSE(Again.Ok);
    EXPECT_EQ(Again.Error.Message, Cases[0].Message);
  }
}

} // namespace
