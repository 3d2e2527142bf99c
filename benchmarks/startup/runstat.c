/* benchmarks/startup/runstat: runs commands in rounds and reports each one's
   median CPU time (user + system of the process, from wait4's rusage) and
   peak RSS, and the ratio of its CPU time to the first command's.

     runstat ROUNDS -- NAME ARGV... -- NAME ARGV... ...

   Each round runs every command once, in an order that rotates from round to
   round, so a burst of load on the machine spreads over all of them. A child
   is forked from this small program (not from a shell or an interpreter),
   so the RSS it reports before exec is this program's, about a megabyte.
   Output: one line per command, "NAME CPU_MS RATIO RSS_MIB". A command that
   fails ends the run with status 1. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MaxCmds = 16 };

struct Cmd {
  const char *Name;
  char **Argv;
  double *Cpu; /* ms, one per round */
  double *Rss; /* MiB */
};

static int cmpd(const void *A, const void *B) {
  double X = *(const double *)A, Y = *(const double *)B;
  return X < Y ? -1 : X > Y;
}

static double median(double *V, int N) {
  qsort(V, N, sizeof *V, cmpd);
  return N % 2 ? V[N / 2] : (V[N / 2 - 1] + V[N / 2]) / 2;
}

static int runOnce(struct Cmd *C, int Round) {
  pid_t P = fork();
  if (P < 0)
    return -1;
  if (P == 0) {
    int Null = open("/dev/null", O_WRONLY);
    dup2(Null, 1);
    execv(C->Argv[0], C->Argv);
    _exit(127);
  }
  int Status;
  struct rusage RU;
  if (wait4(P, &Status, 0, &RU) != P)
    return -1;
  if (!WIFEXITED(Status) || WEXITSTATUS(Status) != 0) {
    fprintf(stderr, "runstat: %s failed (status %d)\n", C->Name, Status);
    return -1;
  }
  C->Cpu[Round] = (RU.ru_utime.tv_sec + RU.ru_stime.tv_sec) * 1e3 +
                  (RU.ru_utime.tv_usec + RU.ru_stime.tv_usec) / 1e3;
  C->Rss[Round] = RU.ru_maxrss / 1024.0;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: runstat ROUNDS -- NAME ARGV... [-- NAME ARGV...]\n");
    return 2;
  }
  int Rounds = atoi(argv[1]);
  struct Cmd Cmds[MaxCmds];
  int N = 0;
  for (int I = 2; I < argc;) {
    /* argv[I] is "--": NAME follows, then the command up to the next "--". */
    if (N == MaxCmds || I + 2 >= argc) {
      fprintf(stderr, "runstat: bad command list\n");
      return 2;
    }
    struct Cmd *C = &Cmds[N++];
    C->Name = argv[I + 1];
    C->Argv = &argv[I + 2];
    int J = I + 2;
    while (J < argc && strcmp(argv[J], "--") != 0)
      ++J;
    if (J < argc)
      argv[J] = NULL; /* ends this command's argv */
    C->Cpu = calloc(Rounds, sizeof(double));
    C->Rss = calloc(Rounds, sizeof(double));
    I = J;
  }
  /* A warm-up round, not counted: the page cache, and the JIT's cache entry. */
  for (int K = 0; K < N; ++K)
    if (runOnce(&Cmds[K], 0))
      return 1;
  for (int R = 0; R < Rounds; ++R)
    for (int K = 0; K < N; ++K)
      if (runOnce(&Cmds[(R + K) % N], R))
        return 1;
  double Base = 0;
  for (int K = 0; K < N; ++K) {
    double Cpu = median(Cmds[K].Cpu, Rounds);
    if (K == 0)
      Base = Cpu;
    printf("%s %.3f %.2f %.2f\n", Cmds[K].Name, Cpu, Cpu / Base,
           median(Cmds[K].Rss, Rounds));
  }
  return 0;
}
