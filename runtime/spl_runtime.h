/*===- runtime/spl_runtime.h - The Simple core runtime ABI, C ------------===*
 *
 * Every function of spl-exec's standalone Simple core runtime (RUNTIME.md),
 * with its C signature, for C hosts and tests. Words are int64_t tagged values:
 * int v<<3, heap object ptr|1, legacy float (bits&~7)|2, nil 3, true 11,
 * false 19. See runtime/README.md for the behaviour of each function.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SPL_RUNTIME_SPL_RUNTIME_H
#define SPL_RUNTIME_SPL_RUNTIME_H

#include <stdint.h>

#if defined(__GNUC__)
#define SPL_RT_API __attribute__((visibility("default")))
#else
#define SPL_RT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Print and text */
SPL_RT_API void rt_print(const char *s);
SPL_RT_API void rt_println(const char *s);
SPL_RT_API void rt_eprint(const char *s);
SPL_RT_API void rt_eprintln(const char *s);
SPL_RT_API void rt_print_str(const uint8_t *p, uint64_t n);
SPL_RT_API void rt_println_str(const uint8_t *p, uint64_t n);
SPL_RT_API void rt_eprint_str(const uint8_t *p, uint64_t n);
SPL_RT_API void rt_eprintln_str(const uint8_t *p, uint64_t n);

SPL_RT_API int64_t rt_raw_i64_to_string(int64_t v);
SPL_RT_API int64_t rt_raw_u64_to_string(int64_t bits);
SPL_RT_API int64_t rt_raw_bool_to_string(int8_t b);
SPL_RT_API int64_t rt_raw_f64_to_string(double v);
SPL_RT_API const char *rt_interp_cstr(int64_t w);
SPL_RT_API int64_t rt_string_new(const uint8_t *bytes, uint64_t n);
SPL_RT_API int64_t rt_string_len(int64_t w);
SPL_RT_API int64_t rt_strlen(const char *s);
SPL_RT_API int64_t rt_len(int64_t w);
SPL_RT_API char *rt_strcat(const char *a, const char *b);
SPL_RT_API int64_t rt_strcat_tagged(int64_t a, int64_t b);
SPL_RT_API int64_t rt_text_eq_any(int64_t a, int64_t b);
SPL_RT_API int64_t rt_text_cmp_any(int64_t a, int64_t b);
SPL_RT_API int64_t rt_string_starts_with(int64_t s, int64_t prefix);
SPL_RT_API int64_t rt_string_ends_with(int64_t s, int64_t suffix);
SPL_RT_API int64_t rt_string_contains(int64_t s, int64_t needle);
SPL_RT_API int64_t rt_string_find(int64_t s, int64_t needle);
SPL_RT_API int64_t rt_string_rfind(int64_t s, int64_t needle);
SPL_RT_API int64_t rt_string_split(int64_t s, int64_t sep);
SPL_RT_API int64_t rt_string_replace(int64_t s, int64_t from, int64_t to);
SPL_RT_API int64_t rt_string_trim(int64_t s);
SPL_RT_API int64_t rt_string_to_lower(int64_t s);
SPL_RT_API int64_t rt_string_bytes(int64_t s);
SPL_RT_API int64_t rt_char_from_code(int64_t code);
SPL_RT_API int64_t rt_string_to_int_any(int64_t w);
SPL_RT_API int64_t rt_to_string(int64_t w);
SPL_RT_API int64_t rt_value_to_string(int64_t w);
SPL_RT_API char *spl_str_slice(const char *s, int64_t start, int64_t end);
SPL_RT_API int64_t spl_str_len(const char *s);
SPL_RT_API int64_t rt_string_free(int64_t w);

/* Arrays (handles are tagged; untagged registered handles are accepted) */
SPL_RT_API int64_t rt_array_new(int64_t cap);
SPL_RT_API int8_t rt_array_push(int64_t a, int64_t w);
SPL_RT_API int64_t rt_array_len(int64_t a);
SPL_RT_API int64_t rt_array_get(int64_t a, int64_t i);
SPL_RT_API void rt_array_set(int64_t a, int64_t i, int64_t w);
SPL_RT_API int64_t rt_array_pop(int64_t a);
SPL_RT_API int64_t rt_array_clear(int64_t a);
SPL_RT_API int64_t rt_array_repeat(int64_t w, int64_t n);
SPL_RT_API int64_t rt_array_concat(int64_t a, int64_t b);
SPL_RT_API int64_t rt_array_copy(int64_t a);
SPL_RT_API int64_t rt_array_free(int64_t a);

/* Enum, Option (id 1: Some 0, None 1), Result (id 0: Ok 0, Err 1) */
SPL_RT_API int64_t rt_enum_new(int32_t enum_id, int32_t discriminant,
                               int64_t payload);
SPL_RT_API int64_t rt_enum_discriminant(int64_t w);
SPL_RT_API int64_t rt_enum_payload(int64_t w);
SPL_RT_API int64_t rt_enum_id(int64_t w);
SPL_RT_API int8_t rt_enum_check_discriminant(int64_t w, int64_t d);
SPL_RT_API int8_t rt_is_none(int64_t w);
SPL_RT_API int8_t rt_is_some(int64_t w);
SPL_RT_API int64_t rt_unwrap_or_self(int64_t w);

/* Tuples, closures */
SPL_RT_API int64_t rt_tuple_new(int64_t n);
SPL_RT_API int8_t rt_tuple_set(int64_t t, int64_t i, int64_t w);
SPL_RT_API int64_t rt_tuple_get(int64_t t, int64_t i);
SPL_RT_API int64_t rt_closure_new(int64_t fn, int64_t n);
SPL_RT_API int8_t rt_closure_set_capture(int64_t c, int64_t i, int64_t w);
SPL_RT_API int64_t rt_closure_get_capture(int64_t c, int64_t i);
SPL_RT_API int64_t rt_closure_func_ptr(int64_t w);

/* Dicts (keys by content: strings by bytes, numbers by value) */
SPL_RT_API int64_t rt_dict_new(int64_t hint);
SPL_RT_API int64_t rt_dict_set(int64_t d, int64_t k, int64_t v);
SPL_RT_API int64_t rt_dict_get(int64_t d, int64_t k);
SPL_RT_API int64_t rt_dict_contains(int64_t d, int64_t k);
SPL_RT_API int64_t rt_dict_remove(int64_t d, int64_t k);
SPL_RT_API int64_t rt_dict_len(int64_t d);
SPL_RT_API int64_t rt_dict_keys(int64_t d);
SPL_RT_API int64_t rt_dict_values(int64_t d);
SPL_RT_API int64_t rt_dict_entries(int64_t d);

/* Boxes and equality */
SPL_RT_API int64_t rt_value_int_wide(int64_t v);
SPL_RT_API int64_t rt_value_as_int_wide(int64_t w);
SPL_RT_API int64_t rt_value_u64(int64_t bits);
SPL_RT_API int64_t rt_value_as_u64(int64_t w);
SPL_RT_API int64_t rt_value_float(double v);
SPL_RT_API double rt_value_as_float(int64_t w);
SPL_RT_API int64_t rt_native_eq(int64_t a, int64_t b);
SPL_RT_API int64_t rt_native_neq(int64_t a, int64_t b);

/* Panic (also called with one char*: len 0 means NUL-terminated), memory */
SPL_RT_API void rt_panic(const uint8_t *msg, uint64_t len);
SPL_RT_API void *rt_alloc(int64_t size);
SPL_RT_API void rt_free(void *p);

/* Intrinsic fallbacks */
SPL_RT_API int64_t __simple_intrinsic_bounds_check(int64_t index, int64_t len);
SPL_RT_API int64_t __simple_intrinsic_unreachable(void);
SPL_RT_API int64_t __simple_intrinsic_trap(void);
SPL_RT_API int64_t __simple_intrinsic_assume(int64_t cond);
SPL_RT_API int64_t __simple_intrinsic_likely(int64_t cond);
SPL_RT_API int64_t __simple_intrinsic_unlikely(int64_t cond);
SPL_RT_API int64_t __simple_intrinsic_prefetch(void *p);
SPL_RT_API int64_t __simple_intrinsic_memcpy(void *dst, const void *src,
                                             int64_t n);
SPL_RT_API int64_t __simple_intrinsic_memset(void *dst, int64_t val, int64_t n);
SPL_RT_API int64_t __simple_pow(int64_t base, int64_t exp);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SPL_RUNTIME_SPL_RUNTIME_H */
