//===- ffi/CallPlan.cpp - Prepared calls of C functions from raw slots
//------===//
//
// The interpreter calls externs with arguments in 64-bit raw slots (FFI.h).
// Most extern signatures are a few integers/pointers or a few doubles; for
// those a stub casts the address to the matching function-pointer type and
// calls it directly, which costs no more than a native indirect call. The
// stub passes every integer as a full 64-bit register: our slots are already
// sign- or zero-extended by type, so a callee with narrow parameters sees
// correct values whether or not it relies on the caller extending them. C
// leaves the upper bits of a narrow result undefined, so results are
// re-extended by their MIR type.
//
// Mixes of integer and float arguments are placed by register class (the
// section below): a stub per count of each class up to 6 arguments, one
// placing stub per result kind for wider mixes. Everything else (more than 6
// integer or 8 float arguments, or a platform whose convention the class
// stubs do not model) goes through libffi with a cif prepared once per
// ABI-level signature and kept for the life of the process.
//
//===----------------------------------------------------------------------===//

#include "ffi/FFI.h"

#include "llvm/ADT/StringMap.h"

#include <ffi.h>

#include <array>
#include <bit>
#include <cstring>
#include <mutex>
#include <utility>

using namespace spl;
using namespace spl::ffi;
using namespace llvm;
using mir::Type;
using mir::TypeKind;

// libffi reads each argument straight from its slot, which holds a narrow
// value in its low-addressed bytes only on a little-endian machine.
static_assert(std::endian::native == std::endian::little,
              "raw slots are passed to libffi in place");
static_assert(sizeof(ffi_arg) == sizeof(uint64_t));

namespace {

/// How a result's raw slot is made from what the C function returned.
enum class RetFix : uint8_t {
  Unit,
  Raw,
  S8,
  S16,
  S32,
  U8,
  U16,
  U32,
  Bool,
  F32
};

/// How a value of a MIR type travels in the C ABI.
enum class Class : uint8_t { Int, F32, F64, Void, Unsupported };

Class classify(const Type &T) {
  switch (T.Kind) {
  case TypeKind::I8:
  case TypeKind::I16:
  case TypeKind::I32:
  case TypeKind::I64:
  case TypeKind::U8:
  case TypeKind::U16:
  case TypeKind::U32:
  case TypeKind::U64:
  case TypeKind::Bool:
  case TypeKind::Char:
  case TypeKind::Ptr:
  case TypeKind::FuncPtr:
    return Class::Int;
  case TypeKind::F32:
    return Class::F32;
  case TypeKind::F64:
    return Class::F64;
  case TypeKind::Unit:
  case TypeKind::Never:
    return Class::Void;
  case TypeKind::Array:
  case TypeKind::Tuple:
  case TypeKind::Struct:
  case TypeKind::Opaque:
    return Class::Unsupported;
  }
  return Class::Unsupported;
}

RetFix retFixOf(const Type &T) {
  switch (T.Kind) {
  case TypeKind::I8:
    return RetFix::S8;
  case TypeKind::I16:
    return RetFix::S16;
  case TypeKind::I32:
    return RetFix::S32;
  case TypeKind::U8:
    return RetFix::U8;
  case TypeKind::U16:
    return RetFix::U16;
  case TypeKind::U32:
  case TypeKind::Char:
    return RetFix::U32;
  case TypeKind::Bool:
    return RetFix::Bool;
  case TypeKind::F32:
    return RetFix::F32;
  case TypeKind::Unit:
  case TypeKind::Never:
    return RetFix::Unit;
  default:
    return RetFix::Raw; // I64, U64, F64, pointers
  }
}

template <RetFix R> inline void storeResult(uint64_t V, uint64_t *Ret) {
  if constexpr (R == RetFix::Raw)
    *Ret = V;
  else if constexpr (R == RetFix::S8)
    *Ret = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(V)));
  else if constexpr (R == RetFix::S16)
    *Ret = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int16_t>(V)));
  else if constexpr (R == RetFix::S32)
    *Ret = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(V)));
  else if constexpr (R == RetFix::U8)
    *Ret = static_cast<uint8_t>(V);
  else if constexpr (R == RetFix::U16)
    *Ret = static_cast<uint16_t>(V);
  else if constexpr (R == RetFix::U32 || R == RetFix::F32)
    *Ret = static_cast<uint32_t>(V);
  else if constexpr (R == RetFix::Bool)
    *Ret = static_cast<uint8_t>(V) != 0;
}

void storeResult(RetFix R, uint64_t V, uint64_t *Ret) {
  switch (R) {
  case RetFix::Unit:
    return;
  case RetFix::Raw:
    return storeResult<RetFix::Raw>(V, Ret);
  case RetFix::S8:
    return storeResult<RetFix::S8>(V, Ret);
  case RetFix::S16:
    return storeResult<RetFix::S16>(V, Ret);
  case RetFix::S32:
    return storeResult<RetFix::S32>(V, Ret);
  case RetFix::U8:
    return storeResult<RetFix::U8>(V, Ret);
  case RetFix::U16:
    return storeResult<RetFix::U16>(V, Ret);
  case RetFix::U32:
    return storeResult<RetFix::U32>(V, Ret);
  case RetFix::Bool:
    return storeResult<RetFix::Bool>(V, Ret);
  case RetFix::F32:
    return storeResult<RetFix::F32>(V, Ret);
  }
}

//===----------------------------------------------------------------------===//
// Specialised stubs
//===----------------------------------------------------------------------===//

constexpr unsigned MaxIntStubArgs = 6; // the SysV x86-64 integer registers
constexpr unsigned MaxDoubleStubArgs = 4;

template <size_t I> using U64At = uint64_t;
template <size_t I> using F64At = double;

template <class Res, size_t... I>
Res callInts(void *Fn, const uint64_t *A, std::index_sequence<I...>) {
  return reinterpret_cast<Res (*)(U64At<I>...)>(Fn)(A[I]...);
}

template <class Res, size_t... I>
Res callDoubles(void *Fn, const uint64_t *A, std::index_sequence<I...>) {
  return reinterpret_cast<Res (*)(F64At<I>...)>(Fn)(
      std::bit_cast<double>(A[I])...);
}

template <size_t N, RetFix R>
void intStub(const CallPlan &P, const uint64_t *Args, uint64_t *Ret) {
  if constexpr (R == RetFix::Unit)
    callInts<void>(P.Fn, Args, std::make_index_sequence<N>());
  else
    storeResult<R>(
        callInts<uint64_t>(P.Fn, Args, std::make_index_sequence<N>()), Ret);
}

template <size_t N, bool ReturnsDouble>
void doubleStub(const CallPlan &P, const uint64_t *Args, uint64_t *Ret) {
  if constexpr (ReturnsDouble)
    *Ret = std::bit_cast<uint64_t>(
        callDoubles<double>(P.Fn, Args, std::make_index_sequence<N>()));
  else
    callDoubles<void>(P.Fn, Args, std::make_index_sequence<N>());
}

template <RetFix R, size_t... N>
constexpr std::array<Invoker, sizeof...(N)>
intStubRow(std::index_sequence<N...>) {
  return {&intStub<N, R>...};
}

template <bool ReturnsDouble, size_t... N>
constexpr std::array<Invoker, sizeof...(N)>
doubleStubRow(std::index_sequence<N...>) {
  return {&doubleStub<N, ReturnsDouble>...};
}

template <RetFix R> Invoker intStubFor(unsigned N) {
  static constexpr auto Row =
      intStubRow<R>(std::make_index_sequence<MaxIntStubArgs + 1>());
  return Row[N];
}

Invoker pickIntStub(RetFix R, unsigned N) {
  switch (R) {
  case RetFix::Unit:
    return intStubFor<RetFix::Unit>(N);
  case RetFix::Raw:
    return intStubFor<RetFix::Raw>(N);
  case RetFix::S8:
    return intStubFor<RetFix::S8>(N);
  case RetFix::S16:
    return intStubFor<RetFix::S16>(N);
  case RetFix::S32:
    return intStubFor<RetFix::S32>(N);
  case RetFix::U8:
    return intStubFor<RetFix::U8>(N);
  case RetFix::U16:
    return intStubFor<RetFix::U16>(N);
  case RetFix::U32:
    return intStubFor<RetFix::U32>(N);
  case RetFix::Bool:
    return intStubFor<RetFix::Bool>(N);
  case RetFix::F32:
    break; // not an integer result
  }
  return nullptr;
}

Invoker pickDoubleStub(bool ReturnsDouble, unsigned N) {
  static constexpr auto WithResult =
      doubleStubRow<true>(std::make_index_sequence<MaxDoubleStubArgs + 1>());
  static constexpr auto WithoutResult =
      doubleStubRow<false>(std::make_index_sequence<MaxDoubleStubArgs + 1>());
  return ReturnsDouble ? WithResult[N] : WithoutResult[N];
}

//===----------------------------------------------------------------------===//
// Mixed integer and float arguments, by register class
//===----------------------------------------------------------------------===//

// The SysV x86-64 and AAPCS64 calling conventions give integer and float
// arguments registers from two separate sequences (rdi..r9 / xmm0..7, x0..7 /
// v0..7), in order within each class, so a non-variadic C function of any
// mix of at most 6 integer and 8 float parameters reads its arguments from
// exactly the registers a call of `R (*)(u64 x 6, double x 8)` fills with
// them placed by class. The registers it does not take are ignored. A float
// (F32) argument travels in the low 32 bits of its register, and its slot
// holds just those bits; a float result is the low 32 bits of the double
// register. That makes one stub per result kind instead of libffi (28 ns),
// and for at most MaxShapeArgs arguments one per count of each class.
#if (defined(__x86_64__) || defined(__aarch64__)) && !defined(_WIN32) &&          \
    !defined(__APPLE__)
#define SPL_CLASS_STUBS 1
#else
#define SPL_CLASS_STUBS 0
#endif

constexpr unsigned MaxClassInts = 6, MaxClassFloats = 8;
using ClassFnInt = uint64_t (*)(uint64_t, uint64_t, uint64_t, uint64_t,
                                uint64_t, uint64_t, double, double, double,
                                double, double, double, double, double);
using ClassFnF64 = double (*)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                              uint64_t, double, double, double, double, double,
                              double, double, double);

template <RetFix R, bool RetFloat>
void classStub(const CallPlan &P, const uint64_t *Args, uint64_t *Ret) {
  uint64_t I[MaxClassInts] = {};
  double D[MaxClassFloats] = {};
  for (unsigned K = 0; K < P.NumPlaced; ++K) {
    uint8_t At = P.Place[K];
    if (At & 0x80)
      D[At & 0x7f] = std::bit_cast<double>(Args[K]);
    else
      I[At] = Args[K];
  }
  if constexpr (RetFloat) {
    double V = reinterpret_cast<ClassFnF64>(P.Fn)(I[0], I[1], I[2], I[3], I[4],
                                                  I[5], D[0], D[1], D[2], D[3],
                                                  D[4], D[5], D[6], D[7]);
    storeResult<R>(std::bit_cast<uint64_t>(V), Ret);
  } else {
    uint64_t V = reinterpret_cast<ClassFnInt>(P.Fn)(I[0], I[1], I[2], I[3], I[4],
                                                    I[5], D[0], D[1], D[2],
                                                    D[3], D[4], D[5], D[6], D[7]);
    if constexpr (R != RetFix::Unit)
      storeResult<R>(V, Ret);
  }
}

Invoker pickClassStub(RetFix R) {
  switch (R) {
  case RetFix::Unit: return classStub<RetFix::Unit, false>;
  case RetFix::Raw: return classStub<RetFix::Raw, false>;
  case RetFix::S8: return classStub<RetFix::S8, false>;
  case RetFix::S16: return classStub<RetFix::S16, false>;
  case RetFix::S32: return classStub<RetFix::S32, false>;
  case RetFix::U8: return classStub<RetFix::U8, false>;
  case RetFix::U16: return classStub<RetFix::U16, false>;
  case RetFix::U32: return classStub<RetFix::U32, false>;
  case RetFix::Bool: return classStub<RetFix::Bool, false>;
  case RetFix::F32: return classStub<RetFix::F32, true>;
  }
  return nullptr;
}

// Up to MaxShapeArgs arguments, one stub per count of integer and float
// arguments (and result kind) loads each register straight from its
// argument's slot: no placement loop, no zeroed register file in memory.
// Calls of the same mix in other orders share the stub. Each comes in two
// entries: from an argument array (CallPlan::ArgOf naming the argument of
// each register) and from frame slots named in register order
// (CallPlan::InvokeFrame, the interpreter's: no copy of the arguments
// first). The wider mixes above take the placing stub.
constexpr unsigned MaxShapeArgs = CallPlan::MaxShapeArgs;

/// The value of register-order position K: argument ArgOf[K] of an array.
struct FromArgs {
  const CallPlan &P;
  const uint64_t *A;
  uint64_t operator()(size_t K) const { return A[P.ArgOf[K]]; }
};
/// The frame slot the K-th 32-bit field of the packed words W names.
struct FromFrame {
  const uint64_t *FP, *W;
  uint64_t operator()(size_t K) const {
    return FP[uint32_t(W[K / 2] >> (32 * (K % 2)))];
  }
};

template <class Res, unsigned NI, class Src, size_t... II, size_t... FI>
Res callShape(void *Fn, Src A, std::index_sequence<II...>,
              std::index_sequence<FI...>) {
  return reinterpret_cast<Res (*)(U64At<II>..., F64At<FI>...)>(Fn)(
      A(II)..., std::bit_cast<double>(A(NI + FI))...);
}

template <unsigned NI, unsigned NF, RetFix R, bool RetFloat, class Src>
void shapeCall(void *Fn, Src A, uint64_t *Ret) {
  auto Ints = std::make_index_sequence<NI>();
  auto Floats = std::make_index_sequence<NF>();
  if constexpr (RetFloat)
    storeResult<R>(
        std::bit_cast<uint64_t>(callShape<double, NI>(Fn, A, Ints, Floats)),
        Ret);
  else if constexpr (R == RetFix::Unit)
    callShape<void, NI>(Fn, A, Ints, Floats);
  else
    storeResult<R>(callShape<uint64_t, NI>(Fn, A, Ints, Floats), Ret);
}

template <unsigned NI, unsigned NF, RetFix R, bool RetFloat>
void shapeStub(const CallPlan &P, const uint64_t *Args, uint64_t *Ret) {
  shapeCall<NI, NF, R, RetFloat>(P.Fn, FromArgs{P, Args}, Ret);
}

template <unsigned NI, unsigned NF, RetFix R, bool RetFloat>
void shapeFrameStub(const CallPlan &P, const uint64_t *FP,
                    const uint64_t *SlotWords, uint64_t *Ret) {
  shapeCall<NI, NF, R, RetFloat>(P.Fn, FromFrame{FP, SlotWords}, Ret);
}

template <bool Frame>
using ShapeEntry = std::conditional_t<Frame, FrameInvoker, Invoker>;

/// Entry K of a result kind's table is the shape NI = K / W, NF = K % W.
constexpr unsigned ShapeW = MaxShapeArgs + 1;

template <bool Frame, RetFix R, bool RetFloat, unsigned NI, unsigned NF>
constexpr ShapeEntry<Frame> shapeStubOrNull() {
  if constexpr (NI + NF > MaxShapeArgs)
    return nullptr;
  else if constexpr (Frame)
    return &shapeFrameStub<NI, NF, R, RetFloat>;
  else
    return &shapeStub<NI, NF, R, RetFloat>;
}

template <bool Frame, RetFix R, bool RetFloat, size_t... K>
constexpr std::array<ShapeEntry<Frame>, sizeof...(K)>
shapeTable(std::index_sequence<K...>) {
  return {shapeStubOrNull<Frame, R, RetFloat, K / ShapeW, K % ShapeW>()...};
}

template <bool Frame, RetFix R, bool RetFloat = false>
ShapeEntry<Frame> shapeStubFor(unsigned NI, unsigned NF) {
  static constexpr auto Table = shapeTable<Frame, R, RetFloat>(
      std::make_index_sequence<ShapeW * ShapeW>());
  return Table[NI * ShapeW + NF];
}

/// The stub for NI integer and NF float arguments (NI + NF <= MaxShapeArgs)
/// and a result of class RetClass brought to its type by R.
template <bool Frame>
ShapeEntry<Frame> pickShapeStub(Class RetClass, RetFix R, unsigned NI,
                                unsigned NF) {
  if (RetClass == Class::F64)
    return shapeStubFor<Frame, RetFix::Raw, true>(NI, NF);
  switch (R) {
  case RetFix::Unit: return shapeStubFor<Frame, RetFix::Unit>(NI, NF);
  case RetFix::Raw: return shapeStubFor<Frame, RetFix::Raw>(NI, NF);
  case RetFix::S8: return shapeStubFor<Frame, RetFix::S8>(NI, NF);
  case RetFix::S16: return shapeStubFor<Frame, RetFix::S16>(NI, NF);
  case RetFix::S32: return shapeStubFor<Frame, RetFix::S32>(NI, NF);
  case RetFix::U8: return shapeStubFor<Frame, RetFix::U8>(NI, NF);
  case RetFix::U16: return shapeStubFor<Frame, RetFix::U16>(NI, NF);
  case RetFix::U32: return shapeStubFor<Frame, RetFix::U32>(NI, NF);
  case RetFix::Bool: return shapeStubFor<Frame, RetFix::Bool>(NI, NF);
  case RetFix::F32: return shapeStubFor<Frame, RetFix::F32, true>(NI, NF);
  }
  return nullptr;
}

//===----------------------------------------------------------------------===//
// libffi
//===----------------------------------------------------------------------===//

constexpr unsigned MaxLibffiArgs = 64;

/// A prepared cif and what its invoker needs besides. Standard layout with
/// the cif first, so CallPlan::Cif can point at the cif itself.
struct CifEntry {
  ffi_cif Cif;
  ffi_type **ArgTypes;
  RetFix Fix;
};
static_assert(std::is_standard_layout_v<CifEntry>);

ffi_type *ffiTypeOf(const Type &T) {
  switch (T.Kind) {
  case TypeKind::I8:
    return &ffi_type_sint8;
  case TypeKind::I16:
    return &ffi_type_sint16;
  case TypeKind::I32:
    return &ffi_type_sint32;
  case TypeKind::I64:
    return &ffi_type_sint64;
  case TypeKind::U8:
    return &ffi_type_uint8;
  case TypeKind::U16:
    return &ffi_type_uint16;
  case TypeKind::U32:
    return &ffi_type_uint32;
  case TypeKind::U64:
    return &ffi_type_uint64;
  case TypeKind::F32:
    return &ffi_type_float;
  case TypeKind::F64:
    return &ffi_type_double;
  case TypeKind::Bool:
    return &ffi_type_uint8; // C bool: one byte, 0 or 1
  case TypeKind::Char:
    return &ffi_type_uint32;
  case TypeKind::Ptr:
  case TypeKind::FuncPtr:
    return &ffi_type_pointer;
  default:
    return &ffi_type_void;
  }
}

/// The signature as the C ABI sees it: pointers of any pointee are alike.
std::string abiKey(const mir::Signature &Sig) {
  auto Code = [](const Type &T) -> std::string {
    if (T.isPointer() || T.isFuncPtr())
      return "ptr";
    return T.str();
  };
  std::string Key = "(";
  for (size_t I = 0; I < Sig.Params.size(); ++I) {
    if (I)
      Key += ',';
    Key += Code(Sig.Params[I]);
  }
  Key += ")->";
  Key += Code(Sig.Ret);
  return Key;
}

struct CifCache {
  std::mutex M;
  StringMap<CifEntry *> Entries; // never freed: plans point into them
};

CifCache &cifCache() {
  static auto *C = new CifCache;
  return *C;
}

Expected<const CifEntry *> getCif(const mir::Signature &Sig, StringRef Name) {
  std::string Key = abiKey(Sig);
  CifCache &C = cifCache();
  std::lock_guard<std::mutex> Lock(C.M);
  if (auto It = C.Entries.find(Key); It != C.Entries.end())
    return It->second;
  auto *E = new CifEntry();
  E->ArgTypes = new ffi_type *[Sig.Params.size() + 1];
  for (size_t I = 0; I < Sig.Params.size(); ++I)
    E->ArgTypes[I] = ffiTypeOf(Sig.Params[I]);
  E->Fix = retFixOf(Sig.Ret);
  ffi_status S = ffi_prep_cif(&E->Cif, FFI_DEFAULT_ABI, Sig.Params.size(),
                              ffiTypeOf(Sig.Ret), E->ArgTypes);
  if (S != FFI_OK) {
    delete[] E->ArgTypes;
    delete E;
    return createStringError(inconvertibleErrorCode(),
                             "cannot call `%s`: libffi cannot prepare a call "
                             "of signature %s (status %d)",
                             Name.str().c_str(), Sig.str().c_str(),
                             static_cast<int>(S));
  }
  C.Entries[Key] = E;
  return E;
}

void libffiInvoke(const CallPlan &P, const uint64_t *Args, uint64_t *Ret) {
  const auto *E = reinterpret_cast<const CifEntry *>(P.Cif);
  void *Values[MaxLibffiArgs];
  for (unsigned I = 0, N = E->Cif.nargs; I < N; ++I)
    Values[I] = const_cast<uint64_t *>(&Args[I]);
  uint64_t R = 0;
  ffi_call(const_cast<ffi_cif *>(&E->Cif), FFI_FN(P.Fn), &R, Values);
  storeResult(E->Fix, R, Ret);
}

Error unsupported(StringRef Name, const Twine &Why) {
  return createStringError(inconvertibleErrorCode(),
                           "cannot call `" + Name + "`: " + Why);
}

} // namespace

CallPlan::~CallPlan() = default;

Expected<std::unique_ptr<CallPlan>> CallPlan::create(const mir::Signature &Sig,
                                                     void *Fn, StringRef Name) {
  if (!Fn)
    return unsupported(Name, "it has no address");
  if (Sig.Variadic)
    return unsupported(Name, "variadic functions are not supported");
  if (Sig.Params.size() > MaxLibffiArgs)
    return unsupported(Name, Twine(Sig.Params.size()) +
                                 " parameters exceed the limit of " +
                                 Twine(MaxLibffiArgs));

  bool AllInt = true, AllF64 = true;
  for (size_t I = 0; I < Sig.Params.size(); ++I) {
    Class C = classify(Sig.Params[I]);
    if (C == Class::Void || C == Class::Unsupported)
      return unsupported(Name, "parameter " + Twine(I) + " has type `" +
                                   Sig.Params[I].str() +
                                   "`, which cannot be passed to a C function "
                                   "(only scalars and pointers can)");
    AllInt &= C == Class::Int;
    AllF64 &= C == Class::F64;
  }
  Class RetClass = classify(Sig.Ret);
  if (RetClass == Class::Unsupported)
    return unsupported(Name, "result type `" + Sig.Ret.str() +
                                 "` cannot be returned from a C function "
                                 "(only scalars, pointers and unit can)");

  auto P = std::make_unique<CallPlan>();
  P->Fn = Fn;
  P->Sig = Sig;
  unsigned N = Sig.Params.size();
  // Register order: the integer arguments, then the float ones.
  unsigned Ints = 0, Floats = 0;
  for (const Type &T : Sig.Params)
    (classify(T) == Class::Int ? Ints : Floats) += 1;
  bool ByShape = SPL_CLASS_STUBS && N <= MaxShapeArgs;
  if (ByShape) {
    unsigned NI = 0, NF = 0;
    for (unsigned K = 0; K < N; ++K) {
      if (classify(Sig.Params[K]) == Class::Int)
        P->ArgOf[NI++] = uint8_t(K);
      else
        P->ArgOf[Ints + NF++] = uint8_t(K);
    }
    P->InvokeFrame =
        pickShapeStub<true>(RetClass, retFixOf(Sig.Ret), Ints, Floats);
  }
  if (AllInt && N <= MaxIntStubArgs &&
      (RetClass == Class::Int || RetClass == Class::Void)) {
    P->Invoke = pickIntStub(retFixOf(Sig.Ret), N);
    return P;
  }
  if (AllF64 && N <= MaxDoubleStubArgs &&
      (RetClass == Class::F64 || RetClass == Class::Void)) {
    P->Invoke = pickDoubleStub(RetClass == Class::F64, N);
    return P;
  }
  // Mixed classes (or more doubles than the double stubs take) by register
  // class: F64 results come back raw from the double register.
  if (ByShape) {
    P->Invoke = pickShapeStub<false>(RetClass, retFixOf(Sig.Ret), Ints, Floats);
    return P;
  }
  if (SPL_CLASS_STUBS && N <= CallPlan::MaxPlaced && Ints <= MaxClassInts &&
      Floats <= MaxClassFloats) {
    unsigned NI = 0, NF = 0;
    for (unsigned K = 0; K < N; ++K)
      P->Place[K] = classify(Sig.Params[K]) == Class::Int
                        ? uint8_t(NI++)
                        : uint8_t(0x80 | NF++);
    P->NumPlaced = uint8_t(N);
    P->Invoke = RetClass == Class::F64 ? classStub<RetFix::Raw, true>
                                       : pickClassStub(retFixOf(Sig.Ret));
    return P;
  }
  Expected<const CifEntry *> E = getCif(Sig, Name);
  if (!E)
    return E.takeError();
  P->Cif = &(*E)->Cif;
  P->Invoke = libffiInvoke;
  P->UsesLibffi = true;
  return P;
}
