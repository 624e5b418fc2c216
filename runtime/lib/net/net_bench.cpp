//===- net_bench.cpp - Throughput of the TLS transport on loopback
//---------===//
//
// Three threads, one TlsNetwork each (a throw-away local PKI in a temporary
// directory, ports picked free on 127.0.0.1), exchange one message of
// N MiB (default 256) in a ring: every party sends to its next party and
// receives from its previous one at the same time, as rep3's open and
// reshare do. Prints the time and MB/s per party (payload bytes one party
// sends / wall time) and the aggregate over the three links, then the same
// with every party sending to both peers at once, and over one link while
// the others are idle. Not run by ctest.
//
//   net_bench [MiB]
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/net/LocalPki.h"
#include "sstat/runtime/net/Tls.h"

#include <unistd.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace sstat::runtime;
using Clock = std::chrono::steady_clock;

int main(int argc, char **argv) {
  const std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
  const std::size_t bytes = mib << 20;
  const std::string names[3] = {"bench_a", "bench_b", "bench_c"};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sstat-net-bench-" + std::to_string(::getpid()));
  net::LocalPki pki =
      net::generateLocalPki(dir.string(), {names[0], names[1], names[2]});

  net::TlsNetworkConfig base;
  for (int i = 0; i < 3; ++i)
    base.parties[i] = {names[i], "127.0.0.1", net::freeLoopbackPort()};
  base.session.id.fill(7);
  base.session.digest.fill(9);
  base.session.description = "net_bench";
  base.tls.trustedCaFile = pki.caFile;

  std::barrier sync(3);
  double secsRing = 0, secsBoth = 0, secsOne = 0;
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      try {
        net::TlsNetworkConfig cfg = base;
        cfg.self = i;
        cfg.tls.certChainFile = pki.identities[names[i]].certFile;
        cfg.tls.privateKeyFile = pki.identities[names[i]].keyFile;
        net::TlsNetwork netw(cfg);
        rep3::Channel &ch = netw.channel();
        std::vector<std::uint8_t> msg(bytes, static_cast<std::uint8_t>(i));

        sync.arrive_and_wait();
        auto t0 = Clock::now();
        ch.send(ch.next(), msg);
        std::vector<std::uint8_t> got = ch.recv(ch.prev(), bytes);
        sync.arrive_and_wait();
        auto t1 = Clock::now();
        ch.send(ch.next(), msg);
        ch.send(ch.prev(), msg);
        got = ch.recv(ch.prev(), bytes);
        got = ch.recv(ch.next(), bytes);
        sync.arrive_and_wait();
        auto t2 = Clock::now();
        if (i == 0)
          ch.send(1, msg);
        else if (i == 1)
          got = ch.recv(0, bytes);
        sync.arrive_and_wait();
        auto t3 = Clock::now();
        if (i == 0) {
          secsRing = std::chrono::duration<double>(t1 - t0).count();
          secsBoth = std::chrono::duration<double>(t2 - t1).count();
          secsOne = std::chrono::duration<double>(t3 - t2).count();
        }
        netw.close();
      } catch (const std::exception &e) {
        std::fprintf(stderr, "net_bench: party %d: %s\n", i, e.what());
        failed = true;
      }
    });
  for (auto &t : threads)
    t.join();
  std::filesystem::remove_all(dir);
  if (failed)
    return 1;
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("ring (i -> i+1), %zu MiB per party: %.3f s, %.0f MB/s per "
              "party, %.0f MB/s aggregate\n",
              mib, secsRing, mb / secsRing, 3 * mb / secsRing);
  std::printf("both peers at once, %zu MiB per link: %.3f s, %.0f MB/s per "
              "party, %.0f MB/s aggregate\n",
              mib, secsBoth, 2 * mb / secsBoth, 6 * mb / secsBoth);
  std::printf("one link alone (0 -> 1), %zu MiB: %.3f s, %.0f MB/s\n", mib,
              secsOne, mb / secsOne);
  return 0;
}
