//===- tests/random/JsonMir.h - Writing MIR functions as JSON ---*- C++ -*-===//
//
// A small writer of the wire format (MIR.md): locals, blocks and
// instructions appended in order, then the function object as the
// serializer writes it (`{"symbol","name","signature","locals","blocks",
// "entry_block"}`). Types and operands are JSON text.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_TESTS_RANDOM_JSONMIR_H
#define SPL_TESTS_RANDOM_JSONMIR_H

#include <cstdint>
#include <string>
#include <vector>

namespace spl::randomtest::json {

inline std::string q(const std::string &S) { return "\"" + S + "\""; }
inline std::string ptr(const std::string &T) {
  return "{\"Ptr\":{\"pointee\":" + T + ",\"mutable\":true}}";
}
inline std::string arr(const std::string &T, unsigned N) {
  return "{\"Array\":{\"element\":" + T + ",\"size\":" + std::to_string(N) +
         "}}";
}
inline const std::string U8 = q("U8"), U32 = q("U32"), U64 = q("U64"),
                         I32 = q("I32"), I64 = q("I64"), Bool = q("Bool");

inline std::string cp(int L) { return "{\"Copy\":" + std::to_string(L) + "}"; }
inline std::string cst(const std::string &Value, const std::string &Ty) {
  return "{\"Const\":{\"value\":" + Value + ",\"type\":" + Ty + "}}";
}
inline std::string cst(uint64_t V, const std::string &Ty) {
  return cst(std::to_string(V), Ty);
}
inline std::string cstI(int64_t V, const std::string &Ty) {
  return cst(std::to_string(V), Ty);
}

class Fn {
public:
  Fn(std::string Name, std::vector<std::string> Params, std::string Ret)
      : Name(std::move(Name)), Params(std::move(Params)), Ret(std::move(Ret)) {
    Locals.push_back("{\"id\":0,\"name\":null,\"type\":" + this->Ret +
                     ",\"kind\":\"Return\"}");
    for (size_t K = 0; K < this->Params.size(); ++K)
      Locals.push_back("{\"id\":" + std::to_string(K + 1) +
                       ",\"name\":null,\"type\":" + this->Params[K] +
                       ",\"kind\":{\"Arg\":" + std::to_string(K) + "}}");
    Blocks.emplace_back();
  }

  /// Argument K's local.
  int arg(unsigned K) const { return int(K) + 1; }
  int local(const std::string &Ty) {
    int Id = int(Locals.size());
    Locals.push_back("{\"id\":" + std::to_string(Id) +
                     ",\"name\":null,\"type\":" + Ty + ",\"kind\":\"Temp\"}");
    return Id;
  }
  /// A new block; instructions go to it after start().
  int block() {
    Blocks.emplace_back();
    return int(Blocks.size()) - 1;
  }
  void start(int B) { Cur = B; }

  void inst(const std::string &Kind, const std::string &Fields) {
    Blocks[Cur].Insts.push_back("{\"" + Kind + "\":{" + Fields + "}}");
  }
  void binop(int D, const char *Op, const std::string &A,
             const std::string &B) {
    inst("BinOp", "\"dest\":" + std::to_string(D) + ",\"op\":\"" + Op +
                      "\",\"left\":" + A + ",\"right\":" + B);
  }
  void setConst(int D, uint64_t V, const std::string &Ty) {
    setConst(D, std::to_string(V), Ty);
  }
  void setConst(int D, const std::string &Value, const std::string &Ty) {
    inst("Const", "\"dest\":" + std::to_string(D) + ",\"value\":" + Value +
                      ",\"type\":" + Ty);
  }
  void copy(int D, int Src) {
    inst("Copy",
         "\"dest\":" + std::to_string(D) + ",\"src\":" + std::to_string(Src));
  }
  void alloc(int D, const std::string &Ty) {
    inst("Alloc", "\"dest\":" + std::to_string(D) + ",\"type\":" + Ty);
  }
  void gep(int D, const std::string &Base, const std::string &I,
           const std::string &J = "") {
    inst("GetElementPtr", "\"dest\":" + std::to_string(D) +
                              ",\"base\":" + Base + ",\"indices\":[" + I +
                              (J.empty() ? "" : "," + J) + "]");
  }
  void load(int D, const std::string &P) {
    inst("Load", "\"dest\":" + std::to_string(D) + ",\"ptr\":" + P);
  }
  void store(const std::string &P, const std::string &V) {
    inst("Store", "\"ptr\":" + P + ",\"value\":" + V);
  }
  /// D < 0: no dest (null).
  void intrinsic(int D, const char *Name,
                 const std::vector<std::string> &Args) {
    std::string A;
    for (const std::string &X : Args)
      A += (A.empty() ? "" : ",") + X;
    inst("Intrinsic", "\"dest\":" + (D < 0 ? "null" : std::to_string(D)) +
                          ",\"name\":\"" + Name + "\",\"args\":[" + A + "]");
  }

  void term(const std::string &T) { Blocks[Cur].Term = T; }
  void gotoB(int B) { term("{\"Goto\":" + std::to_string(B) + "}"); }
  void ifB(const std::string &Cond, int Then, int Else) {
    term("{\"If\":{\"cond\":" + Cond + ",\"then\":" + std::to_string(Then) +
         ",\"else\":" + std::to_string(Else) + "}}");
  }
  void ret(const std::string &Operand) { term("{\"Return\":" + Operand + "}"); }

  std::string str(int Symbol) const {
    std::string S = "{\"symbol\":" + std::to_string(Symbol) +
                    ",\"name\":" + q(Name) + ",\"signature\":{\"params\":[";
    for (size_t K = 0; K < Params.size(); ++K)
      S += (K ? "," : "") + Params[K];
    S += "],\"return_type\":" + Ret + ",\"is_variadic\":false},\"locals\":[";
    for (size_t K = 0; K < Locals.size(); ++K)
      S += (K ? "," : "") + Locals[K];
    S += "],\"blocks\":[";
    for (size_t B = 0; B < Blocks.size(); ++B) {
      S += (B ? "," : "") + std::string("{\"id\":") + std::to_string(B) +
           ",\"label\":null,\"instructions\":[";
      for (size_t K = 0; K < Blocks[B].Insts.size(); ++K)
        S += (K ? "," : "") + Blocks[B].Insts[K];
      S += "],\"terminator\":" + Blocks[B].Term + "}";
    }
    return S + "],\"entry_block\":0}";
  }

private:
  struct Block {
    std::vector<std::string> Insts;
    std::string Term = "\"Unreachable\"";
  };
  std::string Name;
  std::vector<std::string> Params;
  std::string Ret;
  std::vector<std::string> Locals;
  std::vector<Block> Blocks;
  int Cur = 0;
};

/// A module object holding the functions (already written with str()).
inline std::string module(const std::string &Name,
                          const std::vector<std::string> &Functions) {
  std::string S = "{\"name\":" + q(Name) + ",\"functions\":[";
  for (size_t K = 0; K < Functions.size(); ++K)
    S += (K ? ",\n" : "") + Functions[K];
  return S + "]}";
}

} // namespace spl::randomtest::json

#endif // SPL_TESTS_RANDOM_JSONMIR_H
