//===- fuzz/FuzzRuntime.cpp - libFuzzer target: the runtime's probes ------===//
//
// RUNTIME.md: every runtime function tolerates a wrong kind of argument (no
// crash), since that is how compiled code probes values. The input is a
// little program over a pool of 16 words: each step either puts a word in
// the pool (random bits, a small integer, a real object the target makes,
// a word near another one) or calls one runtime function on pool words and
// puts its result back. Sizes passed to constructors are kept small (a
// program asking for a 2^40-element array is not the runtime's bug). At the
// end every object reachable from what was made is freed, so the arena does
// not grow from one input to the next.
//
// Not called: (pointer, length) functions on pool words (the pointer is the
// caller's promise), memcpy/memset, the printing functions (noise), and the
// failing ones (rt_panic, bounds_check, unreachable, trap), which need the
// engine's fail handler; the interpreter target covers those.
//
//===----------------------------------------------------------------------===//

#include "fuzz/FuzzSupport.h"
#include "runtime/Heap.h"
#include "runtime/Objects.h"
#include "runtime/spl_runtime.h"

#include <cstdint>
#include <cstring>
#include <unordered_set>
#include <vector>

using namespace spl;
namespace heap = spl::rt::heap;
namespace obj = spl::rt::detail; // object layouts (runtime/Objects.h)

namespace {

class Reader {
public:
  Reader(const uint8_t *D, size_t N) : D(D), N(N) {}
  bool done() const { return Pos >= N; }
  uint8_t byte() { return Pos < N ? D[Pos++] : 0; }
  uint64_t word() {
    uint64_t W = 0;
    for (int I = 0; I < 8; ++I)
      W |= uint64_t(byte()) << (8 * I);
    return W;
  }
  /// Up to Max bytes of the input, as they are.
  std::pair<const uint8_t *, size_t> bytes(size_t Max) {
    size_t Len = std::min<size_t>(byte() % (Max + 1), N - Pos);
    const uint8_t *P = D + Pos;
    Pos += Len;
    return {P, Len};
  }

private:
  const uint8_t *D;
  size_t N;
  size_t Pos = 0;
};

constexpr unsigned PoolSize = 16;


/// A made-up word, moved off memory that only a sanitizer build has mapped.
/// The runtime reads a raw pointer when the kernel says its page is readable
/// (runtime/SafeRead.cpp); under ASan that includes the 16 TiB shadow and the
/// allocator's heap, where an instrumented memchr then faults on the
/// shadow's own gap or reports a use-after-free: reports about ASan's memory,
/// not the runtime's. So words that could be such raw pointers are folded
/// into [64 KiB, 2 GiB), which nothing maps in this process: the runtime's
/// probe still runs (and answers EFAULT). Words below 64 KiB (never read),
/// in the arena (the registry decides) or at 2^57 and up (never user memory)
/// stay as they are.
int64_t tame(int64_t W) {
  uint64_t U = static_cast<uint64_t>(W);
  constexpr uint64_t Low = 0x10000, High = 0x7fff8000; // ASan's low shadow
  if (U < High || U >= (uint64_t(1) << 57) || heap::inArena(U & ~uint64_t(7)) ||
      heap::inArena(U - 16))
    return W;
  return static_cast<int64_t>(Low + U % (High - Low));
}

struct State {
  int64_t Pool[PoolSize] = {};
  std::vector<int64_t> Made; // every word a runtime function returned
  unsigned Renders = 0;
  Reader R;
  explicit State(Reader R) : R(R) {}
  int64_t &pick() { return Pool[R.byte() % PoolSize]; }
  int64_t arg() { return pick(); }
  /// A result into the pool; tamed, since a probe's result (a payload, an
  /// item, a number) may be used as a raw pointer next.
  void put(int64_t W) {
    pick() = tame(W);
    Made.push_back(W);
  }
  int64_t small() { return int64_t(R.byte()) - 16; } // -16 .. 239
};

/// Frees every object reachable from the words in Roots (items, entries,
/// payloads, captures included): whatever kind, by its own free function
/// where one exists, else by the registry (no free function is exported for
/// dicts, enums, closures and boxes: the runtime has no garbage collector).
void freeAll(std::vector<int64_t> Roots) {
  std::unordered_set<uintptr_t> Seen;
  while (!Roots.empty()) {
    uint64_t W = static_cast<uint64_t>(Roots.back());
    Roots.pop_back();
    // A tagged or untagged object, or the data pointer of a string.
    for (uintptr_t P : {uintptr_t(W & ~uint64_t(7)), uintptr_t(W) - 16}) {
      uint8_t K = heap::kindAt(P);
      if (!K || !Seen.insert(P).second)
        continue;
      switch (static_cast<heap::Kind>(K)) {
      case heap::Kind::Array: {
        auto *A = reinterpret_cast<obj::ArrayObj *>(P);
        if (!(A->Flags & obj::ArrayFlagBytes))
          for (int64_t I = 0; I < A->Len; ++I)
            Roots.push_back(static_cast<int64_t *>(A->Data)[I]);
        rt_array_free(int64_t(P | 1));
        break;
      }
      case heap::Kind::String:
        rt_string_free(int64_t(P | 1));
        break;
      case heap::Kind::Raw:
        rt_free(reinterpret_cast<void *>(P));
        break;
      case heap::Kind::Dict: {
        auto *D = reinterpret_cast<obj::DictObj *>(P);
        for (int64_t I = 0; I < D->Cap; ++I)
          if (D->Entries[I].State == obj::EntryLive) {
            Roots.push_back(D->Entries[I].Key);
            Roots.push_back(D->Entries[I].Value);
          }
        if (heap::retire(D, heap::Kind::Dict)) {
          std::free(D->Entries);
          heap::release(D);
        }
        break;
      }
      case heap::Kind::Enum: {
        Roots.push_back(reinterpret_cast<obj::EnumObj *>(P)->Payload);
        if (heap::retire(reinterpret_cast<void *>(P), heap::Kind::Enum))
          heap::release(reinterpret_cast<void *>(P));
        break;
      }
      case heap::Kind::Closure: {
        auto *C = reinterpret_cast<obj::ClosureObj *>(P);
        for (int64_t I = 0; I < C->Count; ++I)
          Roots.push_back(C->captures()[I]);
        if (heap::retire(C, heap::Kind::Closure))
          heap::release(C);
        break;
      }
      default: // boxes
        if (heap::retire(reinterpret_cast<void *>(P),
                         static_cast<heap::Kind>(K)))
          heap::release(reinterpret_cast<void *>(P));
        break;
      }
    }
  }
}

/// Whether W's length (text, array, dict; else 0) is at most 64 Ki: the
/// growing operations (concatenations, replace) are only called on such
/// words, or repeated doubling would hit the RSS limit, a property of the
/// program rather than the runtime.
bool small(int64_t W) { return rt_len(W) <= (int64_t(1) << 16); }

void step(State &S) {
  Reader &R = S.R;
  switch (R.byte() % 72) {
  // Words into the pool.
  case 0: S.pick() = tame(int64_t(R.word())); break;
  case 1: S.pick() = S.small() << 3; break; // a tagged small int
  case 2: { static const int64_t Fixed[] = {0, 1, 2, 3, 11, 19, -8, INT64_MIN};
            S.pick() = Fixed[R.byte() % 8]; break; }
  case 3: { uint64_t W = uint64_t(S.arg()) + uint64_t(S.small()); // near
            S.pick() = tame(int64_t(W)); break; }
  case 4: { auto [P, N] = R.bytes(64); S.put(rt_string_new(P, N)); break; }
  case 5: S.put(rt_array_new(S.small())); break;
  case 6: S.put(rt_dict_new(S.small())); break;
  case 7: { int32_t Id = R.byte() % 4, D = R.byte() % 4;
            S.put(rt_enum_new(Id, D, S.arg())); break; }
  case 8: S.put(rt_tuple_new(S.small())); break;
  case 9: S.put(rt_closure_new(S.arg(), S.small())); break;
  case 10: S.put(rt_value_int_wide(int64_t(R.word()))); break;
  case 11: S.put(rt_value_u64(int64_t(R.word()))); break;
  case 12: { uint64_t B = R.word(); double D; std::memcpy(&D, &B, 8);
             S.put(rt_value_float(D)); break; }
  case 13: S.put(rt_raw_i64_to_string(int64_t(R.word()))); break;
  case 14: { uint64_t B = R.word(); double D; std::memcpy(&D, &B, 8);
             S.put(rt_raw_f64_to_string(D)); break; }
  case 15: S.put(rt_char_from_code(int64_t(R.word()) >> (R.byte() % 64))); break;
  case 16: S.put(reinterpret_cast<int64_t>(rt_alloc(S.small()))); break;
  // Probes and operations on pool words.
  case 17: S.put(rt_string_len(S.arg())); break;
  case 18: S.put(rt_len(S.arg())); break;
  case 19: S.put(rt_array_len(S.arg())); break;
  case 20: { int64_t A = S.arg(); S.put(rt_array_get(A, S.small())); break; }
  case 21: { int64_t A = S.arg(), W = S.arg(); rt_array_push(A, W); break; }
  case 22: { int64_t A = S.arg(), W = S.arg(); rt_array_set(A, S.small(), W); break; }
  case 23: S.put(rt_array_pop(S.arg())); break;
  case 24: rt_array_clear(S.arg()); break;
  case 25: { int64_t W = S.arg(); S.put(rt_array_repeat(W, S.small())); break; }
  case 26: { int64_t A = S.arg(), B = S.arg();
             if (small(A) && small(B)) S.put(rt_array_concat(A, B)); break; }
  case 27: S.put(rt_array_copy(S.arg())); break;
  case 28: S.put(rt_enum_discriminant(S.arg())); break;
  case 29: S.put(rt_enum_payload(S.arg())); break;
  case 30: S.put(rt_enum_id(S.arg())); break;
  case 31: { int64_t W = S.arg(); S.put(rt_enum_check_discriminant(W, S.small())); break; }
  case 32: S.put(rt_is_none(S.arg())); break;
  case 33: S.put(rt_is_some(S.arg())); break;
  case 34: S.put(rt_unwrap_or_self(S.arg())); break;
  case 35: { int64_t T = S.arg(), W = S.arg(); rt_tuple_set(T, S.small(), W); break; }
  case 36: { int64_t T = S.arg(); S.put(rt_tuple_get(T, S.small())); break; }
  case 37: { int64_t C = S.arg(), W = S.arg(); rt_closure_set_capture(C, S.small(), W); break; }
  case 38: { int64_t C = S.arg(); S.put(rt_closure_get_capture(C, S.small())); break; }
  case 39: S.put(rt_closure_func_ptr(S.arg())); break;
  case 40: { int64_t D = S.arg(), K = S.arg(), V = S.arg(); rt_dict_set(D, K, V); break; }
  case 41: { int64_t D = S.arg(), K = S.arg(); S.put(rt_dict_get(D, K)); break; }
  case 42: { int64_t D = S.arg(), K = S.arg(); S.put(rt_dict_contains(D, K)); break; }
  case 43: { int64_t D = S.arg(), K = S.arg(); S.put(rt_dict_remove(D, K)); break; }
  case 44: S.put(rt_dict_len(S.arg())); break;
  case 45: S.put(rt_dict_keys(S.arg())); break;
  case 46: S.put(rt_dict_values(S.arg())); break;
  case 47: S.put(rt_dict_entries(S.arg())); break;
  case 48: S.put(rt_value_as_int_wide(S.arg())); break;
  case 49: S.put(rt_value_as_u64(S.arg())); break;
  case 50: { double D = rt_value_as_float(S.arg()); int64_t B; std::memcpy(&B, &D, 8);
             S.pick() = tame(B); break; }
  case 51: { int64_t A = S.arg(), B = S.arg(); S.put(rt_native_eq(A, B)); break; }
  case 52: { int64_t A = S.arg(), B = S.arg(); S.put(rt_native_neq(A, B)); break; }
  // A rendering may cost 2^22 steps (runtime/Format.cpp): a few per input.
  case 53: if (S.Renders++ < 4) S.put(rt_to_string(S.arg())); break;
  case 54: if (S.Renders++ < 4) S.put(rt_value_to_string(S.arg())); break;
  case 55: S.put(reinterpret_cast<int64_t>(rt_interp_cstr(S.arg()))); break;
  case 56: { int64_t A = S.arg(), B = S.arg();
             if (small(A) && small(B)) S.put(rt_strcat_tagged(A, B)); break; }
  case 57: { int64_t A = S.arg(), B = S.arg(); S.put(rt_text_eq_any(A, B)); break; }
  case 58: { int64_t A = S.arg(), B = S.arg(); S.put(rt_text_cmp_any(A, B)); break; }
  case 59: { int64_t A = S.arg(), B = S.arg();
             switch (R.byte() % 5) {
             case 0: S.put(rt_string_starts_with(A, B)); break;
             case 1: S.put(rt_string_ends_with(A, B)); break;
             case 2: S.put(rt_string_contains(A, B)); break;
             case 3: S.put(rt_string_find(A, B)); break;
             default: S.put(rt_string_rfind(A, B)); break;
             }
             break; }
  case 60: { int64_t A = S.arg(), B = S.arg(); S.put(rt_string_split(A, B)); break; }
  case 61: { int64_t A = S.arg(), B = S.arg(), C = S.arg();
             // up to len(A) * len(C) bytes
             if (!small(A) || !small(C) ||
                 (rt_len(A) + 1) * (rt_len(C) + 1) > (int64_t(1) << 22)) break;
             S.put(rt_string_replace(A, B, C)); break; }
  case 62: S.put(rt_string_trim(S.arg())); break;
  case 63: S.put(rt_string_to_lower(S.arg())); break;
  case 64: S.put(rt_string_bytes(S.arg())); break;
  case 65: S.put(rt_string_to_int_any(S.arg())); break;
  case 66: { int64_t WA = S.arg(), WB = S.arg();
             if (!small(WA) || !small(WB)) break;
             const char *A = reinterpret_cast<const char *>(WA);
             const char *B = reinterpret_cast<const char *>(WB);
             S.put(reinterpret_cast<int64_t>(rt_strcat(A, B))); break; }
  case 67: { const char *A = reinterpret_cast<const char *>(S.arg());
             int64_t B = S.small(), E = S.small();
             S.put(reinterpret_cast<int64_t>(spl_str_slice(A, B, E))); break; }
  case 68: S.put(spl_str_len(reinterpret_cast<const char *>(S.arg()))); break;
  case 69: S.put(rt_strlen(reinterpret_cast<const char *>(S.arg()))); break;
  case 70: { int64_t W = S.arg();
             switch (R.byte() % 3) {
             case 0: rt_array_free(W); break;
             case 1: rt_string_free(W); break;
             default: rt_free(reinterpret_cast<void *>(W)); break;
             }
             break; }
  default: { int64_t B = S.arg(), E = S.arg(); S.put(__simple_pow(B, E)); break; }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  fuzz::registerRuntimeArena();
  State S{Reader(Data, Size)};
  while (!S.R.done())
    step(S);
  std::vector<int64_t> Roots(S.Made);
  Roots.insert(Roots.end(), std::begin(S.Pool), std::end(S.Pool));
  freeAll(std::move(Roots));
  return 0;
}
