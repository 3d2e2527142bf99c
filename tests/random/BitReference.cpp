//===- tests/random/BitReference.cpp - Reference bit algorithms ---------===//
#include "BitReference.h"

using namespace spl::randomtest;

namespace {
namespace R = spl::randomtest::ref;

//===--- GF(2^8) and the AES S-box (FIPS-197 4.2, 5.1.1) ---------------===//

uint8_t xtime(uint8_t A) { return uint8_t((A << 1) ^ ((A & 0x80) ? 0x1B : 0)); }

uint8_t gfMul(uint8_t A, uint8_t B) {
  uint8_t P = 0;
  for (int K = 0; K < 8; ++K) {
    if (B & 1)
      P ^= A;
    A = xtime(A);
    B >>= 1;
  }
  return P;
}

/// The multiplicative inverse (0 for 0): A^254.
uint8_t gfInv(uint8_t A) {
  uint8_t R = 1;
  for (int K = 0; K < 254; ++K)
    R = gfMul(R, A);
  return A ? R : 0;
}

uint8_t rotl8(uint8_t X, int N) { return uint8_t((X << N) | (X >> (8 - N))); }

/// SubBytes: the inverse, then the affine transformation with 0x63.
uint8_t sbox(uint8_t A) {
  uint8_t B = gfInv(A);
  return uint8_t(B ^ rotl8(B, 1) ^ rotl8(B, 2) ^ rotl8(B, 3) ^ rotl8(B, 4) ^
                 0x63);
}

uint8_t invSbox(uint8_t A) {
  for (int X = 0; X < 256; ++X)
    if (sbox(uint8_t(X)) == A)
      return uint8_t(X);
  return 0;
}

// State byte r + 4c is row r, column c.
R::Block shiftRows(const R::Block &S, bool Inverse) {
  R::Block O;
  for (int Rw = 0; Rw < 4; ++Rw)
    for (int C = 0; C < 4; ++C) {
      int From = Inverse ? (C - Rw + 4) % 4 : (C + Rw) % 4;
      O[Rw + 4 * C] = S[Rw + 4 * From];
    }
  return O;
}

R::Block mixColumns(const R::Block &S, bool Inverse) {
  static const uint8_t Fwd[4] = {2, 3, 1, 1}, Inv[4] = {14, 11, 13, 9};
  const uint8_t *M = Inverse ? Inv : Fwd;
  R::Block O;
  for (int C = 0; C < 4; ++C)
    for (int Rw = 0; Rw < 4; ++Rw) {
      uint8_t V = 0;
      for (int K = 0; K < 4; ++K)
        V ^= gfMul(M[(K - Rw + 4) % 4], S[K + 4 * C]);
      O[Rw + 4 * C] = V;
    }
  return O;
}

R::Block subBytes(const R::Block &S, bool Inverse) {
  R::Block O;
  for (int K = 0; K < 16; ++K)
    O[K] = Inverse ? invSbox(S[K]) : sbox(S[K]);
  return O;
}

R::Block xorBlock(const R::Block &A, const R::Block &B) {
  R::Block O;
  for (int K = 0; K < 16; ++K)
    O[K] = A[K] ^ B[K];
  return O;
}

uint32_t rotr(uint32_t X, int N) { return (X >> N) | (X << (32 - N)); }

} // namespace

ref::Block ref::block(const std::string &Hex) {
  Block B{};
  for (int K = 0; K < 16; ++K)
    B[K] = uint8_t(std::stoul(Hex.substr(2 * K, 2), nullptr, 16));
  return B;
}

uint64_t ref::lo64(const Block &B) {
  uint64_t W = 0;
  for (int K = 7; K >= 0; --K)
    W = (W << 8) | B[K];
  return W;
}

uint64_t ref::hi64(const Block &B) {
  uint64_t W = 0;
  for (int K = 15; K >= 8; --K)
    W = (W << 8) | B[K];
  return W;
}

uint32_t ref::crc32cByte(uint32_t Crc, uint8_t Byte) {
  Crc ^= Byte;
  for (int K = 0; K < 8; ++K)
    Crc = (Crc & 1) ? (Crc >> 1) ^ 0x82F63B78u : Crc >> 1;
  return Crc;
}

uint64_t ref::clmulLo(uint64_t A, uint64_t B) {
  uint64_t R = 0;
  for (int K = 0; K < 64; ++K)
    if ((B >> K) & 1)
      R ^= A << K;
  return R;
}

uint64_t ref::clmulHi(uint64_t A, uint64_t B) {
  uint64_t R = 0;
  for (int K = 1; K < 64; ++K)
    if ((B >> K) & 1)
      R ^= A >> (64 - K);
  return R;
}

std::array<ref::Block, 11> ref::aes128RoundKeys(const Block &Key) {
  uint8_t W[44][4];
  for (int K = 0; K < 4; ++K)
    for (int B = 0; B < 4; ++B)
      W[K][B] = Key[4 * K + B];
  uint8_t Rcon = 1;
  for (int K = 4; K < 44; ++K) {
    uint8_t T[4] = {W[K - 1][0], W[K - 1][1], W[K - 1][2], W[K - 1][3]};
    if (K % 4 == 0) { // RotWord, SubWord, Rcon
      uint8_t T0 = T[0];
      T[0] = uint8_t(sbox(T[1]) ^ Rcon);
      T[1] = sbox(T[2]);
      T[2] = sbox(T[3]);
      T[3] = sbox(T0);
      Rcon = xtime(Rcon);
    }
    for (int B = 0; B < 4; ++B)
      W[K][B] = W[K - 4][B] ^ T[B];
  }
  std::array<Block, 11> Keys;
  for (int Rk = 0; Rk < 11; ++Rk)
    for (int B = 0; B < 16; ++B)
      Keys[Rk][B] = W[4 * Rk + B / 4][B % 4];
  return Keys;
}

ref::Block ref::invMixColumns(const Block &B) { return mixColumns(B, true); }

ref::Block ref::aesEnc(const Block &S, const Block &K) {
  return xorBlock(mixColumns(subBytes(shiftRows(S, false), false), false), K);
}
ref::Block ref::aesEncLast(const Block &S, const Block &K) {
  return xorBlock(subBytes(shiftRows(S, false), false), K);
}
ref::Block ref::aesDec(const Block &S, const Block &K) {
  return xorBlock(mixColumns(subBytes(shiftRows(S, true), true), true), K);
}
ref::Block ref::aesDecLast(const Block &S, const Block &K) {
  return xorBlock(subBytes(shiftRows(S, true), true), K);
}

const uint32_t ref::Sha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

const uint32_t ref::Sha256H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};

std::array<uint32_t, 64> ref::sha256Schedule(const std::string &Msg) {
  uint8_t Blk[64] = {};
  for (size_t K = 0; K < Msg.size(); ++K)
    Blk[K] = uint8_t(Msg[K]);
  Blk[Msg.size()] = 0x80;
  uint64_t Bits = uint64_t(Msg.size()) * 8;
  for (int K = 0; K < 8; ++K)
    Blk[63 - K] = uint8_t(Bits >> (8 * K));
  std::array<uint32_t, 64> W;
  for (int T = 0; T < 16; ++T)
    W[T] = uint32_t(Blk[4 * T]) << 24 | uint32_t(Blk[4 * T + 1]) << 16 |
           uint32_t(Blk[4 * T + 2]) << 8 | Blk[4 * T + 3];
  for (int T = 16; T < 64; ++T) {
    uint32_t S0 = rotr(W[T - 15], 7) ^ rotr(W[T - 15], 18) ^ (W[T - 15] >> 3);
    uint32_t S1 = rotr(W[T - 2], 17) ^ rotr(W[T - 2], 19) ^ (W[T - 2] >> 10);
    W[T] = W[T - 16] + S0 + W[T - 7] + S1;
  }
  return W;
}

namespace {
/// One SHA-256 round (FIPS 180-4 6.2.2 step 3) with Wk = W[t] + K[t].
void shaRound(std::array<uint32_t, 8> &V, uint32_t Wk) {
  auto [A, B, C, D, E, F, G, H] = V;
  uint32_t S1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
  uint32_t Ch = (E & F) ^ (~E & G);
  uint32_t T1 = H + S1 + Ch + Wk;
  uint32_t S0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
  uint32_t Maj = (A & B) ^ (A & C) ^ (B & C);
  uint32_t T2 = S0 + Maj;
  V = {T1 + T2, A, B, C, D + T1, E, F, G};
}
} // namespace

std::array<uint32_t, 8> ref::sha256TwoRounds(const std::array<uint32_t, 8> &S,
                                             uint32_t Wk0, uint32_t Wk1) {
  std::array<uint32_t, 8> V = S;
  shaRound(V, Wk0);
  shaRound(V, Wk1);
  return V;
}

std::array<uint32_t, 8> ref::sha256OneBlock(const std::string &Msg) {
  std::array<uint32_t, 64> W = sha256Schedule(Msg);
  std::array<uint32_t, 8> V;
  for (int K = 0; K < 8; ++K)
    V[K] = Sha256H0[K];
  for (int T = 0; T < 64; ++T)
    shaRound(V, W[T] + Sha256K[T]);
  for (int K = 0; K < 8; ++K)
    V[K] += Sha256H0[K];
  return V;
}
