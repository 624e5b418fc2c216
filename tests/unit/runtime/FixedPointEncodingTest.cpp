//===- FixedPointEncodingTest.cpp - Encoding, truncation, ring identities -===//
//
// encode/decode round trips (negatives, rounding ties, the ends of the
// range, saturation), the floor truncation of the cleartext executor, exact
// identities of ring arithmetic, and the semantics of the cleartext
// primitives the kernels are written in. Both rings: Z_2^64 with F = 16 and
// Z_2^128 with F = 40.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointOps.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

using namespace sstat::runtime::fx;

namespace {

struct Ring64 {
  using Ring = uint64_t;
  static constexpr Params P{64, 16};
};
struct Ring128 {
  using Ring = U128;
  static constexpr Params P{128, 40};
};

template <class C> class FixedPointEncodingTest : public ::testing::Test {};
using Configs = ::testing::Types<Ring64, Ring128>;
TYPED_TEST_SUITE(FixedPointEncodingTest, Configs);

template <class Ring> using SignedOf = typename RingTraits<Ring>::Signed;

TYPED_TEST(FixedPointEncodingTest, DyadicValuesRoundTripExactly) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  std::mt19937_64 Gen(1);
  for (int I = 0; I < 5000; ++I) {
    // A random multiple of 2^-F with at most 53 significant bits.
    int64_t Mant = static_cast<int64_t>(Gen() >> 11) - (int64_t(1) << 52);
    int Shift = static_cast<int>(Gen() % (P.K - 1 - 53 + 1));
    double V =
        std::ldexp(static_cast<double>(Mant), Shift - static_cast<int>(P.F));
    Encoded<Ring> E = encode<Ring>(V, P);
    ASSERT_FALSE(E.Saturated) << V;
    EXPECT_EQ(toSigned(E.Value), static_cast<SignedOf<Ring>>(Mant) << Shift);
    EXPECT_EQ(decode(E.Value, P), V);
    EXPECT_EQ(decodeLong(E.Value, P), static_cast<long double>(V));
  }
}

TYPED_TEST(FixedPointEncodingTest, RandomValuesRoundToNearest) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  std::mt19937_64 Gen(2);
  std::uniform_real_distribution<double> Unit(-1.0, 1.0);
  double Half = std::ldexp(1.0, -static_cast<int>(P.F) - 1);
  for (int I = 0; I < 5000; ++I) {
    int Exp = static_cast<int>(Gen() % (P.K - P.F - 1)) - static_cast<int>(P.F);
    double V = std::ldexp(Unit(Gen), Exp);
    Encoded<Ring> E = encode<Ring>(V, P);
    ASSERT_FALSE(E.Saturated);
    long double Back = decodeLong(E.Value, P);
    EXPECT_LE(std::fabs(Back - static_cast<long double>(V)),
              static_cast<long double>(Half))
        << V;
  }
}

TYPED_TEST(FixedPointEncodingTest, NegativesAreTwosComplement) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  Ring One = encode<Ring>(1.0, P).Value;
  EXPECT_EQ(One, Ring(1) << P.F);
  Ring MinusOne = encode<Ring>(-1.0, P).Value;
  EXPECT_EQ(MinusOne, Ring(0) - (Ring(1) << P.F));
  EXPECT_EQ(static_cast<Ring>(One + MinusOne), Ring(0));
  EXPECT_EQ(encode<Ring>(-0.0, P).Value, Ring(0));
  EXPECT_EQ(decode(MinusOne, P), -1.0);
  EXPECT_EQ(decode(encode<Ring>(-2.75, P).Value, P), -2.75);
}

TYPED_TEST(FixedPointEncodingTest, TiesRoundAwayFromZero) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  int F = static_cast<int>(P.F);
  auto Enc = [&](double Ulps) {
    return toSigned(encode<Ring>(std::ldexp(Ulps, -F), P).Value);
  };
  EXPECT_EQ(Enc(0.5), 1);
  EXPECT_EQ(Enc(-0.5), -1);
  EXPECT_EQ(Enc(1.5), 2);
  EXPECT_EQ(Enc(-1.5), -2);
  EXPECT_EQ(Enc(2.5), 3);
  EXPECT_EQ(Enc(0.49999), 0);
  EXPECT_EQ(Enc(-0.49999), 0);
  EXPECT_EQ(Enc(1e-300), 0);
  EXPECT_EQ(Enc(std::numeric_limits<double>::denorm_min()), 0);
}

TYPED_TEST(FixedPointEncodingTest, EndsOfTheRangeAndSaturation) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  int Top = static_cast<int>(P.K - P.F - 1); // values lie in [-2^Top, 2^Top)
  double Limit = std::ldexp(1.0, Top);

  Encoded<Ring> Lo = encode<Ring>(-Limit, P);
  EXPECT_FALSE(Lo.Saturated);
  EXPECT_EQ(Lo.Value, minValue<Ring>());
  EXPECT_EQ(decode(minValue<Ring>(), P), -Limit);

  // The largest double below the limit is representable.
  double Below = std::nextafter(Limit, 0.0);
  Encoded<Ring> Hi = encode<Ring>(Below, P);
  EXPECT_FALSE(Hi.Saturated);
  EXPECT_EQ(decode(Hi.Value, P), Below);
  EXPECT_EQ(encode<Ring>(-Below, P).Value, Ring(0) - Hi.Value);

  for (double V :
       {Limit, 2 * Limit, 1e300, std::numeric_limits<double>::infinity()}) {
    Encoded<Ring> E = encode<Ring>(V, P);
    EXPECT_TRUE(E.Saturated) << V;
    EXPECT_EQ(E.Value, maxValue<Ring>()) << V;
  }
  for (double V : {std::nextafter(-Limit, -2 * Limit), -2 * Limit, -1e300,
                   -std::numeric_limits<double>::infinity()}) {
    Encoded<Ring> E = encode<Ring>(V, P);
    EXPECT_TRUE(E.Saturated) << V;
    EXPECT_EQ(E.Value, minValue<Ring>()) << V;
  }
  Encoded<Ring> Nan = encode<Ring>(std::nan(""), P);
  EXPECT_TRUE(Nan.Saturated);
  EXPECT_EQ(Nan.Value, Ring(0));

  // maxValue decodes to the nearest double of 2^Top - 2^-F.
  EXPECT_EQ(decodeLong(maxValue<Ring>(), P),
            static_cast<long double>(toSigned(maxValue<Ring>())) /
                std::ldexp(1.0L, static_cast<int>(P.F)));
  EXPECT_EQ(toSigned(maxValue<Ring>()), -(toSigned(minValue<Ring>()) + 1));
}

TYPED_TEST(FixedPointEncodingTest, TruncationIsTheFloor) {
  using Ring = typename TypeParam::Ring;
  using S = SignedOf<Ring>;
  auto T = [](S X, unsigned Sh) {
    return toSigned(truncFloor<Ring>(fromSigned<Ring>(X), Sh));
  };
  EXPECT_EQ(T(7, 1), 3);
  EXPECT_EQ(T(-7, 1), -4);
  EXPECT_EQ(T(-1, 5), -1);
  EXPECT_EQ(T(-32, 5), -1);
  EXPECT_EQ(T(-33, 5), -2);
  EXPECT_EQ(T(31, 5), 0);
  EXPECT_EQ(T(0, 9), 0);
  EXPECT_EQ(
      toSigned(truncFloor<Ring>(minValue<Ring>(), RingTraits<Ring>::Bits - 1)),
      -1);
  EXPECT_EQ(truncFloor<Ring>(maxValue<Ring>(), RingTraits<Ring>::Bits - 2),
            Ring(1));
  std::mt19937_64 Gen(3);
  for (int I = 0; I < 2000; ++I) {
    S X = static_cast<S>(static_cast<int64_t>(Gen()) >> (34 + Gen() % 20));
    unsigned Sh = static_cast<unsigned>(Gen() % 30) + 1;
    S Shifted = X * (S(1) << Sh);
    EXPECT_EQ(T(Shifted, Sh), X);         // exact on multiples
    EXPECT_EQ(T(Shifted + 1, Sh), X);     // floor just above
    EXPECT_EQ(T(Shifted - 1, Sh), X - 1); // floor just below
  }
}

TYPED_TEST(FixedPointEncodingTest, ExactRingIdentities) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  // Wrap-around: the ring is Z_2^K.
  EXPECT_EQ(static_cast<Ring>(maxValue<Ring>() + 1), minValue<Ring>());
  EXPECT_EQ(static_cast<Ring>(Ring(0) - minValue<Ring>()), minValue<Ring>());
  Ring One = encode<Ring>(1.0, P).Value;
  std::mt19937_64 Gen(4);
  std::uniform_int_distribution<int> Small(-(1 << 20), 1 << 20);
  for (int I = 0; I < 3000; ++I) {
    // Dyadic a, b with 20 + 8 fractional bits: sums, products exact.
    double A = std::ldexp(Small(Gen), -8), B = std::ldexp(Small(Gen), -8);
    Ring EA = encode<Ring>(A, P).Value, EB = encode<Ring>(B, P).Value;
    EXPECT_EQ(static_cast<Ring>(EA + EB), encode<Ring>(A + B, P).Value);
    EXPECT_EQ(static_cast<Ring>(EA - EB), encode<Ring>(A - B, P).Value);
    EXPECT_EQ(static_cast<Ring>(EA + (Ring(0) - EA)), Ring(0));
    EXPECT_EQ(mulTrunc<Ring>(EA, One, P), EA);
    EXPECT_EQ(mulTrunc<Ring>(EA, EB, P), encode<Ring>(A * B, P).Value)
        << A << " * " << B;
    EXPECT_EQ(static_cast<Ring>(EA * 3), encode<Ring>(3 * A, P).Value);
    // Distributivity of ring multiplication.
    Ring C = static_cast<Ring>(Gen());
    EXPECT_EQ(static_cast<Ring>(C * (EA + EB)),
              static_cast<Ring>(C * EA + C * EB));
  }
}

TYPED_TEST(FixedPointEncodingTest, CleartextPrimitives) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  constexpr unsigned K = RingTraits<Ring>::Bits;
  ClearOps<Ring> O(P);
  EXPECT_EQ(O.ltz(Ring(0) - 1), Ring(1));
  EXPECT_EQ(O.ltz(minValue<Ring>()), Ring(1));
  EXPECT_EQ(O.ltz(0), Ring(0));
  EXPECT_EQ(O.ltz(maxValue<Ring>()), Ring(0));
  EXPECT_EQ(O.select(1, 5, 9), Ring(5));
  EXPECT_EQ(O.select(0, 5, 9), Ring(9));
  EXPECT_EQ(O.neg(5), Ring(0) - 5);
  EXPECT_EQ(O.trunc(Ring(0) - 9, 2, 8), Ring(0) - 3);

  // msb: one-hot of the leading bit; all zero for 0.
  std::vector<Ring> Zero = O.msb(0, K - 2);
  for (Ring B : Zero)
    EXPECT_EQ(B, Ring(0));
  for (unsigned Pos = 0; Pos < K - 2; ++Pos) {
    Ring X = (Ring(1) << Pos) | (Pos ? (Ring(1) << (Pos - 1)) - 1 : 0);
    std::vector<Ring> B = O.msb(X, K - 2);
    for (unsigned I = 0; I < K - 2; ++I)
      ASSERT_EQ(B[I], Ring(I == Pos)) << Pos << " " << I;
  }
  // bits: the binary expansion, two's complement for negatives.
  std::vector<Ring> Bits = O.bits(Ring(0) - 2, 0, K);
  EXPECT_EQ(Bits[0], Ring(0));
  for (unsigned I = 1; I < K; ++I)
    EXPECT_EQ(Bits[I], Ring(1));
  std::vector<Ring> Mid = O.bits(Ring(0b101100), 2, 4);
  EXPECT_EQ(Mid, (std::vector<Ring>{1, 1, 0, 1}));
}

TEST(FixedPointParamsTest, SupportedParameters) {
  EXPECT_TRUE(isSupported({64, 16}));
  EXPECT_TRUE(isSupported({128, 40}));
  EXPECT_TRUE(isSupported({64, 8}));
  EXPECT_TRUE(isSupported({64, 24}));
  EXPECT_FALSE(isSupported({64, 25}));
  EXPECT_TRUE(isSupported({128, 48}));
  EXPECT_FALSE(isSupported({128, 49}));
  EXPECT_FALSE(isSupported({64, 7}));
  EXPECT_FALSE(isSupported({32, 8}));
  EXPECT_TRUE(isSupportedFor<uint64_t>({64, 16}));
  EXPECT_FALSE(isSupportedFor<U128>({64, 16}));
}

TEST(FixedPointParamsTest, ShapesOfTheStandardFormats) {
  // docs/fixedpoint.md states these.
  EXPECT_EQ(reciprocalIterations({64, 16}), 3u);
  EXPECT_EQ(reciprocalIterations({128, 40}), 4u);
  EXPECT_EQ(rsqrtIterations({64, 16}), 3u);
  EXPECT_EQ(rsqrtIterations({128, 40}), 4u);
  EXPECT_EQ(logDegree({64, 16}), 6u);
  EXPECT_EQ(logDegree({128, 40}), 15u);
  EXPECT_EQ(exp2Degree({64, 16}), 5u);
  EXPECT_EQ(exp2Degree({128, 40}), 9u);
  // 22.18 and 44.36: (2^5 and 2^6) * ln 2, less a few units.
  EXPECT_NEAR(decode(expMaxInput<uint64_t>({64, 16}), {64, 16}),
              32 * std::log(2.0), 1e-4);
  EXPECT_NEAR(decode(expMaxInput<U128>({128, 40}), {128, 40}),
              64 * std::log(2.0), 1e-10);
}

} // namespace
