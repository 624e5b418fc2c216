//===- rep3/Prf.cpp - AES-CTR PRF and correlated randomness ---------------===//
//
// OpenSSL-backed PRF and key setup of rep3 (Araki et al., CCS 2016, section
// 2.2; Mohassel and Rindal, ABY3, CCS 2018).
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/rep3/Prf.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstring>
#include <stdexcept>

namespace sstat::runtime::rep3 {

AesKey freshKey() {
  AesKey k{};
  if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1)
    throw std::runtime_error("rep3: RAND_bytes failed");
  return k;
}

AesCtrPrf::AesCtrPrf(const AesKey &key) {
  ctx_ = EVP_CIPHER_CTX_new();
  if (!ctx_)
    throw std::runtime_error("rep3: EVP_CIPHER_CTX_new failed");
  std::uint8_t iv[16] = {};
  if (EVP_EncryptInit_ex(ctx_, EVP_aes_128_ctr(), nullptr, key.data(), iv) !=
      1) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = nullptr;
    throw std::runtime_error("rep3: EVP_EncryptInit_ex(aes-128-ctr) failed");
  }
}

AesCtrPrf::~AesCtrPrf() {
  if (ctx_)
    EVP_CIPHER_CTX_free(ctx_);
}

AesCtrPrf::AesCtrPrf(AesCtrPrf &&other) noexcept : ctx_(other.ctx_) {
  other.ctx_ = nullptr;
}

AesCtrPrf &AesCtrPrf::operator=(AesCtrPrf &&other) noexcept {
  if (this != &other) {
    if (ctx_)
      EVP_CIPHER_CTX_free(ctx_);
    ctx_ = other.ctx_;
    other.ctx_ = nullptr;
  }
  return *this;
}

void AesCtrPrf::fill(void *out, std::size_t bytes) {
  if (!ctx_)
    throw std::runtime_error("rep3: use of a moved-from AesCtrPrf");
  auto *p = static_cast<std::uint8_t *>(out);
  // The keystream is AES(k, ctr) XOR 0: encrypt zeros in place.
  std::memset(p, 0, bytes);
  constexpr std::size_t kChunk = std::size_t{1} << 30;
  while (bytes > 0) {
    std::size_t n = bytes < kChunk ? bytes : kChunk;
    int outLen = 0;
    if (EVP_EncryptUpdate(ctx_, p, &outLen, p, static_cast<int>(n)) != 1 ||
        static_cast<std::size_t>(outLen) != n)
      throw std::runtime_error("rep3: EVP_EncryptUpdate failed");
    p += n;
    bytes -= n;
  }
}

CorrelatedRandomness CorrelatedRandomness::setup(Channel &ch) {
  AesKey mine = freshKey();
  ch.send(ch.prev(), std::span<const std::uint8_t>(mine.data(), mine.size()));
  AesKey next{};
  ch.recvInto(ch.next(), std::span<std::uint8_t>(next.data(), next.size()));
  return CorrelatedRandomness(mine, next);
}

} // namespace sstat::runtime::rep3
