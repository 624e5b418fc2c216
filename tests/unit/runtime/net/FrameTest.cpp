//===- FrameTest.cpp - Wire format of the TLS transport, without sockets --===//
//
// The hello codec and FrameReader (net/Frame.h) on byte strings: messages
// split into frames and fed in arbitrary pieces come out whole; every
// malformed header field is reported with its cause.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/net/Frame.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

using namespace sstat::runtime::net;

namespace {

SessionId sid(std::uint8_t v) {
  SessionId s;
  s.fill(v);
  return s;
}

std::vector<std::uint8_t> frame(FrameType t, bool last, std::uint32_t len,
                                std::uint64_t msgLen, const SessionId &s,
                                std::vector<std::uint8_t> payload = {}) {
  FrameHeader h;
  h.type = t;
  h.last = last;
  h.length = len;
  h.messageLength = msgLen;
  h.session = s;
  std::vector<std::uint8_t> out(kFrameHeaderBytes);
  encodeFrameHeader(h, std::span<std::uint8_t, kFrameHeaderBytes>(
                           out.data(), kFrameHeaderBytes));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

/// Feeds `bytes` in pieces of at most `piece` bytes; collects events.
std::vector<FrameReader::Event> feed(FrameReader &r,
                                     const std::vector<std::uint8_t> &bytes,
                                     std::size_t piece) {
  std::vector<FrameReader::Event> events;
  std::size_t off = 0;
  while (off < bytes.size()) {
    std::span<std::uint8_t> buf = r.buffer();
    if (buf.empty())
      break;
    std::size_t n = std::min({piece, buf.size(), bytes.size() - off});
    std::memcpy(buf.data(), bytes.data() + off, n);
    off += n;
    FrameReader::Event e = r.advance(n);
    if (e.kind != FrameReader::Event::None)
      events.push_back(std::move(e));
  }
  return events;
}

std::string malformedText(const std::vector<std::uint8_t> &bytes,
                          std::uint32_t maxFrame = 1024,
                          std::uint64_t maxMsg = 1 << 20) {
  FrameReader r(sid(1), maxFrame, maxMsg);
  auto ev = feed(r, bytes, 7);
  for (auto &e : ev)
    if (e.kind == FrameReader::Event::Malformed)
      return e.text;
  return "";
}

TEST(Frame, HelloRoundTrip) {
  Hello h;
  h.role = HelloRole::Client;
  h.index = 255;
  h.session = sid(3);
  h.digest.fill(0xab);
  h.maxFrameBytes = 1 << 24;
  h.maxMessageBytes = std::uint64_t(1) << 32;
  h.name = "alice";
  h.description = "program 3fa2, rep3";
  std::vector<std::uint8_t> bytes = encodeHello(h);
  ASSERT_EQ(bytes.size(), kHelloFixedBytes + 5 + 18);
  Hello g;
  std::size_t nl = 0, dl = 0;
  EXPECT_EQ(
      decodeHelloFixed(std::span(bytes).first(kHelloFixedBytes), g, nl, dl),
      "");
  EXPECT_EQ(nl, 5u);
  EXPECT_EQ(dl, 18u);
  EXPECT_EQ(g.role, HelloRole::Client);
  EXPECT_EQ(g.index, 255);
  EXPECT_EQ(g.session, h.session);
  EXPECT_EQ(g.digest, h.digest);
  EXPECT_EQ(g.maxFrameBytes, h.maxFrameBytes);
  EXPECT_EQ(g.maxMessageBytes, h.maxMessageBytes);
}

TEST(Frame, HelloRejectsForeignBytes) {
  Hello h;
  h.name = "a";
  h.maxFrameBytes = 1024;
  h.maxMessageBytes = 1 << 20;
  std::vector<std::uint8_t> bytes = encodeHello(h);
  Hello g;
  std::size_t nl = 0, dl = 0;
  std::vector<std::uint8_t> bad = bytes;
  bad[0] = 'X';
  EXPECT_NE(decodeHelloFixed(std::span(bad).first(kHelloFixedBytes), g, nl, dl)
                .find("bad hello magic"),
            std::string::npos);
  bad = bytes;
  bad[8] = 9;
  EXPECT_NE(decodeHelloFixed(std::span(bad).first(kHelloFixedBytes), g, nl, dl)
                .find("protocol version 9"),
            std::string::npos);
  bad = bytes;
  bad[61] = 0; // max frame 1024 -> 0
  EXPECT_NE(decodeHelloFixed(std::span(bad).first(kHelloFixedBytes), g, nl, dl)
                .find("max frame size of 0 bytes, below 1 KiB"),
            std::string::npos);
  bad = bytes;
  bad[72] = 0; // empty name
  EXPECT_NE(decodeHelloFixed(std::span(bad).first(kHelloFixedBytes), g, nl, dl)
                .find("name of 0 bytes"),
            std::string::npos);
}

TEST(Frame, MessagesSurviveAnySplit) {
  std::mt19937 g(5);
  std::vector<std::uint8_t> big(3000), stream;
  for (auto &b : big)
    b = static_cast<std::uint8_t>(g());
  // A 3000-byte message in frames of 1024, an empty message, a short one.
  for (std::uint64_t off = 0; off < big.size(); off += 1024) {
    std::uint32_t len =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(1024, 3000 - off));
    auto f = frame(
        FrameType::Data, off + len == 3000, len, 3000, sid(1),
        std::vector<std::uint8_t>(big.begin() + off, big.begin() + off + len));
    stream.insert(stream.end(), f.begin(), f.end());
  }
  auto f = frame(FrameType::Data, true, 0, 0, sid(1));
  stream.insert(stream.end(), f.begin(), f.end());
  f = frame(FrameType::Data, true, 2, 2, sid(1), {7, 8});
  stream.insert(stream.end(), f.begin(), f.end());
  f = frame(FrameType::Close, true, 0, 0, sid(1));
  stream.insert(stream.end(), f.begin(), f.end());
  for (std::size_t piece : {1u, 3u, 32u, 100u, 5000u}) {
    FrameReader r(sid(1), 1024, 1 << 20);
    auto ev = feed(r, stream, piece);
    ASSERT_EQ(ev.size(), 4u) << "piece " << piece;
    EXPECT_EQ(ev[0].kind, FrameReader::Event::Message);
    EXPECT_EQ(ev[0].message, big);
    EXPECT_EQ(ev[1].kind, FrameReader::Event::Message);
    EXPECT_TRUE(ev[1].message.empty());
    EXPECT_EQ(ev[2].message, (std::vector<std::uint8_t>{7, 8}));
    EXPECT_EQ(ev[3].kind, FrameReader::Event::Close);
    EXPECT_FALSE(r.midMessage());
  }
}

TEST(Frame, AbortReasonIsSanitized) {
  FrameReader r(sid(1), 1024, 1 << 20);
  auto ev = feed(
      r, frame(FrameType::Abort, true, 4, 4, sid(1), {'o', 'k', 0, '\n'}), 5);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, FrameReader::Event::Abort);
  EXPECT_EQ(ev[0].text, "ok??");
  EXPECT_TRUE(r.buffer().empty()); // nothing is read after an abort
}

TEST(Frame, MalformedHeaders) {
  EXPECT_EQ(malformedText(frame(FrameType::Data, true, 4, 4, sid(2))),
            "wrong session id 02020202020202020202020202020202");
  auto bad = frame(FrameType::Data, true, 0, 0, sid(1));
  bad[0] = 9;
  EXPECT_EQ(malformedText(bad), "unknown frame type 9");
  bad = frame(FrameType::Data, true, 0, 0, sid(1));
  bad[1] = 0x81;
  EXPECT_EQ(malformedText(bad), "unknown frame flags 129");
  bad = frame(FrameType::Data, true, 0, 0, sid(1));
  bad[3] = 1;
  EXPECT_EQ(malformedText(bad), "nonzero reserved field");
  EXPECT_EQ(malformedText(frame(FrameType::Data, false, 0xffffffffu, 1, sid(1)),
                          16u << 20),
            "length 4294967295 exceeds the 16 MiB limit");
  EXPECT_EQ(malformedText(frame(FrameType::Data, true, 4, 5u << 20, sid(1))),
            "message length 5242880 exceeds the 1 MiB limit");
  EXPECT_EQ(malformedText(frame(FrameType::Data, true, 8, 4, sid(1))),
            "frame of 8 bytes overruns a message of 4 bytes at offset 0");
  EXPECT_EQ(malformedText(frame(FrameType::Data, true, 2, 4, sid(1), {1, 2})),
            "last frame ends at 2 of a message of 4 bytes");
  EXPECT_EQ(malformedText(frame(FrameType::Data, false, 4, 4, sid(1))),
            "message complete without the last-frame flag");
  EXPECT_EQ(malformedText(frame(FrameType::Close, true, 1, 1, sid(1))),
            "close frame with a payload of 1 bytes");
  EXPECT_EQ(malformedText(frame(FrameType::Abort, true, 1000, 0, sid(1)), 1024,
                          1 << 20),
            "");
  EXPECT_EQ(malformedText(frame(FrameType::Abort, true, 1025, 0, sid(1)), 4096),
            "abort reason of 1025 bytes exceeds 1 KiB");
  // Frames of one message must agree on its length; CLOSE cannot cut it.
  auto two = frame(FrameType::Data, false, 2, 4, sid(1), {1, 2});
  auto next = frame(FrameType::Data, true, 2, 6, sid(1), {3, 4});
  two.insert(two.end(), next.begin(), next.end());
  EXPECT_EQ(malformedText(two),
            "message length changed from 4 to 6 mid-message");
  two = frame(FrameType::Data, false, 2, 4, sid(1), {1, 2});
  next = frame(FrameType::Close, true, 0, 0, sid(1));
  two.insert(two.end(), next.begin(), next.end());
  EXPECT_EQ(malformedText(two), "close frame in the middle of a message");
}

TEST(Frame, FormatBytes) {
  EXPECT_EQ(formatBytes(16u << 20), "16 MiB");
  EXPECT_EQ(formatBytes(std::uint64_t(4) << 30), "4 GiB");
  EXPECT_EQ(formatBytes(1000), "1000 bytes");
  EXPECT_EQ(formatBytes(2048), "2 KiB");
}

} // namespace
