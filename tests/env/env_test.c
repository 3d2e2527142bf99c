/*===- tests/env/env_test.c - The environment reaches a C host's managers -===*\
|*                                                                            *|
|* A manager made with default options (create(NULL)) takes its backend from  *|
|* SIMPLE_JIT_BACKEND, auto's thresholds from SIMPLE_JIT_THRESHOLD and        *|
|* SIMPLE_JIT_LOOP_THRESHOLD and its tier-up mode from SIMPLE_JIT_SYNC; an    *|
|* explicit backend wins; a malformed threshold fails create with a message   *|
|* naming the variable.                                                       *|
|*                                                                            *|
|* The call threshold is observed twice: rt_exec_manager_function_tier says   *|
|* "interpreter" until the call that reaches it, then (SIMPLE_JIT_SYNC=1:     *|
|* compiled at that call) "native"; and SPL_JIT_PERF=1 makes the JIT append   *|
|* every function it compiles to /tmp/perf-<pid>.map, which names the        *|
|* function after call N and not before.                                      *|
\*===----------------------------------------------------------------------===*/
#include "spl/exec_manager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int Failures = 0;

#define CHECK(Cond, ...)                                                       \
  do {                                                                         \
    if (!(Cond)) {                                                             \
      fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, #Cond);       \
      fprintf(stderr, __VA_ARGS__);                                            \
      fprintf(stderr, "\n");                                                   \
      ++Failures;                                                              \
    }                                                                          \
  } while (0)

static char PerfMap[64];

/* Whether the perf map names a JIT'd function FN (the JIT's symbols are
 * FN.bN, FN.bN[entry]). */
static int perfMapNames(const char *Fn) {
  FILE *F = fopen(PerfMap, "r");
  if (!F)
    return 0;
  char Line[512], Want[128];
  snprintf(Want, sizeof Want, " %s.b", Fn);
  int Found = 0;
  while (!Found && fgets(Line, sizeof Line, F))
    Found = strstr(Line, Want) != NULL;
  fclose(F);
  return Found;
}

/* A module with one straight-line function FN() -> i64. */
static void straightLine(char *Buf, size_t N, const char *Fn) {
  snprintf(Buf, N,
           "module \"m\"\n"
           "fn @%s() -> i64 {\n"
           "  let _0 _return: i64 return\n"
           "bb0:\n"
           "  return const i64 7\n"
           "}\n",
           Fn);
}

static void clearJitEnv(void) {
  unsetenv("SIMPLE_JIT_BACKEND");
  unsetenv("SIMPLE_EXECUTION_MODE");
  unsetenv("SIMPLE_NO_JIT");
  unsetenv("SIMPLE_JIT_THRESHOLD");
  unsetenv("SIMPLE_JIT_LOOP_THRESHOLD");
  unsetenv("SIMPLE_JIT_SYNC");
}

static void backendFromEnvironment(void) {
  clearJitEnv();
  setenv("SIMPLE_JIT_BACKEND", "llvm", 1);
  int64_t H = rt_exec_manager_create(NULL);
  CHECK(H != 0, "create(NULL): %s", rt_exec_manager_get_last_error(0));
  CHECK(strcmp(rt_exec_manager_backend_name(H), "llvm") == 0, "got %s",
        rt_exec_manager_backend_name(H));
  rt_exec_manager_cleanup(H);

  H = rt_exec_manager_create("");
  CHECK(strcmp(rt_exec_manager_backend_name(H), "llvm") == 0, "got %s",
        rt_exec_manager_backend_name(H));
  rt_exec_manager_cleanup(H);

  /* An explicit backend wins over the environment. */
  H = rt_exec_manager_create("interpreter");
  CHECK(strcmp(rt_exec_manager_backend_name(H), "interpreter") == 0, "got %s",
        rt_exec_manager_backend_name(H));
  rt_exec_manager_cleanup(H);

  setenv("SIMPLE_JIT_BACKEND", "interp", 1);
  H = rt_exec_manager_create(NULL);
  CHECK(strcmp(rt_exec_manager_backend_name(H), "interpreter") == 0, "got %s",
        rt_exec_manager_backend_name(H));
  rt_exec_manager_cleanup(H);

  /* SIMPLE_NO_JIT=1 wins over SIMPLE_JIT_BACKEND. */
  setenv("SIMPLE_JIT_BACKEND", "llvm", 1);
  setenv("SIMPLE_NO_JIT", "1", 1);
  H = rt_exec_manager_create(NULL);
  CHECK(strcmp(rt_exec_manager_backend_name(H), "interpreter") == 0, "got %s",
        rt_exec_manager_backend_name(H));
  rt_exec_manager_cleanup(H);

  clearJitEnv();
  H = rt_exec_manager_create(NULL);
  CHECK(strcmp(rt_exec_manager_backend_name(H), "auto") == 0, "got %s",
        rt_exec_manager_backend_name(H));
  rt_exec_manager_cleanup(H);

  setenv("SIMPLE_JIT_BACKEND", "cranelift", 1);
  H = rt_exec_manager_create(NULL);
  CHECK(H == 0, "create(NULL) with SIMPLE_JIT_BACKEND=cranelift succeeded");
  CHECK(strstr(rt_exec_manager_get_last_error(0), "`cranelift`") != NULL,
        "error: %s", rt_exec_manager_get_last_error(0));
  clearJitEnv();
}

/* Under auto with SIMPLE_JIT_THRESHOLD=Threshold (NULL: unset), calls FN
 * and checks it is compiled at call Expected and not before. */
static void thresholdReaches(const char *Threshold, const char *Fn,
                             int Expected) {
  clearJitEnv();
  if (Threshold)
    setenv("SIMPLE_JIT_THRESHOLD", Threshold, 1);
  setenv("SIMPLE_JIT_SYNC", "1", 1);
  int64_t H = rt_exec_manager_create(NULL);
  CHECK(H != 0, "create(NULL): %s", rt_exec_manager_get_last_error(0));
  /* Changing the environment after create does not change the manager. */
  setenv("SIMPLE_JIT_THRESHOLD", "1", 1);
  char Mir[512];
  straightLine(Mir, sizeof Mir, Fn);
  const char *Err = rt_exec_manager_compile(H, Mir);
  CHECK(*Err == 0, "compile: %s", Err);
  for (int Call = 1; Call <= Expected; ++Call) {
    CHECK(rt_exec_manager_execute_void(H, Fn), "call %d of %s: %s", Call, Fn,
          rt_exec_manager_get_last_error(H));
    int Compiled = perfMapNames(Fn);
    const char *Tier = rt_exec_manager_function_tier(H, Fn);
    if (Call < Expected) {
      CHECK(!Compiled, "threshold %s: %s compiled at call %d",
            Threshold ? Threshold : "(default)", Fn, Call);
      CHECK(strcmp(Tier, "interpreter") == 0, "tier at call %d: %s", Call,
            Tier);
    } else {
      CHECK(Compiled, "threshold %s: %s not compiled after call %d",
            Threshold ? Threshold : "(default)", Fn, Call);
      CHECK(strcmp(Tier, "native") == 0, "tier at call %d: %s", Call, Tier);
    }
  }
  rt_exec_manager_cleanup(H);
  clearJitEnv();
}

static void malformedThreshold(const char *Var) {
  clearJitEnv();
  setenv(Var, "many", 1);
  int64_t H = rt_exec_manager_create(NULL);
  CHECK(H == 0, "create(NULL) with %s=many succeeded", Var);
  char Want[128];
  snprintf(Want, sizeof Want, "%s must be a whole number, got `many`", Var);
  CHECK(strcmp(rt_exec_manager_get_last_error(0), Want) == 0, "error: %s",
        rt_exec_manager_get_last_error(0));
  clearJitEnv();
}

/* A loop makes a function hot by its back-edges: after one call of 10
 * iterations with SIMPLE_JIT_LOOP_THRESHOLD=5 (and a call threshold it does
 * not reach), it is native. */
static void loopThresholdReaches(void) {
  clearJitEnv();
  setenv("SIMPLE_JIT_THRESHOLD", "1000", 1);
  setenv("SIMPLE_JIT_LOOP_THRESHOLD", "5", 1);
  setenv("SIMPLE_JIT_SYNC", "1", 1);
  int64_t H = rt_exec_manager_create(NULL);
  CHECK(H != 0, "create(NULL): %s", rt_exec_manager_get_last_error(0));
  const char *Err = rt_exec_manager_compile(
      H, "fn @count(i64) -> i64 {\n"
         "  let _0: i64 return\n"
         "  let _1: i64 arg 0\n"
         "  let _2: bool temp\n"
         "bb0:\n"
         "  _0 = const i64 0\n"
         "  goto bb1\n"
         "bb1:\n"
         "  _2 = binop lt copy _0, copy _1\n"
         "  if copy _2 then bb2 else bb3\n"
         "bb2:\n"
         "  _0 = binop add copy _0, const i64 1\n"
         "  goto bb1\n"
         "bb3:\n"
         "  return\n"
         "}\n");
  CHECK(*Err == 0, "compile: %s", Err);
  int64_t N = 10;
  CHECK(rt_exec_manager_execute_args(H, "count", &N, 1) == 10, "count: %s",
        rt_exec_manager_get_last_error(H));
  CHECK(strcmp(rt_exec_manager_function_tier(H, "count"), "native") == 0,
        "tier: %s", rt_exec_manager_function_tier(H, "count"));
  rt_exec_manager_cleanup(H);
  clearJitEnv();
}

int main(void) {
  snprintf(PerfMap, sizeof PerfMap, "/tmp/perf-%ld.map", (long)getpid());
  remove(PerfMap);
  setenv("SPL_JIT_PERF", "1", 1);

  backendFromEnvironment();
  thresholdReaches("5", "five", 5);
  thresholdReaches("3", "three", 3);
  thresholdReaches(NULL, "dflt", 100); /* the documented default */
  loopThresholdReaches();
  malformedThreshold("SIMPLE_JIT_THRESHOLD");
  malformedThreshold("SIMPLE_JIT_LOOP_THRESHOLD");

  remove(PerfMap);
  if (Failures)
    fprintf(stderr, "%d check(s) failed\n", Failures);
  else
    printf("env: all checks passed\n");
  return Failures ? 1 : 0;
}
