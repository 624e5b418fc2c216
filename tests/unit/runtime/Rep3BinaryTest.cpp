//===- Rep3BinaryTest.cpp - rep3 binary sharing, A2B and comparisons ------===//
//
// Three threads run the binary side of rep3 (Araki et al. CCS 2016; ABY3,
// Mohassel and Rindal CCS 2018; Catrina and de Hoogh SCN 2010) over
// MemoryNetwork on seeded random and edge inputs, for both rings: the opened
// results must equal the cleartext computation (ClearOps for bits and msb,
// the floor for the exact truncation, the value itself for b2a, whose shares
// must also form a consistent replicated sharing), and the channel counters
// must match the rounds and bytes that rep3/Binary.h documents.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/FixedPointOps.h"
#include "sstat/runtime/rep3/Binary.h"

#include "Rep3TestUtil.h"
#include "sstat/runtime/rep3/Channel.h"
#include "sstat/runtime/rep3/Rep3.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <exception>
#include <functional>
#include <random>
#include <thread>
#include <vector>

using namespace sstat::runtime::rep3;
namespace fx = sstat::runtime::fx;

namespace {

using U128 = unsigned __int128;

using test::randomRing;
void run3(const std::function<void(Rep3 &)> &body) {
  test::run3(body, std::chrono::seconds(10));
}

template <class T> constexpr unsigned kBits = sizeof(T) * 8;

/// Random values with a uniformly random bit length (so small and large
/// magnitudes are equally common), random signs, and the edge values.
template <class T> std::vector<T> signedInputs(std::mt19937_64 &g, size_t n) {
  constexpr unsigned K = kBits<T>;
  const T top = T(1) << (K - 1);
  std::vector<T> v = {0,
                      1,
                      T(0) - 1,
                      2,
                      T(0) - 2,
                      T(1) << (K - 2),
                      T(0) - (T(1) << (K - 2)),
                      top,
                      top - 1,
                      top + 1,
                      (T(1) << (K - 2)) - 1,
                      T(1) << 32,
                      (T(1) << 32) - 1};
  while (v.size() < n) {
    unsigned len = static_cast<unsigned>(g() % K) + 1;
    T x = randomRing<T>(g);
    if (len < K)
      x &= (T(1) << len) - 1;
    v.push_back((g() & 1) ? T(0) - x : x);
  }
  return v;
}

/// Shares `v` (owned by party 0) on every party.
template <class T> Share<T> share(Rep3 &p, const std::vector<T> &v) {
  std::vector<T> mine = p.id() == 0 ? v : std::vector<T>{};
  return p.input<T>(0, mine, v.size());
}

/// Opens an arithmetic 0/1 result and checks every party sees the same.
template <class T> std::vector<T> openAll(Rep3 &p, const Share<T> &s) {
  return p.open(s);
}

template <class T> class Rep3Binary : public ::testing::Test {};
using Rings = ::testing::Types<std::uint64_t, U128>;
TYPED_TEST_SUITE(Rep3Binary, Rings);

constexpr size_t kN = 300;

/// log2 of the ring width: Kogge-Stone levels / carry-tree levels.
template <class T> constexpr unsigned kLog = sizeof(T) == 8 ? 6 : 7;

} // namespace

TYPED_TEST(Rep3Binary, A2BOpensToTheValueInOnePlusLogKRounds) {
  using T = TypeParam;
  std::mt19937_64 g(11);
  auto v = signedInputs<T>(g, kN);
  std::array<std::vector<T>, 3> out;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    Binary bin(p);
    Share<T> x = share(p, v);
    p.channel().resetStats();
    BShare<T> xb = bin.a2b(x);
    st[p.id()] = p.channel().stats();
    out[p.id()] = bin.open(xb);
  });
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(out[i], v) << "party " << i;
  // Latency 1 + log2 k: party 0 receives nothing in the first round.
  const unsigned L = kLog<T>;
  EXPECT_EQ(st[0].rounds, L);
  EXPECT_EQ(st[1].rounds, L + 1);
  EXPECT_EQ(st[2].rounds, L + 1);
  // Words: the first round 2 (party 0) / 1, then 2 per level but 1 in the
  // last.
  EXPECT_EQ(st[0].bytesSent, (2 * L + 1) * kN * sizeof(T));
  EXPECT_EQ(st[1].bytesSent, 2 * L * kN * sizeof(T));
  EXPECT_EQ(st[2].bytesSent, 2 * L * kN * sizeof(T));
  // One message per peer per round.
  EXPECT_EQ(st[0].messagesSent, 2 + L);
  EXPECT_EQ(st[1].messagesSent, 1 + L);
}

TYPED_TEST(Rep3Binary, AndSendsOneWordPerElementInOneRound) {
  using T = TypeParam;
  std::mt19937_64 g(12);
  auto x = signedInputs<T>(g, kN), y = signedInputs<T>(g, kN + 7);
  y.resize(kN);
  std::reverse(y.begin(), y.end());
  const T c = randomRing<T>(g);
  std::array<std::vector<T>, 3> andOut, xorOut, notOut, pubOut, orOut;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    Binary bin(p);
    BShare<T> xb = bin.a2b(share(p, x)), yb = bin.a2b(share(p, y));
    p.channel().resetStats();
    BShare<T> z = bin.band(xb, yb);
    st[p.id()] = p.channel().stats();
    andOut[p.id()] = bin.open(z);
    xorOut[p.id()] = bin.open(Binary::bxor(xb, yb));
    notOut[p.id()] = bin.open(bin.bnot(xb));
    pubOut[p.id()] =
        bin.open(Binary::andPublic(bin.xorPublic(xb, c), T(~c >> 3)));
    orOut[p.id()] = bin.open(bin.bor(xb, yb));
  });
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(st[i].bytesSent, kN * sizeof(T)) << "party " << i;
    EXPECT_EQ(st[i].bytesReceived, kN * sizeof(T)) << "party " << i;
    EXPECT_EQ(st[i].messagesSent, 1u);
    EXPECT_EQ(st[i].rounds, 1u);
    for (size_t j = 0; j < kN; ++j) {
      ASSERT_EQ(andOut[i][j], T(x[j] & y[j])) << j;
      ASSERT_EQ(xorOut[i][j], T(x[j] ^ y[j])) << j;
      ASSERT_EQ(notOut[i][j], T(~x[j])) << j;
      ASSERT_EQ(pubOut[i][j], T((x[j] ^ c) & T(~c >> 3))) << j;
      ASSERT_EQ(orOut[i][j], T(x[j] | y[j])) << j;
    }
  }
}

TYPED_TEST(Rep3Binary, LtzIsTheSignBit) {
  using T = TypeParam;
  std::mt19937_64 g(13);
  auto v = signedInputs<T>(g, kN);
  std::array<std::vector<T>, 3> out;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    Binary bin(p);
    Share<T> x = share(p, v);
    p.channel().resetStats();
    Share<T> s = bin.ltz(x);
    st[p.id()] = p.channel().stats();
    out[p.id()] = openAll(p, s);
  });
  for (int i = 0; i < 3; ++i)
    for (size_t j = 0; j < kN; ++j)
      ASSERT_EQ(out[i][j], T(fx::toSigned<T>(v[j]) < 0 ? 1 : 0))
          << "party " << i << " element " << j;
  // log2 k + 2 rounds in latency (party 0 receives in log2 k of them).
  const unsigned L = kLog<T>;
  EXPECT_EQ(st[1].rounds, L + 2);
  EXPECT_EQ(st[2].rounds, L + 2);
  EXPECT_EQ(st[0].rounds, L);
  // Bytes: the first round and the injection cost party 0 two ring
  // elements each, the others one; the carry tree about 2k bits, at most
  // 2k bits plus one word of padding per level.
  const uint64_t s = sizeof(T), k = 8 * s;
  const uint64_t tree = 2 * k * kN / 8 + 2 * 8 * L;
  EXPECT_LE(st[0].bytesSent, 4 * s * kN + tree);
  EXPECT_GE(st[0].bytesSent, 4 * s * kN + tree / 2);
  EXPECT_LE(st[1].bytesSent, 2 * s * kN + tree);
  this->RecordProperty("ltz_bytes_per_element_party0",
                       std::to_string(double(st[0].bytesSent) / kN));
  this->RecordProperty("ltz_bytes_per_element_party1",
                       std::to_string(double(st[1].bytesSent) / kN));
}

TYPED_TEST(Rep3Binary, LtzOfOneElementAndOfAnOddCount) {
  using T = TypeParam;
  for (size_t n : {size_t(1), size_t(65), size_t(129)}) {
    std::mt19937_64 g(14 + n);
    auto v = signedInputs<T>(g, 13);
    v.resize(n, T(0) - 5);
    std::vector<T> out;
    run3([&](Rep3 &p) {
      Binary bin(p);
      auto r = openAll(p, bin.ltz(share(p, v)));
      if (p.id() == 1)
        out = r;
    });
    for (size_t j = 0; j < n; ++j)
      ASSERT_EQ(out[j], T(fx::toSigned<T>(v[j]) < 0 ? 1 : 0)) << n << " " << j;
  }
}

TYPED_TEST(Rep3Binary, EqzIsOneExactlyAtZero) {
  using T = TypeParam;
  std::mt19937_64 g(15);
  auto v = signedInputs<T>(g, kN);
  for (size_t j = 0; j < kN; j += 3)
    v[j] = 0;
  std::array<std::vector<T>, 3> out;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    Binary bin(p);
    Share<T> x = share(p, v);
    p.channel().resetStats();
    Share<T> e = bin.eqz(x);
    st[p.id()] = p.channel().stats();
    out[p.id()] = openAll(p, e);
  });
  for (int i = 0; i < 3; ++i)
    for (size_t j = 0; j < kN; ++j)
      ASSERT_EQ(out[i][j], T(v[j] == 0 ? 1 : 0)) << i << " " << j;
  EXPECT_EQ(std::max({st[0].rounds, st[1].rounds, st[2].rounds}), kLog<T> + 2);
}

TYPED_TEST(Rep3Binary, BitsMatchClearOps) {
  using T = TypeParam;
  constexpr unsigned K = kBits<T>;
  std::mt19937_64 g(16);
  auto v = signedInputs<T>(g, kN);
  fx::ClearOps<T> clear(fx::Params{K, 16});
  struct Range {
    unsigned lo, n;
  };
  const std::vector<Range> ranges = {{0, 1},     {0, K},  {16, 6},
                                     {K - 1, 1}, {3, 17}, {K / 2, K / 2 - 3}};
  std::array<std::vector<std::vector<T>>, 3> out;
  run3([&](Rep3 &p) {
    Binary bin(p);
    Share<T> x = share(p, v);
    for (Range r : ranges)
      for (const Share<T> &b : bin.bits(x, r.lo, r.n))
        out[p.id()].push_back(p.open(b));
  });
  for (int i = 0; i < 3; ++i) {
    size_t row = 0;
    for (Range r : ranges)
      for (unsigned b = 0; b < r.n; ++b, ++row)
        for (size_t j = 0; j < kN; ++j)
          ASSERT_EQ(out[i][row][j], clear.bits(v[j], r.lo, r.n)[b])
              << "lo " << r.lo << " n " << r.n << " bit " << b;
  }
}

TYPED_TEST(Rep3Binary, B2ABitsOfABinarySharing) {
  using T = TypeParam;
  std::mt19937_64 g(17);
  auto v = signedInputs<T>(g, kN);
  std::vector<std::vector<T>> out;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    Binary bin(p);
    BShare<T> xb = bin.a2b(share(p, v));
    p.channel().resetStats();
    auto bits = bin.b2aBits(xb, 5, 3);
    st[p.id()] = p.channel().stats();
    if (p.id() == 2)
      for (auto &b : bits)
        out.push_back(p.open(b));
    else
      for (auto &b : bits)
        p.open(b);
  });
  for (unsigned b = 0; b < 3; ++b)
    for (size_t j = 0; j < kN; ++j)
      ASSERT_EQ(out[b][j], T((v[j] >> (5 + b)) & 1));
  // Bit injection: one round; party 0 sends two ring elements per bit.
  EXPECT_EQ(st[0].bytesSent, 2 * 3 * kN * sizeof(T));
  EXPECT_EQ(st[1].bytesSent, 3 * kN * sizeof(T));
  EXPECT_EQ(st[1].rounds, 1u);
  EXPECT_EQ(st[2].rounds, 1u);
}

TYPED_TEST(Rep3Binary, MsbMatchesClearOps) {
  using T = TypeParam;
  constexpr unsigned K = kBits<T>;
  std::mt19937_64 g(18);
  fx::ClearOps<T> clear(fx::Params{K, 16});
  for (unsigned w : {1u, 5u, 31u, K - 2, K - 1}) {
    // 0 <= x < 2^w with a uniform bit length, plus the edges.
    std::vector<T> v = {0, 1, (T(1) << w) - 1, T(1) << (w - 1)};
    while (v.size() < 200) {
      unsigned len = static_cast<unsigned>(g() % (w + 1));
      T x = randomRing<T>(g) & ((T(1) << len) - 1);
      v.push_back(x);
    }
    std::vector<std::vector<T>> out;
    std::array<ChannelStats, 3> st;
    run3([&](Rep3 &p) {
      Binary bin(p);
      Share<T> x = share(p, v);
      p.channel().resetStats();
      auto m = bin.msb(x, w);
      st[p.id()] = p.channel().stats();
      std::vector<std::vector<T>> o;
      for (auto &b : m)
        o.push_back(p.open(b));
      if (p.id() == 0)
        out = o;
    });
    ASSERT_EQ(out.size(), w);
    for (size_t j = 0; j < v.size(); ++j) {
      auto want = clear.msb(v[j], w);
      for (unsigned i = 0; i < w; ++i)
        ASSERT_EQ(out[i][j], want[i]) << "w " << w << " element " << j;
    }
    const unsigned adder = detail::ceilLog2(w > 1 ? w - 1 : 1);
    EXPECT_EQ(st[1].rounds, 1 + adder + detail::ceilLog2(w) + 1) << w;
  }
}

TYPED_TEST(Rep3Binary, TruncExactIsTheFloor) {
  using T = TypeParam;
  constexpr unsigned K = kBits<T>;
  std::mt19937_64 g(19);
  auto v = signedInputs<T>(g, kN);
  const std::vector<unsigned> shifts = {1, 2, 16, 40, K / 2, K - 2, K - 1};
  std::vector<std::vector<T>> out;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    Binary bin(p);
    Share<T> x = share(p, v);
    std::vector<std::vector<T>> o;
    for (unsigned s : shifts) {
      p.channel().resetStats();
      Share<T> y = bin.truncExact(x, s);
      if (s == 16)
        st[p.id()] = p.channel().stats();
      o.push_back(p.open(y));
    }
    o.push_back(p.open(bin.truncExact(x, 0)));
    if (p.id() == 1)
      out = o;
  });
  for (size_t i = 0; i < shifts.size(); ++i)
    for (size_t j = 0; j < kN; ++j)
      ASSERT_EQ(out[i][j], fx::truncFloor<T>(v[j], shifts[i]))
          << "shift " << shifts[i] << " element " << j;
  EXPECT_EQ(out.back(), v);
  EXPECT_EQ(st[1].rounds, kLog<T> + 2);
  EXPECT_EQ(st[2].rounds, kLog<T> + 2);
  this->RecordProperty("truncExact_bytes_per_element_party0",
                       std::to_string(double(st[0].bytesSent) / kN));
  this->RecordProperty("truncExact_bytes_per_element_party1",
                       std::to_string(double(st[1].bytesSent) / kN));
}

namespace {

/// What b2a produced on the three parties: the opened values, the shares
/// themselves and the channel counters of b2a alone.
template <class T> struct B2ARun {
  std::array<std::vector<T>, 3> opened;
  std::array<Share<T>, 3> shares;
  std::array<ChannelStats, 3> stats;
};

/// b2a of the binary sharing makeBinary(party) builds.
template <class T>
B2ARun<T> runB2A(const std::function<BShare<T>(Rep3 &, Binary &)> &makeBinary) {
  B2ARun<T> r;
  run3([&](Rep3 &p) {
    Binary bin(p);
    BShare<T> xb = makeBinary(p, bin);
    p.channel().resetStats();
    Share<T> y = bin.b2a(xb);
    r.stats[p.id()] = p.channel().stats();
    r.shares[p.id()] = y;
    r.opened[p.id()] = p.open(y);
  });
  return r;
}

/// Every party opened `want`, and the shares are a replicated sharing of it:
/// party i's second component is party i+1's first, and the three first
/// components sum to the value.
template <class T>
void expectB2A(const B2ARun<T> &r, const std::vector<T> &want) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(r.opened[i], want) << "party " << i;
    ASSERT_EQ(r.shares[i].b, r.shares[(i + 1) % 3].a) << "party " << i;
  }
  for (size_t j = 0; j < want.size(); ++j)
    ASSERT_EQ(T(r.shares[0].a[j] + r.shares[1].a[j] + r.shares[2].a[j]),
              want[j])
        << j;
}

template <class T> B2ARun<T> b2aOfA2B(const std::vector<T> &v) {
  return runB2A<T>([&](Rep3 &p, Binary &bin) { return bin.a2b(share(p, v)); });
}

} // namespace

TYPED_TEST(Rep3Binary, B2AOfA2BOpensToTheValue) {
  using T = TypeParam;
  constexpr unsigned K = kBits<T>;
  const T minSigned = T(1) << (K - 1), maxSigned = minSigned - 1;
  std::mt19937_64 g(20);
  // One element at a time: each edge and a random value.
  for (T v : {T(0), T(0) - 1, minSigned, maxSigned, T(1), randomRing<T>(g)})
    expectB2A(b2aOfA2B(std::vector<T>{v}), std::vector<T>{v});
  // Seven: the edges and two random values.
  std::vector<T> seven = {T(0),      T(0) - 1,         minSigned,
                          maxSigned, randomRing<T>(g), randomRing<T>(g),
                          T(1)};
  expectB2A(b2aOfA2B(seven), seven);
  // A thousand: the edges of signedInputs, random bit lengths and signs.
  std::vector<T> many = signedInputs<T>(g, 1000);
  expectB2A(b2aOfA2B(many), many);
  // Zero everywhere: still random-looking components (y_1 and y_2 from the
  // PRFs, y_0 = -(y_1 + y_2)).
  std::vector<T> zeros(64, 0);
  B2ARun<T> r = b2aOfA2B(zeros);
  expectB2A(r, zeros);
  for (int i = 0; i < 3; ++i)
    EXPECT_NE(r.shares[i].a, zeros) << "party " << i;
}

TYPED_TEST(Rep3Binary, B2AOfADirectBinarySharingIsTheXor) {
  using T = TypeParam;
  std::mt19937_64 g(21);
  for (size_t n : {size_t(1), size_t(7), size_t(1000)}) {
    // Component c of element j is comp[c][j]; the value is their XOR. The
    // last two elements are forced to 0 and all ones.
    std::array<std::vector<T>, 3> comp;
    for (auto &c : comp)
      c = test::randomVec<T>(g, n);
    std::vector<T> want(n);
    for (size_t j = 0; j < n; ++j)
      want[j] = comp[0][j] ^ comp[1][j] ^ comp[2][j];
    if (n >= 2) {
      comp[2][n - 1] ^= want[n - 1];
      want[n - 1] = 0;
      comp[2][n - 2] ^= want[n - 2] ^ ~T(0);
      want[n - 2] = ~T(0);
    }
    B2ARun<T> r = runB2A<T>([&](Rep3 &p, Binary &) {
      const int i = p.id();
      return BShare<T>{comp[i], comp[(i + 1) % 3]};
    });
    expectB2A(r, want);
  }
}

TYPED_TEST(Rep3Binary, B2ACostsWhatTheHeaderSays) {
  using T = TypeParam;
  std::mt19937_64 g(22);
  auto v = signedInputs<T>(g, kN);
  B2ARun<T> r = b2aOfA2B(v);
  expectB2A(r, v);
  const unsigned L = kLog<T>;
  const uint64_t s = sizeof(T);
  const auto &st = r.stats;
  // Latency 1 + log2 k: party 1 receives nothing in the last round.
  EXPECT_EQ(st[0].rounds, L + 1);
  EXPECT_EQ(st[1].rounds, L);
  EXPECT_EQ(st[2].rounds, L + 1);
  // Words sent: the first round 3 (party 1) / 1, then 2 per level, then the
  // opening 2 (party 1) / 1.
  EXPECT_EQ(st[0].bytesSent, 2 * L * s * kN);
  EXPECT_EQ(st[1].bytesSent, (2 * L + 3) * s * kN);
  EXPECT_EQ(st[2].bytesSent, 2 * L * s * kN);
  EXPECT_EQ(st[0].bytesReceived, (2 * L + 2) * s * kN);
  EXPECT_EQ(st[1].bytesReceived, (2 * L - 1) * s * kN);
  EXPECT_EQ(st[2].bytesReceived, (2 * L + 2) * s * kN);
  // In Z_2^64: 96 / 120 / 96 bytes per element; in Z_2^128: 224 / 272 / 224.
  const uint64_t perElement0 = sizeof(T) == 8 ? 96 : 224;
  const uint64_t perElement1 = sizeof(T) == 8 ? 120 : 272;
  EXPECT_EQ(st[0].bytesSent, perElement0 * kN);
  EXPECT_EQ(st[1].bytesSent, perElement1 * kN);
  // Messages: party 1 sends to both others in the first and last rounds.
  EXPECT_EQ(st[0].messagesSent, L + 1);
  EXPECT_EQ(st[1].messagesSent, L + 3);
  EXPECT_EQ(st[2].messagesSent, L + 1);
}

TYPED_TEST(Rep3Binary, A2BThenB2ARoundTripsThroughArithmetic) {
  // The b2a result is an ordinary arithmetic sharing: multiply it and go
  // back to binary.
  using T = TypeParam;
  std::mt19937_64 g(23);
  auto x = signedInputs<T>(g, 50), y = test::randomVec<T>(g, 50);
  std::vector<T> out;
  run3([&](Rep3 &p) {
    Binary bin(p);
    Share<T> xa = bin.b2a(bin.a2b(share(p, x)));
    Share<T> ya = share(p, y);
    auto o = bin.open(bin.a2b(p.mul(xa, ya)));
    if (p.id() == 2)
      out = o;
  });
  for (size_t j = 0; j < x.size(); ++j)
    ASSERT_EQ(out[j], T(x[j] * y[j])) << j;
}

TEST(Rep3BinaryErrors, BadRangesThrow) {
  run3([&](Rep3 &p) {
    Binary bin(p);
    Share<std::uint64_t> x{std::vector<std::uint64_t>(4, 0),
                           std::vector<std::uint64_t>(4, 0)};
    EXPECT_THROW(bin.bits(x, 60, 5), Rep3Error);
    EXPECT_THROW(bin.msb(x, 64), Rep3Error);
    EXPECT_THROW(bin.msb(x, 0), Rep3Error);
    EXPECT_THROW(bin.truncExact(x, 64), Rep3Error);
    BShare<std::uint64_t> a{std::vector<std::uint64_t>(4, 0),
                            std::vector<std::uint64_t>(4, 0)};
    BShare<std::uint64_t> b{std::vector<std::uint64_t>(3, 0),
                            std::vector<std::uint64_t>(3, 0)};
    EXPECT_THROW(bin.band(a, b), Rep3Error);
    BShare<std::uint64_t> bad{std::vector<std::uint64_t>(4, 0),
                              std::vector<std::uint64_t>(3, 0)};
    EXPECT_THROW(bin.b2a(bad), Rep3Error);
  });
}
