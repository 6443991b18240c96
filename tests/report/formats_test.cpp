// One campaign on the reference device (a memory disclosure that leaks a session key, an
// out-of-range quantity accepted), then every report format, each read back by a tool that
// is not ours: the JSON by python3-jsonschema against docs/report-schema.json, the SARIF
// by Microsoft's SARIF Multitool, the JUnit by python3-junitparser, the HTML by headless
// Chromium, the PDF by its magic number.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/report/report_support.hpp"

namespace pc::test {
namespace {

namespace fs = std::filesystem;

class ReportFormats : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    project_ = dir_->file("project");
    out_ = dir_->file("reports");
    fs::create_directories(project_);
    ASSERT_TRUE(make_key(dir_->path()));
    campaign_ = new CampaignRun(
        short_campaign(project_, {"holding-overread", "read-coils-quantity"},
                       {"--vendor", "ProtoCrawler", "--product", "PC-MBREF", "--firmware", "V9.9",
                        "--component-type", "embedded device", "--tester", "QA lab",
                        "--independence", "independent department", "--target-sl", "2"}));
    ASSERT_EQ(campaign_->exit_code, 0) << campaign_->err;
    report_ = new RunResult(cli({"report", "--project", project_, "--out", out_, "--format",
                                 "html,json,sarif,junit,csv,pdf", "--package", "--sign-key",
                                 dir_->file("key.pem"), "--signer", "QA lab"}));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete campaign_;
    delete dir_;
  }
  void SetUp() override { ASSERT_EQ(report_->exit_code, 0) << report_->out << report_->err; }
  static std::string file(const std::string& name) { return out_ + "/" + name; }

  static inline TempDir* dir_ = nullptr;
  static inline std::string project_, out_;
  static inline CampaignRun* campaign_ = nullptr;
  static inline RunResult* report_ = nullptr;
};

TEST_F(ReportFormats, JsonValidatesAgainstTheDocumentedSchema) {
  RunResult v = validate({"json", PC_REPORT_SCHEMA, file("report.json")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  auto doc = read_json(file("report.json"));
  ASSERT_TRUE(doc.is_object());
  // what the run showed, as the report states it
  std::map<std::string, std::string> verdict;
  for (const auto& r : doc["requirements"]["matrix"]) verdict[r["id"]] = r["verdict"];
  EXPECT_EQ(verdict["CR 3.5"], "findings open");
  EXPECT_EQ(verdict["CR 1.1"], "not supported by protocol");
  EXPECT_EQ(verdict["CR 3.1"], "not supported by protocol");
  EXPECT_EQ(verdict["CR 7.1"], "not tested");
  EXPECT_EQ(verdict["CR 7.2"], "not tested");
  // no availability run in this store: the section says so
  EXPECT_FALSE(doc["availability"].value("tested", true));
  EXPECT_NE(doc["availability"].value("note", "").find("not tested"), std::string::npos);
  EXPECT_EQ(verdict["CR 4.1"], "findings open");  // the memory disclosure
  std::map<std::string, nlohmann::json> by_kind;
  for (const auto& f : doc["findings"]["items"]) by_kind[f["kind"]] = f;
  ASSERT_TRUE(by_kind.count("memory-disclosure"));
  ASSERT_TRUE(by_kind.count("accepted-invalid"));
  EXPECT_EQ(by_kind["memory-disclosure"]["derived"]["vector"],
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N");
  EXPECT_EQ(by_kind["memory-disclosure"]["severity"], "High");
  EXPECT_EQ(by_kind["accepted-invalid"]["cwe"], "CWE-1284");
  EXPECT_EQ(doc["findings"]["items"][0]["kind"], "memory-disclosure");  // worst first
  const auto& comp = doc["scope"]["component"];
  EXPECT_EQ(comp["type"], "embedded device");
  EXPECT_EQ(comp["said"]["firmware"], "V0.1");  // what the device answered to 43/14
  ASSERT_EQ(comp["identity_mismatches"].size(), 1u);
  EXPECT_EQ(comp["identity_mismatches"][0]["declared"], "V9.9");
  EXPECT_EQ(doc["scope"]["target_security_level"], 2);
  EXPECT_NE(
      doc["scope"]["independence_statement"].get<std::string>().find("independent department"),
      std::string::npos);
}

TEST_F(ReportFormats, ABrokenJsonDocumentIsRejected) {
  auto doc = read_json(file("report.json"));
  auto check = [&](nlohmann::json broken, const char* what) {
    const std::string path = dir_->file("broken.json");
    write_text(path, broken.dump());
    RunResult v = validate({"json", PC_REPORT_SCHEMA, path});
    EXPECT_EQ(v.exit_code, 1) << what << ": " << v.out << v.err;
  };
  nlohmann::json extra = doc;
  extra["findings"]["items"][0]["surprise"] = 1;
  check(extra, "a property the schema does not know");
  nlohmann::json missing = doc;
  missing.erase("requirements");
  check(missing, "a required section missing");
  nlohmann::json bad_verdict = doc;
  bad_verdict["requirements"]["matrix"][0]["verdict"] = "probably fine";
  check(bad_verdict, "a verdict that is not one of the five");
  nlohmann::json bad_hex = doc;
  bad_hex["findings"]["items"][0]["reproducer"]["steps"][0]["hex"] = "zz";
  check(bad_hex, "bytes that are not hex");
}

TEST_F(ReportFormats, SarifPassesTheSarifMultitoolAndTheSarifSchema) {
  RunResult v = validate({"sarif", PC_SARIF_MULTITOOL, file("report.sarif")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  auto sarif = read_json(file("report.sarif"));
  EXPECT_EQ(sarif["version"], "2.1.0");
  const auto& results = sarif["runs"][0]["results"];
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    EXPECT_EQ(r["baselineState"], "new");
    EXPECT_FALSE(r.contains("suppressions"));
    EXPECT_EQ(r["partialFingerprints"]["protocrawler/v1"].get<std::string>().size(), 16u);
  }
  // and the validator does reject a broken log
  sarif["runs"][0]["results"][0]["baselineState"] = "bogus";
  sarif["runs"][0]["results"][0]["level"] = 3;
  write_text(dir_->file("broken.sarif"), sarif.dump());
  EXPECT_EQ(validate({"sarif", PC_SARIF_MULTITOOL, dir_->file("broken.sarif")}).exit_code, 1);
}

TEST_F(ReportFormats, JunitReadsBackWithJunitparser) {
  RunResult v = validate({"junit", file("report.junit.xml")});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  auto j = nlohmann::json::parse(v.out);
  ASSERT_EQ(j["suites"].size(), 2u);
  const auto& reqs = j["suites"][0];
  EXPECT_EQ(reqs["name"], "requirements");
  EXPECT_EQ(reqs["tests"], 9);
  std::map<std::string, std::string> result;
  for (const auto& c : reqs["cases"])
    result[c["name"].get<std::string>().substr(0, 6)] = c["result"];
  EXPECT_EQ(result["CR 3.5"], "failure");
  EXPECT_EQ(result["CR 7.1"], "skipped");
  const auto& finds = j["suites"][1];
  EXPECT_EQ(finds["name"], "findings");
  EXPECT_EQ(finds["tests"], 2);
  EXPECT_EQ(finds["failures"], 2);
}

TEST_F(ReportFormats, CsvHasOneRowPerFinding) {
  RunResult v = validate({"csv", file("report.csv")});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  auto rows = nlohmann::json::parse(v.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["kind"], "memory-disclosure");
  EXPECT_EQ(rows[0]["vector"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N");
  EXPECT_EQ(rows[0]["status"], "open");
  EXPECT_EQ(rows[0]["requirements"], "CR 3.5; CR 4.1");
}

TEST_F(ReportFormats, HtmlRendersInHeadlessChromiumWithEverySectionAndNoScriptError) {
  const std::string chromium =
      run({"sh", "-c", "command -v chromium || command -v chromium-browser"}, 30).out;
  ASSERT_FALSE(chromium.empty())
      << "headless Chromium is needed (Debian package chromium; scripts/install-deps.sh)";
  const std::string exe = chromium.substr(0, chromium.find('\n'));
  const std::string url = "file://" + fs::absolute(file("report.html")).string();
  const std::string png = dir_->file("report.png");
  std::vector<std::string> base = {exe,
                                   "--headless",
                                   "--disable-gpu",
                                   "--no-sandbox",
                                   "--hide-scrollbars",
                                   "--user-data-dir=" + dir_->file("chromium-profile")};
  auto shot = base;
  shot.insert(shot.end(), {"--window-size=1280,3000", "--screenshot=" + png, url});
  RunResult s = run(shot, 120);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  std::string image = read_text(png);
  ASSERT_GT(image.size(), 20000u);
  EXPECT_EQ(image.substr(1, 3), "PNG");
  auto dom = base;
  dom.insert(dom.end(), {"--enable-logging=stderr", "--v=0", "--dump-dom", url});
  RunResult d = run(dom, 120);
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_NE(d.out.find("data-ready=\"1\""), std::string::npos);
  EXPECT_NE(d.out.find("data-errors=\"0\""), std::string::npos);
  EXPECT_NE(d.out.find("data-sections-shown=\"summary,document_control,scope,method,coverage,availability,requirements,"
                       "findings\""),
            std::string::npos)
      << d.out.substr(0, 600);
  // no script error and no fetch the page's Content-Security-Policy refused
  EXPECT_EQ(d.err.find("Uncaught"), std::string::npos) << d.err;
  EXPECT_EQ(d.err.find("Refused to"), std::string::npos) << d.err;
}

TEST_F(ReportFormats, CoverageTracesEverySlotAndWhereTheFindingsCameFrom) {
  auto doc = read_json(file("report.json"));
  const auto& cov = doc["coverage"];
  ASSERT_GT(cov["rows"].size(), 10u);
  uint64_t sum = 0;
  std::set<std::string> finding_messages;
  for (const auto& r : cov["rows"]) {
    sum += r["cases"].get<uint64_t>();
    if (r["outcomes"].contains("finding")) finding_messages.insert(r["message"]);
  }
  EXPECT_EQ(sum, cov["total_cases"].get<uint64_t>());
  EXPECT_GT(sum, 0u);
  // the over-read and the accepted quantity came from these message types
  EXPECT_TRUE(finding_messages.count("read_holding_registers_request"));
  EXPECT_TRUE(finding_messages.count("read_coils_request"));
  const std::string html = read_text(file("report.html"));
  EXPECT_NE(html.find("Outcomes per message type"), std::string::npos);
  EXPECT_NE(html.find("Cases per message type and mutation class"), std::string::npos);
}

TEST_F(ReportFormats, HtmlIsOneSelfContainedFile) {
  const std::string html = read_text(file("report.html"));
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
}

TEST_F(ReportFormats, SecretsAreRedactedInReportsAndKeptRawInTheConfidentialFolder) {
  // the reference device's maintenance block leaks through the disclosure
  const std::string secret = "PCREF-SESSION-KEY";
  for (const char* name :
       {"report.html", "report.json", "report.sarif", "report.csv", "report.junit.xml"}) {
    const std::string text = read_text(file(name));
    EXPECT_EQ(text.find(secret), std::string::npos) << name;
    EXPECT_EQ(text.find(hex_of(secret)), std::string::npos) << name;
  }
  auto doc = read_json(file("report.json"));
  EXPECT_TRUE(doc["findings"]["items"][0]["redacted"].get<bool>());
  const std::string package = out_ + "/evidence-run-1";
  auto holders = files_containing(package, hex_of(secret));
  ASSERT_FALSE(holders.empty());
  for (const auto& h : holders) {
    const std::string rel = h.substr(package.size() + 1);
    EXPECT_EQ(rel.rfind("confidential/", 0), 0u) << rel;  // not in reports/, not in findings/
  }
  auto manifest = read_json(package + "/MANIFEST.json");
  size_t confidential = 0;
  for (const auto& f : manifest["files"]) {
    const bool under = f["path"].get<std::string>().rfind("confidential/", 0) == 0;
    EXPECT_EQ(f["confidential"].get<bool>(), under) << f["path"];
    confidential += under;
  }
  EXPECT_GT(confidential, 0u);
}

TEST_F(ReportFormats, PdfIsWrittenByTheConverterOnTheMachine) {
  const std::string pdf = read_text(file("report.pdf"));
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  // with no converter on the PATH, a clear message and no PDF
  RunResult none = run({"env", "PATH=/nonexistent", PC_CLI, "report", "--project", project_,
                        "--out", dir_->file("nopdf"), "--format", "pdf"},
                       60);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no PDF converter found"), std::string::npos) << none.err;
}

TEST_F(ReportFormats, TheCampaignWarnedThatTheDeviceDisagreesWithTheDeclaredIdentity) {
  EXPECT_NE(campaign_->err.find("the device says its firmware is 'V0.1', but 'V9.9' was declared"),
            std::string::npos)
      << campaign_->err;
  ASSERT_EQ(campaign_->summary["warnings"].size(), 1u);
}

TEST_F(ReportFormats, UnknownRunAndFormatAreClearErrors) {
  RunResult r = cli({"report", "--project", project_, "--out", dir_->file("x"), "--run", "99"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no run 99"), std::string::npos) << r.err;
  r = cli({"report", "--project", project_, "--out", dir_->file("x"), "--format", "docx"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown format 'docx'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pc::test
