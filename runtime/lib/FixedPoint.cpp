//===- FixedPoint.cpp - Encoding and cleartext fixed-point kernels --------===//
//
// Encoding and decoding of doubles, the kernels' iteration counts and
// polynomial degrees (functions of the parameters only), and the cleartext
// kernels the reference executor calls: the generic kernels of
// FixedPointKernels.h run on ClearOps, instantiated for Z_2^64 and Z_2^128.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointKernels.h"
#include "sstat/runtime/FixedPointOps.h"
#include "sstat/runtime/FixedPointTables.h"

#include <cassert>
#include <cmath>
#include <iterator>

namespace sstat::runtime::fx {

template <RingElement Ring> Encoded<Ring> encode(double V, Params P) {
  assert(isSupportedFor<Ring>(P) && "unsupported fixed-point parameters");
  using Signed = typename RingTraits<Ring>::Signed;
  constexpr unsigned K = RingTraits<Ring>::Bits;
  if (std::isnan(V))
    return {Ring(0), true};
  // V * 2^F is exact (a power-of-two scaling, no overflow for F <= 48), so
  // the only rounding is std::round's: to nearest, ties away from zero.
  double R = std::round(std::ldexp(V, static_cast<int>(P.F)));
  double Limit = std::ldexp(1.0, static_cast<int>(K - 1));
  if (R >= Limit)
    return {maxValue<Ring>(), true};
  if (R < -Limit)
    return {minValue<Ring>(), true};
  // R is an integer in [-2^(K-1), 2^(K-1)): the conversion is exact.
  return {fromSigned<Ring>(static_cast<Signed>(R)), false};
}

template <RingElement Ring> double decode(Ring X, Params P) {
  // One rounding (integer to double); the scaling by 2^-F is exact.
  return std::ldexp(static_cast<double>(toSigned(X)), -static_cast<int>(P.F));
}

template <RingElement Ring> long double decodeLong(Ring X, Params P) {
  return std::ldexp(static_cast<long double>(toSigned(X)),
                    -static_cast<int>(P.F));
}

namespace {

/// floor(-log2 of the relative error) after n steps, n = 0, 1, ...
/// Reciprocal: e_0 = 0.0858, e_{n+1} = e_n^2.
constexpr unsigned ReciprocalErrorBits[] = {3, 7, 14, 28, 56};
/// Inverse square root: e_0 = 0.0908, e_{n+1} = 1.5 e_n^2 + 0.5 e_n^3.
constexpr unsigned RsqrtErrorBits[] = {3, 6, 12, 23, 46, 91};

/// The fewest steps whose method error is at most 2^-(F+3), an eighth of a
/// unit in the last place, so that rounding dominates the final error.
template <size_t N> unsigned stepsFor(const unsigned (&Bits)[N], unsigned F) {
  for (unsigned I = 0; I < N; ++I)
    if (Bits[I] >= F + 3)
      return I;
  assert(false && "precision beyond the iteration table");
  return N - 1;
}

template <size_t N>
unsigned degreeFor(const tables::PolyTable (&Table)[N], unsigned F) {
  for (const tables::PolyTable &T : Table)
    if (T.ErrorBits >= F + 3)
      return T.Degree;
  assert(false && "precision beyond the polynomial table");
  return Table[N - 1].Degree;
}

} // namespace

unsigned reciprocalIterations(Params P) {
  return stepsFor(ReciprocalErrorBits, P.F);
}
unsigned rsqrtIterations(Params P) { return stepsFor(RsqrtErrorBits, P.F); }
unsigned logDegree(Params P) { return degreeFor(tables::LogTable, P.F); }
unsigned exp2Degree(Params P) { return degreeFor(tables::Exp2Table, P.F); }

template <RingElement Ring> Ring reciprocal(Ring X, Params P) {
  ClearOps<Ring> O(P);
  return reciprocal(O, X);
}
template <RingElement Ring> Ring divide(Ring A, Ring B, Params P) {
  ClearOps<Ring> O(P);
  return divide(O, A, B);
}
template <RingElement Ring> Ring sqrt(Ring X, Params P) {
  ClearOps<Ring> O(P);
  return sqrt(O, X);
}
template <RingElement Ring> Ring rsqrt(Ring X, Params P) {
  ClearOps<Ring> O(P);
  return rsqrt(O, X);
}
template <RingElement Ring> Ring exp(Ring X, Params P) {
  ClearOps<Ring> O(P);
  return exp(O, X);
}
template <RingElement Ring> Ring log(Ring X, Params P) {
  ClearOps<Ring> O(P);
  return log(O, X);
}

template <RingElement Ring> Ring expMaxInput(Params P) {
  // The largest x with x * C + 2^(G-1) < (H * 2^F - 1) * 2^G, C = log2(e)
  // at G bits: then u = round(x * C / 2^G) <= H * 2^F - 2 (see exp()), one
  // unit below what the bit decomposition of u + H takes even if rep3's
  // truncation adds one.
  detail::ExpShape S = detail::expShape(P);
  S128 C = static_cast<S128>(detail::scaled<Ring>(detail::Log2eQ62, 62, S.G));
  S128 Limit = (((S128(S.H) << P.F) - 1) << S.G) - (S128(1) << (S.G - 1)) - 1;
  return static_cast<Ring>(Limit / C);
}

#define SSTAT_FX_INSTANTIATE(Ring)                                             \
  template Encoded<Ring> encode<Ring>(double, Params);                         \
  template double decode<Ring>(Ring, Params);                                  \
  template long double decodeLong<Ring>(Ring, Params);                         \
  template Ring reciprocal<Ring>(Ring, Params);                                \
  template Ring divide<Ring>(Ring, Ring, Params);                              \
  template Ring sqrt<Ring>(Ring, Params);                                      \
  template Ring rsqrt<Ring>(Ring, Params);                                     \
  template Ring exp<Ring>(Ring, Params);                                       \
  template Ring log<Ring>(Ring, Params);                                       \
  template Ring expMaxInput<Ring>(Params);

SSTAT_FX_INSTANTIATE(uint64_t)
SSTAT_FX_INSTANTIATE(U128)

#undef SSTAT_FX_INSTANTIATE

} // namespace sstat::runtime::fx
