// The reader on the project's real third-party captures: facts from
// captures/README.md, framing that must tile each reassembled stream exactly,
// and cross-checks against tshark.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/capture/link_type.hpp"
#include "core/capture/pcap_reader.hpp"
#include "tshark_support.hpp"

namespace pc::capture {
namespace {

using test::shared_capture;

std::uint16_t be16_at(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

// Walk length-prefixed records; returns the count, or -1 if they do not tile exactly.
template <class RecordSize>
long count_records(const std::vector<std::uint8_t>& bytes, RecordSize record_size) {
  std::size_t at = 0;
  long count = 0;
  while (at < bytes.size()) {
    const std::size_t size = record_size(bytes, at);
    if (size == 0 || at + size > bytes.size()) return -1;
    at += size;
    ++count;
  }
  return count;
}

// Modbus/TCP MBAP: length field at offset 4 counts the bytes after it.
std::size_t mbap_size(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return at + 6 <= bytes.size() ? 6U + be16_at(bytes, at + 4) : 0U;
}
// IEC 104 APCI: start byte 0x68 and a one-byte length.
std::size_t apci_size(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return at + 2 <= bytes.size() && bytes[at] == 0x68 ? 2U + bytes[at + 1] : 0U;
}
// TPKT: version 3, reserved 0, 16-bit length including the header.
std::size_t tpkt_size(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return at + 4 <= bytes.size() && bytes[at] == 3 ? be16_at(bytes, at + 2) : 0U;
}

Capture read_ok(const std::string& relative) {
  Result<Capture> result = read_capture(shared_capture(relative));
  EXPECT_TRUE(result.ok()) << relative << ": " << (result.ok() ? "" : result.error().message);
  if (!result.ok()) return {};
  return std::move(result).value();
}

void expect_tiled(const Stream& stream, const std::string& what) {
  std::uint64_t offset = 0;
  for (const Chunk& chunk : stream.chunks) {
    ASSERT_EQ(chunk.offset, offset) << what;
    offset += chunk.size;
  }
  EXPECT_EQ(offset, stream.bytes.size()) << what;
}

TEST(CaptureFiles, EverySharedCaptureReadsCleanly) {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(shared_capture(""))) {
    const auto extension = entry.path().extension();
    if (extension != ".pcap" && extension != ".pcapng") continue;
    ++files;
    const std::string name = entry.path().filename().string();
    Result<Capture> result = read_capture(entry.path());
    ASSERT_TRUE(result.ok()) << name << ": " << result.error().message;
    const Capture& capture = result.value();
    EXPECT_TRUE(capture.trailing_error.empty()) << name;
    EXPECT_EQ(capture.stats.malformed, 0U) << name;
    EXPECT_FALSE(capture.streams.empty()) << name;
    for (const Stream& stream : capture.streams) expect_tiled(stream, name);
  }
  EXPECT_GE(files, 30);
}

TEST(CaptureFiles, ModbusTcpRetransmissionsAreRemovedAndMbapTilesEveryStream) {
  const Capture capture = read_ok("modbus/ModbusTCP.pcap");
  EXPECT_EQ(capture.stats.frames, 15387U);
  long requests = 0;
  long responses = 0;
  std::uint64_t duplicates = 0;
  for (const Stream& stream : capture.streams) {
    ASSERT_EQ(stream.transport, Transport::tcp);
    EXPECT_TRUE(stream.gaps.empty());
    const long adus = count_records(stream.bytes, mbap_size);
    ASSERT_GE(adus, 0) << "MBAP does not tile " << test::direction_key(stream.source, stream.destination);
    (stream.destination.port == 502 ? requests : responses) += adus;
    duplicates += stream.duplicate_bytes;
  }
  EXPECT_EQ(requests, 7990);
  EXPECT_EQ(responses, 7986);
  EXPECT_EQ(duplicates, 8U * 11U);  // 8 retransmitted 11-byte responses
}

TEST(CaptureFiles, ModbusTcpBytesPerDirectionMatchTshark) {
  ASSERT_TRUE(test::have_tshark()) << "tshark is a test dependency (make deps installs it)";
  const std::string file = shared_capture("modbus/ModbusTCP.pcap");
  const test::TsharkTcpBytes expected = test::tshark_tcp_bytes(file);
  ASSERT_EQ(expected.retransmissions, 8U);
  const Capture capture = read_ok("modbus/ModbusTCP.pcap");
  std::uint64_t duplicates = 0;
  std::size_t directions_with_data = 0;
  for (const Stream& stream : capture.streams) {
    const std::string key = test::direction_key(stream.source, stream.destination);
    const auto found = expected.new_bytes.find(key);
    ASSERT_NE(found, expected.new_bytes.end()) << key;
    EXPECT_EQ(stream.bytes.size(), found->second) << key;
    duplicates += stream.duplicate_bytes;
    if (!stream.bytes.empty()) ++directions_with_data;
  }
  EXPECT_EQ(duplicates, expected.retransmitted_bytes);
  EXPECT_EQ(directions_with_data, 28U);  // 14 connections
}

TEST(CaptureFiles, Iec104RetransmissionIsRemovedAndApciTiles) {
  const Capture capture = read_ok("iec104/JavaRMI_and_IEC_Misc.pcap");
  long apdus = 0;
  std::uint64_t duplicates = 0;
  for (const Stream& stream : capture.streams) {
    if (stream.source.port != 2404 && stream.destination.port != 2404) continue;
    const long count = count_records(stream.bytes, apci_size);
    ASSERT_GE(count, 0) << "APCI does not tile " << test::direction_key(stream.source, stream.destination);
    apdus += count;
    duplicates += stream.duplicate_bytes;
  }
  EXPECT_EQ(apdus, 235);
  EXPECT_EQ(duplicates, 16U);  // frame 130, one 16-byte segment

  ASSERT_TRUE(test::have_tshark()) << "tshark is a test dependency (make deps installs it)";
  test::TsharkTcpBytes expected = test::tshark_tcp_bytes(shared_capture("iec104/JavaRMI_and_IEC_Misc.pcap"));
  EXPECT_EQ(expected.retransmissions, 1U);
  EXPECT_EQ(duplicates, expected.retransmitted_bytes);
  for (const Stream& stream : capture.streams) {
    if (stream.transport != Transport::tcp) continue;
    EXPECT_EQ(stream.bytes.size(), expected.new_bytes[test::direction_key(stream.source, stream.destination)]);
  }
}

TEST(CaptureFiles, MqttJpegPublishIsContiguousAcrossTwoSegments) {
  const Capture capture = read_ok("mqtt/mqtt5_pub_jpeg.pcap");
  const auto to_broker = test::streams_to_port(capture, 1883);
  ASSERT_EQ(to_broker.size(), 1U);
  const Stream& stream = *to_broker[0];
  EXPECT_EQ(stream.source.address, "::1");
  EXPECT_EQ(stream.role, Role::initiator);
  // Walk MQTT fixed headers: type byte, variable-length remaining length.
  std::size_t at = 0;
  std::vector<std::pair<int, std::size_t>> packets;  // (type, start)
  std::size_t publish_start = 0;
  std::size_t publish_end = 0;
  while (at < stream.bytes.size()) {
    const int type = stream.bytes[at] >> 4;
    std::size_t remaining = 0;
    std::size_t shift = 0;
    std::size_t cursor = at + 1;
    for (;;) {
      ASSERT_LT(cursor, stream.bytes.size());
      remaining |= std::size_t{stream.bytes[cursor] & 0x7Fu} << shift;
      shift += 7;
      if ((stream.bytes[cursor++] & 0x80) == 0) break;
    }
    if (type == 3) {
      EXPECT_EQ(remaining, 35767U);
      publish_start = at;
      publish_end = cursor + remaining;
    }
    packets.emplace_back(type, at);
    at = cursor + remaining;
  }
  EXPECT_EQ(at, stream.bytes.size());
  ASSERT_EQ(packets.size(), 3U);  // CONNECT, PUBLISH, DISCONNECT
  EXPECT_EQ(packets[0].first, 1);
  EXPECT_EQ(packets[1].first, 3);
  EXPECT_EQ(packets[2].first, 14);
  // The PUBLISH fills exactly the chunks of frames 8 and 9.
  ASSERT_EQ(stream.chunks.size(), 4U);
  EXPECT_EQ(stream.chunks[1].offset, publish_start);
  EXPECT_EQ(stream.chunks[1].frame, 8U);
  EXPECT_EQ(stream.chunks[2].frame, 9U);
  EXPECT_EQ(stream.chunks[2].offset + stream.chunks[2].size, publish_end);
  EXPECT_TRUE(stream.gaps.empty());
  EXPECT_EQ(chunk_at(stream, publish_start)->frame, 8U);
  EXPECT_EQ(chunk_at(stream, publish_end - 1)->frame, 9U);
  EXPECT_EQ(chunk_at(stream, stream.bytes.size()), nullptr);
}

TEST(CaptureFiles, PcapngNamedPcapIsReadAndTpktTiles) {
  const Capture capture = read_ok("mms/simens.pcap");
  EXPECT_EQ(capture.link_type, link_type::ethernet);
  EXPECT_EQ(capture.stats.frames, 434U);
  ASSERT_EQ(capture.streams.size(), 2U);
  for (const Stream& stream : capture.streams) {
    EXPECT_GT(count_records(stream.bytes, tpkt_size), 200) << stream.source.port;
  }
  EXPECT_EQ(capture.streams[0].chunks.front().time.seconds, 1576820887);  // 2019-12-20 05:48:07 UTC
}

TEST(CaptureFiles, User0SerialCaptureGivesTenHdlcLinkFrames) {
  const Capture capture = read_ok("dlms/hdlc_user0_sample_serial.pcap");
  EXPECT_EQ(capture.link_type, link_type::user0);
  ASSERT_EQ(capture.streams.size(), 1U);
  const Stream& stream = capture.streams[0];
  EXPECT_EQ(stream.transport, Transport::link);
  ASSERT_EQ(stream.chunks.size(), 10U);
  for (std::size_t i = 0; i < stream.chunks.size(); ++i) {
    const Chunk& chunk = stream.chunks[i];
    EXPECT_EQ(chunk.frame, i + 1);
    ASSERT_GE(chunk.size, 2U);
    EXPECT_EQ(stream.bytes[chunk.offset], 0x7E) << "frame " << chunk.frame;
    EXPECT_EQ(stream.bytes[chunk.offset + chunk.size - 1], 0x7E) << "frame " << chunk.frame;
  }
}

TEST(CaptureFiles, UdpHdlcSampleGives51DatagramChunks) {
  const Capture capture = read_ok("dlms/hdlc_udp_sample.pcap");
  ASSERT_EQ(capture.streams.size(), 1U);
  const Stream& stream = capture.streams[0];
  EXPECT_EQ(stream.transport, Transport::udp);
  EXPECT_EQ(stream.source.port, 0);
  EXPECT_EQ(stream.destination.port, 4059);
  ASSERT_EQ(stream.chunks.size(), 51U);
  // Datagrams 1-40 and 43 hold HDLC frames; the others start with LLC 90 01 01.
  for (const Chunk& chunk : stream.chunks) {
    const bool hdlc = chunk.frame <= 40 || chunk.frame == 43;
    const std::uint8_t first = stream.bytes[chunk.offset];
    EXPECT_EQ(first, hdlc ? 0x7E : 0x90) << "datagram " << chunk.frame;
  }
}

TEST(CaptureFiles, DlmsWrapperRetransmittedReleaseIsDroppedAndWrapperTiles) {
  const Capture capture = read_ok("dlms/wrapper_port5025_dlms.pcap");
  long apdus = 0;
  std::uint64_t duplicates = 0;
  for (const Stream& stream : capture.streams) {
    // IEC 62056-47 wrapper: version 1, source and destination wPort, 16-bit length.
    const long count = count_records(stream.bytes, [](const auto& bytes, std::size_t at) {
      return at + 8 <= bytes.size() && be16_at(bytes, at) == 1 ? 8U + be16_at(bytes, at + 6) : 0U;
    });
    ASSERT_GE(count, 0);
    apdus += count;
    duplicates += stream.duplicate_bytes;
  }
  EXPECT_EQ(apdus, 46);
  EXPECT_EQ(duplicates, 13U);
}

TEST(CaptureFiles, ErrorsComeBackAsResults) {
  const Result<Capture> missing = read_capture(shared_capture("no/such/file.pcap"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, CaptureError::Kind::io);
  EXPECT_NE(missing.error().message.find("file.pcap"), std::string::npos);

  const Result<Capture> not_a_capture = read_capture(shared_capture("README.md"));
  ASSERT_FALSE(not_a_capture.ok());
  EXPECT_EQ(not_a_capture.error().kind, CaptureError::Kind::format);
}

}  // namespace
}  // namespace pc::capture
