// With every defect off, the reference device is available under each storm at the rates
// these tests use, and no finding is filed: the storms themselves raise no false alarm.
#include <gtest/gtest.h>

#include "tests/availability/dos_cli.hpp"

namespace pc::test {
namespace {

void expect_all_available(const DosRun& r, const std::vector<std::string>& storms) {
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& s : storms) {
    const auto one = r.storm(s);
    EXPECT_EQ(one.value("status", ""), "ran") << s << ": " << one.dump();
    EXPECT_EQ(one.value("verdict", ""), "available") << s << ": " << one.dump();
    EXPECT_TRUE(one.contains("max_sustained_rate") && one["max_sustained_rate"].is_number()) << s;
    EXPECT_EQ(one.value("recovery", ""), "prompt") << s;
  }
  EXPECT_TRUE(r.findings.is_array() && r.findings.empty()) << r.findings.dump(1);
}

TEST(DosAvailable, TheCorrectDeviceWithstandsTheTcpStorms) {
  TempDir dir;
  const std::vector<std::string> storms = {"connection_flood", "request_flood", "malformed_flood", "session_exhaustion",
                                           "slow_partial_frame", "slow_trickle", "slow_no_read", "large_request",
                                           "fragmented_request"};
  std::vector<std::string> args = {"--target-cmd", ref_device(), "--start-rate", "50", "--step-factor", "4",
                                   "--max-rate", "800", "--max-level", "8"};
  for (const auto& s : storms) args = args + std::vector<std::string>{"--storm", s};
  DosRun r = run_dos(dir.path(), args + test_timing() + scan_counter());
  expect_all_available(r, storms);
  // the rate storms stepped up with the function intact: to the ceiling, unless this
  // machine's load stopped the tool first (then no verdict on the device was given above)
  for (const char* s : {"connection_flood", "request_flood", "large_request"}) {
    const std::string stopped = r.storm(s).value("stopped", "");
    EXPECT_TRUE(stopped == "ceiling" || stopped == "tool-limited") << s << ": " << stopped;
    if (stopped == "ceiling") EXPECT_EQ(r.storm(s).value("max_sustained_rate", 0.0), 800.0) << s;
  }
  // the reference device has 64 session slots: eight sessions are served
  EXPECT_EQ(r.storm("session_exhaustion").value("sessions_freed", false), true);
}

TEST(DosAvailable, TheCorrectDeviceWithstandsTheNetworkStorms) {
  if (!netns_possible()) GTEST_SKIP() << "network-level storms need root and a network namespace with a veth pair, which could not be made here";
  TempDir dir;
  DosRun r = run_dos(dir.path(), std::vector<std::string>{"--target-cmd", ref_device(), "--storm", "network_storms",
                                                          "--start-rate", "100", "--step-factor", "4", "--max-rate",
                                                          "1600"} +
                                     test_timing() + scan_counter());
  expect_all_available(r, {"syn_flood", "tcp_flags", "udp_flood", "icmp_flood", "ip_fragment", "arp_storm"});
}

}  // namespace
}  // namespace pc::test
