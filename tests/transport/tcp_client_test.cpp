// The TCP client against a raw peer on loopback: each test makes the peer send, split,
// coalesce, close or reset exactly as it needs, and checks the Outcome, the bytes kept
// and that receive() keeps to its deadline.
#include <thread>

#include "tcp_test_support.hpp"
#include "test_cutters.hpp"

namespace pc::transport::test {
namespace {

using Bytes = std::vector<uint8_t>;

TEST_F(TransportTcp, SendsAllBytesAndReceivesOneMessage) {
  const Bytes request = hex("00 03 61 62 63");
  ASSERT_EQ(client_->send(request).outcome, Outcome::Answer);
  EXPECT_EQ(peer_.receive_exact(request.size(), 5000), request);

  const auto start = Clock::now();
  peer_.send(hex("00 02 68 69"));
  LengthPrefixCutter cutter;
  const Received answer = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(answer.outcome, Outcome::Answer) << answer.error;
  EXPECT_EQ(answer.bytes, hex("00 02 68 69"));
  EXPECT_LE(answer.latency_us, std::chrono::duration_cast<std::chrono::microseconds>(
                                   Clock::now() - start + milliseconds(1))
                                   .count());
  EXPECT_EQ(client_->buffered(), 0u);
  EXPECT_TRUE(client_->is_open());
}

TEST_F(TransportTcp, AddressesOfBothEnds) {
  EXPECT_EQ(client_->peer_address(), "127.0.0.1:" + std::to_string(listener_->port()));
  EXPECT_EQ(client_->local_address(), peer_.peer());
}

TEST_F(TransportTcp, SplitMessageIsReassembled) {
  peer_.send(hex("00 04 01"));
  std::thread later([this] {
    std::this_thread::sleep_for(milliseconds(100));
    peer_.send(hex("02 03"));
    std::this_thread::sleep_for(milliseconds(50));
    peer_.send(hex("04"));
  });
  LengthPrefixCutter cutter;
  const auto start = Clock::now();
  const Received answer = client_->receive(cutter, after(milliseconds(10000)));
  later.join();
  EXPECT_EQ(answer.outcome, Outcome::Answer);
  EXPECT_EQ(answer.bytes, hex("00 04 01 02 03 04"));
  EXPECT_LT(since(start), milliseconds(10000));
}

TEST_F(TransportTcp, PartialMessageAtTheDeadlineIsSilenceAndStaysBuffered) {
  peer_.send(hex("00 04 01 02"));
  LengthPrefixCutter cutter;
  const auto start = Clock::now();
  const Received first = client_->receive(cutter, after(milliseconds(300)));
  EXPECT_EQ(first.outcome, Outcome::Silence);
  EXPECT_GE(since(start), milliseconds(300));
  EXPECT_EQ(first.bytes, hex("00 04 01 02"));
  EXPECT_EQ(client_->buffered(), 4u);
  EXPECT_TRUE(client_->is_open());

  peer_.send(hex("03 04"));
  const Received second = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(second.outcome, Outcome::Answer);
  EXPECT_EQ(second.bytes, hex("00 04 01 02 03 04"));
}

TEST_F(TransportTcp, CoalescedMessagesComeOneAtATime) {
  peer_.send(hex("00 01 aa 00 02 bb cc 00 03 dd"));
  LengthPrefixCutter cutter;
  // Wait until everything is buffered, so the second message comes from the buffer.
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 aa"));
  const Received second = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(second.outcome, Outcome::Answer);
  EXPECT_EQ(second.bytes, hex("00 02 bb cc"));
  const Received rest = client_->receive(cutter, after(milliseconds(200)));
  EXPECT_EQ(rest.outcome, Outcome::Silence);
  EXPECT_EQ(rest.bytes, hex("00 03 dd"));
  EXPECT_EQ(client_->buffered(), 3u);
}

TEST_F(TransportTcp, JunkIsUnframedAndDropped) {
  peer_.send(hex("ff ff 01 02"));
  LengthPrefixCutter cutter(16);
  const Received junk = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(junk.outcome, Outcome::Unframed);
  EXPECT_EQ(junk.bytes, hex("ff ff 01 02"));
  EXPECT_EQ(client_->buffered(), 0u);
}

// Drops one 0xEE byte at a time; anything else is a one-byte message.
class SkipMarkerCutter : public FrameCutter {
 public:
  Cut next(std::span<const uint8_t> data) override {
    return data[0] == 0xEE ? Cut{Cut::Kind::Junk, 1} : Cut{Cut::Kind::Message, 1};
  }
};

TEST_F(TransportTcp, JunkOfAGivenSizeDropsOnlyThat) {
  peer_.send(hex("ee 41"));
  SkipMarkerCutter cutter;
  const Received junk = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(junk.outcome, Outcome::Unframed);
  EXPECT_EQ(junk.bytes, hex("ee"));
  const Received message = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(message.outcome, Outcome::Answer);
  EXPECT_EQ(message.bytes, hex("41"));
}

TEST_F(TransportTcp, PeerFinIsClosed) {
  peer_.close_with_fin();
  LengthPrefixCutter cutter;
  const Received closed = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(closed.outcome, Outcome::Closed);
  EXPECT_TRUE(closed.bytes.empty());
  EXPECT_FALSE(client_->is_open());
  // And it stays closed.
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(100))).outcome, Outcome::Closed);
}

TEST_F(TransportTcp, FinAfterAPartialMessageIsClosedWithTheBytes) {
  peer_.send(hex("00 05 01 02"));
  peer_.close_with_fin();
  LengthPrefixCutter cutter;
  const Received closed = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(closed.outcome, Outcome::Closed);
  EXPECT_EQ(closed.bytes, hex("00 05 01 02"));
}

TEST_F(TransportTcp, CompleteMessageBeforeFinIsStillAnAnswer) {
  peer_.send(hex("00 01 07"));
  peer_.close_with_fin();
  std::this_thread::sleep_for(milliseconds(50));
  LengthPrefixCutter cutter;
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(5000))).outcome, Outcome::Answer);
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(5000))).outcome, Outcome::Closed);
}

TEST_F(TransportTcp, PeerResetIsReset) {
  peer_.close_with_reset();
  LengthPrefixCutter cutter;
  const Received reset = client_->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(reset.outcome, Outcome::Reset);
  EXPECT_FALSE(reset.error.empty());
  EXPECT_FALSE(client_->is_open());
  EXPECT_EQ(client_->send(hex("00 01 02")).outcome, Outcome::Reset);
}

TEST_F(TransportTcp, SendAfterThePeerResetIsReset) {
  peer_.close_with_reset();
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(client_->send(hex("00 01 02")).outcome, Outcome::Reset);
}

TEST_F(TransportTcp, NothingByTheDeadlineIsSilence) {
  LengthPrefixCutter cutter;
  const auto start = Clock::now();
  const Received silence = client_->receive(cutter, after(milliseconds(300)));
  const auto waited = since(start);
  EXPECT_EQ(silence.outcome, Outcome::Silence);
  EXPECT_TRUE(silence.bytes.empty());
  EXPECT_GE(waited, milliseconds(300));
  EXPECT_LT(waited, milliseconds(300 + 3000));
  EXPECT_GE(silence.latency_us, 300'000u);
  EXPECT_TRUE(client_->is_open());
}

TEST_F(TransportTcp, DeadlineInThePastStillTakesWhatArrived) {
  peer_.send(hex("00 01 09"));
  std::this_thread::sleep_for(milliseconds(100));
  LengthPrefixCutter cutter;
  const Received answer = client_->receive(cutter, Clock::now() - milliseconds(1000));
  EXPECT_EQ(answer.outcome, Outcome::Answer);
  EXPECT_EQ(answer.bytes, hex("00 01 09"));
}

TEST_F(TransportTcp, LatencyRunsFromTheEndOfTheSend) {
  ASSERT_EQ(client_->send(hex("00 00")).outcome, Outcome::Answer);
  const auto sent = Clock::now();
  std::thread answer_later([this] {
    std::this_thread::sleep_for(milliseconds(200));
    peer_.send(hex("00 00"));
  });
  LengthPrefixCutter cutter;
  const Received answer = client_->receive(cutter, after(milliseconds(10000)));
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent);
  answer_later.join();
  EXPECT_EQ(answer.outcome, Outcome::Answer);
  EXPECT_GE(answer.latency_us, 200'000u);
  EXPECT_LE(answer.latency_us, static_cast<uint64_t>(elapsed.count()));
}

TEST_F(TransportTcp, UnframedStreamYieldsChunksNoLargerThanTheBuffer) {
  TcpOptions options;
  options.max_buffer = 64 * 1024;
  connect(options);
  const size_t total = 1024 * 1024;
  std::thread stream([this] {
    peer_.send(Bytes(total, 0x5A));
    peer_.close_with_fin();
  });
  NeverCutter cutter;
  size_t received = 0;
  size_t chunks = 0;
  for (int i = 0; i < 1000; ++i) {
    const Received chunk = client_->receive(cutter, after(milliseconds(10000)));
    EXPECT_LE(client_->buffered(), options.max_buffer);
    EXPECT_LE(chunk.bytes.size(), options.max_buffer);
    received += chunk.bytes.size();
    if (chunk.outcome == Outcome::Closed) {
      break;
    }
    ASSERT_EQ(chunk.outcome, Outcome::Unframed);
    ++chunks;
  }
  stream.join();
  EXPECT_EQ(received, total);
  EXPECT_GE(chunks, total / options.max_buffer - 1);
}

TEST_F(TransportTcp, DrainDropsBufferedAndPendingBytes) {
  peer_.send(hex("00 01 aa 00 01 bb 00 03"));
  LengthPrefixCutter cutter;
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 aa"));
  peer_.send(hex("ff ff ff"));
  std::this_thread::sleep_for(milliseconds(100));
  client_->drain();
  EXPECT_EQ(client_->buffered(), 0u);
  const Received after_drain = client_->receive(cutter, after(milliseconds(200)));
  EXPECT_EQ(after_drain.outcome, Outcome::Silence);
  EXPECT_TRUE(after_drain.bytes.empty());
  // The connection still works.
  peer_.send(hex("00 01 cc"));
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 cc"));
}

TEST_F(TransportTcp, DrainNoticesTheClose) {
  peer_.close_with_fin();
  std::this_thread::sleep_for(milliseconds(50));
  client_->drain();
  EXPECT_FALSE(client_->is_open());
  LengthPrefixCutter cutter;
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(1000))).outcome, Outcome::Closed);
}

TEST_F(TransportTcp, SendToAPeerThatReadsNothingStallsAsSilence) {
  TcpOptions options;
  options.send_timeout = milliseconds(300);
  connect(options);
  const auto start = Clock::now();
  const Received stalled = client_->send(Bytes(64 * 1024 * 1024, 1));
  EXPECT_EQ(stalled.outcome, Outcome::Silence);
  EXPECT_NE(stalled.error.find("send stalled"), std::string::npos) << stalled.error;
  EXPECT_GE(since(start), milliseconds(300));
}

TEST_F(TransportTcp, CloseAndReopen) {
  client_->close();
  EXPECT_FALSE(client_->is_open());
  LengthPrefixCutter cutter;
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(100))).outcome, Outcome::Error);
  ASSERT_EQ(client_->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  RawConnection second = listener_->accept();
  ASSERT_TRUE(second.valid());
  second.send(hex("00 01 01"));
  EXPECT_EQ(client_->receive(cutter, after(milliseconds(5000))).outcome, Outcome::Answer);
}

}  // namespace
}  // namespace pc::transport::test
