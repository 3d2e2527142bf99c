//===- mir/JSONView.h - The JSON reader's view of its input -*- C++ -*-===//
//
// Private to mir/. The JSON reader (JSONReader.cpp) reads through these few
// classes instead of llvm::json's DOM. They answer exactly what
// llvm::json::Value would answer for the same text (same number kinds, last
// duplicate key wins, same integer conversions: scalars *are* llvm::json
// values), so the reader keeps its shape and its meaning.
//
// The text is read once, by a strict parser of its own (JSONView.cpp) that
// checks as it goes everything llvm::json::parse checks (UTF-8, escapes,
// nesting, trailing content) and declines where it could read differently.
// What it builds is a JTree: one flat array of nodes for a subtree, each
// container followed by its members, so that fields can be looked up in any
// order and arrays walked any number of times. A module's functions are
// never all in one tree: the top-level object's `functions` is handed out
// one element at a time (JSONDocument::parse), each parsed into a scratch
// tree that the next one reuses. An array whose members would take more
// than LazyNodes nodes (a large block's instructions) keeps none: it is
// checked, counted and remembered as its text, and walking it parses one
// element at a time again. The memory a load needs beside the model is then
// a few bounded trees, not an index of the whole input.
//
// Every failure here is "decline": the caller parses again with llvm::json,
// which produces today's exact message (JSONReader.cpp, readJSON).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_JSONVIEW_H
#define SPL_MIR_JSONVIEW_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/JSON.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace spl::mir::jsonview {

/// One node of a JTree. A container's members follow it (an object's as
/// key, value pairs); Span counts the nodes of its whole subtree, so a
/// sibling is found without looking inside. A lazy array has no members in
/// the tree: V.S and TextLen are its text, `[` to `]`.
struct JNode {
  using Kind = llvm::json::Value::Kind;
  enum class NumKind : uint8_t { Int, UInt, Double };
  union {
    int64_t I;
    uint64_t U;
    double D;
    bool B;
    const char *S;
  } V = {0};
  uint32_t Len = 0;     // a string's bytes; a container's live members
  uint32_t Span = 1;    // the nodes of this subtree, this one included
  uint32_t TextLen = 0; // a lazy array's text
  Kind K : 8 = Kind::Null;
  NumKind Num = NumKind::Int;
  bool Dead : 1 = false;     // a key a later duplicate replaced
  bool Streamed : 1 = false; // `functions`, handed out instead of kept
  bool Lazy : 1 = false;     // an array kept as its text
};
static_assert(sizeof(JNode) == 24, "a node is three words");

/// An array's members beyond which it is kept as its text (JNode::Lazy):
/// about 100 KiB of nodes, far more than a typical function has.
constexpr size_t LazyNodes = 4096;

/// One value: a node of a tree that stays alive (and unchanged) while the
/// value is used.
class JValue {
public:
  using Kind = llvm::json::Value::Kind;
  JValue() : N(&NullNode) {}
  explicit JValue(const JNode *N) : N(N) {}

  Kind kind() const { return N->K; }
  bool isObject() const { return N->K == Kind::Object; }
  bool isArray() const { return N->K == Kind::Array; }
  /// The module's `functions` array or object, read element by element
  /// while parsing (JSONDocument::parse): it has no members here.
  bool isStreamed() const { return N->Streamed; }
  // The accessors llvm::json::Value has, answering as it does
  // (llvm/Support/JSON.h, LLVM 19): e.g. an integral double is an integer.
  std::optional<llvm::StringRef> getAsString() const {
    if (N->K == Kind::String)
      return llvm::StringRef(N->V.S, N->Len);
    return std::nullopt;
  }
  std::optional<bool> getAsBoolean() const {
    if (N->K == Kind::Boolean)
      return N->V.B;
    return std::nullopt;
  }
  std::optional<double> getAsNumber() const {
    if (N->K != Kind::Number)
      return std::nullopt;
    switch (N->Num) {
    case JNode::NumKind::Double:
      return N->V.D;
    case JNode::NumKind::Int:
      return double(N->V.I);
    case JNode::NumKind::UInt:
      return double(N->V.U);
    }
    return std::nullopt;
  }
  std::optional<int64_t> getAsInteger() const {
    if (N->K != Kind::Number)
      return std::nullopt;
    if (N->Num == JNode::NumKind::Int)
      return N->V.I;
    if (N->Num == JNode::NumKind::UInt) {
      if (N->V.U <= uint64_t(std::numeric_limits<int64_t>::max()))
        return int64_t(N->V.U);
      return std::nullopt;
    }
    double D = N->V.D;
    if (std::modf(D, &D) == 0.0 &&
        D >= double(std::numeric_limits<int64_t>::min()) &&
        D <= double(std::numeric_limits<int64_t>::max()))
      return D;
    return std::nullopt;
  }
  std::optional<uint64_t> getAsUINT64() const {
    if (N->K != Kind::Number)
      return std::nullopt;
    if (N->Num == JNode::NumKind::UInt)
      return N->V.U;
    if (N->Num == JNode::NumKind::Int && N->V.I >= 0)
      return uint64_t(N->V.I);
    return std::nullopt;
  }
  /// The scalar as an llvm::json::Value (null for a container).
  llvm::json::Value scalar() const;
  const JNode *node() const { return N; }

private:
  static inline const JNode NullNode{};
  const JNode *N;
};

/// The live fields of an object (a repeated key keeps its last value, as
/// llvm::json does), gathered when made: lookups in any order, and the
/// values' addresses stay valid while the JObject lives.
class JObject {
public:
  using Entry = std::pair<llvm::StringRef, JValue>;
  /// V must be an object (isObject()); otherwise the object is empty.
  explicit JObject(const JValue &V);
  const JValue *get(llvm::StringRef Key) const {
    for (const Entry &E : Fields)
      if (E.first == Key)
        return &E.second;
    return nullptr;
  }
  size_t size() const { return Fields.size(); }
  const Entry *begin() const { return Fields.begin(); }
  const Entry *end() const { return Fields.end(); }

private:
  llvm::SmallVector<Entry, 6> Fields;
};

class JSONDocument;

/// The elements of an array, in order, for a range-for (each element valid
/// until the next: a lazy array's are parsed one at a time).
class JArray {
public:
  explicit JArray(const JValue &V);
  ~JArray();
  JArray(JArray &&) noexcept;
  class iterator {
  public:
    iterator() = default;
    iterator(JArray *A, const JNode *At) : A(A), Cur(At) {}
    const JValue &operator*() const { return Cur; }
    iterator &operator++() {
      if (A->Text)
        Cur = A->nextLazy();
      else
        Cur = JValue(Cur.node() + Cur.node()->Span);
      return *this;
    }
    bool operator!=(const iterator &O) const {
      return Cur.node() != O.Cur.node();
    }

  private:
    JArray *A = nullptr;
    JValue Cur;
  };
  iterator begin();
  iterator end() { return iterator(this, Last); }
  size_t size() const { return Size; }

private:
  JValue nextLazy();
  const JNode *First = nullptr, *Last = nullptr;
  const JNode *Text = nullptr; // a lazy array's node
  // A lazy array's walk over its text: the current element is its tree.
  std::unique_ptr<JSONDocument> Walk;
  size_t Size = 0;
};

/// The nodes of one subtree and the strings that had to be unescaped.
class JTree {
public:
  void clear() {
    Nodes.clear();
    Strings.Reset();
  }
  JValue root() const { return JValue(Nodes.data()); }
  std::vector<JNode> &nodes() { return Nodes; }

private:
  friend class JSONDocument;
  std::vector<JNode> Nodes;
  llvm::BumpPtrAllocator Strings;
};

/// One parse of a whole document. It declines (false) where llvm::json
/// would fail, or where it might read a value differently (numbers beyond
/// 64 bits or a double's range, a leading zero or `+`, lone UTF-16
/// surrogates, the serializer's NaN/inf tokens, raw control characters,
/// JSON nested more than MaxJSONNesting levels, a top level that is not an
/// object): the llvm::json reader then decides.
class JSONDocument {
public:
  explicit JSONDocument(llvm::StringRef Text);
  ~JSONDocument();
  JSONDocument(const JSONDocument &) = delete;
  JSONDocument &operator=(const JSONDocument &) = delete;
  /// Called for each element of the top-level object's `functions` (when
  /// it is an array or an object): its key in the object form (empty for
  /// the array form) and the element, valid until the call returns. Start
  /// is called first with whether it is the object form; a repeated
  /// `functions` starts over. False from either declines.
  using StartFn = llvm::function_ref<bool(bool IsObject)>;
  using ElementFn = llvm::function_ref<bool(llvm::StringRef, const JValue &)>;
  /// The whole text, checked to its end; true when it is a JSON object.
  bool parse(StartFn Start, ElementFn Each);
  /// The top-level object (after parse): its `functions` isStreamed() when
  /// it was handed out.
  JValue root() const { return Top.root(); }
  /// Whether a lazy array's second parse failed while this document was
  /// being read (it cannot, the text having been checked: but if it did,
  /// the model would miss elements, so the reader declines).
  bool broken() const { return Broken; }
  /// In an ElementFn: how many elements follow this one (counted ahead,
  /// not yet checked: exact only if the text is JSON).
  size_t elementsLeft() const;

private:
  friend class JArray;
  struct Nested {};
  /// A lazy array's walk (not the document being read on this thread).
  JSONDocument(llvm::StringRef ArrayText, Nested);
  /// The walk's next element into Scratch (false: none left, or broken).
  bool lazyElement();
  void fail();
  bool value(JTree &T, unsigned Depth);
  bool container(JTree &T, unsigned Depth, bool IsObject);
  bool string(JTree &T, llvm::StringRef &Out);
  bool escaped(JTree &T, const char *Start, llvm::StringRef &Out);
  bool number(JTree &T);
  bool literal(llvm::StringRef Word);
  bool streamed(bool IsObject, StartFn Start, ElementFn Each);
  template <typename MemberFn>
  bool members(JTree &T, bool IsObject, MemberFn Each);
  bool close(JTree &T, size_t At, uint32_t Count);
  void dedupe(JTree &T, size_t At);
  void skipSpace() {
    while (P != End && (*P == ' ' || *P == '\n' || *P == '\r' || *P == '\t'))
      ++P;
  }

  const char *Begin, *P, *End;
  JTree Top, Scratch;
  bool Broken = false;
  bool Registered = false;       // the one being read on this thread
  JSONDocument *Outer = nullptr; // the one read before it
};

/// The llvm::json::Value of a subtree, as llvm::json::parse makes it (for the
/// payloads kept verbatim and for messages).
llvm::json::Value toJSON(const JValue &V);

} // namespace spl::mir::jsonview

#endif // SPL_MIR_JSONVIEW_H
