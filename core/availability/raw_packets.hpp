// Whole IPv4 packets and Ethernet ARP frames for the network-level storms, with valid
// checksums: handed to raw sockets (IP_HDRINCL, AF_PACKET) inside the tool's namespace.
// Addresses are host byte order.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace pc::availability {

namespace tcp_flag {
constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10, kUrg = 0x20;
}

struct Ipv4Ends {
  uint32_t source = 0, destination = 0;
  uint16_t id = 0;
};

std::vector<uint8_t> ipv4_tcp(const Ipv4Ends& ip, uint16_t source_port, uint16_t destination_port, uint32_t seq,
                              uint8_t flags);
std::vector<uint8_t> ipv4_udp(const Ipv4Ends& ip, uint16_t source_port, uint16_t destination_port,
                              std::span<const uint8_t> payload);
std::vector<uint8_t> ipv4_icmp_echo(const Ipv4Ends& ip, uint16_t ident, uint16_t seq, std::span<const uint8_t> payload);
// The first fragment (more-fragments set, offset 0) of a UDP datagram of `datagram_size`
// bytes, carrying `carried` of them: a reassembly that never completes.
std::vector<uint8_t> ipv4_first_fragment(const Ipv4Ends& ip, uint16_t destination_port, uint16_t datagram_size,
                                         uint16_t carried);
// An ARP request "who has `target` tell `sender`" from `sender_mac`, broadcast.
std::vector<uint8_t> arp_request(const std::array<uint8_t, 6>& sender_mac, uint32_t sender, uint32_t target);

// The Internet checksum of bytes (RFC 1071).
uint16_t internet_checksum(std::span<const uint8_t> bytes);

}  // namespace pc::availability
