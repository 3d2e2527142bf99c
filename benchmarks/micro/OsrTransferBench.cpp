//===- benchmarks/micro/OsrTransferBench.cpp - What moving a call costs ---===//
//
// osr_transfer_bench: the cost of one on-stack replacement, on the real
// path auto takes (interp/Profile.cpp edgeSlowPath, the dispatch loop's
// OSR_CHECK, the continuation's prologue; exec_manager/TierUp.cpp wires the
// same calls). f(n) sums 0..n-1 in a loop. Its continuation is compiled
// once by an in-process JIT session and published for f's definition; the
// interpreter then looks for it every 256 back-edges (OsrRecheck), so each
// call of f(257) runs 256 interpreted iterations and moves to native code
// at the 256th back-edge, with one iteration left.
//
//   Interpreted/257  f(257) with no continuation: 257 iterations interpreted
//   Moving/257       f(257) moving at its 256th back-edge
//
// Moving - Interpreted is the move (the look, the frame image read, the
// native call and its return) less one interpreted iteration plus one
// native one (each ~1-3 ns): the transfer cost within a few ns.
//
//===----------------------------------------------------------------------===//
#include "interp/Interpreter.h"
#include "jit/JIT.h"
#include "mir/MIR.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

using namespace spl;

namespace {

const char *Source = R"(
fn @f(i64) -> i64 {
  let _0: i64 return
  let _1 n: i64 arg 0
  let _2 i: i64 var
  let _3: bool temp
bb0:
  _0 = const i64 0
  _2 = const i64 0
  goto bb1
bb1:
  _3 = binop lt copy _2, copy _1
  if copy _3 then bb2 else bb3
bb2:
  _0 = binop add copy _0, copy _2
  _2 = binop add copy _2, const i64 1
  goto bb1
bb3:
  return
}
)";

[[noreturn]] void die(llvm::Error E) {
  std::fprintf(stderr, "osr_transfer_bench: %s\n",
               llvm::toString(std::move(E)).c_str());
  std::exit(1);
}

struct Setup {
  std::shared_ptr<const mir::Module> M;
  std::unique_ptr<jit::Session> S;
  std::unique_ptr<interp::Interpreter> Plain, Moving;
  std::vector<mir::OSREntryFn> Entries;

  Setup() {
    auto Parsed = mir::parseText(Source, "osr_transfer.mir");
    if (!Parsed)
      die(Parsed.takeError());
    M = std::make_shared<const mir::Module>(std::move(*Parsed));
    Plain = interpreter(false);
    Moving = interpreter(true);
    auto J = jit::Session::create();
    if (!J)
      die(J.takeError());
    S = std::move(*J);
    // The continuation of the definition the moving interpreter runs.
    const void *Def = Moving->definition(Moving->lookup("f"));
    const mir::FrameImage *Img = interp::Interpreter::frameImage(Def);
    if (!Img) {
      std::fprintf(stderr, "osr_transfer_bench: f has no frame image\n");
      std::exit(1);
    }
    if (llvm::Error E = S->load({{M, &M->Functions[0]}},
                                {{&M->Functions[0], Img}}, Entries))
      die(std::move(E));
    interp::Interpreter::beginContinuation(Def);
    interp::Interpreter::publishContinuation(Def, Entries.at(0));
  }

  std::unique_ptr<interp::Interpreter> interpreter(bool Counting) {
    interp::Options O;
    if (Counting) {
      // Counts back-edges (the hook itself does nothing): the countdown
      // fires at the first, then every 256th while a continuation is out.
      O.HotBackEdges = 1;
      O.OnHot = [](interp::FunctionRef, const void *, bool) {};
    }
    auto I = interp::Interpreter::create(std::move(O));
    if (!I)
      die(I.takeError());
    if (llvm::Error E = (*I)->load(*M))
      die(std::move(E));
    return std::move(*I);
  }
};

Setup &setup() {
  static Setup S;
  return S;
}

void run(benchmark::State &State, interp::Interpreter &I) {
  const uint64_t N = uint64_t(State.range(0));
  interp::FunctionRef F = I.lookup("f");
  for (auto _ : State) {
    llvm::Expected<uint64_t> R = I.call(F, {N});
    if (!R)
      die(R.takeError());
    if (*R != N * (N - 1) / 2) {
      State.SkipWithError("wrong result");
      return;
    }
  }
}

void Interpreted(benchmark::State &State) { run(State, *setup().Plain); }
void Moving(benchmark::State &State) {
  interp::Interpreter &I = *setup().Moving;
  interp::Profile Before = I.profile(I.lookup("f"));
  run(State, I);
  interp::Profile After = I.profile(I.lookup("f"));
  // One move per call, or the figure means nothing.
  State.counters["moves/call"] =
      double(After.OsrTransfers - Before.OsrTransfers) /
      double(State.iterations());
}

BENCHMARK(Interpreted)->Arg(257);
BENCHMARK(Moving)->Arg(257);

} // namespace

BENCHMARK_MAIN();
