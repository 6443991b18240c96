// The Internet checksum (RFC 1071) for IPv4 headers and TCP/UDP segments (internal).
#pragma once

#include <cstdint>
#include <span>

#include "core/capture/ip_address.hpp"

namespace pc::capture::detail {

/// One's-complement sum over any number of byte ranges, as if concatenated.
class InternetChecksum {
 public:
  void add(std::span<const std::uint8_t> bytes);
  void add16(std::uint16_t value);
  /// The checksum field value: complement of the folded sum.
  [[nodiscard]] std::uint16_t finish() const;

 private:
  std::uint32_t sum_ = 0;
  bool odd_ = false;  // last add ended in the middle of a 16-bit word
};

/// Checksum of a TCP or UDP segment (checksum field zeroed) with its pseudo-header.
std::uint16_t transport_checksum(const IpAddress& source, const IpAddress& destination,
                                 std::uint8_t protocol, std::span<const std::uint8_t> segment);

}  // namespace pc::capture::detail
