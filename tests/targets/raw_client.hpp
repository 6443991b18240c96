// Test helper: a plain TCP client for sending hand-made Modbus/TCP bytes (exception
// cases, framing, defect triggers) and reading back whole ADUs, with bytes written as
// hex strings ("00 01 00 00 00 06 01 03 00 00 00 05").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pc::targets_test {

std::vector<std::uint8_t> from_hex(std::string_view hex);
std::string to_hex(std::span<const std::uint8_t> bytes);
// An ADU: MBAP header (transaction, protocol 0, length) + unit + the PDU given in hex.
std::string adu_hex(std::uint16_t transaction, std::uint8_t unit, std::string_view pdu_hex);

class RawClient {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit RawClient(std::uint16_t port);
  RawClient(RawClient&& other) noexcept;
  RawClient& operator=(RawClient&&) = delete;
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient();

  void send(std::span<const std::uint8_t> bytes);
  void send_hex(std::string_view hex) { send(from_hex(hex)); }

  // The next ADU (by its MBAP length) within `timeout`; empty on timeout or when the
  // peer closed (closed() tells which).
  std::optional<std::vector<std::uint8_t>> read_adu(std::chrono::milliseconds timeout);
  // send_hex + read_adu, answer in hex: "" on timeout, "closed" when the peer closed.
  std::string transact(std::string_view request_hex,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the peer closes (EOF or reset) within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout);
  bool closed() const { return closed_; }
  int fd() const { return fd_; }

 private:
  bool fill(std::size_t need, std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool closed_ = false;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace pc::targets_test
