//===- jit/BatchResolver.h - How one batch's calls resolve ------*- C++ -*-===//
//
// Private to jit/. The session's CalleeResolver for one load (Resolve.cpp):
// classifies every callee of the batch, binds every call of a program
// function to a signature, and records which stubs, externs, adapters and
// host trampolines the batch needs (Load.cpp links them).
//
// Signatures (docs/SEMANTICS.md "Redefinition"). A call of a program
// function is bound, when its caller is first lowered, to the callee's own
// signature if the callee is known then (in the caller's module, the batch,
// the session or the host), else to its call-site signature
// (mir::boundCallSignature). If the callee's signature now differs, the call
// is the stale-signature trap. Each function records how it bound its calls
// (FunctionRecord::Bindings), so lowering it again (a redefinition of a
// function it calls) binds them the same way; functions the host gave the
// session are bound as the host bound them (HostFunctions::binding), so
// native code does what the host's code did.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_BATCHRESOLVER_H
#define SPL_JIT_BATCHRESOLVER_H

#include "SessionImpl.h"

#include <set>
#include <unordered_map>

namespace spl::jit {

/// The name a stub answers to for a callee known only by symbol id that no
/// loaded function has (yet); it is repointed when such a function arrives.
std::string symbolStubName(int64_t Symbol);

class BatchResolver : public CalleeResolver {
public:
  /// Relowered: functions of the batch lowered again (their recorded
  /// bindings hold).
  BatchResolver(Session::Impl &S, const llvm::StringMap<unsigned> &Index,
                llvm::ArrayRef<BatchInput> Inputs, unsigned Batch,
                const llvm::StringSet<> &Relowered)
      : S(S), Index(Index), Inputs(Inputs), Batch(Batch),
        Relowered(Relowered) {}

  llvm::Expected<CallTarget>
  callTarget(const mir::Module &Scope, const mir::Function &Caller,
             const mir::Constant &Callee,
             llvm::ArrayRef<mir::Type> ArgTypes) override;
  llvm::Expected<CallTarget>
  externTarget(const mir::Module &Scope, llvm::StringRef Name,
               const mir::Signature &Site,
               llvm::ArrayRef<mir::Type> ArgTypes) override;
  llvm::Expected<std::string>
  functionPointer(const mir::Module &Scope,
                  const mir::Constant &Callee) override;
  uint64_t *globalCell(int64_t Symbol) override {
    Cells.insert(Symbol);
    return S.Globals->cell(Symbol);
  }

  llvm::StringSet<> StubsUsed, Externs;
  std::set<int64_t> Cells; // GlobalAddr cells the batch reaches
  std::vector<AdapterRequest> NewAdapters;
  /// Stubs of host functions the batch calls: name -> (handle, signature).
  llvm::StringMap<std::pair<const void *, mir::Signature>> HostStubs;
  /// Per function of the batch: how it bound its calls, its stub calls.
  llvm::StringMap<llvm::StringMap<CallRecord>> Bindings;
  llvm::StringMap<std::vector<StubEdge>> StubEdges;

private:
  std::string nameOf(const mir::Module &Scope, const mir::Constant &Callee);
  /// How Caller binds its call of Callee: recorded, the host's, or now.
  llvm::Expected<CallRecord> bind(const mir::Module &Scope,
                                  const mir::Function &Caller,
                                  const mir::Constant &Callee,
                                  llvm::ArrayRef<mir::Type> ArgTypes);
  /// The functions of Scope by name and by symbol, indexed on first use:
  /// a linear search per call would make lowering quadratic in the module.
  struct ScopeIndex {
    llvm::StringMap<const mir::Function *> ByName;
    // (std::unordered_map: any int64 is a valid symbol, and DenseMap
    // reserves two.)
    std::unordered_map<int64_t, const mir::Function *> BySymbol;
  };
  const ScopeIndex &indexOf(const mir::Module &Scope);
  llvm::DenseMap<const mir::Module *, std::unique_ptr<ScopeIndex>> Scopes;

  Session::Impl &S;
  const llvm::StringMap<unsigned> &Index;
  llvm::ArrayRef<BatchInput> Inputs;
  unsigned Batch;
  const llvm::StringSet<> &Relowered;
};

} // namespace spl::jit

#endif // SPL_JIT_BATCHRESOLVER_H
