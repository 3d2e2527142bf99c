//===- mir/IntrinsicEval.cpp - Bit-exact CRC32C, CLMUL, AES, SHA-256 ------===//
//
// The (v2) bit intrinsics of MIR.md "Intrinsics" in plain C++: the same bits
// the x86 instructions (SSE4.2 CRC32, PCLMULQDQ, AES-NI, SHA-NI) produce, on
// any host. The interpreter and JIT code both call these (through the C entry
// points at the end), so the two backends cannot disagree. Operand shapes:
// docs/SEMANTICS.md "Intrinsics".
//
//===----------------------------------------------------------------------===//
#include "mir/MIR.h"

#include <array>
#include <cstring>

namespace spl::mir {

//===----------------------------------------------------------------------===//
// CRC32 (CRC-32C, reflected polynomial 0x82F63B78)
//===----------------------------------------------------------------------===//

namespace {

constexpr uint32_t Crc32cPoly = 0x82F63B78; // 0x1EDC6F41 bit-reflected

// Byte-at-a-time table: T[b] = b pushed through eight reflected shift steps.
constexpr std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> T{};
  for (uint32_t B = 0; B < 256; ++B) {
    uint32_t C = B;
    for (int K = 0; K < 8; ++K)
      C = (C >> 1) ^ (Crc32cPoly & (0u - (C & 1)));
    T[B] = C;
  }
  return T;
}
constexpr std::array<uint32_t, 256> CrcTable = makeCrcTable();

} // namespace

uint32_t evalCrc32U8(uint32_t Crc, uint8_t V) {
  return (Crc >> 8) ^ CrcTable[(Crc ^ V) & 0xFF];
}

uint32_t evalCrc32U32(uint32_t Crc, uint32_t V) {
  // The instruction consumes the source's bytes least significant first.
  for (int K = 0; K < 4; ++K)
    Crc = evalCrc32U8(Crc, uint8_t(V >> (8 * K)));
  return Crc;
}

//===----------------------------------------------------------------------===//
// Carry-less multiplication, 4 bits of B at a time
//===----------------------------------------------------------------------===//

namespace {

struct U128 {
  uint64_t Lo = 0, Hi = 0;
};

U128 clmul(uint64_t A, uint64_t B) {
  // Tab[i] = A (x) i for a 4-bit i: at most 67 bits, so Hi has 3.
  U128 Tab[16];
  for (unsigned I = 1; I < 16; ++I)
    for (unsigned J = 0; J < 4; ++J)
      if (I & (1u << J)) {
        Tab[I].Lo ^= A << J;
        Tab[I].Hi ^= J ? A >> (64 - J) : 0;
      }
  // Horner over B's nibbles, most significant first: R = R * x^4 + Tab[n].
  U128 R;
  for (int K = 15; K >= 0; --K) {
    R.Hi = (R.Hi << 4) | (R.Lo >> 60);
    R.Lo <<= 4;
    const U128 &T = Tab[(B >> (4 * K)) & 0xF];
    R.Lo ^= T.Lo;
    R.Hi ^= T.Hi;
  }
  return R;
}

} // namespace

uint64_t evalClmulLo(uint64_t A, uint64_t B) { return clmul(A, B).Lo; }
uint64_t evalClmulHi(uint64_t A, uint64_t B) { return clmul(A, B).Hi; }

//===----------------------------------------------------------------------===//
// AES rounds (FIPS-197 state: byte r + 4c is row r, column c)
//===----------------------------------------------------------------------===//

namespace {

using Bytes16 = std::array<uint8_t, 16>;

// Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
constexpr uint8_t xtime(uint8_t B) {
  return uint8_t((B << 1) ^ ((B & 0x80) ? 0x1B : 0));
}

constexpr uint8_t gmul(uint8_t A, uint8_t B) {
  uint8_t P = 0;
  for (; B; B >>= 1, A = xtime(A))
    if (B & 1)
      P ^= A;
  return P;
}

constexpr uint8_t rotl8(uint8_t B, int N) {
  return uint8_t((B << N) | (B >> (8 - N)));
}

// The S-box from its definition (FIPS-197 5.1.1): the multiplicative inverse
// (0 maps to 0), then the affine transform; the inverse S-box inverts it.
struct SBoxes {
  std::array<uint8_t, 256> Fwd{}, Inv{};
};
constexpr SBoxes makeSBoxes() {
  SBoxes S;
  for (unsigned X = 0; X < 256; ++X) {
    uint8_t Inverse = 0; // x^254 = x^-1 in GF(2^8)
    if (X) {
      uint8_t P = 1, Base = uint8_t(X);
      for (unsigned E = 254; E; E >>= 1, Base = gmul(Base, Base))
        if (E & 1)
          P = gmul(P, Base);
      Inverse = P;
    }
    uint8_t Y = Inverse ^ rotl8(Inverse, 1) ^ rotl8(Inverse, 2) ^
                rotl8(Inverse, 3) ^ rotl8(Inverse, 4) ^ 0x63;
    S.Fwd[X] = Y;
    S.Inv[Y] = uint8_t(X);
  }
  return S;
}
constexpr SBoxes Boxes = makeSBoxes();

// ShiftRows and SubBytes together: row r moves left by r columns.
Bytes16 shiftSub(const uint8_t *In) {
  Bytes16 Out;
  for (int C = 0; C < 4; ++C)
    for (int R = 0; R < 4; ++R)
      Out[R + 4 * C] = Boxes.Fwd[In[R + 4 * ((C + R) % 4)]];
  return Out;
}

// InvShiftRows and InvSubBytes together: row r moves right by r columns.
Bytes16 invShiftSub(const uint8_t *In) {
  Bytes16 Out;
  for (int C = 0; C < 4; ++C)
    for (int R = 0; R < 4; ++R)
      Out[R + 4 * ((C + R) % 4)] = Boxes.Inv[In[R + 4 * C]];
  return Out;
}

void mixColumns(Bytes16 &S) {
  for (int C = 0; C < 4; ++C) {
    uint8_t *Col = &S[4 * C];
    uint8_t A0 = Col[0], A1 = Col[1], A2 = Col[2], A3 = Col[3];
    Col[0] = uint8_t(xtime(A0) ^ xtime(A1) ^ A1 ^ A2 ^ A3);
    Col[1] = uint8_t(A0 ^ xtime(A1) ^ xtime(A2) ^ A2 ^ A3);
    Col[2] = uint8_t(A0 ^ A1 ^ xtime(A2) ^ xtime(A3) ^ A3);
    Col[3] = uint8_t(xtime(A0) ^ A0 ^ A1 ^ A2 ^ xtime(A3));
  }
}

void invMixColumns(Bytes16 &S) {
  for (int C = 0; C < 4; ++C) {
    uint8_t *Col = &S[4 * C];
    uint8_t A0 = Col[0], A1 = Col[1], A2 = Col[2], A3 = Col[3];
    Col[0] = gmul(A0, 14) ^ gmul(A1, 11) ^ gmul(A2, 13) ^ gmul(A3, 9);
    Col[1] = gmul(A0, 9) ^ gmul(A1, 14) ^ gmul(A2, 11) ^ gmul(A3, 13);
    Col[2] = gmul(A0, 13) ^ gmul(A1, 9) ^ gmul(A2, 14) ^ gmul(A3, 11);
    Col[3] = gmul(A0, 11) ^ gmul(A1, 13) ^ gmul(A2, 9) ^ gmul(A3, 14);
  }
}

// Last step of every round; Key is read before Out is written, so Out may
// alias State or Key.
void xorKeyInto(uint8_t *Out, const Bytes16 &S, const uint8_t *Key) {
  Bytes16 R;
  for (int I = 0; I < 16; ++I)
    R[I] = S[I] ^ Key[I];
  std::memcpy(Out, R.data(), 16);
}

} // namespace

void evalAesRound(uint8_t Out[16], const uint8_t State[16],
                  const uint8_t Key[16]) {
  Bytes16 S = shiftSub(State);
  mixColumns(S);
  xorKeyInto(Out, S, Key);
}

void evalAesRoundLast(uint8_t Out[16], const uint8_t State[16],
                      const uint8_t Key[16]) {
  xorKeyInto(Out, shiftSub(State), Key);
}

void evalAesInvRound(uint8_t Out[16], const uint8_t State[16],
                     const uint8_t Key[16]) {
  Bytes16 S = invShiftSub(State);
  invMixColumns(S);
  xorKeyInto(Out, S, Key);
}

void evalAesInvRoundLast(uint8_t Out[16], const uint8_t State[16],
                         const uint8_t Key[16]) {
  xorKeyInto(Out, invShiftSub(State), Key);
}

//===----------------------------------------------------------------------===//
// SHA256RNDS2 (Intel SDM pseudocode)
//===----------------------------------------------------------------------===//

namespace {

uint32_t loadLE32(const uint8_t *P) {
  return uint32_t(P[0]) | uint32_t(P[1]) << 8 | uint32_t(P[2]) << 16 |
         uint32_t(P[3]) << 24;
}

void storeLE32(uint8_t *P, uint32_t V) {
  for (int K = 0; K < 4; ++K)
    P[K] = uint8_t(V >> (8 * K));
}

constexpr uint32_t rotr(uint32_t X, int N) {
  return (X >> N) | (X << (32 - N));
}

} // namespace

void evalSha256Rnds2(uint8_t Out[16], const uint8_t Cdgh[16],
                     const uint8_t Abef[16], const uint8_t Wk[16]) {
  uint32_t A = loadLE32(Abef + 12), B = loadLE32(Abef + 8);
  uint32_t E = loadLE32(Abef + 4), F = loadLE32(Abef);
  uint32_t C = loadLE32(Cdgh + 12), D = loadLE32(Cdgh + 8);
  uint32_t G = loadLE32(Cdgh + 4), H = loadLE32(Cdgh);
  const uint32_t W[2] = {loadLE32(Wk), loadLE32(Wk + 4)};
  for (uint32_t WK : W) {
    uint32_t Ch = (E & F) ^ (~E & G);
    uint32_t Maj = (A & B) ^ (A & C) ^ (B & C);
    uint32_t S1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
    uint32_t S0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
    uint32_t T1 = Ch + S1 + WK + H;
    H = G;
    G = F;
    F = E;
    E = T1 + D;
    D = C;
    C = B;
    B = A;
    A = T1 + Maj + S0;
  }
  // All sources are read; now Out may be written even if it aliases them.
  storeLE32(Out + 12, A);
  storeLE32(Out + 8, B);
  storeLE32(Out + 4, E);
  storeLE32(Out, F);
}

//===----------------------------------------------------------------------===//
// Kinds and C entry points
//===----------------------------------------------------------------------===//

bool isBitIntrinsic(IntrinsicKind K) {
  return K >= IntrinsicKind::Crc32U8 && K <= IntrinsicKind::Sha256Rounds2;
}

bool isBlockIntrinsic(IntrinsicKind K) {
  return K >= IntrinsicKind::AesRound && K <= IntrinsicKind::Sha256Rounds2;
}

// Fixed C ABI: the word kinds take the MIR words (only the low 32 / 8 bits of
// a CRC operand count, as the instruction reads a 32- or 8-bit register) and
// return the result zero-extended; the block kinds take the MIR pointers.
extern "C" {

uint64_t spl_intrinsic_crc32_u8(uint64_t Crc, uint64_t V) {
  return evalCrc32U8(uint32_t(Crc), uint8_t(V));
}

uint64_t spl_intrinsic_crc32_u32(uint64_t Crc, uint64_t V) {
  return evalCrc32U32(uint32_t(Crc), uint32_t(V));
}

uint64_t spl_intrinsic_clmul_lo(uint64_t A, uint64_t B) {
  return evalClmulLo(A, B);
}

uint64_t spl_intrinsic_clmul_hi(uint64_t A, uint64_t B) {
  return evalClmulHi(A, B);
}

void spl_intrinsic_crypto_aes_round(void *Dst, const void *State,
                                    const void *Key) {
  evalAesRound(static_cast<uint8_t *>(Dst), static_cast<const uint8_t *>(State),
               static_cast<const uint8_t *>(Key));
}

void spl_intrinsic_crypto_aes_round_last(void *Dst, const void *State,
                                         const void *Key) {
  evalAesRoundLast(static_cast<uint8_t *>(Dst),
                   static_cast<const uint8_t *>(State),
                   static_cast<const uint8_t *>(Key));
}

void spl_intrinsic_crypto_aes_inv_round(void *Dst, const void *State,
                                        const void *Key) {
  evalAesInvRound(static_cast<uint8_t *>(Dst),
                  static_cast<const uint8_t *>(State),
                  static_cast<const uint8_t *>(Key));
}

void spl_intrinsic_crypto_aes_inv_round_last(void *Dst, const void *State,
                                             const void *Key) {
  evalAesInvRoundLast(static_cast<uint8_t *>(Dst),
                      static_cast<const uint8_t *>(State),
                      static_cast<const uint8_t *>(Key));
}

void spl_intrinsic_crypto_sha256_rounds2(void *Dst, const void *Cdgh,
                                         const void *Abef, const void *Wk) {
  evalSha256Rnds2(
      static_cast<uint8_t *>(Dst), static_cast<const uint8_t *>(Cdgh),
      static_cast<const uint8_t *>(Abef), static_cast<const uint8_t *>(Wk));
}

} // extern "C"

namespace {

// Function pointers as data pointers: fine on every platform we JIT for
// (POSIX requires it for dlsym).
template <typename F> void *addr(F *Fn) { return reinterpret_cast<void *>(Fn); }

const IntrinsicFn BitFns[] = {
    {IntrinsicKind::Crc32U8, "spl_intrinsic_crc32_u8",
     addr(spl_intrinsic_crc32_u8)},
    {IntrinsicKind::Crc32U32, "spl_intrinsic_crc32_u32",
     addr(spl_intrinsic_crc32_u32)},
    {IntrinsicKind::ClmulLo, "spl_intrinsic_clmul_lo",
     addr(spl_intrinsic_clmul_lo)},
    {IntrinsicKind::ClmulHi, "spl_intrinsic_clmul_hi",
     addr(spl_intrinsic_clmul_hi)},
    {IntrinsicKind::AesRound, "spl_intrinsic_crypto_aes_round",
     addr(spl_intrinsic_crypto_aes_round)},
    {IntrinsicKind::AesRoundLast, "spl_intrinsic_crypto_aes_round_last",
     addr(spl_intrinsic_crypto_aes_round_last)},
    {IntrinsicKind::AesInvRound, "spl_intrinsic_crypto_aes_inv_round",
     addr(spl_intrinsic_crypto_aes_inv_round)},
    {IntrinsicKind::AesInvRoundLast, "spl_intrinsic_crypto_aes_inv_round_last",
     addr(spl_intrinsic_crypto_aes_inv_round_last)},
    {IntrinsicKind::Sha256Rounds2, "spl_intrinsic_crypto_sha256_rounds2",
     addr(spl_intrinsic_crypto_sha256_rounds2)},
};

} // namespace

llvm::ArrayRef<IntrinsicFn> bitIntrinsicFns() { return BitFns; }

const IntrinsicFn *findBitIntrinsicFn(IntrinsicKind K) {
  for (const IntrinsicFn &F : BitFns)
    if (F.Kind == K)
      return &F;
  return nullptr;
}

} // namespace spl::mir
