//===- net/Connection.cpp - One full-duplex framed TLS connection ---------===//
//
// The I/O thread of one connection (see Connection.h): a poll() loop that
// alternates bounded read and write slices on one non-blocking SSL object.
// Reads go straight into the message being reassembled; writes send each
// frame's header and payload without copying the payload (frames of at
// most 16 KiB are coalesced into one TLS record instead).
//
//===----------------------------------------------------------------------===//

#include "Connection.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sstat::runtime::net::detail {

namespace {

constexpr std::size_t kSliceBytes = 4u << 20;     // per read / write slice
constexpr std::size_t kCoalesceBytes = 16 * 1024; // one TLS record

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             Clock::now().time_since_epoch())
      .count();
}

} // namespace

// ---- Domain ----------------------------------------------------------------

bool Domain::fail(const std::string &msg, bool forward) {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (failure_)
      return false;
    failure_ = msg;
  }
  cv.notify_all();
  if (forward)
    for (Connection *c : members_)
      c->abortAsync(msg);
  return true;
}

std::optional<std::string> Domain::failure() {
  std::lock_guard<std::mutex> lock(mu);
  return failure_;
}

// ---- Application side
// --------------------------------------------------------

Connection::Connection(Domain &domain, SslPtr ssl, Fd fd,
                       std::shared_ptr<WireCounters> counters,
                       ConnectionParams params)
    : domain_(domain), ssl_(std::move(ssl)), fd_(std::move(fd)),
      wc_(std::move(counters)), p_(std::move(params)),
      reader_(p_.session, p_.recvMaxFrame, p_.recvMaxMessage) {
  wakeFd_ = Fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!wakeFd_)
    throw NetError(std::string("cannot create an eventfd: ") +
                   std::strerror(errno));
  lastActivityNs_ = nowNs();
}

Connection::~Connection() {
  if (thread_.joinable()) {
    closeAsync(std::chrono::milliseconds(0));
    thread_.join();
  }
}

void Connection::start() {
  thread_ = std::thread([this] { run(); });
}

void Connection::wake() {
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wakeFd_.get(), &one, sizeof one);
}

void Connection::send(std::vector<std::uint8_t> msg) {
  if (msg.size() > p_.sendMaxMessage)
    throw NetError("a message of " + std::to_string(msg.size()) +
                   " bytes exceeds the " + formatBytes(p_.sendMaxMessage) +
                   " limit of " + p_.label);
  if (auto f = domain_.failure())
    throw NetError(*f);
  {
    std::lock_guard<std::mutex> lock(outMu_);
    if (closing_ || abortPending_)
      throw NetError("the connection to " + p_.label + " is closed");
    outQ_.push_back(OutItem{OutItem::Data, std::move(msg)});
  }
  wake();
}

void Connection::sendRaw(std::vector<std::uint8_t> bytes) {
  {
    std::lock_guard<std::mutex> lock(outMu_);
    outQ_.push_back(OutItem{OutItem::Raw, std::move(bytes)});
  }
  wake();
}

std::vector<std::uint8_t> Connection::recv(std::chrono::milliseconds timeout) {
  const auto start = Clock::now();
  std::string failMsg;
  {
    std::unique_lock<std::mutex> lock(domain_.mu);
    for (;;) {
      if (domain_.failureLocked())
        throw NetError(*domain_.failureLocked());
      if (!inQ_.empty()) {
        std::vector<std::uint8_t> m = std::move(inQ_.front());
        inQ_.pop_front();
        return m;
      }
      if (peerClosed_ || ioEnded_) {
        failMsg = p_.label + " closed the connection";
        break;
      }
      const Clock::time_point last{std::chrono::duration_cast<Clock::duration>(
          std::chrono::nanoseconds(lastActivityNs_.load()))};
      const Clock::time_point deadline = std::max(start, last) + timeout;
      if (Clock::now() >= deadline) {
        failMsg = "no message from " + p_.label + " within " +
                  formatDuration(timeout);
        break;
      }
      domain_.cv.wait_until(lock, deadline);
    }
  }
  domain_.fail(failMsg, true);
  throw NetError(*domain_.failure());
}

void Connection::abortAsync(const std::string &reason) {
  {
    std::lock_guard<std::mutex> lock(outMu_);
    if (abortPending_)
      return;
    abortPending_ = true;
    abortReason_ = reason.substr(0, kMaxAbortReasonBytes);
    outQ_.clear();
  }
  wake();
}

void Connection::closeAsync(std::chrono::milliseconds linger) {
  {
    std::lock_guard<std::mutex> lock(outMu_);
    if (!closing_) {
      closing_ = true;
      outQ_.push_back(OutItem{OutItem::Close, {}});
    }
    if (!closeLinger_ || linger < *closeLinger_) {
      closeLinger_ = linger;
      closeRequested_ = Clock::now();
    }
  }
  wake();
}

void Connection::join() {
  if (thread_.joinable())
    thread_.join();
}

void Connection::drop() { ::shutdown(fd_.get(), SHUT_RDWR); }

// ---- I/O thread ------------------------------------------------------------

void Connection::onEvent(FrameReader::Event &ev) {
  switch (ev.kind) {
  case FrameReader::Event::None:
    return;
  case FrameReader::Event::Message: {
    {
      std::lock_guard<std::mutex> lock(domain_.mu);
      inQ_.push_back(std::move(ev.message));
    }
    domain_.cv.notify_all();
    return;
  }
  case FrameReader::Event::Abort:
    readDone_ = true;
    domain_.fail(p_.who + " aborted: " + ev.text, false);
    return;
  case FrameReader::Event::Close: {
    {
      std::lock_guard<std::mutex> lock(domain_.mu);
      peerClosed_ = true;
    }
    domain_.cv.notify_all();
    return;
  }
  case FrameReader::Event::Malformed:
    readDone_ = true;
    domain_.fail(p_.label + " sent a malformed frame: " + ev.text, true);
    return;
  }
}

Connection::Pump Connection::pumpRead() {
  std::size_t budget = kSliceBytes;
  while (!readDone_) {
    if (budget == 0)
      return Pump::Progress;
    std::span<std::uint8_t> buf = reader_.buffer();
    if (buf.empty()) {
      readDone_ = true;
      break;
    }
    ERR_clear_error();
    int n =
        SSL_read(ssl_.get(), buf.data(),
                 static_cast<int>(std::min<std::size_t>(buf.size(), 1u << 30)));
    if (n > 0) {
      lastActivityNs_ = nowNs();
      budget -= std::min<std::size_t>(budget, static_cast<std::size_t>(n));
      FrameReader::Event ev = reader_.advance(static_cast<std::size_t>(n));
      onEvent(ev);
      continue;
    }
    const int err = SSL_get_error(ssl_.get(), n);
    if (err == SSL_ERROR_WANT_READ)
      return Pump::WantRead;
    if (err == SSL_ERROR_WANT_WRITE)
      return Pump::WantWrite;
    const std::string cause = describeSslFailure(ssl_.get(), n, *wc_);
    readDone_ = true;
    bool orderly;
    {
      std::lock_guard<std::mutex> lock(domain_.mu);
      orderly = peerClosed_;
    }
    // Record the precise cause before a waiting recv can see ioEnded_.
    if (cause == "closed the connection") {
      if (!orderly) {
        std::string msg = p_.label + " closed the connection";
        if (reader_.frameLength() != 0)
          msg += " in the middle of a frame (truncated frame: " +
                 std::to_string(reader_.frameGot()) + " of " +
                 std::to_string(reader_.frameLength()) + " payload bytes)";
        else if (reader_.midMessage())
          msg += " in the middle of a message";
        domain_.fail(msg, true);
      }
    } else {
      domain_.fail("connection to " + p_.label + " failed: " + cause, true);
    }
    {
      std::lock_guard<std::mutex> lock(domain_.mu);
      ioEnded_ = true;
    }
    domain_.cv.notify_all();
  }
  return Pump::Idle;
}

bool Connection::nextFrame() {
  std::lock_guard<std::mutex> lock(outMu_);
  if (abortPending_ && !abortSent_) {
    abortSent_ = true;
    cur_.reset();
    curOff_ = 0;
    FrameHeader h;
    h.type = FrameType::Abort;
    h.length = static_cast<std::uint32_t>(abortReason_.size());
    h.messageLength = h.length;
    h.session = p_.session;
    encodeFrameHeader(h, hdr_);
    small_.assign(hdr_.begin(), hdr_.end());
    small_.insert(small_.end(), abortReason_.begin(), abortReason_.end());
    seg_[0] = small_.data();
    segLen_[0] = small_.size();
    nseg_ = 1;
    closeFrame_ = true;
  } else {
    if (abortSent_)
      return false; // nothing after an abort
    if (!cur_) {
      if (outQ_.empty())
        return false;
      cur_ = std::move(outQ_.front());
      outQ_.pop_front();
      curOff_ = 0;
    }
    closeFrame_ = false;
    switch (cur_->kind) {
    case OutItem::Raw:
      seg_[0] = cur_->bytes.data();
      segLen_[0] = cur_->bytes.size();
      nseg_ = 1;
      curLen_ = static_cast<std::uint32_t>(0);
      break;
    case OutItem::Close: {
      FrameHeader h;
      h.type = FrameType::Close;
      h.length = 0;
      h.messageLength = 0;
      h.session = p_.session;
      encodeFrameHeader(h, hdr_);
      seg_[0] = hdr_.data();
      segLen_[0] = hdr_.size();
      nseg_ = 1;
      closeFrame_ = true;
      break;
    }
    case OutItem::Data: {
      const std::uint64_t size = cur_->bytes.size();
      curLen_ = static_cast<std::uint32_t>(
          std::min<std::uint64_t>(p_.sendMaxFrame, size - curOff_));
      FrameHeader h;
      h.type = FrameType::Data;
      h.length = curLen_;
      h.messageLength = size;
      h.last = curOff_ + curLen_ == size;
      h.session = p_.session;
      encodeFrameHeader(h, hdr_);
      const std::uint8_t *payload = cur_->bytes.data() + curOff_;
      if (curLen_ + kFrameHeaderBytes <= kCoalesceBytes) {
        small_.assign(hdr_.begin(), hdr_.end());
        small_.insert(small_.end(), payload, payload + curLen_);
        seg_[0] = small_.data();
        segLen_[0] = small_.size();
        nseg_ = 1;
      } else {
        seg_[0] = hdr_.data();
        segLen_[0] = hdr_.size();
        seg_[1] = payload;
        segLen_[1] = curLen_;
        nseg_ = 2;
      }
      break;
    }
    }
  }
  segi_ = 0;
  segOff_ = 0;
  frameActive_ = true;
  return true;
}

void Connection::frameDone() {
  frameActive_ = false;
  if (closeFrame_) {
    shutdownPending_ = true;
    cur_.reset();
    return;
  }
  if (!cur_)
    return;
  if (cur_->kind == OutItem::Data) {
    curOff_ += curLen_;
    if (curOff_ < cur_->bytes.size())
      return;
  }
  cur_.reset();
  curOff_ = 0;
}

Connection::Pump Connection::pumpWrite() {
  std::size_t budget = kSliceBytes;
  while (!writeDone_) {
    if (shutdownPending_) {
      ERR_clear_error();
      int r = SSL_shutdown(ssl_.get());
      if (r < 0) {
        int err = SSL_get_error(ssl_.get(), r);
        if (err == SSL_ERROR_WANT_WRITE)
          return Pump::WantWrite;
        if (err == SSL_ERROR_WANT_READ)
          return Pump::WantRead;
        ERR_clear_error();
      }
      shutdownPending_ = false;
      writeDone_ = true;
      break;
    }
    if (budget == 0)
      return Pump::Progress;
    if (!frameActive_ && !nextFrame())
      return Pump::Idle;
    if (segi_ == nseg_) { // an empty raw write
      frameDone();
      continue;
    }
    const std::uint8_t *ptr = seg_[segi_] + segOff_;
    const std::size_t left = segLen_[segi_] - segOff_;
    if (left == 0) {
      ++segi_;
      segOff_ = 0;
      if (segi_ == nseg_)
        frameDone();
      continue;
    }
    ERR_clear_error();
    int n = SSL_write(ssl_.get(), ptr,
                      static_cast<int>(std::min<std::size_t>(left, 1u << 30)));
    if (n > 0) {
      lastWrite_ = Clock::now();
      segOff_ += static_cast<std::size_t>(n);
      budget -= std::min<std::size_t>(budget, static_cast<std::size_t>(n));
      continue;
    }
    const int err = SSL_get_error(ssl_.get(), n);
    if (err == SSL_ERROR_WANT_WRITE)
      return Pump::WantWrite;
    if (err == SSL_ERROR_WANT_READ)
      return Pump::WantRead;
    const std::string cause = describeSslFailure(ssl_.get(), n, *wc_);
    writeDone_ = true;
    domain_.fail(
        "connection to " + p_.label + " failed while sending: " + cause, true);
  }
  return Pump::Idle;
}

void Connection::run() {
  for (;;) {
    const Pump r = pumpRead();
    const Pump w = pumpWrite();

    std::optional<Clock::time_point> deadline;
    {
      std::lock_guard<std::mutex> lock(outMu_);
      if (closeLinger_)
        deadline = std::max(closeRequested_, lastWrite_) + *closeLinger_;
    }
    if (writeDone_ && readDone_)
      break;
    if (deadline && Clock::now() >= *deadline)
      break;
    if (r == Pump::Progress || w == Pump::Progress)
      continue;

    short events = 0;
    if (r == Pump::WantRead || w == Pump::WantRead)
      events |= POLLIN;
    if (r == Pump::WantWrite || w == Pump::WantWrite)
      events |= POLLOUT;
    pollfd fds[2] = {{events ? fd_.get() : -1, events, 0},
                     {wakeFd_.get(), POLLIN, 0}};
    int timeoutMs = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - Clock::now());
      timeoutMs = static_cast<int>(std::max<long long>(0, left.count() + 1));
    }
    int rc = ::poll(fds, 2, timeoutMs);
    if (rc < 0 && errno != EINTR)
      break;
    if (fds[1].revents & POLLIN) {
      std::uint64_t v;
      [[maybe_unused]] ssize_t n = ::read(wakeFd_.get(), &v, sizeof v);
    }
  }
  {
    std::lock_guard<std::mutex> lock(domain_.mu);
    ioEnded_ = true;
  }
  domain_.cv.notify_all();
}

} // namespace sstat::runtime::net::detail
