/* A C host of libspl_exec.so without a Simple runtime: exercises the C API
 * through the pointer-and-count call execute_args (plain C, only
 * <spl/exec_manager.h>). capi_words_test.c calls it as compiled Simple does.
 * Exit status 0 = all checks passed; the last line is "N passed, M failed". */
#include <spl/exec_manager.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Check.h"

/* Bare function objects, as the compiler's JIT path sends them. */
static const char *MainFn =
    "{\"symbol\":1,\"name\":\"twice_sq\",\"signature\":{\"params\":[\"I64\"],"
    "\"return_type\":\"I64\",\"is_variadic\":false},\"locals\":["
    "{\"id\":0,\"name\":null,\"type\":\"I64\",\"kind\":\"Return\"},"
    "{\"id\":1,\"name\":\"x\",\"type\":\"I64\",\"kind\":{\"Arg\":0}},"
    "{\"id\":2,\"name\":null,\"type\":\"I64\",\"kind\":\"Temp\"}],"
    "\"blocks\":[{\"id\":0,\"label\":null,\"instructions\":["
    "{\"Call\":{\"dest\":2,\"func\":{\"Const\":{\"value\":\"sq\",\"type\":{"
    "\"FuncPtr\":{\"params\":[\"I64\"],\"return_type\":\"I64\",\"is_variadic\":false}}}},"
    "\"args\":[{\"Copy\":1}]}},"
    "{\"BinOp\":{\"dest\":0,\"op\":\"Mul\",\"left\":{\"Copy\":2},\"right\":"
    "{\"Const\":{\"value\":2,\"type\":\"I64\"}}}}],"
    "\"terminator\":{\"Return\":null}}],\"entry_block\":0}";

static const char *SqFn =
    "{\"symbol\":2,\"name\":\"sq\",\"signature\":{\"params\":[\"I64\"],"
    "\"return_type\":\"I64\",\"is_variadic\":false},\"locals\":["
    "{\"id\":0,\"name\":null,\"type\":\"I64\",\"kind\":\"Return\"},"
    "{\"id\":1,\"name\":\"x\",\"type\":\"I64\",\"kind\":{\"Arg\":0}}],"
    "\"blocks\":[{\"id\":0,\"label\":null,\"instructions\":["
    "{\"BinOp\":{\"dest\":0,\"op\":\"Mul\",\"left\":{\"Copy\":1},\"right\":{\"Copy\":1}}}],"
    "\"terminator\":{\"Return\":null}}],\"entry_block\":0}";

/* sq redefined: x*x + 1 */
static const char *SqFn2 =
    "{\"symbol\":2,\"name\":\"sq\",\"signature\":{\"params\":[\"I64\"],"
    "\"return_type\":\"I64\",\"is_variadic\":false},\"locals\":["
    "{\"id\":0,\"name\":null,\"type\":\"I64\",\"kind\":\"Return\"},"
    "{\"id\":1,\"name\":\"x\",\"type\":\"I64\",\"kind\":{\"Arg\":0}},"
    "{\"id\":2,\"name\":null,\"type\":\"I64\",\"kind\":\"Temp\"}],"
    "\"blocks\":[{\"id\":0,\"label\":null,\"instructions\":["
    "{\"BinOp\":{\"dest\":2,\"op\":\"Mul\",\"left\":{\"Copy\":1},\"right\":{\"Copy\":1}}},"
    "{\"BinOp\":{\"dest\":0,\"op\":\"Add\",\"left\":{\"Copy\":2},\"right\":"
    "{\"Const\":{\"value\":1,\"type\":\"I64\"}}}}],"
    "\"terminator\":{\"Return\":null}}],\"entry_block\":0}";

/* hyp(a, b) = sqrt(a*a + b*b) over F64 */
static const char *HypFn =
    "{\"symbol\":3,\"name\":\"hyp\",\"signature\":{\"params\":[\"F64\",\"F64\"],"
    "\"return_type\":\"F64\",\"is_variadic\":false},\"locals\":["
    "{\"id\":0,\"name\":null,\"type\":\"F64\",\"kind\":\"Return\"},"
    "{\"id\":1,\"name\":\"a\",\"type\":\"F64\",\"kind\":{\"Arg\":0}},"
    "{\"id\":2,\"name\":\"b\",\"type\":\"F64\",\"kind\":{\"Arg\":1}},"
    "{\"id\":3,\"name\":null,\"type\":\"F64\",\"kind\":\"Temp\"},"
    "{\"id\":4,\"name\":null,\"type\":\"F64\",\"kind\":\"Temp\"}],"
    "\"blocks\":[{\"id\":0,\"label\":null,\"instructions\":["
    "{\"BinOp\":{\"dest\":3,\"op\":\"Mul\",\"left\":{\"Copy\":1},\"right\":{\"Copy\":1}}},"
    "{\"BinOp\":{\"dest\":4,\"op\":\"Mul\",\"left\":{\"Copy\":2},\"right\":{\"Copy\":2}}},"
    "{\"BinOp\":{\"dest\":3,\"op\":\"Add\",\"left\":{\"Copy\":3},\"right\":{\"Copy\":4}}},"
    "{\"Intrinsic\":{\"dest\":0,\"name\":\"sqrt\",\"args\":[{\"Copy\":3}]}}],"
    "\"terminator\":{\"Return\":null}}],\"entry_block\":0}";

/* div(a, b) = a / b: a runtime error for b == 0 */
static const char *DivFn =
    "{\"symbol\":4,\"name\":\"div\",\"signature\":{\"params\":[\"I64\",\"I64\"],"
    "\"return_type\":\"I64\",\"is_variadic\":false},\"locals\":["
    "{\"id\":0,\"name\":null,\"type\":\"I64\",\"kind\":\"Return\"},"
    "{\"id\":1,\"name\":\"a\",\"type\":\"I64\",\"kind\":{\"Arg\":0}},"
    "{\"id\":2,\"name\":\"b\",\"type\":\"I64\",\"kind\":{\"Arg\":1}}],"
    "\"blocks\":[{\"id\":0,\"label\":null,\"instructions\":["
    "{\"BinOp\":{\"dest\":0,\"op\":\"Div\",\"left\":{\"Copy\":1},\"right\":{\"Copy\":2}}}],"
    "\"terminator\":{\"Return\":null}}],\"entry_block\":0}";

static void testBackend(const char *Backend) {
  fprintf(stderr, "-- backend %s\n", Backend);
  int64_t H = rt_exec_manager_create(Backend);
  CHECK(H != 0);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");

  /* Callers before callees, one function per compile call. */
  CHECK_STR(rt_exec_manager_compile(H, MainFn), "");
  CHECK(rt_exec_manager_has_function(H, "twice_sq"));
  CHECK(!rt_exec_manager_has_function(H, "sq"));
  int64_t A[2] = {7, 0};
  CHECK(rt_exec_manager_execute_args(H, "twice_sq", A, 1) == 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "runtime error: function `sq` is not defined");
  CHECK_STR(rt_exec_manager_compile(H, SqFn), "");
  CHECK(rt_exec_manager_execute_args(H, "twice_sq", A, 1) == 98);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  /* Function handles: one per name, calls without a lookup, following
   * the redefinition below. */
  int64_t F = rt_exec_manager_lookup(H, "twice_sq");
  CHECK(F > 0);
  CHECK(rt_exec_manager_lookup(H, "twice_sq") == F);
  CHECK(rt_exec_manager_lookup(H, "sq") != F);
  CHECK(rt_exec_manager_call_handle(H, F, A, 1) == 98);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  CHECK(rt_exec_manager_lookup(H, "nope") == 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "runtime error: function `nope` is not defined");
  CHECK(rt_exec_manager_call_handle(H, 999, A, 1) == 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "call_handle: 999 is not a function handle of this manager");
  CHECK(rt_exec_manager_call_handle(H, F, A, 2) == 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "function `twice_sq` takes 1 argument(s), got 2");
  /* Where it runs: the backend's tier (auto: interpreted until hot). */
  const char *Tier = rt_exec_manager_function_tier(H, "twice_sq");
  CHECK_STR(Tier, strcmp(Backend, "llvm") == 0 ? "native" : "interpreter");
  CHECK_STR(rt_exec_manager_function_tier(H, "nope"), "");
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "function_tier: function `nope` is not defined");
  /* Redefinition replaces the callee for existing callers. */
  CHECK_STR(rt_exec_manager_compile(H, SqFn2), "");
  CHECK(rt_exec_manager_execute_args(H, "twice_sq", A, 1) == 100);
  CHECK(rt_exec_manager_call_handle(H, F, A, 1) == 100);

  /* F64 path. */
  CHECK_STR(rt_exec_manager_compile(H, HypFn), "");
  double D[2] = {3.0, 4.0};
  CHECK(rt_exec_manager_execute_f64(H, "hyp", D, 2) == 5.0);

  /* Runtime error, then the manager still works. */
  CHECK_STR(rt_exec_manager_compile(H, DivFn), "");
  int64_t Z[2] = {1, 0};
  CHECK(rt_exec_manager_execute_args(H, "div", Z, 2) == 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "runtime error in `div`: attempt to divide by zero");
  int64_t Q[2] = {42, 5};
  CHECK(rt_exec_manager_execute_args(H, "div", Q, 2) == 8);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");

  /* Bad input: an error, and nothing of it loaded. */
  const char *E = rt_exec_manager_compile(H, "{\"name\": ");
  CHECK(E && strncmp(E, "malformed JSON", 14) == 0);
  CHECK(rt_exec_manager_execute_args(H, "nope", A, 0) == 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "runtime error: function `nope` is not defined");
  CHECK(rt_exec_manager_execute_args(H, "div", A, 1) == 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "function `div` takes 2 argument(s), got 1");
  CHECK(!rt_exec_manager_set_opt_level(H, 7));
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "set_opt_level: level must be 0..3, got 7");
  CHECK(rt_exec_manager_set_opt_level(H, 0));
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  CHECK(rt_exec_manager_execute_args(H, "div", Q, 2) == 8);

  rt_exec_manager_cleanup(H);
  /* Stale handle: an error, never a crash. */
  CHECK(rt_exec_manager_execute_args(H, "div", Q, 2) == 0);
  char Expected[128];
  snprintf(Expected, sizeof Expected,
           "invalid exec manager handle %lld (never created, or already cleaned up)",
           (long long)H);
  CHECK_STR(rt_exec_manager_get_last_error(H), Expected);
  CHECK_STR(rt_exec_manager_compile(H, SqFn), Expected);
  CHECK(!rt_exec_manager_has_function(H, "div"));
  CHECK_STR(rt_exec_manager_backend_name(H), "");
  rt_exec_manager_cleanup(H); /* twice: still no crash */
  CHECK_STR(rt_exec_manager_get_last_error(H), Expected);
}

struct ThreadArg {
  int64_t H;
  int64_t Base;
  int Errors;
};

static void *worker(void *P) {
  struct ThreadArg *T = (struct ThreadArg *)P;
  for (int64_t I = 0; I < 2000; ++I) {
    int64_t X = T->Base + I;
    int64_t Expect = 2 * (X * X + 1);
    if (rt_exec_manager_execute_args(T->H, "twice_sq", &X, 1) != Expect ||
        strcmp(rt_exec_manager_get_last_error(T->H), "") != 0)
      ++T->Errors;
    if (I % 100 == 0) { /* interleave a runtime error on this thread */
      int64_t Z[2] = {1, 0};
      rt_exec_manager_execute_args(T->H, "div", Z, 2);
      if (strcmp(rt_exec_manager_get_last_error(T->H),
                 "runtime error in `div`: attempt to divide by zero") != 0)
        ++T->Errors;
    }
  }
  return NULL;
}

static void testThreads(const char *Backend) {
  fprintf(stderr, "-- 4 threads on one %s manager\n", Backend);
  int64_t H = rt_exec_manager_create(Backend);
  CHECK(H != 0);
  CHECK_STR(rt_exec_manager_compile(H, MainFn), "");
  CHECK_STR(rt_exec_manager_compile(H, SqFn2), "");
  CHECK_STR(rt_exec_manager_compile(H, DivFn), "");
  pthread_t Th[4];
  struct ThreadArg Args[4];
  for (int I = 0; I < 4; ++I) {
    Args[I].H = H;
    Args[I].Base = I * 100000;
    Args[I].Errors = 0;
    CHECK(pthread_create(&Th[I], NULL, worker, &Args[I]) == 0);
  }
  for (int I = 0; I < 4; ++I) {
    pthread_join(Th[I], NULL);
    CHECK(Args[I].Errors == 0);
  }
  rt_exec_manager_cleanup(H);
}

int main(int argc, char **argv) {
  const char *Only = argc > 1 ? argv[1] : NULL;
  const char *Backends[] = {"interpreter", "llvm", "auto"};
  for (int I = 0; I < 3; ++I) {
    if (Only && strcmp(Only, Backends[I]) != 0)
      continue;
    testBackend(Backends[I]);
    testThreads(Backends[I]);
  }

  /* Unknown backends and handles. */
  CHECK(rt_exec_manager_create("cranelift") == 0);
  CHECK_STR(rt_exec_manager_get_last_error(0),
            "unknown or unavailable backend `cranelift` (available: auto, "
            "interpreter, llvm)");
  CHECK(rt_exec_manager_execute_args(12345, "f", NULL, 0) == 0);
  CHECK_STR(rt_exec_manager_get_last_error(12345),
            "invalid exec manager handle 12345 (never created, or already cleaned up)");
  CHECK_STR(rt_exec_manager_get_last_error(777),
            "invalid exec manager handle 777 (never created, or already cleaned up)");

  /* Two managers in one process keep separate programs. */
  int64_t H1 = rt_exec_manager_create("interpreter");
  int64_t H2 = rt_exec_manager_create("llvm");
  CHECK(H1 != 0 && H2 != 0 && H1 != H2);
  CHECK_STR(rt_exec_manager_backend_name(H1), "interpreter");
  CHECK_STR(rt_exec_manager_backend_name(H2), "llvm");
  CHECK_STR(rt_exec_manager_compile(H1, SqFn), "");
  CHECK_STR(rt_exec_manager_compile(H2, SqFn2), "");
  int64_t X = 5;
  CHECK(rt_exec_manager_execute_args(H1, "sq", &X, 1) == 25);
  CHECK(rt_exec_manager_execute_args(H2, "sq", &X, 1) == 26);
  CHECK(!rt_exec_manager_has_function(H1, "div"));
  rt_exec_manager_cleanup(H1);
  CHECK(rt_exec_manager_execute_args(H2, "sq", &X, 1) == 26);
  rt_exec_manager_cleanup(H2);

  printf("%d passed, %d failed\n", Passed, Failed);
  return Failed ? 1 : 0;
}
