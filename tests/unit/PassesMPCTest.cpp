//===- PassesMPCTest.cpp - cost model, truncdefer, dotfuse, schedule ------===//
//
// The cost model's polynomials and protocol table, the rules that make an op
// interactive, and the three MPC passes on programs as lowering produces
// them (var, cov, cor, sd, mean from the stdlib), with the verifier run
// after every pass. The round counts of the standard statistics are pinned
// here: a change to a protocol formula or to lowering shows up as a diff.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "sstat/Bytecode/Emitter.h"
#include "sstat/IR/Cost.h"
#include "sstat/IR/Lower.h"
#include "sstat/IR/Pass.h"

#include <gtest/gtest.h>

#include <set>

using namespace sstat::ir;
using sstat::test::Compiled;

namespace {

const char *Header =
    "t <- input_table(parties = c(\"a\", \"b\", \"c\"), columns = list("
    "x = num(0, 10), y = num(0, 10), u = num(0, 10), v = num(0, 10), "
    "k = int(0, 5), b = bool()))\n";

/// A program, checked and lowered, its calls inlined (no optimization).
struct Lowered {
  Compiled C;
  std::unique_ptr<Module> M;
  explicit Lowered(const std::string &Body, unsigned Ring = 64,
                   unsigned Frac = 16)
      : C(std::string(Header) + Body) {
    sstat::LowerOptions O;
    O.RingBits = Ring;
    O.FracBits = Frac;
    if (C.errors() == 0)
      M = sstat::lowerProgram(*C.Prog, C.Result, C.Diags, O);
    // Calls inlined: the passes under test run after the inline pass.
    if (M)
      runInline(*M);
  }
};

std::string verifyError(const Module &M) {
  std::string Err;
  return verify(M, Err) ? "" : Err;
}

/// Runs \p Passes with the verifier after each; "" on success.
std::string run(Module &M, std::vector<std::string> Passes) {
  std::string Err;
  return runPipeline(M, Passes, {}, Err) ? "" : Err;
}

#define LOWER(L, ...)                                                          \
  Lowered L(__VA_ARGS__);                                                      \
  ASSERT_TRUE(L.M) << L.C.errorText();                                         \
  ASSERT_EQ(verifyError(*L.M), "") << toString(*L.M)

unsigned count(Module &M, OpCode C) {
  unsigned N = 0;
  walk(M.body().block(), [&](Op &O) { N += O.code() == C; });
  return N;
}

/// Vector-valued ops with code \p C.
unsigned countVectors(Module &M, OpCode C) {
  unsigned N = 0;
  walk(M.body().block(), [&](Op &O) {
    N += O.code() == C && O.numResults() && O.result()->type().Rank > 0;
  });
  return N;
}

/// Ops of kind C on a table's rows (a length that is a row count).
unsigned countRowVectors(Module &M, OpCode C) {
  unsigned N = 0;
  walk(M.body().block(), [&](Op &O) {
    N += O.code() == C && O.numResults() && O.result()->type().Rank > 0 &&
         O.result()->type().D[0].K == Dim::Sym;
  });
  return N;
}

/// The elements all truncations of the module truncate.
Poly truncatedElements(Module &M) {
  Poly N;
  walk(M.body().block(), [&](Op &O) {
    if (O.code() == OpCode::Trunc)
      N += numElements(O.result());
  });
  return N;
}

std::vector<Op *> all(Module &M, OpCode C) {
  std::vector<Op *> Out;
  walk(M.body().block(), [&](Op &O) {
    if (O.code() == C)
      Out.push_back(&O);
  });
  return Out;
}

/// The distinct rounds occupied by the annotated ops of \p B (not nested).
std::set<int64_t> occupiedRounds(Block &B) {
  std::set<int64_t> R;
  for (auto &O : B.ops())
    if (O->hasAttr("round")) {
      int64_t N = O->hasAttr("rounds") ? O->intAttr("rounds") : 1;
      for (int64_t I = 0; I < N; ++I)
        R.insert(O->intAttr("round") + I);
    }
  return R;
}

Poly n() { return Poly::sym("n.t"); }

//===----------------------------------------------------------------------===//
// polynomials
//===----------------------------------------------------------------------===//

TEST(PolyTest, PrintsLikeArithmetic) {
  Poly Cars = Poly::sym("n.cars");
  EXPECT_EQ((Cars * 2 + 3).str(), "2*n.cars + 3");
  EXPECT_EQ((Cars - 1).str(), "n.cars - 1");
  EXPECT_EQ((Poly(1) - Cars).str(), "-n.cars + 1");
  EXPECT_EQ((Cars * Poly::sym("n.a") + Cars).str(), "n.a*n.cars + n.cars");
  EXPECT_EQ((Cars * Cars * 3).str(), "3*n.cars*n.cars");
  EXPECT_EQ(Poly().str(), "0");
  EXPECT_EQ((Cars - Cars).str(), "0");
  EXPECT_TRUE((Cars - Cars).isZero());
  EXPECT_EQ(Poly(-7).str(), "-7");
}

TEST(PolyTest, MaxIsCoefficientwise) {
  Poly N = Poly::sym("n");
  EXPECT_EQ(Poly::max(N * 2, N), N * 2);
  EXPECT_EQ(Poly::max(N, 3).str(), "n + 3");
  EXPECT_EQ(Poly::max(N - 1, 5).str(), "n + 5");
  EXPECT_EQ(Poly::max(7, 5), Poly(7));
}

//===----------------------------------------------------------------------===//
// the protocol table and the rules
//===----------------------------------------------------------------------===//

TEST(CostTableTest, ProtocolFormulasAtRing64And128) {
  struct Expect {
    const char *Name;
    unsigned R64;
    int64_t E64;
    unsigned R128;
    int64_t E128;
  };
  // L = 6 for k = 64, 7 for k = 128.
  const Expect Table[] = {
      {"mult", 1, 1, 1, 1},       {"trunc", 1, 1, 1, 1},
      {"open", 1, 1, 1, 1},       {"compare", 8, 4, 9, 4},
      {"equal", 9, 9, 10, 9},     {"recip", 30, 93, 32, 159},
      {"sqrt", 38, 101, 40, 167}, {"rsqrt", 37, 100, 39, 166},
      {"exp", 22, 33, 23, 36},    {"log", 28, 91, 30, 157},
      {"solve", 0, 0, 0, 0}, // by d: see CostTableTest.Solve
      {"bits", 0, 0, 0, 0},  // by lo + n: see CostTableTest.Bits
      {"trunc.exact", 8, 11, 9, 11},
  };
  ASSERT_EQ(allProtocols().size(), std::size(Table));
  for (size_t I = 0; I < std::size(Table); ++I) {
    const Protocol &P = *allProtocols()[I];
    EXPECT_STREQ(P.Name, Table[I].Name);
    EXPECT_EQ(P.rounds(64), Table[I].R64) << P.Name;
    EXPECT_EQ(P.elements(64), Table[I].E64) << P.Name;
    EXPECT_EQ(P.rounds(128), Table[I].R128) << P.Name;
    EXPECT_EQ(P.elements(128), Table[I].E128) << P.Name;
  }
}

TEST(CostTableTest, Bits) {
  // floor() decomposes the 16 fractional bits of each element: the input
  // round, ceil(log2(15)) = 4 adder levels, the injection; party 0 sends
  // 2 words per level, 1 more, and 2 per injected bit.
  LOWER(L, "publish(floor(t$x), to = \"a\")\n");
  std::vector<Op *> Bits = all(*L.M, OpCode::Bits);
  ASSERT_EQ(Bits.size(), 1u);
  OpComm C = opComm(*Bits[0], *L.M);
  EXPECT_EQ(C.Rounds, 6u);
  EXPECT_EQ(C.Elements.str(), "41*n.t");
  // round() takes one bit more (the parity of the floor): 17 bits, still
  // ceil(log2(16)) = 4 levels.
  LOWER(R, "publish(round(t$x), to = \"a\")\n");
  Bits = all(*R.M, OpCode::Bits);
  ASSERT_EQ(Bits.size(), 1u);
  C = opComm(*Bits[0], *R.M);
  EXPECT_EQ(C.Rounds, 6u);
  EXPECT_EQ(C.Elements.str(), "43*n.t");
}

/// The cost of the op that computes what is published.
OpComm publishedComm(Module &M) {
  Op *P = all(M, OpCode::Publish).front();
  return opComm(*P->operand(0)->def(), M);
}

TEST(CostTableTest, PublicFactorsAreLocal) {
  LOWER(L, "x <- t$x\nn <- nrow(t)\npublish(sum(x * n), to = \"a\")\n"
           "publish(sum(x * t$y), to = \"a\")\n");
  std::vector<Op *> Muls = all(*L.M, OpCode::Mul);
  ASSERT_EQ(Muls.size(), 2u);
  EXPECT_FALSE(opComm(*Muls[0], *L.M).isInteractive());
  OpComm C = opComm(*Muls[1], *L.M);
  ASSERT_TRUE(C.isInteractive());
  EXPECT_EQ(C.Rounds, 1u);
  EXPECT_EQ(C.Elements, n());
  EXPECT_EQ(C.Mults, n());
  // The sums are local, the publishes open one element to one recipient.
  for (Op *S : all(*L.M, OpCode::Sum))
    EXPECT_FALSE(opComm(*S, *L.M).isInteractive());
  for (Op *P : all(*L.M, OpCode::Publish))
    EXPECT_EQ(opComm(*P, *L.M).Elements, Poly(1));
}

TEST(CostTableTest, SelectAndLogicDependOnLabels) {
  LOWER(L, "x <- t$x\nb <- t$b\n"
           "publish(sum(ifelse(b, x, 0)), to = \"a\")\n"
           "v <- c(x[1], x[2])\n"
           "publish(sum(ifelse(c(TRUE, FALSE), v, 0)), to = \"a\")\n"
           "publish(sum(b & (x < 5)), to = \"a\")\n"
           "publish(sum(c(b[1], b[2]) & c(TRUE, FALSE)), to = \"a\")\n");
  std::vector<Op *> Sel = all(*L.M, OpCode::Select),
                    And = all(*L.M, OpCode::And);
  ASSERT_EQ(Sel.size(), 2u);
  ASSERT_EQ(And.size(), 2u);
  EXPECT_EQ(opComm(*Sel[0], *L.M).Elements, n());
  EXPECT_FALSE(opComm(*Sel[1], *L.M).isInteractive());
  EXPECT_EQ(opComm(*And[0], *L.M).Mults, n());
  EXPECT_FALSE(opComm(*And[1], *L.M).isInteractive());
  // x < 5: a comparison per element, L + 2 rounds and 4 elements each.
  OpComm Lt = opComm(*all(*L.M, OpCode::Lt).front(), *L.M);
  EXPECT_EQ(Lt.Rounds, 8u);
  EXPECT_EQ(Lt.Elements, n() * 4);
  EXPECT_TRUE(Lt.Mults.isZero());
}

TEST(CostTableTest, PublishToSeveralRecipients) {
  LOWER(L, "publish(sum(t$x), to = c(\"a\", \"b\"))\n"
           "publish(t$x, to = \"a\")\n");
  std::vector<Op *> P = all(*L.M, OpCode::Publish);
  EXPECT_EQ(opComm(*P[0], *L.M).Elements, Poly(2));
  EXPECT_EQ(opComm(*P[1], *L.M).Elements, n());
}

TEST(CostTableTest, DivisionByAPublicValueIsATruncation) {
  LOWER(L, "publish(mean(t$x), to = \"a\")\n");
  OpComm C = publishedComm(*L.M);
  ASSERT_TRUE(C.isInteractive());
  EXPECT_STREQ(C.Proto->Name, "trunc");
  EXPECT_EQ(C.Elements, Poly(1));
}

//===----------------------------------------------------------------------===//
// totals, loops, lines
//===----------------------------------------------------------------------===//

TEST(CostTest, SumOfProductsBeforeAndAfterFusion) {
  LOWER(L, "publish(sum(t$x * t$y), to = \"a\")\n");
  CostReport Before = computeCost(*L.M);
  // mul (n.t), trunc (n.t), publish (1): three rounds.
  EXPECT_EQ(Before.Elements, n() * 2 + 1);
  EXPECT_EQ(Before.Bytes.str(), "16*n.t + 8");
  EXPECT_EQ(Before.Mults, n());
  EXPECT_EQ(Before.Rounds, Poly(3));
  ASSERT_EQ(run(*L.M, {"truncdefer", "dotfuse"}), "");
  CostReport After = computeCost(*L.M);
  // dot (1), trunc (1), publish (1): independent of n.t.
  EXPECT_FALSE(After.Bytes.mentions("n.t")) << After.Bytes.str();
  EXPECT_EQ(After.Bytes, Poly(24));
  EXPECT_EQ(After.Mults, Poly(1));
  EXPECT_EQ(After.Rounds, Poly(3));
}

TEST(CostTest, DotFusionAloneOnTheLoweredPattern) {
  LOWER(L, "publish(sum(t$x * t$y), to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"dotfuse"}), "");
  EXPECT_EQ(computeCost(*L.M).Bytes, Poly(24)) << toString(*L.M);
}

TEST(CostTest, ConstantLoopMultipliesItsBody) {
  LOWER(L, "x <- t$x\ny <- t$y\ns <- 0\n"
           "for (i in 1:10) { s <- s + x[i] * y[i] }\n"
           "publish(s, to = \"a\")\n");
  CostReport R = computeCost(*L.M);
  // Per iteration a scalar product and its truncation, one after the other.
  EXPECT_EQ(R.Rounds, Poly(10 * 2 + 1));
  EXPECT_EQ(R.Elements, Poly(10 * 2 + 1));
  EXPECT_EQ(R.Mults, Poly(10));
}

TEST(CostTest, SymbolicLoopMultipliesBySymbol) {
  LOWER(L, "x <- t$x\ny <- t$y\ns <- 0\n"
           "for (i in seq_len(nrow(t))) { s <- s + x[i] * y[i] }\n"
           "publish(s, to = \"a\")\n");
  CostReport R = computeCost(*L.M);
  EXPECT_EQ(R.Rounds.str(), "2*n.t + 1");
  EXPECT_EQ(R.Mults.str(), "n.t");
  EXPECT_EQ(R.Bytes.str(), "16*n.t + 8");
}

TEST(CostTest, IfCostsTheDearerBranch) {
  LOWER(L, "x <- t$x\ny <- t$y\ns <- sum(x)\nr <- reveal(s)\n"
           "if (r > 5) { s <- sum(x * y) } else { s <- s * s * s }\n"
           "publish(s, to = \"a\")\n");
  CostReport R = computeCost(*L.M);
  // reveal 1; then: max(then = 2 rounds / 2*n.t elements,
  // else = 4 rounds / 4 elements); publish 1.
  EXPECT_EQ(R.Rounds, Poly(1 + 4 + 1));
  EXPECT_EQ(R.Elements.str(), "2*n.t + 6");
}

TEST(CostTest, PerLineCosts) {
  LOWER(L, "x <- t$x\n"
           "a <- sum(x * t$y)\n"
           "publish(a + sum(t$u * t$v), to = \"a\")\n");
  CostReport R = computeCost(*L.M);
  const llvm::SourceMgr &SM = L.C.SM;
  auto Lines = costByKey(R, [&](llvm::SMLoc Loc) {
    return SM.FindLineNumber(Loc, SM.getMainFileID());
  });
  // Line 1 is the schema; a, the second product and the publish follow.
  ASSERT_EQ(Lines.size(), 2u);
  EXPECT_EQ(Lines[3].Bytes.str(), "16*n.t");
  EXPECT_EQ(Lines[3].Rounds, Poly(2));
  EXPECT_EQ(Lines[4].Bytes.str(), "16*n.t + 8");
  // Its product runs beside line 3's (rounds 1, 2); the publish is round 3.
  EXPECT_EQ(Lines[4].Rounds, Poly(3));
  EXPECT_EQ(R.Rounds, Poly(3));
}

//===----------------------------------------------------------------------===//
// dotfuse
//===----------------------------------------------------------------------===//

TEST(DotFusionTest, VarCovCorSumsOfProductsBecomeDots) {
  struct Case {
    const char *Call;
    unsigned Dots;
  };
  for (Case C : {Case{"var(t$x)", 1}, Case{"cov(t$x, t$y)", 1},
                 Case{"cor(t$x, t$y)", 3}, Case{"sd(t$x)", 1}}) {
    LOWER(L, std::string("publish(") + C.Call + ", to = \"a\")\n");
    ASSERT_EQ(run(*L.M, {"dotfuse"}), "") << C.Call;
    EXPECT_EQ(count(*L.M, OpCode::Dot), C.Dots) << toString(*L.M);
    EXPECT_EQ(countRowVectors(*L.M, OpCode::Mul), 0u) << toString(*L.M);
    EXPECT_EQ(countRowVectors(*L.M, OpCode::Trunc), 0u) << toString(*L.M);
    EXPECT_FALSE(computeCost(*L.M).Bytes.mentions("n.t")) << C.Call;
    for (Op *D : all(*L.M, OpCode::Dot)) {
      EXPECT_EQ(D->result()->type().Scale, 32) << "the scales of x and y add";
      EXPECT_EQ(D->result()->type().Rank, 0);
      Op *T = D->result()->users().front();
      ASSERT_EQ(T->code(), OpCode::Trunc);
      EXPECT_EQ(T->result()->type().Scale, 16);
    }
  }
}

TEST(DotFusionTest, MaskedSumsWithoutTruncation) {
  // complete.obs: sum(.values(x) * w) with an int mask needs no trunc.
  LOWER(L, "publish(sum(t$x * t$k), to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"dotfuse"}), "");
  ASSERT_EQ(count(*L.M, OpCode::Dot), 1u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Trunc), 0u);
  EXPECT_EQ(all(*L.M, OpCode::Dot).front()->result()->type().Scale, 16);
}

TEST(DotFusionTest, SumsOfSeveralProducts) {
  LOWER(L, "publish(sum(t$x * t$y + t$u * t$v - t$x * t$x), to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"truncdefer", "dotfuse"}), "");
  EXPECT_EQ(count(*L.M, OpCode::Dot), 3u) << toString(*L.M);
  EXPECT_EQ(count(*L.M, OpCode::Trunc), 1u) << toString(*L.M);
  EXPECT_EQ(countVectors(*L.M, OpCode::Mul), 0u) << toString(*L.M);
  EXPECT_EQ(computeCost(*L.M).Elements, Poly(3 + 1 + 1));
}

TEST(DotFusionTest, ProductsUsedElsewhereStay) {
  LOWER(L, "p <- t$x * t$y\npublish(sum(p), to = \"a\")\n"
           "publish(p[1], to = \"a\")\n");
  EXPECT_EQ(run(*L.M, {"dotfuse"}), "");
  EXPECT_EQ(count(*L.M, OpCode::Dot), 0u) << toString(*L.M);
}

TEST(DotFusionTest, BroadcastScalarFactorsStay) {
  LOWER(L, "s <- sum(t$y)\npublish(sum(t$x * s), to = \"a\")\n");
  EXPECT_FALSE(runDotFusion(*L.M)) << toString(*L.M);
}

TEST(DotFusionTest, ProductsOutsideALoopAreNotPulledIn) {
  LOWER(L, "p <- t$x * t$k\ns <- 0\n"
           "for (i in 1:3) { s <- s + sum(p) }\npublish(s, to = \"a\")\n");
  EXPECT_FALSE(runDotFusion(*L.M)) << toString(*L.M);
}

TEST(DotFusionTest, NoTruncatedFusionWithoutHeadroom) {
  // k - 2F - 1 = 23 bits < 31: summing at scale 2F could overflow.
  LOWER(L, "publish(sum(t$x * t$y), to = \"a\")\n", 64, 20);
  EXPECT_FALSE(runDotFusion(*L.M)) << toString(*L.M);
  // The same in Z_2^128 has room.
  LOWER(W, "publish(sum(t$x * t$y), to = \"a\")\n", 128, 20);
  EXPECT_TRUE(runDotFusion(*W.M)) << toString(*W.M);
  EXPECT_EQ(verifyError(*W.M), "");
}

TEST(DotFusionTest, Idempotent) {
  LOWER(L, "publish(cor(t$x, t$y), to = \"a\")\n");
  EXPECT_TRUE(runDotFusion(*L.M));
  EXPECT_FALSE(runDotFusion(*L.M));
}

//===----------------------------------------------------------------------===//
// truncdefer
//===----------------------------------------------------------------------===//

TEST(TruncDeferralTest, VarTruncatesOnceInsteadOfPerRow) {
  LOWER(L, "publish(var(t$x), to = \"a\")\n");
  EXPECT_EQ(truncatedElements(*L.M), n()) << toString(*L.M);
  EXPECT_TRUE(runTruncDeferral(*L.M));
  EXPECT_EQ(verifyError(*L.M), "") << toString(*L.M);
  EXPECT_EQ(truncatedElements(*L.M), Poly(1)) << toString(*L.M);
  EXPECT_EQ(countVectors(*L.M, OpCode::Trunc), 0u);
  // The sum now runs at scale 2F and is truncated after.
  Op *S = all(*L.M, OpCode::Sum).back();
  EXPECT_EQ(S->result()->type().Scale, 32);
  EXPECT_EQ(S->result()->users().front()->code(), OpCode::Trunc);
  EXPECT_FALSE(runTruncDeferral(*L.M));
}

TEST(TruncDeferralTest, AddsOfProductsShareOneTruncation) {
  LOWER(L, "publish(sum(t$x * t$x + t$y * t$y), to = \"a\")\n"
           "a <- sum(t$x) * sum(t$y)\nb <- sum(t$u) * sum(t$v)\n"
           "publish(a - b, to = \"a\")\n");
  EXPECT_EQ(count(*L.M, OpCode::Trunc), 4u);
  ASSERT_EQ(run(*L.M, {"truncdefer"}), "");
  EXPECT_EQ(count(*L.M, OpCode::Trunc), 2u) << toString(*L.M);
  EXPECT_EQ(truncatedElements(*L.M), Poly(2)) << toString(*L.M);
  // trunc(a) - trunc(b) became trunc(a - b).
  Op *Pub = all(*L.M, OpCode::Publish).back();
  Op *T = Pub->operand(0)->def();
  ASSERT_EQ(T->code(), OpCode::Trunc) << toString(*L.M);
  EXPECT_EQ(T->operand(0)->def()->code(), OpCode::Sub);
}

TEST(TruncDeferralTest, SharedTruncationsStay) {
  LOWER(L, "p <- t$x * t$y\npublish(sum(p), to = \"a\")\n"
           "publish(p[1], to = \"a\")\n");
  EXPECT_FALSE(runTruncDeferral(*L.M)) << toString(*L.M);
}

TEST(TruncDeferralTest, NeedsRingHeadroom) {
  LOWER(L, "publish(var(t$x), to = \"a\")\n", 64, 20);
  EXPECT_FALSE(runTruncDeferral(*L.M));
  LOWER(W, "publish(var(t$x), to = \"a\")\n", 128, 32);
  EXPECT_TRUE(runTruncDeferral(*W.M));
  EXPECT_EQ(verifyError(*W.M), "");
}

//===----------------------------------------------------------------------===//
// schedule
//===----------------------------------------------------------------------===//

/// The round of the op whose result is a value named \p Hint.
int64_t roundOf(Module &M, OpCode C, unsigned Nth) {
  std::vector<Op *> Ops = all(M, C);
  EXPECT_LT(Nth, Ops.size());
  return Nth < Ops.size() ? Ops[Nth]->intAttr("round") : -1;
}

TEST(ScheduleTest, IndependentProductsShareARound) {
  LOWER(L, "a <- t$x * t$y\nb <- t$u * t$v\n"
           "publish(sum(a) + sum(b), to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"schedule"}), "");
  EXPECT_EQ(roundOf(*L.M, OpCode::Mul, 0), 1) << toString(*L.M);
  EXPECT_EQ(roundOf(*L.M, OpCode::Mul, 1), 1);
  EXPECT_EQ(roundOf(*L.M, OpCode::Trunc, 0), 2);
  EXPECT_EQ(roundOf(*L.M, OpCode::Trunc, 1), 2);
  EXPECT_EQ(roundOf(*L.M, OpCode::Publish, 0), 3);
  // The two products are now adjacent, as are the two truncations.
  Block &B = L.M->body().block();
  std::vector<OpCode> Interactive;
  for (auto &O : B.ops())
    if (O->hasAttr("round"))
      Interactive.push_back(O->code());
  EXPECT_EQ(Interactive,
            (std::vector<OpCode>{OpCode::Mul, OpCode::Mul, OpCode::Trunc,
                                 OpCode::Trunc, OpCode::Publish}));
  EXPECT_FALSE(all(*L.M, OpCode::Sum).front()->hasAttr("round"));
}

TEST(ScheduleTest, DependentChainTakesConsecutiveRounds) {
  LOWER(L, "publish(sum(t$x * t$y * t$u), to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"schedule"}), "");
  EXPECT_EQ(roundOf(*L.M, OpCode::Mul, 0), 1) << toString(*L.M);
  EXPECT_EQ(roundOf(*L.M, OpCode::Trunc, 0), 2);
  EXPECT_EQ(roundOf(*L.M, OpCode::Mul, 1), 3);
  EXPECT_EQ(roundOf(*L.M, OpCode::Trunc, 1), 4);
  EXPECT_EQ(roundOf(*L.M, OpCode::Publish, 0), 5);
}

TEST(ScheduleTest, MultiRoundOpsSayHowLong) {
  LOWER(L, "publish(sum(t$x < t$y), to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"schedule"}), "");
  Op *Lt = all(*L.M, OpCode::Lt).front();
  EXPECT_EQ(Lt->intAttr("round"), 1);
  EXPECT_EQ(Lt->intAttr("rounds"), 8);
  EXPECT_EQ(roundOf(*L.M, OpCode::Publish, 0), 9);
  EXPECT_EQ(computeCost(*L.M).Rounds, Poly(9));
}

TEST(ScheduleTest, EffectsKeepTheirOrder) {
  // The second publish is ready at once; it must not overtake the first.
  LOWER(L, "publish(var(t$x), to = \"a\")\npublish(sum(t$y), to = \"b\")\n"
           "r <- reveal(sum(t$u))\npublish(r, to = \"c\")\n");
  ASSERT_EQ(run(*L.M, {"schedule"}), "");
  std::vector<std::string> Order;
  for (auto &O : L.M->body().block().ops())
    if (O->code() == OpCode::Publish || O->code() == OpCode::Reveal)
      Order.push_back(O->strAttr("what"));
  EXPECT_EQ(Order, (std::vector<std::string>{"var(t$x)", "sum(t$y)", "sum(t$u)",
                                             "r"}));
  // Inputs keep their order too (they may move ahead of disclosures).
  std::vector<std::string> Columns;
  for (auto &O : L.M->body().block().ops())
    if (O->code() == OpCode::Input)
      Columns.push_back(O->strAttr("column"));
  EXPECT_EQ(Columns, (std::vector<std::string>{"x", "y", "u"}));
  // The first two publishes share var's last round.
  std::vector<Op *> P = all(*L.M, OpCode::Publish);
  EXPECT_EQ(P[0]->intAttr("round"), P[1]->intAttr("round"));
}

TEST(ScheduleTest, OnlyInteractiveOpsAreAnnotatedAndItIsIdempotent) {
  LOWER(L, "publish(cor(t$x, t$y), to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"truncdefer", "dotfuse", "schedule"}), "");
  walk(L.M->body().block(), [&](Op &O) {
    EXPECT_EQ(O.hasAttr("round"), opComm(O, *L.M).isInteractive())
        << O.info().Mnemonic;
  });
  std::string Before = toString(*L.M);
  EXPECT_FALSE(runRoundScheduling(*L.M));
  EXPECT_EQ(toString(*L.M), Before);
}

TEST(ScheduleTest, LoopBodiesAreScheduledPerIteration) {
  LOWER(L, "x <- t$x\ny <- t$y\ns <- 0\nq <- 0\n"
           "for (i in 1:10) { s <- s + x[i] * y[i]\n q <- q + x[i] * x[i] }\n"
           "publish(s + q, to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"schedule"}), "");
  Op *For = all(*L.M, OpCode::For).front();
  Block &Body = For->region(0).block();
  EXPECT_EQ(occupiedRounds(Body), (std::set<int64_t>{1, 2})) << toString(*L.M);
  EXPECT_EQ(computeCost(*L.M).Rounds, Poly(10 * 2 + 1));
  EXPECT_EQ(verifyError(*L.M), "");
}

//===----------------------------------------------------------------------===//
// pinned round counts of the standard statistics
//===----------------------------------------------------------------------===//

struct Pinned {
  const char *Call;
  int64_t Rounds;     // before and after the MPC passes
  const char *Before; // bytes per party, lowered
  const char *After;  // bytes per party, after truncdefer + dotfuse
};

// mean: the division by n (a truncation), the publish.
// var:  mean, the product, its truncation, the division by n - 1, publish.
// sd:   var, then sqrt (2L + 26 = 38 rounds at k = 64).
// cor:  the means, three products and truncations side by side, sqrt
//       (38) and recip (30) of both sums of squares at once (two elements),
//       the two last products and their truncations, publish.
const Pinned PinnedStats[] = {
    {"mean(t$x)", 2, "16", "16"},
    {"var(t$x)", 5, "16*n.t + 24", "40"},
    {"sd(t$x)", 43, "16*n.t + 832", "848"},
    {"cov(t$x, t$y)", 5, "16*n.t + 32", "48"},
    {"cor(t$x, t$y)", 77, "48*n.t + 3176", "3224"},
};

TEST(PinnedCostTest, StandardStatistics) {
  for (const Pinned &P : PinnedStats) {
    LOWER(L, std::string("publish(") + P.Call + ", to = \"a\")\n");
    CostReport R = computeCost(*L.M);
    EXPECT_EQ(R.Rounds, Poly(P.Rounds)) << P.Call;
    EXPECT_EQ(R.Bytes.str(), P.Before) << P.Call;
    ASSERT_EQ(run(*L.M, {"truncdefer", "dotfuse", "dce", "schedule"}), "");
    CostReport S = computeCost(*L.M);
    EXPECT_EQ(S.Rounds, Poly(P.Rounds)) << P.Call;
    EXPECT_EQ(S.Bytes.str(), P.After) << P.Call;
    // Straight-line code: the cost model's rounds are exactly the distinct
    // rounds the scheduler assigned.
    EXPECT_EQ(int64_t(occupiedRounds(L.M->body().block()).size()), P.Rounds)
        << P.Call << "\n"
        << toString(*L.M);
  }
}

TEST(PinnedCostTest, RoundsMatchScheduleOnAMixedProgram) {
  for (auto Passes :
       {std::vector<std::string>{"schedule"},
        std::vector<std::string>{"truncdefer", "dotfuse", "schedule"}}) {
    LOWER(M, "m <- mean(t$x)\nv <- var(t$y)\nc <- cor(t$u, t$v)\n"
             "publish(m, to = \"a\")\npublish(v, to = \"a\")\n"
             "publish(c + sum(t$x < t$y) + sum(ifelse(t$b, t$x, t$y)), "
             "to = \"a\")\n");
    ASSERT_EQ(run(*M.M, Passes), "");
    CostReport R = computeCost(*M.M);
    ASSERT_TRUE(R.Rounds.isConstant());
    EXPECT_EQ(int64_t(occupiedRounds(M.M->body().block()).size()),
              R.Rounds.constant())
        << toString(*M.M);
    // cor's chain is the longest: everything else overlaps with it.
    EXPECT_EQ(R.Rounds, Poly(77));
  }
}

TEST(PinnedCostTest, StatisticsOfDifferentColumnsOverlap) {
  // var(y)'s input is loaded after the first publish, but need not wait
  // for it: both statistics run side by side.
  LOWER(L, "publish(var(t$x), to = \"a\")\npublish(var(t$y), to = \"a\")\n");
  ASSERT_EQ(run(*L.M, {"schedule"}), "");
  EXPECT_EQ(computeCost(*L.M).Rounds, Poly(5));
  std::vector<Op *> P = all(*L.M, OpCode::Publish);
  ASSERT_EQ(P.size(), 2u);
  EXPECT_EQ(P[0]->strAttr("what"), "var(t$x)");
  EXPECT_EQ(P[0]->intAttr("round"), 5);
  EXPECT_EQ(P[1]->intAttr("round"), 5);
}

TEST(PinnedCostTest, OptimizedStatisticsStillEmitBytecode) {
  // Dots, sums at scale 2F and `round` attributes are what the arithmetic
  // backend receives once the MPC passes are in the pipeline.
  for (const Pinned &P : PinnedStats) {
    LOWER(L, std::string("publish(") + P.Call + ", to = \"a\")\n");
    ASSERT_EQ(run(*L.M, {"truncdefer", "dotfuse", "dce", "schedule"}), "");
    auto Prog = sstat::emitBytecode(*L.M);
    EXPECT_TRUE(bool(Prog))
        << P.Call << ": " << (Prog ? "" : llvm::toString(Prog.takeError()));
  }
}

} // namespace
