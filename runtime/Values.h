//===- runtime/Values.h - Comparing and hashing tagged words ----*- C++ -*-===//

#ifndef SPL_RUNTIME_VALUES_H
#define SPL_RUNTIME_VALUES_H

#include <cstdint>

namespace spl::rt::detail {

/// rt_native_eq: strings by bytes, arrays item by item, enums by id,
/// discriminant and payload, dicts by entries, boxes by value.
bool deepEqual(int64_t A, int64_t B, int Depth);

/// Dict keys: strings by bytes, float/wide int/u64 boxes by value, anything
/// else by the word. keyHash agrees with keyEqual.
bool keyEqual(int64_t A, int64_t B);
uint64_t keyHash(int64_t K);

} // namespace spl::rt::detail

#endif // SPL_RUNTIME_VALUES_H
