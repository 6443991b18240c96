// The other end of a connection in the transport tests, written with plain sockets so
// that each test controls exactly what the peer sends, when, and how it closes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pc::transport::test {

// Bytes from "00 01 ff" hex text.
std::vector<uint8_t> hex(const std::string& text);

// A connected TCP socket on the peer's side.
class RawConnection {
 public:
  RawConnection() = default;
  explicit RawConnection(int fd) : fd_(fd) {}
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection();

  bool valid() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  void send(std::span<const uint8_t> bytes) const;  // all of them (blocking)
  // Up to `max` bytes that arrive within `timeout_ms` (empty on timeout or EOF).
  std::vector<uint8_t> receive(size_t max, int timeout_ms) const;
  // Exactly `count` bytes, waiting up to `timeout_ms` in total.
  std::vector<uint8_t> receive_exact(size_t count, int timeout_ms) const;
  void close_with_fin();     // shutdown(SHUT_WR) then close
  void close_with_reset();   // SO_LINGER 0, then close: RST
  std::string peer() const;  // "ADDRESS:PORT" of the other end

 private:
  int fd_ = -1;
};

// A listening TCP socket on a free loopback port.
class RawListener {
 public:
  explicit RawListener(const std::string& host = "127.0.0.1", int backlog = 16);
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;
  ~RawListener();
  uint16_t port() const { return port_; }
  std::string url() const;  // tcp://127.0.0.1:PORT
  RawConnection accept(int timeout_ms = 5000) const;

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::string host_;
};

// A blocking TCP connection to an IPv4 host (invalid when refused).
RawConnection raw_connect(const std::string& host, uint16_t port);

// A port on which nothing listens (bound by no one at the time of the call).
uint16_t closed_port();

// Resident memory of this process, in bytes.
size_t resident_bytes();

}  // namespace pc::transport::test
