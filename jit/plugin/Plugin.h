//===- jit/plugin/Plugin.h - libspl_exec_jit.so's side of the boundary ----===//
//
// Private to jit/plugin/: the core's services as the entry point received
// them, and the errors of this side made from / turned into CrossErrors
// (jit/Boundary.h says why errors cross as data).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_PLUGIN_PLUGIN_H
#define SPL_JIT_PLUGIN_PLUGIN_H

#include "jit/Boundary.h"

namespace spl::jit::plugin {

/// The table spl_exec_jit_plugin received (set before any session exists).
const CoreServices &core();

/// An error of this side for E: the core's exit as an error of its own class
/// (so it goes back as an exit), anything else a StringError.
llvm::Error fromCross(CrossError E);
/// E as data, handled here.
CrossError toCross(llvm::Error E);

} // namespace spl::jit::plugin

#endif // SPL_JIT_PLUGIN_PLUGIN_H
