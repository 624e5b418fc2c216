//===- PassesCleanupTest.cpp - constfold, cse, algsimp, licm --------------===//
//
// Before/after checks of the cleanup passes on lowered programs (the IR
// lowering really produces), plus hand-built modules for the cases lowering
// never emits (two loads of one column, a cast to the same type) and for the
// exact folding rules. Every test runs the verifier after the pass: a pass
// that breaks the information-flow invariant fails here.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "sstat/IR/Lower.h"
#include "sstat/IR/Pass.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

using namespace sstat::ir;
using sstat::test::Compiled;

namespace {

const char *Header =
    "t <- input_table(parties = c(\"a\", \"b\"), columns = list("
    "x = num(0, 10), y = num(0, 10), k = int(0, 5), b = bool()))\n";

/// A program, checked and lowered, its calls inlined (no optimization).
struct Lowered {
  Compiled C;
  std::unique_ptr<Module> M;
  explicit Lowered(const std::string &Body) : C(std::string(Header) + Body) {
    if (C.errors() == 0)
      M = sstat::lowerProgram(*C.Prog, C.Result, C.Diags);
    // Calls inlined: the passes under test run after the inline pass.
    if (M)
      runInline(*M);
  }
};

std::string verifyError(const Module &M) {
  std::string Err;
  return verify(M, Err) ? "" : Err;
}

/// Lowers \p Body, runs \p Pass, and checks the module before and after.
#define LOWER_AND_RUN(L, Body, Pass, ExpectChange)                             \
  Lowered L(Body);                                                             \
  ASSERT_TRUE(L.M) << L.C.errorText();                                         \
  ASSERT_EQ(verifyError(*L.M), "") << toString(*L.M);                          \
  EXPECT_EQ(Pass(*L.M), ExpectChange) << toString(*L.M);                       \
  EXPECT_EQ(verifyError(*L.M), "") << toString(*L.M)

unsigned count(Module &M, OpCode C) {
  unsigned N = 0;
  walk(M.body().block(), [&](Op &O) { N += O.code() == C; });
  return N;
}

unsigned countIn(Block &B, OpCode C) {
  unsigned N = 0;
  walk(B, [&](Op &O) { N += O.code() == C; });
  return N;
}

/// The first op with code \p C, in program order.
Op *first(Module &M, OpCode C) {
  Op *Found = nullptr;
  walk(M.body().block(), [&](Op &O) {
    if (!Found && O.code() == C)
      Found = &O;
  });
  return Found;
}

/// What the (first) publish discloses.
Value *published(Module &M) {
  Op *P = first(M, OpCode::Publish);
  return P ? P->operand(0) : nullptr;
}

Type pint() { return Type::scalar(Sec::Public, Elem::Int); }
Type sint() { return Type::scalar(Sec::Secret, Elem::Int); }
Type pbool() { return Type::scalar(Sec::Public, Elem::Bool); }
Type pfix(unsigned S = 16) { return Type::scalar(Sec::Public, Elem::Fix, S); }
Type sfix(unsigned S = 16) { return Type::scalar(Sec::Secret, Elem::Fix, S); }
Type svec(unsigned S = 16) {
  return Type::vector(Sec::Secret, Elem::Fix, S, Dim::sym("n.t"));
}

/// Builds modules op by op, for the cases lowering does not produce.
struct Builder {
  Module M;
  Block *B = &M.body().block();

  Builder() {
    M.Parties = {"a", "b"};
    InputTable T;
    T.Name = "t";
    T.Parties = {"a", "b"};
    T.Columns.push_back({"x", "num", 0, 10, {}});
    T.Columns.push_back({"y", "num", 0, 10, {}});
    M.Inputs.push_back(T);
  }

  Op *op(OpCode C, std::vector<Value *> Operands, std::vector<Type> Results,
         std::map<std::string, Attr> Attrs = {}) {
    auto O = std::make_unique<Op>(C, llvm::SMLoc());
    for (Value *V : Operands)
      O->addOperand(V);
    for (Type &T : Results)
      O->addResult(T);
    O->Attrs = std::move(Attrs);
    return B->append(std::move(O));
  }
  Value *val(OpCode C, std::vector<Value *> Operands, Type T,
             std::map<std::string, Attr> Attrs = {}) {
    return op(C, std::move(Operands), {std::move(T)}, std::move(Attrs))
        ->result();
  }
  Value *cst(double V, Type T) {
    return val(OpCode::Const, {}, std::move(T), {{"value", V}});
  }
  Value *input(const std::string &Col) {
    return val(OpCode::Input, {}, svec(),
               {{"table", std::string("t")}, {"column", Col}});
  }
  /// Keeps \p V alive (a use with an effect).
  Op *publish(Value *V) {
    return op(OpCode::Publish, {V}, {},
              {{"to", std::vector<std::string>{"b"}}});
  }
};

/// The value of \p V if it is a constant, else NaN.
double constOf(const Value *V) {
  if (V->def() && V->def()->code() == OpCode::Const)
    return V->def()->numAttr("value");
  return std::nan("");
}

} // namespace

//===----------------------------------------------------------------------===//
// constfold
//===----------------------------------------------------------------------===//

TEST(ConstFoldTest, FoldsPublicArithmeticAndSelect) {
  // abs() lowers to lt, neg and select, which lowering does not fold.
  LOWER_AND_RUN(L, "k <- abs(-3)\npublish(sum(t$x) + k, to = \"b\")\n",
                runConstFold, true);
  EXPECT_EQ(count(*L.M, OpCode::Neg), 0u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Select), 0u) << toString(*L.M);
  // The published sum adds the folded 3 (converted to fixed point).
  Op *Add = published(*L.M)->def();
  ASSERT_EQ(Add->code(), OpCode::Add);
  EXPECT_EQ(constOf(Add->operand(1)), 3.0) << toString(*L.M);
  EXPECT_EQ(Add->operand(1)->type(), pfix()) << toString(*L.M);
  EXPECT_FALSE(runConstFold(*L.M)) << "a second run finds nothing";
}

TEST(ConstFoldTest, InlinesTheTakenBranchOfAConstantIf) {
  LOWER_AND_RUN(L,
                "s <- sum(t$x)\nk <- abs(-3)\n"
                "if (k > 2) { s <- s + 1 } else { s <- s * 5 }\n"
                "publish(s, to = \"b\")\n",
                runConstFold, true);
  EXPECT_EQ(count(*L.M, OpCode::If), 0u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Mul), 0u) << "the else branch is gone";
  Op *Add = published(*L.M)->def();
  ASSERT_TRUE(Add && Add->code() == OpCode::Add) << toString(*L.M);
  EXPECT_EQ(Add->parentBlock(), &L.M->body().block());
  EXPECT_EQ(Add->operand(0)->def()->code(), OpCode::Sum);
}

TEST(ConstFoldTest, TakesTheElseBranch) {
  LOWER_AND_RUN(L,
                "s <- sum(t$x)\nk <- abs(-3)\n"
                "if (k > 4) { s <- s + 1 } else { s <- s * 5 }\n"
                "publish(s, to = \"b\")\n",
                runConstFold, true);
  EXPECT_EQ(count(*L.M, OpCode::If), 0u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Add), 0u) << toString(*L.M);
  EXPECT_EQ(published(*L.M)->def()->code(), OpCode::Mul) << toString(*L.M);
}

TEST(ConstFoldTest, EmptyLoopGivesItsInitialValues) {
  // seq_len(k - 3) is empty only once abs(-3) is folded.
  LOWER_AND_RUN(L,
                "s <- sum(t$x)\nk <- abs(-3)\n"
                "for (i in seq_len(k - 3)) { s <- s * 2 }\n"
                "publish(s, to = \"b\")\n",
                runConstFold, true);
  EXPECT_EQ(count(*L.M, OpCode::For), 0u) << toString(*L.M);
  EXPECT_EQ(published(*L.M)->def()->code(), OpCode::Sum) << toString(*L.M);
}

TEST(ConstFoldTest, KeepsLoopsThatRun) {
  LOWER_AND_RUN(L,
                "s <- sum(t$x)\nk <- abs(-3)\n"
                "for (i in seq_len(k - 2)) { s <- s * 2 }\n"
                "publish(s, to = \"b\")\n",
                runConstFold, true);
  EXPECT_EQ(count(*L.M, OpCode::For), 1u) << toString(*L.M);
}

TEST(ConstFoldTest, NonFiniteResultsStay) {
  LOWER_AND_RUN(L,
                "k <- abs(-3)\n"
                "publish(sum(t$x) + sqrt(k - 4) + log(k - 3), to = \"b\")\n",
                runConstFold, true);
  EXPECT_EQ(count(*L.M, OpCode::Sqrt), 1u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Log), 1u) << toString(*L.M);
}

/// Folds one op over constant operands; returns the resulting constant's op
/// (null if nothing was folded).
static const Op *foldOne(OpCode C, std::vector<std::pair<double, Type>> Args,
                         Type Result, std::map<std::string, Attr> Attrs = {}) {
  static std::vector<std::unique_ptr<Builder>> Keep;
  Keep.push_back(std::make_unique<Builder>());
  Builder &B = *Keep.back();
  std::vector<Value *> Ops;
  for (auto &[V, T] : Args)
    Ops.push_back(B.cst(V, T));
  Value *R = B.val(C, Ops, Result, Attrs);
  B.publish(R);
  std::string Before = verifyError(B.M);
  EXPECT_EQ(Before, "");
  bool Changed = runConstFold(B.M);
  EXPECT_EQ(verifyError(B.M), "") << toString(B.M);
  if (!Changed)
    return nullptr;
  Value *P = first(B.M, OpCode::Publish)->operand(0);
  EXPECT_EQ(P->type(), Result) << "the result keeps its type";
  return P->def()->code() == OpCode::Const ? P->def() : nullptr;
}

static double folded(OpCode C, std::vector<std::pair<double, Type>> Args,
                     Type Result, std::map<std::string, Attr> Attrs = {}) {
  const Op *K = foldOne(C, std::move(Args), std::move(Result), Attrs);
  return K ? K->numAttr("value") : std::nan("");
}

TEST(ConstFoldTest, IntegersStayIntegral) {
  EXPECT_EQ(folded(OpCode::Add, {{2, pint()}, {3, pint()}}, pint()), 5.0);
  EXPECT_EQ(folded(OpCode::Sub, {{2, pint()}, {3, pint()}}, pint()), -1.0);
  EXPECT_EQ(folded(OpCode::Mul, {{-4, pint()}, {3, pint()}}, pint()), -12.0);
  EXPECT_EQ(folded(OpCode::Neg, {{7, pint()}}, pint()), -7.0);
  // Past 2^53 a double is no longer exact: left to the run time.
  EXPECT_EQ(foldOne(OpCode::Mul, {{1e9, pint()}, {1e9, pint()}}, pint()),
            nullptr);
}

TEST(ConstFoldTest, CastToIntTruncatesTowardZero) {
  EXPECT_EQ(folded(OpCode::Cast, {{2.7, pfix()}}, pint()), 2.0);
  EXPECT_EQ(folded(OpCode::Cast, {{-2.7, pfix()}}, pint()), -2.0);
  EXPECT_EQ(folded(OpCode::Cast, {{0.5, pfix()}}, pbool()), 1.0);
  EXPECT_EQ(folded(OpCode::Cast, {{0, pint()}}, pbool()), 0.0);
  EXPECT_EQ(folded(OpCode::Cast, {{1, pbool()}}, pfix()), 1.0);
}

TEST(ConstFoldTest, FixedPointKeepsTheScaleInTheType) {
  // fix<16> * fix<16> has scale 32; trunc brings it back to 16.
  EXPECT_EQ(folded(OpCode::Mul, {{1.5, pfix()}, {2.5, pfix()}}, pfix(32)),
            3.75);
  EXPECT_EQ(folded(OpCode::Trunc, {{3.75, pfix(32)}}, pfix(),
                   {{"bits", int64_t(16)}}),
            3.75);
  EXPECT_EQ(folded(OpCode::Div, {{1, pfix()}, {4, pfix()}}, pfix()), 0.25);
  EXPECT_EQ(folded(OpCode::Recip, {{8, pfix()}}, pfix()), 0.125);
  EXPECT_EQ(folded(OpCode::Sqrt, {{2.25, pfix()}}, pfix()), 1.5);
  EXPECT_EQ(folded(OpCode::Exp, {{0, pfix()}}, pfix()), 1.0);
  EXPECT_EQ(folded(OpCode::Log, {{1, pfix()}}, pfix()), 0.0);
  // 2^50 at scale 16 does not fit a 64-bit ring.
  EXPECT_EQ(
      foldOne(OpCode::Mul,
              {{std::ldexp(1.0, 25), pfix()}, {std::ldexp(1.0, 25), pfix()}},
              pfix(32)),
      nullptr);
}

TEST(ConstFoldTest, NonFiniteOrPartialResultsAreNotFolded) {
  EXPECT_EQ(foldOne(OpCode::Div, {{1, pfix()}, {0, pfix()}}, pfix()), nullptr);
  EXPECT_EQ(foldOne(OpCode::Recip, {{0, pfix()}}, pfix()), nullptr);
  EXPECT_EQ(foldOne(OpCode::Sqrt, {{-1, pfix()}}, pfix()), nullptr);
  EXPECT_EQ(foldOne(OpCode::Log, {{0, pfix()}}, pfix()), nullptr);
  EXPECT_EQ(foldOne(OpCode::Exp, {{1e6, pfix()}}, pfix()), nullptr);
}

TEST(ConstFoldTest, ComparisonsAndLogicAreZeroOrOne) {
  EXPECT_EQ(folded(OpCode::Lt, {{1, pint()}, {2, pint()}}, pbool()), 1.0);
  EXPECT_EQ(folded(OpCode::Lt, {{2, pint()}, {2, pint()}}, pbool()), 0.0);
  EXPECT_EQ(folded(OpCode::Le, {{2, pint()}, {2, pint()}}, pbool()), 1.0);
  EXPECT_EQ(folded(OpCode::Eq, {{0.5, pfix()}, {0.5, pfix()}}, pbool()), 1.0);
  EXPECT_EQ(folded(OpCode::Not, {{1, pbool()}}, pbool()), 0.0);
  EXPECT_EQ(folded(OpCode::And, {{1, pbool()}, {0, pbool()}}, pbool()), 0.0);
  EXPECT_EQ(folded(OpCode::Or, {{1, pbool()}, {0, pbool()}}, pbool()), 1.0);
  EXPECT_EQ(
      folded(OpCode::Select, {{0, pbool()}, {4, pint()}, {5, pint()}}, pint()),
      5.0);
}

TEST(ConstFoldTest, FilledConstantsFoldToTheirShape) {
  Builder B;
  Type V3 = Type::vector(Sec::Public, Elem::Int, 0, Dim::constant(3));
  Value *R = B.val(OpCode::Add, {B.cst(2, V3), B.cst(5, pint())}, V3);
  B.publish(R);
  EXPECT_TRUE(runConstFold(B.M));
  EXPECT_EQ(verifyError(B.M), "");
  Value *P = first(B.M, OpCode::Publish)->operand(0);
  EXPECT_EQ(constOf(P), 7.0);
  EXPECT_EQ(P->type(), V3);
}

TEST(ConstFoldTest, SecretResultsStay) {
  // A cast to secret of a constant cannot become a (public) constant.
  Builder B;
  Value *S = B.val(OpCode::Cast, {B.cst(3, pint())}, sint());
  B.publish(S);
  EXPECT_FALSE(runConstFold(B.M));
  EXPECT_EQ(verifyError(B.M), "");
}

TEST(ConstFoldTest, SelectOnAConstantPicksAnOperand) {
  Builder B;
  Value *X = B.val(OpCode::Sum, {B.input("x")}, sfix());
  Value *One = B.cst(1, pfix());
  Value *Sel = B.val(OpCode::Select, {B.cst(1, pbool()), One, X}, sfix());
  B.publish(Sel);
  EXPECT_TRUE(runConstFold(B.M));
  EXPECT_EQ(verifyError(B.M), "") << toString(B.M);
  // The public 1 stands for a secret result: it is cast, never bare.
  Value *P = first(B.M, OpCode::Publish)->operand(0);
  ASSERT_EQ(P->def()->code(), OpCode::Cast) << toString(B.M);
  EXPECT_EQ(P->def()->operand(0), One);
  EXPECT_EQ(P->type(), sfix());
}

//===----------------------------------------------------------------------===//
// cse
//===----------------------------------------------------------------------===//

TEST(CSETest, MergesCommutedProducts) {
  LOWER_AND_RUN(L,
                "x <- t$x\ny <- t$y\n"
                "publish(sum(x * y) + sum(y * x), to = \"b\")\n",
                runCSE, true);
  EXPECT_EQ(count(*L.M, OpCode::Mul), 1u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Trunc), 1u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Sum), 1u) << toString(*L.M);
  Op *Add = published(*L.M)->def();
  EXPECT_EQ(Add->operand(0), Add->operand(1)) << toString(*L.M);
  EXPECT_FALSE(runCSE(*L.M));
}

TEST(CSETest, MergesEqualConstantsOnly) {
  LOWER_AND_RUN(L,
                "n <- nrow(t)\npublish(sum(t$x) + n * 2 + n * 2.5 + "
                "n * 2, to = \"b\")\n",
                runCSE, true);
  // n * 2 twice is one product; n * 2.5 (a fix<16> constant) differs.
  EXPECT_EQ(count(*L.M, OpCode::Mul), 2u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::NRows), 1u) << toString(*L.M);
}

TEST(CSETest, OperandOrderMattersForNonCommutativeOps) {
  LOWER_AND_RUN(L,
                "x <- sum(t$x)\ny <- sum(t$y)\n"
                "publish((x - y) + (y - x) + (x - y), to = \"b\")\n",
                runCSE, true);
  EXPECT_EQ(count(*L.M, OpCode::Sub), 2u) << toString(*L.M);
}

TEST(CSETest, ReusesAValueComputedBeforeALoop) {
  LOWER_AND_RUN(L,
                "x <- t$x\nn <- nrow(t)\nw <- n * 2\ns <- sum(x) * w\n"
                "for (i in 1:10) { s <- s + x[i] * (n * 2) }\n"
                "publish(s, to = \"b\")\n",
                runCSE, true);
  Op *For = first(*L.M, OpCode::For);
  ASSERT_TRUE(For);
  Block &Body = For->region(0).block();
  EXPECT_EQ(countIn(Body, OpCode::Const), 0u) << toString(*L.M);
  // Inside the loop only the element times the outer n * 2 remains.
  EXPECT_EQ(countIn(Body, OpCode::Mul), 1u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Mul), 3u) << toString(*L.M);
}

TEST(CSETest, RegionValuesDoNotLeak) {
  // n * 3 in the then branch, the else branch and after the if: three
  // scopes, none dominating another.
  LOWER_AND_RUN(L,
                "n <- nrow(t)\na <- 0\n"
                "if (n > 5) { a <- n * 3 } else { a <- n * 3 + 1 }\n"
                "publish(sum(t$x) + a + n * 3, to = \"b\")\n",
                runCSE, false);
  EXPECT_EQ(count(*L.M, OpCode::Mul), 3u) << toString(*L.M);
}

TEST(CSETest, MergesLoadsOfTheSameColumn) {
  Builder B;
  Value *X1 = B.input("x");
  Value *Y = B.input("y");
  Value *X2 = B.input("x");
  B.publish(B.val(OpCode::Sum, {X1}, sfix()));
  B.publish(B.val(OpCode::Sum, {Y}, sfix()));
  B.publish(B.val(OpCode::Sum, {X2}, sfix()));
  EXPECT_TRUE(runCSE(B.M));
  EXPECT_EQ(verifyError(B.M), "") << toString(B.M);
  EXPECT_EQ(count(B.M, OpCode::Input), 2u) << toString(B.M);
  EXPECT_EQ(count(B.M, OpCode::Sum), 2u) << toString(B.M);
}

TEST(CSETest, NeverMergesDisclosures) {
  Builder B;
  Value *S = B.val(OpCode::Sum, {B.input("x")}, sfix());
  Value *R1 = B.val(OpCode::Reveal, {S}, pfix());
  Value *R2 = B.val(OpCode::Reveal, {S}, pfix());
  B.publish(B.val(OpCode::Add, {R1, R2}, pfix()));
  B.publish(S);
  B.publish(S);
  EXPECT_FALSE(runCSE(B.M));
  EXPECT_EQ(count(B.M, OpCode::Reveal), 2u);
  EXPECT_EQ(count(B.M, OpCode::Publish), 3u);
}

TEST(CSETest, AttributesAndTypesMustMatch) {
  Builder B;
  Value *P = B.val(OpCode::Mul, {B.input("x"), B.input("y")}, svec(32));
  Value *T16 = B.val(OpCode::Trunc, {P}, svec(16), {{"bits", int64_t(16)}});
  Value *T8 = B.val(OpCode::Trunc, {P}, svec(24), {{"bits", int64_t(8)}});
  Value *C1 = B.cst(1, pint());
  Value *C2 = B.cst(1, pfix());
  B.publish(T16);
  B.publish(T8);
  B.publish(C1);
  B.publish(C2);
  EXPECT_FALSE(runCSE(B.M)) << toString(B.M);
  EXPECT_EQ(count(B.M, OpCode::Trunc), 2u);
  EXPECT_EQ(count(B.M, OpCode::Const), 2u);
}

//===----------------------------------------------------------------------===//
// algsimp
//===----------------------------------------------------------------------===//

/// The operand of the sum that is published, after algsimp.
static Value *summed(Lowered &L) {
  Op *Sum = published(*L.M)->def();
  EXPECT_EQ(Sum->code(), OpCode::Sum) << toString(*L.M);
  return Sum->operand(0);
}

TEST(AlgSimpTest, AddingOrSubtractingZero) {
  for (const char *E : {"x + 0", "0 + x", "x - 0"}) {
    LOWER_AND_RUN(
        L, std::string("x <- t$x\npublish(sum(") + E + "), to = \"b\")\n",
        runAlgSimp, true);
    EXPECT_EQ(summed(L)->def()->code(), OpCode::Input) << E;
  }
}

TEST(AlgSimpTest, MultiplyingByOne) {
  // An int 1, and a fix<16> 1.0: the product has scale 32 and is truncated.
  for (const char *E : {"x * 1", "1 * x", "x * (1.5 - 0.5)"}) {
    LOWER_AND_RUN(
        L, std::string("x <- t$x\npublish(sum(") + E + "), to = \"b\")\n",
        runAlgSimp, true);
    EXPECT_EQ(summed(L)->def()->code(), OpCode::Input) << E;
  }
}

TEST(AlgSimpTest, OneAtTheWrongScaleStays) {
  Builder B;
  Value *X = B.input("x");
  // x * 1.0 (fix<16>) without the trunc still has scale 32.
  Value *P = B.val(OpCode::Mul, {X, B.cst(1, pfix())}, svec(32));
  B.publish(P);
  // trunc by 8 bits of x * 1.0 at scale 16 is not x.
  Value *T = B.val(OpCode::Trunc, {P}, svec(24), {{"bits", int64_t(8)}});
  B.publish(T);
  EXPECT_FALSE(runAlgSimp(B.M)) << toString(B.M);
}

TEST(AlgSimpTest, SecretTimesZeroIsASecretZero) {
  LOWER_AND_RUN(L,
                "x <- t$x\npublish(sum(x * 0) + sum(x * (0.5 - 0.5)), "
                "to = \"b\")\n",
                runAlgSimp, true);
  // Neither a multiplication nor a truncation (an interactive op) is left.
  // Each product is a public constant cast to secret; the sums of zeros
  // and their sum are zeros too.
  EXPECT_EQ(count(*L.M, OpCode::Mul), 0u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Trunc), 0u) << toString(*L.M);
  Value *P = published(*L.M);
  ASSERT_EQ(P->def()->code(), OpCode::Cast) << toString(*L.M);
  EXPECT_EQ(P->type(), sfix());
  EXPECT_EQ(constOf(P->def()->operand(0)), 0.0);
  EXPECT_EQ(P->def()->operand(0)->type(), pfix());
}

TEST(AlgSimpTest, ZeroVectorsKeepTheirShape) {
  Builder B;
  Value *X = B.input("x");
  Value *P = B.val(OpCode::Mul, {X, B.cst(0, pfix())}, svec(32));
  B.publish(P);
  EXPECT_TRUE(runAlgSimp(B.M));
  EXPECT_EQ(verifyError(B.M), "") << toString(B.M);
  Value *Z = first(B.M, OpCode::Publish)->operand(0);
  ASSERT_EQ(Z->def()->code(), OpCode::Cast) << toString(B.M);
  EXPECT_EQ(Z->type(), svec(32));
  EXPECT_EQ(Z->def()->operand(0)->type(), svec(32).withSec(Sec::Public));
}

TEST(AlgSimpTest, PublicTimesZeroIsAConstant) {
  Builder B;
  Value *N = B.val(OpCode::NRows, {}, pint(), {{"table", std::string("t")}});
  B.publish(B.val(OpCode::Mul, {N, B.cst(0, pint())}, pint()));
  EXPECT_TRUE(runAlgSimp(B.M));
  EXPECT_EQ(verifyError(B.M), "") << toString(B.M);
  Value *Z = first(B.M, OpCode::Publish)->operand(0);
  EXPECT_EQ(constOf(Z), 0.0) << toString(B.M);
  EXPECT_EQ(Z->type(), pint()) << "public: no cast";
}

TEST(AlgSimpTest, ZerosChain) {
  // n * 0 is 0; its conversion to fix is still 0; sum(x) + 0 is sum(x).
  LOWER_AND_RUN(L, "n <- nrow(t)\npublish(sum(t$x) + n * 0, to = \"b\")\n",
                runAlgSimp, true);
  EXPECT_EQ(published(*L.M)->def()->code(), OpCode::Sum) << toString(*L.M);
}

TEST(AlgSimpTest, SubtractingItself) {
  LOWER_AND_RUN(L, "s <- sum(t$x)\npublish(s - s, to = \"b\")\n", runAlgSimp,
                true);
  Value *P = published(*L.M);
  ASSERT_EQ(P->def()->code(), OpCode::Cast) << toString(*L.M);
  EXPECT_EQ(P->type(), sfix());
  EXPECT_EQ(constOf(P->def()->operand(0)), 0.0);
}

TEST(AlgSimpTest, DoubleNegationAndNot) {
  LOWER_AND_RUN(L,
                "x <- t$x\nb <- t$b\n"
                "publish(sum(-(-x)) + sum(ifelse(!(!b), x, x)), to = \"b\")\n",
                runAlgSimp, true);
  Op *Add = published(*L.M)->def();
  EXPECT_EQ(Add->operand(0)->def()->operand(0)->def()->code(), OpCode::Input)
      << toString(*L.M);
  EXPECT_EQ(Add->operand(1)->def()->operand(0)->def()->code(), OpCode::Input)
      << toString(*L.M);
}

TEST(AlgSimpTest, NotOfNotForSelect) {
  Builder B;
  Type SB = Type::vector(Sec::Secret, Elem::Bool, 0, Dim::sym("n.t"));
  Value *C = B.val(OpCode::Input, {}, SB,
                   {{"table", std::string("t")}, {"column", std::string("b")}});
  Value *N2 = B.val(OpCode::Not, {B.val(OpCode::Not, {C}, SB)}, SB);
  B.publish(N2);
  EXPECT_TRUE(runAlgSimp(B.M));
  EXPECT_EQ(first(B.M, OpCode::Publish)->operand(0), C);
}

TEST(AlgSimpTest, SelectOfAPublicValueUnderASecretCondition) {
  Builder B;
  Type SB = Type::vector(Sec::Secret, Elem::Bool, 0, Dim::sym("n.t"));
  Type PV = Type::vector(Sec::Public, Elem::Fix, 16, Dim::sym("n.t"));
  Value *C = B.val(OpCode::Input, {}, SB,
                   {{"table", std::string("t")}, {"column", std::string("b")}});
  Value *V = B.cst(2.5, PV);
  B.publish(B.val(OpCode::Select, {C, V, V}, svec()));
  EXPECT_TRUE(runAlgSimp(B.M));
  EXPECT_EQ(verifyError(B.M), "") << toString(B.M);
  // The result stays secret: a cast of v, not v.
  Value *S = first(B.M, OpCode::Publish)->operand(0);
  ASSERT_EQ(S->def()->code(), OpCode::Cast) << toString(B.M);
  EXPECT_EQ(S->type(), svec());
  EXPECT_EQ(S->def()->operand(0), V);
}

TEST(AlgSimpTest, SelectThatBroadcastsStays) {
  // ifelse(vector, scalar, scalar) is a vector: neither the scalar nor a
  // cast of it has that shape.
  LOWER_AND_RUN(L, "v <- 2.5\npublish(sum(ifelse(t$b, v, v)), to = \"b\")\n",
                runAlgSimp, false);
}

TEST(AlgSimpTest, CastToTheSameType) {
  Builder B;
  Value *X = B.input("x");
  B.publish(B.val(OpCode::Cast, {X}, svec()));
  Value *Wider = B.val(OpCode::Cast, {X}, svec(20));
  B.publish(Wider);
  EXPECT_TRUE(runAlgSimp(B.M));
  EXPECT_EQ(verifyError(B.M), "");
  EXPECT_EQ(first(B.M, OpCode::Publish)->operand(0), X);
  EXPECT_EQ(count(B.M, OpCode::Cast), 1u) << "a real conversion stays";
}

TEST(AlgSimpTest, BroadcastIsNotIdentity) {
  // A scalar plus a zero vector is a vector: the scalar cannot replace it.
  Builder B;
  Value *S = B.val(OpCode::Sum, {B.input("x")}, sfix());
  Value *Z =
      B.cst(0, Type::vector(Sec::Public, Elem::Fix, 16, Dim::sym("n.t")));
  B.publish(B.val(OpCode::Add, {S, Z}, svec()));
  EXPECT_FALSE(runAlgSimp(B.M)) << toString(B.M);
}

//===----------------------------------------------------------------------===//
// licm
//===----------------------------------------------------------------------===//

TEST(LICMTest, HoistsPublicBookkeeping) {
  LOWER_AND_RUN(L,
                "x <- t$x\nn <- nrow(t)\ns <- sum(x)\n"
                "for (i in 1:10) { w <- n * 2\n s <- s + x[i] * w }\n"
                "publish(s, to = \"b\")\n",
                runLICM, true);
  Op *For = first(*L.M, OpCode::For);
  Block &Body = For->region(0).block();
  EXPECT_EQ(countIn(Body, OpCode::Const), 0u) << toString(*L.M);
  // Left in the body: x[i] (uses i), its product, the accumulation.
  EXPECT_EQ(Body.ops().size(), 4u) << toString(*L.M);
  EXPECT_FALSE(runLICM(*L.M));
}

TEST(LICMTest, HoistsSecretInvariantsOutOfNests) {
  LOWER_AND_RUN(L,
                "x <- t$x\ny <- t$y\ns <- sum(x)\n"
                "for (i in 1:3) { for (j in 1:4) { s <- s + sum(x * y) } }\n"
                "publish(s, to = \"b\")\n",
                runLICM, true);
  // x * y, its trunc and its sum leave both loops.
  Op *Outer = first(*L.M, OpCode::For);
  for (OpCode C : {OpCode::Mul, OpCode::Trunc, OpCode::Sum})
    EXPECT_EQ(countIn(Outer->region(0).block(), C), 0u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Sum), 2u);
}

TEST(LICMTest, NeverHoistsOutOfAnIf) {
  LOWER_AND_RUN(L,
                "x <- t$x\nn <- nrow(t)\ns <- sum(x)\n"
                "for (i in 1:10) { if (i > 5) { s <- s + n * 7 } }\n"
                "publish(s, to = \"b\")\n",
                runLICM, true); // the comparison's constant 5 moves
  Op *If = first(*L.M, OpCode::If);
  ASSERT_TRUE(If);
  EXPECT_EQ(countIn(If->region(0).block(), OpCode::Mul), 1u) << toString(*L.M);
}

TEST(LICMTest, OpsThatMayFailLeaveOnlyLoopsThatRun) {
  // x[2] fails at run time when x is shorter: seq_len(n) may not run at
  // all, 1:10 runs.
  LOWER_AND_RUN(L,
                "x <- t$x\nn <- nrow(t)\ns <- sum(x)\n"
                "for (i in seq_len(n)) { s <- s + x[2] }\n"
                "for (i in 1:10) { s <- s + x[3] }\n"
                "publish(s, to = \"b\")\n",
                runLICM, true);
  std::vector<Op *> Fors;
  walk(L.M->body().block(), [&](Op &O) {
    if (O.code() == OpCode::For)
      Fors.push_back(&O);
  });
  ASSERT_EQ(Fors.size(), 2u);
  EXPECT_EQ(countIn(Fors[0]->region(0).block(), OpCode::Get), 1u)
      << toString(*L.M);
  EXPECT_EQ(countIn(Fors[1]->region(0).block(), OpCode::Get), 0u)
      << toString(*L.M);
}

TEST(LICMTest, VariantOpsStay) {
  LOWER_AND_RUN(L,
                "x <- t$x\ns <- sum(x)\n"
                "for (i in 1:10) { s <- s * 2 + x[i] }\n"
                "publish(s, to = \"b\")\n",
                runLICM, true); // only the constant 2 moves
  Op *For = first(*L.M, OpCode::For);
  Block &Body = For->region(0).block();
  EXPECT_EQ(countIn(Body, OpCode::Const), 0u) << toString(*L.M);
  EXPECT_EQ(countIn(Body, OpCode::Mul), 1u) << toString(*L.M);
  EXPECT_EQ(countIn(Body, OpCode::Get), 1u) << toString(*L.M);
}

//===----------------------------------------------------------------------===//
// all four: what is published does not change
//===----------------------------------------------------------------------===//

namespace {

/// A small reference interpreter for the IR, in doubles: enough to check
/// that a pass keeps what a program publishes. Labels are ignored, a
/// fixed-point value is its real value (trunc is the identity), a cast to int
/// truncates toward zero. Fails (Ok = false) on anything it cannot run.
class Interp {
public:
  using Val = std::vector<double>;
  std::vector<Val> Published;
  bool Ok = true;

  explicit Interp(size_t Rows) : N(Rows) {
    for (size_t I = 0; I < N; ++I) {
      Columns["x"].push_back(1.25 + 1.5 * double(I));
      Columns["y"].push_back(7.0 - 1.75 * double(I));
      Columns["k"].push_back(double(I % 4));
      Columns["b"].push_back(double(I % 2));
    }
  }

  void run(Module &M) { block(M.body().block()); }

private:
  size_t N;
  std::map<std::string, Val> Columns;
  std::map<const Value *, Val> Env; // looked up only

  Val get(const Value *V) {
    auto It = Env.find(V);
    if (It == Env.end()) {
      Ok = false;
      return {0};
    }
    return It->second;
  }

  size_t length(const Type &T) {
    size_t L = 1;
    for (unsigned I = 0; I < T.Rank; ++I) {
      if (T.D[I].K == Dim::Const)
        L *= size_t(T.D[I].N);
      else if (T.D[I].K == Dim::Sym)
        L *= N;
      else
        Ok = false;
    }
    return L;
  }

  static double conv(double X, Elem E) {
    switch (E) {
    case Elem::Bool:
      return X != 0;
    case Elem::Int:
      return std::trunc(X);
    case Elem::Fix:
      return X;
    }
    return X;
  }

  Val elementwise(const Op &O) {
    std::vector<Val> A;
    size_t L = 1;
    for (const Value *V : O.operands()) {
      A.push_back(get(V));
      L = std::max(L, A.back().size());
    }
    Val R(L);
    for (size_t I = 0; I < L; ++I) {
      auto X = [&](unsigned K) { return A[K].size() == 1 ? A[K][0] : A[K][I]; };
      double V = 0;
      switch (O.code()) {
      case OpCode::Add:
        V = X(0) + X(1);
        break;
      case OpCode::Sub:
        V = X(0) - X(1);
        break;
      case OpCode::Neg:
        V = -X(0);
        break;
      case OpCode::Mul:
        V = X(0) * X(1);
        break;
      case OpCode::Trunc:
        V = X(0);
        break;
      case OpCode::Div:
        V = X(0) / X(1);
        break;
      case OpCode::Recip:
        V = 1 / X(0);
        break;
      case OpCode::Sqrt:
        V = std::sqrt(X(0));
        break;
      case OpCode::Rsqrt:
        V = 1 / std::sqrt(X(0));
        break;
      case OpCode::Exp:
        V = std::exp(X(0));
        break;
      case OpCode::Log:
        V = std::log(X(0));
        break;
      case OpCode::Cast:
        V = conv(X(0), O.result()->type().E);
        break;
      case OpCode::Lt:
        V = X(0) < X(1);
        break;
      case OpCode::Le:
        V = X(0) <= X(1);
        break;
      case OpCode::Eq:
        V = X(0) == X(1);
        break;
      case OpCode::Not:
        V = X(0) == 0;
        break;
      case OpCode::And:
        V = X(0) != 0 && X(1) != 0;
        break;
      case OpCode::Or:
        V = X(0) != 0 || X(1) != 0;
        break;
      case OpCode::Select:
        V = X(0) != 0 ? X(1) : X(2);
        break;
      default:
        Ok = false;
      }
      R[I] = V;
    }
    return R;
  }

  /// Runs a region's block; returns what it yields.
  std::vector<Val> block(Block &B) {
    for (auto &O : B.ops()) {
      if (!Ok)
        return {};
      if (O->code() == OpCode::Yield) {
        std::vector<Val> Out;
        for (const Value *V : O->operands())
          Out.push_back(get(V));
        return Out;
      }
      op(*O);
    }
    return {};
  }

  void op(Op &O) {
    auto Set = [&](Val V) { Env[O.result()] = std::move(V); };
    switch (O.code()) {
    case OpCode::Const:
      return Set(Val(length(O.result()->type()), O.numAttr("value")));
    case OpCode::Input:
      return Set(Columns[O.strAttr("column")]);
    case OpCode::InputValid:
      return Set(Val(N, 1));
    case OpCode::NRows:
      return Set({double(N)});
    case OpCode::Sum: {
      double T = 0;
      for (double X : get(O.operand(0)))
        T += X;
      return Set({T});
    }
    case OpCode::Dot: {
      Val A = get(O.operand(0)), B = get(O.operand(1));
      double T = 0;
      for (size_t I = 0; I < A.size() && I < B.size(); ++I)
        T += A[I] * B[I];
      return Set({T});
    }
    case OpCode::Length:
      return Set({double(get(O.operand(0)).size())});
    case OpCode::Get:
    case OpCode::Set: {
      Val A = get(O.operand(0));
      double I = get(O.operand(1))[0];
      if (I < 1 || I > double(A.size())) {
        Ok = false;
        return Set({0});
      }
      if (O.code() == OpCode::Get)
        return Set({A[size_t(I) - 1]});
      A[size_t(I) - 1] = get(O.operand(2))[0];
      return Set(A);
    }
    case OpCode::Concat: {
      Val R;
      for (const Value *V : O.operands())
        for (double X : get(V))
          R.push_back(X);
      return Set(R);
    }
    case OpCode::Reveal:
      return Set(get(O.operand(0)));
    case OpCode::Publish:
      Published.push_back(get(O.operand(0)));
      return;
    case OpCode::For: {
      double Lo = get(O.operand(0))[0], Hi = get(O.operand(1))[0];
      std::vector<Val> Carried;
      for (unsigned I = 2; I < O.numOperands(); ++I)
        Carried.push_back(get(O.operand(I)));
      Block &Body = O.region(0).block();
      for (double I = Lo; I <= Hi && Ok; ++I) {
        Env[Body.argument(0)] = {I};
        for (unsigned K = 0; K < Carried.size(); ++K)
          Env[Body.argument(K + 1)] = Carried[K];
        Carried = block(Body);
      }
      for (unsigned K = 0; K < O.numResults() && K < Carried.size(); ++K)
        Env[O.result(K)] = Carried[K];
      return;
    }
    case OpCode::If: {
      std::vector<Val> R =
          block(O.region(get(O.operand(0))[0] != 0 ? 0 : 1).block());
      for (unsigned K = 0; K < O.numResults() && K < R.size(); ++K)
        Env[O.result(K)] = R[K];
      return;
    }
    case OpCode::MatMul:
    case OpCode::Transpose:
    case OpCode::Yield:
      Ok = false;
      return;
    default:
      return Set(elementwise(O));
    }
  }
};

/// Random programs over the constructs the passes rewrite: constants that
/// fold only in the IR (abs), identities, loops (some empty once folded),
/// branches on public values, repeated subexpressions.
class ProgramGen {
public:
  explicit ProgramGen(unsigned Seed) : R(Seed) {}

  std::string program() {
    std::string S = "x <- t$x\ny <- t$y\nk <- t$k\nb <- t$b\nn <- nrow(t)\n"
                    "s <- sum(x)\np <- 1\ni0 <- 1\n";
    for (int I = 0, E = pick(4) + 1; I < E; ++I)
      S += stmt(0, false) + "\n";
    return S + "publish(s + p, to = \"b\")\n";
  }

private:
  std::mt19937 R;
  int pick(int N) { return int(R() % unsigned(N)); }
  template <size_t K> std::string one(const char *const (&A)[K]) {
    return A[pick(int(K))];
  }

  std::string scalar(int D) {
    static const char *const Leaves[] = {
        "0",           "1",      "2",      "0.5",     "-3",
        "(1.5 - 0.5)", "n",      "s",      "p",       "abs(-3)",
        "abs(-2.5)",   "sum(x)", "sum(k)", "mean(x)", "x[2]"};
    static const char *const Ops[] = {" + ", " - ", " * "};
    static const char *const Units[] = {"0", "1", "(1.5 - 0.5)", "(0.5 - 0.5)"};
    switch (D > 2 ? 0 : pick(8)) {
    case 0:
      return one(Leaves);
    case 1:
      return "(" + scalar(D + 1) + one(Ops) + scalar(D + 1) + ")";
    case 2:
      return "-(" + scalar(D + 1) + ")";
    case 3:
      return "ifelse(" + cond(D + 1) + ", " + scalar(D + 1) + ", " +
             scalar(D + 1) + ")";
    case 4:
      return "sqrt(abs(" + scalar(D + 1) + "))";
    case 5:
      return "(" + scalar(D + 1) + " * " + one(Units) + ")";
    case 6:
      return "sum(" + vector(D + 1) + ")";
    default: {
      std::string A = scalar(D + 1);
      return "(" + A + " - " + A + ")";
    }
    }
  }

  std::string vector(int D) {
    static const char *const Leaves[] = {"x", "y", "k"};
    static const char *const Ops[] = {" + ", " - ", " * "};
    static const char *const Units[] = {"0", "1", "(1.5 - 0.5)"};
    switch (D > 2 ? 0 : pick(5)) {
    case 0:
      return one(Leaves);
    case 1:
      return "(" + vector(D + 1) + one(Ops) +
             (pick(2) ? vector(D + 1) : scalar(D + 1)) + ")";
    case 2:
      return "ifelse(b, " + vector(D + 1) + ", " + vector(D + 1) + ")";
    case 3:
      return "-(" + vector(D + 1) + ")";
    default:
      return "(" + vector(D + 1) + " * " + one(Units) + ")";
    }
  }

  std::string cond(int D) {
    static const char *const Cmp[] = {" < ", " > ", " <= ", " == "};
    return "(" + scalar(D + 1) + one(Cmp) + scalar(D + 1) + ")";
  }

  std::string stmt(int D, bool InLoop) {
    static const char *const Ranges[] = {
        "1:3", "seq_len(n)", "seq_len(abs(-3) - 3)", "seq_len(abs(-2))"};
    static const char *const Pub[] = {"n", "abs(-3)", "3", "p"};
    static const char *const Inc[] = {"1", "n", "abs(-1)", "n * 2"};
    switch (D > 1 ? 0 : pick(4)) {
    case 0:
      return "s <- s + " + scalar(2);
    case 1: {
      std::string V = InLoop ? "j" : "i";
      return "for (" + V + " in " + one(Ranges) + ") {\n i0 <- " + V + "\n " +
             stmt(D + 1, true) + "\n " + stmt(D + 1, true) + "\n}";
    }
    case 2:
      return std::string("if (") + (InLoop ? "i0" : "p") + " < " + one(Pub) +
             ") {\n " + stmt(D + 1, InLoop) + "\n} else {\n " +
             stmt(D + 1, InLoop) + "\n}";
    default:
      return "p <- p + " + one(Inc);
    }
  }
};

bool near(const Interp::Val &A, const Interp::Val &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (!(std::fabs(A[I] - B[I]) <= 1e-9 * std::max(1.0, std::fabs(A[I]))))
      return false;
  return true;
}

} // namespace

TEST(CleanupPassesTest, PublishedValuesDoNotChange) {
  const std::vector<std::vector<std::string>> Pipelines = {
      {"constfold"},
      {"cse"},
      {"algsimp"},
      {"licm"},
      {"constfold", "cse", "algsimp", "licm", "dce"},
      {"licm", "algsimp", "cse", "constfold", "licm", "cse", "dce"}};
  std::vector<std::string> Programs = {
      "x <- t$x\ny <- t$y\nn <- nrow(t)\ns <- 0\n"
      "for (i in 1:5) { s <- s + mean(x) * (n * 2) }\n"
      "publish(s + var(x) + cor(x, y) + sd(y), to = \"b\")\n"};
  for (unsigned Seed = 1; Seed <= 150; ++Seed)
    Programs.push_back(ProgramGen(Seed).program());
  unsigned Ran = 0;
  for (const std::string &Src : Programs) {
    Lowered L0(Src);
    if (!L0.M)
      continue; // constructs lowering does not support yet
    Interp Before(5);
    Before.run(*L0.M);
    if (!Before.Ok)
      continue;
    ++Ran;
    for (const auto &P : Pipelines) {
      Lowered L(Src);
      std::string Err;
      ASSERT_TRUE(runPipeline(*L.M, P, {}, Err)) << Err << "\n" << Src;
      Interp After(5);
      After.run(*L.M);
      ASSERT_TRUE(After.Ok) << Src << toString(*L.M);
      ASSERT_EQ(After.Published.size(), Before.Published.size()) << Src;
      for (size_t I = 0; I < Before.Published.size(); ++I)
        EXPECT_TRUE(near(Before.Published[I], After.Published[I]))
            << "pipeline " << P.front() << "... changed output " << I << " of\n"
            << Src << "from " << Before.Published[I][0] << " to "
            << After.Published[I][0] << "\n"
            << toString(*L.M);
    }
  }
  EXPECT_GT(Ran, 100u) << "too few generated programs lower";
}
