//===- Rep3FxOpsTest.cpp - Fixed-point kernels on rep3 shares -------------===//
//
// The kernels of FixedPointKernels.h (reciprocal, divide, sqrt, rsqrt, exp,
// log) run on rep3 shares through Rep3FxOps, three threads over
// MemoryNetwork, for Z_2^64 with F = 16 and Z_2^128 with F = 40, on a
// thousand seeded inputs over each kernel's declared range (log-uniform
// magnitudes plus edge values), all in one vectorized call. The opened
// results are compared with
//   - the exact function (long double): within the bound docs/fixedpoint.md
//     states for rep3's truncation, (2 Rel + 4) |exact| + 2 Abs + 4 units
//     (the kernel tests' NoisyOps bound);
//   - the cleartext executor (ClearOps): within that same bound, since the
//     only difference is the rounding of the probabilistic truncations (the
//     exact ones reproduce the floor), and bit for bit where the kernel ran
//     no probabilistic truncation (divide and log in Z_2^64).
// Measured maxima (fractions of the bound, rounds, bytes, truncation kinds)
// are recorded as test properties (--gtest_output=xml).
// The primitives themselves are checked against ClearOps: exact truncation
// bit for bit, probabilistic truncation within one unit.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointKernels.h"
#include "sstat/runtime/FixedPointOps.h"
#include "sstat/runtime/rep3/Channel.h"
#include "sstat/runtime/rep3/FxOps.h"

#include "KernelBounds.h"
#include "Rep3TestUtil.h"
#include "sstat/runtime/rep3/Rep3.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <exception>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace sstat::runtime::rep3;
namespace fx = sstat::runtime::fx;
using fx::Params;
using fx::U128;

namespace {

using test::run3;

template <class T> Share<T> share(Rep3 &p, const std::vector<T> &v) {
  std::vector<T> mine = p.id() == 0 ? v : std::vector<T>{};
  return p.input<T>(0, mine, v.size());
}

using namespace sstat::runtime::fx::kerneltest;

/// rep3 against the cleartext executor. The two differ only where a
/// probabilistic truncation rounded up instead of down, one unit each; the
/// kernels' steps damp or propagate such units like any truncation error,
/// which NoisyOps measured: the rep3 bound above. (Where no truncation is
/// probabilistic the results are equal bit for bit; that is asserted too.)
ErrorBound diffBound(Kernel K) { return noisyBound(K); }

long double reference(Kernel K, long double A, long double B) {
  switch (K) {
  case Kernel::Reciprocal:
    return 1.0L / A;
  case Kernel::Divide:
    return A / B;
  case Kernel::Sqrt:
    return std::sqrt(A);
  case Kernel::Rsqrt:
    return 1.0L / std::sqrt(A);
  case Kernel::Exp:
    return std::exp(A);
  case Kernel::Log:
    return std::log(A);
  }
  return 0;
}

template <class Ops>
typename Ops::Value runKernel(Ops &O, Kernel K, const typename Ops::Value &A,
                              const typename Ops::Value &B) {
  switch (K) {
  case Kernel::Reciprocal:
    return fx::reciprocal(O, A);
  case Kernel::Divide:
    return fx::divide(O, A, B);
  case Kernel::Sqrt:
    return fx::sqrt(O, A);
  case Kernel::Rsqrt:
    return fx::rsqrt(O, A);
  case Kernel::Exp:
    return fx::exp(O, A);
  case Kernel::Log:
    return fx::log(O, A);
  }
  return A;
}

/// Inputs over a kernel's declared range (FixedPoint.h): edges first, then
/// log-uniform magnitudes.
template <class Ring> class Sampler {
public:
  static constexpr unsigned K = fx::RingTraits<Ring>::Bits;
  using Signed = typename fx::RingTraits<Ring>::Signed;
  Sampler(Params P, uint64_t Seed) : P(P), Gen(Seed) {}

  Ring random() {
    if constexpr (K == 64)
      return Gen();
    else
      return (U128(Gen()) << 64) | Gen();
  }
  unsigned uniform(unsigned Lo, unsigned Hi) {
    return Lo + static_cast<unsigned>(Gen() % (Hi - Lo + 1));
  }
  Ring logUniform(unsigned MinBits, unsigned MaxBits) {
    unsigned Len = uniform(MinBits, MaxBits);
    if (Len == 0)
      return 0;
    Ring Top = Ring(1) << (Len - 1);
    return Top | (random() & (Top - 1));
  }
  Ring withSign(Ring X) { return (Gen() & 1) ? Ring(0) - X : X; }

  std::vector<std::pair<Ring, Ring>> inputs(Kernel Kn, unsigned N) {
    std::vector<std::pair<Ring, Ring>> Out;
    const Ring One = Ring(1) << P.F;
    const std::vector<Ring> Positive = {1,
                                        2,
                                        3,
                                        One - 1,
                                        One,
                                        One + 1,
                                        One / 2,
                                        3 * One,
                                        4 * One,
                                        (Ring(1) << (K - 2)) - 1,
                                        Ring(1) << (K - 3)};
    auto Fill = [&](auto Gen) {
      while (Out.size() < N)
        Out.push_back(Gen());
    };
    switch (Kn) {
    case Kernel::Sqrt:
      Out.push_back({0, 0});
      [[fallthrough]];
    case Kernel::Reciprocal:
    case Kernel::Rsqrt:
    case Kernel::Log:
      for (Ring X : Positive)
        Out.push_back({X, 0});
      Fill([&] { return std::pair<Ring, Ring>{logUniform(1, K - 2), 0}; });
      break;
    case Kernel::Divide: {
      auto MaxABits = [&](Ring AbsB) {
        unsigned BLen = fx::ClearOps<Ring>::bitWidth(AbsB);
        return std::min(K - P.F - 3, BLen - 1 + K - 2 * P.F - 3);
      };
      Out.push_back({6 * One, 3 * One});
      Out.push_back({6 * One, Ring(0) - 3 * One});
      Out.push_back({Ring(0) - 6 * One, 1});
      Out.push_back({0, Ring(0) - 1});
      Fill([&] {
        Ring B = logUniform(1, K - 2);
        Ring A = logUniform(0, MaxABits(B));
        return std::pair<Ring, Ring>{withSign(A), withSign(B)};
      });
      break;
    }
    case Kernel::Exp: {
      Ring Max = fx::expMaxInput<Ring>(P);
      Signed MaxS = fx::toSigned(Max);
      Signed Lo = -MaxS - 8 * (Signed(1) << P.F);
      for (Ring X :
           {Ring(0), Ring(1), Ring(0) - 1, One, Ring(0) - One, Max, Max - 1,
            fx::fromSigned<Ring>(-MaxS), Ring(0) - (Ring(1) << (K - 2))})
        Out.push_back({X, 0});
      Fill([&] {
        unsigned Kind = uniform(0, 9);
        Ring X;
        if (Kind < 7) {
          auto Span = static_cast<Ring>(MaxS - Lo + 1);
          X = fx::fromSigned<Ring>(Lo + fx::toSigned<Ring>(random() % Span));
        } else if (Kind < 9) {
          X = Ring(0) - logUniform(1, K - 2);
        } else {
          X = logUniform(0, P.F);
        }
        return std::pair<Ring, Ring>{X, 0};
      });
      break;
    }
    }
    return Out;
  }

private:
  Params P;
  std::mt19937_64 Gen;
};

struct Ring64 {
  using Ring = uint64_t;
  static constexpr Params P{64, 16};
};
struct Ring128 {
  using Ring = U128;
  static constexpr Params P{128, 40};
};

constexpr unsigned kInputs = 1000;

template <class C> class Rep3FxOpsTest : public ::testing::Test {
protected:
  using Ring = typename C::Ring;
  static constexpr Params P = C::P;

  void checkKernel(Kernel K) {
    Sampler<Ring> S(P, 500 + static_cast<uint64_t>(K));
    auto Inputs = S.inputs(K, kInputs);
    const size_t N = Inputs.size();
    std::vector<Ring> A(N), B(N);
    for (size_t J = 0; J < N; ++J) {
      A[J] = Inputs[J].first;
      B[J] = Inputs[J].second;
    }
    std::vector<Ring> Got;
    std::array<ChannelStats, 3> St;
    typename Rep3FxOps<Ring>::TruncCounts Counts;
    run3([&](Rep3 &Party) {
      Share<Ring> SA = share(Party, A), SB = share(Party, B);
      Rep3FxOps<Ring> O(Party, P, N);
      Party.channel().resetStats();
      Share<Ring> R = runKernel(O, K, SA, SB);
      St[Party.id()] = Party.channel().stats();
      std::vector<Ring> Out = Party.open(R);
      if (Party.id() == 0) {
        Got = std::move(Out);
        Counts = O.truncCounts();
      }
    });
    ASSERT_EQ(Got.size(), N);

    fx::ClearOps<Ring> Clear(P);
    const long double Scale = std::ldexp(1.0L, static_cast<int>(P.F));
    const ErrorBound Exact = noisyBound(K), Diff = diffBound(K);
    long double MaxDiff = 0, MaxErr = 0; // fractions of the allowed error
    for (size_t J = 0; J < N; ++J) {
      long double XA = fx::decodeLong(A[J], P), XB = fx::decodeLong(B[J], P);
      long double Want = reference(K, XA, XB);
      long double G = fx::decodeLong(Got[J], P);
      long double ClearV = fx::decodeLong(runKernel(Clear, K, A[J], B[J]), P);
      long double Err = std::fabs(G - Want) * Scale;
      long double D = std::fabs(G - ClearV) * Scale;
      const long double AllowedErr = Exact.Abs + Exact.Rel * std::fabs(Want);
      const long double AllowedDiff = Diff.Abs + Diff.Rel * std::fabs(Want);
      MaxErr = std::max(MaxErr, Err / AllowedErr);
      MaxDiff = std::max(MaxDiff, D / AllowedDiff);
      std::string What =
          std::string(kernelName(K)) + "(" + std::to_string(double(XA)) +
          (K == Kernel::Divide ? ", " + std::to_string(double(XB))
                               : std::string()) +
          ") = " + std::to_string(double(G)) + ", cleartext " +
          std::to_string(double(ClearV)) + ", exact " +
          std::to_string(double(Want));
      ASSERT_LE(Err, AllowedErr) << What;
      ASSERT_LE(D, AllowedDiff) << What;
      if (Counts.Probabilistic == 0)
        ASSERT_EQ(Got[J], runKernel(Clear, K, A[J], B[J])) << What;
    }
    const std::string Name = kernelName(K);
    this->RecordProperty(Name + "_inputs", std::to_string(N));
    this->RecordProperty(Name + "_max_err_of_bound",
                         std::to_string(double(MaxErr)));
    this->RecordProperty(Name + "_max_diff_vs_cleartext_of_bound",
                         std::to_string(double(MaxDiff)));
    this->RecordProperty(Name + "_rounds", std::to_string(St[1].rounds));
    this->RecordProperty(Name + "_bytes_per_element_party0",
                         std::to_string(double(St[0].bytesSent) / double(N)));
    this->RecordProperty(Name + "_trunc_probabilistic",
                         std::to_string(Counts.Probabilistic));
    this->RecordProperty(Name + "_trunc_exact", std::to_string(Counts.Exact));
  }
};

using Configs = ::testing::Types<Ring64, Ring128>;
TYPED_TEST_SUITE(Rep3FxOpsTest, Configs);

} // namespace

TYPED_TEST(Rep3FxOpsTest, Reciprocal) { this->checkKernel(Kernel::Reciprocal); }
TYPED_TEST(Rep3FxOpsTest, Divide) { this->checkKernel(Kernel::Divide); }
TYPED_TEST(Rep3FxOpsTest, Sqrt) { this->checkKernel(Kernel::Sqrt); }
TYPED_TEST(Rep3FxOpsTest, Rsqrt) { this->checkKernel(Kernel::Rsqrt); }
TYPED_TEST(Rep3FxOpsTest, Exp) { this->checkKernel(Kernel::Exp); }
TYPED_TEST(Rep3FxOpsTest, Log) { this->checkKernel(Kernel::Log); }

/// The primitives against ClearOps: the exact truncation is the floor bit
/// for bit, the probabilistic one within one unit above it; the choice
/// follows l + 1 + 40 <= k.
TYPED_TEST(Rep3FxOpsTest, PrimitivesMatchClearOps) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  constexpr unsigned K = P.K;
  std::mt19937_64 G(77);
  const size_t N = 200;
  // Factors below 2^((K - 2) / 2) so products stay below 2^(K-2).
  const unsigned Half = (K - 2) / 2;
  std::vector<Ring> A(N), B(N), C(N);
  Sampler<Ring> S(P, 78);
  for (size_t J = 0; J < N; ++J) {
    A[J] = S.withSign(S.logUniform(0, Half));
    B[J] = S.withSign(S.logUniform(0, Half));
    C[J] = G() & 1;
  }
  const unsigned Small = K - 1 - 40 - 4; // probabilistic
  const unsigned Shift = Half >= Small ? Half - Small + 1 : 1;
  std::vector<std::vector<Ring>> Out;
  bool ExactChosen = false, ProbChosen = false;
  Ring Cst = Ring(12345);
  run3([&](Rep3 &Party) {
    Rep3FxOps<Ring> O(Party, P, N);
    Share<Ring> SA = share(Party, A), SB = share(Party, B),
                SC = share(Party, C);
    std::vector<std::vector<Ring>> R;
    R.push_back(Party.open(O.mulTrunc(SA, SB, K - 2)));
    R.push_back(Party.open(O.trunc(SA, 7, K - 1)));
    // Operands below 2^Small: reduce A first (exactly) to fit the bound.
    Share<Ring> AS = O.trunc(SA, Shift, K - 1);
    R.push_back(Party.open(AS));
    R.push_back(Party.open(O.trunc(AS, 5, Small)));
    R.push_back(Party.open(O.select(SC, SA, SB)));
    R.push_back(Party.open(O.ltz(SA)));
    R.push_back(Party.open(O.add(O.constant(Cst), O.mulPublic(SA, 3))));
    if (Party.id() == 2) {
      Out = std::move(R);
      ExactChosen = !O.isProbabilistic(K - 40);
      ProbChosen = O.isProbabilistic(K - 41);
    }
  });
  EXPECT_TRUE(ExactChosen);
  EXPECT_TRUE(ProbChosen);
  fx::ClearOps<Ring> Cl(P);
  for (size_t J = 0; J < N; ++J) {
    ASSERT_EQ(Out[0][J], Cl.mulTrunc(A[J], B[J], K - 2)) << J;
    ASSERT_EQ(Out[1][J], Cl.trunc(A[J], 7, K - 1)) << J;
    Ring AS = Cl.trunc(A[J], Shift, K - 1);
    ASSERT_EQ(Out[2][J], AS) << J;
    Ring D = Out[3][J] - Cl.trunc(AS, 5, Small);
    ASSERT_TRUE(D == 0 || D == 1) << J;
    ASSERT_EQ(Out[4][J], Cl.select(C[J], A[J], B[J])) << J;
    ASSERT_EQ(Out[5][J], Cl.ltz(A[J])) << J;
    ASSERT_EQ(Out[6][J], Ring(Cst + 3 * A[J])) << J;
  }
}

TEST(Rep3FxOpsErrors, UnsupportedParametersThrow) {
  run3([&](Rep3 &Party) {
    EXPECT_THROW(Rep3FxOps<uint64_t>(Party, Params{64, 40}, 1), Rep3Error);
    EXPECT_THROW(Rep3FxOps<uint64_t>(Party, Params{128, 40}, 1), Rep3Error);
  });
}
