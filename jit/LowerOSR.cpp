//===- jit/LowerOSR.cpp - Continuations of running calls ------------------===//
//
// (osr) A continuation of F is F lowered as usual with another prologue and
// another home for its Alloc areas (docs/SEMANTICS.md "Tiers and on-stack
// replacement"):
//
//   entry:  the allocas of all locals, as in F;
//           each local = fromSlot(frame[LocalWord]) (mir::FrameImage);
//           the predecessor slot of a function with SsaPhi likewise;
//           switch block: one case per target block of the image
//
// One continuation serves every loop of F: the running call passes the
// block it is at, so a call that got hot in any loop moves at its next
// back-edge, and one compile covers them all. Only the image's targets
// (where the other tier's back-edges go) are entered: each is the first
// block of a loop in the other tier's layout, so the loops stay reducible.
//
// Its Alloc instructions use the running call's areas, at their words of
// the frame, instead of allocas: the frame stays alive below this code
// while it runs, so pointers into the areas (in locals, in memory, held by
// the runtime) stay valid, and an Alloc that runs again reuses its one area
// as it did before. Only the continuation pays for it (the optimiser
// cannot promote those areas to registers), for the rest of the one call.
//
// The frame is only read in the prologue: from then on the locals are the
// allocas (promoted to registers as usual). F's own entry block is not
// reached unless a loop goes back to it.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

using namespace llvm;
using namespace spl;
using namespace spl::jit;

std::string jit::osrSymbol(StringRef Fn, unsigned Batch) {
  return (Fn + ".b" + Twine(Batch) + ".osr").str();
}
std::string jit::osrEntrySymbol(StringRef Fn, unsigned Batch) {
  return (Fn + ".b" + Twine(Batch) + ".osr.entry").str();
}

Error FunctionLowerer::emitContinuationPrologue() {
  const mir::FrameImage &Img = *OSR;
  if (Img.LocalWord.size() != F.Locals.size())
    return error("internal error: the frame image describes " +
                 Twine(Img.LocalWord.size()) + " locals, the function has " +
                 Twine(F.Locals.size()));
  if (Img.Targets.empty())
    return error("internal error: the frame image has no target block");
  Frame = Fn->getArg(1);
  Frame->setName("frame");
  auto Word = [&](int32_t W) {
    return B.CreateLoad(B.getInt64Ty(),
                        B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Frame, W));
  };
  for (size_t I = 0; I < F.Locals.size(); ++I) {
    const mir::Local &L = F.Locals[I];
    if (Img.LocalWord[I] < 0 || L.Ty.isVoid() || !hasValueForm(L.Ty))
      continue;
    if (Error E = write(L.Id, fromSlot(B, Word(Img.LocalWord[I]), L.Ty), L.Ty))
      return E;
  }
  if (PredSlot && Img.PredWord >= 0)
    B.CreateStore(Word(Img.PredWord), PredSlot);
  // Any other block number is not one the other tier passes: the first
  // target stands in for it (never taken).
  Value *Block = Fn->getArg(2);
  Block->setName("block");
  std::vector<int> Index;
  for (mir::BlockId Id : Img.Targets) {
    int K = F.blockIndex(Id);
    if (K < 0)
      return error("internal error: the frame image's target bb" + Twine(Id) +
                   " does not exist");
    Index.push_back(K);
  }
  SwitchInst *S = B.CreateSwitch(Block, Blocks[Index[0]], Index.size());
  for (auto [K, Id] : enumerate(Img.Targets))
    S->addCase(B.getInt32(Id), Blocks[Index[K]]);
  PrologueEnd = S;
  return Error::success();
}

Expected<Value *> FunctionLowerer::frameAllocArea(const mir::Inst &I) {
  // CurBlock and CurInst name the instruction being lowered.
  uint32_t BI = uint32_t(CurBlock - F.Blocks.data());
  uint32_t II = uint32_t(CurInst);
  for (const mir::FrameImage::AllocArea &A : OSR->Allocs)
    if (A.Block == BI && A.Inst == II)
      return B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Frame, A.Word,
                                          "alloc");
  return error("internal error: the frame image has no area for this Alloc");
}
