//===- FixedPointLinalgTest.cpp - The SPD solver on cleartext -------------===//
//
// choleskySolve (FixedPointLinalg.h) run by the cleartext vector primitives
// (ClearVecOps) against long double:
//  - random Gram matrices X'X (intercept plus columns of scales 0.5 .. 100)
//    of n = 100 .. 100000 rows, entries up to about 3e9, d = 1, 2, 5, 11,
//    with one or two right-hand sides X'y, in Z_2^128 with F = 40: the
//    solution, the scaled inverse diagonal diag((S A S)^-1), the
//    standard-error factor sqrt(diag(A^-1)) = s sqrt(InvDiagScaled) and the
//    plain diag(A^-1), each within an explicit tolerance;
//  - mtcars, lm(mpg ~ wt + hp + qsec): R's coefficients to relative 1e-6
//    (Z_2^128, F = 40), and roughly in Z_2^64 with F = 16;
//  - data independence: the same counts and trace hash of the primitive
//    sequence for different inputs of the same shape; every declared
//    truncation bound and precondition holds on every input;
//  - the shape: validity checks of solveShape and the number of kernel and
//    product calls as a function of d.
// Measured errors are recorded as test properties (--gtest_output=xml).
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/FixedPointLinalg.h"
#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointOps.h"

#include "LinalgTestData.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace fx = sstat::runtime::fx;
using fx::Params;
using fx::U128;

namespace {

using namespace sstat::runtime::fx::linalgtest;

/// Errors of one solve against the reference, and the tolerance they are
/// held to: relative 2^-F (4 * 2^(2h) + 10 cond(S A S) d), the rounding of
/// the 2^-h-scaled block plus the conditioning of the rounding errors of
/// the elimination (about ten times the largest measured).
struct Errors {
  LD Tol = 0;
  LD X = 0;             // componentwise relative error of X
  LD XScaled = 0;       // max |x_i - exact_i| sqrt(A_ii) / ||S^-1 exact||
  LD InvDiagScaled = 0; // relative error of A_ii diag(A^-1)_i
  LD StdErrFactor = 0;  // relative error of sqrt(InvDiagScaled / A_ii)
  LD InvDiag = 0;       // max |InvDiag - exact| / (Tol exact + 8 units)
  LD InvDiagRel = 0;    // relative error of the plain InvDiag
};

template <class Ring>
Errors measure(const fx::SolveResult<std::vector<Ring>> &Got,
               const Reference &Ref, const std::vector<LD> &A, unsigned D,
               unsigned M, Params P, unsigned Shift) {
  Errors E;
  const LD Unit = std::ldexp(1.0L, -static_cast<int>(P.F));
  const LD Cond = Ref.cond();
  E.Tol = Unit * (4 * std::ldexp(1.0L, 2 * int(Shift)) + 10 * Cond * D);
  for (unsigned C = 0; C < M; ++C) {
    LD Norm = 0;
    for (unsigned I = 0; I < D; ++I)
      Norm += Ref.X[I * M + C] * Ref.X[I * M + C] * A[I * D + I];
    Norm = std::sqrt(Norm);
    for (unsigned I = 0; I < D; ++I) {
      LD X = fx::decodeLong(Got.X[I * M + C], P), W = Ref.X[I * M + C];
      E.X = std::max(E.X, std::fabs(X - W) / std::fabs(W));
      E.XScaled = std::max(E.XScaled,
                           std::fabs(X - W) * std::sqrt(A[I * D + I]) / Norm);
    }
  }
  for (unsigned I = 0; I < D; ++I) {
    const LD Aii = A[I * D + I], Want = Ref.InvDiag[I];
    LD Dt = fx::decodeLong(Got.InvDiagScaled[I], P);
    E.InvDiagScaled =
        std::max(E.InvDiagScaled, std::fabs(Dt - Aii * Want) / (Aii * Want));
    E.StdErrFactor = std::max(E.StdErrFactor,
                              std::fabs(std::sqrt(Dt / Aii) - std::sqrt(Want)) /
                                  std::sqrt(Want));
    LD Inv = fx::decodeLong(Got.InvDiag[I], P);
    E.InvDiag =
        std::max(E.InvDiag, std::fabs(Inv - Want) / (E.Tol * Want + 8 * Unit));
    E.InvDiagRel = std::max(E.InvDiagRel, std::fabs(Inv - Want) / Want);
  }
  return E;
}

/// Asserts the errors within the tolerance: X in the scaled variables
/// (componentwise relative errors are larger for components that are small
/// in them; the mtcars tests assert those against R separately).
void expectWithin(const Errors &E, const std::string &What) {
  EXPECT_LE(E.XScaled, E.Tol) << What;
  EXPECT_LE(E.InvDiagScaled, E.Tol) << What;
  EXPECT_LE(E.StdErrFactor, E.Tol) << What;
  EXPECT_LE(E.InvDiag, 1.0L) << What;
}

constexpr Params P128{128, 40};
constexpr Params P64{64, 16};

/// The range used for the random problems: A_ii < 2^32, ||y|| < 2^22,
/// lambda_min(S A S) >= 2^-20.
constexpr fx::SolveRange RandomRange{32, 22, 20, 40};

struct Case {
  unsigned D, M, N;
  /// Weight of a factor shared by all columns (0.3: mild correlation; 4:
  /// correlations about 0.96, cond(S A S) in the thousands).
  double Common = 0.3;
};

class LinalgRandom : public ::testing::TestWithParam<Case> {};

TEST_P(LinalgRandom, MatchesLongDouble) {
  const Case Cs = GetParam();
  LD MaxX = 0, MaxXs = 0, MaxDt = 0, MaxSe = 0, MaxInv = 0, MaxCond = 0,
     MaxOfTol = 0;
  for (uint64_t Seed = 0; Seed < 3; ++Seed) {
    RandomProblem Pr =
        randomProblem(Cs.D, Cs.M, Cs.N, 1000 * Cs.D + Seed, Cs.Common);
    auto Sys = encodeSystem<U128>(Pr.A, Pr.B, Cs.D, Cs.M, P128);
    Reference Ref = reference(Sys.Ad, Sys.Bd, Cs.D, Cs.M);
    // The declared range holds.
    for (unsigned I = 0; I < Cs.D; ++I) {
      ASSERT_GE(Sys.Ad[I * Cs.D + I], 1.0L);
      ASSERT_LT(Sys.Ad[I * Cs.D + I], std::ldexp(1.0L, RandomRange.DiagBits));
    }
    ASSERT_LT(Pr.NormY, std::ldexp(1.0L, RandomRange.RhsBits));
    ASSERT_GT(Ref.LambdaMin, std::ldexp(1.0L, -int(RandomRange.CondBits)));

    fx::ClearVecOps<U128> O(P128);
    fx::SolveInfo Info;
    auto Got =
        fx::choleskySolve(O, Sys.A, Sys.B, Cs.D, Cs.M, RandomRange, &Info);
    EXPECT_EQ(O.BoundViolations, 0u);
    EXPECT_EQ(O.PreconditionViolations, 0u);
    Errors E = measure(Got, Ref, Sys.Ad, Cs.D, Cs.M, P128, Info.Shape.Shift);
    std::string What = "d = " + std::to_string(Cs.D) +
                       ", n = " + std::to_string(Cs.N) +
                       ", seed = " + std::to_string(Seed) +
                       ", cond(SAS) = " + std::to_string(double(Ref.cond()));
    expectWithin(E, What);
    MaxX = std::max(MaxX, E.X);
    MaxXs = std::max(MaxXs, E.XScaled);
    MaxDt = std::max(MaxDt, E.InvDiagScaled);
    MaxSe = std::max(MaxSe, E.StdErrFactor);
    MaxInv = std::max(MaxInv, E.InvDiagRel);
    MaxOfTol = std::max(MaxOfTol, std::max(E.XScaled, E.InvDiagScaled) / E.Tol);
    MaxCond = std::max(MaxCond, Ref.cond());
  }
  std::printf("d = %u, m = %u, n = %u: max cond(SAS) %.3Lg; max rel. error "
              "X %.3Lg (scaled %.3Lg), InvDiagScaled %.3Lg, sqrt(diag(A^-1)) "
              "%.3Lg, InvDiag %.3Lg; %.3Lg of the tolerance\n",
              Cs.D, Cs.M, Cs.N, MaxCond, MaxX, MaxXs, MaxDt, MaxSe, MaxInv,
              MaxOfTol);
  RecordProperty("max_cond", std::to_string(double(MaxCond)));
  RecordProperty("max_rel_err_x", std::to_string(double(MaxX)));
  RecordProperty("max_scaled_err_x", std::to_string(double(MaxXs)));
  RecordProperty("max_rel_err_invdiag_scaled", std::to_string(double(MaxDt)));
  RecordProperty("max_rel_err_sqrt_invdiag", std::to_string(double(MaxSe)));
  RecordProperty("max_rel_err_invdiag", std::to_string(double(MaxInv)));
  RecordProperty("max_fraction_of_tolerance", std::to_string(double(MaxOfTol)));
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, LinalgRandom,
    ::testing::Values(Case{1, 1, 100}, Case{2, 1, 1000}, Case{2, 2, 100000},
                      Case{5, 1, 100}, Case{5, 2, 10000}, Case{11, 1, 100000},
                      Case{11, 2, 3000}, Case{5, 1, 5000, 4.0},
                      Case{11, 1, 2000, 4.0}),
    [](const ::testing::TestParamInfo<Case> &I) {
      return "d" + std::to_string(I.param.D) + "_m" +
             std::to_string(I.param.M) + "_n" + std::to_string(I.param.N) +
             (I.param.Common > 1 ? "_collinear" : "");
    });

//===----------------------------------------------------------------------===//
// mtcars
//===----------------------------------------------------------------------===//

/// The range for mtcars: A_ii < 2^20 (sum hp^2 = 834,278), ||mpg|| < 2^7.
constexpr fx::SolveRange MtCarsRange{20, 7, 20, 40};

TEST(LinalgMtCars, MatchesR) {
  for (bool WithAm : {false, true}) {
    const unsigned D = WithAm ? 5 : 4;
    const double *RCoef = WithAm ? RCoef4 : RCoef3;
    std::vector<LD> A, B;
    mtcarsSystem(WithAm, A, B);
    auto Sys = encodeSystem<U128>(A, B, D, 1, P128);
    Reference Ref = reference(Sys.Ad, Sys.Bd, D, 1);
    ASSERT_GT(Ref.LambdaMin, std::ldexp(1.0L, -int(MtCarsRange.CondBits)));
    fx::ClearVecOps<U128> O(P128);
    fx::SolveInfo Info;
    auto Got = fx::choleskySolve(O, Sys.A, Sys.B, D, 1, MtCarsRange, &Info);
    EXPECT_EQ(O.BoundViolations, 0u);
    EXPECT_EQ(O.PreconditionViolations, 0u);
    LD MaxVsR = 0, MaxSeVsR = 0;
    for (unsigned I = 0; I < D; ++I) {
      LD X = fx::decodeLong(Got.X[I], P128);
      LD Rel = std::fabs(X - RCoef[I]) / std::fabs(RCoef[I]);
      // RCoef3 has 10 significant digits (5e-10 relative at worst).
      EXPECT_LE(Rel, 1e-6L) << "coefficient " << I << ": " << double(X);
      MaxVsR = std::max(MaxVsR, Rel);
      if (WithAm) {
        // The standard error sigma sqrt(diag(A^-1)), from A_ii diag(A^-1).
        LD Dt = fx::decodeLong(Got.InvDiagScaled[I], P128);
        LD Se = RSigma4 * std::sqrt(Dt / Sys.Ad[I * D + I]);
        LD SeRel = std::fabs(Se - RStdErr4[I]) / RStdErr4[I];
        EXPECT_LE(SeRel, 1e-6L) << "standard error " << I << ": " << double(Se);
        MaxSeVsR = std::max(MaxSeVsR, SeRel);
      }
    }
    Errors E = measure(Got, Ref, Sys.Ad, D, 1, P128, Info.Shape.Shift);
    expectWithin(E, "mtcars");
    const std::string Tag = WithAm ? "lm4" : "lm3";
    std::printf("mtcars %s Z_2^128 F=40: cond(SAS) %.4Lg; rel. error vs R: "
                "coef %.3Lg, std. err. %.3Lg; vs long double: X %.3Lg "
                "(scaled %.3Lg), "
                "InvDiagScaled %.3Lg, sqrt(diag(A^-1)) %.3Lg, InvDiag %.3Lg "
                "(tolerance %.3Lg)\n",
                Tag.c_str(), Ref.cond(), MaxVsR, MaxSeVsR, E.X, E.XScaled,
                E.InvDiagScaled, E.StdErrFactor, E.InvDiagRel, E.Tol);
    RecordProperty(Tag + "_cond", std::to_string(double(Ref.cond())));
    RecordProperty(Tag + "_max_rel_err_vs_r", std::to_string(double(MaxVsR)));
    RecordProperty(Tag + "_max_rel_err_x", std::to_string(double(E.X)));
  }
}

TEST(LinalgRing64, RoughlyAtF16) {
  // Z_2^64 with F = 16: 2^-16 = 1.5e-5 per rounding, times the conditioning
  // (the range must satisfy CondBits + log2(d) + 3 <= F, so cond(S A S) <=
  // about 2^11). mtcars' cond(S A S) = 2522 leaves about one digit; a
  // well-conditioned system keeps about four.
  std::vector<LD> A, B;
  mtcarsSystem(false, A, B);
  auto Sys = encodeSystem<uint64_t>(A, B, 4, 1, P64);
  const fx::SolveRange MtR{20, 7, 11, 40};
  ASSERT_TRUE(fx::solveShape(P64, 4, 1, MtR).Valid);
  {
    fx::ClearVecOps<uint64_t> O(P64);
    auto Got = fx::choleskySolve(O, Sys.A, Sys.B, 4, 1, MtR);
    EXPECT_EQ(O.BoundViolations, 0u);
    LD MaxVsR = 0;
    for (unsigned I = 0; I < 4; ++I) {
      LD X = fx::decodeLong(Got.X[I], P64);
      MaxVsR =
          std::max(MaxVsR, std::fabs(X - RCoef3[I]) / std::fabs(RCoef3[I]));
    }
    std::printf("mtcars Z_2^64 F=16: rel. error vs R %.3Lg\n", MaxVsR);
    RecordProperty("mtcars_max_rel_err_vs_r", std::to_string(double(MaxVsR)));
    EXPECT_LE(MaxVsR, 0.2L); // cond d 2^-16 = 0.15
  }
  // Random well-conditioned systems: within the same tolerance formula as
  // Z_2^128 (h = 0 here: 2F + 1 > K - 1 - 40).
  const fx::SolveRange R64{25, 10, 8, 40};
  LD MaxX = 0, MaxDt = 0;
  for (uint64_t Seed = 0; Seed < 5; ++Seed) {
    RandomProblem Pr = randomProblem(3, 1, 500, 900 + Seed);
    auto S64 = encodeSystem<uint64_t>(Pr.A, Pr.B, 3, 1, P64);
    Reference Ref = reference(S64.Ad, S64.Bd, 3, 1);
    ASSERT_LT(Pr.NormY, std::ldexp(1.0L, R64.RhsBits));
    ASSERT_GT(Ref.LambdaMin, std::ldexp(1.0L, -int(R64.CondBits)));
    fx::ClearVecOps<uint64_t> O(P64);
    fx::SolveInfo Info;
    auto Got = fx::choleskySolve(O, S64.A, S64.B, 3, 1, R64, &Info);
    EXPECT_EQ(Info.Shape.Shift, 0u);
    EXPECT_EQ(O.BoundViolations, 0u);
    Errors E = measure(Got, Ref, S64.Ad, 3, 1, P64, 0);
    expectWithin(E, "seed " + std::to_string(Seed));
    MaxX = std::max(MaxX, E.X);
    MaxDt = std::max(MaxDt, E.InvDiagScaled);
  }
  std::printf("random d = 3 Z_2^64 F=16: rel. error X %.3Lg, InvDiagScaled "
              "%.3Lg\n",
              MaxX, MaxDt);
}

//===----------------------------------------------------------------------===//
// Data independence and shape
//===----------------------------------------------------------------------===//

TEST(LinalgObliviousness, SameTraceForDifferentInputs) {
  expectSameTraceForDifferentInputs(
      P128, [](auto &O, auto &A, auto &B, unsigned D, unsigned M) {
        (void)fx::choleskySolve(O, A, B, D, M, RandomRange);
      });
}

TEST(LinalgShape, CallsAsFunctionOfD) {
  for (unsigned D = 1; D <= 20; ++D) {
    RandomProblem Pr = randomProblem(D, 1, 2 * D + 50, D);
    auto Sys = encodeSystem<U128>(Pr.A, Pr.B, D, 1, P128);
    fx::ClearVecOps<U128> O(P128);
    fx::SolveInfo Info;
    (void)fx::choleskySolve(O, Sys.A, Sys.B, D, 1, RandomRange, &Info);
    // d rsqrt kernels (one on d elements, d - 1 on one); 2d + 3 product
    // calls.
    EXPECT_EQ(Info.RsqrtCalls, D);
    EXPECT_EQ(Info.ProductCalls, 2 * D + 4);
    EXPECT_EQ(O.SumMulTruncs, 2u);
    // Every loop product declares the probabilistic-range bound.
    EXPECT_LE(Info.Shape.BoundLoop, 128u - 1 - 40);
  }
  // The shift for the default range (CondBits 20) at F = 40.
  fx::SolveShape S = fx::solveShape(P128, 4, 1, fx::SolveRange{});
  EXPECT_TRUE(S.Valid);
  EXPECT_EQ(S.Shift, 4u);
  EXPECT_EQ(S.BoundLoop, 87u);
  // Invalid ranges are refused.
  EXPECT_FALSE(fx::solveShape(P128, 0, 1, fx::SolveRange{}).Valid);
  EXPECT_FALSE(
      fx::solveShape(P128, 4, 1, fx::SolveRange{32, 30, 30, 40}).Valid);
  EXPECT_FALSE(fx::solveShape(P128, 4, 1, fx::SolveRange{90, 7, 10, 40}).Valid);
  EXPECT_FALSE(fx::solveShape(P64, 4, 1, fx::SolveRange{20, 7, 12, 40}).Valid);
  EXPECT_TRUE(fx::solveShape(P64, 4, 1, fx::SolveRange{20, 7, 11, 40}).Valid);
}

TEST(LinalgScalar, ClearOpsOverloadAndInverseDiagonal) {
  RandomProblem Pr = randomProblem(3, 1, 300, 5);
  auto Sys = encodeSystem<U128>(Pr.A, Pr.B, 3, 1, P128);
  fx::ClearOps<U128> Scalar(P128);
  auto A = fx::choleskySolve(Scalar, Sys.A, Sys.B, 3, 1, RandomRange);
  fx::ClearVecOps<U128> V(P128);
  auto B = fx::choleskySolve(V, Sys.A, Sys.B, 3, 1, RandomRange);
  EXPECT_EQ(A.X, B.X);
  EXPECT_EQ(A.InvDiag, B.InvDiag);
  fx::ClearVecOps<U128> V2(P128);
  auto C = fx::inverseDiagonal(V2, Sys.A, 3, RandomRange);
  EXPECT_TRUE(C.X.empty());
  EXPECT_EQ(C.InvDiag, B.InvDiag);
  EXPECT_EQ(C.InvDiagScaled, B.InvDiagScaled);
}

} // namespace
