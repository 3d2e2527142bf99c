//===- interp/Poll.cpp - The dispatch loop's interrupt polls --------------===//
//
// ffi/FFI.h "Interrupts and time budgets". An interrupt reaches the dispatch
// loop by signal: the handler ends the call when it finds the thread in
// run() itself (registerDispatchCode tells ffi where that is), which keeps
// its state in registers and its frames on the value stack, so it may stop
// between any two of its instructions. Code that spends its time outside
// run() (an extern, a runtime function, libm) is left running by the
// handler; so the lowering polls the flag where such code runs (planPolls):
//   * a back-edge (the *P jump opcodes, for a jump to code at or before
//     itself) polls when the cycle it closes may call out of run();
//   * the function's entry (the Poll opcode first) when it may call out
//     anywhere, so loop-free code of that kind that is called again and
//     again notices the flag too.
// Where interrupts do not come by signal (ffi::interruptsBySignal false, or
// a build without computed goto, whose dispatch code is not located), every
// back-edge and every entry polls.
//
// Only a raised flag gets to pollSlowPath; the decision is ffi::pollSlow's.
// A poll does not carry its function, so the name is found from IP, and only
// when the call really ends.
//
//===----------------------------------------------------------------------===//

#include "interp/Lowering.h"

#include "ffi/FFI.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace spl::interp {

const uint32_t ValueStack::NeverRaised = 0;

static const char *functionAt(const ValueStack *S, const uint64_t *IP) {
  if (!S->Functions)
    return "";
  // A load on another thread may be adding functions (and never frees any:
  // the name stays valid after the lock).
  std::lock_guard<std::mutex> L(S->Functions->Mu);
  for (const auto &F : S->Functions->All)
    if (IP >= F->Code.get() && IP < F->Code.get() + F->CodeWords)
      return F->Name.c_str();
  return "";
}

void pollSlowPath(const ValueStack *S, const CompiledFunction *Fn,
                  const uint64_t *IP) {
  if (!S->Limits)
    return;
  ffi::pollSlow(*S->Limits, [&] {
    return Fn ? Fn->Name.c_str() : functionAt(S, IP);
  });
}

/// Whether the handler may end calls in run() (Run.cpp puts it alone in
/// a section, whose bounds the linker provides).
static bool dispatchCodeRegistered() {
  static const bool Done = [] {
    const void *Begin, *End;
    dispatchCode(Begin, End);
    return ffi::registerDispatchCode(Begin, End);
  }();
  return Done;
}

/// Whether I may keep the thread outside run() for long: a call of
/// anything but a MIR function, and the operations that call C (Aggregate
/// and most intrinsics call the runtime, float Pow and Rem call libm).
static bool leavesRun(const mir::Function &F, const mir::Inst &I,
                      llvm::function_ref<bool(llvm::StringRef)> IsExtern) {
  switch (I.Op) {
  case mir::Opcode::Call:
    if (!I.callee().isConst())
      return true;
    return I.callee().constant().K == mir::Constant::Kind::Str &&
           IsExtern(I.callee().constant().S);
  case mir::Opcode::CallIndirect:
  case mir::Opcode::Aggregate:
    return true;
  case mir::Opcode::Intrinsic:
    return I.Intr != mir::IntrinsicKind::SsaPhi &&
           I.Intr != mir::IntrinsicKind::BoundsCheck &&
           I.Intr != mir::IntrinsicKind::Sqrt;
  case mir::Opcode::BinOp:
    if (I.Bin == mir::BinOpKind::Pow)
      return true;
    if (I.Bin == mir::BinOpKind::Rem && I.hasDest())
      if (const mir::Local *L = F.local(I.dest()))
        return L->Ty.isFloat();
    return false;
  default:
    return false;
  }
}

static bool leavesRun(const mir::Terminator &T,
                      llvm::function_ref<bool(llvm::StringRef)> IsExtern) {
  if (T.K != mir::TermKind::CallTerminator)
    return false;
  if (!T.Callee.isConst())
    return true;
  return T.Callee.constant().K == mir::Constant::Kind::Str &&
         IsExtern(T.Callee.constant().S);
}

/// The successors of block B (by index; unknown ids are left out).
template <class Fn>
static void forEachSuccessor(const mir::Function &F, const mir::Block &B,
                             Fn Visit) {
  const mir::Terminator &T = B.Term;
  auto To = [&](mir::BlockId Id) {
    if (int I = F.blockIndex(Id); I >= 0)
      Visit(unsigned(I));
  };
  switch (T.K) {
  case mir::TermKind::Goto:
    To(T.Target);
    break;
  case mir::TermKind::If:
    To(T.Target);
    To(T.Else);
    break;
  case mir::TermKind::Switch:
    To(T.Target);
    for (const mir::SwitchCase &C : T.Cases)
      To(C.Target);
    break;
  case mir::TermKind::CallTerminator:
    To(T.Target);
    if (T.Unwind)
      To(*T.Unwind);
    break;
  default:
    break;
  }
}

/// The strongly connected components of F's blocks (Tarjan's algorithm,
/// with an explicit stack): a component number per block index.
static std::vector<unsigned> components(const mir::Function &F) {
  size_t N = F.Blocks.size();
  std::vector<std::vector<unsigned>> Succ(N);
  for (size_t I = 0; I < N; ++I)
    forEachSuccessor(F, F.Blocks[I], [&](unsigned J) { Succ[I].push_back(J); });
  constexpr unsigned None = ~0u;
  std::vector<unsigned> Index(N, None), Low(N), Comp(N, None), Stack;
  std::vector<bool> OnStack(N);
  std::vector<std::pair<unsigned, size_t>> Work; // (block, next successor)
  unsigned Next = 0, NextComp = 0;
  for (unsigned Root = 0; Root < N; ++Root) {
    if (Index[Root] != None)
      continue;
    Work.push_back({Root, 0});
    while (!Work.empty()) {
      auto &[V, K] = Work.back();
      if (K == 0 && Index[V] == None) {
        Index[V] = Low[V] = Next++;
        Stack.push_back(V);
        OnStack[V] = true;
      }
      if (K < Succ[V].size()) {
        unsigned W = Succ[V][K++];
        if (Index[W] == None)
          Work.push_back({W, 0});
        else if (OnStack[W])
          Low[V] = std::min(Low[V], Index[W]);
        continue;
      }
      unsigned Done = V;
      Work.pop_back();
      if (!Work.empty())
        Low[Work.back().first] = std::min(Low[Work.back().first], Low[Done]);
      if (Low[Done] != Index[Done])
        continue;
      unsigned W;
      do {
        W = Stack.back();
        Stack.pop_back();
        OnStack[W] = false;
        Comp[W] = NextComp;
      } while (W != Done);
      ++NextComp;
    }
  }
  return Comp;
}

bool measuringWithoutPolls() {
  // Read once: a measuring aid (benchmarks/README.md "Poll cost"), which
  // leaves loops that call out of MIR code uninterruptible.
  static const bool Off = [] {
    const char *V = std::getenv("SPL_MEASURE_NO_POLLS");
    return V && std::string_view(V) == "1";
  }();
  return Off;
}

PollPlan planPolls(const mir::Function &F,
                   llvm::function_ref<bool(llvm::StringRef)> IsExtern) {
  PollPlan P;
  if (measuringWithoutPolls()) {
    P.Entry = P.AllBackEdges = false;
    return P;
  }
  if (!ffi::interruptsBySignal() || !dispatchCodeRegistered())
    return P; // every entry and back-edge polls
  std::vector<unsigned> Comp = components(F);
  std::vector<bool> CompLeaves(F.Blocks.size());
  P.Entry = false;
  for (size_t I = 0; I < F.Blocks.size(); ++I) {
    const mir::Block &B = F.Blocks[I];
    bool Leaves = leavesRun(B.Term, IsExtern) ||
                  std::any_of(B.Insts.begin(), B.Insts.end(),
                              [&](const mir::Inst &In) {
                                return leavesRun(F, In, IsExtern);
                              });
    if (Leaves) {
      P.Entry = true;
      CompLeaves[Comp[I]] = true;
    }
  }
  // A jump closes a cycle only inside one component: a target whose
  // component never leaves run() needs no poll (nor does one in no cycle).
  P.AllBackEdges = false;
  for (size_t I = 0; I < F.Blocks.size(); ++I)
    if (CompLeaves[Comp[I]])
      P.PollingTargets.insert(F.Blocks[I].Id);
  return P;
}

} // namespace spl::interp
