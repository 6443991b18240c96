#include "core/availability/raw_packets.hpp"

#include "core/capture/detail/checksum.hpp"
#include "core/capture/ip_address.hpp"

namespace pc::availability {

namespace {

void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}
void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  put16(b, at, static_cast<uint16_t>(v >> 16));
  put16(b, at + 2, static_cast<uint16_t>(v));
}

capture::IpAddress address(uint32_t a) {
  capture::IpAddress ip;
  ip.version = 4;
  ip.bytes[0] = static_cast<uint8_t>(a >> 24);
  ip.bytes[1] = static_cast<uint8_t>(a >> 16);
  ip.bytes[2] = static_cast<uint8_t>(a >> 8);
  ip.bytes[3] = static_cast<uint8_t>(a);
  return ip;
}

// A 20-byte IPv4 header followed by `payload` bytes of room.
std::vector<uint8_t> ipv4(const Ipv4Ends& ip, uint8_t protocol, size_t payload, uint16_t fragment_field = 0x4000,
                          size_t total = 0) {
  std::vector<uint8_t> b(20 + payload, 0);
  b[0] = 0x45;
  put16(b, 2, static_cast<uint16_t>(total ? total : b.size()));
  put16(b, 4, ip.id);
  put16(b, 6, fragment_field);
  b[8] = 64;
  b[9] = protocol;
  put32(b, 12, ip.source);
  put32(b, 16, ip.destination);
  put16(b, 10, internet_checksum(std::span<const uint8_t>(b).first(20)));
  return b;
}

}  // namespace

uint16_t internet_checksum(std::span<const uint8_t> bytes) {
  capture::detail::InternetChecksum c;
  c.add(bytes);
  return c.finish();
}

std::vector<uint8_t> ipv4_tcp(const Ipv4Ends& ip, uint16_t source_port, uint16_t destination_port, uint32_t seq,
                              uint8_t flags) {
  auto b = ipv4(ip, 6, 20);
  put16(b, 20, source_port);
  put16(b, 22, destination_port);
  put32(b, 24, seq);
  put32(b, 28, (flags & tcp_flag::kAck) ? seq ^ 0x5a5a5a5au : 0);
  b[32] = 5 << 4;
  b[33] = flags;
  put16(b, 34, 64240);
  put16(b, 36, capture::detail::transport_checksum(address(ip.source), address(ip.destination), 6,
                                                   std::span<const uint8_t>(b).subspan(20)));
  return b;
}

std::vector<uint8_t> ipv4_udp(const Ipv4Ends& ip, uint16_t source_port, uint16_t destination_port,
                              std::span<const uint8_t> payload) {
  auto b = ipv4(ip, 17, 8 + payload.size());
  put16(b, 20, source_port);
  put16(b, 22, destination_port);
  put16(b, 24, static_cast<uint16_t>(8 + payload.size()));
  std::copy(payload.begin(), payload.end(), b.begin() + 28);
  uint16_t sum = capture::detail::transport_checksum(address(ip.source), address(ip.destination), 17,
                                                     std::span<const uint8_t>(b).subspan(20));
  put16(b, 26, sum == 0 ? 0xFFFF : sum);
  return b;
}

std::vector<uint8_t> ipv4_icmp_echo(const Ipv4Ends& ip, uint16_t ident, uint16_t seq, std::span<const uint8_t> payload) {
  auto b = ipv4(ip, 1, 8 + payload.size());
  b[20] = 8;  // echo request
  put16(b, 24, ident);
  put16(b, 26, seq);
  std::copy(payload.begin(), payload.end(), b.begin() + 28);
  put16(b, 22, internet_checksum(std::span<const uint8_t>(b).subspan(20)));
  return b;
}

std::vector<uint8_t> ipv4_first_fragment(const Ipv4Ends& ip, uint16_t destination_port, uint16_t datagram_size,
                                         uint16_t carried) {
  carried = static_cast<uint16_t>(carried & ~7u);  // fragment data is a multiple of 8 bytes
  if (carried < 8) carried = 8;
  auto b = ipv4(ip, 17, carried, 0x2000 /* more fragments, offset 0 */);
  put16(b, 20, static_cast<uint16_t>(40000 + ip.id % 20000));
  put16(b, 22, destination_port);
  put16(b, 24, datagram_size);
  for (size_t i = 28; i < b.size(); ++i) b[i] = static_cast<uint8_t>(i);
  // the UDP checksum covers the whole datagram, which never arrives: leave it 0 (none)
  return b;
}

std::vector<uint8_t> arp_request(const std::array<uint8_t, 6>& sender_mac, uint32_t sender, uint32_t target) {
  std::vector<uint8_t> b(42, 0);
  for (size_t i = 0; i < 6; ++i) {
    b[i] = 0xFF;
    b[6 + i] = sender_mac[i];
  }
  put16(b, 12, 0x0806);
  put16(b, 14, 1);       // Ethernet
  put16(b, 16, 0x0800);  // IPv4
  b[18] = 6;
  b[19] = 4;
  put16(b, 20, 1);  // request
  std::copy(sender_mac.begin(), sender_mac.end(), b.begin() + 22);
  put32(b, 28, sender);
  put32(b, 38, target);
  return b;
}

}  // namespace pc::availability
