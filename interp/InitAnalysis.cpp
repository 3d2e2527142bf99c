//===- interp/InitAnalysis.cpp - Locals read before they are written ------===//
//
// Every local starts at zero (docs/SEMANTICS.md "Values"), but zeroing all
// of them on each call would cost every call. A forward must-be-written
// analysis finds the locals some path may read before writing; only those
// are zeroed on entry (none in the usual function).
//
//===----------------------------------------------------------------------===//

#include "interp/Lowering.h"

#include "llvm/ADT/BitVector.h"

using namespace llvm;

namespace spl::interp {

std::vector<bool> localsReadBeforeWritten(const mir::Function &F) {
  size_t N = F.Locals.size();
  std::vector<bool> Need(N, false);
  DenseMap<mir::BlockId, unsigned> Index;
  for (auto [K, B] : enumerate(F.Blocks))
    Index[B.Id] = unsigned(K);
  auto EntryIt = Index.find(F.EntryBlock);
  if (EntryIt == Index.end())
    return Need;

  BitVector Args(N);
  for (auto [K, L] : enumerate(F.Locals))
    if (L.Kind == mir::LocalKind::Arg)
      Args.set(K);
  const mir::Local *RetLocal = F.returnLocal();
  int RetIndex = RetLocal ? F.localIndex(RetLocal->Id) : -1;

  // A successor and the locals the edge itself writes (a CallTerminator's
  // dest on the normal edge, its payload and tag dests on the unwind edge).
  struct Edge {
    mir::BlockId To;
    std::optional<mir::LocalId> W1, W2;
  };
  auto Successors = [&](const mir::Terminator &T) {
    SmallVector<Edge, 4> S;
    switch (T.K) {
    case mir::TermKind::Goto:
      S.push_back({T.Target, {}, {}});
      break;
    case mir::TermKind::If:
      S.push_back({T.Target, {}, {}});
      S.push_back({T.Else, {}, {}});
      break;
    case mir::TermKind::Switch:
      S.push_back({T.Target, {}, {}});
      for (const mir::SwitchCase &C : T.Cases)
        S.push_back({C.Target, {}, {}});
      break;
    case mir::TermKind::CallTerminator:
      S.push_back({T.Target, T.Dest, {}});
      if (T.Unwind)
        S.push_back({*T.Unwind, T.PayloadDest, T.TagDest});
      break;
    default:
      break;
    }
    return S;
  };
  // Walks block B from In: reports each local read while not yet written
  // (when Report) and leaves In as the set written at B's end.
  auto Walk = [&](const mir::Block &B, auto &Set, bool Report) {
    auto Read = [&](const mir::Operand &O) {
      if (O.isConst())
        return;
      int K = F.localIndex(O.Local);
      if (Report && K >= 0 && !Set.test(K))
        Need[K] = true;
    };
    for (const mir::Inst &I : B.Insts) {
      for (const mir::Operand &O : I.ops())
        Read(O);
      if (I.Op == mir::Opcode::Call || I.Op == mir::Opcode::CallIndirect)
        Read(I.callee());
      if (I.hasDest())
        if (int K = F.localIndex(I.dest()); K >= 0)
          Set.set(K);
    }
    if (B.Term.K == mir::TermKind::CallTerminator) {
      for (const mir::Operand &O : B.Term.Args)
        Read(O);
      Read(B.Term.Callee);
    }
    if (B.Term.Tag)
      Read(*B.Term.Tag);
    if (B.Term.Value)
      Read(*B.Term.Value);
    else if (B.Term.K == mir::TermKind::Return && RetIndex >= 0 && Report &&
             !Set.test(RetIndex))
      Need[RetIndex] = true;
  };

  // The dataflow below keeps a set of all locals per block: blocks x locals
  // bits. Past 2^24 bits (2 MiB; 4,096 blocks and locals) a block-local rule
  // takes over, linear in the function: a local counts as read before
  // written when some block reads it before writing it itself. That rule
  // zeroes more locals (those a path writes in an earlier block), never
  // fewer, so it stays exact about what a program sees; it only costs a
  // few zero stores per call of a function that large. (200,000 blocks and
  // locals took 5 GB and 18 s with the dataflow.)
  if (uint64_t(F.Blocks.size()) * N > (uint64_t(1) << 24)) {
    // Stamp[k] == the current block's number + 1: written in this block.
    struct StampSet {
      std::vector<uint32_t> &Stamp;
      const BitVector &Args;
      uint32_t Cur;
      bool test(int K) const { return Stamp[K] == Cur || Args.test(K); }
      void set(int K) { Stamp[K] = Cur; }
    };
    std::vector<uint32_t> Stamp(N, 0);
    for (auto [K, B] : enumerate(F.Blocks)) {
      StampSet Set{Stamp, Args, uint32_t(K) + 1};
      Walk(B, Set, true);
    }
    return Need;
  }

  // In[b]: the locals written on every path to b; unreached blocks stay
  // unvisited (they never run).
  std::vector<BitVector> In(F.Blocks.size());
  std::vector<bool> Seen(F.Blocks.size(), false);
  In[EntryIt->second] = Args;
  Seen[EntryIt->second] = true;
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto [K, B] : enumerate(F.Blocks)) {
      if (!Seen[K])
        continue;
      BitVector Out = In[K];
      Walk(B, Out, false);
      for (const Edge &E : Successors(B.Term)) {
        auto It = Index.find(E.To);
        if (It == Index.end())
          continue;
        unsigned SI = It->second;
        BitVector Next = Out;
        for (std::optional<mir::LocalId> W : {E.W1, E.W2})
          if (W)
            if (int L = F.localIndex(*W); L >= 0)
              Next.set(L);
        if (Seen[SI])
          Next &= In[SI];
        if (SI == EntryIt->second)
          Next &= Args;
        if (!Seen[SI] || Next != In[SI]) {
          In[SI] = std::move(Next);
          Seen[SI] = true;
          Changed = true;
        }
      }
    }
  }
  for (auto [K, B] : enumerate(F.Blocks))
    if (Seen[K]) {
      BitVector Set = In[K];
      Walk(B, Set, true);
    }
  return Need;
}

} // namespace spl::interp
