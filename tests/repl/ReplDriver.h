//===- tests/repl/ReplDriver.h - Drive spl-exec repl ------------*- C++ -*-===//
//
// The REPL as a user meets it: through a pipe (stdin a file, stdout and
// stderr one stream, as `2>&1` gives) and through a pseudo-terminal, where
// Ctrl-C is the byte 0x03 the terminal turns into SIGINT.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_REPL_DRIVER_H
#define SPL_TESTS_REPL_DRIVER_H

#include <string>
#include <sys/types.h>
#include <vector>

namespace spl::test {

extern const std::string SplExec;

struct PipeRun {
  int Status = -1;    // exit status, or -1 if it did not exit normally
  std::string Output; // stdout and stderr interleaved as written
};
/// `spl-exec repl ARGS < Input 2>&1` with HOME=Home.
PipeRun runPiped(const std::string &Input, const std::vector<std::string> &Args,
                 const std::string &Home);

class PtySession {
public:
  PtySession(const std::vector<std::string> &Args, const std::string &Home);
  ~PtySession();
  void send(const std::string &Bytes);
  /// Reads until Needle has appeared after what earlier calls consumed, or
  /// TimeoutMs passes; returns what it consumed, up to and including Needle
  /// (on a timeout: everything pending, which stays pending).
  std::string readUntil(const std::string &Needle, int TimeoutMs = 20000);
  /// Waits for the process to end; its exit status, or -1 (signal/timeout).
  int wait(int TimeoutMs = 20000);
  /// Types Ctrl-D until the process ends; its exit status.
  int endWithCtrlD();

private:
  int Fd = -1;
  pid_t Pid = -1;
  std::string Pending;
};

/// A fresh temporary directory (removed by the caller's TearDown).
std::string tempDir();

} // namespace spl::test

#endif
