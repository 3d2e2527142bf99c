/* A host with a runtime of its own: linked with -rdynamic (CMake
 * ENABLE_EXPORTS), it defines rt_println, as an embedding Simple runtime
 * does. MIR that calls rt_println must reach THIS function on every backend
 * (RUNTIME.md: an extern is looked up in the host process first), so each
 * line it prints carries the marker "[host] ", and the host counts the calls.
 * Usage: capi_host_runtime_test [interpreter|llvm|auto]. Exit 0 = all checks
 * passed; the last line is "N passed, M failed". */
#include <spl/exec_manager.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int Calls;
static char Last[256];

/* The host's runtime function (RUNTIME.md: void rt_println(const char*)). */
void rt_println(const char *S) {
  if (!S)
    S = "";
  printf("[host] %s\n", S);
  fflush(stdout);
  ++Calls;
  snprintf(Last, sizeof Last, "%s", S);
}

#include "Check.h"

static const char *Program =
    "module \"host_runtime\"\n"
    "fn @hello() #1 {\n"
    "bb0:\n"
    "  call @rt_println(const *u8 \"hello from MIR\") : fn(*u8)\n"
    "  return\n"
    "}\n"
    /* say(text) prints its argument and returns 7 */
    "fn @say(opaque \"str\") -> i64 #2 {\n"
    "  let _0 _return: i64 return\n"
    "  let _1 s: opaque \"str\" arg 0\n"
    "bb0:\n"
    "  call @rt_println(copy _1) : fn(opaque \"str\")\n"
    "  _0 = const i64 7\n"
    "  return\n"
    "}\n";

static void testBackend(const char *Backend) {
  fprintf(stderr, "-- backend %s\n", Backend);
  int64_t H = rt_exec_manager_create(Backend);
  CHECK(H != 0);
  CHECK_STR(rt_exec_manager_compile(H, Program), "");
  /* Several calls, so auto may promote hello to JIT code meanwhile: every
   * one must still reach the host. */
  for (int I = 0; I < 5; ++I) {
    int Before = Calls;
    CHECK(rt_exec_manager_execute_void(H, "hello"));
    CHECK_STR(rt_exec_manager_get_last_error(H), "");
    CHECK(Calls == Before + 1);
    CHECK_STR(Last, "hello from MIR");
  }
  /* A text argument from the tagged array reaches the host's function as a
   * char*. */
  const char *Msg = "through execute_args";
  int64_t Arg = (int64_t)(uintptr_t)Msg;
  int Before = Calls;
  CHECK(rt_exec_manager_execute_args(H, "say", &Arg, 1) == 7);
  CHECK(Calls == Before + 1);
  CHECK_STR(Last, "through execute_args");
  rt_exec_manager_cleanup(H);

  /* With host lookup switched off, a manager created afterwards calls
   * spl-exec's own rt_println: the host's function is not reached. */
  rt_exec_manager_set_host_symbols(false);
  CHECK(!rt_exec_manager_get_host_symbols());
  H = rt_exec_manager_create(Backend);
  rt_exec_manager_set_host_symbols(true);
  CHECK(H != 0);
  CHECK_STR(rt_exec_manager_compile(H, Program), "");
  Before = Calls;
  CHECK(rt_exec_manager_execute_void(H, "hello"));
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  CHECK(Calls == Before);
  rt_exec_manager_cleanup(H);
}

int main(int argc, char **argv) {
  const char *Only = argc > 1 ? argv[1] : NULL;
  const char *Backends[] = {"interpreter", "llvm", "auto"};
  for (int I = 0; I < 3; ++I)
    if (!Only || strcmp(Only, Backends[I]) == 0)
      testBackend(Backends[I]);
  printf("%d passed, %d failed\n", Passed, Failed);
  return Failed ? 1 : 0;
}
