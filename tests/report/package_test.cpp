// The evidence package: verify-package accepts the package as written (folder and
// .tar.gz) and names the signer; it fails when one file is changed, added or removed,
// when the manifest is changed without its signature, when the package is unsigned, and
// when another key than the trusted one signed it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/report/report_support.hpp"

namespace pc::test {
namespace {

namespace fs = std::filesystem;

class EvidencePackage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string project = dir_->file("project");
    fs::create_directories(project);
    ASSERT_TRUE(make_key(dir_->path()));
    ASSERT_TRUE(make_key(dir_->path(), "other"));
    CampaignRun c = short_campaign(project, {"holding-overread"});
    ASSERT_EQ(c.exit_code, 0) << c.err;
    RunResult signed_ =
        cli({"report", "--project", project, "--out", dir_->file("signed"), "--package",
             "--sign-key", dir_->file("key.pem"), "--signer", "Lab 3 (ACME test house)"});
    ASSERT_EQ(signed_.exit_code, 0) << signed_.err;
    RunResult unsigned_ = cli({"report", "--project", project, "--out", dir_->file("unsigned"),
                               "--package", "--format", "json"});
    ASSERT_EQ(unsigned_.exit_code, 0) << unsigned_.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  // A fresh copy of the signed package folder to tamper with.
  std::string copy() {
    const std::string to = dir_->file("copy-" + std::to_string(++copies_));
    fs::copy(dir_->file("signed/evidence-run-1"), to, fs::copy_options::recursive);
    return to;
  }
  static RunResult verify(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"verify-package"};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args, 120);
  }

  static inline TempDir* dir_ = nullptr;
  static inline int copies_ = 0;
};

TEST_F(EvidencePackage, VerifiesAsWrittenAndNamesTheSigner) {
  for (const std::string& p :
       {dir_->file("signed/evidence-run-1"), dir_->file("signed/evidence-run-1.tar.gz")}) {
    RunResult r = verify({p});
    EXPECT_EQ(r.exit_code, 0) << p << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("signed by: Lab 3 (ACME test house)"), std::string::npos) << r.out;
  }
  RunResult trusted =
      verify({dir_->file("signed/evidence-run-1"), "--key", dir_->file("key.pub.pem")});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.out;
}

TEST_F(EvidencePackage, HoldsWhatAnAssessorNeeds) {
  const std::string p = dir_->file("signed/evidence-run-1");
  for (const char* f : {"reports/report.html", "reports/report.json", "reports/report.sarif",
                        "reports/report.junit.xml", "reports/report.csv", "campaign/campaign.yaml",
                        "models/modbus-tcp.yaml", "environment.json", "MANIFEST.json",
                        "MANIFEST.sig", "MANIFEST.pub.pem"}) {
    EXPECT_TRUE(fs::exists(p + "/" + f)) << f;
  }
  // the disclosure's raw bytes hold the device's key: its finding lives under confidential/
  for (const char* f :
       {"reproducer.json", "reproduce.py", "replay.pcap", "replay-command.txt", "observed.json"}) {
    EXPECT_TRUE(fs::exists(p + "/confidential/findings/1/" + f)) << f;
  }
  auto manifest = read_json(p + "/MANIFEST.json");
  EXPECT_EQ(manifest["signer"]["name"], "Lab 3 (ACME test house)");
  EXPECT_EQ(manifest["signer"]["key_sha256"].get<std::string>().size(), 64u);
}

TEST_F(EvidencePackage, AChangedFileFails) {
  const std::string p = copy();
  write_text(p + "/reports/report.csv", read_text(p + "/reports/report.csv") + "1,forged\r\n");
  RunResult r = verify({p});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("changed: reports/report.csv"), std::string::npos) << r.out;
}

TEST_F(EvidencePackage, AnAddedFileFails) {
  const std::string p = copy();
  write_text(p + "/findings-extra.txt", "not in the manifest");
  RunResult r = verify({p});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("added: findings-extra.txt"), std::string::npos) << r.out;
}

TEST_F(EvidencePackage, ARemovedFileFails) {
  const std::string p = copy();
  fs::remove(p + "/models/modbus-tcp.yaml");
  RunResult r = verify({p});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("removed: models/modbus-tcp.yaml"), std::string::npos) << r.out;
}

TEST_F(EvidencePackage, AManifestChangedWithoutItsSignatureFails) {
  // change a file and write its new hash into the manifest: only the signature can tell
  const std::string p = copy();
  write_text(p + "/environment.json", "{}\n");
  auto manifest = read_json(p + "/MANIFEST.json");
  RunResult h = run({"sha256sum", p + "/environment.json"}, 30);
  for (auto& f : manifest["files"]) {
    if (f["path"] == "environment.json") {
      f["sha256"] = h.out.substr(0, 64);
      f["size"] = 3;
    }
  }
  write_text(p + "/MANIFEST.json", manifest.dump(2) + "\n");
  RunResult r = verify({p});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("changed: environment.json"), std::string::npos)
      << r.out;  // the hashes agree now
  EXPECT_NE(r.out.find("signature"), std::string::npos) << r.out;
}

TEST_F(EvidencePackage, AnotherKeyThanTheTrustedOneFails) {
  RunResult r = verify({dir_->file("signed/evidence-run-1"), "--key", dir_->file("other.pub.pem")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("signed with another key"), std::string::npos) << r.out;
}

TEST_F(EvidencePackage, AnUnsignedPackageFailsUnlessAllowed) {
  const std::string p = dir_->file("unsigned/evidence-run-1");
  RunResult r = verify({p});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("not signed"), std::string::npos) << r.out;
  EXPECT_EQ(verify({p, "--allow-unsigned"}).exit_code, 0);
  RunResult bad = cli({"report", "--project", dir_->file("project"), "--out", dir_->file("x"),
                       "--sign-key", dir_->file("key.pem")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("add --package"), std::string::npos) << bad.err;
}

// A key that cannot sign is refused before anything is written: no half-made package.
TEST_F(EvidencePackage, ABadSigningKeyIsRefusedBeforeAnythingIsWritten) {
  const std::string junk = dir_->file("junk-key.pem"), out = dir_->file("refused");
  std::ofstream(junk) << "not a key\n";
  RunResult r = cli({"report", "--project", dir_->file("project"), "--out", out, "--package", "--sign-key", junk});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--sign-key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out)) << "nothing written";
}

}  // namespace
}  // namespace pc::test
