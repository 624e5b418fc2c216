//===- Rep3LinalgTest.cpp - The SPD solver on rep3 shares -----------------===//
//
// choleskySolve (FixedPointLinalg.h) on rep3 shares: three parties on three
// threads over MemoryNetwork, through Rep3VecOps (a wrapper of Rep3FxOps),
// against the cleartext executor (ClearVecOps) on the same inputs and
// against long double / R:
//  - mtcars lm(mpg ~ wt + hp + qsec) and lm(mpg ~ wt + hp + qsec + am) in
//    Z_2^128 with F = 40: R's coefficients to relative 1e-6, and R's
//    standard errors for the second;
//  - random Gram matrices (d = 5, 11, 20) in Z_2^128 and d = 3 in Z_2^64;
//  - the rounds: the measured total equals the cost model, d rsqrt kernels
//    plus the product calls (each with its truncation kind), with the
//    kernel's and the products' rounds measured on the same network; rounds
//    and bytes per party are printed and recorded as test properties.
// The results differ from the cleartext executor only by the probabilistic
// truncations' unit errors (the exact ones are the floor), which the
// elimination propagates like its own rounding: the test holds both
// differences to twice the cleartext tolerance.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointKernels.h"
#include "sstat/runtime/FixedPointLinalg.h"
#include "sstat/runtime/FixedPointOps.h"
#include "sstat/runtime/rep3/Channel.h"
#include "sstat/runtime/rep3/FxOps.h"
#include "sstat/runtime/rep3/Rep3.h"

#include "Rep3TestUtil.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace sstat::runtime::rep3;
namespace fx = sstat::runtime::fx;
using fx::Params;
using fx::U128;

namespace {

using LD = long double;
using test::run3;

constexpr Params P128{128, 40};
constexpr Params P64{64, 16};

template <class T> Share<T> share(Rep3 &p, const std::vector<T> &v) {
  std::vector<T> mine = p.id() == 0 ? v : std::vector<T>{};
  return p.input<T>(0, mine, v.size());
}

template <class Ring> Ring encodeExact(LD V, Params P) {
  return fx::fromSigned<Ring>(
      static_cast<typename fx::RingTraits<Ring>::Signed>(
          std::roundl(std::ldexp(V, static_cast<int>(P.F)))));
}

template <class Ring>
std::vector<Ring> encodeAll(const std::vector<LD> &V, Params P,
                            std::vector<LD> &Decoded) {
  std::vector<Ring> Out;
  Decoded.clear();
  for (LD X : V) {
    Out.push_back(encodeExact<Ring>(X, P));
    Decoded.push_back(fx::decodeLong(Out.back(), P));
  }
  return Out;
}

void gram(const std::vector<std::vector<LD>> &X,
          const std::vector<std::vector<LD>> &Y, std::vector<LD> &A,
          std::vector<LD> &B) {
  const size_t D = X[0].size(), M = Y[0].size();
  A.assign(D * D, 0);
  B.assign(D * M, 0);
  for (size_t R = 0; R < X.size(); ++R)
    for (size_t I = 0; I < D; ++I) {
      for (size_t J = 0; J < D; ++J)
        A[I * D + J] += X[R][I] * X[R][J];
      for (size_t C = 0; C < M; ++C)
        B[I * M + C] += X[R][I] * Y[R][C];
    }
}

/// The exact solution, diag(A^-1) and cond(S A S), in long double.
struct Reference {
  std::vector<LD> X, InvDiag;
  LD Cond = 0;
};

Reference reference(const std::vector<LD> &A, const std::vector<LD> &B,
                    unsigned D, unsigned M) {
  // Gauss-Jordan inverse (D <= 11, SPD: no pivoting needed).
  std::vector<LD> G = A, Inv(D * D, 0);
  for (unsigned I = 0; I < D; ++I)
    Inv[I * D + I] = 1;
  for (unsigned J = 0; J < D; ++J) {
    LD Piv = G[J * D + J];
    for (unsigned C = 0; C < D; ++C) {
      G[J * D + C] /= Piv;
      Inv[J * D + C] /= Piv;
    }
    for (unsigned I = 0; I < D; ++I) {
      if (I == J)
        continue;
      LD F = G[I * D + J];
      for (unsigned C = 0; C < D; ++C) {
        G[I * D + C] -= F * G[J * D + C];
        Inv[I * D + C] -= F * Inv[J * D + C];
      }
    }
  }
  Reference R;
  R.X.assign(D * M, 0);
  for (unsigned I = 0; I < D; ++I)
    for (unsigned C = 0; C < M; ++C)
      for (unsigned K = 0; K < D; ++K)
        R.X[I * M + C] += Inv[I * D + K] * B[K * M + C];
  for (unsigned I = 0; I < D; ++I)
    R.InvDiag.push_back(Inv[I * D + I]);
  auto Sc = [&](unsigned I) { return std::sqrt(A[I * D + I]); };
  auto Power = [&](auto Entry) {
    std::vector<LD> V(D, 1);
    LD Lambda = 0;
    for (int It = 0; It < 500; ++It) {
      std::vector<LD> W(D, 0);
      for (unsigned I = 0; I < D; ++I)
        for (unsigned J = 0; J < D; ++J)
          W[I] += Entry(I, J) * V[J];
      LD N = 0;
      for (LD X : W)
        N += X * X;
      Lambda = std::sqrt(N);
      for (unsigned I = 0; I < D; ++I)
        V[I] = W[I] / Lambda;
    }
    return Lambda;
  };
  R.Cond = Power([&](unsigned I, unsigned J) {
             return A[I * D + J] / (Sc(I) * Sc(J));
           }) *
           Power([&](unsigned I, unsigned J) {
             return Inv[I * D + J] * Sc(I) * Sc(J);
           });
  return R;
}

/// A random regression problem as in FixedPointLinalgTest: intercept plus
/// columns of scale 0.5 .. 100, y = X beta + noise.
void randomProblem(unsigned D, unsigned N, uint64_t Seed, std::vector<LD> &A,
                   std::vector<LD> &B) {
  std::mt19937_64 G(Seed);
  std::uniform_real_distribution<double> U(0, 1);
  std::normal_distribution<double> Z(0, 1);
  std::vector<double> Scale(D, 1), Mean(D, 1), Sd(D, 0);
  for (unsigned J = 1; J < D; ++J) {
    Scale[J] = 0.5 * std::pow(200.0, U(G));
    Mean[J] = Scale[J] * (2 * U(G) - 1);
    Sd[J] = Scale[J] * (0.5 + U(G));
  }
  std::vector<LD> Beta(D);
  for (unsigned J = 0; J < D; ++J)
    Beta[J] = (G() & 1 ? 1 : -1) * (0.5 + 1.5 * U(G)) / Scale[J];
  std::vector<std::vector<LD>> X(N, std::vector<LD>(D)),
      Y(N, std::vector<LD>(1));
  for (unsigned R = 0; R < N; ++R) {
    double Common = Z(G);
    LD V = 0;
    for (unsigned J = 0; J < D; ++J) {
      X[R][J] =
          J == 0
              ? 1.0L
              : std::round(LD(Mean[J] + Sd[J] * (0.8 * Z(G) + 0.3 * Common)) *
                           1000) /
                    1000;
      V += Beta[J] * X[R][J];
    }
    Y[R][0] = std::round((V + Z(G)) * 1000) / 1000;
  }
  gram(X, Y, A, B);
}

/// mtcars: mpg, wt, hp, qsec, am.
constexpr double MtCars[32][5] = {
    {21, 2.62, 110, 16.46, 1},    {21, 2.875, 110, 17.02, 1},
    {22.8, 2.32, 93, 18.61, 1},   {21.4, 3.215, 110, 19.44, 0},
    {18.7, 3.44, 175, 17.02, 0},  {18.1, 3.46, 105, 20.22, 0},
    {14.3, 3.57, 245, 15.84, 0},  {24.4, 3.19, 62, 20, 0},
    {22.8, 3.15, 95, 22.9, 0},    {19.2, 3.44, 123, 18.3, 0},
    {17.8, 3.44, 123, 18.9, 0},   {16.4, 4.07, 180, 17.4, 0},
    {17.3, 3.73, 180, 17.6, 0},   {15.2, 3.78, 180, 18, 0},
    {10.4, 5.25, 205, 17.98, 0},  {10.4, 5.424, 215, 17.82, 0},
    {14.7, 5.345, 230, 17.42, 0}, {32.4, 2.2, 66, 19.47, 1},
    {30.4, 1.615, 52, 18.52, 1},  {33.9, 1.835, 65, 19.9, 1},
    {21.5, 2.465, 97, 20.01, 0},  {15.5, 3.52, 150, 16.87, 0},
    {15.2, 3.435, 150, 17.3, 0},  {13.3, 3.84, 245, 15.41, 0},
    {19.2, 3.845, 175, 17.05, 0}, {27.3, 1.935, 66, 18.9, 1},
    {26, 2.14, 91, 16.7, 1},      {30.4, 1.513, 113, 16.9, 1},
    {15.8, 3.17, 264, 14.5, 1},   {19.7, 2.77, 175, 15.5, 1},
    {15, 3.57, 335, 14.6, 1},     {21.4, 2.78, 109, 18.6, 1}};

/// lm(mpg ~ wt + hp + qsec): the exact least-squares solution (R agrees:
/// 27.61052686, -4.35879720, -0.01782227, 0.51083369).
constexpr double RCoef3[4] = {27.61052685820498, -4.358797200162681,
                              -0.01782227160554255, 0.5108336942450552};
/// R 4.2.2, lm(mpg ~ wt + hp + qsec + am) (shared/datasets/expected).
constexpr double RCoef4[5] = {17.440191102055387, -3.2380968198705062,
                              -0.017646542516629598, 0.8106025419653574,
                              2.9255039413585755};
constexpr double RStdErr4[5] = {9.318868767737643, 0.8898985817320362,
                                0.01415060319355281, 0.43887026403046875,
                                1.3971471010806091};
constexpr double RSigma4 = 2.434828005111409;

void mtcarsSystem(bool WithAm, std::vector<LD> &A, std::vector<LD> &B) {
  std::vector<std::vector<LD>> X, Y;
  for (const auto &R : MtCars) {
    X.push_back({1.0L, LD(R[1]), LD(R[2]), LD(R[3])});
    if (WithAm)
      X.back().push_back(LD(R[4]));
    Y.push_back({LD(R[0])});
  }
  gram(X, Y, A, B);
}

/// One solve on shares, opened.
template <class Ring> struct Rep3Run {
  fx::SolveResult<std::vector<Ring>> Out;
  fx::SolveInfo Info;
  std::array<ChannelStats, 3> Stats;
  typename Rep3FxOps<Ring>::TruncCounts Truncs;
};

template <class Ring>
Rep3Run<Ring> solveOnShares(Params P, const std::vector<Ring> &A,
                            const std::vector<Ring> &B, unsigned D, unsigned M,
                            const fx::SolveRange &Range) {
  Rep3Run<Ring> Run;
  run3([&](Rep3 &Party) {
    Share<Ring> SA = share(Party, A), SB = share(Party, B);
    Rep3FxOps<Ring> Inner(Party, P, 1);
    fx::Rep3VecOps<Ring> O(Inner);
    fx::SolveInfo Info;
    Party.channel().resetStats();
    auto R = fx::choleskySolve(O, SA, SB, D, M, Range, &Info);
    Run.Stats[Party.id()] = Party.channel().stats();
    fx::SolveResult<std::vector<Ring>> Opened;
    Opened.X = Party.open(R.X);
    Opened.InvDiag = Party.open(R.InvDiag);
    Opened.Scale = Party.open(R.Scale);
    Opened.InvDiagScaled = Party.open(R.InvDiagScaled);
    if (Party.id() == 0) {
      Run.Out = std::move(Opened);
      Run.Info = Info;
      Run.Truncs = Inner.truncCounts();
    }
  });
  return Run;
}

/// Rounds (party 1's channel) of the pieces of the cost model.
struct PieceRounds {
  uint64_t Rsqrt = 0, MulProb = 0, MulExact = 0, TruncProb = 0;
};

template <class Ring> PieceRounds measurePieces(Params P) {
  PieceRounds R;
  const unsigned K = P.K;
  run3([&](Rep3 &Party) {
    std::vector<Ring> One = {Ring(1) << P.F};
    Share<Ring> X = share(Party, One);
    Rep3FxOps<Ring> O(Party, P, 1);
    auto Rounds = [&](auto Fn) {
      Party.channel().resetStats();
      Fn();
      return Party.channel().stats().rounds;
    };
    uint64_t Rs = Rounds([&] { (void)fx::rsqrt(O, X); });
    uint64_t Mp = Rounds([&] { (void)O.mulTrunc(X, X, 2 * P.F + 2); });
    uint64_t Me = Rounds([&] { (void)O.mulTrunc(X, X, K - 1); });
    uint64_t Tp = Rounds([&] { (void)O.trunc(X, 1, P.F + 2); });
    if (Party.id() == 1)
      R = {Rs, Mp, Me, Tp};
  });
  return R;
}

/// The cost model: rsqrt calls plus each product call by its truncation
/// kind. Rounds are the channel's count at party 1 (receive phases, the
/// convention of Rep3FxOpsTest), where a probabilistic truncation's message
/// from party 0 joins the receive phase of the reshare before it: so a
/// product with a probabilistic truncation counts 1 (its latency is two
/// messages), and the first pivot's truncation (DiagBits <= F - 4), which
/// directly follows one, counts 0.
uint64_t predictedRounds(const fx::SolveInfo &Info, const PieceRounds &R,
                         Params P) {
  uint64_t Total = uint64_t(Info.RsqrtCalls) * R.Rsqrt;
  for (unsigned B : Info.Bounds)
    Total += B + 1 + 40 <= P.K ? R.MulProb : R.MulExact;
  return Total;
}

/// |a - b| / |b| over the elements; Scale: 0 for X (componentwise) or the
/// reference values.
template <class Ring>
LD maxRel(const std::vector<Ring> &Got, const std::vector<LD> &Want, Params P) {
  LD M = 0;
  for (size_t I = 0; I < Want.size(); ++I)
    M = std::max(M, std::fabs(fx::decodeLong(Got[I], P) - Want[I]) /
                        std::fabs(Want[I]));
  return M;
}
template <class Ring>
std::vector<LD> decodeAll(const std::vector<Ring> &V, Params P) {
  std::vector<LD> Out;
  for (Ring X : V)
    Out.push_back(fx::decodeLong(X, P));
  return Out;
}

/// Runs one system on shares and on cleartext; checks both differences
/// within twice the cleartext tolerance 2^-F (4 2^(2h) + 10 cond d), the
/// rounds against the model; returns the rep3 run.
template <class Ring>
Rep3Run<Ring> checkSystem(const std::string &Name, Params P,
                          const std::vector<LD> &A, const std::vector<LD> &B,
                          unsigned D, unsigned M, const fx::SolveRange &Range,
                          const PieceRounds &Pieces) {
  std::vector<LD> Ad, Bd;
  std::vector<Ring> AR = encodeAll<Ring>(A, P, Ad),
                    BR = encodeAll<Ring>(B, P, Bd);
  Reference Ref = reference(Ad, Bd, D, M);
  fx::ClearVecOps<Ring> Clear(P);
  fx::SolveInfo ClearInfo;
  auto C = fx::choleskySolve(Clear, AR, BR, D, M, Range, &ClearInfo);
  EXPECT_EQ(Clear.BoundViolations, 0u) << Name;
  Rep3Run<Ring> Run = solveOnShares(P, AR, BR, D, M, Range);
  EXPECT_EQ(Run.Info.Bounds, ClearInfo.Bounds) << Name;

  const LD Tol = std::ldexp(1.0L, -int(P.F)) *
                 (4 * std::ldexp(1.0L, 2 * int(ClearInfo.Shape.Shift)) +
                  10 * Ref.Cond * D);
  std::vector<LD> WantDt(D);
  for (unsigned I = 0; I < D; ++I)
    WantDt[I] = Ad[I * D + I] * Ref.InvDiag[I];
  const LD ErrX = maxRel(Run.Out.X, Ref.X, P);
  const LD ErrDt = maxRel(Run.Out.InvDiagScaled, WantDt, P);
  const LD DiffX = maxRel(Run.Out.X, decodeAll(C.X, P), P);
  const LD DiffDt =
      maxRel(Run.Out.InvDiagScaled, decodeAll(C.InvDiagScaled, P), P);
  EXPECT_LE(ErrX, 2 * Tol) << Name;
  EXPECT_LE(ErrDt, 2 * Tol) << Name;
  EXPECT_LE(DiffX, 2 * Tol) << Name;
  EXPECT_LE(DiffDt, 2 * Tol) << Name;

  const uint64_t Rounds = Run.Stats[1].rounds;
  const uint64_t Predicted = predictedRounds(Run.Info, Pieces, P);
  EXPECT_EQ(Rounds, Predicted) << Name;
  std::printf("%s (d = %u, m = %u, Z_2^%u, F = %u): cond(SAS) %.4Lg; rel. "
              "error X %.3Lg, InvDiagScaled %.3Lg (tolerance %.3Lg); vs "
              "cleartext X %.3Lg, InvDiagScaled %.3Lg; rounds %llu (model "
              "%llu: %u rsqrt x %llu + %u product calls); bytes sent per "
              "party %llu / %llu / %llu; truncations %llu probabilistic, "
              "%llu exact\n",
              Name.c_str(), D, M, P.K, P.F, Ref.Cond, ErrX, ErrDt, Tol, DiffX,
              DiffDt, (unsigned long long)Rounds, (unsigned long long)Predicted,
              Run.Info.RsqrtCalls, (unsigned long long)Pieces.Rsqrt,
              Run.Info.ProductCalls, (unsigned long long)Run.Stats[0].bytesSent,
              (unsigned long long)Run.Stats[1].bytesSent,
              (unsigned long long)Run.Stats[2].bytesSent,
              (unsigned long long)Run.Truncs.Probabilistic,
              (unsigned long long)Run.Truncs.Exact);
  ::testing::Test::RecordProperty(Name + "_rounds", std::to_string(Rounds));
  for (int I = 0; I < 3; ++I)
    ::testing::Test::RecordProperty(Name + "_bytes_party" + std::to_string(I),
                                    std::to_string(Run.Stats[I].bytesSent));
  ::testing::Test::RecordProperty(Name + "_rel_err_x",
                                  std::to_string(double(ErrX)));
  ::testing::Test::RecordProperty(Name + "_rel_diff_vs_cleartext_x",
                                  std::to_string(double(DiffX)));
  return Run;
}

TEST(Rep3Linalg, MtCarsMatchesR) {
  const PieceRounds Pieces = measurePieces<U128>(P128);
  std::printf("Z_2^128 F=40 pieces: rsqrt %llu rounds, product %llu "
              "(probabilistic) / %llu (exact), truncation %llu\n",
              (unsigned long long)Pieces.Rsqrt,
              (unsigned long long)Pieces.MulProb,
              (unsigned long long)Pieces.MulExact,
              (unsigned long long)Pieces.TruncProb);
  const fx::SolveRange Range{20, 7, 20, 40};
  for (bool WithAm : {false, true}) {
    const unsigned D = WithAm ? 5 : 4;
    std::vector<LD> A, B;
    mtcarsSystem(WithAm, A, B);
    auto Run = checkSystem<U128>(WithAm ? "mtcars_lm4" : "mtcars_lm3", P128, A,
                                 B, D, 1, Range, Pieces);
    const double *Coef = WithAm ? RCoef4 : RCoef3;
    for (unsigned I = 0; I < D; ++I) {
      LD X = fx::decodeLong(Run.Out.X[I], P128);
      EXPECT_LE(std::fabs(X - Coef[I]) / std::fabs(Coef[I]), 1e-6L)
          << "coefficient " << I << ": " << double(X);
      if (WithAm) {
        LD Dt = fx::decodeLong(Run.Out.InvDiagScaled[I], P128);
        LD Se = RSigma4 * std::sqrt(Dt / A[I * D + I]);
        EXPECT_LE(std::fabs(Se - RStdErr4[I]) / RStdErr4[I], 1e-6L)
            << "standard error " << I << ": " << double(Se);
      }
    }
    // The rounds: d kernels dominate.
    EXPECT_EQ(Run.Info.RsqrtCalls, D);
    EXPECT_EQ(Run.Info.ProductCalls, 2 * D + 4);
  }
}

TEST(Rep3Linalg, RandomSystemsRing128) {
  const PieceRounds Pieces = measurePieces<U128>(P128);
  const fx::SolveRange Range{32, 22, 20, 40};
  for (auto [D, N] :
       {std::pair<unsigned, unsigned>{5, 10000}, {11, 3000}, {20, 3000}}) {
    std::vector<LD> A, B;
    randomProblem(D, N, 4000 + D, A, B);
    (void)checkSystem<U128>("random_d" + std::to_string(D), P128, A, B, D, 1,
                            Range, Pieces);
  }
}

TEST(Rep3Linalg, RandomSystemRing64) {
  const PieceRounds Pieces = measurePieces<uint64_t>(P64);
  const fx::SolveRange Range{25, 10, 8, 40};
  std::vector<LD> A, B;
  randomProblem(3, 500, 901, A, B);
  auto Run =
      checkSystem<uint64_t>("random64_d3", P64, A, B, 3, 1, Range, Pieces);
  // Every truncation of a product is exact in Z_2^64 at F = 16 (l > 23).
  EXPECT_GT(Run.Truncs.Exact, 0u);
}

} // namespace
