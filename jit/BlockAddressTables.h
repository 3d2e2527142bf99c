//===- jit/BlockAddressTables.h - Before a lowered module is freed -*- C++ -*-===//
//
// Private to jit/ (the session and jit/codegen/ both free lowered modules).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_BLOCKADDRESSTABLES_H
#define SPL_JIT_BLOCKADDRESSTABLES_H

#include "llvm/IR/Constants.h"
#include "llvm/IR/Module.h"

namespace spl::jit {

/// Before a compiled module is freed: the tables of block addresses that
/// table switches made (LowerControl.cpp) are dropped, or every block
/// deleted with the module would rehash the whole table.
inline void dropBlockAddressTables(llvm::Module &M) {
  for (llvm::GlobalVariable &GV : M.globals()) {
    auto *CA = GV.hasInitializer()
                   ? llvm::dyn_cast<llvm::ConstantArray>(GV.getInitializer())
                   : nullptr;
    if (!CA || !llvm::isa<llvm::BlockAddress>(CA->getOperand(0)))
      continue;
    // The module is compiled and only waits to be freed: its globals may
    // be left without initialisers.
    GV.setInitializer(nullptr);
    if (CA->use_empty())
      CA->destroyConstant();
  }
}

} // namespace spl::jit

#endif // SPL_JIT_BLOCKADDRESSTABLES_H
