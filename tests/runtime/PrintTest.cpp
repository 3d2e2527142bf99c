//===- tests/runtime/PrintTest.cpp - Output bytes on stdout and stderr ----===//

#include "Support.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace spl::rt;
using namespace spl::rt::test;

namespace {

/// Runs F with Stream's descriptor redirected to a temporary file and returns
/// the bytes written.
template <typename Fn> std::string capture(FILE *Stream, Fn F) {
  std::fflush(Stream);
  int Fd = fileno(Stream);
  int Saved = dup(Fd);
  FILE *Tmp = std::tmpfile();
  dup2(fileno(Tmp), Fd);
  F();
  std::fflush(Stream);
  dup2(Saved, Fd);
  close(Saved);
  std::string Out;
  std::rewind(Tmp);
  char Buf[256];
  size_t N;
  while ((N = std::fread(Buf, 1, sizeof(Buf), Tmp)) > 0)
    Out.append(Buf, N);
  std::fclose(Tmp);
  return Out;
}

SPL_LIT(Hi, "hi");

TEST(RuntimePrint, Stdout) {
  std::string Out = capture(stdout, [] {
    rt_print(Hi);
    rt_println(reinterpret_cast<const char *>(str("tagged")));
    rt_print(nullptr);
    rt_println(nullptr);
    rt_print_str(reinterpret_cast<const uint8_t *>("xyz"), 2);
    rt_println_str(reinterpret_cast<const uint8_t *>("a\0b"), 3);
    rt_print_str(nullptr, 5);
    rt_print("unaligned" + 1);
    std::printf("[c]");
    rt_print(Hi);
    std::fputs("[d]", stdout);
  });
  static const char Expected[] = "hitagged\n\nxya\0b\nnaligned[c]hi[d]";
  EXPECT_EQ(Out, std::string(Expected, sizeof(Expected) - 1));
}

TEST(RuntimePrint, Stderr) {
  std::string Out = capture(stderr, [] {
    rt_eprint(Hi);
    rt_eprintln(Hi);
    rt_eprint_str(reinterpret_cast<const uint8_t *>("abc"), 1);
    rt_eprintln_str(reinterpret_cast<const uint8_t *>("de"), 2);
  });
  EXPECT_EQ(Out, "hihi\nade\n");
}

TEST(RuntimePrint, StrFormsFlush) {
  // Without a flush the bytes would still sit in stdout's buffer when the
  // descriptor is read.
  std::fflush(stdout);
  int Fd = fileno(stdout);
  int Saved = dup(Fd);
  FILE *Tmp = std::tmpfile();
  dup2(fileno(Tmp), Fd);
  rt_print_str(reinterpret_cast<const uint8_t *>("flushed"), 7);
  char Buf[16] = {};
  ssize_t N = pread(fileno(Tmp), Buf, sizeof(Buf), 0);
  dup2(Saved, Fd);
  close(Saved);
  std::fclose(Tmp);
  EXPECT_EQ(std::string(Buf, N > 0 ? N : 0), "flushed");
}

} // namespace
