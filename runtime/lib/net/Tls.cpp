//===- net/Tls.cpp - TLS 1.3 transport between sstat parties --------------===//
//
// Setup of a compute party's network and of client links (see net/Tls.h):
// listen, connect (party j connects to party i < j; clients to everyone),
// TLS 1.3 handshake with mutual authentication, check that the peer's
// certificate names the expected party, exchange and check the hellos, then
// hand each connection to a Connection (one I/O thread each).
//
// Threads of one TlsNetwork: the caller's; an accept thread that lives until
// close() and runs one short-lived thread per incoming connection (TLS
// handshake + hello, bounded by connectTimeout), so a slow or bogus client
// cannot hold up the others; and one I/O thread per established connection.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/net/Tls.h"

#include "Connection.h"
#include "TlsSocket.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <list>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sstat::runtime::net {

using namespace detail;

namespace {

std::string partyWho(const PartyEndpoint &p) {
  return "party '" + p.name + "'";
}
std::string partyLabel(const PartyEndpoint &p, int i) {
  return partyWho(p) + " (" + std::to_string(i) + ")";
}
std::string clientWho(const std::string &name) {
  return "client '" + name + "'";
}

bool printableName(const std::string &s) {
  if (s.empty() || s.size() > kMaxNameBytes)
    return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c > 0x20 && c < 0x7f; });
}

void checkName(const std::string &what, const std::string &name) {
  if (!printableName(name))
    throw NetError(what + " name '" + name +
                   "' must be 1..255 printable characters without spaces");
}

void validateCommon(const std::array<PartyEndpoint, 3> &parties,
                    const SessionParams &session, const NetLimits &limits) {
  for (int i = 0; i < 3; ++i) {
    checkName("party", parties[i].name);
    if (parties[i].port == 0)
      throw NetError("party '" + parties[i].name + "' has no port");
    for (int j = 0; j < i; ++j)
      if (parties[i].name == parties[j].name)
        throw NetError("parties " + std::to_string(j) + " and " +
                       std::to_string(i) + " have the same name '" +
                       parties[i].name + "'");
  }
  if (session.description.size() > kMaxDescriptionBytes)
    throw NetError("the session description is longer than " +
                   std::to_string(kMaxDescriptionBytes) + " bytes");
  if (limits.maxFrameBytes < kMinFrameBytes)
    throw NetError("the max frame size must be at least 1 KiB");
  if (limits.maxMessageBytes == 0)
    throw NetError("the max message size must be positive");
  if (limits.connectTimeout.count() <= 0 || limits.recvTimeout.count() <= 0 ||
      limits.closeTimeout.count() < 0)
    throw NetError("timeouts must be positive");
}

Hello makeHello(HelloRole role, std::uint8_t index, const std::string &name,
                const SessionParams &s, const NetLimits &l) {
  Hello h;
  h.role = role;
  h.index = index;
  h.session = s.id;
  h.digest = s.digest;
  h.maxFrameBytes = l.maxFrameBytes;
  h.maxMessageBytes = l.maxMessageBytes;
  h.name = name;
  h.description = s.description;
  return h;
}

/// An authenticated connection whose hellos were exchanged and checked.
struct Established {
  SslPtr ssl;
  Fd fd;
  std::shared_ptr<WireCounters> wc;
  Hello theirs;
};

bool certNames(SSL *ssl, const std::string &name) {
  std::vector<std::string> names = peerCertNames(ssl);
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string describeCertNames(SSL *ssl) {
  std::vector<std::string> names = peerCertNames(ssl);
  if (names.empty())
    return "a certificate without CN or DNS name";
  std::string s = "a certificate for '" + names[0] + "'";
  return s;
}

/// Sends our hello and reads theirs (both before any check, so that both
/// ends see a mismatch).
Hello exchangeHellos(Established &e, const Hello &ours, const std::string &who,
                     Clock::time_point deadline,
                     const std::atomic<bool> *cancel) {
  std::vector<std::uint8_t> bytes = encodeHello(ours);
  try {
    writeAll(e.ssl.get(), e.fd.get(), bytes, deadline, cancel, *e.wc);
    std::array<std::uint8_t, kHelloFixedBytes> fixed{};
    readExact(e.ssl.get(), e.fd.get(), fixed, deadline, cancel, *e.wc);
    Hello h;
    std::size_t nameLen = 0, descLen = 0;
    std::string err = decodeHelloFixed(fixed, h, nameLen, descLen);
    if (!err.empty())
      throw NetError(err);
    std::vector<std::uint8_t> var(nameLen + descLen);
    readExact(e.ssl.get(), e.fd.get(), var, deadline, cancel, *e.wc);
    h.name.assign(var.begin(), var.begin() + static_cast<long>(nameLen));
    h.description.assign(var.begin() + static_cast<long>(nameLen), var.end());
    for (std::string *t : {&h.name, &h.description})
      for (char &c : *t)
        if (c < 0x20 || c > 0x7e)
          c = '?';
    return h;
  } catch (const NetError &ex) {
    throw NetError("setup with " + who + " failed: " + ex.what());
  }
}

/// Checks the peer's hello against what we expect of it.
void checkHello(const Hello &theirs, const std::string &who, HelloRole role,
                int index, const std::string &name, const SessionParams &ours) {
  if (theirs.role != role || theirs.name != name ||
      (role == HelloRole::Party && theirs.index != index))
    throw NetError(who + " introduced itself as " +
                   (theirs.role == HelloRole::Party
                        ? "party '" + theirs.name + "' (" +
                              std::to_string(theirs.index) + ")"
                        : "client '" + theirs.name + "'"));
  if (theirs.session != ours.id)
    throw NetError("session id mismatch with " + who + ": theirs " +
                   toHex(theirs.session) + ", ours " + toHex(ours.id));
  if (theirs.digest != ours.digest)
    throw NetError(
        who + " runs a different program or parameters: theirs " +
        (theirs.description.empty() ? "" : theirs.description + " ") +
        "(digest " + toHex(theirs.digest) + "), ours " +
        (ours.description.empty() ? "" : ours.description + " ") + "(digest " +
        toHex(ours.digest) + ")");
}

/// Connects to a compute party, authenticates it and exchanges hellos.
Established connectToParty(SSL_CTX *ctx, const PartyEndpoint &ep, int index,
                           const Hello &ours, const SessionParams &session,
                           Clock::time_point deadline,
                           const std::atomic<bool> *cancel,
                           const std::function<bool()> &stillOk = {}) {
  const std::string label = partyLabel(ep, index);
  const std::string where = ep.host + ":" + std::to_string(ep.port);
  Established e;
  try {
    e.fd = connectWithRetry(ep.host, ep.port, deadline, cancel, stillOk);
  } catch (const NetError &ex) {
    throw NetError("cannot reach " + label + ": " + ex.what());
  }
  e.wc = std::make_shared<WireCounters>();
  e.ssl = makeSsl(ctx, e.fd.get(), false, e.wc);
  try {
    handshake(e.ssl.get(), e.fd.get(), false, deadline, cancel, *e.wc);
  } catch (const NetError &ex) {
    throw NetError("TLS handshake with " + label + " at " + where +
                   " failed: " + ex.what());
  }
  if (!certNames(e.ssl.get(), ep.name))
    throw NetError(label + " at " + where + " presented " +
                   describeCertNames(e.ssl.get()) + ", expected '" + ep.name +
                   "'");
  e.theirs = exchangeHellos(e, ours, label, deadline, cancel);
  checkHello(e.theirs, partyWho(ep), HelloRole::Party, index, ep.name, session);
  return e;
}

/// During setup: whether the peer of an established connection has closed
/// it (data that arrived early stays buffered for the I/O thread).
bool peerGone(Established &e) {
  std::uint8_t b;
  ERR_clear_error();
  int n = SSL_peek(e.ssl.get(), &b, 1);
  if (n > 0)
    return false;
  int err = SSL_get_error(e.ssl.get(), n);
  ERR_clear_error();
  return err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE;
}

ConnectionParams connParams(std::string who, std::string label,
                            const SessionParams &s, const NetLimits &l,
                            const Hello &theirs) {
  ConnectionParams p;
  p.who = std::move(who);
  p.label = std::move(label);
  p.session = s.id;
  p.recvMaxFrame = l.maxFrameBytes;
  p.recvMaxMessage = l.maxMessageBytes;
  p.sendMaxFrame = std::min(l.maxFrameBytes, theirs.maxFrameBytes);
  p.sendMaxMessage = std::min(l.maxMessageBytes, theirs.maxMessageBytes);
  return p;
}

std::chrono::milliseconds lingerFor(bool failed, const NetLimits &l) {
  if (failed) // just flush the ABORT
    return std::min<std::chrono::milliseconds>(l.closeTimeout,
                                               std::chrono::seconds(1));
  return l.closeTimeout;
}

} // namespace

// ---- Link ------------------------------------------------------------------

class Link::Impl {
public:
  Impl(std::string peerName, Established e, ConnectionParams p,
       const NetLimits &limits)
      : peerName_(std::move(peerName)), limits_(limits) {
    conn_ =
        std::make_unique<Connection>(domain_, std::move(e.ssl), std::move(e.fd),
                                     std::move(e.wc), std::move(p));
    domain_.add(conn_.get());
    conn_->start();
  }
  ~Impl() { close(); }

  void close() {
    if (closed_)
      return;
    closed_ = true;
    bool healthy = domain_.fail(
        "the link to " + conn_->params().label + " was closed", false);
    conn_->closeAsync(lingerFor(!healthy, limits_));
    conn_->join();
  }

  std::string peerName_;
  NetLimits limits_;
  Domain domain_;
  std::unique_ptr<Connection> conn_;
  bool closed_ = false;
};

Link::Link(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Link::~Link() = default;

const std::string &Link::peerName() const { return impl_->peerName_; }

void Link::send(std::span<const std::uint8_t> bytes) {
  impl_->conn_->send(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

void Link::send(std::vector<std::uint8_t> &&bytes) {
  impl_->conn_->send(std::move(bytes));
}

std::vector<std::uint8_t> Link::recv() {
  return impl_->conn_->recv(impl_->limits_.recvTimeout);
}

void Link::abort(const std::string &reason) {
  impl_->domain_.fail("this process aborted: " + reason, false);
  impl_->conn_->abortAsync(reason);
  impl_->close();
}

void Link::close() { impl_->close(); }

WireStats Link::wireStats() const {
  return {impl_->conn_->counters().sent.load(),
          impl_->conn_->counters().received.load()};
}

// ---- TlsNetwork ------------------------------------------------------------

class TlsNetwork::Impl {
public:
  explicit Impl(TlsNetworkConfig cfg) : cfg_(std::move(cfg)) {}
  ~Impl() { close(); }

  void setup();
  void close();
  void abort(const std::string &reason);
  std::unique_ptr<Link> waitClient(const std::string &name,
                                   std::chrono::milliseconds timeout);

  class Chan;

  TlsNetworkConfig cfg_;
  SslCtxPtr ctx_;
  Fd listenFd_;
  Fd stopFd_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> setupCancel_{false};
  std::thread acceptThread_;

  // Guarded by acceptMu_.
  std::mutex acceptMu_;
  std::condition_variable acceptCv_;
  std::list<std::thread> workers_;
  bool setupDone_ = false;
  std::optional<std::string> setupError_;
  std::array<std::optional<Established>, 3> inbound_;
  std::map<std::string, std::deque<Established>> clientReady_;
  std::map<std::string, std::string> clientErrors_;
  std::string lastInboundError_;

  Domain domain_;
  std::array<std::unique_ptr<Connection>, 3> conns_;
  std::unique_ptr<Chan> channel_;
  bool closed_ = false;

private:
  void acceptLoop();
  void handleInbound(Fd fd);
  void stopAccepting();
};

class TlsNetwork::Impl::Chan final : public rep3::Channel {
public:
  Chan(int self, Impl &net) : Channel(self), net_(net) {}

protected:
  void doSend(int peer, std::vector<std::uint8_t> bytes) override {
    net_.conns_[peer]->send(std::move(bytes));
  }
  std::vector<std::uint8_t> doRecv(int peer) override {
    return net_.conns_[peer]->recv(net_.cfg_.limits.recvTimeout);
  }

private:
  Impl &net_;
};

void TlsNetwork::Impl::setup() {
  const int self = cfg_.self;
  if (self < 0 || self > 2)
    throw NetError("party index " + std::to_string(self) +
                   " out of range 0..2");
  validateCommon(cfg_.parties, cfg_.session, cfg_.limits);
  for (const ClientSpec &c : cfg_.clients) {
    checkName("client", c.name);
    checkName("client certificate", c.certName);
    for (const PartyEndpoint &p : cfg_.parties)
      if (p.name == c.name)
        throw NetError("client '" + c.name + "' has the name of a party");
  }
  const PartyEndpoint &me = cfg_.parties[self];
  ctx_ = makeContext(cfg_.tls);
  listenFd_ =
      listenOn(cfg_.listenHost.empty() ? me.host : cfg_.listenHost, me.port);
  stopFd_ = Fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!stopFd_)
    throw NetError(std::string("cannot create an eventfd: ") +
                   std::strerror(errno));
  acceptThread_ = std::thread([this] { acceptLoop(); });

  const auto deadline = Clock::now() + cfg_.limits.connectTimeout;
  const Hello ours =
      makeHello(HelloRole::Party, static_cast<std::uint8_t>(self), me.name,
                cfg_.session, cfg_.limits);
  std::array<std::optional<Established>, 3> est;
  // A peer that failed its own setup closes our connections to it: notice
  // that while retrying to reach another peer, instead of timing out.
  std::string gone;
  auto stillOk = [&] {
    std::lock_guard<std::mutex> lock(acceptMu_);
    for (int k = 0; k < 3; ++k) {
      Established *e =
          est[k] ? &*est[k] : (inbound_[k] ? &*inbound_[k] : nullptr);
      if (k != self && e && peerGone(*e)) {
        gone = partyLabel(cfg_.parties[k], k) +
               " closed the connection during setup";
        return false;
      }
    }
    return true;
  };
  for (int i = 0; i < self; ++i) {
    try {
      est[i] = connectToParty(ctx_.get(), cfg_.parties[i], i, ours,
                              cfg_.session, deadline, &setupCancel_, stillOk);
    } catch (const NetError &) {
      // An inbound failure that cancelled the connect explains it better.
      std::lock_guard<std::mutex> lock(acceptMu_);
      if (setupError_)
        throw NetError(*setupError_);
      if (!gone.empty())
        throw NetError(gone);
      throw;
    }
  }
  {
    std::unique_lock<std::mutex> lock(acceptMu_);
    auto ready = [&] {
      if (setupError_)
        return true;
      for (int j = self + 1; j < 3; ++j)
        if (!inbound_[j])
          return false;
      return true;
    };
    // Wait, and every 50 ms check that the peers already connected are
    // still there: a peer that failed its own setup closes them, and the
    // others should not wait for the timeout.
    while (!ready() && Clock::now() < deadline) {
      acceptCv_.wait_until(
          lock,
          std::min(deadline, Clock::now() + std::chrono::milliseconds(50)),
          ready);
      if (ready())
        break;
      for (int i = 0; i < 3; ++i) {
        Established *e =
            i < self ? &*est[i]
                     : (i > self && inbound_[i] ? &*inbound_[i] : nullptr);
        if (e && peerGone(*e))
          throw NetError(partyLabel(cfg_.parties[i], i) +
                         " closed the connection during setup");
      }
    }
    if (setupError_)
      throw NetError(*setupError_);
    for (int j = self + 1; j < 3; ++j) {
      if (!inbound_[j])
        throw NetError(
            partyLabel(cfg_.parties[j], j) + " did not connect within " +
            formatDuration(cfg_.limits.connectTimeout) +
            (lastInboundError_.empty()
                 ? ""
                 : "; last rejected connection: " + lastInboundError_));
      est[j] = std::move(inbound_[j]);
    }
    setupDone_ = true;
  }
  for (int i = 0; i < 3; ++i) {
    if (i == self)
      continue;
    Established &e = *est[i];
    ConnectionParams p =
        connParams(partyWho(cfg_.parties[i]), partyLabel(cfg_.parties[i], i),
                   cfg_.session, cfg_.limits, e.theirs);
    conns_[i] =
        std::make_unique<Connection>(domain_, std::move(e.ssl), std::move(e.fd),
                                     std::move(e.wc), std::move(p));
    domain_.add(conns_[i].get());
  }
  for (auto &c : conns_)
    if (c)
      c->start();
  channel_ = std::make_unique<Chan>(self, *this);
}

void TlsNetwork::Impl::acceptLoop() {
  while (!stop_) {
    pollfd fds[2] = {{listenFd_.get(), POLLIN, 0}, {stopFd_.get(), POLLIN, 0}};
    int rc = ::poll(fds, 2, -1);
    if (rc < 0 && errno != EINTR)
      return;
    if (stop_)
      return;
    for (;;) {
      int c = ::accept4(listenFd_.get(), nullptr, nullptr,
                        SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (c < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
            errno != ECONNABORTED) // e.g. out of descriptors: back off
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        break;
      }
      int one = 1;
      ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::lock_guard<std::mutex> lock(acceptMu_);
      workers_.emplace_back([this, fd = std::make_shared<Fd>(c)]() mutable {
        handleInbound(std::move(*fd));
      });
    }
  }
}

void TlsNetwork::Impl::handleInbound(Fd fd) {
  const int self = cfg_.self;
  const std::string addr = peerAddress(fd.get());
  const auto deadline = Clock::now() + cfg_.limits.connectTimeout;
  Established e;
  e.wc = std::make_shared<WireCounters>();
  int party = -1;         // the compute party it is, once known
  std::string clientName; // or the client
  std::string who = "an incoming connection from " + addr;
  try {
    e.ssl = makeSsl(ctx_.get(), fd.get(), true, e.wc);
    e.fd = std::move(fd);
    try {
      handshake(e.ssl.get(), e.fd.get(), true, deadline, &stop_, *e.wc);
    } catch (const NetError &ex) {
      throw NetError("TLS handshake with " + who + " failed: " + ex.what());
    }
    std::vector<std::string> names = peerCertNames(e.ssl.get());
    auto has = [&](const std::string &n) {
      return std::find(names.begin(), names.end(), n) != names.end();
    };
    for (int j = self + 1; j < 3 && party < 0; ++j)
      if (has(cfg_.parties[j].name))
        party = j;
    bool maybeClient = false;
    for (const ClientSpec &c : cfg_.clients)
      maybeClient = maybeClient || has(c.certName);
    if (party < 0 && !maybeClient)
      throw NetError(who + " presented " + describeCertNames(e.ssl.get()) +
                     ", which names no party or client expected to connect "
                     "to party '" +
                     cfg_.parties[self].name + "'");
    if (party >= 0)
      who = partyLabel(cfg_.parties[party], party);
    const Hello ours =
        makeHello(HelloRole::Party, static_cast<std::uint8_t>(self),
                  cfg_.parties[self].name, cfg_.session, cfg_.limits);
    e.theirs = exchangeHellos(e, ours, who, deadline, &stop_);
    if (party >= 0) {
      checkHello(e.theirs, partyWho(cfg_.parties[party]), HelloRole::Party,
                 party, cfg_.parties[party].name, cfg_.session);
    } else {
      const ClientSpec *spec = nullptr;
      for (const ClientSpec &c : cfg_.clients)
        if (c.name == e.theirs.name)
          spec = &c;
      if (!spec || !has(spec->certName))
        throw NetError(who + " with " + describeCertNames(e.ssl.get()) +
                       " introduced itself as '" + e.theirs.name +
                       "', which is not a client with that certificate");
      clientName = spec->name;
      who = clientWho(clientName);
      checkHello(e.theirs, who, HelloRole::Client, 0, clientName, cfg_.session);
    }
    bool twice = false;
    {
      std::lock_guard<std::mutex> lock(acceptMu_);
      if (party < 0)
        clientReady_[clientName].push_back(std::move(e));
      else if (inbound_[party] || setupDone_)
        twice = true;
      else
        inbound_[party] = std::move(e);
    }
    if (twice)
      throw NetError(who + " connected twice");
  } catch (const NetError &ex) {
    std::lock_guard<std::mutex> lock(acceptMu_);
    if (!clientName.empty())
      clientErrors_[clientName] = ex.what();
    else if (!setupDone_ && !stop_) {
      if (!setupError_)
        setupError_ = ex.what();
      setupCancel_ = true;
    } else
      lastInboundError_ = ex.what();
  } catch (const std::exception &ex) {
    std::lock_guard<std::mutex> lock(acceptMu_);
    lastInboundError_ = ex.what();
  }
  acceptCv_.notify_all();
}

void TlsNetwork::Impl::stopAccepting() {
  stop_ = true;
  setupCancel_ = true;
  if (stopFd_) {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(stopFd_.get(), &one, sizeof one);
  }
  if (acceptThread_.joinable())
    acceptThread_.join();
  std::list<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(acceptMu_);
    workers.swap(workers_);
  }
  for (std::thread &t : workers)
    t.join();
  acceptCv_.notify_all();
}

void TlsNetwork::Impl::close() {
  if (closed_)
    return;
  closed_ = true;
  stopAccepting();
  const bool healthy = domain_.fail("the network was closed", false);
  const auto linger = lingerFor(!healthy, cfg_.limits);
  for (auto &c : conns_)
    if (c)
      c->closeAsync(linger);
  for (auto &c : conns_)
    if (c)
      c->join();
  std::lock_guard<std::mutex> lock(acceptMu_);
  clientReady_.clear();
  for (auto &e : inbound_)
    e.reset();
}

void TlsNetwork::Impl::abort(const std::string &reason) {
  domain_.fail("this party aborted: " + reason, false);
  for (auto &c : conns_)
    if (c)
      c->abortAsync(reason);
  close();
}

std::unique_ptr<Link>
TlsNetwork::Impl::waitClient(const std::string &name,
                             std::chrono::milliseconds timeout) {
  if (std::none_of(cfg_.clients.begin(), cfg_.clients.end(),
                   [&](const ClientSpec &c) { return c.name == name; }))
    throw NetError("'" + name + "' is not a configured client of party '" +
                   cfg_.parties[cfg_.self].name + "'");
  std::unique_lock<std::mutex> lock(acceptMu_);
  auto ready = [&] {
    return stop_ || clientErrors_.count(name) || !clientReady_[name].empty();
  };
  acceptCv_.wait_for(lock, timeout, ready);
  if (auto it = clientErrors_.find(name); it != clientErrors_.end()) {
    std::string msg = it->second;
    clientErrors_.erase(it);
    throw NetError(msg);
  }
  if (stop_)
    throw NetError("the network was closed");
  auto &q = clientReady_[name];
  if (q.empty())
    throw NetError(clientWho(name) + " did not connect within " +
                   formatDuration(timeout) +
                   (lastInboundError_.empty()
                        ? ""
                        : "; last rejected connection: " + lastInboundError_));
  Established e = std::move(q.front());
  q.pop_front();
  lock.unlock();
  ConnectionParams p = connParams(clientWho(name), clientWho(name),
                                  cfg_.session, cfg_.limits, e.theirs);
  return std::make_unique<Link>(std::make_unique<Link::Impl>(
      name, std::move(e), std::move(p), cfg_.limits));
}

TlsNetwork::TlsNetwork(TlsNetworkConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {
  impl_->setup(); // on a throw, ~Impl stops the threads
}

TlsNetwork::~TlsNetwork() = default;

int TlsNetwork::self() const { return impl_->cfg_.self; }

rep3::Channel &TlsNetwork::channel() { return *impl_->channel_; }

std::unique_ptr<Link>
TlsNetwork::waitClient(const std::string &name,
                       std::chrono::milliseconds timeout) {
  return impl_->waitClient(name, timeout);
}

void TlsNetwork::abort(const std::string &reason) { impl_->abort(reason); }

void TlsNetwork::close() { impl_->close(); }

WireStats TlsNetwork::wireStats() const {
  WireStats s;
  for (const auto &c : impl_->conns_)
    if (c) {
      s.bytesSent += c->counters().sent;
      s.bytesReceived += c->counters().received;
    }
  return s;
}

void TlsNetwork::sendRawForTesting(int peer, std::vector<std::uint8_t> bytes) {
  if (peer < 0 || peer > 2 || !impl_->conns_[peer])
    throw NetError("no connection to party " + std::to_string(peer));
  impl_->conns_[peer]->sendRaw(std::move(bytes));
}

void TlsNetwork::dropConnectionsForTesting() {
  for (auto &c : impl_->conns_)
    if (c)
      c->drop();
}

// ---- Clients ---------------------------------------------------------------

std::array<std::unique_ptr<Link>, 3> connectAsClient(const ClientConfig &cfg) {
  validateCommon(cfg.parties, cfg.session, cfg.limits);
  checkName("client", cfg.name);
  SslCtxPtr ctx = makeContext(cfg.tls);
  const auto deadline = Clock::now() + cfg.limits.connectTimeout;
  const Hello ours =
      makeHello(HelloRole::Client, 255, cfg.name, cfg.session, cfg.limits);
  std::array<std::unique_ptr<Link>, 3> links;
  for (int i = 0; i < 3; ++i) {
    Established e = connectToParty(ctx.get(), cfg.parties[i], i, ours,
                                   cfg.session, deadline, nullptr);
    ConnectionParams p =
        connParams(partyWho(cfg.parties[i]), partyLabel(cfg.parties[i], i),
                   cfg.session, cfg.limits, e.theirs);
    links[i] = std::make_unique<Link>(std::make_unique<Link::Impl>(
        cfg.parties[i].name, std::move(e), std::move(p), cfg.limits));
  }
  return links;
}

} // namespace sstat::runtime::net
