// Findings: one per fingerprint across runs, occurrences per run, dated status history.
#include <gtest/gtest.h>

#include "core/store/store.hpp"
#include "tests/store/store_test_util.hpp"
#include "tests/support/run.hpp"

namespace pc::store {
namespace {

using test::open_store;

class StoreFindings : public ::testing::Test {
 protected:
  void SetUp() override {
    store = open_store(dir.file("s.db"));
    ASSERT_NE(store, nullptr);
    store->set_clock(
        [this] { return "2026-03-01T10:00:" + std::to_string(10 + tick++) + ".000Z"; });
    Id target = store->upsert_target(test::example_target());
    run1 = store->begin_run(test::example_run(target, 1));
    run2 = store->begin_run(test::example_run(target, 2));
  }
  void TearDown() override { EXPECT_EQ(store->error_count(), 0u) << store->last_error(); }

  static FindingRecord crash(const std::string& fingerprint) {
    FindingRecord f;
    f.fingerprint = fingerprint;
    f.kind = "crash";
    f.model = "example";
    f.message_type = "write";
    f.field_path = "pdu.count";
    f.mutation_class = "boundary";
    f.reaction = "reset";
    f.title = "Reset on count 0";
    f.details_json = R"({"observed":"connection reset"})";
    return f;
  }

  pc::test::TempDir dir;
  std::unique_ptr<Store> store;
  int tick = 0;
  Id run1 = 0, run2 = 0;
};

TEST_F(StoreFindings, FindingRoundTrips) {
  FindingRecord f = crash("fp-a");
  Id id = store->record_finding(f, Occurrence{0, run1, 1, 17, "2026-03-01T09:00:00.000Z", true});
  ASSERT_GT(id, 0);
  auto back = store->finding(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, id);
  EXPECT_EQ(back->fingerprint, "fp-a");
  EXPECT_EQ(back->kind, f.kind);
  EXPECT_EQ(back->model, f.model);
  EXPECT_EQ(back->message_type, f.message_type);
  EXPECT_EQ(back->field_path, f.field_path);
  EXPECT_EQ(back->mutation_class, f.mutation_class);
  EXPECT_EQ(back->reaction, f.reaction);
  EXPECT_EQ(back->title, f.title);
  EXPECT_EQ(back->status, "open");
  EXPECT_EQ(back->first_run, run1);
  EXPECT_EQ(back->last_run, run1);
  EXPECT_EQ(back->details_json, f.details_json);
  EXPECT_EQ(back->created_utc, "2026-03-01T09:00:00.000Z");  // when it was first seen
  EXPECT_EQ(store->finding_by_fingerprint("fp-a")->id, id);
  EXPECT_FALSE(store->finding_by_fingerprint("fp-b"));
  EXPECT_FALSE(store->finding(id + 1));

  auto occurrences = store->occurrences(id);
  ASSERT_EQ(occurrences.size(), 1u);
  EXPECT_EQ(occurrences[0].finding_id, id);
  EXPECT_EQ(occurrences[0].run_id, run1);
  EXPECT_EQ(occurrences[0].phase, 1);
  EXPECT_EQ(occurrences[0].index, 17u);
  EXPECT_EQ(occurrences[0].utc, "2026-03-01T09:00:00.000Z");
  EXPECT_TRUE(occurrences[0].confirmed);

  store->update_finding_details(id, R"({"observed":"reset","reproducer":3})");
  EXPECT_EQ(store->finding(id)->details_json, R"({"observed":"reset","reproducer":3})");
}

TEST_F(StoreFindings, SameFingerprintInTwoRunsIsOneFindingWithTwoOccurrences) {
  Id a = store->record_finding(crash("fp-a"), Occurrence{0, run1, 1, 17, "", true});
  Id b = store->record_finding(crash("fp-b"), Occurrence{0, run1, 1, 30, "", false});
  FindingRecord again = crash("fp-a");
  again.title = "a different title the second time";
  Id a2 = store->record_finding(again, Occurrence{0, run2, 1, 18, "", true});
  Id c = store->record_finding(crash("fp-c"), Occurrence{0, run2, 3, 5, "", false});
  EXPECT_EQ(a2, a);
  EXPECT_NE(b, a);

  auto finding = store->finding(a);
  EXPECT_EQ(finding->first_run, run1);
  EXPECT_EQ(finding->last_run, run2);
  EXPECT_EQ(finding->title, "Reset on count 0");  // the first record stands
  auto occurrences = store->occurrences(a);
  ASSERT_EQ(occurrences.size(), 2u);
  EXPECT_EQ(occurrences[0].run_id, run1);
  EXPECT_EQ(occurrences[1].run_id, run2);
  EXPECT_EQ(occurrences[1].index, 18u);

  auto ids = [](const std::vector<FindingRecord>& v) {
    std::vector<Id> out;
    for (const auto& f : v) out.push_back(f.id);
    return out;
  };
  EXPECT_EQ(ids(store->findings()), (std::vector<Id>{a, b, c}));
  EXPECT_EQ(ids(store->findings(run1)), (std::vector<Id>{a, b}));
  EXPECT_EQ(ids(store->findings(run2)), (std::vector<Id>{a, c}));
  EXPECT_TRUE(store->findings(run2 + 1).empty());

  // A resumed older run seeing it again does not move last_run back.
  store->record_finding(crash("fp-a"), Occurrence{0, run1, 1, 40, "", false});
  EXPECT_EQ(store->finding(a)->last_run, run2);
}

TEST_F(StoreFindings, TheSameCaseSeenAgainIsOneOccurrence) {
  Id a = store->record_finding(crash("fp-a"), Occurrence{0, run1, 1, 17, "", false});
  store->record_finding(crash("fp-a"), Occurrence{0, run1, 1, 17, "", true});
  store->record_finding(crash("fp-a"), Occurrence{0, run1, 1, 17, "", false});
  auto occurrences = store->occurrences(a);
  ASSERT_EQ(occurrences.size(), 1u);
  EXPECT_TRUE(occurrences[0].confirmed);  // once confirmed, stays confirmed
}

TEST_F(StoreFindings, StatusHistoryIsKeptInTheOrderOfChanges) {
  Id a = store->record_finding(crash("fp-a"), Occurrence{0, run1, 1, 17, "", true});
  // Given times out of order on purpose: the history is the order the changes were made.
  store->set_status(StatusChange{a, "accepted-risk", "alice", "lab only",
                                 "2026-03-05T00:00:00.000Z", "2026-06-01"});
  store->set_status(
      StatusChange{a, "fixed", "bob", "firmware 1.1", "2026-03-02T00:00:00.000Z", ""});
  store->set_status(StatusChange{a, "verified", "carol", "re-tested", "", ""});
  auto history = store->history(a);
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[0].status, "open");
  EXPECT_EQ(history[0].by, "protocrawler");
  EXPECT_EQ(history[0].why, "first seen in run " + std::to_string(run1));
  EXPECT_EQ(history[1].status, "accepted-risk");
  EXPECT_EQ(history[1].by, "alice");
  EXPECT_EQ(history[1].why, "lab only");
  EXPECT_EQ(history[1].utc, "2026-03-05T00:00:00.000Z");
  EXPECT_EQ(history[1].expires, "2026-06-01");
  EXPECT_EQ(history[2].status, "fixed");
  EXPECT_EQ(history[2].by, "bob");
  EXPECT_EQ(history[3].status, "verified");
  EXPECT_FALSE(history[3].utc.empty());  // dated by the clock
  for (const auto& h : history) EXPECT_EQ(h.finding_id, a);
  EXPECT_EQ(store->finding(a)->status, "verified");

  Id b = store->record_finding(crash("fp-b"), Occurrence{0, run1, 1, 18, "", true});
  EXPECT_EQ(store->history(b).size(), 1u);
  EXPECT_EQ(store->finding(b)->status, "open");
}

TEST_F(StoreFindings, AFindingMayStartWithAGivenStatus) {
  FindingRecord f = crash("fp-a");
  f.status = "false-positive";
  Id a = store->record_finding(f, Occurrence{0, run1, 1, 1, "", false});
  EXPECT_EQ(store->finding(a)->status, "false-positive");
  EXPECT_EQ(store->history(a).at(0).status, "false-positive");
}

}  // namespace
}  // namespace pc::store
