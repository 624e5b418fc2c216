//===- rep3/FxOps.h - The fixed-point primitives on rep3 shares -*- C++ -*-===//
//
// Rep3FxOps<T> implements the primitive set of FixedPointOps.h (the FxOps
// concept) on rep3 sharings, so that the kernels of FixedPointKernels.h
// (reciprocal, divide, sqrt, rsqrt, exp, log) run unchanged on secret
// shares. A Value is a whole Share<T> vector of n elements; every call is
// one vectorized protocol step over all of them, so a kernel costs the same
// number of rounds for 1 element as for 10^6. The adapter holds n, the
// length that constant() produces.
//
//   constant, add, sub, neg, mulPublic   local (Rep3.h)
//   mulTrunc(a, b, l)   Rep3::mul (1 round) then trunc(., f, l)
//   trunc(x, s, l)      see below
//   ltz                 Binary::ltz (log2 k + 2 rounds)
//   select(c, a, b)     b + c (a - b): one Rep3::mul (1 round)
//   msb, bits           Binary::msb / Binary::bits
//
// Truncation choice. ABY3's probabilistic truncation (Mohassel-Rindal CCS
// 2018, section 5.1.1; Rep3::trunc) costs one round and n elements from
// party 0, and is off by at most one unit, but if |x| < 2^l it fails with
// probability up to 2^(l+1-k) per element (the random share wraps around
// x; the result is then off by about 2^(k-s)). With a statistical security
// parameter sigma (default 40) we use it only when that probability is at
// most 2^-sigma, i.e. when the declared bound satisfies
//     l + 1 + sigma <= k       (l <= 23 in Z_2^64, l <= 87 in Z_2^128),
// and otherwise the exact truncation by bit decomposition
// (Binary::truncExact after Catrina and de Hoogh, SCN 2010: log2 k + 2
// rounds, about 64 bytes per element for party 0 in Z_2^64). So in Z_2^64
// with f = 16 every product truncation of the kernels (l >= 2f + 2 = 34) is
// exact and only small operands (l <= 23) truncate probabilistically; in
// Z_2^128 with f = 40 the mantissa products (l <= 2f + 5 = 85) are
// probabilistic and the normalization shifts (l = k - 1) exact. The results
// differ from the cleartext executor (ClearOps, floor everywhere) only by
// the probabilistic truncations' unit errors, which the kernels tolerate
// (docs/fixedpoint.md, "under rep3 truncation").
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_REP3_FXOPS_H
#define SSTAT_RUNTIME_REP3_FXOPS_H

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointOps.h"
#include "sstat/runtime/rep3/Binary.h"
#include "sstat/runtime/rep3/Rep3.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sstat::runtime::rep3 {

/// The fixed-point primitives on rep3 sharings of n-element vectors.
template <class T> class Rep3FxOps {
public:
  using Ring = T;
  using Value = Share<T>;
  static constexpr unsigned K = sizeof(T) * 8;
  /// Default statistical security parameter of the truncation choice.
  static constexpr unsigned kDefaultSigma = 40;

  /// Calls of each truncation kind (for tests and cost reports).
  struct TruncCounts {
    std::uint64_t Probabilistic = 0;
    std::uint64_t Exact = 0;
  };

  /// Primitives for vectors of n elements under the format P (which must
  /// be supported for T); probabilistic truncation only where it fails with
  /// probability at most 2^-sigma.
  Rep3FxOps(Rep3 &party, fx::Params P, std::size_t n,
            unsigned sigma = kDefaultSigma)
      : p_(party), bin_(party), P_(P), n_(n), sigma_(sigma) {
    if (!fx::isSupportedFor<T>(P))
      throw Rep3Error("rep3: unsupported fixed-point parameters K = " +
                      std::to_string(P.K) + ", F = " + std::to_string(P.F));
  }

  fx::Params params() const { return P_; }
  std::size_t size() const { return n_; }
  /// Changes the length that constant() produces.
  void setSize(std::size_t n) { n_ = n; }
  Rep3 &party() { return p_; }
  Binary &binary() { return bin_; }
  const TruncCounts &truncCounts() const { return counts_; }

  /// Whether a truncation of an operand below 2^bound is probabilistic.
  bool isProbabilistic(unsigned bound) const { return bound + 1 + sigma_ <= K; }

  /// The trivial sharing (c, 0, 0) of c in every element.
  Value constant(Ring c) const {
    Value v{std::vector<T>(n_, 0), std::vector<T>(n_, 0)};
    if (p_.id() == 0)
      v.a.assign(n_, c);
    else if (p_.id() == 2)
      v.b.assign(n_, c);
    return v;
  }
  Value add(const Value &a, const Value &b) const { return Rep3::add(a, b); }
  Value sub(const Value &a, const Value &b) const { return Rep3::sub(a, b); }
  Value neg(const Value &a) const { return Rep3::neg(a); }
  Value mulPublic(const Value &a, Ring c) const {
    return Rep3::mulPublic(a, c);
  }

  /// a * b truncated by f bits; |a * b| < 2^bound.
  Value mulTrunc(const Value &a, const Value &b, unsigned bound) {
    return trunc(p_.mul(a, b), P_.F, bound);
  }

  /// floor(x / 2^s) (probabilistic: or one more); |x| < 2^bound.
  Value trunc(const Value &x, unsigned s, unsigned bound) {
    if (s == 0)
      return x;
    if (isProbabilistic(bound)) {
      ++counts_.Probabilistic;
      return p_.trunc(x, s);
    }
    ++counts_.Exact;
    return bin_.truncExact(x, s);
  }

  Value ltz(const Value &x) { return bin_.ltz(x); }

  /// c ? a : b for c in {0, 1}: b + c (a - b).
  Value select(const Value &c, const Value &a, const Value &b) {
    return Rep3::add(b, p_.mul(c, Rep3::sub(a, b)));
  }

  std::vector<Value> msb(const Value &x, unsigned w) { return bin_.msb(x, w); }
  std::vector<Value> bits(const Value &x, unsigned lo, unsigned n) {
    return bin_.bits(x, lo, n);
  }

private:
  Rep3 &p_;
  Binary bin_;
  fx::Params P_;
  std::size_t n_;
  unsigned sigma_;
  TruncCounts counts_;
};

static_assert(fx::FxOps<Rep3FxOps<std::uint64_t>>);
static_assert(fx::FxOps<Rep3FxOps<unsigned __int128>>);

} // namespace sstat::runtime::rep3

#endif // SSTAT_RUNTIME_REP3_FXOPS_H
