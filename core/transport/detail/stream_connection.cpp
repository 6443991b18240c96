#include "core/transport/detail/stream_connection.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "core/transport/detail/socket_util.hpp"

namespace pc::transport::detail {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
// drain() reads at most this much before giving up on a peer that keeps sending.
constexpr size_t kDrainLimit = 16 * 1024 * 1024;

}  // namespace

StreamConnection::StreamConnection(size_t max_buffer, std::chrono::milliseconds send_timeout)
    : max_buffer_(std::max<size_t>(max_buffer, 1)), send_timeout_(send_timeout) {}

void StreamConnection::attach(posix::UniqueFd fd) {
  fd_ = std::move(fd);
  buffer_.clear();
  buffer_.shrink_to_fit();
  peer_ = Peer::Open;
  reset_reason_.clear();
  sent_ = false;
}

void StreamConnection::close() {
  attach(posix::UniqueFd());
}

bool StreamConnection::is_open() const {
  return fd_.valid() && peer_ == Peer::Open;
}

void StreamConnection::note_reset(int error_number) {
  peer_ = Peer::Reset;
  reset_reason_ = errno_text("connection reset", error_number);
}

Received StreamConnection::send(std::span<const uint8_t> bytes) {
  if (!fd_.valid()) {
    return make_received(Outcome::Error, "send: not connected");
  }
  if (peer_ == Peer::Reset) {
    return make_received(Outcome::Reset, reset_reason_);
  }
  const Deadline deadline = Clock::now() + send_timeout_;
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_.get(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    const int error_number = errno;
    if (error_number == EINTR) {
      continue;
    }
    if (error_number == EAGAIN || error_number == EWOULDBLOCK) {
      if (wait_fd(fd_.get(), POLLOUT, deadline) == Wait::Timeout) {
        return make_received(Outcome::Silence, "send stalled: the peer reads nothing (" +
                                                   std::to_string(sent) + " of " +
                                                   std::to_string(bytes.size()) + " bytes sent)");
      }
      continue;
    }
    if (is_reset(error_number)) {
      note_reset(error_number);
      return make_received(Outcome::Reset, reset_reason_);
    }
    return make_received(Outcome::Error, errno_text("send", error_number));
  }
  sent_ = true;
  last_send_end_ = Clock::now();
  return make_received(Outcome::Answer);
}

bool StreamConnection::cut(FrameCutter& cutter, Clock::time_point origin, Received& out) {
  const FrameCutter::Cut verdict = cutter.next(buffer_);
  size_t take = 0;
  if (verdict.kind == FrameCutter::Cut::Kind::Message && verdict.size > 0 &&
      verdict.size <= buffer_.size()) {
    out.outcome = Outcome::Answer;
    take = verdict.size;
  } else if (verdict.kind == FrameCutter::Cut::Kind::Junk ||
             (verdict.kind == FrameCutter::Cut::Kind::Message && verdict.size == 0)) {
    out.outcome = Outcome::Unframed;
    take = verdict.size == 0 ? buffer_.size() : std::min<size_t>(verdict.size, buffer_.size());
  } else if (buffer_.size() >= max_buffer_) {
    // NeedMore with a full buffer: the peer sends more than any message we keep.
    out.outcome = Outcome::Unframed;
    take = buffer_.size();
  } else {
    return false;
  }
  const auto split = buffer_.begin() + static_cast<std::ptrdiff_t>(take);
  out.bytes.assign(buffer_.begin(), split);
  buffer_.erase(buffer_.begin(), split);
  out.latency_us = micros_between(origin, first_byte_);
  return true;
}

bool StreamConnection::read_some(std::string& error) {
  const size_t room = std::min(kReadChunk, max_buffer_ - buffer_.size());
  const size_t old_size = buffer_.size();
  buffer_.resize(old_size + room);
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), buffer_.data() + old_size, room, 0);
    const int error_number = errno;
    if (n > 0) {
      buffer_.resize(old_size + static_cast<size_t>(n));
      if (old_size == 0) {
        first_byte_ = Clock::now();
      }
      return true;
    }
    buffer_.resize(old_size);
    if (n == 0) {
      peer_ = Peer::Finished;
      return true;
    }
    if (error_number == EINTR) {
      buffer_.resize(old_size + room);
      continue;
    }
    if (error_number == EAGAIN || error_number == EWOULDBLOCK) {
      return true;
    }
    if (is_reset(error_number)) {
      note_reset(error_number);
      return true;
    }
    error = errno_text("recv", error_number);
    return false;
  }
}

Received StreamConnection::take_all(Outcome outcome, Clock::time_point origin) {
  Received received = make_received(outcome, outcome == Outcome::Reset ? reset_reason_ : "");
  received.bytes = std::move(buffer_);
  buffer_.clear();
  received.latency_us = micros_between(origin, Clock::now());
  return received;
}

Received StreamConnection::receive(FrameCutter& cutter, Deadline deadline) {
  const Clock::time_point origin = sent_ ? last_send_end_ : Clock::now();
  if (!fd_.valid()) {
    return make_received(Outcome::Error, "receive: not connected");
  }
  for (;;) {
    Received received;
    if (!buffer_.empty() && cut(cutter, origin, received)) {
      return received;
    }
    if (peer_ == Peer::Finished) {
      return take_all(Outcome::Closed, origin);
    }
    if (peer_ == Peer::Reset) {
      return take_all(Outcome::Reset, origin);
    }
    const Wait wait = wait_fd(fd_.get(), POLLIN, deadline);
    if (wait == Wait::Failed) {
      return make_received(Outcome::Error, errno_text("poll", errno));
    }
    if (wait == Wait::Timeout) {
      received = make_received(Outcome::Silence);
      received.bytes = buffer_;  // a partial message, still kept for the next call
      received.latency_us = micros_between(origin, Clock::now());
      return received;
    }
    std::string error;
    if (!read_some(error)) {
      return make_received(Outcome::Error, error);
    }
  }
}

void StreamConnection::drain() {
  buffer_.clear();
  if (!fd_.valid() || peer_ != Peer::Open) {
    return;
  }
  std::array<uint8_t, kReadChunk> scratch{};
  for (size_t total = 0; total < kDrainLimit;) {
    const ssize_t n = ::recv(fd_.get(), scratch.data(), scratch.size(), MSG_DONTWAIT);
    if (n > 0) {
      total += static_cast<size_t>(n);
      continue;
    }
    if (n == 0) {
      peer_ = Peer::Finished;
      return;
    }
    if (errno == EINTR) {
      continue;
    }
    if (is_reset(errno)) {
      note_reset(errno);
    }
    return;
  }
}

}  // namespace pc::transport::detail
