//===- rep3/Channel.cpp - Point-to-point transport for rep3 ---------------===//
//
// Counters, length checks and the in-memory three-party network of rep3
// (Araki et al., CCS 2016; Mohassel and Rindal, ABY3, CCS 2018).
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/rep3/Channel.h"

#include <cstring>

namespace sstat::runtime::rep3 {

Channel::Channel(int self) : self_(self) {
  if (self < 0 || self >= kParties)
    throw ChannelError("rep3: party id " + std::to_string(self) +
                       " out of range 0..2");
}

Channel::~Channel() = default;

void Channel::checkPeer(int peer) const {
  if (peer < 0 || peer >= kParties || peer == self_)
    throw ChannelError("rep3: party " + std::to_string(self_) +
                       " has no channel to party " + std::to_string(peer));
}

void Channel::send(int peer, std::span<const std::uint8_t> bytes) {
  checkPeer(peer);
  inRecvPhase_ = false;
  stats_.bytesSent += bytes.size();
  stats_.messagesSent += 1;
  doSend(peer, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

std::vector<std::uint8_t> Channel::recv(int peer, std::size_t expectedBytes) {
  checkPeer(peer);
  if (!inRecvPhase_) {
    inRecvPhase_ = true;
    stats_.rounds += 1;
  }
  std::vector<std::uint8_t> msg = doRecv(peer);
  stats_.bytesReceived += msg.size();
  stats_.messagesReceived += 1;
  if (msg.size() != expectedBytes)
    throw ChannelError("rep3: party " + std::to_string(self_) +
                       " expected a message of " +
                       std::to_string(expectedBytes) + " bytes from party " +
                       std::to_string(peer) + " but got " +
                       std::to_string(msg.size()));
  return msg;
}

void Channel::recvInto(int peer, std::span<std::uint8_t> out) {
  std::vector<std::uint8_t> msg = recv(peer, out.size());
  if (!msg.empty())
    std::memcpy(out.data(), msg.data(), msg.size());
}

class MemoryNetwork::MemoryChannel final : public Channel {
public:
  MemoryChannel(MemoryNetwork &net, int self) : Channel(self), net_(net) {}

protected:
  void doSend(int peer, std::vector<std::uint8_t> bytes) override {
    Queue &q = net_.queue(self(), peer);
    {
      std::lock_guard<std::mutex> lock(q.mu);
      q.messages.push_back(std::move(bytes));
    }
    q.cv.notify_all();
  }

  std::vector<std::uint8_t> doRecv(int peer) override {
    Queue &q = net_.queue(peer, self());
    std::unique_lock<std::mutex> lock(q.mu);
    if (!q.cv.wait_for(lock, net_.timeout_,
                       [&] { return !q.messages.empty(); }))
      throw ChannelError("rep3: party " + std::to_string(self()) +
                         " timed out waiting for party " +
                         std::to_string(peer));
    std::vector<std::uint8_t> msg = std::move(q.messages.front());
    q.messages.pop_front();
    return msg;
  }

private:
  MemoryNetwork &net_;
};

MemoryNetwork::MemoryNetwork(std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  for (int i = 0; i < kParties; ++i)
    channels_[i] = std::make_unique<MemoryChannel>(*this, i);
}

MemoryNetwork::~MemoryNetwork() = default;

Channel &MemoryNetwork::channel(int party) {
  if (party < 0 || party >= kParties)
    throw ChannelError("rep3: party id " + std::to_string(party) +
                       " out of range 0..2");
  return *channels_[party];
}

} // namespace sstat::runtime::rep3
