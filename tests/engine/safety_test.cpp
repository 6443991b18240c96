// What a campaign may send: loopback only unless declared, read-only, allow-listed writes,
// exclusions, unit scope, dry runs that contact nothing; campaign files, hooks, JSON lines.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/engine/engine_cli.hpp"

namespace pc::test {
namespace {

RunResult cli(std::vector<std::string> args, int timeout = 300) {
  args.insert(args.begin(), PC_CLI);
  return run(args, timeout);
}

TEST(Safety, ARemoteTargetIsRefusedUnlessDeclared) {
  TempDir dir;
  // 192.0.2.0/24 is documentation space: the refusal comes before any connection
  auto r = cli({"run", "--model", "modbus-tcp", "--target", "tcp://192.0.2.7:502", "--project", dir.path(), "--cases", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a loopback address"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--allow-remote"), std::string::npos);
}

std::vector<std::string> dry_cases(const std::vector<std::string>& extra) {
  TempDir dir;
  std::vector<std::string> args = {"run", "--model", "modbus-tcp", "--dry-run", "--profile", "ci",
                                   "--target", "tcp://127.0.0.1:1", "--project", dir.path(), "--phases", "systematic"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);) {
    if (l.size() > 2 && l[1] == ':') lines.push_back(l);
  }
  return lines;
}

bool mentions(const std::vector<std::string>& lines, const std::string& what) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(what) != std::string::npos; });
}

TEST(Safety, DryRunPrintsCasesAndContactsNothing) {
  // port 1 on loopback is closed: a dry run that tried to connect would fail
  auto lines = dry_cases({});
  EXPECT_GT(lines.size(), 100u);
  EXPECT_TRUE(mentions(lines, "write_single_coil_request"));
}

TEST(Safety, ReadOnlySendsNoWrite) {
  auto lines = dry_cases({"--read-only"});
  EXPECT_GT(lines.size(), 50u);
  for (const char* w : {"write_single_coil_request", "write_single_register_request", "write_multiple_coils_request",
                        "write_multiple_registers_request", "mask_write_register_request", "write_file_record_request"}) {
    EXPECT_FALSE(mentions(lines, std::string(" ") + w + " ")) << w;
  }
  EXPECT_TRUE(mentions(lines, "read_coils_request"));
}

TEST(Safety, WritesOnlyInsideTheAllowList) {
  TempDir dir;
  std::vector<std::string> args = {"--target-cmd", ref_device({}), "--writable", "10-20", "--phases", "systematic"};
  args.insert(args.end(), fast_timing().begin(), fast_timing().end());
  CampaignRun run = run_campaign(dir.path(), args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_GT(run.summary.value("excluded", 0), 0) << "writes outside 10..20 were not sent";
}

TEST(Safety, ExclusionsAndUnitScopeKeepMessagesOut) {
  auto lines = dry_cases({"--exclude", "diagnostics_force_listen_only_request", "--exclude", "write_single_coil_request.pdu.address=0"});
  EXPECT_FALSE(mentions(lines, " diagnostics_force_listen_only_request "));
  auto scoped = dry_cases({"--unit-id", "255"});
  EXPECT_FALSE(mentions(scoped, "unit_id:set(0)")) << "a case that changes the unit id leaves the scope";
}

TEST(CampaignFile, HoldsEveryOptionAndFlagsOverrideIt) {
  TempDir dir;
  std::string file = dir.file("campaign.yaml");
  std::ofstream(file) << "model: modbus-tcp\ntarget_cmd: \"" << ref_device({"read-coils-quantity"}) << "\"\n"
                      << "profile: ci\nseed: 4\ncases: 1000\nphases: [discovery, systematic]\n"
                      << "thresholds: { min_deadline_ms: 50, max_latency_ms: 500, recovery_window_ms: 2500 }\n"
                      << "safety: { read_only: true }\n";
  CampaignRun run = run_campaign(dir.path(), {"--campaign", file, "--cases", "150"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.summary.value("cases", 0), 150) << "--cases overrides the file";
  EXPECT_GT(run.summary.value("excluded", 0), 0) << "read_only from the file applies";

  std::string bad = dir.file("bad.yaml");
  std::ofstream(bad) << "model: modbus-tcp\nsafety: { read_ony: true }\n";
  auto r = cli({"run", "--campaign", bad, "--project", dir.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":2:11: unknown key 'read_ony' in safety"), std::string::npos) << r.err;
}

TEST(Hooks, RunWithTheCaseAndTargetInTheirEnvironment) {
  TempDir dir;
  std::string log = dir.file("hooks.log");
  std::vector<std::string> args = {"--target-cmd", ref_device({"read-coils-quantity"}), "--cases", "40",
                                   "--hook-before-campaign", "echo before $PROTOCRAWLER_MODEL >> " + log,
                                   "--hook-after-case", "echo case $PROTOCRAWLER_CASE >> " + log,
                                   "--hook-after-campaign", "echo after $PROTOCRAWLER_RUN >> " + log,
                                   "--hook-on-failure", "echo failure $PROTOCRAWLER_FINDING_KIND >> " + log};
  args.insert(args.end(), fast_timing().begin(), fast_timing().end());
  CampaignRun run = run_campaign(dir.path(), args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("before modbus-tcp"), std::string::npos) << text;
  EXPECT_NE(text.find("case S:0"), std::string::npos) << text;
  EXPECT_NE(text.find("after 1"), std::string::npos) << text;
}

TEST(JsonLines, ProgressFindingsAndASummary) {
  TempDir dir;
  std::vector<std::string> argv = {PC_CLI, "run", "--json", "--model", "modbus-tcp", "--project", dir.path(),
                                   "--profile", "ci", "--target-cmd", ref_device({"read-coils-quantity"})};
  argv.insert(argv.end(), fast_timing().begin(), fast_timing().end());
  RunResult r = run(argv, 900);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  size_t progress = 0, findings = 0;
  nlohmann::json summary;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);  // every line is JSON
    std::string e = j["event"];
    progress += e == "progress";
    findings += e == "finding";
    if (e == "summary") summary = j;
  }
  EXPECT_GT(progress, 0u);
  EXPECT_GE(findings, 1u);
  for (const char* k : {"cases", "elapsed_seconds", "cases_per_second", "findings_by_kind", "store"}) {
    EXPECT_TRUE(summary.contains(k)) << k;
  }
  EXPECT_EQ(summary["findings_by_kind"].value("accepted-invalid", 0), 1);
}

}  // namespace
}  // namespace pc::test
