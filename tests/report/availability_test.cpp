// The report's availability section from a real availability run: a short campaign on the
// reference device, then `protocrawler dos` (a request flood and session exhaustion,
// stepped up briefly, the scan counter as the essential function) into the same project
// store, then the report of the campaign's run. The section shows each storm with its
// steps, verdict, recovery and chart; CR 7.1 and CR 7.2 take their verdicts from it; the
// JSON validates against docs/report-schema.json; headless Chromium renders the charts.
// (A store without an availability run says "not tested": formats_test.cpp.)
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/report/report_support.hpp"

namespace pc::test {
namespace {

namespace fs = std::filesystem;

class ReportAvailability : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    project_ = dir_->file("project");
    out_ = dir_->file("reports");
    fs::create_directories(project_);
    campaign_ = new CampaignRun(short_campaign(project_, {}));
    dos_ = new RunResult(cli({"dos", "--json", "--project", project_, "--target-cmd", std::string(PC_REF) + " --port 0",
                              "--storm", "request_flood", "--storm", "session_exhaustion", "--start-rate", "20",
                              "--max-rate", "40", "--max-level", "2", "--no-netns", "--baseline-seconds", "1",
                              "--hold-seconds", "1", "--max-latency-ms", "500", "--recovery-ms", "3000", "--ef-message",
                              "read_input_registers_request", "--ef-set", "pdu.address=0", "--ef-set", "pdu.quantity=1",
                              "--ef-value", "pdu.values[0]", "--ef-moves", "3"},
                             240));
    // without --run: the latest campaign (run 1), and the availability run (2) of the same
    // store joins it
    report_ = new RunResult(cli({"report", "--project", project_, "--out", out_, "--format", "html,json"}));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete dos_;
    delete campaign_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_EQ(campaign_->exit_code, 0) << campaign_->err;
    ASSERT_EQ(dos_->exit_code, 0) << dos_->out << dos_->err;
    ASSERT_EQ(report_->exit_code, 0) << report_->out << report_->err;
  }
  static std::string file(const std::string& name) { return out_ + "/" + name; }

  static inline TempDir* dir_ = nullptr;
  static inline std::string project_, out_;
  static inline CampaignRun* campaign_ = nullptr;
  static inline RunResult* dos_ = nullptr;
  static inline RunResult* report_ = nullptr;
};

TEST_F(ReportAvailability, TheSectionShowsEveryStormWithStepsVerdictRecoveryAndChart) {
  const nlohmann::json doc = read_json(file("report.json"));
  EXPECT_EQ(doc["document_control"]["report_id"].get<std::string>().rfind("PC-R1-", 0), 0u)
      << "the report is of the campaign, not of the later availability run";
  const auto& a = doc["availability"];
  ASSERT_TRUE(a.value("tested", false)) << a.dump(1);
  EXPECT_EQ(a["run"], 2);
  EXPECT_EQ(a["essential_function"].value("message", ""), "read_input_registers_request");
  std::map<std::string, nlohmann::json> by;
  for (const auto& s : a["storms"]) by[s["storm"]] = s;
  ASSERT_EQ(by.size(), 2u) << a.dump(1);
  const auto& flood = by["request_flood"];
  EXPECT_EQ(flood["requirement"], "CR 7.1");
  // the correct device at these low rates: available, two steps (20 and 40), prompt recovery
  EXPECT_EQ(flood["verdict"], "available") << flood["verdict_why"];
  ASSERT_GE(flood["steps"].size(), 2u);
  EXPECT_DOUBLE_EQ(flood["steps"][0]["offered"].get<double>(), 20);
  EXPECT_DOUBLE_EQ(flood["steps"][1]["offered"].get<double>(), 40);
  EXPECT_EQ(flood["max_sustained_rate"], 40);
  EXPECT_TRUE(flood["recovery"]["seconds"].is_number());
  EXPECT_GT(flood["steps"][0]["cycles"].get<int>(), 0);
  EXPECT_GT(flood["cycles"].get<int>(), 0);
  const std::string svg = flood["chart_svg"];
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("class=\"offered\""), std::string::npos);
  EXPECT_NE(svg.find("<circle class=\"on-time\""), std::string::npos);
  const auto& sessions = by["session_exhaustion"];
  EXPECT_EQ(sessions["requirement"], "CR 7.2");
  EXPECT_EQ(sessions["verdict"], "available") << sessions["verdict_why"];
  EXPECT_TRUE(sessions["sessions"].is_object());
  // the same in the HTML, the chart inline
  const std::string html = read_text(file("report.html"));
  const size_t at = html.find("id=\"availability\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(html.find("id=\"storm-request_flood\"", at), std::string::npos);
  EXPECT_NE(html.find("<figure class=\"availability-chart\"><svg ", at), std::string::npos);
  // the method says load testing was covered
  bool covered = false;
  for (const auto& x : doc["method"]["svv3_activities"]) {
    if (x.value("activity", "") == "load and denial-of-service testing") covered = x.value("covered", false);
  }
  EXPECT_TRUE(covered) << doc["method"].dump(1).substr(0, 2000);
}

TEST_F(ReportAvailability, CrSevenOneAndSevenTwoTakeTheirVerdictsFromTheAvailabilityRun) {
  const nlohmann::json doc = read_json(file("report.json"));
  std::map<std::string, nlohmann::json> row;
  for (const auto& r : doc["requirements"]["matrix"]) row[r["id"]] = r;
  EXPECT_EQ(row["CR 7.1"]["verdict"], "evidenced") << row["CR 7.1"].dump(1);
  EXPECT_NE(row["CR 7.1"]["evidence"].get<std::string>().find("request_flood available"), std::string::npos);
  EXPECT_NE(row["CR 7.1"]["evidence"].get<std::string>().find("availability run 2"), std::string::npos);
  EXPECT_EQ(row["CR 7.2"]["verdict"], "evidenced") << row["CR 7.2"].dump(1);
  EXPECT_NE(row["CR 7.2"]["evidence"].get<std::string>().find("session_exhaustion"), std::string::npos);
}

TEST_F(ReportAvailability, JsonValidatesAgainstTheDocumentedSchema) {
  RunResult v = validate({"json", PC_REPORT_SCHEMA, file("report.json")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // and a broken availability part is rejected
  nlohmann::json doc = read_json(file("report.json"));
  doc["availability"]["storms"][0]["verdict"] = "fine";
  write_text(dir_->file("broken.json"), doc.dump());
  RunResult b = validate({"json", PC_REPORT_SCHEMA, dir_->file("broken.json")});
  EXPECT_NE(b.exit_code, 0) << b.out;
}

TEST_F(ReportAvailability, TheChartsRenderInHeadlessChromium) {
  const std::string chromium = run({"sh", "-c", "command -v chromium || command -v chromium-browser"}, 30).out;
  ASSERT_FALSE(chromium.empty()) << "headless Chromium is needed (Debian package chromium; scripts/install-deps.sh)";
  const std::string exe = chromium.substr(0, chromium.find('\n'));
  const std::string url = "file://" + fs::absolute(file("report.html")).string();
  RunResult d = run({exe, "--headless", "--disable-gpu", "--no-sandbox", "--window-size=1280,3000",
                     "--user-data-dir=" + dir_->file("chromium-profile"), "--enable-logging=stderr", "--v=0",
                     "--dump-dom", url},
                    120);
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_NE(d.out.find("data-ready=\"1\""), std::string::npos);
  EXPECT_NE(d.out.find("data-errors=\"0\""), std::string::npos);
  EXPECT_NE(d.out.find("coverage,availability,requirements"), std::string::npos) << d.out.substr(0, 600);
  // both storms' charts laid out with a size, in the availability section
  EXPECT_NE(d.out.find("availability:2"), std::string::npos) << d.out.substr(0, 600);
  EXPECT_EQ(d.err.find("Uncaught"), std::string::npos) << d.err;
}

// A storm that degrades the device (its partial-frame-block defect: one slow peer stops
// the loop): the finding is scored like a campaign's, joins the report's findings, and
// keeps CR 7.2 open.
TEST(ReportAvailabilityDefect, ADegradedStormsFindingIsScoredAndKeepsTheRequirementOpen) {
  TempDir dir;
  const std::string project = dir.file("project");
  fs::create_directories(project);
  RunResult dos = cli({"dos", "--json", "--project", project, "--target-cmd",
                       std::string(PC_REF) + " --port 0 --defect partial-frame-block", "--storm", "slow_partial_frame",
                       "--max-level", "1", "--baseline-seconds", "1", "--hold-seconds", "1", "--max-latency-ms", "500",
                       "--recovery-ms", "3000", "--ef-message", "read_input_registers_request", "--ef-set",
                       "pdu.address=0", "--ef-set", "pdu.quantity=1", "--ef-value", "pdu.values[0]", "--ef-moves", "3"},
                      240);
  ASSERT_EQ(dos.exit_code, 0) << dos.out << dos.err;
  RunResult rep = cli({"report", "--project", project, "--out", dir.file("r"), "--format", "json"});
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  const nlohmann::json doc = read_json(dir.file("r/report.json"));
  ASSERT_EQ(doc["availability"]["storms"].size(), 1u);
  const auto& storm = doc["availability"]["storms"][0];
  EXPECT_NE(storm["verdict"], "available") << storm["verdict_why"];
  ASSERT_EQ(storm["findings"].size(), 1u);
  const int64_t id = storm["findings"][0];
  nlohmann::json finding;
  for (const auto& f : doc["findings"]["items"]) {
    if (f["id"] == id) finding = f;
  }
  ASSERT_TRUE(finding.is_object()) << doc["findings"].dump(1).substr(0, 2000);
  EXPECT_EQ(finding["kind"], "degraded");
  EXPECT_NE(finding.dump().find("CR 7.2"), std::string::npos) << finding.dump(1).substr(0, 2000);
  EXPECT_NE(finding.dump().find("/A:L"), std::string::npos) << "availability impact scored low";
  std::map<std::string, nlohmann::json> row;
  for (const auto& r : doc["requirements"]["matrix"]) row[r["id"]] = r;
  EXPECT_EQ(row["CR 7.2"]["verdict"], "findings open") << row["CR 7.2"].dump(1);
  EXPECT_EQ(row["CR 7.2"]["findings"], nlohmann::json::array({id}));
}

}  // namespace
}  // namespace pc::test
