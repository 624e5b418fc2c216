//===- Rep3TestUtil.h - Running rep3 in three threads for tests -*- C++ -*-===//
//
// What the rep3 unit tests share: three parties on three threads over one
// MemoryNetwork (with the key setup excluded from the traffic counters), and
// uniformly random ring elements.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_TESTS_UNIT_RUNTIME_REP3TESTUTIL_H
#define SSTAT_TESTS_UNIT_RUNTIME_REP3TESTUTIL_H

#include "sstat/runtime/rep3/Rep3.h"

#include <array>
#include <chrono>
#include <exception>
#include <functional>
#include <random>
#include <thread>
#include <vector>

namespace sstat::runtime::rep3::test {

/// Runs body(party) on three threads over one MemoryNetwork whose receives
/// time out after \p Timeout; rethrows the first exception a party raised.
inline void run3(const std::function<void(Rep3 &)> &body,
                 std::chrono::seconds Timeout = std::chrono::seconds(20)) {
  MemoryNetwork net(Timeout);
  std::array<std::exception_ptr, 3> errors;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      try {
        Rep3 party(net.channel(i));
        party.channel().resetStats(); // exclude the key setup
        body(party);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto &t : threads)
    t.join();
  for (auto &e : errors)
    if (e)
      std::rethrow_exception(e);
}

/// A uniformly random element of Z_2^64 or Z_2^128.
template <class T> T randomRing(std::mt19937_64 &g) {
  if constexpr (sizeof(T) == 8)
    return g();
  else
    return (static_cast<unsigned __int128>(g()) << 64) |
           static_cast<unsigned __int128>(g());
}

template <class T> std::vector<T> randomVec(std::mt19937_64 &g, size_t n) {
  std::vector<T> v(n);
  for (auto &x : v)
    x = randomRing<T>(g);
  return v;
}

} // namespace sstat::runtime::rep3::test

#endif
