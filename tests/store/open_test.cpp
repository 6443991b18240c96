// Opening a store: where the file goes, what SQLite is told, what is refused, and that
// errors come back as values, never as exceptions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/store/store.hpp"
#include "tests/store/store_test_util.hpp"
#include "tests/support/run.hpp"

namespace pc::store {
namespace {

using test::open_store;
using test::RawDb;

TEST(StoreOpen, DirectoryGetsTheDefaultFileName) {
  pc::test::TempDir dir;
  auto s = open_store(dir.path());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->path(), dir.file("protocrawler.db"));
  EXPECT_TRUE(std::filesystem::exists(dir.file("protocrawler.db")));
  EXPECT_EQ(s->schema_version(), Store::latest_schema_version());
}

TEST(StoreOpen, MissingParentDirectoryIsNamed) {
  pc::test::TempDir dir;
  std::string error;
  auto s = Store::open(dir.file("no/such/dir/x.db"), error);
  EXPECT_EQ(s, nullptr);
  EXPECT_NE(error.find(dir.file("no/such/dir")), std::string::npos) << error;
  EXPECT_NE(error.find("does not exist"), std::string::npos) << error;
  EXPECT_FALSE(std::filesystem::exists(dir.file("no")));
}

TEST(StoreOpen, EmptyPathIsAnError) {
  std::string error;
  EXPECT_EQ(Store::open("", error), nullptr);
  EXPECT_FALSE(error.empty());
}

TEST(StoreOpen, FileThatIsNotADatabaseIsRefused) {
  pc::test::TempDir dir;
  std::ofstream(dir.file("junk.db"))
      << "this is not an SQLite database, just some text that is long enough\n"
      << std::string(200, 'x');
  std::string error;
  EXPECT_EQ(Store::open(dir.file("junk.db"), error), nullptr);
  EXPECT_NE(error.find(dir.file("junk.db")), std::string::npos) << error;
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;
}

TEST(StoreOpen, ForeignSqliteDatabaseIsRefused) {
  pc::test::TempDir dir;
  {
    RawDb raw(dir.file("other.db"));
    ASSERT_EQ(raw.exec("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');"), "");
  }
  std::string error;
  EXPECT_EQ(Store::open(dir.file("other.db"), error), nullptr);
  EXPECT_NE(error.find("not a ProtoCrawler store"), std::string::npos) << error;
  RawDb raw(dir.file("other.db"));
  EXPECT_EQ(raw.scalar("SELECT t FROM notes"), "mine");  // left as it was
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'meta'"), "0");
}

TEST(StoreOpen, UsesWalAndKeepsTheVersionInMeta) {
  pc::test::TempDir dir;
  auto s = open_store(dir.file("s.db"));
  ASSERT_NE(s, nullptr);
  RawDb raw(dir.file("s.db"));
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(Store::latest_schema_version()));
}

TEST(StoreOpen, EnforcesForeignKeys) {
  pc::test::TempDir dir;
  auto s = open_store(dir.file("s.db"));
  ASSERT_NE(s, nullptr);
  std::vector<std::string> log;
  s->set_log([&](const std::string& m) { log.push_back(m); });
  // A fact for a run that does not exist breaks runs(id).
  s->put_fact(12345, "k", "{}");
  EXPECT_FALSE(s->fact(12345, "k"));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("FOREIGN KEY"), std::string::npos) << log[0];
  EXPECT_NE(log[0].find("INSERT INTO facts"), std::string::npos) << log[0];  // the SQL is named
  EXPECT_EQ(s->error_count(), 1u);
  EXPECT_EQ(s->last_error(), log[0]);
}

TEST(StoreOpen, FailuresReturnEmptyResultsAndAreReported) {
  pc::test::TempDir dir;
  auto s = open_store(dir.file("s.db"));
  ASSERT_NE(s, nullptr);
  std::vector<std::string> log;
  s->set_log([&](const std::string& m) { log.push_back(m); });
  EXPECT_FALSE(s->run(7));  // absent is not an error
  EXPECT_TRUE(log.empty());
  s->end_run(7, "completed");  // updating what is absent is
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("no such run 7"), std::string::npos) << log[0];
  s->set_status(StatusChange{99, "fixed", "bob", "patched", "", ""});
  EXPECT_EQ(log.size(), 2u);
  EXPECT_TRUE(s->history(99).empty());
  EXPECT_EQ(s->add_artefact(Artefact{0, 99, 0, "pcap", "x.pcap", "", {1}}), 0);
  EXPECT_EQ(log.size(), 3u);
  EXPECT_EQ(s->error_count(), 3u);
}

TEST(StoreOpen, ReaderOpensBesideAWriterAndSeesOnlyCommittedRows) {
  pc::test::TempDir dir;
  auto writer = open_store(dir.file("s.db"));
  ASSERT_NE(writer, nullptr);
  Id run = writer->begin_run(test::example_run(writer->upsert_target(test::example_target())));
  writer->commit(test::make_batch(0, 10), run);
  // Another connection holds the write lock with uncommitted cases.
  RawDb other(dir.file("s.db"));
  ASSERT_EQ(other.exec("BEGIN IMMEDIATE; DELETE FROM cases;"), "");
  auto reader = open_store(dir.file("s.db"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->cases(run).size(), 10u);
  EXPECT_EQ(reader->resume_point(run), (std::pair<uint8_t, uint64_t>{1, 10}));
  ASSERT_EQ(other.exec("ROLLBACK"), "");
  writer->commit(test::make_batch(10, 10), run);
  EXPECT_EQ(reader->cases(run).size(), 20u);
  EXPECT_EQ(reader->error_count(), 0u);
}

TEST(StoreOpen, CheckReportsAHealthyStore) {
  pc::test::TempDir dir;
  auto s = open_store(dir.file("s.db"));
  ASSERT_NE(s, nullptr);
  std::string detail;
  EXPECT_TRUE(s->check(detail)) << detail;
  EXPECT_TRUE(detail.empty());
  // Rows that break a foreign key (written with enforcement off) are found.
  {
    RawDb raw(dir.file("s.db"));
    ASSERT_EQ(raw.exec("INSERT INTO facts (run_id, key, json) VALUES (999, 'k', '{}')"), "");
  }
  EXPECT_FALSE(s->check(detail));
  EXPECT_NE(detail.find("facts"), std::string::npos) << detail;
}

}  // namespace
}  // namespace pc::store
