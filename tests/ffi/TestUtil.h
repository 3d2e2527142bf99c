//===- tests/ffi/TestUtil.h - Helpers shared by the ffi tests ---*- C++ -*-===//
#ifndef SPL_TESTS_FFI_TESTUTIL_H
#define SPL_TESTS_FFI_TESTUTIL_H

#include "ffi/FFI.h"

#include "gtest/gtest.h"

#include <bit>
#include <cstdlib>
#include <string>
#include <type_traits>

namespace spl::ffi::test {

using llvm::cantFail;
using llvm::consumeError;
using llvm::Error;
using llvm::ErrorInfoBase;
using llvm::Expected;
using llvm::handleAllErrors;

/// Where the test SFFI libraries are built.
inline const std::string SffiDir = SPL_BINARY_DIR "/tests/sffi";

/// Points SIMPLE_SFFI_PATH at the test libraries (what every test that
/// resolves rt_testlib_* needs).
inline void useTestLibraries() {
  setenv("SIMPLE_SFFI_PATH", SffiDir.c_str(), 1);
}

/// Resolution without the host step. The ffi test binary links
/// libspl_testlib.so directly (to call its functions natively for
/// comparison), so its rt_testlib_* are also host symbols; tests of the SFFI
/// convention itself switch the host step off.
inline ResolveOptions sffiOnly() {
  ResolveOptions O;
  O.HostLookup = false;
  return O;
}

/// The error's text, or "<success>" (consumes the error either way).
inline std::string errorText(llvm::Error E) {
  if (!E)
    return "<success>";
  return llvm::toString(std::move(E));
}
template <class T> std::string errorText(llvm::Expected<T> &E) {
  if (E)
    return "<success>";
  return llvm::toString(E.takeError());
}

/// The raw 64-bit slot of a C value, built the way FFI.h describes it.
template <class T> uint64_t raw(T V) {
  if constexpr (std::is_same_v<T, bool>)
    return V ? 1 : 0;
  else if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<uint32_t>(V);
  else if constexpr (std::is_same_v<T, double>)
    return std::bit_cast<uint64_t>(V);
  else if constexpr (std::is_pointer_v<T>)
    return reinterpret_cast<uintptr_t>(V);
  else if constexpr (std::is_signed_v<T>)
    return static_cast<uint64_t>(static_cast<int64_t>(V));
  else
    return static_cast<uint64_t>(V);
}

/// The MIR type of a C type (uint32_t is U32; Char is spelled explicitly).
template <class T> mir::Type mirType() {
  using mir::TypeKind;
  if constexpr (std::is_void_v<T>)
    return TypeKind::Unit;
  else if constexpr (std::is_same_v<T, bool>)
    return TypeKind::Bool;
  else if constexpr (std::is_same_v<T, float>)
    return TypeKind::F32;
  else if constexpr (std::is_same_v<T, double>)
    return TypeKind::F64;
  else if constexpr (std::is_pointer_v<T>)
    return mir::Type::ptr(TypeKind::U8);
  else if constexpr (std::is_same_v<T, int8_t>)
    return TypeKind::I8;
  else if constexpr (std::is_same_v<T, int16_t>)
    return TypeKind::I16;
  else if constexpr (std::is_same_v<T, int32_t>)
    return TypeKind::I32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return TypeKind::I64;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return TypeKind::U8;
  else if constexpr (std::is_same_v<T, uint16_t>)
    return TypeKind::U16;
  else if constexpr (std::is_same_v<T, uint32_t>)
    return TypeKind::U32;
  else {
    static_assert(std::is_same_v<T, uint64_t>);
    return TypeKind::U64;
  }
}

template <class R, class... A> mir::Signature sigOf(R (*)(A...)) {
  mir::Signature S;
  (S.Params.push_back(mirType<A>()), ...);
  S.Ret = mirType<R>();
  return S;
}

} // namespace spl::ffi::test

#endif // SPL_TESTS_FFI_TESTUTIL_H
