//===- tests/jit/JitTestUtil.cpp - Running MIR on both backends -----------===//
#include "JitTestUtil.h"

#include "ffi/FFI.h"
#include "interp/Interpreter.h"

#include <cstdio>
#include <cstdlib>

using namespace spl;
using namespace spl::jit::test;

void jit::test::useTestLibraries() {
  setenv("SIMPLE_SFFI_PATH", SffiDir.c_str(), 1);
}

std::ostream &jit::test::operator<<(std::ostream &OS, const Outcome &O) {
  return OS << "{stdout: \"" << O.Stdout << "\", " << O.Result << "}";
}

std::string Backend::name() const {
  return Opt < 0 ? "interpreter" : "llvm -O" + std::to_string(Opt);
}

mir::Module jit::test::parse(const std::string &Text) {
  llvm::Expected<mir::Module> M = mir::readModule(Text);
  if (!M) {
    ADD_FAILURE() << "parse: " << llvm::toString(M.takeError());
    return {};
  }
  if (llvm::Error E = mir::verify(*M)) {
    ADD_FAILURE() << "verify: " << llvm::toString(std::move(E));
    return {};
  }
  return std::move(*M);
}

std::string jit::test::errorText(llvm::Error E) {
  if (!E)
    return "<success>";
  std::string Text;
  llvm::handleAllErrors(
      std::move(E),
      [&](const ffi::ExitRequest &X) {
        Text = "exit " + std::to_string(X.code());
      },
      [&](const llvm::ErrorInfoBase &X) { Text = X.message(); });
  return Text;
}

Outcome jit::test::callCapturing(
    const std::function<llvm::Expected<uint64_t>()> &Call) {
  std::fflush(stdout);
  testing::internal::CaptureStdout();
  llvm::Expected<uint64_t> R = Call();
  std::fflush(stdout);
  Outcome O;
  O.Stdout = testing::internal::GetCapturedStdout();
  if (R) {
    O.Result = "ret " + std::to_string(*R);
    return O;
  }
  std::string Text = errorText(R.takeError());
  O.Result = Text.rfind("exit ", 0) == 0 ? Text : "error: " + Text;
  return O;
}

std::unique_ptr<jit::Session> jit::test::newSession(Options Opts) {
  auto S = Session::create(Opts);
  if (!S) {
    ADD_FAILURE() << "Session::create: " << llvm::toString(S.takeError());
    return nullptr;
  }
  return std::move(*S);
}

Outcome jit::test::run(const Backend &B, const mir::Module &M,
                       const std::string &Fn,
                       const std::vector<uint64_t> &Args) {
  if (B.Opt < 0) {
    auto I = interp::Interpreter::create();
    if (!I)
      return {"", "create error: " + errorText(I.takeError())};
    if (llvm::Error E = (*I)->load(M))
      return {"", "load error: " + errorText(std::move(E))};
    return callCapturing([&] { return (*I)->call(Fn, Args); });
  }
  Options Opts;
  Opts.OptLevel = unsigned(B.Opt);
  auto S = Session::create(Opts);
  if (!S)
    return {"", "create error: " + errorText(S.takeError())};
  if (llvm::Error E = (*S)->load(M))
    return {"", "load error: " + errorText(std::move(E))};
  return callCapturing([&] { return (*S)->call(Fn, Args); });
}

Outcome jit::test::expectSameEverywhere(const mir::Module &M,
                                        const std::string &Fn,
                                        const std::vector<uint64_t> &Args) {
  Outcome Want = run(Interp, M, Fn, Args);
  for (const Backend &B : {JitO0, JitO2})
    EXPECT_EQ(run(B, M, Fn, Args), Want) << "on " << B.name();
  return Want;
}
