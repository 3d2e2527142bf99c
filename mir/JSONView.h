//===- mir/JSONView.h - The JSON reader's view of a simdjson document -*- C++ -*-===//
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

#include <memory>
#include <optional>
#include <utility>

namespace spl::mir::jsonview {

namespace od = simdjson::ondemand;

/// One value: a scalar (held as the llvm::json::Value llvm::json::parse would
/// have made of it; strings borrow from the input or simdjson's buffer) or a
/// started array or object.
class JValue {
public:
  JValue() = default;
  explicit JValue(llvm::json::Value S) : Scalar(std::move(S)) {}
  static JValue object(od::object O) {
    JValue V;
    V.K = llvm::json::Value::Object;
    V.Obj = O;
    return V;
  }
  static JValue array(od::array A) {
    JValue V;
    V.K = llvm::json::Value::Array;
    V.Arr = A;
    return V;
  }

  llvm::json::Value::Kind kind() const {
    return isContainer() ? K : Scalar.kind();
  }
  bool isObject() const { return K == llvm::json::Value::Object; }
  bool isArray() const { return K == llvm::json::Value::Array; }
  /// The scalar accessors answer as llvm::json::Value's do (nullopt for a
  /// container).
  std::optional<llvm::StringRef> getAsString() const {
    return isContainer() ? std::nullopt : Scalar.getAsString();
  }
  std::optional<int64_t> getAsInteger() const {
    return isContainer() ? std::nullopt : Scalar.getAsInteger();
  }
  std::optional<uint64_t> getAsUINT64() const {
    return isContainer() ? std::nullopt : Scalar.getAsUINT64();
  }
  std::optional<double> getAsNumber() const {
    return isContainer() ? std::nullopt : Scalar.getAsNumber();
  }
  std::optional<bool> getAsBoolean() const {
    return isContainer() ? std::nullopt : Scalar.getAsBoolean();
  }
  const llvm::json::Value &scalar() const { return Scalar; }
  /// The started handles (re-entered with reset()); only for the container
  /// kind.
  od::object objectHandle() const { return Obj; }
  od::array arrayHandle() const { return Arr; }

private:
  bool isContainer() const {
    return K == llvm::json::Value::Object || K == llvm::json::Value::Array;
  }
  llvm::json::Value Scalar = nullptr;
  llvm::json::Value::Kind K = llvm::json::Value::Null; // Object/Array: a handle
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
  /// (Capacity >= Text.size() + simdjson::SIMDJSON_PADDING), or Capacity 0: a padded
  /// copy is made when reading past the end is not safe.
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
