//===- Rep3Test.cpp - rep3 protocol over in-memory channels ---------------===//
//
// Three threads run rep3 (Araki, Furukawa, Lindell, Nof, Ohara, CCS 2016;
// Mohassel and Rindal, ABY3, CCS 2018) over MemoryNetwork on seeded random
// inputs; the opened results must equal the cleartext ring computation, the
// byte/round counters must match the protocol's stated costs, and a message
// of the wrong length must be an error on the receiver.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/rep3/Rep3.h"
#include "sstat/runtime/rep3/Channel.h"
#include "sstat/runtime/rep3/Prf.h"

#include "Rep3TestUtil.h"

#include <gtest/gtest.h>

#include <array>
#include <exception>
#include <functional>
#include <optional>
#include <random>
#include <thread>
#include <vector>

using namespace sstat::runtime::rep3;

namespace {

using U128 = unsigned __int128;
using I128 = __int128;

using test::randomRing;
using test::randomVec;
void run3(const std::function<void(Rep3 &)> &body) {
  test::run3(body, std::chrono::seconds(5));
}

template <class T>
std::vector<T> inputFrom(Rep3 &p, int owner, const std::vector<T> &v) {
  if (p.id() == owner)
    return v;
  return {};
}

template <class T> class Rep3Ring : public ::testing::Test {};
using Rings = ::testing::Types<std::uint64_t, U128>;
TYPED_TEST_SUITE(Rep3Ring, Rings);

constexpr size_t kN = 257;

} // namespace

TYPED_TEST(Rep3Ring, ZeroSharingSumsToZeroAndRandomPairsAreReplicated) {
  using T = TypeParam;
  std::array<std::vector<T>, 3> alpha;
  std::array<std::pair<std::vector<T>, std::vector<T>>, 3> pairs;
  run3([&](Rep3 &p) {
    alpha[p.id()] = p.randomness().zeroShare<T>(kN);
    pairs[p.id()] = p.randomness().randomPair<T>(kN);
  });
  bool anyNonZero = false;
  for (size_t j = 0; j < kN; ++j) {
    EXPECT_EQ(T(alpha[0][j] + alpha[1][j] + alpha[2][j]), T(0));
    anyNonZero |= alpha[0][j] != 0;
  }
  EXPECT_TRUE(anyNonZero);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(pairs[i].second, pairs[(i + 1) % 3].first) << "party " << i;
}

TYPED_TEST(Rep3Ring, InputFromEachOwnerOpens) {
  using T = TypeParam;
  std::mt19937_64 g(1);
  for (int owner = 0; owner < 3; ++owner) {
    auto v = randomVec<T>(g, kN);
    std::array<std::vector<T>, 3> out;
    std::array<ChannelStats, 3> st;
    run3([&](Rep3 &p) {
      auto mine = inputFrom(p, owner, v);
      auto s = p.input<T>(owner, mine, kN);
      st[p.id()] = p.channel().stats();
      out[p.id()] = p.open(s);
    });
    for (int i = 0; i < 3; ++i)
      EXPECT_EQ(out[i], v) << "owner " << owner << " party " << i;
    EXPECT_EQ(st[owner].bytesSent, 2 * kN * sizeof(T));
    EXPECT_EQ(st[(owner + 1) % 3].bytesSent, 0u);
    EXPECT_EQ(st[(owner + 1) % 3].bytesReceived, kN * sizeof(T));
    EXPECT_EQ(st[(owner + 2) % 3].bytesReceived, kN * sizeof(T));
  }
}

TYPED_TEST(Rep3Ring, LocalOpsMatchCleartext) {
  using T = TypeParam;
  std::mt19937_64 g(2);
  auto x = randomVec<T>(g, kN), y = randomVec<T>(g, kN),
       c = randomVec<T>(g, kN);
  T k = randomRing<T>(g);
  std::array<std::array<std::vector<T>, 6>, 3> out;
  std::array<uint64_t, 3> localBytes{};
  run3([&](Rep3 &p) {
    auto sx = p.input<T>(0, inputFrom(p, 0, x), kN);
    auto sy = p.input<T>(1, inputFrom(p, 1, y), kN);
    uint64_t before = p.channel().stats().bytesSent;
    auto a = Rep3::add(sx, sy);
    auto s = Rep3::sub(sx, sy);
    auto n = Rep3::neg(sx);
    auto mk = Rep3::mulPublic(sx, k);
    auto mc = Rep3::mulPublic(sx, c);
    auto ac = p.addPublic(sx, c);
    localBytes[p.id()] = p.channel().stats().bytesSent - before;
    out[p.id()] = {p.open(a),  p.open(s),  p.open(n),
                   p.open(mk), p.open(mc), p.open(ac)};
  });
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(localBytes[i], 0u);
    for (size_t j = 0; j < kN; ++j) {
      EXPECT_EQ(out[i][0][j], T(x[j] + y[j]));
      EXPECT_EQ(out[i][1][j], T(x[j] - y[j]));
      EXPECT_EQ(out[i][2][j], T(T(0) - x[j]));
      EXPECT_EQ(out[i][3][j], T(x[j] * k));
      EXPECT_EQ(out[i][4][j], T(x[j] * c[j]));
      EXPECT_EQ(out[i][5][j], T(x[j] + c[j]));
    }
  }
}

TYPED_TEST(Rep3Ring, MulSendsOneElementPerProductPerParty) {
  using T = TypeParam;
  std::mt19937_64 g(3);
  auto x = randomVec<T>(g, kN), y = randomVec<T>(g, kN);
  std::array<std::vector<T>, 3> out;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    auto sx = p.input<T>(2, inputFrom(p, 2, x), kN);
    auto sy = p.input<T>(0, inputFrom(p, 0, y), kN);
    p.channel().resetStats();
    auto z = p.mul(sx, sy);
    st[p.id()] = p.channel().stats();
    out[p.id()] = p.open(z);
  });
  for (int i = 0; i < 3; ++i) {
    for (size_t j = 0; j < kN; ++j)
      ASSERT_EQ(out[i][j], T(x[j] * y[j])) << "party " << i << " j " << j;
    EXPECT_EQ(st[i].bytesSent, kN * sizeof(T));
    EXPECT_EQ(st[i].bytesReceived, kN * sizeof(T));
    EXPECT_EQ(st[i].messagesSent, 1u);
    EXPECT_EQ(st[i].rounds, 1u);
  }
}

TYPED_TEST(Rep3Ring, DotCostsOneElementPerParty) {
  using T = TypeParam;
  std::mt19937_64 g(4);
  auto x = randomVec<T>(g, kN), y = randomVec<T>(g, kN);
  T expect = 0;
  for (size_t j = 0; j < kN; ++j)
    expect += x[j] * y[j];
  std::array<std::vector<T>, 3> out;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    auto sx = p.input<T>(0, inputFrom(p, 0, x), kN);
    auto sy = p.input<T>(1, inputFrom(p, 1, y), kN);
    p.channel().resetStats();
    auto z = p.dot(sx, sy);
    st[p.id()] = p.channel().stats();
    out[p.id()] = p.open(z);
  });
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(out[i].size(), 1u);
    EXPECT_EQ(out[i][0], expect);
    EXPECT_EQ(st[i].bytesSent, sizeof(T));
    EXPECT_EQ(st[i].rounds, 1u);
  }
}

TYPED_TEST(Rep3Ring, OpenCostsOneElementPerPartyAndOneRound) {
  using T = TypeParam;
  std::mt19937_64 g(5);
  auto x = randomVec<T>(g, kN);
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    auto sx = p.input<T>(1, inputFrom(p, 1, x), kN);
    p.channel().resetStats();
    auto v = p.open(sx);
    st[p.id()] = p.channel().stats();
    EXPECT_EQ(v, x);
  });
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(st[i].bytesSent, kN * sizeof(T));
    EXPECT_EQ(st[i].rounds, 1u);
  }
}

TYPED_TEST(Rep3Ring, OpenToOnePartyRevealsOnlyToIt) {
  using T = TypeParam;
  std::mt19937_64 g(6);
  auto x = randomVec<T>(g, kN);
  for (int target = 0; target < 3; ++target) {
    std::array<std::optional<std::vector<T>>, 3> out;
    std::array<ChannelStats, 3> st;
    run3([&](Rep3 &p) {
      auto sx = p.input<T>(0, inputFrom(p, 0, x), kN);
      p.channel().resetStats();
      out[p.id()] = p.openTo(target, sx);
      st[p.id()] = p.channel().stats();
    });
    uint64_t total = 0;
    for (int i = 0; i < 3; ++i) {
      total += st[i].bytesSent;
      if (i == target) {
        ASSERT_TRUE(out[i].has_value());
        EXPECT_EQ(*out[i], x);
        EXPECT_EQ(st[i].bytesReceived, kN * sizeof(T));
      } else {
        EXPECT_FALSE(out[i].has_value()) << "party " << i;
        EXPECT_EQ(st[i].bytesReceived, 0u) << "party " << i;
      }
    }
    EXPECT_EQ(total, kN * sizeof(T));
  }
}

namespace {

/// Fixed-point products and their truncation: |trunc(x*y) - floor(x*y/2^f)|
/// must be <= 1 (two's complement), for encoded inputs below 2^bound.
template <class T>
void checkTruncation(unsigned f, unsigned bound, uint64_t seed) {
  using S = std::conditional_t<sizeof(T) == 8, std::int64_t, I128>;
  std::mt19937_64 g(seed);
  const size_t n = 1000;
  std::vector<T> x(n), y(n);
  for (size_t j = 0; j < n; ++j) {
    T mask = (T(1) << bound) - 1;
    x[j] = randomRing<T>(g) & mask;
    y[j] = randomRing<T>(g) & mask;
    if (g() & 1)
      x[j] = T(0) - x[j];
    if (g() & 1)
      y[j] = T(0) - y[j];
  }
  std::array<std::vector<T>, 3> out;
  std::array<ChannelStats, 3> st;
  run3([&](Rep3 &p) {
    auto sx = p.input<T>(0, inputFrom(p, 0, x), n);
    auto sy = p.input<T>(2, inputFrom(p, 2, y), n);
    auto prod = p.mul(sx, sy);
    p.channel().resetStats();
    auto t = p.trunc(prod, f);
    st[p.id()] = p.channel().stats();
    out[p.id()] = p.open(t);
  });
  int exact = 0;
  for (size_t j = 0; j < n; ++j) {
    S floorv = S(T(x[j] * y[j])) >> f; // arithmetic shift = floor
    S got = S(out[0][j]);
    S diff = got - floorv;
    ASSERT_TRUE(diff == 0 || diff == 1 || diff == -1)
        << "j " << j << " diff " << static_cast<long long>(diff);
    exact += diff == 0;
    EXPECT_EQ(out[1][j], out[0][j]);
    EXPECT_EQ(out[2][j], out[0][j]);
  }
  EXPECT_GT(exact, 0);
  EXPECT_EQ(st[0].bytesSent, n * sizeof(T));
  EXPECT_EQ(st[1].bytesSent, 0u);
  EXPECT_EQ(st[2].bytesSent, 0u);
  EXPECT_EQ(st[1].rounds, 1u);
}

} // namespace

TEST(Rep3Trunc, Ring64WithinOneUlp) {
  // f = 12, |x|,|y| < 2^16 encoded: |x*y| < 2^32, failure <= 2^-32 each.
  checkTruncation<std::uint64_t>(12, 16, 7);
}

TEST(Rep3Trunc, Ring128WithinOneUlp) {
  // f = 20, |x|,|y| < 2^40 encoded: |x*y| < 2^80, failure <= 2^-48 each.
  checkTruncation<U128>(20, 40, 8);
}

TEST(Rep3Trunc, MulTruncOfFixedPointReals) {
  // 1.5 * -2.25 = -3.375 with f = 16.
  const unsigned f = 16;
  auto enc = [&](double v) {
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(v * 65536.0));
  };
  std::vector<std::uint64_t> x{enc(1.5)}, y{enc(-2.25)};
  std::array<std::vector<std::uint64_t>, 3> out;
  run3([&](Rep3 &p) {
    auto sx = p.input<std::uint64_t>(0, inputFrom(p, 0, x), 1);
    auto sy = p.input<std::uint64_t>(1, inputFrom(p, 1, y), 1);
    out[p.id()] = p.open(p.mulTrunc(sx, sy, f));
  });
  double got =
      static_cast<double>(static_cast<std::int64_t>(out[0][0])) / 65536.0;
  EXPECT_NEAR(got, -3.375, 2.0 / 65536.0);
}

TEST(Rep3Channel, WrongLengthIsAnErrorOnTheReceiver) {
  MemoryNetwork net(std::chrono::seconds(5));
  std::uint8_t bytes[3] = {1, 2, 3};
  net.channel(1).send(2, bytes);
  EXPECT_THROW(net.channel(2).recv(1, 8), ChannelError);
  // A missing message times out instead of hanging.
  MemoryNetwork quick(std::chrono::milliseconds(50));
  EXPECT_THROW(quick.channel(0).recv(1, 8), ChannelError);
  EXPECT_THROW(net.channel(0).send(0, bytes), ChannelError);
}

TEST(Rep3Channel, WrongLengthInsideOpenThrows) {
  using T = std::uint64_t;
  MemoryNetwork net(std::chrono::seconds(5));
  std::array<bool, 3> threw{};
  std::array<std::exception_ptr, 3> errors;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      try {
        Rep3 p(net.channel(i));
        std::vector<T> v{1, 2, 3, 4};
        auto s = p.input<T>(0, inputFrom(p, 0, v), 4);
        if (i == 1) {
          // Party 1 should send 4 elements to party 2; it sends 3 bytes.
          std::uint8_t bad[3] = {0, 0, 0};
          p.channel().send(2, bad);
          (void)p.channel().recv(0, 4 * sizeof(T)); // drain party 0's share
        } else {
          try {
            (void)p.open(s);
          } catch (const ChannelError &) {
            threw[i] = true;
          }
        }
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto &t : threads)
    t.join();
  for (auto &e : errors)
    if (e)
      std::rethrow_exception(e);
  EXPECT_FALSE(threw[0]);
  EXPECT_TRUE(threw[2]);
}

TEST(Rep3Prf, AesCtrIsDeterministicPerKeyAndStreams) {
  AesKey k = freshKey();
  AesCtrPrf a(k), b(k);
  auto x = a.next<std::uint64_t>(5);
  auto y1 = b.next<std::uint64_t>(2);
  auto y2 = b.next<std::uint64_t>(3);
  y1.insert(y1.end(), y2.begin(), y2.end());
  EXPECT_EQ(x, y1);
  AesCtrPrf c(freshKey());
  EXPECT_NE(c.next<std::uint64_t>(5), x);
}
