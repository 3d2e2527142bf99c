//===- tests/interp/InterpTestUtil.cpp - Building MIR JSON for the tests --===//

#include "InterpTestUtil.h"

#include "mir/MIR.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Error.h"

#include <ostream>

namespace spl::interp::test {

static std::string join(const Strs &Parts) { return llvm::join(Parts, ", "); }
static std::string q(const std::string &S) { return "\"" + S + "\""; }
static std::string dest(std::optional<unsigned> D) {
  return D ? std::to_string(*D) : "null";
}

std::string ty(const char *Scalar) { return q(Scalar); }
std::string ptrTy(const std::string &Pointee, bool Mutable) {
  return R"({"Ptr": {"pointee": )" + Pointee +
         R"(, "mutable": )" + (Mutable ? "true" : "false") + "}}";
}
std::string arrTy(const std::string &Elem, uint64_t N) {
  return R"({"Array": {"element": )" + Elem +
         R"(, "size": )" + std::to_string(N) + "}}";
}
std::string sig(const Strs &Params, const std::string &Ret) {
  return R"({"params": [)" + join(Params) + R"(], "return_type": )" + Ret +
         R"(, "is_variadic": false})";
}
std::string fnTy(const Strs &Params, const std::string &Ret) {
  return R"({"FuncPtr": )" + sig(Params, Ret) + "}";
}
std::string tupleTy(const Strs &Members) {
  return R"({"Tuple": [)" + join(Members) + "]}";
}

static std::string local(unsigned Id, const std::string &Ty,
                         const std::string &Kind) {
  return R"({"id": )" + std::to_string(Id) + R"(, "name": null, "type": )" +
         Ty + R"(, "kind": )" + Kind + "}";
}
std::string retLocal(unsigned Id, const std::string &Ty) {
  return local(Id, Ty, q("Return"));
}
std::string argLocal(unsigned Id, const std::string &Ty, unsigned Index) {
  return local(Id, Ty, R"({"Arg": )" + std::to_string(Index) + "}");
}
std::string varLocal(unsigned Id, const std::string &Ty) {
  return local(Id, Ty, q("Var"));
}

std::string cp(unsigned L) { return R"({"Copy": )" + std::to_string(L) + "}"; }
std::string mv(unsigned L) { return R"({"Move": )" + std::to_string(L) + "}"; }
std::string k(const std::string &Value, const std::string &Ty) {
  return R"({"Const": {"value": )" + Value + R"(, "type": )" + Ty + "}}";
}
std::string fnRef(const std::string &Name, const std::string &FnType) {
  return k(q(Name), FnType);
}

std::string constI(unsigned Dest, const std::string &Value,
                   const std::string &Ty) {
  return R"({"Const": {"dest": )" + std::to_string(Dest) + R"(, "value": )" +
         Value + R"(, "type": )" + Ty + "}}";
}
std::string copyI(unsigned Dest, const std::string &Src) {
  return R"({"Copy": {"dest": )" + std::to_string(Dest) + R"(, "src": )" +
         Src + "}}";
}
std::string binI(unsigned Dest, const char *Op, const std::string &L,
                 const std::string &R, bool Checked) {
  return std::string("{") + (Checked ? q("CheckedBinOp") : q("BinOp")) +
         R"(: {"dest": )" + std::to_string(Dest) + R"(, "op": )" + q(Op) +
         R"(, "left": )" + L + R"(, "right": )" + R + "}}";
}
std::string unI(unsigned Dest, const char *Op, const std::string &A) {
  return R"({"UnaryOp": {"dest": )" + std::to_string(Dest) + R"(, "op": )" +
         q(Op) + R"(, "operand": )" + A + "}}";
}
std::string castI(unsigned Dest, const std::string &A, const std::string &To,
                  bool Bitcast) {
  return std::string("{") + (Bitcast ? q("Bitcast") : q("Cast")) +
         R"(: {"dest": )" + std::to_string(Dest) + R"(, "operand": )" + A +
         R"(, "target": )" + To + "}}";
}
std::string allocI(unsigned Dest, const std::string &Ty) {
  return R"({"Alloc": {"dest": )" + std::to_string(Dest) + R"(, "type": )" +
         Ty + "}}";
}
std::string loadI(unsigned Dest, const std::string &Ptr) {
  return R"({"Load": {"dest": )" + std::to_string(Dest) + R"(, "ptr": )" +
         Ptr + "}}";
}
std::string storeI(const std::string &Ptr, const std::string &Value) {
  return R"({"Store": {"ptr": )" + Ptr + R"(, "value": )" + Value + "}}";
}
std::string gepI(unsigned Dest, const std::string &Base, const Strs &Indices) {
  return R"({"GetElementPtr": {"dest": )" + std::to_string(Dest) +
         R"(, "base": )" + Base + R"(, "indices": [)" + join(Indices) + "]}}";
}
std::string callI(std::optional<unsigned> Dest, const std::string &Callee,
                  const Strs &Args) {
  return R"({"Call": {"dest": )" + dest(Dest) + R"(, "func": )" + Callee +
         R"(, "args": [)" + join(Args) + "]}}";
}
std::string callIndI(std::optional<unsigned> Dest, const std::string &Ptr,
                     const Strs &Args, const std::string &Sig) {
  return R"({"CallIndirect": {"dest": )" + dest(Dest) + R"(, "ptr": )" + Ptr +
         R"(, "args": [)" + join(Args) + R"(], "signature": )" + Sig + "}}";
}
std::string intrI(std::optional<unsigned> Dest, const char *Name,
                  const Strs &Args) {
  return R"({"Intrinsic": {"dest": )" + dest(Dest) + R"(, "name": )" +
         q(Name) + R"(, "args": [)" + join(Args) + "]}}";
}

std::string gotoT(unsigned B) { return R"({"Goto": )" + std::to_string(B) + "}"; }
std::string retT(const std::string &Operand) {
  return R"({"Return": )" + Operand + "}";
}
std::string ifT(const std::string &Cond, unsigned Then, unsigned Else) {
  return R"({"If": {"cond": )" + Cond + R"(, "then": )" +
         std::to_string(Then) + R"(, "else": )" + std::to_string(Else) + "}}";
}
std::string switchT(const std::string &Value,
                    const std::vector<std::pair<std::string, unsigned>> &Cases,
                    unsigned Default) {
  Strs Targets;
  for (auto &[V, B] : Cases)
    Targets.push_back(R"({"value": )" + V + R"(, "target": )" +
                      std::to_string(B) + "}");
  return R"({"Switch": {"value": )" + Value + R"(, "targets": [)" +
         join(Targets) + R"(], "default": )" + std::to_string(Default) + "}}";
}
std::string block(unsigned Id, const Strs &Insts, const std::string &Term) {
  return R"({"id": )" + std::to_string(Id) +
         R"(, "label": null, "instructions": [)" + join(Insts) +
         R"(], "terminator": )" + Term + "}";
}

std::string func(const std::string &Name, const Strs &Params,
                 const std::string &Ret, const Strs &Locals,
                 const Strs &Blocks, int Symbol) {
  return R"({"symbol": )" + std::to_string(Symbol) + R"(, "name": )" +
         q(Name) + R"(, "signature": )" + sig(Params, Ret) +
         R"(, "locals": [)" + join(Locals) + R"(], "blocks": [)" +
         join(Blocks) + R"(], "entry_block": )" +
         std::to_string(0) + "}";
}
std::string module(const Strs &Functions, const std::string &Externs) {
  return R"({"name": "test", "externs": )" + Externs +
         R"(, "functions": [)" + join(Functions) + "]}";
}

std::ostream &operator<<(std::ostream &OS, const Outcome &O) {
  if (O.Ok)
    return OS << "value 0x" << std::hex << O.Bits << std::dec << " ("
              << int64_t(O.Bits) << ")";
  return OS << "error \"" << O.Error << "\"";
}

InterpTest::InterpTest() : Interp(llvm::cantFail(Interpreter::create())) {}

std::string InterpTest::load(const std::string &JSON) {
  auto M = mir::readJSON(JSON);
  if (!M)
    return "read: " + llvm::toString(M.takeError());
  if (llvm::Error E = Interp->load(*M))
    return llvm::toString(std::move(E));
  return "";
}

void InterpTest::mustLoad(const std::string &JSON) {
  std::string Err = load(JSON);
  ASSERT_EQ(Err, "") << JSON;
}

static Outcome callOn(Interpreter &I, const std::string &Name,
                      const std::vector<uint64_t> &Args) {
  auto R = I.call(Name, Args);
  if (!R)
    return error(llvm::toString(R.takeError()));
  return value(*R);
}

Outcome InterpTest::call(const std::string &Name,
                         const std::vector<uint64_t> &Args) {
  return callOn(*Interp, Name, Args);
}

uint64_t InterpTest::run(const std::string &Name,
                         const std::vector<uint64_t> &Args) {
  Outcome O = call(Name, Args);
  EXPECT_TRUE(O.Ok) << O;
  return O.Bits;
}

/// Runs nullary functions Names (each computing the same thing its own way)
/// and checks they agree; trap texts name the function `f`.
static Outcome evalAll(const std::string &JSON, const Strs &Names) {
  auto Interp = llvm::cantFail(Interpreter::create());
  auto M = mir::readJSON(JSON);
  if (!M)
    return error("read: " + llvm::toString(M.takeError()));
  if (llvm::Error E = Interp->load(*M))
    return error("load: " + llvm::toString(std::move(E)));
  std::optional<Outcome> First;
  for (const std::string &Name : Names) {
    Outcome O = callOn(*Interp, Name, {});
    std::string Quoted = "`" + Name + "`";
    if (size_t At = O.Error.find(Quoted); At != std::string::npos)
      O.Error.replace(At, Quoted.size(), "`f`");
    if (!First)
      First = O;
    else
      EXPECT_EQ(O, *First) << "form " << Name << " disagrees";
  }
  return *First;
}

Outcome evalBin(const char *Op, const char *Ty, const std::string &A,
                const std::string &B, bool Checked, const char *DestTy) {
  std::string T = ty(Ty), D = ty(DestTy ? DestTy : Ty);
  std::string KA = k(A, T), KB = k(B, T);
  Strs Locals = {retLocal(0, D), varLocal(1, T), varLocal(2, T)};
  auto Fn = [&](const char *Name, Strs Insts) {
    return func(Name, {}, D, Locals, {block(0, Insts, retT(cp(0)))});
  };
  std::string JSON = module({
      Fn("f_rr", {constI(1, A, T), constI(2, B, T),
                  binI(0, Op, cp(1), cp(2), Checked)}),
      Fn("f_ri", {constI(1, A, T), binI(0, Op, cp(1), KB, Checked)}),
      Fn("f_li", {constI(2, B, T), binI(0, Op, KA, cp(2), Checked)}),
      Fn("f_cc", {binI(0, Op, KA, KB, Checked)}),
  });
  return evalAll(JSON, {"f_rr", "f_ri", "f_li", "f_cc"});
}

Outcome evalUn(const char *Op, const char *Ty, const std::string &A) {
  std::string T = ty(Ty);
  Strs Locals = {retLocal(0, T), varLocal(1, T)};
  std::string JSON = module({
      func("f_r", {}, T, Locals,
           {block(0, {constI(1, A, T), unI(0, Op, cp(1))}, retT(cp(0)))}),
      func("f_c", {}, T, Locals,
           {block(0, {unI(0, Op, k(A, T))}, retT(cp(0)))}),
  });
  return evalAll(JSON, {"f_r", "f_c"});
}

Outcome evalCast(const char *From, const std::string &A, const char *To,
                 bool Bitcast) {
  std::string S = ty(From), T = ty(To);
  Strs Locals = {retLocal(0, T), varLocal(1, S)};
  std::string JSON = module({
      func("f_r", {}, T, Locals,
           {block(0, {constI(1, A, S), castI(0, cp(1), T, Bitcast)},
                  retT(cp(0)))}),
      func("f_c", {}, T, Locals,
           {block(0, {castI(0, k(A, S), T, Bitcast)}, retT(cp(0)))}),
  });
  return evalAll(JSON, {"f_r", "f_c"});
}

} // namespace spl::interp::test
