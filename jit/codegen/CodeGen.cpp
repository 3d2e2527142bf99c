//===- jit/codegen/CodeGen.cpp - Bitcode in, optimised object out ---------===//
//
// jit/CodeGen.h's code generator: reads the module, gives it the target's
// data layout, optimises it at its level (Optimizer.cpp), prints what was
// asked, and compiles it with a target machine of that level. Code
// generation is LLVM's own (what orc::SimpleCompiler does) plus one pass
// after the last of each function's, which clocks the function: the legacy
// pass manager runs every codegen pass on one function before the next, so
// the time between two clocks is one function's machine code.
//
// Target machines are kept by level in a pool and reused by later compiles:
// a machine is cheap to make, but its subtarget -- instruction, register and
// lowering tables, built on first use -- costs more than compiling a small
// module. A machine serves one compile at a time (code generation with one
// machine is not thread-safe).
//
//===----------------------------------------------------------------------===//
#include "jit/BlockAddressTables.h"
#include "jit/CodeGen.h"
#include "jit/codegen/Optimizer.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCContext.h"
#include "llvm/Pass.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <array>
#include <chrono>
#include <dlfcn.h>
#include <map>
#include <mutex>
#include <sys/stat.h>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point T0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - T0).count();
}

/// Charges the time since the previous function's clock to this function.
class CodegenClock final : public FunctionPass {
public:
  static char ID;
  CodegenClock(std::map<std::string, double> &Ms, Clock::time_point &Last)
      : FunctionPass(ID), Ms(Ms), Last(Last) {}
  StringRef getPassName() const override { return "spl codegen clock"; }
  void getAnalysisUsage(AnalysisUsage &AU) const override {
    AU.setPreservesAll();
  }
  bool runOnFunction(Function &F) override {
    auto Now = Clock::now();
    Ms[F.getName().str()] +=
        std::chrono::duration<double, std::milli>(Now - Last).count();
    Last = Now;
    return false;
  }

private:
  std::map<std::string, double> &Ms;
  Clock::time_point &Last;
};
char CodegenClock::ID = 0;

CodeGenOptLevel codeGenLevel(unsigned Level) {
  switch (Level) {
  case 0:
    return CodeGenOptLevel::None;
  case 1:
    return CodeGenOptLevel::Less;
  case 2:
    return CodeGenOptLevel::Default;
  default:
    return CodeGenOptLevel::Aggressive;
  }
}

std::vector<std::pair<std::string, double>>
pairsOf(std::map<std::string, double> &&M) {
  return {std::make_move_iterator(M.begin()), std::make_move_iterator(M.end())};
}

class LLVMCodeGen final : public CodeGen {
public:
  LLVMCodeGen() {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
  }

  void compile(const CompileJob &Job, CompileResult &Out) override {
    unsigned Level = std::min(Job.OptLevel, 3u);
    // Idle machines of the compile's level (any serves: one host).
    std::unique_ptr<TargetMachine> TM = take(Level, Job, Out);
    if (!TM)
      return;
    LLVMContext Ctx;
    Expected<std::unique_ptr<Module>> M = parseBitcodeFile(
        MemoryBufferRef(StringRef(Job.Bitcode.data(), Job.Bitcode.size()),
                        "spl-exec module"),
        Ctx);
    if (!M) {
      Out.Error = "llvm backend: the lowered module does not read back: " +
                  toString(M.takeError());
      give(Level, std::move(TM));
      return;
    }
    (*M)->setDataLayout(TM->createDataLayout());

    std::map<std::string, double> OptMs, CgMs;
    auto T0 = Clock::now();
    optimizeModule(
        **M, Level, *TM,
        [&](const Function *F, double Ms) {
          OptMs[F ? F->getName().str() : std::string()] += Ms;
        },
        Job.Cancel);
    Out.OptimizeMs = msSince(T0);
    // The passes were skipped: the module is not what it says.
    if (Job.Cancel && Job.Cancel->load(std::memory_order_relaxed)) {
      Out.Error = "llvm backend: compile cancelled";
      return give(Level, std::move(TM));
    }
    if (Job.PrintIR) {
      raw_string_ostream OS(Out.IR);
      (*M)->print(OS, nullptr);
    }
    if (Job.PrintAsm && !printAsm(**M, Level, Job, Out))
      return give(Level, std::move(TM));

    auto T1 = Clock::now();
    SmallVector<char, 0> Buf;
    raw_svector_ostream OS(Buf);
    legacy::PassManager PM;
    MCContext *MC;
    if (TM->addPassesToEmitMC(PM, MC, OS)) {
      Out.Error = "llvm backend: the target cannot emit objects";
      return give(Level, std::move(TM));
    }
    Clock::time_point Last = Clock::now();
    PM.add(new CodegenClock(CgMs, Last));
    PM.run(**M);
    dropBlockAddressTables(**M);
    Out.Object.assign(Buf.begin(), Buf.end());
    Out.CodegenMs = msSince(T1);
    Out.OptimizeMsByFn = pairsOf(std::move(OptMs));
    Out.CodegenMsByFn = pairsOf(std::move(CgMs));
    give(Level, std::move(TM));
  }

private:
  /// The assembly of a copy of M, from a machine of its own (code
  /// generation mutates the module it runs on).
  bool printAsm(Module &M, unsigned Level, const CompileJob &Job,
                CompileResult &Out) {
    std::unique_ptr<TargetMachine> TM = make(Level, Job, Out);
    if (!TM)
      return false;
    std::unique_ptr<Module> Copy = CloneModule(M);
    raw_string_ostream OS(Out.Asm);
    buffer_ostream BOS(OS);
    legacy::PassManager PM;
    if (TM->addPassesToEmitFile(PM, BOS, nullptr,
                                CodeGenFileType::AssemblyFile)) {
      Out.Error = "llvm backend: this target cannot print assembly";
      return false;
    }
    PM.run(*Copy);
    dropBlockAddressTables(*Copy);
    return true;
  }

  std::unique_ptr<TargetMachine> make(unsigned Level, const CompileJob &Job,
                                      CompileResult &Out) {
    orc::JITTargetMachineBuilder B{Triple(Job.Triple)};
    B.setCPU(std::string(Job.CPU));
    B.getFeatures() = SubtargetFeatures(Job.Features);
    // JITLink keeps each object in one allocation and reaches everything
    // else through GOT and PLT entries it makes, so the small PIC model
    // works and gives direct, PC-relative calls (the default JIT model is
    // large: an absolute address load and an indirect call each time).
    B.setCodeModel(CodeModel::Small);
    B.setRelocationModel(Reloc::PIC_);
    B.setCodeGenOptLevel(codeGenLevel(Level));
    Expected<std::unique_ptr<TargetMachine>> TM = B.createTargetMachine();
    if (!TM) {
      Out.Error = "llvm backend: cannot target this host: " +
                  toString(TM.takeError());
      return nullptr;
    }
    return std::move(*TM);
  }

  std::unique_ptr<TargetMachine> take(unsigned Level, const CompileJob &Job,
                                      CompileResult &Out) {
    {
      std::lock_guard<std::mutex> L(Mu);
      if (!Idle[Level].empty()) {
        std::unique_ptr<TargetMachine> TM = std::move(Idle[Level].back());
        Idle[Level].pop_back();
        return TM;
      }
    }
    return make(Level, Job, Out);
  }

  void give(unsigned Level, std::unique_ptr<TargetMachine> TM) {
    std::lock_guard<std::mutex> L(Mu);
    Idle[Level].push_back(std::move(TM));
  }

  std::mutex Mu;
  std::array<std::vector<std::unique_ptr<TargetMachine>>, 4> Idle;
};

} // namespace

CodeGen *jit::codeGen(std::string &) {
  // Never destroyed: sessions may end during static destruction.
  static CodeGen *G = new LLVMCodeGen;
  return G;
}

const std::string &jit::codeGenIdentity() {
  // The file holding this code generator (the program, or the library):
  // its size and modification time stand for "this build".
  static const std::string Id = [] {
    Dl_info Info;
    if (!dladdr(reinterpret_cast<void *>(&codeGenIdentity), &Info) ||
        !Info.dli_fname)
      return std::string("unknown");
    struct stat St;
    if (::stat(Info.dli_fname, &St) != 0)
      return std::string(Info.dli_fname);
    return std::string(Info.dli_fname) + " " + std::to_string(St.st_size) +
           " " + std::to_string(St.st_mtim.tv_sec) + "." +
           std::to_string(St.st_mtim.tv_nsec);
  }();
  return Id;
}
