// UDP client: a connected datagram socket. Each datagram is one candidate message (the
// cutter still decides whether it frames); an ICMP port unreachable for an earlier
// datagram comes back as Refused on the next call.
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "core/transport/detail/socket_util.hpp"
#include "core/posix/unique_fd.hpp"

namespace pc::transport {

namespace {

using detail::errno_text;
using detail::make_received;

constexpr size_t kMaxDatagram = 65536;
constexpr auto kSendTimeout = std::chrono::seconds(2);
constexpr int kDrainLimit = 1024;  // datagrams

class UdpClient final : public Transport {
 public:
  explicit UdpClient(Address target) : target_(std::move(target)) {}

  Received open(Deadline /*deadline*/) override {
    close();
    detail::SocketAddress remote;
    std::string error;
    if (!detail::to_socket_address(target_, remote, error)) {
      return make_received(Outcome::Error, error);
    }
    posix::UniqueFd fd(::socket(remote.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) {
      return make_received(Outcome::Error, errno_text("socket", errno));
    }
    if (::connect(fd.get(), remote.get(), remote.length) != 0) {
      const std::string what = "connect to " + target_.text();
      return make_received(Outcome::Error, errno_text(what.c_str(), errno));
    }
    fd_ = std::move(fd);
    return make_received(Outcome::Answer);
  }
  bool is_open() const override { return fd_.valid(); }

  Received send(std::span<const uint8_t> bytes) override {
    if (!fd_.valid()) {
      return make_received(Outcome::Error, "send: not connected");
    }
    const Deadline deadline = Clock::now() + kSendTimeout;
    for (;;) {
      if (::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL) >= 0) {
        sent_ = true;
        last_send_end_ = Clock::now();
        return make_received(Outcome::Answer);
      }
      const int error_number = errno;
      if (error_number == EINTR) {
        continue;
      }
      if (error_number == ECONNREFUSED) {
        return make_received(Outcome::Refused, "port unreachable (an earlier datagram)");
      }
      if ((error_number == EAGAIN || error_number == EWOULDBLOCK) &&
          detail::wait_fd(fd_.get(), POLLOUT, deadline) == detail::Wait::Ready) {
        continue;
      }
      return make_received(Outcome::Error, errno_text("send", error_number));
    }
  }

  Received receive(FrameCutter& cutter, Deadline deadline) override {
    const Clock::time_point origin = sent_ ? last_send_end_ : Clock::now();
    if (!fd_.valid()) {
      return make_received(Outcome::Error, "receive: not connected");
    }
    if (pending_.empty()) {
      Received failed;
      if (!read_datagram(deadline, origin, failed)) {
        return failed;
      }
    }
    return cut(cutter, origin);
  }

  void drain() override {
    pending_.clear();
    if (!fd_.valid()) {
      return;
    }
    for (int i = 0; i < kDrainLimit; ++i) {
      uint8_t byte = 0;
      const ssize_t n = ::recv(fd_.get(), &byte, 1, MSG_DONTWAIT | MSG_TRUNC);
      if (n < 0 && errno != EINTR && errno != ECONNREFUSED) {
        return;
      }
    }
  }
  void close() override {
    fd_.reset();
    pending_.clear();
    sent_ = false;
  }
  size_t buffered() const override { return pending_.size(); }
  std::string local_address() const override { return detail::local_name(fd_.get()); }
  std::string peer_address() const override { return detail::peer_name(fd_.get()); }

 private:
  // Waits for one datagram into pending_; false with the outcome to return otherwise.
  bool read_datagram(Deadline deadline, Clock::time_point origin, Received& out) {
    for (;;) {
      const detail::Wait wait = detail::wait_fd(fd_.get(), POLLIN, deadline);
      if (wait != detail::Wait::Ready) {
        out = wait == detail::Wait::Timeout
                  ? make_received(Outcome::Silence)
                  : make_received(Outcome::Error, errno_text("poll", errno));
        out.latency_us = detail::micros_between(origin, Clock::now());
        return false;
      }
      pending_.resize(kMaxDatagram);
      const ssize_t n = ::recv(fd_.get(), pending_.data(), pending_.size(), 0);
      const int error_number = errno;
      if (n >= 0) {
        pending_.resize(static_cast<size_t>(n));
        first_byte_ = Clock::now();
        if (n > 0) {
          return true;
        }
        continue;  // an empty datagram carries nothing to cut
      }
      pending_.clear();
      if (error_number == EINTR || error_number == EAGAIN || error_number == EWOULDBLOCK) {
        continue;
      }
      out = error_number == ECONNREFUSED
                ? make_received(Outcome::Refused, "port unreachable")
                : make_received(Outcome::Error, errno_text("recv", error_number));
      out.latency_us = detail::micros_between(origin, Clock::now());
      return false;
    }
  }

  Received cut(FrameCutter& cutter, Clock::time_point origin) {
    const FrameCutter::Cut verdict = cutter.next(pending_);
    Received out;
    size_t take = pending_.size();
    if (verdict.kind == FrameCutter::Cut::Kind::Message && verdict.size > 0 &&
        verdict.size <= pending_.size()) {
      out.outcome = Outcome::Answer;
      take = verdict.size;
    } else {
      // A datagram that needs more cannot be completed by the next one.
      out.outcome = Outcome::Unframed;
      if (verdict.kind == FrameCutter::Cut::Kind::Junk && verdict.size > 0) {
        take = std::min<size_t>(verdict.size, pending_.size());
      }
    }
    const auto split = pending_.begin() + static_cast<std::ptrdiff_t>(take);
    out.bytes.assign(pending_.begin(), split);
    pending_.erase(pending_.begin(), split);
    out.latency_us = detail::micros_between(origin, first_byte_);
    return out;
  }

  Address target_;
  posix::UniqueFd fd_;
  std::vector<uint8_t> pending_;  // the rest of the last datagram after a cut
  bool sent_ = false;
  Clock::time_point last_send_end_{};
  Clock::time_point first_byte_{};
};

}  // namespace

std::unique_ptr<Transport> make_udp_client(const Address& target) {
  return std::make_unique<UdpClient>(target);
}

}  // namespace pc::transport
