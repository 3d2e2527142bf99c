//===- runtime/Table.cpp - The runtime's functions by name ----------------===//
//
// For extern resolution: the execution engine looks a MIR callee up here when
// the host process does not provide it. Sorted by name (checked by a test).
// Keep in step with spl_runtime.h.
//
//===----------------------------------------------------------------------===//

#include "runtime/Runtime.h"
#include "runtime/spl_runtime.h"

#include <algorithm>
#include <cstring>
#include <iterator>

using namespace spl::rt;

namespace {

template <typename F> void *addr(F *Fn) { return reinterpret_cast<void *>(Fn); }

const RuntimeFn Table[] = {
    {"__simple_intrinsic_assume", addr(__simple_intrinsic_assume), "ww"},
    {"__simple_intrinsic_bounds_check", addr(__simple_intrinsic_bounds_check),
     "www"},
    {"__simple_intrinsic_likely", addr(__simple_intrinsic_likely), "ww"},
    {"__simple_intrinsic_memcpy", addr(__simple_intrinsic_memcpy), "wppw"},
    {"__simple_intrinsic_memset", addr(__simple_intrinsic_memset), "wpww"},
    {"__simple_intrinsic_prefetch", addr(__simple_intrinsic_prefetch), "wp"},
    {"__simple_intrinsic_trap", addr(__simple_intrinsic_trap), "w"},
    {"__simple_intrinsic_unlikely", addr(__simple_intrinsic_unlikely), "ww"},
    {"__simple_intrinsic_unreachable", addr(__simple_intrinsic_unreachable),
     "w"},
    {"__simple_pow", addr(__simple_pow), "www"},
    {"rt_alloc", addr(rt_alloc), "pw"},
    {"rt_array_clear", addr(rt_array_clear), "ww"},
    {"rt_array_concat", addr(rt_array_concat), "www"},
    {"rt_array_copy", addr(rt_array_copy), "ww"},
    {"rt_array_free", addr(rt_array_free), "ww"},
    {"rt_array_get", addr(rt_array_get), "www"},
    {"rt_array_len", addr(rt_array_len), "ww"},
    {"rt_array_new", addr(rt_array_new), "ww"},
    {"rt_array_pop", addr(rt_array_pop), "ww"},
    {"rt_array_push", addr(rt_array_push), "bww"},
    {"rt_array_repeat", addr(rt_array_repeat), "www"},
    {"rt_array_set", addr(rt_array_set), "vwww"},
    {"rt_char_from_code", addr(rt_char_from_code), "ww"},
    {"rt_closure_func_ptr", addr(rt_closure_func_ptr), "ww"},
    {"rt_closure_get_capture", addr(rt_closure_get_capture), "www"},
    {"rt_closure_new", addr(rt_closure_new), "www"},
    {"rt_closure_set_capture", addr(rt_closure_set_capture), "bwww"},
    {"rt_dict_contains", addr(rt_dict_contains), "www"},
    {"rt_dict_entries", addr(rt_dict_entries), "ww"},
    {"rt_dict_get", addr(rt_dict_get), "www"},
    {"rt_dict_keys", addr(rt_dict_keys), "ww"},
    {"rt_dict_len", addr(rt_dict_len), "ww"},
    {"rt_dict_new", addr(rt_dict_new), "ww"},
    {"rt_dict_remove", addr(rt_dict_remove), "www"},
    {"rt_dict_set", addr(rt_dict_set), "wwww"},
    {"rt_dict_values", addr(rt_dict_values), "ww"},
    {"rt_enum_check_discriminant", addr(rt_enum_check_discriminant), "bww"},
    {"rt_enum_discriminant", addr(rt_enum_discriminant), "ww"},
    {"rt_enum_id", addr(rt_enum_id), "ww"},
    {"rt_enum_new", addr(rt_enum_new), "wiiw"},
    {"rt_enum_payload", addr(rt_enum_payload), "ww"},
    {"rt_eprint", addr(rt_eprint), "vp"},
    {"rt_eprint_str", addr(rt_eprint_str), "vpu"},
    {"rt_eprintln", addr(rt_eprintln), "vp"},
    {"rt_eprintln_str", addr(rt_eprintln_str), "vpu"},
    {"rt_free", addr(rt_free), "vp"},
    {"rt_interp_cstr", addr(rt_interp_cstr), "pw"},
    {"rt_is_none", addr(rt_is_none), "bw"},
    {"rt_is_some", addr(rt_is_some), "bw"},
    {"rt_len", addr(rt_len), "ww"},
    {"rt_native_eq", addr(rt_native_eq), "www"},
    {"rt_native_neq", addr(rt_native_neq), "www"},
    {"rt_panic", addr(rt_panic), "vpu"},
    {"rt_print", addr(rt_print), "vp"},
    {"rt_print_str", addr(rt_print_str), "vpu"},
    {"rt_println", addr(rt_println), "vp"},
    {"rt_println_str", addr(rt_println_str), "vpu"},
    {"rt_raw_bool_to_string", addr(rt_raw_bool_to_string), "wb"},
    {"rt_raw_f64_to_string", addr(rt_raw_f64_to_string), "wf"},
    {"rt_raw_i64_to_string", addr(rt_raw_i64_to_string), "ww"},
    {"rt_raw_u64_to_string", addr(rt_raw_u64_to_string), "ww"},
    {"rt_strcat", addr(rt_strcat), "ppp"},
    {"rt_strcat_tagged", addr(rt_strcat_tagged), "www"},
    {"rt_string_bytes", addr(rt_string_bytes), "ww"},
    {"rt_string_contains", addr(rt_string_contains), "www"},
    {"rt_string_ends_with", addr(rt_string_ends_with), "www"},
    {"rt_string_find", addr(rt_string_find), "www"},
    {"rt_string_free", addr(rt_string_free), "ww"},
    {"rt_string_len", addr(rt_string_len), "ww"},
    {"rt_string_new", addr(rt_string_new), "wpu"},
    {"rt_string_replace", addr(rt_string_replace), "wwww"},
    {"rt_string_rfind", addr(rt_string_rfind), "www"},
    {"rt_string_split", addr(rt_string_split), "www"},
    {"rt_string_starts_with", addr(rt_string_starts_with), "www"},
    {"rt_string_to_int_any", addr(rt_string_to_int_any), "ww"},
    {"rt_string_to_lower", addr(rt_string_to_lower), "ww"},
    {"rt_string_trim", addr(rt_string_trim), "ww"},
    {"rt_strlen", addr(rt_strlen), "wp"},
    {"rt_text_cmp_any", addr(rt_text_cmp_any), "www"},
    {"rt_text_eq_any", addr(rt_text_eq_any), "www"},
    {"rt_to_string", addr(rt_to_string), "ww"},
    {"rt_tuple_get", addr(rt_tuple_get), "www"},
    {"rt_tuple_new", addr(rt_tuple_new), "ww"},
    {"rt_tuple_set", addr(rt_tuple_set), "bwww"},
    {"rt_unwrap_or_self", addr(rt_unwrap_or_self), "ww"},
    {"rt_value_as_float", addr(rt_value_as_float), "fw"},
    {"rt_value_as_int_wide", addr(rt_value_as_int_wide), "ww"},
    {"rt_value_as_u64", addr(rt_value_as_u64), "ww"},
    {"rt_value_float", addr(rt_value_float), "wf"},
    {"rt_value_int_wide", addr(rt_value_int_wide), "ww"},
    {"rt_value_to_string", addr(rt_value_to_string), "ww"},
    {"rt_value_u64", addr(rt_value_u64), "ww"},
    {"spl_str_len", addr(spl_str_len), "wp"},
    {"spl_str_slice", addr(spl_str_slice), "ppww"},
};

} // namespace

const RuntimeFn *spl::rt::runtimeFunctions(size_t *Count) {
  if (Count)
    *Count = std::size(Table);
  return Table;
}

const RuntimeFn *spl::rt::findRuntimeFunction(const char *Name) {
  if (!Name)
    return nullptr;
  const RuntimeFn *End = std::end(Table);
  const RuntimeFn *It = std::lower_bound(std::begin(Table), End, Name,
                                         [](const RuntimeFn &F, const char *N) {
                                           return std::strcmp(F.Name, N) < 0;
                                         });
  return It != End && std::strcmp(It->Name, Name) == 0 ? It : nullptr;
}
