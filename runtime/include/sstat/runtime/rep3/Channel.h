//===- rep3/Channel.h - Point-to-point transport for rep3 -------*- C++ -*-===//
//
// The transport of the three-party replicated-secret-sharing protocol rep3
// (Araki, Furukawa, Lindell, Nof, Ohara, "High-Throughput Semi-Honest Secure
// Three-Party Computation with an Honest Majority", CCS 2016; Mohassel and
// Rindal, "ABY3: A Mixed Protocol Framework for Machine Learning", CCS 2018).
//
// Channel is an interface with two transport methods (doSend / doRecv) and
// non-virtual helpers that count bytes, messages and rounds, and that check
// every received message's length against what the protocol expects: a
// mismatch throws ChannelError (it is an input from another machine, never
// an assertion). MemoryNetwork connects three parties inside one process
// with thread-safe queues, so the protocol math is tested without sockets;
// a TLS implementation for real runs is a separate layer.
//
// Round counting: a round is a receive phase. The counter goes up on the
// first receive that follows a send (or the first receive at all), so
// "send, send, recv, recv" is one round and "send, recv, send, recv" two.
// A party that only sends (an input owner) counts no round.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_REP3_CHANNEL_H
#define SSTAT_RUNTIME_REP3_CHANNEL_H

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace sstat::runtime::rep3 {

/// Number of parties in rep3.
inline constexpr int kParties = 3;

/// A transport failure or a message that does not have the expected length.
class ChannelError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Traffic counters of one party's channel.
struct ChannelStats {
  std::uint64_t bytesSent = 0;
  std::uint64_t bytesReceived = 0;
  std::uint64_t messagesSent = 0;
  std::uint64_t messagesReceived = 0;
  std::uint64_t rounds = 0;
};

/// One party's connection to the two others (peers are numbered 0..2).
class Channel {
public:
  explicit Channel(int self);
  virtual ~Channel();
  Channel(const Channel &) = delete;
  Channel &operator=(const Channel &) = delete;

  int self() const { return self_; }
  int next() const { return (self_ + 1) % kParties; }
  int prev() const { return (self_ + kParties - 1) % kParties; }

  /// Sends one message to `peer` (counted).
  void send(int peer, std::span<const std::uint8_t> bytes);
  /// Receives one message from `peer`; throws ChannelError unless it is
  /// exactly `expectedBytes` long.
  std::vector<std::uint8_t> recv(int peer, std::size_t expectedBytes);
  /// Receives exactly out.size() bytes from `peer` into `out`.
  void recvInto(int peer, std::span<std::uint8_t> out);

  /// Typed helpers over trivially copyable element types (ring elements).
  template <class T> void sendVec(int peer, const std::vector<T> &v) {
    send(peer, std::span<const std::uint8_t>(
                   reinterpret_cast<const std::uint8_t *>(v.data()),
                   v.size() * sizeof(T)));
  }
  template <class T> std::vector<T> recvVec(int peer, std::size_t n) {
    std::vector<T> v(n);
    recvInto(peer, std::span<std::uint8_t>(
                       reinterpret_cast<std::uint8_t *>(v.data()),
                       n * sizeof(T)));
    return v;
  }

  const ChannelStats &stats() const { return stats_; }
  void resetStats() {
    stats_ = ChannelStats{};
    inRecvPhase_ = false;
  }

protected:
  virtual void doSend(int peer, std::vector<std::uint8_t> bytes) = 0;
  virtual std::vector<std::uint8_t> doRecv(int peer) = 0;

private:
  void checkPeer(int peer) const;

  int self_;
  ChannelStats stats_;
  bool inRecvPhase_ = false;
};

/// Three in-process channels joined by thread-safe FIFO queues, one queue
/// per ordered pair of parties. Each party's channel must be used by one
/// thread at a time; different parties run in different threads.
class MemoryNetwork {
public:
  /// `timeout` bounds every receive, so that a protocol bug shows up as a
  /// ChannelError instead of a hung test.
  explicit MemoryNetwork(
      std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~MemoryNetwork();
  MemoryNetwork(const MemoryNetwork &) = delete;
  MemoryNetwork &operator=(const MemoryNetwork &) = delete;

  Channel &channel(int party);

private:
  struct Queue {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::vector<std::uint8_t>> messages;
  };
  class MemoryChannel;

  Queue &queue(int from, int to) { return queues_[from * kParties + to]; }

  std::chrono::milliseconds timeout_;
  Queue queues_[kParties * kParties];
  std::unique_ptr<MemoryChannel> channels_[kParties];
};

} // namespace sstat::runtime::rep3

#endif // SSTAT_RUNTIME_REP3_CHANNEL_H
