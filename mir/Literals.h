//===- mir/Literals.h - Constant values shared by the readers ---*- C++ -*-===//
//
// Private to mir/. Both front ends (JSON and text) see a literal before they
// know what it means; the constant's type decides (MIR.md "Constants"). Doing
// that normalisation in one place keeps the two forms in exact agreement,
// which the round-trip tests depend on. The printers share the spellings.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_LITERALS_H
#define SPL_MIR_LITERALS_H

#include "mir/MIR.h"

#include <string>

namespace spl::mir {

/// A literal as written, before its type gives it a meaning.
struct RawLiteral {
  enum class Kind : uint8_t {
    Int,      // Bits: two's complement value; Negative: it was below zero
    Float,    // F
    Bool,     // Bits 0/1
    Str,      // S
    FuncName, // S: a function named by the text form's @name
    Zero,     // "Zero" / zero
    Null,     // JSON null
  };
  Kind K = Kind::Null;
  uint64_t Bits = 0;
  bool Negative = false;
  double F = 0;
  std::string S;
};

/// The constant of type T that L denotes; an error (a message without a
/// location; callers prefix it) when the literal cannot have that type.
llvm::Expected<Constant> makeConstant(const Type &T, const RawLiteral &L);

/// Bits normalised to the register slot of T: sign-extended for signed
/// integers, zero-extended for unsigned ones and Char, as is for pointers.
uint64_t normaliseInt(const Type &T, uint64_t Bits);

/// The integer as the type reads it: signed decimal for signed types,
/// unsigned decimal otherwise.
std::string formatInt(const Type &T, uint64_t Bits);

/// The shortest decimal that reads back to the same value (to the same
/// float for F32), always with a '.' or an exponent: "2.0", "0.1", "1e+16",
/// "-0.0"; "inf", "-inf", "nan" for the specials.
std::string formatDouble(double V, bool IsF32);

/// Double-quoted with the text form's escapes (docs/MIR-TEXT.md).
std::string quoteString(llvm::StringRef S);

/// The value part of a constant in the text form: 42, -1, 2.0, true,
/// "bytes", @name (a function named by a FuncPtr string), zero.
std::string formatConstantValue(const Constant &C);

/// A function or extern name in the text form: @name, or @"..." when the
/// name is not made of letters, digits, '_', '.' and '$'.
std::string formatGlobalName(llvm::StringRef Name);

/// A label or local name in the text form: bare when it reads back as one
/// name token (letters, digits, '_', '.', '$', not starting with a digit and
/// not shaped like _N or bbN), else quoted.
std::string formatName(llvm::StringRef Name);
bool isBareName(llvm::StringRef Name);
/// Prefix followed by decimal digits only (_3, bb12).
bool isNumberedName(llvm::StringRef Name, llvm::StringRef Prefix);

/// An operand in the text form: copy _3, move _3, const i64 5.
std::string formatOperand(const Operand &O);

/// An llvm::Error holding Msg.
llvm::Error makeError(const llvm::Twine &Msg);

/// The load error of a reader that ran out of memory (a std::bad_alloc)
/// while reading an input of InputBytes bytes.
llvm::Error outOfMemoryError(size_t InputBytes);

} // namespace spl::mir

#endif // SPL_MIR_LITERALS_H
