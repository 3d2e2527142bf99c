//===- exec_manager/InterpBackend.cpp - The interpreter as a Backend ------===//
#include "exec_manager/Backend.h"
#include "interp/Interpreter.h"

using namespace llvm;

namespace spl {
namespace {
class InterpBackend final : public Backend {
public:
  explicit InterpBackend(std::unique_ptr<interp::Interpreter> I)
      : I(std::move(I)) {}
  StringRef name() const override { return "interpreter"; }
  Error load(const mir::Module &M) override { return I->loadVerified(M); }
  const void *lookup(StringRef Name) override {
    return I->lookup(Name).opaque();
  }
  Expected<uint64_t> call(const void *Fn, ArrayRef<uint64_t> Args) override {
    return I->call(interp::FunctionRef::fromOpaque(Fn), Args);
  }
  FunctionTier tier(StringRef Name) const override {
    FunctionTier T;
    T.Name = Name.str();
    T.Tier = "interpreter";
    interp::Profile P = I->profile(I->lookup(Name));
    T.Calls = P.Calls;
    T.BackEdges = P.BackEdges;
    return T;
  }

private:
  std::unique_ptr<interp::Interpreter> I;
};
} // namespace

Expected<std::unique_ptr<Backend>>
createInterpreterBackend(const BackendConfig &C) {
  interp::Options O;
  O.MaxCallDepth = C.MaxCallDepth;
  O.Globals = C.Globals;
  O.Resolve = C.Resolve;
  O.CallbackErrors = C.CallbackErrors;
  O.Limits = C.Limits;
  auto I = interp::Interpreter::create(O);
  if (!I)
    return I.takeError();
  return std::make_unique<InterpBackend>(std::move(*I));
}

} // namespace spl
