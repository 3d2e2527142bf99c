//===- mir/JSONView.cpp - The JSON reader's view of a simdjson document ---===//
#include "mir/JSONView.h"
#include "mir/MIR.h"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace spl::mir::jsonview {

namespace json = llvm::json;
using llvm::StringRef;

static thread_local JSONDocument *Current = nullptr;

JSONDocument &JSONDocument::current() { return *Current; }

JSONDocument::~JSONDocument() { Current = Outer; }

// Unescaped strings go to simdjson's string buffer, which is sized for the
// input (5/3 of it) and never checked: reading an escaped string more than
// once (a re-read object) must not run past it.
bool JSONDocument::charge(size_t Bytes) {
  Unescaped += Bytes + 1;
  if (Unescaped <= UnescapeBudget)
    return true;
  Broken = true;
  return false;
}

// The length of a string's raw text from just after its opening quote (the
// string is known to be terminated: simdjson's stage 1 checked), and whether
// it holds an escape.
static size_t rawStringLength(const char *P, bool &Escaped) {
  size_t N = 0;
  Escaped = false;
  for (;;) {
    char C = P[N];
    if (C == '"')
      return N;
    if (C == '\\') {
      Escaped = true;
      N += 2;
      continue;
    }
    ++N;
  }
}

std::optional<StringRef> JSONDocument::key(od::field &F) {
  const char *Raw = F.key().raw();
  bool Escaped;
  size_t N = rawStringLength(Raw, Escaped);
  if (!Escaped)
    return StringRef(Raw, N);
  std::string_view S;
  if (!charge(N) || F.unescaped_key().get(S)) {
    Broken = true;
    return std::nullopt;
  }
  return StringRef(S.data(), S.size());
}

JValue JSONDocument::take(od::value V) {
  od::json_type T;
  if (V.type().get(T)) {
    Broken = true;
    return JValue();
  }
  switch (T) {
  case od::json_type::object: {
    od::object O;
    if (V.get_object().get(O))
      break;
    return JValue::object(O);
  }
  case od::json_type::array: {
    od::array A;
    if (V.get_array().get(A))
      break;
    return JValue::array(A);
  }
  case od::json_type::string: {
    std::string_view Tok = V.raw_json_token();
    bool Escaped;
    size_t N = rawStringLength(Tok.data() + 1, Escaped);
    if (!Escaped) {
      od::raw_json_string Skip;
      if (V.get_raw_json_string().get(Skip))
        break;
      return JValue::string(StringRef(Tok.data() + 1, N));
    }
    std::string_view S;
    if (!charge(N) || V.get_string().get(S))
      break;
    return JValue::string(StringRef(S.data(), S.size()));
  }
  case od::json_type::number: {
    std::string_view NumTok = V.raw_json_token();
    od::number Num;
    if (V.get_number().get(Num))
      break;
    // The kinds llvm::json::parse gives: int64 when it fits, else uint64,
    // else double (simdjson declines numbers beyond all three).
    switch (Num.get_number_type()) {
    case od::number_type::signed_integer:
      return JValue::integer(Num.get_int64());
    case od::number_type::unsigned_integer:
      return JValue::uint64(Num.get_uint64());
    case od::number_type::floating_point_number: {
      // As llvm::json reads it: strtod of the token. (simdjson 3.0.1's
      // portable number parser reads 18446744073709551616.0 as 0.)
      StringRef Tok = StringRef(NumTok.data(), NumTok.size()).rtrim(" \t\n\r");
      std::string Z(Tok); // NUL-terminated for strtod
      char *End;
      double D = std::strtod(Z.c_str(), &End);
      if (End != Z.c_str() + Z.size())
        break;
      return JValue::number(D);
    }
    }
    break;
  }
  case od::json_type::boolean: {
    bool B;
    if (V.get_bool().get(B))
      break;
    return JValue::boolean(B);
  }
  case od::json_type::null: {
    bool IsNull;
    if (V.is_null().get(IsNull) || !IsNull)
      break;
    return JValue::null();
  }
  }
  Broken = true;
  return JValue();
}

JObject::JObject(const JValue &V) {
  JSONDocument &D = JSONDocument::current();
  if (!V.isObject()) {
    D.fail();
    return;
  }
  od::object O = V.objectHandle();
  bool Empty;
  if (O.reset().get(Empty)) {
    D.fail();
    return;
  }
  for (simdjson::simdjson_result<od::field> R : O) {
    od::field F;
    if (std::move(R).get(F)) {
      D.fail();
      return;
    }
    std::optional<StringRef> K = D.key(F);
    if (!K)
      return;
    JValue Val = D.take(F.value());
    if (JValue *Old = const_cast<JValue *>(get(*K)))
      *Old = std::move(Val); // llvm::json: the last one wins
    else
      Fields.emplace_back(*K, std::move(Val));
  }
}

JArray::JArray(const JValue &V) {
  if (!V.isArray()) {
    JSONDocument::current().fail();
    return;
  }
  Arr = V.arrayHandle();
  Valid = true;
}

void JArray::start() {
  Done = true;
  if (!Valid)
    return;
  bool Empty;
  if (Arr.reset().get(Empty) || Arr.begin().get(It) || Arr.end().get(End)) {
    JSONDocument::current().fail();
    return;
  }
  Done = false;
  load();
}

void JArray::load() {
  if (!(It != End)) {
    Done = true;
    return;
  }
  od::value V;
  if ((*It).get(V)) {
    JSONDocument::current().fail();
    Done = true;
    return;
  }
  Cur = JSONDocument::current().take(V);
}

void JArray::advance() {
  ++It;
  load();
}

size_t JArray::size() {
  size_t N = 0;
  for (auto I = begin(), E = end(); I != E; ++I)
    ++N;
  return N;
}

// Every token once, checked as simdjson checks what it reads: On-Demand
// skips what nobody reads without looking at it, but llvm::json rejects
// malformed JSON anywhere (unknown fields included).
bool JSONDocument::validate(od::value V, unsigned Depth) {
  od::json_type T;
  if (V.type().get(T))
    return false;
  if (T == od::json_type::object) {
    if (Depth > MaxJSONNesting)
      return false;
    od::object O;
    if (V.get_object().get(O))
      return false;
    for (simdjson::simdjson_result<od::field> R : O) {
      od::field F;
      if (std::move(R).get(F) || !key(F) || !validate(F.value(), Depth + 1))
        return false;
    }
    return true;
  }
  if (T == od::json_type::array) {
    if (Depth > MaxJSONNesting)
      return false;
    od::array A;
    if (V.get_array().get(A))
      return false;
    for (simdjson::simdjson_result<od::value> R : A) {
      od::value E;
      if (std::move(R).get(E) || !validate(E, Depth + 1))
        return false;
    }
    return true;
  }
  take(V);
  return !Broken;
}

// Reading simdjson::SIMDJSON_PADDING bytes past Text's end is safe when they
// are on the same page (simdjson never uses their contents). Not under a
// sanitizer, which would rightly call it an overflow.
static bool paddingReadable(StringRef Text) {
#if defined(__SANITIZE_ADDRESS__)
  return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
  return false;
#endif
#endif
  static const uintptr_t Page = uintptr_t(sysconf(_SC_PAGESIZE));
  uintptr_t End = uintptr_t(Text.data()) + Text.size();
  return Text.size() &&
         (End - 1) / Page == (End - 1 + simdjson::SIMDJSON_PADDING) / Page;
}

std::unique_ptr<JSONDocument> JSONDocument::open(StringRef Text,
                                                 size_t Capacity) {
  std::unique_ptr<JSONDocument> D(new JSONDocument());
  D->Outer = Current;
  Current = D.get();
  const char *Data = Text.data();
  if (Capacity < Text.size() + simdjson::SIMDJSON_PADDING &&
      !paddingReadable(Text)) {
    D->PaddedCopy.reserve(Text.size() + simdjson::SIMDJSON_PADDING);
    D->PaddedCopy.assign(Text.data(), Text.size());
    Data = D->PaddedCopy.data();
  }
  // The nesting limit is ours (validate); simdjson's own is not reached
  // first.
  if (D->Parser.allocate(Text.size(), MaxJSONNesting + 8))
    return nullptr;
  D->UnescapeBudget = 5 * Text.size() / 3;
  if (D->Parser
          .iterate(Data, Text.size(), Text.size() + simdjson::SIMDJSON_PADDING)
          .get(D->Doc))
    return nullptr;
  od::value Top;
  od::json_type T;
  if (D->Doc.get_value().get(Top) || Top.type().get(T) ||
      T != od::json_type::object || !D->validate(Top, 1))
    return nullptr;
  // Nothing after the top-level value (simdjson would not look).
  const char *After;
  if (!D->Doc.current_location().get(After))
    return nullptr;
  // Read again from the start for real.
  D->Doc.rewind();
  D->Unescaped = 0;
  od::object O;
  if (D->Doc.get_object().get(O))
    return nullptr;
  D->Root = JValue::object(O);
  return D;
}

json::Value JValue::scalar() const {
  switch (K) {
  case Kind::Boolean:
    return N.B;
  case Kind::String:
    return StringRef(Str, Len);
  case Kind::Number:
    if (Num == NumKind::Int)
      return N.I;
    if (Num == NumKind::UInt)
      return N.U;
    return N.D;
  default:
    return nullptr;
  }
}

json::Value toJSON(const JValue &V) {
  if (V.isObject()) {
    json::Object O;
    for (const JObject::Entry &E : JObject(V))
      O[E.first] = toJSON(E.second);
    return json::Value(std::move(O));
  }
  if (V.isArray()) {
    json::Array A;
    for (const JValue &E : JArray(V))
      A.push_back(toJSON(E));
    return json::Value(std::move(A));
  }
  return V.scalar();
}

} // namespace spl::mir::jsonview
