//===- RDist.cpp - R's distribution functions in double precision ---------===//
//
// Every distribution function here reduces to one of two special functions,
// each returned as a pair (P, 1 - P) whose smaller member is computed
// directly, never by subtraction from 1, so that both tails keep their
// relative accuracy:
//
//  - the regularized incomplete beta function I_x(a, b) (pt, pf), by the
//    continued fraction of Abramowitz & Stegun 26.5.8 evaluated with the
//    modified Lentz algorithm (Press et al., Numerical Recipes, 3rd ed.,
//    section 5.2 and 6.4). The fraction converges quickly for
//    x < (a + 1) / (a + b + 2); above it the symmetry
//    I_x(a, b) = 1 - I_{1-x}(b, a) switches to the other tail. Its terms
//    are rewritten in lambda = (a + b)(1 - x) - b, as in Didonato &
//    Morris's bfrac (below), since near the switch they are differences of
//    numbers close to 1 that would lose the digits of x times a + b
//    (3e-11 of pt(-1.96, 10^6) in the textbook form);
//  - the regularized incomplete gamma function P(a, x) (pchisq), by its
//    power series for x < a + 1 and by Legendre's continued fraction for
//    Gamma(a, x) above (A&S 6.5.29 and 6.5.31; Numerical Recipes 6.2).
//
// Both are a prefactor, x^a (1-x)^b / B(a, b) or x^a e^-x / Gamma(a), times
// the series or fraction. With large parameters (df = 10^6) the logarithm
// of the prefactor is the small difference of large terms, so it is
// evaluated as in Didonato & Morris (ACM TOMS 18, 1992, algorithm 708):
// Stirling's series with its error term delta(x) = lgamma(x) -
// ((x - 1/2) log x - x + log(2 pi) / 2) (A&S 6.1.41) and the deviance
// x - log(1 + x), so that no large logarithms cancel.
//
// The normal distribution is std::erfc (A&S 26.2.29). The quantiles solve
// F(x) = p by Newton's (qt) or Halley's (qnorm) method from an approximate
// start (A&S 26.2.23 for the normal; A&S 26.7.5, Cornish-Fisher, for t),
// qt in log-log coordinates where its tails are nearly straight, and
// safeguarded by a bracketing interval (Numerical Recipes 9.4, rtsafe).
// Near the centre both quantiles solve for p - 1/2, which is exact in
// floating point there, against the central probability P(0 < X <= x)
// computed directly, so that qnorm(0.5 + 1e-10) keeps full relative
// accuracy.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/RDist.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace sstat::runtime::rdist {
namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double Inf = std::numeric_limits<double>::infinity();
constexpr double Pi = std::numbers::pi;
constexpr double InvSqrt2 = 0.70710678118654752440;
constexpr double LogSqrt2Pi = 0.91893853320467274178; // log(2 pi) / 2
constexpr double InvSqrt2Pi = 0.39894228040143267794; // 1 / sqrt(2 pi)

/// Convergence tolerance and Lentz's guard against a zero denominator.
constexpr double CfEps = 4e-16;
constexpr double CfTiny = 1e-300;
/// The fractions and the series take O(sqrt(max(a, b))) steps; this bounds
/// df at about 10^13.
constexpr int CfMaxIter = 10000000;

/// A probability P = Lower and its complement Upper = 1 - P.
struct Tails {
  double Lower;
  double Upper;
};

/// delta(x) = lgamma(x) - ((x - 1/2) log x - x + log(2 pi) / 2) for x >= 10,
/// Stirling's series to the x^-13 term (A&S 6.1.41), which leaves an error
/// below 3e-17.
double stirlingError(double X) {
  const double X2 = 1 / (X * X);
  return (1.0 / 12 -
          X2 * (1.0 / 360 -
                X2 * (1.0 / 1260 -
                      X2 * (1.0 / 1680 -
                            X2 * (1.0 / 1188 -
                                  X2 * (691.0 / 360360 - X2 / 156.0)))))) /
         X;
}
constexpr double StirlingMin = 10;

/// t - log(1 + t) for t > -1, without cancellation for small t: with
/// r = t / (2 + t), log(1 + t) = 2 atanh(r), so t - log(1 + t) =
/// r t - 2 (r^3/3 + r^5/5 + ...).
double xMinusLog1p(double T) {
  if (std::fabs(T) > 0.5)
    return T - std::log1p(T);
  const double R = T / (2 + T), R2 = R * R;
  double Term = R * R2, Sum = 0;
  for (int K = 3; K < 200; K += 2) {
    double Add = Term / K;
    Sum += Add;
    if (std::fabs(Add) <= 1e-17 * std::fabs(Sum))
      break;
    Term *= R2;
  }
  return R * T - 2 * Sum;
}

/// a (t - log(1 + t)) with t = D / a > -1, given also the ratio 1 + t
/// formed directly: near t = -1 the sum 1 + t would have lost the digits
/// that the ratio keeps.
double deviance(double A, double D, double OnePlusT) {
  const double T = D / A;
  if (std::fabs(T) <= 0.5)
    return A * xMinusLog1p(T);
  return D - A * std::log(OnePlusT);
}

/// log x given x and y = 1 - x, each to full relative precision.
double logOf(double X, double Y) {
  return X < 0.5 ? std::log(X) : std::log1p(-Y);
}

/// log(Gamma(L) / Gamma(S + L)) for L >= 10 (TOMS 708's algdiv, derived
/// here from Stirling's series): (S + L - 1/2) log(S + L) and
/// (L - 1/2) log L nearly cancel, so the difference is rewritten with the
/// deviance L ((S/L) - log(1 + S/L)).
double logGammaRatio(double S, double L) {
  const double T = S / L;
  return L * xMinusLog1p(T) + 0.5 * std::log1p(T) - S * std::log(S + L) +
         stirlingError(L) - stirlingError(S + L);
}

/// lambda = (a + b) y - b = a - (a + b) x, formed from the smaller of x and
/// y with an exact a + b (TwoSum) and an fma, so that it carries no
/// rounding error of the size of max(a, b): near the mean x = a / (a + b)
/// it is the small difference of large terms.
double betaLambda(double A, double B, double X, double Y) {
  const double S = A + B;
  const double SB = S - A;
  const double E = (A - (S - SB)) + (B - SB); // A + B = S + E exactly
  return Y <= X ? std::fma(S, Y, -B) + E * Y : -(std::fma(S, X, -A) + E * X);
}

/// log(x^a y^b / B(a, b)) with y = 1 - x, both given, and their lambda.
double logBetaPrefix(double A, double B, double X, double Y, double Lambda) {
  if (A >= StirlingMin && B >= StirlingMin) {
    // x = x0 (1 - lambda/a), y = y0 (1 + lambda/b) with x0 = a/(a+b),
    // y0 = b/(a+b); x0^a y0^b / B(a, b) reduces by Stirling to
    // sqrt(ab / (2 pi (a+b))) exp(delta(a+b) - delta(a) - delta(b)).
    const double S = A + B;
    return 0.5 * std::log(A / S * B) - LogSqrt2Pi + stirlingError(S) -
           stirlingError(A) - stirlingError(B) -
           deviance(A, -Lambda, X * S / A) - deviance(B, Lambda, Y * S / B);
  }
  const double LogX = logOf(X, Y), LogY = logOf(Y, X);
  if (A >= StirlingMin)
    return A * LogX + B * LogY - std::lgamma(B) - logGammaRatio(B, A);
  if (B >= StirlingMin)
    return A * LogX + B * LogY - std::lgamma(A) - logGammaRatio(A, B);
  return A * LogX + B * LogY -
         (std::lgamma(A) + std::lgamma(B) - std::lgamma(A + B));
}

double guardTiny(double V) { return std::fabs(V) < CfTiny ? CfTiny : V; }

/// The continued fraction of I_x(a, b), A&S 26.5.8:
///   I_x(a, b) = x^a y^b / (a B(a, b)) / (1 + d1/(1 + d2/(1 + ...))),
///   d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),
///   d_{2m} = m (b-m) x / ((a+2m-1)(a+2m)),
/// in its even contraction B0 + A1/(B1 + A2/(B2 + ...)) with
/// B0 = 1 + d1, Bm = 1 + d_{2m} + d_{2m+1}, Am = -d_{2m-1} d_{2m}, by the
/// modified Lentz method. Near x = (a+1)/(a+b) the sums 1 + d_{2m+1} are
/// small differences of terms near 1, which would lose the digits of x
/// times a + b; substituting x = 1 - y they are written exactly as
///   1 + d_{2m+1} = ((a+m)(2m + 1 + lambda + m y) + m(m+1))
///                  / ((a+2m)(a+2m+1))
/// with lambda = (a + b) y - b (the device of TOMS 708's bfrac). Returns
/// 1 / (B0 + ...).
double betaFraction(double A, double B, double X, double Y, double Lambda) {
  double F = guardTiny((1 + Lambda) / (A + 1));
  double C = F, D = 0;
  for (int M = 1; M <= CfMaxIter; ++M) {
    const double AM = A + M, A2M = A + 2.0 * M;
    const double DOddPrev =
        -(AM - 1) * (AM + B - 1) * X / ((A2M - 2) * (A2M - 1));
    const double DEven = M * (B - M) * X / ((A2M - 1) * A2M);
    const double Am = -DOddPrev * DEven;
    const double Bm =
        DEven + (AM * (2.0 * M + 1 + Lambda + M * Y) + M * (M + 1.0)) /
                    (A2M * (A2M + 1));
    D = 1 / guardTiny(Bm + Am * D);
    C = guardTiny(Bm + Am / C);
    const double Del = C * D;
    F *= Del;
    if (std::fabs(Del - 1) <= CfEps)
      break;
  }
  return 1 / F;
}

/// I_x(a, b) and 1 - I_x(a, b) for x in [0, 1] with y = 1 - x given.
Tails incompleteBeta(double A, double B, double X, double Y) {
  if (X <= 0)
    return {0, 1};
  if (Y <= 0)
    return {1, 0};
  const double Lambda = betaLambda(A, B, X, Y);
  const double Prefix = std::exp(logBetaPrefix(A, B, X, Y, Lambda));
  if (X < (A + 1) / (A + B + 2)) {
    const double I = Prefix * betaFraction(A, B, X, Y, Lambda) / A;
    return {I, 1 - I};
  }
  const double J = Prefix * betaFraction(B, A, Y, X, -Lambda) / B;
  return {1 - J, J};
}

/// log(x^a e^-x / Gamma(a)); Stirling's form for large a (see the top).
double logGammaPrefix(double A, double X) {
  if (A < StirlingMin)
    return A * std::log(X) - X - std::lgamma(A);
  return -deviance(A, X - A, X / A) + 0.5 * std::log(A / (2 * Pi)) -
         stirlingError(A);
}

/// P(a, x) and Q(a, x) = 1 - P(a, x), the regularized incomplete gamma
/// functions.
Tails incompleteGamma(double A, double X) {
  if (X <= 0)
    return {0, 1};
  if (std::isinf(X))
    return {1, 0};
  const double Prefix = std::exp(logGammaPrefix(A, X));
  if (X < A + 1) {
    // P = prefix * sum_n x^n / (a (a+1) ... (a+n)) (A&S 6.5.29).
    double Ap = A, Del = 1 / A, Sum = Del;
    for (int N = 1; N <= CfMaxIter; ++N) {
      Ap += 1;
      Del *= X / Ap;
      Sum += Del;
      if (std::fabs(Del) <= std::fabs(Sum) * CfEps)
        break;
    }
    const double P = Prefix * Sum;
    return {P, 1 - P};
  }
  // Q = prefix * 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...))) (A&S 6.5.31).
  double B = X + 1 - A;
  double C = 1 / CfTiny, D = 1 / B, H = D;
  for (int I = 1; I <= CfMaxIter; ++I) {
    const double An = -I * (I - A);
    B += 2;
    D = 1 / guardTiny(An * D + B);
    C = guardTiny(B + An / C);
    const double Del = D * C;
    H *= Del;
    if (std::fabs(Del - 1) <= CfEps)
      break;
  }
  const double Q = Prefix * H;
  return {1 - Q, Q};
}

/// For t >= 0: Lower = P[T > t] (a tail) and Upper = P[0 < T <= t] (the
/// central part), each computed directly. P[T > t] = I_x(df/2, 1/2) / 2 with
/// x = df / (df + t^2) (A&S 26.7.1).
Tails studentTails(double T, double DF) {
  if (T > 1e150) {
    // t^2 overflows; the tail is x^(df/2) / (df/2 B(df/2, 1/2)) / 2 to
    // relative 1e-300, which underflows unless df is small.
    if (DF > 20)
      return {0, 0.5};
    const double A = DF / 2;
    const double LogX = std::log(DF) - 2 * std::log(T);
    const double LogBeta =
        std::lgamma(A) + std::lgamma(0.5) - std::lgamma(A + 0.5);
    const double Tail = 0.5 * std::exp(A * LogX - LogBeta - std::log(A));
    return {Tail, 0.5 - Tail};
  }
  const double T2 = T * T, Den = DF + T2;
  const Tails B = incompleteBeta(DF / 2, 0.5, DF / Den, T2 / Den);
  return {0.5 * B.Lower, 0.5 * B.Upper};
}

/// log of Student's t density (A&S 26.7.1), for Newton's steps only.
double logDensityT(double T, double DF) {
  const double Log1p =
      T > 1e150 ? 2 * std::log(T) - std::log(DF) : std::log1p(T * T / DF);
  return std::lgamma((DF + 1) / 2) - std::lgamma(DF / 2) -
         0.5 * std::log(DF * Pi) - (DF + 1) / 2 * Log1p;
}

/// The t > 0 with G(t) = Target, G either P[T > t] (UseTail) or
/// P[0 < T <= t]. Newton's method on u = log t, h(u) = +-(log G(e^u) -
/// log Target) oriented to increase with u, kept inside a bracket.
double solveStudent(double Target, double DF, bool UseTail, double T0) {
  const double Sign = UseTail ? -1 : 1;
  const double LogTarget = std::log(Target);
  auto H = [&](double U, double &Slope) {
    const double T = std::exp(U);
    const Tails S = studentTails(T, DF);
    const double G = UseTail ? S.Lower : S.Upper;
    const double LogG = std::log(G);
    // d log G / du = +-t f(t) / G(t).
    Slope = std::exp(U + logDensityT(T, DF) - LogG);
    return Sign * (LogG - LogTarget);
  };
  double U = std::log(T0), Slope;
  double HU = H(U, Slope);
  if (HU == 0)
    return T0;
  // Expand a bracket [Lo, Hi] with h(Lo) < 0 < h(Hi) from the start.
  double Lo = U, Hi = U, HLo = HU, HHi = HU;
  for (double Step = 1; HLo >= 0 && Lo > -745; Step *= 2) {
    Lo = U - Step;
    double Ignored;
    HLo = H(Lo, Ignored);
  }
  for (double Step = 1; HHi <= 0 && Hi < 710; Step *= 2) {
    Hi = U + Step;
    double Ignored;
    HHi = H(Hi, Ignored);
  }
  if (!(HLo < 0 && HHi > 0))
    return NaN;
  for (int Iter = 0; Iter < 200; ++Iter) {
    double Next = U - HU / Slope;
    if (!std::isfinite(Next) || Next <= Lo || Next >= Hi)
      Next = 0.5 * (Lo + Hi);
    const double Step = Next - U;
    U = Next;
    HU = H(U, Slope);
    if (HU == 0)
      break;
    if (HU < 0)
      Lo = U;
    else
      Hi = U;
    if (std::fabs(Step) <= 1e-15 * std::max(1.0, std::fabs(U)) ||
        Hi - Lo <= 1e-15 * std::max(1.0, std::fabs(U)))
      break;
  }
  return std::exp(U);
}

/// The standard normal density.
double dnorm(double X) { return InvSqrt2Pi * std::exp(-0.5 * X * X); }

} // namespace

double pnorm(double Q, bool Lower) {
  if (std::isnan(Q))
    return NaN;
  return 0.5 * std::erfc((Lower ? -Q : Q) * InvSqrt2);
}

double qnorm(double P) {
  if (std::isnan(P) || P < 0 || P > 1)
    return NaN;
  if (P == 0)
    return -Inf;
  if (P == 1)
    return Inf;
  const double Q = P - 0.5; // exact for P in [0.25, 1]
  if (Q == 0)
    return 0;
  // Start: A&S 26.2.23, |error| < 4.5e-4, on the smaller tail R.
  const double R = P < 0.5 ? P : 1 - P; // 1 - P is exact for P >= 1/2
  const double W = std::sqrt(-2 * std::log(R));
  double X = W - (2.515517 + W * (0.802853 + W * 0.010328)) /
                     (1 + W * (1.432788 + W * (0.189269 + W * 0.001308)));
  // Halley's method on f(x) = F(x) - target (f' = phi, f'' = -x phi): with
  // u = f / phi, x <- x - u / (1 + x u / 2).
  if (std::fabs(Q) <= 0.25) {
    // The centre: F(x) - 1/2 = erf(x / sqrt 2) / 2, against |P - 1/2|.
    const double Target = std::fabs(Q);
    for (int Iter = 0; Iter < 50; ++Iter) {
      const double U = (0.5 * std::erf(X * InvSqrt2) - Target) / dnorm(X);
      const double Step = U / (1 + X * U / 2);
      X -= Step;
      if (std::fabs(Step) <= 1e-16 * std::fabs(X))
        break;
    }
    return Q < 0 ? -X : X;
  }
  // A tail: solve F(x) = R for x = -X < 0.
  X = -X;
  for (int Iter = 0; Iter < 50; ++Iter) {
    const double U = (0.5 * std::erfc(-X * InvSqrt2) - R) / dnorm(X);
    const double Step = U / (1 + X * U / 2);
    X -= Step;
    if (!(std::fabs(Step) > 1e-16 * std::fabs(X)))
      break;
  }
  return P < 0.5 ? X : -X;
}

double pt(double Q, double DF, bool Lower) {
  if (std::isnan(Q) || std::isnan(DF) || DF <= 0)
    return NaN;
  if (std::isinf(DF))
    return pnorm(Q, Lower);
  if (std::isinf(Q))
    return (Q < 0) == Lower ? 0 : 1;
  const Tails S = studentTails(std::fabs(Q), DF);
  // S.Lower is the tail beyond |q|: the lower tail for q < 0.
  return (Q < 0) == Lower ? S.Lower : 0.5 + S.Upper;
}

double qt(double P, double DF) {
  if (std::isnan(P) || std::isnan(DF) || P < 0 || P > 1 || DF <= 0)
    return NaN;
  if (std::isinf(DF))
    return qnorm(P);
  if (P == 0)
    return -Inf;
  if (P == 1)
    return Inf;
  if (P == 0.5)
    return 0;
  const double R = P < 0.5 ? P : 1 - P; // exact
  const bool UseTail = R < 0.25;
  const double Target = UseTail ? R : 0.5 - R; // exact for R in [1/4, 1/2]
  // Start: Cornish-Fisher (A&S 26.7.5) from the normal quantile, or for
  // small df far out the power tail P[T > t] ~ K t^-df.
  const double Z = -qnorm(R);
  const double Z2 = Z * Z;
  double T0 = Z + Z * (Z2 + 1) / (4 * DF) +
              Z * ((5 * Z2 + 16) * Z2 + 3) / (96 * DF * DF);
  if (UseTail && DF < 5 && R < 0.01) {
    const double LogK = std::lgamma((DF + 1) / 2) - std::lgamma(DF / 2) -
                        0.5 * std::log(DF * Pi) + (DF - 1) / 2 * std::log(DF);
    T0 = std::exp((LogK - std::log(R)) / DF);
  }
  if (!(T0 > 0) || !std::isfinite(T0))
    T0 = 1;
  const double T = solveStudent(Target, DF, UseTail, T0);
  return P < 0.5 ? -T : T;
}

double pchisq(double Q, double DF, bool Lower) {
  if (std::isnan(Q) || std::isnan(DF) || DF < 0)
    return NaN;
  if (Q <= 0)
    return Lower ? 0 : 1;
  if (DF == 0) // the point mass at 0
    return Lower ? 1 : 0;
  if (std::isinf(DF))
    return Lower ? 0 : 1;
  const Tails G = incompleteGamma(DF / 2, Q / 2);
  return Lower ? G.Lower : G.Upper;
}

double pf(double Q, double DF1, double DF2, bool Lower) {
  if (std::isnan(Q) || std::isnan(DF1) || std::isnan(DF2) || DF1 <= 0 ||
      DF2 <= 0)
    return NaN;
  if (Q <= 0)
    return Lower ? 0 : 1;
  if (std::isinf(Q))
    return Lower ? 1 : 0;
  if (std::isinf(DF1) && std::isinf(DF2))
    return (Q < 1) == Lower ? 0 : 1;
  if (std::isinf(DF2)) // DF1 F -> chi-squared(DF1)
    return pchisq(Q * DF1, DF1, Lower);
  if (std::isinf(DF1)) // DF2 / F -> chi-squared(DF2)
    return pchisq(DF2 / Q, DF2, !Lower);
  // F <= q iff X <= x = df1 q / (df1 q + df2), X ~ Beta(df1/2, df2/2)
  // (A&S 26.6.2); x and 1 - x are each formed as a quotient.
  const double U = DF1 * Q, Den = U + DF2;
  double X, Y;
  if (std::isfinite(Den)) {
    X = U / Den;
    Y = DF2 / Den;
  } else {
    const double Ratio = DF2 / DF1 / Q;
    X = 1 / (1 + Ratio);
    Y = Ratio / (1 + Ratio);
  }
  const Tails B = incompleteBeta(DF1 / 2, DF2 / 2, X, Y);
  return Lower ? B.Lower : B.Upper;
}

} // namespace sstat::runtime::rdist
