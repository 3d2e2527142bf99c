//===- tests/mir/ModelTest.cpp - Types, tables, lookups, trap texts -------===//
#include "mir/MIR.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace spl::mir;

namespace {

Signature sig(std::vector<Type> Params, Type Ret, bool Variadic = false) {
  Signature S;
  S.Params = std::move(Params);
  S.Ret = std::move(Ret);
  S.Variadic = Variadic;
  return S;
}

TEST(MirModel, TypeSpellings) {
  EXPECT_EQ(Type(TypeKind::I64).str(), "i64");
  EXPECT_EQ(Type(TypeKind::Char).str(), "char");
  EXPECT_EQ(Type(TypeKind::Never).str(), "never");
  EXPECT_EQ(Type::ptr(TypeKind::U8, false).str(), "*u8");
  EXPECT_EQ(Type::ptr(TypeKind::U8, true).str(), "*mut u8");
  EXPECT_EQ(Type::ptr(TypeKind::F64, false, true).str(), "&f64");
  EXPECT_EQ(Type::ptr(TypeKind::F64, true, true).str(), "&mut f64");
  EXPECT_EQ(Type::array(Type::array(TypeKind::I32, 3), 4).str(),
            "[[i32; 3]; 4]");
  EXPECT_EQ(Type::funcPtr(sig({TypeKind::I64, TypeKind::F64}, TypeKind::I64))
                .str(),
            "fn(i64, f64) -> i64");
  EXPECT_EQ(Type::funcPtr(sig({}, TypeKind::Unit)).str(), "fn()");
  EXPECT_EQ(Type::funcPtr(sig({Type::ptr(TypeKind::U8, false)}, TypeKind::I32,
                              true))
                .str(),
            "fn(*u8, ...) -> i32");
  EXPECT_EQ(sig({}, TypeKind::Unit, true).str(), "fn(...)");
  Type Tup(TypeKind::Tuple);
  Tup.setMembers({TypeKind::I64, TypeKind::Bool});
  EXPECT_EQ(Tup.str(), "(i64, bool)");
  Type S(TypeKind::Struct);
  S.setStructId(12);
  EXPECT_EQ(S.str(), "struct#12");
  Type O(TypeKind::Opaque);
  O.setOpaqueName("Tensor \"x\"");
  EXPECT_EQ(O.str(), "opaque \"Tensor \\\"x\\\"\"");
  EXPECT_EQ(scalarTypeName(TypeKind::U16), "U16");
  EXPECT_EQ(scalarTypeName(TypeKind::Unit), "Unit");
}

TEST(MirModel, TypePredicatesAndLayout) {
  EXPECT_TRUE(Type(TypeKind::I8).isSignedInt());
  EXPECT_TRUE(Type(TypeKind::Char).isUnsignedInt());
  EXPECT_FALSE(Type(TypeKind::Bool).isInteger());
  EXPECT_TRUE(Type(TypeKind::Bool).isScalar());
  EXPECT_FALSE(Type(TypeKind::Unit).isScalar());
  EXPECT_TRUE(Type(TypeKind::Never).isVoid());
  EXPECT_EQ(Type(TypeKind::Bool).bitWidth(), 1u);
  EXPECT_EQ(Type(TypeKind::Bool).storeSize(), 1u);
  EXPECT_EQ(Type(TypeKind::Char).storeSize(), 4u);
  EXPECT_EQ(Type(TypeKind::U16).bitWidth(), 16u);
  EXPECT_EQ(Type::ptr(TypeKind::I8).storeSize(), 8u);
  EXPECT_EQ(Type(TypeKind::Unit).storeSize(), 0u);
  Type A = Type::array(TypeKind::I32, 10);
  EXPECT_EQ(A.storeSize(), 40u);
  EXPECT_EQ(A.alignment(), 4u);
  EXPECT_TRUE(A.hasLayout());
  Type S(TypeKind::Struct);
  EXPECT_FALSE(S.hasLayout());
  EXPECT_FALSE(Type::array(S, 2).hasLayout());
}

TEST(MirModel, TypeEqualityAndCompatibility) {
  Type P = Type::ptr(TypeKind::I64, true);
  Type R = Type::ptr(TypeKind::I64, true, /*IsRef=*/true);
  Type Q = Type::ptr(TypeKind::U8, false);
  EXPECT_NE(P, R); // spelling matters for exact round trips
  EXPECT_NE(P, Type::ptr(TypeKind::I64, false));
  EXPECT_EQ(P, Type::ptr(TypeKind::I64, true));
  EXPECT_TRUE(P.compatible(R));
  EXPECT_TRUE(P.compatible(Q));
  EXPECT_FALSE(P.compatible(TypeKind::I64));
  EXPECT_FALSE(Type(TypeKind::I64).compatible(TypeKind::U64));
  EXPECT_TRUE(Type::funcPtr(sig({}, TypeKind::I64))
                  .compatible(Type::funcPtr(sig({TypeKind::I8}, TypeKind::Unit))));
}

TEST(MirModel, ConstantsCompareByBits) {
  Constant NaN1 = Constant::floating(TypeKind::F64, std::nan(""));
  EXPECT_TRUE(NaN1 == Constant::floating(TypeKind::F64, std::nan("")));
  EXPECT_FALSE(Constant::floating(TypeKind::F64, 0.0) ==
               Constant::floating(TypeKind::F64, -0.0));
  EXPECT_FALSE(Constant::integer(TypeKind::I64, 1) ==
               Constant::integer(TypeKind::U64, 1));
  EXPECT_EQ(Constant::floating(TypeKind::F32, 0.1).F, double(0.1f));
  Constant F = Constant::function("fib", sig({TypeKind::I64}, TypeKind::I64));
  EXPECT_TRUE(F.isFunctionRef());
  EXPECT_EQ(F.S, "fib");
  EXPECT_FALSE(Constant::string("x", Type::ptr(TypeKind::U8)).isFunctionRef());
}

TEST(MirModel, NameTables) {
  EXPECT_EQ(opcodeJsonName(Opcode::GetElementPtr), "GetElementPtr");
  EXPECT_EQ(opcodeTextName(Opcode::GetElementPtr), "gep");
  EXPECT_EQ(opcodeTextName(Opcode::CallIndirect), "call_indirect");
  EXPECT_EQ(binOpName(BinOpKind::BitXor), "BitXor");
  EXPECT_EQ(binOpName(BinOpKind::Offset), "Offset");
  EXPECT_TRUE(isComparison(BinOpKind::Ge));
  EXPECT_FALSE(isComparison(BinOpKind::Offset));
  EXPECT_EQ(unOpName(UnOpKind::BitNot), "BitNot");
  EXPECT_EQ(intrinsicName(IntrinsicKind::Log10), "log10");
  EXPECT_EQ(intrinsicArity(IntrinsicKind::Copysign), 2);
  EXPECT_EQ(intrinsicArity(IntrinsicKind::Sqrt), 1);
  EXPECT_EQ(lookupIntrinsic("fmax"), IntrinsicKind::Fmax);
  EXPECT_EQ(lookupIntrinsic("Sqrt"), std::nullopt);
}

TEST(MirModel, FunctionLookupsBySparseIds) {
  Function F;
  for (LocalId Id : {7u, 3u, 100000u}) {
    Local L;
    L.Id = Id;
    F.Locals.push_back(L);
  }
  F.Locals[1].Kind = LocalKind::Arg;
  F.Locals[1].ArgIndex = 1;
  F.Locals[2].Kind = LocalKind::Return;
  Block B;
  B.Id = 5;
  F.Blocks.push_back(B);
  F.reindex();
  EXPECT_EQ(F.localIndex(3), 1);
  EXPECT_EQ(F.localIndex(100000), 2);
  EXPECT_EQ(F.localIndex(4), -1);
  EXPECT_EQ(F.local(7), &F.Locals[0]);
  EXPECT_EQ(F.local(8), nullptr);
  EXPECT_EQ(F.blockIndex(5), 0);
  EXPECT_EQ(F.block(0), nullptr);
  EXPECT_EQ(F.argLocal(1), &F.Locals[1]);
  EXPECT_EQ(F.argLocal(0), nullptr);
  EXPECT_EQ(F.returnLocal(), &F.Locals[2]);
}

TEST(MirModel, ModuleLookups) {
  Module M;
  M.Functions.emplace_back();
  M.Functions.back().Name = "main";
  M.Externs.push_back({"rt_x", sig({}, TypeKind::I64)});
  EXPECT_EQ(M.function("main"), &M.Functions[0]);
  EXPECT_EQ(M.function("rt_x"), nullptr);
  EXPECT_EQ(M.externDecl("rt_x"), &M.Externs[0]);
  EXPECT_EQ(M.externDecl("main"), nullptr);
}

TEST(MirModel, TrapMessages) {
  EXPECT_EQ(trapMessage(TrapKind::DivByZero, "div"),
            "runtime error in `div`: attempt to divide by zero");
  EXPECT_EQ(trapMessage(TrapKind::RemOverflow, "f"),
            "runtime error in `f`: attempt to calculate the remainder with "
            "overflow");
  EXPECT_EQ(trapMessage(TrapKind::Abort, "main", "bad state"),
            "runtime error in `main`: aborted: bad state");
  EXPECT_EQ(trapMessage(TrapKind::StackOverflow, "f", "10000"),
            "runtime error in `f`: stack overflow (call depth exceeded 10000)");
  EXPECT_EQ(trapMessage(TrapKind::StackOverflow, "f", "50"),
            "runtime error in `f`: stack overflow (call depth exceeded 50)");
  EXPECT_EQ(trapMessage(TrapKind::UndefinedFunction, "main", "helper"),
            "runtime error: function `helper` is not defined");
  EXPECT_EQ(trapMessage(TrapKind::Unreachable, "g"),
            "runtime error in `g`: entered unreachable code");
  EXPECT_EQ(trapMessage(TrapKind::NegativePow, "p"),
            "runtime error in `p`: attempt to raise an integer to a negative "
            "power");
}

} // namespace
