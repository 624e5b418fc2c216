//===- FixedPointKernels.h - Data-independent kernels -----------*- C++ -*-===//
//
// reciprocal, divide, sqrt, rsqrt, exp and log on fixed-point values, each a
// straight-line sequence of the primitives of FixedPointOps.h with iteration
// counts and polynomial degrees that depend on the parameters (K, F) only.
// There is no branch, loop bound, index or table look-up that depends on a
// value, so the same code runs on cleartext (ClearOps, the reference
// executor) and on secret shares (rep3), and computes the same function up
// to the truncation differences described in docs/fixedpoint.md.
//
// The common step is normalization (Catrina and Saxena, FC 2010, section 4;
// Aly and Smart, ACNS 2019): msb() gives a one-hot vector b of the position
// p of the leading bit of x > 0, so x = M * 2^(p+1-F) * 2^F with M in
// [0.5, 1) (the rounded mantissa may reach 1). Any public function g of the
// position is then a free linear combination sum_i b_i * g(i); in
// particular the bits of a shift amount, and the constant (p + 1 - F) ln 2
// that log needs, rounded once. A shift by a secret amount s in [0, 2^n) is
// a barrel shifter: n stages, stage j selecting between y and y * 2^(2^j)
// (or floor(y / 2^(2^j))) on bit j of s. Right shifts round to nearest by
// first adding sum_i b_i * 2^(s(i) - 1).
//
// Then each kernel works on the mantissa, where fixed point has its full
// F bits of relative precision, and scales back:
//   reciprocal  Newton-Raphson y <- y + y (1 - m y) from y0 = 2.9142 - 2m
//               (Catrina-Saxena; MP-SPDZ), error 0.0858^(2^n);
//   divide      a * y * 2^-(p+1-F), with the left shift applied to a before
//               the product and the right shift after it, so the quotient
//               keeps F bits of relative precision; the sign of b by ltz;
//   rsqrt/sqrt  normalization to m in [0.25, 1] with an even exponent,
//               Newton y <- y + y (1 - m y^2) / 2 from the best linear start
//               2.1116 - 1.1724 m, sqrt = (4 m y) * 2^(e/2 - 2);
//   exp         2^(x log2 e): bit decomposition of the integer part n,
//               2^fraction by a polynomial, 2^n by a shifter on those bits;
//   log         polynomial for ln m on [0.5, 1] plus (p + 1 - F) ln 2.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_FIXEDPOINTKERNELS_H
#define SSTAT_RUNTIME_FIXEDPOINTKERNELS_H

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointOps.h"
#include "sstat/runtime/FixedPointTables.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sstat::runtime::fx {

namespace detail {

/// ln 2 and log2(e), rounded to nearest at scale 2^62.
inline constexpr int64_t Ln2Q62 = 3196577161300663915;
inline constexpr int64_t Log2eQ62 = 6653256548922161246;

template <RingElement Ring> constexpr Ring pow2(unsigned E) {
  return Ring(1) << E;
}

/// round(N / 2^S), ties up, S >= 1, reduced into the ring.
template <RingElement Ring> constexpr Ring roundShift(S128 N, unsigned S) {
  return static_cast<Ring>((N + (S128(1) << (S - 1))) >> S);
}

/// The F-bit encoding of the constant N * 2^-Scale, Scale > F.
template <RingElement Ring>
constexpr Ring scaled(S128 N, unsigned Scale, unsigned F) {
  return roundShift<Ring>(N, Scale - F);
}

/// The F-bit encoding of N / D for N >= 0, D > 0: round(N * 2^F / D).
template <RingElement Ring>
constexpr Ring ratio(int64_t N, int64_t D, unsigned F) {
  S128 Num = (S128(N) << (F + 1)) + D;
  return static_cast<Ring>(Num / (2 * S128(D)));
}

/// The shape of exp for P: the integer part n of x log2 e is taken in
/// [-H, H) with B = log2(H) + 1 bits, and x log2 e is formed with G
/// fractional bits before rounding to F.
struct ExpShape {
  unsigned H, B, G;
};
inline ExpShape expShape(Params P) {
  unsigned H = 1, B = 1;
  while (2 * H <= P.K - P.F - 2) {
    H *= 2;
    ++B;
  }
  unsigned G = std::min(P.F + 8, P.K - 2 - P.F - B);
  assert(H >= P.F + 2 && G >= P.F && "exp shape for unsupported parameters");
  return {H, B, G};
}

/// The entry of Table for the given degree (tables start at degree 1).
inline const tables::PolyTable &polyFor(const tables::PolyTable *Table,
                                        unsigned Degree) {
  return Table[Degree - 1];
}

/// sum_i B[i] * Coef(i): local (no multiplication of secrets). Positions
/// whose coefficient is 0 are skipped, which depends on public data only.
template <FxOps Ops, class CoefFn>
typename Ops::Value linear(Ops &O, const std::vector<typename Ops::Value> &B,
                           CoefFn Coef) {
  using Ring = typename Ops::Ring;
  typename Ops::Value Acc = O.constant(0);
  for (size_t I = 0; I < B.size(); ++I) {
    Ring C = Coef(static_cast<unsigned>(I));
    if (C == 0)
      continue;
    Acc = O.add(Acc, C == 1 ? B[I] : O.mulPublic(B[I], C));
  }
  return Acc;
}

/// Y * 2^Amount(p), p the position marked by the one-hot B (Y unchanged if
/// B is all zero). |Y| < 2^YBits. Right shifts floor, or round to nearest
/// (ties up) if Round. The right stages run first so that every truncation
/// sees an operand below 2^YBits (2^(YBits+1) with the rounding constant);
/// since each position shifts one way only, the order does not change the
/// result. A right shift by more than YBits (+1 if Round) gives the same
/// result as a shift by exactly that, so longer shifts are cut there: fewer
/// stages, and a rounding constant below 2^YBits.
template <FxOps Ops, class AmountFn>
typename Ops::Value shiftByPosition(Ops &O, typename Ops::Value Y,
                                    const std::vector<typename Ops::Value> &B,
                                    AmountFn RawAmount, unsigned YBits,
                                    bool Round) {
  using Ring = typename Ops::Ring;
  int Cut = int(YBits) + (Round ? 1 : 0);
  auto Amount = [&](unsigned I) { return std::max(RawAmount(I), -Cut); };
  int MaxLeft = 0, MaxRight = 0;
  for (size_t I = 0; I < B.size(); ++I) {
    int A = Amount(static_cast<unsigned>(I));
    MaxLeft = std::max(MaxLeft, A);
    MaxRight = std::max(MaxRight, -A);
  }
  auto AnyPosition = [&](auto Sel) {
    for (size_t I = 0; I < B.size(); ++I)
      if (Sel(static_cast<unsigned>(I)) != 0)
        return true;
    return false;
  };
  if (MaxRight > 0) {
    unsigned Bound = YBits;
    if (Round) {
      Y = O.add(Y, linear(O, B, [&](unsigned I) {
                  int A = Amount(I);
                  return A < 0 ? pow2<Ring>(unsigned(-A - 1)) : Ring(0);
                }));
      Bound = YBits + 1;
    }
    for (unsigned J = 0; (1 << J) <= MaxRight; ++J) {
      auto Sel = [&](unsigned I) {
        int A = Amount(I);
        return Ring(A < 0 && ((-A >> J) & 1));
      };
      if (!AnyPosition(Sel))
        continue;
      typename Ops::Value Bit = linear(O, B, Sel);
      Y = O.select(Bit, O.trunc(Y, 1u << J, Bound), Y);
    }
  }
  for (unsigned J = 0; (1 << J) <= MaxLeft; ++J) {
    auto Sel = [&](unsigned I) {
      int A = Amount(I);
      return Ring(A > 0 && ((A >> J) & 1));
    };
    if (!AnyPosition(Sel))
      continue;
    typename Ops::Value Bit = linear(O, B, Sel);
    Y = O.select(Bit, O.mulPublic(Y, pow2<Ring>(1u << J)), Y);
  }
  return Y;
}

/// Horner's rule for the polynomial T (coefficients at scale 2^CoefScale)
/// in the secret T. Bound bounds every product acc * t.
template <FxOps Ops>
typename Ops::Value horner(Ops &O, const typename Ops::Value &T,
                           const tables::PolyTable &Poly, unsigned Bound) {
  using Ring = typename Ops::Ring;
  unsigned F = O.params().F;
  auto Coef = [&](unsigned J) {
    return scaled<Ring>(Poly.Coef[J], tables::CoefScale, F);
  };
  typename Ops::Value Acc = O.constant(Coef(Poly.Degree));
  for (unsigned J = Poly.Degree; J-- > 0;)
    Acc = O.add(O.mulTrunc(Acc, T, Bound), O.constant(Coef(J)));
  return Acc;
}

/// 1/m for m in [0.5, 1] (F bits): y0 = 2.9142 - 2m, whose relative error
/// |1 - m y0| is at most 0.0858, then Newton steps y <- y + y (1 - m y),
/// each squaring that error. Result in (1, 2].
template <FxOps Ops>
typename Ops::Value reciprocalMantissa(Ops &O, const typename Ops::Value &M) {
  using Ring = typename Ops::Ring;
  Params P = O.params();
  typename Ops::Value Y =
      O.sub(O.constant(ratio<Ring>(29142, 10000, P.F)), O.mulPublic(M, 2));
  for (unsigned N = reciprocalIterations(P); N > 0; --N) {
    typename Ops::Value E =
        O.sub(O.constant(pow2<Ring>(P.F)), O.mulTrunc(M, Y, 2 * P.F + 2));
    Y = O.add(Y, O.mulTrunc(Y, E, 2 * P.F + 2));
  }
  return Y;
}

/// 1/sqrt(m) for m in [0.25, 1] (F bits): the minimax linear start
/// 2.1116 - 1.1724 m (relative error at most 0.0908), then Newton steps
/// y <- y + y (1 - m y^2) / 2, taking the error e to -(1.5 e^2 + 0.5 e^3).
/// Result in [1, 2].
template <FxOps Ops>
typename Ops::Value rsqrtMantissa(Ops &O, const typename Ops::Value &M) {
  using Ring = typename Ops::Ring;
  Params P = O.params();
  unsigned F = P.F;
  typename Ops::Value Y = O.sub(
      O.constant(ratio<Ring>(2111611, 1000000, F)),
      O.trunc(O.mulPublic(M, ratio<Ring>(1172434, 1000000, F)), F, 2 * F + 1));
  for (unsigned N = rsqrtIterations(P); N > 0; --N) {
    typename Ops::Value Y2 = O.mulTrunc(Y, Y, 2 * F + 3);
    typename Ops::Value E =
        O.sub(O.constant(pow2<Ring>(F)), O.mulTrunc(M, Y2, 2 * F + 3));
    Y = O.add(Y, O.trunc(O.mulTrunc(Y, E, 2 * F + 2), 1, F + 1));
  }
  return Y;
}

/// The shift that normalizes a value whose leading bit is at position I to
/// [0.5, 1): F - 1 - I.
inline int normShift(unsigned F, unsigned I) { return int(F) - 1 - int(I); }

/// Exponent e' (even) and shift -e' that normalize position I to
/// [0.25, 1) for the square roots.
inline int evenExponent(unsigned F, unsigned I) {
  int E = int(I) + 1 - int(F);
  return (E % 2 == 0) ? E : E + 1;
}

} // namespace detail

/// 1/x for 1 <= x < 2^(K-2) (2^-F <= X < 2^(K-F-2)).
template <FxOps Ops>
typename Ops::Value reciprocal(Ops &O, const typename Ops::Value &X) {
  Params P = O.params();
  unsigned F = P.F;
  auto Norm = [F](unsigned I) { return detail::normShift(F, I); };
  std::vector<typename Ops::Value> B = O.msb(X, P.K - 2);
  typename Ops::Value M = detail::shiftByPosition(O, X, B, Norm, P.K - 2, true);
  typename Ops::Value Y = detail::reciprocalMantissa(O, M);
  return detail::shiftByPosition(O, Y, B, Norm, F + 2, true);
}

/// A / B for 1 <= |b| < 2^(K-2), |a| < 2^(K-F-3) and |A / B| < 2^(K-2F-3).
template <FxOps Ops>
typename Ops::Value divide(Ops &O, const typename Ops::Value &A,
                           const typename Ops::Value &Bv) {
  Params P = O.params();
  unsigned F = P.F;
  auto Norm = [F](unsigned I) { return detail::normShift(F, I); };
  typename Ops::Value S = O.ltz(Bv);
  typename Ops::Value AbsB = O.select(S, O.neg(Bv), Bv);
  std::vector<typename Ops::Value> B = O.msb(AbsB, P.K - 2);
  typename Ops::Value M =
      detail::shiftByPosition(O, AbsB, B, Norm, P.K - 2, true);
  typename Ops::Value Y = detail::reciprocalMantissa(O, M);
  // a * 2^max(shift, 0) is exact and below 2^(K-F-3) on the domain.
  typename Ops::Value AL = detail::shiftByPosition(
      O, A, B, [&](unsigned I) { return std::max(Norm(I), 0); }, P.K - F - 3,
      false);
  typename Ops::Value T = O.mulTrunc(AL, Y, P.K - 1);
  typename Ops::Value Q = detail::shiftByPosition(
      O, T, B, [&](unsigned I) { return std::min(Norm(I), 0); }, P.K - F - 1,
      true);
  return O.select(S, O.neg(Q), Q);
}

namespace detail {
/// The normalization shared by sqrt and rsqrt: the one-hot msb of x, the
/// mantissa m in [0.25, 1] with an even exponent, and 1/sqrt(m). For x = 0
/// the Newton steps run on m = 1 instead (B sums to 0), so every bound
/// holds and sqrt(0) = m * y = 0 exactly.
template <FxOps Ops> struct SqrtParts {
  std::vector<typename Ops::Value> B;
  typename Ops::Value M, Y;
};
template <FxOps Ops>
SqrtParts<Ops> sqrtParts(Ops &O, const typename Ops::Value &X) {
  using Ring = typename Ops::Ring;
  Params P = O.params();
  unsigned F = P.F;
  SqrtParts<Ops> S;
  S.B = O.msb(X, P.K - 2);
  S.M = shiftByPosition(
      O, X, S.B, [F](unsigned I) { return -evenExponent(F, I); }, P.K - 2,
      true);
  // m + (1 - sum_i b_i) * 2^F: m if x > 0, 1.0 if x = 0.
  typename Ops::Value IsZeroOne =
      O.sub(O.constant(pow2<Ring>(F)),
            linear(O, S.B, [F](unsigned) { return pow2<Ring>(F); }));
  S.Y = rsqrtMantissa(O, O.add(S.M, IsZeroOne));
  return S;
}
} // namespace detail

/// 1/sqrt(x) for 1 <= x < 2^(K-2).
template <FxOps Ops>
typename Ops::Value rsqrt(Ops &O, const typename Ops::Value &X) {
  unsigned F = O.params().F;
  detail::SqrtParts<Ops> S = detail::sqrtParts(O, X);
  return detail::shiftByPosition(
      O, S.Y, S.B, [F](unsigned I) { return -detail::evenExponent(F, I) / 2; },
      F + 2, true);
}

/// sqrt(x) for 0 <= x < 2^(K-2); sqrt(0) = 0 exactly.
template <FxOps Ops>
typename Ops::Value sqrt(Ops &O, const typename Ops::Value &X) {
  unsigned F = O.params().F;
  detail::SqrtParts<Ops> S = detail::sqrtParts(O, X);
  // 4 sqrt(m) = 4 m y in [2, 4]: the product's floor costs at most a
  // quarter of a unit of relative precision instead of one.
  typename Ops::Value Root4 = O.mulTrunc(O.mulPublic(S.M, 4), S.Y, 2 * F + 4);
  return detail::shiftByPosition(
      O, Root4, S.B,
      [F](unsigned I) { return detail::evenExponent(F, I) / 2 - 2; }, F + 3,
      true);
}

/// e^x for -2^(K-2) <= x <= expMaxInput(P). Inputs below -(H-1) ln 2 are
/// clamped there, where the result is already 0.
template <FxOps Ops>
typename Ops::Value exp(Ops &O, const typename Ops::Value &X) {
  using Ring = typename Ops::Ring;
  using Value = typename Ops::Value;
  Params P = O.params();
  unsigned F = P.F;
  detail::ExpShape Sh = detail::expShape(P);
  Ring Lo = detail::scaled<Ring>(-S128(Sh.H - 1) * detail::Ln2Q62, 62, F);
  Value Xc = O.select(O.ltz(O.sub(X, O.constant(Lo))), O.constant(Lo), X);
  // u = x log2 e, rounded to F bits from G: |u| < H.
  Ring Log2e = detail::scaled<Ring>(detail::Log2eQ62, 62, Sh.G);
  Value U = O.trunc(
      O.add(O.mulPublic(Xc, Log2e), O.constant(detail::pow2<Ring>(Sh.G - 1))),
      Sh.G, F + Sh.B + Sh.G);
  // v = u + H in [0, 2H): bits B..F+B-1 of v are n + H, the rest is r.
  Value V = O.add(U, O.constant(Ring(Sh.H) << F));
  std::vector<Value> Bits = O.bits(V, F, Sh.B);
  Value R = O.sub(V, detail::linear(O, Bits, [F](unsigned J) {
                    return detail::pow2<Ring>(F + J);
                  }));
  // 2^r for r in [0, 1), as 2^(1/2 + t).
  Value T = O.sub(R, O.constant(detail::pow2<Ring>(F - 1)));
  Value Pow = detail::horner(
      O, T, detail::polyFor(tables::Exp2Table, exp2Degree(P)), 2 * F + 2);
  // n >= 0 (top bit set): 2^r * 2^n, n = the low B-1 bits.
  Value Up = Pow;
  for (unsigned J = 0; J + 1 < Sh.B; ++J)
    Up = O.select(Bits[J], O.mulPublic(Up, detail::pow2<Ring>(1u << J)), Up);
  // n < 0: 2^r / 2^(H - low) with H - low = 1 + sum_j (1 - bit_j) 2^j;
  // shift by all but the last bit, then round that last halving.
  Value Down = Pow;
  for (unsigned J = 0; J + 1 < Sh.B; ++J)
    Down = O.select(Bits[J], Down, O.trunc(Down, 1u << J, F + 2));
  Down = O.trunc(O.add(Down, O.constant(1)), 1, F + 2);
  return O.select(Bits[Sh.B - 1], Up, Down);
}

/// ln x for 1 <= x < 2^(K-2).
template <FxOps Ops>
typename Ops::Value log(Ops &O, const typename Ops::Value &X) {
  using Ring = typename Ops::Ring;
  using Value = typename Ops::Value;
  Params P = O.params();
  unsigned F = P.F;
  std::vector<Value> B = O.msb(X, P.K - 2);
  Value M = detail::shiftByPosition(
      O, X, B, [F](unsigned I) { return detail::normShift(F, I); }, P.K - 2,
      true);
  Value T = O.sub(M, O.constant(Ring(3) << (F - 2)));
  Value Ln = detail::horner(
      O, T, detail::polyFor(tables::LogTable, logDegree(P)), 2 * F + 5);
  Value Exponent = detail::linear(O, B, [F](unsigned I) {
    return detail::scaled<Ring>(S128(int(I) + 1 - int(F)) * detail::Ln2Q62, 62,
                                F);
  });
  return O.add(Ln, Exponent);
}

} // namespace sstat::runtime::fx

#endif // SSTAT_RUNTIME_FIXEDPOINTKERNELS_H
