//===- RangeTest.cpp - The range analysis on bounds and programs ----------===//
//
// Bounds as polynomials in the row count with intervals where they are
// N-independent; the analysis on lowered and optimized programs: means stay
// in their column's interval, centred values in hi - lo, sums grow with N,
// cross products keep per-entry bounds, joins and one-hot rows sum to one;
// and the row limit the bytecode carries.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "sstat/Bytecode/Emitter.h"
#include "sstat/IR/Lower.h"
#include "sstat/IR/Pass.h"
#include "sstat/IR/Range.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace sstat;
using namespace sstat::ir;
using sstat::test::Compiled;

namespace {

TEST(Bound, Arithmetic) {
  Bound X = Bound::interval(5, 40), Y = Bound::interval(1, 6);
  Bound D = X - X; // x - x is within [-35, 35], not [-80, 80]
  EXPECT_TRUE(D.HasIv);
  EXPECT_EQ(D.Lo, -35);
  EXPECT_EQ(D.Hi, 35);
  EXPECT_EQ((D * D).str(), "[-1.22e+03, 1.22e+03]");
  Bound P = X * Y;
  EXPECT_EQ(P.Lo, 5);
  EXPECT_EQ(P.Hi, 240);
  Bound S = P * Bound::rows(); // a sum over N rows: a magnitude
  EXPECT_FALSE(S.HasIv);
  EXPECT_EQ(S.str(), "240*N");
  EXPECT_EQ((S + Bound::constant(3)).str(), "240*N + 3");
  EXPECT_EQ(Bound::interval(1900, 2100).str(), "[1.9e+03, 2.1e+03]");
  EXPECT_EQ((S * S).str(), "5.76e+04*N^2");
  EXPECT_DOUBLE_EQ((S * S).at(10), 5.76e6);
  EXPECT_EQ(Bound::max(S, Bound::rows() * Bound::rows()).str(), "N^2 + 240*N");
  EXPECT_EQ((S + Bound::unknown()).str(), "unknown");
  EXPECT_EQ((-Bound::interval(-2, 7)).Lo, -7);
}

/// A program after the default pipeline, with its range analysis.
struct Analysed {
  Compiled C;
  std::unique_ptr<Module> M;
  std::unique_ptr<RangeAnalysis> RA;
  Analysed(const std::string &Src, unsigned Ring = 128, unsigned Frac = 40)
      : C(Src) {
    EXPECT_EQ(C.errors(), 0u) << C.errorText();
    LowerOptions O;
    O.RingBits = Ring;
    O.FracBits = Frac;
    M = lowerProgram(*C.Prog, C.Result, C.Diags, O);
    EXPECT_TRUE(M);
    std::string Err;
    EXPECT_TRUE(runPipeline(*M, defaultPipeline(), {}, Err)) << Err;
    RA = std::make_unique<RangeAnalysis>(*M);
  }
  /// The value published by the K-th publish.
  const Value *published(unsigned K) {
    unsigned I = 0;
    const Value *Out = nullptr;
    walk(M->body().block(), [&](Op &O) {
      if (O.code() == OpCode::Publish && I++ == K)
        Out = O.operand(0);
    });
    return Out;
  }
  /// The first op of code \p C.
  const Value *first(OpCode Code) {
    const Value *Out = nullptr;
    walk(M->body().block(), [&](Op &O) {
      if (!Out && O.code() == Code && O.numResults())
        Out = O.result();
    });
    return Out;
  }
};

const char *Cars =
    "cars <- input_table(parties = c(\"a\", \"b\", \"c\"), columns = "
    "list(mpg = num(5, 40), wt = num(1, 6), hp = num(40, 400), "
    "year = int(1900, 2100), g = factor(c(\"u\", \"v\", \"w\"))))\n";

TEST(RangeAnalysis, MeansStayInTheColumnsInterval) {
  Analysed A(std::string(Cars) + "publish(mean(cars$year), to = \"a\")\n");
  const Bound &B = A.RA->bound(A.published(0));
  ASSERT_TRUE(B.HasIv) << B.str();
  EXPECT_EQ(B.Lo, 1900);
  EXPECT_EQ(B.Hi, 2100);
  EXPECT_EQ(A.RA->maxRows(A.published(0)), std::ldexp(1.0, 62));
}

TEST(RangeAnalysis, AMeanIsOverItsOwnTablesRows) {
  // With two tables, N bounds both row counts: sum(a$x) / nrow(b) is not a
  // mean (b may have one row), so its bound keeps the factor N.
  Analysed A("a <- input_table(parties = c(\"p\", \"q\", \"r\"), columns = "
             "list(x = num(0, 10)))\nb <- input_table(parties = \"p\", "
             "columns = list(y = num(0, 1)))\n"
             "publish(sum(a$x) / nrow(b), to = \"p\")\n"
             "publish(mean(a$x), to = \"p\")\n");
  EXPECT_EQ(A.RA->bound(A.published(0)).str(), "10*N");
  EXPECT_EQ(A.RA->bound(A.published(1)).str(), "[0, 10]");
}

TEST(RangeAnalysis, CentredSumsOfSquaresGrowWithTheRows) {
  // var(year): (year - mean) is within 200, the sum of squares within
  // 4e4 N, at scale 2F before its one truncation: 4e4 N 2^80 < 2^127.
  Analysed A(std::string(Cars) + "publish(var(cars$year), to = \"a\")\n");
  const Value *Dot = A.first(OpCode::Dot);
  ASSERT_TRUE(Dot);
  EXPECT_EQ(A.RA->bound(Dot).str(), "4e+04*N");
  EXPECT_EQ(A.RA->maxRows(Dot), std::floor(std::ldexp(1.0, 47) / 4e4));
  // The same in Z_2^64 with 16 fractional bits: 4e4 N < 2^31.
  Analysed B(std::string(Cars) + "publish(var(cars$year), to = \"a\")\n", 64,
             16);
  EXPECT_EQ(B.RA->maxRows(B.first(OpCode::Dot)),
            std::floor(std::ldexp(1.0, 31) / 4e4));
}

TEST(RangeAnalysis, CrossProductsKeepPerEntryBounds) {
  // lm's Z'Z: the intercept's entries are column sums (hp: 400 N), the
  // diagonal sums of squares (1.6e5 N). Selecting the sums for the means
  // does not pick up the squares.
  Analysed A(std::string(Cars) +
             "publish(coef(lm(mpg ~ hp + wt, data = cars)), to = \"a\")\n");
  const Value *G = A.first(OpCode::MatMul);
  ASSERT_TRUE(G);
  const Grid &Gr = A.RA->grid(G);
  ASSERT_EQ(Gr.R, 4u);
  ASSERT_EQ(Gr.C, 4u);
  EXPECT_EQ(Gr.at(0, 0).str(), "N");         // sum of ones
  EXPECT_EQ(Gr.at(0, 2).str(), "400*N");     // sum of hp
  EXPECT_EQ(Gr.at(2, 2).str(), "1.6e+05*N"); // sum of hp^2
  EXPECT_EQ(Gr.at(1, 3).str(), "240*N");     // sum of mpg wt
  // Nothing in the model leaves the ring below 10^8 rows.
  EXPECT_TRUE(rangeWarnings(*A.M).empty());
}

TEST(RangeAnalysis, OneHotRowsAndCountsAreBounded) {
  Analysed A(std::string(Cars) + "publish(table(cars$g), to = \"a\")\n");
  EXPECT_EQ(A.RA->bound(A.published(0)).str(), "N");
}

TEST(RangeAnalysis, KernelsAndLoopsAreUnknown) {
  Analysed A(std::string(Cars) + "publish(sd(cars$mpg), to = \"a\")\n"
                                 "s <- 0\nfor (i in 1:3) s <- s + "
                                 "sum(cars$mpg)\npublish(s, to = \"a\")\n");
  EXPECT_FALSE(A.RA->bound(A.published(0)).Known);
  EXPECT_EQ(A.RA->maxRows(A.published(0)), -1);
  EXPECT_FALSE(A.RA->bound(A.published(1)).Known);
}

TEST(RangeAnalysis, WarningsNameTheLineAndTheLimit) {
  // x y over N rows, 9e12 N at scale 80: 15 rows.
  Analysed A("t <- input_table(parties = c(\"a\", \"b\", \"c\"), columns = "
             "list(x = num(0, 3e6), y = num(0, 3e6)))\n"
             "publish(mean(t$x), to = \"a\")\n"
             "publish(sum(t$x * t$y), to = \"a\")\n");
  std::vector<RangeWarning> W = rangeWarnings(*A.M);
  ASSERT_EQ(W.size(), 1u);
  EXPECT_EQ(W[0].MaxRows, 15);
  EXPECT_EQ(W[0].Bound, "9e+12*N");
  auto [Line, Col] = A.C.SM.getLineAndColumn(W[0].Loc);
  EXPECT_EQ(Line, 3u);
  // The bytecode carries the limit and its line.
  auto P = emitBytecode(*A.M, &A.C.SM);
  ASSERT_TRUE(bool(P));
  EXPECT_EQ(P->SafeRows, 15u);
  EXPECT_EQ(P->SafeRowsLine, 3u);
}

TEST(RangeAnalysis, ProgramsWithoutBoundsCarryNoLimit) {
  Analysed A(std::string(Cars) + "publish(sd(cars$mpg), to = \"a\")\n");
  auto P = emitBytecode(*A.M, &A.C.SM);
  ASSERT_TRUE(bool(P));
  // The sum of squares before sqrt is bounded: 1225 N at scale 80.
  EXPECT_EQ(P->SafeRows, uint64_t(std::floor(std::ldexp(1.0, 47) / 1225)));
  Analysed B("t <- input_table(parties = c(\"a\", \"b\", \"c\"), columns = "
             "list(x = num(0, 1)))\npublish(reveal(sum(t$x)) > 2, to = "
             "\"a\")\n");
  auto Q = emitBytecode(*B.M, &B.C.SM);
  ASSERT_TRUE(bool(Q));
  EXPECT_EQ(Q->SafeRows, std::numeric_limits<uint64_t>::max());
}

} // namespace
