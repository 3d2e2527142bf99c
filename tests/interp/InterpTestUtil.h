//===- tests/interp/InterpTestUtil.h - Building MIR JSON for the tests ----===//
//
// Small builders for the compiler's JSON shape (../shared/MIR.md), so each
// test states its program inline, and a fixture that loads JSON text through
// mir::readJSON into a fresh interpreter.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_INTERP_INTERPTESTUTIL_H
#define SPL_TESTS_INTERP_INTERPTESTUTIL_H

#include "interp/Interpreter.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace spl::interp::test {

using Strs = std::vector<std::string>;

// Types: scalar names are quoted JSON strings ("\"I64\"").
std::string ty(const char *Scalar);
std::string ptrTy(const std::string &Pointee, bool Mutable = true);
std::string arrTy(const std::string &Elem, uint64_t N);
std::string fnTy(const Strs &Params, const std::string &Ret);
std::string tupleTy(const Strs &Members);

// Locals.
std::string retLocal(unsigned Id, const std::string &Ty);
std::string argLocal(unsigned Id, const std::string &Ty, unsigned Index);
std::string varLocal(unsigned Id, const std::string &Ty);

// Operands.
std::string cp(unsigned Local);
std::string mv(unsigned Local);
std::string k(const std::string &Value, const std::string &Ty);
/// A function-name constant of type Fn.
std::string fnRef(const std::string &Name, const std::string &FnType);

// Instructions.
std::string constI(unsigned Dest, const std::string &Value,
                   const std::string &Ty);
std::string copyI(unsigned Dest, const std::string &Src);
std::string binI(unsigned Dest, const char *Op, const std::string &L,
                 const std::string &R, bool Checked = false);
std::string unI(unsigned Dest, const char *Op, const std::string &A);
std::string castI(unsigned Dest, const std::string &A, const std::string &To,
                  bool Bitcast = false);
std::string allocI(unsigned Dest, const std::string &Ty);
std::string loadI(unsigned Dest, const std::string &Ptr);
std::string storeI(const std::string &Ptr, const std::string &Value);
std::string gepI(unsigned Dest, const std::string &Base, const Strs &Indices);
std::string callI(std::optional<unsigned> Dest, const std::string &Callee,
                  const Strs &Args);
std::string callIndI(std::optional<unsigned> Dest, const std::string &Ptr,
                     const Strs &Args, const std::string &Sig);
std::string intrI(std::optional<unsigned> Dest, const char *Name,
                  const Strs &Args);

// Terminators and blocks.
std::string gotoT(unsigned Block);
std::string retT(const std::string &Operand = "null");
std::string ifT(const std::string &Cond, unsigned Then, unsigned Else);
std::string switchT(const std::string &Value,
                    const std::vector<std::pair<std::string, unsigned>> &Cases,
                    unsigned Default);
std::string block(unsigned Id, const Strs &Insts, const std::string &Term);

/// A signature object {"params": [...], "return_type": ..., ...}.
std::string sig(const Strs &Params, const std::string &Ret);
std::string func(const std::string &Name, const Strs &Params,
                 const std::string &Ret, const Strs &Locals,
                 const Strs &Blocks, int Symbol = 1);
std::string module(const Strs &Functions, const std::string &Externs = "[]");

// Raw slots.
inline uint64_t I(int64_t V) { return uint64_t(V); }
inline uint64_t F64(double D) {
  uint64_t B;
  std::memcpy(&B, &D, 8);
  return B;
}
inline uint64_t F32(float F) {
  uint32_t B;
  std::memcpy(&B, &F, 4);
  return B;
}
inline double asF64(uint64_t B) {
  double D;
  std::memcpy(&D, &B, 8);
  return D;
}

/// What a call ended with.
struct Outcome {
  bool Ok = false;
  uint64_t Bits = 0;
  std::string Error;
  bool operator==(const Outcome &O) const {
    return Ok == O.Ok && (Ok ? Bits == O.Bits : Error == O.Error);
  }
};
std::ostream &operator<<(std::ostream &OS, const Outcome &O);
inline Outcome value(uint64_t Bits) { return {true, Bits, ""}; }
inline Outcome error(std::string Text) { return {false, 0, std::move(Text)}; }

class InterpTest : public ::testing::Test {
protected:
  InterpTest();
  /// Reads and loads JSON text: "" on success, else the error text.
  std::string load(const std::string &JSON);
  /// Loads and expects success.
  void mustLoad(const std::string &JSON);
  Outcome call(const std::string &Name, const std::vector<uint64_t> &Args = {});
  /// Calls and expects success.
  uint64_t run(const std::string &Name, const std::vector<uint64_t> &Args = {});

  std::unique_ptr<Interpreter> Interp;
};

/// `Op` on two constants of type Ty, computed four ways (both operands in
/// locals, right constant, left constant, both constant) that must agree;
/// trap texts are reported with the function called `f`.
Outcome evalBin(const char *Op, const char *Ty, const std::string &A,
                const std::string &B, bool Checked = false,
                const char *DestTy = nullptr);
/// `Op` on one constant, from a local and as a constant operand.
Outcome evalUn(const char *Op, const char *Ty, const std::string &A);
/// A cast of constant A of type From to To, from a local and a constant.
Outcome evalCast(const char *From, const std::string &A, const char *To,
                 bool Bitcast = false);

} // namespace spl::interp::test

#endif // SPL_TESTS_INTERP_INTERPTESTUTIL_H
