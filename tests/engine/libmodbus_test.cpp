// Debian's libmodbus as a third-party target. At a 1 us response timeout a campaign finds
// no crash, hang or reset, and exactly the behaviours docs/targets.md explains; at its
// 0.5 s default, 50 cases find none of those either.
#include <gtest/gtest.h>

#include "tests/engine/engine_cli.hpp"

namespace pc::test {
namespace {

const std::set<std::string> kNeverFromLibmodbus = {"crash", "hang", "needs-manual-reset", "resource-exhaustion"};

TEST(Libmodbus, AtOneMicrosecondOnlyTheDocumentedFindings) {
  TempDir dir;
  std::vector<std::string> args = {"--target-cmd", std::string(PC_LIBMODBUS) + " --port 0 --response-timeout-us 1"};
  args.insert(args.end(), fast_timing().begin(), fast_timing().end());
  CampaignRun run = run_campaign(dir.path(), args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::set<std::string> got;
  for (const auto& f : run.findings) {
    EXPECT_FALSE(kNeverFromLibmodbus.count(f["kind"])) << f["title"];
    got.insert(f["title"].get<std::string>());
  }
  // libmodbus frames requests by function code: it ignores the MBAP protocol id and the
  // MBAP length (docs/targets.md, "What ProtoCrawler finds in libmodbus")
  const std::set<std::string> expected = {"accepted-invalid: protocol_id of every message (out_of_range)",
                                          "accepted-invalid: length of every message (truncate)"};
  EXPECT_EQ(got, expected);
}

TEST(Libmodbus, AtItsDefaultTimeoutFiftyCasesFindNoCrashHangOrReset) {
  TempDir dir;
  std::vector<std::string> args = {"--target-cmd", std::string(PC_LIBMODBUS) + " --port 0", "--cases", "50",
                                   "--min-deadline-ms", "100", "--max-latency-ms", "2000", "--recovery-ms", "5000"};
  CampaignRun run = run_campaign(dir.path(), args, 1200);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.summary.value("cases", 0), 50);
  for (const auto& f : run.findings) EXPECT_FALSE(kNeverFromLibmodbus.count(f["kind"])) << f["title"];
}

}  // namespace
}  // namespace pc::test
