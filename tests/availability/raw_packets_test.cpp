// The packets of the network-level storms: headers where RFC 791/793/768/792/826 put
// them, and checksums that verify (summing a header with its checksum gives 0).
#include <gtest/gtest.h>

#include "core/availability/raw_packets.hpp"

namespace pc::availability {
namespace {

constexpr uint32_t kSrc = (198u << 24) | (18u << 16) | (5u << 8) | 7u;  // 198.18.5.7
constexpr uint32_t kDst = (127u << 24) | 1u;                           // 127.0.0.1

uint16_t be16(const std::vector<uint8_t>& b, size_t at) { return static_cast<uint16_t>(b[at] << 8 | b[at + 1]); }

// The pseudo-header sum plus the segment: 0 (as 0xFFFF complement) when the checksum is right.
uint16_t transport_sum(const std::vector<uint8_t>& packet, uint8_t protocol) {
  std::vector<uint8_t> pseudo(packet.begin() + 12, packet.begin() + 20);
  pseudo.push_back(0);
  pseudo.push_back(protocol);
  const size_t len = packet.size() - 20;
  pseudo.push_back(static_cast<uint8_t>(len >> 8));
  pseudo.push_back(static_cast<uint8_t>(len));
  pseudo.insert(pseudo.end(), packet.begin() + 20, packet.end());
  return internet_checksum(pseudo);
}

void expect_ipv4(const std::vector<uint8_t>& p, uint8_t protocol) {
  ASSERT_GE(p.size(), 20u);
  EXPECT_EQ(p[0], 0x45);
  EXPECT_EQ(p[9], protocol);
  EXPECT_EQ(be16(p, 2), p.size());
  EXPECT_EQ(internet_checksum(std::span<const uint8_t>(p).first(20)), 0) << "IPv4 header checksum";
  EXPECT_EQ(be16(p, 12), kSrc >> 16);
  EXPECT_EQ(p[19], 1);
}

TEST(AvailabilityRawPackets, SynSegmentToTheTargetPort) {
  auto p = ipv4_tcp({kSrc, kDst, 77}, 40000, 1502, 0x01020304, tcp_flag::kSyn);
  expect_ipv4(p, 6);
  EXPECT_EQ(p.size(), 40u);
  EXPECT_EQ(be16(p, 20), 40000);
  EXPECT_EQ(be16(p, 22), 1502);
  EXPECT_EQ(p[33], tcp_flag::kSyn);
  EXPECT_EQ(p[32] >> 4, 5) << "data offset: 20 bytes, no options";
  EXPECT_EQ(transport_sum(p, 6), 0);
  EXPECT_EQ(be16(p, 4), 77) << "IP identification";
}

TEST(AvailabilityRawPackets, EveryFlagCombinationChecksums) {
  for (uint8_t f = 0; f < 64; ++f) {
    auto p = ipv4_tcp({kSrc, kDst, f}, 1024, 502, 99u * f, f);
    EXPECT_EQ(p[33], f);
    EXPECT_EQ(transport_sum(p, 6), 0) << int(f);
  }
}

TEST(AvailabilityRawPackets, UdpAndIcmp) {
  std::vector<uint8_t> payload(64, 0x5A);
  auto u = ipv4_udp({kSrc, kDst, 1}, 5000, 1502, payload);
  expect_ipv4(u, 17);
  EXPECT_EQ(be16(u, 24), 72);
  EXPECT_EQ(transport_sum(u, 17), 0);
  auto i = ipv4_icmp_echo({kSrc, kDst, 2}, 0x1234, 9, payload);
  expect_ipv4(i, 1);
  EXPECT_EQ(i[20], 8) << "echo request";
  EXPECT_EQ(internet_checksum(std::span<const uint8_t>(i).subspan(20)), 0);
}

TEST(AvailabilityRawPackets, AFirstFragmentWhoseRestNeverComes) {
  auto f = ipv4_first_fragment({kSrc, kDst, 3}, 1502, 1400, 1024);
  expect_ipv4(f, 17);
  EXPECT_EQ(be16(f, 6), 0x2000) << "more fragments, offset 0";
  EXPECT_EQ(f.size(), 20u + 1024u);
  EXPECT_EQ(be16(f, 24), 1400) << "the UDP length announces the whole datagram";
}

TEST(AvailabilityRawPackets, ArpRequestIsABroadcastFrame) {
  auto a = arp_request({0x02, 0, 1, 2, 3, 4}, kSrc, kDst);
  ASSERT_EQ(a.size(), 42u);
  for (size_t k = 0; k < 6; ++k) EXPECT_EQ(a[k], 0xFF);
  EXPECT_EQ(be16(a, 12), 0x0806);
  EXPECT_EQ(be16(a, 20), 1) << "request";
  EXPECT_EQ(a[28], 198);
  EXPECT_EQ(a[41], 1);
}

}  // namespace
}  // namespace pc::availability
