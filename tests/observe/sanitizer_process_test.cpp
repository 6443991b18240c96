// The process monitor on a real sanitizer crash: pc-modbus-ref with its
// write-multiple-overflow defect dies with an AddressSanitizer report when it receives
// FC 16 with a quantity of 124 (docs/targets.md). The event must say so, and its top
// frames must be the same on every run.
#include <gtest/gtest.h>

#include "core/transport/transport.hpp"
#include "monitor_test_support.hpp"

namespace pc::observe::test {
namespace {

// MBAP (transaction 1, length 11, unit 0xff), then FC 16: address 0, quantity 124
// (0x7C), byte count 4 and 4 data bytes, consistent with the frame.
const std::vector<uint8_t> kTrigger = {0x00, 0x01, 0x00, 0x00, 0x00, 0x0B, 0xFF, 0x10, 0x00,
                                       0x00, 0x00, 0x7C, 0x04, 0x00, 0x01, 0x00, 0x02};

class Mbap : public transport::FrameCutter {
 public:
  Cut next(std::span<const uint8_t> data) override {
    if (data.size() < 6) {
      return {Cut::Kind::NeedMore, 0};
    }
    const uint32_t size = 6 + ((uint32_t{data[4]} << 8) | data[5]);
    return data.size() < size ? Cut{Cut::Kind::NeedMore, 0} : Cut{Cut::Kind::Message, size};
  }
};

std::string modbus_ref(const std::string& defects) {
  return std::string(PC_MODBUS_REF_EXE) + " --port 0" + defects;
}

// Sends the trigger to a started device; the outcome of waiting for its answer.
transport::Outcome send_trigger(const ProcessMonitor& monitor) {
  transport::Address address;
  std::string error;
  EXPECT_TRUE(transport::parse_address("tcp://" + monitor.ready_text(), address, error)) << error;
  auto client = transport::make_tcp_client(address);
  const auto deadline = [] { return transport::Clock::now() + milliseconds(10000); };
  EXPECT_EQ(client->open(deadline()).outcome, transport::Outcome::Answer);
  EXPECT_EQ(client->send(kTrigger).outcome, transport::Outcome::Answer);
  Mbap cutter;
  return client->receive(cutter, deadline()).outcome;
}

TEST(ObserveSanitizerProcess, OverflowDefectGivesAReportWithStableFrames) {
  ProcessMonitor monitor(modbus_ref(" --defect write-multiple-overflow"), "listening on", "");
  std::vector<std::vector<std::string>> runs;
  for (int run = 0; run < 2; ++run) {
    std::string error;
    ASSERT_TRUE(run == 0 ? monitor.start(milliseconds(30000), error)
                         : monitor.restart(milliseconds(30000), error))
        << error;
    ASSERT_TRUE(monitor.ready_text().rfind("127.0.0.1:", 0) == 0) << monitor.ready_text();
    const int pid = monitor.pid();
    const transport::Outcome outcome = send_trigger(monitor);
    EXPECT_TRUE(outcome == transport::Outcome::Closed || outcome == transport::Outcome::Reset)
        << transport::to_string(outcome);
    const ProcessEvent event = wait_for_end(monitor, milliseconds(30000));
    EXPECT_EQ(event.kind, ProcessEvent::Kind::Exited);
    EXPECT_NE(event.code, 0);
    EXPECT_TRUE(event.sanitizer_report);
    EXPECT_NE(event.report.find("ERROR: AddressSanitizer: stack-buffer-overflow"),
              std::string::npos)
        << event.report;
    EXPECT_FALSE(event.top_frames.empty());
    EXPECT_LE(event.top_frames.size(), 5u);
    for (const std::string& frame : event.top_frames) {
      EXPECT_EQ(frame.find(" 0x"), std::string::npos) << frame;  // no addresses
      EXPECT_EQ(frame.find('/'), std::string::npos) << frame;    // no directories
      EXPECT_EQ(frame.find("+0x"), std::string::npos) << frame;  // no offsets
    }
    bool names_the_handler = false;
    for (const std::string& frame : event.top_frames) {
      names_the_handler =
          names_the_handler || frame.find("write_multiple_registers") != std::string::npos;
    }
    EXPECT_TRUE(names_the_handler) << ::testing::PrintToString(event.top_frames);
    EXPECT_NE(monitor.stderr_tail().find("SUMMARY: AddressSanitizer"), std::string::npos);
    EXPECT_TRUE(gone(pid));
    runs.push_back(event.top_frames);
  }
  EXPECT_EQ(runs[0], runs[1]);
}

TEST(ObserveSanitizerProcess, CleanDeviceStopsWithCodeZeroAndNoReport) {
  ProcessMonitor monitor(modbus_ref(""), "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(30000), error)) << error;
  // Without the defect the same request is exception 3, and the device lives on.
  EXPECT_EQ(send_trigger(monitor), transport::Outcome::Answer);
  ProcessEvent event;
  EXPECT_TRUE(monitor.alive(&event));
  EXPECT_FALSE(event.sanitizer_report);
  monitor.stop();
  EXPECT_FALSE(monitor.alive(&event));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Exited);
  EXPECT_EQ(event.code, 0);
  EXPECT_FALSE(event.sanitizer_report);
}

}  // namespace
}  // namespace pc::observe::test
