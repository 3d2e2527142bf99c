//===- ffi/ExternRule.cpp - Which called names are externs ----------------===//
#include "ffi/FFI.h"

namespace spl::ffi {

bool isExternName(llvm::StringRef Name, const mir::Module &M) {
  if (M.function(Name))
    return false;
  return findBuiltin(Name) || M.externDecl(Name) || !sffiLibName(Name).empty();
}

} // namespace spl::ffi
