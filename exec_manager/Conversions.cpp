//===- exec_manager/Conversions.cpp - Host values <-> raw slots -----------===//
//
// The backends speak raw 64-bit slots (ffi/FFI.h); hosts speak spl::Value.
// Converting at this one edge keeps both backends free of host types.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/Backend.h"

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

uint64_t toRawSlot(const Value &V, const mir::Type &T) {
  if (T.Kind == TypeKind::F64) {
    double D = V.isFloat() ? V.asF64() : double(V.asI64());
    uint64_t B;
    std::memcpy(&B, &D, 8);
    return B;
  }
  if (T.Kind == TypeKind::F32) {
    float F = V.isFloat() ? float(V.asF64()) : float(V.asI64());
    uint32_t B;
    std::memcpy(&B, &F, 4);
    return B;
  }
  if (V.isFloat()) // a float passed to an integer parameter: numeric value
    return extendInt(uint64_t(int64_t(std::trunc(V.asF64()))), T);
  return extendInt(V.bits(), T);
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
