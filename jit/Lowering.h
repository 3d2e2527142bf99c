//===- jit/Lowering.h - MIR -> LLVM IR, shared by the Lower*.cpp files -*- C++
//-*-===//
//
// Private to jit/. The lowering of one batch (one load()) is split by concern:
//
//   LowerTypes.cpp    MIR types -> LLVM types, ABIs, raw slots, conversions
//   LowerFunction.cpp the walk over one function, block layout, dispatch
//   LowerValues.cpp   locals, operands, constants
//   LowerArith.cpp    BinOp, CheckedBinOp, UnaryOp, Cast, Bitcast, Intrinsic
//   LowerMemory.cpp   Alloc, Load, Store, GetElementPtr, Offset
//   LowerCalls.cpp    Call, CallIndirect, function pointers, argument
//                     conversion (MIR.md "Calls and signatures (v2)")
//   LowerControl.cpp  terminators, traps, the call-depth check
//   LowerAggregates.cpp (v2) Aggregate, GetField, SetField, GlobalAddr and
//                     the runtime calls they make
//   LowerIntrinsics.cpp (v2) SsaPhi, bounds_check, bit and extern intrinsics
//   LowerExceptions.cpp (v2) CallTerminator, Throw, Resume
//   LowerModule.cpp   the batch module: declarations, bodies, entry wrappers,
//                     and the permanent module of trampolines and adapters
//
// Conventions of the generated code (the Session relies on them):
//   * A MIR function F lowered in batch B is `F.bB.body` with the *internal*
//     ABI: a hidden leading i64 depth budget (swiftself: LowerControl.cpp),
//     then its parameters in register types (Bool i1, Char i32, pointers
//     ptr), returning its register type or void. Direct calls of this batch
//     reach it after checking the depth themselves; `F.bB`, of the same
//     type, checks the depth and jumps to it: everything else (stubs,
//     wrappers, adapters) enters there. (At -O0 the body itself is `F.bB`
//     and checks on entry: LowerOptions.)
//   * `F.bB.entry(const uint64_t *Args, uint64_t *Ret, i32 Depth)` calls `F.bB`
//     at Depth (budget MaxCallDepth - Depth; 1 for a host call) with raw
//     slots (ffi/FFI.h), so Session::call needs no per-signature cast and
//     another tier can enter at its own depth.
//   * `F.stub` is F's indirection stub (internal ABI): calls that cross
//     batches go through it; the Session repoints it when F (re)arrives.
//   * `F.undef` is the trampoline an undefined F's stub points to: it traps
//     UndefinedFunction naming F.
//   * `F.cabiN` is the C-ABI adapter a function-pointer value of F points to.
//   * `F.hostN` is a trampoline into the host's F (auto: the interpreter),
//     with the internal ABI, which a stub points to while the session has
//     no code of F (Load.cpp "Host functions").
//   * Externs keep their C names and the C ABI (Bool as zeroext i8).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_LOWERING_H
#define SPL_JIT_LOWERING_H

#include "mir/MIR.h"
#include "mir/Semantics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/TargetParser/Triple.h"

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace spl::jit {

//===----------------------------------------------------------------------===//
// Symbol names
//===----------------------------------------------------------------------===//

std::string bodySymbol(llvm::StringRef Fn, unsigned Batch); // "fib.b3"
/// The body without the call-depth check, which direct calls reach.
std::string uncheckedSymbol(llvm::StringRef Fn,
                            unsigned Batch);                 // "fib.b3.body"
std::string entrySymbol(llvm::StringRef Fn, unsigned Batch); // "fib.b3.entry"
std::string stubSymbol(llvm::StringRef Fn);                  // "fib.stub"
std::string trampolineSymbol(llvm::StringRef Fn);            // "fib.undef"
std::string hostTrampolineSymbol(llvm::StringRef Fn, unsigned N); // "fib.host2"
/// (v2) The absolute symbol at the GlobalAddr cell of Symbol ("spl.cell.7",
/// "spl.cell.m7" for -7).
std::string cellSymbol(int64_t Symbol);
/// The absolute symbols at the manager's interrupt flag and its CallLimits,
/// which the polls read (defined by the session, as cells are).
inline constexpr const char *PollFlagSymbol = "spl.poll.flag";
inline constexpr const char *PollLimitsSymbol = "spl.poll.limits";
/// The absolute symbol at HostFunctions::Call (host trampolines call it).
inline constexpr const char *HostCallSymbol = "spl.host.call";

/// The runtime functions JIT code calls (jit/Runtime.cpp, ffi/Guard.cpp).
inline constexpr const char *TrapFnName = "spl_rt_trap";
inline constexpr const char *GetDepthFnName = "spl_jit_get_depth";
inline constexpr const char *SetDepthFnName = "spl_jit_set_depth";
inline constexpr const char *StackLimitFnName = "spl_jit_stack_limit";
inline constexpr const char *SetIndirectFnName = "spl_jit_set_indirect";
inline constexpr const char *AdapterEnterFnName = "spl_jit_adapter_enter";
inline constexpr const char *RunCallbackFnName = "spl_jit_run_callback";
/// (v2) Exceptions (ffi/FFI.h "Exceptions") and bounds_check.
inline constexpr const char *EHPushFnName = "spl_eh_push";
inline constexpr const char *EHPopFnName = "spl_eh_pop";
inline constexpr const char *ThrowFnName = "spl_rt_throw";
inline constexpr const char *BoundsFailFnName = "spl_rt_bounds_fail";
inline constexpr const char *SetjmpFnName = "_setjmp";
/// The slow path of an interrupt poll (ffi/FFI.h).
inline constexpr const char *PollFnName = "spl_rt_poll";

/// Module flag carrying the optimisation level a batch was lowered for; the
/// optimising transform and the compiler read it, so a setOptLevel between
/// loads affects exactly the later batches.
inline constexpr const char *OptLevelFlag = "spl.opt-level";
unsigned optLevelOf(const llvm::Module &M);

//===----------------------------------------------------------------------===//
// Types and value representations (LowerTypes.cpp)
//===----------------------------------------------------------------------===//

/// The register type of a scalar (Bool i1, Char i32, pointers ptr); null for
/// Unit/Never and for types without a register form.
llvm::Type *regType(llvm::LLVMContext &C, const mir::Type &T);
/// The in-memory type (Bool i8, Array(E, n) [n x E]); null without a layout.
llvm::Type *memType(llvm::LLVMContext &C, const mir::Type &T);
/// The C ABI type (Bool as i8; the rest as in registers).
llvm::Type *cType(llvm::LLVMContext &C, const mir::Type &T);
/// Scalars, word values (v2) and Unit/Never: what a local, parameter or
/// result may be.
bool hasValueForm(const mir::Type &T);
/// (v2) The type a value of T is operated on as: I64 for word values (MIR.md
/// "Types": one word, handled exactly like I64), T itself otherwise.
const mir::Type &operationType(const mir::Type &T);

/// The internal ABI: (i64 depth budget, params...) -> ret.
llvm::FunctionType *internalFnType(llvm::LLVMContext &C,
                                   const mir::Signature &S);
/// Marks the depth-budget parameter of an internal-ABI function, and that
/// argument of a call of one, `swiftself`. On x86-64 that passes it in R13,
/// a callee-saved register: the budget stays there across calls, with no
/// copy into an argument register before each one, and a function that
/// passes budget - 1 saves R13 in the push that aligns its frame anyway
/// (LowerControl.cpp, "Why a budget"). Every definition, declaration and call
/// of the internal ABI must agree, or the callee reads another register.
void markDepthArg(llvm::Function &F);
void markDepthArg(llvm::CallBase &Call);
/// The budget of a call at i32 Depth, MaxCallDepth - Depth (negative past
/// the limit: the checked entry traps), and the i32 depth of Budget.
llvm::Value *budgetOfDepth(llvm::IRBuilderBase &B, llvm::Value *Depth,
                           unsigned MaxCallDepth);
llvm::Value *depthOfBudget(llvm::IRBuilderBase &B, llvm::Value *Budget,
                           unsigned MaxCallDepth);
/// The C ABI of an extern or a function pointer. Extra holds the types of
/// variadic arguments beyond the fixed ones (already promoted).
llvm::FunctionType *cFnType(llvm::LLVMContext &C, const mir::Signature &S,
                            llvm::ArrayRef<llvm::Type *> Extra = {});
/// signext/zeroext on sub-32-bit integers and Bool, as the C ABI wants.
llvm::AttributeList cAttrs(llvm::LLVMContext &C, const mir::Signature &S,
                           unsigned NumArgs);

/// Raw 64-bit slot <-> register value (ffi/FFI.h "raw values").
llvm::Value *fromSlot(llvm::IRBuilderBase &B, llvm::Value *Slot,
                      const mir::Type &T);
llvm::Value *toSlot(llvm::IRBuilderBase &B, llvm::Value *V, const mir::Type &T);
/// (v2) The 64-bit word of a value (backend-v2 "encode": SetField,
/// Aggregate, runtime arguments): signed integers sign-extended, unsigned and
/// Char zero-extended, Bool 0/1, F32 bits zero-extended, F64 bits, addresses
/// and words as they are. Null V (a Unit value) is the word 0.
llvm::Value *toWord(llvm::IRBuilderBase &B, llvm::Value *V, const mir::Type &T);
/// (v2) A word as a value of T, as GetField reads a field: integers keep the
/// low bits, Bool bit 0, F32 the low 32 bits as float bits, F64 the bits,
/// addresses and words the whole word. Null for Unit/Never.
llvm::Value *fromWord(llvm::IRBuilderBase &B, llvm::Value *Word,
                      const mir::Type &T);
/// (v2) A call argument of type From passed to a parameter of type To (MIR.md
/// "Calls and signatures (v2)"): integers, Bool, Char, addresses and words
/// among each other are extended by From's signedness or truncated; F32 and
/// F64 convert numerically. Null when there is no such conversion (integer
/// <-> float).
llvm::Value *convertArgument(llvm::IRBuilderBase &B, llvm::Value *V,
                             const mir::Type &From, const mir::Type &To);
/// Register value <-> C ABI value (only Bool differs).
llvm::Value *toC(llvm::IRBuilderBase &B, llvm::Value *V, const mir::Type &T);
llvm::Value *fromC(llvm::IRBuilderBase &B, llvm::Value *V, const mir::Type &T);

/// The conversion of a Cast, as mir::classifyCast names it (docs/SEMANTICS.md
/// "Casts"), also used wherever a value meets a slot of another type (which
/// may be a pair no Cast allows, e.g. an If on a pointer). Null if there is
/// none.
llvm::Value *convert(llvm::IRBuilderBase &B, llvm::Value *V,
                     const mir::Type &From, const mir::Type &To);
/// The Bitcast of From to To: the same bits; null unless mir::bitcastAllowed.
llvm::Value *reinterpret(llvm::IRBuilderBase &B, llvm::Value *V,
                         const mir::Type &From, const mir::Type &To);

/// Whether F has a Switch of more than a thousand cases or a block that more
/// than a thousand jumps lead to: LLVM's CFG simplification, jump threading,
/// mem2reg and FastISel's PHI handling are quadratic in such a block's
/// predecessors, so F is lowered as optnone with its locals left in memory
/// (LowerControl.cpp).
bool hasHugeControlFlow(const mir::Function &F);


//===----------------------------------------------------------------------===//
// What lowering asks of the session
//===----------------------------------------------------------------------===//

/// How a call reaches its callee.
struct CallTarget {
  enum class Kind : uint8_t {
    Direct, // a function of this batch: a direct call of its body
    Stub,   // a program function of another batch (or none yet)
    Extern, // a builtin or an SFFI/declared extern: a C call
    Stale,  // bound to a signature the callee no longer has: a trap
  };
  Kind K = Kind::Stub;
  std::string Name;   // the MIR or C name
  std::string Symbol; // what the IR calls
  mir::Signature Sig; // the callee's signature (externs: fixed params only)
  std::string Detail; // Stale: mir::staleDetail's text
};

/// Implemented by the session for one load: classifies names, hands out
/// adapter symbols, and records what the batch needs linked.
class CalleeResolver {
public:
  virtual ~CalleeResolver();
  /// Callee is the Const operand of a Call (a name or a symbol id, typed
  /// FuncPtr) passing arguments of ArgTypes. Scope is the module the calling
  /// function came from.
  virtual llvm::Expected<CallTarget>
  callTarget(const mir::Module &Scope, const mir::Function &Caller,
             const mir::Constant &Callee,
             llvm::ArrayRef<mir::Type> ArgTypes) = 0;
  /// (v2) The extern Name (a runtime function the lowering calls on its own:
  /// rt_alloc, __simple_intrinsic_*, ...), resolved through
  /// ffi::resolveExtern; its signature from ffi::externCallSignature with
  /// Site as the call site and ArgTypes as the arguments.
  virtual llvm::Expected<CallTarget>
  externTarget(const mir::Module &Scope, llvm::StringRef Name,
               const mir::Signature &Site,
               llvm::ArrayRef<mir::Type> ArgTypes) = 0;
  /// (v2) The GlobalAddr cell of Symbol (its address never changes); the
  /// session defines cellSymbol(Symbol) at it before linking the batch.
  virtual uint64_t *globalCell(int64_t Symbol) = 0;
  /// The symbol a function-pointer value of Callee points to: the extern
  /// itself, or the C-ABI adapter of a program function.
  virtual llvm::Expected<std::string>
  functionPointer(const mir::Module &Scope, const mir::Constant &Callee) = 0;
};

struct LowerOptions {
  unsigned Batch = 0;
  unsigned OptLevel = 2;
  /// Whether direct calls check the depth in the caller and reach unchecked
  /// bodies (LowerControl.cpp); at -O0, where nothing would merge the
  /// checks, every body checks on entry instead and no checked entries are
  /// made (half the functions for the code generator).
  bool callerChecksDepth() const { return OptLevel > 0; }
  unsigned MaxCallDepth = mir::DefaultMaxCallDepth;
  bool FramePointers = false; // for perf and debuggers
  /// The interrupt flag polled at function entries and loop headers, and
  /// the ffi::CallLimits it belongs to; null: no polls.
  const void *PollFlag = nullptr;
  const void *PollLimits = nullptr;
  /// Interrupts reach JIT code by signal (ffi::interruptsBySignal): only
  /// code that may spend its time outside JIT code polls (LowerPolls.cpp).
  bool SignalInterrupts = false;
};

/// One function to lower, with the module it came from (its extern
/// declarations and sibling names decide how its calls resolve).
struct BatchInput {
  const mir::Function *F;
  const mir::Module *Scope;
};

/// (osr) A continuation of F, the batch's input Input: F lowered again to
/// continue a running call of it (of another tier) from the start of one of
/// Image's target blocks, its state read from the frame image
/// (mir::FrameImage, LowerOSR.cpp). The body is `F.bB.osr(i64 budget, ptr
/// frame, i32 block)` (internal ABI), its wrapper `i64 F.bB.osr.entry(ptr
/// frame, i32 depth, i32 block)` (mir::OSREntryFn). Its calls resolve as
/// those of the batch's functions.
struct OSRInput {
  unsigned Input;
  const mir::FrameImage *Image;
};
std::string osrSymbol(llvm::StringRef Fn, unsigned Batch);
std::string osrEntrySymbol(llvm::StringRef Fn, unsigned Batch);

struct LoweredBatch {
  std::unique_ptr<llvm::Module> M;
  /// Per input: the names it calls directly (functions of this batch).
  std::vector<llvm::StringSet<>> DirectCallees;
  /// Per input: milliseconds its lowering took.
  std::vector<double> LowerMs;
};

llvm::Expected<LoweredBatch>
lowerBatch(llvm::LLVMContext &C, const llvm::DataLayout &DL,
           const llvm::Triple &TT, llvm::ArrayRef<BatchInput> Inputs,
           CalleeResolver &L, const LowerOptions &Opts,
           llvm::ArrayRef<OSRInput> OSR = {});

/// A C-ABI adapter to build: Symbol(C args) calls Callee's stub at the depth
/// the caller left in the runtime's thread-local, plus one.
struct AdapterRequest {
  std::string Symbol;
  std::string Callee;
  mir::Signature Sig;
};

/// The module of things that must outlive any batch: trampolines for the
/// names in Undefined, and the adapters.
/// A trampoline into a host function to build (Options::Host): Symbol,
/// with the internal ABI of Sig, calls HostCallSymbol with Handle.
struct HostTrampoline {
  std::string Name; // the host function's
  std::string Symbol;
  const void *Handle = nullptr;
  mir::Signature Sig;
};

std::unique_ptr<llvm::Module>
buildAuxModule(llvm::LLVMContext &C, const llvm::DataLayout &DL,
               const llvm::Triple &TT, llvm::StringRef Name,
               llvm::ArrayRef<std::string> Undefined,
               llvm::ArrayRef<AdapterRequest> Adapters, unsigned OptLevel,
               const void *CallbackErrors = nullptr,
               unsigned MaxCallDepth = mir::DefaultMaxCallDepth,
               llvm::ArrayRef<HostTrampoline> Host = {});

//===----------------------------------------------------------------------===//
// The lowering of one batch module (LowerModule.cpp)
//===----------------------------------------------------------------------===//

class ModuleLowerer {
public:
  ModuleLowerer(llvm::Module &M, CalleeResolver &L, const LowerOptions &Opts)
      : M(M), C(M.getContext()), L(L), Opts(Opts) {}

  llvm::Module &M;
  llvm::LLVMContext &C;
  CalleeResolver &L;
  const LowerOptions &Opts;

  /// A private, NUL-terminated constant string (deduplicated).
  llvm::Constant *stringConstant(llvm::StringRef S);
  /// Declarations of the runtime functions.
  llvm::FunctionCallee trapFn();
  llvm::FunctionCallee setDepthFn();
  llvm::FunctionCallee stackLimitFn();
  llvm::FunctionCallee setIndirectFn();
  llvm::FunctionCallee pollFn();
  /// (v2) spl_eh_push/spl_eh_pop/spl_rt_throw/spl_rt_bounds_fail/_setjmp.
  llvm::FunctionCallee ehPushFn();
  llvm::FunctionCallee ehPopFn();
  llvm::FunctionCallee throwFn();
  llvm::FunctionCallee boundsFailFn();
  llvm::FunctionCallee setjmpFn();
  /// `iN spl.ipow.iN(iN base, i64 exp)`: wrapping square-and-multiply.
  llvm::Function *intPowFn(llvm::IntegerType *Ty);
  /// The function Symbol of type FT, declared if new.
  llvm::Function *declare(llvm::StringRef Symbol, llvm::FunctionType *FT);

private:
  llvm::StringMap<llvm::Constant *> Strings;
};

//===----------------------------------------------------------------------===//
// The lowering of one function (spread over the Lower*.cpp files)
//===----------------------------------------------------------------------===//

class FunctionLowerer {
public:
  /// With Image, Fn is F's continuation (OSRInput): its locals and Alloc
  /// areas come from that frame image.
  FunctionLowerer(ModuleLowerer &ML, const mir::Function &F,
                  const mir::Module &Scope, llvm::Function *Fn,
                  llvm::StringSet<> &DirectCallees,
                  const mir::FrameImage *Image = nullptr);
  llvm::Error run();

private:
  // Where we are, for error messages.
  llvm::Error error(const llvm::Twine &Msg) const;

  // LowerValues.cpp
  llvm::Error createSlots();
  const mir::Type &localType(mir::LocalId L) const;
  const mir::Type &typeOf(const mir::Operand &O) const;
  llvm::Expected<llvm::Value *> read(const mir::Operand &O);
  /// Reads O converted to type To.
  llvm::Expected<llvm::Value *> readAs(const mir::Operand &O,
                                       const mir::Type &To);
  llvm::Error write(mir::LocalId L, llvm::Value *V, const mir::Type &From);
  llvm::Expected<llvm::Value *> constant(const mir::Constant &K);
  llvm::Error lowerInst(const mir::Inst &I);

  // LowerArith.cpp
  llvm::Error lowerBinOp(const mir::Inst &I);
  llvm::Error lowerUnaryOp(const mir::Inst &I);
  llvm::Error lowerCast(const mir::Inst &I);
  llvm::Error lowerBitcast(const mir::Inst &I);
  llvm::Error lowerIntrinsic(const mir::Inst &I);
  llvm::Value *compare(mir::BinOpKind K, llvm::Value *A, llvm::Value *B,
                       const mir::Type &T);
  llvm::Expected<llvm::Value *> intArith(const mir::Inst &I, llvm::Value *A,
                                         llvm::Value *B, const mir::Type &T,
                                         const mir::Type &RightTy);

  // LowerMemory.cpp
  llvm::Error lowerAlloc(const mir::Inst &I);
  llvm::Error lowerLoad(const mir::Inst &I);
  llvm::Error lowerStore(const mir::Inst &I);
  llvm::Error lowerGEP(const mir::Inst &I);
  llvm::Expected<llvm::Value *> offset(llvm::Value *P, const mir::Type &PtrTy,
                                       llvm::Value *Idx,
                                       const mir::Type &IdxTy);
  /// The type a memory access through a pointer of type PtrTy moves, or
  /// Fallback when the pointee has no scalar form.
  const mir::Type &accessType(const mir::Type &PtrTy,
                              const mir::Type &Fallback) const;

  // LowerCalls.cpp
  llvm::Error lowerCall(const mir::Inst &I);
  llvm::Error lowerCallIndirect(const mir::Inst &I);
  llvm::Expected<llvm::SmallVector<llvm::Value *, 8>>
  readArgs(const mir::Inst &I, size_t First, const mir::Signature &Sig,
           bool CABI);
  llvm::Error writeResult(const mir::Inst &I, llvm::Value *R,
                          const mir::Type &T);
  /// Reads argument K (operand O) converted to the parameter type To.
  llvm::Expected<llvm::Value *> readArg(const mir::Operand &O,
                                        const mir::Type &To, size_t K,
                                        llvm::StringRef Callee);
  /// (v2) A C call of the extern T with the given (value, type) arguments,
  /// each converted to its parameter type; null for a Unit result.
  llvm::Expected<llvm::Value *>
  callExtern(const CallTarget &T,
             llvm::ArrayRef<std::pair<llvm::Value *, mir::Type>> Args);
  /// (v2) The runtime function Name with the signature Fallback when
  /// neither the module nor spl-exec's runtime knows one.
  llvm::Expected<CallTarget> runtimeTarget(llvm::StringRef Name,
                                           const mir::Signature &Fallback);

  // LowerAggregates.cpp (v2)
  llvm::Error lowerAggregate(const mir::Inst &I);
  llvm::Error lowerGetField(const mir::Inst &I);
  llvm::Error lowerSetField(const mir::Inst &I);
  llvm::Error lowerGlobalAddr(const mir::Inst &I);
  /// The address of word Field of the struct/tuple Base.
  llvm::Expected<llvm::Value *> fieldAddress(const mir::Operand &Base,
                                             uint32_t Field);

  // LowerIntrinsics.cpp (v2)
  llvm::Error lowerSsaPhi(const mir::Inst &I);
  llvm::Error lowerBoundsCheck(const mir::Inst &I);
  llvm::Error lowerBitIntrinsic(const mir::Inst &I);
  llvm::Error lowerExternIntrinsic(const mir::Inst &I);

  // LowerExceptions.cpp (v2)
  llvm::Error lowerCallTerminator(const mir::Terminator &T);
  llvm::Error lowerThrow(const mir::Terminator &T);
  /// Makes every Alloc area escape before the first setjmp (see the file
  /// comment of LowerExceptions.cpp).
  void escapeAllocAreas();

  // LowerOSR.cpp
  /// A continuation's prologue: every local from its word of the frame,
  /// then a switch on the block argument to the block the call is at.
  llvm::Error emitContinuationPrologue();
  /// Where the continuation's Alloc I has its area: in the frame.
  llvm::Expected<llvm::Value *> frameAllocArea(const mir::Inst &I);

  // LowerControl.cpp
  /// For large frames, the native-stack check; leaves B in the block that
  /// must branch to the MIR entry block.
  void emitPrologueChecks();
  /// budget - 1, the depth budget a call passes, computed where B is.
  llvm::Value *calleeBudget();
  /// The depth the function runs at, MaxCallDepth - budget, as the i32 the
  /// runtime's thread-local holds.
  llvm::Value *depthOfBudget();
  /// Right after calleeBudget(), whose borrow it branches on: traps
  /// StackOverflow naming Callee when the budget is 0, i.e. when the callee
  /// would run at depth > MaxCallDepth (before a direct call: see
  /// LowerControl.cpp).
  void checkCallDepth(llvm::StringRef Callee);
  llvm::Error lowerTerminator(const mir::Block &Blk);
  /// A Switch with Cases (sorted by value, one per value) as a table of
  /// block addresses and an indirectbr.
  void lowerTableSwitch(
      llvm::Value *V, llvm::BasicBlock *Default,
      llvm::ArrayRef<std::pair<uint64_t, llvm::BasicBlock *>> Cases);
  llvm::Expected<llvm::BasicBlock *> target(mir::BlockId Id);
  /// (v2) In a function with SsaPhi: records the current block as the
  /// predecessor of the block control goes to next.
  void notePredecessor();
  /// Branches to a (shared, cold) block that traps with Kind and Detail when
  /// Cond holds; continues in a fresh block otherwise. The trap names In, or
  /// this function when In is empty.
  void trapIf(llvm::Value *Cond, mir::TrapKind Kind,
              llvm::StringRef Detail = "", llvm::StringRef In = "");
  void emitTrap(mir::TrapKind Kind, llvm::StringRef Detail = "");
  // LowerPolls.cpp
  /// Polls the interrupt flag: a load of its absolute address, and a branch
  /// (weighted as never taken) to a cold block calling spl_rt_poll, which
  /// traps or comes back. Entry: the poll of the function's entry, else of
  /// a loop header.
  void emitPoll(bool Entry);
  /// Once the function is lowered: removes the polls JIT code that spends
  /// its time in itself does not need (interrupts reach it by signal).
  void prunePolls();
  llvm::BasicBlock *trapBlock(mir::TrapKind Kind, llvm::StringRef Detail,
                              llvm::StringRef In = "");

  ModuleLowerer &ML;
  llvm::LLVMContext &C;
  const mir::Function &F;
  const mir::Module &Scope;
  llvm::Function *Fn;
  llvm::StringSet<> &DirectCallees;
  llvm::IRBuilder<> B;

  /// The hidden parameter: MaxCallDepth - depth (LowerControl.cpp).
  llvm::Value *Budget = nullptr;
  /// The borrow of the last calleeBudget() (at -O1 and above).
  llvm::Value *DepthExceeded = nullptr;
  llvm::BasicBlock *AllocaBB = nullptr;   // entry: allocas, arg stores
  llvm::BasicBlock *AllocBB = nullptr;    // where Alloc areas are made
  std::vector<llvm::AllocaInst *> Slots;  // by local index; null = void
  std::vector<llvm::BasicBlock *> Blocks; // by block index
  std::map<std::tuple<unsigned, std::string, std::string>, llvm::BasicBlock *>
      Traps;
  llvm::Constant *FnName = nullptr;
  /// F.returnLocal(), looked up once (it is a linear search).
  const mir::Local *RetLocal = nullptr;
  // (v2)
  llvm::AllocaInst *PredSlot = nullptr; // functions with SsaPhi only
  llvm::AllocaInst *EHFrame = nullptr;  // functions with a catching call
  std::vector<llvm::AllocaInst *> AllocAreas;
  llvm::Instruction *PrologueEnd = nullptr; // the branch to the MIR entry
  // (osr) Lowering a continuation: its frame image, its frame argument.
  const mir::FrameImage *OSR = nullptr;
  llvm::Value *Frame = nullptr;
  /// The polls emitted (prunePolls may remove them) and the calls of MIR
  /// functions, which poll or run JIT code themselves.
  struct PollSite {
    llvm::BranchInst *Br; // to the slow path or on
    bool Entry;
  };
  std::vector<PollSite> Polls;
  llvm::SmallPtrSet<const llvm::CallBase *, 8> MirCalls;
  // The instruction being lowered (for messages).
  const mir::Block *CurBlock = nullptr;
  int CurInst = -1;
};

} // namespace spl::jit

#endif // SPL_JIT_LOWERING_H
