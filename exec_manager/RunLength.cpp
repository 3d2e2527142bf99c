//===- exec_manager/RunLength.cpp - Which calls may run long --------------===//
//
// The auto backend's static tiering signal. A call may run long when the
// function, or any function it can reach by calls, has a loop (a back edge
// in its control flow) or takes part in a cycle of calls, or calls through a
// function pointer (target unknown). Such a call is worth the JIT's compile
// time at once: the interpreter cannot hand a running loop to native code,
// so waiting for a second call would leave a long first call interpreted.
// Loop-free, call-acyclic code is bounded by its size and stays interpreted.
//
//===----------------------------------------------------------------------===//
#include "exec_manager/Backend.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"

#include <functional>

using namespace llvm;

namespace spl {
namespace {
/// Successor block ids of B's terminator.
SmallVector<mir::BlockId, 4> successors(const mir::Block &B) {
  const mir::Terminator &T = B.Term;
  switch (T.K) {
  case mir::TermKind::Goto:
    return {T.Target};
  case mir::TermKind::If:
    return {T.Target, T.Else};
  case mir::TermKind::Switch: {
    SmallVector<mir::BlockId, 4> S{T.Target};
    for (const mir::SwitchCase &C : T.Cases)
      S.push_back(C.Target);
    return S;
  }
  default:
    return {};
  }
}

/// A back edge exists iff a depth-first walk from the entry meets a block
/// that is still on its stack.
bool hasLoop(const mir::Function &F) {
  enum State : uint8_t { New, OnStack, Done };
  DenseMap<mir::BlockId, State> Seen;
  SmallVector<std::pair<const mir::Block *, unsigned>, 16> Stack;
  const mir::Block *Entry = F.block(F.EntryBlock);
  if (!Entry)
    return false;
  Stack.push_back({Entry, 0});
  Seen[Entry->Id] = OnStack;
  while (!Stack.empty()) {
    auto &[B, Next] = Stack.back();
    SmallVector<mir::BlockId, 4> Succ = successors(*B);
    if (Next == Succ.size()) {
      Seen[B->Id] = Done;
      Stack.pop_back();
      continue;
    }
    mir::BlockId S = Succ[Next++];
    State &St = Seen[S];
    if (St == OnStack)
      return true;
    if (St == New)
      if (const mir::Block *SB = F.block(S)) {
        St = OnStack;
        Stack.push_back({SB, 0});
      }
  }
  return false;
}
} // namespace

bool mayRunLong(StringRef Fn, const StringMap<mir::Function> &Program,
                const DenseMap<int64_t, StringRef> &BySymbol) {
  // Walk the call graph from Fn; a function met again while still on the
  // walk's stack closes a cycle of calls.
  StringSet<> Done, OnStack;
  std::function<bool(StringRef)> Visit = [&](StringRef Name) -> bool {
    if (OnStack.contains(Name))
      return true;
    if (Done.contains(Name))
      return false;
    auto It = Program.find(Name);
    if (It == Program.end())
      return false; // an extern or a function not yet arrived
    const mir::Function &F = It->second;
    if (hasLoop(F))
      return true;
    OnStack.insert(Name);
    for (const mir::Block &B : F.Blocks)
      for (const mir::Inst &I : B.Insts) {
        if (I.Op == mir::Opcode::CallIndirect)
          return true;
        if (I.Op != mir::Opcode::Call || !I.callee().isConst())
          continue;
        const mir::Constant &C = I.callee().constant();
        StringRef Callee;
        if (C.K == mir::Constant::Kind::Str)
          Callee = C.S;
        else if (C.K == mir::Constant::Kind::Int)
          if (auto S = BySymbol.find(int64_t(C.Bits)); S != BySymbol.end())
            Callee = S->second;
        if (!Callee.empty() && Visit(Callee))
          return true;
      }
    OnStack.erase(Name);
    Done.insert(Name);
    return false;
  };
  return Visit(Fn);
}

} // namespace spl
