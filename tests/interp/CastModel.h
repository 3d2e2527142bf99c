//===- tests/interp/CastModel.h - Every cast pair, and what it must give --===//
//
// Shared by the interpreter's and the JIT's cast matrix tests. For every
// pair of scalar and word types, mir::classifyCast (Cast) and
// mir::bitcastAllowed (Bitcast) say whether the conversion exists; what it
// computes is written out here by hand from docs/SEMANTICS.md "Values" and
// "Casts" (plain C++ conversions, not the mir/ helpers), so a backend that
// picks another conversion than the classification names fails.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_INTERP_CASTMODEL_H
#define SPL_TESTS_INTERP_CASTMODEL_H

#include "mir/MIR.h"
#include "mir/Semantics.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace spl::test::castmodel {

using mir::Type;
using mir::TypeKind;

/// The types of the matrix: every scalar kind, two address kinds, and word
/// kinds (a handle, a text, a tuple).
inline std::vector<Type> matrixTypes() {
  std::vector<Type> Ts;
  for (TypeKind K :
       {TypeKind::I8, TypeKind::I16, TypeKind::I32, TypeKind::I64, TypeKind::U8,
        TypeKind::U16, TypeKind::U32, TypeKind::U64, TypeKind::F32,
        TypeKind::F64, TypeKind::Bool, TypeKind::Char})
    Ts.push_back(K);
  Ts.push_back(Type::ptr(TypeKind::U8));
  mir::Signature S;
  S.Ret = TypeKind::I64;
  Ts.push_back(Type::funcPtr(S));
  Type Text(TypeKind::Opaque);
  Text.setOpaqueName("str");
  Ts.push_back(Text);
  Type Tup(TypeKind::Tuple);
  Tup.setMembers({TypeKind::I64, TypeKind::F64});
  Ts.push_back(Tup);
  Type En(TypeKind::Enum);
  En.setStructId(7);
  Ts.push_back(En);
  return Ts;
}

inline uint64_t f64Bits(double D) {
  uint64_t B;
  std::memcpy(&B, &D, 8);
  return B;
}
inline uint64_t f32Bits(float F) {
  uint32_t B;
  std::memcpy(&B, &F, 4);
  return B;
}
inline double bitsF64(uint64_t B) {
  double D;
  std::memcpy(&D, &B, 8);
  return D;
}
inline float bitsF32(uint64_t B) {
  uint32_t W = uint32_t(B);
  float F;
  std::memcpy(&F, &W, 4);
  return F;
}

/// A 64-bit pattern in T's slot form (docs/SEMANTICS.md "Values"): signed
/// integers sign-extended from their width, unsigned ones and Char
/// zero-extended, Bool bit 0, F32 its low 32 bits, the rest as it is.
inline uint64_t slotForm(const Type &T, uint64_t V) {
  switch (T.Kind) {
  case TypeKind::I8:
    return uint64_t(int64_t(int8_t(V)));
  case TypeKind::I16:
    return uint64_t(int64_t(int16_t(V)));
  case TypeKind::I32:
    return uint64_t(int64_t(int32_t(V)));
  case TypeKind::U8:
    return uint8_t(V);
  case TypeKind::U16:
    return uint16_t(V);
  case TypeKind::U32:
  case TypeKind::Char:
  case TypeKind::F32:
    return uint32_t(V);
  case TypeKind::Bool:
    return V & 1;
  default:
    return V;
  }
}

/// Inputs of type T, as slots: zero, one, all ones, the extremes, a mixed
/// pattern; for floats also fractions, out-of-range values, infinities and
/// NaN.
inline std::vector<uint64_t> samples(const Type &T) {
  if (T.Kind == TypeKind::Bool)
    return {0, 1};
  if (T.Kind == TypeKind::F64) {
    std::vector<uint64_t> R;
    for (double D : {0.0, -0.0, 1.5, -1.5, 255.9, -128.7, 300.75, 65535.5,
                     -40000.25, 3e9, -3e9, 9.3e18, -9.3e18, 1.9e19, 1e300,
                     -1e300, std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(),
                     std::numeric_limits<double>::quiet_NaN()})
      R.push_back(f64Bits(D));
    return R;
  }
  if (T.Kind == TypeKind::F32) {
    std::vector<uint64_t> R;
    for (float F : {0.0f, -0.0f, 1.5f, -1.5f, 255.9f, -128.7f, 300.75f,
                    65535.5f, -40000.25f, 3e9f, -3e9f, 9.3e18f, -9.3e18f,
                    1.9e19f, 1e30f, std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity(),
                    std::numeric_limits<float>::quiet_NaN()})
      R.push_back(f32Bits(F));
    return R;
  }
  std::vector<uint64_t> R;
  for (uint64_t V :
       {uint64_t(0), uint64_t(1), ~uint64_t(0), uint64_t(0x7fffffffffffffff),
        uint64_t(1) << 63, uint64_t(0x80), uint64_t(0x7f), uint64_t(0x8000),
        uint64_t(0x80000000), uint64_t(0xdeadbeefcafe0a5c)})
    R.push_back(slotForm(T, V));
  return R;
}

/// A float X converted to integer type To as Rust's `as`: toward zero,
/// NaN -> 0, below the range MIN, above it MAX.
inline uint64_t saturate(double X, const Type &To) {
  unsigned W = To.bitWidth();
  if (std::isnan(X))
    return 0;
  double T = std::trunc(X);
  if (To.isSignedInt()) {
    double Lo = -std::ldexp(1.0, int(W) - 1), Hi = std::ldexp(1.0, int(W) - 1);
    int64_t Min = W == 64 ? std::numeric_limits<int64_t>::min()
                          : -(int64_t(1) << (W - 1));
    int64_t Max = W == 64 ? std::numeric_limits<int64_t>::max()
                          : (int64_t(1) << (W - 1)) - 1;
    if (T <= Lo)
      return uint64_t(Min);
    if (T >= Hi)
      return uint64_t(Max);
    return uint64_t(int64_t(T));
  }
  uint64_t Max = W == 64 ? ~uint64_t(0) : (uint64_t(1) << W) - 1;
  if (T <= 0)
    return 0;
  if (T >= std::ldexp(1.0, int(W)))
    return Max;
  return uint64_t(T);
}

/// What a Cast of slot X from From to To must give, by the conversion
/// mir::classifyCast names; nullopt for CastKind::Invalid.
inline std::optional<uint64_t> castResult(const Type &From, const Type &To,
                                          uint64_t X) {
  auto FloatOf = [&]() -> double {
    return From.Kind == TypeKind::F32 ? double(bitsF32(X)) : bitsF64(X);
  };
  auto FloatSlot = [&](double D) {
    return To.Kind == TypeKind::F32 ? f32Bits(float(D)) : f64Bits(D);
  };
  switch (mir::classifyCast(From, To)) {
  case mir::CastKind::Invalid:
    return std::nullopt;
  case mir::CastKind::Identity:
  case mir::CastKind::KeepBits:
  case mir::CastKind::BoolToInt: // X is 0 or 1
    return X;
  case mir::CastKind::IntResize:
    // X is already extended by From's signedness: To keeps its low bits.
    return slotForm(To, X);
  case mir::CastKind::IntToBool:
    return X != 0;
  case mir::CastKind::IntToFloat:
    if (To.Kind == TypeKind::F32)
      return From.isSignedInt() ? f32Bits(float(int64_t(X)))
                                : f32Bits(float(X));
    return From.isSignedInt() ? f64Bits(double(int64_t(X)))
                              : f64Bits(double(X));
  case mir::CastKind::FloatToInt:
    return slotForm(To, saturate(FloatOf(), To));
  case mir::CastKind::FloatResize:
    return FloatSlot(FloatOf());
  }
  return std::nullopt;
}

/// What a Bitcast of slot X from From to To must give: the same bits in
/// To's slot form; nullopt unless mir::bitcastAllowed.
inline std::optional<uint64_t> bitcastResult(const Type &From, const Type &To,
                                             uint64_t X) {
  if (!mir::bitcastAllowed(From, To))
    return std::nullopt;
  return slotForm(To, X);
}

/// Whether two result slots of type To agree: equal bits, or both NaN (the
/// payload of a converted NaN is the hardware's business).
inline bool sameResult(const Type &To, uint64_t A, uint64_t B) {
  if (To.Kind == TypeKind::F64 && std::isnan(bitsF64(A)))
    return std::isnan(bitsF64(B));
  if (To.Kind == TypeKind::F32 && std::isnan(bitsF32(A)))
    return std::isnan(bitsF32(B)) && (B >> 32) == 0;
  return A == B;
}

/// `fn Name(a: From) -> To { _0 = Cast/Bitcast(a, To); return }`.
inline mir::Function castFunction(const std::string &Name, int64_t Symbol,
                                  const Type &From, const Type &To,
                                  bool Bitcast) {
  mir::Function F;
  F.Name = Name;
  F.Symbol = Symbol;
  F.Sig.Params = {From};
  F.Sig.Ret = To;
  mir::Local R;
  R.Id = 0;
  R.Ty = To;
  R.Kind = mir::LocalKind::Return;
  mir::Local A;
  A.Id = 1;
  A.Ty = From;
  A.Kind = mir::LocalKind::Arg;
  A.ArgIndex = 0;
  F.Locals = {R, A};
  mir::Inst I;
  I.Op = Bitcast ? mir::Opcode::Bitcast : mir::Opcode::Cast;
  I.setDest(0);
  I.setOps({mir::Operand::copy(1)});
  I.setType(To);
  mir::Block B;
  B.Id = 0;
  B.Insts = {I};
  B.Term.K = mir::TermKind::Return;
  B.Term.Value = mir::Operand::copy(0);
  F.Blocks = {B};
  F.EntryBlock = 0;
  F.reindex();
  return F;
}

/// One cast pair of the matrix.
struct Pair {
  Type From, To;
  bool Bitcast;
  bool valid() const {
    return Bitcast ? mir::bitcastAllowed(From, To)
                   : mir::classifyCast(From, To) != mir::CastKind::Invalid;
  }
  std::optional<uint64_t> expected(uint64_t X) const {
    return Bitcast ? bitcastResult(From, To, X) : castResult(From, To, X);
  }
  std::string str() const {
    return std::string(Bitcast ? "Bitcast " : "Cast ") + From.str() + " -> " +
           To.str();
  }
};

/// Every (From, To) pair of matrixTypes(), as a Cast and as a Bitcast.
inline std::vector<Pair> allPairs() {
  std::vector<Pair> Ps;
  std::vector<Type> Ts = matrixTypes();
  for (bool Bitcast : {false, true})
    for (const Type &From : Ts)
      for (const Type &To : Ts)
        Ps.push_back({From, To, Bitcast});
  return Ps;
}

/// A module holding one function per valid pair ("c<index>", symbol
/// index + 1, index into allPairs()).
inline mir::Module validPairsModule(const std::vector<Pair> &Ps) {
  mir::Module M;
  M.Name = "casts";
  for (size_t K = 0; K < Ps.size(); ++K)
    if (Ps[K].valid())
      M.Functions.push_back(castFunction("c" + std::to_string(K),
                                         int64_t(K + 1), Ps[K].From, Ps[K].To,
                                         Ps[K].Bitcast));
  return M;
}

} // namespace spl::test::castmodel

#endif // SPL_TESTS_INTERP_CASTMODEL_H
