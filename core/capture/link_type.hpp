// LINKTYPE_* values (tcpdump.org link-layer header types) the reader understands.
#pragma once

namespace pc::capture::link_type {

inline constexpr int null_loopback = 0;  ///< BSD loopback: 4-byte address family, host order
inline constexpr int ethernet = 1;       ///< Ethernet II, with 802.1Q / 802.1ad tags
inline constexpr int raw_bsd_12 = 12;    ///< raw IP (DLT_RAW on most BSDs)
inline constexpr int raw_bsd_14 = 14;    ///< raw IP (DLT_RAW on OpenBSD)
inline constexpr int raw = 101;          ///< raw IPv4 or IPv6 (LINKTYPE_RAW)
inline constexpr int loop = 108;         ///< OpenBSD loopback: address family, network order
inline constexpr int linux_sll = 113;    ///< Linux "cooked" capture v1
inline constexpr int user0 = 147;        ///< private use: one raw link frame per record
inline constexpr int user15 = 162;       ///< last of the private-use range
inline constexpr int ipv4 = 228;         ///< raw IPv4 only
inline constexpr int ipv6 = 229;         ///< raw IPv6 only
inline constexpr int linux_sll2 = 276;   ///< Linux "cooked" capture v2

/// True when parse_packet() knows how to take frames of this link type apart.
constexpr bool is_supported(int type) {
  switch (type) {
    case null_loopback: case ethernet: case raw_bsd_12: case raw_bsd_14: case raw:
    case loop: case linux_sll: case ipv4: case ipv6: case linux_sll2:
      return true;
    default:
      return type >= user0 && type <= user15;
  }
}

}  // namespace pc::capture::link_type
