//===- FixedPointNewton.h - Round-efficient SPD solver ----------*- C++ -*-===//
//
// newtonSolve: choleskySolve's interface and results (FixedPointLinalg.h:
// X = A^-1 B, diag(A^-1) and A_ii diag(A^-1)_i for a small symmetric
// positive definite A, d up to about 30) in about 55 rounds instead of
// 106 d + 40, over the same vector primitives FxVecOps, so one code runs on
// cleartext (ClearVecOps) and on rep3 shares (Rep3VecOps). Instead of d
// sequential pivots, each an rsqrt kernel, every step is one batch of
// grouped dot products over d x d matrices (sumMulTrunc: ABY3's dot
// product, Mohassel and Rindal, CCS 2018: one reshare per output element,
// one truncation).
//
// Algorithm. With S = diag(s):
//  1. Power-of-two equilibration: ONE msb call on the diagonal (no rsqrt)
//     gives q_i = ceil(e_i / 2) for A_ii in [2^(e_i - 1), 2^e_i) and s_i =
//     2^-q_i, so At = S A S has At_ii in [1/4, 1). The one-hot vector c_i
//     of q_i makes every product with s exact: W_ij = s_i s_j = sum_q c_iq
//     (s_j 2^-q) and Bt = S B = sum_q c_iq floor(B_i 2^-q) are selects on
//     bits (untruncated products), ONE select call. ONE product call then
//     forms At_u = (2^-u A) o W (u = floor(log2 d): the iteration's start)
//     and At_g = A o (2^g W) (g = 6 bits more, for the refinement), each
//     rounded once: At is exact for the s actually used.
//  2. Newton-Schulz (Schulz 1933) with the Chebyshev scaling of Pan and
//     Schreiber (SIAM J. Sci. Stat. Comput. 12, 1991), X' = a X (2I - At X)
//     with public a_j that recentre the range of the residual's spectrum,
//     so that [lambda_lo, lambda_hi] costs log4 of its ratio in steps, not
//     log2. It is run in product form (Euler, Ben-Israel), which needs ONE
//     product call per step instead of two dependent ones:
//       R_{j+1} = a_j R_j^2 - (a_j - 1) I,   P_{j+1} = a_j P_j (I + R_j),
//     R_0 = I - 2^-u At, P_0 = 2^-u I, and At P_j = I - R_j in exact
//     arithmetic. A public scalar recursion on the interval of r_j gives
//     a_j and the bound rho_j of |r_j| over the spectrum. The non-integer
//     a_j would cost truncations, so the matrices carry public scales: M_j =
//     mu_j R_j (M_{j+1} = (2^e_j M_j) M_j - beta_j I, mu_j in (0.47, 1]) and
//     P~_j = P_j / pi_j (P~_{j+1} = P~_j 2^f_j (mu_j I + M_j)), chosen so
//     that every term stays below 2^(K-1-sigma-2F) (2^7: rep3's
//     probabilistic truncation) and P~ as large as that allows; P~_0 =
//     theta I makes pi_k = 2^h, so X_A = 2^h P~_k. Everything is a
//     polynomial in At, so only lower triangles are computed.
//  3. Refinement. X_A has entries up to ||At^-1|| ~ 2^(CondBits+2) but is
//     held at scale 2^-h (the explicit inverse needs the dynamic range of
//     cond, a Cholesky factor only sqrt(cond)), so ||I - At X_A|| is about
//     d^1.5 2^(h-F) ~ 2^-15 however many steps run. One Newton-Schulz step
//     in the left form X1 = (I + R^T) X_A, R = I - At_g X_A, squares it,
//     applied to the outputs only, in two product calls whose terms reach
//     2^(2F + CondBits + RhsBits) and so truncate exactly:
//       E1: R, z0 = X_A Bt, Y_il = At_ii (X_A)_li;
//       E2: z1 = z0 + R^T z0, diag(X1) = diag(X_A) + diag(R^T X_A),
//           At_ii diag(X1)_i = Y_ii + sum_l R_li Y_il.
//     Where a bound leaves no room for a whole group (g 2^l <= 2^(K-1)),
//     groups are cut into chunks whose partial sums are added locally.
//  4. X = S z1, diag(A^-1) = S^2 diag(X1): selects on c after probabilistic
//     truncations of z1 by each q and of diag(X1) by each 2q (or one exact
//     product if those are out of the probabilistic range).
//
// Cost. Calls: 1 msb (width F + DiagBits), 2 select calls, k + 3 product
// calls (k + 1 probabilistic, 2 exact; one more exact if the output
// truncations are out of range) and 1 + 3 QMax probabilistic truncations
// by public shifts, which need nothing but an available operand, so their
// messages join the receive phase of the call before them. In rounds as
// the channel counts them at party 1 (the convention of Rep3LinalgTest):
//     rounds = msb(F + DiagBits) + k + 23
// (23 = select 1 + equilibration 1 + two exact calls 2 x 10 + output
// select 1), msb(w) = 2 + ceil(log2(w - 1)) + ceil(log2 w): 16 for
// DiagBits 26 .. 39, 14 for DiagBits <= 24. The iteration count is the
// least k with rho_k <= 2^-(F/2) (the refinement squares the residual) on
// the public interval lambda in [2^-(CondBits+2), d] (lambda_min(S_eq A
// S_eq) >= 2^-CondBits and At_ii >= 1/4; trace(At) < d); rho_k = 1 /
// T_(2^k)(1 / (1 - 2^-(u+CondBits+2))), in closed form
//     k = ceil((floor(log2 d) + CondBits + 1) / 2 + log2((F/2 + 1) ln 2)),
// 16 for d = 4 .. 15 and 17 for d = 16 .. 63 at CondBits 20, F = 40: one
// more step per 2 bits of CondBits or factor 4 of d. Measured by
// NewtonSolveTest in Z_2^128, F = 40, DiagBits 32 (choleskySolve's in
// brackets): d = 4: 55 rounds (464), 5: 55 (570), 11: 55 (1206), 20: 56
// (2160); mtcars (DiagBits 20): 53. Bytes sent per party (m = 1, RhsBits
// 22): d = 4: 43 / 26 / 26 KB (55 / 32 / 32), d = 11: 348 / 220 / 220 KB
// (187 / 108 / 108), d = 20: 1375 / 883 / 883 KB (430 / 245 / 245); with
// RhsBits 15, where E1 and E2 need no chunks, d = 11: 194 / 117 / 117 KB
// and d = 20: 549 / 333 / 333 KB. About d^3 local multiplications per call.
// The latency in dependent messages is higher than the channel's count: a
// product with a probabilistic truncation is two hops (the reshare, then
// party 0's truncation message).
//
// Ranges (SolveRange, as for choleskySolve; newtonShape() checks them):
//   1 <= A_ii < 2^DiagBits, DiagBits + 1 <= F   (s_i s_j >= 2^-F exactly)
//   |B_ic| < 2^RhsBits sqrt(A_ii)      (normal equations: ||y|| < 2^RhsBits)
//   lambda_min(S_eq A S_eq) >= 2^-CondBits, S_eq = diag(A)^-1/2, with
//     CondBits + 2 + u + ceil(log2 d) + 6 <= F, so that lambda_min(At)
//     stands well above the rounding of the iteration (CondBits <= 23 for
//     d = 20 at F = 40), and every bound of the refinement <= K - 1: in
//     Z_2^128 at F = 40, CondBits + RhsBits <= 42 for d = 9 .. 32 (43 for
//     d = 3 .. 8), one or two bits less than choleskySolve.
// In Z_2^64 (F = 16) the ranges are small (DiagBits <= 15) and every
// product truncation is exact (~10 rounds): use choleskySolve there.
// Inputs outside the range give a deterministic but meaningless result,
// and in rep3 may make a probabilistic truncation fail.
//
// Error. Besides d^1.5 2^(h-F), the iteration's roundings enter like a
// backward error d 2^(u-F) on At, amplified by 1/lambda in the directions of
// small eigenvalues (the product form does not correct itself as X(2I -
// AX) does); this too is squared by the refinement, whose own exact
// roundings cost about sqrt(d) 2^-F relative, and At_g's rounding is a
// backward error of 2^-(F+g). Measured (NewtonSolveTest, cleartext, floor
// truncation) on the systems of the Cholesky tests, X'X of 100 .. 10^5 rows,
// A_ii up to 3e9, d up to 20, cond(S A S) up to 685: X within 8.5e-11 in
// the scaled norm (choleskySolve: 1.9e-8) and 1.7e-9 componentwise,
// A_ii diag(A^-1)_i within 8e-12 (choleskySolve: 3.2e-10); mtcars lm(mpg ~
// wt + hp + qsec) and + am: coefficients within 4.8e-11 of R and the exact
// least-squares solution (choleskySolve: 4.5e-8), standard errors within
// 4.4e-12 of R; at cond(S A S) = 1.8e7, near the declared range, 1.6e-8
// (choleskySolve: 1.2e-4). On rep3, whose truncations differ by a unit and
// vary with the shares, the errors are alike (mtcars coefficients within
// 6e-11 over runs).
// diag(A^-1) itself has absolute precision 2^-F, as choleskySolve's.
//
// Determinism. The public schedule (a_j, mu_j, beta_j, theta, the bounds)
// is computed in IEEE double with +, -, *, /, sqrt, frexp and ldexp only,
// with floating-point contraction off, so every party derives the same
// constants on any conforming platform.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_FIXEDPOINTNEWTON_H
#define SSTAT_RUNTIME_FIXEDPOINTNEWTON_H

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointLinalg.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sstat::runtime::fx {

/// One step j of the iteration (public): what it multiplies and declares.
struct NewtonStep {
  /// |r_j(lambda)| <= Rho on the public spectrum interval.
  double Rho = 1;
  /// The recentring a_j of r_{j+1} = a_j r_j^2 - (a_j - 1).
  double A = 1;
  /// M_j = Mu R_j.
  double Mu = 1;
  /// M_{j+1} = (2^Shift M_j) M_j - Beta I.
  unsigned Shift = 0;
  double Beta = 0;
  /// P~_{j+1} = P~_j 2^PShift (Mu I + M_j).
  unsigned PShift = 0;
  /// ||P~_j|| <= PBound.
  double PBound = 0;
  /// The declared bound of the step's product call.
  unsigned Bound = 0;
};

/// The public shape of newtonSolve for (P, d, m, range): validity, the
/// schedule of the iteration and every declared bound.
struct NewtonShape {
  bool Valid = false;
  const char *Why = "";
  /// msb width F + DiagBits; s_i = 2^-q_i with 0 <= q_i <= QMax.
  unsigned Width = 0, QMax = 0;
  /// R_0 = I - 2^-U At; At_g = 2^G At; X_A = 2^H P~_k.
  unsigned U = 0, G = 0, H = 0;
  /// P~_0 = Theta I.
  double Theta = 0;
  /// The iteration: Steps[0 .. k-1] and the final bounds in Steps[k].
  std::vector<NewtonStep> Steps;
  unsigned Iterations = 0;
  /// Whether X = S z and diag(A^-1) = S^2 diag(X1) are selects after
  /// probabilistic truncations (else one exactly truncated product).
  bool SelectOut = false;
  /// Declared bounds: input truncations (A by U, B by q), the equilibration
  /// product, the two refinement products, the output truncations of z and
  /// of diag(X1) (select path) or the output product.
  unsigned BoundInputA = 0, BoundInputB = 0, BoundEquil = 0;
  unsigned BoundRefine1 = 0, BoundRefine2 = 0;
  unsigned BoundOutZ = 0, BoundOutDiag = 0, BoundOut = 0;
  /// The refinement's dot products are cut into chunks of at most this
  /// many terms when their bound leaves no room for a whole group (g 2^l <=
  /// 2^(K-1)); the partial sums are added locally.
  unsigned Chunk1 = 0, Chunk2 = 0;
};

namespace newton_detail {

/// The least l with 0 < X < 2^l (X finite).
inline int bitsAbove(double X) {
  int E = 0;
  (void)std::frexp(X, &E); // X = m 2^E, m in [0.5, 1)
  return E;
}

/// round(X 2^F) for 0 <= X 2^F < 2^53, as a ring element.
template <RingElement Ring> Ring encodePublic(double X, unsigned F) {
  return static_cast<Ring>(
      static_cast<uint64_t>(std::floor(std::ldexp(X, int(F)) + 0.5)));
}

/// Index of (i, j) in a row-major lower triangle, either order.
inline std::size_t sym(std::size_t I, std::size_t J) {
  return I >= J ? linalg_detail::tri(I, J) : linalg_detail::tri(J, I);
}

/// One kind of output of a grouped product call: |term| <= Term, |group
/// sum| <= Sum, Group terms per output (0: none).
struct DotPart {
  double Term, Sum;
  unsigned Group;
};

/// The declared bound l and the chunk size c of a product call: groups are
/// cut into chunks of at most c terms, whose partial sums (at most c Term)
/// must fit with c 2^l <= 2^(K-1) (ClearVecOps' check that the ring sum is
/// the integer sum). The largest such c; false if none fits K - 1.
inline bool chunkedBound(Params P, const std::vector<DotPart> &Parts,
                         double Margin, unsigned &Bound, unsigned &Chunk) {
  unsigned GMax = 1;
  for (const DotPart &Pt : Parts)
    GMax = std::max(GMax, Pt.Group);
  for (unsigned C = GMax; C >= 1; --C) {
    double V = 0;
    for (const DotPart &Pt : Parts)
      if (Pt.Group > 0)
        V = std::max(V, Pt.Group <= C ? std::max(Pt.Term, Pt.Sum)
                                      : double(C) * Pt.Term);
    const unsigned L = 2 * P.F + unsigned(std::max(1, bitsAbove(V * Margin)));
    if (L > P.K - 1)
      continue;
    const unsigned Room = P.K - 1 - L;
    if (Room >= 30 || C <= (1u << Room)) {
      Bound = L;
      Chunk = C;
      return true;
    }
  }
  return false;
}

/// Grouped dot products as pairs of indices into one pool, one group per
/// output, before chunking.
struct DotPlan {
  std::vector<std::size_t> L, R, Sizes;
  void group() { Sizes.push_back(0); }
  void term(std::size_t Li, std::size_t Ri) {
    L.push_back(Li);
    R.push_back(Ri);
    ++Sizes.back();
  }
};

} // namespace newton_detail

/// The shape of a solve of d x d by d x m under P and R (public data only).
inline NewtonShape newtonShape(Params P, unsigned D, unsigned M,
                               const SolveRange &R) {
#if defined(__clang__)
#pragma clang fp contract(off) // the same constants on every platform
#endif
  using newton_detail::bitsAbove;
  NewtonShape S;
  const unsigned F = P.F, K = P.K;
  if (!isSupported(P)) {
    S.Why = "unsupported fixed-point parameters";
    return S;
  }
  if (D == 0) {
    S.Why = "empty system";
    return S;
  }
  if (R.DiagBits == 0 || R.DiagBits + 1 > F || F + R.DiagBits > K - 2) {
    S.Why = "DiagBits outside 1 .. F - 1";
    return S;
  }
  S.Width = F + R.DiagBits;
  S.QMax = (R.DiagBits + 1) / 2;
  while ((uint64_t(1) << (S.U + 1)) <= D)
    ++S.U; // 2^(U+1) > d: c = 2^-U, c d < 2
  const unsigned LogD = linalg_detail::log2Ceil(D);
  if (R.CondBits + 2 + S.U + LogD + 6 > F) {
    S.Why = "CondBits + 2 + u + log2(d) + 6 > F: lambda_min(At) would be "
            "near the iteration's rounding";
    return S;
  }
  // Bounds below Limit truncate probabilistically; the loop stays there if
  // it can (2F + 4 <= Limit), else (Z_2^64) everything is exact anyway.
  const unsigned ProbLimit = K - 1 - std::min(R.Sigma, K - 1);
  const bool Prob = 2 * F + 4 <= ProbLimit;
  const unsigned LoopLimit = Prob ? ProbLimit : K - 1;
  S.G = std::min(6u, LoopLimit - 2 * F - 1);
  const double Margin = 9.0 / 8; // rounding slack on every bound

  // The scalar recursion on the interval of r_j = 1 - 2^-U lambda, ...
  const double LamLo = std::ldexp(1.0, -int(R.CondBits + 2));
  const double LamHi = double(D);
  const double C0 = std::ldexp(1.0, -int(S.U));
  const double RhoTarget = std::ldexp(1.0, -int(F / 2));
  double Lo = 1 - C0 * LamHi, Hi = 1 - C0 * LamLo;
  std::vector<NewtonStep> &St = S.Steps;
  for (;;) {
    NewtonStep Sp;
    Sp.Rho = std::max(std::fabs(Lo), std::fabs(Hi));
    if (Sp.Rho <= RhoTarget || St.size() > 64) {
      St.push_back(Sp);
      break;
    }
    const double MHi = std::max(Lo * Lo, Hi * Hi);
    const double MLo = (Lo <= 0 && 0 <= Hi) ? 0 : std::min(Lo * Lo, Hi * Hi);
    Sp.A = 2 / (2 - MHi - MLo);
    Lo = Sp.A * MLo - (Sp.A - 1);
    Hi = Sp.A * MHi - (Sp.A - 1);
    St.push_back(Sp);
  }
  const unsigned Kit = unsigned(St.size()) - 1;
  S.Iterations = Kit;
  if (St[Kit].Rho > RhoTarget) {
    S.Why = "the iteration does not converge in 64 steps";
    return S;
  }
  // ... the bound of ||P_j|| (P_0 = 2^-U I; attained at lambda_lo) ...
  std::vector<double> PB(Kit + 1);
  PB[0] = C0;
  for (unsigned J = 0; J < Kit; ++J)
    PB[J + 1] = std::min(St[J].A * PB[J] * (1 + St[J].Rho),
                         (1 + St[J + 1].Rho) / LamLo);
  // ... and the scales, greedily as large as the cap allows (rounds from
  // the largest theta down until the schedule fits).
  const double Cap = std::ldexp(1.0, int(LoopLimit - 2 * F));
  auto Fits = [&](double V) { return V * Margin < Cap; };
  bool Feasible = false;
  double Pi = 0;
  for (int T = int(LoopLimit - 2 * F); T > -60 && !Feasible; --T) {
    S.Theta = std::ldexp(1.0, T);
    for (NewtonStep &Sp : St) {
      Sp.Mu = 1;
      Sp.Shift = Sp.PShift = 0;
      Sp.Beta = 0;
    }
    St[0].PBound = S.Theta;
    Pi = C0 / S.Theta;
    Feasible = true;
    for (unsigned J = 0; J < Kit && Feasible; ++J) {
      NewtonStep &Sp = St[J];
      const double Grow = PB[J + 1] / PB[J];
      auto PFits = [&](unsigned Sh) {
        const double F2 = std::ldexp(Sp.Mu, int(Sh));
        return Fits(Sp.PBound * F2 * (1 + Sp.Rho)) &&
               Fits(Sp.PBound * Grow * F2 / Sp.A);
      };
      if (!PFits(0)) {
        Feasible = false;
        break;
      }
      Sp.PShift = 0;
      while (Sp.PShift < 30 && PFits(Sp.PShift + 1))
        ++Sp.PShift;
      const double F2 = std::ldexp(Sp.Mu, int(Sp.PShift));
      St[J + 1].PBound = Sp.PBound * Grow * F2 / Sp.A;
      Pi *= Sp.A / F2;
      if (J + 1 == Kit)
        break;
      // mu_{j+1} = 2^e mu_j^2 / a_j <= 1, as large as the next step allows.
      NewtonStep &Nx = St[J + 1];
      const double GrowNx = PB[J + 2] / PB[J + 1];
      auto MuFits = [&](unsigned E) {
        const double Mu = std::ldexp(Sp.Mu * Sp.Mu / Sp.A, int(E));
        return Mu <= 1 && Fits(Nx.PBound * Mu * (1 + Nx.Rho)) &&
               Fits(Nx.PBound * GrowNx * Mu / Nx.A);
      };
      if (!MuFits(0)) {
        Feasible = false;
        break;
      }
      Sp.Shift = 0;
      while (Sp.Shift < 30 && MuFits(Sp.Shift + 1))
        ++Sp.Shift;
      Nx.Mu = std::ldexp(Sp.Mu * Sp.Mu / Sp.A, int(Sp.Shift));
      Sp.Beta = Nx.Mu * (Sp.A - 1);
    }
  }
  if (!Feasible) {
    S.Why = "no feasible scaling of the iteration";
    return S;
  }
  // pi_k = 2^H exactly: lower theta (and every P~) by pi_k / 2^H in (1/2, 1].
  {
    int E = bitsAbove(Pi);
    if (std::ldexp(1.0, E - 1) == Pi)
      --E;
    S.H = unsigned(std::max(E, int(S.G)));
    const double Lower = Pi / std::ldexp(1.0, int(S.H));
    S.Theta *= Lower;
    for (NewtonStep &Sp : St)
      Sp.PBound *= Lower;
  }
  // The bounds of the iteration's product calls.
  for (unsigned J = 0; J < Kit; ++J) {
    NewtonStep &Sp = St[J];
    double V =
        std::max(Sp.PBound * std::ldexp(Sp.Mu, int(Sp.PShift)) * (1 + Sp.Rho),
                 St[J + 1].PBound);
    if (J + 1 < Kit) // (2^e M_j) M_j: entries |M_j| <= mu_j rho_j
      V = std::max(V,
                   std::ldexp(Sp.Mu * Sp.Mu, int(Sp.Shift)) * Sp.Rho * Sp.Rho);
    Sp.Bound = 2 * F + unsigned(std::max(1, bitsAbove(V * Margin)));
  }
  // Inputs and equilibration.
  const unsigned HalfDiag = (R.DiagBits + 1) / 2;
  S.BoundInputA = F + R.DiagBits;
  S.BoundInputB = F + R.RhsBits + HalfDiag;
  S.BoundEquil = 2 * F + S.G + 1;
  // Refinement: ||X_A|| <= XB, |Bt| < 2^RhsBits, ||R|| <= 1/4 (the
  // iteration converged: see the file comment).
  const double XB = std::ldexp(St[Kit].PBound, int(S.H));
  const double SqrtD = std::sqrt(double(D));
  const double TwoR = std::ldexp(1.0, int(R.RhsBits));
  const double ZB = M > 0 ? XB * SqrtD * TwoR : 0;
  const unsigned GB = M > 0 ? D : 0;
  // E1: At X_A (terms 2^g |At| 2^(h-g) |P~| <= XB, sums <= 2), z0 = X_A Bt,
  // Y = At_ii X_A.
  if (!newton_detail::chunkedBound(
          P, {{XB, 2, D}, {XB * TwoR, ZB, GB}, {XB, XB, 1}}, Margin,
          S.BoundRefine1, S.Chunk1) ||
      // E2: R^T z0, diag(R^T X_A), sum_l R_li Y_il.
      !newton_detail::chunkedBound(P,
                                   {{ZB / 4, ZB / 4, GB}, {XB / 4, XB / 4, D}},
                                   Margin, S.BoundRefine2, S.Chunk2)) {
    S.Why = "2F + CondBits + RhsBits + log2(d)/2 + 3 exceeds K - 1";
    return S;
  }
  const double ZOut = ZB * 1.25 * Margin, XOut = XB * 1.25 * Margin;
  S.BoundOutZ = M > 0 ? F + unsigned(bitsAbove(ZOut)) : 0;
  S.BoundOutDiag = F + unsigned(bitsAbove(XOut));
  S.BoundOut = 2 * F + unsigned(bitsAbove(std::max(ZOut, XOut)));
  S.SelectOut = S.BoundOutZ <= ProbLimit && S.BoundOutDiag <= ProbLimit;
  if (S.BoundInputB > K - 1 || S.BoundOut > K - 1) {
    S.Why = "2F + CondBits + RhsBits + log2(d)/2 + 3 exceeds K - 1";
    return S;
  }
  S.Valid = true;
  return S;
}

/// X = A^-1 B and diag(A^-1) for a symmetric positive definite A, with the
/// parameters, preconditions and results of choleskySolve (A: d*d entries,
/// only the lower triangle and the diagonal are read; B: d*m, m may be 0).
/// A fixed sequence of primitives for given (d, m, params, range): see the
/// file comment for the algorithm, its rounds and error. Info reports the
/// product calls and their bounds (Info->Shape is choleskySolve's and stays
/// default but Valid; newtonShape() gives this solver's shape). With Wide,
/// X and diag(A^-1) are at scale 2F, as choleskySolve's (and need
/// |X|, diag(A^-1) < 2^(K - 1 - 2F)).
template <FxVecOps Ops>
SolveResult<typename Ops::Value>
newtonSolve(Ops &O, const typename Ops::Value &A, const typename Ops::Value &B,
            unsigned D, unsigned M, const SolveRange &Range = {},
            SolveInfo *Info = nullptr, bool Wide = false) {
  using Ring = typename Ops::Ring;
  using Value = typename Ops::Value;
  using linalg_detail::iota;
  using linalg_detail::tri;
  using newton_detail::sym;
  const Params P = O.params();
  const unsigned F = P.F;
  const NewtonShape Sh = newtonShape(P, D, M, Range);
  assert(Sh.Valid && "newtonSolve: range outside the supported one");
  assert(O.length(A) == std::size_t(D) * D && "A must have d*d entries");
  assert(O.length(B) == std::size_t(D) * M && "B must have d*m entries");
  const std::size_t NT = std::size_t(D) * (D + 1) / 2, DM = std::size_t(D) * M;
  const std::size_t DD = std::size_t(D) * D;
  const unsigned Q1 = Sh.QMax + 1, Kit = Sh.Iterations;
  SolveInfo Local;
  SolveInfo &In = Info ? *Info : Local;
  In = SolveInfo{};
  In.Shape.Valid = true;
  auto Pow2 = [](unsigned E) { return Ring(1) << E; };
  auto Enc = [&](double X) { return newton_detail::encodePublic<Ring>(X, F); };
  auto Products = [&](const Value &L, const Value &R, unsigned Bound,
                      const std::vector<std::size_t> &Groups) {
    ++In.ProductCalls;
    In.Bounds.push_back(Bound);
    return O.sumMulTrunc(L, R, Groups, Bound);
  };
  // One product call over Plan (both indices into Pool), its groups cut
  // into chunks of at most Chunk terms whose results are added locally.
  auto Chunked = [&](const Value &Pool, const newton_detail::DotPlan &Plan,
                     unsigned Bound, unsigned Chunk) {
    std::vector<std::size_t> Sizes;           // of the chunks
    std::vector<std::vector<std::size_t>> Of; // each output's chunks
    bool Whole = true;
    for (std::size_t Sz : Plan.Sizes) {
      Of.emplace_back();
      for (std::size_t Done = 0; Done < Sz; Done += Chunk) {
        Of.back().push_back(Sizes.size());
        Sizes.push_back(std::min<std::size_t>(Chunk, Sz - Done));
      }
      Whole = Whole && Of.back().size() == 1;
    }
    const Value Out =
        Products(O.gather(Pool, Plan.L), O.gather(Pool, Plan.R), Bound, Sizes);
    if (Whole)
      return Out;
    std::size_t Parts = 0;
    for (const auto &V : Of)
      Parts = std::max(Parts, V.size());
    const Value Ext = O.concat({Out, O.constants({Ring(0)})});
    Value Acc;
    for (std::size_t T = 0; T < Parts; ++T) {
      std::vector<std::size_t> Idx;
      for (const auto &V : Of)
        Idx.push_back(T < V.size() ? V[T] : Sizes.size());
      const Value Part = O.gather(Ext, Idx);
      Acc = T == 0 ? Part : O.add(Acc, Part);
    }
    return Acc;
  };
  // C (a public constant) on the diagonal of a lower triangle.
  auto DiagTri = [&](Ring C) {
    std::vector<Ring> V(NT, 0);
    for (unsigned I = 0; I < D; ++I)
      V[tri(I, I)] = C;
    return O.constants(V);
  };
  // sum_q V_q, each of length N, from the concatenation Cat (q-major).
  auto SumSlices = [&](const Value &Cat, std::size_t At, std::size_t N) {
    Value Acc = O.gather(Cat, iota(At, At + N));
    for (unsigned Q = 1; Q < Q1; ++Q)
      Acc = O.add(Acc, O.gather(Cat, iota(At + Q * N, At + (Q + 1) * N)));
    return Acc;
  };
  std::vector<std::size_t> TriA; // lower triangle of A, row-major
  for (unsigned I = 0; I < D; ++I)
    for (unsigned J = 0; J <= I; ++J)
      TriA.push_back(std::size_t(I) * D + J);

  // 1. The leading bit of A_ii at position p = F + e - 1 gives q =
  //    ceil(e / 2); c_q is one-hot over q (all q_i = 0 below 1, outside the
  //    range).
  std::vector<Value> Cq;
  {
    std::vector<std::size_t> DiagIdx(D);
    for (unsigned I = 0; I < D; ++I)
      DiagIdx[I] = std::size_t(I) * D + I;
    const std::vector<Value> Bits = O.msb(O.gather(A, DiagIdx), Sh.Width);
    Cq.assign(Q1, O.constants(std::vector<Ring>(D, 0)));
    for (unsigned Pos = 0; Pos < Sh.Width; ++Pos) {
      const unsigned Q = Pos < F ? 0 : (Pos + 2 - F) / 2;
      Cq[std::min(Q, Sh.QMax)] = O.add(Cq[std::min(Q, Sh.QMax)], Bits[Pos]);
    }
  }
  const Value CAll = O.concat(Cq);
  Value Scale = O.constants(std::vector<Ring>(D, 0));
  for (unsigned Q = 0; Q < Q1; ++Q)
    Scale = O.add(Scale, O.mulPublic(Cq[Q], Pow2(F - Q)));

  // 2. Public shifts of the inputs (probabilistic truncations, whose
  //    messages need nothing from step 1): A 2^-u and B 2^-q.
  const Value ATri = O.gather(A, TriA);
  const Value AU = Sh.U > 0 ? O.trunc(ATri, Sh.U, Sh.BoundInputA) : ATri;
  std::vector<Value> Bq;
  if (M > 0) {
    Bq.push_back(B);
    for (unsigned Q = 1; Q < Q1; ++Q)
      Bq.push_back(O.trunc(B, Q, Sh.BoundInputB));
  }

  // 3. One select call: W_ij = s_i s_j = sum_q c_iq (s_j 2^-q), and Bt_ic =
  //    sum_q c_iq floor(B_ic 2^-q).
  Value W, Bt;
  {
    std::vector<Value> Sig; // s 2^-q, exact: 2^(F - q - q') >= 1
    for (unsigned Q = 0; Q < Q1; ++Q) {
      Value V = O.constants(std::vector<Ring>(D, 0));
      for (unsigned Q2 = 0; Q2 < Q1; ++Q2)
        V = O.add(V, O.mulPublic(Cq[Q2], Pow2(F - Q - Q2)));
      Sig.push_back(V);
    }
    const Value SigAll = O.concat(Sig);
    std::vector<std::size_t> CondIdx, ValIdx;
    for (unsigned Q = 0; Q < Q1; ++Q)
      for (unsigned I = 0; I < D; ++I)
        for (unsigned J = 0; J <= I; ++J) {
          CondIdx.push_back(std::size_t(Q) * D + I);
          ValIdx.push_back(std::size_t(Q) * D + J);
        }
    Value Cond = O.gather(CAll, CondIdx), Val = O.gather(SigAll, ValIdx);
    if (M > 0) {
      std::vector<std::size_t> BCond;
      for (unsigned Q = 0; Q < Q1; ++Q)
        for (unsigned I = 0; I < D; ++I)
          for (unsigned C = 0; C < M; ++C)
            BCond.push_back(std::size_t(Q) * D + I);
      Cond = O.concat({Cond, O.gather(CAll, BCond)});
      Val = O.concat({Val, O.concat(Bq)});
    }
    const std::size_t N = O.length(Cond);
    const Value Sel = O.select(Cond, Val, O.constants(std::vector<Ring>(N, 0)));
    W = SumSlices(Sel, 0, NT);
    if (M > 0)
      Bt = SumSlices(Sel, Q1 * NT, DM);
  }

  // 4. At_u = (2^-u A) o W and At_g = A o (2^g W), lower triangles.
  Value AtU, AtG;
  {
    const Value T = Products(
        O.concat({AU, ATri}), O.concat({W, O.mulPublic(W, Pow2(Sh.G))}),
        Sh.BoundEquil, std::vector<std::size_t>(2 * NT, 1));
    AtU = O.gather(T, iota(0, NT));
    AtG = O.gather(T, iota(NT, 2 * NT));
  }

  // 5. The iteration: M_0 = I - At_u, P~_0 = theta I; step j forms
  //    P~_{j+1} = P~_j 2^f (mu I + M_j) and M_{j+1} = (2^e M_j) M_j - beta I.
  Value Mj = O.sub(DiagTri(Pow2(F)), AtU);
  Value Pt = DiagTri(Enc(Sh.Theta));
  std::vector<std::size_t> LIdx, RIdx, Groups; // a product of lower triangles
  for (unsigned I = 0; I < D; ++I)
    for (unsigned J = 0; J <= I; ++J) {
      for (unsigned L = 0; L < D; ++L) {
        LIdx.push_back(sym(I, L));
        RIdx.push_back(sym(L, J));
      }
      Groups.push_back(D);
    }
  auto Shifted = [&](const std::vector<std::size_t> &Idx, std::size_t By) {
    std::vector<std::size_t> V = Idx;
    for (std::size_t &X : V)
      X += By;
    return V;
  };
  for (unsigned J = 0; J < Kit; ++J) {
    const NewtonStep &Sp = Sh.Steps[J];
    const Value Fj =
        O.mulPublic(O.add(Mj, DiagTri(Enc(Sp.Mu))), Pow2(Sp.PShift));
    const bool Last = J + 1 == Kit;
    const Value LPool = Last ? Pt : O.concat({Pt, Mj});
    const Value RPool =
        Last ? Fj : O.concat({Fj, O.mulPublic(Mj, Pow2(Sp.Shift))});
    std::vector<std::size_t> L = LIdx, R = RIdx, G = Groups;
    if (!Last) {
      const std::vector<std::size_t> L2 = Shifted(LIdx, NT),
                                     R2 = Shifted(RIdx, NT);
      L.insert(L.end(), L2.begin(), L2.end());
      R.insert(R.end(), R2.begin(), R2.end());
      G.insert(G.end(), Groups.begin(), Groups.end());
    }
    const Value Out =
        Products(O.gather(LPool, L), O.gather(RPool, R), Sp.Bound, G);
    Pt = O.gather(Out, iota(0, NT));
    if (!Last)
      Mj = O.sub(O.gather(Out, iota(NT, 2 * NT)), DiagTri(Enc(Sp.Beta)));
  }

  // 6. E1 (exact): At X_A (full), z0 = X_A Bt, Y_il = At_ii (X_A)_li, with
  //    X_A = 2^H P~ and At = 2^-G At_g.
  const Value PG = O.mulPublic(Pt, Pow2(Sh.H - Sh.G)); // 2^-G X_A
  const Value PH = O.mulPublic(Pt, Pow2(Sh.H));        // X_A
  Value Res, Z0, Y;
  {
    const Value Pool =
        M > 0 ? O.concat({AtG, PG, PH, Bt}) : O.concat({AtG, PG, PH});
    const std::size_t PGAt = NT, PHAt = 2 * NT, BtAt = 3 * NT;
    newton_detail::DotPlan Pl;
    for (unsigned I = 0; I < D; ++I)
      for (unsigned J = 0; J < D; ++J) {
        Pl.group();
        for (unsigned L = 0; L < D; ++L)
          Pl.term(sym(I, L), PGAt + sym(L, J));
      }
    for (unsigned I = 0; I < D; ++I)
      for (unsigned C = 0; C < M; ++C) {
        Pl.group();
        for (unsigned L = 0; L < D; ++L)
          Pl.term(PHAt + sym(I, L), BtAt + std::size_t(L) * M + C);
      }
    for (unsigned I = 0; I < D; ++I)
      for (unsigned L = 0; L < D; ++L) {
        Pl.group();
        Pl.term(tri(I, I), PGAt + sym(L, I));
      }
    const Value Out = Chunked(Pool, Pl, Sh.BoundRefine1, Sh.Chunk1);
    std::vector<Ring> Ident(DD, 0);
    for (unsigned I = 0; I < D; ++I)
      Ident[std::size_t(I) * D + I] = Pow2(F);
    Res = O.sub(O.constants(Ident), O.gather(Out, iota(0, DD)));
    Z0 = O.gather(Out, iota(DD, DD + DM));
    Y = O.gather(Out, iota(DD + DM, 2 * DD + DM));
  }

  // 7. E2 (exact): z1 = z0 + R^T z0, diag(X1) = diag(X_A) + diag(R^T X_A),
  //    At_ii diag(X1)_i = Y_ii + sum_l R_li Y_il.
  Value Z1, X1d, Ids;
  {
    const Value Pool = O.concat({Res, PH, Y, Z0});
    const std::size_t PHAt = DD, YAt = DD + NT, ZAt = 2 * DD + NT;
    newton_detail::DotPlan Pl;
    for (unsigned I = 0; I < D; ++I)
      for (unsigned C = 0; C < M; ++C) {
        Pl.group();
        for (unsigned L = 0; L < D; ++L)
          Pl.term(std::size_t(L) * D + I, ZAt + std::size_t(L) * M + C);
      }
    for (unsigned I = 0; I < D; ++I) {
      Pl.group();
      for (unsigned L = 0; L < D; ++L)
        Pl.term(std::size_t(L) * D + I, PHAt + sym(L, I));
    }
    for (unsigned I = 0; I < D; ++I) {
      Pl.group();
      for (unsigned L = 0; L < D; ++L)
        Pl.term(std::size_t(L) * D + I, YAt + std::size_t(I) * D + L);
    }
    const Value Out = Chunked(Pool, Pl, Sh.BoundRefine2, Sh.Chunk2);
    std::vector<std::size_t> DiagT(D), DiagF(D);
    for (unsigned I = 0; I < D; ++I) {
      DiagT[I] = tri(I, I);
      DiagF[I] = std::size_t(I) * D + I;
    }
    Z1 = O.add(Z0, O.gather(Out, iota(0, DM)));
    X1d = O.add(O.gather(PH, DiagT), O.gather(Out, iota(DM, DM + D)));
    Ids = O.add(O.gather(Y, DiagF), O.gather(Out, iota(DM + D, DM + 2 * D)));
  }

  // 8. X = S z1, diag(A^-1) = S^2 diag(X1).
  SolveResult<Value> Res2;
  std::vector<std::size_t> RowOf; // row i of each element of z
  for (unsigned I = 0; I < D; ++I)
    for (unsigned C = 0; C < M; ++C)
      RowOf.push_back(I);
  if (Sh.SelectOut || Wide) {
    // Wide: X and diag(A^-1) at scale 2F, z1 2^(F - q) and diag(X1)
    // 2^(F - 2q) (2q <= 2 QMax <= F), exact public multiples: no
    // truncation, and the relative precision of z1 and diag(X1) whatever
    // the scale s.
    std::vector<Value> Vals;
    for (unsigned Q = 0; Q < Q1; ++Q)
      Vals.push_back(Wide               ? O.mulPublic(Z1, Ring(1) << (F - Q))
                     : Q == 0 || M == 0 ? Z1
                                        : O.trunc(Z1, Q, Sh.BoundOutZ));
    for (unsigned Q = 0; Q < Q1; ++Q)
      Vals.push_back(Wide     ? O.mulPublic(X1d, Ring(1) << (F - 2 * Q))
                     : Q == 0 ? X1d
                              : O.trunc(X1d, 2 * Q, Sh.BoundOutDiag));
    std::vector<std::size_t> CondIdx;
    for (unsigned Q = 0; Q < Q1; ++Q)
      for (std::size_t Row : RowOf)
        CondIdx.push_back(std::size_t(Q) * D + Row);
    for (unsigned Q = 0; Q < Q1; ++Q)
      for (unsigned I = 0; I < D; ++I)
        CondIdx.push_back(std::size_t(Q) * D + I);
    const Value Cond = O.gather(CAll, CondIdx);
    const std::size_t N = O.length(Cond);
    const Value Sel =
        O.select(Cond, O.concat(Vals), O.constants(std::vector<Ring>(N, 0)));
    Res2.X = M > 0 ? SumSlices(Sel, 0, DM) : O.constants({});
    Res2.InvDiag = SumSlices(Sel, Q1 * DM, D);
  } else {
    std::vector<std::size_t> WDiag(D);
    for (unsigned I = 0; I < D; ++I)
      WDiag[I] = tri(I, I);
    const Value Out =
        Products(O.concat({Z1, X1d}),
                 O.concat({O.gather(Scale, RowOf), O.gather(W, WDiag)}),
                 Sh.BoundOut, std::vector<std::size_t>(DM + D, 1));
    Res2.X = O.gather(Out, iota(0, DM));
    Res2.InvDiag = O.gather(Out, iota(DM, DM + D));
  }
  Res2.Scale = Scale;
  Res2.InvDiagScaled = Ids;
  return Res2;
}

} // namespace sstat::runtime::fx

#endif // SSTAT_RUNTIME_FIXEDPOINTNEWTON_H
