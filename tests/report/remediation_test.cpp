// Remediation across campaigns on the reference device: a finding marked false positive
// stays out of the next campaign's open findings (and of --fail-on) and shows as
// suppressed in SARIF; suppressions travel as a file; retest marks a finding fixed when the
// device runs with its defect off, and leaves it open when the defect is on; a fixed
// finding seen again is open again; a score override shows beside the derived score.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/report/report_support.hpp"

namespace pc::test {
namespace {

namespace fs = std::filesystem;

nlohmann::json finding_of(const nlohmann::json& findings, const std::string& kind) {
  for (const auto& f : findings) {
    if (f.value("kind", "") == kind) return f;
  }
  return nullptr;
}

std::vector<std::string> history_why(const std::string& project, int64_t id) {
  // the status history as the JSON report shows it
  TempDir out;
  RunResult r = cli({"report", "--project", project, "--out", out.path(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> why;
  const nlohmann::json doc = read_json(out.file("report.json"));
  for (const auto& f : doc["findings"]["items"]) {
    if (f["id"] == id) {
      for (const auto& h : f["history"])
        why.push_back(h["status"].get<std::string>() + ": " + h["why"].get<std::string>());
    }
  }
  return why;
}

bool any_contains(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& s : v) {
    if (s.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(Remediation, ASuppressedFindingStaysOutOfTheNextCampaignsOpenListAndShowsSuppressedInSarif) {
  TempDir dir;
  const std::string p = dir.file("project");
  fs::create_directories(p);
  CampaignRun first = short_campaign(p, {"read-coils-quantity"}, {"--fail-on", "medium"});
  EXPECT_EQ(first.exit_code, 3) << first.err;  // an open Medium finding
  EXPECT_NE(first.err.find("--fail-on"), std::string::npos) << first.err;
  auto f = finding_of(first.findings, "accepted-invalid");
  ASSERT_TRUE(f.is_object());
  EXPECT_EQ(f["status"], "open");
  EXPECT_EQ(f["severity"], "Medium");
  const std::string id = std::to_string(f["id"].get<int64_t>());

  RunResult st = cli({"finding", "status", id, "false-positive", "--by", "alice", "--why",
                      "the bench feeds it", "--project", p});
  ASSERT_EQ(st.exit_code, 0) << st.err;

  CampaignRun second = short_campaign(p, {"read-coils-quantity"}, {"--fail-on", "medium"});
  EXPECT_EQ(second.exit_code, 0) << second.err;  // seen again, but suppressed
  ASSERT_EQ(second.summary["findings"].size(), 1u);
  EXPECT_EQ(second.summary["findings"][0]["status"], "false-positive");
  EXPECT_EQ(second.summary["findings"][0]["new"], false);
  EXPECT_EQ(finding_of(second.findings, "accepted-invalid")["status"], "false-positive");

  const std::string out = dir.file("reports");
  ASSERT_EQ(cli({"report", "--project", p, "--out", out, "--format", "sarif,junit"}).exit_code, 0);
  auto sarif = read_json(out + "/report.sarif");
  const auto& r = sarif["runs"][0]["results"][0];
  EXPECT_EQ(r["baselineState"], "unchanged");
  ASSERT_TRUE(r.contains("suppressions"));
  EXPECT_EQ(r["suppressions"][0]["kind"], "external");
  EXPECT_EQ(r["suppressions"][0]["status"], "accepted");
  EXPECT_NE(r["suppressions"][0]["justification"].get<std::string>().find("the bench feeds it"),
            std::string::npos);
  RunResult v = validate({"sarif", PC_SARIF_MULTITOOL, out + "/report.sarif"});
  EXPECT_EQ(v.exit_code, 0) << v.out;
  auto junit = nlohmann::json::parse(validate({"junit", out + "/report.junit.xml"}).out);
  EXPECT_EQ(junit["suites"][1]["cases"][0]["result"], "skipped");

  // lifting the suppression: the next campaign has it open again
  ASSERT_EQ(
      cli({"finding", "status", id, "open", "--by", "bob", "--why", "re-examined", "--project", p})
          .exit_code,
      0);
  CampaignRun third = short_campaign(p, {"read-coils-quantity"}, {"--fail-on", "high"});
  EXPECT_EQ(third.exit_code, 0) << third.err;  // Medium is below high
  EXPECT_EQ(finding_of(third.findings, "accepted-invalid")["status"], "open");
}

TEST(Remediation, SuppressionsTravelAsAFile) {
  TempDir dir;
  const std::string a = dir.file("a"), b = dir.file("b"), file = dir.file("suppressions.json");
  fs::create_directories(a);
  fs::create_directories(b);
  CampaignRun first = short_campaign(a, {"read-coils-quantity"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string id =
      std::to_string(finding_of(first.findings, "accepted-invalid")["id"].get<int64_t>());
  ASSERT_EQ(cli({"finding", "status", id, "accepted-risk", "--by", "alice", "--why",
                 "isolated bench", "--expires", "2099-12-31", "--project", a})
                .exit_code,
            0);
  RunResult ex = cli({"suppressions", "export", "--project", a, "--out", file});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  auto doc = read_json(file);
  ASSERT_EQ(doc["suppressions"].size(), 1u);
  EXPECT_EQ(doc["suppressions"][0]["status"], "accepted-risk");
  EXPECT_EQ(doc["suppressions"][0]["expires"], "2099-12-31");

  RunResult im = cli({"suppressions", "import", file, "--project", b});
  ASSERT_EQ(im.exit_code, 0) << im.err;
  CampaignRun other = short_campaign(b, {"read-coils-quantity"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  auto f = finding_of(other.findings, "accepted-invalid");
  EXPECT_EQ(f["status"], "accepted-risk");  // from its first sighting in this project
  EXPECT_TRUE(any_contains(history_why(b, f["id"].get<int64_t>()), "suppressed (import"));

  write_text(dir.file("broken.json"),
             R"({"format": "protocrawler-suppressions", "suppressions": [{"fingerprint": "x"}]})");
  RunResult bad = cli({"suppressions", "import", dir.file("broken.json"), "--project", b});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("suppressions[0]: \"status\" is missing"), std::string::npos) << bad.err;
  write_text(dir.file("not-hex.json"),
             R"({"format": "protocrawler-suppressions", "suppressions": [{"fingerprint": "zzzzzzzzzzzzzzzz", )"
             R"("status": "false-positive", "by": "a", "why": "b"}]})");
  RunResult hex = cli({"suppressions", "import", dir.file("not-hex.json"), "--project", b});
  EXPECT_EQ(hex.exit_code, 2);
  EXPECT_NE(hex.err.find("is not 16 hex digits"), std::string::npos) << hex.err;
}

TEST(Remediation, RetestMarksFixedWhenTheDefectIsOffAndOpenWhenItIsOn) {
  TempDir dir;
  const std::string p = dir.file("project");
  fs::create_directories(p);
  CampaignRun c = short_campaign(p, {"holding-overread", "read-coils-quantity"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  ASSERT_TRUE(finding_of(c.findings, "memory-disclosure").is_object());
  ASSERT_TRUE(finding_of(c.findings, "accepted-invalid").is_object());
  const int64_t leak = finding_of(c.findings, "memory-disclosure")["id"],
                quantity = finding_of(c.findings, "accepted-invalid")["id"];

  // new firmware: the quantity check is fixed, the over-read is not; the reset hook notes
  // the finding it runs before
  const std::string resets = dir.file("resets.txt");
  RunResult rt = cli({"retest", "--project", p, "--target-cmd", ref_device({"holding-overread"}),
                      "--count", "3", "--reset-cmd", "echo \"$PROTOCRAWLER_FINDING\" >> " + resets,
                      "--firmware", "V0.2", "--json"},
                     600);
  EXPECT_EQ(rt.exit_code, 1) << rt.out << rt.err;  // one still reproduces
  auto res = nlohmann::json::parse(rt.out, nullptr, false);
  ASSERT_TRUE(res.is_object()) << rt.out;
  EXPECT_EQ(res["fixed"], 1);
  EXPECT_EQ(res["open"], 1);
  for (const auto& r : res["findings"]) {
    EXPECT_EQ(r["replays"], 3);
    EXPECT_EQ(r["reproduced"], r["id"] == leak ? 3 : 0);
  }
  // the reset hook ran before each finding's replays
  const std::string reset_log = read_text(resets);
  EXPECT_NE(reset_log.find(std::to_string(leak) + "\n"), std::string::npos) << reset_log;
  EXPECT_NE(reset_log.find(std::to_string(quantity) + "\n"), std::string::npos) << reset_log;
  RunResult list = cli({"findings", "--json", "--project", p});
  auto findings = nlohmann::json::parse(list.out);
  EXPECT_EQ(finding_of(findings, "accepted-invalid")["status"], "fixed");
  EXPECT_EQ(finding_of(findings, "memory-disclosure")["status"], "open");
  EXPECT_TRUE(
      any_contains(history_why(p, quantity), "fixed: retest: reproduced 0 of 3 on firmware V0.2"));
  EXPECT_TRUE(any_contains(history_why(p, leak), "open: retest: reproduced 3 of 3"));

  // a fixed finding that comes back is open again
  CampaignRun again = short_campaign(p, {"read-coils-quantity"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(finding_of(again.findings, "accepted-invalid")["status"], "open");
  EXPECT_TRUE(any_contains(history_why(p, quantity), "it reproduces although it was fixed"));
}

TEST(Remediation, AScoreOverrideShowsBesideTheDerivedScore) {
  TempDir dir;
  const std::string p = dir.file("project");
  fs::create_directories(p);
  CampaignRun c = short_campaign(p, {"read-coils-quantity"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const std::string id =
      std::to_string(finding_of(c.findings, "accepted-invalid")["id"].get<int64_t>());
  RunResult ov =
      cli({"finding", "score", id, "--vector", "CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N",
           "--by", "carol", "--why", "reachable from the plant network only", "--project", p});
  ASSERT_EQ(ov.exit_code, 0) << ov.err;
  RunResult r = cli({"report", "--project", p, "--out", dir.file("r"), "--format", "json,csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto f = read_json(dir.file("r/report.json"))["findings"]["items"][0];
  EXPECT_EQ(f["derived"]["vector"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N");
  EXPECT_DOUBLE_EQ(f["derived"]["score"].get<double>(), 5.3);
  EXPECT_EQ(f["override"]["vector"], "CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N");
  EXPECT_DOUBLE_EQ(f["override"]["score"].get<double>(), 3.1);
  EXPECT_EQ(f["override"]["why"], "reachable from the plant network only");
  EXPECT_EQ(f["severity"], "Low");  // the override's
  EXPECT_EQ(validate({"json", PC_REPORT_SCHEMA, dir.file("r/report.json")}).exit_code, 0);
  RunResult bad = cli({"finding", "score", id, "--vector", "CVSS:3.1/AV:Q", "--by", "c", "--why",
                       "w", "--project", p});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--vector"), std::string::npos) << bad.err;
}

TEST(Remediation, StatusChangesNeedAKnownFindingAStatusAndAValidDate) {
  TempDir dir;
  const std::string p = dir.file("project");
  fs::create_directories(p);
  ASSERT_EQ(short_campaign(p, {"read-coils-quantity"}).exit_code, 0);
  RunResult r =
      cli({"finding", "status", "99", "fixed", "--by", "a", "--why", "w", "--project", p});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no finding 99"), std::string::npos) << r.err;
  r = cli({"finding", "status", "1", "done", "--by", "a", "--why", "w", "--project", p});
  EXPECT_NE(r.exit_code, 0);
  r = cli({"finding", "status", "1", "accepted-risk", "--by", "a", "--why", "w", "--expires",
           "31.12.2030", "--project", p});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a date YYYY-MM-DD"), std::string::npos) << r.err;
  r = cli({"finding", "status", "1", "fixed", "--by", "a", "--why", "w", "--expires", "2030-12-31",
           "--project", p});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("only goes with accepted-risk or false-positive"), std::string::npos)
      << r.err;
  r = cli({"finding", "status", "1", "verified", "--why", "w", "--project", p});
  EXPECT_NE(r.exit_code, 0);  // --by is required
}

// What retest cannot judge is an error, never a verdict: an unknown finding, a deadline of
// zero, a device that cannot be reached; the finding's status stays as it was.
TEST(Remediation, RetestRefusesWhatItCannotJudgeAndChangesNothing) {
  TempDir dir;
  const std::string p = dir.file("project");
  fs::create_directories(p);
  CampaignRun c = short_campaign(p, {"read-coils-quantity"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const int64_t id = finding_of(c.findings, "accepted-invalid")["id"];
  RunResult unknown = cli({"retest", "--project", p, "--finding", "999", "--target-cmd", ref_device({})});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no finding 999"), std::string::npos) << unknown.err;
  RunResult zero = cli({"retest", "--project", p, "--deadline-ms", "0", "--target-cmd", ref_device({})});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("--deadline-ms"), std::string::npos) << zero.err;
  RunResult away = cli({"retest", "--project", p, "--finding", std::to_string(id), "--count", "1", "--target",
                        "tcp://127.0.0.1:1"},
                       300);
  EXPECT_EQ(away.exit_code, 2) << away.out << away.err;
  EXPECT_NE(away.err.find("could not be retested"), std::string::npos) << away.err;
  RunResult list = cli({"findings", "--json", "--project", p});
  EXPECT_EQ(finding_of(nlohmann::json::parse(list.out), "accepted-invalid")["status"], "open");
}

}  // namespace
}  // namespace pc::test
