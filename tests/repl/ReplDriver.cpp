//===- tests/repl/ReplDriver.cpp - Drive spl-exec repl --------------------===//
#include "ReplDriver.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace spl::test {

const std::string SplExec = SPL_BINARY_DIR "/bin/spl-exec";

std::string tempDir() {
  char T[] = "/tmp/spl-repl-XXXXXX";
  return mkdtemp(T) ? std::string(T) : std::string();
}

namespace {
[[noreturn]] void execRepl(const std::vector<std::string> &Args,
                           const std::string &Home) {
  setenv("HOME", Home.c_str(), 1);
  setenv("TERM", "xterm", 1);
  std::vector<char *> Argv;
  Argv.push_back(const_cast<char *>(SplExec.c_str()));
  Argv.push_back(const_cast<char *>("repl"));
  for (const std::string &A : Args)
    Argv.push_back(const_cast<char *>(A.c_str()));
  Argv.push_back(nullptr);
  execv(SplExec.c_str(), Argv.data());
  _exit(127);
}

int exitStatus(pid_t Pid, int TimeoutMs, bool Kill = true) {
  auto End = std::chrono::steady_clock::now() + std::chrono::milliseconds(TimeoutMs);
  int St = 0;
  while (true) {
    pid_t R = waitpid(Pid, &St, WNOHANG);
    if (R == Pid)
      return WIFEXITED(St) ? WEXITSTATUS(St) : -1;
    if (R < 0 || std::chrono::steady_clock::now() > End) {
      if (!Kill && R == 0)
        return -2; // still running
      kill(Pid, SIGKILL);
      waitpid(Pid, &St, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}
} // namespace

PipeRun runPiped(const std::string &Input, const std::vector<std::string> &Args,
                 const std::string &Home) {
  std::string In = Home + "/stdin.txt", Out = Home + "/out.txt";
  {
    FILE *F = fopen(In.c_str(), "w");
    fwrite(Input.data(), 1, Input.size(), F);
    fclose(F);
  }
  PipeRun R;
  pid_t Pid = fork();
  if (Pid == 0) {
    int I = open(In.c_str(), O_RDONLY);
    int O = open(Out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(I, 0);
    dup2(O, 1);
    dup2(O, 2); // one stream, as `2>&1`: the order of writes is what we see
    execRepl(Args, Home);
  }
  R.Status = exitStatus(Pid, 60000);
  if (FILE *F = fopen(Out.c_str(), "r")) {
    char Buf[4096];
    size_t N;
    while ((N = fread(Buf, 1, sizeof(Buf), F)) > 0)
      R.Output.append(Buf, N);
    fclose(F);
  }
  return R;
}

PtySession::PtySession(const std::vector<std::string> &Args, const std::string &Home) {
  Pid = forkpty(&Fd, nullptr, nullptr, nullptr);
  if (Pid == 0)
    execRepl(Args, Home);
}

PtySession::~PtySession() {
  if (Pid > 0 && waitpid(Pid, nullptr, WNOHANG) == 0) {
    kill(Pid, SIGKILL);
    waitpid(Pid, nullptr, 0);
  }
  if (Fd >= 0)
    close(Fd);
}

void PtySession::send(const std::string &Bytes) {
  (void)!write(Fd, Bytes.data(), Bytes.size());
}

std::string PtySession::readUntil(const std::string &Needle, int TimeoutMs) {
  auto End = std::chrono::steady_clock::now() + std::chrono::milliseconds(TimeoutMs);
  while (Pending.find(Needle) == std::string::npos &&
         std::chrono::steady_clock::now() < End) {
    pollfd P = {Fd, POLLIN, 0};
    if (poll(&P, 1, 50) > 0) {
      char Buf[4096];
      ssize_t N = read(Fd, Buf, sizeof(Buf));
      if (N <= 0)
        break; // the process ended (EIO on Linux)
      Pending.append(Buf, size_t(N));
    }
  }
  size_t At = Pending.find(Needle);
  if (At == std::string::npos)
    return Pending; // kept: the needle may still be arriving in pieces
  size_t Cut = At + Needle.size();
  std::string Got = Pending.substr(0, Cut);
  Pending.erase(0, Cut);
  return Got;
}

int PtySession::endWithCtrlD() {
  // A Ctrl-D typed while the line editor is between two reads (the terminal
  // still in canonical mode) can be lost in the mode switch: type it again
  // until the session ends, as a person would.
  // Ctrl-U first: Ctrl-D ends the session only on an empty line (on a line
  // with text it deletes a character), and a Ctrl-C that raced a read may
  // leave the editor holding text.
  for (int I = 0; I < 40; ++I) {
    send("\x15\x04");
    int S = exitStatus(Pid, 500, /*Kill=*/false);
    if (S != -2) {
      Pid = -1;
      return S;
    }
  }
  return wait(1000);
}

int PtySession::wait(int TimeoutMs) {
  int S = exitStatus(Pid, TimeoutMs);
  Pid = -1;
  return S;
}

} // namespace spl::test
