// Encoding of Ethernet + IPv4/IPv6 + TCP/UDP frames with valid checksums (internal).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/capture/ip_address.hpp"

namespace pc::capture::detail {

struct IpHeaderSpec {
  IpAddress source;
  IpAddress destination;
  std::uint16_t id = 0;  ///< IPv4 identification (unused for IPv6)
};

struct TcpSegmentSpec {
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 0;
  std::span<const std::uint8_t> options;  ///< length a multiple of 4, at most 40
  std::span<const std::uint8_t> payload;
};

/// Ethernet II frame; MAC addresses are derived from the IP addresses
/// (02:00 + last four address bytes), so each host keeps one MAC.
std::vector<std::uint8_t> build_tcp_frame(const IpHeaderSpec& ip, const TcpSegmentSpec& tcp);

std::vector<std::uint8_t> build_udp_frame(const IpHeaderSpec& ip, std::uint16_t source_port,
                                          std::uint16_t destination_port,
                                          std::span<const std::uint8_t> payload);

}  // namespace pc::capture::detail
