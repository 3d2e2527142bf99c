//===- tests/interp/V2Builder.h - mir::Module objects built in C++ --------===//
//
// The v2 tests build their programs as mir::Module objects directly, so they
// do not depend on the readers, and load them with
// Interpreter::loadVerified (the interpreter's own load path). One function
// at a time: locals get ids in order (0 = the return local), blocks are
// added by id.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_INTERP_V2BUILDER_H
#define SPL_TESTS_INTERP_V2BUILDER_H

#include "interp/Interpreter.h"
#include "mir/MIR.h"

#include "gtest/gtest.h"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace spl::interp::v2test {

using mir::BlockId;
using mir::LocalId;
using mir::Operand;
using mir::Type;
using mir::TypeKind;
using Ops = std::vector<Operand>;

inline const Type I64 = TypeKind::I64;
inline const Type U64 = TypeKind::U64;
inline const Type I32 = TypeKind::I32;
inline const Type U32 = TypeKind::U32;
inline const Type I16 = TypeKind::I16;
inline const Type U16 = TypeKind::U16;
inline const Type I8 = TypeKind::I8;
inline const Type U8 = TypeKind::U8;
inline const Type F32T = TypeKind::F32;
inline const Type F64T = TypeKind::F64;
inline const Type BoolT = TypeKind::Bool;
inline const Type CharT = TypeKind::Char;
inline const Type UnitT = TypeKind::Unit;

inline Type opaque(const char *Name) {
  Type T(TypeKind::Opaque);
  T.setOpaqueName(Name);
  return T;
}
inline Type tupleOf(std::vector<Type> Members) {
  Type T(TypeKind::Tuple);
  T.setMembers(std::move(Members));
  return T;
}
inline Type structOf(int64_t Symbol) {
  Type T(TypeKind::Struct);
  T.setStructId(Symbol);
  return T;
}
inline Type enumOf(int64_t Symbol) {
  Type T(TypeKind::Enum);
  T.setStructId(Symbol);
  return T;
}
inline Type sig(std::vector<Type> Params, Type Ret) {
  mir::Signature S;
  S.Params = std::move(Params);
  S.Ret = std::move(Ret);
  return Type::funcPtr(std::move(S));
}

// Operands.
inline Operand cp(LocalId L) { return Operand::copy(L); }
inline Operand ki(int64_t V, Type T = I64) {
  return Operand::constant(mir::Constant::integer(T, uint64_t(V)));
}
inline Operand kf(double V, Type T = F64T) {
  return Operand::constant(mir::Constant::floating(T, V));
}
inline Operand kb(bool V) {
  return Operand::constant(mir::Constant::boolean(V));
}
inline Operand ks(const std::string &S) {
  return Operand::constant(mir::Constant::string(S, opaque("str")));
}
/// A function named by a constant of type Fn (a FuncPtr type).
inline Operand fn(const std::string &Name, const Type &Fn) {
  return Operand::constant(mir::Constant::function(Name, Fn.sig()));
}

// Instructions.
mir::Inst inst(mir::Opcode Op, std::optional<LocalId> Dest, Ops Args);
mir::Inst copyI(LocalId Dest, Operand Src);
mir::Inst binI(LocalId Dest, mir::BinOpKind K, Operand L, Operand R);
mir::Inst castI(LocalId Dest, Operand A, Type To);
mir::Inst allocI(LocalId Dest, Type T);
mir::Inst loadI(LocalId Dest, Operand P);
mir::Inst storeI(Operand P, Operand V);
mir::Inst callI(std::optional<LocalId> Dest, Operand Callee, Ops Args);
mir::Inst aggI(LocalId Dest, mir::AggKind K, Ops Args, int64_t Symbol = 0,
               uint32_t Variant = 0);
mir::Inst getI(LocalId Dest, Operand Base, uint32_t Field);
mir::Inst setI(Operand Base, uint32_t Field, Operand V);
mir::Inst globalI(LocalId Dest, int64_t Symbol);
mir::Inst intrI(std::optional<LocalId> Dest, mir::IntrinsicKind K, Ops Args,
                std::string Name = "");

// Terminators.
mir::Terminator retT(std::optional<Operand> V = std::nullopt);
mir::Terminator gotoT(BlockId B);
mir::Terminator ifT(Operand C, BlockId Then, BlockId Else);
mir::Terminator switchT(Operand V, std::vector<std::pair<uint64_t, BlockId>> C,
                        BlockId Default);
/// CallTerminator; Unwind null: a raise passes through.
mir::Terminator invokeT(std::optional<LocalId> Dest, Operand Callee, Ops Args,
                        BlockId Normal, std::optional<BlockId> Unwind,
                        std::optional<LocalId> PayloadDest = std::nullopt,
                        std::optional<LocalId> TagDest = std::nullopt);
mir::Terminator throwT(Operand Payload, Operand Tag);
mir::Terminator resumeT(Operand Payload, Operand Tag);

/// One function. Argument i is local i + 1; var() adds locals after them.
class Fn {
public:
  Fn(std::string Name, std::vector<Type> Params, Type Ret, int64_t Symbol = 0);
  LocalId arg(unsigned I) const { return LocalId(I + 1); }
  LocalId var(Type T);
  Fn &block(BlockId Id, std::vector<mir::Inst> Insts, mir::Terminator T);
  /// The function's FuncPtr type.
  Type type() const;
  Operand ref() const { return fn(F.Name, type()); }
  mir::Function done();

private:
  mir::Function F;
};

mir::Module moduleOf(std::vector<mir::Function> Fns,
                     std::vector<mir::ExternDecl> Externs = {});

// Raw slots.
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

class V2Test : public ::testing::Test {
protected:
  V2Test();
  explicit V2Test(Options O);
  /// "" on success, else the load error's text.
  std::string load(const mir::Module &M);
  void mustLoad(const mir::Module &M) { ASSERT_EQ(load(M), ""); }
  /// The result, or the error text prefixed "error: ".
  std::string callText(const std::string &Name,
                       const std::vector<uint64_t> &Args = {});
  /// Calls and expects success.
  uint64_t run(const std::string &Name, const std::vector<uint64_t> &Args = {});
  std::unique_ptr<Interpreter> Interp;
};

} // namespace spl::interp::v2test

#endif // SPL_TESTS_INTERP_V2BUILDER_H
