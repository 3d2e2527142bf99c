//===- ffi/ExternCheck.cpp - Declared externs against their own signature ===//
//
// A module may declare an extern that spl-exec implements itself (a runtime
// function of runtime/Runtime.h's table, a builtin of BuiltinTable.cpp). Its
// declaration decides how both backends call it (externCallSignature), so a
// declaration that disagrees with the function's own signature would make
// them pass the wrong kind of value (`extern @rt_println_str(i64)` prints
// from whatever address the integer names). Such a declaration is a load
// error naming both signatures.
//
// The comparison is by calling convention, not by spelling: what matters is
// the register each value travels in and how much of it the callee reads.
// So *u8 and *mut i64 agree (both pointers), i64 and u64 agree, and a
// handle type (text, arrays, structs ... one word) agrees with a word or a
// pointer, the two ways the runtime spells handles. An integer does not
// agree with a pointer, nor a width with another width, nor f32 with f64.
// A declaration may drop the result (declare Unit): ignoring a returned
// register is harmless.
//
//===----------------------------------------------------------------------===//

#include "ffi/FFI.h"

#include "runtime/Runtime.h"

using namespace llvm;
using namespace spl;

namespace {

/// How a value travels: a class letter.
enum class Abi : char {
  Void = 'v',
  Int8 = 'b',  // Bool, i8, u8
  Int16 = 'h', // i16, u16
  Int32 = 'i', // i32, u32, char
  Int64 = 'w', // i64, u64
  F32 = 's',
  F64 = 'f',
  Pointer = 'p', // pointers, references, function pointers
  Handle = 'H',  // one word the runtime looks inside
};

Abi abiOf(const mir::Type &T) {
  using mir::TypeKind;
  switch (T.Kind) {
  case TypeKind::Unit:
  case TypeKind::Never:
    return Abi::Void;
  case TypeKind::Bool:
  case TypeKind::I8:
  case TypeKind::U8:
    return Abi::Int8;
  case TypeKind::I16:
  case TypeKind::U16:
    return Abi::Int16;
  case TypeKind::I32:
  case TypeKind::U32:
  case TypeKind::Char:
    return Abi::Int32;
  case TypeKind::I64:
  case TypeKind::U64:
    return Abi::Int64;
  case TypeKind::F32:
    return Abi::F32;
  case TypeKind::F64:
    return Abi::F64;
  case TypeKind::Ptr:
  case TypeKind::FuncPtr:
    return Abi::Pointer;
  default:
    return Abi::Handle;
  }
}

/// A runtime table letter (Runtime.h: v w p f b i u).
Abi abiOfLetter(char C) {
  switch (C) {
  case 'w':
  case 'u':
    return Abi::Int64;
  case 'p':
    return Abi::Pointer;
  case 'f':
    return Abi::F64;
  case 'b':
    return Abi::Int8;
  case 'i':
    return Abi::Int32;
  default:
    return Abi::Void;
  }
}

bool agree(Abi Declared, Abi Own) {
  if (Declared == Own)
    return true;
  // A handle is one word, spelled as a word or a pointer by the runtime.
  if (Declared == Abi::Handle || Own == Abi::Handle) {
    Abi Other = Declared == Abi::Handle ? Own : Declared;
    return Other == Abi::Int64 || Other == Abi::Pointer || Other == Abi::Handle;
  }
  return false;
}

/// The C-level text of a runtime table signature ("vp" -> "fn(*mut u8)").
std::string letterSignatureText(const char *Sig) {
  auto Name = [](char C) -> std::string {
    switch (C) {
    case 'w':
      return "i64";
    case 'u':
      return "u64";
    case 'p':
      return "*mut u8";
    case 'f':
      return "f64";
    case 'b':
      return "bool";
    case 'i':
      return "i32";
    default:
      return "()";
    }
  };
  std::string S = "fn(";
  for (const char *C = Sig + 1; *C; ++C)
    S += (C == Sig + 1 ? "" : ", ") + Name(*C);
  S += ")";
  if (Sig[0] != 'v')
    S += " -> " + Name(Sig[0]);
  return S;
}

} // namespace

Error ffi::checkExternDeclarations(const mir::Module &M) {
  for (const mir::ExternDecl &D : M.Externs) {
    const mir::Signature &Decl = D.Sig;
    std::vector<Abi> Params;
    Abi Ret;
    bool Variadic = false;
    std::string OwnText, Where;
    std::string Name = D.Name;
    if (const rt::RuntimeFn *RF = rt::findRuntimeFunction(Name.c_str())) {
      Ret = abiOfLetter(RF->Sig[0]);
      for (const char *C = RF->Sig + 1; *C; ++C)
        Params.push_back(abiOfLetter(*C));
      OwnText = letterSignatureText(RF->Sig);
      Where = "the runtime function's";
    } else if (const Builtin *B = findBuiltin(Name)) {
      Ret = abiOf(B->Sig.Ret);
      for (const mir::Type &T : B->Sig.Params)
        Params.push_back(abiOf(T));
      Variadic = B->Sig.Variadic;
      OwnText = B->Sig.str();
      Where = "the builtin's";
    } else {
      continue; // a host or SFFI symbol: its declaration is all we know
    }
    bool Same = Decl.Params.size() == Params.size() ||
                (Variadic && Decl.Params.size() >= Params.size());
    for (size_t I = 0; Same && I < Params.size(); ++I)
      Same = agree(abiOf(Decl.Params[I]), Params[I]);
    Abi DeclRet = abiOf(Decl.Ret);
    if (Same && DeclRet != Abi::Void)
      Same = agree(DeclRet, Ret);
    if (!Same)
      return createStringError(
          inconvertibleErrorCode(),
          "module `" + M.Name + "`: extern `" + D.Name + "` is declared as " +
              Decl.str() + ", but " + Where + " own signature is " + OwnText +
              " (a call would pass or read values of the wrong kind)");
  }
  return Error::success();
}
