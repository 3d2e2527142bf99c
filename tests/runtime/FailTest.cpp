//===- tests/runtime/FailTest.cpp - Panics and failing intrinsics ---------===//

#include "Support.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

using namespace spl::rt;
using namespace spl::rt::test;

namespace spl::rt::test {

namespace {
thread_local std::jmp_buf *Jump;
thread_local char LastMessage[8192];

void longjmpHandler(const char *Message) {
  std::snprintf(LastMessage, sizeof(LastMessage), "%s", Message);
  std::longjmp(*Jump, 1);
}
} // namespace

std::string failureOf(void (*F)(void *), void *Arg) {
  std::jmp_buf Buf;
  Jump = &Buf;
  setFailHandler(longjmpHandler);
  if (setjmp(Buf) == 0) {
    F(Arg);
    setFailHandler(nullptr);
    return "<no failure>";
  }
  setFailHandler(nullptr);
  return LastMessage;
}

} // namespace spl::rt::test

namespace {

const uint8_t *bytes(const char *S) {
  return reinterpret_cast<const uint8_t *>(S);
}

TEST(RuntimeFail, PanicBothArities) {
  EXPECT_EQ(failureOf([] { rt_panic(bytes("boom"), 4); }), "panic: boom");
  EXPECT_EQ(failureOf([] { rt_panic(bytes("abcdef"), 3); }), "panic: abc");
  // The one-char* form arrives with length 0: NUL-terminated.
  EXPECT_EQ(failureOf([] { rt_panic(bytes("whole text"), 0); }),
            "panic: whole text");
  // A stray register as length (one-argument call made directly).
  EXPECT_EQ(failureOf([] { rt_panic(bytes("stray"), 0xDEADBEEFDEADBEEF); }),
            "panic: stray");
  EXPECT_EQ(failureOf([] {
              rt_panic(reinterpret_cast<const uint8_t *>(str("handle")), 0);
            }),
            "panic: handle");
  EXPECT_EQ(failureOf([] { rt_panic(nullptr, 0); }), "panic: ");
  // Long messages are cut at 4 KiB.
  static std::string Long(10000, 'x');
  std::string M = failureOf([] { rt_panic(bytes(Long.c_str()), 0); });
  EXPECT_EQ(M, "panic: " + std::string(4096, 'x'));
}

TEST(RuntimeFail, PanicWithUnreadableMessage) {
  static void *Page =
      mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(Page, MAP_FAILED);
  EXPECT_EQ(failureOf([] { rt_panic(static_cast<uint8_t *>(Page), 0); }),
            "panic: ");
  EXPECT_EQ(failureOf([] { rt_panic(static_cast<uint8_t *>(Page), 10); }),
            "panic: ");
  munmap(Page, 4096);
}

TEST(RuntimeFail, Intrinsics) {
  EXPECT_EQ(failureOf([] { __simple_intrinsic_bounds_check(5, 3); }),
            "index 5 out of bounds for length 3");
  EXPECT_EQ(failureOf([] { __simple_intrinsic_bounds_check(-1, 3); }),
            "index -1 out of bounds for length 3");
  EXPECT_EQ(failureOf([] { __simple_intrinsic_bounds_check(0, 0); }),
            "index 0 out of bounds for length 0");
  EXPECT_EQ(
      failureOf([] { EXPECT_EQ(__simple_intrinsic_bounds_check(2, 3), 0); }),
      "<no failure>");
  EXPECT_EQ(failureOf([] { __simple_intrinsic_unreachable(); }),
            "entered unreachable code");
  EXPECT_EQ(failureOf([] { __simple_intrinsic_trap(); }), "trap");
}

TEST(RuntimeFail, WithoutHandlerAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(rt_panic(bytes("lonely"), 0), "panic: lonely");
  EXPECT_DEATH(__simple_intrinsic_trap(), "trap");
}

TEST(RuntimeIntrinsics, Fallbacks) {
  EXPECT_EQ(__simple_intrinsic_assume(7), 7);
  EXPECT_EQ(__simple_intrinsic_likely(0), 0);
  EXPECT_EQ(__simple_intrinsic_unlikely(5), 5);
  EXPECT_EQ(__simple_intrinsic_prefetch(nullptr), 0);
  char Buf[8] = "abcdefg";
  EXPECT_EQ(__simple_intrinsic_memcpy(Buf, "XY", 2), 0);
  EXPECT_STREQ(Buf, "XYcdefg");
  EXPECT_EQ(__simple_intrinsic_memset(Buf + 2, 0x141, 3), 0); // low byte 'A'
  EXPECT_STREQ(Buf, "XYAAAfg");
  __simple_intrinsic_memcpy(Buf, nullptr, 4); // ignored
  __simple_intrinsic_memset(Buf, 'z', -1);    // ignored
  EXPECT_STREQ(Buf, "XYAAAfg");
  EXPECT_EQ(__simple_pow(2, 10), 1024);
  EXPECT_EQ(__simple_pow(-3, 3), -27);
  EXPECT_EQ(__simple_pow(7, 0), 1);
  EXPECT_EQ(__simple_pow(2, -1), 0);
  EXPECT_EQ(__simple_pow(2, 64), 0); // wraps
  // 3^40 = 12157665459056928801 does not fit: it wraps modulo 2^64.
  EXPECT_EQ(__simple_pow(3, 40), static_cast<int64_t>(12157665459056928801ull));
}

} // namespace
