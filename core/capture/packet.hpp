// One captured frame taken apart: link layer, IPv4/IPv6, TCP/UDP.
//
// parse_packet() is pure and safe on any byte string (it is a fuzz entry point):
// it never reads outside `frame`, never allocates, and reports what it found.
// The returned spans point into `frame`.
#pragma once

#include <cstdint>
#include <span>

#include "core/capture/ip_address.hpp"

namespace pc::capture {

enum class PacketKind {
  tcp,             ///< a TCP segment: addresses, ports, `tcp`, payload
  udp,             ///< a UDP datagram: addresses, ports, payload
  fragment,        ///< an IP fragment: addresses, `fragment`, payload = fragment data
  link_frame,      ///< link type without IP (USER0..15): payload = whole frame
  not_ip,          ///< a link frame that does not carry IP (ARP, STP, ...)
  other_protocol,  ///< IP carrying neither TCP nor UDP
  malformed,       ///< a header is cut short or inconsistent; see `reason`
};

/// TCP flag bits as on the wire (byte 13 of the header).
namespace tcp_flag {
inline constexpr std::uint8_t fin = 0x01;
inline constexpr std::uint8_t syn = 0x02;
inline constexpr std::uint8_t rst = 0x04;
inline constexpr std::uint8_t psh = 0x08;
inline constexpr std::uint8_t ack = 0x10;
}  // namespace tcp_flag

struct TcpInfo {
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 0;
  /// Payload length the IP header claims; larger than payload.size() when the
  /// frame was cut short by the capture's snapshot length.
  std::uint32_t claimed_length = 0;
};

struct FragmentInfo {
  std::uint32_t id = 0;        ///< IPv4 identification or IPv6 fragment id
  std::uint32_t offset = 0;    ///< byte offset of this piece in the datagram payload
  bool more = false;           ///< more fragments follow
  std::uint8_t protocol = 0;   ///< transport protocol of the whole datagram
  bool complete = true;        ///< false when the capture cut this piece short
};

struct ParsedPacket {
  PacketKind kind = PacketKind::malformed;
  const char* reason = "";  ///< static text explaining `malformed`
  IpAddress source;
  IpAddress destination;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  TcpInfo tcp;             ///< valid for PacketKind::tcp
  FragmentInfo fragment;   ///< valid for PacketKind::fragment
  std::span<const std::uint8_t> payload;
};

/// Take one frame of link type `link_type` (a LINKTYPE_* value) apart.
ParsedPacket parse_packet(int link_type, std::span<const std::uint8_t> frame);

/// Parse a TCP or UDP header at the start of `ip_payload` (the payload of an IP
/// datagram with the given addresses and protocol number; used after fragment
/// reassembly). `claimed_length` is the payload length the IP header announced,
/// at least ip_payload.size(); it is larger when the frame was cut short.
ParsedPacket parse_transport(const IpAddress& source, const IpAddress& destination,
                             std::uint8_t protocol, std::span<const std::uint8_t> ip_payload,
                             std::uint32_t claimed_length);

}  // namespace pc::capture
