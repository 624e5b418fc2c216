//===- FixedPoint.h - Fixed-point numbers in the ring Z_2^k -----*- C++ -*-===//
//
// sstat computes on fixed-point numbers held in the ring Z_2^k (k = 64 or
// 128, fixed per program): a real x is encoded as round(x * 2^f) mod 2^k and
// read in two's complement, so the representable values are the multiples of
// 2^-f in [-2^(k-f-1), 2^(k-f-1)). This header gives the encoding, the
// deterministic truncation the cleartext executor uses, and the cleartext
// entry points of the nonlinear kernels (reciprocal, divide, sqrt, rsqrt,
// exp, log).
//
// The kernels themselves live in FixedPointKernels.h, written once over an
// abstract set of primitives (FixedPointOps.h) that the 3-party protocol
// rep3 also has, so that the secure runtime runs the very same sequence of
// operations. The functions here instantiate them with the cleartext
// primitives (ClearOps). docs/fixedpoint.md states each algorithm, its input
// range and its measured error, and how rep3's probabilistic truncation
// (ABY3, Mohassel-Rindal CCS 2018, section 5.1) differs from the floor used
// here.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_FIXEDPOINT_H
#define SSTAT_RUNTIME_FIXEDPOINT_H

#include <cstdint>

namespace sstat::runtime::fx {

/// The 128-bit ring's element type and its two's complement reading.
using U128 = unsigned __int128;
using S128 = __int128;

/// What each ring element type is: its width k and its signed reading.
template <class Ring> struct RingTraits;
template <> struct RingTraits<uint64_t> {
  static constexpr unsigned Bits = 64;
  using Signed = int64_t;
};
template <> struct RingTraits<U128> {
  static constexpr unsigned Bits = 128;
  using Signed = S128;
};

/// A ring element type: uint64_t (Z_2^64) or U128 (Z_2^128).
template <class Ring>
concept RingElement = requires {
  RingTraits<Ring>::Bits;
};

/// The fixed-point format of a program: ring width K and fractional bits F.
struct Params {
  unsigned K;
  unsigned F;
  friend bool operator==(const Params &, const Params &) = default;
};

/// Whether the kernels support P: K is 64 or 128, 8 <= F <= 48 and
/// 2F + 16 <= K. (So F <= 24 in Z_2^64; the usual choices are F = 16 in
/// Z_2^64 and F = 40 in Z_2^128.)
constexpr bool isSupported(Params P) {
  return (P.K == 64 || P.K == 128) && P.F >= 8 && P.F <= 48 &&
         2 * P.F + 16 <= P.K;
}

/// Whether P is supported and matches the width of Ring.
template <RingElement Ring> constexpr bool isSupportedFor(Params P) {
  return isSupported(P) && P.K == RingTraits<Ring>::Bits;
}

/// The two's complement reading of X.
template <RingElement Ring>
constexpr typename RingTraits<Ring>::Signed toSigned(Ring X) {
  return static_cast<typename RingTraits<Ring>::Signed>(X);
}

/// The ring element whose two's complement reading is V.
template <RingElement Ring>
constexpr Ring fromSigned(typename RingTraits<Ring>::Signed V) {
  return static_cast<Ring>(V);
}

/// Truncation as the cleartext executor does it: the arithmetic shift of
/// the two's complement reading of X right by S bits, i.e. floor(x / 2^S).
/// S < K. rep3's truncation differs by at most one unit (and fails with a
/// small probability); see docs/fixedpoint.md.
template <RingElement Ring> constexpr Ring truncFloor(Ring X, unsigned S) {
  return fromSigned<Ring>(toSigned(X) >> S);
}

/// Fixed-point product: the ring product A * B mod 2^K, truncated by F bits.
/// Exact (up to the floor) when |a * b| < 2^(K-1) as integers.
template <RingElement Ring> constexpr Ring mulTrunc(Ring A, Ring B, Params P) {
  return truncFloor<Ring>(static_cast<Ring>(A * B), P.F);
}

/// The largest and smallest representable values, 2^(K-1) - 1 and -2^(K-1)
/// as ring integers (2^(K-F-1) - 2^-F and -2^(K-F-1) as numbers).
template <RingElement Ring> constexpr Ring maxValue() {
  return (Ring(1) << (RingTraits<Ring>::Bits - 1)) - 1;
}
template <RingElement Ring> constexpr Ring minValue() {
  return Ring(1) << (RingTraits<Ring>::Bits - 1);
}

/// The result of encoding a double.
template <RingElement Ring> struct Encoded {
  Ring Value;
  /// The input was outside the representable range and Value is the nearest
  /// end of the range, or the input was NaN and Value is 0.
  bool Saturated;
};

/// Encodes V as round(V * 2^F) (to nearest, ties away from zero), in two's
/// complement; values out of range saturate to maxValue() / minValue().
template <RingElement Ring> Encoded<Ring> encode(double V, Params P);

/// The number x / 2^F that X encodes, rounded to the nearest double.
template <RingElement Ring> double decode(Ring X, Params P);

/// The same in long double (exact for |x| < 2^64 on x86-64).
template <RingElement Ring> long double decodeLong(Ring X, Params P);

//===----------------------------------------------------------------------===//
// Shapes of the kernels: fixed iteration counts and polynomial degrees,
// functions of P only (never of the data).
//===----------------------------------------------------------------------===//

/// Newton steps of the reciprocal (and divide) after the initial 2.9142 - 2m.
unsigned reciprocalIterations(Params P);
/// Newton steps of the inverse square root after its linear start.
unsigned rsqrtIterations(Params P);
/// Degree of the polynomial for ln on [0.5, 1].
unsigned logDegree(Params P);
/// Degree of the polynomial for 2^r on [0, 1].
unsigned exp2Degree(Params P);

//===----------------------------------------------------------------------===//
// Cleartext kernels. Arguments and results are encoded values (ring
// integers x = X * 2^F); the input ranges are those of docs/fixedpoint.md:
//   reciprocal(x):  1 <= x < 2^(K-2)               (2^-F <= X < 2^(K-F-2))
//   divide(a, b):   1 <= |b| < 2^(K-2), |a| < 2^(K-F-3), |a / b| < 2^(K-2F-3)
//   sqrt(x):        0 <= x < 2^(K-2)    (sqrt(0) = 0 exactly)
//   rsqrt(x):       1 <= x < 2^(K-2)
//   exp(x):         -2^(K-2) <= x <= expMaxInput(P)
//   log(x):         1 <= x < 2^(K-2)
// Outside these ranges the result is deterministic but meaningless.
//===----------------------------------------------------------------------===//

template <RingElement Ring> Ring reciprocal(Ring X, Params P);
template <RingElement Ring> Ring divide(Ring A, Ring B, Params P);
template <RingElement Ring> Ring sqrt(Ring X, Params P);
template <RingElement Ring> Ring rsqrt(Ring X, Params P);
template <RingElement Ring> Ring exp(Ring X, Params P);
template <RingElement Ring> Ring log(Ring X, Params P);

/// The largest x that exp accepts: exp(x) must fit the kernel's 2^n stage,
/// which is about (2^(B-1)) * ln 2 with 2^(B-1) the largest power of two
/// <= K - F - 1 (22.18 for K = 64, 44.36 for K = 128).
template <RingElement Ring> Ring expMaxInput(Params P);

} // namespace sstat::runtime::fx

#endif // SSTAT_RUNTIME_FIXEDPOINT_H
