//===- interp/Profile.cpp - Call and back-edge counts for tiering ---------===//
//
// The dispatch loop only decrements a countdown (Bytecode.h "Countdowns"); what
// it counted is folded here, when a countdown runs out, and the
// interpreter's hot hook hears of the definition once. After that the
// countdowns are re-armed so far away that the loop comes back only to fold
// (about every 2^30 events), which keeps Calls and BackEdges exact enough
// for observation (an update another thread raced away is lost).
//
//===----------------------------------------------------------------------===//

#include "interp/Bytecode.h"

#include <algorithm>

namespace spl::interp {

/// Where a countdown is re-armed once its definition has been reported.
static constexpr int32_t FarAway = int32_t(1) << 30;

static int32_t armedFor(uint32_t Threshold) {
  // Fires on the Threshold-th event: the countdown starts at Threshold - 1
  // and the event that finds it at 0 fires (Run.cpp COUNT_CALL).
  return Threshold == 0 ? FarAway : int32_t(std::min<uint32_t>(Threshold, FarAway) - 1);
}

/// Arms one countdown to fire after Threshold events. Armed and Left move
/// together: counted() reads what was consumed as their difference.
static void arm(std::atomic<int32_t> &Armed, int32_t &Left,
                uint32_t Threshold) {
  Armed.store(armedFor(Threshold), std::memory_order_relaxed);
  __atomic_store_n(&Left, armedFor(Threshold), __ATOMIC_RELAXED);
}

void armProfile(Countdowns &P, uint32_t Calls, uint32_t Edges) {
  arm(P.CallsArmed, P.CallsLeft, Calls);
  arm(P.EdgesArmed, P.EdgesLeft, Edges);
}

/// Counted so far by one countdown: what earlier arms folded, plus what the
/// current arm consumed.
static uint64_t counted(const std::atomic<uint64_t> &Folded,
                        const std::atomic<int32_t> &Armed, const int32_t &Left) {
  int64_t Used = int64_t(Armed.load(std::memory_order_relaxed)) -
                 int64_t(__atomic_load_n(&Left, __ATOMIC_RELAXED));
  return Folded.load(std::memory_order_relaxed) + uint64_t(std::max<int64_t>(Used, 0));
}

uint64_t profileCalls(const Countdowns &P) {
  return counted(P.CallsFolded, P.CallsArmed, P.CallsLeft);
}

uint64_t profileEdges(const Countdowns &P) {
  return counted(P.EdgesFolded, P.EdgesArmed, P.EdgesLeft);
}

/// Folds one countdown and re-arms it far away.
static void fold(std::atomic<uint64_t> &Folded, std::atomic<int32_t> &Armed,
                 int32_t &Left) {
  int32_t Now = __atomic_exchange_n(&Left, FarAway, __ATOMIC_RELAXED);
  int64_t Used = int64_t(Armed.exchange(FarAway, std::memory_order_relaxed)) -
                 int64_t(Now);
  Folded.fetch_add(uint64_t(std::max<int64_t>(Used, 0)),
                   std::memory_order_relaxed);
}

void profileSlowPath(const Callee *C, bool ByEdges) {
  Countdowns &P = C->Prof;
  if (ByEdges)
    fold(P.EdgesFolded, P.EdgesArmed, P.EdgesLeft);
  else
    fold(P.CallsFolded, P.CallsArmed, P.CallsLeft);
  if (!C->Hook)
    return;
  // Once per definition; and once more when its loops get hot after its
  // calls did (a running call then wants a continuation: Tiered.h).
  bool First = !P.Reported.exchange(true, std::memory_order_acq_rel);
  bool FirstLoop =
      ByEdges && !P.LoopReported.exchange(true, std::memory_order_acq_rel);
  if (First || FirstLoop)
    C->Hook->Hot(C->Hook, C, ByEdges);
}

/// (osr) Back-edges between two looks for a continuation while one is
/// being prepared: the slow path costs a binary search of BlockAt, so
/// every 256th edge keeps its share of a loop iteration well below 1%,
/// while a loop of a few ns per iteration still moves within a few µs of
/// the entry's publication.
static constexpr int32_t OsrRecheck = 256;

mir::OSREntryFn edgeSlowPath(const Callee *C, const uint64_t *From,
                             const uint64_t *IP, mir::BlockId &Block) {
  profileSlowPath(C, /*ByEdges=*/true);
  Countdowns &P = C->Prof;
  if (!P.OsrPending.load(std::memory_order_acquire))
    return nullptr; // profileSlowPath re-armed it far away
  // Look again soon (fold() above left Armed == Left: nothing is lost).
  arm(P.EdgesArmed, P.EdgesLeft, OsrRecheck);
  mir::OSREntryFn E = P.OsrEntry.load(std::memory_order_acquire);
  const CompiledFunction *Fn = C->Fn;
  if (!E || !Fn)
    return nullptr;
  // A copied loop test goes on from the loop's header: compiled code then
  // enters its loops where their tests are, as compiled code of the whole
  // function does, and optimises them alike.
  uint32_t JumpAt = uint32_t(From - Fn->Code.get());
  auto Copy = std::lower_bound(Fn->CopiedTests.begin(), Fn->CopiedTests.end(),
                               std::make_pair(JumpAt, mir::BlockId(0)));
  if (Copy != Fn->CopiedTests.end() && Copy->first == JumpAt) {
    Block = Copy->second;
    P.OsrTransfers.fetch_add(1, std::memory_order_relaxed);
    return E;
  }
  // Else only at the start of a block the continuation can start at (a
  // jump not taken falls through to the middle of one).
  uint32_t Offset = uint32_t(IP - Fn->Code.get());
  auto It = std::lower_bound(Fn->BlockAt.begin(), Fn->BlockAt.end(),
                             std::make_pair(Offset, mir::BlockId(0)));
  if (It == Fn->BlockAt.end() || It->first != Offset)
    return nullptr;
  const std::vector<mir::BlockId> &T = Fn->Image.Targets;
  if (std::find(T.begin(), T.end(), It->second) == T.end())
    return nullptr;
  Block = It->second;
  P.OsrTransfers.fetch_add(1, std::memory_order_relaxed);
  return E;
}

} // namespace spl::interp
