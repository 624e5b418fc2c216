//===- TlsNetworkTest.cpp - The TLS transport, three parties on loopback --===//
//
// Three threads, one TlsNetwork each, on 127.0.0.1 with ports picked free at
// run time and a throw-away PKI (net/LocalPki.h) made once per suite: bulk
// ring exchange, rep3 over TLS, certificate and hello checks (foreign CA,
// wrong name, digest and session mismatch), and the failure semantics
// (peer crash or close, receive timeout, malformed frames, abort), client
// links. Every failure test asserts the message names the peer and cause.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/net/LocalPki.h"
#include "sstat/runtime/net/Tls.h"
#include "sstat/runtime/rep3/Rep3.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <future>
#include <latch>
#include <random>
#include <thread>

using namespace sstat::runtime;
using namespace sstat::runtime::net;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const std::array<std::string, 3> kNames = {"hosp_a", "hosp_b", "hosp_c"};

/// Three distinct free loopback ports (see freeLoopbackPort).
std::array<std::uint16_t, 3> freePorts() {
  std::array<std::uint16_t, 3> ports{};
  for (int i = 0; i < 3; ++i) {
    do
      ports[i] = freeLoopbackPort();
    while ((i > 0 && ports[i] == ports[0]) || (i > 1 && ports[i] == ports[1]));
  }
  return ports;
}

/// Deterministic bytes (xorshift) so large messages are checked cheaply.
std::vector<std::uint8_t> pattern(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint8_t> v(n);
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::memcpy(v.data() + i, &x, 8);
  }
  for (; i < n; ++i)
    v[i] = static_cast<std::uint8_t>(i);
  return v;
}

std::vector<std::uint8_t> bytesOf(const std::string &s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

/// Runs body(i, net) on three threads, each with a TlsNetwork built from
/// cfgs[i]; returns what each party threw ("" when it did not).
std::array<std::string, 3>
run3(const std::array<TlsNetworkConfig, 3> &cfgs,
     const std::function<void(int, TlsNetwork &)> &body) {
  std::array<std::string, 3> errors;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      try {
        TlsNetwork net(cfgs[i]);
        body(i, net);
      } catch (const std::exception &e) {
        errors[i] = e.what();
        if (errors[i].empty())
          errors[i] = "(empty error)";
      }
    });
  for (auto &t : threads)
    t.join();
  return errors;
}

class TlsNet : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(
        std::filesystem::temp_directory_path() /
        ("sstat-net-test-" + std::to_string(::getpid())));
    good_ = new LocalPki(generateLocalPki(
        (*dir_ / "good").string(),
        {kNames[0], kNames[1], kNames[2], "mallory", "alice"}));
    other_ = new LocalPki(generateLocalPki((*dir_ / "other").string(),
                                           {kNames[0], kNames[1], kNames[2]}));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete good_;
    delete other_;
    delete dir_;
  }

  void SetUp() override { ports_ = freePorts(); }

  static TlsFiles files(const LocalPki &pki, const std::string &who) {
    return {pki.identities.at(who).certFile, pki.identities.at(who).keyFile,
            good_->caFile};
  }

  TlsNetworkConfig config(int self) const {
    TlsNetworkConfig c;
    for (int i = 0; i < 3; ++i)
      c.parties[i] = {kNames[i], "127.0.0.1", ports_[i]};
    c.self = self;
    c.tls = files(*good_, kNames[self]);
    c.session.id.fill(0x5a);
    c.session.digest.fill(0x11);
    c.session.description = "program aaaa, rep3, Z_2^64";
    c.clients = {{"alice", "alice"}};
    c.limits.connectTimeout = 10s;
    c.limits.recvTimeout = 10s;
    c.limits.closeTimeout = 2s;
    return c;
  }

  std::array<TlsNetworkConfig, 3> configs() const {
    return {config(0), config(1), config(2)};
  }

  /// For runs whose setup fails: a party whose peer gave up waits for it
  /// only this long.
  std::array<TlsNetworkConfig, 3> failingConfigs() const {
    auto c = configs();
    for (auto &x : c)
      x.limits.connectTimeout = 2s;
    return c;
  }

  static std::filesystem::path *dir_;
  static LocalPki *good_;
  static LocalPki *other_;
  std::array<std::uint16_t, 3> ports_{};
};

std::filesystem::path *TlsNet::dir_ = nullptr;
LocalPki *TlsNet::good_ = nullptr;
LocalPki *TlsNet::other_ = nullptr;

// ---- Local PKI -------------------------------------------------------------

TEST_F(TlsNet, LocalPkiWritesPrivateKeysAndRejectsBadNames) {
  struct stat st {};
  ASSERT_EQ(::stat(good_->identities.at("hosp_a").keyFile.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(good_->caFile.c_str(), &st), 0);
  EXPECT_THROW(generateLocalPki((*dir_ / "bad").string(), {"../x"}), PkiError);
  EXPECT_THROW(generateLocalPki((*dir_ / "bad").string(), {"a", "a"}),
               PkiError);
}

// ---- Data ------------------------------------------------------------------

// (a) Everyone sends 64 MiB to both peers at once, between small messages.
TEST_F(TlsNet, RingExchangeOf64MiBBothWays) {
  constexpr std::size_t kBig = 64u << 20;
  auto errors = run3(configs(), [&](int i, TlsNetwork &net) {
    rep3::Channel &ch = net.channel();
    const int n = ch.next(), p = ch.prev();
    ch.send(n, bytesOf("first from " + kNames[i]));
    ch.send(n, pattern(kBig, 10 * i + n));
    ch.send(p, pattern(kBig, 10 * i + p));
    ch.send(p, std::vector<std::uint8_t>{});
    ch.send(n, bytesOf("last"));
    std::string first = "first from " + kNames[p];
    EXPECT_EQ(ch.recv(p, first.size()), bytesOf(first));
    EXPECT_TRUE(ch.recv(p, kBig) == pattern(kBig, 10 * p + i));
    EXPECT_TRUE(ch.recv(n, kBig) == pattern(kBig, 10 * n + i));
    EXPECT_TRUE(ch.recv(n, 0).empty());
    EXPECT_EQ(ch.recv(p, 4), bytesOf("last"));
    EXPECT_EQ(ch.stats().bytesReceived, 2 * kBig + first.size() + 4);
    // This party's own sends are written by its I/O threads, which may
    // still be at it when its receives are done: wait for them (bounded).
    WireStats w = net.wireStats();
    for (int t = 0; t < 500 && w.bytesSent <= 2 * kBig; ++t) {
      std::this_thread::sleep_for(10ms);
      w = net.wireStats();
    }
    EXPECT_GT(w.bytesSent, 2 * kBig); // TLS records add overhead
    EXPECT_GT(w.bytesReceived, 2 * kBig);
  });
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(errors[i], "") << "party " << i;
}

// (b) rep3 input, mul and open over TLS.
TEST_F(TlsNet, Rep3MultiplicationOverTls) {
  constexpr std::size_t kN = 1000;
  std::mt19937_64 g(42);
  std::vector<std::uint64_t> x(kN), y(kN);
  for (std::size_t j = 0; j < kN; ++j) {
    x[j] = g();
    y[j] = g();
  }
  std::array<std::vector<std::uint64_t>, 3> opened;
  auto errors = run3(configs(), [&](int i, TlsNetwork &net) {
    rep3::Rep3 party(net.channel());
    auto xs =
        party.input<std::uint64_t>(0,
                                   i == 0 ? std::span<const std::uint64_t>(x)
                                          : std::span<const std::uint64_t>(),
                                   kN);
    auto ys =
        party.input<std::uint64_t>(1,
                                   i == 1 ? std::span<const std::uint64_t>(y)
                                          : std::span<const std::uint64_t>(),
                                   kN);
    opened[i] = party.open(party.mul(xs, ys));
  });
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(errors[i], "") << "party " << i;
    ASSERT_EQ(opened[i].size(), kN);
    for (std::size_t j = 0; j < kN; ++j)
      ASSERT_EQ(opened[i][j], x[j] * y[j]) << "party " << i << " element " << j;
  }
}

// A party that sends its last messages and closes at once: they are still
// delivered, and the two others carry on.
TEST_F(TlsNet, CloseAfterSendDeliversTheMessages) {
  auto errors = run3(configs(), [&](int i, TlsNetwork &net) {
    rep3::Channel &ch = net.channel();
    if (i == 2) {
      ch.send(0, bytesOf("bye0"));
      ch.send(1, pattern(1 << 20, 3));
      net.close();
      return;
    }
    if (i == 0)
      EXPECT_EQ(ch.recv(2, 4), bytesOf("bye0"));
    else
      EXPECT_TRUE(ch.recv(2, 1 << 20) == pattern(1 << 20, 3));
    ch.send(1 - i, bytesOf("still here"));
    EXPECT_EQ(ch.recv(1 - i, 10), bytesOf("still here"));
  });
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(errors[i], "") << "party " << i;
}

// ---- Authentication and hello ---------------------------------------------

// (c) Party 2's certificate comes from another CA.
TEST_F(TlsNet, CertificateFromAnotherCaIsRejected) {
  auto cfgs = failingConfigs();
  cfgs[2].tls = files(*other_, "hosp_c");
  auto errors = run3(cfgs, [](int, TlsNetwork &) {});
  EXPECT_THAT(errors[0], HasSubstr("certificate verify failed"));
  EXPECT_THAT(errors[0],
              HasSubstr("the certificate for 'hosp_c' issued by 'sstat local "
                        "CA"));
  EXPECT_THAT(errors[0], HasSubstr("does not verify"));
  EXPECT_THAT(errors[2], HasSubstr("party 'hosp_a' (0)"));
  EXPECT_THAT(errors[2], HasSubstr("does not trust the CA of this party's "
                                   "certificate"));
  EXPECT_NE(errors[1], "");
}

// Which party sees which error depends on timing: the first party to meet
// the odd one out reports the cause, and the others may only see that party
// leave (or not reach it). The assertions below hold for every ordering.
bool anyHas(const std::array<std::string, 3> &errors,
            std::initializer_list<int> parties, const std::string &text) {
  for (int i : parties)
    if (errors[i].find(text) != std::string::npos)
      return true;
  return false;
}

// (d) Party 0 presents a valid certificate for another name: whoever
// connects to it first rejects it.
TEST_F(TlsNet, ListenerWithWrongNameIsRejected) {
  auto cfgs = failingConfigs();
  cfgs[0].tls = files(*good_, "mallory");
  auto errors = run3(cfgs, [](int, TlsNetwork &) {});
  EXPECT_TRUE(
      anyHas(errors, {1, 2},
             "party 'hosp_a' (0) at 127.0.0.1:" + std::to_string(ports_[0]) +
                 " presented a certificate for 'mallory', expected "
                 "'hosp_a'"))
      << errors[1] << "\n"
      << errors[2];
  for (auto &e : errors)
    EXPECT_NE(e, "");
}

// (d) Party 2 connects with a valid certificate for another name (it
// connects to party 0 first).
TEST_F(TlsNet, ConnectorWithWrongNameIsRejected) {
  auto cfgs = failingConfigs();
  cfgs[2].tls = files(*good_, "mallory");
  auto errors = run3(cfgs, [](int, TlsNetwork &) {});
  EXPECT_THAT(errors[0],
              HasSubstr("presented a certificate for 'mallory', which names no "
                        "party or client expected to connect to party "
                        "'hosp_a'"));
  for (auto &e : errors)
    EXPECT_NE(e, "");
}

// (e) Party 1 runs another program: everyone fails before any data; party 1
// and the first party to meet it name each other with both descriptions.
TEST_F(TlsNet, DigestMismatchFailsBothSides) {
  auto cfgs = failingConfigs();
  cfgs[1].session.digest.fill(0x22);
  cfgs[1].session.description = "program bbbb, rep3, Z_2^64";
  std::atomic<bool> ran{false};
  auto errors = run3(cfgs, [&](int, TlsNetwork &) { ran = true; });
  EXPECT_FALSE(ran);
  EXPECT_TRUE(anyHas(errors, {0, 2},
                     "party 'hosp_b' runs a different program or "
                     "parameters: theirs program bbbb, rep3, Z_2^64 (digest "
                     "2222222222222222222222222222222222222222222222222222222"
                     "222222222), ours program aaaa, rep3, Z_2^64 (digest "
                     "1111"))
      << errors[0] << "\n"
      << errors[2];
  EXPECT_THAT(errors[1], HasSubstr("runs a different program or parameters: "
                                   "theirs program aaaa, rep3, Z_2^64"));
  for (auto &e : errors)
    EXPECT_NE(e, "");
}

TEST_F(TlsNet, SessionIdMismatchIsNamed) {
  auto cfgs = failingConfigs();
  cfgs[2].session.id.fill(0x01);
  auto errors = run3(cfgs, [](int, TlsNetwork &) {});
  EXPECT_TRUE(anyHas(errors, {0, 1}, "session id mismatch with party 'hosp_c'"))
      << errors[0] << "\n"
      << errors[1];
  EXPECT_THAT(errors[2], HasSubstr("session id mismatch with party 'hosp_"));
}

// ---- Failures at run time --------------------------------------------------

/// Each round every party sends to both peers, then receives from both;
/// party `quitter` leaves after `rounds` rounds through `leave`.
std::array<std::string, 3>
ringRounds(const std::array<TlsNetworkConfig, 3> &cfgs, int quitter, int rounds,
           const std::function<void(TlsNetwork &)> &leave,
           std::array<double, 3> &seconds) {
  return run3(cfgs, [&](int i, TlsNetwork &net) {
    rep3::Channel &ch = net.channel();
    for (int r = 0;; ++r) {
      if (i == quitter && r == rounds) {
        leave(net);
        return;
      }
      ch.send(ch.next(), pattern(1000, r));
      ch.send(ch.prev(), pattern(1000, r));
      auto t0 = Clock::now();
      try {
        ch.recv(ch.prev(), 1000);
        ch.recv(ch.next(), 1000);
      } catch (...) {
        seconds[i] = std::chrono::duration<double>(Clock::now() - t0).count();
        throw;
      }
    }
  });
}

/// Header of a frame as the test writes it raw onto a connection.
std::vector<std::uint8_t> rawHeader(FrameType type, bool last,
                                    std::uint32_t len, std::uint64_t msgLen,
                                    std::uint8_t sessionByte) {
  FrameHeader h;
  h.type = type;
  h.last = last;
  h.length = len;
  h.messageLength = msgLen;
  h.session.fill(sessionByte);
  std::vector<std::uint8_t> out(kFrameHeaderBytes);
  encodeFrameHeader(h, std::span<std::uint8_t, kFrameHeaderBytes>(
                           out.data(), kFrameHeaderBytes));
  return out;
}

/// Party 0 writes `raw` unframed to party 1 (then runs `after`); party 1's
/// receive from party 0 must fail. Returns party 1's error.
std::string injectToParty1(const std::array<TlsNetworkConfig, 3> &cfgs,
                           std::vector<std::uint8_t> raw,
                           const std::function<void(TlsNetwork &)> &after) {
  std::latch done(1);
  auto errors = run3(cfgs, [&](int i, TlsNetwork &net) {
    if (i == 0) {
      net.sendRawForTesting(1, raw);
      after(net);
    } else if (i == 1) {
      struct Release {
        std::latch &l;
        ~Release() { l.count_down(); }
      } release{done};
      net.channel().recv(0, 10);
      ADD_FAILURE() << "party 1 received a message";
    }
    done.wait();
  });
  return errors[1];
}

// (f) Party 2 crashes (TCP shutdown, no goodbye) after one round.
TEST_F(TlsNet, PeerCrashIsReportedPromptly) {
  auto cfgs = configs();
  for (auto &c : cfgs)
    c.limits.recvTimeout = 30s;
  std::array<double, 3> secs{};
  auto errors = ringRounds(
      cfgs, 2, 1, [](TlsNetwork &net) { net.dropConnectionsForTesting(); },
      secs);
  for (int i : {0, 1}) {
    EXPECT_THAT(errors[i], HasSubstr("party 'hosp_c'")) << "party " << i;
    EXPECT_LT(secs[i], 5.0) << "party " << i;
  }
  EXPECT_THAT(errors[0], HasSubstr("party 'hosp_c' (2) closed the connection"));
}

// (f) Party 2 closes its network in the middle of the protocol.
TEST_F(TlsNet, PeerCloseMidProtocolIsReportedPromptly) {
  auto cfgs = configs();
  for (auto &c : cfgs)
    c.limits.recvTimeout = 30s;
  std::array<double, 3> secs{};
  auto errors = ringRounds(
      cfgs, 2, 2, [](TlsNetwork &net) { net.close(); }, secs);
  for (int i : {0, 1}) {
    EXPECT_THAT(errors[i], HasSubstr("party 'hosp_c' (2) closed the "
                                     "connection"))
        << "party " << i;
    EXPECT_LT(secs[i], 5.0) << "party " << i;
  }
  EXPECT_EQ(errors[2], "");
}

// (g) Party 1 stays silent: party 0's receive times out naming it.
TEST_F(TlsNet, ReceiveTimeoutNamesTheSilentPeer) {
  auto cfgs = configs();
  for (auto &c : cfgs)
    c.limits.recvTimeout = 300ms;
  std::latch done(1);
  double secs = 0;
  auto errors = run3(cfgs, [&](int i, TlsNetwork &net) {
    if (i == 0) {
      auto t0 = Clock::now();
      try {
        net.channel().recv(1, 8);
      } catch (...) {
        secs = std::chrono::duration<double>(Clock::now() - t0).count();
        done.count_down();
        throw;
      }
    }
    done.wait();
  });
  EXPECT_EQ(errors[0], "no message from party 'hosp_b' (1) within 300 ms");
  EXPECT_GE(secs, 0.29);
  EXPECT_LT(secs, 3.0);
}

// (h) Malformed frames.
TEST_F(TlsNet, OversizeFrameLengthIsMalformed) {
  std::string err = injectToParty1(
      configs(), rawHeader(FrameType::Data, true, 0xffffffffu, 10, 0x5a),
      [](TlsNetwork &) {});
  EXPECT_EQ(err, "party 'hosp_a' (0) sent a malformed frame: length "
                 "4294967295 exceeds the 16 MiB limit");
}

TEST_F(TlsNet, WrongSessionIdInFrameIsMalformed) {
  std::string err =
      injectToParty1(configs(), rawHeader(FrameType::Data, true, 10, 10, 0x33),
                     [](TlsNetwork &) {});
  EXPECT_EQ(err, "party 'hosp_a' (0) sent a malformed frame: wrong session id "
                 "33333333333333333333333333333333");
}

TEST_F(TlsNet, TruncatedFrameIsReported) {
  // 1000 bytes announced, 10 sent; close() then adds its CLOSE frame (32
  // bytes, read as payload) and the TLS close_notify.
  std::vector<std::uint8_t> raw =
      rawHeader(FrameType::Data, true, 1000, 1000, 0x5a);
  raw.resize(raw.size() + 10, 0);
  std::string err =
      injectToParty1(configs(), raw, [](TlsNetwork &net) { net.close(); });
  EXPECT_EQ(err, "party 'hosp_a' (0) closed the connection in the middle of "
                 "a frame (truncated frame: 42 of 1000 payload bytes)");
}

// (i) ABORT carries the reason to both peers.
TEST_F(TlsNet, AbortPropagatesTheReason) {
  std::string own;
  auto errors = run3(configs(), [&](int i, TlsNetwork &net) {
    if (i == 0) {
      net.abort("input file missing");
      try {
        net.channel().recv(1, 1);
      } catch (const rep3::ChannelError &e) {
        own = e.what();
      }
      return;
    }
    net.channel().recv(0, 1);
  });
  EXPECT_EQ(own, "this party aborted: input file missing");
  EXPECT_EQ(errors[1], "party 'hosp_a' aborted: input file missing");
  EXPECT_EQ(errors[2], "party 'hosp_a' aborted: input file missing");
}

// Sending to a peer that is gone neither crashes (SIGPIPE) nor hangs.
TEST_F(TlsNet, SendToDeadPeerDoesNotCrash) {
  std::latch dropped(1), connected(3);
  auto errors = run3(configs(), [&](int i, TlsNetwork &net) {
    connected.arrive_and_wait();
    if (i == 2) {
      net.dropConnectionsForTesting();
      dropped.count_down();
      return;
    }
    dropped.wait();
    for (int k = 0; k < 50; ++k) {
      net.channel().send(2, pattern(1 << 16, k));
      std::this_thread::sleep_for(2ms);
    }
  });
  for (int i : {0, 1})
    EXPECT_THAT(errors[i], HasSubstr("hosp_c")) << "party " << i;
}

// ---- Clients ---------------------------------------------------------------

ClientConfig clientConfig(const TlsNetworkConfig &party,
                          const TlsFiles &files) {
  ClientConfig c;
  c.parties = party.parties;
  c.name = "alice";
  c.tls = files;
  c.session = party.session;
  c.limits = party.limits;
  return c;
}

// (j) A client sends one message to each party and gets one back.
TEST_F(TlsNet, ClientLinksToAllParties) {
  auto cfgs = configs();
  auto client = std::async(std::launch::async, [&] {
    auto links = connectAsClient(clientConfig(cfgs[0], files(*good_, "alice")));
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(links[i]->peerName(), kNames[i]);
      links[i]->send(bytesOf("share for " + kNames[i]));
    }
    for (int i = 0; i < 3; ++i)
      EXPECT_EQ(links[i]->recv(), bytesOf("result from " + kNames[i]));
    for (auto &l : links)
      l->close();
  });
  auto errors = run3(cfgs, [&](int i, TlsNetwork &net) {
    std::unique_ptr<Link> link = net.waitClient("alice", 10s);
    EXPECT_EQ(link->peerName(), "alice");
    EXPECT_EQ(link->recv(), bytesOf("share for " + kNames[i]));
    link->send(bytesOf("result from " + kNames[i]));
    link->close();
  });
  client.get();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(errors[i], "") << "party " << i;
}

TEST_F(TlsNet, ClientWithOtherDigestIsRejectedBothWays) {
  auto cfgs = configs();
  ClientConfig cc = clientConfig(cfgs[0], files(*good_, "alice"));
  cc.session.digest.fill(0x77);
  cc.session.description = "program cccc";
  auto client = std::async(std::launch::async, [&]() -> std::string {
    try {
      connectAsClient(cc);
    } catch (const NetError &e) {
      return e.what();
    }
    return "";
  });
  auto errors = run3(cfgs, [&](int i, TlsNetwork &net) {
    if (i == 0)
      net.waitClient("alice", 10s);
  });
  EXPECT_THAT(errors[0], HasSubstr("client 'alice' runs a different program "
                                   "or parameters: theirs program cccc"));
  EXPECT_THAT(client.get(),
              HasSubstr("party 'hosp_a' runs a different program or "
                        "parameters: theirs program aaaa"));
}

TEST_F(TlsNet, UnknownClientNameIsAnError) {
  auto errors = run3(
      configs(), [&](int, TlsNetwork &net) { net.waitClient("bob", 10ms); });
  EXPECT_EQ(errors[0], "'bob' is not a configured client of party 'hosp_a'");
}

} // namespace
