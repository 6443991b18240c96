// TCP reassembly and flow tracking on synthetic frames fed to CaptureAssembler:
// ordering, retransmissions, overlaps (first copy wins), gaps, sequence wrap,
// mid-connection starts, SYN/FIN accounting, port reuse.
#include <gtest/gtest.h>

#include <string>

#include "core/capture/capture_assembler.hpp"
#include "core/capture/detail/frame_builder.hpp"
#include "core/capture/link_type.hpp"
#include "core/capture/packet.hpp"
#include "test_support.hpp"

namespace pc::capture {
namespace {

constexpr std::uint8_t kSyn = tcp_flag::syn;
constexpr std::uint8_t kAck = tcp_flag::ack;
constexpr std::uint8_t kPshAck = tcp_flag::psh | tcp_flag::ack;
constexpr std::uint8_t kFinAck = tcp_flag::fin | tcp_flag::ack;

struct Host {
  const char* address;
  std::uint16_t port;
};
constexpr Host kClient{"10.0.0.1", 40000};
constexpr Host kServer{"10.0.0.2", 502};

class Feed {
 public:
  void tcp(Host from, Host to, std::uint32_t seq, std::uint8_t flags, std::string_view payload = {}) {
    detail::TcpSegmentSpec spec;
    spec.source_port = from.port;
    spec.destination_port = to.port;
    spec.seq = seq;
    spec.flags = flags;
    spec.window = 8192;
    const auto bytes = test::bytes_of(payload);
    spec.payload = bytes;
    add(detail::build_tcp_frame(ip(from, to), spec));
  }
  void udp(Host from, Host to, std::string_view payload) {
    const auto bytes = test::bytes_of(payload);
    add(detail::build_udp_frame(ip(from, to), from.port, to.port, bytes));
  }
  void add(const std::vector<std::uint8_t>& frame) {
    assembler_.add_frame(frame, Timestamp{1000 + static_cast<std::int64_t>(count_++), 0});
  }
  Capture finish() { return assembler_.finish(); }

 private:
  static detail::IpHeaderSpec ip(Host from, Host to) {
    return {*IpAddress::parse(from.address), *IpAddress::parse(to.address), 7};
  }
  CaptureAssembler assembler_{link_type::ethernet};
  std::uint64_t count_ = 0;
};

std::string text(const Stream& stream) { return {stream.bytes.begin(), stream.bytes.end()}; }

// Chunks must tile the bytes exactly, gaps must lie inside them.
void expect_well_formed(const Stream& stream) {
  std::uint64_t offset = 0;
  for (const Chunk& chunk : stream.chunks) {
    EXPECT_EQ(chunk.offset, offset);
    offset += chunk.size;
  }
  EXPECT_EQ(offset, stream.bytes.size());
  for (const Gap& gap : stream.gaps) EXPECT_LE(gap.offset, stream.bytes.size());
}

TEST(CaptureTcpReassembly, HandshakeDataAndCloseInOrder) {
  Feed feed;
  feed.tcp(kClient, kServer, 1000, kSyn);
  feed.tcp(kServer, kClient, 5000, kSyn | kAck);
  feed.tcp(kClient, kServer, 1001, kAck);
  feed.tcp(kClient, kServer, 1001, kPshAck, "hello ");
  feed.tcp(kClient, kServer, 1007, kPshAck, "world");
  feed.tcp(kServer, kClient, 5001, kPshAck, "ok");
  feed.tcp(kClient, kServer, 1012, kFinAck);
  feed.tcp(kServer, kClient, 5003, kFinAck);
  feed.tcp(kClient, kServer, 1013, kAck);
  const Capture capture = feed.finish();

  ASSERT_EQ(capture.streams.size(), 2U);
  const Stream& client = capture.streams[0];
  const Stream& server = capture.streams[1];
  EXPECT_EQ(client.source, (Endpoint{"10.0.0.1", 40000}));
  EXPECT_EQ(client.destination, (Endpoint{"10.0.0.2", 502}));
  EXPECT_EQ(client.transport, Transport::tcp);
  EXPECT_EQ(client.flow_id, server.flow_id);
  EXPECT_EQ(client.role, Role::initiator);
  EXPECT_EQ(server.role, Role::responder);
  EXPECT_EQ(text(client), "hello world");
  EXPECT_EQ(text(server), "ok");
  ASSERT_EQ(client.chunks.size(), 2U);
  EXPECT_EQ(client.chunks[0].frame, 4U);
  EXPECT_EQ(client.chunks[1].frame, 5U);
  EXPECT_EQ(client.chunks[1].offset, 6U);
  EXPECT_EQ(client.chunks[1].time, (Timestamp{1004, 0}));
  EXPECT_EQ(client.frames, 6U);  // SYN, ACK, 2 data, FIN, ACK
  EXPECT_TRUE(client.gaps.empty());
  EXPECT_EQ(client.duplicate_bytes, 0U);
  expect_well_formed(client);
}

TEST(CaptureTcpReassembly, OutOfOrderSegmentsAreSortedBySequence) {
  Feed feed;
  feed.tcp(kClient, kServer, 1000, kSyn);
  feed.tcp(kClient, kServer, 1007, kPshAck, "world");
  feed.tcp(kClient, kServer, 1001, kAck, "hello ");
  const Capture capture = feed.finish();
  const Stream& client = capture.streams.at(0);
  EXPECT_EQ(text(client), "hello world");
  ASSERT_EQ(client.chunks.size(), 2U);
  EXPECT_EQ(client.chunks[0].frame, 3U);  // "hello " came later but goes first
  EXPECT_EQ(client.chunks[1].frame, 2U);
  EXPECT_TRUE(client.gaps.empty());
}

TEST(CaptureTcpReassembly, FullRetransmissionIsDropped) {
  Feed feed;
  feed.tcp(kClient, kServer, 1, kPshAck, "ABCD");
  feed.tcp(kClient, kServer, 1, kPshAck, "ABCD");
  feed.tcp(kClient, kServer, 5, kPshAck, "EF");
  const Capture capture = feed.finish();
  EXPECT_EQ(text(capture.streams.at(0)), "ABCDEF");
  EXPECT_EQ(capture.streams[0].duplicate_bytes, 4U);
  EXPECT_EQ(capture.streams[0].chunks.size(), 2U);
}

TEST(CaptureTcpReassembly, PartialOverlapKeepsTheFirstCopy) {
  Feed feed;
  feed.tcp(kClient, kServer, 1, kPshAck, "ABCDEF");
  feed.tcp(kClient, kServer, 3, kPshAck, "xxxxGHIJ");  // C..F again, with other bytes
  const Capture capture = feed.finish();
  const Stream& stream = capture.streams.at(0);
  EXPECT_EQ(text(stream), "ABCDEFGHIJ");
  EXPECT_EQ(stream.duplicate_bytes, 4U);
  ASSERT_EQ(stream.chunks.size(), 2U);
  EXPECT_EQ(stream.chunks[1].offset, 6U);
  EXPECT_EQ(stream.chunks[1].size, 4U);
}

TEST(CaptureTcpReassembly, OverlapWithWaitingSegmentsKeepsTheFirstCopy) {
  Feed feed;
  feed.tcp(kClient, kServer, 1, kPshAck, "AB");      // frame 1
  feed.tcp(kClient, kServer, 5, kPshAck, "EFGH");    // frame 2: waits for C..D
  feed.tcp(kClient, kServer, 5, kPshAck, "yyyyIJ");  // frame 3: E..H again + IJ
  feed.tcp(kClient, kServer, 3, kPshAck, "CD");      // frame 4 fills the hole
  const Capture capture = feed.finish();
  const Stream& stream = capture.streams.at(0);
  EXPECT_EQ(text(stream), "ABCDEFGHIJ");
  EXPECT_EQ(stream.duplicate_bytes, 4U);
  ASSERT_EQ(stream.chunks.size(), 4U);
  EXPECT_EQ(stream.chunks[1].frame, 4U);
  EXPECT_EQ(stream.chunks[2].frame, 2U);
  EXPECT_EQ(stream.chunks[3].frame, 3U);
  EXPECT_TRUE(stream.gaps.empty());
  expect_well_formed(stream);
}

TEST(CaptureTcpReassembly, LostSegmentBecomesAGapAndReadingGoesOn) {
  Feed feed;
  feed.tcp(kClient, kServer, 100, kSyn);
  feed.tcp(kClient, kServer, 101, kPshAck, "AAAA");
  feed.tcp(kClient, kServer, 109, kPshAck, "CCCC");  // 105..108 never captured
  feed.tcp(kClient, kServer, 113, kPshAck, "DD");
  const Capture capture = feed.finish();
  const Stream& stream = capture.streams.at(0);
  EXPECT_EQ(text(stream), "AAAACCCCDD");
  ASSERT_EQ(stream.gaps.size(), 1U);
  EXPECT_EQ(stream.gaps[0].offset, 4U);
  EXPECT_EQ(stream.gaps[0].length, 4U);
  EXPECT_EQ(stream.chunks.size(), 3U);
  expect_well_formed(stream);
}

TEST(CaptureTcpReassembly, HostileSequenceJumpCostsNoMemory) {
  Feed feed;
  feed.tcp(kClient, kServer, 1, kPshAck, "AB");
  feed.tcp(kClient, kServer, 1 + 0x7FFFFF00u, kPshAck, "far");  // 2 GiB ahead
  feed.tcp(kClient, kServer, 3, kPshAck, "CD");
  feed.tcp(kClient, kServer, 1u - 0x70000000u, kPshAck, "behind");  // before the origin
  const Capture capture = feed.finish();
  const Stream& stream = capture.streams.at(0);
  EXPECT_EQ(text(stream), "ABCDfar");  // the jump is a gap, not 2 GiB of filler
  ASSERT_EQ(stream.gaps.size(), 1U);
  EXPECT_EQ(stream.gaps[0].offset, 4U);
  EXPECT_EQ(stream.gaps[0].length, 0x7FFFFF00u - 4u);
  EXPECT_EQ(stream.duplicate_bytes, 6U);
}

TEST(CaptureTcpReassembly, SequenceNumbersWrapAround) {
  Feed feed;
  feed.tcp(kClient, kServer, 0xFFFFFFF8u, kSyn);
  feed.tcp(kClient, kServer, 0x00000003u, kPshAck, "0123456789");  // after the wrap, first
  feed.tcp(kClient, kServer, 0xFFFFFFF9u, kAck, "abcdefghij");      // before it
  const Capture capture = feed.finish();
  EXPECT_EQ(text(capture.streams.at(0)), "abcdefghij0123456789");
  EXPECT_TRUE(capture.streams[0].gaps.empty());
}

TEST(CaptureTcpReassembly, MidConnectionStartTakesFirstSequenceSeen) {
  Feed feed;
  feed.tcp(kServer, kClient, 7777, kPshAck, "resp");
  feed.tcp(kClient, kServer, 300, kPshAck, "req");
  feed.tcp(kServer, kClient, 7781, kPshAck, "onse");
  const Capture capture = feed.finish();
  ASSERT_EQ(capture.streams.size(), 2U);
  EXPECT_EQ(capture.streams[0].source.port, 502);  // first seen first
  EXPECT_EQ(text(capture.streams[0]), "response");
  EXPECT_EQ(capture.streams[0].role, Role::unknown);
  EXPECT_EQ(text(capture.streams[1]), "req");
}

TEST(CaptureTcpReassembly, SynAndFinTakeOneSequenceNumberEach) {
  Feed feed;
  feed.tcp(kClient, kServer, 10, kSyn, "tfo");  // data on the SYN starts at seq 11
  feed.tcp(kClient, kServer, 14, kPshAck, "+more");
  feed.tcp(kClient, kServer, 19, kFinAck);
  feed.tcp(kClient, kServer, 19, kFinAck);  // FIN retransmitted: no bytes
  const Capture capture = feed.finish();
  EXPECT_EQ(text(capture.streams.at(0)), "tfo+more");
  EXPECT_EQ(capture.streams[0].duplicate_bytes, 0U);
}

TEST(CaptureTcpReassembly, NewSynOnReusedTupleStartsANewFlow) {
  Feed feed;
  feed.tcp(kClient, kServer, 1000, kSyn);
  feed.tcp(kClient, kServer, 1000, kSyn);  // SYN retransmission: same flow
  feed.tcp(kServer, kClient, 5000, kSyn | kAck);
  feed.tcp(kClient, kServer, 1001, kPshAck, "first");
  feed.tcp(kClient, kServer, 1006, kFinAck);
  feed.tcp(kServer, kClient, 5001, kFinAck);
  feed.tcp(kClient, kServer, 9000, kSyn);  // same 5-tuple, new connection
  feed.tcp(kServer, kClient, 3000, kSyn | kAck);
  feed.tcp(kClient, kServer, 9001, kPshAck, "second");
  const Capture capture = feed.finish();
  ASSERT_EQ(capture.streams.size(), 4U);
  EXPECT_EQ(text(capture.streams[0]), "first");
  EXPECT_EQ(text(capture.streams[2]), "second");
  EXPECT_EQ(capture.streams[0].flow_id, capture.streams[1].flow_id);
  EXPECT_EQ(capture.streams[2].flow_id, capture.streams[3].flow_id);
  EXPECT_NE(capture.streams[0].flow_id, capture.streams[2].flow_id);
  EXPECT_EQ(capture.streams[2].role, Role::initiator);
  EXPECT_EQ(capture.streams[0].frames, 4U);
}

TEST(CaptureTcpReassembly, SynAckAloneNamesTheOtherSideInitiator) {
  Feed feed;
  feed.tcp(kServer, kClient, 5000, kSyn | kAck);
  feed.tcp(kClient, kServer, 1001, kPshAck, "x");
  const Capture capture = feed.finish();
  ASSERT_EQ(capture.streams.size(), 2U);
  EXPECT_EQ(capture.streams[0].role, Role::responder);
  EXPECT_EQ(capture.streams[1].role, Role::initiator);
}

TEST(CaptureTcpReassembly, UdpDatagramsAreChunksEvenWhenEmpty) {
  Feed feed;
  feed.udp({"10.1.1.1", 0}, {"10.2.2.2", 4059}, "one");
  feed.udp({"10.1.1.1", 0}, {"10.2.2.2", 4059}, "");
  feed.udp({"10.2.2.2", 4059}, {"10.1.1.1", 0}, "back");
  feed.udp({"10.1.1.1", 0}, {"10.2.2.2", 4059}, "three");
  const Capture capture = feed.finish();
  ASSERT_EQ(capture.streams.size(), 2U);
  const Stream& out = capture.streams[0];
  EXPECT_EQ(out.transport, Transport::udp);
  EXPECT_EQ(text(out), "onethree");
  ASSERT_EQ(out.chunks.size(), 3U);
  EXPECT_EQ(out.chunks[1].size, 0U);
  EXPECT_EQ(out.chunks[2].frame, 4U);
  EXPECT_EQ(chunk_at(out, 3)->frame, 4U);  // not the empty datagram at the same offset
  EXPECT_EQ(chunk_at(out, 2)->frame, 1U);
  EXPECT_EQ(capture.streams[1].flow_id, out.flow_id);
  EXPECT_EQ(text(capture.streams[1]), "back");
}

// Split the IP payload of an Ethernet/IPv4 frame into fragments of `piece` bytes.
std::vector<std::vector<std::uint8_t>> fragment_ipv4(const std::vector<std::uint8_t>& frame, std::size_t piece) {
  const std::size_t header = 14 + 20;
  std::vector<std::vector<std::uint8_t>> fragments;
  for (std::size_t offset = 0; header + offset < frame.size(); offset += piece) {
    const std::size_t size = std::min(piece, frame.size() - header - offset);
    std::vector<std::uint8_t> out(frame.begin(), frame.begin() + header);
    out.insert(out.end(), frame.begin() + static_cast<std::ptrdiff_t>(header + offset),
               frame.begin() + static_cast<std::ptrdiff_t>(header + offset + size));
    const auto total = static_cast<std::uint16_t>(20 + size);
    out[16] = static_cast<std::uint8_t>(total >> 8);
    out[17] = static_cast<std::uint8_t>(total & 0xFF);
    const bool more = header + offset + size < frame.size();
    const auto field = static_cast<std::uint16_t>((more ? 0x2000 : 0) | (offset / 8));
    out[20] = static_cast<std::uint8_t>(field >> 8);
    out[21] = static_cast<std::uint8_t>(field & 0xFF);
    fragments.push_back(std::move(out));
  }
  return fragments;
}

TEST(CaptureTcpReassembly, Ipv4FragmentsAreReassembledOutOfOrder) {
  std::string payload(3000, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('a' + i % 26);
  const auto bytes = test::bytes_of(payload);
  const detail::IpHeaderSpec ip{*IpAddress::parse("10.1.1.1"), *IpAddress::parse("10.2.2.2"), 99};
  const auto fragments = fragment_ipv4(detail::build_udp_frame(ip, 1000, 2000, bytes), 1480);
  ASSERT_EQ(fragments.size(), 3U);
  CaptureAssembler assembler(link_type::ethernet);
  assembler.add_frame(fragments[2], {});
  assembler.add_frame(fragments[0], {});
  assembler.add_frame(fragments[0], {});  // a duplicate piece
  assembler.add_frame(fragments[1], {});
  const Capture capture = assembler.finish();
  EXPECT_EQ(capture.stats.fragments, 4U);
  EXPECT_EQ(capture.stats.reassembled, 1U);
  ASSERT_EQ(capture.streams.size(), 1U);
  EXPECT_EQ(text(capture.streams[0]), payload);
  ASSERT_EQ(capture.streams[0].chunks.size(), 1U);
  EXPECT_EQ(capture.streams[0].chunks[0].frame, 4U);  // the piece that completed it
}

TEST(CaptureTcpReassembly, IncompleteFragmentsAreCountedNotDelivered) {
  const auto bytes = test::bytes_of(std::string(2000, 'z'));
  const detail::IpHeaderSpec ip{*IpAddress::parse("10.1.1.1"), *IpAddress::parse("10.2.2.2"), 5};
  const auto fragments = fragment_ipv4(detail::build_udp_frame(ip, 1000, 2000, bytes), 1480);
  CaptureAssembler assembler(link_type::ethernet);
  assembler.add_frame(fragments[1], {});
  const Capture capture = assembler.finish();
  EXPECT_TRUE(capture.streams.empty());
  EXPECT_EQ(capture.stats.fragments_dropped, 1U);
}

TEST(CaptureTcpReassembly, Ipv6FragmentsAreReassembled) {
  // Ethernet + IPv6 (next header 44) + fragment header + piece of a UDP datagram.
  const auto udp = test::hex("13 88 13 89 00 14 00 00 30 31 32 33 34 35 36 37 38 39 41 42");
  auto fragment = [&](std::size_t offset, std::size_t size, bool more) {
    std::vector<std::uint8_t> frame = test::hex(
        "020000000002 020000000001 86dd 60000000 0000 2c 40"
        "20010db8000000000000000000000001 20010db8000000000000000000000002");
    const auto payload_length = static_cast<std::uint8_t>(8 + size);
    frame[14 + 5] = payload_length;
    const auto field = static_cast<std::uint16_t>(offset | (more ? 1 : 0));
    const std::uint8_t header[8] = {17, 0, static_cast<std::uint8_t>(field >> 8),
                                    static_cast<std::uint8_t>(field & 0xFF), 0, 0, 0x12, 0x34};
    frame.insert(frame.end(), header, header + 8);
    frame.insert(frame.end(), udp.begin() + static_cast<std::ptrdiff_t>(offset),
                 udp.begin() + static_cast<std::ptrdiff_t>(offset + size));
    return frame;
  };
  CaptureAssembler assembler(link_type::ethernet);
  assembler.add_frame(fragment(16, 4, false), {});
  assembler.add_frame(fragment(0, 16, true), {});
  const Capture capture = assembler.finish();
  ASSERT_EQ(capture.streams.size(), 1U);
  EXPECT_EQ(capture.streams[0].source.address, "2001:db8::1");
  EXPECT_EQ(capture.streams[0].destination.port, 5001);
  EXPECT_EQ(text(capture.streams[0]), "0123456789AB");
}

}  // namespace
}  // namespace pc::capture
