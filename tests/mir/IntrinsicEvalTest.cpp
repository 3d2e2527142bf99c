//===- tests/mir/IntrinsicEvalTest.cpp - CRC32C, CLMUL, AES, SHA-256 ------===//
//
// The bit intrinsics against published vectors (CRC-32C check value and RFC
// 3720 B.4, Intel's PCLMULQDQ white paper, FIPS-197 Appendices B and C.1,
// FIPS 180-4 SHA-256 examples), against slow references written here from
// the definitions, and, when this CPU has the instructions, against the
// instructions themselves.
//
//===----------------------------------------------------------------------===//
#include "mir/MIR.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SPL_TEST_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

using namespace spl::mir;

namespace {

using Bytes16 = std::array<uint8_t, 16>;

Bytes16 hexBlock(const char *Hex) {
  Bytes16 B{};
  for (int I = 0; I < 16; ++I)
    B[I] = uint8_t(std::stoul(std::string(Hex + 2 * I, 2), nullptr, 16));
  return B;
}

std::string hex(const uint8_t *P, size_t N) {
  static const char Digits[] = "0123456789abcdef";
  std::string S;
  for (size_t I = 0; I < N; ++I) {
    S += Digits[P[I] >> 4];
    S += Digits[P[I] & 15];
  }
  return S;
}
std::string hex(const Bytes16 &B) { return hex(B.data(), B.size()); }

std::mt19937_64 &rng() {
  static std::mt19937_64 R(0x5EED1234ABCDULL);
  return R;
}

Bytes16 randomBlock() {
  Bytes16 B;
  for (uint8_t &X : B)
    X = uint8_t(rng()());
  return B;
}

//===----------------------------------------------------------------------===//
// CRC32
//===----------------------------------------------------------------------===//

uint64_t reflect(uint64_t V, int Bits) {
  uint64_t R = 0;
  for (int I = 0; I < Bits; ++I)
    if (V >> I & 1)
      R |= uint64_t(1) << (Bits - 1 - I);
  return R;
}

// The SDM's definition, literally: TEMP = reflect(SRC) << 32 xor
// reflect(DEST) << N, reduced mod2 by 0x11EDC6F41, result reflected back.
uint32_t refCrc(uint32_t Crc, uint32_t Src, int N) {
  uint64_t T = (reflect(Src, N) << 32) ^ (reflect(Crc, 32) << N);
  const uint64_t Poly = 0x11EDC6F41;
  for (int Bit = N + 31; Bit >= 32; --Bit)
    if (T >> Bit & 1)
      T ^= Poly << (Bit - 32);
  return uint32_t(reflect(T & 0xFFFFFFFF, 32));
}

// The usual CRC-32C: init ~0, final xor ~0, from the raw instruction steps;
// words where 4 bytes are left, bytes for the tail.
uint32_t crc32c(const uint8_t *P, size_t N, bool UseWords) {
  uint32_t C = 0xFFFFFFFF;
  size_t I = 0;
  if (UseWords)
    for (; I + 4 <= N; I += 4)
      C = evalCrc32U32(C, uint32_t(P[I]) | uint32_t(P[I + 1]) << 8 |
                              uint32_t(P[I + 2]) << 16 |
                              uint32_t(P[I + 3]) << 24);
  for (; I < N; ++I)
    C = evalCrc32U8(C, P[I]);
  return ~C;
}

TEST(IntrinsicEval, Crc32cCheckValue) {
  const char *Msg = "123456789";
  auto P = reinterpret_cast<const uint8_t *>(Msg);
  EXPECT_EQ(crc32c(P, 9, /*UseWords=*/false), 0xE3069283u);
  EXPECT_EQ(crc32c(P, 9, /*UseWords=*/true), 0xE3069283u);
}

TEST(IntrinsicEval, Crc32cRfc3720Vectors) {
  uint8_t Zeros[32] = {}, Ones[32], Inc[32], Dec[32];
  for (int I = 0; I < 32; ++I) {
    Ones[I] = 0xFF;
    Inc[I] = uint8_t(I);
    Dec[I] = uint8_t(31 - I);
  }
  for (bool Words : {false, true}) {
    EXPECT_EQ(crc32c(Zeros, 32, Words), 0x8A9136AAu);
    EXPECT_EQ(crc32c(Ones, 32, Words), 0x62A8AB43u);
    EXPECT_EQ(crc32c(Inc, 32, Words), 0x46DD794Eu);
    EXPECT_EQ(crc32c(Dec, 32, Words), 0x113FDB5Cu);
  }
}

TEST(IntrinsicEval, Crc32NoInversion) {
  // Zero stays zero: the instruction neither pre- nor post-inverts.
  EXPECT_EQ(evalCrc32U8(0, 0), 0u);
  EXPECT_EQ(evalCrc32U32(0, 0), 0u);
  // Byte 0x80 reflects to x^0, so the step leaves x^32 mod P = P - x^32 =
  // 0x1EDC6F41, reflected back: the reflected polynomial itself.
  EXPECT_EQ(evalCrc32U8(0, 0x80), 0x82F63B78u);
  EXPECT_EQ(evalCrc32U8(0, 0x80), refCrc(0, 0x80, 8));
}

TEST(IntrinsicEval, Crc32MatchesDefinitionOnRandomInputs) {
  for (int K = 0; K < 2000; ++K) {
    uint32_t C = uint32_t(rng()()), V = uint32_t(rng()());
    ASSERT_EQ(evalCrc32U8(C, uint8_t(V)), refCrc(C, V & 0xFF, 8))
        << std::hex << C << " " << V;
    ASSERT_EQ(evalCrc32U32(C, V), refCrc(C, V, 32))
        << std::hex << C << " " << V;
  }
}

//===----------------------------------------------------------------------===//
// CLMUL
//===----------------------------------------------------------------------===//

void refClmul(uint64_t A, uint64_t B, uint64_t &Lo, uint64_t &Hi) {
  Lo = Hi = 0;
  for (int I = 0; I < 64; ++I)
    if (B >> I & 1) {
      Lo ^= A << I;
      if (I)
        Hi ^= A >> (64 - I);
    }
}

TEST(IntrinsicEval, ClmulHandDerived) {
  // (1 + x + ... + x^63)^2 = 1 + x^2 + ... + x^126 over GF(2).
  EXPECT_EQ(evalClmulLo(~0ULL, ~0ULL), 0x5555555555555555ULL);
  EXPECT_EQ(evalClmulHi(~0ULL, ~0ULL), 0x5555555555555555ULL);
  // x^63 * x^63 = x^126.
  EXPECT_EQ(evalClmulLo(1ULL << 63, 1ULL << 63), 0u);
  EXPECT_EQ(evalClmulHi(1ULL << 63, 1ULL << 63), 1ULL << 62);
  // 0x7b * 0x48 = 0x7b << 3 ^ 0x7b << 6 = 0x3d8 ^ 0x1ec0.
  EXPECT_EQ(evalClmulLo(0x7b, 0x48), 0x1d18u);
  EXPECT_EQ(evalClmulHi(0x7b, 0x48), 0u);
  EXPECT_EQ(evalClmulLo(0x123456789abcdef0ULL, 1), 0x123456789abcdef0ULL);
  EXPECT_EQ(evalClmulHi(0x123456789abcdef0ULL, 1), 0u);
  EXPECT_EQ(evalClmulLo(0, ~0ULL), 0u);
  EXPECT_EQ(evalClmulHi(~0ULL, 0), 0u);
  // (x + 1)(x + 1) = x^2 + 1: no carry into 2x.
  EXPECT_EQ(evalClmulLo(3, 3), 5u);
}

TEST(IntrinsicEval, ClmulIntelWhitePaperExample) {
  // Gueron & Kounavis, "Intel Carry-Less Multiplication Instruction and its
  // Usage for Computing the GCM Mode": xmm1 = 7b5b5465 73745665 63746f72
  // 5d53475d, xmm2 = 48692853 68617929 5b477565 726f6e5d, PCLMULQDQ with
  // imm8 0x00, 0x01, 0x10, 0x11.
  const uint64_t X1Lo = 0x63746f725d53475dULL, X1Hi = 0x7b5b546573745665ULL;
  const uint64_t X2Lo = 0x5b477565726f6e5dULL, X2Hi = 0x4869285368617929ULL;
  EXPECT_EQ(evalClmulHi(X1Lo, X2Lo), 0x1d4d84c85c3440c0ULL);
  EXPECT_EQ(evalClmulLo(X1Lo, X2Lo), 0x929633d5d36f0451ULL);
  EXPECT_EQ(evalClmulHi(X1Lo, X2Hi), 0x1bd17c8d556ab5a1ULL);
  EXPECT_EQ(evalClmulLo(X1Lo, X2Hi), 0x7fa540ac2a281315ULL);
  EXPECT_EQ(evalClmulHi(X1Hi, X2Lo), 0x1a2bf6db3a30862fULL);
  EXPECT_EQ(evalClmulLo(X1Hi, X2Lo), 0xbabf262df4b7d5c9ULL);
  EXPECT_EQ(evalClmulHi(X1Hi, X2Hi), 0x1d1e1f2c592e7c45ULL);
  EXPECT_EQ(evalClmulLo(X1Hi, X2Hi), 0xd66ee03e410fd4edULL);
}

TEST(IntrinsicEval, ClmulMatchesShiftAndXorOnRandomInputs) {
  for (int K = 0; K < 2000; ++K) {
    uint64_t A = rng()(), B = rng()();
    if (K % 4 == 1)
      A &= 0xFFFF; // sparse operands too
    if (K % 4 == 2)
      B >>= (K % 64);
    uint64_t Lo, Hi;
    refClmul(A, B, Lo, Hi);
    ASSERT_EQ(evalClmulLo(A, B), Lo) << std::hex << A << " " << B;
    ASSERT_EQ(evalClmulHi(A, B), Hi) << std::hex << A << " " << B;
    // Carry-less multiplication commutes.
    ASSERT_EQ(evalClmulHi(B, A), Hi);
  }
}

//===----------------------------------------------------------------------===//
// AES: a textbook reference (FIPS-197 section 5) and the key schedule
//===----------------------------------------------------------------------===//

// Schoolbook polynomial product, then reduction by x^8+x^4+x^3+x+1.
uint8_t refGmul(uint8_t A, uint8_t B) {
  uint16_t P = 0;
  for (int I = 0; I < 8; ++I)
    if (B >> I & 1)
      P ^= uint16_t(A) << I;
  for (int Bit = 14; Bit >= 8; --Bit)
    if (P >> Bit & 1)
      P ^= uint16_t(0x11B) << (Bit - 8);
  return uint8_t(P);
}

struct RefSBox {
  uint8_t Fwd[256], Inv[256];
  RefSBox() {
    for (int X = 0; X < 256; ++X) {
      uint8_t B = 0; // FIPS-197 5.1.1: {00} maps to itself
      for (int Y = 1; Y < 256 && X; ++Y)
        if (refGmul(uint8_t(X), uint8_t(Y)) == 1)
          B = uint8_t(Y);
      // b'_i = b_i + b_(i+4) + b_(i+5) + b_(i+6) + b_(i+7) + c_i, c = {63}.
      uint8_t S = 0;
      for (int I = 0; I < 8; ++I) {
        int Bit = (B >> I) ^ (B >> ((I + 4) % 8)) ^ (B >> ((I + 5) % 8)) ^
                  (B >> ((I + 6) % 8)) ^ (B >> ((I + 7) % 8)) ^ (0x63 >> I);
        S |= uint8_t((Bit & 1) << I);
      }
      Fwd[X] = S;
      Inv[S] = uint8_t(X);
    }
  }
};
const RefSBox &sbox() {
  static const RefSBox S;
  return S;
}

// State as FIPS-197 writes it: S[r][c] = in[r + 4c].
using Mat = uint8_t[4][4];
void toMat(const Bytes16 &In, Mat S) {
  for (int R = 0; R < 4; ++R)
    for (int C = 0; C < 4; ++C)
      S[R][C] = In[R + 4 * C];
}
Bytes16 fromMat(const Mat S) {
  Bytes16 Out;
  for (int R = 0; R < 4; ++R)
    for (int C = 0; C < 4; ++C)
      Out[R + 4 * C] = S[R][C];
  return Out;
}

void matMulColumns(Mat S, const uint8_t M[4][4]) {
  for (int C = 0; C < 4; ++C) {
    uint8_t Col[4];
    for (int R = 0; R < 4; ++R) {
      Col[R] = 0;
      for (int K = 0; K < 4; ++K)
        Col[R] ^= refGmul(M[R][K], S[K][C]);
    }
    for (int R = 0; R < 4; ++R)
      S[R][C] = Col[R];
  }
}
const uint8_t MixM[4][4] = {
    {2, 3, 1, 1}, {1, 2, 3, 1}, {1, 1, 2, 3}, {3, 1, 1, 2}};
const uint8_t InvMixM[4][4] = {
    {14, 11, 13, 9}, {9, 14, 11, 13}, {13, 9, 14, 11}, {11, 13, 9, 14}};

enum class AesOp { Round, RoundLast, InvRound, InvRoundLast };

// AESENC/AESENCLAST/AESDEC/AESDECLAST exactly as the SDM lists the steps.
Bytes16 refAes(AesOp Op, const Bytes16 &State, const Bytes16 &Key) {
  Mat S, T;
  toMat(State, S);
  bool Inverse = Op == AesOp::InvRound || Op == AesOp::InvRoundLast;
  for (int R = 0; R < 4; ++R)
    for (int C = 0; C < 4; ++C) {
      if (!Inverse) // ShiftRows: s'[r][c] = s[r][(c + r) mod 4], SubBytes
        T[R][C] = sbox().Fwd[S[R][(C + R) % 4]];
      else // InvShiftRows: s'[r][(c + r) mod 4] = s[r][c], InvSubBytes
        T[R][(C + R) % 4] = sbox().Inv[S[R][C]];
    }
  if (Op == AesOp::Round)
    matMulColumns(T, MixM);
  if (Op == AesOp::InvRound)
    matMulColumns(T, InvMixM);
  Bytes16 Out = fromMat(T);
  for (int I = 0; I < 16; ++I)
    Out[I] ^= Key[I];
  return Out;
}

// AESIMC (InvMixColumns of a round key), for the equivalent inverse cipher.
Bytes16 refImc(const Bytes16 &K) {
  Mat S;
  toMat(K, S);
  matMulColumns(S, InvMixM);
  return fromMat(S);
}

// FIPS-197 5.2, Nk = 4: eleven round keys, each w[4r] .. w[4r+3] in order.
std::array<Bytes16, 11> expandKey128(const Bytes16 &Key) {
  uint8_t W[44][4];
  std::memcpy(W, Key.data(), 16);
  uint8_t Rcon = 1;
  for (int I = 4; I < 44; ++I) {
    uint8_t T[4] = {W[I - 1][0], W[I - 1][1], W[I - 1][2], W[I - 1][3]};
    if (I % 4 == 0) {
      uint8_t R[4] = {T[1], T[2], T[3], T[0]}; // RotWord
      for (int K = 0; K < 4; ++K)
        T[K] = sbox().Fwd[R[K]]; // SubWord
      T[0] ^= Rcon;
      Rcon = refGmul(Rcon, 2);
    }
    for (int K = 0; K < 4; ++K)
      W[I][K] = W[I - 4][K] ^ T[K];
  }
  std::array<Bytes16, 11> Keys;
  for (int R = 0; R < 11; ++R)
    std::memcpy(Keys[R].data(), W[4 * R], 16);
  return Keys;
}

using AesFn = void (*)(uint8_t *, const uint8_t *, const uint8_t *);
Bytes16 apply(AesFn F, const Bytes16 &S, const Bytes16 &K) {
  Bytes16 Out;
  F(Out.data(), S.data(), K.data());
  return Out;
}

Bytes16 encrypt128(const Bytes16 &In, const std::array<Bytes16, 11> &RK) {
  Bytes16 S;
  for (int I = 0; I < 16; ++I)
    S[I] = In[I] ^ RK[0][I];
  for (int R = 1; R < 10; ++R)
    S = apply(evalAesRound, S, RK[R]);
  return apply(evalAesRoundLast, S, RK[10]);
}

// The equivalent inverse cipher, as AES-NI code runs it: AESDEC with
// AESIMC-transformed keys, then AESDECLAST with the cipher key.
Bytes16 decrypt128(const Bytes16 &In, const std::array<Bytes16, 11> &RK) {
  Bytes16 S;
  for (int I = 0; I < 16; ++I)
    S[I] = In[I] ^ RK[10][I];
  for (int R = 9; R >= 1; --R)
    S = apply(evalAesInvRound, S, refImc(RK[R]));
  return apply(evalAesInvRoundLast, S, RK[0]);
}

TEST(IntrinsicEval, AesReferenceSBoxSpotChecks) {
  // FIPS-197 Figure 7 and the worked example S({53}) = {ed}.
  EXPECT_EQ(sbox().Fwd[0x00], 0x63);
  EXPECT_EQ(sbox().Fwd[0x01], 0x7c);
  EXPECT_EQ(sbox().Fwd[0x53], 0xed);
  EXPECT_EQ(sbox().Fwd[0xff], 0x16);
  EXPECT_EQ(sbox().Inv[0x63], 0x00);
}

TEST(IntrinsicEval, AesFips197KeyExpansion) {
  // FIPS-197 Appendix A.1: w[4..7] and w[40..43] of key 2b7e1516...
  auto RK = expandKey128(hexBlock("2b7e151628aed2a6abf7158809cf4f3c"));
  EXPECT_EQ(hex(RK[1]), "a0fafe1788542cb123a339392a6c7605");
  EXPECT_EQ(hex(RK[10]), "d014f9a8c9ee2589e13f0cc8b6630ca6");
}

TEST(IntrinsicEval, AesFips197AppendixC1) {
  Bytes16 Key = hexBlock("000102030405060708090a0b0c0d0e0f");
  Bytes16 Plain = hexBlock("00112233445566778899aabbccddeeff");
  auto RK = expandKey128(Key);
  // One round on its own: round[1].start -> round[2].start.
  EXPECT_EQ(hex(RK[1]), "d6aa74fdd2af72fadaa678f1d6ab76fe");
  EXPECT_EQ(hex(apply(evalAesRound,
                      hexBlock("00102030405060708090a0b0c0d0e0f0"), RK[1])),
            "89d810e8855ace682d1843d8cb128fe4");
  Bytes16 Cipher = encrypt128(Plain, RK);
  EXPECT_EQ(hex(Cipher), "69c4e0d86a7b0430d8cdb78070b4c55a");
  EXPECT_EQ(hex(decrypt128(Cipher, RK)), "00112233445566778899aabbccddeeff");
}

TEST(IntrinsicEval, AesFips197AppendixB) {
  auto RK = expandKey128(hexBlock("2b7e151628aed2a6abf7158809cf4f3c"));
  Bytes16 Cipher = encrypt128(hexBlock("3243f6a8885a308d313198a2e0370734"), RK);
  EXPECT_EQ(hex(Cipher), "3925841d02dc09fbdc118597196a0b32");
  EXPECT_EQ(hex(decrypt128(Cipher, RK)), "3243f6a8885a308d313198a2e0370734");
}

TEST(IntrinsicEval, AesMatchesReferenceOnRandomInputs) {
  const std::pair<AesOp, AesFn> Ops[] = {
      {AesOp::Round, evalAesRound},
      {AesOp::RoundLast, evalAesRoundLast},
      {AesOp::InvRound, evalAesInvRound},
      {AesOp::InvRoundLast, evalAesInvRoundLast}};
  for (int K = 0; K < 500; ++K) {
    Bytes16 S = randomBlock(), Key = randomBlock();
    for (auto [Op, Fn] : Ops)
      ASSERT_EQ(hex(apply(Fn, S, Key)), hex(refAes(Op, S, Key)))
          << "op " << int(Op) << " state " << hex(S) << " key " << hex(Key);
  }
}

TEST(IntrinsicEval, AesLastRoundsInvertEachOther) {
  // With a zero key, AESDECLAST undoes AESENCLAST (ShiftRows/SubBytes only).
  Bytes16 Zero{};
  for (int K = 0; K < 100; ++K) {
    Bytes16 S = randomBlock();
    Bytes16 E = apply(evalAesRoundLast, S, Zero);
    ASSERT_EQ(hex(apply(evalAesInvRoundLast, E, Zero)), hex(S));
  }
}

TEST(IntrinsicEval, AesDestinationMayAliasASource) {
  Bytes16 S = randomBlock(), Key = randomBlock();
  Bytes16 Want = apply(evalAesRound, S, Key);
  Bytes16 InPlace = S;
  evalAesRound(InPlace.data(), InPlace.data(), Key.data());
  EXPECT_EQ(hex(InPlace), hex(Want));
  Bytes16 KeyInPlace = Key;
  evalAesInvRound(KeyInPlace.data(), S.data(), KeyInPlace.data());
  EXPECT_EQ(hex(KeyInPlace), hex(apply(evalAesInvRound, S, Key)));
}

//===----------------------------------------------------------------------===//
// SHA-256 from SHA256RNDS2 and a message schedule written here
//===----------------------------------------------------------------------===//

const uint32_t K256[64] = {
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

uint32_t rotr(uint32_t X, int N) { return (X >> N) | (X << (32 - N)); }

// A block of four dwords, dword 0 first, little-endian (the XMM layout).
Bytes16 dwords(uint32_t D0, uint32_t D1, uint32_t D2, uint32_t D3) {
  Bytes16 B;
  uint32_t D[4] = {D0, D1, D2, D3};
  for (int K = 0; K < 4; ++K)
    for (int J = 0; J < 4; ++J)
      B[4 * K + J] = uint8_t(D[K] >> (8 * J));
  return B;
}
uint32_t dword(const Bytes16 &B, int K) {
  return uint32_t(B[4 * K]) | uint32_t(B[4 * K + 1]) << 8 |
         uint32_t(B[4 * K + 2]) << 16 | uint32_t(B[4 * K + 3]) << 24;
}

std::string sha256(const std::string &Msg) {
  std::vector<uint8_t> M(Msg.begin(), Msg.end());
  uint64_t Bits = uint64_t(M.size()) * 8;
  M.push_back(0x80);
  while (M.size() % 64 != 56)
    M.push_back(0);
  for (int K = 7; K >= 0; --K)
    M.push_back(uint8_t(Bits >> (8 * K)));

  uint32_t H[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  for (size_t Off = 0; Off < M.size(); Off += 64) {
    uint32_t W[64];
    for (int T = 0; T < 16; ++T)
      W[T] = uint32_t(M[Off + 4 * T]) << 24 |
             uint32_t(M[Off + 4 * T + 1]) << 16 |
             uint32_t(M[Off + 4 * T + 2]) << 8 | uint32_t(M[Off + 4 * T + 3]);
    for (int T = 16; T < 64; ++T) {
      uint32_t S0 = rotr(W[T - 15], 7) ^ rotr(W[T - 15], 18) ^ (W[T - 15] >> 3);
      uint32_t S1 = rotr(W[T - 2], 17) ^ rotr(W[T - 2], 19) ^ (W[T - 2] >> 10);
      W[T] = W[T - 16] + S0 + W[T - 7] + S1;
    }
    // a..h = H[0..7]; two rounds per step, and the step's old ABEF is the
    // next step's CDGH (C, D, G, H after two rounds are A, B, E, F before).
    Bytes16 Abef = dwords(H[5], H[4], H[1], H[0]);
    Bytes16 Cdgh = dwords(H[7], H[6], H[3], H[2]);
    for (int T = 0; T < 64; T += 2) {
      Bytes16 Wk = dwords(W[T] + K256[T], W[T + 1] + K256[T + 1], 0, 0);
      Bytes16 Next;
      evalSha256Rnds2(Next.data(), Cdgh.data(), Abef.data(), Wk.data());
      Cdgh = Abef;
      Abef = Next;
    }
    H[0] += dword(Abef, 3);
    H[1] += dword(Abef, 2);
    H[2] += dword(Cdgh, 3);
    H[3] += dword(Cdgh, 2);
    H[4] += dword(Abef, 1);
    H[5] += dword(Abef, 0);
    H[6] += dword(Cdgh, 1);
    H[7] += dword(Cdgh, 0);
  }
  uint8_t Digest[32];
  for (int K = 0; K < 8; ++K)
    for (int J = 0; J < 4; ++J)
      Digest[4 * K + J] = uint8_t(H[K] >> (24 - 8 * J));
  return hex(Digest, 32);
}

// Two rounds of FIPS 180-4 6.2.2 step 3 on named variables.
Bytes16 refRnds2(const Bytes16 &Cdgh, const Bytes16 &Abef, const Bytes16 &Wk) {
  uint32_t A = dword(Abef, 3), B = dword(Abef, 2), C = dword(Cdgh, 3),
           D = dword(Cdgh, 2), E = dword(Abef, 1), F = dword(Abef, 0),
           G = dword(Cdgh, 1), H = dword(Cdgh, 0);
  for (int T = 0; T < 2; ++T) {
    uint32_t T1 = H + (rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25)) +
                  ((E & F) ^ (~E & G)) + dword(Wk, T);
    uint32_t T2 = (rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22)) +
                  ((A & B) ^ (A & C) ^ (B & C));
    H = G;
    G = F;
    F = E;
    E = D + T1;
    D = C;
    C = B;
    B = A;
    A = T1 + T2;
  }
  return dwords(F, E, B, A);
}

TEST(IntrinsicEval, Sha256Fips180Examples) {
  EXPECT_EQ(sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(IntrinsicEval, Sha256Rnds2MatchesReferenceOnRandomInputs) {
  for (int K = 0; K < 1000; ++K) {
    Bytes16 Cdgh = randomBlock(), Abef = randomBlock(), Wk = randomBlock();
    Bytes16 Out;
    evalSha256Rnds2(Out.data(), Cdgh.data(), Abef.data(), Wk.data());
    ASSERT_EQ(hex(Out), hex(refRnds2(Cdgh, Abef, Wk)));
  }
}

TEST(IntrinsicEval, Sha256Rnds2IgnoresUpperWkAndMayAlias) {
  Bytes16 Cdgh = randomBlock(), Abef = randomBlock(), Wk = randomBlock();
  Bytes16 Wk2 = Wk;
  for (int I = 8; I < 16; ++I)
    Wk2[I] ^= 0xA5; // dwords 2 and 3 of XMM0 are not read
  Bytes16 Out, Out2;
  evalSha256Rnds2(Out.data(), Cdgh.data(), Abef.data(), Wk.data());
  evalSha256Rnds2(Out2.data(), Cdgh.data(), Abef.data(), Wk2.data());
  EXPECT_EQ(hex(Out), hex(Out2));
  // In place over the CDGH operand, as the destructive instruction form.
  Bytes16 InPlace = Cdgh;
  evalSha256Rnds2(InPlace.data(), InPlace.data(), Abef.data(), Wk.data());
  EXPECT_EQ(hex(InPlace), hex(Out));
  InPlace = Abef;
  evalSha256Rnds2(InPlace.data(), Cdgh.data(), InPlace.data(), Wk.data());
  EXPECT_EQ(hex(InPlace), hex(Out));
}

//===----------------------------------------------------------------------===//
// The table of C entry points
//===----------------------------------------------------------------------===//

TEST(IntrinsicEval, TableListsEveryBitIntrinsicOnce) {
  const IntrinsicKind Kinds[] = {
      IntrinsicKind::Crc32U8,      IntrinsicKind::Crc32U32,
      IntrinsicKind::ClmulLo,      IntrinsicKind::ClmulHi,
      IntrinsicKind::AesRound,     IntrinsicKind::AesRoundLast,
      IntrinsicKind::AesInvRound,  IntrinsicKind::AesInvRoundLast,
      IntrinsicKind::Sha256Rounds2};
  ASSERT_EQ(bitIntrinsicFns().size(), std::size(Kinds));
  for (IntrinsicKind K : Kinds) {
    const IntrinsicFn *F = findBitIntrinsicFn(K);
    ASSERT_NE(F, nullptr) << intrinsicName(K).str();
    EXPECT_EQ(std::string(F->Symbol),
              "spl_intrinsic_" + intrinsicName(K).str());
    EXPECT_NE(F->Address, nullptr);
    EXPECT_TRUE(isBitIntrinsic(K));
  }
  EXPECT_EQ(findBitIntrinsicFn(IntrinsicKind::Sqrt), nullptr);
  EXPECT_EQ(findBitIntrinsicFn(IntrinsicKind::BoundsCheck), nullptr);
  EXPECT_FALSE(isBitIntrinsic(IntrinsicKind::BoundsCheck));
  EXPECT_FALSE(isBitIntrinsic(IntrinsicKind::Extern));
  EXPECT_FALSE(isBlockIntrinsic(IntrinsicKind::ClmulHi));
  EXPECT_TRUE(isBlockIntrinsic(IntrinsicKind::AesRound));
  EXPECT_TRUE(isBlockIntrinsic(IntrinsicKind::Sha256Rounds2));
  EXPECT_EQ(intrinsicArity(IntrinsicKind::Crc32U8), 2);
  EXPECT_EQ(intrinsicArity(IntrinsicKind::ClmulHi), 2);
  EXPECT_EQ(intrinsicArity(IntrinsicKind::AesInvRoundLast), 3);
  EXPECT_EQ(intrinsicArity(IntrinsicKind::Sha256Rounds2), 4);
}

TEST(IntrinsicEval, CEntryPointsTakeMirWords) {
  using WordFn = uint64_t (*)(uint64_t, uint64_t);
  auto Word = [](IntrinsicKind K) {
    return reinterpret_cast<WordFn>(findBitIntrinsicFn(K)->Address);
  };
  // Only the low 32 bits of the CRC and the low 8 of the byte are read; the
  // result is zero-extended.
  EXPECT_EQ(Word(IntrinsicKind::Crc32U8)(0xDEAD0000FFFFFFFFULL, 0x1231),
            uint64_t(evalCrc32U8(0xFFFFFFFF, 0x31)));
  EXPECT_EQ(Word(IntrinsicKind::Crc32U32)(~0ULL, 0xFFFFFFFF00000000ULL),
            uint64_t(evalCrc32U32(0xFFFFFFFF, 0)));
  EXPECT_EQ(Word(IntrinsicKind::ClmulLo)(~0ULL, ~0ULL), 0x5555555555555555ULL);
  EXPECT_EQ(Word(IntrinsicKind::ClmulHi)(1ULL << 63, 1ULL << 63), 1ULL << 62);

  using AesC = void (*)(void *, const void *, const void *);
  Bytes16 S = randomBlock(), Key = randomBlock(), Out;
  reinterpret_cast<AesC>(findBitIntrinsicFn(IntrinsicKind::AesRound)->Address)(
      Out.data(), S.data(), Key.data());
  EXPECT_EQ(hex(Out), hex(apply(evalAesRound, S, Key)));
  reinterpret_cast<AesC>(
      findBitIntrinsicFn(IntrinsicKind::AesInvRoundLast)->Address)(
      Out.data(), S.data(), Key.data());
  EXPECT_EQ(hex(Out), hex(apply(evalAesInvRoundLast, S, Key)));

  using ShaC = void (*)(void *, const void *, const void *, const void *);
  Bytes16 Cdgh = randomBlock(), Abef = randomBlock(), Wk = randomBlock();
  reinterpret_cast<ShaC>(
      findBitIntrinsicFn(IntrinsicKind::Sha256Rounds2)->Address)(
      Out.data(), Cdgh.data(), Abef.data(), Wk.data());
  EXPECT_EQ(hex(Out), hex(refRnds2(Cdgh, Abef, Wk)));
}

//===----------------------------------------------------------------------===//
// Against the instructions themselves (x86-64 with SSE4.2, PCLMUL, AES, SHA)
//===----------------------------------------------------------------------===//

#ifdef SPL_TEST_X86

struct CpuFeatures {
  bool Sse42 = false, Pclmul = false, Aes = false, Sha = false;
  CpuFeatures() {
    unsigned A, B, C, D;
    if (__get_cpuid(1, &A, &B, &C, &D)) {
      Sse42 = C & bit_SSE4_2;
      Pclmul = C & bit_PCLMUL;
      Aes = C & bit_AES;
    }
    if (__get_cpuid_count(7, 0, &A, &B, &C, &D))
      Sha = B & bit_SHA;
  }
};
const CpuFeatures &cpu() {
  static const CpuFeatures F;
  return F;
}

__attribute__((target("sse4.2"))) uint32_t hwCrc8(uint32_t C, uint8_t V) {
  return _mm_crc32_u8(C, V);
}
__attribute__((target("sse4.2"))) uint32_t hwCrc32(uint32_t C, uint32_t V) {
  return _mm_crc32_u32(C, V);
}

__attribute__((target("sse4.2,pclmul"))) void
hwClmul(uint64_t A, uint64_t B, uint64_t &Lo, uint64_t &Hi) {
  __m128i R = _mm_clmulepi64_si128(_mm_cvtsi64_si128(int64_t(A)),
                                   _mm_cvtsi64_si128(int64_t(B)), 0x00);
  Lo = uint64_t(_mm_cvtsi128_si64(R));
  Hi = uint64_t(_mm_extract_epi64(R, 1));
}

__attribute__((target("aes"))) Bytes16 hwAes(AesOp Op, const Bytes16 &S,
                                             const Bytes16 &K) {
  __m128i X = _mm_loadu_si128(reinterpret_cast<const __m128i *>(S.data()));
  __m128i Y = _mm_loadu_si128(reinterpret_cast<const __m128i *>(K.data()));
  __m128i R;
  switch (Op) {
  case AesOp::Round:
    R = _mm_aesenc_si128(X, Y);
    break;
  case AesOp::RoundLast:
    R = _mm_aesenclast_si128(X, Y);
    break;
  case AesOp::InvRound:
    R = _mm_aesdec_si128(X, Y);
    break;
  default:
    R = _mm_aesdeclast_si128(X, Y);
    break;
  }
  Bytes16 Out;
  _mm_storeu_si128(reinterpret_cast<__m128i *>(Out.data()), R);
  return Out;
}

__attribute__((target("sha"))) Bytes16
hwRnds2(const Bytes16 &Cdgh, const Bytes16 &Abef, const Bytes16 &Wk) {
  auto Load = [](const Bytes16 &B) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i *>(B.data()));
  };
  __m128i R = _mm_sha256rnds2_epu32(Load(Cdgh), Load(Abef), Load(Wk));
  Bytes16 Out;
  _mm_storeu_si128(reinterpret_cast<__m128i *>(Out.data()), R);
  return Out;
}

TEST(IntrinsicEvalHardware, Crc32MatchesSse42) {
  if (!cpu().Sse42)
    GTEST_SKIP() << "no SSE4.2";
  for (int K = 0; K < 20000; ++K) {
    uint32_t C = uint32_t(rng()()), V = uint32_t(rng()());
    ASSERT_EQ(evalCrc32U8(C, uint8_t(V)), hwCrc8(C, uint8_t(V)));
    ASSERT_EQ(evalCrc32U32(C, V), hwCrc32(C, V));
  }
}

TEST(IntrinsicEvalHardware, ClmulMatchesPclmulqdq) {
  if (!cpu().Pclmul || !cpu().Sse42)
    GTEST_SKIP() << "no PCLMULQDQ";
  for (int K = 0; K < 20000; ++K) {
    uint64_t A = rng()(), B = rng()() >> (K % 64), Lo, Hi;
    hwClmul(A, B, Lo, Hi);
    ASSERT_EQ(evalClmulLo(A, B), Lo) << std::hex << A << " " << B;
    ASSERT_EQ(evalClmulHi(A, B), Hi) << std::hex << A << " " << B;
  }
}

TEST(IntrinsicEvalHardware, AesMatchesAesNi) {
  if (!cpu().Aes)
    GTEST_SKIP() << "no AES-NI";
  const std::pair<AesOp, AesFn> Ops[] = {
      {AesOp::Round, evalAesRound},
      {AesOp::RoundLast, evalAesRoundLast},
      {AesOp::InvRound, evalAesInvRound},
      {AesOp::InvRoundLast, evalAesInvRoundLast}};
  for (int K = 0; K < 5000; ++K) {
    Bytes16 S = randomBlock(), Key = randomBlock();
    for (auto [Op, Fn] : Ops)
      ASSERT_EQ(hex(apply(Fn, S, Key)), hex(hwAes(Op, S, Key)))
          << "op " << int(Op) << " state " << hex(S) << " key " << hex(Key);
  }
}

TEST(IntrinsicEvalHardware, Sha256Rnds2MatchesShaNi) {
  if (!cpu().Sha)
    GTEST_SKIP() << "no SHA-NI";
  for (int K = 0; K < 5000; ++K) {
    Bytes16 Cdgh = randomBlock(), Abef = randomBlock(), Wk = randomBlock();
    Bytes16 Out;
    evalSha256Rnds2(Out.data(), Cdgh.data(), Abef.data(), Wk.data());
    ASSERT_EQ(hex(Out), hex(hwRnds2(Cdgh, Abef, Wk)));
  }
}

#endif // SPL_TEST_X86

} // namespace
