#include "core/capture/detail/link_layer.hpp"

#include "core/capture/link_type.hpp"

namespace pc::capture::detail {
namespace {

using Type = LinkPayload::Type;

LinkPayload malformed(const char* reason) { return {Type::malformed, {}, reason}; }

LinkPayload by_ethertype(std::uint16_t ethertype, Bytes rest) {
  if (ethertype == 0x0800) return {Type::ipv4, rest, ""};
  if (ethertype == 0x86DD) return {Type::ipv6, rest, ""};
  return {Type::not_ip, rest, ""};
}

// Raw IP: the version nibble says which.
LinkPayload by_version(Bytes packet) {
  if (packet.empty()) return malformed("empty raw IP frame");
  const int version = packet[0] >> 4;
  if (version == 4) return {Type::ipv4, packet, ""};
  if (version == 6) return {Type::ipv6, packet, ""};
  return {Type::not_ip, packet, ""};
}

// BSD address families for IPv6 differ by OS: Linux 10, NetBSD/OpenBSD 24,
// FreeBSD 28, Darwin 30. IPv4 is 2 everywhere.
LinkPayload by_address_family(std::uint32_t family, Bytes rest) {
  if (family == 2) return {Type::ipv4, rest, ""};
  if (family == 10 || family == 24 || family == 28 || family == 30) return {Type::ipv6, rest, ""};
  return {Type::not_ip, rest, ""};
}

LinkPayload ethernet(Bytes frame) {
  if (!has(frame, 0, 14)) return malformed("Ethernet header cut short");
  std::size_t offset = 12;
  std::uint16_t ethertype = be16(frame, offset);
  // 802.1Q, 802.1ad and the old QinQ tag: 4 bytes each, possibly stacked.
  while (ethertype == 0x8100 || ethertype == 0x88A8 || ethertype == 0x9100) {
    offset += 4;
    if (!has(frame, offset, 2)) return malformed("VLAN tag cut short");
    ethertype = be16(frame, offset);
  }
  return by_ethertype(ethertype, frame.subspan(offset + 2));
}

LinkPayload linux_sll(Bytes frame) {
  if (!has(frame, 0, 16)) return malformed("Linux cooked header cut short");
  return by_ethertype(be16(frame, 14), frame.subspan(16));
}

LinkPayload linux_sll2(Bytes frame) {
  if (!has(frame, 0, 20)) return malformed("Linux cooked v2 header cut short");
  return by_ethertype(be16(frame, 0), frame.subspan(20));
}

LinkPayload null_loopback(Bytes frame) {
  if (!has(frame, 0, 4)) return malformed("loopback header cut short");
  // Host byte order of the machine that captured: the small reading is right.
  const std::uint32_t little = le32(frame, 0);
  const std::uint32_t big = be32(frame, 0);
  return by_address_family(little <= 0xFFFF ? little : big, frame.subspan(4));
}

LinkPayload loop(Bytes frame) {
  if (!has(frame, 0, 4)) return malformed("loopback header cut short");
  return by_address_family(be32(frame, 0), frame.subspan(4));
}

}  // namespace

LinkPayload strip_link_layer(int type, Bytes frame) {
  switch (type) {
    case link_type::ethernet: return ethernet(frame);
    case link_type::linux_sll: return linux_sll(frame);
    case link_type::linux_sll2: return linux_sll2(frame);
    case link_type::null_loopback: return null_loopback(frame);
    case link_type::loop: return loop(frame);
    case link_type::raw:
    case link_type::raw_bsd_12:
    case link_type::raw_bsd_14: return by_version(frame);
    case link_type::ipv4: return {Type::ipv4, frame, ""};
    case link_type::ipv6: return {Type::ipv6, frame, ""};
    default: break;
  }
  if (type >= link_type::user0 && type <= link_type::user15) return {Type::link_frame, frame, ""};
  return malformed("unsupported link type");
}

}  // namespace pc::capture::detail
