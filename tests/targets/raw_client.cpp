#include "raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace pc::targets_test {

using Clock = std::chrono::steady_clock;

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> bytes;
  int high = -1;
  for (const char c : hex) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      continue;
    }
    const int digit = std::isdigit(static_cast<unsigned char>(c)) != 0
                          ? c - '0'
                          : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    if (digit < 0 || digit > 15) {
      throw std::invalid_argument("bad hex digit in: " + std::string(hex));
    }
    if (high < 0) {
      high = digit;
    } else {
      bytes.push_back(static_cast<std::uint8_t>(high * 16 + digit));
      high = -1;
    }
  }
  if (high >= 0) {
    throw std::invalid_argument("odd number of hex digits in: " + std::string(hex));
  }
  return bytes;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string text;
  char digits[4];
  for (const std::uint8_t b : bytes) {
    std::snprintf(digits, sizeof digits, "%02x", b);
    if (!text.empty()) {
      text.push_back(' ');
    }
    text.append(digits);
  }
  return text;
}

std::string adu_hex(std::uint16_t transaction, std::uint8_t unit, std::string_view pdu_hex) {
  const auto pdu = from_hex(pdu_hex);
  std::vector<std::uint8_t> adu{static_cast<std::uint8_t>(transaction >> 8),
                                static_cast<std::uint8_t>(transaction & 0xFF),
                                0,
                                0,
                                static_cast<std::uint8_t>((pdu.size() + 1) >> 8),
                                static_cast<std::uint8_t>((pdu.size() + 1) & 0xFF),
                                unit};
  adu.insert(adu.end(), pdu.begin(), pdu.end());
  return to_hex(adu);
}

RawClient::RawClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  const int on = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

RawClient::RawClient(RawClient&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      closed_(other.closed_),
      buffer_(std::move(other.buffer_)) {}

RawClient::~RawClient() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void RawClient::send(std::span<const std::uint8_t> bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      closed_ = true;
      return;
    }
    sent += static_cast<std::size_t>(n);
  }
}

bool RawClient::fill(std::size_t need, Clock::time_point deadline) {
  while (buffer_.size() < need) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      return false;
    }
    pollfd watch{fd_, POLLIN, 0};
    if (::poll(&watch, 1, static_cast<int>(left)) <= 0) {
      continue;
    }
    std::uint8_t chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.insert(buffer_.end(), chunk, chunk + n);
  }
  return true;
}

std::optional<std::vector<std::uint8_t>> RawClient::read_adu(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  if (!fill(6, deadline)) {
    return std::nullopt;
  }
  const std::size_t size = 6 + ((std::size_t{buffer_[4]} << 8) | buffer_[5]);
  if (!fill(size, deadline)) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> adu(buffer_.begin(), buffer_.begin() + static_cast<long>(size));
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<long>(size));
  return adu;
}

std::string RawClient::transact(std::string_view request_hex, std::chrono::milliseconds timeout) {
  send_hex(request_hex);
  const auto adu = read_adu(timeout);
  if (adu) {
    return to_hex(*adu);
  }
  return closed_ ? "closed" : "";
}

bool RawClient::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!closed_) {
    if (!fill(buffer_.size() + 1, deadline) && !closed_) {
      return false;
    }
  }
  return true;
}

}  // namespace pc::targets_test
