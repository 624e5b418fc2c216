//===- net/Frame.cpp - Wire format of the sstat TLS transport -------------===//
//
// Hello and frame codecs and the zero-copy frame reassembler; the layouts
// are in net/Frame.h. Every field that arrives from the network is checked
// here, with an error text that the connection prefixes with the peer.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/net/Frame.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace sstat::runtime::net {

namespace {

constexpr char kMagic[8] = {'S', 'S', 'T', 'A', 'T', 'N', 'E', 'T'};

void put16(std::uint8_t *p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(std::uint8_t *p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put64(std::uint8_t *p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint16_t get16(const std::uint8_t *p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t get32(const std::uint8_t *p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}
std::uint64_t get64(const std::uint8_t *p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

} // namespace

std::string formatBytes(std::uint64_t n) {
  constexpr std::uint64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;
  if (n != 0 && n % kGiB == 0)
    return std::to_string(n / kGiB) + " GiB";
  if (n != 0 && n % kMiB == 0)
    return std::to_string(n / kMiB) + " MiB";
  if (n != 0 && n % kKiB == 0)
    return std::to_string(n / kKiB) + " KiB";
  return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

std::string toHex(std::span<const std::uint8_t> bytes) {
  static const char *digits = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 15]);
  }
  return s;
}

std::vector<std::uint8_t> encodeHello(const Hello &h) {
  std::vector<std::uint8_t> out(kHelloFixedBytes + h.name.size() +
                                h.description.size());
  std::uint8_t *p = out.data();
  std::memcpy(p, kMagic, 8);
  put16(p + 8, h.version);
  p[10] = static_cast<std::uint8_t>(h.role);
  p[11] = h.index;
  std::memcpy(p + 12, h.session.data(), 16);
  std::memcpy(p + 28, h.digest.data(), 32);
  put32(p + 60, h.maxFrameBytes);
  put64(p + 64, h.maxMessageBytes);
  put16(p + 72, static_cast<std::uint16_t>(h.name.size()));
  put16(p + 74, static_cast<std::uint16_t>(h.description.size()));
  std::memcpy(p + kHelloFixedBytes, h.name.data(), h.name.size());
  std::memcpy(p + kHelloFixedBytes + h.name.size(), h.description.data(),
              h.description.size());
  return out;
}

std::string decodeHelloFixed(std::span<const std::uint8_t> fixed, Hello &out,
                             std::size_t &nameLen, std::size_t &descLen) {
  if (fixed.size() != kHelloFixedBytes)
    return "hello of " + std::to_string(fixed.size()) + " bytes";
  const std::uint8_t *p = fixed.data();
  if (std::memcmp(p, kMagic, 8) != 0)
    return "it does not speak the sstat transport protocol (bad hello magic)";
  out.version = get16(p + 8);
  if (out.version != kProtocolVersion)
    return "it speaks sstat transport protocol version " +
           std::to_string(out.version) + ", this party version " +
           std::to_string(kProtocolVersion);
  if (p[10] > 1)
    return "hello with unknown role " + std::to_string(p[10]);
  out.role = static_cast<HelloRole>(p[10]);
  out.index = p[11];
  std::memcpy(out.session.data(), p + 12, 16);
  std::memcpy(out.digest.data(), p + 28, 32);
  out.maxFrameBytes = get32(p + 60);
  out.maxMessageBytes = get64(p + 64);
  nameLen = get16(p + 72);
  descLen = get16(p + 74);
  if (out.maxFrameBytes < kMinFrameBytes)
    return "hello announces a max frame size of " +
           std::to_string(out.maxFrameBytes) + " bytes, below 1 KiB";
  if (out.maxMessageBytes == 0)
    return "hello announces a max message size of 0";
  if (nameLen == 0 || nameLen > kMaxNameBytes)
    return "hello with a name of " + std::to_string(nameLen) + " bytes";
  if (descLen > kMaxDescriptionBytes)
    return "hello with a description of " + std::to_string(descLen) + " bytes";
  return {};
}

void encodeFrameHeader(const FrameHeader &h,
                       std::span<std::uint8_t, kFrameHeaderBytes> out) {
  std::uint8_t *p = out.data();
  p[0] = static_cast<std::uint8_t>(h.type);
  p[1] = h.last ? kFrameLast : 0;
  p[2] = p[3] = 0;
  put32(p + 4, h.length);
  put64(p + 8, h.messageLength);
  std::memcpy(p + 16, h.session.data(), 16);
}

FrameReader::FrameReader(const SessionId &session, std::uint32_t maxFrameBytes,
                         std::uint64_t maxMessageBytes)
    : session_(session), maxFrame_(maxFrameBytes),
      maxMessage_(maxMessageBytes) {}

std::span<std::uint8_t> FrameReader::buffer() {
  if (failed_)
    return {};
  if (!inFrame_)
    return std::span<std::uint8_t>(hdr_).subspan(hdrGot_);
  const std::uint64_t left = frame_.length - frameGot_;
  if (frame_.type == FrameType::Data)
    return std::span<std::uint8_t>(message_).subspan(
        static_cast<std::size_t>(messageGot_), static_cast<std::size_t>(left));
  return std::span<std::uint8_t>(small_).subspan(
      static_cast<std::size_t>(frameGot_));
}

FrameReader::Event FrameReader::malformed(std::string why) {
  failed_ = true;
  Event e;
  e.kind = Event::Malformed;
  e.text = std::move(why);
  return e;
}

FrameReader::Event FrameReader::advance(std::size_t n) {
  if (failed_ || n == 0)
    return {};
  if (!inFrame_) {
    hdrGot_ += n;
    if (hdrGot_ < kFrameHeaderBytes)
      return {};
    hdrGot_ = 0;
    return onHeader();
  }
  frameGot_ += n;
  if (frame_.type == FrameType::Data)
    messageGot_ += n;
  if (frameGot_ < frame_.length)
    return {};
  return finishFrame();
}

FrameReader::Event FrameReader::onHeader() {
  const std::uint8_t *p = hdr_.data();
  FrameHeader h;
  h.length = get32(p + 4);
  h.messageLength = get64(p + 8);
  std::memcpy(h.session.data(), p + 16, 16);
  if (h.session != session_)
    return malformed("wrong session id " + toHex(h.session));
  if (p[0] < 1 || p[0] > 3)
    return malformed("unknown frame type " + std::to_string(p[0]));
  h.type = static_cast<FrameType>(p[0]);
  if ((p[1] & ~kFrameLast) != 0)
    return malformed("unknown frame flags " + std::to_string(p[1]));
  h.last = (p[1] & kFrameLast) != 0;
  if (p[2] != 0 || p[3] != 0)
    return malformed("nonzero reserved field");
  if (h.length > maxFrame_)
    return malformed("length " + std::to_string(h.length) + " exceeds the " +
                     formatBytes(maxFrame_) + " limit");
  switch (h.type) {
  case FrameType::Data: {
    if (h.messageLength > maxMessage_)
      return malformed("message length " + std::to_string(h.messageLength) +
                       " exceeds the " + formatBytes(maxMessage_) + " limit");
    if (inMessage_ && h.messageLength != message_.size())
      return malformed("message length changed from " +
                       std::to_string(message_.size()) + " to " +
                       std::to_string(h.messageLength) + " mid-message");
    const std::uint64_t got = inMessage_ ? messageGot_ : 0;
    if (h.length > h.messageLength - got)
      return malformed("frame of " + std::to_string(h.length) +
                       " bytes overruns a message of " +
                       std::to_string(h.messageLength) + " bytes at offset " +
                       std::to_string(got));
    const bool ends = got + h.length == h.messageLength;
    if (h.last && !ends)
      return malformed("last frame ends at " + std::to_string(got + h.length) +
                       " of a message of " + std::to_string(h.messageLength) +
                       " bytes");
    if (!h.last && ends)
      return malformed("message complete without the last-frame flag");
    if (!inMessage_) {
      try {
        message_.assign(static_cast<std::size_t>(h.messageLength), 0);
      } catch (const std::bad_alloc &) {
        return malformed("cannot allocate a message of " +
                         std::to_string(h.messageLength) + " bytes");
      }
      messageGot_ = 0;
      inMessage_ = true;
    }
    break;
  }
  case FrameType::Abort:
    if (h.length > kMaxAbortReasonBytes)
      return malformed("abort reason of " + std::to_string(h.length) +
                       " bytes exceeds " + formatBytes(kMaxAbortReasonBytes));
    small_.assign(h.length, 0);
    break;
  case FrameType::Close:
    if (h.length != 0)
      return malformed("close frame with a payload of " +
                       std::to_string(h.length) + " bytes");
    if (inMessage_)
      return malformed("close frame in the middle of a message");
    break;
  }
  frame_ = h;
  frameGot_ = 0;
  inFrame_ = true;
  if (h.length == 0)
    return finishFrame();
  return {};
}

FrameReader::Event FrameReader::finishFrame() {
  inFrame_ = false;
  Event e;
  switch (frame_.type) {
  case FrameType::Data:
    if (frame_.last) {
      inMessage_ = false;
      e.kind = Event::Message;
      e.message = std::move(message_);
      message_ = {};
    }
    break;
  case FrameType::Abort: {
    e.kind = Event::Abort;
    // Only printable ASCII of the peer's reason reaches our messages.
    for (std::uint8_t c : small_)
      e.text.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    failed_ = true; // nothing after an abort is read
    break;
  }
  case FrameType::Close:
    e.kind = Event::Close;
    break;
  }
  return e;
}

} // namespace sstat::runtime::net
