//===- net/Tls.h - TLS 1.3 transport between sstat parties -------*- C++
//-*-===//
//
// sstat_net connects the three compute parties of rep3 (and the clients that
// give them inputs or receive results) over TLS 1.3 on TCP.
//
// What the transport provides:
//   - confidentiality and integrity of every byte (TLS 1.3 only, OpenSSL 3
//     defaults: AEAD ciphers, ephemeral (EC)DHE key exchange);
//   - mutual authentication: both ends present a certificate chain that
//     must verify against the configured CA(s), and the certificate must
//     name the expected party (CN or a DNS subjectAltName equal to the
//     configured name, compared exactly);
//   - an application hello in each direction before any data: the session
//     id and a 32-byte digest of program + parameters must be identical,
//     otherwise both ends fail with a message that shows both descriptions;
//   - message framing with checked lengths (net/Frame.h), full-duplex I/O
//     (one I/O thread per connection; sends never block on the peer), a
//     receive timeout counted from the peer's last byte, ABORT with a
//     reason, and orderly close.
//
// Security assumptions: the parties are semi-honest (they follow the
// protocol; a malformed frame is a bug or an attack and fails the run, it is
// not tolerated); the CA's key and each party's private key are kept
// secret; the network is controlled by the adversary (TLS handles that).
// The transport does not hide message sizes or timing, and availability is
// not protected: any failure ends the run on all parties (fail-stop).
// Nothing here logs; error messages contain party names, sizes, addresses
// and hashes, never payload bytes.
//
// Topology: every compute party listens on its port; for each pair i < j,
// party j connects to party i. Clients connect to all three parties, which
// accept them on the same port (TlsNetwork::waitClient).
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_NET_TLS_H
#define SSTAT_RUNTIME_NET_TLS_H

#include "sstat/runtime/net/Frame.h"
#include "sstat/runtime/rep3/Channel.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sstat::runtime::net {

/// Any transport failure: setup (TLS, certificates, hello) and run time
/// (closed connection, malformed frame, timeout, abort). Derives from
/// rep3::ChannelError so protocol code catches one type.
class NetError : public rep3::ChannelError {
public:
  using rep3::ChannelError::ChannelError;
};

/// Where a compute party listens, and the name its certificate must carry.
struct PartyEndpoint {
  std::string name;
  std::string host;
  std::uint16_t port = 0;
};

/// PEM files of this process's identity and of the CA(s) it trusts.
struct TlsFiles {
  std::string certChainFile; ///< leaf certificate first, then intermediates
  std::string privateKeyFile;
  std::string trustedCaFile; ///< one or more CA certificates
};

/// What every process of one run must agree on before data moves.
struct SessionParams {
  SessionId id{};  ///< chosen by the caller, equal at all processes
  Digest digest{}; ///< e.g. SHA-256 of program hash and parameters
  /// Shown in mismatch errors, e.g. "program 3fa2.., rep3, Z_2^128, 40
  /// fractional bits" (at most 1024 bytes).
  std::string description;
};

/// Timeouts and size limits.
struct NetLimits {
  /// Setup: retry connecting to peers not listening yet, and wait for
  /// peers to connect, for this long.
  std::chrono::milliseconds connectTimeout = std::chrono::seconds(30);
  /// A receive fails when the peer has sent no byte for this long.
  std::chrono::milliseconds recvTimeout = std::chrono::seconds(60);
  /// close() sends what is queued, then waits this long for the peers to
  /// close their side; the wait restarts whenever queued data moves, so a
  /// large last message still drains on a slow link.
  std::chrono::milliseconds closeTimeout = std::chrono::seconds(10);
  std::uint32_t maxFrameBytes = 16u << 20;
  std::uint64_t maxMessageBytes = std::uint64_t(4) << 30;
};

/// A client (input owner, result recipient) a compute party accepts.
struct ClientSpec {
  std::string name;     ///< the name it announces and is asked for
  std::string certName; ///< CN / DNS SAN its certificate must carry
};

struct TlsNetworkConfig {
  std::array<PartyEndpoint, 3> parties;
  int self = -1;
  /// Address to bind; empty: parties[self].host.
  std::string listenHost;
  TlsFiles tls;
  SessionParams session;
  std::vector<ClientSpec> clients;
  NetLimits limits;
};

/// Raw TLS bytes on the wire (records, including the handshake).
struct WireStats {
  std::uint64_t bytesSent = 0;
  std::uint64_t bytesReceived = 0;
};

/// A framed, authenticated message link to one peer: a client's link to a
/// compute party, or a compute party's link to a client. Thread-safety: one
/// thread sends and receives; close()/abort() may come from any thread.
class Link {
public:
  class Impl;
  explicit Link(std::unique_ptr<Impl> impl);
  ~Link();
  Link(const Link &) = delete;
  Link &operator=(const Link &) = delete;

  /// Name of the peer (party or client name).
  const std::string &peerName() const;
  /// Queues one message; throws NetError once the link has failed.
  void send(std::span<const std::uint8_t> bytes);
  void send(std::vector<std::uint8_t> &&bytes);
  /// The next message; throws NetError on failure or timeout.
  std::vector<std::uint8_t> recv();
  /// Best-effort ABORT with `reason` to the peer, then close.
  void abort(const std::string &reason);
  /// Flushes queued messages, says goodbye and closes; idempotent.
  void close();
  WireStats wireStats() const;

private:
  std::unique_ptr<Impl> impl_;
};

/// One compute party's connections to the two others. The constructor
/// listens, connects, authenticates and checks the hellos; it returns when
/// both peers are connected, or throws NetError.
class TlsNetwork {
public:
  explicit TlsNetwork(TlsNetworkConfig config);
  ~TlsNetwork();
  TlsNetwork(const TlsNetwork &) = delete;
  TlsNetwork &operator=(const TlsNetwork &) = delete;

  int self() const;
  /// The rep3 channel over the two connections (peers 0..2). Sends queue and
  /// return; receives wait (recvTimeout from the peer's last byte) and throw
  /// rep3::ChannelError (a NetError) once any connection has failed.
  rep3::Channel &channel();

  /// Waits up to `timeout` for the client `name` (from config.clients) to
  /// connect and pass the checks; throws NetError otherwise.
  std::unique_ptr<Link> waitClient(const std::string &name,
                                   std::chrono::milliseconds timeout);

  /// Best-effort ABORT with `reason` to both peers, then close. Later
  /// receives here throw "this party aborted: <reason>". The reason is sent
  /// to the peers: never put secret data in it.
  void abort(const std::string &reason);
  /// Flushes, says goodbye, waits (closeTimeout) for the peers' goodbye,
  /// joins the threads. Idempotent; the destructor calls it.
  void close();

  WireStats wireStats() const;

  /// Test only: writes `bytes` unframed into the TLS stream to `peer`.
  void sendRawForTesting(int peer, std::vector<std::uint8_t> bytes);
  /// Test only: shuts the TCP connections down without any goodbye, as a
  /// crashing process would.
  void dropConnectionsForTesting();

  class Impl;

private:
  std::unique_ptr<Impl> impl_;
};

struct ClientConfig {
  std::array<PartyEndpoint, 3> parties;
  std::string name; ///< announced in the hello; parties map it to certName
  TlsFiles tls;
  SessionParams session;
  NetLimits limits;
};

/// Connects a client to the three compute parties (retrying until
/// connectTimeout) and returns one Link per party, index = party index.
std::array<std::unique_ptr<Link>, 3> connectAsClient(const ClientConfig &cfg);

} // namespace sstat::runtime::net

#endif // SSTAT_RUNTIME_NET_TLS_H
