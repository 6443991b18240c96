// The transport against pc-hostile-server, one mode at a time: whatever the peer does,
// receive() comes back by its deadline with the Outcome that names what happened, and
// memory stays bounded under a flood.
#include <thread>

#include "core/observe/process_monitor.hpp"
#include "tcp_test_support.hpp"
#include "test_cutters.hpp"

// Freed memory goes back to the allocator soon, so that resident memory measures what
// the transport holds, not the sanitizer's quarantine.
extern "C" const char* __asan_default_options() {
  return "quarantine_size_mb=8";
}

namespace pc::transport::test {
namespace {

using Bytes = std::vector<uint8_t>;

// A Modbus/TCP read request: the hostile modes answer anything, but a realistic request
// shows what the engine would see.
const Bytes kRequest = hex("00 01 00 00 00 06 ff 03 00 00 00 01");

class TransportHostileServer : public ::testing::Test {
 protected:
  void start(const std::string& mode) {
    server_ = std::make_unique<observe::ProcessMonitor>(
        std::string(PC_HOSTILE_SERVER_EXE) + " --mode " + mode + " --port 0", "listening on", "");
    std::string error;
    ASSERT_TRUE(server_->start(milliseconds(20000), error)) << error;
    client_ = make_tcp_client(address_of("tcp://" + server_->ready_text()));
    const Received opened = client_->open(after(milliseconds(5000)));
    ASSERT_EQ(opened.outcome, Outcome::Answer) << opened.error;
  }
  void TearDown() override {
    if (server_) {
      observe::ProcessEvent event;
      EXPECT_TRUE(server_->alive(&event)) << "the hostile server died: " << server_->stderr_tail();
      // And it ends cleanly on SIGTERM, with no sanitizer report.
      server_->stop();
      server_->alive(&event);
      EXPECT_EQ(event.kind, observe::ProcessEvent::Kind::Exited);
      EXPECT_EQ(event.code, 0);
      EXPECT_FALSE(event.sanitizer_report) << event.report;
    }
  }

  // Sends the request and receives once, checking that receive() kept to its deadline.
  Received exchange(FrameCutter& cutter, milliseconds deadline) {
    EXPECT_EQ(client_->send(kRequest).outcome, Outcome::Answer);
    const auto start = Clock::now();
    Received received = client_->receive(cutter, after(deadline));
    waited_ = since(start);
    EXPECT_LT(waited_, deadline + milliseconds(2000)) << to_string(received.outcome);
    return received;
  }

  std::unique_ptr<observe::ProcessMonitor> server_;
  std::unique_ptr<Transport> client_;
  milliseconds waited_{0};
};

TEST_F(TransportHostileServer, RandomBytesNeverHangOrBreakTheConnection) {
  start("random-bytes");
  MbapCutter cutter(260);
  for (int i = 0; i < 20; ++i) {
    const Received received = exchange(cutter, milliseconds(300));
    EXPECT_TRUE(received.outcome == Outcome::Answer || received.outcome == Outcome::Unframed ||
                received.outcome == Outcome::Silence)
        << to_string(received.outcome) << " " << received.error;
    EXPECT_LE(client_->buffered(), TcpOptions{}.max_buffer);
    client_->drain();
  }
  EXPECT_TRUE(client_->is_open());
}

TEST_F(TransportHostileServer, AbsurdLengthIsSilenceForANaiveFramerAndJunkForACarefulOne) {
  start("absurd-length");
  MbapCutter naive;  // believes the 65535-byte length
  const Received waiting = exchange(naive, milliseconds(700));
  EXPECT_EQ(waiting.outcome, Outcome::Silence);
  EXPECT_GE(waited_, milliseconds(700));
  ASSERT_GE(waiting.bytes.size(), 6u);
  EXPECT_EQ(Bytes(waiting.bytes.begin() + 4, waiting.bytes.begin() + 6), hex("ff ff"));

  MbapCutter careful(260);
  const Received junk = client_->receive(careful, after(milliseconds(700)));
  EXPECT_EQ(junk.outcome, Outcome::Unframed);
}

TEST_F(TransportHostileServer, SlowPeerIsSilenceAtTheDeadline) {
  start("slow");
  MbapCutter cutter;
  const Received slow = exchange(cutter, milliseconds(1500));
  EXPECT_EQ(slow.outcome, Outcome::Silence);
  EXPECT_GE(waited_, milliseconds(1500));
  EXPECT_LE(slow.bytes.size(), 5u);  // one byte a second
}

TEST_F(TransportHostileServer, ResetMidAnswerIsReset) {
  start("reset");
  MbapCutter cutter;
  const Received reset = exchange(cutter, milliseconds(5000));
  EXPECT_EQ(reset.outcome, Outcome::Reset) << to_string(reset.outcome);
  EXPECT_LE(reset.bytes.size(), 3u);
  EXPECT_FALSE(client_->is_open());
}

TEST_F(TransportHostileServer, SilentPeerIsSilence) {
  start("silent");
  MbapCutter cutter;
  const Received silence = exchange(cutter, milliseconds(500));
  EXPECT_EQ(silence.outcome, Outcome::Silence);
  EXPECT_TRUE(silence.bytes.empty());
  EXPECT_GE(waited_, milliseconds(500));
  EXPECT_TRUE(client_->is_open());
}

TEST_F(TransportHostileServer, CloseImmediatelyIsClosed) {
  start("close-immediately");
  MbapCutter cutter;
  const Received closed = exchange(cutter, milliseconds(5000));
  EXPECT_EQ(closed.outcome, Outcome::Closed) << to_string(closed.outcome);
  EXPECT_TRUE(closed.bytes.empty());
}

TEST_F(TransportHostileServer, FloodKeepsMemoryBounded) {
  start("flood");
  const size_t cap = TcpOptions{}.max_buffer;
  NeverCutter cutter;
  // Warm up (first allocations of the buffer and the chunks), then take the baseline.
  for (int i = 0; i < 4; ++i) {
    client_->receive(cutter, after(milliseconds(5000)));
  }
  const size_t baseline = resident_bytes();
  size_t received = 0;
  const size_t total = size_t{256} << 20;  // 256 MiB through a 1 MiB buffer
  while (received < total) {
    const auto start = Clock::now();
    const Received chunk = client_->receive(cutter, after(milliseconds(5000)));
    ASSERT_EQ(chunk.outcome, Outcome::Unframed) << to_string(chunk.outcome) << " " << chunk.error;
    ASSERT_LT(since(start), milliseconds(5000 + 2000));
    ASSERT_LE(chunk.bytes.size(), cap);
    ASSERT_LE(client_->buffered(), cap);
    received += chunk.bytes.size();
  }
  const size_t grown = resident_bytes() > baseline ? resident_bytes() - baseline : 0;
  // Keeping what arrived would take 256 MiB; the bound is a wide margin over the cap.
  EXPECT_LT(grown, size_t{64} << 20) << "resident memory grew by " << grown << " bytes";
  client_->drain();
  EXPECT_EQ(client_->buffered(), 0u);
}

TEST_F(TransportHostileServer, FloodWithAFramerThatWantsEverythingStillReturns) {
  start("flood");
  MbapCutter naive;  // random header: usually a length it then waits for
  for (int i = 0; i < 50; ++i) {
    const auto start = Clock::now();
    const Received received = client_->receive(naive, after(milliseconds(2000)));
    EXPECT_LT(since(start), milliseconds(2000 + 2000));
    EXPECT_TRUE(received.outcome == Outcome::Answer || received.outcome == Outcome::Unframed)
        << to_string(received.outcome);
  }
}

}  // namespace
}  // namespace pc::transport::test
