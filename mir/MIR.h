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
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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
  Tuple,   // {"Tuple": [T...]}                   word: pointer to N words
  Struct,  // {"Struct": symbol}                  word: pointer to N words
  Opaque,  // {"Opaque": "name"}                  word: char* or string handle
  // (v2) Runtime handles: one word that only runtime functions look inside
  // (../shared/RUNTIME.md). Their parts are kept for the round trip only.
  Dict,      // {"Dict": {"key": K, "value": V}}  Members = {K, V}
  Slice,     // {"Slice": T}                      Members = {T}
  Enum,      // {"Enum": symbol}                  StructId = symbol
  Result,    // {"Result": {"ok": T, "err": E}}   Members = {T, E}
  Union,     // {"Union": [T...]}                 Members
  Promise,   // {"Promise": T}                    Members = {T}
  Generator, // {"Generator": {"yield": Y, "return": R}} Members = {Y, R}
  Actor,     // {"ActorType": M}                  Members = {M} (see reader)
};

struct Signature;
struct TypeParts;
struct ConstBox;
} // namespace spl::mir

// The parts of a compound type are defined in MIR.cpp (they hold Types and a
// Signature): counting their references is out of line, so this header needs
// only their name, and a scalar Type (no parts) costs no call at all.
template <> struct llvm::IntrusiveRefCntPtrInfo<const spl::mir::TypeParts> {
  static void retain(const spl::mir::TypeParts *P);
  static void release(const spl::mir::TypeParts *P);
};

namespace spl::mir {

/// A MIR type. A small value type: compound types hold their parts through
/// shared pointers to immutable children, so copies are cheap and safe. The
/// parts are read through accessors (elem(), sig(), members(), ...) and set
/// through the builders, so the storage can stay compact.
struct Type {
  TypeKind Kind = TypeKind::Unit;
  bool Mutable = false;               // Ptr
  bool IsRef = false;                 // Ptr spelled "Ref" (same semantics)

  Type() = default;
  /*implicit*/ Type(TypeKind K) : Kind(K) {}
  static Type ptr(Type Pointee, bool Mutable = true, bool IsRef = false);
  static Type array(Type Element, uint64_t N);
  static Type funcPtr(Signature S);
  /// Tuple, or a runtime handle with members (Dict ... Actor).
  static Type withMembers(TypeKind K, std::vector<Type> Members);
  /// Struct or Enum: the symbol id.
  static Type withSymbol(TypeKind K, int64_t Id);
  static Type opaque(std::string Name);

  /// Ptr pointee, Array element; unit for other kinds.
  const Type &elem() const;
  bool hasElem() const;
  /// Array size.
  uint64_t count() const;
  /// FuncPtr: its signature; fn() for other kinds.
  const Signature &sig() const;
  /// A FuncPtr built with its signature (Type::funcPtr).
  bool hasSig() const;
  /// Tuple and the handles' parts (see TypeKind); empty for other kinds.
  const std::vector<Type> &members() const;
  /// Struct, Enum: the symbol id.
  int64_t structId() const;
  /// Opaque: the name.
  const std::string &opaqueName() const;
  void setMembers(std::vector<Type> Ms);
  void setStructId(int64_t Id);
  void setOpaqueName(std::string Name);

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
  /// (v2) Tuple, Struct, Opaque and the runtime handles (Dict ... Actor):
  /// always one opaque 64-bit word.
  bool isHandle() const;
  /// (v2) The representation of a *value* of this type (a local, parameter,
  /// result or operand) is one 64-bit word the backends pass around as I64:
  /// isHandle(), or an Array (as a value an Array is a runtime array handle;
  /// only behind a Ptr or in Alloc is it n elements in memory).
  bool isWordValue() const { return isHandle() || Kind == TypeKind::Array; }
  const Type &pointee() const { return elem(); }

  /// Structural equality, including the Ptr/Ref spelling and mutability
  /// (the round-trip tests need exact equality).
  bool operator==(const Type &O) const;
  bool operator!=(const Type &O) const { return !(*this == O); }
  /// Same value representation: equal, or both pointers (any pointee,
  /// Ptr or Ref, mutable or not), or both function pointers.
  bool compatible(const Type &O) const;

  /// The text-form spelling: i64, u8, f64, bool, char, unit, never,
  /// *T, *mut T, &T, &mut T, [T; n], fn(T, ...) -> R, (T, ...), struct#N,
  /// opaque "name"; (v2) enum#N, dict<K, V>, slice<T>, result<T, E>,
  /// union<T, ...>, promise<T>, generator<Y, R>, actor<M>. A unit result is
  /// left out: fn(i64). See docs/MIR-TEXT.md.
  std::string str() const;

private:
  /// The parts of a compound type, shared and immutable (a setter copies
  /// them first); null for the scalars. 16 bytes in all: a Type is in
  /// every local, constant and cast.
  llvm::IntrusiveRefCntPtr<const TypeParts> Parts;
  TypeParts &ownParts(); // Parts, unshared, made if null
};

llvm::StringRef scalarTypeName(TypeKind K); // "I64", ... (v2) "ActorType"
/// (v2) The text-form word of a runtime-handle type with members: "dict",
/// "slice", "result", "union", "promise", "generator", "actor"; "" otherwise.
llvm::StringRef handleTypeTextName(TypeKind K);

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

/// A constant shared by the operands and instructions that hold it (they
/// never change it in place: a setter replaces the box).
struct ConstBox : llvm::ThreadSafeRefCountedBase<ConstBox> {
  explicit ConstBox(Constant V) : V(std::move(V)) {}
  Constant V;
};
using ConstRef = llvm::IntrusiveRefCntPtr<const ConstBox>;
/// The zero constant of unit type: what constant() gives without one.
const Constant &noConstant();

struct Operand {
  enum class Kind : uint8_t { Copy, Move, Const };
  Kind K = Kind::Copy;
  LocalId Local = 0; // Copy, Move

  static Operand copy(LocalId L) { Operand O; O.K = Kind::Copy; O.Local = L; return O; }
  static Operand move(LocalId L) { Operand O; O.K = Kind::Move; O.Local = L; return O; }
  static Operand constant(Constant C) {
    Operand O;
    O.K = Kind::Const;
    O.C = llvm::makeIntrusiveRefCnt<const ConstBox>(std::move(C));
    return O;
  }
  bool isConst() const { return K == Kind::Const; }
  /// The constant of a Const operand.
  const Constant &constant() const { return C ? C->V : noConstant(); }
  bool operator==(const Operand &O) const;

private:
  ConstRef C; // Const: 16 bytes an operand, not 90
};

/// A position in a text (.mir) file; Line 0 = unknown (JSON input).
struct SourceLoc {
  uint32_t Line = 0, Col = 0;
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
  X(DebugValue, "DebugValue", "debug_value")                                   \
  X(Aggregate, "Aggregate", "aggregate")                                       \
  X(GetField, "GetField", "get_field")                                         \
  X(SetField, "SetField", "set_field")                                         \
  X(GlobalAddr, "GlobalAddr", "global_addr")                                   \
  X(DecisionProbe, "DecisionProbe", "decision_probe")                          \
  X(ConditionProbe, "ConditionProbe", "condition_probe")

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

// X(Enumerator, name, arity). Float math on F32/F64 first (isFloatMath
// relies on that order), then the (v2) integer/bit intrinsics of MIR.md
// "Intrinsics". Arity -1 = variadic. Any other name is IntrinsicKind::Extern:
// a call of `__simple_intrinsic_<name>` with every argument as I64.
#define SPL_MIR_INTRINSICS(X)                                                  \
  X(Sqrt, "sqrt", 1) X(Sin, "sin", 1) X(Cos, "cos", 1) X(Tan, "tan", 1)        \
  X(Exp, "exp", 1) X(Log, "log", 1) X(Log2, "log2", 1) X(Log10, "log10", 1)    \
  X(Fabs, "fabs", 1) X(Floor, "floor", 1) X(Ceil, "ceil", 1)                   \
  X(Trunc, "trunc", 1) X(Round, "round", 1) X(Pow, "pow", 2)                   \
  X(Fmin, "fmin", 2) X(Fmax, "fmax", 2) X(Copysign, "copysign", 2)             \
  X(SsaPhi, "__simple_ssa_phi", -1)                                            \
  X(BoundsCheck, "bounds_check", 2)                                            \
  X(Crc32U8, "crc32_u8", 2) X(Crc32U32, "crc32_u32", 2)                        \
  X(ClmulLo, "clmul_lo", 2) X(ClmulHi, "clmul_hi", 2)                          \
  X(AesRound, "crypto_aes_round", 3)                                           \
  X(AesRoundLast, "crypto_aes_round_last", 3)                                  \
  X(AesInvRound, "crypto_aes_inv_round", 3)                                    \
  X(AesInvRoundLast, "crypto_aes_inv_round_last", 3)                           \
  X(Sha256Rounds2, "crypto_sha256_rounds2", 4)                                 \
  X(Extern, "", -1)

enum class IntrinsicKind : uint8_t {
#define X(E, N, A) E,
  SPL_MIR_INTRINSICS(X)
#undef X
};
llvm::StringRef intrinsicName(IntrinsicKind);
/// The fixed number of arguments, or -1 (variadic / checked per kind).
int intrinsicArity(IntrinsicKind);
inline bool isFloatMath(IntrinsicKind K) { return K <= IntrinsicKind::Copysign; }
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
///   (v2)
///   Aggregate       Dest, Agg, Ops (the operands, in order); AggKind::Struct
///                   and AggKind::Enum: Symbol; AggKind::Enum: Variant;
///                   AggKind::Array: Ty (the element type)
///   GetField        Dest, Ops[0] (base), Field
///   SetField        Ops[0] (base), Field, Ops[1] (value)
///   GlobalAddr      Dest, Symbol, Mutable
///   DecisionProbe,  Ops[0] (result); Payload: the probe's other fields as
///   ConditionProbe  a JSON object text, kept verbatim for the round trip
///   Intrinsic       Intr == IntrinsicKind::Extern: Name holds the name N
///                   (the call goes to `__simple_intrinsic_N`)
enum class AggKind : uint8_t { Tuple, Struct, Array, Enum };

/// The operands of an instruction: one pointer, to a heap block holding
/// their count and capacity before them, so an instruction pays 8 bytes
/// for its operands (a std::vector would be 24) and nothing more without.
class OperandList {
public:
  OperandList() = default;
  OperandList(const OperandList &O) { assign(O.begin(), O.end()); }
  OperandList(OperandList &&O) noexcept : H(O.H) { O.H = nullptr; }
  OperandList &operator=(const OperandList &O) {
    if (this != &O)
      assign(O.begin(), O.end());
    return *this;
  }
  OperandList &operator=(OperandList &&O) noexcept;
  ~OperandList();

  size_t size() const { return H ? H->Size : 0; }
  bool empty() const { return size() == 0; }
  Operand *begin() { return H ? H->data() : nullptr; }
  Operand *end() { return begin() + size(); }
  const Operand *begin() const { return H ? H->data() : nullptr; }
  const Operand *end() const { return begin() + size(); }
  Operand &operator[](size_t I) { return begin()[I]; }
  const Operand &operator[](size_t I) const { return begin()[I]; }
  Operand &back() { return end()[-1]; }
  operator llvm::ArrayRef<Operand>() const { return {begin(), size()}; }

  void push_back(Operand O);
  /// Inserts O before Pos; returns where it now is.
  Operand *insert(Operand *Pos, Operand O);
  void assign(const Operand *B, const Operand *E);
  void reserve(size_t N);
  void clear();

private:
  struct Header {
    uint32_t Size, Cap;
    Operand *data() { return reinterpret_cast<Operand *>(this + 1); }
  };
  static_assert(sizeof(Header) % alignof(Operand) == 0);
  void grow(size_t MinCap);
  Header *H = nullptr;
};

/// The fields of the few instructions that need them (see the table
/// above): out of line, so the common instruction does not pay for them.
struct InstExtra {
  ConstRef C; // Const, when the instruction also needs another rare field
  Type Ty;
  Operand Callee;
  Signature Sig;
  std::string Payload;
  std::string Name;
  int64_t Symbol = 0;
  uint32_t Variant = 0;
};

/// One word for the rare fields of an instruction: nothing, a Const's
/// shared constant (low bit set), or its own InstExtra. Copies deep-copy
/// the InstExtra and share the constant.
class InstRare {
public:
  InstRare() = default;
  InstRare(const InstRare &O);
  InstRare(InstRare &&O) noexcept : Bits(O.Bits) { O.Bits = 0; }
  InstRare &operator=(const InstRare &O);
  InstRare &operator=(InstRare &&O) noexcept;
  ~InstRare() { reset(); }

  const ConstBox *constant() const; // null: none
  void setConstant(ConstRef C);
  const InstExtra *extra() const {
    return Bits & 1 ? nullptr : reinterpret_cast<const InstExtra *>(Bits);
  }
  InstExtra &extra(); // made on first use (it takes the constant over)
  bool hasExtra() const { return Bits && !(Bits & 1); }

private:
  void reset();
  /// The constant held directly (only when the low bit is set).
  const ConstBox *box() const {
    return reinterpret_cast<const ConstBox *>(Bits & ~uintptr_t(1));
  }
  uintptr_t Bits = 0;
};

/// The fields every instruction may use (Op, the small kinds, Field,
/// Mutable) are plain members; the rest are read and written through
/// accessors. 40 bytes an instruction (it was 680): the dest and the
/// source position inline, one word for the operands (OperandList) and one
/// for the rest (InstRare).
struct Inst {
  Opcode Op = Opcode::Nop;
  BinOpKind Bin = BinOpKind::Add;
  UnOpKind Un = UnOpKind::Neg;
  IntrinsicKind Intr = IntrinsicKind::Sqrt;
  // (v2)
  AggKind Agg = AggKind::Tuple;
  bool Mutable = false; // GlobalAddr

private:
  bool HasDest = false; // here: it fills the padding before Field

public:
  uint32_t Field = 0; // GetField, SetField

  bool hasDest() const { return HasDest; }
  /// The dest; only when hasDest().
  LocalId dest() const { return DestId; }
  std::optional<LocalId> maybeDest() const {
    return HasDest ? std::optional<LocalId>(DestId) : std::nullopt;
  }
  void setDest(LocalId L) { HasDest = true; DestId = L; }
  void setDest(std::optional<LocalId> L) { HasDest = L.has_value(); DestId = L.value_or(0); }
  void clearDest() { HasDest = false; DestId = 0; }

  llvm::ArrayRef<Operand> ops() const { return Ops; }
  OperandList &mutableOps() { return Ops; }
  void setOps(llvm::ArrayRef<Operand> Os) { Ops.assign(Os.begin(), Os.end()); }
  void addOp(Operand O) { Ops.push_back(std::move(O)); }

  const Constant &constant() const { // Const
    const ConstBox *B = Rare.constant();
    return B ? B->V : noConstant();
  }
  void setConstant(Constant V) {
    Rare.setConstant(llvm::makeIntrusiveRefCnt<const ConstBox>(std::move(V)));
  }
  const Type &type() const; // Cast, Bitcast, Alloc, Aggregate
  void setType(Type T) { Rare.extra().Ty = std::move(T); }
  const Operand &callee() const; // Call
  void setCallee(Operand O) { Rare.extra().Callee = std::move(O); }
  const Signature &sig() const; // CallIndirect
  void setSig(Signature S) { Rare.extra().Sig = std::move(S); }
  const std::string &payload() const; // DebugValue, probes
  void setPayload(std::string P) {
    if (!P.empty() || Rare.hasExtra())
      Rare.extra().Payload = std::move(P);
  }
  const std::string &name() const; // Intrinsic Extern
  void setName(std::string N) {
    if (!N.empty() || Rare.hasExtra())
      Rare.extra().Name = std::move(N);
  }
  int64_t symbol() const { // GlobalAddr, Aggregate
    const InstExtra *X = Rare.extra();
    return X ? X->Symbol : 0;
  }
  void setSymbol(int64_t S) {
    if (S || Rare.hasExtra())
      Rare.extra().Symbol = S;
  }
  uint32_t variant() const { // Aggregate Enum
    const InstExtra *X = Rare.extra();
    return X ? X->Variant : 0;
  }
  void setVariant(uint32_t V) {
    if (V || Rare.hasExtra())
      Rare.extra().Variant = V;
  }
  SourceLoc loc() const { return Loc; }
  void setLoc(SourceLoc L) { Loc = L; }

  bool operator==(const Inst &O) const;

private:
  LocalId DestId = 0;
  SourceLoc Loc;
  OperandList Ops;
  InstRare Rare;
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
  X(Abort, "Abort", "abort")                                                   \
  X(CallTerminator, "CallTerminator", "invoke")                                \
  X(Throw, "Throw", "throw")                                                   \
  X(Resume, "Resume", "resume")

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
///   (v2)
///   CallTerminator  Dest?, Callee (as Inst::Callee), Args, Target (normal),
///                   Unwind? (none: a raise continues into the caller),
///                   PayloadDest?, TagDest?; UnwindContract holds the older
///                   serializers' "unwind_contract" text ("" when absent)
///   Throw, Resume   Value (payload), Tag (type tag); LegacyForm: written
///                   as {"kind":"throw"|"resume","value":op} (Tag is I64 0)
struct Terminator {
  TermKind K = TermKind::None;
  std::optional<Operand> Value;
  BlockId Target = 0;
  BlockId Else = 0;
  std::vector<SwitchCase> Cases;
  std::string Message;
  SourceLoc Loc;
  // (v2) exceptions
  std::optional<LocalId> Dest;
  Operand Callee;
  std::vector<Operand> Args;
  std::optional<BlockId> Unwind;
  std::optional<LocalId> PayloadDest, TagDest;
  std::string UnwindContract;
  std::optional<Operand> Tag;
  bool LegacyForm = false;
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

  /// Lookups by id (ids need not be dense or ordered), each O(1) or
  /// O(log n) after reindex(), which the readers and the builder call (and
  /// which must be called again after Locals or Blocks change). Without it
  /// they scan. Of duplicate ids (an error the verifier reports) the first
  /// wins.
  const Local *local(LocalId Id) const;
  const Block *block(BlockId Id) const;
  /// Position of a local / block in Locals / Blocks, or -1.
  int localIndex(LocalId Id) const;
  int blockIndex(BlockId Id) const;
  /// The (first) local of kind Arg with index I, or null.
  const Local *argLocal(unsigned I) const;
  /// The (first) Return-kind local, or null.
  const Local *returnLocal() const;
  void reindex();

  bool operator==(const Function &O) const;

  /// An id -> position index: a table indexed by id when the ids are dense
  /// enough, else (id, position) pairs sorted by id. Either way building it
  /// is O(n log n) at worst and a lookup never scans (docs/MIR-TEXT.md
  /// "Limits": loading is linear in the input, whatever the ids).
  struct IdIndex {
    bool Built = false;
    std::vector<int> Dense;                       // id -> position, -1
    std::vector<std::pair<uint32_t, int>> Sparse; // sorted by id
    /// Items: (id, position) in Locals/Blocks order.
    void build(std::vector<std::pair<uint32_t, int>> Items);
    /// The position of Id; -1 if absent; -2 if the index is not built.
    int find(uint32_t Id) const;
  };

private:
  IdIndex LocalIndex, BlockIndex, ArgIndexes; // ArgIndexes: by ArgIndex
  int ReturnPos = -1;                         // valid when LocalIndex.Built
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

/// Reader limits (docs/MIR-TEXT.md "Limits"): input beyond them is a load
/// error naming the limit, never a native stack overflow. Types nest by
/// recursion in the readers, printers, verifier and backends; llvm::json
/// parses by recursion, once per array or object level. A type costs up to 3
/// JSON levels ({"FuncPtr": {"params": [T]}}), so the JSON limit leaves room
/// for MaxTypeNesting types inside a module.
constexpr unsigned MaxTypeNesting = 256;
constexpr unsigned MaxJSONNesting = 1024;

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
/// arrive later), and (v2) not at all when that type says `"params": []`
/// while arguments are present (what the compiler writes for runtime
/// helpers). Errors name function, block and instruction index.
llvm::Error verify(const Module &M);

//===----------------------------------------------------------------------===//
// (v2) Bit-exact intrinsics (mir/IntrinsicEval.cpp): the one definition both
// backends use, computed portably (the interpreter calls these; JIT code calls
// them too, or emits the same operation natively). Semantics as x86 defines
// the instructions (SSE4.2 crc32, PCLMULQDQ, AES-NI, SHA-NI); the MIR-level
// operand shapes are documented in docs/SEMANTICS.md "Intrinsics".
//===----------------------------------------------------------------------===//
// BEGIN intrinsic-eval (edited by the intrinsics work only)
//
// Word intrinsics take and give 64-bit words; block intrinsics take pointers
// to 16-byte blocks (byte i in memory = byte i of the XMM register, as MOVDQU
// loads it), write the result block to their first operand and give no value.
// Every result is computed before it is stored, so a destination may alias
// a source.

/// CRC32 r32, r/m8: one byte into a CRC-32C accumulator (Castagnoli,
/// reflected, no pre- or post-inversion: exactly what the instruction does).
uint32_t evalCrc32U8(uint32_t Crc, uint8_t V);
/// CRC32 r32, r/m32: four bytes, least significant first.
uint32_t evalCrc32U32(uint32_t Crc, uint32_t V);
/// Bits 0..63 / 64..127 of the 128-bit carry-less product of A and B
/// (PCLMULQDQ with imm8 0x00 on A and B in the low lanes).
uint64_t evalClmulLo(uint64_t A, uint64_t B);
uint64_t evalClmulHi(uint64_t A, uint64_t B);
/// AESENC: ShiftRows, SubBytes, MixColumns, then xor Key.
void evalAesRound(uint8_t Out[16], const uint8_t State[16],
                  const uint8_t Key[16]);
/// AESENCLAST: ShiftRows, SubBytes, then xor Key.
void evalAesRoundLast(uint8_t Out[16], const uint8_t State[16],
                      const uint8_t Key[16]);
/// AESDEC: InvShiftRows, InvSubBytes, InvMixColumns, then xor Key (the
/// equivalent inverse cipher: Key must be an AESIMC-transformed round key).
void evalAesInvRound(uint8_t Out[16], const uint8_t State[16],
                     const uint8_t Key[16]);
/// AESDECLAST: InvShiftRows, InvSubBytes, then xor Key.
void evalAesInvRoundLast(uint8_t Out[16], const uint8_t State[16],
                         const uint8_t Key[16]);
/// SHA256RNDS2 xmm1, xmm2, <XMM0> (_mm_sha256rnds2_epu32(Cdgh, Abef, Wk)):
/// two SHA-256 rounds. Blocks are four little-endian 32-bit dwords, dword 0
/// first: Cdgh = {H, G, D, C}, Abef = {F, E, B, A}, Wk = {W0+K0, W1+K1, -, -}.
/// Out = the new {F, E, B, A}.
void evalSha256Rnds2(uint8_t Out[16], const uint8_t Cdgh[16],
                     const uint8_t Abef[16], const uint8_t Wk[16]);

/// The nine kinds above (Crc32U8 ... Sha256Rounds2).
bool isBitIntrinsic(IntrinsicKind K);
/// The five block kinds (Aes*, Sha256Rounds2).
bool isBlockIntrinsic(IntrinsicKind K);

/// The C entry point of each bit intrinsic, for JIT code to call and the
/// interpreter to bind like an extern. Word kinds: uint64_t f(uint64_t,
/// uint64_t). Block kinds: void f(void *Dst, const void *...) with one pointer
/// per MIR operand, in MIR operand order.
struct IntrinsicFn {
  IntrinsicKind Kind;
  const char *Symbol; // "spl_intrinsic_<MIR name>"
  void *Address;
};
llvm::ArrayRef<IntrinsicFn> bitIntrinsicFns();
/// The entry of K, or null when K is not a bit intrinsic.
const IntrinsicFn *findBitIntrinsicFn(IntrinsicKind K);

extern "C" {
uint64_t spl_intrinsic_crc32_u8(uint64_t Crc, uint64_t V);
uint64_t spl_intrinsic_crc32_u32(uint64_t Crc, uint64_t V);
uint64_t spl_intrinsic_clmul_lo(uint64_t A, uint64_t B);
uint64_t spl_intrinsic_clmul_hi(uint64_t A, uint64_t B);
void spl_intrinsic_crypto_aes_round(void *Dst, const void *State,
                                    const void *Key);
void spl_intrinsic_crypto_aes_round_last(void *Dst, const void *State,
                                         const void *Key);
void spl_intrinsic_crypto_aes_inv_round(void *Dst, const void *State,
                                        const void *Key);
void spl_intrinsic_crypto_aes_inv_round_last(void *Dst, const void *State,
                                             const void *Key);
void spl_intrinsic_crypto_sha256_rounds2(void *Dst, const void *Cdgh,
                                         const void *Abef, const void *Wk);
}
// END intrinsic-eval

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
  X(BadFunctionPointer, "call through an invalid function pointer")           \
  X(UncaughtException, "uncaught exception")                                   \
  X(BoundsCheck, "index out of bounds")                                        \
  X(Panic, "panic")                                                            \
  X(InvalidMemoryAccess, "invalid memory access")                             \
  X(Interrupted, "interrupted")                                                \
  X(TimeLimit, "time limit exceeded")                                          \
  X(StaleSignature, "the callee was redefined with another signature")

enum class TrapKind : uint8_t {
#define X(E, M) E,
  SPL_MIR_TRAPS(X)
#undef X
};

/// "runtime error in `Fn`: <message>". Detail is the Abort message, the
/// undefined callee's name, or the stack-overflow limit, as the kind needs.
/// (v2) UncaughtException: Detail is " (type tag N)" or ": TEXT" (a text
/// payload), appended to "uncaught exception". BoundsCheck: Detail is
/// "index I out of bounds for length N", which replaces the message. Panic:
/// Detail is the panic message ("panic: MSG"). With Fn empty (a failure
/// raised inside a runtime function, which does not know its MIR caller) the
/// text is "runtime error: <message>". Interrupted: the manager's interrupt
/// ended the call. TimeLimit: Detail is the limit in milliseconds, giving
/// "time limit of N ms exceeded". StaleSignature: Detail is staleDetail's
/// text, which replaces the message.
/// The detail texts of the (v2) kinds, built in one place:
std::string uncaughtDetail(int64_t TypeTag, const char *TextPayload);
std::string boundsDetail(int64_t Index, int64_t Len);
std::string trapMessage(TrapKind K, llvm::StringRef Fn,
                        llvm::StringRef Detail = "");
/// A call compiled for one signature of Callee that now has another
/// (docs/SEMANTICS.md "Redefinition"): "`f` was redefined as fn(i64, i64) ->
/// i64; this call was compiled for fn(i64) -> i64".
std::string staleDetail(llvm::StringRef Callee, const Signature &Now,
                        const Signature &Compiled);

/// (guard) InvalidMemoryAccess: Detail is the faulting address as
/// faultAddressText gives it ("0x10"); the text is "... invalid memory access
/// at 0x10".
std::string faultAddressText(uint64_t Addr);

/// (guard) The most bytes all Alloc instructions of one function may take
/// together (the verifier checks it). Half of the 8 MiB native stack a
/// thread usually has: a frame above it could not run even once on the JIT
/// (whose Allocs live on the native stack), and the interpreter's frames
/// are budgeted the same way, so both reject it in the same place.
constexpr uint64_t MaxFrameAllocBytes = uint64_t(4) << 20;

/// The default limit on nested calls before StackOverflow.
constexpr unsigned DefaultMaxCallDepth = 10000;

} // namespace spl::mir

#endif // SPL_MIR_MIR_H
