//===- FixedPointOps.h - Primitives of the fixed-point kernels --*- C++ -*-===//
//
// The nonlinear kernels (FixedPointKernels.h) are written only in terms of
// the operations below, because those are what the 3-party replicated
// secret-sharing protocol rep3 (Araki et al., CCS 2016; ABY3, Mohassel and
// Rindal, CCS 2018) can do on shared values:
//
//   constant(c)             a public constant (free)
//   add, sub, neg           local
//   mulPublic(x, c)         x * c mod 2^k for a public integer c: local
//   mulTrunc(a, b, l)       a * b mod 2^k, truncated by f bits: one
//                           multiplication (a reshare) plus a truncation
//   trunc(x, s, l)          floor(x / 2^s) for a public s
//   ltz(x)                  1 if x < 0 else 0 (a comparison: the top bit)
//   select(c, a, b)         c ? a : b for c in {0, 1}, as b + c * (a - b):
//                           one multiplication
//   msb(x, w)               one-hot vector of the position of the highest
//                           set bit of x, 0 <= x < 2^w (all zero for x = 0):
//                           a bit decomposition and a prefix-OR
//   bits(x, lo, n)          bits lo .. lo+n-1 of x: a bit decomposition
//
// Every truncation declares a public bound l with |operand| < 2^l (for
// mulTrunc, on the product a * b before truncation). The cleartext ops
// ignore it; rep3 uses it to choose between ABY3's probabilistic truncation,
// which is off by at most one unit and fails with probability about
// 2^(l+1-k), and an exact truncation by bit decomposition when that
// probability is too high (docs/fixedpoint.md has the numbers). CountingOps
// checks every declared bound against the actual operand.
//
// The kernels run a fixed, data-independent sequence of these calls: they
// may branch only on public things (the parameters, the constants, the
// widths). CountingOps records the sequence so tests can check that.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_FIXEDPOINTOPS_H
#define SSTAT_RUNTIME_FIXEDPOINTOPS_H

#include "sstat/runtime/FixedPoint.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sstat::runtime::fx {

/// The primitive set, once: X(Name, "description").
#define SSTAT_FX_PRIMITIVES(X)                                                 \
  X(Constant, "public constant")                                               \
  X(Add, "addition")                                                           \
  X(Sub, "subtraction")                                                        \
  X(Neg, "negation")                                                           \
  X(MulPublic, "multiplication by a public integer")                           \
  X(MulTrunc, "multiplication then truncation by f bits")                      \
  X(Trunc, "truncation by a public number of bits")                            \
  X(Ltz, "comparison x < 0")                                                   \
  X(Select, "oblivious selection")                                             \
  X(Msb, "most significant bit, one-hot")                                      \
  X(Bits, "bit decomposition")

enum class Prim : uint8_t {
#define SSTAT_FX_ENUM(Name, Desc) Name,
  SSTAT_FX_PRIMITIVES(SSTAT_FX_ENUM)
#undef SSTAT_FX_ENUM
};

inline constexpr unsigned NumPrims = 0
#define SSTAT_FX_COUNT(Name, Desc) +1
    SSTAT_FX_PRIMITIVES(SSTAT_FX_COUNT)
#undef SSTAT_FX_COUNT
    ;

/// The primitive's name, e.g. "MulTrunc".
constexpr const char *primName(Prim P) {
  switch (P) {
#define SSTAT_FX_NAME(Name, Desc)                                              \
  case Prim::Name:                                                             \
    return #Name;
    SSTAT_FX_PRIMITIVES(SSTAT_FX_NAME)
#undef SSTAT_FX_NAME
  }
  return "?";
}

/// What a primitive set must provide for the kernels. Value may be a share,
/// a vector of shares or (here) a cleartext ring element.
template <class O>
concept FxOps = requires(O &Ops, const typename O::Value &V, unsigned N,
                         typename O::Ring C) {
  requires RingElement<typename O::Ring>;
  { Ops.params() } -> std::convertible_to<Params>;
  { Ops.constant(C) } -> std::same_as<typename O::Value>;
  { Ops.add(V, V) } -> std::same_as<typename O::Value>;
  { Ops.sub(V, V) } -> std::same_as<typename O::Value>;
  { Ops.neg(V) } -> std::same_as<typename O::Value>;
  { Ops.mulPublic(V, C) } -> std::same_as<typename O::Value>;
  { Ops.mulTrunc(V, V, N) } -> std::same_as<typename O::Value>;
  { Ops.trunc(V, N, N) } -> std::same_as<typename O::Value>;
  { Ops.ltz(V) } -> std::same_as<typename O::Value>;
  { Ops.select(V, V, V) } -> std::same_as<typename O::Value>;
  { Ops.msb(V, N) } -> std::same_as<std::vector<typename O::Value>>;
  { Ops.bits(V, N, N) } -> std::same_as<std::vector<typename O::Value>>;
};

/// The cleartext primitives: the reference semantics, with the
/// deterministic floor for every truncation.
template <RingElement RingT> class ClearOps {
public:
  using Ring = RingT;
  using Value = RingT;
  static constexpr unsigned K = RingTraits<Ring>::Bits;

  explicit ClearOps(Params P) : P(P) {
    assert(isSupportedFor<Ring>(P) && "unsupported fixed-point parameters");
  }
  Params params() const { return P; }

  Value constant(Ring C) const { return C; }
  Value add(Value A, Value B) const { return A + B; }
  Value sub(Value A, Value B) const { return A - B; }
  Value neg(Value A) const { return Ring(0) - A; }
  Value mulPublic(Value A, Ring C) const { return static_cast<Ring>(A * C); }
  Value mulTrunc(Value A, Value B, unsigned /*Bound*/) const {
    return fx::mulTrunc<Ring>(A, B, P);
  }
  Value trunc(Value A, unsigned S, unsigned /*Bound*/) const {
    assert(S < K && "truncation by the whole ring width");
    return truncFloor<Ring>(A, S);
  }
  Value ltz(Value A) const { return toSigned(A) < 0 ? 1 : 0; }
  Value select(Value C, Value A, Value B) const {
    return static_cast<Ring>(B + C * (A - B));
  }
  std::vector<Value> msb(Value A, unsigned Width) const {
    assert(Width >= 1 && Width < K && "msb width out of range");
    std::vector<Value> Out(Width, 0);
    unsigned BitLen = bitWidth(A);
    if (BitLen >= 1 && BitLen <= Width)
      Out[BitLen - 1] = 1;
    return Out;
  }
  std::vector<Value> bits(Value A, unsigned Lo, unsigned N) const {
    assert(Lo + N <= K && "bit range out of the ring");
    std::vector<Value> Out(N);
    for (unsigned J = 0; J < N; ++J)
      Out[J] = (A >> (Lo + J)) & 1;
    return Out;
  }

  /// The number of significant bits of X read as an unsigned integer.
  static unsigned bitWidth(Ring X) {
    if constexpr (K == 64) {
      return static_cast<unsigned>(std::bit_width(X));
    } else {
      uint64_t Hi = static_cast<uint64_t>(X >> 64);
      if (Hi)
        return 64 + static_cast<unsigned>(std::bit_width(Hi));
      return static_cast<unsigned>(std::bit_width(static_cast<uint64_t>(X)));
    }
  }

private:
  Params P;
};

/// How many times a kernel called each primitive.
struct PrimCounts {
  std::array<uint64_t, NumPrims> N{};
  uint64_t &operator[](Prim P) { return N[static_cast<size_t>(P)]; }
  uint64_t operator[](Prim P) const { return N[static_cast<size_t>(P)]; }
  friend bool operator==(const PrimCounts &, const PrimCounts &) = default;
};

/// The cleartext primitives, instrumented: counts every call, hashes the
/// sequence of calls with their public arguments (kind, shift amounts,
/// bounds, widths, constants), records the largest declared truncation
/// bounds, and checks every declared bound and precondition against the
/// actual values. Results are those of ClearOps. Used by the tests to show
/// that a kernel's sequence of operations does not depend on its input, and
/// usable by a cost model to count a kernel's multiplications.
template <RingElement RingT> class CountingOps {
public:
  using Ring = RingT;
  using Value = RingT;
  using Signed = typename RingTraits<Ring>::Signed;
  static constexpr unsigned K = RingTraits<Ring>::Bits;

  explicit CountingOps(Params P) : Inner(P) {}
  Params params() const { return Inner.params(); }

  /// Calls per primitive.
  PrimCounts Counts;
  /// FNV-1a hash of the sequence of calls and their public arguments.
  uint64_t TraceHash = 1469598103934665603ULL;
  /// Largest declared bound of a mulTrunc product / a trunc operand.
  unsigned MaxMulTruncBound = 0;
  unsigned MaxTruncBound = 0;
  /// Calls whose operand broke the declared bound.
  unsigned BoundViolations = 0;
  /// Calls whose inputs broke a precondition (select on a non-bit, msb of
  /// a value outside [0, 2^w)).
  unsigned PreconditionViolations = 0;

  void reset() { *this = CountingOps(params()); }

  Value constant(Ring C) {
    note(Prim::Constant, C);
    return Inner.constant(C);
  }
  Value add(Value A, Value B) {
    note(Prim::Add);
    return Inner.add(A, B);
  }
  Value sub(Value A, Value B) {
    note(Prim::Sub);
    return Inner.sub(A, B);
  }
  Value neg(Value A) {
    note(Prim::Neg);
    return Inner.neg(A);
  }
  Value mulPublic(Value A, Ring C) {
    note(Prim::MulPublic, C);
    return Inner.mulPublic(A, C);
  }
  Value mulTrunc(Value A, Value B, unsigned Bound) {
    note(Prim::MulTrunc, Bound);
    MaxMulTruncBound = std::max(MaxMulTruncBound, Bound);
    if (!productBelow(A, B, Bound))
      ++BoundViolations;
    return Inner.mulTrunc(A, B, Bound);
  }
  Value trunc(Value A, unsigned S, unsigned Bound) {
    note(Prim::Trunc, S, Bound);
    MaxTruncBound = std::max(MaxTruncBound, Bound);
    if (magnitudeBits(A) > Bound)
      ++BoundViolations;
    return Inner.trunc(A, S, Bound);
  }
  Value ltz(Value A) {
    note(Prim::Ltz);
    return Inner.ltz(A);
  }
  Value select(Value C, Value A, Value B) {
    note(Prim::Select);
    if (C > 1)
      ++PreconditionViolations;
    return Inner.select(C, A, B);
  }
  std::vector<Value> msb(Value A, unsigned Width) {
    note(Prim::Msb, Width);
    if (toSigned(A) < 0 || ClearOps<Ring>::bitWidth(A) > Width)
      ++PreconditionViolations;
    return Inner.msb(A, Width);
  }
  std::vector<Value> bits(Value A, unsigned Lo, unsigned N) {
    note(Prim::Bits, Lo, N);
    return Inner.bits(A, Lo, N);
  }

  /// Bits of |x| (the magnitude of the two's complement reading): |x| <
  /// 2^magnitudeBits(x).
  static unsigned magnitudeBits(Ring X) {
    Signed S = toSigned(X);
    // |-2^(K-1)| needs K bits; unsigned negation handles it.
    Ring M = S < 0 ? Ring(0) - X : X;
    return ClearOps<Ring>::bitWidth(M);
  }
  /// Whether |a| * |b| < 2^Bound, for Bound < K, without overflow.
  static bool productBelow(Ring A, Ring B, unsigned Bound) {
    unsigned BA = magnitudeBits(A), BB = magnitudeBits(B);
    if (BA == 0 || BB == 0)
      return true;
    if (BA + BB <= Bound)
      return true;
    if (BA + BB > Bound + 1 || Bound + 1 > K)
      return false;
    // BA + BB == Bound + 1 <= K: the product of the magnitudes fits.
    Ring MA = toSigned(A) < 0 ? Ring(0) - A : A;
    Ring MB = toSigned(B) < 0 ? Ring(0) - B : B;
    return ClearOps<Ring>::bitWidth(static_cast<Ring>(MA * MB)) <= Bound;
  }

private:
  void mix(uint64_t V) {
    for (int I = 0; I < 8; ++I) {
      TraceHash ^= (V >> (8 * I)) & 0xff;
      TraceHash *= 1099511628211ULL;
    }
  }
  void note(Prim P, Ring A = 0, Ring B = 0) {
    ++Counts[P];
    mix(static_cast<uint64_t>(P));
    mix(static_cast<uint64_t>(A));
    mix(static_cast<uint64_t>(B));
    if constexpr (K == 128) {
      mix(static_cast<uint64_t>(A >> 64));
      mix(static_cast<uint64_t>(B >> 64));
    }
  }

  ClearOps<Ring> Inner;
};

static_assert(FxOps<ClearOps<uint64_t>> && FxOps<ClearOps<U128>>);
static_assert(FxOps<CountingOps<uint64_t>> && FxOps<CountingOps<U128>>);

} // namespace sstat::runtime::fx

#endif // SSTAT_RUNTIME_FIXEDPOINTOPS_H
