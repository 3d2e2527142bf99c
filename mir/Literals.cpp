//===- mir/Literals.cpp - Constant values shared by the readers -----------===//
//
// See Literals.h: the type of a constant decides what its literal means.
//
//===----------------------------------------------------------------------===//
#include "mir/Literals.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace spl::mir {

llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

llvm::Error outOfMemoryError(size_t InputBytes) {
  return makeError("out of memory while reading the module (" +
                   llvm::Twine(uint64_t(InputBytes)) + " bytes of input)");
}

uint64_t normaliseInt(const Type &T, uint64_t Bits) {
  unsigned W = T.bitWidth();
  if (W == 0 || W >= 64)
    return Bits;
  if (T.isSignedInt())
    return uint64_t(int64_t(Bits << (64 - W)) >> (64 - W));
  return Bits & ((uint64_t(1) << W) - 1);
}

std::string formatInt(const Type &T, uint64_t Bits) {
  if (T.isSignedInt())
    return std::to_string(int64_t(Bits));
  return std::to_string(Bits);
}

static bool sameBits(double A, double B) {
  return std::memcmp(&A, &B, sizeof(double)) == 0;
}

std::string formatDouble(double V, bool IsF32) {
  if (std::isnan(V))
    return "nan";
  if (std::isinf(V))
    return V < 0 ? "-inf" : "inf";
  // The fewest significant digits that read back to the same value...
  char Buf[64];
  int Digits = 1;
  for (; Digits < 17; ++Digits) {
    std::snprintf(Buf, sizeof(Buf), "%.*e", Digits - 1, V);
    double Back = std::strtod(Buf, nullptr);
    if (IsF32 ? sameBits(double(float(Back)), V) : sameBits(Back, V))
      break;
  }
  std::snprintf(Buf, sizeof(Buf), "%.*e", Digits - 1, V);
  // ...laid out as Python's repr does: positional for exponents -4..15,
  // scientific otherwise (1000.0, 0.0001, 1e+16, 1e-05, 2.5e-07).
  int Exp = std::atoi(std::strchr(Buf, 'e') + 1);
  if (Exp < -4 || Exp >= 16)
    return Buf;
  int Decimals = std::max(Digits - 1 - Exp, 0);
  std::snprintf(Buf, sizeof(Buf), "%.*f", Decimals, V);
  std::string Out = Buf;
  if (Out.find('.') == std::string::npos)
    Out += ".0";
  return Out;
}

std::string quoteString(llvm::StringRef S) {
  std::string Out = "\"";
  for (unsigned char C : S) {
    switch (C) {
    case '"':
      Out += "\\\"";
      break;
    case '\\':
      Out += "\\\\";
      break;
    case '\n':
      Out += "\\n";
      break;
    case '\t':
      Out += "\\t";
      break;
    case '\r':
      Out += "\\r";
      break;
    default:
      if (C < 0x20 || C == 0x7f) {
        Out += "\\x";
        Out += llvm::hexdigit(C >> 4, /*LowerCase=*/true);
        Out += llvm::hexdigit(C & 15, /*LowerCase=*/true);
      } else {
        Out += char(C); // printable ASCII and UTF-8 bytes stay readable
      }
    }
  }
  return Out + "\"";
}

// How the literal was written, for messages.
static std::string describe(const RawLiteral &L) {
  switch (L.K) {
  case RawLiteral::Kind::Int:
    return L.Negative ? std::to_string(int64_t(L.Bits))
                      : std::to_string(L.Bits);
  case RawLiteral::Kind::Float:
    return formatDouble(L.F, false);
  case RawLiteral::Kind::Bool:
    return L.Bits ? "true" : "false";
  case RawLiteral::Kind::Str:
    return "string " + quoteString(L.S);
  case RawLiteral::Kind::FuncName:
    return "function @" + L.S;
  case RawLiteral::Kind::Zero:
    return "Zero";
  case RawLiteral::Kind::Null:
    return "null";
  }
  return "?";
}

// A single UTF-8 encoded code point, for a Char constant spelled as a string.
static std::optional<uint32_t> singleCodePoint(llvm::StringRef S) {
  if (S.empty())
    return std::nullopt;
  const llvm::UTF8 *Begin = reinterpret_cast<const llvm::UTF8 *>(S.begin());
  const llvm::UTF8 *End = reinterpret_cast<const llvm::UTF8 *>(S.end());
  llvm::UTF32 CP;
  if (llvm::convertUTF8Sequence(&Begin, End, &CP, llvm::strictConversion) !=
          llvm::conversionOK ||
      Begin != End)
    return std::nullopt;
  return CP;
}

static llvm::Error cannotHold(const Type &T, const RawLiteral &L) {
  return makeError("a constant of type `" + T.str() + "` cannot be " +
                   describe(L));
}

llvm::Expected<Constant> makeConstant(const Type &T, const RawLiteral &L) {
  using K = RawLiteral::Kind;
  if (L.K == K::Zero)
    return Constant::zero(T);

  if (T.isInteger()) {
    if (L.K == K::Int)
      return Constant::integer(T, normaliseInt(T, L.Bits));
    // 2.0 for an integer type: a serializer that writes every number as a
    // double still means the integer.
    if (L.K == K::Float && std::trunc(L.F) == L.F && L.F >= -0x1p63 &&
        L.F < 0x1p64)
      return Constant::integer(
          T, normaliseInt(T, L.F < 0 ? uint64_t(int64_t(L.F)) : uint64_t(L.F)));
    if (L.K == K::Str && T.Kind == TypeKind::Char)
      if (std::optional<uint32_t> CP = singleCodePoint(L.S))
        return Constant::integer(T, *CP);
    return cannotHold(T, L);
  }

  if (T.isFloat()) {
    if (L.K == K::Int)
      return Constant::floating(T, L.Negative ? double(int64_t(L.Bits))
                                              : double(L.Bits));
    if (L.K == K::Float)
      return Constant::floating(T, L.F);
    // JSON has no spelling for the specials; the writer uses these strings.
    if (L.K == K::Str) {
      if (L.S == "inf")
        return Constant::floating(T, HUGE_VAL);
      if (L.S == "-inf")
        return Constant::floating(T, -HUGE_VAL);
      if (L.S == "nan")
        return Constant::floating(T, std::nan(""));
    }
    return cannotHold(T, L);
  }

  switch (T.Kind) {
  case TypeKind::Bool:
    if (L.K == K::Bool || (L.K == K::Int && L.Bits <= 1))
      return Constant::boolean(L.Bits != 0);
    return cannotHold(T, L);
  case TypeKind::Ptr:
    if (L.K == K::Str)
      return Constant::string(L.S, T);
    if (L.K == K::Int)
      return Constant::integer(T, L.Bits);
    if (L.K == K::Null)
      return Constant::zero(T);
    return cannotHold(T, L);
  case TypeKind::FuncPtr:
    if (L.K == K::Str || L.K == K::FuncName)
      return Constant::string(L.S, T);
    if (L.K == K::Int)
      return Constant::integer(T, L.Bits);
    if (L.K == K::Null)
      return Constant::zero(T);
    return cannotHold(T, L);
  case TypeKind::Unit:
  case TypeKind::Never:
    if (L.K == K::Null)
      return Constant::zero(T);
    return cannotHold(T, L);
  default:
    break;
  }
  // (v2) Word values: tuples, structs, text, runtime handles and arrays as
  // values.
  if (L.K == K::Null)
    // The serializer drops the payload of Array/Tuple/Struct constants and
    // writes null; there is nothing left to run.
    return makeError("composite constant without a value (a `" + T.str() +
                     "` constant written as null)");
  if (T.Kind == TypeKind::Opaque && L.K == K::Str)
    return Constant::string(L.S, T); // a text literal
  if (T.isWordValue() && L.K == K::Int)
    return Constant::integer(T, L.Bits); // the word itself
  return cannotHold(T, L); // aggregates: only Zero
}

} // namespace spl::mir

namespace spl::mir {

std::string formatConstantValue(const Constant &C) {
  switch (C.K) {
  case Constant::Kind::Int:
    return formatInt(C.Ty, C.Bits);
  case Constant::Kind::Float: {
    // A NaN other than the default one keeps its payload as raw bits.
    uint64_t Bits;
    std::memcpy(&Bits, &C.F, 8);
    if (std::isnan(C.F) && Bits != 0x7ff8000000000000ULL) {
      char Buf[24];
      std::snprintf(Buf, sizeof(Buf), "0x%016llx",
                    static_cast<unsigned long long>(Bits));
      return Buf;
    }
    return formatDouble(C.F, C.Ty.Kind == TypeKind::F32);
  }
  case Constant::Kind::Bool:
    return C.Bits ? "true" : "false";
  case Constant::Kind::Str:
    if (C.Ty.isFuncPtr())
      return formatGlobalName(C.S);
    return quoteString(C.S);
  case Constant::Kind::Zero:
    return "zero";
  }
  return "?";
}

static bool isNameChar(char C) {
  return llvm::isAlnum(C) || C == '_' || C == '.' || C == '$';
}

std::string formatGlobalName(llvm::StringRef Name) {
  if (!Name.empty() && llvm::all_of(Name, isNameChar))
    return ("@" + Name).str();
  std::string Out = "@";
  Out += quoteString(Name);
  return Out;
}

// "_" followed by digits only, or "bb" followed by digits only: the lexer
// reads those as a local or a block.
bool isNumberedName(llvm::StringRef Name, llvm::StringRef Prefix) {
  if (!Name.consume_front(Prefix) || Name.empty())
    return false;
  return llvm::all_of(Name, llvm::isDigit);
}

bool isBareName(llvm::StringRef Name) {
  if (Name.empty() || llvm::isDigit(Name[0]) || Name[0] == '.' ||
      Name[0] == '$')
    return false;
  if (!llvm::all_of(Name, isNameChar))
    return false;
  return !isNumberedName(Name, "_") && !isNumberedName(Name, "bb");
}

std::string formatName(llvm::StringRef Name) {
  return isBareName(Name) ? Name.str() : quoteString(Name);
}

std::string formatOperand(const Operand &O) {
  switch (O.K) {
  case Operand::Kind::Copy:
    return "copy _" + std::to_string(O.Local);
  case Operand::Kind::Move:
    return "move _" + std::to_string(O.Local);
  case Operand::Kind::Const:
    return "const " + O.constant().Ty.str() + " " + formatConstantValue(O.constant());
  }
  return "?";
}

} // namespace spl::mir
