//===- ffi/BuiltinTable.cpp - The runtime's builtins as one table
//-----------===//
//
// Every builtin is one row: MIR name, MIR signature, C implementation. Both
// backends and the resolver read this table; adding a builtin is adding a
// row (and its body in RuntimeBuiltins.cpp or WFFI.cpp), never a new branch.
//
//===----------------------------------------------------------------------===//

#include "BuiltinFns.h"
#include "ffi/FFI.h"

#include "llvm/ADT/StringMap.h"

#include <array>

using namespace spl;
using namespace spl::ffi;
using mir::Type;
using mir::TypeKind;

namespace {

/// The few types builtin signatures use, short enough for one-line rows.
enum class T : uint8_t {
  None, // unused parameter slot
  Unit,
  I64,
  F64,
  Bool,
  Char,
  Str,      // *u8: NUL-terminated text the builtin only reads
  Bytes,    // *mut u8: memory the program owns
  I64Array, // *i64
  F64Array, // *f64
};

struct Row {
  const char *Name;
  T Ret;
  std::array<T, 3> Params;
  void *Address;
};

template <class F> void *addr(F *Fn) { return reinterpret_cast<void *>(Fn); }

/// The table. Inside a function so that it is built on first use, even when
/// that use comes from another file's static initialiser.
llvm::ArrayRef<Row> rows() {
  // clang-format off
  static const Row Rows[] = {
    // Printing.
    {"rt_print_i64",             T::Unit, {T::I64},  addr(spl_builtin_print_i64)},
    {"rt_println_i64",           T::Unit, {T::I64},  addr(spl_builtin_println_i64)},
    {"rt_print_f64",             T::Unit, {T::F64},  addr(spl_builtin_print_f64)},
    {"rt_println_f64",           T::Unit, {T::F64},  addr(spl_builtin_println_f64)},
    {"rt_print_bool",            T::Unit, {T::Bool}, addr(spl_builtin_print_bool)},
    {"rt_println_bool",          T::Unit, {T::Bool}, addr(spl_builtin_println_bool)},
    {"rt_print_char",            T::Unit, {T::Char}, addr(spl_builtin_print_char)},
    {"rt_println_char",          T::Unit, {T::Char}, addr(spl_builtin_println_char)},
    // Process services.
    {"rt_time_now_monotonic_ms", T::I64,   {},       addr(spl_builtin_time_now_monotonic_ms)},
    {"rt_exit",                  T::Unit,  {T::I64}, addr(spl_builtin_exit)},
    {"rt_env_get",               T::Str,   {T::Str}, addr(spl_builtin_env_get)},
    // Math.
    {"rt_math_sqrt",  T::F64, {T::F64}, addr(spl_builtin_math_sqrt)},
    {"rt_math_sin",   T::F64, {T::F64}, addr(spl_builtin_math_sin)},
    {"rt_math_cos",   T::F64, {T::F64}, addr(spl_builtin_math_cos)},
    {"rt_math_tan",   T::F64, {T::F64}, addr(spl_builtin_math_tan)},
    {"rt_math_exp",   T::F64, {T::F64}, addr(spl_builtin_math_exp)},
    {"rt_math_log",   T::F64, {T::F64}, addr(spl_builtin_math_log)},
    {"rt_math_log2",  T::F64, {T::F64}, addr(spl_builtin_math_log2)},
    {"rt_math_log10", T::F64, {T::F64}, addr(spl_builtin_math_log10)},
    {"rt_math_floor", T::F64, {T::F64}, addr(spl_builtin_math_floor)},
    {"rt_math_ceil",  T::F64, {T::F64}, addr(spl_builtin_math_ceil)},
    {"rt_math_fabs",  T::F64, {T::F64}, addr(spl_builtin_math_fabs)},
    {"rt_math_round", T::F64, {T::F64}, addr(spl_builtin_math_round)},
    {"rt_math_trunc", T::F64, {T::F64}, addr(spl_builtin_math_trunc)},
    {"rt_math_pow",   T::F64, {T::F64, T::F64}, addr(spl_builtin_math_pow)},
    {"rt_abs_i64",    T::I64, {T::I64}, addr(spl_builtin_abs_i64)},
    {"rt_min_i64",    T::I64, {T::I64, T::I64}, addr(spl_builtin_min_i64)},
    {"rt_max_i64",    T::I64, {T::I64, T::I64}, addr(spl_builtin_max_i64)},
    // WFFI.
    {"spl_dlopen",        T::I64, {T::Str},                    addr(spl_builtin_dlopen)},
    {"spl_dlsym",         T::I64, {T::I64, T::Str},            addr(spl_builtin_dlsym)},
    {"spl_dlclose",       T::I64, {T::I64},                    addr(spl_builtin_dlclose)},
    {"spl_wffi_call_i64", T::I64, {T::I64, T::I64Array, T::I64}, addr(spl_builtin_wffi_call_i64)},
    {"spl_wffi_call_f64", T::F64, {T::I64, T::F64Array, T::I64}, addr(spl_builtin_wffi_call_f64)},
  };
  // clang-format on
  return Rows;
}

Type toType(T K) {
  switch (K) {
  case T::None:
  case T::Unit:
    return TypeKind::Unit;
  case T::I64:
    return TypeKind::I64;
  case T::F64:
    return TypeKind::F64;
  case T::Bool:
    return TypeKind::Bool;
  case T::Char:
    return TypeKind::Char;
  case T::Str:
    return Type::ptr(TypeKind::U8, /*Mutable=*/false);
  case T::Bytes:
    return Type::ptr(TypeKind::U8, /*Mutable=*/true);
  case T::I64Array:
    return Type::ptr(TypeKind::I64, /*Mutable=*/false);
  case T::F64Array:
    return Type::ptr(TypeKind::F64, /*Mutable=*/false);
  }
  return TypeKind::Unit;
}

std::vector<Builtin> buildTable() {
  std::vector<Builtin> Table;
  for (const Row &R : rows()) {
    mir::Signature Sig;
    for (T P : R.Params)
      if (P != T::None)
        Sig.Params.push_back(toType(P));
    Sig.Ret = toType(R.Ret);
    Table.push_back({R.Name, std::move(Sig), R.Address});
  }
  return Table;
}

const std::vector<Builtin> &table() {
  static const std::vector<Builtin> Table = buildTable();
  return Table;
}

} // namespace

llvm::ArrayRef<Builtin> ffi::builtins() { return table(); }

const Builtin *ffi::findBuiltin(llvm::StringRef Name) {
  static const llvm::StringMap<const Builtin *> ByName = [] {
    llvm::StringMap<const Builtin *> M;
    for (const Builtin &B : table())
      M[B.Name] = &B;
    return M;
  }();
  auto It = ByName.find(Name);
  return It == ByName.end() ? nullptr : It->second;
}
