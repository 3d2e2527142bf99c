/* tests/runtime/CHost.c - The C header compiles as C and links as C. */
#include "runtime/spl_runtime.h"

#include <string.h>

/* Returns 0 when a C caller sees the ABI it expects. */
int spl_rt_c_host_check(void) {
  static const char Msg[] = "hello";
  int64_t s = rt_string_new((const uint8_t *)Msg, 5);
  if (rt_string_len(s) != 5 || strcmp(rt_interp_cstr(s), "hello") != 0)
    return 1;
  int64_t a = rt_array_new(0);
  rt_array_push(a, s);
  if (rt_array_len(a) != 1 || rt_array_get(a, -1) != s ||
      rt_array_get(a, 1) != 3)
    return 2;
  int64_t e = rt_enum_new(1, 0, a);
  if (!rt_is_some(e) || rt_enum_payload(e) != a)
    return 3;
  void *p = rt_alloc(24);
  if (!p)
    return 4;
  rt_free(p);
  rt_free(p); /* refused, no crash */
  return 0;
}
