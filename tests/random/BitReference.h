//===- tests/random/BitReference.h - Reference bit algorithms -*- C++ -*-===//
//
// Straightforward, slow reference implementations written from the
// standards (RFC 3720 / Castagnoli for CRC-32C, the carry-less product,
// FIPS-197 for AES-128 with its key schedule, FIPS 180-4 for SHA-256). The
// intrinsic tests use them to derive inputs the standards do not list (round
// keys, InvMixColumns'd keys) and to check the published vectors themselves,
// so a wrong expectation cannot hide behind a wrong reference.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_RANDOM_BITREFERENCE_H
#define SPL_TESTS_RANDOM_BITREFERENCE_H

#include <array>
#include <cstdint>
#include <string>

namespace spl::randomtest::ref {

using Block = std::array<uint8_t, 16>;

/// 32 hex digits to bytes, first byte first.
Block block(const std::string &Hex);
/// Bytes 0..7 / 8..15 of B as a little-endian word (how a [u64; 2] holds B).
uint64_t lo64(const Block &B);
uint64_t hi64(const Block &B);

/// One byte into a CRC-32C accumulator, bit by bit, no inversions.
uint32_t crc32cByte(uint32_t Crc, uint8_t Byte);
/// Bits 0..63 and 64..127 of the carry-less product of A and B.
uint64_t clmulLo(uint64_t A, uint64_t B);
uint64_t clmulHi(uint64_t A, uint64_t B);

/// The 11 round keys of AES-128 (FIPS-197 5.2 KeyExpansion).
std::array<Block, 11> aes128RoundKeys(const Block &Key);
/// InvMixColumns of a block (what AESIMC does to a round key).
Block invMixColumns(const Block &B);
/// AESENC / AESENCLAST / AESDEC / AESDECLAST of State with round key Key.
Block aesEnc(const Block &State, const Block &Key);
Block aesEncLast(const Block &State, const Block &Key);
Block aesDec(const Block &State, const Block &Key);
Block aesDecLast(const Block &State, const Block &Key);

/// SHA-256 of a message that fits in one block (< 56 bytes): the eight
/// digest words H0..H7.
std::array<uint32_t, 8> sha256OneBlock(const std::string &Msg);
/// The 64 message-schedule words W[t] of that one block.
std::array<uint32_t, 64> sha256Schedule(const std::string &Msg);
extern const uint32_t Sha256K[64];
extern const uint32_t Sha256H0[8];
/// Two SHA-256 rounds on State = {A..H} with the words W0+K0 and W1+K1.
std::array<uint32_t, 8> sha256TwoRounds(const std::array<uint32_t, 8> &State,
                                        uint32_t Wk0, uint32_t Wk1);

} // namespace spl::randomtest::ref

#endif // SPL_TESTS_RANDOM_BITREFERENCE_H
