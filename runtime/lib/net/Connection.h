//===- net/Connection.h - One full-duplex framed TLS connection --*- C++
//-*-===//
//
// A Connection owns one established TLS connection (after the hello) and
// one I/O thread that drives it with poll() on the non-blocking socket:
// it reads frames straight into message buffers (FrameReader) and writes
// queued messages as frames, alternating in bounded slices, so a large send
// never waits for the peer to read (no ring deadlock) and OpenSSL sees one
// thread per SSL object. The application thread only touches the queues.
//
// Failures are shared through a Domain (the two connections of a compute
// party's channel, or the single connection of a Link): the first failure
// is kept, every later receive on any connection of the domain throws it,
// and it is forwarded to the peers as an ABORT so they stop promptly too.
// Internal to sstat_net.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_LIB_NET_CONNECTION_H
#define SSTAT_RUNTIME_LIB_NET_CONNECTION_H

#include "TlsSocket.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace sstat::runtime::net::detail {

class Connection;

/// Shared failure state of a group of connections.
class Domain {
public:
  std::mutex mu;
  std::condition_variable cv;

  /// Records `msg` if it is the first failure; if so and `forward`, sends it
  /// as ABORT to every member connection. Returns whether it was first.
  bool fail(const std::string &msg, bool forward);
  /// The first failure, if any (takes mu).
  std::optional<std::string> failure();
  /// Same, with mu held by the caller.
  const std::optional<std::string> &failureLocked() const { return failure_; }

  void add(Connection *c) { members_.push_back(c); }

private:
  std::optional<std::string> failure_;
  std::vector<Connection *> members_; // fixed before any I/O starts
};

struct ConnectionParams {
  std::string who;   ///< "party 'hosp_b'" / "client 'alice'"
  std::string label; ///< "party 'hosp_b' (1)" / "client 'alice'"
  SessionId session{};
  std::uint32_t recvMaxFrame = 0; ///< ours
  std::uint64_t recvMaxMessage = 0;
  std::uint32_t sendMaxFrame = 0; ///< min(ours, the peer's)
  std::uint64_t sendMaxMessage = 0;
};

class Connection {
public:
  Connection(Domain &domain, SslPtr ssl, Fd fd,
             std::shared_ptr<WireCounters> counters, ConnectionParams params);
  ~Connection();
  Connection(const Connection &) = delete;
  Connection &operator=(const Connection &) = delete;

  /// Starts the I/O thread.
  void start();
  /// Queues a message; throws NetError if the domain failed or the
  /// connection is closing.
  void send(std::vector<std::uint8_t> msg);
  /// Next message; throws NetError on domain failure, on the peer's close,
  /// or when the peer has been silent for `timeout`.
  std::vector<std::uint8_t> recv(std::chrono::milliseconds timeout);
  /// Drops queued data and sends ABORT(reason) next, then TLS close_notify.
  void abortAsync(const std::string &reason);
  /// Queues CLOSE and close_notify after the queued data. The I/O thread
  /// ends when the peer has closed too, or after `linger` without write
  /// progress (so a large last message still drains on a slow link).
  void closeAsync(std::chrono::milliseconds linger);
  void join();
  /// Test only: unframed bytes into the TLS stream / abrupt TCP shutdown.
  void sendRaw(std::vector<std::uint8_t> bytes);
  void drop();

  const ConnectionParams &params() const { return p_; }
  const WireCounters &counters() const { return *wc_; }

private:
  enum class Pump { Progress, Idle, WantRead, WantWrite };
  struct OutItem {
    enum Kind { Data, Raw, Close } kind = Data;
    std::vector<std::uint8_t> bytes;
  };

  void run();
  Pump pumpRead();
  Pump pumpWrite();
  bool nextFrame();
  void frameDone();
  void onEvent(FrameReader::Event &ev);
  void wake();

  Domain &domain_;
  SslPtr ssl_;
  Fd fd_;
  Fd wakeFd_;
  std::shared_ptr<WireCounters> wc_;
  ConnectionParams p_;
  std::thread thread_;

  // Receive side; inQ_ and peerClosed_ are guarded by domain_.mu.
  std::deque<std::vector<std::uint8_t>> inQ_;
  bool peerClosed_ = false; // CLOSE received
  bool ioEnded_ = false;    // the I/O thread stopped reading
  std::atomic<std::int64_t> lastActivityNs_{0};

  // Send side, guarded by outMu_.
  std::mutex outMu_;
  std::deque<OutItem> outQ_;
  bool closing_ = false;
  bool abortPending_ = false;
  std::string abortReason_;
  std::optional<std::chrono::milliseconds> closeLinger_;
  Clock::time_point closeRequested_{};

  // I/O thread only.
  FrameReader reader_;
  bool readDone_ = false;
  bool writeDone_ = false;
  bool shutdownPending_ = false;
  bool abortSent_ = false;
  Clock::time_point lastWrite_{}; // last SSL_write progress
  std::optional<OutItem> cur_;
  std::uint64_t curOff_ = 0; // payload offset of the frame being written
  std::uint32_t curLen_ = 0; // its payload length
  bool frameActive_ = false;
  std::array<std::uint8_t, kFrameHeaderBytes> hdr_{};
  std::vector<std::uint8_t> small_; // header + short payload in one record
  const std::uint8_t *seg_[2] = {nullptr, nullptr};
  std::size_t segLen_[2] = {0, 0};
  int nseg_ = 0, segi_ = 0;
  std::size_t segOff_ = 0;
  bool closeFrame_ = false; // the active frame is CLOSE or ABORT
};

} // namespace sstat::runtime::net::detail

#endif // SSTAT_RUNTIME_LIB_NET_CONNECTION_H
