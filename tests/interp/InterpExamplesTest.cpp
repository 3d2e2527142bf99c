//===- tests/interp/InterpExamplesTest.cpp - The repository's examples ----===//
//
// examples/fib.json and examples/arrays.json, as the compiler writes them,
// must print exactly what examples/README.md says.
//
//===----------------------------------------------------------------------===//

#include "InterpTestUtil.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace spl::interp::test;

namespace {

class InterpExamples : public InterpTest {
protected:
  /// Loads examples/NAME.json and returns what `main` prints.
  std::string runExample(const std::string &Name) {
    std::string Path = std::string(SPL_SOURCE_DIR) + "/examples/" + Name;
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    EXPECT_TRUE(bool(Buf)) << "cannot read " << Path;
    if (!Buf)
      return "";
    EXPECT_EQ(load((*Buf)->getBuffer().str()), "");
    testing::internal::CaptureStdout();
    Outcome O = call("main");
    std::string Out = testing::internal::GetCapturedStdout();
    EXPECT_EQ(O, value(0));
    return Out;
  }
};

TEST_F(InterpExamples, Fib) { EXPECT_EQ(runExample("fib.json"), "196418\n"); }

TEST_F(InterpExamples, Arrays) {
  EXPECT_EQ(runExample("arrays.json"), "2001\n2.001\n");
}

} // namespace
