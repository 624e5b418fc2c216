//===- net/TlsSocket.h - Sockets and OpenSSL plumbing ------------*- C++
//-*-===//
//
// The OpenSSL and POSIX layer under sstat_net: the TLS 1.3-only mutual-auth
// SSL_CTX, non-blocking TCP sockets, a socket BIO that never raises SIGPIPE
// (send with MSG_NOSIGNAL) and counts wire bytes, handshake and exact
// reads/writes bounded by a deadline (used during setup, before the I/O
// thread takes over the SSL object), and the names a peer certificate
// carries. Internal to sstat_net.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_LIB_NET_TLSSOCKET_H
#define SSTAT_RUNTIME_LIB_NET_TLSSOCKET_H

#include "sstat/runtime/net/Tls.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace sstat::runtime::net::detail {

using Clock = std::chrono::steady_clock;

struct SslCtxFree {
  void operator()(SSL_CTX *c) const;
};
struct SslFree {
  void operator()(SSL *s) const;
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

/// A file descriptor, closed on destruction.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd &&o) noexcept : fd_(o.release()) {}
  Fd &operator=(Fd &&o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset();
  explicit operator bool() const { return fd_ >= 0; }

private:
  int fd_ = -1;
};

/// Wire byte counters and the last socket errno of one connection.
struct WireCounters {
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> received{0};
  std::atomic<int> lastErrno{0};
  /// Why the peer's certificate failed verification (set by the verify
  /// callback in the thread running the handshake, read by the same).
  std::string verifyDetail;
};

/// TLS 1.3 only, verify peer + fail without a peer certificate, our chain
/// and key, the trusted CA file, no session tickets.
SslCtxPtr makeContext(const TlsFiles &files);

/// An SSL object over `fd` (non-blocking) through the counting BIO.
SslPtr makeSsl(SSL_CTX *ctx, int fd, bool server,
               std::shared_ptr<WireCounters> counters);

/// Reason strings of OpenSSL's error queue (emptied), "; "-separated.
std::string opensslErrors();

/// Describes the failure of an SSL call that returned `ret`.
std::string describeSslFailure(SSL *ssl, int ret, const WireCounters &wc);

/// A listening non-blocking socket bound to host:port.
Fd listenOn(const std::string &host, std::uint16_t port);
/// Connects to host:port, retrying refused / unreachable attempts every
/// 50 ms until `deadline`, or until `*cancel` becomes true or `stillOk`
/// (if given, called between attempts) returns false ("setup cancelled").
Fd connectWithRetry(const std::string &host, std::uint16_t port,
                    Clock::time_point deadline, const std::atomic<bool> *cancel,
                    const std::function<bool()> &stillOk = {});
/// "1.2.3.4:5678" of a connected peer.
std::string peerAddress(int fd);

/// Handshake / exact I/O on a non-blocking SSL, bounded by `deadline`; a
/// set `*cancel` also stops them. Throw NetError with the cause only (the
/// caller adds who the peer is).
void handshake(SSL *ssl, int fd, bool server, Clock::time_point deadline,
               const std::atomic<bool> *cancel, const WireCounters &wc);
void writeAll(SSL *ssl, int fd, std::span<const std::uint8_t> data,
              Clock::time_point deadline, const std::atomic<bool> *cancel,
              const WireCounters &wc);
void readExact(SSL *ssl, int fd, std::span<std::uint8_t> data,
               Clock::time_point deadline, const std::atomic<bool> *cancel,
               const WireCounters &wc);

/// CN(s) and DNS subjectAltNames of the verified peer certificate.
std::vector<std::string> peerCertNames(SSL *ssl);

/// "300 ms", "60 s".
std::string formatDuration(std::chrono::milliseconds d);

} // namespace sstat::runtime::net::detail

#endif // SSTAT_RUNTIME_LIB_NET_TLSSOCKET_H
