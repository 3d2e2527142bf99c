//===- fuzz/FuzzSupport.cpp - Shared by the libFuzzer targets -------------===//

#include "fuzz/FuzzSupport.h"

#include "ffi/FFI.h"
#include "runtime/Heap.h"
#include "runtime/spl_runtime.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define SPL_FUZZ_HAVE_LSAN 1
#endif
#endif

using namespace spl;
using namespace llvm;

std::optional<mir::Module> fuzz::loadVerified(const uint8_t *Data,
                                              size_t Size) {
  if (Size == 0)
    return std::nullopt;
  bool JSON = Data[0] & 1;
  StringRef Text(reinterpret_cast<const char *>(Data + 1), Size - 1);
  Expected<mir::Module> M =
      JSON ? mir::readJSON(Text) : mir::parseText(Text, "<fuzz>");
  if (!M) {
    consumeError(M.takeError());
    return std::nullopt;
  }
  if (Error E = mir::verify(*M)) {
    consumeError(std::move(E));
    return std::nullopt;
  }
  ffi::completeRuntimeCalls(*M);
  return std::move(*M);
}

namespace {

// Program size bounds: the time budget bounds each call (FuzzInterp.cpp),
// these bound one input's number of calls (one per zero-parameter function)
// and the work of loading it.
constexpr size_t MaxFunctions = 16;
constexpr size_t MaxBlocks = 256;
constexpr size_t MaxInstsPerBlock = 256;

/// Externs the program may call: runtime and builtin functions that take
/// words and tolerate any word (RUNTIME.md), or read text through the
/// runtime's fault-free reader. Not: (pointer, length) functions, memcpy and
/// memset, rt_free, dlopen/dlsym and the WFFI calls (they call any address).
const StringSet<> &allowedExterns() {
  static const StringSet<> Names = {
      // builtins
      "rt_print_i64", "rt_println_i64", "rt_print_f64", "rt_println_f64",
      "rt_print_bool", "rt_println_bool", "rt_print_char", "rt_println_char",
      "rt_time_now_monotonic_ms", "rt_exit", "rt_math_sqrt", "rt_math_sin",
      "rt_math_cos", "rt_math_tan", "rt_math_exp", "rt_math_log",
      "rt_math_log2", "rt_math_log10", "rt_math_floor", "rt_math_ceil",
      "rt_math_fabs", "rt_math_round", "rt_math_trunc", "rt_math_pow",
      "rt_abs_i64", "rt_min_i64", "rt_max_i64",
      // runtime: text through the safe reader, words
      "rt_print", "rt_println", "rt_eprint", "rt_eprintln",
      "rt_raw_i64_to_string", "rt_raw_u64_to_string", "rt_raw_bool_to_string",
      "rt_raw_f64_to_string", "rt_interp_cstr", "rt_string_len", "rt_strlen",
      "rt_len", "rt_strcat", "rt_strcat_tagged", "rt_text_eq_any",
      "rt_text_cmp_any", "rt_string_starts_with", "rt_string_ends_with",
      "rt_string_contains", "rt_string_find", "rt_string_rfind",
      "rt_string_split", "rt_string_replace", "rt_string_trim",
      "rt_string_to_lower", "rt_string_bytes", "rt_char_from_code",
      "rt_string_to_int_any", "rt_to_string", "rt_value_to_string",
      "spl_str_slice", "spl_str_len", "rt_string_free", "rt_array_new",
      "rt_array_push", "rt_array_len", "rt_array_get", "rt_array_set",
      "rt_array_pop", "rt_array_clear", "rt_array_repeat", "rt_array_concat",
      "rt_array_copy", "rt_array_free", "rt_enum_new", "rt_enum_discriminant",
      "rt_enum_payload", "rt_enum_id", "rt_enum_check_discriminant",
      "rt_is_none", "rt_is_some", "rt_unwrap_or_self", "rt_tuple_new",
      "rt_tuple_set", "rt_tuple_get", "rt_closure_new",
      "rt_closure_set_capture", "rt_closure_get_capture",
      "rt_closure_func_ptr", "rt_dict_new", "rt_dict_set", "rt_dict_get",
      "rt_dict_contains", "rt_dict_remove", "rt_dict_len", "rt_dict_keys",
      "rt_dict_values", "rt_dict_entries", "rt_value_int_wide",
      "rt_value_as_int_wide", "rt_value_u64", "rt_value_as_u64",
      "rt_value_float", "rt_value_as_float", "rt_native_eq", "rt_native_neq",
      "rt_panic", "__simple_intrinsic_bounds_check",
      "__simple_intrinsic_unreachable", "__simple_intrinsic_trap",
      "__simple_intrinsic_assume", "__simple_intrinsic_likely",
      "__simple_intrinsic_unlikely", "__simple_pow"};
  return Names;
}

/// A call of Callee from M is allowed: a function of M (by name or symbol),
/// or an allowed extern.
bool calleeAllowed(const mir::Operand &Callee, const mir::Module &M) {
  if (!Callee.isConst())
    return false;
  const mir::Constant &C = Callee.constant();
  if (C.K == mir::Constant::Kind::Int)
    return true; // a symbol id: a function of M, or UndefinedFunction
  if (C.K != mir::Constant::Kind::Str)
    return false;
  return M.function(C.S) || allowedExterns().contains(C.S);
}

/// Locals whose every definition is an Alloc or a GlobalAddr (addresses
/// of memory that exists) or an Aggregate (a struct/tuple the runtime made):
/// the only bases Load/Store/GetField/SetField may use.
DenseMap<mir::LocalId, bool> safeBases(const mir::Function &F) {
  DenseMap<mir::LocalId, bool> Safe;
  for (const mir::Block &B : F.Blocks)
    for (const mir::Inst &I : B.Insts) {
      if (!I.hasDest())
        continue;
      bool Ok = I.Op == mir::Opcode::Alloc ||
                I.Op == mir::Opcode::GlobalAddr ||
                (I.Op == mir::Opcode::Aggregate &&
                 (I.Agg == mir::AggKind::Struct ||
                  I.Agg == mir::AggKind::Tuple));
      auto [It, New] = Safe.try_emplace(I.dest(), Ok);
      if (!New)
        It->second = It->second && Ok;
    }
  for (const mir::Block &B : F.Blocks)
    if (B.Term.Dest)
      Safe[*B.Term.Dest] = false;
  for (const mir::Block &B : F.Blocks)
    for (auto D : {B.Term.PayloadDest, B.Term.TagDest})
      if (D)
        Safe[*D] = false;
  for (const mir::Local &L : F.Locals)
    if (L.Kind == mir::LocalKind::Arg)
      Safe[L.Id] = false;
  return Safe;
}

bool baseSafe(const mir::Operand &O, const DenseMap<mir::LocalId, bool> &S) {
  if (O.isConst())
    return false;
  auto It = S.find(O.Local);
  return It != S.end() && It->second;
}

bool functionAllowed(const mir::Function &F, const mir::Module &M) {
  if (F.Blocks.size() > MaxBlocks)
    return false;
  DenseMap<mir::LocalId, bool> Safe = safeBases(F);
  for (const mir::Block &B : F.Blocks) {
    if (B.Insts.size() > MaxInstsPerBlock)
      return false;
    for (const mir::Inst &I : B.Insts) {
      switch (I.Op) {
      case mir::Opcode::CallIndirect:
        return false;
      case mir::Opcode::Load:
      case mir::Opcode::GetField:
        if (I.ops().empty() || !baseSafe(I.ops()[0], Safe))
          return false;
        break;
      case mir::Opcode::Store:
      case mir::Opcode::SetField:
        if (I.ops().empty() || !baseSafe(I.ops()[0], Safe))
          return false;
        break;
      case mir::Opcode::Call:
        if (!calleeAllowed(I.callee(), M))
          return false;
        break;
      case mir::Opcode::Intrinsic:
        if (I.Intr == mir::IntrinsicKind::Extern &&
            !allowedExterns().contains("__simple_intrinsic_" + I.name()))
          return false;
        break;
      default:
        break;
      }
    }
    if (B.Term.K == mir::TermKind::CallTerminator &&
        !calleeAllowed(B.Term.Callee, M))
      return false;
  }
  return true;
}

} // namespace

bool fuzz::runAllowed(const mir::Module &M) {
  if (M.Functions.size() > MaxFunctions)
    return false;
  for (const mir::Function &F : M.Functions)
    if (!functionAllowed(F, M))
      return false;
  return true;
}

void fuzz::registerRuntimeArena() {
#ifdef SPL_FUZZ_HAVE_LSAN
  static bool Done = [] {
    // The arena is reserved at first use.
    rt_array_free(rt_array_new(1));
    auto &A = rt::heap::TheArena;
    uintptr_t Base = A.Base.load(), Bytes = A.Bytes.load();
    if (Base && Bytes)
      __lsan_register_root_region(reinterpret_cast<void *>(Base), Bytes);
    return true;
  }();
  (void)Done;
#endif
}
