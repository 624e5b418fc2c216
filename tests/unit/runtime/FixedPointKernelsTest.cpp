//===- FixedPointKernelsTest.cpp - Accuracy and obliviousness of kernels --===//
//
// For each kernel (reciprocal, divide, sqrt, rsqrt, exp, log) and both rings
// (Z_2^64, F = 16 and Z_2^128, F = 40):
//
//  - accuracy: thousands of seeded random inputs over the whole declared
//    range (log-uniform magnitudes, so tiny and huge inputs are as frequent
//    as ordinary ones) plus edge values, against <cmath> in long double;
//    the error must be within the bound docs/fixedpoint.md states, of the
//    form |result - exact| <= (Abs + Rel * |exact|) * 2^-F;
//  - data independence: the instrumented primitives (CountingOps) see the
//    same number of calls of every kind, and the same sequence of calls with
//    the same public arguments, for every input; every declared truncation
//    bound and every precondition holds;
//  - robustness to rep3's truncation: with every truncation off by a random
//    -1, 0 or +1 unit, the error stays within a slightly looser bound;
//  - every supported (K, F), on fewer inputs.
//
// SSTAT_FX_SAMPLES=n in the environment changes the number of random inputs
// per kernel (default 4000); the maxima are recorded as test properties
// (--gtest_output=xml), which is how the tables of docs/fixedpoint.md were
// measured.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/FixedPointKernels.h"
#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointOps.h"

#include "KernelBounds.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace fx = sstat::runtime::fx;
using fx::Params;
using fx::U128;

namespace {

using namespace sstat::runtime::fx::kerneltest;

unsigned samples() {
  if (const char *S = std::getenv("SSTAT_FX_SAMPLES"))
    return static_cast<unsigned>(std::strtoul(S, nullptr, 10));
  return 4000;
}

template <class Ring> using SignedOf = typename fx::RingTraits<Ring>::Signed;

/// Inputs over a kernel's declared range.
template <class Ring> class Sampler {
public:
  static constexpr unsigned K = fx::RingTraits<Ring>::Bits;

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
  /// A positive integer whose bit length is uniform in [MinBits, MaxBits]
  /// (0 bits: zero).
  Ring logUniform(unsigned MinBits, unsigned MaxBits) {
    unsigned Len = uniform(MinBits, MaxBits);
    if (Len == 0)
      return 0;
    Ring Top = Ring(1) << (Len - 1);
    return Top | (random() & (Top - 1));
  }
  Ring withSign(Ring X) { return (Gen() & 1) ? Ring(0) - X : X; }

  /// Pairs (a, b); b is unused for unary kernels. Edge values first.
  std::vector<std::pair<Ring, Ring>> inputs(Kernel Kn, unsigned N) {
    std::vector<std::pair<Ring, Ring>> Out;
    unsigned F = P.F;
    Ring One = Ring(1) << F;
    std::vector<Ring> Positive = {
        1, 2, 3, One - 1, One, One + 1, One / 2, 3 * One, One * 4, One / 3 * 5};
    for (unsigned J = 1; J < K - 2; ++J) {
      Positive.push_back(Ring(1) << J);
      Positive.push_back((Ring(1) << J) - 1);
      Positive.push_back((Ring(1) << J) + 1);
    }
    Positive.push_back((Ring(1) << (K - 2)) - 1);
    switch (Kn) {
    case Kernel::Reciprocal:
    case Kernel::Rsqrt:
    case Kernel::Log:
      for (Ring X : Positive)
        Out.push_back({X, 0});
      while (Out.size() < Positive.size() + N)
        Out.push_back({logUniform(1, K - 2), 0});
      break;
    case Kernel::Sqrt:
      Out.push_back({0, 0});
      for (Ring X : Positive)
        Out.push_back({X, 0});
      while (Out.size() < Positive.size() + 1 + N)
        Out.push_back({logUniform(1, K - 2), 0});
      break;
    case Kernel::Divide: {
      auto MaxABits = [&](Ring AbsB) {
        unsigned BLen = fx::ClearOps<Ring>::bitWidth(AbsB);
        return std::min(K - F - 3, BLen - 1 + K - 2 * F - 3);
      };
      for (Ring B : Positive)
        for (Ring SB : {B, Ring(0) - B}) {
          Ring AMax = (Ring(1) << MaxABits(B)) - 1;
          for (Ring A : {Ring(0), Ring(1), One, AMax, Ring(0) - AMax})
            if (fx::toSigned(A) >= -fx::toSigned(AMax) &&
                fx::toSigned(A) <= fx::toSigned(AMax))
              Out.push_back({A, SB});
        }
      size_t Edges = Out.size();
      while (Out.size() < Edges + N) {
        Ring B = logUniform(1, K - 2);
        Ring A = logUniform(0, MaxABits(B));
        Out.push_back({withSign(A), withSign(B)});
      }
      break;
    }
    case Kernel::Exp: {
      Ring Max = fx::expMaxInput<Ring>(P);
      SignedOf<Ring> MaxS = fx::toSigned(Max);
      SignedOf<Ring> Lo = -MaxS - 8 * (SignedOf<Ring>(1) << F);
      std::vector<Ring> Edges = {0,
                                 1,
                                 Ring(0) - 1,
                                 One,
                                 Ring(0) - One,
                                 Max,
                                 Max - 1,
                                 fx::fromSigned<Ring>(-MaxS),
                                 Ring(0) - (Ring(1) << (K - 2))};
      for (SignedOf<Ring> V = -MaxS; V <= MaxS; V += SignedOf<Ring>(1) << F)
        Edges.push_back(fx::fromSigned<Ring>(V));
      for (Ring X : Edges)
        Out.push_back({X, 0});
      while (Out.size() < Edges.size() + N) {
        unsigned Kind = uniform(0, 9);
        if (Kind < 7) {
          // Uniform over the range where exp is not 0.
          auto Span = static_cast<Ring>(MaxS - Lo + 1);
          Out.push_back(
              {fx::fromSigned<Ring>(Lo + fx::toSigned<Ring>(random() % Span)),
               0});
        } else if (Kind < 9) {
          Out.push_back({Ring(0) - logUniform(1, K - 2), 0});
        } else {
          Out.push_back({logUniform(0, F), 0});
        }
      }
      break;
    }
    }
    return Out;
  }

private:
  Params P;
  std::mt19937_64 Gen;
};

template <class Ops>
typename Ops::Value runKernel(Ops &O, Kernel K, typename Ops::Value A,
                              typename Ops::Value B) {
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

/// The cleartext entry points of FixedPoint.h.
template <class Ring> Ring runCleartext(Kernel K, Ring A, Ring B, Params P) {
  switch (K) {
  case Kernel::Reciprocal:
    return fx::reciprocal(A, P);
  case Kernel::Divide:
    return fx::divide(A, B, P);
  case Kernel::Sqrt:
    return fx::sqrt(A, P);
  case Kernel::Rsqrt:
    return fx::rsqrt(A, P);
  case Kernel::Exp:
    return fx::exp(A, P);
  case Kernel::Log:
    return fx::log(A, P);
  }
  return A;
}

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

/// The rep3 stand-in: cleartext primitives whose truncations are off by a
/// random -1, 0 or +1 unit (ABY3's truncation is within one unit of the
/// floor; this is a superset).
template <class RingT> class NoisyOps {
public:
  using Ring = RingT;
  using Value = RingT;
  NoisyOps(Params P, uint64_t Seed) : Inner(P), Gen(Seed) {}
  Params params() const { return Inner.params(); }
  Value constant(Ring C) { return Inner.constant(C); }
  Value add(Value A, Value B) { return Inner.add(A, B); }
  Value sub(Value A, Value B) { return Inner.sub(A, B); }
  Value neg(Value A) { return Inner.neg(A); }
  Value mulPublic(Value A, Ring C) { return Inner.mulPublic(A, C); }
  Value mulTrunc(Value A, Value B, unsigned L) {
    return noise(Inner.mulTrunc(A, B, L));
  }
  Value trunc(Value A, unsigned S, unsigned L) {
    return noise(Inner.trunc(A, S, L));
  }
  Value ltz(Value A) { return Inner.ltz(A); }
  Value select(Value C, Value A, Value B) { return Inner.select(C, A, B); }
  std::vector<Value> msb(Value A, unsigned W) { return Inner.msb(A, W); }
  std::vector<Value> bits(Value A, unsigned Lo, unsigned N) {
    return Inner.bits(A, Lo, N);
  }

private:
  Value noise(Value X) {
    switch (Gen() % 3) {
    case 0:
      return X - 1;
    case 1:
      return X;
    default:
      return X + 1;
    }
  }
  fx::ClearOps<Ring> Inner;
  std::mt19937_64 Gen;
};
static_assert(fx::FxOps<NoisyOps<uint64_t>> && fx::FxOps<NoisyOps<U128>>);

/// The largest errors seen, in units of 2^-F.
struct ErrorStats {
  long double MaxAbs = 0;    // over inputs with |exact| < 1
  long double MaxRel = 0;    // over inputs with |exact| >= 1, times 2^F
  long double MaxErr = 0;    // over all inputs
  long double MaxExcess = 0; // max of error / allowed
  std::string Worst;
};

/// Measures one kernel on Inputs with Run(a, b) -> ring result.
template <class Ring, class RunFn>
ErrorStats measure(Kernel K, Params P,
                   const std::vector<std::pair<Ring, Ring>> &Inputs,
                   ErrorBound Bound, RunFn Run) {
  ErrorStats S;
  long double Scale = std::ldexp(1.0L, static_cast<int>(P.F));
  for (auto [A, B] : Inputs) {
    long double XA = fx::decodeLong(A, P), XB = fx::decodeLong(B, P);
    long double Exact = reference(K, XA, XB);
    long double Got = fx::decodeLong(Run(A, B), P);
    long double Err = std::fabs(Got - Exact) * Scale;
    long double Allowed = Bound.Abs + Bound.Rel * std::fabs(Exact);
    S.MaxErr = std::max(S.MaxErr, Err);
    if (std::fabs(Exact) >= 1)
      S.MaxRel = std::max(S.MaxRel, Err / std::fabs(Exact));
    else
      S.MaxAbs = std::max(S.MaxAbs, Err);
    if (Err / Allowed > S.MaxExcess) {
      S.MaxExcess = Err / Allowed;
      S.Worst = std::string(kernelName(K)) + "(" + std::to_string((double)XA) +
                (K == Kernel::Divide ? ", " + std::to_string((double)XB) : "") +
                ") = " + std::to_string((double)Got) + ", exact " +
                std::to_string((double)Exact) + ", error " +
                std::to_string((double)Err) + " units";
    }
  }
  return S;
}

struct Ring64 {
  using Ring = uint64_t;
  static constexpr Params P{64, 16};
};
struct Ring128 {
  using Ring = U128;
  static constexpr Params P{128, 40};
};

template <class C> class FixedPointKernelsTest : public ::testing::Test {
protected:
  using Ring = typename C::Ring;
  static constexpr Params P = C::P;

  void checkAccuracy(Kernel K) {
    Sampler<Ring> S(P, 1000 + static_cast<uint64_t>(K));
    auto Inputs = S.inputs(K, samples());
    ErrorStats St =
        measure<Ring>(K, P, Inputs, documentedBound(K),
                      [&](Ring A, Ring B) { return runCleartext(K, A, B, P); });
    EXPECT_LE(St.MaxExcess, 1.0L) << St.Worst;
    RecordProperty(std::string(kernelName(K)) + "_inputs",
                   std::to_string(Inputs.size()));
    RecordProperty(std::string(kernelName(K)) + "_max_abs_units",
                   std::to_string(static_cast<double>(St.MaxAbs)));
    RecordProperty(std::string(kernelName(K)) + "_max_rel_units",
                   std::to_string(static_cast<double>(St.MaxRel)));
    RecordProperty(std::string(kernelName(K)) + "_max_err_units",
                   std::to_string(static_cast<double>(St.MaxErr)));
    RecordProperty(std::string(kernelName(K)) + "_max_of_bound",
                   std::to_string(static_cast<double>(St.MaxExcess)));
  }

  void checkNoisy(Kernel K) {
    Sampler<Ring> S(P, 2000 + static_cast<uint64_t>(K));
    auto Inputs = S.inputs(K, samples() / 4);
    NoisyOps<Ring> O(P, 7);
    ErrorStats St =
        measure<Ring>(K, P, Inputs, noisyBound(K),
                      [&](Ring A, Ring B) { return runKernel(O, K, A, B); });
    EXPECT_LE(St.MaxExcess, 1.0L) << St.Worst;
    RecordProperty(std::string(kernelName(K)) + "_noisy_max_abs_units",
                   std::to_string(static_cast<double>(St.MaxAbs)));
    RecordProperty(std::string(kernelName(K)) + "_noisy_max_rel_units",
                   std::to_string(static_cast<double>(St.MaxRel)));
    RecordProperty(std::string(kernelName(K)) + "_noisy_max_err_units",
                   std::to_string(static_cast<double>(St.MaxErr)));
    RecordProperty(std::string(kernelName(K)) + "_noisy_max_of_bound",
                   std::to_string(static_cast<double>(St.MaxExcess)));
  }

  void checkOblivious(Kernel K) {
    Sampler<Ring> S(P, 3000 + static_cast<uint64_t>(K));
    auto Inputs = S.inputs(K, 300);
    fx::CountingOps<Ring> First(P);
    runKernel(First, K, Inputs[0].first, Inputs[0].second);
    for (auto [A, B] : Inputs) {
      fx::CountingOps<Ring> O(P);
      Ring Got = runKernel(O, K, A, B);
      ASSERT_EQ(O.Counts, First.Counts) << kernelName(K);
      ASSERT_EQ(O.TraceHash, First.TraceHash) << kernelName(K);
      ASSERT_EQ(O.BoundViolations, 0u)
          << kernelName(K) << " " << (double)fx::decodeLong(A, P) << " "
          << (double)fx::decodeLong(B, P);
      ASSERT_EQ(O.PreconditionViolations, 0u) << kernelName(K);
      ASSERT_EQ(Got, runCleartext(K, A, B, P)) << kernelName(K);
    }
    // Declared bounds never exceed the ring.
    EXPECT_LT(First.MaxMulTruncBound, P.K);
    EXPECT_LT(First.MaxTruncBound, P.K);
    for (unsigned I = 0; I < fx::NumPrims; ++I)
      RecordProperty(std::string(kernelName(K)) + "_" +
                         fx::primName(static_cast<fx::Prim>(I)),
                     std::to_string(First.Counts.N[I]));
  }
};

using Configs = ::testing::Types<Ring64, Ring128>;
TYPED_TEST_SUITE(FixedPointKernelsTest, Configs);

#define SSTAT_FX_KERNEL_TESTS(Name, K)                                         \
  TYPED_TEST(FixedPointKernelsTest, Name##Accuracy) {                          \
    this->checkAccuracy(K);                                                    \
  }                                                                            \
  TYPED_TEST(FixedPointKernelsTest, Name##UnderRep3Truncation) {               \
    this->checkNoisy(K);                                                       \
  }                                                                            \
  TYPED_TEST(FixedPointKernelsTest, Name##IsDataIndependent) {                 \
    this->checkOblivious(K);                                                   \
  }

SSTAT_FX_KERNEL_TESTS(Reciprocal, Kernel::Reciprocal)
SSTAT_FX_KERNEL_TESTS(Divide, Kernel::Divide)
SSTAT_FX_KERNEL_TESTS(Sqrt, Kernel::Sqrt)
SSTAT_FX_KERNEL_TESTS(Rsqrt, Kernel::Rsqrt)
SSTAT_FX_KERNEL_TESTS(Exp, Kernel::Exp)
SSTAT_FX_KERNEL_TESTS(Log, Kernel::Log)

#undef SSTAT_FX_KERNEL_TESTS

TYPED_TEST(FixedPointKernelsTest, ExactValues) {
  using Ring = typename TypeParam::Ring;
  constexpr Params P = TypeParam::P;
  Ring One = Ring(1) << P.F;
  EXPECT_EQ(fx::sqrt<Ring>(0, P), Ring(0));
  EXPECT_EQ(fx::exp<Ring>(Ring(0) - (Ring(1) << (P.K - 2)), P), Ring(0));
  EXPECT_EQ(fx::exp<Ring>(Ring(0) - 200 * One, P), Ring(0));
  // Within the documented bound where the exact result is representable.
  auto Near = [&](Ring Got, Ring Want, Kernel K) {
    long double D =
        std::fabs(static_cast<long double>(fx::toSigned<Ring>(Got - Want)));
    ErrorBound B = documentedBound(K);
    return D <= B.Abs + B.Rel * std::fabs(fx::decodeLong(Want, P));
  };
  EXPECT_TRUE(Near(fx::reciprocal<Ring>(One, P), One, Kernel::Reciprocal));
  EXPECT_TRUE(
      Near(fx::reciprocal<Ring>(4 * One, P), One / 4, Kernel::Reciprocal));
  EXPECT_TRUE(
      Near(fx::divide<Ring>(6 * One, 3 * One, P), 2 * One, Kernel::Divide));
  EXPECT_TRUE(Near(fx::divide<Ring>(6 * One, Ring(0) - 3 * One, P),
                   Ring(0) - 2 * One, Kernel::Divide));
  EXPECT_TRUE(Near(fx::divide<Ring>(Ring(0) - 6 * One, Ring(0) - 3 * One, P),
                   2 * One, Kernel::Divide));
  EXPECT_TRUE(Near(fx::sqrt<Ring>(16 * One, P), 4 * One, Kernel::Sqrt));
  EXPECT_TRUE(Near(fx::rsqrt<Ring>(16 * One, P), One / 4, Kernel::Rsqrt));
  EXPECT_TRUE(Near(fx::exp<Ring>(0, P), One, Kernel::Exp));
  EXPECT_TRUE(Near(fx::log<Ring>(One, P), 0, Kernel::Log));
}

/// The interactive primitives each kernel calls in the two standard
/// formats (docs/fixedpoint.md, "Cost"): MulTrunc, Trunc, Ltz, Select, Msb,
/// Bits. Additions and multiplications by public constants are local.
struct PinnedCost {
  Kernel K;
  uint64_t MulTrunc, Trunc, Ltz, Select, Msb, Bits;
};
constexpr PinnedCost Cost64[] = {{Kernel::Reciprocal, 6, 11, 0, 19, 1, 0},
                                 {Kernel::Divide, 7, 12, 1, 22, 1, 0},
                                 {Kernel::Sqrt, 10, 13, 0, 17, 1, 0},
                                 {Kernel::Rsqrt, 9, 14, 0, 16, 1, 0},
                                 {Kernel::Exp, 5, 7, 1, 12, 0, 1},
                                 {Kernel::Log, 6, 6, 0, 10, 1, 0}};
constexpr PinnedCost Cost128[] = {{Kernel::Reciprocal, 8, 13, 0, 25, 1, 0},
                                  {Kernel::Divide, 9, 14, 1, 28, 1, 0},
                                  {Kernel::Sqrt, 13, 16, 0, 22, 1, 0},
                                  {Kernel::Rsqrt, 12, 17, 0, 22, 1, 0},
                                  {Kernel::Exp, 9, 8, 1, 14, 0, 1},
                                  {Kernel::Log, 15, 7, 0, 13, 1, 0}};

template <class Ring> void checkCost(Params P, const PinnedCost (&Table)[6]) {
  for (const PinnedCost &C : Table) {
    fx::CountingOps<Ring> O(P);
    Ring One = Ring(1) << P.F;
    runKernel(O, C.K, One, One);
    EXPECT_EQ(O.Counts[fx::Prim::MulTrunc], C.MulTrunc) << kernelName(C.K);
    EXPECT_EQ(O.Counts[fx::Prim::Trunc], C.Trunc) << kernelName(C.K);
    EXPECT_EQ(O.Counts[fx::Prim::Ltz], C.Ltz) << kernelName(C.K);
    EXPECT_EQ(O.Counts[fx::Prim::Select], C.Select) << kernelName(C.K);
    EXPECT_EQ(O.Counts[fx::Prim::Msb], C.Msb) << kernelName(C.K);
    EXPECT_EQ(O.Counts[fx::Prim::Bits], C.Bits) << kernelName(C.K);
  }
}

TEST(FixedPointCostTest, InteractivePrimitivesOfTheStandardFormats) {
  checkCost<uint64_t>({64, 16}, Cost64);
  checkCost<U128>({128, 40}, Cost128);
}

TEST(FixedPointCostTest, CountingOpsCatchesDataDependence) {
  // The check the kernels pass is not vacuous: a loop whose trip count
  // depends on the value changes the counts, and a public argument that
  // depends on it (a shift by x mod 8) changes the trace, not the counts.
  Params P{64, 16};
  uint64_t One = uint64_t(1) << P.F;
  auto Halve = [&](fx::CountingOps<uint64_t> &O, uint64_t X) {
    while (fx::toSigned(X) > fx::toSigned(One))
      X = O.trunc(X, 1, 62);
  };
  fx::CountingOps<uint64_t> A(P), B(P);
  Halve(A, 2 * One);
  Halve(B, 8 * One);
  EXPECT_NE(A.Counts, B.Counts);
  auto Shift = [&](fx::CountingOps<uint64_t> &O, uint64_t X) {
    O.trunc(X, static_cast<unsigned>(X % 8), 62);
  };
  fx::CountingOps<uint64_t> C(P), D(P);
  Shift(C, 3);
  Shift(D, 4);
  EXPECT_EQ(C.Counts, D.Counts);
  EXPECT_NE(C.TraceHash, D.TraceHash);
  // And a broken bound is reported.
  fx::CountingOps<uint64_t> E(P);
  E.trunc(One, 1, P.F);
  E.mulTrunc(One, One, 2 * P.F);
  EXPECT_EQ(E.BoundViolations, 2u);
  E.select(2, 0, 0);
  E.msb(uint64_t(0) - 1, 10);
  EXPECT_EQ(E.PreconditionViolations, 2u);
}

/// Every supported (K, F): fewer inputs, the same bounds and data
/// independence on the edge inputs.
template <class Ring> void sweep(unsigned K) {
  for (unsigned F = 8; F <= 48; ++F) {
    Params P{K, F};
    if (!fx::isSupported(P))
      continue;
    for (Kernel Kn : AllKernels) {
      Sampler<Ring> S(P, 4000 + F);
      auto Inputs = S.inputs(Kn, 150);
      ErrorStats St = measure<Ring>(
          Kn, P, Inputs, documentedBound(Kn),
          [&](Ring A, Ring B) { return runCleartext(Kn, A, B, P); });
      EXPECT_LE(St.MaxExcess, 1.0L)
          << "K = " << K << ", F = " << F << ": " << St.Worst;
      fx::CountingOps<Ring> First(P);
      runKernel(First, Kn, Inputs[0].first, Inputs[0].second);
      for (size_t I = 0; I < Inputs.size(); I += 7) {
        fx::CountingOps<Ring> O(P);
        runKernel(O, Kn, Inputs[I].first, Inputs[I].second);
        ASSERT_EQ(O.TraceHash, First.TraceHash)
            << kernelName(Kn) << " K = " << K << ", F = " << F;
        ASSERT_EQ(O.BoundViolations + O.PreconditionViolations, 0u)
            << kernelName(Kn) << " K = " << K << ", F = " << F;
      }
    }
  }
}

TEST(FixedPointSweepTest, EverySupportedFormatIn64Bits) { sweep<uint64_t>(64); }
TEST(FixedPointSweepTest, EverySupportedFormatIn128Bits) { sweep<U128>(128); }

} // namespace
