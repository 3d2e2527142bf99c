//===- jit/CodeMemory.cpp - JIT memory with a per-session cap --------------===//
//
// JITLink's in-process memory manager, behind a wrapper that counts the pages
// each linked object takes (its contiguous page-based layout: what the inner
// manager reserves) and refuses an allocation that would take the session
// past ffi::CallLimits::MaxCodeBytes. The refusal is an ordinary link
// failure: the batch's materialization fails, load() reports it and removes
// the batch, and everything loaded before stays callable.
//
//===----------------------------------------------------------------------===//
#include "SessionImpl.h"

#include "llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h"
#include "llvm/Support/Process.h"

#include <mutex>
#include <optional>
#include <string>

using namespace llvm;
using namespace llvm::jitlink;
using namespace spl;

namespace {

class CappedMemoryManager final : public JITLinkMemoryManager {
public:
  CappedMemoryManager(JITLinkMemoryManager &Inner,
                      const std::atomic<uint64_t> &Limit)
      : Inner(Inner), Limit(Limit),
        PageSize(sys::Process::getPageSizeEstimate()) {}

  using JITLinkMemoryManager::allocate;
  using JITLinkMemoryManager::deallocate;

  void allocate(const JITLinkDylib *JD, LinkGraph &G,
                OnAllocatedFunction OnAllocated) override {
    BasicLayout BL(G);
    auto Sizes = BL.getContiguousPageBasedLayoutSizes(PageSize);
    if (!Sizes) {
      OnAllocated(Sizes.takeError());
      return;
    }
    uint64_t Need = Sizes->total();
    {
      std::lock_guard<std::mutex> L(Mu);
      uint64_t Max = Limit.load(std::memory_order_relaxed);
      if (Max && (Need > Max || Used > Max - Need)) {
        std::string Msg = ("JIT code memory limit of " + Twine(Max) +
                           " bytes exceeded (" + Twine(Used) +
                           " bytes in use, " + Twine(Need) +
                           " more needed; Options::MaxCodeBytes)")
                              .str();
        // ORC reports the link error to the session and the lookup only
        // says "Failed to materialize": load() asks for this text instead.
        Refusal = Msg;
        OnAllocated(createStringError(inconvertibleErrorCode(), Msg));
        return;
      }
      Used += Need;
    }
    Inner.allocate(JD, G,
                   [this, Need, OnAllocated = std::move(OnAllocated)](
                       AllocResult R) mutable {
                     if (!R) {
                       release(Need);
                       OnAllocated(R.takeError());
                       return;
                     }
                     OnAllocated(std::make_unique<Counted>(
                         *this, std::move(*R), Need));
                   });
  }

  std::optional<std::string> takeRefusal() {
    std::lock_guard<std::mutex> L(Mu);
    std::optional<std::string> R = std::move(Refusal);
    Refusal.reset();
    return R;
  }

  void deallocate(std::vector<FinalizedAlloc> Allocs,
                  OnDeallocatedFunction OnDeallocated) override {
    {
      std::lock_guard<std::mutex> L(Mu);
      for (const FinalizedAlloc &A : Allocs) {
        auto It = Sizes.find(A.getAddress().getValue());
        if (It == Sizes.end())
          continue;
        Used -= It->second;
        Sizes.erase(It);
      }
    }
    Inner.deallocate(std::move(Allocs), std::move(OnDeallocated));
  }

private:
  /// An allocation between allocate and finalize: its bytes are counted
  /// from allocate on, and given back if it is abandoned.
  class Counted final : public InFlightAlloc {
  public:
    Counted(CappedMemoryManager &MM, std::unique_ptr<InFlightAlloc> A,
            uint64_t Bytes)
        : MM(MM), A(std::move(A)), Bytes(Bytes) {}
    void finalize(OnFinalizedFunction OnFinalized) override {
      A->finalize([this, OnFinalized = std::move(OnFinalized)](
                      Expected<FinalizedAlloc> FA) mutable {
        if (!FA)
          MM.release(Bytes);
        else
          MM.record(FA->getAddress().getValue(), Bytes);
        OnFinalized(std::move(FA));
      });
    }
    void abandon(OnAbandonedFunction OnAbandoned) override {
      MM.release(Bytes);
      A->abandon(std::move(OnAbandoned));
    }

  private:
    CappedMemoryManager &MM;
    std::unique_ptr<InFlightAlloc> A;
    uint64_t Bytes;
  };

  void release(uint64_t Bytes) {
    std::lock_guard<std::mutex> L(Mu);
    Used -= Bytes;
  }
  void record(uint64_t Address, uint64_t Bytes) {
    std::lock_guard<std::mutex> L(Mu);
    Sizes[Address] += Bytes;
  }

  JITLinkMemoryManager &Inner;
  const std::atomic<uint64_t> &Limit;
  uint64_t PageSize;
  std::mutex Mu;
  uint64_t Used = 0;
  DenseMap<uint64_t, uint64_t> Sizes; // finalized allocation -> its bytes
  std::optional<std::string> Refusal;  // the last refusal, until taken
};

} // namespace

std::unique_ptr<JITLinkMemoryManager>
jit::makeCappedMemoryManager(JITLinkMemoryManager &Inner,
                             const std::atomic<uint64_t> &Limit) {
  return std::make_unique<CappedMemoryManager>(Inner, Limit);
}

std::optional<std::string>
jit::takeCodeMemoryRefusal(JITLinkMemoryManager &MM) {
  return static_cast<CappedMemoryManager &>(MM).takeRefusal();
}
