// Parse IPv4 and IPv6 headers, including IPv6 extension headers (internal).
#pragma once

#include <cstdint>

#include "core/capture/detail/bytes.hpp"
#include "core/capture/ip_address.hpp"

namespace pc::capture::detail {

struct IpPacket {
  bool ok = false;
  const char* reason = "";  ///< why not ok
  IpAddress source;
  IpAddress destination;
  std::uint8_t protocol = 0;  ///< upper-layer protocol after extension headers
  bool no_next_header = false;  ///< IPv6 next header 59, or ESP (payload not readable)
  Bytes payload;                ///< captured upper-layer bytes
  std::uint32_t claimed_length = 0;  ///< upper-layer length the header announced
  bool is_fragment = false;
  std::uint32_t fragment_id = 0;
  std::uint32_t fragment_offset = 0;  ///< in bytes
  bool more_fragments = false;
};

IpPacket parse_ipv4(Bytes packet);
IpPacket parse_ipv6(Bytes packet);

}  // namespace pc::capture::detail
