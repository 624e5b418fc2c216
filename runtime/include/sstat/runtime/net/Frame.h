//===- net/Frame.h - Wire format of the sstat TLS transport ------*- C++
//-*-===//
//
// The bytes sstat_net sends inside a TLS 1.3 connection, as pure functions
// and a zero-copy reassembly state machine, so the format is tested without
// sockets (the I/O lives in Tls.cpp / Connection.cpp).
//
// Hello (once in each direction, right after the TLS handshake), all
// integers little-endian:
//   off  size  field
//     0     8  magic "SSTATNET"
//     8     2  protocol version (kProtocolVersion)
//    10     1  role: 0 compute party, 1 client
//    11     1  party index 0..2 (255 for a client)
//    12    16  session id
//    28    32  digest of program + parameters (must be equal everywhere)
//    60     4  max frame payload the sender accepts
//    64     8  max message length the sender accepts
//    72     2  name length N (1..255)
//    74     2  description length D (0..1024)
//    76     N  sender name, then D bytes of the digest's description
//
// Frame (every message is one or more frames; 32-byte header then payload):
//   off  size  field
//     0     1  type: 1 DATA, 2 ABORT, 3 CLOSE
//     1     1  flags: bit 0 = last frame of the message; other bits zero
//     2     2  reserved, zero
//     4     4  payload length (<= the receiver's max frame size)
//     8     8  total length of the message this frame belongs to
//    16    16  session id
// A DATA message of length L is sent as ceil(L / maxFrame) frames (one
// empty frame if L = 0), each but the last non-empty, the last flagged.
// ABORT carries a short printable reason (<= 1024 bytes), CLOSE nothing:
// CLOSE says "I will send nothing more" and precedes the TLS close_notify.
// TLS authenticates and encrypts every byte; the session id in each frame
// is a cheap consistency check, not a MAC.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_NET_FRAME_H
#define SSTAT_RUNTIME_NET_FRAME_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sstat::runtime::net {

using SessionId = std::array<std::uint8_t, 16>;
using Digest = std::array<std::uint8_t, 32>;

inline constexpr std::uint16_t kProtocolVersion = 1;
inline constexpr std::size_t kHelloFixedBytes = 76;
inline constexpr std::size_t kMaxNameBytes = 255;
inline constexpr std::size_t kMaxDescriptionBytes = 1024;
inline constexpr std::size_t kFrameHeaderBytes = 32;
inline constexpr std::uint32_t kMinFrameBytes = 1024;
inline constexpr std::size_t kMaxAbortReasonBytes = 1024;
inline constexpr std::uint8_t kFrameLast = 0x01;

enum class FrameType : std::uint8_t { Data = 1, Abort = 2, Close = 3 };
enum class HelloRole : std::uint8_t { Party = 0, Client = 1 };

/// The application hello (layout in the file header).
struct Hello {
  std::uint16_t version = kProtocolVersion;
  HelloRole role = HelloRole::Party;
  std::uint8_t index = 0;
  SessionId session{};
  Digest digest{};
  std::uint32_t maxFrameBytes = 0;
  std::uint64_t maxMessageBytes = 0;
  std::string name;
  std::string description;
};

/// Serializes a hello (name and description must be within their limits).
std::vector<std::uint8_t> encodeHello(const Hello &h);

/// Parses the fixed part; returns an error text (empty on success) and sets
/// `nameLen` / `descLen` to the lengths of the variable part that follows.
std::string decodeHelloFixed(std::span<const std::uint8_t> fixed, Hello &out,
                             std::size_t &nameLen, std::size_t &descLen);

/// One frame header (layout in the file header).
struct FrameHeader {
  FrameType type = FrameType::Data;
  bool last = true;
  std::uint32_t length = 0;
  std::uint64_t messageLength = 0;
  SessionId session{};
};

void encodeFrameHeader(const FrameHeader &h,
                       std::span<std::uint8_t, kFrameHeaderBytes> out);

/// Reassembles frames into messages without copying payload bytes: the
/// caller reads from the connection straight into buffer() and reports how
/// many bytes it got with advance(). Every field is checked against the
/// limits; the first violation is reported as Malformed and the reader
/// stays failed.
class FrameReader {
public:
  struct Event {
    enum Kind { None, Message, Abort, Close, Malformed } kind = None;
    std::vector<std::uint8_t> message; ///< Message
    std::string text;                  ///< Abort reason / Malformed cause
  };

  FrameReader(const SessionId &session, std::uint32_t maxFrameBytes,
              std::uint64_t maxMessageBytes);

  /// Where the next bytes from the connection go (never empty unless the
  /// reader has failed).
  std::span<std::uint8_t> buffer();
  /// `n` bytes (1..buffer().size()) were written to buffer().
  Event advance(std::size_t n);
  /// True between frames of one message or inside a frame: an end of stream
  /// here truncates a message.
  bool midMessage() const { return hdrGot_ != 0 || inFrame_ || inMessage_; }
  /// Bytes of the current frame's payload received / announced.
  std::uint64_t frameGot() const { return frameGot_; }
  std::uint64_t frameLength() const { return inFrame_ ? frame_.length : 0; }

private:
  Event onHeader();
  Event finishFrame();
  Event malformed(std::string why);

  SessionId session_;
  std::uint32_t maxFrame_;
  std::uint64_t maxMessage_;
  std::array<std::uint8_t, kFrameHeaderBytes> hdr_{};
  std::size_t hdrGot_ = 0;
  bool inFrame_ = false;   // header parsed, payload pending
  bool inMessage_ = false; // a DATA message has started and is not complete
  bool failed_ = false;
  FrameHeader frame_;
  std::uint64_t frameGot_ = 0;
  std::vector<std::uint8_t> message_; // the DATA message being assembled
  std::uint64_t messageGot_ = 0;
  std::vector<std::uint8_t> small_; // ABORT payload
};

/// "16 MiB", "4 GiB", "1000 bytes": sizes in error messages.
std::string formatBytes(std::uint64_t n);
/// Lowercase hex.
std::string toHex(std::span<const std::uint8_t> bytes);

} // namespace sstat::runtime::net

#endif // SSTAT_RUNTIME_NET_FRAME_H
