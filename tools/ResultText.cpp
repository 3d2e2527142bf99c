//===- tools/ResultText.cpp - The text of a result for --print-result -----===//
//
// The forms of RUNTIME.md's rt_raw_*_to_string, so a result reads the same as
// the program printing it: integers in decimal by signedness, bool
// true/false, char as its UTF-8 character, f64 as the shortest fixed-point
// text that reads back as the same double (never an exponent, ".0" on
// integral values, inf/-inf, NaN/-NaN by the sign bit). f32 follows the f64
// rules with the shortest text that reads back as the same float. This is
// the tool's own copy: the runtime's rt_raw_f64_to_string returns a tagged
// string object, which is not what a command-line printer wants to manage.
//
//===----------------------------------------------------------------------===//
#include "tools/Driver.h"

#include <charconv>
#include <cmath>

namespace spl::tool {
namespace {

template <typename F> std::string floatText(F V) {
  if (std::isnan(V))
    return std::signbit(V) ? "-NaN" : "NaN";
  if (std::isinf(V))
    return V < 0 ? "-inf" : "inf";
  // to_chars with a format and no precision gives the shortest text in that
  // format that reads back as V; fixed never uses an exponent. 1.8e308 has
  // 309 integral digits, 5e-324 needs 324 fraction digits: 400 suffices.
  char Buf[400];
  auto [End, Ec] =
      std::to_chars(Buf, Buf + sizeof(Buf), V, std::chars_format::fixed);
  std::string S(Buf, Ec == std::errc() ? End : Buf);
  if (S.find('.') == std::string::npos)
    S += ".0";
  return S;
}

/// The UTF-8 bytes of a code point; an invalid one (a surrogate or beyond
/// U+10FFFF) as U+FFFD, as a printer of text would.
std::string utf8(uint32_t C) {
  if ((C >= 0xD800 && C <= 0xDFFF) || C > 0x10FFFF)
    C = 0xFFFD;
  std::string S;
  if (C < 0x80) {
    S += char(C);
  } else if (C < 0x800) {
    S += char(0xC0 | (C >> 6));
    S += char(0x80 | (C & 0x3F));
  } else if (C < 0x10000) {
    S += char(0xE0 | (C >> 12));
    S += char(0x80 | ((C >> 6) & 0x3F));
    S += char(0x80 | (C & 0x3F));
  } else {
    S += char(0xF0 | (C >> 18));
    S += char(0x80 | ((C >> 12) & 0x3F));
    S += char(0x80 | ((C >> 6) & 0x3F));
    S += char(0x80 | (C & 0x3F));
  }
  return S;
}

} // namespace

std::optional<std::string> resultText(const Value &V) {
  switch (V.type()) {
  case ValueType::Unit:
    return std::nullopt;
  case ValueType::I8:
  case ValueType::I16:
  case ValueType::I32:
  case ValueType::I64:
    return std::to_string(V.asI64()); // slots are sign-extended
  case ValueType::U8:
  case ValueType::U16:
  case ValueType::U32:
  case ValueType::U64:
    return std::to_string(V.asU64()); // slots are zero-extended
  case ValueType::Bool:
    return std::string(V.asBool() ? "true" : "false");
  case ValueType::Char:
    return utf8(uint32_t(V.bits()));
  case ValueType::F32:
    return floatText(float(V.asF64()));
  case ValueType::F64:
    return floatText(V.asF64());
  case ValueType::Ptr: {
    char Buf[24];
    auto [End, Ec] = std::to_chars(Buf, Buf + sizeof(Buf), V.asU64(), 16);
    return "0x" + std::string(Buf, End);
  }
  }
  return std::nullopt;
}

} // namespace spl::tool
