// TCP client: connects with a timeout (optionally from a chosen source address), then
// hands the socket to a StreamConnection.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "core/transport/detail/socket_util.hpp"
#include "core/transport/detail/stream_connection.hpp"

namespace pc::transport {

namespace {

using detail::errno_text;
using detail::make_received;

class TcpClient final : public Transport {
 public:
  TcpClient(Address target, TcpOptions options)
      : target_(std::move(target)),
        options_(std::move(options)),
        connection_(options_.max_buffer, options_.send_timeout) {}

  Received open(Deadline deadline) override {
    connection_.close();
    const auto started = Clock::now();
    posix::UniqueFd fd;
    Received result = connect_socket(std::min(deadline, started + options_.connect_timeout), fd);
    result.latency_us = detail::micros_between(started, Clock::now());
    if (result.outcome == Outcome::Answer) {
      connection_.attach(std::move(fd));
    }
    return result;
  }
  bool is_open() const override { return connection_.is_open(); }
  Received send(std::span<const uint8_t> bytes) override { return connection_.send(bytes); }
  Received receive(FrameCutter& cutter, Deadline deadline) override {
    return connection_.receive(cutter, deadline);
  }
  void drain() override { connection_.drain(); }
  void close() override { connection_.close(); }
  size_t buffered() const override { return connection_.buffered(); }
  std::string local_address() const override { return detail::local_name(connection_.fd()); }
  std::string peer_address() const override { return detail::peer_name(connection_.fd()); }

 private:
  Received connect_socket(Deadline deadline, posix::UniqueFd& fd) {
    detail::SocketAddress remote;
    std::string error;
    if (!detail::to_socket_address(target_, remote, error)) {
      return make_received(Outcome::Error, error);
    }
    fd = posix::UniqueFd(::socket(remote.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) {
      return make_received(Outcome::Error, errno_text("socket", errno));
    }
    if (options_.no_delay) {
      const int on = 1;
      ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    if (!options_.source_address.empty()) {
      Received bound = bind_source(fd.get(), remote.family());
      if (bound.outcome != Outcome::Answer) {
        return bound;
      }
    }
    if (::connect(fd.get(), remote.get(), remote.length) == 0) {
      return make_received(Outcome::Answer);
    }
    if (errno != EINPROGRESS && errno != EINTR) {
      return connect_failure(errno);
    }
    const auto started = Clock::now();
    if (detail::wait_fd(fd.get(), POLLOUT, deadline) == detail::Wait::Timeout) {
      const auto waited =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
      return make_received(Outcome::Refused, "connect to " + target_.text() + " timed out after " +
                                                 std::to_string(waited.count()) + " ms");
    }
    int so_error = 0;
    socklen_t length = sizeof so_error;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &length) != 0) {
      return make_received(Outcome::Error, errno_text("getsockopt", errno));
    }
    return so_error == 0 ? make_received(Outcome::Answer) : connect_failure(so_error);
  }

  Received bind_source(int fd, int family) {
    detail::SocketAddress local;
    std::string error;
    if (!detail::to_socket_address(options_.source_address, local, error)) {
      return make_received(Outcome::Error, "source address: " + error);
    }
    if (local.family() != family) {
      return make_received(Outcome::Error, "source address " + options_.source_address +
                                               " is not of the target's address family");
    }
    // The port is chosen at connect() for the whole 4-tuple: many source addresses can
    // then share the ephemeral port range.
    const int on = 1;
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
    if (::bind(fd, local.get(), local.length) != 0) {
      return make_received(Outcome::Error,
                           errno_text(("bind " + options_.source_address).c_str(), errno));
    }
    return make_received(Outcome::Answer);
  }

  Received connect_failure(int error_number) const {
    const std::string what = "connect to " + target_.text();
    return make_received(detail::is_refusal(error_number) ? Outcome::Refused : Outcome::Error,
                         errno_text(what.c_str(), error_number));
  }

  Address target_;
  TcpOptions options_;
  detail::StreamConnection connection_;
};

}  // namespace

std::unique_ptr<Transport> make_tcp_client(const Address& target, TcpOptions options) {
  return std::make_unique<TcpClient>(target, std::move(options));
}

}  // namespace pc::transport
