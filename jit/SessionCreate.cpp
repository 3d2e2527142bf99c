//===- jit/SessionCreate.cpp - Session::create in process -----------------===//
//
// For programs that link the spl_jit archive (its tests, the fuzz target):
// the session is made here, over this process's ffi/. libspl_exec.so defines
// Session::create in exec_manager/JitLoader.cpp instead (it loads
// libspl_exec_jit.so), and the plugin never links this file.
//
//===----------------------------------------------------------------------===//
#include "SessionImpl.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

Expected<std::unique_ptr<Session>> Session::create(Options Opts) {
  if (!Opts.Globals)
    Opts.Globals = std::make_shared<ffi::GlobalCells>();
  if (!Opts.Limits)
    Opts.Limits = std::make_shared<ffi::CallLimits>();
  return makeSession(std::move(Opts), /*Out=*/nullptr);
}
