// PcapWriter and TcpConversation: what is written reads back byte for byte,
// and tshark dissects it without errors, bad checksums or TCP analysis flags.
#include "core/capture/pcap_writer.hpp"

#include <gtest/gtest.h>

#include "core/capture/pcap_reader.hpp"
#include "core/capture/tcp_conversation.hpp"
#include "test_support.hpp"

namespace pc::capture {
namespace {

using test::bytes_of;

std::vector<std::uint8_t> pattern(std::size_t size, std::uint8_t seed) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(seed + i * 7);
  return bytes;
}

struct Exchange {
  std::vector<std::uint8_t> client_bytes;
  std::vector<std::uint8_t> server_bytes;
};

// A request/response exchange with payloads below, at and far above the MSS.
Exchange write_conversation(const std::filesystem::path& path, const Endpoint& client,
                            const Endpoint& server, TcpConversationOptions options = {}) {
  Result<PcapWriter> writer = PcapWriter::create(path);
  EXPECT_TRUE(writer.ok());
  Result<TcpConversation> opened = TcpConversation::open(writer.value(), client, server, options);
  EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
  TcpConversation& conversation = opened.value();
  Exchange sent;
  const std::vector<std::vector<std::uint8_t>> client_payloads = {
      test::hex("00 01 00 00 00 06 ff 03 00 00 00 0a"), pattern(3000, 1), pattern(1460, 2)};
  const std::vector<std::vector<std::uint8_t>> server_payloads = {pattern(5000, 3), pattern(1, 4), pattern(80, 5)};
  for (std::size_t i = 0; i < client_payloads.size(); ++i) {
    conversation.send(Side::client, client_payloads[i]);
    conversation.send(Side::server, server_payloads[i]);
    sent.client_bytes.insert(sent.client_bytes.end(), client_payloads[i].begin(), client_payloads[i].end());
    sent.server_bytes.insert(sent.server_bytes.end(), server_payloads[i].begin(), server_payloads[i].end());
  }
  conversation.send(Side::client, {});  // nothing to write
  conversation.close();
  conversation.send(Side::client, pattern(10, 9));  // after close: ignored
  EXPECT_TRUE(writer.value().close().ok());
  return sent;
}

std::string tshark(const std::string& file, const std::string& arguments) {
  return test::run_command("tshark -r '" + file +
                           "' -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE"
                           " -o udp.check_checksum:TRUE " + arguments + " 2>/dev/null");
}

class CaptureWriterConversation : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(CaptureWriterConversation, ReadsBackByteForByte) {
  const test::TempFile file(std::string("conversation_") + (GetParam().first[0] == '2' ? "v6" : "v4") + ".pcap");
  const Endpoint client{GetParam().first, 40001};
  const Endpoint server{GetParam().second, 502};
  const Exchange sent = write_conversation(file.path(), client, server);

  Result<Capture> read = read_capture(file.path());
  ASSERT_TRUE(read.ok()) << read.error().message;
  const Capture& capture = read.value();
  ASSERT_EQ(capture.streams.size(), 2U);
  const Stream& up = capture.streams[0];
  const Stream& down = capture.streams[1];
  EXPECT_EQ(up.source, client);
  EXPECT_EQ(up.destination, server);
  EXPECT_EQ(up.role, Role::initiator);
  EXPECT_EQ(down.role, Role::responder);
  EXPECT_EQ(up.bytes, sent.client_bytes);
  EXPECT_EQ(down.bytes, sent.server_bytes);
  EXPECT_TRUE(up.gaps.empty());
  EXPECT_EQ(up.duplicate_bytes + down.duplicate_bytes, 0U);
  // Split at the 1460-byte MSS: 1 + 3 + 1 segments up, 4 + 1 + 1 down.
  EXPECT_EQ(up.chunks.size(), 5U);
  EXPECT_EQ(down.chunks.size(), 6U);
  for (const Chunk& chunk : up.chunks) EXPECT_LE(chunk.size, 1460U);
  // Deterministic clock: frame n (1-based) is written at start + (n - 1) ms.
  for (const Chunk& chunk : down.chunks) {
    EXPECT_EQ(chunk.time.seconds, 1'600'000'000);
    EXPECT_EQ(chunk.time.nanoseconds, (chunk.frame - 1) * 1'000'000U);
  }
}

TEST_P(CaptureWriterConversation, TsharkSeesNoErrorsAndNoTcpAnalysisFlags) {
  ASSERT_TRUE(test::have_tshark()) << "tshark is a test dependency (make deps installs it)";
  const test::TempFile file(std::string("tshark_") + (GetParam().first[0] == '2' ? "v6" : "v4") + ".pcap");
  write_conversation(file.path(), {GetParam().first, 40001}, {GetParam().second, 502});

  EXPECT_EQ(tshark(file.string(), "-Y '_ws.malformed || _ws.expert.severity >= error'"), "");
  const std::string flags = tshark(file.string(), "-T fields -e tcp.analysis.flags");
  EXPECT_EQ(flags.find_first_not_of('\n'), std::string::npos) << flags;
  // Every frame carries a verified-good TCP checksum, and the connection is complete.
  const std::string frames = tshark(file.string(), "-T fields -e frame.number");
  const std::string good = tshark(file.string(), "-Y 'tcp.checksum.status == 1' -T fields -e frame.number");
  EXPECT_GT(frames.size(), 0U);
  EXPECT_EQ(good, frames);
  const std::string completeness = tshark(file.string(), "-Y 'tcp.flags.fin == 1' -T fields -e tcp.completeness");
  EXPECT_NE(completeness.find("31"), std::string::npos) << completeness;  // SYN, SYN-ACK, ACK, data, FIN
}

INSTANTIATE_TEST_SUITE_P(Capture, CaptureWriterConversation,
                         ::testing::Values(std::make_pair("192.0.2.10", "192.0.2.20"),
                                           std::make_pair("2001:db8::10", "2001:db8::20")),
                         [](const auto& info) { return info.param.first[0] == '2' ? "Ipv6" : "Ipv4"; });

TEST(CaptureWriter, SameInputGivesTheSameFile) {
  const test::TempFile first("same_1.pcap");
  const test::TempFile second("same_2.pcap");
  write_conversation(first.path(), {"10.0.0.1", 1}, {"10.0.0.2", 2});
  write_conversation(second.path(), {"10.0.0.1", 1}, {"10.0.0.2", 2});
  const auto bytes = test::read_file(first.path());
  EXPECT_GT(bytes.size(), 10000U);
  EXPECT_EQ(bytes, test::read_file(second.path()));
}

TEST(CaptureWriter, MssAndClockOptionsAreHonoured) {
  const test::TempFile file("mss.pcap");
  TcpConversationOptions options;
  options.mss = 1000;
  options.clock = FrameClock({1'700'000'000, 500}, std::chrono::microseconds(250));
  options.client_isn = 0xFFFFFF00u;  // wraps during the transfer
  {
    Result<PcapWriter> writer = PcapWriter::create(file.path());
    ASSERT_TRUE(writer.ok());
    Result<TcpConversation> conversation =
        TcpConversation::open(writer.value(), {"10.0.0.1", 1}, {"10.0.0.2", 2}, options);
    ASSERT_TRUE(conversation.ok());
    conversation.value().clock().set({1'700'000'100, 0});
    conversation.value().send(Side::client, pattern(3000, 7));
    EXPECT_EQ(conversation.value().next_seq(Side::client), 0xFFFFFF01u + 3000u);
  }
  Result<Capture> read = read_capture(file.path());
  ASSERT_TRUE(read.ok());
  const Stream& stream = read.value().streams.at(0);
  EXPECT_EQ(stream.bytes, pattern(3000, 7));
  ASSERT_EQ(stream.chunks.size(), 3U);
  EXPECT_EQ(stream.chunks[0].size, 1000U);
  EXPECT_EQ(stream.chunks[0].time, (Timestamp{1'700'000'100, 0}));
  EXPECT_EQ(stream.chunks[1].time, (Timestamp{1'700'000'100, 250'000}));  // 250 us later
}

TEST(CaptureWriter, UdpDatagramsAndRawFramesReadBack) {
  const test::TempFile udp_file("udp.pcap");
  {
    Result<PcapWriter> writer = PcapWriter::create(udp_file.path());
    ASSERT_TRUE(writer.ok());
    EXPECT_TRUE(writer.value().write_udp({"10.1.1.1", 0}, {"10.2.2.2", 4059}, bytes_of("first"), {}).ok());
    EXPECT_TRUE(writer.value().write_udp({"10.1.1.1", 0}, {"10.2.2.2", 4059}, bytes_of("second"), {}).ok());
    EXPECT_EQ(writer.value().frames_written(), 2U);
  }  // the destructor closes the file
  Result<Capture> udp = read_capture(udp_file.path());
  ASSERT_TRUE(udp.ok());
  ASSERT_EQ(udp.value().streams.size(), 1U);
  EXPECT_EQ(udp.value().streams[0].transport, Transport::udp);
  EXPECT_EQ(udp.value().streams[0].bytes, bytes_of("firstsecond"));
  EXPECT_EQ(udp.value().streams[0].chunks.size(), 2U);
  ASSERT_TRUE(test::have_tshark()) << "tshark is a test dependency (make deps installs it)";
  EXPECT_EQ(tshark(udp_file.string(), "-Y 'udp.checksum.status == 1' -T fields -e frame.number"), "1\n2\n");

  const test::TempFile raw_file("user0.pcap");
  const auto hdlc = test::hex("7e a0 07 03 21 93 0f 01 7e");
  {
    Result<PcapWriter> writer = PcapWriter::create(raw_file.path(), link_type::user0);
    ASSERT_TRUE(writer.ok());
    writer.value().write_frame(hdlc, {});
    writer.value().write_frame(hdlc, {});
    ASSERT_TRUE(writer.value().close().ok());
  }
  Result<Capture> raw = read_capture(raw_file.path());
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.value().link_type, link_type::user0);
  ASSERT_EQ(raw.value().streams.size(), 1U);
  EXPECT_EQ(raw.value().streams[0].transport, Transport::link);
  ASSERT_EQ(raw.value().streams[0].chunks.size(), 2U);
  EXPECT_EQ(raw.value().streams[0].chunks[1].offset, hdlc.size());
}

TEST(CaptureWriter, BadRequestsAreRefusedWithAReason) {
  const test::TempFile file("refused.pcap");
  Result<PcapWriter> user0 = PcapWriter::create(file.path(), link_type::user0);
  ASSERT_TRUE(user0.ok());
  const auto on_user0 = TcpConversation::open(user0.value(), {"10.0.0.1", 1}, {"10.0.0.2", 2});
  ASSERT_FALSE(on_user0.ok());
  EXPECT_EQ(on_user0.error().kind, CaptureError::Kind::invalid_argument);
  EXPECT_FALSE(user0.value().write_udp({"10.0.0.1", 1}, {"10.0.0.2", 2}, bytes_of("x"), {}).ok());

  const test::TempFile ethernet_file("refused_eth.pcap");
  Result<PcapWriter> ethernet = PcapWriter::create(ethernet_file.path());
  ASSERT_TRUE(ethernet.ok());
  EXPECT_FALSE(TcpConversation::open(ethernet.value(), {"10.0.0.1", 1}, {"::1", 2}).ok());
  EXPECT_FALSE(TcpConversation::open(ethernet.value(), {"not an address", 1}, {"10.0.0.2", 2}).ok());
  TcpConversationOptions zero_mss;
  zero_mss.mss = 0;
  EXPECT_FALSE(TcpConversation::open(ethernet.value(), {"10.0.0.1", 1}, {"10.0.0.2", 2}, zero_mss).ok());
  const std::vector<std::uint8_t> huge(70000, 0);
  EXPECT_FALSE(ethernet.value().write_udp({"10.0.0.1", 1}, {"10.0.0.2", 2}, huge, {}).ok());
  EXPECT_EQ(ethernet.value().frames_written(), 0U);

  const Result<PcapWriter> nowhere = PcapWriter::create(file.path() / "no" / "dir.pcap");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().kind, CaptureError::Kind::io);
}

TEST(CaptureWriter, UnsupportedLinkTypeIsRefusedOnRead) {
  const test::TempFile file("wifi.pcap");
  {
    Result<PcapWriter> writer = PcapWriter::create(file.path(), 105);  // IEEE 802.11
    ASSERT_TRUE(writer.ok());
    writer.value().write_frame(test::hex("08 00 00 00"), {});
  }
  const Result<Capture> read = read_capture(file.path());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind, CaptureError::Kind::unsupported);
  EXPECT_NE(read.error().message.find("105"), std::string::npos) << read.error().message;
}

}  // namespace
}  // namespace pc::capture
