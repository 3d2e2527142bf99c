/*===- spl/exec_manager.h - The spl-exec C API --------------------*- C -*-===*\
|*                                                                            *|
|* The C API of libspl_exec.so, exactly as the Simple runtime declares it     *|
|* (RUNTIME.md "The exec manager as the client calls it"). A host creates a   *|
|* manager, hands it MIR (JSON or text, sniffed), and calls functions by      *|
|* name.                                                                      *|
|*                                                                            *|
|* Words. Compiled Simple code passes a function's arguments as ONE tagged    *|
|* array handle (an `[i64]`) whose items are tagged words; spl-exec decodes   *|
|* each item with rt_value_as_int_wide. Those objects belong to the active    *|
|* runtime: the embedding host's rt_* functions when the host process exports *|
|* them (looked up with dlsym(RTLD_DEFAULT)), else spl-exec's own runtime     *|
|* inside libspl_exec.so (same names and layouts). Arrays spl-exec returns    *|
|* (list_functions) are made with that runtime's rt_array_new/rt_array_push/  *|
|* rt_string_new. A C host without a Simple runtime uses execute_args.        *|
|*                                                                            *|
|* Floats cross as their bits, both ways: for a parameter of type f64 the     *|
|* int64 IS the IEEE bit pattern (f32: the bits in the low 32), never a       *|
|* numeric conversion, and a float result comes back as its bits. Integer     *|
|* words are truncated to the parameter's width; an integer result comes back *|
|* extended by its signedness, a bool as 0/1, a Unit result as 0, a handle    *|
|* (text, array ...) as its word.                                             *|
|*                                                                            *|
|* Text parameters (names, MIR, paths) are char*; a tagged string handle of  *|
|* the active runtime is accepted too (read through rt_interp_cstr).          *|
|*                                                                            *|
|* Errors. Handles are checked: an unknown or cleaned-up handle, an unknown   *|
|* function, a wrong argument count or an args word that is not an array     *|
|* give 0 / "" / false, and rt_exec_manager_get_last_error(h) says why; never *|
|* a crash. Nothing here throws, aborts or exits on bad input. The last error *|
|* is kept per thread and per handle: concurrent callers of one manager each  *|
|* see their own result. Handle 0 holds the outcome of the calls that take no *|
|* handle (create, rt_set_jit_backend).                                       *|
|*                                                                            *|
|* Ownership: every returned const char* is owned by the library, 8-aligned   *|
|* (as Simple wants a raw char* text to be), and stays valid on the calling   *|
|* thread until that thread's next call on the same handle. Several managers  *|
|* may live in one process; one manager may be called from several threads.  *|
\*===----------------------------------------------------------------------===*/
#ifndef SPL_EXEC_MANAGER_H
#define SPL_EXEC_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*--- Managers -------------------------------------------------------------*/

/* Creates a manager for backend "auto", "interpreter" (alias "interp") or
 * "llvm"; NULL or "" picks the default: the one rt_set_jit_backend set, else
 * the environment's (SIMPLE_NO_JIT / SIMPLE_JIT_BACKEND /
 * SIMPLE_EXECUTION_MODE), else "auto". Returns 0 on failure; then
 * rt_exec_manager_get_last_error(0) says why. */
int64_t rt_exec_manager_create(const char *backend);

/* Releases the manager and all its code. The handle becomes invalid (handles
 * are never reused); the calling thread's stored results for it are freed at
 * once, other threads' at their next call. */
void rt_exec_manager_cleanup(int64_t h);

/* Whether h is a live manager. A pure query: records no error. */
bool rt_exec_manager_is_valid(int64_t h);

/* "interpreter", "llvm" or "auto"; "" for an invalid handle. */
const char *rt_exec_manager_backend_name(int64_t h);

/* The default backend for later create(NULL or "") calls: a backend name or
 * alias, or NULL/"" to go back to the environment's default. An unknown or
 * unavailable name returns false (and get_last_error(0) lists the available
 * ones); the default is then unchanged. */
bool rt_set_jit_backend(const char *backend);

/* The backend create(NULL or "") would use now: "auto", "interpreter" or
 * "llvm" (or an unknown name the environment holds; create reports it). */
const char *rt_get_jit_backend(void);

/* Whether managers created from now on resolve externs in the host process
 * first (default true): inside a Simple host, MIR then calls the host's own
 * runtime functions. false skips the host: spl-exec's runtime, builtins and
 * SFFI libraries only. Managers already created keep their setting. */
void rt_exec_manager_set_host_symbols(bool enabled);
bool rt_exec_manager_get_host_symbols(void);

/*--- Compiling ------------------------------------------------------------*/

/* Adds the MIR in `mir` (a module or a single function, JSON or text) to what
 * the manager holds; a function of an existing name replaces it. Returns ""
 * on success, else the error (nothing of `mir` is loaded then). */
const char *rt_exec_manager_compile(int64_t h, const char *mir);

/* The same as rt_exec_manager_compile (the name the Simple side also uses). */
const char *rt_exec_manager_compile_mir(int64_t h, const char *mir);

/* Compiles the MIR in the file at `path`; errors name the file. */
const char *rt_exec_manager_compile_file(int64_t h, const char *path);

/* Always an error: spl-exec takes MIR, not Simple source. */
const char *rt_exec_manager_compile_source(int64_t h, const char *source);

/* 0..3; applies to code compiled from now on. False (and an error) for a
 * level out of range or an invalid handle. */
bool rt_exec_manager_set_opt_level(int64_t h, int64_t level);

/* The level last set (2 at creation); -1 for an invalid handle. */
int64_t rt_exec_manager_get_opt_level(int64_t h);

/* Where code compiled from now on is cached across runs (docs/CACHE.md):
 * `dir_or_null` NULL turns the cache off, "" means the default location
 * ($SIMPLE_JIT_CACHE, $XDG_CACHE_HOME/spl-exec or $HOME/.cache/spl-exec),
 * anything else is the directory. `max_bytes` caps its size (0: 256 MiB).
 * False (and an error) for a negative size or an invalid handle. */
bool rt_exec_manager_set_cache(int64_t h, const char *dir_or_null,
                               int64_t max_bytes);

/*--- Calling --------------------------------------------------------------*/

/* Calls `fn` as compiled Simple does: `args_array` is a tagged array handle
 * of the active runtime, each item a tagged word decoded with
 * rt_value_as_int_wide (see "Words" above for floats and results). Returns
 * the result word; 0 on error, with the error in get_last_error (when the
 * program calls rt_exit(code), the result is code and the error says so). */
int64_t rt_exec_manager_execute(int64_t h, const char *fn, int64_t args_array);

/* As rt_exec_manager_execute, for C hosts without a Simple runtime: the
 * words in args[0..nargs) (floats as their bits, as above). */
int64_t rt_exec_manager_execute_args(int64_t h, const char *fn,
                                     const int64_t *args, int64_t nargs);

/* For C hosts that hold doubles: each argument converted BY VALUE to its
 * parameter's type, the result converted to double (NaN on error). */
double rt_exec_manager_execute_f64(int64_t h, const char *fn,
                                   const double *args, int64_t nargs);

/* Calls `fn` with no arguments and discards its result; true on success. */
bool rt_exec_manager_execute_void(int64_t h, const char *fn);

/* Calls a function that returns text: every item of the tagged array
 * `args_array` is text (a tagged string or a raw char*) and is passed as a
 * char* word. Returns the result's bytes (a copy; see Ownership), "" on
 * error. A function that does not return text ({"Opaque":"str"} or a
 * pointer to u8/i8) is an error, not a guess. */
const char *rt_exec_manager_execute_string(int64_t h, const char *fn,
                                           int64_t args_array);

/*--- Function handles and tiers (docs/RUNTIME.md "Function handles") ----*/

/* A handle of function `fn` of h (a small positive number, valid for h until
 * cleanup; the same number for every lookup of one name), or 0 when fn is
 * not defined (the error says so). It names the function, not one
 * definition: a call through it after a redefinition runs the new one. */
int64_t rt_exec_manager_lookup(int64_t h, const char *fn);

/* As rt_exec_manager_execute_args through a handle from
 * rt_exec_manager_lookup: no name lookup. A number that is not a handle of h
 * is an error (0). */
int64_t rt_exec_manager_call_handle(int64_t h, int64_t fn_handle,
                                    const int64_t *args, int64_t nargs);

/* Where `fn` runs now: "interpreter", "queued", "compiling", "native" or
 * "failed" (docs/RUNTIME.md "Tiers"); "" with an error when fn is not
 * defined. */
const char *rt_exec_manager_function_tier(int64_t h, const char *fn);

/*--- Interrupts and host limits (docs/RUNTIME.md "Limits") ---------------*/

/* Ends every call of h running at this moment, on any thread and backend,
 * with "runtime error in `FN`: interrupted" (code polls at function entries
 * and loop back-edges, so within milliseconds; a call blocked inside a C
 * function ends when it returns to MIR code). A call that starts later is
 * not affected: an interrupt while nothing runs changes nothing. The manager
 * stays usable. Callable from any thread and from a signal handler
 * (async-signal-safe: it takes no lock, allocates nothing and records no
 * error). False when h is not a live manager. */
bool rt_exec_manager_interrupt(int64_t h);

/* Milliseconds each call that starts from now on may run (0 = no limit,
 * the default); past it the call ends with
 * "runtime error in `FN`: time limit of N ms exceeded". */
bool rt_exec_manager_set_time_limit(int64_t h, int64_t ms);

/* Nested MIR calls before "stack overflow (call depth exceeded N)"
 * (default 10000; 1..2^31-1). Only before the first compile on h (the JIT
 * builds the limit into code): false and an error after. */
bool rt_exec_manager_set_max_call_depth(int64_t h, int64_t depth);

/* Bytes of JIT code and data h may hold at once (0 = no limit, the
 * default): a compile past it fails with "JIT code memory limit of N bytes
 * exceeded ..." and loads nothing; what was loaded before stays. Under
 * "auto" the limit applies when it compiles, and a refusal keeps the program
 * in the interpreter. */
bool rt_exec_manager_set_max_code_bytes(int64_t h, int64_t bytes);

/* The largest MIR input (text or file) a compile takes: a larger one is an
 * error before parsing (default 256 MiB; 0 = no limit). */
bool rt_exec_manager_set_max_input_bytes(int64_t h, int64_t bytes);

/*--- Queries and errors ---------------------------------------------------*/

bool rt_exec_manager_has_function(int64_t h, const char *fn);

/* The names of the manager's functions in arrival order: a new tagged array
 * of new tagged strings of the active runtime (the caller owns them). An
 * invalid handle gives an empty array and the error. */
int64_t rt_exec_manager_list_functions(int64_t h);

/* "" when the last call on h from this thread succeeded. */
const char *rt_exec_manager_get_last_error(int64_t h);

/* Forgets the last error of h on this thread. */
void rt_exec_manager_clear_error(int64_t h);

#ifdef __cplusplus
}
#endif

#endif /* SPL_EXEC_MANAGER_H */
