//===- mir/MIR.h - The in-memory model of Simple's MIR ----------*- C++ -*-===//
//
// The face header of mir/: the model every front end (JSON reader, text
// parser) produces and every consumer (verifier, printers, interpreter, JIT)
// reads. It mirrors ../shared/MIR.md one to one; the opcode tables below are
// the single list of what exists, so parser, printer, verifier and both
// backends stay in step (add a row, and every switch that misses it warns).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_MIR_H
#define SPL_MIR_MIR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spl::mir {

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

// X(Enumerator, JSON and text spelling). Scalars first; keep that order:
// Type::isScalar relies on it.
#define SPL_MIR_SCALAR_TYPES(X)                                                \
  X(I8, "I8")                                                                  \
  X(I16, "I16")                                                                \
  X(I32, "I32")                                                                \
  X(I64, "I64")                                                                \
  X(U8, "U8")                                                                  \
  X(U16, "U16")                                                                \
  X(U32, "U32")                                                                \
  X(U64, "U64")                                                                \
  X(F32, "F32")                                                                \
  X(F64, "F64")                                                                \
  X(Bool, "Bool")                                                              \
  X(Char, "Char")                                                              \
  X(Unit, "Unit")                                                              \
  X(Never, "Never")

enum class TypeKind : uint8_t {
#define X(E, S) E,
  SPL_MIR_SCALAR_TYPES(X)
#undef X
  Ptr,     // {"Ptr": {...}} and {"Ref": {...}} (IsRef keeps the spelling)
  Array,   // {"Array": {"element": T, "size": n}}
  FuncPtr, // {"FuncPtr": SIGNATURE}
  Tuple,   // {"Tuple": [T...]}
  Struct,  // {"Struct": symbol}
  Opaque,  // {"Opaque": "name"}
};

struct Signature;

/// A MIR type. A small value type: compound types hold their parts through
/// shared_ptr to immutable children, so copies are cheap and safe.
struct Type {
  TypeKind Kind = TypeKind::Unit;
  bool Mutable = false;               // Ptr
  bool IsRef = false;                 // Ptr spelled "Ref" (same semantics)
  std::shared_ptr<const Type> Elem;   // Ptr pointee, Array element
  uint64_t Count = 0;                 // Array size
  std::shared_ptr<const Signature> Sig; // FuncPtr
  std::vector<Type> Members;          // Tuple
  int64_t StructId = 0;               // Struct
  std::string OpaqueName;             // Opaque

  Type() = default;
  /*implicit*/ Type(TypeKind K) : Kind(K) {}
  static Type ptr(Type Pointee, bool Mutable = true, bool IsRef = false);
  static Type array(Type Element, uint64_t N);
  static Type funcPtr(Signature S);

  bool isSignedInt() const;   // I8..I64
  bool isUnsignedInt() const; // U8..U64, Char
  bool isInteger() const { return isSignedInt() || isUnsignedInt(); }
  bool isFloat() const { return Kind == TypeKind::F32 || Kind == TypeKind::F64; }
  bool isPointer() const { return Kind == TypeKind::Ptr; }
  bool isFuncPtr() const { return Kind == TypeKind::FuncPtr; }
  bool isVoid() const { return Kind == TypeKind::Unit || Kind == TypeKind::Never; }
  /// A value that fits a 64-bit register slot: integers, floats, Bool, Char,
  /// pointers and function pointers.
  bool isScalar() const;
  /// Bits in a register: Bool 1, Char 32, pointers 64; 0 for non-scalars.
  unsigned bitWidth() const;
  /// Bytes in memory (Bool 1, Array n*elem); 0 for Unit/Never/FuncPtr-less.
  /// Tuple/Struct/Opaque have no layout yet: 0.
  uint64_t storeSize() const;
  uint64_t alignment() const;
  /// Has a memory layout (scalars, arrays of such).
  bool hasLayout() const;
  const Type &pointee() const { return *Elem; }

  /// Structural equality, including the Ptr/Ref spelling and mutability
  /// (the round-trip tests need exact equality).
  bool operator==(const Type &O) const;
  bool operator!=(const Type &O) const { return !(*this == O); }
  /// Same value representation: equal, or both pointers (any pointee,
  /// Ptr or Ref, mutable or not), or both function pointers.
  bool compatible(const Type &O) const;

  /// The text-form spelling: i64, u8, f64, bool, char, unit, never,
  /// *T, *mut T, &T, &mut T, [T; n], fn(T, ...) -> R, (T, ...), struct#N,
  /// opaque "name". A unit result is left out: fn(i64). See docs/MIR-TEXT.md.
  std::string str() const;
};

llvm::StringRef scalarTypeName(TypeKind K); // "I64", ...

struct Signature {
  std::vector<Type> Params;
  Type Ret = TypeKind::Unit;
  bool Variadic = false;
  bool operator==(const Signature &O) const;
  bool operator!=(const Signature &O) const { return !(*this == O); }
  std::string str() const; // fn(i64, f64) -> i64
};

//===----------------------------------------------------------------------===//
// Constants and operands
//===----------------------------------------------------------------------===//

/// A constant as the reader normalised it: the type decides the kind
/// (`2` typed F64 is Float 2.0; a string typed FuncPtr names a function, an
/// integer typed FuncPtr names one by symbol id).
struct Constant {
  enum class Kind : uint8_t {
    Int,   // Bits holds the value, two's complement, truncated to the type
           // and kept in register-slot form (docs/SEMANTICS.md "Values"):
           // sign-extended for I8..I64, zero-extended for U8..U64 and Char
    Float, // F holds the value (F32 constants are rounded to float)
    Bool,  // Bits is 0 or 1
    Str,   // S holds the bytes; a Ptr type: pointer to static NUL-terminated
           // bytes; a FuncPtr type: the name of a function
    Zero,  // "Zero": the all-zero value of the type
  };
  Kind K = Kind::Zero;
  uint64_t Bits = 0;
  double F = 0;
  std::string S;
  Type Ty;

  static Constant integer(Type T, uint64_t Bits);
  static Constant floating(Type T, double V);
  static Constant boolean(bool V);
  static Constant string(std::string S, Type T);
  static Constant zero(Type T);
  static Constant function(std::string Name, Signature Sig);

  bool isFunctionRef() const { return Ty.isFuncPtr() && (K == Kind::Str || K == Kind::Int); }
  bool operator==(const Constant &O) const;
};

using LocalId = uint32_t;
using BlockId = uint32_t;

struct Operand {
  enum class Kind : uint8_t { Copy, Move, Const };
  Kind K = Kind::Copy;
  LocalId Local = 0; // Copy, Move
  Constant C;        // Const

  static Operand copy(LocalId L) { Operand O; O.K = Kind::Copy; O.Local = L; return O; }
  static Operand move(LocalId L) { Operand O; O.K = Kind::Move; O.Local = L; return O; }
  static Operand constant(Constant C) { Operand O; O.K = Kind::Const; O.C = std::move(C); return O; }
  bool isConst() const { return K == Kind::Const; }
  bool operator==(const Operand &O) const;
};

/// A position in a text (.mir) file; Line 0 = unknown (JSON input).
struct SourceLoc {
  unsigned Line = 0, Col = 0;
  bool valid() const { return Line != 0; }
  bool operator==(const SourceLoc &) const { return true; } // not identity
};

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

// X(Enumerator, JSON key, text mnemonic)
#define SPL_MIR_INSTS(X)                                                       \
  X(Const, "Const", "const")                                                   \
  X(Copy, "Copy", "copy")                                                      \
  X(Move, "Move", "move")                                                      \
  X(BinOp, "BinOp", "binop")                                                   \
  X(CheckedBinOp, "CheckedBinOp", "checked")                                   \
  X(UnaryOp, "UnaryOp", "unop")                                                \
  X(Cast, "Cast", "cast")                                                      \
  X(Bitcast, "Bitcast", "bitcast")                                             \
  X(Alloc, "Alloc", "alloc")                                                   \
  X(Load, "Load", "load")                                                      \
  X(Store, "Store", "store")                                                   \
  X(GetElementPtr, "GetElementPtr", "gep")                                     \
  X(Call, "Call", "call")                                                      \
  X(CallIndirect, "CallIndirect", "call_indirect")                             \
  X(Intrinsic, "Intrinsic", "intrinsic")                                       \
  X(Nop, "Nop", "nop")                                                         \
  X(DebugValue, "DebugValue", "debug_value")

enum class Opcode : uint8_t {
#define X(E, J, T) E,
  SPL_MIR_INSTS(X)
#undef X
};
llvm::StringRef opcodeJsonName(Opcode);
llvm::StringRef opcodeTextName(Opcode);

// X(Enumerator, spelling in JSON (text uses the lower-case form))
#define SPL_MIR_BINOPS(X)                                                      \
  X(Add) X(Sub) X(Mul) X(Div) X(Rem) X(Pow) X(BitAnd) X(BitOr) X(BitXor)       \
  X(Shl) X(Shr) X(Eq) X(Ne) X(Lt) X(Le) X(Gt) X(Ge) X(Offset)

enum class BinOpKind : uint8_t {
#define X(E) E,
  SPL_MIR_BINOPS(X)
#undef X
};
llvm::StringRef binOpName(BinOpKind); // "Add"
inline bool isComparison(BinOpKind K) {
  return K >= BinOpKind::Eq && K <= BinOpKind::Ge;
}

#define SPL_MIR_UNOPS(X) X(Neg) X(Not) X(BitNot)
enum class UnOpKind : uint8_t {
#define X(E) E,
  SPL_MIR_UNOPS(X)
#undef X
};
llvm::StringRef unOpName(UnOpKind); // "Neg"

// X(Enumerator, name, arity). Float math on F32/F64.
#define SPL_MIR_INTRINSICS(X)                                                  \
  X(Sqrt, "sqrt", 1) X(Sin, "sin", 1) X(Cos, "cos", 1) X(Tan, "tan", 1)        \
  X(Exp, "exp", 1) X(Log, "log", 1) X(Log2, "log2", 1) X(Log10, "log10", 1)    \
  X(Fabs, "fabs", 1) X(Floor, "floor", 1) X(Ceil, "ceil", 1)                   \
  X(Trunc, "trunc", 1) X(Round, "round", 1) X(Pow, "pow", 2)                   \
  X(Fmin, "fmin", 2) X(Fmax, "fmax", 2) X(Copysign, "copysign", 2)

enum class IntrinsicKind : uint8_t {
#define X(E, N, A) E,
  SPL_MIR_INTRINSICS(X)
#undef X
};
llvm::StringRef intrinsicName(IntrinsicKind);
unsigned intrinsicArity(IntrinsicKind);
std::optional<IntrinsicKind> lookupIntrinsic(llvm::StringRef Name);

/// One instruction. Which fields are used depends on Op:
///   Const           Dest, C
///   Copy, Move      Dest, Ops[0] (source)
///   BinOp, Checked  Dest, Bin, Ops[0] (left), Ops[1] (right)
///   UnaryOp         Dest, Un, Ops[0]
///   Cast, Bitcast   Dest, Ops[0], Ty (target)
///   Alloc           Dest, Ty (allocated type; Dest is a pointer to it)
///   Load            Dest, Ops[0] (ptr)
///   Store           Ops[0] (ptr), Ops[1] (value)
///   GetElementPtr   Dest, Ops[0] (base), Ops[1..] (indices)
///   Call            Dest?, Callee (a Const operand naming the function),
///                   Ops (arguments)
///   CallIndirect    Dest?, Ops[0] (function pointer), Ops[1..] (args), Sig
///   Intrinsic       Dest?, Intr, Ops (arguments)
///   Nop             -
///   DebugValue      Payload (the JSON object, kept verbatim as text)
struct Inst {
  Opcode Op = Opcode::Nop;
  std::optional<LocalId> Dest;
  BinOpKind Bin = BinOpKind::Add;
  UnOpKind Un = UnOpKind::Neg;
  IntrinsicKind Intr = IntrinsicKind::Sqrt;
  std::vector<Operand> Ops;
  Constant C;
  Type Ty;
  Operand Callee;
  Signature Sig;
  std::string Payload;
  SourceLoc Loc;

  bool operator==(const Inst &O) const;
};

//===----------------------------------------------------------------------===//
// Terminators, blocks, locals, functions, modules
//===----------------------------------------------------------------------===//

#define SPL_MIR_TERMINATORS(X)                                                 \
  X(Goto, "Goto", "goto")                                                      \
  X(Return, "Return", "return")                                                \
  X(If, "If", "if")                                                            \
  X(Switch, "Switch", "switch")                                                \
  X(Unreachable, "Unreachable", "unreachable")                                 \
  X(Abort, "Abort", "abort")

enum class TermKind : uint8_t {
  None, // the block has no terminator (an error the verifier reports)
#define X(E, J, T) E,
  SPL_MIR_TERMINATORS(X)
#undef X
};

struct SwitchCase {
  uint64_t Value = 0; // the case value as the bits of the switched type
                      // (slot form, like Constant::Bits: -1 is ~0 for I8)
  BlockId Target = 0;
  bool operator==(const SwitchCase &O) const {
    return Value == O.Value && Target == O.Target;
  }
};

///   Goto       Target
///   Return     Value? (none: return the Return-kind local, or unit)
///   If         Value (cond), Target (then), Else
///   Switch     Value, Cases, Target (default)
///   Abort      Message
struct Terminator {
  TermKind K = TermKind::None;
  std::optional<Operand> Value;
  BlockId Target = 0;
  BlockId Else = 0;
  std::vector<SwitchCase> Cases;
  std::string Message;
  SourceLoc Loc;
  bool operator==(const Terminator &O) const;
};

struct Block {
  BlockId Id = 0;
  std::optional<std::string> Label;
  std::vector<Inst> Insts;
  Terminator Term;
  SourceLoc Loc;
  bool operator==(const Block &O) const;
};

enum class LocalKind : uint8_t { Return, Arg, Var, Temp };

struct Local {
  LocalId Id = 0;
  std::optional<std::string> Name;
  Type Ty;
  LocalKind Kind = LocalKind::Temp;
  unsigned ArgIndex = 0; // LocalKind::Arg
  bool operator==(const Local &O) const;
};

struct Function {
  int64_t Symbol = 0;
  std::string Name;
  Signature Sig;
  std::vector<Local> Locals;
  std::vector<Block> Blocks;
  BlockId EntryBlock = 0;

  /// Lookups by id (ids need not be dense or ordered). Valid after
  /// reindex(), which the readers and the builder call.
  const Local *local(LocalId Id) const;
  const Block *block(BlockId Id) const;
  /// Position of a local / block in Locals / Blocks, or -1.
  int localIndex(LocalId Id) const;
  int blockIndex(BlockId Id) const;
  /// The local of kind Arg with index I, or null.
  const Local *argLocal(unsigned I) const;
  /// The Return-kind local, or null.
  const Local *returnLocal() const;
  void reindex();

  bool operator==(const Function &O) const;

private:
  std::vector<int> LocalIndex, BlockIndex; // id -> position, -1 = none
};

struct ExternDecl {
  std::string Name;
  Signature Sig;
  bool operator==(const ExternDecl &O) const {
    return Name == O.Name && Sig == O.Sig;
  }
};

struct Module {
  std::string Name;
  std::vector<ExternDecl> Externs;
  std::vector<Function> Functions;

  const Function *function(llvm::StringRef Name) const;
  const ExternDecl *externDecl(llvm::StringRef Name) const;
  bool operator==(const Module &O) const;
};

//===----------------------------------------------------------------------===//
// Front ends, printers, verifier (each in its own .cpp)
//===----------------------------------------------------------------------===//

/// Reads the compiler's JSON: a module object ({"functions": [...] or {...}}),
/// or a bare function object as the JIT path sends it (wrapped into a module
/// named after the function). Unknown fields are ignored.
llvm::Expected<Module> readJSON(llvm::StringRef Text);
/// Writes the JSON wire shape (a module object).
std::string writeJSON(const Module &M);

/// Parses the text form. Errors carry "line:col: ".
llvm::Expected<Module> parseText(llvm::StringRef Text,
                                 llvm::StringRef BufferName = "<input>");
std::string printText(const Module &M);

/// JSON or text, sniffed (first non-blank character '{' = JSON).
llvm::Expected<Module> readModule(llvm::StringRef Text,
                                  llvm::StringRef BufferName = "<input>");
bool looksLikeJSON(llvm::StringRef Text);

/// Checks a module on its own. Calls to functions the module does not define
/// are checked against the call's own FuncPtr type only (the callee may
/// arrive later). Errors name function, block and instruction index.
llvm::Error verify(const Module &M);

//===----------------------------------------------------------------------===//
// Runtime errors: one text for every backend
//===----------------------------------------------------------------------===//

// X(Enumerator, message). The full text of a trap is
//   "runtime error in `FUNCTION`: MESSAGE"
// (Abort appends ": <its message>"; StackOverflow appends the limit;
// UndefinedFunction's message names the callee), built by trapMessage only, so
// the interpreter and JIT code cannot drift apart.
#define SPL_MIR_TRAPS(X)                                                       \
  X(DivByZero, "attempt to divide by zero")                                    \
  X(RemByZero, "attempt to calculate the remainder with a divisor of zero")    \
  X(DivOverflow, "attempt to divide with overflow")                            \
  X(RemOverflow, "attempt to calculate the remainder with overflow")           \
  X(AddOverflow, "attempt to add with overflow")                               \
  X(SubOverflow, "attempt to subtract with overflow")                          \
  X(MulOverflow, "attempt to multiply with overflow")                          \
  X(ShlOverflow, "attempt to shift left with overflow")                        \
  X(ShrOverflow, "attempt to shift right with overflow")                       \
  X(NegativePow, "attempt to raise an integer to a negative power")            \
  X(Unreachable, "entered unreachable code")                                   \
  X(Abort, "aborted")                                                          \
  X(StackOverflow, "stack overflow")                                           \
  X(UndefinedFunction, "function is not defined")                              \
  X(BadFunctionPointer, "call through an invalid function pointer")

enum class TrapKind : uint8_t {
#define X(E, M) E,
  SPL_MIR_TRAPS(X)
#undef X
};

/// "runtime error in `Fn`: <message>". Detail is the Abort message, the
/// undefined callee's name, or the stack-overflow limit, as the kind needs.
std::string trapMessage(TrapKind K, llvm::StringRef Fn,
                        llvm::StringRef Detail = "");

/// The default limit on nested calls before StackOverflow.
constexpr unsigned DefaultMaxCallDepth = 10000;

} // namespace spl::mir

#endif // SPL_MIR_MIR_H
