//===- rep3/Rep3.h - Replicated secret sharing over Z_2^k -------*- C++ -*-===//
//
// The semi-honest three-party protocol rep3 over the rings Z_2^64 (uint64_t)
// and Z_2^128 (unsigned __int128), after
//   Araki, Furukawa, Lindell, Nof, Ohara, "High-Throughput Semi-Honest Secure
//   Three-Party Computation with an Honest Majority", CCS 2016, and
//   Mohassel and Rindal, "ABY3: A Mixed Protocol Framework for Machine
//   Learning", CCS 2018 (truncation: section 5.1.1).
//
// Sharing. x = x_0 + x_1 + x_2 (mod 2^k); party i holds (x_i, x_{i+1}),
// indices mod 3, stored as Share{a = x_i, b = x_{i+1}}.
//
// Costs per party, with n elements of s = sizeof(T) bytes (measured by the
// tests through the channel counters):
//   input(owner)    owner sends n elements to each other party (the other
//                   two components come from PRF keys); 1 round (owner: 0
//                   receive rounds).
//   add/sub/neg/mulPublic/addPublic   local, no communication.
//   mul             z_i = x_i y_i + x_i y_{i+1} + x_{i+1} y_i + alpha_i,
//                   z_i sent to party i-1: n elements sent, 1 round.
//   dot             the same with the n local terms summed first: ONE element
//                   sent, 1 round.
//   open            party i sends x_i to party i+1: n elements, 1 round.
//   openTo(p)       party p+2 sends x_{p+2} to p: n elements from one party,
//                   1 round for p; only p learns the value.
//   trunc           ABY3 Pi_trunc1 (below): party 0 sends n elements to
//                   party 1, 1 round; mulTrunc = mul then trunc, 2 rounds.
//
// Truncation (ABY3 section 5.1.1, semi-honest, 0-indexed parties). Given a
// 2-out-of-3 sharing of x, parties 0 and 1 view it as the two-party sharing
// x = a + b with a = x_0 + x_1 (known to party 0) and b = x_2 (known to
// parties 1 and 2), and truncate locally as in SecureML:
//   a' = a >> f (logical),   b' = -((-b) >> f).
// To return to a 2-out-of-3 sharing without revealing a', parties 0 and 2
// draw r = F(k_0, cnt) from the key they share, and set
//   y_0 = r,  y_1 = a' - r (sent by party 0 to party 1),  y_2 = b'.
// Party 1 sees a' masked by r; party 2 sees nothing new.
// Error: reading x in two's complement with |x| < 2^l, the result is
// floor(x / 2^f) or floor(x / 2^f) + 1 (at most 1 ulp off), except with
// probability at most 2^(l-k) per element (when the random share a wraps
// around x), in which case it is off by about 2^(k-f). Callers keep l well
// below k (e.g. l <= 80 on Z_2^128 gives failure <= 2^-48).
//
// Every received message's length is checked by the Channel; a mismatch
// throws ChannelError. All parties must call the same operations, in the
// same order, with the same sizes.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_REP3_REP3_H
#define SSTAT_RUNTIME_REP3_REP3_H

#include "sstat/runtime/rep3/Channel.h"
#include "sstat/runtime/rep3/Prf.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace sstat::runtime::rep3 {

template <class T>
inline constexpr bool kIsRing =
    std::is_same_v<T, std::uint64_t> || std::is_same_v<T, unsigned __int128>;

/// Party i's part of a replicated sharing of a vector: a = x_i, b = x_{i+1}.
template <class T> struct Share {
  static_assert(kIsRing<T>, "rep3 rings are uint64_t and unsigned __int128");
  std::vector<T> a;
  std::vector<T> b;
  std::size_t size() const { return a.size(); }
};

/// A size mismatch between operands (a caller bug on this party).
class Rep3Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// One party's endpoint of rep3: its channel and its correlated randomness.

class Rep3 {
public:
  /// Runs the key setup over `ch` (one 16-byte message each way).
  explicit Rep3(Channel &ch) : ch_(ch), cr_(CorrelatedRandomness::setup(ch)) {}

  int id() const { return ch_.self(); }
  Channel &channel() { return ch_; }
  CorrelatedRandomness &randomness() { return cr_; }

  // ---- Input and output --------------------------------------------------

  /// Secret-shares n values held by `owner`. The owner passes them in
  /// `values` (size n); the others pass an empty span. x_o and x_{o+1} come
  /// from the PRF keys the owner shares with party o+2 (k_o) and party o+1
  /// (k_{o+1}); the owner sends only x_{o+2} = x - x_o - x_{o+1}, to both:
  /// n elements to each other party, 1 round (Araki et al., section 2.2).
  /// Each receiver misses one pseudo-random term of x.
  template <class T>
  Share<T> input(int owner, std::span<const T> values, std::size_t n) {
    checkParty(owner);
    Share<T> s;
    s.a.resize(n);
    s.b.resize(n);
    inputDraw<T>(owner, s.a.data(), s.b.data(), n);
    if (id() == owner) {
      if (values.size() != n)
        throw Rep3Error("rep3: input owner passed " +
                        std::to_string(values.size()) + " values, expected " +
                        std::to_string(n));
      std::vector<T> rest(n); // x_{o+2}
      for (std::size_t j = 0; j < n; ++j)
        rest[j] = values[j] - s.a[j] - s.b[j];
      inputSendRest(rest);
    } else if (id() == (owner + 1) % 3) {
      s.b = inputRecvRest<T>(owner, n);
    } else {
      s.a = inputRecvRest<T>(owner, n);
    }
    return s;
  }

  // Input in pieces, so that several owners can share at once (the VM's
  // input phase): every party draws every owner's PRF components first (in
  // the same order everywhere), then each owner sends, then all receive.

  /// The PRF step of input, in place: draws this party's PRF-derived
  /// components of n values owned by `owner` into a (x_i) and b (x_{i+1}):
  /// the owner both x_o and x_{o+1}; party o+1 its a = x_{o+1}; party o+2
  /// its b = x_o. The other component is x_{o+2}, which the owner sends
  /// (inputSendRest / inputRecvRest). Draws may be split into several calls
  /// (the streams are byte streams) as long as every party splits alike.
  template <class T> void inputDraw(int owner, T *a, T *b, std::size_t n) {
    checkParty(owner);
    const int o = owner, o1 = (owner + 1) % 3;
    if (id() == o) {
      cr_.mine().fill(a, n * sizeof(T)); // x_o, key k_o (with o+2)
      cr_.next().fill(b, n * sizeof(T)); // x_{o+1}, key k_{o+1}
    } else if (id() == o1) {
      cr_.mine().fill(a, n * sizeof(T));
    } else {
      cr_.next().fill(b, n * sizeof(T));
    }
  }
  /// The owner sends x_{o+2} = x - x_o - x_{o+1} to both other parties.
  template <class T> void inputSendRest(const std::vector<T> &rest) {
    ch_.sendVec(ch_.next(), rest);
    ch_.sendVec(ch_.prev(), rest);
  }
  /// A non-owner receives x_{o+2}: party o+1 keeps it as b, party o+2 as a.
  template <class T> std::vector<T> inputRecvRest(int owner, std::size_t n) {
    checkParty(owner);
    return ch_.recvVec<T>(owner, n);
  }
  /// The same, straight into place (one message of n elements).
  template <class T> void inputRecvRestInto(int owner, T *out, std::size_t n) {
    checkParty(owner);
    ch_.recvInto(owner,
                 std::span<std::uint8_t>(reinterpret_cast<std::uint8_t *>(out),
                                         n * sizeof(T)));
  }

  /// Reveals x to all three parties (n elements sent per party, 1 round).
  template <class T> std::vector<T> open(const Share<T> &x) {
    Pending<T> p = openStart(x);
    finish(p);
    return std::move(p.s.a);
  }

  /// Reveals x to party p only; the others get std::nullopt.
  template <class T>
  std::optional<std::vector<T>> openTo(int p, const Share<T> &x) {
    Pending<T> q = openToStart(p, x);
    finish(q);
    if (id() != p)
      return std::nullopt;
    return std::move(q.s.a);
  }

  // ---- Local operations --------------------------------------------------

  template <class T> static Share<T> add(const Share<T> &x, const Share<T> &y) {
    checkSame(x, y);
    Share<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] += y.a[j];
      z.b[j] += y.b[j];
    }
    return z;
  }

  template <class T> static Share<T> sub(const Share<T> &x, const Share<T> &y) {
    checkSame(x, y);
    Share<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] -= y.a[j];
      z.b[j] -= y.b[j];
    }
    return z;
  }

  template <class T> static Share<T> neg(const Share<T> &x) {
    Share<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] = T(0) - z.a[j];
      z.b[j] = T(0) - z.b[j];
    }
    return z;
  }

  /// c * x for one public constant c.
  template <class T> static Share<T> mulPublic(const Share<T> &x, T c) {
    Share<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] *= c;
      z.b[j] *= c;
    }
    return z;
  }

  /// c_j * x_j for a public vector c.
  template <class T>
  static Share<T> mulPublic(const Share<T> &x, const std::vector<T> &c) {
    if (c.size() != x.size())
      throw Rep3Error("rep3: mulPublic size mismatch");
    Share<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      z.a[j] *= c[j];
      z.b[j] *= c[j];
    }
    return z;
  }

  /// x + c for a public vector c (added to the share x_0, held by parties 0
  /// and 2).
  template <class T>
  Share<T> addPublic(const Share<T> &x, const std::vector<T> &c) const {
    if (c.size() != x.size())
      throw Rep3Error("rep3: addPublic size mismatch");
    Share<T> z = x;
    for (std::size_t j = 0; j < x.size(); ++j) {
      if (id() == 0)
        z.a[j] += c[j];
      else if (id() == 2)
        z.b[j] += c[j];
    }
    return z;
  }

  // ---- Interactive operations --------------------------------------------

  // ---- One-round operations, whole or in two steps ------------------------
  //
  // Every one-round operation is a start, which does the local work and
  // sends, and a finish, which receives and completes. Operations that do
  // not depend on each other can all be started before any is finished:
  // then they share one network round (the VM does this for the ops the
  // compiler scheduled into one round). All parties must start and finish
  // the same operations in the same order.

  /// An operation between its start and its finish: what is still to be
  /// received (from peer `from`, n elements) and the partial result. After
  /// finish, `s` is the sharing (mul, dot, reshareSum, trunc) or `s.a` the
  /// opened values (open; openTo at the recipient).
  template <class T> struct Pending {
    enum class Kind : std::uint8_t {
      Done,
      Reshare,
      Trunc,
      Open
    } kind = Kind::Done;
    int from = -1;
    std::size_t n = 0;
    Share<T> s;
  };

  /// Elementwise x * y: one element sent per product per party, 1 round.
  template <class T> Share<T> mul(const Share<T> &x, const Share<T> &y) {
    return finished(mulStart(x, y));
  }
  template <class T> Pending<T> mulStart(const Share<T> &x, const Share<T> &y) {
    checkSame(x, y);
    std::vector<T> z(x.size());
    for (std::size_t j = 0; j < x.size(); ++j)
      z[j] = x.a[j] * y.a[j] + x.a[j] * y.b[j] + x.b[j] * y.a[j];
    return reshareSumStart(std::move(z));
  }

  /// sum_j x_j * y_j as a sharing of length 1: one element sent per party,
  /// 1 round, whatever n.
  template <class T> Share<T> dot(const Share<T> &x, const Share<T> &y) {
    return finished(dotStart(x, y));
  }
  template <class T> Pending<T> dotStart(const Share<T> &x, const Share<T> &y) {
    checkSame(x, y);
    T acc = 0;
    for (std::size_t j = 0; j < x.size(); ++j)
      acc += x.a[j] * y.a[j] + x.a[j] * y.b[j] + x.b[j] * y.a[j];
    return reshareSumStart(std::vector<T>{acc});
  }

  /// From this party's summand z_i of a 3-out-of-3 sharing (local products
  /// of shares, e.g. of a matrix product) to a replicated sharing: adds a
  /// zero sharing and reshares, one element sent per element, 1 round. The
  /// caller's z must not already contain a zero share.
  template <class T> Share<T> reshareSum(std::vector<T> z) {
    return finished(reshareSumStart(std::move(z)));
  }
  template <class T> Pending<T> reshareSumStart(std::vector<T> z) {
    std::vector<T> alpha = cr_.zeroShare<T>(z.size());
    for (std::size_t j = 0; j < z.size(); ++j)
      z[j] += alpha[j];
    // z_i goes to party i-1; z_{i+1} comes from party i+1.
    ch_.sendVec(ch_.prev(), z);
    Pending<T> p;
    p.kind = Pending<T>::Kind::Reshare;
    p.from = ch_.next();
    p.n = z.size();
    p.s.a = std::move(z);
    return p;
  }

  /// ABY3 Pi_trunc1: y ~= x / 2^f (see the file header for the error).
  template <class T> Share<T> trunc(const Share<T> &x, unsigned f) {
    return finished(truncStart(x, f));
  }
  template <class T> Pending<T> truncStart(const Share<T> &x, unsigned f) {
    if (f >= sizeof(T) * 8)
      throw Rep3Error("rep3: truncation by " + std::to_string(f) +
                      " bits is not below the ring width");
    const std::size_t n = x.size();
    Pending<T> p;
    p.n = n;
    switch (id()) {
    case 0: { // holds x_0, x_1 and k_0 (as its own key)
      std::vector<T> r = cr_.mine().next<T>(n);
      std::vector<T> y1(n);
      for (std::size_t j = 0; j < n; ++j)
        y1[j] = (T(x.a[j] + x.b[j]) >> f) - r[j];
      ch_.sendVec(1, y1);
      p.s.a = std::move(r);
      p.s.b = std::move(y1);
      break;
    }
    case 1: { // holds x_1, x_2; receives y_1 from party 0
      p.s.b.resize(n);
      for (std::size_t j = 0; j < n; ++j)
        p.s.b[j] = T(0) - (T(T(0) - x.b[j]) >> f);
      p.kind = Pending<T>::Kind::Trunc;
      p.from = 0;
      break;
    }
    default: { // party 2: holds x_2, x_0 and k_0 (as its next key)
      p.s.a.resize(n);
      for (std::size_t j = 0; j < n; ++j)
        p.s.a[j] = T(0) - (T(T(0) - x.a[j]) >> f);
      p.s.b = cr_.next().next<T>(n);
      break;
    }
    }
    return p;
  }

  /// open in two steps: each party sends x_i to party i+1.
  template <class T> Pending<T> openStart(const Share<T> &x) {
    ch_.sendVec(ch_.next(), x.a);
    return openPending(x, ch_.prev());
  }
  /// openTo(p) in two steps: party p+2 sends x_{p+2} to p.
  template <class T> Pending<T> openToStart(int p, const Share<T> &x) {
    checkParty(p);
    if (id() == (p + 2) % 3)
      ch_.sendVec(p, x.a);
    if (id() != p)
      return Pending<T>{};
    return openPending(x, (p + 2) % 3);
  }

  /// Receives what \p p still waits for and completes it.
  template <class T> void finish(Pending<T> &p) {
    switch (p.kind) {
    case Pending<T>::Kind::Done:
      return;
    case Pending<T>::Kind::Reshare:
      p.s.b = ch_.recvVec<T>(p.from, p.n);
      break;
    case Pending<T>::Kind::Trunc:
      p.s.a = ch_.recvVec<T>(p.from, p.n);
      break;
    case Pending<T>::Kind::Open: {
      std::vector<T> missing = ch_.recvVec<T>(p.from, p.n);
      for (std::size_t j = 0; j < p.n; ++j)
        p.s.a[j] += missing[j];
      break;
    }
    }
    p.kind = Pending<T>::Kind::Done;
  }

  /// mul followed by trunc (2 rounds).
  template <class T>
  Share<T> mulTrunc(const Share<T> &x, const Share<T> &y, unsigned f) {
    return trunc(mul(x, y), f);
  }

private:
  template <class T> Share<T> finished(Pending<T> p) {
    finish(p);
    return std::move(p.s);
  }
  /// The pending state of an open: x_i + x_{i+1}, waiting for x_{i+2}.
  template <class T>
  static Pending<T> openPending(const Share<T> &x, int from) {
    Pending<T> p;
    p.kind = Pending<T>::Kind::Open;
    p.from = from;
    p.n = x.size();
    p.s.a.resize(p.n);
    for (std::size_t j = 0; j < p.n; ++j)
      p.s.a[j] = x.a[j] + x.b[j];
    return p;
  }

  template <class T>
  static void checkSame(const Share<T> &x, const Share<T> &y) {
    if (x.a.size() != x.b.size() || y.a.size() != y.b.size() ||
        x.size() != y.size())
      throw Rep3Error("rep3: operand size mismatch");
  }

  static void checkParty(int p) {
    if (p < 0 || p >= kParties)
      throw Rep3Error("rep3: party id " + std::to_string(p) +
                      " out of range 0..2");
  }

  Channel &ch_;
  CorrelatedRandomness cr_;
};

} // namespace sstat::runtime::rep3

#endif // SSTAT_RUNTIME_REP3_REP3_H
