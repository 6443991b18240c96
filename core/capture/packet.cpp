#include "core/capture/packet.hpp"

#include <algorithm>

#include "core/capture/detail/bytes.hpp"
#include "core/capture/detail/ip_layer.hpp"
#include "core/capture/detail/link_layer.hpp"

namespace pc::capture {
namespace {

using detail::be16;
using detail::be32;
using detail::Bytes;
using detail::has;

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;

ParsedPacket with_kind(PacketKind kind, const char* reason = "") {
  ParsedPacket packet;
  packet.kind = kind;
  packet.reason = reason;
  return packet;
}

ParsedPacket parse_tcp(ParsedPacket packet, Bytes segment, std::uint32_t claimed_length) {
  if (!has(segment, 0, 20)) return with_kind(PacketKind::malformed, "TCP header cut short");
  const std::size_t header_length = static_cast<std::size_t>(segment[12] >> 4) * 4;
  if (header_length < 20) return with_kind(PacketKind::malformed, "TCP data offset below 20");
  if (!has(segment, 0, header_length)) return with_kind(PacketKind::malformed, "TCP options cut short");
  packet.kind = PacketKind::tcp;
  packet.source_port = be16(segment, 0);
  packet.destination_port = be16(segment, 2);
  packet.tcp.seq = be32(segment, 4);
  packet.tcp.ack = be32(segment, 8);
  packet.tcp.flags = segment[13];
  packet.tcp.window = be16(segment, 14);
  packet.payload = segment.subspan(header_length);
  const std::size_t claimed = std::max<std::size_t>(claimed_length, segment.size());
  packet.tcp.claimed_length = static_cast<std::uint32_t>(claimed - header_length);
  return packet;
}

ParsedPacket parse_udp(ParsedPacket packet, Bytes datagram) {
  if (!has(datagram, 0, 8)) return with_kind(PacketKind::malformed, "UDP header cut short");
  const std::size_t length = be16(datagram, 4);
  packet.kind = PacketKind::udp;
  packet.source_port = be16(datagram, 0);
  packet.destination_port = be16(datagram, 2);
  if (length == 0) {
    // Only legal in IPv6 jumbograms: the IP layer gives the length.
    packet.payload = datagram.subspan(8);
  } else if (length < 8) {
    return with_kind(PacketKind::malformed, "UDP length below 8");
  } else {
    // A frame cut short by the snapshot length keeps what was captured.
    packet.payload = datagram.subspan(8, std::min(length, datagram.size()) - 8);
  }
  return packet;
}

}  // namespace

ParsedPacket parse_transport(const IpAddress& source, const IpAddress& destination,
                             std::uint8_t protocol, std::span<const std::uint8_t> ip_payload,
                             std::uint32_t claimed_length) {
  ParsedPacket packet;
  packet.source = source;
  packet.destination = destination;
  if (protocol == kTcp) return parse_tcp(packet, ip_payload, claimed_length);
  if (protocol == kUdp) return parse_udp(packet, ip_payload);
  return with_kind(PacketKind::other_protocol);
}

ParsedPacket parse_packet(int link_type, std::span<const std::uint8_t> frame) {
  const detail::LinkPayload link = detail::strip_link_layer(link_type, frame);
  using Type = detail::LinkPayload::Type;
  switch (link.type) {
    case Type::malformed: return with_kind(PacketKind::malformed, link.reason);
    case Type::not_ip: return with_kind(PacketKind::not_ip);
    case Type::link_frame: {
      ParsedPacket packet = with_kind(PacketKind::link_frame);
      packet.payload = link.data;
      return packet;
    }
    case Type::ipv4:
    case Type::ipv6: break;
  }
  const detail::IpPacket ip =
      link.type == Type::ipv4 ? detail::parse_ipv4(link.data) : detail::parse_ipv6(link.data);
  if (!ip.ok) return with_kind(PacketKind::malformed, ip.reason);
  if (ip.is_fragment) {
    ParsedPacket packet = with_kind(PacketKind::fragment);
    packet.source = ip.source;
    packet.destination = ip.destination;
    packet.fragment = {ip.fragment_id, ip.fragment_offset, ip.more_fragments, ip.protocol,
                       ip.payload.size() == ip.claimed_length};
    packet.payload = ip.payload;
    return packet;
  }
  if (ip.no_next_header) return with_kind(PacketKind::other_protocol);
  return parse_transport(ip.source, ip.destination, ip.protocol, ip.payload, ip.claimed_length);
}

}  // namespace pc::capture
