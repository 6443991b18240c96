// Schema version 3 (evidence): a version-2 store opens migrated with its scores and
// suppressions intact; scores and overrides round-trip; suppressions decide a
// fingerprint's status until they expire or a later row lifts them.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/store/migrations.hpp"
#include "core/store/store.hpp"
#include "tests/store/store_test_util.hpp"
#include "tests/support/run.hpp"

namespace pc::store {
namespace {

using test::RawDb;

std::string load_v2(const pc::test::TempDir& dir) {
  std::ifstream in(std::string(PC_SOURCE_DIR) + "/tests/store/fixtures/store-v2.sql");
  std::stringstream sql;
  sql << in.rdbuf();
  std::string path = dir.file("v2.db");
  RawDb raw(path);
  EXPECT_EQ(raw.exec(sql.str()), "");
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"), "2");
  return path;
}

TEST(StoreEvidence, VersionTwoFixtureOpensMigratedWithScoresAndSuppressions) {
  pc::test::TempDir dir;
  auto s = test::open_store(load_v2(dir));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schema_version(), latest_schema_version());
  EXPECT_GE(latest_schema_version(), 3);
  auto f = s->finding_by_fingerprint("fp-v1-0001");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
  EXPECT_EQ(f->cvss_score, 7.5);
  EXPECT_EQ(f->cwe, "CWE-835");
  EXPECT_NE(f->score_override_json.find("lab network only"), std::string::npos);
  EXPECT_EQ(f->cvss_version, "");  // version 3's columns: empty for old rows
  EXPECT_EQ(f->requirements, "");
  auto all = s->suppressions();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].by, "alice");
  EXPECT_EQ(all[0].expires, "2027-01-01");
  EXPECT_EQ(all[1].source, "");
  EXPECT_TRUE(s->active_suppression("fp-v1-0001", "2026-06-01"));
  std::string detail;
  EXPECT_TRUE(s->check(detail)) << detail;
  EXPECT_EQ(s->error_count(), 0u) << s->last_error();
}

TEST(StoreEvidence, ScoreAndOverrideRoundTrip) {
  pc::test::TempDir dir;
  auto s = test::open_store(dir.file("s.db"));
  FindingRecord f;
  f.fingerprint = "fp-a";
  f.kind = "crash";
  f.cvss_version = "3.1";
  f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";
  f.cvss_score = 7.5;
  f.cwe = "CWE-20";
  f.requirements = "CR 3.5, CR 7.1";
  f.score_json = R"({"metrics":[]})";
  Id id = s->record_finding(f, Occurrence{});
  auto back = s->finding(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->cvss_version, "3.1");
  EXPECT_EQ(back->cvss_score, 7.5);
  EXPECT_EQ(back->requirements, "CR 3.5, CR 7.1");
  FindingRecord rescored = *back;
  rescored.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:H";
  rescored.cvss_score = 8.2;
  s->set_score(id, rescored);
  s->set_score_override(id, R"({"score":6.5})");
  back = s->finding(id);
  EXPECT_EQ(back->cvss_score, 8.2);
  EXPECT_EQ(back->score_override_json, R"({"score":6.5})");
  s->set_score_override(id, "");
  EXPECT_EQ(s->finding(id)->score_override_json, "");
  s->set_score(999, rescored);  // an unknown finding is an error, reported
  EXPECT_EQ(s->error_count(), 1u);
}

TEST(StoreEvidence, TheLatestSuppressionOfAFingerprintDecidesUntilItExpires) {
  pc::test::TempDir dir;
  auto s = test::open_store(dir.file("s.db"));
  EXPECT_FALSE(s->active_suppression("fp-a", "2026-05-01"));
  s->add_suppression({0, "fp-a", "accepted-risk", "alice", "bench only", "2026-06-30", "", "finding 1"});
  auto a = s->active_suppression("fp-a", "2026-05-01");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, "accepted-risk");
  EXPECT_EQ(a->source, "finding 1");
  EXPECT_FALSE(a->utc.empty());
  EXPECT_TRUE(s->active_suppression("fp-a", "2026-06-30T23:00:00Z"));  // the expiry day still holds
  EXPECT_FALSE(s->active_suppression("fp-a", "2026-07-01"));
  EXPECT_FALSE(s->active_suppression("fp-b", "2026-05-01"));
  // a later row lifts it
  s->add_suppression({0, "fp-a", "open", "bob", "fixed in 1.0.4", "", "", "finding 1"});
  EXPECT_FALSE(s->active_suppression("fp-a", "2026-05-01"));
  s->add_suppression({0, "fp-a", "false-positive", "carol", "bench artefact", "", "", "import x.json"});
  auto c = s->active_suppression("fp-a", "2030-01-01");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, "false-positive");
  EXPECT_EQ(s->suppressions().size(), 3u);
}

}  // namespace
}  // namespace pc::store
