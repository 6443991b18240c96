// TCP listener: the tool as a server, to fuzz clients. It listens from construction on
// (so the port is known before any client starts) and accepts one peer per open().
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/transport/detail/socket_util.hpp"
#include "core/transport/detail/stream_connection.hpp"

namespace pc::transport {

namespace {

using detail::errno_text;
using detail::make_received;

class TcpListener final : public Transport {
 public:
  TcpListener(const Address& local, const TcpOptions& options)
      : no_delay_(options.no_delay), connection_(options.max_buffer, options.send_timeout) {
    listen_on(local);
  }

  Received open(Deadline deadline) override {
    connection_.close();
    if (!listener_.valid()) {
      return make_received(Outcome::Error, setup_error_);
    }
    const auto started = Clock::now();
    for (;;) {
      const detail::Wait wait = detail::wait_fd(listener_.get(), POLLIN, deadline);
      if (wait == detail::Wait::Timeout) {
        Received none = make_received(Outcome::Silence, "no peer connected by the deadline");
        none.latency_us = detail::micros_between(started, Clock::now());
        return none;
      }
      if (wait == detail::Wait::Failed) {
        return make_received(Outcome::Error, errno_text("poll", errno));
      }
      posix::UniqueFd peer(
          ::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (!peer.valid()) {
        const int error_number = errno;
        if (error_number == EAGAIN || error_number == EINTR || error_number == ECONNABORTED) {
          continue;  // the peer gave up before we took it: wait for the next one
        }
        return make_received(Outcome::Error, errno_text("accept", error_number));
      }
      if (no_delay_) {
        const int on = 1;
        ::setsockopt(peer.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      }
      connection_.attach(std::move(peer));
      Received accepted = make_received(Outcome::Answer);
      accepted.latency_us = detail::micros_between(started, Clock::now());
      return accepted;
    }
  }
  bool is_open() const override { return connection_.is_open(); }
  Received send(std::span<const uint8_t> bytes) override { return connection_.send(bytes); }
  Received receive(FrameCutter& cutter, Deadline deadline) override {
    return connection_.receive(cutter, deadline);
  }
  void drain() override { connection_.drain(); }
  void close() override { connection_.close(); }
  size_t buffered() const override { return connection_.buffered(); }
  std::string local_address() const override { return detail::local_name(listener_.get()); }
  std::string peer_address() const override { return detail::peer_name(connection_.fd()); }

 private:
  void listen_on(const Address& local) {
    detail::SocketAddress address;
    if (!detail::to_socket_address(local, address, setup_error_)) {
      return;
    }
    posix::UniqueFd fd(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) {
      setup_error_ = errno_text("socket", errno);
      return;
    }
    const int on = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    const std::string where = "listen on " + local.text();
    if (::bind(fd.get(), address.get(), address.length) != 0 || ::listen(fd.get(), 16) != 0) {
      setup_error_ = errno_text(where.c_str(), errno);
      return;
    }
    listener_ = std::move(fd);
  }

  bool no_delay_;
  detail::StreamConnection connection_;
  posix::UniqueFd listener_;
  std::string setup_error_;
};

}  // namespace

std::unique_ptr<Transport> make_tcp_listener(const Address& local, TcpOptions options) {
  return std::make_unique<TcpListener>(local, options);
}

}  // namespace pc::transport
