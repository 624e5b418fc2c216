//===- rep3/Binary.h - Binary sharing, A2B, comparisons ---------*- C++ -*-===//
//
// The binary side of rep3 and the conversions and comparisons built on it,
// after
//   Araki, Furukawa, Lindell, Nof, Ohara, "High-Throughput Semi-Honest
//   Secure Three-Party Computation with an Honest Majority", CCS 2016
//   (replicated XOR sharing, AND with one bit per party);
//   Mohassel and Rindal, "ABY3: A Mixed Protocol Framework for Machine
//   Learning", CCS 2018, share conversions (A2B by one parallel-prefix adder
//   in the semi-honest setting; B2A, section 5.3; bit extraction; bit
//   injection);
//   Catrina and de Hoogh, "Improved Primitives for Secure Multiparty Integer
//   Computation", SCN 2010 (comparison and exact truncation from the carries
//   of a bit-decomposed sum; prefix-OR).
//
// Sharing. x = x_0 ^ x_1 ^ x_2; party i holds BShare{a = x_i, b = x_{i+1}}.
// One word of T per element holds all k bits (bit-sliced), so one AND of
// words is k ANDs of bits. XOR, NOT, XOR/AND with a public word and shifts
// are local. AND: z_i = x_i y_i ^ x_i y_{i+1} ^ x_{i+1} y_i ^ alpha_i with
// the XOR zero-sharing alpha_i = F(k_i) ^ F(k_{i+1}), z_i sent to party i-1.
//
// A2B. With x = x_0 + x_1 + x_2, party 0 knows v = x_0 + x_1 and parties 1
// and 2 know w = x_2, so x = v + w: one two-operand adder. The first round
// ("sum inputs") reshares v and computes G = v & w and P = v ^ w together:
// party 0 draws s = F(k_0), s' = F(k_1), g_0 = F(k_0), g_1 = F(k_1) and
// sends v_2 = v ^ s ^ s' to parties 1 and 2; party 1 sends
// t_1 = (s' & w) ^ g_1 to party 2 and party 2 sends t_2 = (s & w) ^ g_0 to
// party 1, all at once; then v = (s, s', v_2), P = (s, s', v_2 ^ w) and
// G = (g_0, g_1, t_1 ^ t_2 ^ (v_2 & w)) as replicated sharings. Party 1 sees
// v ^ s and (s & w) ^ g_0, uniform because it lacks s and g_0 (party 2
// symmetrically); party 0 receives nothing. Then a Kogge-Stone prefix
// adder on the bit-sliced words: level j (shift 2^j) computes
// G ^= P & (G << 2^j), P &= P << 2^j (two ANDs, one message; the last level
// needs G only), and x = P_0 ^ (G << 1). (G and P & G' are disjoint, so
// XOR is OR.) For bits below h only, ceil(log2(h - 1)) levels suffice.
//
// Comparisons and truncation need a few carries, not all k sums, so they
// reduce a group of 2^L bit positions to one (G, P) by a tree on bit
// strings packed across elements: each level pairs neighbouring positions,
// (G, P) <- (G_hi ^ P_hi & G_lo, P_hi & P_lo), after compressing the odd
// and even bits of the words, so level j sends 2k / 2^j bits per element
// (G and P), about 2k bits in all instead of 2k words.
//   ltz(x)         top bit = P_0[k-1] ^ carry into k-1 (the tree over
//                  (G, P) << 1), then bit injection.
//   eqz(x)         x = 0 iff v ^ (-w) = 0: party 0 reshares v (one word to
//                  party 1), an AND-tree over the k negated bits, injection.
//   truncExact     floor(x / 2^s) for x in two's complement: with
//                  v' = v + 2^(k-1) (so that x + 2^(k-1) = v' + w is read
//                  unsigned), floor(x / 2^s) = (v' >> s) + (w >> s) + c_s -
//                  c' 2^(k-s) - 2^(k-1-s), where c_s is the carry out of the
//                  low s bits and c' out of all k bits of v' + w: two carry
//                  trees in parallel, an injection of the two bits, and
//                  v' >> s reshared by party 0 (sent with the first message).
//   bits(x, lo, n) the adder up to bit lo + n, injection of n bits.
//   msb(x, w)      the adder up to bit w, prefix-OR from the top
//                  (p |= p >> 2^j, ceil(log2 w) levels, OR by De Morgan),
//                  injection of the w bits of p, b_i = p_i - p_{i+1}.
//
// Bit injection (binary bit b to an arithmetic 0/1 sharing, one round).
// Party 0 knows c = b_0 ^ b_1, parties 1 and 2 know e = b_2, and
// b = c ^ e = e + c (1 - 2e). Party 0 draws y_0, s from F(k_0) and y_1, s'
// from F(k_1) and sends m = c + s + s' to parties 1 and 2; party 1 sends
// t_1 = s' (1 - 2e) + y_1 to party 2, party 2 sends t_2 = s (1 - 2e) + y_0
// to party 1; both set y_2 = e + m (1 - 2e) - t_1 - t_2. The result is
// (y_0, y_1, y_2). Each of parties 1, 2 sees m masked by the s or s' it
// lacks and t masked by the y it lacks.
//
// B2A (ABY3 section 5.3, semi-honest variant: one party supplies the
// negated sum of two random arithmetic components as a binary input, one
// parallel-prefix adder, the sum revealed to the two other parties). The
// result is y = (y_0, y_1, y_2) with y_1 = F(k_1) (parties 0, 1), y_2 =
// F(k_2) (parties 1, 2) and y_0 = x + m, m = -(y_1 + y_2), known to party 1
// alone; y_0 is revealed to parties 0 and 2 only. The input of m and the
// opening of y_0 share the adder's first and last rounds:
//   First round (binary input of m together with G = x & m). Party 1 draws
//   mu_1 = F(k_1), mu_2 = F(k_2) and sends mu_0 = m ^ mu_1 ^ mu_2 to
//   parties 0 and 2, so m = (mu_0, mu_1, mu_2) and P = x ^ m is local. With
//   x & m = (x_0 & mu_1) ^ ((x_1 ^ x_2) & m) ^ (x_0 & mu_2) ^ (x_0 & mu_0),
//   the first three terms, known at the start to parties 0, 1, 2, are
//   reshared as in AND (z_i ^ alpha_i to party i-1; party 1's rides with
//   mu_0 to party 0) and the last, known to parties 0 and 2 once mu_0 is in,
//   is XORed into component 0, theirs.
//   Kogge-Stone levels as in a2b (ceil(log2(k - 1)) = L of them).
//   Last level and opening together. t = P & (G << 2^(L-1)) is left as the
//   3-out-of-3 sharing z_0 ^ z_1 ^ z_2 (with alpha_i) and y_0 = E ^ (t << 1)
//   with E = P_0 ^ (G << 1) (replicated, local): party 1 sends
//   E_2 ^ (z_1 << 1) to party 0 and E_1 ^ (z_1 << 1) to party 2, party 2
//   sends z_2 to party 0 and party 0 sends z_0 to party 2 (four words; any
//   opening of y_0 to parties 0 and 2 needs z_1 at both and z_0, z_2 across).
// Security. First round: party 0 sees mu_0 masked by mu_2 and z_1 masked by
// F(k_2) (in alpha_1); party 2 sees mu_0 masked by mu_1 and z_0 by F(k_1);
// party 1 sees z_2 masked by F(k_0); the levels are ANDs. Last round: party
// 0 receives z_2, uniform by F(k_2) in alpha_2, and a word fixed by z_2, its
// own view and y_0 (party 2 likewise z_0, uniform by F(k_1)); party 1
// receives nothing. The output y_0 = x - y_1 - y_2 is masked by y_2 for
// party 0 and by y_1 for party 2, and y_1, y_2, mu_1, mu_2 are separate
// draws. Cheaper-looking variants cost more where it counts: bit injection
// of all k bits is one round but 2k words for party 0, and random
// components known to one pair (y_1 only) make the adder's first round one
// word per party but need a second opening round to split y_0 + y_2.
//
// Costs, per element per party (n elements, s = sizeof(T) bytes, k = 8s,
// L = log2 k: 6 in Z_2^64, 7 in Z_2^128). "Rounds" is latency; party 0
// receives nothing in the first round of a2b / ltz / eqz / truncExact / bits
// / msb nor in the injection, so its channel counts up to two rounds less
// (party 2 likewise one less in eqz; party 1 one less in b2a).
//   xor, not, xorPublic, andPublic, shifts   local
//   and            1 round; s bytes sent (one word)
//   open           1 round; s bytes
//   a2b            1 + L rounds (7 / 8); party 0: (2L + 1) s bytes,
//                  parties 1, 2: 2L s bytes (13 / 12 words in Z_2^64)
//   b2a            1 + L rounds (7 / 8); party 1: (2L + 3) s bytes,
//                  parties 0, 2: 2L s (15 / 12 words: 120 / 96 bytes in
//                  Z_2^64; 17 / 14 words: 272 / 224 bytes in Z_2^128);
//                  received: parties 0, 2 (2L + 2) s, party 1 (2L - 1) s
//   bit injection  1 round; party 0: 2 s bytes per bit, parties 1, 2: s
//   ltz            L + 2 rounds (8 / 9); party 0 about 4s + k/4 bytes,
//                  parties 1, 2 about 2s + k/4 (48 / 32 bytes in Z_2^64,
//                  96 / 64 in Z_2^128)
//   eqz            L + 2 rounds; party 0 about 3s + k/8 bytes, parties
//                  1, 2 about s + k/8 (an AND-tree: k bits in all)
//   truncExact     L + 2 rounds; party 0 about 7s + k/2 bytes, parties 1, 2
//                  about 3s + k/2 (88 / 56 bytes in Z_2^64, 176 / 112 in
//                  Z_2^128)
//   bits(lo, n)    1 + ceil(log2(lo+n-1)) + 1 rounds; adder words as a2b
//                  plus n injected bits
//   msb(w)         1 + ceil(log2(w-1)) + ceil(log2 w) + 1 rounds (14 for
//                  w = 62, 16 for w = 126); adder + ceil(log2 w) words +
//                  w injected bits (party 0: 2ws bytes)
//
// All parties must call the same operations in the same order with the same
// sizes; every received length is checked by the Channel.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_REP3_BINARY_H
#define SSTAT_RUNTIME_REP3_BINARY_H

#include "sstat/runtime/rep3/Rep3.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sstat::runtime::rep3 {

/// Party i's part of a replicated XOR sharing of a vector of k-bit words:
/// a = x_i, b = x_{i+1}.
template <class T> struct BShare {
  static_assert(kIsRing<T>, "rep3 words are uint64_t and unsigned __int128");
  std::vector<T> a;
  std::vector<T> b;
  std::size_t size() const { return a.size(); }
};

namespace detail {

template <class T> inline constexpr unsigned kBits = sizeof(T) * 8;

/// The even-indexed bits of x, compressed into the low 32 bits.
inline std::uint64_t evenBits(std::uint64_t x) {
  x &= 0x5555555555555555ULL;
  x = (x | (x >> 1)) & 0x3333333333333333ULL;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
  return x;
}

/// The smallest L with 2^L >= m (0 for m <= 1).
inline unsigned ceilLog2(unsigned m) {
  unsigned l = 0;
  while ((1u << l) < m)
    ++l;
  return l;
}

/// Bit j of a packed bit string.
inline std::uint64_t bitAt(const std::vector<std::uint64_t> &w, std::size_t j) {
  return (w[j >> 6] >> (j & 63)) & 1;
}

/// Appends the elements of v, each shifted left by `shift`, to the packed
/// bit string w, k bits per element (element e at bits e*k .. e*k+k-1 of
/// what it appends).
template <class T>
void appendWords(std::vector<std::uint64_t> &w, const std::vector<T> &v,
                 unsigned shift) {
  const std::size_t at = w.size();
  if constexpr (sizeof(T) == 8) {
    w.resize(at + v.size());
    for (std::size_t e = 0; e < v.size(); ++e)
      w[at + e] = v[e] << shift;
  } else {
    w.resize(at + 2 * v.size());
    for (std::size_t e = 0; e < v.size(); ++e) {
      const T x = v[e] << shift;
      w[at + 2 * e] = static_cast<std::uint64_t>(x);
      w[at + 2 * e + 1] = static_cast<std::uint64_t>(x >> 64);
    }
  }
}

} // namespace detail

/// The binary operations of rep3 over one party's Rep3 endpoint. Holds a
/// reference to it (its channel and correlated randomness).
class Binary {
public:
  explicit Binary(Rep3 &party) : p_(party) {}

  Rep3 &party() { return p_; }
  int id() const { return p_.id(); }

  // ---- Local operations --------------------------------------------------

  template <class T>
  static BShare<T> bxor(const BShare<T> &x, const BShare<T> &y) {
    checkSame(x, y);
    BShare<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] ^= y.a[j];
      z.b[j] ^= y.b[j];
    }
    return z;
  }

  /// x ^ c for one public word c (applied to the component x_0, held by
  /// parties 0 and 2).
  template <class T> BShare<T> xorPublic(const BShare<T> &x, T c) const {
    BShare<T> z = x;
    if (id() == 0)
      for (auto &w : z.a)
        w ^= c;
    else if (id() == 2)
      for (auto &w : z.b)
        w ^= c;
    return z;
  }

  /// ~x.
  template <class T> BShare<T> bnot(const BShare<T> &x) const {
    return xorPublic(x, ~T(0));
  }

  /// x & c for one public word c.
  template <class T> static BShare<T> andPublic(const BShare<T> &x, T c) {
    BShare<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] &= c;
      z.b[j] &= c;
    }
    return z;
  }

  /// Logical shifts of every word (s < k).
  template <class T> static BShare<T> shl(const BShare<T> &x, unsigned s) {
    BShare<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] <<= s;
      z.b[j] <<= s;
    }
    return z;
  }
  template <class T> static BShare<T> shr(const BShare<T> &x, unsigned s) {
    BShare<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] >>= s;
      z.b[j] >>= s;
    }
    return z;
  }

  // ---- Interactive binary operations -------------------------------------

  /// Elementwise x & y: one word sent per element per party, 1 round.
  template <class T> BShare<T> band(const BShare<T> &x, const BShare<T> &y) {
    checkSame(x, y);
    std::vector<T> z = zeroXor<T>(x.size());
    andLocal(z.data(), x, y);
    return reshareXor(std::move(z));
  }

  /// Elementwise x | y = ~(~x & ~y): as band.
  template <class T> BShare<T> bor(const BShare<T> &x, const BShare<T> &y) {
    return bnot(band(bnot(x), bnot(y)));
  }

  /// Reveals x to all three parties (one word per element, 1 round).
  template <class T> std::vector<T> open(const BShare<T> &x) {
    Channel &ch = p_.channel();
    const std::size_t n = x.size();
    ch.sendVec(ch.next(), x.a);
    std::vector<T> missing = ch.recvVec<T>(ch.prev(), n); // x_{i+2}
    std::vector<T> out(n);
    for (std::size_t j = 0; j < n; ++j)
      out[j] = x.a[j] ^ x.b[j] ^ missing[j];
    return out;
  }

  // ---- Conversions --------------------------------------------------------

  /// A binary sharing of the k-bit value of x: 1 + log2(k) rounds (see the
  /// file header).
  template <class T> BShare<T> a2b(const Share<T> &x) {
    return a2bLow(x, detail::kBits<T>);
  }

  /// Bits lo .. lo+n-1 of each x_j as arithmetic 0/1 sharings; result[i]
  /// is bit lo + i of every element. lo + n <= k.
  template <class T>
  std::vector<Share<T>> bits(const Share<T> &x, unsigned lo, unsigned n) {
    constexpr unsigned K = detail::kBits<T>;
    if (n == 0 || lo + n > K)
      throw Rep3Error("rep3: bit range " + std::to_string(lo) + " + " +
                      std::to_string(n) + " out of the ring");
    BShare<T> xb = a2bLow(x, lo + n);
    return injectRows(shr(xb, lo), n, x.size());
  }

  /// Bit injection: bits lo .. lo+n-1 of a binary sharing as arithmetic
  /// 0/1 sharings (1 round, see the file header).
  template <class T>
  std::vector<Share<T>> b2aBits(const BShare<T> &x, unsigned lo, unsigned n) {
    if (n == 0 || lo + n > detail::kBits<T>)
      throw Rep3Error("rep3: bit range out of the word");
    return injectRows(shr(x, lo), n, x.size());
  }

  /// B2A: the arithmetic sharing of the k-bit value of x (ABY3 section 5.3,
  /// semi-honest): 1 + log2(k) rounds; party 1 sends 2 log2(k) + 3 words per
  /// element, parties 0 and 2 send 2 log2(k) (see the file header).
  template <class T> Share<T> b2a(const BShare<T> &x) {
    constexpr unsigned K = detail::kBits<T>;
    if (x.a.size() != x.b.size())
      throw Rep3Error("rep3: malformed binary share");
    const std::size_t n = x.size();
    const auto nd = static_cast<std::ptrdiff_t>(n);
    Channel &ch = p_.channel();
    CorrelatedRandomness &cr = p_.randomness();
    // y_1 and mu_1 from k_1 (parties 0, 1), y_2 and mu_2 from k_2 (parties
    // 1, 2); party 1 sets m = -(y_1 + y_2), mu_0 = m ^ mu_1 ^ mu_2.
    std::vector<T> y1, y2, mv;
    BShare<T> m; // (mu_i, mu_{i+1}); mu_0 arrives in the first round
    m.a.resize(n);
    m.b.resize(n);
    switch (id()) {
    case 0: {
      std::vector<T> k1 = cr.next().next<T>(2 * n); // y_1, mu_1
      y1.assign(k1.begin(), k1.begin() + nd);
      m.b.assign(k1.begin() + nd, k1.end());
      break;
    }
    case 1: {
      std::vector<T> k1 = cr.mine().next<T>(2 * n); // y_1, mu_1
      std::vector<T> k2 = cr.next().next<T>(2 * n); // y_2, mu_2
      y1.assign(k1.begin(), k1.begin() + nd);
      y2.assign(k2.begin(), k2.begin() + nd);
      m.a.assign(k1.begin() + nd, k1.end());
      m.b.assign(k2.begin() + nd, k2.end());
      mv.resize(n);
      for (std::size_t j = 0; j < n; ++j)
        mv[j] = T(0) - y1[j] - y2[j];
      break;
    }
    default: {
      std::vector<T> k2 = cr.mine().next<T>(2 * n); // y_2, mu_2
      y2.assign(k2.begin(), k2.begin() + nd);
      m.a.assign(k2.begin() + nd, k2.end());
      break;
    }
    }
    // G = x & m = (x_0 & mu_1) ^ ((x_1 ^ x_2) & m) ^ (x_0 & mu_2) [the
    // 3-out-of-3 terms of parties 0, 1, 2, reshared as in AND] ^ (x_0 &
    // mu_0) [added to component 0 by parties 0 and 2 once mu_0 is in].
    std::vector<T> z = zeroXor<T>(n);
    BShare<T> g;
    switch (id()) {
    case 0: {
      for (std::size_t j = 0; j < n; ++j)
        z[j] ^= x.a[j] & m.b[j];
      ch.sendVec(2, z);
      std::vector<T> in = ch.recvVec<T>(1, 2 * n); // mu_0, z_1
      m.a.assign(in.begin(), in.begin() + nd);
      g.a = std::move(z);
      g.b.assign(in.begin() + nd, in.end());
      for (std::size_t j = 0; j < n; ++j)
        g.a[j] ^= x.a[j] & m.a[j];
      break;
    }
    case 1: {
      std::vector<T> out(2 * n); // mu_0, z_1
      for (std::size_t j = 0; j < n; ++j) {
        out[j] = mv[j] ^ m.a[j] ^ m.b[j];
        z[j] ^= (x.a[j] ^ x.b[j]) & mv[j];
        out[n + j] = z[j];
      }
      ch.sendVec(0, out);
      out.resize(n);
      ch.sendVec(2, out);
      g.a = std::move(z);
      g.b = ch.recvVec<T>(2, n);
      break;
    }
    default: {
      for (std::size_t j = 0; j < n; ++j)
        z[j] ^= x.b[j] & m.a[j];
      ch.sendVec(1, z);
      m.b = ch.recvVec<T>(1, n);
      g.a = std::move(z);
      g.b = ch.recvVec<T>(0, n);
      for (std::size_t j = 0; j < n; ++j)
        g.b[j] ^= x.b[j] & m.b[j];
      break;
    }
    }
    const BShare<T> p0 = bxor(x, m);
    BShare<T> p = p0;
    const unsigned levels = detail::ceilLog2(K - 1);
    prefixLevels(g, p, levels - 1);
    // The last level: t = P & (G << 2^(L-1)) stays 3-out-of-3 (z_i) and
    // d = E ^ (t << 1) with E = P_0 ^ (G << 1) goes to parties 0 and 2.
    z = zeroXor<T>(n);
    andLocal(z.data(), p, shl(g, 1u << (levels - 1)));
    std::vector<T> ea(n), eb(n);
    for (std::size_t j = 0; j < n; ++j) {
      ea[j] = p0.a[j] ^ T(g.a[j] << 1);
      eb[j] = p0.b[j] ^ T(g.b[j] << 1);
    }
    if (id() == 1) {
      // E_2 ^ (z_1 << 1) to party 0, E_1 ^ (z_1 << 1) to party 2.
      for (std::size_t j = 0; j < n; ++j) {
        const T zs = T(z[j] << 1);
        eb[j] ^= zs;
        ea[j] ^= zs;
      }
      ch.sendVec(0, eb);
      ch.sendVec(2, ea);
      return Share<T>{std::move(y1), std::move(y2)};
    }
    // Party 0 (E_0, E_1) gets E_2 ^ (z_1 << 1) and z_2; party 2 (E_2, E_0)
    // gets E_1 ^ (z_1 << 1) and z_0.
    const int other = id() == 0 ? 2 : 0;
    ch.sendVec(other, z);
    std::vector<T> w = ch.recvVec<T>(1, n);
    std::vector<T> zo = ch.recvVec<T>(other, n);
    std::vector<T> d(n);
    for (std::size_t j = 0; j < n; ++j)
      d[j] = ea[j] ^ eb[j] ^ w[j] ^ T(T(z[j] ^ zo[j]) << 1);
    if (id() == 0)
      return Share<T>{std::move(d), std::move(y1)};
    return Share<T>{std::move(y2), std::move(d)};
  }

  /// One-hot position of the highest set bit of 0 <= x < 2^w (all zero for
  /// x = 0), as w arithmetic 0/1 sharings; 1 <= w < k. Outside the
  /// precondition the result is meaningless.
  template <class T> std::vector<Share<T>> msb(const Share<T> &x, unsigned w) {
    constexpr unsigned K = detail::kBits<T>;
    if (w == 0 || w >= K)
      throw Rep3Error("rep3: msb width " + std::to_string(w) + " out of range");
    const std::size_t n = x.size();
    BShare<T> pre = andPublic(a2bLow(x, w), lowMask<T>(w));
    // p_i = OR_{j >= i} x_j by doubling: covers [i, i + 2^L) after L levels.
    for (unsigned s = 1; s < w; s *= 2)
      pre = bor(pre, shr(pre, s));
    std::vector<Share<T>> p = injectRows(pre, w, n);
    for (unsigned i = 0; i + 1 < w; ++i)
      p[i] = Rep3::sub(p[i], p[i + 1]);
    return p;
  }

  /// [x < 0] (the top bit of x) as an arithmetic 0/1 sharing: log2(k) + 2
  /// rounds.
  template <class T> Share<T> ltz(const Share<T> &x) {
    constexpr unsigned K = detail::kBits<T>;
    const std::size_t n = x.size();
    SumInputs<T> in = sumInputs(x, T(0), {});
    // The carry into bit k-1 is the group generate of bits 0..k-2: shift
    // them up by one so the k-bit tree covers exactly those.
    BShare<std::uint64_t> g = wordsOf(in.g, 1);
    BShare<std::uint64_t> pp = wordsOf(in.p, 1);
    BShare<std::uint64_t> carry = carryTree(std::move(g), std::move(pp), K);
    BShare<std::uint64_t> top = packBit(in.p, K - 1, n);
    for (std::size_t j = 0; j < top.a.size(); ++j) {
      top.a[j] ^= carry.a[j];
      top.b[j] ^= carry.b[j];
    }
    return inject<T>(top, n);
  }

  /// [x == 0] as an arithmetic 0/1 sharing: log2(k) + 2 rounds.
  template <class T> Share<T> eqz(const Share<T> &x) {
    const std::size_t n = x.size();
    Channel &ch = p_.channel();
    // d = v ^ (-w) = (s, v ^ s, -w) in components; x = 0 iff d = 0.
    BShare<T> d;
    switch (id()) {
    case 0: {
      std::vector<T> s = p_.randomness().mine().next<T>(n);
      std::vector<T> d1(n);
      for (std::size_t j = 0; j < n; ++j)
        d1[j] = T(x.a[j] + x.b[j]) ^ s[j];
      ch.sendVec(1, d1);
      d.a = std::move(s);
      d.b = std::move(d1);
      break;
    }
    case 1:
      d.a = ch.recvVec<T>(0, n);
      d.b.resize(n);
      for (std::size_t j = 0; j < n; ++j)
        d.b[j] = T(0) - x.b[j];
      break;
    default:
      d.a.resize(n);
      for (std::size_t j = 0; j < n; ++j)
        d.a[j] = T(0) - x.a[j];
      d.b = p_.randomness().next().next<T>(n);
      break;
    }
    BShare<std::uint64_t> z = wordsOf(bnot(d));
    for (unsigned width = detail::kBits<T>; width > 1; width /= 2) {
      auto [even, odd] = halve(z);
      z = band(odd, even);
    }
    return inject<T>(z, n);
  }

  /// floor(x / 2^s) of the two's complement reading of x, exactly: log2(k)
  /// + 2 rounds (see the file header). s < k.
  template <class T> Share<T> truncExact(const Share<T> &x, unsigned s) {
    constexpr unsigned K = detail::kBits<T>;
    if (s >= K)
      throw Rep3Error("rep3: truncation by " + std::to_string(s) +
                      " bits is not below the ring width");
    if (s == 0)
      return x;
    const std::size_t n = x.size();
    const T half = T(1) << (K - 1);
    // Party 0 reshares a = v' >> s as (r, a - r, 0), r = F(k_0), drawn
    // before the adder's randomness and sent with its first message.
    std::vector<T> r, aMinusR;
    if (id() == 0) {
      r = p_.randomness().mine().next<T>(n);
      aMinusR.resize(n);
      for (std::size_t j = 0; j < n; ++j)
        aMinusR[j] = (T(x.a[j] + x.b[j] + half) >> s) - r[j];
    } else if (id() == 2) {
      r = p_.randomness().next().next<T>(n);
    }
    SumInputs<T> in = sumInputs(x, half, aMinusR, n);
    if (id() == 1)
      aMinusR = std::move(in.extra);
    // Two k-bit carry trees side by side: the low s bits moved to the top
    // (carry c_s out of them), and all k bits (carry c').
    BShare<std::uint64_t> g = wordsOf(in.g, K - s), p = wordsOf(in.p, K - s);
    detail::appendWords(g.a, in.g.a, 0);
    detail::appendWords(g.b, in.g.b, 0);
    detail::appendWords(p.a, in.p.a, 0);
    detail::appendWords(p.b, in.p.b, 0);
    BShare<std::uint64_t> carries = carryTree(std::move(g), std::move(p), K);
    Share<T> c = inject<T>(carries, 2 * n);
    const T wrap = T(1) << (K - s), bias = T(1) << (K - 1 - s);
    // Components: (y_0, y_1, y_2) = (r - bias, a - r, w >> s) + c_s -
    // c' 2^(k-s); party i adds ua to y_i and ub to y_{i+1}.
    std::vector<T> wShift;
    const T *ua = nullptr, *ub = nullptr;
    T biasA = 0, biasB = 0;
    if (id() != 0) {
      const std::vector<T> &w = id() == 1 ? x.b : x.a;
      wShift.resize(n);
      for (std::size_t j = 0; j < n; ++j)
        wShift[j] = w[j] >> s;
    }
    switch (id()) {
    case 0:
      ua = r.data();
      ub = aMinusR.data();
      biasA = bias;
      break;
    case 1:
      ua = aMinusR.data();
      ub = wShift.data();
      break;
    default:
      ua = wShift.data();
      ub = r.data();
      biasB = bias;
      break;
    }
    Share<T> y;
    y.a.resize(n);
    y.b.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
      y.a[j] = ua[j] + c.a[j] - c.a[n + j] * wrap - biasA;
      y.b[j] = ub[j] + c.b[j] - c.b[n + j] * wrap - biasB;
    }
    return y;
  }

private:
  /// Binary sharings of G = v & w and P = v ^ w for x = v + w (v = x_0 + x_1
  /// + offset, w = x_2), one round; party 0 may append `extraTo1` to its
  /// message to party 1, which party 1 gets back in `extra`.
  template <class T> struct SumInputs {
    BShare<T> g, p;
    std::vector<T> extra;
  };
  template <class T>
  SumInputs<T> sumInputs(const Share<T> &x, T offset,
                         const std::vector<T> &extraTo1,
                         std::size_t extraLen = 0) {
    const std::size_t n = x.size();
    if (x.a.size() != x.b.size())
      throw Rep3Error("rep3: malformed share");
    Channel &ch = p_.channel();
    CorrelatedRandomness &cr = p_.randomness();
    SumInputs<T> out;
    auto &g = out.g;
    auto &p = out.p;
    switch (id()) {
    case 0: {
      std::vector<T> k0 = cr.mine().next<T>(2 * n); // s, g_0
      std::vector<T> k1 = cr.next().next<T>(2 * n); // s', g_1
      std::vector<T> v2(n + extraTo1.size());
      for (std::size_t j = 0; j < n; ++j)
        v2[j] = T(x.a[j] + x.b[j] + offset) ^ k0[j] ^ k1[j];
      std::copy(extraTo1.begin(), extraTo1.end(), v2.begin() + n);
      ch.sendVec(1, v2);
      v2.resize(n);
      ch.sendVec(2, v2);
      p.a.assign(k0.begin(), k0.begin() + n);
      p.b.assign(k1.begin(), k1.begin() + n);
      g.a.assign(k0.begin() + n, k0.end());
      g.b.assign(k1.begin() + n, k1.end());
      break;
    }
    case 1: {
      std::vector<T> k1 = cr.mine().next<T>(2 * n); // s', g_1
      const std::vector<T> &w = x.b;
      std::vector<T> t1(n);
      for (std::size_t j = 0; j < n; ++j)
        t1[j] = (k1[j] & w[j]) ^ k1[n + j];
      ch.sendVec(2, t1);
      std::vector<T> v2 = ch.recvVec<T>(0, n + extraLen);
      std::vector<T> t2 = ch.recvVec<T>(2, n);
      out.extra.assign(v2.begin() + n, v2.end());
      g.a.assign(k1.begin() + n, k1.end());
      g.b.resize(n);
      p.a.assign(k1.begin(), k1.begin() + n);
      p.b.resize(n);
      for (std::size_t j = 0; j < n; ++j) {
        g.b[j] = t1[j] ^ t2[j] ^ (v2[j] & w[j]);
        p.b[j] = v2[j] ^ w[j];
      }
      break;
    }
    default: {
      std::vector<T> k0 = cr.next().next<T>(2 * n); // s, g_0
      const std::vector<T> &w = x.a;
      std::vector<T> t2(n);
      for (std::size_t j = 0; j < n; ++j)
        t2[j] = (k0[j] & w[j]) ^ k0[n + j];
      ch.sendVec(1, t2);
      std::vector<T> v2 = ch.recvVec<T>(0, n);
      std::vector<T> t1 = ch.recvVec<T>(1, n);
      g.a.resize(n);
      g.b.assign(k0.begin() + n, k0.end());
      p.a.resize(n);
      p.b.assign(k0.begin(), k0.begin() + n);
      for (std::size_t j = 0; j < n; ++j) {
        g.a[j] = t1[j] ^ t2[j] ^ (v2[j] & w[j]);
        p.a[j] = v2[j] ^ w[j];
      }
      break;
    }
    }
    return out;
  }

  /// x as a binary sharing, correct in bits 0 .. h-1 (the Kogge-Stone
  /// levels stop once they cover h - 1 carries).
  template <class T> BShare<T> a2bLow(const Share<T> &x, unsigned h) {
    SumInputs<T> in = sumInputs(x, T(0), {});
    BShare<T> g = std::move(in.g);
    BShare<T> p = in.p;
    const unsigned levels = detail::ceilLog2(h > 1 ? h - 1 : 1);
    if (levels > 0) {
      prefixLevels(g, p, levels - 1);
      // The last level needs G only.
      BShare<T> t = band(p, shl(g, 1u << (levels - 1)));
      g = bxor(g, t);
    }
    return bxor(in.p, shl(g, 1));
  }

  /// Kogge-Stone levels 0 .. count-1 on bit-sliced (G, P), both updated:
  /// G ^= P & (G << 2^l), P &= P << 2^l; one round (two ANDs) each.
  template <class T>
  void prefixLevels(BShare<T> &g, BShare<T> &p, unsigned count) {
    const std::size_t n = g.size();
    for (unsigned l = 0; l < count; ++l) {
      const unsigned s = 1u << l;
      BShare<T> gs = shl(g, s);
      BShare<T> ps = shl(p, s);
      std::vector<T> z = zeroXor<T>(2 * n);
      andLocal(z.data(), p, gs);
      andLocal(z.data() + n, p, ps);
      BShare<T> t = reshareXor(std::move(z));
      for (std::size_t j = 0; j < n; ++j) {
        g.a[j] ^= t.a[j];
        g.b[j] ^= t.b[j];
        p.a[j] = t.a[n + j];
        p.b[j] = t.b[n + j];
      }
    }
  }

  /// Reduces groups of `width` (a power of two) positions of packed (G, P)
  /// bit strings, one group per element, to their group generate, packed one
  /// bit per element: log2(width) rounds, level j sending 2 * bits / 2^j
  /// bits (the last one half that: P is not needed any more).
  BShare<std::uint64_t> carryTree(BShare<std::uint64_t> g,
                                  BShare<std::uint64_t> p, unsigned width) {
    for (; width > 1; width /= 2) {
      auto [ge, go] = halve(g);
      auto [pe, po] = halve(p);
      if (width == 2)
        return bxor(go, band(po, ge));
      const std::size_t m = ge.size();
      std::vector<std::uint64_t> z = zeroXor<std::uint64_t>(2 * m);
      andLocal(z.data(), po, ge);
      andLocal(z.data() + m, po, pe);
      BShare<std::uint64_t> t = reshareXor(std::move(z));
      for (std::size_t j = 0; j < m; ++j) {
        go.a[j] ^= t.a[j];
        go.b[j] ^= t.b[j];
      }
      g = std::move(go);
      p.a.assign(t.a.begin() + static_cast<std::ptrdiff_t>(m), t.a.end());
      p.b.assign(t.b.begin() + static_cast<std::ptrdiff_t>(m), t.b.end());
    }
    return g;
  }

  /// Splits each packed bit string into its even and odd positions (two
  /// packed strings of half the length, rounded up to whole words).
  static std::pair<BShare<std::uint64_t>, BShare<std::uint64_t>>
  halve(const BShare<std::uint64_t> &x) {
    const std::size_t w = x.size(), h = (w + 1) / 2;
    BShare<std::uint64_t> even, odd;
    even.a.resize(h);
    even.b.resize(h);
    odd.a.resize(h);
    odd.b.resize(h);
    for (std::size_t j = 0; j < h; ++j) {
      const std::uint64_t a0 = x.a[2 * j], b0 = x.b[2 * j];
      const std::uint64_t a1 = 2 * j + 1 < w ? x.a[2 * j + 1] : 0;
      const std::uint64_t b1 = 2 * j + 1 < w ? x.b[2 * j + 1] : 0;
      even.a[j] = detail::evenBits(a0) | (detail::evenBits(a1) << 32);
      even.b[j] = detail::evenBits(b0) | (detail::evenBits(b1) << 32);
      odd.a[j] = detail::evenBits(a0 >> 1) | (detail::evenBits(a1 >> 1) << 32);
      odd.b[j] = detail::evenBits(b0 >> 1) | (detail::evenBits(b1 >> 1) << 32);
    }
    return {std::move(even), std::move(odd)};
  }

  /// x (each component shifted left by `shift`) as packed bit strings.
  template <class T>
  static BShare<std::uint64_t> wordsOf(const BShare<T> &x, unsigned shift = 0) {
    BShare<std::uint64_t> w;
    detail::appendWords(w.a, x.a, shift);
    detail::appendWords(w.b, x.b, shift);
    return w;
  }

  template <class T> static T lowMask(unsigned w) {
    return w >= detail::kBits<T> ? ~T(0) : (T(1) << w) - 1;
  }

  /// Bit `bit` of every element, packed one bit per element.
  template <class T>
  static BShare<std::uint64_t> packBit(const BShare<T> &x, unsigned bit,
                                       std::size_t n) {
    BShare<std::uint64_t> out;
    out.a.assign((n + 63) / 64, 0);
    out.b.assign((n + 63) / 64, 0);
    for (std::size_t e = 0; e < n; ++e) {
      out.a[e >> 6] |= std::uint64_t((x.a[e] >> bit) & 1) << (e & 63);
      out.b[e >> 6] |= std::uint64_t((x.b[e] >> bit) & 1) << (e & 63);
    }
    return out;
  }

  /// Bits 0 .. rows-1 of every element injected: result[i] is bit i.
  template <class T>
  std::vector<Share<T>> injectRows(const BShare<T> &x, unsigned rows,
                                   std::size_t n) {
    const std::size_t total = std::size_t(rows) * n;
    BShare<std::uint64_t> packed;
    packed.a.assign((total + 63) / 64, 0);
    packed.b.assign((total + 63) / 64, 0);
    for (unsigned i = 0; i < rows; ++i) {
      const std::size_t base = std::size_t(i) * n;
      for (std::size_t e = 0; e < n; ++e) {
        const std::size_t j = base + e;
        packed.a[j >> 6] |= std::uint64_t((x.a[e] >> i) & 1) << (j & 63);
        packed.b[j >> 6] |= std::uint64_t((x.b[e] >> i) & 1) << (j & 63);
      }
    }
    Share<T> all = inject<T>(packed, total);
    std::vector<Share<T>> out(rows);
    for (unsigned i = 0; i < rows; ++i) {
      const auto from = static_cast<std::ptrdiff_t>(std::size_t(i) * n);
      const auto to = from + static_cast<std::ptrdiff_t>(n);
      out[i].a.assign(all.a.begin() + from, all.a.begin() + to);
      out[i].b.assign(all.b.begin() + from, all.b.begin() + to);
    }
    return out;
  }

  /// Bit injection of the first `count` bits of a packed binary sharing
  /// (one round, see the file header).
  template <class T>
  Share<T> inject(const BShare<std::uint64_t> &bits, std::size_t count) {
    if (bits.a.size() * 64 < count || bits.b.size() * 64 < count)
      throw Rep3Error("rep3: bit injection of more bits than given");
    Channel &ch = p_.channel();
    CorrelatedRandomness &cr = p_.randomness();
    const std::size_t n = count;
    Share<T> y;
    if (id() == 0) {
      std::vector<T> k0 = cr.mine().next<T>(2 * n); // y_0, s
      std::vector<T> k1 = cr.next().next<T>(2 * n); // y_1, s'
      std::vector<T> m(n);
      for (std::size_t j = 0; j < n; ++j) {
        const T c = T(detail::bitAt(bits.a, j) ^ detail::bitAt(bits.b, j));
        m[j] = c + k0[n + j] + k1[n + j];
      }
      ch.sendVec(1, m);
      ch.sendVec(2, m);
      y.a.assign(k0.begin(), k0.begin() + static_cast<std::ptrdiff_t>(n));
      y.b.assign(k1.begin(), k1.begin() + static_cast<std::ptrdiff_t>(n));
      return y;
    }
    // Party 1: e = b_2 is its second component, mask k_1 (its own key);
    // party 2: e = b_2 is its first component, mask k_0 (its next key).
    const bool one = id() == 1;
    const std::vector<std::uint64_t> &eb = one ? bits.b : bits.a;
    std::vector<T> kr =
        one ? cr.mine().next<T>(2 * n) : cr.next().next<T>(2 * n);
    std::vector<T> t(n);
    std::vector<T> sign(n); // 0 or all ones: -(e)
    for (std::size_t j = 0; j < n; ++j) {
      sign[j] = T(0) - T(detail::bitAt(eb, j));
      const T mask = kr[n + j];
      t[j] = ((mask ^ sign[j]) - sign[j]) + kr[j]; // mask (1 - 2e) + y
    }
    const int other = one ? 2 : 1;
    ch.sendVec(other, t);
    std::vector<T> m = ch.recvVec<T>(0, n);
    std::vector<T> to = ch.recvVec<T>(other, n);
    std::vector<T> y2(n);
    for (std::size_t j = 0; j < n; ++j)
      y2[j] = (T(0) - sign[j]) + ((m[j] ^ sign[j]) - sign[j]) - t[j] - to[j];
    std::vector<T> mine(kr.begin(),
                        kr.begin() + static_cast<std::ptrdiff_t>(n));
    if (one)
      return Share<T>{std::move(mine), std::move(y2)};
    return Share<T>{std::move(y2), std::move(mine)};
  }

  /// alpha_i = F(k_i) ^ F(k_{i+1}) for n words (XOR of the three is 0).
  template <class T> std::vector<T> zeroXor(std::size_t n) {
    CorrelatedRandomness &cr = p_.randomness();
    std::vector<T> z = cr.mine().next<T>(n);
    std::vector<T> o = cr.next().next<T>(n);
    for (std::size_t j = 0; j < n; ++j)
      z[j] ^= o[j];
    return z;
  }

  /// z_j ^= x_i y_i ^ x_i y_{i+1} ^ x_{i+1} y_i.
  template <class T>
  static void andLocal(T *z, const BShare<T> &x, const BShare<T> &y) {
    const std::size_t n = x.size();
    const T *xa = x.a.data(), *xb = x.b.data(), *ya = y.a.data(),
            *yb = y.b.data();
    for (std::size_t j = 0; j < n; ++j)
      z[j] ^= (xa[j] & ya[j]) ^ (xa[j] & yb[j]) ^ (xb[j] & ya[j]);
  }

  /// From a 3-out-of-3 XOR sharing to a replicated one: z_i to party i-1.
  template <class T> BShare<T> reshareXor(std::vector<T> z) {
    Channel &ch = p_.channel();
    const std::size_t n = z.size();
    ch.sendVec(ch.prev(), z);
    std::vector<T> zn = ch.recvVec<T>(ch.next(), n);
    return BShare<T>{std::move(z), std::move(zn)};
  }

  template <class T>
  static void checkSame(const BShare<T> &x, const BShare<T> &y) {
    if (x.a.size() != x.b.size() || y.a.size() != y.b.size() ||
        x.size() != y.size())
      throw Rep3Error("rep3: binary operand size mismatch");
  }

  Rep3 &p_;
};

} // namespace sstat::runtime::rep3

#endif // SSTAT_RUNTIME_REP3_BINARY_H
