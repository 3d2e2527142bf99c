//===- tests/jit/RandomProgramTest.cpp - Seeded random MIR, both backends
//--===//
//
// A generator writes small random programs in the text form: integer, float
// and Bool arithmetic (checked and unchecked, shifts, powers, division that
// may trap), casts, branches, bounded loops, calls along an acyclic call
// graph, and Alloc'd arrays accessed through GetElementPtr and Offset. Each
// program runs on the interpreter and on the JIT (cycling -O0, -O1, -O2);
// stdout and the result or error text must be identical.
//
// A failure prints the seed and the program. Replay one seed with
//   SPL_JIT_FUZZ_SEED=<seed> build/bin/jit_tests
//   --gtest_filter='RandomPrograms*'
// and run more with SPL_JIT_FUZZ_COUNT=<n> (default 1000); SPL_JIT_FUZZ_SHOW=1
// prints every program with both outcomes.
//
// What the generator leaves out, on purpose: reading a local before writing
// it (unspecified; every local is set in the entry block), bitcasts of floats
// and copysign (they expose the sign of a NaN, which constant folding and the
// hardware choose differently and SEMANTICS.md does not pin down).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include <cinttypes>
#include <cstdlib>
#include <iostream>
#include <random>
#include <sstream>

using namespace spl;
using namespace spl::jit::test;

namespace {

enum class Cat { Int, Float, Bool };

struct TypeInfo {
  const char *Name;
  Cat C;
  bool Signed;
  unsigned Bits;
};

const TypeInfo Types[] = {
    {"i64", Cat::Int, true, 64},   {"i32", Cat::Int, true, 32},
    {"i16", Cat::Int, true, 16},   {"i8", Cat::Int, true, 8},
    {"u64", Cat::Int, false, 64},  {"u32", Cat::Int, false, 32},
    {"u8", Cat::Int, false, 8},    {"f64", Cat::Float, true, 64},
    {"f32", Cat::Float, true, 32}, {"bool", Cat::Bool, false, 1},
};
constexpr int NumTypes = sizeof(Types) / sizeof(Types[0]);
constexpr int I64 = 0, F64 = 7, BoolTy = 9;

class Generator {
public:
  explicit Generator(uint64_t Seed) : R(Seed) {}

  std::string module() {
    int NumFns = 2 + int(pick(3));
    for (int K = 0; K < NumFns; ++K) {
      FnSig S;
      S.Name = K == 0 ? "main" : "f" + std::to_string(K);
      if (K > 0) {
        int NP = int(pick(4));
        for (int P = 0; P < NP; ++P)
          S.Params.push_back(int(pick(NumTypes)));
        S.Ret = int(pick(NumTypes));
      }
      Sigs.push_back(S);
    }
    std::string Out;
    // Callees first in the text; order does not matter to either backend.
    for (int K = NumFns - 1; K >= 0; --K)
      Out += function(K);
    return Out;
  }

private:
  struct FnSig {
    std::string Name;
    std::vector<int> Params;
    int Ret = I64;
  };

  uint64_t pick(uint64_t N) { return N ? R() % N : 0; }
  bool chance(unsigned Percent) { return pick(100) < Percent; }

  std::string intConst(const TypeInfo &T) {
    static const int64_t Small[] = {0, 1, -1, 2, 3, 7, -8, 10, 100, -100};
    uint64_t Mask = T.Bits == 64 ? ~0ull : (1ull << T.Bits) - 1;
    uint64_t Bits;
    switch (pick(4)) {
    case 0:
      Bits = uint64_t(Small[pick(10)]);
      break;
    case 1: // extremes
      Bits = pick(2) ? (T.Signed ? Mask >> 1 : Mask)
                     : (T.Signed ? ~(Mask >> 1) : 0);
      break;
    default:
      Bits = R() >> pick(64);
      if (chance(50))
        Bits = -Bits;
      break;
    }
    Bits &= Mask;
    if (T.Signed && T.Bits < 64 && (Bits >> (T.Bits - 1)) & 1)
      Bits |= ~Mask; // sign-extend for printing
    return T.Signed ? std::to_string(int64_t(Bits)) : std::to_string(Bits);
  }

  std::string floatConst() {
    static const char *Special[] = {"0.0",   "1.0",  "-1.0", "0.5",  "2.5",
                                    "-0.25", "1e10", "3.0",  "1e-3", "100.0"};
    if (chance(60))
      return Special[pick(10)];
    std::ostringstream OS;
    OS.precision(17);
    double V =
        double(int64_t(pick(2000001)) - 1000000) / double(1 + pick(1000));
    OS << V;
    std::string S = OS.str();
    if (S.find_first_of(".e") == std::string::npos)
      S += ".0";
    return S;
  }

  std::string constOf(int T) {
    const TypeInfo &TI = Types[T];
    std::string V = TI.C == Cat::Int     ? intConst(TI)
                    : TI.C == Cat::Float ? floatConst()
                                         : (pick(2) ? "true" : "false");
    return "const " + std::string(TI.Name) + " " + V;
  }

  /// An operand of type T: a local of that type or a constant.
  std::string operand(int T) {
    if (chance(70)) {
      const std::vector<int> &L = ByType[T];
      int Id = L[pick(L.size())];
      return (chance(80) ? "copy _" : "move _") + std::to_string(Id);
    }
    return constOf(T);
  }

  std::string localOperand(int T) {
    return "copy _" + std::to_string(localOf(T));
  }

  int localOf(int T) {
    const std::vector<int> &L = ByType[T];
    return L[pick(L.size())];
  }

  int newLocal(int T, const char *Kind = "temp") {
    int Id = NextLocal++;
    Decls += "  let _" + std::to_string(Id) + ": " + Types[T].Name + " " +
             Kind + "\n";
    return Id;
  }

  void emit(const std::string &Line) { Code += "  " + Line + "\n"; }
  int newBlock() { return NextBlock++; }
  // (Built with Twine: GCC 12 warns falsely on "x" + std::to_string(N).)
  void startBlock(int B) { Code += bb(B) + ":\n"; }
  std::string bb(int B) { return (llvm::Twine("bb") + llvm::Twine(B)).str(); }
  std::string l(int Id) { return (llvm::Twine("_") + llvm::Twine(Id)).str(); }

  void assignArith() {
    int T = int(pick(NumTypes));
    const TypeInfo &TI = Types[T];
    int D = localOf(T);
    if (TI.C == Cat::Bool) {
      static const char *Ops[] = {"bitand", "bitor", "bitxor"};
      if (chance(25))
        emit(l(D) + " = unop not " + operand(T));
      else
        emit(l(D) + " = binop " + Ops[pick(3)] + " " + operand(T) + ", " +
             operand(T));
      return;
    }
    if (TI.C == Cat::Float) {
      static const char *Ops[] = {"add", "sub", "mul", "div", "rem", "pow"};
      switch (pick(4)) {
      case 0: {
        static const char *Intr[] = {"sqrt",  "floor", "ceil", "trunc",
                                     "round", "fabs",  "sin",  "exp"};
        emit(l(D) + " = intrinsic " + Intr[pick(8)] + "(" + operand(T) + ")");
        return;
      }
      case 1: {
        static const char *Intr2[] = {"fmin", "fmax", "pow"};
        emit(l(D) + " = intrinsic " + Intr2[pick(3)] + "(" + operand(T) + ", " +
             operand(T) + ")");
        return;
      }
      case 2:
        emit(l(D) + " = unop neg " + operand(T));
        return;
      default:
        emit(l(D) + " = binop " + Ops[pick(6)] + " " + operand(T) + ", " +
             operand(T));
        return;
      }
    }
    // Integers.
    switch (pick(9)) {
    case 0: {
      static const char *Ops[] = {"add", "sub", "mul"};
      std::string A = operand(T), B = operand(T);
      // Checked operations on small operands mostly succeed.
      emit(l(D) + " = checked " + Ops[pick(3)] + " " + A + ", " + B);
      return;
    }
    case 1:
    case 2: {
      // Division: usually by a nonzero constant, sometimes by anything.
      std::string B = chance(25) ? operand(T)
                                 : "const " + std::string(TI.Name) + " " +
                                       std::to_string(1 + pick(9));
      emit(l(D) + " = binop " + (pick(2) ? "div " : "rem ") + operand(T) +
           ", " + B);
      return;
    }
    case 3: {
      // Shifts by an amount of any integer type; rarely out of range.
      int AT = int(pick(7));
      bool ConstAmt = chance(90);
      std::string Amt = ConstAmt ? "const " + std::string(Types[AT].Name) +
                                       " " + std::to_string(pick(TI.Bits))
                                 : operand(AT);
      emit(l(D) + " = binop " + (pick(2) ? "shl " : "shr ") +
           operand(T) + ", " + Amt);
      return;
    }
    case 4: {
      int ET = int(pick(7));
      std::string E = chance(90) ? "const " + std::string(Types[ET].Name) +
                                       " " + std::to_string(pick(6))
                                 : operand(ET);
      emit(l(D) + " = binop pow " + operand(T) + ", " + E);
      return;
    }
    case 5:
      emit(l(D) + " = unop " + (pick(2) ? "neg " : "bitnot ") + operand(T));
      return;
    default: {
      static const char *Ops[] = {"add",    "sub",   "mul",
                                  "bitand", "bitor", "bitxor"};
      emit(l(D) + " = binop " + Ops[pick(6)] + " " + operand(T) + ", " +
           operand(T));
      return;
    }
    }
  }

  void assignCast() {
    int From = int(pick(NumTypes)), To = int(pick(NumTypes));
    // Bool converts to and from integers only.
    if ((Types[From].C == Cat::Bool && Types[To].C == Cat::Float) ||
        (Types[To].C == Cat::Bool && Types[From].C == Cat::Float))
      return;
    emit(l(localOf(To)) + " = cast " + operand(From) + " to " + Types[To].Name);
  }

  void compareInto() {
    static const char *Ops[] = {"eq", "ne", "lt", "le", "gt", "ge"};
    int T = int(pick(NumTypes));
    emit(l(localOf(BoolTy)) + " = binop " + Ops[pick(6)] + " " + operand(T) +
         ", " + operand(T));
  }

  void print() {
    int T = int(pick(NumTypes));
    if (Types[T].C == Cat::Float) {
      int V = localOf(F64);
      emit(l(V) + " = cast " + operand(T) + " to f64");
      emit("call @rt_println_f64(copy " + l(V) + ") : fn(f64)");
    } else if (Types[T].C == Cat::Bool) {
      emit("call @rt_println_bool(" + operand(T) + ") : fn(bool)");
    } else {
      int V = localOf(I64);
      emit(l(V) + " = cast " + operand(T) + " to i64");
      emit("call @rt_println_i64(copy " + l(V) + ") : fn(i64)");
    }
  }

  void memory() {
    // Store to and load from the function's array at an index reduced
    // modulo its length (GetElementPtr with two indices, or Offset).
    int T = ArrayElem;
    int Idx = localOf(4); // u64
    emit(l(Idx) + " = cast " + operand(int(pick(7))) + " to u64");
    emit(l(Idx) + " = binop rem copy " + l(Idx) + ", const u64 " +
         std::to_string(ArrayLen));
    if (pick(2))
      emit(l(ElemPtr) + " = gep copy " + l(ArrayPtr) + ", const i64 0, copy " +
           l(Idx));
    else
      emit(l(ElemPtr) + " = binop offset copy " + l(FirstPtr) + ", copy " +
           l(Idx));
    if (pick(2))
      emit("store copy " + l(ElemPtr) + ", " + operand(T));
    else
      emit(l(localOf(T)) + " = load copy " + l(ElemPtr));
  }

  void call() {
    if (CurFn + 1 >= int(Sigs.size()))
      return assignArith();
    int Callee = CurFn + 1 + int(pick(Sigs.size() - CurFn - 1));
    const FnSig &S = Sigs[Callee];
    std::string Args, SigText = "fn(";
    for (size_t P = 0; P < S.Params.size(); ++P) {
      if (P) {
        Args += ", ";
        SigText += ", ";
      }
      Args += operand(S.Params[P]);
      SigText += Types[S.Params[P]].Name;
    }
    SigText += ") -> " + std::string(Types[S.Ret].Name);
    emit(l(localOf(S.Ret)) + " = call @" + S.Name + "(" + Args +
         ") : " + SigText);
  }

  void statements(int N, int Nesting) {
    for (int K = 0; K < N; ++K) {
      unsigned Roll = unsigned(pick(100));
      if (Roll < 35)
        assignArith();
      else if (Roll < 47)
        assignCast();
      else if (Roll < 55)
        compareInto();
      else if (Roll < 63)
        print();
      else if (Roll < 73)
        memory();
      else if (Roll < 83)
        call();
      else if (Roll < 92 && Nesting < 3)
        branch(Nesting);
      else if (Nesting < 2)
        loop(Nesting);
      else
        assignArith();
    }
  }

  void branch(int Nesting) {
    compareInto();
    int Then = newBlock(), Else = newBlock(), Join = newBlock();
    emit("if copy " + l(localOf(BoolTy)) + " then " + bb(Then) + " else " +
         bb(Else));
    startBlock(Then);
    statements(1 + int(pick(4)), Nesting + 1);
    emit("goto " + bb(Join));
    startBlock(Else);
    if (chance(50))
      statements(1 + int(pick(3)), Nesting + 1);
    emit("goto " + bb(Join));
    startBlock(Join);
  }

  void loop(int Nesting) {
    // The counter is a local of its own that no other statement writes.
    int I = newLocal(I64), C = newLocal(BoolTy);
    int Head = newBlock(), Body = newBlock(), Exit = newBlock();
    emit(l(I) + " = const i64 0");
    emit("goto " + bb(Head));
    startBlock(Head);
    emit(l(C) + " = binop lt copy " + l(I) + ", const i64 " +
         std::to_string(pick(9)));
    emit("if copy " + l(C) + " then " + bb(Body) + " else " + bb(Exit));
    startBlock(Body);
    statements(1 + int(pick(4)), Nesting + 1);
    emit(l(I) + " = binop add copy " + l(I) + ", const i64 1");
    emit("goto " + bb(Head));
    startBlock(Exit);
  }

  std::string function(int K) {
    CurFn = K;
    const FnSig &S = Sigs[K];
    Decls.clear();
    Code.clear();
    NextLocal = 0;
    NextBlock = 0;
    for (auto &V : ByType)
      V.clear();

    newLocal(S.Ret, "return");
    std::string Header = "fn @" + S.Name + "(";
    for (size_t P = 0; P < S.Params.size(); ++P) {
      Header += (P ? ", " : "") + std::string(Types[S.Params[P]].Name);
      ByType[S.Params[P]].push_back(
          newLocal(S.Params[P], ("arg " + std::to_string(P)).c_str()));
    }
    Header += ") -> " + std::string(Types[S.Ret].Name) + " {\n";

    startBlock(newBlock());
    // Two locals of every type, each set here so no read sees an unset one.
    for (int T = 0; T < NumTypes; ++T)
      for (int N = 0; N < 2; ++N) {
        int Id = newLocal(T);
        ByType[T].push_back(Id);
        emit(l(Id) + " = " + constOf(T));
      }
    // The function's array, a pointer into it, and a pointer to its first
    // element (for Offset).
    static const int ElemTypes[] = {0, 1, 3, 5, 6, 7, 8};
    ArrayElem = ElemTypes[pick(7)];
    ArrayLen = 1 + int(pick(8));
    std::string Elem = Types[ArrayElem].Name;
    std::string ArrTy = "[" + Elem + "; " + std::to_string(ArrayLen) + "]";
    ArrayPtr = NextLocal++;
    Decls +=
        "  let _" + std::to_string(ArrayPtr) + ": *mut " + ArrTy + " temp\n";
    ElemPtr = NextLocal++;
    Decls += "  let _" + std::to_string(ElemPtr) + ": *mut " + Elem + " temp\n";
    FirstPtr = NextLocal++;
    Decls +=
        "  let _" + std::to_string(FirstPtr) + ": *mut " + Elem + " temp\n";
    emit(l(ArrayPtr) + " = alloc " + ArrTy);
    emit(l(FirstPtr) + " = gep copy " + l(ArrayPtr) +
         ", const i64 0, const i64 0");
    emit(l(ElemPtr) + " = copy " + l(FirstPtr));

    statements(4 + int(pick(10)), 0);
    // main returns a digest of some locals, others a value of their type.
    if (K == 0) {
      int Acc = localOf(I64);
      for (int N = 0; N < 3; ++N) {
        int T = int(pick(NumTypes));
        if (Types[T].C == Cat::Float)
          continue;
        int V = localOf(I64);
        emit(l(V) + " = cast " + operand(T) + " to i64");
        emit(l(Acc) + " = binop bitxor copy " + l(Acc) + ", copy " + l(V));
      }
      emit("return copy " + l(Acc));
    } else {
      emit("return " + operand(S.Ret));
    }
    return Header + Decls + Code + "}\n\n";
  }

  std::mt19937_64 R;
  std::vector<FnSig> Sigs;
  int CurFn = 0;
  std::string Decls, Code;
  int NextLocal = 0, NextBlock = 0;
  std::vector<int> ByType[NumTypes];
  int ArrayElem = 0, ArrayLen = 1, ArrayPtr = 0, ElemPtr = 0, FirstPtr = 0;
};

uint64_t envOr(const char *Name, uint64_t Default) {
  const char *V = std::getenv(Name);
  return V ? std::strtoull(V, nullptr, 10) : Default;
}

TEST(RandomPrograms, InterpreterAndJITAgree) {
  std::vector<uint64_t> Seeds;
  if (const char *One = std::getenv("SPL_JIT_FUZZ_SEED"))
    Seeds.push_back(std::strtoull(One, nullptr, 10));
  else
    for (uint64_t S = 1, N = envOr("SPL_JIT_FUZZ_COUNT", 1000); S <= N; ++S)
      Seeds.push_back(S);

  unsigned Failures = 0, Trapped = 0;
  for (uint64_t Seed : Seeds) {
    std::string Text = Generator(Seed).module();
    mir::Module M = parse(Text);
    if (M.Functions.empty()) {
      ADD_FAILURE() << "seed " << Seed << " generated a bad program:\n" << Text;
      return;
    }
    Backend B{int(Seed % 3)};
    Outcome Want = run(Interp, M);
    Outcome Got = run(B, M);
    if (Want.Result.rfind("error: ", 0) == 0)
      ++Trapped;
    if (std::getenv("SPL_JIT_FUZZ_SHOW"))
      std::cerr << "seed " << Seed << ":\n"
                << Text << "interpreter: " << Want << "\n"
                << B.name() << ": " << Got << "\n";
    if (Got == Want)
      continue;
    ADD_FAILURE() << "seed " << Seed << " on " << B.name()
                  << " (replay: SPL_JIT_FUZZ_SEED=" << Seed << ")\n"
                  << "interpreter: " << Want << "\njit: " << Got
                  << "\nprogram:\n"
                  << Text;
    if (++Failures == 3)
      return;
  }
  // The generator must exercise both paths, not only traps.
  if (Seeds.size() > 50) {
    EXPECT_LT(Trapped, Seeds.size() / 2);
    EXPECT_GT(Trapped, 0u);
  }
}

} // namespace
