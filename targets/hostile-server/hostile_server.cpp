#include "hostile_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <span>
#include <stdexcept>

namespace pc::hostile {

namespace {

constexpr auto kSlowPeriod = std::chrono::seconds(1);
constexpr auto kTricklePeriod = std::chrono::milliseconds(500);
constexpr size_t kFloodChunk = 64 * 1024;

std::runtime_error system_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// The header of a Modbus/TCP answer whose length field claims 65535 more bytes.
std::array<uint8_t, 8> absurd_header(std::span<const uint8_t> request) {
  std::array<uint8_t, 8> header = {0x00, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x01, 0x03};
  if (request.size() >= 2) {
    header[0] = request[0];  // echo the transaction id, as a real answer would
    header[1] = request[1];
  }
  if (request.size() >= 8) {
    header[6] = request[6];
    header[7] = request[7];
  }
  return header;
}

void send_some(int fd, std::span<const uint8_t> bytes) {
  // Non-blocking and best effort: a hostile server does not care what gets through.
  [[maybe_unused]] const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

}  // namespace

HostileServer::HostileServer(ServerOptions options)
    : options_(std::move(options)), flood_chunk_(kFloodChunk), random_(options_.seed) {
  for (size_t i = 0; i < flood_chunk_.size(); ++i) {
    flood_chunk_[i] = static_cast<uint8_t>(random_());
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options_.port);
  if (::inet_pton(AF_INET, options_.bind_address.c_str(), &address.sin_addr) != 1) {
    throw std::runtime_error("not an IPv4 address: " + options_.bind_address);
  }
  listener_ = posix::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!listener_.valid()) {
    throw system_error("socket");
  }
  const int on = 1;
  ::setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_.get(), 64) != 0) {
    throw system_error("listen on " + options_.bind_address + ":" + std::to_string(options_.port));
  }
  socklen_t length = sizeof address;
  ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
}

bool HostileServer::needs_ticks() const {
  return options_.mode == Mode::Slow || options_.mode == Mode::AbsurdLength;
}

void HostileServer::accept_all() {
  for (;;) {
    posix::UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd.valid()) {
      return;  // EAGAIN, or out of descriptors: try again on the next wake-up
    }
    if (connections_.size() >= options_.max_connections) {
      continue;  // closes here
    }
    if (options_.mode == Mode::CloseImmediately) {
      // FIN at once; reading on until the client closes too, so that a request it
      // already sent does not turn our close into a reset.
      ::shutdown(fd.get(), SHUT_WR);
    }
    Connection connection;
    connection.fd = std::move(fd);
    connection.next_tick = Clock::now() + kSlowPeriod;
    connections_.push_back(std::move(connection));
  }
}

void HostileServer::send_random(Connection& connection, size_t min_size, size_t max_size) {
  std::uniform_int_distribution<size_t> size(min_size, max_size);
  std::vector<uint8_t> bytes(size(random_));
  for (uint8_t& byte : bytes) {
    byte = static_cast<uint8_t>(random_());
  }
  send_some(connection.fd.get(), bytes);
}

void HostileServer::on_readable(Connection& connection) {
  std::array<uint8_t, 4096> request{};
  const ssize_t n = ::recv(connection.fd.get(), request.data(), request.size(), 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    connection.fd.reset();
    return;
  }
  if (n < 0) {
    return;
  }
  const std::span<const uint8_t> got(request.data(), static_cast<size_t>(n));
  switch (options_.mode) {
    case Mode::RandomBytes:
      send_random(connection, 1, 2048);
      break;
    case Mode::AbsurdLength:
      if (!connection.answered) {
        send_some(connection.fd.get(), absurd_header(got));
        connection.answered = true;
        connection.next_tick = Clock::now() + kTricklePeriod;
      }
      break;
    case Mode::Reset: {
      // Part of an answer, then an abortive close: the client gets RST mid-answer.
      const auto header = absurd_header(got);
      send_some(connection.fd.get(), std::span<const uint8_t>(header).first(3));
      const linger abort{1, 0};
      ::setsockopt(connection.fd.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
      connection.fd.reset();
      break;
    }
    case Mode::Slow:
    case Mode::Silent:
    case Mode::Flood:
    case Mode::CloseImmediately:
      break;  // read and forget
  }
}

void HostileServer::on_writable(Connection& connection) {
  for (int i = 0; i < 64; ++i) {  // bounded, so other connections get their turn
    const ssize_t n =
        ::send(connection.fd.get(), flood_chunk_.data(), flood_chunk_.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) {
        connection.fd.reset();
      }
      return;
    }
  }
}

void HostileServer::on_tick(Connection& connection, Clock::time_point now) {
  if (now < connection.next_tick) {
    return;
  }
  if (options_.mode == Mode::Slow) {
    send_random(connection, 1, 1);
    connection.next_tick = now + kSlowPeriod;
  } else if (options_.mode == Mode::AbsurdLength && connection.answered) {
    send_random(connection, 1, 1);
    connection.next_tick = now + kTricklePeriod;
  }
}

int HostileServer::next_timeout_ms(Clock::time_point now) const {
  if (!needs_ticks() || connections_.empty()) {
    return -1;
  }
  auto next = Clock::time_point::max();
  for (const Connection& connection : connections_) {
    if (options_.mode == Mode::Slow || connection.answered) {
      next = std::min(next, connection.next_tick);
    }
  }
  if (next == Clock::time_point::max()) {
    return -1;
  }
  if (next <= now) {
    return 0;
  }
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(next - now).count());
}

int HostileServer::run() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  const posix::UniqueFd signals(::signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!signals.valid()) {
    throw system_error("signalfd");
  }
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({signals.get(), POLLIN, 0});
    fds.push_back({listener_.get(), POLLIN, 0});
    const short writes = options_.mode == Mode::Flood ? POLLOUT : 0;
    for (const Connection& connection : connections_) {
      fds.push_back({connection.fd.get(), static_cast<short>(POLLIN | writes), 0});
    }
    const int ready = ::poll(fds.data(), fds.size(), next_timeout_ms(Clock::now()));
    if (ready < 0 && errno != EINTR) {
      throw system_error("poll");
    }
    if (fds[0].revents != 0) {
      return 0;
    }
    const auto now = Clock::now();
    for (size_t i = 0; i < connections_.size(); ++i) {
      Connection& connection = connections_[i];
      const short revents = fds[i + 2].revents;
      if ((revents & (POLLIN | POLLERR | POLLHUP)) != 0 && connection.fd.valid()) {
        on_readable(connection);
      }
      if ((revents & POLLOUT) != 0 && connection.fd.valid()) {
        on_writable(connection);
      }
      if (needs_ticks() && connection.fd.valid()) {
        on_tick(connection, now);
      }
    }
    std::erase_if(connections_,
                  [](const Connection& connection) { return !connection.fd.valid(); });
    if (fds[1].revents != 0) {
      accept_all();
    }
  }
}

}  // namespace pc::hostile
