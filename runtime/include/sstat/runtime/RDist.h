//===- RDist.h - R's distribution functions in double precision -*- C++ -*-===//
//
// After a secure computation reveals the sufficient statistics of a model,
// the recipient derives p-values and confidence intervals in ordinary
// double precision. These are the distribution functions R's summaries call
// (pnorm, qnorm, pt, qt, pchisq, pf), with R's meaning of every argument:
// `lower` selects P[X <= q] (true) or P[X > q] (false), degrees of freedom
// may be non-integer (Welch's t-test), and an upper tail is computed
// directly, so it keeps its relative accuracy down to the smallest normal
// doubles (pf(40.74, 4, 27, lower = false) = 4.589e-11 to full precision).
//
// Out-of-domain arguments give NaN as R's do (with no warning): a NaN
// argument, a df <= 0 (< 0 for pchisq), a probability outside [0, 1].
// Infinite df is the normal (pt, qt) or chi-squared (pf) limit.
//
// The algorithms (incomplete beta and gamma functions by continued
// fractions, quantiles by safeguarded Newton iteration) are described in
// RDist.cpp; the unit test compares every function with R 4.2 to a
// relative error of 1e-10 on a grid that includes tails down to 1e-300.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_RDIST_H
#define SSTAT_RUNTIME_RDIST_H

namespace sstat::runtime::rdist {

/// The standard normal distribution function: P[Z <= Q] if Lower, else
/// P[Z > Q].
double pnorm(double Q, bool Lower = true);

/// The standard normal quantile: the z with pnorm(z) = P; -inf at 0, +inf
/// at 1.
double qnorm(double P);

/// Student's t distribution function with DF > 0 degrees of freedom (not
/// necessarily an integer; infinite DF is the normal).
double pt(double Q, double DF, bool Lower = true);

/// Student's t quantile: the t with pt(t, DF) = P.
double qt(double P, double DF);

/// The chi-squared distribution function with DF >= 0 degrees of freedom
/// (DF = 0 is R's point mass at 0).
double pchisq(double Q, double DF, bool Lower = true);

/// The F distribution function with DF1, DF2 > 0 degrees of freedom.
double pf(double Q, double DF1, double DF2, bool Lower = true);

} // namespace sstat::runtime::rdist

#endif // SSTAT_RUNTIME_RDIST_H
