// An IPv4 or IPv6 address as raw bytes, with text conversion both ways.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pc::capture {

struct IpAddress {
  std::uint8_t version = 4;            ///< 4 or 6
  std::array<std::uint8_t, 16> bytes{};  ///< IPv4 uses the first 4

  /// From 4 or 16 network-order bytes; other sizes give nullopt.
  static std::optional<IpAddress> from_bytes(std::span<const std::uint8_t> raw);
  /// From "192.0.2.1" or "2001:db8::1"; nullopt when it is neither.
  static std::optional<IpAddress> parse(std::string_view text);

  [[nodiscard]] std::span<const std::uint8_t> view() const {
    return {bytes.data(), version == 4 ? 4U : 16U};
  }
  /// Dotted quad, or compressed IPv6 text (RFC 5952).
  [[nodiscard]] std::string to_string() const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

}  // namespace pc::capture
