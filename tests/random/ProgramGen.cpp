//===- tests/random/ProgramGen.cpp - Seeded random MIR of the v2 forms ----===//
//
// How the generator keeps every program deterministic and terminating:
// - Every local is written in the entry block before any other statement
//   (tuple locals by an Aggregate whose nested fields are tuples made before
//   it), so no read sees an unset local and no GetField sees a null base.
// - A tuple field has a class fixed by its shape: an integer-class field
//   (i8..u64, bool, char) takes an operand of any integer-class type and is
//   read into an integer-class local (any, for a struct; for a tuple type the
//   verifier wants an integer for an integer field, else the field's type),
//   which is exactly the word encoding and narrowing of MIR.md; a float field
//   is only written and read as its own float type (reading float bits as an
//   integer would expose the sign of a NaN, which constant folding and the
//   hardware choose differently); pointer fields hold global-cell or
//   string-literal pointers only, never the address of a function's Alloc, so a
//   returned tuple never dangles; a nested field holds a tuple of a
//   lower-numbered shape, so no tuple contains itself.
// - Floats are printed behind a NaN test ("nan" for any NaN), and never
//   through fmin/fmax (the sign of a zero result is not pinned down).
// - A type tag decides what its payload is (an integer, a bool, a text
//   pointer or a tuple of one shape); a handler uses a payload as a pointer
//   only under its own tag, and only re-raises a payload it caught whole.
// - Calls follow an acyclic graph (function K calls only functions after
//   it) plus one recursion bounded by its argument; every loop runs a constant
//   number of times; each function's cost (statements executed, counting its
//   callees') is bounded, so loops around calls cannot blow up.
// - Division is by a nonzero constant except now and then, and checked
//   arithmetic is rare: some programs trap, on purpose, with the same text on
//   every backend.
//
//===----------------------------------------------------------------------===//
#include "ProgramGen.h"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace spl::randomtest;

namespace {

enum Scalar : int {
  I8,
  I16,
  I32,
  I64,
  U8,
  U16,
  U32,
  U64,
  F32,
  F64,
  Bool,
  Char,
  NumScalars
};
constexpr int GPtr = NumScalars;     // *mut i64 to a global cell
constexpr int Text = NumScalars + 1; // *u8 to a string literal
constexpr int FirstShape = NumScalars + 2;

struct ScalarInfo {
  const char *Name;
  unsigned Bits;
  bool Signed;
};
const ScalarInfo Scalars[NumScalars] = {
    {"i8", 8, true},    {"i16", 16, true},  {"i32", 32, true},
    {"i64", 64, true},  {"u8", 8, false},   {"u16", 16, false},
    {"u32", 32, false}, {"u64", 64, false}, {"f32", 32, true},
    {"f64", 64, true},  {"bool", 1, false}, {"char", 32, false}};

bool isInt(int T) { return T >= I8 && T <= U64; }
bool isFloat(int T) { return T == F32 || T == F64; }
bool isIntClass(int T) { return isInt(T) || T == Bool || T == Char; }
bool isShapeTy(int T) { return T >= FirstShape; }

const int IntClass[] = {I8, I16, I32, I64, U8, U16, U32, U64, Bool, Char};
constexpr int NumIntClass = 10;

struct Shape {
  std::vector<int> Fields;
  bool IsStruct = false;
  int Sym = 0;
};

enum class Payload { Int, I8Int, Bool, Text, Tuple };
struct TagKind {
  int64_t Tag;
  Payload P;
  int ShapeTy = -1;      // for Tuple
  bool Computed = false; // 700 + (x & 3), chosen at run time
};

struct Sig {
  std::string Name;
  std::vector<int> Params;
  int Ret = I64;
};

constexpr int64_t CostBudget = 6000;

class Generator {
public:
  explicit Generator(uint64_t Seed) : R(Seed) {}

  std::string program() {
    makeShapes();
    int NumGlobals = 2 + int(pick(3));
    for (int G = 0; G < NumGlobals; ++G)
      GlobalSyms.push_back(100 + G * 7);
    makeTags();
    HasRec = chance(60);
    int NumFns = 2 + int(pick(3));
    for (int K = 0; K < NumFns; ++K) {
      Sig S;
      S.Name = K == 0 ? "main" : "f" + std::to_string(K);
      if (K > 0) {
        int NP = int(pick(4));
        for (int P = 0; P < NP; ++P)
          S.Params.push_back(anyValueTy());
        S.Ret = anyValueTy();
      }
      Sigs.push_back(S);
    }
    FnCost.assign(NumFns, 0);
    std::string Out = "module \"random\"\n\n";
    if (HasRec)
      Out += recFunction();
    // Callees first: their costs bound their callers' loops.
    for (int K = NumFns - 1; K >= 0; --K)
      Out += function(K);
    return Out;
  }

private:
  //===--- Randomness -----------------------------------------------------===//
  uint64_t pick(uint64_t N) { return N ? R() % N : 0; }
  bool chance(unsigned Percent) { return pick(100) < Percent; }
  template <typename T, size_t N> const T &oneOf(const T (&A)[N]) {
    return A[pick(N)];
  }

  //===--- Types ----------------------------------------------------------===//
  int numTys() const { return FirstShape + int(Shapes.size()); }

  std::string tyName(int T) const {
    if (T < NumScalars)
      return Scalars[T].Name;
    if (T == GPtr)
      return "*mut i64";
    if (T == Text)
      return "*u8";
    const Shape &S = Shapes[T - FirstShape];
    if (S.IsStruct)
      return "struct#" + std::to_string(S.Sym);
    std::string N = "(";
    for (size_t F = 0; F < S.Fields.size(); ++F)
      N += (F ? ", " : "") + tyName(S.Fields[F]);
    return N + ")";
  }

  void makeShapes() {
    int N = 2 + int(pick(3));
    for (int S = 0; S < N; ++S) {
      Shape Sh;
      Sh.IsStruct = chance(35);
      Sh.Sym = 40 + S;
      int NF = 1 + int(pick(5));
      for (int F = 0; F < NF; ++F) {
        unsigned Roll = unsigned(pick(100));
        if (Roll < 50)
          Sh.Fields.push_back(oneOf(IntClass));
        else if (Roll < 62)
          Sh.Fields.push_back(pick(2) ? F32 : F64);
        else if (Roll < 72)
          Sh.Fields.push_back(GPtr);
        else if (Roll < 80)
          Sh.Fields.push_back(Text);
        else if (S > 0)
          Sh.Fields.push_back(FirstShape + int(pick(S)));
        else
          Sh.Fields.push_back(I64);
      }
      Shapes.push_back(Sh);
    }
  }

  void makeTags() {
    Tags.push_back({100129, Payload::Int});   // i64
    Tags.push_back({100017, Payload::I8Int}); // i8
    Tags.push_back({300001, Payload::Bool});
    Tags.push_back({300003, Payload::Text});
    for (int K = 0; K < 4; ++K)
      Tags.push_back({700 + K, Payload::Int, -1, true});
    for (size_t S = 0; S < Shapes.size(); ++S)
      if (chance(60))
        Tags.push_back(
            {1000000000 + Shapes[S].Sym, Payload::Tuple, FirstShape + int(S)});
  }

  /// A parameter or return type: scalars, pointers and tuples.
  int anyValueTy() {
    unsigned Roll = unsigned(pick(100));
    if (Roll < 55)
      return int(pick(NumScalars));
    if (Roll < 62)
      return GPtr;
    if (Roll < 67)
      return Text;
    return FirstShape + int(pick(Shapes.size()));
  }

  std::string sigText(const Sig &S) const {
    std::string T = "fn(";
    for (size_t P = 0; P < S.Params.size(); ++P)
      T += (P ? ", " : "") + tyName(S.Params[P]);
    return T + ") -> " + tyName(S.Ret);
  }

  //===--- Constants and operands
  //-------------------------------------------===//
  std::string intConst(int T) {
    const ScalarInfo &TI = Scalars[T];
    static const int64_t Small[] = {0, 1, -1, 2, 3, 7, -8, 10, 100, -100};
    uint64_t Mask = TI.Bits == 64 ? ~0ull : (1ull << TI.Bits) - 1;
    uint64_t Bits;
    switch (pick(4)) {
    case 0:
    case 1:
      Bits = uint64_t(oneOf(Small));
      break;
    case 2:
      Bits = pick(2) ? (TI.Signed ? Mask >> 1 : Mask)
                     : (TI.Signed ? ~(Mask >> 1) : 0);
      break;
    default:
      Bits = R() >> pick(64);
      if (chance(50))
        Bits = -Bits;
      break;
    }
    Bits &= Mask;
    if (TI.Signed && TI.Bits < 64 && (Bits >> (TI.Bits - 1)) & 1)
      Bits |= ~Mask;
    return TI.Signed ? std::to_string(int64_t(Bits)) : std::to_string(Bits);
  }

  std::string floatConst() {
    static const char *Special[] = {"0.0",  "1.0",   "-1.0", "0.5",
                                    "2.5",  "-0.25", "1e10", "3.0",
                                    "1e-3", "100.0", "-0.0", "7.75"};
    if (chance(60))
      return oneOf(Special);
    // Some decimal in +-10^6 (every backend reads it with the same parser).
    int64_t Num = int64_t(pick(2000001)) - 1000000;
    return std::to_string(Num) + "e-" + std::to_string(pick(4));
  }

  std::string textConst() {
    static const char *Words[] = {"alpha", "beta", "gamma", "delta",
                                  "eps",   "zeta", "eta",   "theta"};
    return "const *u8 \"" + std::string(oneOf(Words)) + "\"";
  }

  std::string constOf(int T) {
    if (T == Text)
      return textConst();
    std::string V;
    if (isInt(T))
      V = intConst(T);
    else if (isFloat(T))
      V = floatConst();
    else if (T == Bool)
      V = pick(2) ? "true" : "false";
    else { // Char: mostly valid code points, sometimes any u32
      static const uint32_t Chars[] = {65, 97,     955,      0x1F600,
                                       0,  0xD800, 0x10FFFF, 0x110000};
      V = chance(70) ? std::to_string(oneOf(Chars))
                     : std::to_string(uint32_t(R()));
    }
    return "const " + tyName(T) + " " + V;
  }

  int localOf(int T) {
    const std::vector<int> &L = ByType[T];
    return L[pick(L.size())];
  }

  /// An operand of type T: a local of that type or (scalars, text) a constant.
  std::string op(int T) {
    if (T == GPtr || isShapeTy(T) || chance(65))
      return (T < NumScalars && chance(10) ? "move " : "copy ") + l(localOf(T));
    return constOf(T);
  }

  /// An operand to store into a field of type F.
  std::string fieldOperand(int F) {
    if (isIntClass(F))
      return op(oneOf(IntClass)); // any integer-class type: mixed encodings
    return op(F);
  }

  //===--- Emission
  //---------------------------------------------------------===//
  // (snprintf, not "_" + std::to_string: GCC 12 warns falsely on that.)
  static std::string prefixed(const char *P, int N) {
    char Buf[32];
    std::snprintf(Buf, sizeof Buf, "%s%d", P, N);
    return Buf;
  }
  std::string l(int Id) const { return prefixed("_", Id); }
  std::string bb(int B) const { return prefixed("bb", B); }
  int newBlock() { return NextBlock++; }
  void startBlock(int B) { Code += bb(B) + ":\n"; }
  void emit(const std::string &Line) {
    Code += "  " + Line + "\n";
    Cost += Mult;
  }
  int newLocal(int T, const std::string &Kind = "temp") {
    int Id = NextLocal++;
    Decls += "  let " + l(Id) + ": " + tyName(T) + " " + Kind + "\n";
    return Id;
  }

  void println(const std::string &Fn, const std::string &Arg,
               const std::string &Ty) {
    emit("call @" + Fn + "(" + Arg + ") : fn(" + Ty + ")");
  }
  void printI64(const std::string &Arg) {
    println("rt_println_i64", Arg, "i64");
  }
  void printText(const std::string &Arg) { println("rt_println", Arg, "*u8"); }

  /// Prints an integer-class operand of type T (as i64, bool or char).
  void printIntClass(int T, const std::string &Operand) {
    if (T == Bool)
      return println("rt_println_bool", Operand, "bool");
    if (T == Char && chance(50))
      return println("rt_println_char", Operand, "char");
    emit(l(Tmp64) + " = cast " + Operand + " to i64");
    printI64("copy " + l(Tmp64));
  }

  /// Prints a float operand, or "nan" for any NaN (its sign is not pinned).
  void printFloat(const std::string &Operand) {
    emit(l(TmpF64) + " = cast " + Operand + " to f64");
    emit(l(TmpBool) + " = binop ne copy " + l(TmpF64) + ", copy " + l(TmpF64));
    int Nan = newBlock(), Num = newBlock(), Join = newBlock();
    emit("if copy " + l(TmpBool) + " then " + bb(Nan) + " else " + bb(Num));
    startBlock(Nan);
    printText("const *u8 \"nan\"");
    emit("goto " + bb(Join));
    startBlock(Num);
    println("rt_println_f64", "copy " + l(TmpF64), "f64");
    emit("goto " + bb(Join));
    startBlock(Join);
  }

  //===--- Statements
  //-------------------------------------------------------===//
  void arith() {
    int T = pick(5) ? oneOf(IntClass) : (pick(2) ? F32 : F64);
    if (T == Char)
      T = I64; // no arithmetic on char
    int D = localOf(T);
    if (T == Bool) {
      static const char *Ops[] = {"bitand", "bitor", "bitxor"};
      if (chance(25))
        emit(l(D) + " = unop not " + op(T));
      else
        emit(l(D) + " = binop " + oneOf(Ops) + " " + op(T) + ", " + op(T));
      return;
    }
    if (isFloat(T)) {
      static const char *Ops[] = {"add", "sub", "mul", "div"};
      static const char *Intr[] = {"sqrt", "floor", "ceil", "trunc", "fabs"};
      switch (pick(4)) {
      case 0:
        emit(l(D) + " = intrinsic " + oneOf(Intr) + "(" + op(T) + ")");
        return;
      case 1:
        emit(l(D) + " = unop neg " + op(T));
        return;
      default:
        emit(l(D) + " = binop " + oneOf(Ops) + " " + op(T) + ", " + op(T));
        return;
      }
    }
    const ScalarInfo &TI = Scalars[T];
    switch (pick(20)) {
    case 0: {
      // Checked arithmetic on a small constant: traps now and then.
      static const char *Ops[] = {"add", "sub", "mul"};
      emit(l(D) + " = checked " + oneOf(Ops) + " " + op(T) + ", const " +
           TI.Name + " " + std::to_string(pick(3)));
      return;
    }
    case 1:
    case 2: {
      std::string B = chance(8) ? op(T)
                                : "const " + std::string(TI.Name) + " " +
                                      std::to_string(1 + pick(9));
      emit(l(D) + " = binop " + (pick(2) ? "div " : "rem ") + op(T) + ", " + B);
      return;
    }
    case 3:
      emit(l(D) + " = binop " + (pick(2) ? "shl " : "shr ") + op(T) +
           ", const " + TI.Name + " " + std::to_string(pick(TI.Bits)));
      return;
    case 4:
      emit(l(D) + " = unop " + (pick(2) ? "neg " : "bitnot ") + op(T));
      return;
    default: {
      static const char *Ops[] = {"add",    "sub",   "mul",
                                  "bitand", "bitor", "bitxor"};
      emit(l(D) + " = binop " + oneOf(Ops) + " " + op(T) + ", " + op(T));
      return;
    }
    }
  }

  void cast() {
    int From = int(pick(NumScalars)), To = int(pick(NumScalars));
    bool FromNoFloat = From == Bool || From == Char;
    bool ToNoFloat = To == Bool || To == Char;
    if ((FromNoFloat && isFloat(To)) || (ToNoFloat && isFloat(From)))
      return arith();
    emit(l(localOf(To)) + " = cast " + op(From) + " to " + tyName(To));
  }

  void compare() {
    static const char *Ops[] = {"eq", "ne", "lt", "le", "gt", "ge"};
    int T = int(pick(NumScalars));
    if (T == Char)
      T = U32;
    emit(l(localOf(Bool)) + " = binop " + oneOf(Ops) + " " + op(T) + ", " +
         op(T));
  }

  void print() {
    switch (pick(7)) {
    case 6: { // an extern through an invoke: it returns, the unwind is dead
      int Normal = newBlock(), Unwind = newBlock();
      emit("invoke @rt_println_i64(" + op(I64) + ") : fn(i64) normal " +
           bb(Normal) + " unwind " + bb(Unwind));
      startBlock(Unwind);
      printText("const *u8 \"not reached\"");
      emit("goto " + bb(Normal));
      startBlock(Normal);
      return;
    }
    case 0:
    case 1: {
      int T = oneOf(IntClass);
      return printIntClass(T, op(T));
    }
    case 2:
      return printFloat(op(pick(2) ? F32 : F64));
    case 3:
      return printText(op(Text));
    default: { // a global cell through a pointer
      emit(l(Tmp64) + " = load copy " + l(localOf(GPtr)));
      printI64("copy " + l(Tmp64));
      return;
    }
    }
  }

  int pickShape() { return FirstShape + int(pick(Shapes.size())); }

  std::string aggregateOf(int S) {
    const Shape &Sh = Shapes[S - FirstShape];
    std::string A = std::string("aggregate ") +
                    (Sh.IsStruct ? "struct#" + std::to_string(Sh.Sym)
                                 : std::string("tuple")) +
                    " (";
    for (size_t F = 0; F < Sh.Fields.size(); ++F)
      A += (F ? ", " : "") + fieldOperand(Sh.Fields[F]);
    return A + ")";
  }

  /// A type to read field F of Sh into. A struct's fields are untyped: any
  /// integer-class type reads an integer-class field. A tuple type names its
  /// fields, and the verifier holds a read to them (integers among each
  /// other, bool and char only as themselves).
  int readTy(const Shape &Sh, size_t F) {
    int FT = Sh.Fields[F];
    if (!isIntClass(FT) || (!Sh.IsStruct && !isInt(FT)))
      return FT;
    if (Sh.IsStruct)
      return oneOf(IntClass);
    static const int Ints[] = {I8, I16, I32, I64, U8, U16, U32, U64};
    return oneOf(Ints);
  }

  void aggregate() {
    int S = pickShape();
    emit(l(localOf(S)) + " = " + aggregateOf(S));
  }

  void getField() {
    int S = pickShape();
    const Shape &Sh = Shapes[S - FirstShape];
    int F = int(pick(Sh.Fields.size()));
    int DT = readTy(Sh, F);
    int D = localOf(DT);
    emit(l(D) + " = get_field copy " + l(localOf(S)) + ", " +
         std::to_string(F));
    if (chance(40)) {
      if (isIntClass(DT))
        printIntClass(DT, "copy " + l(D));
      else if (isFloat(DT))
        printFloat("copy " + l(D));
      else if (DT == Text)
        printText("copy " + l(D));
    }
  }

  void setField() {
    int S = pickShape();
    const Shape &Sh = Shapes[S - FirstShape];
    int F = int(pick(Sh.Fields.size()));
    emit("set_field copy " + l(localOf(S)) + ", " + std::to_string(F) + ", " +
         fieldOperand(Sh.Fields[F]));
  }

  void globalOp() {
    int P = localOf(GPtr);
    switch (pick(4)) {
    case 0:
      emit(l(P) + " = global_addr #" +
           std::to_string(GlobalSyms[pick(GlobalSyms.size())]) + " mut");
      return;
    case 1:
      emit(l(localOf(I64)) + " = load copy " + l(P));
      return;
    case 2:
      emit("store copy " + l(P) + ", " + op(I64));
      return;
    default: { // a counter: cell += k
      int V = localOf(I64);
      emit(l(V) + " = load copy " + l(P));
      emit(l(V) + " = binop add copy " + l(V) + ", const i64 " +
           std::to_string(1 + pick(5)));
      emit("store copy " + l(P) + ", copy " + l(V));
      return;
    }
    }
  }

  /// A callee after the current function whose cost fits the budget here.
  int pickCallee() {
    int N = int(Sigs.size());
    if (CurFn + 1 >= N)
      return -1;
    int C = CurFn + 1 + int(pick(N - CurFn - 1));
    if (Cost + Mult * (FnCost[C] + 1) > CostBudget)
      return -1;
    return C;
  }

  std::string callText(int C) {
    const Sig &S = Sigs[C];
    std::string A = "@" + S.Name + "(";
    for (size_t P = 0; P < S.Params.size(); ++P)
      A += (P ? ", " : "") + op(S.Params[P]);
    return A + ") : " + sigText(S);
  }

  void call() {
    int C = pickCallee();
    if (C < 0)
      return arith();
    emit(l(localOf(Sigs[C].Ret)) + " = call " + callText(C));
    Cost += Mult * FnCost[C];
  }

  /// An invoke without an unwind block: a raise passes through it.
  void invokePassing() {
    int C = pickCallee();
    if (C < 0)
      return arith();
    int Normal = newBlock();
    emit(l(localOf(Sigs[C].Ret)) + " = invoke " + callText(C) + " normal " +
         bb(Normal));
    Cost += Mult * FnCost[C];
    startBlock(Normal);
  }

  /// Payload handling under one tag, the payload caught in local P of type
  /// PT (Whole: PT holds the whole word).
  void handleCase(const TagKind &TK, int P, int PT, bool Whole) {
    switch (TK.P) {
    case Payload::Int:
    case Payload::I8Int:
    case Payload::Bool:
      printIntClass(PT, "copy " + l(P));
      emit(
          l(Acc) + " = binop bitxor copy " + l(Acc) + ", " +
          (PT == I64 ? "copy " + l(P) : "const i64 " + std::to_string(TK.Tag)));
      return;
    case Payload::Text:
      if (!Whole)
        return printI64("const i64 " + std::to_string(TK.Tag));
      emit(l(TmpText) + " = cast copy " + l(P) + " to *u8");
      printText("copy " + l(TmpText));
      return;
    case Payload::Tuple: {
      if (!Whole)
        return printI64("const i64 " + std::to_string(TK.Tag));
      int T = newLocal(TK.ShapeTy);
      emit(l(T) + " = cast copy " + l(P) + " to " + tyName(TK.ShapeTy));
      const Shape &Sh = Shapes[TK.ShapeTy - FirstShape];
      for (size_t F = 0; F < Sh.Fields.size(); ++F)
        if (isInt(Sh.Fields[F]) || (Sh.IsStruct && isIntClass(Sh.Fields[F]))) {
          emit(l(Tmp64) + " = get_field copy " + l(T) + ", " +
               std::to_string(F));
          printI64("copy " + l(Tmp64));
          return;
        }
      printI64("const i64 " + std::to_string(TK.Tag));
      return;
    }
    }
  }

  /// A try/catch: invoke with an unwind block, then dispatch on the tag.
  void invokeCatching(const std::string &CallText, int Dest,
                      int64_t CalleeCost) {
    int Normal = newBlock(), Unwind = newBlock(), Join = newBlock();
    unsigned Form = unsigned(pick(10)); // 0: neither dest, 1: tag only
    static const int NarrowPayload[] = {I32, U16, I8, U64, Char};
    int PT = chance(70) ? I64 : oneOf(NarrowPayload);
    bool Whole = PT == I64 || PT == U64;
    int P = Form >= 2 ? newLocal(PT) : -1;
    int T = Form >= 1 ? newLocal(I64) : -1;
    std::string Inv = l(Dest) + " = invoke " + CallText + " normal " +
                      bb(Normal) + " unwind " + bb(Unwind);
    if (P >= 0)
      Inv += " payload " + l(P);
    if (T >= 0)
      Inv += " tag " + l(T);
    emit(Inv);
    Cost += Mult * CalleeCost;

    startBlock(Unwind);
    if (T < 0) {
      printText("const *u8 \"caught\"");
      emit("goto " + bb(Join));
    } else {
      if (chance(50))
        printI64("copy " + l(T));
      std::vector<TagKind> Cases;
      int NCases = P >= 0 ? 1 + int(pick(3)) : 0;
      for (int K = 0; K < NCases; ++K) {
        const TagKind &TK = Tags[pick(Tags.size())];
        bool Dup = false;
        for (const TagKind &C : Cases)
          Dup |= C.Tag == TK.Tag;
        if (!Dup)
          Cases.push_back(TK);
      }
      std::vector<int> CaseBlocks;
      int Other = newBlock();
      std::string Sw = "switch copy " + l(T) + " [";
      for (const TagKind &TK : Cases) {
        CaseBlocks.push_back(newBlock());
        Sw += std::to_string(TK.Tag) + ": " + bb(CaseBlocks.back()) + ", ";
      }
      emit(Sw + "otherwise: " + bb(Other) + "]");
      for (size_t K = 0; K < Cases.size(); ++K) {
        startBlock(CaseBlocks[K]);
        handleCase(Cases[K], P, PT, Whole);
        emit("goto " + bb(Join));
      }
      startBlock(Other);
      if (P >= 0 && Whole && chance(25)) {
        emit("resume copy " + l(P) + ", copy " + l(T));
      } else {
        printText("const *u8 \"other\"");
        emit(l(Acc) + " = binop add copy " + l(Acc) + ", copy " + l(T));
        emit("goto " + bb(Join));
      }
    }
    startBlock(Normal);
    if (chance(30))
      printText("const *u8 \"normal\"");
    emit("goto " + bb(Join));
    startBlock(Join);
  }

  void tryCall() {
    int C = pickCallee();
    if (C < 0)
      return arith();
    invokeCatching(callText(C), localOf(Sigs[C].Ret), FnCost[C]);
  }

  /// rec(n, k) raises at depth n and may catch at level k.
  void recCall() {
    if (!HasRec || Cost + Mult * 200 > CostBudget)
      return arith();
    int N = newLocal(I64);
    emit(l(N) + " = cast " + op(oneOf(IntClass)) + " to i64");
    emit(l(N) + " = binop bitand copy " + l(N) + ", const i64 3");
    emit(l(N) + " = binop add copy " + l(N) + ", const i64 " +
         std::to_string(pick(3)));
    std::string CallText = "@rec(copy " + l(N) + ", const i64 " +
                           std::to_string(pick(6)) + ") : fn(i64, i64) -> i64";
    if (chance(90))
      invokeCatching(CallText, localOf(I64), 200);
    else
      emit(l(localOf(I64)) + " = call " + CallText);
  }

  /// Raises under a run-time condition (about one time in eight).
  void throwMaybe() {
    int X = localOf(oneOf(IntClass));
    int C = newLocal(Bool), Y = newLocal(I64);
    emit(l(Y) + " = cast copy " + l(X) + " to i64");
    emit(l(Y) + " = binop bitand copy " + l(Y) + ", const i64 7");
    emit(l(C) + " = binop eq copy " + l(Y) + ", const i64 " +
         std::to_string(pick(8)));
    int Raise = newBlock(), Cont = newBlock();
    emit("if copy " + l(C) + " then " + bb(Raise) + " else " + bb(Cont));
    startBlock(Raise);
    const TagKind &TK = Tags[pick(Tags.size())];
    std::string Payload, Tag = "const i64 " + std::to_string(TK.Tag);
    switch (TK.P) {
    case Payload::Int: {
      int V = newLocal(I64);
      emit(l(V) + " = binop mul copy " + l(Y) + ", " + op(I64));
      emit(l(V) + " = binop add copy " + l(V) + ", const i64 " +
           std::to_string(pick(1000)));
      Payload = "copy " + l(V);
      break;
    }
    case Payload::I8Int:
      Payload = op(I8);
      if (chance(50))
        Tag = "const u32 " + std::to_string(TK.Tag);
      break;
    case Payload::Bool:
      Payload = op(Bool);
      break;
    case Payload::Text:
      Payload = op(Text);
      break;
    case Payload::Tuple:
      Payload = "copy " + l(localOf(TK.ShapeTy));
      break;
    }
    if (TK.Computed) {
      int T = newLocal(I64);
      emit(l(T) + " = cast " + op(oneOf(IntClass)) + " to i64");
      emit(l(T) + " = binop bitand copy " + l(T) + ", const i64 3");
      emit(l(T) + " = binop add copy " + l(T) + ", const i64 700");
      Tag = "copy " + l(T);
    }
    emit("throw " + Payload + ", " + Tag);
    startBlock(Cont);
  }

  void branch(int Nesting) {
    compare();
    int Then = newBlock(), Else = newBlock(), Join = newBlock();
    emit("if copy " + l(localOf(Bool)) + " then " + bb(Then) + " else " +
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

  void switchStmt(int Nesting) {
    static const int SwTys[] = {I64, I32, U8, I8, U64};
    int T = oneOf(SwTys);
    int V = newLocal(T);
    emit(l(V) + " = binop bitand " + op(T) + ", const " + tyName(T) + " 3");
    int NCases = 1 + int(pick(3));
    std::vector<int> Blocks;
    std::string Sw = "switch copy " + l(V) + " [";
    for (int K = 0; K < NCases; ++K) {
      Blocks.push_back(newBlock());
      Sw += std::to_string(K) + ": " + bb(Blocks.back()) + ", ";
    }
    int Other = newBlock(), Join = newBlock();
    emit(Sw + "otherwise: " + bb(Other) + "]");
    Blocks.push_back(Other);
    for (int B : Blocks) {
      startBlock(B);
      statements(1 + int(pick(2)), Nesting + 1);
      emit("goto " + bb(Join));
    }
    startBlock(Join);
  }

  void loop(int Nesting) {
    // The counter is a local of its own that no other statement writes.
    int I = newLocal(I64), C = newLocal(Bool);
    int Trips = int(pick(7));
    int Head = newBlock(), Body = newBlock(), Exit = newBlock();
    emit(l(I) + " = const i64 0");
    emit("goto " + bb(Head));
    startBlock(Head);
    int64_t Outer = Mult;
    Mult *= Trips + 1;
    emit(l(C) + " = binop lt copy " + l(I) + ", const i64 " +
         std::to_string(Trips));
    emit("if copy " + l(C) + " then " + bb(Body) + " else " + bb(Exit));
    startBlock(Body);
    statements(1 + int(pick(4)), Nesting + 1);
    emit(l(I) + " = binop add copy " + l(I) + ", const i64 1");
    emit("goto " + bb(Head));
    Mult = Outer;
    startBlock(Exit);
  }

  void statements(int N, int Nesting) {
    for (int K = 0; K < N; ++K) {
      unsigned Roll = unsigned(pick(100));
      if (Roll < 14)
        arith();
      else if (Roll < 18)
        cast();
      else if (Roll < 21)
        compare();
      else if (Roll < 28)
        print();
      else if (Roll < 33)
        aggregate();
      else if (Roll < 42)
        getField();
      else if (Roll < 48)
        setField();
      else if (Roll < 55)
        globalOp();
      else if (Roll < 62)
        call();
      else if (Roll < 69)
        tryCall();
      else if (Roll < 71)
        invokePassing();
      else if (Roll < 74)
        recCall();
      else if (Roll < 78 && (CurFn > 0 || chance(3)))
        throwMaybe();
      else if (Roll < 85 && Nesting < 3)
        branch(Nesting);
      else if (Roll < 89 && Nesting < 3)
        switchStmt(Nesting);
      else if (Roll < 95 && Nesting < 2)
        loop(Nesting);
      else
        arith();
    }
  }

  //===--- Functions
  //--------------------------------------------------------===//
  void resetFunction() {
    Decls.clear();
    Code.clear();
    NextLocal = 0;
    NextBlock = 0;
    ByType.assign(numTys(), {});
    Mult = 1;
    Cost = 0;
  }

  std::string header(const Sig &S) {
    std::string H = "fn @" + S.Name + "(";
    for (size_t P = 0; P < S.Params.size(); ++P)
      H += (P ? ", " : "") + tyName(S.Params[P]);
    return H + ") -> " + tyName(S.Ret) + " {\n";
  }

  /// The entry block's initialisation of every pool local and temp.
  void initLocals() {
    for (int T = 0; T < NumScalars; ++T)
      for (int N = 0; N < 2; ++N) {
        int Id = newLocal(T);
        emit(l(Id) + " = " + constOf(T));
        ByType[T].push_back(Id);
      }
    for (int N = 0; N < 2; ++N) {
      int Id = newLocal(GPtr);
      emit(l(Id) + " = global_addr #" +
           std::to_string(GlobalSyms[pick(GlobalSyms.size())]) + " mut");
      ByType[GPtr].push_back(Id);
    }
    int TextId = newLocal(Text);
    emit(l(TextId) + " = " + textConst());
    ByType[Text].push_back(TextId);
    for (int S = FirstShape; S < numTys(); ++S)
      for (int N = 0, E = 1 + int(pick(2)); N < E; ++N) {
        int Id = newLocal(S);
        emit(l(Id) + " = " + aggregateOf(S));
        ByType[S].push_back(Id);
      }
    Tmp64 = newLocal(I64);
    TmpF64 = newLocal(F64);
    TmpBool = newLocal(Bool);
    TmpText = newLocal(Text);
    Acc = newLocal(I64);
    emit(l(Tmp64) + " = const i64 0");
    emit(l(TmpF64) + " = const f64 0.0");
    emit(l(TmpBool) + " = const bool false");
    emit(l(TmpText) + " = " + textConst());
    emit(l(Acc) + " = const i64 0");
  }

  std::string function(int K) {
    CurFn = K;
    const Sig &S = Sigs[K];
    resetFunction();
    int Ret = newLocal(S.Ret, "return");
    for (size_t P = 0; P < S.Params.size(); ++P)
      ByType[S.Params[P]].push_back(
          newLocal(S.Params[P], "arg " + std::to_string(P)));
    startBlock(newBlock());
    initLocals();
    statements(4 + int(pick(K == 0 ? 12 : 8)), 0);
    if (K > 0 && chance(50))
      printI64("copy " + l(Acc)); // what the handlers here added up
    if (K == 0) {
      // Every global cell, then a digest of some locals.
      for (int G : GlobalSyms) {
        int P = localOf(GPtr);
        emit(l(P) + " = global_addr #" + std::to_string(G) + " mut");
        emit(l(Tmp64) + " = load copy " + l(P));
        printI64("copy " + l(Tmp64));
      }
      for (int N = 0; N < 3; ++N) {
        int T = oneOf(IntClass);
        emit(l(Tmp64) + " = cast " + op(T) + " to i64");
        emit(l(Acc) + " = binop bitxor copy " + l(Acc) + ", copy " + l(Tmp64));
      }
      emit("return copy " + l(Acc));
    } else if (chance(30)) {
      emit(l(Ret) + " = copy " + op(S.Ret));
      emit("return");
    } else {
      emit("return " + op(S.Ret));
    }
    FnCost[K] = Cost;
    return header(S) + Decls + "\n" + Code + "}\n\n";
  }

  /// rec(n, k): counts its frames in a global cell; at n <= 0 raises
  /// (k * C + cell, 700 + cell % 2); the frame with n == k catches tag 700
  /// and re-raises the others; the other frames add one to what returns.
  std::string recFunction() {
    std::string G = std::to_string(GlobalSyms[pick(GlobalSyms.size())]);
    std::string C = std::to_string(1 + pick(50));
    return R"(fn @rec(i64, i64) -> i64 {
  let _0: i64 return
  let _1: i64 arg 0
  let _2: i64 arg 1
  let _3: bool temp
  let _4: i64 temp
  let _5: i64 temp
  let _6: i64 temp
  let _7: *mut i64 temp
  let _8: i64 temp

bb0:
  _7 = global_addr #)" +
           G + R"( mut
  _8 = load copy _7
  _8 = binop add copy _8, const i64 1
  store copy _7, copy _8
  _3 = binop le copy _1, const i64 0
  if copy _3 then bb1 else bb2
bb1:
  _5 = binop mul copy _2, const i64 )" +
           C + R"(
  _5 = binop add copy _5, copy _8
  _6 = binop bitand copy _8, const i64 1
  _6 = binop add copy _6, const i64 700
  throw copy _5, copy _6
bb2:
  _4 = binop sub copy _1, const i64 1
  _3 = binop eq copy _1, copy _2
  if copy _3 then bb3 else bb4
bb3:
  _0 = invoke @rec(copy _4, copy _2) : fn(i64, i64) -> i64 normal bb5 unwind bb6 payload _5 tag _6
bb4:
  _0 = call @rec(copy _4, copy _2) : fn(i64, i64) -> i64
  _0 = binop add copy _0, const i64 1
  return
bb5:
  return
bb6:
  switch copy _6 [700: bb7, otherwise: bb8]
bb7:
  _0 = binop add copy _5, copy _1
  return
bb8:
  resume copy _5, copy _6
}

)";
  }

  std::mt19937_64 R;
  std::vector<Shape> Shapes;
  std::vector<int> GlobalSyms;
  std::vector<TagKind> Tags;
  std::vector<Sig> Sigs;
  std::vector<int64_t> FnCost;
  bool HasRec = false;

  int CurFn = 0;
  std::string Decls, Code;
  int NextLocal = 0, NextBlock = 0;
  std::vector<std::vector<int>> ByType;
  int64_t Mult = 1, Cost = 0;
  int Tmp64 = 0, TmpF64 = 0, TmpBool = 0, TmpText = 0, Acc = 0;
};

} // namespace

std::string spl::randomtest::generateProgram(uint64_t Seed) {
  return Generator(Seed).program();
}
