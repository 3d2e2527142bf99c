/* A C host that calls libspl_exec.so the way compiled Simple code does
 * (RUNTIME.md "The exec manager as the client calls it"): arguments in ONE
 * tagged array made with the runtime's own rt_array_new / rt_array_push /
 * rt_value_int_wide, floats as their bit patterns, text as char* words, and
 * list_functions decoded with rt_array_len / rt_array_get / rt_interp_cstr.
 * This host has no runtime of its own, so those are spl-exec's (exported by
 * libspl_exec.so). Expected values are worked out by hand from the MIR below.
 * Usage: capi_words_test [interpreter|llvm|auto]. Exit 0 = all checks
 * passed; the last line is "N passed, M failed". */
#include <spl/exec_manager.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The runtime ABI as a C host declares it (RUNTIME.md "The functions"). */
int64_t rt_array_new(int64_t cap);
int8_t rt_array_push(int64_t a, int64_t w);
int64_t rt_array_len(int64_t a);
int64_t rt_array_get(int64_t a, int64_t i);
int64_t rt_value_int_wide(int64_t v);
int64_t rt_value_as_int_wide(int64_t w);
int64_t rt_string_new(const uint8_t *bytes, uint64_t n);
const char *rt_interp_cstr(int64_t w);

#include "Check.h"

#define CHECK_EQ(a, b)                                                         \
  do {                                                                         \
    long long A_ = (long long)(a), B_ = (long long)(b);                        \
    if (A_ == B_) {                                                            \
      ++Passed;                                                                \
    } else {                                                                   \
      ++Failed;                                                                \
      fprintf(stderr,                                                          \
              "%s:%d: %s: expected %lld (0x%llx), got %lld (0x%llx)\n",        \
              __FILE__, __LINE__, #a, B_, (unsigned long long)B_, A_,          \
              (unsigned long long)A_);                                         \
    }                                                                          \
  } while (0)

/* Every text the library returns is 8-aligned (RUNTIME.md: a raw char* text
 * is never mistaken for a tagged word). */
#define CHECK_ALIGNED(p) CHECK((((uintptr_t)(p)) & 7) == 0)

static int64_t bitsOf(double D) {
  int64_t B;
  memcpy(&B, &D, 8);
  return B;
}
static int64_t bitsOf32(float F) {
  uint32_t B;
  memcpy(&B, &F, 4);
  return (int64_t)B;
}

/* A tagged array of N integer words, as the Simple compiler boxes them. */
static int64_t words(int N, const int64_t *V) {
  int64_t A = rt_array_new(N);
  for (int I = 0; I < N; ++I)
    rt_array_push(A, rt_value_int_wide(V[I]));
  return A;
}
#define WORDS(...)                                                             \
  words(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t),                    \
        (int64_t[]){__VA_ARGS__})
static int64_t noWords(void) { return rt_array_new(0); }

/* A tagged array of text items (tagged strings or raw char* words). */
static int64_t texts(int N, const int64_t *V) {
  int64_t A = rt_array_new(N);
  for (int I = 0; I < N; ++I)
    rt_array_push(A, V[I]);
  return A;
}
static int64_t tagged(const char *S) {
  return rt_string_new((const uint8_t *)S, strlen(S));
}

/* Raw char* literals as compiled Simple has them: 8-aligned. */
_Alignas(8) static const char World[] = "World";
_Alignas(8) static const char Ab[] = "ab";

static const char *Program =
    "module \"capi_words\"\n"
    "fn @add3(i64, i64, i64) -> i64 #1 {\n"
    "  let _0 _return: i64 return\n"
    "  let _1 a: i64 arg 0\n"
    "  let _2 b: i64 arg 1\n"
    "  let _3 c: i64 arg 2\n"
    "  let _4: i64 temp\n"
    "bb0:\n"
    "  _4 = binop add copy _1, copy _2\n"
    "  _0 = binop add copy _4, copy _3\n"
    "  return\n"
    "}\n"
    /* scale(x) = x * 1.5 + 0.25 */
    "fn @scale(f64) -> f64 #2 {\n"
    "  let _0 _return: f64 return\n"
    "  let _1 x: f64 arg 0\n"
    "  let _2: f64 temp\n"
    "bb0:\n"
    "  _2 = binop mul copy _1, const f64 1.5\n"
    "  _0 = binop add copy _2, const f64 0.25\n"
    "  return\n"
    "}\n"
    "fn @same(f64) -> f64 #3 {\n"
    "  let _0 _return: f64 return\n"
    "  let _1 x: f64 arg 0\n"
    "bb0:\n"
    "  _0 = copy _1\n"
    "  return\n"
    "}\n"
    "fn @half32(f32) -> f32 #4 {\n"
    "  let _0 _return: f32 return\n"
    "  let _1 x: f32 arg 0\n"
    "bb0:\n"
    "  _0 = binop mul copy _1, const f32 0.5\n"
    "  return\n"
    "}\n"
    /* mix(n, x) = f64(n) * x */
    "fn @mix(i64, f64) -> f64 #5 {\n"
    "  let _0 _return: f64 return\n"
    "  let _1 n: i64 arg 0\n"
    "  let _2 x: f64 arg 1\n"
    "  let _3: f64 temp\n"
    "bb0:\n"
    "  _3 = cast copy _1 to f64\n"
    "  _0 = binop mul copy _3, copy _2\n"
    "  return\n"
    "}\n"
    /* inc32(x) = x + 1 over i32 (wraps) */
    "fn @inc32(i32) -> i32 #6 {\n"
    "  let _0 _return: i32 return\n"
    "  let _1 x: i32 arg 0\n"
    "bb0:\n"
    "  _0 = binop add copy _1, const i32 1\n"
    "  return\n"
    "}\n"
    "fn @big(i64) -> bool #7 {\n"
    "  let _0 _return: bool return\n"
    "  let _1 x: i64 arg 0\n"
    "bb0:\n"
    "  _0 = binop gt copy _1, const i64 10\n"
    "  return\n"
    "}\n"
    "fn @nothing() #8 {\n"
    "bb0:\n"
    "  return\n"
    "}\n"
    "fn @boom() -> i64 #9 {\n"
    "  let _0 _return: i64 return\n"
    "  let _1: i64 var\n"
    "bb0:\n"
    "  _1 = const i64 0\n"
    "  _0 = binop div const i64 7, copy _1\n"
    "  return\n"
    "}\n"
    "fn @greet(opaque \"str\") -> opaque \"str\" #10 {\n"
    "  let _0 _return: opaque \"str\" return\n"
    "  let _1 name: opaque \"str\" arg 0\n"
    "bb0:\n"
    "  _0 = call @rt_strcat(const opaque \"str\" \"Hello, \", copy _1) : "
    "fn(opaque \"str\", opaque \"str\") -> opaque \"str\"\n"
    "  return\n"
    "}\n"
    "fn @join(opaque \"str\", opaque \"str\") -> opaque \"str\" #11 {\n"
    "  let _0 _return: opaque \"str\" return\n"
    "  let _1 a: opaque \"str\" arg 0\n"
    "  let _2 b: opaque \"str\" arg 1\n"
    "bb0:\n"
    "  _0 = call @rt_strcat(copy _1, copy _2) : "
    "fn(opaque \"str\", opaque \"str\") -> opaque \"str\"\n"
    "  return\n"
    "}\n"
    "fn @literal() -> opaque \"str\" #12 {\n"
    "  let _0 _return: opaque \"str\" return\n"
    "bb0:\n"
    "  _0 = const opaque \"str\" \"a literal\"\n"
    "  return\n"
    "}\n"
    /* A tagged string made by the runtime: execute_string must read it
     * through rt_interp_cstr, not as a char*. */
    "fn @made() -> opaque \"str\" #13 {\n"
    "  let _0 _return: opaque \"str\" return\n"
    "bb0:\n"
    "  _0 = call @rt_string_new(const *u8 \"made here\", const u64 9) : "
    "fn(*u8, u64) -> opaque \"str\"\n"
    "  return\n"
    "}\n"
    /* An array handle result comes back as its word. */
    "fn @pair(i64, i64) -> [i64; 0] #14 {\n"
    "  let _0 _return: [i64; 0] return\n"
    "  let _1 a: i64 arg 0\n"
    "  let _2 b: i64 arg 1\n"
    "  let _3: i64 temp\n"
    "  let _4: i64 temp\n"
    "bb0:\n"
    "  _0 = call @rt_array_new(const i64 2) : fn(i64) -> [i64; 0]\n"
    "  _3 = binop shl copy _1, const i64 3\n"
    "  _4 = binop shl copy _2, const i64 3\n"
    "  call @rt_array_push(copy _0, copy _3) : fn([i64; 0], i64) -> i8\n"
    "  call @rt_array_push(copy _0, copy _4) : fn([i64; 0], i64) -> i8\n"
    "  return\n"
    "}\n";

static const char *Names[] = {"add3",  "scale",   "same",    "half32", "mix",
                              "inc32", "big",     "nothing", "boom",   "greet",
                              "join",  "literal", "made",    "pair"};
enum { NumNames = sizeof Names / sizeof Names[0] };

static void testCalls(int64_t H) {
  /* Integers: small, negative and wide (boxed by rt_value_int_wide). */
  const int64_t Wide = (int64_t)1 << 61;
  CHECK_EQ(rt_exec_manager_execute(H, "add3", WORDS(40, 7, -5)), 42);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  CHECK_EQ(rt_exec_manager_execute(H, "add3", WORDS(Wide, 1, -5)), Wide - 4);
  CHECK_EQ(rt_exec_manager_execute(H, "add3", WORDS(INT64_MIN, 0, 1)),
           INT64_MIN + 1);

  /* Floats as bits both ways: 2.5 * 1.5 + 0.25 = 4.0 exactly. */
  CHECK_EQ(rt_exec_manager_execute(H, "scale", WORDS(bitsOf(2.5))),
           bitsOf(4.0));
  /* -0.0 and a NaN payload survive only as bits (a numeric conversion would
   * give 0 and lose the payload). */
  CHECK_EQ(rt_exec_manager_execute(H, "same", WORDS(bitsOf(-0.0))),
           (int64_t)0x8000000000000000ull);
  CHECK_EQ(rt_exec_manager_execute(H, "same", WORDS(0x7FF8000000000123ll)),
           0x7FF8000000000123ll);
  /* f32: the bits in the low 32, both ways: 3.0f * 0.5 = 1.5f. */
  CHECK_EQ(rt_exec_manager_execute(H, "half32", WORDS(bitsOf32(3.0f))),
           bitsOf32(1.5f));
  CHECK_EQ(bitsOf32(1.5f), 0x3FC00000);
  /* An integer and a float in one call: -3 * 2.5 = -7.5. */
  CHECK_EQ(rt_exec_manager_execute(H, "mix", WORDS(-3, bitsOf(2.5))),
           bitsOf(-7.5));
  /* Integer words are truncated to the parameter's width, and the result is
   * sign-extended: i32 0x7FFFFFFF + 1 wraps to INT32_MIN; 0x100000005 is 5. */
  CHECK_EQ(rt_exec_manager_execute(H, "inc32", WORDS(0x7FFFFFFF)),
           -2147483648ll);
  CHECK_EQ(rt_exec_manager_execute(H, "inc32", WORDS(0x100000005ll)), 6);
  CHECK_EQ(rt_exec_manager_execute(H, "big", WORDS(11)), 1);
  CHECK_EQ(rt_exec_manager_execute(H, "big", WORDS(10)), 0);
  /* A Unit result is 0. */
  CHECK_EQ(rt_exec_manager_execute(H, "nothing", noWords()), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  /* A handle result is its word: an array of the runtime, [5, 6]. */
  int64_t P = rt_exec_manager_execute(H, "pair", WORDS(5, 6));
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  CHECK_EQ(rt_array_len(P), 2);
  CHECK_EQ(rt_value_as_int_wide(rt_array_get(P, 0)), 5);
  CHECK_EQ(rt_value_as_int_wide(rt_array_get(P, 1)), 6);

  /* The pointer-and-count call: the same words, the same results. */
  int64_t A[3] = {bitsOf(2.5), 0, 0};
  CHECK_EQ(rt_exec_manager_execute_args(H, "scale", A, 1), bitsOf(4.0));
  int64_t M[2] = {-3, bitsOf(2.5)};
  CHECK_EQ(rt_exec_manager_execute_args(H, "mix", M, 2), bitsOf(-7.5));
  /* execute_f64 converts by value. */
  double D = 2.5;
  CHECK(rt_exec_manager_execute_f64(H, "scale", &D, 1) == 4.0);

  /* Errors: 0 and the reason, never a crash. */
  CHECK_EQ(rt_exec_manager_execute(H, "add3", WORDS(1, 2)), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "function `add3` takes 3 argument(s), got 2");
  CHECK_EQ(rt_exec_manager_execute(H, "nope", noWords()), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "runtime error: function `nope` is not defined");
  CHECK_EQ(rt_exec_manager_execute(H, "boom", noWords()), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "runtime error in `boom`: attempt to divide by zero");
  /* Words that are not an array: nil, an integer word, 0, a string. */
  CHECK_EQ(rt_exec_manager_execute(H, "nothing", 3), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "execute: the arguments are not an array handle (word 0x3)");
  CHECK_EQ(rt_exec_manager_execute(H, "nothing", 40), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "execute: the arguments are not an array handle (word 0x28)");
  CHECK_EQ(rt_exec_manager_execute(H, "nothing", 0), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "execute: the arguments are not an array handle (word 0x0)");
  int64_t S = tagged("not an array");
  CHECK_EQ(rt_exec_manager_execute(H, "nothing", S), 0);
  char Expect[128];
  snprintf(Expect, sizeof Expect,
           "execute: the arguments are not an array handle (word 0x%llx)",
           (unsigned long long)S);
  CHECK_STR(rt_exec_manager_get_last_error(H), Expect);
  CHECK_EQ(rt_exec_manager_execute(H, NULL, noWords()), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "execute: the function name is NULL");
  /* Text parameters may be tagged strings (a text Simple built at run time):
   * they are read through rt_interp_cstr. */
  CHECK_EQ(rt_exec_manager_execute(H, (const char *)(uintptr_t)tagged("add3"),
                                   WORDS(1, 2, 3)),
           6);
  CHECK(
      rt_exec_manager_has_function(H, (const char *)(uintptr_t)tagged("mix")));
  /* clear_error forgets it. */
  rt_exec_manager_clear_error(H);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
}

static void testVoidAndText(int64_t H) {
  CHECK(rt_exec_manager_execute_void(H, "nothing"));
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  CHECK(rt_exec_manager_execute_void(H, "big") == false); /* takes 1 arg */
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "function `big` takes 1 argument(s), got 0");
  CHECK(rt_exec_manager_execute_void(H, "boom") == false);
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "runtime error in `boom`: attempt to divide by zero");
  CHECK(rt_exec_manager_execute_void(H, "literal")); /* result discarded */

  /* Text arguments: a tagged string and a raw char* literal. */
  int64_t T1[1] = {tagged("Simple")};
  const char *R = rt_exec_manager_execute_string(H, "greet", texts(1, T1));
  CHECK_STR(R, "Hello, Simple");
  CHECK_ALIGNED(R);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  int64_t T2[1] = {(int64_t)(uintptr_t)World};
  CHECK_STR(rt_exec_manager_execute_string(H, "greet", texts(1, T2)),
            "Hello, World");
  int64_t T3[2] = {(int64_t)(uintptr_t)Ab, tagged("cd")};
  CHECK_STR(rt_exec_manager_execute_string(H, "join", texts(2, T3)), "abcd");
  CHECK_STR(rt_exec_manager_execute_string(H, "literal", noWords()),
            "a literal");
  CHECK_STR(rt_exec_manager_execute_string(H, "made", noWords()), "made here");
  /* The result is a copy: it outlives the call's objects, and stays valid
   * through calls on another handle. */
  const char *Kept = rt_exec_manager_execute_string(H, "made", noWords());
  rt_exec_manager_execute(H + 1000, "made", noWords());
  CHECK_STR(Kept, "made here");

  /* Errors: "" and the reason. */
  CHECK_STR(rt_exec_manager_execute_string(H, "add3", WORDS(1, 2, 3)), "");
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "execute_string: function `add3` does not return text "
            "(fn(i64, i64, i64) -> i64)");
  CHECK_STR(rt_exec_manager_execute_string(H, "greet", WORDS(5)), "");
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "execute_string: argument 0 is not text (word 0x28)");
  CHECK_STR(rt_exec_manager_execute_string(H, "greet", noWords()), "");
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "function `greet` takes 1 argument(s), got 0");
  CHECK_STR(rt_exec_manager_execute_string(H, "nope", noWords()), "");
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "runtime error: function `nope` is not defined");
  CHECK_STR(rt_exec_manager_execute_string(H, "greet", 19), "");
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "execute_string: the arguments are not an array handle (word "
            "0x13)");
}

static void testQueries(int64_t H, const char *Backend) {
  /* list_functions: a tagged array of tagged strings, in arrival order. */
  int64_t L = rt_exec_manager_list_functions(H);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  CHECK_EQ(rt_array_len(L), NumNames);
  for (int I = 0; I < NumNames && I < rt_array_len(L); ++I) {
    int64_t W = rt_array_get(L, I);
    CHECK((W & 7) == 1); /* a tagged heap word, not a raw char* */
    CHECK_STR(rt_interp_cstr(W), Names[I]);
  }
  CHECK(rt_exec_manager_has_function(H, "greet"));
  CHECK(!rt_exec_manager_has_function(H, "greeting"));

  const char *B = rt_exec_manager_backend_name(H);
  CHECK_STR(B, Backend);
  CHECK_ALIGNED(B);

  /* Optimisation level: 2 at creation, a bool for set. */
  CHECK_EQ(rt_exec_manager_get_opt_level(H), 2);
  CHECK(rt_exec_manager_set_opt_level(H, 3));
  CHECK_EQ(rt_exec_manager_get_opt_level(H), 3);
  CHECK(!rt_exec_manager_set_opt_level(H, 9));
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "set_opt_level: level must be 0..3, got 9");
  CHECK(!rt_exec_manager_set_opt_level(H, -1));
  CHECK_EQ(rt_exec_manager_get_opt_level(H), 3);
  CHECK_STR(rt_exec_manager_get_last_error(H), "");
  CHECK(rt_exec_manager_set_opt_level(H, 0));
  CHECK_EQ(rt_exec_manager_get_opt_level(H), 0);
  /* Code compiled after the change still runs. */
  CHECK_STR(rt_exec_manager_compile_mir(
                H, "fn @late() -> i64 {\n let _0 _return: i64 return\n"
                   "bb0:\n _0 = const i64 77\n return\n}\n"),
            "");
  CHECK_EQ(rt_exec_manager_execute(H, "late", noWords()), 77);
}

static void testCompileEntries(const char *Backend) {
  int64_t H = rt_exec_manager_create(Backend);
  CHECK(H != 0);
  const char *E = rt_exec_manager_compile(H, Program);
  CHECK_STR(E, "");
  CHECK_ALIGNED(E);

  /* compile_file: from a file; a missing file names itself. */
  char Path[] = "/tmp/spl_capi_words_XXXXXX";
  int Fd = mkstemp(Path);
  CHECK(Fd >= 0);
  FILE *F = fdopen(Fd, "w");
  fputs("fn @from_file() -> i64 {\n let _0 _return: i64 return\n"
        "bb0:\n _0 = const i64 -9\n return\n}\n",
        F);
  fclose(F);
  CHECK_STR(rt_exec_manager_compile_file(H, Path), "");
  CHECK_EQ(rt_exec_manager_execute(H, "from_file", noWords()), -9);
  remove(Path);
  CHECK_STR(rt_exec_manager_compile_file(H, "/nonexistent/dir/x.mir"),
            "compile_file: cannot read `/nonexistent/dir/x.mir`: No such file "
            "or directory");
  CHECK_STR(rt_exec_manager_get_last_error(H),
            "compile_file: cannot read `/nonexistent/dir/x.mir`: No such file "
            "or directory");
  CHECK_STR(rt_exec_manager_compile_file(H, NULL),
            "compile_file: the path is NULL");

  /* compile_source: spl-exec takes MIR. */
  const char *Src = rt_exec_manager_compile_source(H, "fn f(): 1");
  CHECK_STR(Src, "compile_source: spl-exec takes MIR (JSON or text), not "
                 "Simple source; compile the source with the Simple compiler "
                 "and pass its MIR to rt_exec_manager_compile");
  CHECK(!rt_exec_manager_has_function(H, "f"));
  const char *Bad = rt_exec_manager_compile_mir(H, NULL);
  CHECK_STR(Bad, "compile_mir: MIR text is NULL");
  rt_exec_manager_cleanup(H);
}

static void testHandles(const char *Backend) {
  int64_t H = rt_exec_manager_create(Backend);
  CHECK(H != 0);
  CHECK(rt_exec_manager_is_valid(H));
  CHECK_STR(rt_exec_manager_compile(H, Program), "");
  CHECK_EQ(rt_exec_manager_execute(H, "add3", WORDS(1, 2, 3)), 6);
  rt_exec_manager_cleanup(H);
  CHECK(!rt_exec_manager_is_valid(H));

  char Invalid[128];
  snprintf(Invalid, sizeof Invalid,
           "invalid exec manager handle %lld (never created, or already "
           "cleaned up)",
           (long long)H);
  CHECK_STR(rt_exec_manager_get_last_error(H), Invalid);
  CHECK_ALIGNED(rt_exec_manager_get_last_error(H));
  CHECK_EQ(rt_exec_manager_execute(H, "add3", WORDS(1, 2, 3)), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H), Invalid);
  CHECK_EQ(rt_exec_manager_execute_args(H, "add3", NULL, 0), 0);
  CHECK_STR(rt_exec_manager_execute_string(H, "greet", noWords()), "");
  CHECK(!rt_exec_manager_execute_void(H, "nothing"));
  CHECK(!rt_exec_manager_has_function(H, "add3"));
  int64_t L = rt_exec_manager_list_functions(H);
  CHECK_EQ(rt_array_len(L), 0);
  CHECK_STR(rt_exec_manager_get_last_error(H), Invalid);
  CHECK_EQ(rt_exec_manager_get_opt_level(H), -1);
  CHECK(!rt_exec_manager_set_opt_level(H, 1));
  CHECK_STR(rt_exec_manager_backend_name(H), "");
  CHECK_STR(rt_exec_manager_compile_mir(H, Program), Invalid);
  CHECK_STR(rt_exec_manager_compile_source(H, "x"), Invalid);
  CHECK_STR(rt_exec_manager_compile_file(H, "/tmp"), Invalid);
  rt_exec_manager_clear_error(H);
  CHECK_STR(rt_exec_manager_get_last_error(H), Invalid);
  rt_exec_manager_cleanup(H); /* twice: no crash */
  CHECK_STR(rt_exec_manager_get_last_error(H), Invalid);

  CHECK(!rt_exec_manager_is_valid(0));
  CHECK(!rt_exec_manager_is_valid(-7));
  CHECK_EQ(rt_exec_manager_execute(987654, "f", noWords()), 0);
  CHECK_STR(rt_exec_manager_get_last_error(987654),
            "invalid exec manager handle 987654 (never created, or already "
            "cleaned up)");
}

struct ThreadArg {
  int64_t H;
  int64_t Base;
  int Errors;
};

/* Each thread makes its own argument arrays with the runtime (its registry
 * is thread-safe) and checks exact results. */
static void *worker(void *P) {
  struct ThreadArg *T = (struct ThreadArg *)P;
  for (int64_t I = 0; I < 500; ++I) {
    int64_t X = T->Base + I;
    if (rt_exec_manager_execute(T->H, "add3", WORDS(X, X, 1)) != 2 * X + 1)
      ++T->Errors;
    /* (2X) * 1.5 + 0.25 = 3X + 0.25, exact for these X. */
    if (rt_exec_manager_execute(T->H, "scale", WORDS(bitsOf(2.0 * X))) !=
        bitsOf(3.0 * X + 0.25))
      ++T->Errors;
    if (strcmp(rt_exec_manager_get_last_error(T->H), "") != 0)
      ++T->Errors;
  }
  return NULL;
}

static void testThreads(const char *Backend) {
  int64_t H = rt_exec_manager_create(Backend);
  CHECK_STR(rt_exec_manager_compile(H, Program), "");
  pthread_t Th[4];
  struct ThreadArg Args[4];
  for (int I = 0; I < 4; ++I) {
    Args[I].H = H;
    Args[I].Base = I * 1000;
    Args[I].Errors = 0;
    CHECK(pthread_create(&Th[I], NULL, worker, &Args[I]) == 0);
  }
  for (int I = 0; I < 4; ++I) {
    pthread_join(Th[I], NULL);
    CHECK_EQ(Args[I].Errors, 0);
  }
  rt_exec_manager_cleanup(H);
}

static void testDefaultBackend(void) {
  /* Without environment settings the default is auto. */
  CHECK_STR(rt_get_jit_backend(), "auto");
  CHECK_ALIGNED(rt_get_jit_backend());
  CHECK(rt_set_jit_backend("llvm"));
  CHECK_STR(rt_get_jit_backend(), "llvm");
  int64_t H = rt_exec_manager_create(NULL);
  CHECK_STR(rt_exec_manager_backend_name(H), "llvm");
  rt_exec_manager_cleanup(H);
  CHECK(rt_set_jit_backend("interp")); /* an alias */
  CHECK_STR(rt_get_jit_backend(), "interpreter");
  H = rt_exec_manager_create("");
  CHECK_STR(rt_exec_manager_backend_name(H), "interpreter");
  rt_exec_manager_cleanup(H);
  /* An explicit backend wins over the default, also as a tagged string. */
  H = rt_exec_manager_create((const char *)(uintptr_t)tagged("llvm"));
  CHECK_STR(rt_exec_manager_backend_name(H), "llvm");
  rt_exec_manager_cleanup(H);
  CHECK(!rt_set_jit_backend("cranelift"));
  CHECK_STR(rt_exec_manager_get_last_error(0),
            "rt_set_jit_backend: unknown or unavailable backend `cranelift` "
            "(available: auto, interpreter, llvm)");
  CHECK_STR(rt_get_jit_backend(), "interpreter"); /* unchanged */
  CHECK(rt_set_jit_backend(NULL));                /* back to the default */
  CHECK_STR(rt_get_jit_backend(), "auto");
  H = rt_exec_manager_create(NULL);
  CHECK_STR(rt_exec_manager_backend_name(H), "auto");
  rt_exec_manager_cleanup(H);
}

int main(int argc, char **argv) {
  /* The default-backend checks assume no environment choice. */
  unsetenv("SIMPLE_JIT_BACKEND");
  unsetenv("SIMPLE_EXECUTION_MODE");
  unsetenv("SIMPLE_NO_JIT");
  const char *Only = argc > 1 ? argv[1] : NULL;
  const char *Backends[] = {"interpreter", "llvm", "auto"};
  for (int I = 0; I < 3; ++I) {
    if (Only && strcmp(Only, Backends[I]) != 0)
      continue;
    fprintf(stderr, "-- backend %s\n", Backends[I]);
    int64_t H = rt_exec_manager_create(Backends[I]);
    CHECK(H != 0);
    CHECK_STR(rt_exec_manager_compile(H, Program), "");
    testCalls(H);
    testVoidAndText(H);
    testQueries(H, Backends[I]);
    rt_exec_manager_cleanup(H);
    testCompileEntries(Backends[I]);
    testHandles(Backends[I]);
    testThreads(Backends[I]);
  }
  testDefaultBackend();
  printf("%d passed, %d failed\n", Passed, Failed);
  return Failed ? 1 : 0;
}
