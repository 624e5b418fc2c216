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

#include "LinalgTestData.h"
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

using namespace sstat::runtime::fx::linalgtest;
using test::run3;

constexpr Params P128{128, 40};
constexpr Params P64{64, 16};

template <class T> Share<T> share(Rep3 &p, const std::vector<T> &v) {
  std::vector<T> mine = p.id() == 0 ? v : std::vector<T>{};
  return p.input<T>(0, mine, v.size());
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
                  10 * Ref.cond() * D);
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
              Name.c_str(), D, M, P.K, P.F, Ref.cond(), ErrX, ErrDt, Tol, DiffX,
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
    RandomProblem Pr = randomProblem(D, 1, N, 4000 + D);
    (void)checkSystem<U128>("random_d" + std::to_string(D), P128, Pr.A, Pr.B, D,
                            1, Range, Pieces);
  }
}

TEST(Rep3Linalg, RandomSystemRing64) {
  const PieceRounds Pieces = measurePieces<uint64_t>(P64);
  const fx::SolveRange Range{25, 10, 8, 40};
  RandomProblem Pr = randomProblem(3, 1, 500, 901);
  auto Run = checkSystem<uint64_t>("random64_d3", P64, Pr.A, Pr.B, 3, 1, Range,
                                   Pieces);
  // Every truncation of a product is exact in Z_2^64 at F = 16 (l > 23).
  EXPECT_GT(Run.Truncs.Exact, 0u);
}

} // namespace
