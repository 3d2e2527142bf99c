//===- tests/interp/InterpCallTest.cpp - Calls, externs, threads ----------===//
//
// docs/SEMANTICS.md "Calls": program functions through their slots (late
// arrival, redefinition), call depth, builtins and declared externs bound at
// load (all or nothing), CallIndirect of MIR and C function pointers,
// intrinsics, rt_exit, and calls from several threads at once.
//
//===----------------------------------------------------------------------===//

#include "InterpTestUtil.h"

#include "ffi/FFI.h"

#include <atomic>
#include <cmath>
#include <thread>

using namespace spl::interp::test;
using spl::ffi::ExitRequest;

namespace {

const std::string I64 = ty("I64");
const std::string F64T = ty("F64");
const std::string B = ty("Bool");
const std::string UnaryTy = fnTy({I64}, I64);
const std::string UnitOfI64 = fnTy({I64}, "null");

std::string fibFn() {
  return func("fib", {I64}, I64,
              {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, B),
               varLocal(3, I64), varLocal(4, I64), varLocal(5, I64),
               varLocal(6, I64)},
              {block(0, {binI(2, "Lt", cp(1), k("2", I64))}, ifT(cp(2), 1, 2)),
               block(1, {}, retT(cp(1))),
               block(2,
                     {binI(3, "Sub", cp(1), k("1", I64)),
                      callI(5, fnRef("fib", UnaryTy), {cp(3)}),
                      binI(4, "Sub", cp(1), k("2", I64)),
                      callI(6, fnRef("fib", UnaryTy), {cp(4)}),
                      binI(0, "Add", cp(5), cp(6))},
                     retT())});
}

/// down(n) = n == 0 ? 0 : 1 + down(n - 1): depth n + 1.
std::string downFn() {
  return func("down", {I64}, I64,
              {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, B),
               varLocal(3, I64)},
              {block(0, {binI(2, "Eq", cp(1), k("0", I64))}, ifT(cp(2), 1, 2)),
               block(1, {}, retT(k("0", I64))),
               block(2,
                     {binI(3, "Sub", cp(1), k("1", I64)),
                      callI(0, fnRef("down", UnaryTy), {cp(3)}),
                      binI(0, "Add", cp(0), k("1", I64))},
                     retT())});
}

/// A nullary function returning constant V.
std::string constFn(const std::string &Name, const char *V) {
  return func(Name, {}, I64, {retLocal(0, I64)},
              {block(0, {}, retT(k(V, I64)))});
}

/// caller() = CALLEE() through a call of a name.
std::string callerOf(const std::string &Name, const std::string &Callee) {
  return func(Name, {}, I64, {retLocal(0, I64)},
              {block(0, {callI(0, fnRef(Callee, fnTy({}, I64)), {})},
                     retT())});
}

TEST_F(InterpTest, RecursionAndMutualRecursion) {
  std::string EvenOdd = fnTy({I64}, B);
  auto Parity = [&](const char *Name, const char *Other, const char *Base) {
    return func(Name, {I64}, B,
                {retLocal(0, B), argLocal(1, I64, 0), varLocal(2, B),
                 varLocal(3, I64)},
                {block(0, {binI(2, "Eq", cp(1), k("0", I64))}, ifT(cp(2), 1, 2)),
                 block(1, {}, retT(k(Base, B))),
                 block(2,
                       {binI(3, "Sub", cp(1), k("1", I64)),
                        callI(0, fnRef(Other, EvenOdd), {cp(3)})},
                       retT())});
  };
  mustLoad(module({fibFn(), Parity("even", "odd", "true"),
                   Parity("odd", "even", "false")}));
  EXPECT_EQ(run("fib", {20}), 6765u);
  EXPECT_EQ(run("fib", {1}), 1u);
  EXPECT_EQ(run("even", {10}), 1u);
  EXPECT_EQ(run("odd", {7}), 1u);
  EXPECT_EQ(run("even", {7}), 0u);
}

TEST_F(InterpTest, CallsWithManyArgumentsAndConstants) {
  // sum5(a, b, c, d, e) = a - b + c - d + e, called with constants mixed in.
  std::string Sum5Ty = fnTy({I64, I64, I64, I64, I64}, I64);
  std::string Sub2Ty = fnTy({I64, I64}, I64);
  mustLoad(module({
      func("sum5", {I64, I64, I64, I64, I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), argLocal(2, I64, 1),
            argLocal(3, I64, 2), argLocal(4, I64, 3), argLocal(5, I64, 4)},
           {block(0,
                  {binI(0, "Sub", cp(1), cp(2)), binI(0, "Add", cp(0), cp(3)),
                   binI(0, "Sub", cp(0), cp(4)), binI(0, "Add", cp(0), cp(5))},
                  retT())}),
      func("sub2", {I64, I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), argLocal(2, I64, 1)},
           {block(0, {binI(0, "Sub", cp(1), cp(2))}, retT())}),
      func("zero_args", {}, I64, {retLocal(0, I64)},
           {block(0, {}, retT(k("3", I64)))}),
      func("main", {I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, I64),
            varLocal(3, I64)},
           {block(0,
                  {callI(2, fnRef("sum5", Sum5Ty),
                         {k("100", I64), cp(1), k("10", I64), cp(1),
                          k("1", I64)}),
                   callI(3, fnRef("sub2", Sub2Ty), {cp(2), k("50", I64)}),
                   callI(2, fnRef("zero_args", fnTy({}, I64)), {}),
                   binI(0, "Mul", cp(3), cp(2))},
                  retT())}),
  }));
  // (100 - x + 10 - x + 1 - 50) * 3 with x = 5
  EXPECT_EQ(run("main", {5}), uint64_t((111 - 10 - 50) * 3));
}

TEST_F(InterpTest, CallDepthIsCountedExactly) {
  mustLoad(module({downFn()}));
  EXPECT_EQ(run("down", {9999}), 9999u); // depth 10000
  EXPECT_EQ(call("down", {10000}),
            error("runtime error in `down`: stack overflow (call depth "
                  "exceeded 10000)"));
  Interp->setMaxCallDepth(50);
  EXPECT_EQ(run("down", {49}), 49u);
  EXPECT_EQ(call("down", {50}),
            error("runtime error in `down`: stack overflow (call depth "
                  "exceeded 50)"));
  Interp->setMaxCallDepth(1);
  EXPECT_EQ(run("down", {0}), 0u);
  EXPECT_EQ(call("down", {1}),
            error("runtime error in `down`: stack overflow (call depth "
                  "exceeded 1)"));
  Interp->setMaxCallDepth(spl::mir::DefaultMaxCallDepth);
  EXPECT_EQ(run("down", {3}), 3u); // usable after the traps
}

TEST_F(InterpTest, DeepRecursionWithLargeFramesSpansStackChunks) {
  // Each frame holds a [i64; 1000] (8 KB); 500 frames need 4 MB of stack,
  // more than one 1 MiB chunk. A frame writes n into its array, recurses,
  // and reads n back.
  std::string Arr = arrTy(I64, 1000), P = ptrTy(Arr);
  mustLoad(module({func(
      "big", {I64}, I64,
      {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, P),
       varLocal(3, ptrTy(I64)), varLocal(4, B), varLocal(5, I64),
       varLocal(6, I64)},
      {block(0,
             {allocI(2, Arr), gepI(3, cp(2), {k("0", I64), k("999", I64)}),
              storeI(cp(3), cp(1)), constI(0, "0", I64),
              binI(4, "Gt", cp(1), k("0", I64))},
             ifT(cp(4), 1, 2)),
       block(1,
             {binI(5, "Sub", cp(1), k("1", I64)),
              callI(0, fnRef("big", UnaryTy), {cp(5)})},
             gotoT(2)),
       block(2, {loadI(6, cp(3)), binI(0, "Add", cp(0), cp(6))}, retT())})}));
  EXPECT_EQ(run("big", {500}), 501u * 250u);
  EXPECT_EQ(run("big", {500}), 501u * 250u); // chunks are reused
  EXPECT_EQ(run("big", {10}), 55u);
  // (guard) 2000 frames (16 MB) exceed the budget of a native stack (8 MiB,
  // docs/HARDENING.md): the JIT's stack-overflow error, not 16 MB taken.
  EXPECT_EQ(call("big", {2000}),
            error("runtime error in `big`: stack overflow (call depth "
                  "exceeded 10000)"));
  EXPECT_EQ(run("big", {10}), 55u);
}

TEST_F(InterpTest, CalleeArrivingLater) {
  mustLoad(module({callerOf("caller", "later")}));
  EXPECT_TRUE(Interp->hasFunction("caller"));
  EXPECT_FALSE(Interp->hasFunction("later"));
  EXPECT_EQ(call("caller"),
            error("runtime error: function `later` is not defined"));
  mustLoad(module({constFn("later", "8")}));
  EXPECT_EQ(run("caller"), 8u);
}

TEST_F(InterpTest, CallingAnUnknownFunctionOrWithWrongArity) {
  EXPECT_EQ(call("nope"), error("runtime error: function `nope` is not defined"));
  mustLoad(module({downFn()}));
  EXPECT_EQ(call("down"), error("function `down` takes 1 argument, got 0"));
}

TEST_F(InterpTest, RedefinitionReplacesTheFunctionForItsCallers) {
  mustLoad(module({constFn("f", "1"), callerOf("g", "f")}));
  EXPECT_EQ(run("g"), 1u);
  mustLoad(module({constFn("f", "2")}));
  EXPECT_EQ(run("g"), 2u);
  EXPECT_EQ(run("f"), 2u);
  // A new signature is visible too.
  mustLoad(module({func("f", {I64}, I64, {retLocal(0, I64), argLocal(1, I64, 0)},
                        {block(0, {}, retT(cp(1)))})}));
  ASSERT_NE(Interp->signature("f"), nullptr);
  EXPECT_EQ(Interp->signature("f")->str(), "fn(i64) -> i64");
  EXPECT_EQ(run("f", {9}), 9u);
}

TEST_F(InterpTest, CallBySymbolId) {
  std::string CalleeTy = fnTy({}, I64);
  mustLoad(module({
      func("seven", {}, I64, {retLocal(0, I64)},
           {block(0, {}, retT(k("7", I64)))}, /*Symbol=*/41),
      func("by_symbol", {}, I64, {retLocal(0, I64)},
           {block(0, {callI(0, k("41", CalleeTy), {})}, retT())},
           /*Symbol=*/42),
      func("by_late_symbol", {}, I64, {retLocal(0, I64)},
           {block(0, {callI(0, k("43", CalleeTy), {})}, retT())},
           /*Symbol=*/44),
  }));
  EXPECT_EQ(run("by_symbol"), 7u);
  EXPECT_EQ(call("by_late_symbol"),
            error("runtime error: function `#43` is not defined"));
  mustLoad(module({func("nine", {}, I64, {retLocal(0, I64)},
                        {block(0, {}, retT(k("9", I64)))}, /*Symbol=*/43)}));
  EXPECT_EQ(run("by_late_symbol"), 9u);
}

TEST_F(InterpTest, BuiltinsPrint) {
  std::string Str = ptrTy(ty("U8"), false);
  mustLoad(module({func(
      "main", {}, I64, {retLocal(0, I64)},
      {block(0,
             {callI(std::nullopt, fnRef("rt_println_i64", UnitOfI64),
                    {k("-42", I64)}),
              callI(std::nullopt, fnRef("rt_print", fnTy({Str}, "null")),
                    {k("\"hello, \"", Str)}),
              callI(std::nullopt, fnRef("rt_println", fnTy({Str}, "null")),
                    {k("\"world\"", Str)}),
              callI(std::nullopt, fnRef("rt_println_f64", fnTy({F64T}, "null")),
                    {k("2.001", F64T)}),
              callI(std::nullopt, fnRef("rt_println_f64", fnTy({F64T}, "null")),
                    {k("13", F64T)})},
             retT(k("0", I64)))})}));
  testing::internal::CaptureStdout();
  Outcome O = call("main");
  std::string Out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(O, value(0));
  EXPECT_EQ(Out, "-42\nhello, world\n2.001\n13.0\n");
}

TEST_F(InterpTest, BuiltinResultsAndDeclaredExterns) {
  std::string MaxTy = fnTy({I64, I64}, I64);
  std::string Externs = R"([{"name": "rt_abs_i64", "signature": )" +
                        sig({I64}, I64) + "}]";
  mustLoad(module(
      {func("main", {I64}, I64,
            {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, I64)},
            {block(0,
                   {callI(2, fnRef("rt_abs_i64", UnaryTy), {cp(1)}),
                    callI(0, fnRef("rt_max_i64", MaxTy), {cp(2), k("10", I64)})},
                   retT())})},
      Externs));
  EXPECT_EQ(run("main", {I(-25)}), 25u);
  EXPECT_EQ(run("main", {I(-3)}), 10u);
}

TEST_F(InterpTest, ExternResolutionFailureLeavesTheInterpreterUnchanged) {
  mustLoad(module({constFn("f", "1")}));
  std::string Err = load(module({
      constFn("f", "5"),
      func("g", {}, I64, {retLocal(0, I64)},
           {block(0,
                  {callI(0, fnRef("rt_nosuchlibxyz_thing", fnTy({}, I64)), {})},
                  retT())}),
  }));
  EXPECT_NE(Err.find("rt_nosuchlibxyz_thing"), std::string::npos) << Err;
  EXPECT_NE(Err.find("libspl_nosuchlibxyz.so"), std::string::npos) << Err;
  EXPECT_EQ(run("f"), 1u);
  EXPECT_FALSE(Interp->hasFunction("g"));

  // A declared extern that is neither a builtin nor an SFFI name.
  std::string Externs = R"([{"name": "my_native", "signature": )" +
                        sig({}, I64) + "}]";
  Err = load(module({func("h", {}, I64, {retLocal(0, I64)},
                          {block(0,
                                 {callI(0, fnRef("my_native", fnTy({}, I64)),
                                        {})},
                                 retT())})},
                    Externs));
  EXPECT_EQ(Err, "cannot resolve extern `my_native`: it is not a runtime "
                 "function or builtin and does not follow the SFFI convention "
                 "rt_<lib>_<name>");
  EXPECT_FALSE(Interp->hasFunction("h"));
}

TEST_F(InterpTest, ExitEndsTheExecutionWithItsCode) {
  mustLoad(module({func(
      "main", {}, I64, {retLocal(0, I64)},
      {block(0,
             {callI(std::nullopt, fnRef("rt_exit", UnitOfI64), {k("3", I64)})},
             R"("Unreachable")")})}));
  auto R = Interp->call("main", {});
  ASSERT_FALSE(bool(R));
  int Code = -1;
  llvm::handleAllErrors(R.takeError(),
                        [&](const ExitRequest &E) { Code = E.code(); });
  EXPECT_EQ(Code, 3);
  mustLoad(module({downFn()}));
  EXPECT_EQ(run("down", {5}), 5u); // the stack was reset by the unwind
}

/// apply(f, x) = f(x) through CallIndirect with signature fn(i64) -> i64.
std::string applyFn() {
  return func("apply", {UnaryTy, I64}, I64,
              {retLocal(0, I64), argLocal(1, UnaryTy, 0), argLocal(2, I64, 1)},
              {block(0, {callIndI(0, cp(1), {cp(2)}, sig({I64}, I64))},
                     retT())});
}

std::string tripleFn() {
  return func("triple", {I64}, I64, {retLocal(0, I64), argLocal(1, I64, 0)},
              {block(0, {binI(0, "Mul", cp(1), k("3", I64))}, retT())});
}

TEST_F(InterpTest, CallIndirectOfMirAndCFunctions) {
  std::string ApplyTy = fnTy({UnaryTy, I64}, I64);
  mustLoad(module({
      applyFn(), tripleFn(),
      func("via_mir", {I64}, I64, {retLocal(0, I64), argLocal(1, I64, 0)},
           {block(0,
                  {callI(0, fnRef("apply", ApplyTy),
                         {fnRef("triple", UnaryTy), cp(1)})},
                  retT())}),
      func("via_c", {I64}, I64, {retLocal(0, I64), argLocal(1, I64, 0)},
           {block(0,
                  {callI(0, fnRef("apply", ApplyTy),
                         {fnRef("rt_abs_i64", UnaryTy), cp(1)})},
                  retT())}),
      // A Call whose callee is a local holding a function pointer.
      func("via_local", {I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, UnaryTy)},
           {block(0,
                  {copyI(2, fnRef("triple", UnaryTy)),
                   R"({"Call": {"dest": 0, "func": {"Copy": 2}, "args": [)" +
                       cp(1) + "]}}"},
                  retT())}),
  }));
  EXPECT_EQ(run("via_mir", {14}), 42u);
  EXPECT_EQ(run("via_c", {I(-14)}), 14u);
  EXPECT_EQ(run("via_local", {5}), 15u);
}

TEST_F(InterpTest, CallIndirectThroughBadPointers) {
  std::string ZeroFn = k(R"("Zero")", UnaryTy);
  std::string NullaryTy = fnTy({}, I64);
  mustLoad(module({
      applyFn(),
      func("null_ptr", {}, I64, {retLocal(0, I64)},
           {block(0, {callIndI(0, ZeroFn, {k("1", I64)}, sig({I64}, I64))},
                  retT())}),
      // A MIR function of another arity through fn(i64) -> i64.
      func("wrong_arity", {}, I64, {retLocal(0, I64), varLocal(1, NullaryTy)},
           {block(0,
                  {copyI(1, fnRef("seven", NullaryTy)),
                   callIndI(0, cp(1), {k("1", I64)}, sig({I64}, I64))},
                  retT())}),
      constFn("seven", "7"),
      // A pointer to a function that has not arrived yet.
      func("to_late", {}, I64, {retLocal(0, I64)},
           {block(0,
                  {callIndI(0, fnRef("late_fn", UnaryTy), {k("4", I64)},
                            sig({I64}, I64))},
                  retT())}),
  }));
  EXPECT_EQ(call("null_ptr"), error("runtime error in `null_ptr`: call "
                                    "through an invalid function pointer"));
  EXPECT_EQ(call("apply", {0, 1}), error("runtime error in `apply`: call "
                                         "through an invalid function pointer"));
  EXPECT_EQ(call("wrong_arity"),
            error("runtime error in `wrong_arity`: call through an invalid "
                  "function pointer"));
  EXPECT_EQ(call("to_late"),
            error("runtime error: function `late_fn` is not defined"));
  mustLoad(module({func("late_fn", {I64}, I64,
                        {retLocal(0, I64), argLocal(1, I64, 0)},
                        {block(0, {binI(0, "Add", cp(1), k("1", I64))},
                               retT())})}));
  EXPECT_EQ(run("to_late"), 5u);
}

TEST_F(InterpTest, Intrinsics) {
  std::string F32T = ty("F32");
  Strs Fns;
  const char *Unary[] = {"sqrt", "sin",   "cos",  "tan",   "exp",
                         "log",  "log2",  "log10", "fabs", "floor",
                         "ceil", "trunc", "round"};
  for (const char *N : Unary) {
    Fns.push_back(func(std::string("d_") + N, {F64T}, F64T,
                       {retLocal(0, F64T), argLocal(1, F64T, 0)},
                       {block(0, {intrI(0, N, {cp(1)})}, retT())}));
    Fns.push_back(func(std::string("s_") + N, {F32T}, F32T,
                       {retLocal(0, F32T), argLocal(1, F32T, 0)},
                       {block(0, {intrI(0, N, {cp(1)})}, retT())}));
  }
  for (const char *N : {"pow", "fmin", "fmax", "copysign"}) {
    Fns.push_back(func(std::string("d_") + N, {F64T, F64T}, F64T,
                       {retLocal(0, F64T), argLocal(1, F64T, 0),
                        argLocal(2, F64T, 1)},
                       {block(0, {intrI(0, N, {cp(1), cp(2)})}, retT())}));
    Fns.push_back(func(std::string("s_") + N, {F32T, F32T}, F32T,
                       {retLocal(0, F32T), argLocal(1, F32T, 0),
                        argLocal(2, F32T, 1)},
                       {block(0, {intrI(0, N, {cp(1), k("2.0", F32T)})},
                              retT())}));
  }
  // An intrinsic whose result is dropped.
  Fns.push_back(func("dropped", {}, I64, {retLocal(0, I64)},
                     {block(0, {intrI(std::nullopt, "sqrt", {k("4.0", F64T)})},
                            retT(k("1", I64)))}));
  mustLoad(module(Fns));
  const double X = 2.75;
  auto D = [&](const char *N) { return run(std::string("d_") + N, {F64(X)}); };
  EXPECT_EQ(D("sqrt"), F64(std::sqrt(X)));
  EXPECT_EQ(D("sin"), F64(std::sin(X)));
  EXPECT_EQ(D("cos"), F64(std::cos(X)));
  EXPECT_EQ(D("tan"), F64(std::tan(X)));
  EXPECT_EQ(D("exp"), F64(std::exp(X)));
  EXPECT_EQ(D("log"), F64(std::log(X)));
  EXPECT_EQ(D("log2"), F64(std::log2(X)));
  EXPECT_EQ(D("log10"), F64(std::log10(X)));
  EXPECT_EQ(run("d_fabs", {F64(-X)}), F64(X));
  EXPECT_EQ(D("floor"), F64(2.0));
  EXPECT_EQ(D("ceil"), F64(3.0));
  EXPECT_EQ(run("d_trunc", {F64(-X)}), F64(-2.0));
  EXPECT_EQ(run("d_round", {F64(2.5)}), F64(3.0)); // half away from zero
  EXPECT_EQ(run("d_round", {F64(-2.5)}), F64(-3.0));
  EXPECT_EQ(run("d_pow", {F64(2.0), F64(0.5)}), F64(std::pow(2.0, 0.5)));
  EXPECT_EQ(run("d_fmin", {F64(1.0), F64(-1.0)}), F64(-1.0));
  EXPECT_EQ(run("d_fmax", {F64(1.0), F64(-1.0)}), F64(1.0));
  EXPECT_EQ(run("d_copysign", {F64(3.0), F64(-0.0)}), F64(-3.0));
  const float Y = 2.75f;
  EXPECT_EQ(run("s_sqrt", {F32(Y)}), F32(std::sqrt(Y)));
  EXPECT_EQ(run("s_exp", {F32(Y)}), F32(std::exp(Y)));
  EXPECT_EQ(run("s_floor", {F32(Y)}), F32(2.0f));
  EXPECT_EQ(run("s_round", {F32(-Y)}), F32(-3.0f));
  EXPECT_EQ(run("s_pow", {F32(3.0f), 0}), F32(9.0f));
  EXPECT_EQ(run("s_fmax", {F32(1.0f), 0}), F32(2.0f));
  EXPECT_EQ(run("s_copysign", {F32(-1.5f), 0}), F32(1.5f));
  EXPECT_EQ(run("dropped"), 1u);
}

TEST_F(InterpTest, ConcurrentCallsFromFourThreads) {
  std::string ApplyTy = fnTy({UnaryTy, I64}, I64);
  mustLoad(module({
      fibFn(), downFn(), applyFn(),
      // A C function and a MIR function through one CallIndirect.
      func("abs_or_neg", {I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, I64)},
           {block(0,
                  {callI(2, fnRef("apply", ApplyTy),
                         {fnRef("rt_abs_i64", UnaryTy), cp(1)}),
                   callI(0, fnRef("apply", ApplyTy),
                         {fnRef("neg", UnaryTy), cp(2)})},
                  retT())}),
      func("neg", {I64}, I64, {retLocal(0, I64), argLocal(1, I64, 0)},
           {block(0, {unI(0, "Neg", cp(1))}, retT())}),
      func("div", {I64, I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), argLocal(2, I64, 1)},
           {block(0, {binI(0, "Div", cp(1), cp(2))}, retT())}),
  }));
  std::atomic<int> Wrong{0};
  std::vector<std::thread> Threads;
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      for (int R = 0; R < 30; ++R) {
        auto F = Interp->call("fib", {uint64_t(15 + T)});
        const uint64_t Want[] = {610, 987, 1597, 2584};
        if (!F || *F != Want[T])
          ++Wrong;
        if (!F)
          llvm::consumeError(F.takeError());
        auto D = Interp->call("down", {uint64_t(500 * (T + 1))});
        if (!D || *D != uint64_t(500 * (T + 1)))
          ++Wrong;
        if (!D)
          llvm::consumeError(D.takeError());
        auto A = Interp->call("abs_or_neg", {I(-(R + T))});
        if (!A || *A != I(-(R + T)))
          ++Wrong;
        if (!A)
          llvm::consumeError(A.takeError());
        auto Z = Interp->call("div", {uint64_t(R), 0});
        if (Z || llvm::toString(Z.takeError()) !=
                     "runtime error in `div`: attempt to divide by zero")
          ++Wrong;
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Wrong.load(), 0);
}

} // namespace

namespace {

/// P followed by V (built in two steps: GCC 12 warns falsely on
/// "literal" + std::to_string(...)).
std::string named(const char *P, size_t V) {
  std::string S = P;
  S += std::to_string(V);
  return S;
}

TEST_F(InterpTest, BaseCaseGuardsAgreeWithTheCallee) {
  // g(n) = if n OP K { return R } else { return n + 1000 }, where R is a
  // constant or n, for every comparison, signed and unsigned, and K at the
  // ends of the range. Calling g from MIR (which tests the base case without
  // entering g) must give what g computes itself, also for x - 1.
  struct Variant {
    const char *Op, *Ty, *K;
    bool ReturnsArg;
  };
  std::vector<Variant> Variants;
  for (const char *Op : {"Eq", "Ne", "Lt", "Le", "Gt", "Ge"})
    for (const char *Ty : {"I64", "U64"})
      for (bool Arg : {false, true})
        Variants.push_back({Op, Ty, "5", Arg});
  Variants.push_back({"Lt", "U64", "0", false});                    // never
  Variants.push_back({"Gt", "U64", "18446744073709551615", false}); // never
  Variants.push_back({"Lt", "I64", "-9223372036854775808", true});  // never
  Variants.push_back({"Ge", "I64", "-3", false});
  Variants.push_back({"Le", "U64", "18446744073709551615", true}); // always

  Strs Fns;
  for (size_t V = 0; V < Variants.size(); ++V) {
    const Variant &X = Variants[V];
    std::string T = ty(X.Ty), G = named("g", V);
    std::string GTy = fnTy({T}, T);
    Fns.push_back(func(
        G, {T}, T, {retLocal(0, T), argLocal(1, T, 0), varLocal(2, B)},
        {block(0, {binI(2, X.Op, cp(1), k(X.K, T))}, ifT(cp(2), 1, 2)),
         block(1, {}, retT(X.ReturnsArg ? cp(1) : k("77", T))),
         block(2, {binI(0, "Add", cp(1), k("1000", T))}, retT())}));
    Fns.push_back(func(named("c", V), {T}, T,
                       {retLocal(0, T), argLocal(1, T, 0)},
                       {block(0, {callI(0, fnRef(G, GTy), {cp(1)})}, retT())}));
    Fns.push_back(func(named("d", V), {T}, T,
                       {retLocal(0, T), argLocal(1, T, 0), varLocal(2, T)},
                       {block(0,
                              {binI(2, "Sub", cp(1), k("1", T)),
                               callI(0, fnRef(G, GTy), {cp(2)})},
                              retT())}));
  }
  mustLoad(module(Fns));
  const uint64_t Ns[] = {0, 1, 4, 5, 6, 7, I(-1), I(-3), I(-4),
                         uint64_t(1) << 63, (uint64_t(1) << 63) - 1};
  for (size_t V = 0; V < Variants.size(); ++V) {
    for (uint64_t N : Ns) {
      EXPECT_EQ(run(named("c", V), {N}), run(named("g", V), {N}))
          << Variants[V].Op << " " << Variants[V].Ty << " " << Variants[V].K
          << " n=" << int64_t(N);
      EXPECT_EQ(run(named("d", V), {N}), run(named("g", V), {N - 1}))
          << Variants[V].Op << " " << Variants[V].Ty << " " << Variants[V].K
          << " n-1 for n=" << int64_t(N);
    }
  }
  // Spot checks written out: Lt I64 5 returning 77 (variant 8), Ge I64 -3
  // (variant 27), Le U64 MAX returning n (variant 28).
  EXPECT_EQ(run("c8", {I(-7)}), 77u);
  EXPECT_EQ(run("c8", {5}), 1005u);
  EXPECT_EQ(run("c27", {I(-4)}), I(996));
  EXPECT_EQ(run("c27", {I(-3)}), 77u);
  EXPECT_EQ(run("c28", {I(-2)}), I(-2));
}

TEST_F(InterpTest, BaseCaseGuardRespectsCallDepthAndRedefinition) {
  // leaf(n) = if n == 0 { return 9 } else ...; a call that would be its
  // base case still counts as a call for the depth limit, and a redefined
  // leaf without that base case is called for real.
  std::string LeafTy = fnTy({I64}, I64);
  mustLoad(module({
      func("leaf", {I64}, I64,
           {retLocal(0, I64), argLocal(1, I64, 0), varLocal(2, B)},
           {block(0, {binI(2, "Eq", cp(1), k("0", I64))}, ifT(cp(2), 1, 2)),
            block(1, {}, retT(k("9", I64))), block(2, {}, retT(k("1", I64)))}),
      func("caller", {I64}, I64, {retLocal(0, I64), argLocal(1, I64, 0)},
           {block(0, {callI(0, fnRef("leaf", LeafTy), {cp(1)})}, retT())}),
  }));
  EXPECT_EQ(run("caller", {0}), 9u);
  Interp->setMaxCallDepth(1);
  EXPECT_EQ(call("caller", {0}),
            error("runtime error in `leaf`: stack overflow (call depth "
                  "exceeded 1)"));
  Interp->setMaxCallDepth(spl::mir::DefaultMaxCallDepth);
  mustLoad(module({func("leaf", {I64}, I64,
                        {retLocal(0, I64), argLocal(1, I64, 0)},
                        {block(0, {binI(0, "Add", cp(1), k("40", I64))},
                               retT())})}));
  EXPECT_EQ(run("caller", {0}), 40u);
}

} // namespace
