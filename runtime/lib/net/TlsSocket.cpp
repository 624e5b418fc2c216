//===- net/TlsSocket.cpp - Sockets and OpenSSL plumbing -------------------===//
//
// See TlsSocket.h. The counting BIO is a plain socket BIO whose write uses
// send(MSG_NOSIGNAL): a peer that went away gives EPIPE, never a SIGPIPE
// that would kill the process, and no process-wide signal disposition is
// changed.
//
//===----------------------------------------------------------------------===//

#include "TlsSocket.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <cstring>
#include <mutex>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace sstat::runtime::net::detail {

void SslCtxFree::operator()(SSL_CTX *c) const { SSL_CTX_free(c); }
void SslFree::operator()(SSL *s) const { SSL_free(s); }

void Fd::reset() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

std::string formatDuration(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0)
    return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

std::string opensslErrors() {
  std::string s;
  while (unsigned long e = ERR_get_error()) {
    const char *r = ERR_reason_error_string(e);
    if (!s.empty())
      s += "; ";
    s += r ? r : ("OpenSSL error " + std::to_string(e));
  }
  return s;
}

// ---- Counting socket BIO --------------------------------------------------

namespace {

struct BioState {
  int fd;
  std::shared_ptr<WireCounters> wc;
};

int bioWrite(BIO *b, const char *buf, int len) {
  auto *st = static_cast<BioState *>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  ssize_t n = ::send(st->fd, buf, static_cast<size_t>(len), MSG_NOSIGNAL);
  if (n >= 0) {
    st->wc->sent += static_cast<std::uint64_t>(n);
    return static_cast<int>(n);
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    BIO_set_retry_write(b);
    return -1;
  }
  st->wc->lastErrno = errno;
  return -1;
}

int bioRead(BIO *b, char *buf, int len) {
  auto *st = static_cast<BioState *>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  ssize_t n = ::recv(st->fd, buf, static_cast<size_t>(len), 0);
  if (n >= 0) {
    st->wc->received += static_cast<std::uint64_t>(n);
    return static_cast<int>(n);
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    BIO_set_retry_read(b);
    return -1;
  }
  st->wc->lastErrno = errno;
  return -1;
}

long bioCtrl(BIO *, int cmd, long, void *) {
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

int bioDestroy(BIO *b) {
  delete static_cast<BioState *>(BIO_get_data(b));
  BIO_set_data(b, nullptr);
  return 1;
}

BIO_METHOD *countingBioMethod() {
  static BIO_METHOD *method = [] {
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK |
                                     BIO_TYPE_DESCRIPTOR,
                                 "sstat counting socket");
    if (!m)
      return m;
    BIO_meth_set_write(m, bioWrite);
    BIO_meth_set_read(m, bioRead);
    BIO_meth_set_ctrl(m, bioCtrl);
    BIO_meth_set_destroy(m, bioDestroy);
    return m;
  }();
  return method;
}

std::string subjectCn(X509_NAME *name) {
  char buf[256] = {0};
  if (!name ||
      X509_NAME_get_text_by_NID(name, NID_commonName, buf, sizeof buf) < 0)
    return "?";
  return buf;
}

/// Keeps OpenSSL's verdict and records which certificate failed and why,
/// for the error message (the names are not verified at that point).
int verifyCallback(int ok, X509_STORE_CTX *store) {
  if (ok)
    return ok;
  auto *ssl = static_cast<SSL *>(
      X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto *wc = ssl ? static_cast<WireCounters *>(SSL_get_app_data(ssl)) : nullptr;
  if (wc && wc->verifyDetail.empty()) {
    X509 *leaf = X509_STORE_CTX_get0_cert(store);
    wc->verifyDetail =
        std::string("the certificate for '") +
        subjectCn(leaf ? X509_get_subject_name(leaf) : nullptr) +
        "' issued by '" +
        subjectCn(leaf ? X509_get_issuer_name(leaf) : nullptr) +
        "' does not verify: " +
        X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
  }
  return ok;
}

} // namespace

SslCtxPtr makeContext(const TlsFiles &files) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_method()));
  if (!ctx)
    throw NetError("cannot create a TLS context: " + opensslErrors());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(),
                                         files.certChainFile.c_str()) != 1)
    throw NetError("cannot load the certificate chain '" + files.certChainFile +
                   "': " + opensslErrors());
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), files.privateKeyFile.c_str(),
                                  SSL_FILETYPE_PEM) != 1)
    throw NetError("cannot load the private key '" + files.privateKeyFile +
                   "': " + opensslErrors());
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    throw NetError("the private key '" + files.privateKeyFile +
                   "' does not match the certificate '" + files.certChainFile +
                   "': " + opensslErrors());
  if (SSL_CTX_load_verify_locations(ctx.get(), files.trustedCaFile.c_str(),
                                    nullptr) != 1)
    throw NetError("cannot load the trusted CA file '" + files.trustedCaFile +
                   "': " + opensslErrors());
  SSL_CTX_set_verify(ctx.get(),
                     SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     verifyCallback);
  SSL_CTX_set_num_tickets(ctx.get(), 0);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE |
                                  SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // Read whole socket buffers at once: fewer recv calls for bulk data.
  SSL_CTX_set_read_ahead(ctx.get(), 1);
  SSL_CTX_set_default_read_buffer_len(ctx.get(), 256 * 1024);
  return ctx;
}

SslPtr makeSsl(SSL_CTX *ctx, int fd, bool server,
               std::shared_ptr<WireCounters> counters) {
  SslPtr ssl(SSL_new(ctx));
  BIO_METHOD *m = countingBioMethod();
  BIO *bio = m ? BIO_new(m) : nullptr;
  if (!ssl || !bio) {
    BIO_free(bio);
    throw NetError("cannot create a TLS connection: " + opensslErrors());
  }
  SSL_set_app_data(ssl.get(), counters.get());
  BIO_set_data(bio, new BioState{fd, std::move(counters)});
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl.get(), bio, bio);
  if (server)
    SSL_set_accept_state(ssl.get());
  else
    SSL_set_connect_state(ssl.get());
  return ssl;
}

std::string describeSslFailure(SSL *ssl, int ret, const WireCounters &wc) {
  const int err = SSL_get_error(ssl, ret);
  const unsigned long top = ERR_peek_error();
  std::string text;
  if (err == SSL_ERROR_ZERO_RETURN ||
      (err == SSL_ERROR_SYSCALL && top == 0 && wc.lastErrno == 0) ||
      (err == SSL_ERROR_SSL &&
       ERR_GET_REASON(top) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
    ERR_clear_error();
    return "closed the connection";
  }
  if (err == SSL_ERROR_SYSCALL && top == 0) {
    text = std::strerror(wc.lastErrno);
  } else {
    text = opensslErrors();
    if (text.empty())
      text = "TLS error " + std::to_string(err);
  }
  if (!wc.verifyDetail.empty())
    text += " (" + wc.verifyDetail + ")";
  else if (const long vr = SSL_get_verify_result(ssl); vr != X509_V_OK)
    text += std::string(" (certificate verification: ") +
            X509_verify_cert_error_string(vr) + ")";
  if (text.find("alert unknown ca") != std::string::npos)
    text += " (the peer does not trust the CA of this party's certificate)";
  return text;
}

// ---- Sockets -------------------------------------------------------------

namespace {

struct AddrInfo {
  addrinfo *ai = nullptr;
  ~AddrInfo() {
    if (ai)
      freeaddrinfo(ai);
  }
};

void resolve(const std::string &host, std::uint16_t port, bool passive,
             AddrInfo &out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  const std::string service = std::to_string(port);
  int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(),
                       &hints, &out.ai);
  if (rc != 0)
    throw NetError("cannot resolve '" + host + "': " + gai_strerror(rc));
}

std::string hostPort(const std::string &host, std::uint16_t port) {
  return host + ":" + std::to_string(port);
}

/// Polls `fd` for `events` in slices, so a cancel flag is seen within
/// 50 ms. Returns false at the deadline or on cancel.
bool waitFd(int fd, short events, Clock::time_point deadline,
            const std::atomic<bool> *cancel) {
  for (;;) {
    if (cancel && cancel->load())
      return false;
    auto now = Clock::now();
    if (now >= deadline)
      return false;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    int ms = static_cast<int>(std::min<long long>(left.count() + 1, 50));
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, ms);
    if (rc > 0)
      return true;
    if (rc < 0 && errno != EINTR)
      return true; // let the next I/O call report the error
  }
}

void setNoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

} // namespace

Fd listenOn(const std::string &host, std::uint16_t port) {
  AddrInfo ai;
  resolve(host, port, true, ai);
  std::string lastErr = "no address";
  for (addrinfo *a = ai.ai; a; a = a->ai_next) {
    Fd fd(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                   a->ai_protocol));
    if (!fd) {
      lastErr = std::strerror(errno);
      continue;
    }
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), a->ai_addr, a->ai_addrlen) != 0 ||
        ::listen(fd.get(), 64) != 0) {
      lastErr = std::strerror(errno);
      continue;
    }
    return fd;
  }
  throw NetError("cannot listen on " + hostPort(host, port) + ": " + lastErr);
}

Fd connectWithRetry(const std::string &host, std::uint16_t port,
                    Clock::time_point deadline, const std::atomic<bool> *cancel,
                    const std::function<bool()> &stillOk) {
  AddrInfo ai;
  resolve(host, port, false, ai);
  std::string lastErr = "timed out";
  for (;;) {
    for (addrinfo *a = ai.ai; a; a = a->ai_next) {
      Fd fd(::socket(a->ai_family,
                     a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                     a->ai_protocol));
      if (!fd) {
        lastErr = std::strerror(errno);
        continue;
      }
      int rc = ::connect(fd.get(), a->ai_addr, a->ai_addrlen);
      if (rc != 0 && errno != EINPROGRESS) {
        lastErr = std::strerror(errno);
        continue;
      }
      if (rc != 0) {
        if (!waitFd(fd.get(), POLLOUT, deadline, cancel))
          break;
        int soErr = 0;
        socklen_t len = sizeof soErr;
        ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &soErr, &len);
        if (soErr != 0) {
          lastErr = std::strerror(soErr);
          continue;
        }
      }
      setNoDelay(fd.get());
      return fd;
    }
    if ((cancel && cancel->load()) || (stillOk && !stillOk()))
      throw NetError("setup cancelled");
    if (Clock::now() >= deadline)
      throw NetError("cannot connect to " + hostPort(host, port) + ": " +
                     lastErr);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string peerAddress(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr *>(&ss), &len) != 0)
    return "an unknown address";
  char buf[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET) {
    auto *s = reinterpret_cast<sockaddr_in *>(&ss);
    inet_ntop(AF_INET, &s->sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(s->sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    auto *s = reinterpret_cast<sockaddr_in6 *>(&ss);
    inet_ntop(AF_INET6, &s->sin6_addr, buf, sizeof buf);
    return "[" + std::string(buf) + "]:" + std::to_string(ntohs(s->sin6_port));
  }
  return "an unknown address";
}

// ---- Deadline-bounded TLS I/O --------------------------------------------

namespace {

/// After an SSL call returned `ret` <= 0: waits if it wants I/O, else
/// throws the cause.
void waitOrThrow(SSL *ssl, int fd, int ret, Clock::time_point deadline,
                 const std::atomic<bool> *cancel, const WireCounters &wc,
                 const char *what) {
  const int err = SSL_get_error(ssl, ret);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
    ERR_clear_error();
    short ev = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
    if (!waitFd(fd, ev, deadline, cancel)) {
      if (cancel && cancel->load())
        throw NetError("setup cancelled");
      throw NetError(std::string(what) + " timed out");
    }
    return;
  }
  throw NetError(describeSslFailure(ssl, ret, wc));
}

} // namespace

void handshake(SSL *ssl, int fd, bool server, Clock::time_point deadline,
               const std::atomic<bool> *cancel, const WireCounters &wc) {
  // Handshake steps are serialized process-wide: certificate verification
  // against a shared X509_STORE lazily fills caches in OpenSSL 3.0 (found
  // as a data race by ThreadSanitizer). Each step is non-blocking and
  // short, so the lock costs little.
  static std::mutex stepMu;
  for (;;) {
    ERR_clear_error();
    int r;
    {
      std::lock_guard<std::mutex> lock(stepMu);
      r = server ? SSL_accept(ssl) : SSL_connect(ssl);
    }
    if (r == 1)
      return;
    waitOrThrow(ssl, fd, r, deadline, cancel, wc, "the TLS handshake");
  }
}

void writeAll(SSL *ssl, int fd, std::span<const std::uint8_t> data,
              Clock::time_point deadline, const std::atomic<bool> *cancel,
              const WireCounters &wc) {
  std::size_t off = 0;
  while (off < data.size()) {
    ERR_clear_error();
    int n = SSL_write(
        ssl, data.data() + off,
        static_cast<int>(std::min<std::size_t>(data.size() - off, INT_MAX)));
    if (n > 0) {
      off += static_cast<std::size_t>(n);
      continue;
    }
    waitOrThrow(ssl, fd, n, deadline, cancel, wc, "sending");
  }
}

void readExact(SSL *ssl, int fd, std::span<std::uint8_t> data,
               Clock::time_point deadline, const std::atomic<bool> *cancel,
               const WireCounters &wc) {
  std::size_t off = 0;
  while (off < data.size()) {
    ERR_clear_error();
    int n = SSL_read(
        ssl, data.data() + off,
        static_cast<int>(std::min<std::size_t>(data.size() - off, INT_MAX)));
    if (n > 0) {
      off += static_cast<std::size_t>(n);
      continue;
    }
    waitOrThrow(ssl, fd, n, deadline, cancel, wc, "receiving");
  }
}

std::vector<std::string> peerCertNames(SSL *ssl) {
  std::vector<std::string> names;
  X509 *cert = SSL_get0_peer_certificate(ssl);
  if (!cert)
    return names;
  X509_NAME *subj = X509_get_subject_name(cert);
  for (int i = -1;
       (i = X509_NAME_get_index_by_NID(subj, NID_commonName, i)) >= 0;) {
    ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, i));
    names.emplace_back(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)),
                       static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  auto *sans = static_cast<GENERAL_NAMES *>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);
      if (g->type != GEN_DNS)
        continue;
      const ASN1_STRING *s = g->d.dNSName;
      names.emplace_back(
          reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)),
          static_cast<std::size_t>(ASN1_STRING_length(s)));
    }
    GENERAL_NAMES_free(sans);
  }
  return names;
}

} // namespace sstat::runtime::net::detail
