/*===- spl/Value.h - A MIR scalar value for the C++ API ---------*- C++ -*-===*/
#ifndef SPL_VALUE_H
#define SPL_VALUE_H

#include <cstdint>
#include <cstring>
#include <string>

namespace spl {

/// The scalar types a host passes to and receives from MIR functions.
enum class ValueType : uint8_t {
  I8, I16, I32, I64, U8, U16, U32, U64, F32, F64, Bool, Char, Ptr, Unit
};

/// One MIR scalar: a type and its 64-bit raw slot (the representation the
/// backends use: integers extended by signedness, floats as their bits).
class Value {
public:
  Value() = default;
  static Value i64(int64_t V) { return Value(ValueType::I64, uint64_t(V)); }
  static Value u64(uint64_t V) { return Value(ValueType::U64, V); }
  static Value i32(int32_t V) { return Value(ValueType::I32, uint64_t(int64_t(V))); }
  static Value f64(double V) { uint64_t B; std::memcpy(&B, &V, 8); return Value(ValueType::F64, B); }
  static Value f32(float V) { uint32_t B; std::memcpy(&B, &V, 4); return Value(ValueType::F32, B); }
  static Value boolean(bool V) { return Value(ValueType::Bool, V ? 1 : 0); }
  static Value ptr(const void *P) { return Value(ValueType::Ptr, uint64_t(uintptr_t(P))); }
  static Value unit() { return Value(ValueType::Unit, 0); }
  static Value raw(ValueType T, uint64_t Bits) { return Value(T, Bits); }

  ValueType type() const { return Ty; }
  uint64_t bits() const { return Bits; }
  int64_t asI64() const { return int64_t(Bits); }
  uint64_t asU64() const { return Bits; }
  bool asBool() const { return Bits != 0; }
  double asF64() const {
    if (Ty == ValueType::F32) { float F; uint32_t B = uint32_t(Bits); std::memcpy(&F, &B, 4); return F; }
    double D; std::memcpy(&D, &Bits, 8); return D;
  }
  void *asPtr() const { return reinterpret_cast<void *>(uintptr_t(Bits)); }
  bool isFloat() const { return Ty == ValueType::F32 || Ty == ValueType::F64; }
  bool isUnit() const { return Ty == ValueType::Unit; }

  bool operator==(const Value &O) const { return Ty == O.Ty && Bits == O.Bits; }

private:
  Value(ValueType T, uint64_t B) : Ty(T), Bits(B) {}
  ValueType Ty = ValueType::Unit;
  uint64_t Bits = 0;
};

} // namespace spl

#endif // SPL_VALUE_H
