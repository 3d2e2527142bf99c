//===- mir/MIR.cpp - The MIR model: types, tables, lookups -----------------===//
//
// The small, shared parts of the model: type predicates and spellings, the
// name tables generated from the X-macros of MIR.h, equality (the round-trip
// tests rely on it being exact), id lookups, and the one place trap texts are
// built.
//
//===----------------------------------------------------------------------===//
#include "mir/MIR.h"
#include "mir/Literals.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace spl::mir {

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// The parts of a compound type (see TypeKind for which kind uses which).
/// A copy starts with no references (the base's copy constructor).
struct TypeParts : llvm::ThreadSafeRefCountedBase<TypeParts> {
  Type Elem;          // Ptr pointee, Array element
  bool HasElem = false;
  uint64_t Count = 0; // Array size
  std::optional<Signature> Sig; // FuncPtr
  std::vector<Type> Members;    // Tuple and the handles
  int64_t StructId = 0;         // Struct, Enum
  std::string OpaqueName;       // Opaque
};

} // namespace spl::mir

void llvm::IntrusiveRefCntPtrInfo<const spl::mir::TypeParts>::retain(
    const spl::mir::TypeParts *P) {
  P->Retain();
}

void llvm::IntrusiveRefCntPtrInfo<const spl::mir::TypeParts>::release(
    const spl::mir::TypeParts *P) {
  P->Release();
}

namespace spl::mir {

// The point of the layout (issue: 680 bytes an instruction, 766 MB to load
// 1M of them); 64-bit hosts only.
static_assert(sizeof(void *) != 8 || sizeof(Type) == 16, "Type grew");
static_assert(sizeof(void *) != 8 || sizeof(Operand) == 16, "Operand grew");
static_assert(sizeof(void *) != 8 || sizeof(Inst) == 40, "Inst grew");

TypeParts &Type::ownParts() {
  // Copy on write: the parts may be shared with other Types.
  if (!Parts)
    Parts = llvm::IntrusiveRefCntPtr<const TypeParts>(new TypeParts);
  else if (Parts->UseCount() != 1)
    Parts = llvm::IntrusiveRefCntPtr<const TypeParts>(new TypeParts(*Parts));
  return const_cast<TypeParts &>(*Parts);
}

Type Type::ptr(Type Pointee, bool Mutable, bool IsRef) {
  Type T(TypeKind::Ptr);
  T.Mutable = Mutable;
  T.IsRef = IsRef;
  TypeParts &P = T.ownParts();
  P.Elem = std::move(Pointee);
  P.HasElem = true;
  return T;
}

Type Type::array(Type Element, uint64_t N) {
  Type T(TypeKind::Array);
  TypeParts &P = T.ownParts();
  P.Elem = std::move(Element);
  P.HasElem = true;
  P.Count = N;
  return T;
}

Type Type::funcPtr(Signature S) {
  Type T(TypeKind::FuncPtr);
  T.ownParts().Sig = std::move(S);
  return T;
}

Type Type::withMembers(TypeKind K, std::vector<Type> Members) {
  Type T(K);
  if (!Members.empty())
    T.ownParts().Members = std::move(Members);
  return T;
}

Type Type::withSymbol(TypeKind K, int64_t Id) {
  Type T(K);
  T.setStructId(Id);
  return T;
}

Type Type::opaque(std::string Name) {
  Type T(TypeKind::Opaque);
  T.setOpaqueName(std::move(Name));
  return T;
}

const Type &Type::elem() const {
  static const Type Unit;
  return Parts && Parts->HasElem ? Parts->Elem : Unit;
}

bool Type::hasElem() const { return Parts && Parts->HasElem; }

uint64_t Type::count() const { return Parts ? Parts->Count : 0; }

const Signature &Type::sig() const {
  static const Signature None;
  return Parts && Parts->Sig ? *Parts->Sig : None;
}

bool Type::hasSig() const { return Parts && Parts->Sig; }

const std::vector<Type> &Type::members() const {
  static const std::vector<Type> None;
  return Parts ? Parts->Members : None;
}

int64_t Type::structId() const { return Parts ? Parts->StructId : 0; }

const std::string &Type::opaqueName() const {
  static const std::string None;
  return Parts ? Parts->OpaqueName : None;
}

void Type::setMembers(std::vector<Type> Ms) {
  if (!Ms.empty() || Parts)
    ownParts().Members = std::move(Ms);
}

void Type::setStructId(int64_t Id) {
  if (Id || Parts)
    ownParts().StructId = Id;
}

void Type::setOpaqueName(std::string Name) {
  if (!Name.empty() || Parts)
    ownParts().OpaqueName = std::move(Name);
}

bool Type::isSignedInt() const {
  return Kind >= TypeKind::I8 && Kind <= TypeKind::I64;
}

bool Type::isUnsignedInt() const {
  return (Kind >= TypeKind::U8 && Kind <= TypeKind::U64) ||
         Kind == TypeKind::Char;
}

bool Type::isScalar() const {
  return isInteger() || isFloat() || Kind == TypeKind::Bool || isPointer() ||
         isFuncPtr();
}

unsigned Type::bitWidth() const {
  switch (Kind) {
  case TypeKind::I8:
  case TypeKind::U8:
    return 8;
  case TypeKind::I16:
  case TypeKind::U16:
    return 16;
  case TypeKind::I32:
  case TypeKind::U32:
  case TypeKind::F32:
  case TypeKind::Char:
    return 32;
  case TypeKind::I64:
  case TypeKind::U64:
  case TypeKind::F64:
  case TypeKind::Ptr:
  case TypeKind::FuncPtr:
    return 64;
  case TypeKind::Bool:
    return 1;
  default:
    return 0;
  }
}

uint64_t Type::storeSize() const {
  if (Kind == TypeKind::Bool)
    return 1;
  if (Kind == TypeKind::Array)
    return count() * elem().storeSize();
  return bitWidth() / 8;
}

uint64_t Type::alignment() const {
  if (Kind == TypeKind::Array)
    return elem().alignment();
  uint64_t Size = storeSize();
  return Size ? Size : 1;
}

bool Type::hasLayout() const {
  if (Kind == TypeKind::Array)
    return elem().hasLayout();
  return isScalar();
}

bool Type::isHandle() const {
  return Kind >= TypeKind::Tuple;
}

bool Type::operator==(const Type &O) const {
  if (Kind != O.Kind)
    return false;
  switch (Kind) {
  case TypeKind::Ptr:
    return Mutable == O.Mutable && IsRef == O.IsRef && elem() == O.elem();
  case TypeKind::Array:
    return count() == O.count() && elem() == O.elem();
  case TypeKind::FuncPtr:
    return sig() == O.sig();
  case TypeKind::Tuple:
  case TypeKind::Dict:
  case TypeKind::Slice:
  case TypeKind::Result:
  case TypeKind::Union:
  case TypeKind::Promise:
  case TypeKind::Generator:
  case TypeKind::Actor:
    return members() == O.members();
  case TypeKind::Struct:
  case TypeKind::Enum:
    return structId() == O.structId();
  case TypeKind::Opaque:
    return opaqueName() == O.opaqueName();
  default:
    return true;
  }
}

bool Type::compatible(const Type &O) const {
  if (isPointer() && O.isPointer())
    return true;
  if (isFuncPtr() && O.isFuncPtr())
    return true;
  return *this == O;
}

std::string Type::str() const {
  switch (Kind) {
#define X(E, S)                                                                \
  case TypeKind::E:                                                            \
    return llvm::StringRef(S).lower();
    SPL_MIR_SCALAR_TYPES(X)
#undef X
  case TypeKind::Ptr:
  {
    std::string Out = IsRef ? "&" : "*";
    if (Mutable)
      Out += "mut ";
    Out += elem().str();
    return Out;
  }
  case TypeKind::Array: {
    std::string Out = "[";
    Out += elem().str();
    Out += "; ";
    Out += std::to_string(count());
    Out += "]";
    return Out;
  }
  case TypeKind::FuncPtr:
    return sig().str();
  case TypeKind::Tuple: {
    std::string Out = "(";
    for (size_t I = 0; I < members().size(); ++I)
      Out += (I ? ", " : "") + members()[I].str();
    return Out + ")";
  }
  case TypeKind::Struct:
    return "struct#" + std::to_string(structId());
  case TypeKind::Opaque: {
    return "opaque " + quoteString(opaqueName());
  }
  case TypeKind::Enum:
    return "enum#" + std::to_string(structId());
  case TypeKind::Dict:
  case TypeKind::Slice:
  case TypeKind::Result:
  case TypeKind::Union:
  case TypeKind::Promise:
  case TypeKind::Generator:
  case TypeKind::Actor: {
    // (v2) Runtime handles: `dict<K, V>`, `slice<T>`, `actor<M>`, ...
    std::string Out = handleTypeTextName(Kind).str() + "<";
    for (size_t I = 0; I < members().size(); ++I)
      Out += (I ? ", " : "") + members()[I].str();
    return Out + ">";
  }
  }
  return "?";
}

llvm::StringRef handleTypeTextName(TypeKind K) {
  switch (K) {
  case TypeKind::Dict:
    return "dict";
  case TypeKind::Slice:
    return "slice";
  case TypeKind::Result:
    return "result";
  case TypeKind::Union:
    return "union";
  case TypeKind::Promise:
    return "promise";
  case TypeKind::Generator:
    return "generator";
  case TypeKind::Actor:
    return "actor";
  default:
    return "";
  }
}

llvm::StringRef scalarTypeName(TypeKind K) {
  switch (K) {
#define X(E, S)                                                                \
  case TypeKind::E:                                                            \
    return S;
    SPL_MIR_SCALAR_TYPES(X)
#undef X
  case TypeKind::Ptr:
    return "Ptr";
  case TypeKind::Array:
    return "Array";
  case TypeKind::FuncPtr:
    return "FuncPtr";
  case TypeKind::Tuple:
    return "Tuple";
  case TypeKind::Struct:
    return "Struct";
  case TypeKind::Opaque:
    return "Opaque";
  case TypeKind::Dict:
    return "Dict";
  case TypeKind::Slice:
    return "Slice";
  case TypeKind::Enum:
    return "Enum";
  case TypeKind::Result:
    return "Result";
  case TypeKind::Union:
    return "Union";
  case TypeKind::Promise:
    return "Promise";
  case TypeKind::Generator:
    return "Generator";
  case TypeKind::Actor:
    return "ActorType";
  }
  return "?";
}

bool Signature::operator==(const Signature &O) const {
  return Params == O.Params && Ret == O.Ret && Variadic == O.Variadic;
}

std::string Signature::str() const {
  std::string Out = "fn(";
  for (size_t I = 0; I < Params.size(); ++I)
    Out += (I ? ", " : "") + Params[I].str();
  if (Variadic)
    Out += Params.empty() ? "..." : ", ...";
  Out += ")";
  // Unit results are left implicit, as in Rust.
  if (Ret.Kind != TypeKind::Unit)
    Out += " -> " + Ret.str();
  return Out;
}

//===----------------------------------------------------------------------===//
// Constants and operands
//===----------------------------------------------------------------------===//

Constant Constant::integer(Type T, uint64_t Bits) {
  Constant C;
  C.K = Kind::Int;
  C.Bits = Bits;
  C.Ty = std::move(T);
  return C;
}

Constant Constant::floating(Type T, double V) {
  Constant C;
  C.K = Kind::Float;
  C.F = T.Kind == TypeKind::F32 ? double(float(V)) : V;
  C.Ty = std::move(T);
  return C;
}

Constant Constant::boolean(bool V) {
  Constant C;
  C.K = Kind::Bool;
  C.Bits = V;
  C.Ty = TypeKind::Bool;
  return C;
}

Constant Constant::string(std::string S, Type T) {
  Constant C;
  C.K = Kind::Str;
  C.S = std::move(S);
  C.Ty = std::move(T);
  return C;
}

Constant Constant::zero(Type T) {
  Constant C;
  C.K = Kind::Zero;
  C.Ty = std::move(T);
  return C;
}

Constant Constant::function(std::string Name, Signature Sig) {
  return string(std::move(Name), Type::funcPtr(std::move(Sig)));
}

bool Constant::operator==(const Constant &O) const {
  if (K != O.K || !(Ty == O.Ty))
    return false;
  switch (K) {
  case Kind::Int:
  case Kind::Bool:
    return Bits == O.Bits;
  case Kind::Float: {
    // By bits: NaN equals itself, -0.0 differs from 0.0.
    uint64_t A, B;
    std::memcpy(&A, &F, 8);
    std::memcpy(&B, &O.F, 8);
    return A == B;
  }
  case Kind::Str:
    return S == O.S;
  case Kind::Zero:
    return true;
  }
  return false;
}

bool Operand::operator==(const Operand &O) const {
  if (K != O.K)
    return false;
  return K == Kind::Const ? constant() == O.constant() : Local == O.Local;
}

//===----------------------------------------------------------------------===//
// Name tables
//===----------------------------------------------------------------------===//

llvm::StringRef opcodeJsonName(Opcode Op) {
  switch (Op) {
#define X(E, J, T)                                                             \
  case Opcode::E:                                                              \
    return J;
    SPL_MIR_INSTS(X)
#undef X
  }
  return "?";
}

llvm::StringRef opcodeTextName(Opcode Op) {
  switch (Op) {
#define X(E, J, T)                                                             \
  case Opcode::E:                                                              \
    return T;
    SPL_MIR_INSTS(X)
#undef X
  }
  return "?";
}

llvm::StringRef binOpName(BinOpKind K) {
  switch (K) {
#define X(E)                                                                   \
  case BinOpKind::E:                                                           \
    return #E;
    SPL_MIR_BINOPS(X)
#undef X
  }
  return "?";
}

llvm::StringRef unOpName(UnOpKind K) {
  switch (K) {
#define X(E)                                                                   \
  case UnOpKind::E:                                                            \
    return #E;
    SPL_MIR_UNOPS(X)
#undef X
  }
  return "?";
}

llvm::StringRef intrinsicName(IntrinsicKind K) {
  switch (K) {
#define X(E, N, A)                                                             \
  case IntrinsicKind::E:                                                       \
    return N;
    SPL_MIR_INTRINSICS(X)
#undef X
  }
  return "?";
}

int intrinsicArity(IntrinsicKind K) {
  switch (K) {
#define X(E, N, A)                                                             \
  case IntrinsicKind::E:                                                       \
    return A;
    SPL_MIR_INTRINSICS(X)
#undef X
  }
  return 0;
}

std::optional<IntrinsicKind> lookupIntrinsic(llvm::StringRef Name) {
#define X(E, N, A)                                                             \
  if (IntrinsicKind::E != IntrinsicKind::Extern && Name == N)                  \
    return IntrinsicKind::E;
  SPL_MIR_INTRINSICS(X)
#undef X
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Instructions, blocks, functions, modules
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Instructions: the operand list
//===----------------------------------------------------------------------===//

OperandList &OperandList::operator=(OperandList &&O) noexcept {
  if (this != &O) {
    clear();
    ::operator delete(H);
    H = O.H;
    O.H = nullptr;
  }
  return *this;
}

OperandList::~OperandList() {
  clear();
  ::operator delete(H);
}

void OperandList::clear() {
  if (!H)
    return;
  for (Operand &O : *this)
    O.~Operand();
  H->Size = 0;
}

void OperandList::grow(size_t MinCap) {
  size_t Cap = H ? H->Cap : 0;
  if (MinCap <= Cap)
    return;
  // Exact for the first allocation (most lists are built once, at their
  // size), doubling after.
  size_t NewCap = Cap ? std::max(MinCap, 2 * Cap) : MinCap;
  if (NewCap > UINT32_MAX)
    throw std::bad_alloc(); // the readers turn it into their load error
  auto *N = static_cast<Header *>(
      ::operator new(sizeof(Header) + NewCap * sizeof(Operand)));
  N->Size = 0;
  N->Cap = uint32_t(NewCap);
  if (H) {
    for (size_t I = 0, E = H->Size; I < E; ++I)
      new (N->data() + I) Operand(std::move(H->data()[I]));
    N->Size = H->Size;
    clear();
    ::operator delete(H);
  }
  H = N;
}

void OperandList::reserve(size_t N) { grow(N); }

void OperandList::push_back(Operand O) {
  grow(size() + 1);
  new (H->data() + H->Size) Operand(std::move(O));
  ++H->Size;
}

Operand *OperandList::insert(Operand *Pos, Operand O) {
  size_t At = Pos - begin();
  push_back(std::move(O));
  std::rotate(begin() + At, end() - 1, end());
  return begin() + At;
}

void OperandList::assign(const Operand *B, const Operand *E) {
  if (B == E) {
    clear();
    return;
  }
  OperandList N;
  N.grow(size_t(E - B));
  for (const Operand *I = B; I != E; ++I)
    new (N.H->data() + N.H->Size++) Operand(*I);
  *this = std::move(N);
}

//===----------------------------------------------------------------------===//
// Instructions: the rare fields
//===----------------------------------------------------------------------===//

const Constant &noConstant() {
  static const Constant None;
  return None;
}

InstRare::InstRare(const InstRare &O) { *this = O; }

InstRare &InstRare::operator=(const InstRare &O) {
  if (this == &O)
    return *this;
  uintptr_t New = 0;
  if (O.Bits & 1) {
    O.box()->Retain();
    New = O.Bits;
  } else if (O.Bits) {
    New = reinterpret_cast<uintptr_t>(new InstExtra(*O.extra()));
  }
  reset();
  Bits = New;
  return *this;
}

InstRare &InstRare::operator=(InstRare &&O) noexcept {
  if (this != &O) {
    reset();
    Bits = O.Bits;
    O.Bits = 0;
  }
  return *this;
}

void InstRare::reset() {
  if (Bits & 1)
    box()->Release();
  else
    delete reinterpret_cast<InstExtra *>(Bits);
  Bits = 0;
}

const ConstBox *InstRare::constant() const {
  if (Bits & 1)
    return box();
  return Bits ? extra()->C.get() : nullptr;
}

void InstRare::setConstant(ConstRef C) {
  if (hasExtra()) {
    extra().C = std::move(C);
    return;
  }
  reset();
  if (const ConstBox *B = C.get()) {
    B->Retain();
    Bits = reinterpret_cast<uintptr_t>(B) | 1;
  }
}

InstExtra &InstRare::extra() {
  if (hasExtra())
    return *reinterpret_cast<InstExtra *>(Bits);
  auto *X = new InstExtra;
  if (Bits & 1) {
    // Take the constant's reference over.
    X->C = ConstRef(box());
    box()->Release();
  }
  Bits = reinterpret_cast<uintptr_t>(X);
  return *X;
}

const Type &Inst::type() const {
  static const Type Unit;
  const InstExtra *X = Rare.extra();
  return X ? X->Ty : Unit;
}

const Operand &Inst::callee() const {
  static const Operand None;
  const InstExtra *X = Rare.extra();
  return X ? X->Callee : None;
}

const Signature &Inst::sig() const {
  static const Signature None;
  const InstExtra *X = Rare.extra();
  return X ? X->Sig : None;
}

const std::string &Inst::payload() const {
  static const std::string None;
  const InstExtra *X = Rare.extra();
  return X ? X->Payload : None;
}

const std::string &Inst::name() const {
  static const std::string None;
  const InstExtra *X = Rare.extra();
  return X ? X->Name : None;
}

bool Inst::operator==(const Inst &O) const {
  if (Op != O.Op || maybeDest() != O.maybeDest() || ops() != O.ops())
    return false;
  switch (Op) {
  case Opcode::Const:
    return constant() == O.constant();
  case Opcode::BinOp:
  case Opcode::CheckedBinOp:
    return Bin == O.Bin;
  case Opcode::UnaryOp:
    return Un == O.Un;
  case Opcode::Cast:
  case Opcode::Bitcast:
  case Opcode::Alloc:
    return type() == O.type();
  case Opcode::Call:
    return callee() == O.callee();
  case Opcode::CallIndirect:
    return sig() == O.sig();
  case Opcode::Intrinsic:
    return Intr == O.Intr && name() == O.name();
  case Opcode::DebugValue:
  case Opcode::DecisionProbe:
  case Opcode::ConditionProbe:
    return payload() == O.payload();
  case Opcode::Aggregate:
    if (Agg != O.Agg)
      return false;
    if (Agg == AggKind::Array)
      return type() == O.type();
    return symbol() == O.symbol() && variant() == O.variant();
  case Opcode::GetField:
  case Opcode::SetField:
    return Field == O.Field;
  case Opcode::GlobalAddr:
    return symbol() == O.symbol() && Mutable == O.Mutable;
  default:
    return true;
  }
}

bool Terminator::operator==(const Terminator &O) const {
  if (K != O.K || Value != O.Value)
    return false;
  switch (K) {
  case TermKind::Goto:
    return Target == O.Target;
  case TermKind::If:
    return Target == O.Target && Else == O.Else;
  case TermKind::Switch:
    return Target == O.Target && Cases == O.Cases;
  case TermKind::Abort:
    return Message == O.Message;
  case TermKind::CallTerminator:
    return Dest == O.Dest && Callee == O.Callee && Args == O.Args &&
           Target == O.Target && Unwind == O.Unwind &&
           PayloadDest == O.PayloadDest && TagDest == O.TagDest &&
           UnwindContract == O.UnwindContract;
  case TermKind::Throw:
  case TermKind::Resume:
    return Tag == O.Tag && LegacyForm == O.LegacyForm;
  default:
    return true;
  }
}

bool Block::operator==(const Block &O) const {
  return Id == O.Id && Label == O.Label && Insts == O.Insts && Term == O.Term;
}

bool Local::operator==(const Local &O) const {
  return Id == O.Id && Name == O.Name && Ty == O.Ty && Kind == O.Kind &&
         (Kind != LocalKind::Arg || ArgIndex == O.ArgIndex);
}

void Function::IdIndex::build(std::vector<std::pair<uint32_t, int>> Items) {
  Built = true;
  Dense.clear();
  Sparse.clear();
  uint64_t Max = 0;
  for (const auto &It : Items)
    Max = std::max<uint64_t>(Max, It.first);
  // Ids are usually dense and small: a table indexed by id is the fastest
  // lookup, and its size is bounded by the number of items.
  if (!Items.empty() && Max <= 4 * Items.size() + 1024) {
    Dense.assign(Max + 1, -1);
    for (const auto &[Id, Pos] : Items)
      if (Dense[Id] < 0) // the first of duplicates wins
        Dense[Id] = Pos;
    return;
  }
  // Sparse (or huge) ids: binary search. A stable sort keeps duplicates in
  // their original order, so the first one is found first.
  std::stable_sort(
      Items.begin(), Items.end(),
      [](const auto &A, const auto &B) { return A.first < B.first; });
  Sparse = std::move(Items);
}

int Function::IdIndex::find(uint32_t Id) const {
  if (!Built)
    return -2;
  if (!Dense.empty())
    return Id < Dense.size() ? Dense[Id] : -1;
  auto It = std::lower_bound(Sparse.begin(), Sparse.end(), Id,
                             [](const std::pair<uint32_t, int> &P, uint32_t V) {
                               return P.first < V;
                             });
  return It != Sparse.end() && It->first == Id ? It->second : -1;
}

void Function::reindex() {
  std::vector<std::pair<uint32_t, int>> Ids, Args;
  Ids.reserve(Locals.size());
  ReturnPos = -1;
  for (size_t I = 0; I < Locals.size(); ++I) {
    Ids.emplace_back(Locals[I].Id, int(I));
    if (Locals[I].Kind == LocalKind::Arg)
      Args.emplace_back(Locals[I].ArgIndex, int(I));
    else if (Locals[I].Kind == LocalKind::Return && ReturnPos < 0)
      ReturnPos = int(I);
  }
  LocalIndex.build(std::move(Ids));
  ArgIndexes.build(std::move(Args));
  Ids.clear();
  Ids.reserve(Blocks.size());
  for (size_t I = 0; I < Blocks.size(); ++I)
    Ids.emplace_back(Blocks[I].Id, int(I));
  BlockIndex.build(std::move(Ids));
}

// The scans for a function that was never reindexed (a hand-built one).
template <typename T>
static int scanFor(const std::vector<T> &Items, uint32_t Id) {
  for (size_t I = 0; I < Items.size(); ++I)
    if (Items[I].Id == Id)
      return int(I);
  return -1;
}

int Function::localIndex(LocalId Id) const {
  int I = LocalIndex.find(Id);
  return I == -2 ? scanFor(Locals, Id) : I;
}

int Function::blockIndex(BlockId Id) const {
  int I = BlockIndex.find(Id);
  return I == -2 ? scanFor(Blocks, Id) : I;
}

const Local *Function::local(LocalId Id) const {
  int I = localIndex(Id);
  return I < 0 ? nullptr : &Locals[I];
}

const Block *Function::block(BlockId Id) const {
  int I = blockIndex(Id);
  return I < 0 ? nullptr : &Blocks[I];
}

const Local *Function::argLocal(unsigned I) const {
  if (ArgIndexes.Built) {
    int P = ArgIndexes.find(I);
    return P < 0 ? nullptr : &Locals[P];
  }
  for (const Local &L : Locals)
    if (L.Kind == LocalKind::Arg && L.ArgIndex == I)
      return &L;
  return nullptr;
}

const Local *Function::returnLocal() const {
  if (LocalIndex.Built)
    return ReturnPos < 0 ? nullptr : &Locals[ReturnPos];
  for (const Local &L : Locals)
    if (L.Kind == LocalKind::Return)
      return &L;
  return nullptr;
}

bool Function::operator==(const Function &O) const {
  return Symbol == O.Symbol && Name == O.Name && Sig == O.Sig &&
         Locals == O.Locals && Blocks == O.Blocks &&
         EntryBlock == O.EntryBlock;
}

const Function *Module::function(llvm::StringRef N) const {
  for (const Function &F : Functions)
    if (F.Name == N)
      return &F;
  return nullptr;
}

const ExternDecl *Module::externDecl(llvm::StringRef N) const {
  for (const ExternDecl &D : Externs)
    if (D.Name == N)
      return &D;
  return nullptr;
}

bool Module::operator==(const Module &O) const {
  return Name == O.Name && Externs == O.Externs && Functions == O.Functions;
}

//===----------------------------------------------------------------------===//
// Runtime errors
//===----------------------------------------------------------------------===//

std::string staleDetail(llvm::StringRef Callee, const Signature &Now,
                        const Signature &Compiled) {
  return ("`" + Callee + "` was redefined as " + Now.str() +
          "; this call was compiled for " + Compiled.str())
      .str();
}

std::string trapMessage(TrapKind K, llvm::StringRef Fn,
                        llvm::StringRef Detail) {
  llvm::StringRef Message;
  switch (K) {
#define X(E, M)                                                                \
  case TrapKind::E:                                                            \
    Message = M;                                                               \
    break;
    SPL_MIR_TRAPS(X)
#undef X
  }
  switch (K) {
  case TrapKind::UndefinedFunction:
    // Names the callee, not the caller (docs/SEMANTICS.md).
    return ("runtime error: function `" + (Detail.empty() ? Fn : Detail) +
            "` is not defined")
        .str();
  case TrapKind::Abort:
    if (Detail.empty())
      break;
    return ("runtime error in `" + Fn + "`: aborted: " + Detail).str();
  case TrapKind::StackOverflow: {
    std::string Limit =
        Detail.empty() ? std::to_string(DefaultMaxCallDepth) : Detail.str();
    return ("runtime error in `" + Fn +
            "`: stack overflow (call depth exceeded " + Limit + ")")
        .str();
  }
  case TrapKind::UncaughtException:
    return (llvm::Twine(Fn.empty() ? "runtime error: " : "runtime error in `") +
            Fn + (Fn.empty() ? "" : "`: ") + Message + Detail)
        .str();
  case TrapKind::InvalidMemoryAccess:
    if (Detail.empty())
      break;
    return (llvm::Twine(Fn.empty() ? "runtime error: " : "runtime error in `") +
            Fn + (Fn.empty() ? "" : "`: ") + Message + " at " + Detail)
        .str();
  case TrapKind::TimeLimit:
    if (Detail.empty())
      break;
    return ("runtime error in `" + Fn + "`: time limit of " + Detail +
            " ms exceeded")
        .str();
  case TrapKind::BoundsCheck:
  case TrapKind::Panic:
  case TrapKind::StaleSignature:
    if (!Detail.empty())
      Message = Detail;
    break;
  default:
    break;
  }
  if (Fn.empty())
    return ("runtime error: " + Message).str();
  return ("runtime error in `" + Fn + "`: " + Message).str();
}

std::string uncaughtDetail(int64_t TypeTag, const char *TextPayload) {
  if (TextPayload)
    return std::string(": ") + TextPayload;
  return " (type tag " + std::to_string(TypeTag) + ")";
}

std::string faultAddressText(uint64_t Addr) {
  static const char Digits[] = "0123456789abcdef";
  char Buf[19];
  int N = 0;
  do {
    Buf[N++] = Digits[Addr & 15];
    Addr >>= 4;
  } while (Addr);
  std::string S = "0x";
  while (N)
    S += Buf[--N];
  return S;
}

std::string boundsDetail(int64_t Index, int64_t Len) {
  return "index " + std::to_string(Index) + " out of bounds for length " +
         std::to_string(Len);
}

} // namespace spl::mir
