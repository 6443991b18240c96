// Schema versions: a store written by the version-1 code (the committed fixture) opens
// with today's code, migrated forward with every row intact; a newer store is refused.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/store/detail/sqlite_db.hpp"
#include "core/store/migrations.hpp"
#include "core/store/sha256.hpp"
#include "core/store/store.hpp"
#include "tests/store/store_test_util.hpp"
#include "tests/support/run.hpp"

namespace pc::store {
namespace {

using test::RawDb;

std::string fixture_sql() {
  std::ifstream in(std::string(PC_SOURCE_DIR) + "/tests/store/fixtures/store-v1.sql");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The v1 fixture loaded into a fresh file with the plain C API.
std::string load_fixture(const pc::test::TempDir& dir) {
  std::string path = dir.file("v1.db");
  std::string sql = fixture_sql();
  EXPECT_FALSE(sql.empty());
  RawDb raw(path);
  EXPECT_EQ(raw.exec(sql), "");
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"), "1");
  return path;
}

std::string schema_of(RawDb& raw) {
  std::string out;
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(raw.handle(), "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name",
                     -1, &s, nullptr);
  while (sqlite3_step(s) == SQLITE_ROW) {
    for (int i = 0; i < 3; ++i) {
      const unsigned char* t = sqlite3_column_text(s, i);
      out += t != nullptr ? reinterpret_cast<const char*>(t) : "";
      out += '\n';
    }
  }
  sqlite3_finalize(s);
  return out;
}

TEST(StoreMigration, MigrationsAreNumberedOneByOne) {
  auto all = migrations();
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
  EXPECT_EQ(latest_schema_version(), all.back().version);
  EXPECT_EQ(Store::latest_schema_version(), latest_schema_version());
  EXPECT_GE(latest_schema_version(), 2);
}

TEST(StoreMigration, FixtureIsExactlyWhatVersionOneCreates) {
  // Guards the rule "never edit a shipped migration": v1 today must equal v1 then.
  pc::test::TempDir dir;
  std::string fixture = load_fixture(dir);
  {
    detail::Db db(dir.file("fresh.db"), true);
    EXPECT_EQ(migrate(db, 1), 1);
  }
  RawDb fresh(dir.file("fresh.db"));
  RawDb old(fixture);
  EXPECT_EQ(schema_of(fresh), schema_of(old));
}

TEST(StoreMigration, VersionOneFixtureOpensMigratedWithItsRowsIntact) {
  pc::test::TempDir dir;
  std::string path = load_fixture(dir);
  auto s = test::open_store(path);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schema_version(), latest_schema_version());

  auto target = s->target(1);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->name, "plc-1");
  EXPECT_EQ(target->firmware, "1.0.3");
  EXPECT_EQ(target->identity_json, R"({"VendorName":"Acme"})");

  auto runs = s->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].status, "completed");
  EXPECT_EQ(runs[0].seed, 42u);
  EXPECT_EQ(runs[0].campaign_yaml, "target: tcp://127.0.0.1:1502\nprofile: ci\n");
  EXPECT_EQ(runs[1].status, "interrupted");
  EXPECT_TRUE(s->fact(1, "target"));
  EXPECT_EQ(s->fact(1, "baseline"), R"({"p99_us":1500})");

  auto cases = s->cases(1);
  ASSERT_EQ(cases.size(), 6u);
  EXPECT_EQ(cases[4].signature, 0xfeedbeef00000004ull);
  EXPECT_EQ(cases[4].flags, 1u);
  EXPECT_EQ(cases[4].field_path, "pdu.address");
  EXPECT_EQ(cases[4].outcome_name, "exception");
  EXPECT_EQ(s->resume_point(1), (std::pair<uint8_t, uint64_t>{1, 6}));
  EXPECT_EQ(s->state(1, "feedback"), (std::vector<uint8_t>{1, 2, 3, 4}));
  auto bytes = s->case_bytes(1, 1, 4, 0);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->sent.size(), 12u);
  EXPECT_EQ(s->corpus(1).size(), 2u);
  EXPECT_EQ(s->latency(1).size(), 2u);
  uint64_t covered = 0;
  for (const auto& d : s->coverage(1)) covered += d.count;
  EXPECT_EQ(covered, 6u + 2u);  // six keyed cases and one explicit delta of 2

  auto finding = s->finding_by_fingerprint("fp-v1-0001");
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->status, "accepted-risk");
  EXPECT_EQ(finding->first_run, 1);
  EXPECT_EQ(finding->last_run, 2);
  EXPECT_EQ(s->occurrences(finding->id).size(), 2u);
  auto history = s->history(finding->id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].by, "alice");
  EXPECT_EQ(history[1].expires, "2027-01-01");
  auto artefacts = s->artefacts(finding->id);
  ASSERT_EQ(artefacts.size(), 1u);
  EXPECT_EQ(artefacts[0].sha256, sha256_hex(artefacts[0].data));
  EXPECT_EQ(artefacts[0].data, (std::vector<uint8_t>{0xd4, 0xc3, 0xb2, 0xa1}));

  // Version 2's additions are there, empty for old rows, and usable.
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(latest_schema_version()));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM findings WHERE cvss_vector = '' AND cvss_score IS "
                       "NULL AND cwe = '' "
                       "AND score_override_json = ''"),
            "1");
  EXPECT_EQ(
      raw.exec(
          "INSERT INTO suppressions (fingerprint, status, changed_by, why, utc) "
          "VALUES ('fp-v1-0001', 'accepted-risk', 'alice', 'lab', '2026-03-02T00:00:00.000Z')"),
      "");

  // And the migrated store takes new data.
  std::string error;
  EXPECT_TRUE(s->try_commit(test::make_batch(0, 10), 2, error)) << error;
  EXPECT_EQ(s->record_finding(FindingRecord{.fingerprint = "fp-v1-0001"},
                              Occurrence{0, 2, 1, 3, "", false}),
            finding->id);
  std::string detail;
  EXPECT_TRUE(s->check(detail)) << detail;
  EXPECT_EQ(s->error_count(), 0u) << s->last_error();
}

TEST(StoreMigration, StoreAtAnOlderVersionWrittenByCodeMigrates) {
  pc::test::TempDir dir;
  {
    detail::Db db(dir.file("s.db"), true);
    ASSERT_EQ(migrate(db, 1), 1);
  }
  auto s = test::open_store(dir.file("s.db"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schema_version(), latest_schema_version());
  // Opening again is a no-op.
  s.reset();
  s = test::open_store(dir.file("s.db"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schema_version(), latest_schema_version());
}

TEST(StoreMigration, NewerStoreIsRefusedAndLeftAlone) {
  pc::test::TempDir dir;
  ASSERT_NE(test::open_store(dir.file("s.db")), nullptr);
  const std::string newer = std::to_string(latest_schema_version() + 1);
  {
    RawDb raw(dir.file("s.db"));
    ASSERT_EQ(raw.exec("UPDATE meta SET value = '" + newer + "' WHERE key = 'schema_version'"), "");
  }
  std::string error;
  EXPECT_EQ(Store::open(dir.file("s.db"), error), nullptr);
  EXPECT_NE(error.find("schema version " + newer), std::string::npos) << error;
  EXPECT_NE(error.find("newer than this ProtoCrawler knows"), std::string::npos) << error;
  RawDb raw(dir.file("s.db"));
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"), newer);
}

TEST(StoreMigration, UnreadableVersionIsRefused) {
  pc::test::TempDir dir;
  ASSERT_NE(test::open_store(dir.file("s.db")), nullptr);
  {
    RawDb raw(dir.file("s.db"));
    ASSERT_EQ(raw.exec("UPDATE meta SET value = 'two' WHERE key = 'schema_version'"), "");
  }
  std::string error;
  EXPECT_EQ(Store::open(dir.file("s.db"), error), nullptr);
  EXPECT_NE(error.find("'two' is not a version number"), std::string::npos) << error;
}

}  // namespace
}  // namespace pc::store
