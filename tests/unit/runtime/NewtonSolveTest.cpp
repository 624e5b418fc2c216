//===- NewtonSolveTest.cpp - The round-efficient SPD solver ---------------===//
//
// newtonSolve (FixedPointNewton.h) against long double, R and choleskySolve,
// on cleartext (ClearVecOps) and on rep3 shares (three threads over
// MemoryNetwork, through Rep3VecOps):
//  - the systems of the Cholesky tests: random X'X of 100 .. 10^5 rows (d =
//    1, 2, 5, 11, 20, mildly and strongly correlated) and mtcars lm(mpg ~ wt
//    + hp + qsec) and + am, in Z_2^128 with F = 40: X, A_ii diag(A^-1)_i
//    and diag(A^-1) within an explicit tolerance, at least as accurate as
//    choleskySolve on every system, R's coefficients and standard errors;
//  - every declared truncation bound and precondition holds (ClearVecOps'
//    instrumentation), the trace is the same for every input of a shape;
//  - the shape: the iteration count against its closed form, validity;
//  - on shares: the results against the cleartext executor, and the rounds
//    against the cost model msb + k + 23 (measured pieces); rounds, bytes
//    per party and time are printed and recorded as test properties.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointLinalg.h"
#include "sstat/runtime/FixedPointNewton.h"
#include "sstat/runtime/FixedPointOps.h"
#include "sstat/runtime/rep3/Channel.h"
#include "sstat/runtime/rep3/FxOps.h"
#include "sstat/runtime/rep3/Rep3.h"

#include "LinalgTestData.h"
#include "Rep3TestUtil.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace fx = sstat::runtime::fx;
using fx::Params;
using fx::U128;

namespace {

using namespace sstat::runtime::fx::linalgtest;

constexpr Params P128{128, 40};
constexpr Params P64{64, 16};
/// The ranges of the Cholesky tests: random problems (A_ii < 2^32, ||y|| <
/// 2^22, lambda_min(S A S) >= 2^-20) and mtcars (A_ii < 2^20, ||mpg|| < 2^7).
constexpr fx::SolveRange RandomRange{32, 22, 20, 40};
constexpr fx::SolveRange MtCarsRange{20, 7, 20, 40};

/// Errors of a solve against the reference (as in FixedPointLinalgTest).
struct Errors {
  LD X = 0;             // componentwise relative error of X
  LD XScaled = 0;       // max |x_i - exact_i| sqrt(A_ii) / ||S^-1 exact||
  LD InvDiagScaled = 0; // relative error of A_ii diag(A^-1)_i
  LD StdErrFactor = 0;  // relative error of sqrt(InvDiagScaled / A_ii)
  LD InvDiag = 0;       // max |InvDiag - exact| / (Tol exact + 8 units)
  LD Tol = 0;           // the tolerance below
};

/// The tolerance of newtonSolve: relative 2^-F (16 d + cond(S A S) d / 16)
/// on X (scaled) and A_ii diag(A^-1)_i -- below choleskySolve's 2^-F (4
/// 2^(2h) + 10 cond d) for every d <= 64 -- and the same plus 8 units on
/// diag(A^-1), which has absolute precision 2^-F only.
LD tolerance(const Reference &Ref, unsigned D, Params P) {
  return std::ldexp(1.0L, -static_cast<int>(P.F)) *
         (16.0L * D + Ref.cond() * D / 16);
}

template <class Ring>
Errors measure(const fx::SolveResult<std::vector<Ring>> &Got,
               const System<Ring> &S, Params P) {
  Errors E;
  const unsigned D = S.D, M = S.M;
  E.Tol = tolerance(S.Ref, D, P);
  const LD Unit = std::ldexp(1.0L, -static_cast<int>(P.F));
  for (unsigned C = 0; C < M; ++C) {
    LD Norm = 0;
    for (unsigned I = 0; I < D; ++I)
      Norm += S.Ref.X[I * M + C] * S.Ref.X[I * M + C] * S.Ad[I * D + I];
    Norm = std::sqrt(Norm);
    for (unsigned I = 0; I < D; ++I) {
      LD X = fx::decodeLong(Got.X[I * M + C], P), W = S.Ref.X[I * M + C];
      E.X = std::max(E.X, std::fabs(X - W) / std::fabs(W));
      E.XScaled = std::max(E.XScaled, std::fabs(X - W) *
                                          std::sqrt(S.Ad[I * D + I]) / Norm);
    }
  }
  for (unsigned I = 0; I < D; ++I) {
    const LD Aii = S.Ad[I * D + I], Want = S.Ref.InvDiag[I];
    LD Dt = fx::decodeLong(Got.InvDiagScaled[I], P);
    E.InvDiagScaled =
        std::max(E.InvDiagScaled, std::fabs(Dt - Aii * Want) / (Aii * Want));
    E.StdErrFactor = std::max(E.StdErrFactor,
                              std::fabs(std::sqrt(Dt / Aii) - std::sqrt(Want)) /
                                  std::sqrt(Want));
    LD Inv = fx::decodeLong(Got.InvDiag[I], P);
    E.InvDiag =
        std::max(E.InvDiag, std::fabs(Inv - Want) / (E.Tol * Want + 8 * Unit));
  }
  return E;
}

void expectWithin(const Errors &E, const std::string &What) {
  EXPECT_LE(E.XScaled, E.Tol) << What;
  EXPECT_LE(E.InvDiagScaled, E.Tol) << What;
  EXPECT_LE(E.StdErrFactor, E.Tol) << What;
  EXPECT_LE(E.InvDiag, 1.0L) << What;
}

//===----------------------------------------------------------------------===//
// Cleartext accuracy
//===----------------------------------------------------------------------===//

struct Case {
  unsigned D, M, N;
  double Common = 0.3;
};

class NewtonRandom : public ::testing::TestWithParam<Case> {};

TEST_P(NewtonRandom, MatchesLongDoubleAndBeatsCholesky) {
  const Case Cs = GetParam();
  LD MaxXs = 0, MaxX = 0, MaxDt = 0, MaxCond = 0, MaxOfTol = 0;
  LD CholXs = 0, CholDt = 0;
  for (uint64_t Seed = 0; Seed < 3; ++Seed) {
    RandomProblem Pr =
        randomProblem(Cs.D, Cs.M, Cs.N, 1000 * Cs.D + Seed, Cs.Common);
    auto Sys = encodeSystem<U128>(Pr.A, Pr.B, Cs.D, Cs.M, P128);
    for (unsigned I = 0; I < Cs.D; ++I)
      ASSERT_LT(Sys.Ad[I * Cs.D + I], std::ldexp(1.0L, RandomRange.DiagBits));
    ASSERT_LT(Pr.NormY, std::ldexp(1.0L, RandomRange.RhsBits));
    ASSERT_GT(Sys.Ref.LambdaMin, std::ldexp(1.0L, -int(RandomRange.CondBits)));

    fx::ClearVecOps<U128> O(P128);
    auto Got = fx::newtonSolve(O, Sys.A, Sys.B, Cs.D, Cs.M, RandomRange);
    EXPECT_EQ(O.BoundViolations, 0u);
    EXPECT_EQ(O.PreconditionViolations, 0u);
    const Errors E = measure(Got, Sys, P128);
    const std::string What = "d = " + std::to_string(Cs.D) +
                             ", n = " + std::to_string(Cs.N) +
                             ", seed = " + std::to_string(Seed);
    expectWithin(E, What);

    // At least as accurate as choleskySolve on the same system (up to a
    // few units where both are at the floor).
    fx::ClearVecOps<U128> OC(P128);
    auto Chol = fx::choleskySolve(OC, Sys.A, Sys.B, Cs.D, Cs.M, RandomRange);
    const Errors EC = measure(Chol, Sys, P128);
    const LD Units = std::ldexp(8.0L, -int(P128.F));
    EXPECT_LE(E.XScaled, EC.XScaled + Units) << What;
    EXPECT_LE(E.InvDiagScaled, EC.InvDiagScaled + Units) << What;

    MaxXs = std::max(MaxXs, E.XScaled);
    MaxX = std::max(MaxX, E.X);
    MaxDt = std::max(MaxDt, E.InvDiagScaled);
    MaxCond = std::max(MaxCond, Sys.Ref.cond());
    MaxOfTol = std::max(MaxOfTol, std::max(E.XScaled, E.InvDiagScaled) / E.Tol);
    CholXs = std::max(CholXs, EC.XScaled);
    CholDt = std::max(CholDt, EC.InvDiagScaled);
  }
  std::printf("newton d = %u, m = %u, n = %u: max cond(SAS) %.3Lg; rel. error "
              "X %.3Lg (scaled %.3Lg), InvDiagScaled %.3Lg (%.3Lg of the "
              "tolerance); choleskySolve: scaled %.3Lg, InvDiagScaled %.3Lg\n",
              Cs.D, Cs.M, Cs.N, MaxCond, MaxX, MaxXs, MaxDt, MaxOfTol, CholXs,
              CholDt);
  RecordProperty("max_cond", std::to_string(double(MaxCond)));
  RecordProperty("max_rel_err_x", std::to_string(double(MaxX)));
  RecordProperty("max_scaled_err_x", std::to_string(double(MaxXs)));
  RecordProperty("max_rel_err_invdiag_scaled", std::to_string(double(MaxDt)));
  RecordProperty("cholesky_max_scaled_err_x", std::to_string(double(CholXs)));
  RecordProperty("cholesky_max_rel_err_invdiag_scaled",
                 std::to_string(double(CholDt)));
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, NewtonRandom,
    ::testing::Values(Case{1, 1, 100}, Case{2, 1, 1000}, Case{2, 2, 100000},
                      Case{5, 1, 100}, Case{5, 2, 10000}, Case{11, 1, 100000},
                      Case{11, 2, 3000}, Case{5, 1, 5000, 4.0},
                      Case{11, 1, 2000, 4.0}, Case{20, 1, 3000},
                      Case{20, 1, 3000, 4.0}),
    [](const ::testing::TestParamInfo<Case> &I) {
      return "d" + std::to_string(I.param.D) + "_m" +
             std::to_string(I.param.M) + "_n" + std::to_string(I.param.N) +
             (I.param.Common > 1 ? "_collinear" : "");
    });

TEST(NewtonIllConditioned, NearTheDeclaredRange) {
  // Correlations of 0.99999: lambda_min(S A S) down to 1.06e-6, just
  // above the declared limit 2^-20 = 9.5e-7, cond(S A S) up to 1.8e7; A_ii
  // up to 2^36.5.
  const fx::SolveRange Range{39, 22, 20, 40};
  LD MaxRatio = 0;
  for (unsigned D : {5u, 11u, 20u}) {
    RandomProblem Pr = randomProblem(D, 1, 60, 77, 450.0);
    auto Sys = encodeSystem<U128>(Pr.A, Pr.B, D, 1, P128);
    ASSERT_GT(Sys.Ref.LambdaMin, std::ldexp(1.0L, -int(Range.CondBits)));
    fx::ClearVecOps<U128> O(P128);
    auto Got = fx::newtonSolve(O, Sys.A, Sys.B, D, 1, Range);
    EXPECT_EQ(O.BoundViolations, 0u);
    const Errors E = measure(Got, Sys, P128);
    expectWithin(E, "d = " + std::to_string(D));
    fx::ClearVecOps<U128> OC(P128);
    const Errors EC =
        measure(fx::choleskySolve(OC, Sys.A, Sys.B, D, 1, Range), Sys, P128);
    EXPECT_LE(E.XScaled, EC.XScaled);
    MaxRatio = std::max(MaxRatio, E.XScaled / EC.XScaled);
    std::printf("ill-conditioned d = %u: cond(SAS) %.3Lg; newton scaled X "
                "%.3Lg, InvDiagScaled %.3Lg; choleskySolve %.3Lg, %.3Lg\n",
                D, Sys.Ref.cond(), E.XScaled, E.InvDiagScaled, EC.XScaled,
                EC.InvDiagScaled);
  }
  RecordProperty("max_error_ratio_to_cholesky",
                 std::to_string(double(MaxRatio)));
}

TEST(NewtonMtCars, MatchesR) {
  for (bool WithAm : {false, true}) {
    const unsigned D = WithAm ? 5 : 4;
    const double *RCoef = WithAm ? RCoef4 : RCoef3;
    std::vector<LD> A, B;
    mtcarsSystem(WithAm, A, B);
    auto Sys = encodeSystem<U128>(A, B, D, 1, P128);
    fx::ClearVecOps<U128> O(P128);
    auto Got = fx::newtonSolve(O, Sys.A, Sys.B, D, 1, MtCarsRange);
    EXPECT_EQ(O.BoundViolations, 0u);
    EXPECT_EQ(O.PreconditionViolations, 0u);
    LD MaxVsR = 0, MaxSeVsR = 0;
    for (unsigned I = 0; I < D; ++I) {
      LD X = fx::decodeLong(Got.X[I], P128);
      LD Rel = std::fabs(X - RCoef[I]) / std::fabs(RCoef[I]);
      EXPECT_LE(Rel, 1e-9L) << "coefficient " << I << ": " << double(X);
      MaxVsR = std::max(MaxVsR, Rel);
      if (WithAm) {
        LD Dt = fx::decodeLong(Got.InvDiagScaled[I], P128);
        LD Se = RSigma4 * std::sqrt(Dt / Sys.Ad[I * D + I]);
        LD SeRel = std::fabs(Se - RStdErr4[I]) / RStdErr4[I];
        EXPECT_LE(SeRel, 1e-9L) << "standard error " << I << ": " << double(Se);
        MaxSeVsR = std::max(MaxSeVsR, SeRel);
      }
    }
    const Errors E = measure(Got, Sys, P128);
    expectWithin(E, "mtcars");
    const std::string Tag = WithAm ? "lm4" : "lm3";
    std::printf("newton mtcars %s: cond(SAS) %.4Lg; rel. error vs R: coef "
                "%.3Lg, std. err. %.3Lg; vs long double: X %.3Lg (scaled "
                "%.3Lg), InvDiagScaled %.3Lg\n",
                Tag.c_str(), Sys.Ref.cond(), MaxVsR, MaxSeVsR, E.X, E.XScaled,
                E.InvDiagScaled);
    RecordProperty(Tag + "_max_rel_err_vs_r", std::to_string(double(MaxVsR)));
    RecordProperty(Tag + "_max_rel_err_se_vs_r",
                   std::to_string(double(MaxSeVsR)));
  }
}

TEST(NewtonRing64, SmallSystemAtF16) {
  // Z_2^64 at F = 16 admits only small ranges (DiagBits <= 15, CondBits +
  // 2 + u + log2(d) + 6 <= 16) and truncates every product exactly: it
  // runs, but has no round advantage there.
  std::vector<std::vector<LD>> X, Y;
  for (int R = 0; R < 30; ++R) {
    LD T = (R * 7 % 30) / 10.0L;
    X.push_back({1.0L, T});
    Y.push_back({2.0L + 0.5L * T + ((R % 3) - 1) * 0.25L});
  }
  std::vector<LD> A, B;
  gram(X, Y, A, B);
  const fx::SolveRange R64{12, 6, 4, 40};
  ASSERT_TRUE(fx::newtonShape(P64, 2, 1, R64).Valid);
  EXPECT_FALSE(fx::newtonShape(P64, 2, 1, fx::SolveRange{25, 10, 8, 40}).Valid);
  auto Sys = encodeSystem<uint64_t>(A, B, 2, 1, P64);
  ASSERT_GT(Sys.Ref.LambdaMin, std::ldexp(1.0L, -int(R64.CondBits)));
  fx::ClearVecOps<uint64_t> O(P64);
  auto Got = fx::newtonSolve(O, Sys.A, Sys.B, 2, 1, R64);
  EXPECT_EQ(O.BoundViolations, 0u);
  const Errors E = measure(Got, Sys, P64);
  EXPECT_LE(E.XScaled, 1e-3L);
  EXPECT_LE(E.InvDiagScaled, 1e-3L);
  std::printf("newton Z_2^64 F=16 d = 2: scaled X %.3Lg, InvDiagScaled %.3Lg\n",
              E.XScaled, E.InvDiagScaled);
}

//===----------------------------------------------------------------------===//
// Data independence and shape
//===----------------------------------------------------------------------===//

TEST(NewtonObliviousness, SameTraceForDifferentInputs) {
  expectSameTraceForDifferentInputs(
      P128, [](auto &O, auto &A, auto &B, unsigned D, unsigned M) {
        (void)fx::newtonSolve(O, A, B, D, M, RandomRange);
      });
}

/// The iteration count: the least k with 1 / T_(2^k)(1 / (1 - eps)) <=
/// 2^-(F/2), eps = 2^-(u + CondBits + 2), u = floor(log2 d); in closed form
/// ceil((u + CondBits + 1) / 2 + log2((F/2 + 1) ln 2)).
unsigned iterationsFormula(unsigned D, unsigned CondBits, unsigned F) {
  unsigned U = 0;
  while ((1u << (U + 1)) <= D)
    ++U;
  return unsigned(std::ceil((U + CondBits + 1) / 2.0 +
                            std::log2((F / 2 + 1) * std::log(2.0))));
}

TEST(NewtonShape, IterationsAndValidity) {
  for (unsigned C = 0; C <= 24; ++C)
    for (unsigned D = 1; D <= 40; ++D) {
      fx::NewtonShape S =
          fx::newtonShape(P128, D, 1, fx::SolveRange{32, 7, C, 40});
      if (!S.Valid)
        continue;
      EXPECT_EQ(S.Iterations, iterationsFormula(D, C, P128.F))
          << "d = " << D << ", CondBits = " << C;
      // The iteration's products truncate probabilistically.
      for (unsigned J = 0; J < S.Iterations; ++J)
        EXPECT_LE(S.Steps[J].Bound, 128u - 1 - 40);
      EXPECT_LE(S.BoundEquil, 128u - 1 - 40);
    }
  // The iteration counts of the report (CondBits 20, F = 40).
  EXPECT_EQ(fx::newtonShape(P128, 4, 1, RandomRange).Iterations, 16u);
  EXPECT_EQ(fx::newtonShape(P128, 5, 1, RandomRange).Iterations, 16u);
  EXPECT_EQ(fx::newtonShape(P128, 11, 1, RandomRange).Iterations, 16u);
  EXPECT_EQ(fx::newtonShape(P128, 20, 1, RandomRange).Iterations, 17u);
  // Every test range is valid with the output selects; refused ranges.
  for (unsigned D : {1u, 4u, 5u, 11u, 20u}) {
    EXPECT_TRUE(fx::newtonShape(P128, D, 1, RandomRange).SelectOut);
    EXPECT_TRUE(fx::newtonShape(P128, D, 1, MtCarsRange).SelectOut);
  }
  EXPECT_FALSE(fx::newtonShape(P128, 0, 1, RandomRange).Valid);
  EXPECT_FALSE(
      fx::newtonShape(P128, 4, 1, fx::SolveRange{40, 7, 20, 40}).Valid);
  EXPECT_FALSE(
      fx::newtonShape(P128, 20, 1, fx::SolveRange{32, 23, 20, 40}).Valid);
  EXPECT_FALSE(
      fx::newtonShape(P128, 20, 1, fx::SolveRange{32, 7, 24, 40}).Valid);
  EXPECT_TRUE(
      fx::newtonShape(P128, 11, 1, fx::SolveRange{32, 22, 20, 40}).Valid);
}

TEST(NewtonShape, CallsAsFunctionOfD) {
  for (unsigned D = 1; D <= 20; ++D) {
    RandomProblem Pr = randomProblem(D, 1, 2 * D + 50, D);
    auto Sys = encodeSystem<U128>(Pr.A, Pr.B, D, 1, P128);
    fx::ClearVecOps<U128> O(P128);
    fx::SolveInfo Info;
    (void)fx::newtonSolve(O, Sys.A, Sys.B, D, 1, RandomRange, &Info);
    const fx::NewtonShape S = fx::newtonShape(P128, D, 1, RandomRange);
    EXPECT_EQ(O.BoundViolations, 0u) << "d = " << D;
    // No kernel; the equilibration, k iteration steps and two refinement
    // calls; one msb and two selects.
    EXPECT_EQ(Info.RsqrtCalls, 0u);
    EXPECT_EQ(Info.ProductCalls, S.Iterations + 3);
    EXPECT_EQ(O.Counts[fx::Prim::Msb], 1u);
    EXPECT_EQ(O.Counts[fx::Prim::Select], 2u);
  }
}

//===----------------------------------------------------------------------===//
// rep3
//===----------------------------------------------------------------------===//

using namespace sstat::runtime::rep3;

template <class T> Share<T> share(Rep3 &Party, const std::vector<T> &V) {
  std::vector<T> Mine = Party.id() == 0 ? V : std::vector<T>{};
  return Party.input<T>(0, Mine, V.size());
}

/// One solve on shares, opened, with party 1's view of the traffic.
struct Rep3Run {
  fx::SolveResult<std::vector<U128>> Out;
  fx::SolveInfo Info;
  std::array<ChannelStats, 3> Stats;
  Rep3FxOps<U128>::TruncCounts Truncs;
  double Seconds = 0;
};

Rep3Run solveOnShares(const System<U128> &S, const fx::SolveRange &Range) {
  Rep3Run Run;
  test::run3([&](Rep3 &Party) {
    Share<U128> SA = share(Party, S.A), SB = share(Party, S.B);
    Rep3FxOps<U128> Inner(Party, P128, 1);
    fx::Rep3VecOps<U128> O(Inner);
    fx::SolveInfo Info;
    Party.channel().resetStats();
    const auto T0 = std::chrono::steady_clock::now();
    auto R = fx::newtonSolve(O, SA, SB, S.D, S.M, Range, &Info);
    const auto T1 = std::chrono::steady_clock::now();
    Run.Stats[Party.id()] = Party.channel().stats();
    fx::SolveResult<std::vector<U128>> Opened;
    Opened.X = Party.open(R.X);
    Opened.InvDiag = Party.open(R.InvDiag);
    Opened.Scale = Party.open(R.Scale);
    Opened.InvDiagScaled = Party.open(R.InvDiagScaled);
    if (Party.id() == 1) {
      Run.Out = std::move(Opened);
      Run.Info = Info;
      Run.Truncs = Inner.truncCounts();
      Run.Seconds = std::chrono::duration<double>(T1 - T0).count();
    }
  });
  return Run;
}

/// Rounds (party 1's channel) of the pieces of the cost model.
struct PieceRounds {
  uint64_t Msb = 0, Select = 0, MulProb = 0, MulExact = 0;
};

PieceRounds measurePieces(unsigned MsbWidth) {
  PieceRounds R;
  test::run3([&](Rep3 &Party) {
    std::vector<U128> One = {U128(1) << P128.F};
    Share<U128> X = share(Party, One);
    Rep3FxOps<U128> O(Party, P128, 1);
    auto Rounds = [&](auto Fn) {
      Party.channel().resetStats();
      Fn();
      return Party.channel().stats().rounds;
    };
    PieceRounds Mine;
    Mine.Msb = Rounds([&] { (void)O.msb(X, MsbWidth); });
    Mine.Select = Rounds([&] { (void)O.select(X, X, X); });
    Mine.MulProb = Rounds([&] { (void)O.mulTrunc(X, X, 2 * P128.F + 2); });
    Mine.MulExact = Rounds([&] { (void)O.mulTrunc(X, X, 127); });
    if (Party.id() == 1)
      R = Mine;
  });
  return R;
}

/// The cost model: one msb, the select of W and Bt, every product call by
/// its truncation kind, and the output selects. The truncations by public
/// shifts (of A, B, z and diag(X1)) join the receive phase of the call
/// before them: party 0 can send them as soon as it has the operand.
uint64_t predictedRounds(const fx::SolveInfo &Info, const fx::NewtonShape &S,
                         const PieceRounds &R) {
  uint64_t Total = R.Msb + R.Select + (S.SelectOut ? R.Select : 0);
  for (unsigned B : Info.Bounds)
    Total += B + 1 + 40 <= P128.K ? R.MulProb : R.MulExact;
  return Total;
}

/// Runs one system on shares and on cleartext: both within the tolerance,
/// within twice of each other, rounds as the model.
Rep3Run checkSystem(const std::string &Name, const System<U128> &S,
                    const fx::SolveRange &Range) {
  const fx::NewtonShape Sh = fx::newtonShape(P128, S.D, S.M, Range);
  const PieceRounds Pieces = measurePieces(Sh.Width);
  fx::ClearVecOps<U128> Clear(P128);
  fx::SolveInfo ClearInfo;
  auto C = fx::newtonSolve(Clear, S.A, S.B, S.D, S.M, Range, &ClearInfo);
  EXPECT_EQ(Clear.BoundViolations, 0u) << Name;
  Rep3Run Run = solveOnShares(S, Range);
  EXPECT_EQ(Run.Info.Bounds, ClearInfo.Bounds) << Name;

  const Errors E = measure(Run.Out, S, P128);
  const LD Tol = E.Tol;
  expectWithin(E, Name);
  // Shares against cleartext: X in the scaled norm, A_ii diag(A^-1)_i.
  LD DiffX = 0, DiffDt = 0;
  {
    LD Norm = 0;
    for (unsigned I = 0; I < S.D; ++I)
      Norm += S.Ref.X[I] * S.Ref.X[I] * S.Ad[I * S.D + I];
    Norm = std::sqrt(Norm);
    for (unsigned I = 0; I < S.D; ++I) {
      LD A = fx::decodeLong(Run.Out.X[I * S.M], P128),
         B = fx::decodeLong(C.X[I * S.M], P128);
      DiffX = std::max(DiffX,
                       std::fabs(A - B) * std::sqrt(S.Ad[I * S.D + I]) / Norm);
      A = fx::decodeLong(Run.Out.InvDiagScaled[I], P128);
      B = fx::decodeLong(C.InvDiagScaled[I], P128);
      DiffDt = std::max(DiffDt, std::fabs(A - B) / B);
    }
  }
  EXPECT_LE(DiffX, 2 * Tol) << Name;
  EXPECT_LE(DiffDt, 2 * Tol) << Name;
  EXPECT_EQ(Run.Out.Scale, C.Scale) << Name; // powers of two, exact

  const uint64_t Rounds = Run.Stats[1].rounds;
  const uint64_t Predicted = predictedRounds(Run.Info, Sh, Pieces);
  EXPECT_EQ(Rounds, Predicted) << Name;
  EXPECT_EQ(Rounds, Pieces.Msb + Sh.Iterations + 23) << Name;
  std::printf("newton %s (d = %u, m = %u, Z_2^128, F = 40): cond(SAS) %.4Lg; "
              "rel. error X %.3Lg (scaled %.3Lg), InvDiagScaled %.3Lg "
              "(tolerance %.3Lg); vs cleartext X %.3Lg (scaled), InvDiagScaled "
              "%.3Lg; "
              "rounds %llu (model %llu: msb %llu + k %u + 23); bytes sent per "
              "party %llu / %llu / %llu; truncations %llu probabilistic, %llu "
              "exact; %.1f ms\n",
              Name.c_str(), S.D, S.M, S.Ref.cond(), E.X, E.XScaled,
              E.InvDiagScaled, Tol, DiffX, DiffDt, (unsigned long long)Rounds,
              (unsigned long long)Predicted, (unsigned long long)Pieces.Msb,
              Sh.Iterations, (unsigned long long)Run.Stats[0].bytesSent,
              (unsigned long long)Run.Stats[1].bytesSent,
              (unsigned long long)Run.Stats[2].bytesSent,
              (unsigned long long)Run.Truncs.Probabilistic,
              (unsigned long long)Run.Truncs.Exact, 1000 * Run.Seconds);
  ::testing::Test::RecordProperty(Name + "_rounds", std::to_string(Rounds));
  for (int I = 0; I < 3; ++I)
    ::testing::Test::RecordProperty(Name + "_bytes_party" + std::to_string(I),
                                    std::to_string(Run.Stats[I].bytesSent));
  ::testing::Test::RecordProperty(Name + "_rel_err_x",
                                  std::to_string(double(E.X)));
  ::testing::Test::RecordProperty(Name + "_seconds",
                                  std::to_string(Run.Seconds));
  return Run;
}

TEST(NewtonRep3, MtCarsMatchesR) {
  for (bool WithAm : {false, true}) {
    const unsigned D = WithAm ? 5 : 4;
    std::vector<LD> A, B;
    mtcarsSystem(WithAm, A, B);
    auto Sys = encodeSystem<U128>(A, B, D, 1, P128);
    Rep3Run Run =
        checkSystem(WithAm ? "mtcars_lm4" : "mtcars_lm3", Sys, MtCarsRange);
    const double *Coef = WithAm ? RCoef4 : RCoef3;
    for (unsigned I = 0; I < D; ++I) {
      LD X = fx::decodeLong(Run.Out.X[I], P128);
      EXPECT_LE(std::fabs(X - Coef[I]) / std::fabs(Coef[I]), 1e-9L)
          << "coefficient " << I << ": " << double(X);
      if (WithAm) {
        LD Dt = fx::decodeLong(Run.Out.InvDiagScaled[I], P128);
        LD Se = RSigma4 * std::sqrt(Dt / A[I * D + I]);
        EXPECT_LE(std::fabs(Se - RStdErr4[I]) / RStdErr4[I], 1e-9L)
            << "standard error " << I << ": " << double(Se);
      }
    }
  }
}

TEST(NewtonRep3, RandomSystems) {
  // The systems of Rep3LinalgTest, and d = 4.
  for (auto [D, N] : {std::pair<unsigned, unsigned>{4, 10000},
                      {5, 10000},
                      {11, 3000},
                      {20, 3000}}) {
    RandomProblem Pr = randomProblem(D, 1, N, 4000 + D);
    auto Sys = encodeSystem<U128>(Pr.A, Pr.B, D, 1, P128);
    Rep3Run Run = checkSystem("random_d" + std::to_string(D), Sys, RandomRange);
    EXPECT_LE(Run.Stats[1].rounds, 60u);
  }
}

} // namespace
