#include "core/transport/detail/socket_util.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>

#include <cerrno>
#include <cstring>
#include <limits>

namespace pc::transport::detail {

Wait wait_fd(int fd, short events, Deadline deadline) {
  for (;;) {
    const auto now = Clock::now();
    const auto left = deadline > now ? deadline - now : Clock::duration::zero();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(left - seconds);
    timespec timeout{};
    timeout.tv_sec = static_cast<time_t>(seconds.count());
    timeout.tv_nsec = static_cast<long>(nanos.count());
    pollfd entry{fd, events, 0};
    const int n = ::ppoll(&entry, 1, &timeout, nullptr);
    if (n > 0) {
      return Wait::Ready;
    }
    if (n < 0 && errno != EINTR) {
      return Wait::Failed;
    }
    if (n == 0 && Clock::now() >= deadline) {
      return Wait::Timeout;
    }
  }
}

const sockaddr* SocketAddress::get() const {
  return reinterpret_cast<const sockaddr*>(&storage);
}

namespace {

bool numeric_address(const std::string& host, uint16_t port, SocketAddress& out,
                     std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0 || found == nullptr) {
    error = "not a numeric address: '" + host + "' (" + ::gai_strerror(rc) + ")";
    return false;
  }
  std::memcpy(&out.storage, found->ai_addr, found->ai_addrlen);
  out.length = found->ai_addrlen;
  ::freeaddrinfo(found);
  return true;
}

}  // namespace

bool to_socket_address(const Address& address, SocketAddress& out, std::string& error) {
  if (address.resolved.empty()) {
    error = "address '" + address.host + "' was not resolved";
    return false;
  }
  return numeric_address(address.resolved, address.port, out, error);
}

bool to_socket_address(const std::string& numeric_host, SocketAddress& out, std::string& error) {
  return numeric_address(numeric_host, 0, out, error);
}

std::string format_address(const sockaddr* address, socklen_t length) {
  char host[NI_MAXHOST] = {};
  char service[NI_MAXSERV] = {};
  if (::getnameinfo(address, length, host, sizeof host, service, sizeof service,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return {};
  }
  if (address->sa_family == AF_INET6) {
    return std::string("[") + host + "]:" + service;
  }
  return std::string(host) + ":" + service;
}

std::string local_name(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (fd < 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return {};
  }
  return format_address(reinterpret_cast<sockaddr*>(&storage), length);
}

std::string peer_name(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (fd < 0 || ::getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return {};
  }
  return format_address(reinterpret_cast<sockaddr*>(&storage), length);
}

bool is_refusal(int error_number) {
  switch (error_number) {
    case ECONNREFUSED:
    case ETIMEDOUT:
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case ECONNRESET:
    case ECONNABORTED:
      return true;
    default:
      return false;
  }
}

bool is_reset(int error_number) {
  return error_number == ECONNRESET || error_number == EPIPE || error_number == ETIMEDOUT ||
         error_number == ECONNABORTED || error_number == EHOSTUNREACH;
}

std::string errno_text(const char* what, int error_number) {
  return std::string(what) + ": " + std::strerror(error_number);
}

uint32_t micros_between(Clock::time_point from, Clock::time_point to) {
  if (to <= from) {
    return 0;
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
  constexpr auto max = std::numeric_limits<uint32_t>::max();
  return micros > static_cast<long long>(max) ? max : static_cast<uint32_t>(micros);
}

Received make_received(Outcome outcome, std::string error) {
  Received received;
  received.outcome = outcome;
  received.error = std::move(error);
  return received;
}

}  // namespace pc::transport::detail
