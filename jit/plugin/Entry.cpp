//===- jit/plugin/Entry.cpp - What libspl_exec_jit.so exports -------------===//
//
// The library's one exported symbol, spl_exec_jit_plugin: it keeps the
// core's services and hands back the session factory. Errors of this side
// cross to the core as CrossErrors (jit/Boundary.h).
//
//===----------------------------------------------------------------------===//
#include "Plugin.h"

#include "jit/SessionImpl.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {

const CoreServices *Core = nullptr;

/// The core's rt_exit, carried through jit/ (CoreShim's runGuarded makes it)
/// back to the core, which makes its ffi::ExitRequest again.
class CrossedExit : public ErrorInfo<CrossedExit> {
public:
  static char ID;
  explicit CrossedExit(int Code) : Code(Code) {}
  int code() const { return Code; }
  void log(raw_ostream &OS) const override {
    OS << "program exited with code " << Code;
  }
  std::error_code convertToErrorCode() const override {
    return inconvertibleErrorCode();
  }

private:
  int Code;
};

char CrossedExit::ID = 0;

Error exportError(Error E) { return Core->MakeError(plugin::toCross(std::move(E))); }

Session *createSession(const Options &Opts, CrossError &Err) {
  Expected<std::unique_ptr<Session>> S = makeSession(Opts, exportError);
  if (!S) {
    Err = plugin::toCross(S.takeError());
    return nullptr;
  }
  return S->release();
}

} // namespace

const CoreServices &plugin::core() { return *Core; }

Error plugin::fromCross(CrossError E) {
  return fromCrossError<CrossedExit>(std::move(E));
}

CrossError plugin::toCross(Error E) {
  return toCrossError<CrossedExit>(std::move(E));
}

extern "C" __attribute__((visibility("default"))) const Plugin *
spl_exec_jit_plugin(const CoreServices *Services) {
  static const Plugin P{layoutFingerprint(), createSession};
  if (!Services || Services->Size != sizeof(CoreServices) ||
      Services->Layout != layoutFingerprint())
    return nullptr;
  Core = Services;
  return &P;
}
