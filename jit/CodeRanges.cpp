//===- jit/CodeRanges.cpp - JIT'd functions in ffi's code-range table -----===//
//
// A memory fault in JIT code names the MIR function whose machine code holds
// the faulting PC (ffi/Signals.cpp), and CallIndirect accepts an address in
// JIT code as a function (ffi::isCodeAddress). Both read ffi's lock-free
// table; this JITLink plugin fills it: after fixups, every named callable
// symbol of the graph becomes a range named by its MIR function (the symbol
// without the backend's suffixes), registered under the ResourceKey of the
// code's tracker and unregistered when ORC removes that code.
//
//===----------------------------------------------------------------------===//
#include "SessionImpl.h"

#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"

#include <map>
#include <mutex>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {

/// "fib.b3.entry" -> "fib", "fib.cabi0" -> "fib", "fib.undef" -> "fib",
/// "fib.b3.osr" -> "fib".
StringRef mirName(StringRef Sym) {
  Sym.consume_back(".entry") || Sym.consume_back(".body");
  Sym.consume_back(".osr");
  for (StringRef Suffix : {".b", ".cabi"}) {
    size_t Dot = Sym.rfind(Suffix);
    if (Dot == StringRef::npos || Dot == 0)
      continue;
    StringRef Digits = Sym.substr(Dot + Suffix.size());
    if (!Digits.empty() &&
        Digits.find_first_not_of("0123456789") == StringRef::npos)
      return Sym.take_front(Dot);
  }
  Sym.consume_back(".undef") || Sym.consume_back(".stub");
  return Sym;
}

class CodeRangePlugin final : public orc::ObjectLinkingLayer::Plugin {
public:
  ~CodeRangePlugin() override {
    for (auto &[K, Ids] : Live)
      for (uint32_t Id : Ids)
        ffi::unregisterCodeRange(Id);
  }

  void modifyPassConfig(orc::MaterializationResponsibility &MR,
                        jitlink::LinkGraph &,
                        jitlink::PassConfiguration &Config) override {
    Config.PostFixupPasses.push_back([this, &MR](jitlink::LinkGraph &G) {
      std::vector<uint32_t> Ids;
      for (jitlink::Symbol *S : G.defined_symbols()) {
        if (!S->hasName() || !S->isCallable() || !S->getSize())
          continue;
        const char *B = S->getAddress().toPtr<const char *>();
        if (uint32_t Id =
                ffi::registerCodeRange(B, B + S->getSize(),
                                       mirName(S->getName()),
                                       /*MachineCode=*/true))
          Ids.push_back(Id);
      }
      std::lock_guard<std::mutex> L(Mu);
      auto &P = Pending[&MR];
      P.insert(P.end(), Ids.begin(), Ids.end());
      return Error::success();
    });
  }

  Error notifyEmitted(orc::MaterializationResponsibility &MR) override {
    std::vector<uint32_t> Ids;
    {
      std::lock_guard<std::mutex> L(Mu);
      auto It = Pending.find(&MR);
      if (It == Pending.end())
        return Error::success();
      Ids = std::move(It->second);
      Pending.erase(It);
    }
    return MR.withResourceKeyDo([&](orc::ResourceKey K) {
      std::lock_guard<std::mutex> L(Mu);
      auto &V = Live[K];
      V.insert(V.end(), Ids.begin(), Ids.end());
    });
  }

  Error notifyFailed(orc::MaterializationResponsibility &MR) override {
    std::lock_guard<std::mutex> L(Mu);
    auto It = Pending.find(&MR);
    if (It != Pending.end()) {
      for (uint32_t Id : It->second)
        ffi::unregisterCodeRange(Id);
      Pending.erase(It);
    }
    return Error::success();
  }

  Error notifyRemovingResources(orc::JITDylib &, orc::ResourceKey K) override {
    std::lock_guard<std::mutex> L(Mu);
    auto It = Live.find(K);
    if (It != Live.end()) {
      for (uint32_t Id : It->second)
        ffi::unregisterCodeRange(Id);
      Live.erase(It);
    }
    return Error::success();
  }

  void notifyTransferringResources(orc::JITDylib &, orc::ResourceKey Dst,
                                   orc::ResourceKey Src) override {
    std::lock_guard<std::mutex> L(Mu);
    auto It = Live.find(Src);
    if (It == Live.end())
      return;
    auto &V = Live[Dst];
    V.insert(V.end(), It->second.begin(), It->second.end());
    Live.erase(Src);
  }

private:
  std::mutex Mu;
  std::map<orc::MaterializationResponsibility *, std::vector<uint32_t>>
      Pending;
  std::map<orc::ResourceKey, std::vector<uint32_t>> Live;
};

} // namespace

Error Session::Impl::registerCodeRanges() {
  auto *OLL = dyn_cast<orc::ObjectLinkingLayer>(&J->getObjLinkingLayer());
  if (!OLL)
    return createStringError(inconvertibleErrorCode(),
                             "llvm backend: code ranges need JITLink");
  OLL->addPlugin(std::make_unique<CodeRangePlugin>());
  return Error::success();
}
