//===- rep3/Prf.h - AES-CTR PRF and correlated randomness -------*- C++ -*-===//
//
// Correlated randomness of rep3, after Araki, Furukawa, Lindell, Nof, Ohara,
// "High-Throughput Semi-Honest Secure Three-Party Computation with an Honest
// Majority", CCS 2016, section 2.2, and Mohassel and Rindal, "ABY3", CCS
// 2018, section 2.
//
// Every party i draws a fresh AES-128 key k_i with OpenSSL RAND_bytes and
// sends it to party i-1, so party i holds k_i and k_{i+1}; each key is known
// to exactly two parties. F(k, .) is AES-128 in CTR mode (EVP_aes_128_ctr,
// IV 0) read as a keystream; the counter is implicit in how much of the
// stream has been consumed, and the two holders of a key consume it in
// lockstep because every rep3 operation draws the same amounts on all
// parties. From the two keys party i gets
//   - a zero-sharing alpha_i = F(k_i, cnt) - F(k_{i+1}, cnt), with
//     alpha_0 + alpha_1 + alpha_2 = 0, and
//   - a replicated sharing of a random r = r_0 + r_1 + r_2 with
//     r_j = F(k_j, cnt), of which party i holds (r_i, r_{i+1}).
// Both draw from the same two streams, one ring element per output element
// from each.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_REP3_PRF_H
#define SSTAT_RUNTIME_REP3_PRF_H

#include "sstat/runtime/rep3/Channel.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace sstat::runtime::rep3 {

using AesKey = std::array<std::uint8_t, 16>;

/// A fresh key from OpenSSL RAND_bytes; throws std::runtime_error if the
/// generator fails.
AesKey freshKey();

/// F(k, cnt): the AES-128-CTR keystream under `key`, consumed in order.
class AesCtrPrf {
public:
  explicit AesCtrPrf(const AesKey &key);
  ~AesCtrPrf();
  AesCtrPrf(AesCtrPrf &&other) noexcept;
  AesCtrPrf &operator=(AesCtrPrf &&other) noexcept;
  AesCtrPrf(const AesCtrPrf &) = delete;
  AesCtrPrf &operator=(const AesCtrPrf &) = delete;

  /// Writes the next `bytes` bytes of the keystream to `out`.
  void fill(void *out, std::size_t bytes);

  /// The next n ring elements.
  template <class T> std::vector<T> next(std::size_t n) {
    std::vector<T> v(n);
    fill(v.data(), n * sizeof(T));
    return v;
  }

private:
  EVP_CIPHER_CTX *ctx_ = nullptr;
};

/// The two PRFs of party i: mine = F(k_i, .), next = F(k_{i+1}, .).
class CorrelatedRandomness {
public:
  /// Key setup over the channel: draws k_i, sends it to party i-1 and
  /// receives k_{i+1} from party i+1 (one 16-byte message each way, one
  /// round).
  static CorrelatedRandomness setup(Channel &ch);

  CorrelatedRandomness(const AesKey &mine, const AesKey &next)
      : mine_(mine), next_(next) {}

  /// alpha_i for n elements (the three parties' outputs sum to 0).
  template <class T> std::vector<T> zeroShare(std::size_t n) {
    std::vector<T> a = mine_.next<T>(n);
    std::vector<T> b = next_.next<T>(n);
    for (std::size_t j = 0; j < n; ++j)
      a[j] -= b[j];
    return a;
  }

  /// (r_i, r_{i+1}) of a random replicated sharing of n elements.
  template <class T>
  std::pair<std::vector<T>, std::vector<T>> randomPair(std::size_t n) {
    std::vector<T> a = mine_.next<T>(n);
    std::vector<T> b = next_.next<T>(n);
    return {std::move(a), std::move(b)};
  }

  /// The stream of k_i alone (shared with party i-1).
  AesCtrPrf &mine() { return mine_; }
  /// The stream of k_{i+1} alone (shared with party i+1).
  AesCtrPrf &next() { return next_; }

private:
  AesCtrPrf mine_;
  AesCtrPrf next_;
};

} // namespace sstat::runtime::rep3

#endif // SSTAT_RUNTIME_REP3_PRF_H
