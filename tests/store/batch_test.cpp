// Batched case data: what a commit writes comes back, a re-committed case replaces the
// old one, a batch is all or nothing, and coverage counts each case once.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "core/store/store.hpp"
#include "tests/store/store_test_util.hpp"
#include "tests/support/run.hpp"

namespace pc::store {
namespace {

using test::make_batch;
using test::make_case;
using test::open_store;

class StoreBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    store = open_store(dir.file("s.db"));
    ASSERT_NE(store, nullptr);
    run = store->begin_run(test::example_run(store->upsert_target(test::example_target())));
    ASSERT_GT(run, 0);
  }
  pc::test::TempDir dir;
  std::unique_ptr<Store> store;
  Id run = 0;
};

TEST_F(StoreBatch, EveryPartOfABatchRoundTrips) {
  Batch b;
  CaseRecord c = make_case(7);
  c.signature = 0xffffffffffffffffull;
  c.flags = 0x80000001u;
  c.latency_us = 4000000000u;
  b.cases.push_back(c);
  CaseRecord plain;  // no coverage key, no outcome name
  plain.phase = 0;
  plain.index = 3;
  plain.outcome = 2;
  b.cases.push_back(plain);
  b.bytes.push_back(CaseBytes{0, 1, 7, 0, {0xde, 0xad}, {}});
  b.bytes.push_back(CaseBytes{0, 1, 7, 1, {0x00}, {0x01, 0x02, 0x03}});
  b.coverage.push_back(CoverageDelta{0, "session", "", "sequence", "answer", 5});
  b.latency.push_back(LatencySample{0, 250, 1200, "probe"});
  b.latency.push_back(LatencySample{0, 100, 900, "case"});
  b.corpus.push_back(CorpusEntry{0, 0, -1, "seed", {1, 2, 3}, 0xabcdefull});
  b.corpus.push_back(CorpusEntry{0, 1, 0, "MS: 2 set(pdu.quantity,0)-trail(3)", {}, 1});
  b.state.push_back({"feedback", {9, 8, 7}});
  b.state.push_back({"empty", {}});
  b.progress = std::pair<uint8_t, uint64_t>{1, 8};
  std::string error;
  ASSERT_TRUE(store->try_commit(b, run, error)) << error;

  auto cases = store->cases(run);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].phase, 0);  // ordered by (phase, index)
  EXPECT_EQ(cases[0].index, 3u);
  EXPECT_EQ(cases[0].outcome, 2);
  EXPECT_EQ(cases[0].message_type, "");
  EXPECT_EQ(cases[0].outcome_name, "");
  const CaseRecord& back = cases[1];
  EXPECT_EQ(back.run_id, run);
  EXPECT_EQ(back.phase, c.phase);
  EXPECT_EQ(back.index, c.index);
  EXPECT_EQ(back.outcome, c.outcome);
  EXPECT_EQ(back.signature, c.signature);
  EXPECT_EQ(back.latency_us, c.latency_us);
  EXPECT_EQ(back.flags, c.flags);
  EXPECT_EQ(back.utc_ms, c.utc_ms);
  EXPECT_EQ(back.message_type, c.message_type);
  EXPECT_EQ(back.field_path, c.field_path);
  EXPECT_EQ(back.mutation_class, c.mutation_class);
  EXPECT_EQ(back.outcome_name, c.outcome_name);

  auto bytes0 = store->case_bytes(run, 1, 7, 0);
  ASSERT_TRUE(bytes0);
  EXPECT_EQ(bytes0->sent, (std::vector<uint8_t>{0xde, 0xad}));
  EXPECT_TRUE(bytes0->answer.empty());
  auto bytes1 = store->case_bytes(run, 1, 7, 1);
  ASSERT_TRUE(bytes1);
  EXPECT_EQ(bytes1->answer, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_FALSE(store->case_bytes(run, 1, 7, 2));

  auto latency = store->latency(run);
  ASSERT_EQ(latency.size(), 2u);
  EXPECT_EQ(latency[0].t_ms, 100);  // in time order
  EXPECT_EQ(latency[0].kind, "case");
  EXPECT_EQ(latency[1].latency_us, 1200u);

  auto corpus = store->corpus(run);
  ASSERT_EQ(corpus.size(), 2u);
  EXPECT_EQ(corpus[0].parent, -1);
  EXPECT_EQ(corpus[0].signature, 0xabcdefull);
  EXPECT_EQ(corpus[1].recipe, "MS: 2 set(pdu.quantity,0)-trail(3)");
  EXPECT_TRUE(corpus[1].bytes.empty());

  EXPECT_EQ(store->state(run, "feedback"), (std::vector<uint8_t>{9, 8, 7}));
  EXPECT_EQ(store->state(run, "empty"), std::vector<uint8_t>{});
  EXPECT_FALSE(store->state(run, "absent"));
  EXPECT_EQ(store->resume_point(run), (std::pair<uint8_t, uint64_t>{1, 8}));

  auto coverage = store->coverage(run);
  ASSERT_EQ(coverage.size(), 2u);  // the explicit delta and the keyed case, by key
  EXPECT_EQ(coverage[0].message_type, "session");
  EXPECT_EQ(coverage[0].count, 5u);
  EXPECT_EQ(coverage[1].run_id, run);
  EXPECT_EQ(coverage[1].message_type, c.message_type);
  EXPECT_EQ(coverage[1].field_path, c.field_path);
  EXPECT_EQ(coverage[1].mutation_class, c.mutation_class);
  EXPECT_EQ(coverage[1].outcome, c.outcome_name);
  EXPECT_EQ(coverage[1].count, 1u);
  EXPECT_EQ(store->error_count(), 0u);
}

TEST_F(StoreBatch, ResumePointIsTheLastCommittedProgressAndStateTheLastBlob) {
  EXPECT_FALSE(store->resume_point(run));
  std::string error;
  EXPECT_TRUE(store->try_commit(Batch{}, run, error));  // an empty batch writes nothing
  EXPECT_TRUE(error.empty());
  test::RawDb raw(store->path());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM progress"), "0");
  Batch no_progress;
  no_progress.cases.push_back(make_case(0));
  store->commit(no_progress, run);
  EXPECT_FALSE(store->resume_point(run));  // cases alone do not move it
  store->commit(make_batch(0, 100), run);
  store->commit(make_batch(100, 100), run);
  EXPECT_EQ(store->resume_point(run), (std::pair<uint8_t, uint64_t>{1, 200}));
  EXPECT_EQ(store->state(run, "cursor"), (std::vector<uint8_t>{'2', '0', '0'}));
  Batch phase_change;
  phase_change.progress = std::pair<uint8_t, uint64_t>{3, 0};
  store->commit(phase_change, run);
  EXPECT_EQ(store->resume_point(run), (std::pair<uint8_t, uint64_t>{3, 0}));
}

TEST_F(StoreBatch, RecommittedCasesReplaceTheOldRows) {
  store->commit(make_batch(0, 100), run);
  Batch again = make_batch(50, 100);  // a resumed run re-running 50..99
  again.cases[0].latency_us = 1;
  store->commit(again, run);
  auto cases = store->cases(run);
  ASSERT_EQ(cases.size(), 150u);
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(cases[i].index, i);
  EXPECT_EQ(cases[50].latency_us, 1u);
  EXPECT_EQ(store->corpus(run).size(), 1u);  // both batches wrote entry 0: one row
}

uint64_t total(const std::vector<CoverageDelta>& coverage) {
  uint64_t n = 0;
  for (const auto& d : coverage) n += d.count;
  return n;
}

TEST_F(StoreBatch, CoverageCountsEachCaseOnceHoweverOftenItIsCommitted) {
  for (uint64_t first = 0; first < 1000; first += 100) store->commit(make_batch(first, 100), run);
  auto once = store->coverage(run);
  EXPECT_EQ(total(once), 1000u);
  // Re-commit everything, overlapping, in other batch sizes.
  for (uint64_t first = 0; first < 1000; first += 250) store->commit(make_batch(first, 250), run);
  EXPECT_EQ(store->coverage(run), once);
  // The totals follow from the cases: 3 messages x 5 fields x 4 classes, 5 outcomes.
  std::map<std::string, uint64_t> by_outcome;
  for (const auto& d : once) by_outcome[d.outcome] += d.count;
  EXPECT_EQ(by_outcome.size(), 5u);
  EXPECT_EQ(by_outcome["answer"], 200u);
}

TEST_F(StoreBatch, ExplicitCoverageDeltasAddUp) {
  Batch b;
  b.coverage.push_back(CoverageDelta{0, "m", "f", "c", "answer", 2});
  b.coverage.push_back(CoverageDelta{0, "m", "f", "c", "silence", 1});
  store->commit(b, run);
  b.coverage.pop_back();
  store->commit(b, run);
  auto coverage = store->coverage(run);
  ASSERT_EQ(coverage.size(), 2u);
  EXPECT_EQ(coverage[0].outcome, "answer");
  EXPECT_EQ(coverage[0].count, 4u);
  EXPECT_EQ(coverage[1].count, 1u);
}

TEST_F(StoreBatch, OutcomeWithoutANameIsCountedByNumber) {
  Batch b;
  CaseRecord c = make_case(0);
  c.outcome = 9;
  c.outcome_name.clear();
  b.cases.push_back(c);
  store->commit(b, run);
  auto coverage = store->coverage(run);
  ASSERT_EQ(coverage.size(), 1u);
  EXPECT_EQ(coverage[0].outcome, "9");
}

TEST_F(StoreBatch, OneOutcomeCodeMayHaveSeveralNames) {
  // E.g. "refused" per exception class, or "none" and "excluded" for no answer.
  Batch b;
  const char* names[] = {"illegal-address", "illegal-value", "illegal-address", "excluded"};
  for (uint64_t i = 0; i < 4; ++i) {
    CaseRecord c = make_case(0);
    c.index = i;
    c.outcome = i < 3 ? 4 : 255;
    c.outcome_name = names[i];
    b.cases.push_back(c);
  }
  CaseRecord same_name_other_code = b.cases[0];
  same_name_other_code.index = 4;
  same_name_other_code.outcome = 5;
  b.cases.push_back(same_name_other_code);
  store->commit(b, run);
  auto cases = store->cases(run);
  ASSERT_EQ(cases.size(), 5u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(cases[i].outcome_name, names[i]);
  auto coverage = store->coverage(run);
  ASSERT_EQ(coverage.size(), 3u);  // counted by name, whatever the code
  EXPECT_EQ(coverage[0].outcome, "excluded");
  EXPECT_EQ(coverage[0].count, 1u);
  EXPECT_EQ(coverage[1].outcome, "illegal-address");
  EXPECT_EQ(coverage[1].count, 3u);
  EXPECT_EQ(coverage[2].outcome, "illegal-value");
  EXPECT_EQ(coverage[2].count, 1u);
}

TEST_F(StoreBatch, ABatchThatFailsMidwayLeavesNothing) {
  store->commit(make_batch(0, 1000), run);
  auto cases_before = store->cases(run);
  auto coverage_before = store->coverage(run);
  // Plant a failure on the state rows, which a commit writes after cases, bytes,
  // coverage, latency and corpus.
  {
    test::RawDb raw(store->path());
    ASSERT_EQ(raw.exec("CREATE TRIGGER provoke BEFORE INSERT ON run_state WHEN NEW.key = 'poison' "
                       "BEGIN SELECT RAISE(ABORT, 'provoked failure'); END;"),
              "");
  }
  Batch bad = make_batch(1000, 1000);
  for (auto& c : bad.cases) {  // new interned keys and names
    c.mutation_class = "never-seen-before";
    c.outcome_name = "never-named-before";
  }
  bad.coverage.push_back(CoverageDelta{0, "m", "f", "c", "answer", 1});
  bad.latency.push_back(LatencySample{0, 1, 2, "case"});
  bad.state.push_back({"poison", {1}});
  std::string error;
  EXPECT_FALSE(store->try_commit(bad, run, error));
  EXPECT_NE(error.find("provoked failure"), std::string::npos) << error;
  EXPECT_NE(error.find("run_state"), std::string::npos) << error;  // the SQL is named

  EXPECT_EQ(store->cases(run).size(), cases_before.size());
  EXPECT_EQ(store->coverage(run), coverage_before);
  EXPECT_FALSE(store->case_bytes(run, 1, 1000, 0));
  EXPECT_TRUE(store->latency(run).empty());
  EXPECT_EQ(store->corpus(run).size(), 1u);
  EXPECT_EQ(store->resume_point(run), (std::pair<uint8_t, uint64_t>{1, 1000}));
  EXPECT_EQ(store->state(run, "cursor"), (std::vector<uint8_t>{'1', '0', '0', '0'}));
  test::RawDb raw(store->path());
  EXPECT_EQ(raw.scalar("SELECT batches FROM progress"), "1");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM case_keys WHERE mutation_class = 'never-seen-before'"),
            "0");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM outcome_names WHERE name = 'never-named-before'"),
            "0");

  // The same batch without the poison goes through: the keys it interns are made again.
  bad.state.pop_back();
  ASSERT_TRUE(store->try_commit(bad, run, error)) << error;
  EXPECT_EQ(store->cases(run).size(), 2000u);
  EXPECT_EQ(store->resume_point(run), (std::pair<uint8_t, uint64_t>{1, 2000}));
  std::string detail;
  EXPECT_TRUE(store->check(detail)) << detail;
}

TEST_F(StoreBatch, ABatchForAnUnknownRunWritesNothing) {
  std::string error;
  EXPECT_FALSE(store->try_commit(make_batch(0, 10), run + 1, error));
  EXPECT_NE(error.find("FOREIGN KEY"), std::string::npos) << error;
  EXPECT_TRUE(store->cases(run + 1).empty());
  EXPECT_FALSE(store->resume_point(run + 1));
  // commit() reports the same failure instead of returning it.
  std::vector<std::string> log;
  store->set_log([&](const std::string& m) { log.push_back(m); });
  store->commit(make_batch(0, 10), run + 1);
  EXPECT_EQ(log.size(), 1u);
}

TEST_F(StoreBatch, HundredBatchesOfAThousandCases) {
  constexpr uint64_t kBatches = 100, kCases = 1000;
  auto start = std::chrono::steady_clock::now();
  for (uint64_t b = 0; b < kBatches; ++b) {
    std::string error;
    ASSERT_TRUE(store->try_commit(make_batch(b * kCases, kCases), run, error)) << error;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ bench    ] %llu cases in %llu commits: %.2f s, %.0f cases/s\n",
              static_cast<unsigned long long>(kBatches * kCases),
              static_cast<unsigned long long>(kBatches), seconds,
              static_cast<double>(kBatches * kCases) / seconds);
  RecordProperty("cases_per_second",
                 static_cast<int>(static_cast<double>(kBatches * kCases) / seconds));
  EXPECT_EQ(store->cases(run).size(), kBatches * kCases);
  EXPECT_EQ(total(store->coverage(run)), kBatches * kCases);
  EXPECT_EQ(store->resume_point(run), (std::pair<uint8_t, uint64_t>{1, kBatches * kCases}));
}

}  // namespace
}  // namespace pc::store
