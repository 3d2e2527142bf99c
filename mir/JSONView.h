//===- mir/JSONView.h - The JSON reader's view of a simdjson document -*- C++
//-*-===//
//
// Private to mir/. The JSON reader (JSONReader.cpp) reads through these few
// classes instead of llvm::json's DOM, so that a document costs simdjson's
// structural index and nothing per value. They answer exactly what
// llvm::json::Value would answer for the same text (same number kinds, last
// duplicate key wins, same integer conversions: scalars *are* llvm::json
// values), so the reader keeps its shape and its meaning.
//
// simdjson's On-Demand API walks forward only; two things make random access
// possible here:
//  - a JObject reads all fields of its object when made (keys, scalars, and
//    a started handle for each nested array or object), so fields can be
//    looked up in any order and any number of times;
//  - a started array or object handle can be re-entered later (its reset()
//    moves simdjson's iterator back to it), wherever the iterator is.
// A JValue stays valid while its Document does. The document was validated
// in full (JSONDocument::open) before any of this runs, so a skipped part
// can no longer hide malformed JSON.
//
// Every failure here is "decline": the caller parses again with llvm::json,
// which produces today's exact message (JSONReader.cpp, readJSON).
//
//===----------------------------------------------------------------------===//
#ifndef SPL_MIR_JSONVIEW_H
#define SPL_MIR_JSONVIEW_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <simdjson.h>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

namespace spl::mir::jsonview {

namespace od = simdjson::ondemand;

/// One value: a scalar (with the kind and number representation
/// llvm::json::parse would give it; a string borrows from the input or
/// simdjson's buffer) or a started array or object.
class JValue {
public:
  using Kind = llvm::json::Value::Kind;
  JValue() = default;
  static JValue null() { return JValue(); }
  static JValue boolean(bool B) {
    JValue V(Kind::Boolean);
    V.N.B = B;
    return V;
  }
  static JValue integer(int64_t I) {
    JValue V(Kind::Number);
    V.Num = NumKind::Int;
    V.N.I = I;
    return V;
  }
  static JValue uint64(uint64_t U) {
    JValue V(Kind::Number);
    V.Num = NumKind::UInt;
    V.N.U = U;
    return V;
  }
  static JValue number(double D) {
    JValue V(Kind::Number);
    V.Num = NumKind::Double;
    V.N.D = D;
    return V;
  }
  static JValue string(llvm::StringRef S) {
    JValue V(Kind::String);
    V.Str = S.data();
    V.Len = S.size();
    return V;
  }
  static JValue object(od::object O) {
    JValue V(Kind::Object);
    V.Obj = O;
    return V;
  }
  static JValue array(od::array A) {
    JValue V(Kind::Array);
    V.Arr = A;
    return V;
  }

  Kind kind() const { return K; }
  bool isObject() const { return K == Kind::Object; }
  bool isArray() const { return K == Kind::Array; }
  // The accessors llvm::json::Value has, answering as it does
  // (llvm/Support/JSON.h, LLVM 19): e.g. an integral double is an integer.
  std::optional<llvm::StringRef> getAsString() const {
    if (K == Kind::String)
      return llvm::StringRef(Str, Len);
    return std::nullopt;
  }
  std::optional<bool> getAsBoolean() const {
    if (K == Kind::Boolean)
      return N.B;
    return std::nullopt;
  }
  std::optional<double> getAsNumber() const {
    if (K != Kind::Number)
      return std::nullopt;
    switch (Num) {
    case NumKind::Double:
      return N.D;
    case NumKind::Int:
      return double(N.I);
    case NumKind::UInt:
      return double(N.U);
    }
    return std::nullopt;
  }
  std::optional<int64_t> getAsInteger() const {
    if (K != Kind::Number)
      return std::nullopt;
    if (Num == NumKind::Int)
      return N.I;
    if (Num == NumKind::UInt) {
      if (N.U <= uint64_t(std::numeric_limits<int64_t>::max()))
        return int64_t(N.U);
      return std::nullopt;
    }
    double D = N.D;
    if (std::modf(D, &D) == 0.0 &&
        D >= double(std::numeric_limits<int64_t>::min()) &&
        D <= double(std::numeric_limits<int64_t>::max()))
      return D;
    return std::nullopt;
  }
  std::optional<uint64_t> getAsUINT64() const {
    if (K != Kind::Number)
      return std::nullopt;
    if (Num == NumKind::UInt)
      return N.U;
    if (Num == NumKind::Int && N.I >= 0)
      return uint64_t(N.I);
    return std::nullopt;
  }
  /// The scalar as an llvm::json::Value (null for a container).
  llvm::json::Value scalar() const;
  /// The started handles (re-entered with reset()); only for the container
  /// kinds.
  od::object objectHandle() const { return Obj; }
  od::array arrayHandle() const { return Arr; }

private:
  enum class NumKind : uint8_t { Int, UInt, Double };
  explicit JValue(Kind K) : K(K) {}
  Kind K = Kind::Null;
  NumKind Num = NumKind::Int;
  uint32_t Len = 0;
  union {
    int64_t I;
    uint64_t U;
    double D;
    bool B;
  } N = {0};
  const char *Str = nullptr;
  od::object Obj;
  od::array Arr;
};

/// The fields of one object, read when made: lookups in any order. Keys are
/// distinct (a repeated key keeps its last value, as llvm::json does).
class JObject {
public:
  using Entry = std::pair<llvm::StringRef, JValue>;
  /// V must be an object (isObject()); otherwise the object is empty and the
  /// document declines.
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

/// The elements of an array, in order, for a range-for (forward only, each
/// element valid until the next). Re-entering the same array starts over.
class JArray {
public:
  explicit JArray(const JValue &V);
  class iterator {
  public:
    iterator() = default;
    explicit iterator(JArray *A) : A(A) {}
    const JValue &operator*() const { return A->Cur; }
    iterator &operator++() {
      A->advance();
      return *this;
    }
    bool operator!=(const iterator &) const { return A && !A->Done; }

  private:
    JArray *A = nullptr;
  };
  iterator begin() {
    start();
    return iterator(this);
  }
  iterator end() { return iterator(); }
  /// Counts the elements (a walk of its own; re-entering starts over).
  size_t size();

private:
  void start();
  void advance();
  void load();
  od::array Arr;
  od::array_iterator It, End;
  JValue Cur;
  bool Done = true, Valid = false;
};

/// One parsed, validated document and the state of its reading. Opening
/// declines (nullopt) where llvm::json would fail, or where simdjson cannot
/// answer as llvm::json would (numbers beyond 64 bits or a double's range,
/// JSON nested more than MaxJSONNesting levels): the llvm::json reader then
/// decides.
class JSONDocument {
public:
  /// Text must stay alive and readable for Capacity bytes from its start
  /// (Capacity >= Text.size() + simdjson::SIMDJSON_PADDING), or Capacity 0: a
  /// padded copy is made when reading past the end is not safe.
  static std::unique_ptr<JSONDocument> open(llvm::StringRef Text,
                                            size_t Capacity = 0);
  ~JSONDocument();
  /// The top-level value (an object; anything else declined in open).
  const JValue &root() const { return Root; }
  /// Set by any failure while reading (the reader then declines whatever it
  /// made).
  bool broken() const { return Broken; }

  // For the view classes: the document being read on this thread.
  static JSONDocument &current();
  void fail() { Broken = true; }
  /// The value at the iterator (a field's or an element's), read or started.
  JValue take(od::value V);
  /// A key: borrowed from the input, or unescaped by simdjson.
  std::optional<llvm::StringRef> key(od::field &F);

private:
  JSONDocument() = default;
  bool validate(od::value V, unsigned Depth);
  bool charge(size_t Bytes);

  std::string PaddedCopy; // when Text could not be parsed in place
  od::parser Parser;
  od::document Doc;
  JValue Root;
  size_t Unescaped = 0, UnescapeBudget = 0;
  bool Broken = false;
  JSONDocument *Outer = nullptr;
};

/// The llvm::json::Value of a subtree, as llvm::json::parse makes it (for the
/// payloads kept verbatim and for messages).
llvm::json::Value toJSON(const JValue &V);

} // namespace spl::mir::jsonview

#endif // SPL_MIR_JSONVIEW_H
