//===- exec_manager/Conversions.cpp - Host values <-> raw slots -----------===//
//
// The backends speak raw 64-bit slots (ffi/FFI.h); hosts speak spl::Value.
// Converting at this one edge keeps both backends free of host types.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/Backend.h"
#include "mir/Semantics.h"

#include <cmath>
#include <cstring>

namespace spl {

using mir::TypeKind;

static uint64_t extendInt(uint64_t Bits, const mir::Type &T) {
  switch (T.Kind) {
  case TypeKind::I8: return uint64_t(int64_t(int8_t(Bits)));
  case TypeKind::I16: return uint64_t(int64_t(int16_t(Bits)));
  case TypeKind::I32: return uint64_t(int64_t(int32_t(Bits)));
  case TypeKind::U8: return uint8_t(Bits);
  case TypeKind::U16: return uint16_t(Bits);
  case TypeKind::U32:
  case TypeKind::Char: return uint32_t(Bits);
  case TypeKind::Bool: return Bits != 0;
  default: return Bits;
  }
}

// An integer Value as a double, by its own signedness (a U64 above 2^63 is
// not negative).
static double numericValue(const Value &V) {
  if (V.isFloat())
    return V.asF64();
  if (V.type() == ValueType::U64)
    return double(V.asU64());
  return double(V.asI64());
}

uint64_t toRawSlot(const Value &V, const mir::Type &T) {
  if (T.Kind == TypeKind::F64) {
    double D = numericValue(V);
    uint64_t B;
    std::memcpy(&B, &D, 8);
    return B;
  }
  if (T.Kind == TypeKind::F32) {
    // double -> float is defined for every double (IEEE: rounds, or gives
    // +-inf beyond the float range).
    float F = float(numericValue(V));
    uint32_t B;
    std::memcpy(&B, &F, 4);
    return B;
  }
  if (!V.isFloat())
    return extendInt(V.bits(), T);
  // A float passed to an integer parameter: converted by value exactly as a
  // Cast from F64 converts (docs/SEMANTICS.md "Host values"): toward zero,
  // saturating, NaN -> 0. `int64_t(double)` of NaN, inf or 1e300 would be
  // undefined behaviour.
  double D = V.asF64();
  if (T.isInteger())
    return mir::saturatingFloatToInt(D, T);
  if (T.Kind == TypeKind::Bool) // as the integer it truncates to, != 0
    return mir::saturatingFloatToInt(D, TypeKind::I64) != 0;
  // Addresses and handles: the saturated I64, as the bits of the word.
  return mir::saturatingFloatToInt(D, TypeKind::I64);
}

Value fromRawSlot(uint64_t Raw, const mir::Type &T) {
  switch (T.Kind) {
  case TypeKind::I8: return Value::raw(ValueType::I8, extendInt(Raw, T));
  case TypeKind::I16: return Value::raw(ValueType::I16, extendInt(Raw, T));
  case TypeKind::I32: return Value::raw(ValueType::I32, extendInt(Raw, T));
  case TypeKind::I64: return Value::raw(ValueType::I64, Raw);
  case TypeKind::U8: return Value::raw(ValueType::U8, extendInt(Raw, T));
  case TypeKind::U16: return Value::raw(ValueType::U16, extendInt(Raw, T));
  case TypeKind::U32: return Value::raw(ValueType::U32, extendInt(Raw, T));
  case TypeKind::U64: return Value::raw(ValueType::U64, Raw);
  case TypeKind::F32: return Value::raw(ValueType::F32, uint32_t(Raw));
  case TypeKind::F64: return Value::raw(ValueType::F64, Raw);
  case TypeKind::Bool: return Value::raw(ValueType::Bool, Raw != 0);
  case TypeKind::Char: return Value::raw(ValueType::Char, uint32_t(Raw));
  case TypeKind::Ptr:
  case TypeKind::FuncPtr: return Value::raw(ValueType::Ptr, Raw);
  default: return Value::unit();
  }
}

} // namespace spl
