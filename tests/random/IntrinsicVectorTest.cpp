//===- tests/random/IntrinsicVectorTest.cpp - Bit intrinsics, all backends ===//
//
// MIR programs (JSON, the wire format) that call the bit intrinsics with the
// operand shapes of docs/SEMANTICS.md "Intrinsics" and compute published
// vectors: CRC-32C of "123456789" and the RFC 3720 32-byte vectors, Intel's
// PCLMULQDQ example, FIPS-197 C.1 AES-128 (single rounds, the whole
// encryption, the equivalent inverse cipher), and SHA-256: the first two
// rounds of "abc" (FIPS 180-2 appendix B.1) and its whole digest. Each runs on
// the interpreter, llvm -O0, llvm -O2 and auto through spl::ExecManager; the
// expected values are the published ones, and the round keys (the FIPS key
// schedule) and InvMixColumns'd decryption keys come from BitReference, which
// the first test checks against the published vectors.
//
//===----------------------------------------------------------------------===//
#include "AllBackends.h"
#include "BitReference.h"
#include "JsonMir.h"

#include "gtest/gtest.h"

#include <cinttypes>
#include <cstdio>

using namespace spl;
using namespace spl::randomtest;
using namespace spl::randomtest::json;
using ref::Block;

namespace {

std::string hex(uint64_t V) {
  char Buf[24];
  std::snprintf(Buf, sizeof Buf, "0x%" PRIx64, V);
  return Buf;
}

struct Call {
  std::string Fn;
  std::vector<uint64_t> Args;
  uint64_t Want;
  std::string What;
};

/// Compiles Json once per backend and checks every call's result bits.
void expectOnEveryBackend(const std::string &Json,
                          const std::vector<Call> &Calls) {
  for (const BackendConfig &B : allBackends()) {
    Options O;
    O.Backend = B.Backend;
    O.OptLevel = B.OptLevel;
    O.JitThreshold = B.JitThreshold;
    O.JitLoopThreshold = B.JitLoopThreshold;
    O.JitSync = B.JitSync;
    auto M = ExecManager::create(O);
    ASSERT_TRUE(bool(M)) << B.Label << ": " << M.error().Message;
    Status S = (*M)->compile(Json, "vectors.json");
    if (!S) {
      ADD_FAILURE() << B.Label << ": load error: " << S.error().Message;
      continue;
    }
    for (const Call &C : Calls) {
      Result<Value> R = (*M)->callWithBits(C.Fn, C.Args);
      if (!R) {
        ADD_FAILURE() << B.Label << ": " << C.What << ": " << R.error().Message;
        continue;
      }
      EXPECT_EQ(hex(R->bits()), hex(C.Want)) << B.Label << ": " << C.What;
    }
  }
}

//===--- Program pieces
//----------------------------------------------------===//

const std::string I64Zero = cst(0, I64);

/// A pointer to element Index of the array behind Arr.
int elem(Fn &F, int Arr, const std::string &ElemTy, const std::string &Index) {
  int P = F.local(ptr(ElemTy));
  F.gep(P, cp(Arr), I64Zero, Index);
  return P;
}

/// A fresh 16-byte block ([u64; 2]) holding B.
int blockOf(Fn &F, const Block &B) {
  int P = F.local(ptr(arr(U64, 2)));
  F.alloc(P, arr(U64, 2));
  F.store(cp(elem(F, P, U64, cst(0, I64))), cst(ref::lo64(B), U64));
  F.store(cp(elem(F, P, U64, cst(1, I64))), cst(ref::hi64(B), U64));
  return P;
}

/// Returns the u64 word at index Half (an I64 local) of block P.
void returnWord(Fn &F, int P, const std::string &ElemTy, int Half) {
  int V = F.local(ElemTy);
  F.load(V, cp(elem(F, P, ElemTy, cp(Half))));
  F.ret(cp(V));
}

/// for (I = From; I < To; ++I) Body(I): leaves F in the exit block.
template <typename BodyFn>
void loop(Fn &F, int64_t From, int64_t To, BodyFn Body) {
  int I = F.local(I64), C = F.local(Bool);
  int Head = F.block(), Loop = F.block(), Exit = F.block();
  F.setConst(I, uint64_t(From), I64);
  F.gotoB(Head);
  F.start(Head);
  F.binop(C, "Lt", cp(I), cstI(To, I64));
  F.ifB(cp(C), Loop, Exit);
  F.start(Loop);
  Body(I);
  F.binop(I, "Add", cp(I), cst(1, I64));
  F.gotoB(Head);
  F.start(Exit);
}

//===--- The references against the published vectors
//----------------------===//

const Block AesKey = ref::block("000102030405060708090a0b0c0d0e0f");
const Block AesPlain = ref::block("00112233445566778899aabbccddeeff");
const Block AesCipher = ref::block("69c4e0d86a7b0430d8cdb78070b4c55a");
// FIPS-197 C.1, round 1: the state after the first AddRoundKey, the round
// key, and the state the round produces (round[2].start); round 10.
const Block AesR1Start = ref::block("00102030405060708090a0b0c0d0e0f0");
const Block AesR1Key = ref::block("d6aa74fdd2af72fadaa678f1d6ab76fe");
const Block AesR2Start = ref::block("89d810e8855ace682d1843d8cb128fe4");
const Block AesR10Start = ref::block("bd6e7c3df2b5779e0b61216e8b10b689");
const Block AesR10Key = ref::block("13111d7fe3944a17f307a78b4d2b30c5");

// SHA-256("abc") (FIPS 180-2 B.1) and the working variables after rounds 0
// and 1 of its one block.
const uint32_t ShaAbc[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                            0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
const std::array<uint32_t, 8> ShaAbcAfterT1 = {
    0x5a6ad9ad, 0x5d6aebcd, 0x6a09e667, 0xbb67ae85,
    0x78ce7989, 0xfa2a4622, 0x510e527f, 0x9b05688c};

TEST(BitIntrinsics, ReferencesReproducePublishedVectors) {
  uint32_t Crc = ~0u;
  for (char Ch : std::string("123456789"))
    Crc = ref::crc32cByte(Crc, uint8_t(Ch));
  EXPECT_EQ(hex(~Crc), hex(0xE3069283));

  // Intel's PCLMULQDQ example: imm8 0x00 (low lanes) and 0x11 (high lanes).
  EXPECT_EQ(hex(ref::clmulLo(0x63746f725d53475d, 0x5b477565726f6e5d)),
            hex(0x929633d5d36f0451));
  EXPECT_EQ(hex(ref::clmulHi(0x63746f725d53475d, 0x5b477565726f6e5d)),
            hex(0x1d4d84c85c3440c0));
  EXPECT_EQ(hex(ref::clmulLo(0x7b5b546573745665, 0x4869285368617929)),
            hex(0xd66ee03e410fd4ed));
  EXPECT_EQ(hex(ref::clmulHi(0x7b5b546573745665, 0x4869285368617929)),
            hex(0x1d1e1f2c592e7c45));

  std::array<Block, 11> Keys = ref::aes128RoundKeys(AesKey);
  EXPECT_EQ(Keys[1], AesR1Key);
  EXPECT_EQ(Keys[10], AesR10Key);
  EXPECT_EQ(ref::aesEnc(AesR1Start, AesR1Key), AesR2Start);
  EXPECT_EQ(ref::aesEncLast(AesR10Start, AesR10Key), AesCipher);
  Block S = AesPlain;
  for (int K = 0; K < 16; ++K)
    S[K] ^= Keys[0][K];
  EXPECT_EQ(S, AesR1Start);
  for (int R = 1; R < 10; ++R)
    S = ref::aesEnc(S, Keys[R]);
  S = ref::aesEncLast(S, Keys[10]);
  EXPECT_EQ(S, AesCipher);
  for (int K = 0; K < 16; ++K)
    S[K] ^= Keys[10][K];
  for (int R = 9; R >= 1; --R)
    S = ref::aesDec(S, ref::invMixColumns(Keys[R]));
  S = ref::aesDecLast(S, Keys[0]);
  EXPECT_EQ(S, AesPlain);

  std::array<uint32_t, 8> D = ref::sha256OneBlock("abc");
  for (int K = 0; K < 8; ++K)
    EXPECT_EQ(hex(D[K]), hex(ShaAbc[K])) << "word " << K;
  std::array<uint32_t, 64> W = ref::sha256Schedule("abc");
  std::array<uint32_t, 8> H;
  std::copy(ref::Sha256H0, ref::Sha256H0 + 8, H.begin());
  EXPECT_EQ(
      ref::sha256TwoRounds(H, W[0] + ref::Sha256K[0], W[1] + ref::Sha256K[1]),
      ShaAbcAfterT1);
}

//===--- CRC-32C
//-----------------------------------------------------------===//

/// crc_bytes() -> u32: ~crc32_u8 over the bytes of the literal "123456789",
/// loaded one by one.
std::string crcBytesFn() {
  Fn F("crc_bytes", {}, U32);
  int Str = F.local(ptr(U8)), P = F.local(ptr(U8)), B = F.local(U8),
      Crc = F.local(U32);
  F.setConst(Str, "\"123456789\"", ptr(U8));
  F.setConst(Crc, 0xFFFFFFFF, U32);
  loop(F, 0, 9, [&](int I) {
    F.gep(P, cp(Str), cp(I));
    F.load(B, cp(P));
    F.intrinsic(Crc, "crc32_u8", {cp(Crc), cp(B)});
  });
  F.binop(0, "BitXor", cp(Crc), cst(0xFFFFFFFF, U32));
  F.ret(cp(0));
  return F.str(1);
}

/// crc_words(first, step) -> u32: ~crc32_u32 over the eight words
/// first + i*step (32 bytes, each word's bytes least significant first).
std::string crcWordsFn() {
  Fn F("crc_words", {U32, U32}, U32);
  int W = F.local(U32), T = F.local(U32), Crc = F.local(U32);
  F.setConst(Crc, 0xFFFFFFFF, U32);
  loop(F, 0, 8, [&](int I) {
    F.inst("Cast", "\"dest\":" + std::to_string(T) + ",\"operand\":" + cp(I) +
                       ",\"target\":" + U32);
    F.binop(W, "Mul", cp(T), cp(F.arg(1)));
    F.binop(W, "Add", cp(W), cp(F.arg(0)));
    F.intrinsic(Crc, "crc32_u32", {cp(Crc), cp(W)});
  });
  F.binop(0, "BitXor", cp(Crc), cst(0xFFFFFFFF, U32));
  F.ret(cp(0));
  return F.str(2);
}

/// crc_widths() -> i64: "123456789" as two u32 words and a byte, through
/// operands of other widths: the accumulator an i64 -1 (its low 32 bits are
/// ~0), the second word an i64 with junk above bit 31, the byte the low 8
/// bits of an i32 0x7F39; the last result lands zero-extended in an i64.
std::string crcWidthsFn() {
  Fn F("crc_widths", {}, I64);
  int C1 = F.local(U32), C2 = F.local(U32), C3 = F.local(I64);
  F.intrinsic(C1, "crc32_u32", {cstI(-1, I64), cst(0x34333231, U32)});
  F.intrinsic(C2, "crc32_u32", {cp(C1), cst(0x7777777738373635, I64)});
  F.intrinsic(C3, "crc32_u8", {cp(C2), cst(0x7F39, I32)});
  F.binop(0, "BitXor", cp(C3), cst(0xFFFFFFFF, I64));
  F.ret(cp(0));
  return F.str(3);
}

TEST(BitIntrinsics, Crc32cPublishedVectors) {
  std::string M = module("crc", {crcBytesFn(), crcWordsFn(), crcWidthsFn()});
  expectOnEveryBackend(
      M, {{"crc_bytes", {}, 0xE3069283, "CRC-32C(\"123456789\") by bytes"},
          {"crc_words", {0, 0}, 0x8A9136AA, "CRC-32C of 32 zero bytes"},
          {"crc_words", {0xFFFFFFFF, 0}, 0x62A8AB43, "CRC-32C of 32 0xFF"},
          {"crc_words",
           {0x03020100, 0x04040404},
           0x46DD794E,
           "CRC-32C of the bytes 0..31"},
          {"crc_widths", {}, 0xE3069283, "CRC-32C(\"123456789\") by words"}});
}

//===--- Carry-less multiplication
//------------------------------------------===//

std::string clmulFn(const char *Name, const char *Intr, int Symbol) {
  Fn F(Name, {U64, U64}, U64);
  F.intrinsic(0, Intr, {cp(F.arg(0)), cp(F.arg(1))});
  F.ret(cp(0));
  return F.str(Symbol);
}

/// clmul_signed() -> u64: an i32 -1 operand is all ones (sign-extended), a
/// u32 0xFFFFFFFF only the low half: clmul_hi(i32 -1, u32 0xFFFFFFFF).
std::string clmulSignedFn() {
  Fn F("clmul_signed", {}, U64);
  F.intrinsic(0, "clmul_hi", {cstI(-1, I32), cst(0xFFFFFFFF, U32)});
  F.ret(cp(0));
  return F.str(12);
}

TEST(BitIntrinsics, ClmulIntelExample) {
  std::string M =
      module("clmul", {clmulFn("lo", "clmul_lo", 10),
                       clmulFn("hi", "clmul_hi", 11), clmulSignedFn()});
  const uint64_t A0 = 0x63746f725d53475d, B0 = 0x5b477565726f6e5d;
  const uint64_t A1 = 0x7b5b546573745665, B1 = 0x4869285368617929;
  expectOnEveryBackend(
      M, {{"lo", {A0, B0}, 0x929633d5d36f0451, "imm 0x00, bits 0..63"},
          {"hi", {A0, B0}, 0x1d4d84c85c3440c0, "imm 0x00, bits 64..127"},
          {"lo", {A1, B1}, 0xd66ee03e410fd4ed, "imm 0x11, bits 0..63"},
          {"hi", {A1, B1}, 0x1d1e1f2c592e7c45, "imm 0x11, bits 64..127"},
          {"clmul_signed",
           {},
           ref::clmulHi(~0ull, 0xFFFFFFFF),
           "sign-extended i32, zero-extended u32"}});
  // By hand: the 96-bit product is 0x55555555_00000000_55555555; with the
  // i32 zero-extended instead it would fit in 64 bits (high half 0).
  EXPECT_EQ(ref::clmulHi(~0ull, 0xFFFFFFFF), 0x0000000055555555ull);
}

//===--- AES
//----------------------------------------------------------------===//

/// NAME(half) -> u64: one intrinsic round into a separate block.
std::string aesOneFn(const char *Name, const char *Intr, const Block &State,
                     const Block &Key, int Symbol) {
  Fn F(Name, {I64}, U64);
  int S = blockOf(F, State), K = blockOf(F, Key);
  int Out = F.local(ptr(arr(U64, 2)));
  F.alloc(Out, arr(U64, 2));
  F.intrinsic(-1, Intr, {cp(Out), cp(S), cp(K)});
  returnWord(F, Out, U64, F.arg(0));
  return F.str(Symbol);
}

/// NAME(half) -> u64: Input ^ Keys[First], the middle rounds in place with
/// Keys[r] for r running from First toward Last, the last round with
/// Keys[Last]. The keys sit in one [u64; 22]; each round's key pointer is a
/// GetElementPtr into it.
std::string aesCipherFn(const char *Name, bool Decrypt, const Block &Input,
                        const std::array<Block, 11> &Keys, int Symbol) {
  Fn F(Name, {I64}, U64);
  int St = blockOf(F, Input);
  int Ks = F.local(ptr(arr(U64, 22)));
  F.alloc(Ks, arr(U64, 22));
  for (int R = 0; R < 11; ++R) {
    F.store(cp(elem(F, Ks, U64, cst(2 * R, I64))),
            cst(ref::lo64(Keys[R]), U64));
    F.store(cp(elem(F, Ks, U64, cst(2 * R + 1, I64))),
            cst(ref::hi64(Keys[R]), U64));
  }
  int First = Decrypt ? 10 : 0, Last = Decrypt ? 0 : 10;
  int A = F.local(U64), B = F.local(U64);
  for (int H = 0; H < 2; ++H) {
    int SP = elem(F, St, U64, cst(H, I64));
    F.load(A, cp(SP));
    F.load(B, cp(elem(F, Ks, U64, cst(2 * First + H, I64))));
    F.binop(A, "BitXor", cp(A), cp(B));
    F.store(cp(SP), cp(A));
  }
  int KIdx = F.local(I64), KP = F.local(ptr(U64));
  loop(F, 1, 10, [&](int I) {
    // Encryption: key I; decryption: key 10 - I.
    if (Decrypt)
      F.binop(KIdx, "Sub", cst(10, I64), cp(I));
    else
      F.copy(KIdx, I);
    F.binop(KIdx, "Mul", cp(KIdx), cst(2, I64));
    F.gep(KP, cp(Ks), I64Zero, cp(KIdx));
    F.intrinsic(-1, Decrypt ? "crypto_aes_inv_round" : "crypto_aes_round",
                {cp(St), cp(St), cp(KP)});
  });
  F.gep(KP, cp(Ks), I64Zero, cst(2 * Last, I64));
  F.intrinsic(-1,
              Decrypt ? "crypto_aes_inv_round_last" : "crypto_aes_round_last",
              {cp(St), cp(St), cp(KP)});
  returnWord(F, St, U64, F.arg(0));
  return F.str(Symbol);
}

std::vector<Call> halves(const char *Fn, const Block &Want, const char *What) {
  return {{Fn, {0}, ref::lo64(Want), std::string(What) + ", bytes 0..7"},
          {Fn, {1}, ref::hi64(Want), std::string(What) + ", bytes 8..15"}};
}

TEST(BitIntrinsics, AesSingleRounds) {
  // AESENC and AESENCLAST: FIPS-197 C.1 rounds 1 and 10. AESDECLAST ends
  // the decryption: AESDECLAST(SubBytes(ShiftRows(r1)), k0) = r1 ^ k0, the
  // plaintext (k0 is the cipher key). AESDEC is a round of the equivalent
  // inverse cipher: with r2 = MixColumns(SubBytes(ShiftRows(r1))) ^ k1 (r1,
  // r2 = round[1].start, round[2].start) and x = SubBytes(ShiftRows(r2)),
  // AESDEC(x, IMC(k1)) = IMC(r2) ^ IMC(k1) = IMC(r2 ^ k1)
  // = SubBytes(ShiftRows(r1)). (SubBytes(ShiftRows(y)) = AESENCLAST(y, 0).)
  const Block Zero{};
  Block DecIn = ref::aesEncLast(AesR2Start, Zero);
  Block DecKey = ref::invMixColumns(AesR1Key);
  Block DecWant = ref::aesEncLast(AesR1Start, Zero);
  ASSERT_EQ(ref::aesDec(DecIn, DecKey), DecWant);
  ASSERT_EQ(ref::aesDecLast(DecWant, AesKey), AesPlain);
  std::string M = module(
      "aes1",
      {aesOneFn("enc", "crypto_aes_round", AesR1Start, AesR1Key, 20),
       aesOneFn("enc_last", "crypto_aes_round_last", AesR10Start, AesR10Key,
                21),
       aesOneFn("dec", "crypto_aes_inv_round", DecIn, DecKey, 22),
       aesOneFn("dec_last", "crypto_aes_inv_round_last", DecWant, AesKey, 23)});
  std::vector<Call> Calls;
  for (auto &V : {halves("enc", AesR2Start, "AESENC, FIPS-197 round 1"),
                  halves("enc_last", AesCipher, "AESENCLAST, round 10"),
                  halves("dec", DecWant, "AESDEC of round 2's input"),
                  halves("dec_last", AesPlain, "AESDECLAST to the plaintext")})
    Calls.insert(Calls.end(), V.begin(), V.end());
  expectOnEveryBackend(M, Calls);
}

TEST(BitIntrinsics, Aes128Fips197EncryptAndDecrypt) {
  std::array<Block, 11> Keys = ref::aes128RoundKeys(AesKey);
  std::array<Block, 11> DecKeys = Keys;
  for (int R = 1; R < 10; ++R)
    DecKeys[R] = ref::invMixColumns(Keys[R]);
  std::string M =
      module("aes", {aesCipherFn("encrypt", false, AesPlain, Keys, 30),
                     aesCipherFn("decrypt", true, AesCipher, DecKeys, 31)});
  std::vector<Call> Calls = halves("encrypt", AesCipher, "FIPS-197 C.1");
  for (const Call &C : halves("decrypt", AesPlain, "its inverse"))
    Calls.push_back(C);
  expectOnEveryBackend(M, Calls);
}

//===--- SHA-256
//------------------------------------------------------------===//

/// Stores {V0, V1, V2, V3} into the [u32; 4] block P.
void store4(Fn &F, int P, std::array<uint32_t, 4> V) {
  for (int K = 0; K < 4; ++K)
    F.store(cp(elem(F, P, U32, cst(K, I64))), cst(V[K], U32));
}

int block4(Fn &F) {
  int P = F.local(ptr(arr(U32, 4)));
  F.alloc(P, arr(U32, 4));
  return P;
}

/// sha_step(i) -> u32: dword i of rnds2(cdgh, abef, wk) on the initial hash
/// value with the first two words of "abc": the new {F, E, B, A}.
std::string shaStepFn() {
  std::array<uint32_t, 64> W = ref::sha256Schedule("abc");
  const uint32_t *H = ref::Sha256H0;
  Fn F("sha_step", {I64}, U32);
  int Abef = block4(F), Cdgh = block4(F), Wk = block4(F), Out = block4(F);
  store4(F, Abef, {H[5], H[4], H[1], H[0]});
  store4(F, Cdgh, {H[7], H[6], H[3], H[2]});
  store4(F, Wk,
         {W[0] + ref::Sha256K[0], W[1] + ref::Sha256K[1], 0xdeadbeef, 7});
  F.intrinsic(-1, "crypto_sha256_rounds2",
              {cp(Out), cp(Cdgh), cp(Abef), cp(Wk)});
  returnWord(F, Out, U32, F.arg(0));
  return F.str(40);
}

/// sha_abc(i) -> u32: word i of SHA-256("abc"). The MIR expands the message
/// schedule from the padded block's 16 words, runs the 64 rounds as 32
/// rnds2 steps on two state blocks that swap roles, and adds the initial
/// hash value.
std::string shaAbcFn() {
  std::array<uint32_t, 64> Sched = ref::sha256Schedule("abc");
  const uint32_t *H = ref::Sha256H0;
  Fn F("sha_abc", {I64}, U32);
  int W = F.local(ptr(arr(U32, 64))), K = F.local(ptr(arr(U32, 64)));
  F.alloc(W, arr(U32, 64));
  F.alloc(K, arr(U32, 64));
  for (int T = 0; T < 16; ++T)
    F.store(cp(elem(F, W, U32, cst(T, I64))), cst(Sched[T], U32));
  for (int T = 0; T < 64; ++T)
    F.store(cp(elem(F, K, U32, cst(T, I64))), cst(ref::Sha256K[T], U32));

  // W[t] = W[t-16] + s0(W[t-15]) + W[t-7] + s1(W[t-2]).
  int Idx = F.local(I64), X = F.local(U32), Acc = F.local(U32),
      Sig = F.local(U32), Part = F.local(U32);
  auto loadW = [&](int Dest, int T, int64_t Back) {
    F.binop(Idx, "Sub", cp(T), cstI(Back, I64));
    F.load(Dest, cp(elem(F, W, U32, cp(Idx))));
  };
  auto rotrInto = [&](int Dest, int Src, unsigned N) {
    F.binop(Part, "Shr", cp(Src), cst(N, U32));
    F.binop(Dest, "Shl", cp(Src), cst(32 - N, U32));
    F.binop(Dest, "BitOr", cp(Dest), cp(Part));
  };
  auto sigma = [&](int Src, unsigned R1, unsigned R2, unsigned S) {
    int T1 = F.local(U32);
    rotrInto(Sig, Src, R1);
    rotrInto(T1, Src, R2);
    F.binop(Sig, "BitXor", cp(Sig), cp(T1));
    F.binop(T1, "Shr", cp(Src), cst(S, U32));
    F.binop(Sig, "BitXor", cp(Sig), cp(T1));
  };
  loop(F, 16, 64, [&](int T) {
    loadW(Acc, T, 16);
    loadW(X, T, 15);
    sigma(X, 7, 18, 3);
    F.binop(Acc, "Add", cp(Acc), cp(Sig));
    loadW(X, T, 7);
    F.binop(Acc, "Add", cp(Acc), cp(X));
    loadW(X, T, 2);
    sigma(X, 17, 19, 10);
    F.binop(Acc, "Add", cp(Acc), cp(Sig));
    F.store(cp(elem(F, W, U32, cp(T))), cp(Acc));
  });

  int P = block4(F), Q = block4(F), Wk = block4(F);
  store4(F, P, {H[5], H[4], H[1], H[0]}); // {F, E, B, A}
  store4(F, Q, {H[7], H[6], H[3], H[2]}); // {H, G, D, C}
  int Wk0 = elem(F, Wk, U32, cst(0, I64)), Wk1 = elem(F, Wk, U32, cst(1, I64));
  int Y = F.local(U32);
  // wk = {W[t+Off]+K[t+Off], W[t+Off+1]+K[t+Off+1]}, t = 4*J.
  auto setWk = [&](int J, int Off) {
    for (int D = 0; D < 2; ++D) {
      F.binop(Idx, "Mul", cp(J), cst(4, I64));
      F.binop(Idx, "Add", cp(Idx), cst(Off + D, I64));
      F.load(X, cp(elem(F, W, U32, cp(Idx))));
      F.load(Y, cp(elem(F, K, U32, cp(Idx))));
      F.binop(X, "Add", cp(X), cp(Y));
      F.store(cp(D ? Wk1 : Wk0), cp(X));
    }
  };
  loop(F, 0, 16, [&](int J) {
    // Q <- new {F,E,B,A}; P (the old one) is the new {H,G,D,C}; and back.
    setWk(J, 0);
    F.intrinsic(-1, "crypto_sha256_rounds2", {cp(Q), cp(Q), cp(P), cp(Wk)});
    setWk(J, 2);
    F.intrinsic(-1, "crypto_sha256_rounds2", {cp(P), cp(P), cp(Q), cp(Wk)});
  });
  // P = {F, E, B, A}, Q = {H, G, D, C}: digest word k = its variable + H[k].
  int Digest = F.local(ptr(arr(U32, 8)));
  F.alloc(Digest, arr(U32, 8));
  const std::pair<int, int> From[8] = {{P, 3}, {P, 2}, {Q, 3}, {Q, 2},
                                       {P, 1}, {P, 0}, {Q, 1}, {Q, 0}};
  for (int Wd = 0; Wd < 8; ++Wd) {
    F.load(X, cp(elem(F, From[Wd].first, U32, cst(From[Wd].second, I64))));
    F.binop(X, "Add", cp(X), cst(H[Wd], U32));
    F.store(cp(elem(F, Digest, U32, cst(Wd, I64))), cp(X));
  }
  returnWord(F, Digest, U32, F.arg(0));
  return F.str(41);
}

TEST(BitIntrinsics, Sha256Rnds2FirstTwoRoundsOfAbc) {
  // FIPS 180-2 B.1 after t = 1: a, b, e, f (the new {F, E, B, A}).
  const std::array<uint32_t, 8> &V = ShaAbcAfterT1;
  std::string M = module("sha1", {shaStepFn()});
  expectOnEveryBackend(M, {{"sha_step", {0}, V[5], "F"},
                           {"sha_step", {1}, V[4], "E"},
                           {"sha_step", {2}, V[1], "B"},
                           {"sha_step", {3}, V[0], "A"}});
}

TEST(BitIntrinsics, Sha256OfAbc) {
  std::string M = module("sha", {shaAbcFn()});
  std::vector<Call> Calls;
  for (uint64_t K = 0; K < 8; ++K)
    Calls.push_back(
        {"sha_abc", {K}, ShaAbc[K], "digest word " + std::to_string(K)});
  expectOnEveryBackend(M, Calls);
}

} // namespace
