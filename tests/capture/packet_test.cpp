// parse_packet(): every supported link type, IPv6 extension headers, and
// hostile input (prefixes, random bytes) that must never read out of bounds.
#include "core/capture/packet.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/capture/link_type.hpp"
#include "test_support.hpp"

namespace pc::capture {
namespace {

using test::hex;

// IPv4 (no options) + TCP 1234 -> 502, seq 100, PSH|ACK, payload de ad be ef.
const std::vector<std::uint8_t> kIpv4Tcp = hex(
    "45 00 00 2c 00 01 40 00 40 06 00 00 c0 a8 01 01 c0 a8 01 02"
    "04 d2 01 f6 00 00 00 64 00 00 00 00 50 18 ff ff 00 00 00 00"
    "de ad be ef");

// IPv6 ::1 -> ::2 with hop-by-hop and destination options, then UDP 5000 -> 5001 "abc".
const std::vector<std::uint8_t> kIpv6ExtUdp = hex(
    "60 00 00 00 00 1b 00 40"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02"
    "3c 00 01 04 00 00 00 00"
    "11 00 01 04 00 00 00 00"
    "13 88 13 89 00 0b 00 00 61 62 63");

std::vector<std::uint8_t> concat(std::vector<std::uint8_t> head, const std::vector<std::uint8_t>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

void expect_ipv4_tcp(const ParsedPacket& packet) {
  ASSERT_EQ(packet.kind, PacketKind::tcp) << packet.reason;
  EXPECT_EQ(packet.source.to_string(), "192.168.1.1");
  EXPECT_EQ(packet.destination.to_string(), "192.168.1.2");
  EXPECT_EQ(packet.source_port, 1234);
  EXPECT_EQ(packet.destination_port, 502);
  EXPECT_EQ(packet.tcp.seq, 100U);
  EXPECT_EQ(packet.tcp.flags, tcp_flag::psh | tcp_flag::ack);
  EXPECT_EQ(std::vector<std::uint8_t>(packet.payload.begin(), packet.payload.end()), hex("de ad be ef"));
}

TEST(CapturePacket, EthernetWithStackedVlanTags) {
  const auto frame = concat(hex("020000000002 020000000001 88a8 0064 8100 00c8 0800"), kIpv4Tcp);
  expect_ipv4_tcp(parse_packet(link_type::ethernet, frame));
}

TEST(CapturePacket, EthernetPaddingIsNotPayload) {
  const auto frame = concat(concat(hex("020000000002 020000000001 0800"), kIpv4Tcp), hex("00 00 00 00 00 00"));
  expect_ipv4_tcp(parse_packet(link_type::ethernet, frame));
}

TEST(CapturePacket, LinuxCookedV1AndV2) {
  expect_ipv4_tcp(parse_packet(link_type::linux_sll,
                               concat(hex("0000 0001 0006 020000000001 0000 0800"), kIpv4Tcp)));
  expect_ipv4_tcp(parse_packet(link_type::linux_sll2,
                               concat(hex("0800 0000 00000001 0001 00 06 020000000001 0000"), kIpv4Tcp)));
}

TEST(CapturePacket, RawIpUnderEveryRawLinkType) {
  for (const int type : {link_type::raw, link_type::raw_bsd_12, link_type::raw_bsd_14, link_type::ipv4}) {
    expect_ipv4_tcp(parse_packet(type, kIpv4Tcp));
  }
}

TEST(CapturePacket, BsdLoopbackInEitherByteOrder) {
  expect_ipv4_tcp(parse_packet(link_type::null_loopback, concat(hex("02000000"), kIpv4Tcp)));
  expect_ipv4_tcp(parse_packet(link_type::null_loopback, concat(hex("00000002"), kIpv4Tcp)));
  expect_ipv4_tcp(parse_packet(link_type::loop, concat(hex("00000002"), kIpv4Tcp)));
  const ParsedPacket darwin_v6 = parse_packet(link_type::null_loopback, concat(hex("1e000000"), kIpv6ExtUdp));
  EXPECT_EQ(darwin_v6.kind, PacketKind::udp);
}

TEST(CapturePacket, Ipv6ExtensionHeadersAreSkipped) {
  const ParsedPacket packet = parse_packet(link_type::raw, kIpv6ExtUdp);
  ASSERT_EQ(packet.kind, PacketKind::udp) << packet.reason;
  EXPECT_EQ(packet.source.to_string(), "::1");
  EXPECT_EQ(packet.destination.to_string(), "::2");
  EXPECT_EQ(packet.source_port, 5000);
  EXPECT_EQ(packet.destination_port, 5001);
  EXPECT_EQ(std::vector<std::uint8_t>(packet.payload.begin(), packet.payload.end()), hex("61 62 63"));
}

TEST(CapturePacket, User0FrameIsTakenWhole) {
  const auto frame = hex("7e a0 07 03 21 93 0f 01 7e");
  const ParsedPacket packet = parse_packet(link_type::user0, frame);
  ASSERT_EQ(packet.kind, PacketKind::link_frame);
  EXPECT_EQ(packet.payload.data(), frame.data());
  EXPECT_EQ(packet.payload.size(), frame.size());
}

TEST(CapturePacket, NonIpAndOtherProtocolsAreNamed) {
  EXPECT_EQ(parse_packet(link_type::ethernet, hex("010ccd010000 020000000001 88b8 0001 0008 0000 0000")).kind,
            PacketKind::not_ip);
  auto icmp = kIpv4Tcp;
  icmp[9] = 1;
  EXPECT_EQ(parse_packet(link_type::raw, icmp).kind, PacketKind::other_protocol);
}

TEST(CapturePacket, SnapshotCutKeepsCapturedBytesAndClaimedLength) {
  const std::vector<std::uint8_t> cut(kIpv4Tcp.begin(), kIpv4Tcp.end() - 2);
  const ParsedPacket packet = parse_packet(link_type::raw, cut);
  ASSERT_EQ(packet.kind, PacketKind::tcp);
  EXPECT_EQ(packet.payload.size(), 2U);
  EXPECT_EQ(packet.tcp.claimed_length, 4U);
}

TEST(CapturePacket, Ipv4FragmentIsReportedWithOffset) {
  auto fragment = kIpv4Tcp;
  fragment[6] = 0x20;  // more fragments, offset 16 * 8
  fragment[7] = 0x10;
  const ParsedPacket packet = parse_packet(link_type::raw, fragment);
  ASSERT_EQ(packet.kind, PacketKind::fragment);
  EXPECT_EQ(packet.fragment.offset, 128U);
  EXPECT_TRUE(packet.fragment.more);
  EXPECT_EQ(packet.fragment.id, 1U);
  EXPECT_EQ(packet.payload.size(), 24U);
}

TEST(CapturePacket, EveryPrefixOfAHeaderIsMalformedNotACrash) {
  const auto frame = concat(hex("020000000002 020000000001 8100 0064 0800"), kIpv4Tcp);
  const std::size_t headers = 18 + 20 + 20;
  for (std::size_t size = 0; size < headers; ++size) {
    const ParsedPacket packet = parse_packet(link_type::ethernet, std::span(frame).first(size));
    EXPECT_EQ(packet.kind, PacketKind::malformed) << "prefix of " << size << " bytes";
  }
}

TEST(CapturePacket, HostileHeadersAreRejected) {
  auto short_ihl = kIpv4Tcp;
  short_ihl[0] = 0x44;  // header length 16
  EXPECT_EQ(parse_packet(link_type::raw, short_ihl).kind, PacketKind::malformed);
  auto long_ihl = kIpv4Tcp;
  long_ihl[0] = 0x4f;  // 60-byte header in a 44-byte packet... total length says 44
  EXPECT_EQ(parse_packet(link_type::raw, std::span(long_ihl).first(40)).kind, PacketKind::malformed);
  auto tcp_offset = kIpv4Tcp;
  tcp_offset[32] = 0xf0;  // 60-byte TCP header in 24 bytes
  EXPECT_EQ(parse_packet(link_type::raw, tcp_offset).kind, PacketKind::malformed);
  auto ext_loop = kIpv6ExtUdp;
  ext_loop[41] = 0xff;  // hop-by-hop claims 2 KiB
  EXPECT_EQ(parse_packet(link_type::raw, ext_loop).kind, PacketKind::malformed);
}

// The property a fuzzer checks: any bytes, any link type, payload inside the frame.
TEST(CapturePacket, RandomBytesStayInBounds) {
  std::mt19937 random(20240601);
  const std::vector<std::vector<std::uint8_t>> seeds = {
      kIpv4Tcp, kIpv6ExtUdp, concat(hex("020000000002 020000000001 0800"), kIpv4Tcp)};
  const int types[] = {0, 1, 12, 14, 101, 108, 113, 147, 228, 229, 276};
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::uint8_t> frame = seeds[static_cast<std::size_t>(round) % seeds.size()];
    const int flips = 1 + static_cast<int>(random() % 8);
    for (int i = 0; i < flips; ++i) frame[random() % frame.size()] = static_cast<std::uint8_t>(random());
    frame.resize(random() % (frame.size() + 1));
    for (const int type : types) {
      const ParsedPacket packet = parse_packet(type, frame);
      if (!packet.payload.empty()) {
        ASSERT_GE(packet.payload.data(), frame.data());
        ASSERT_LE(packet.payload.data() + packet.payload.size(), frame.data() + frame.size());
      }
    }
  }
}

}  // namespace
}  // namespace pc::capture
