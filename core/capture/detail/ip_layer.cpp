#include "core/capture/detail/ip_layer.hpp"

#include <algorithm>

namespace pc::capture::detail {
namespace {

IpPacket failed(const char* reason) {
  IpPacket packet;
  packet.reason = reason;
  return packet;
}

// IPv6 extension headers that use the generic (next header, length in 8-byte
// units beyond the first 8) layout: hop-by-hop, routing, destination options,
// mobility, HIP, shim6.
bool is_generic_extension(std::uint8_t header) {
  return header == 0 || header == 43 || header == 60 || header == 135 || header == 139 ||
         header == 140;
}

constexpr std::uint8_t kFragmentHeader = 44;
constexpr std::uint8_t kAuthHeader = 51;
constexpr std::uint8_t kEspHeader = 50;
constexpr std::uint8_t kNoNextHeader = 59;

}  // namespace

IpPacket parse_ipv4(Bytes packet) {
  if (!has(packet, 0, 20)) return failed("IPv4 header cut short");
  if ((packet[0] >> 4) != 4) return failed("IPv4 version field is not 4");
  const std::size_t header_length = std::size_t{packet[0] & 0x0Fu} * 4;
  if (header_length < 20) return failed("IPv4 header length below 20");
  if (!has(packet, 0, header_length)) return failed("IPv4 options cut short");
  std::size_t total_length = be16(packet, 2);
  // TSO/LRO captures can carry total length 0: trust the frame then.
  if (total_length == 0) total_length = packet.size();
  if (total_length < header_length) return failed("IPv4 total length below header length");

  IpPacket result;
  result.ok = true;
  result.protocol = packet[9];
  result.source = *IpAddress::from_bytes(packet.subspan(12, 4));
  result.destination = *IpAddress::from_bytes(packet.subspan(16, 4));
  const std::size_t available = std::min(total_length, packet.size());
  result.payload = packet.subspan(header_length, available - header_length);
  result.claimed_length = static_cast<std::uint32_t>(total_length - header_length);

  const std::uint16_t flags_offset = be16(packet, 6);
  result.more_fragments = (flags_offset & 0x2000u) != 0;
  result.fragment_offset = std::uint32_t{flags_offset & 0x1FFFu} * 8;
  result.is_fragment = result.more_fragments || result.fragment_offset != 0;
  result.fragment_id = be16(packet, 4);
  return result;
}

IpPacket parse_ipv6(Bytes packet) {
  if (!has(packet, 0, 40)) return failed("IPv6 header cut short");
  if ((packet[0] >> 4) != 6) return failed("IPv6 version field is not 6");
  std::size_t payload_length = be16(packet, 4);
  // Jumbograms (payload length 0 + hop-by-hop option): trust the frame.
  if (payload_length == 0) payload_length = packet.size() - 40;

  IpPacket result;
  result.source = *IpAddress::from_bytes(packet.subspan(8, 16));
  result.destination = *IpAddress::from_bytes(packet.subspan(24, 16));
  const std::size_t claimed_end = 40 + payload_length;
  const std::size_t end = std::min(claimed_end, packet.size());
  std::uint8_t next = packet[6];
  std::size_t offset = 40;
  // Every extension header advances by at least 8 bytes, so this ends.
  for (;;) {
    if (is_generic_extension(next) || next == kAuthHeader) {
      if (!has(packet, offset, 8) || offset + 8 > end) return failed("IPv6 extension cut short");
      const std::size_t length = next == kAuthHeader ? (std::size_t{packet[offset + 1]} + 2) * 4
                                                     : (std::size_t{packet[offset + 1]} + 1) * 8;
      if (offset + length > end) return failed("IPv6 extension longer than packet");
      next = packet[offset];
      offset += length;
    } else if (next == kFragmentHeader) {
      if (!has(packet, offset, 8) || offset + 8 > end) return failed("IPv6 fragment header cut short");
      const std::uint16_t offset_flags = be16(packet, offset + 2);
      result.fragment_offset = std::uint32_t{offset_flags & 0xFFF8u};
      result.more_fragments = (offset_flags & 0x0001u) != 0;
      result.fragment_id = be32(packet, offset + 4);
      // An "atomic" fragment (offset 0, no more) is a whole datagram.
      result.is_fragment = result.more_fragments || result.fragment_offset != 0;
      next = packet[offset];
      offset += 8;
    } else {
      break;
    }
  }
  result.ok = true;
  result.protocol = next;
  result.no_next_header = next == kNoNextHeader || next == kEspHeader;
  result.payload = packet.subspan(offset, end - offset);
  result.claimed_length = static_cast<std::uint32_t>(claimed_end - offset);
  return result;
}

}  // namespace pc::capture::detail
