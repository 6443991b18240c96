#include "raw_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace pc::transport::test {

namespace {

std::runtime_error failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

std::string name_of(const sockaddr_storage& storage) {
  char host[INET6_ADDRSTRLEN] = {};
  uint16_t port = 0;
  if (storage.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage);
    ::inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    port = ntohs(v4->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage);
  ::inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
  port = ntohs(v6->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

}  // namespace

std::vector<uint8_t> hex(const std::string& text) {
  std::vector<uint8_t> bytes;
  std::string digits;
  for (const char c : text) {
    if (c != ' ') {
      digits.push_back(c);
    }
  }
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

RawConnection::RawConnection(RawConnection&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void RawConnection::send(std::span<const uint8_t> bytes) const {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      throw failure("peer send");
    }
    sent += static_cast<size_t>(n);
  }
}

std::vector<uint8_t> RawConnection::receive(size_t max, int timeout_ms) const {
  pollfd entry{fd_, POLLIN, 0};
  if (::poll(&entry, 1, timeout_ms) <= 0) {
    return {};
  }
  std::vector<uint8_t> bytes(max);
  const ssize_t n = ::recv(fd_, bytes.data(), bytes.size(), 0);
  bytes.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return bytes;
}

std::vector<uint8_t> RawConnection::receive_exact(size_t count, int timeout_ms) const {
  std::vector<uint8_t> all;
  const int step = 20;
  for (int waited = 0; all.size() < count && waited < timeout_ms; waited += step) {
    const auto part = receive(count - all.size(), step);
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

void RawConnection::close_with_fin() {
  ::shutdown(fd_, SHUT_WR);
  ::close(std::exchange(fd_, -1));
}

void RawConnection::close_with_reset() {
  const linger abort{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  ::close(std::exchange(fd_, -1));
}

std::string RawConnection::peer() const {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  ::getpeername(fd_, reinterpret_cast<sockaddr*>(&storage), &length);
  return name_of(storage);
}

RawListener::RawListener(const std::string& host, int backlog) : host_(host) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (host.find(':') != std::string::npos) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    ::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr);
    length = sizeof *v6;
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    ::inet_pton(AF_INET, host.c_str(), &v4->sin_addr);
    length = sizeof *v4;
  }
  fd_ = ::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
      ::listen(fd_, backlog) != 0) {
    throw failure("raw listener on " + host);
  }
  length = sizeof storage;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length);
  port_ = storage.ss_family == AF_INET
              ? ntohs(reinterpret_cast<sockaddr_in*>(&storage)->sin_port)
              : ntohs(reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
}

RawListener::~RawListener() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

std::string RawListener::url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return "tcp://" + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

RawConnection RawListener::accept(int timeout_ms) const {
  pollfd entry{fd_, POLLIN, 0};
  if (::poll(&entry, 1, timeout_ms) <= 0) {
    return RawConnection();
  }
  return RawConnection(::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC));
}

RawConnection raw_connect(const std::string& host, uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  RawConnection connection(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (::connect(connection.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return RawConnection();
  }
  return connection;
}

uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

size_t resident_bytes() {
  FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) {
    return 0;
  }
  unsigned long size = 0;
  unsigned long resident = 0;
  const int got = std::fscanf(statm, "%lu %lu", &size, &resident);
  std::fclose(statm);
  return got == 2 ? resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace pc::transport::test
