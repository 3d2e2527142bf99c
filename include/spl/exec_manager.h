/*===- spl/exec_manager.h - The spl-exec C API ---------------------*- C -*-===*\
|*                                                                            *|
|* The C API of libspl_exec.so, in the shape the Simple runtime declares.     *|
|* A host creates a manager, hands it MIR (JSON or text, sniffed), and calls  *|
|* functions by name.                                                         *|
|*                                                                            *|
|* Handles are checked: an unknown or cleaned-up handle is an error reported  *|
|* through rt_exec_manager_get_last_error(h), never a crash. Several managers *|
|* may live in one process; one manager may be called from several threads.  *|
|* Nothing here throws, aborts or exits on bad input.                         *|
|*                                                                            *|
|* Ownership: every returned const char* is owned by the library and stays    *|
|* valid on the calling thread until that thread's next call on the same      *|
|* handle.                                                                    *|
\*===----------------------------------------------------------------------===*/
#ifndef SPL_EXEC_MANAGER_H
#define SPL_EXEC_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Creates a manager for backend "auto", "interpreter" (alias "interp") or
 * "llvm"; NULL or "" picks the default (SIMPLE_JIT_BACKEND / SIMPLE_EXECUTION_MODE
 * / SIMPLE_NO_JIT, else "auto"). Returns 0 on failure; then
 * rt_exec_manager_get_last_error(0) says why. */
int64_t rt_exec_manager_create(const char *backend);

/* Adds the MIR in `mir` (a module or a single function, JSON or text) to what
 * the manager holds; a function of an existing name replaces it. Returns ""
 * on success, else the error (nothing of `mir` is loaded then). */
const char *rt_exec_manager_compile(int64_t h, const char *mir);

/* Calls `fn` with integer arguments (converted to the parameter types).
 * Returns the result as int64 (0 for Unit; a float result is truncated).
 * On error returns 0 and get_last_error says why. */
int64_t rt_exec_manager_execute(int64_t h, const char *fn, const int64_t *args,
                                int64_t nargs);

/* As execute, with double arguments and a double result (NaN on error). */
double rt_exec_manager_execute_f64(int64_t h, const char *fn,
                                   const double *args, int64_t nargs);

bool rt_exec_manager_has_function(int64_t h, const char *fn);

/* "interpreter", "llvm" or "auto"; "" for an invalid handle. */
const char *rt_exec_manager_backend_name(int64_t h);

/* "" when the last call on h from this thread succeeded. */
const char *rt_exec_manager_get_last_error(int64_t h);

/* 0..3; applies to code compiled from now on. */
void rt_exec_manager_set_opt_level(int64_t h, int64_t level);

/* Releases the manager and all its code. The handle becomes invalid. */
void rt_exec_manager_cleanup(int64_t h);

#ifdef __cplusplus
}
#endif

#endif /* SPL_EXEC_MANAGER_H */
