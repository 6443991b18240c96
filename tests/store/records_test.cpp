// Round trips of targets, runs, facts and artefacts through the store.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/store/store.hpp"
#include "tests/store/store_test_util.hpp"
#include "tests/support/run.hpp"

namespace pc::store {
namespace {

using test::example_run;
using test::example_target;
using test::open_store;

class StoreRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    store = open_store(dir.file("s.db"));
    ASSERT_NE(store, nullptr);
    store->set_clock(
        [this] { return "2026-03-01T10:00:" + std::to_string(10 + tick++) + ".000Z"; });
  }
  void TearDown() override { EXPECT_EQ(store->error_count(), 0u) << store->last_error(); }
  pc::test::TempDir dir;
  std::unique_ptr<Store> store;
  int tick = 0;
};

TEST_F(StoreRecords, TargetRoundTripsAndUpsertsByNameAndAddress) {
  TargetRecord t = example_target();
  Id id = store->upsert_target(t);
  ASSERT_GT(id, 0);
  auto back = store->target(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, id);
  EXPECT_EQ(back->name, t.name);
  EXPECT_EQ(back->address, t.address);
  EXPECT_EQ(back->component_type, t.component_type);
  EXPECT_EQ(back->vendor, t.vendor);
  EXPECT_EQ(back->product, t.product);
  EXPECT_EQ(back->firmware, t.firmware);
  EXPECT_EQ(back->identity_json, t.identity_json);

  // Same name and address: the same target; new firmware replaces, empty fields keep.
  TargetRecord newer{0, t.name, t.address, "", "", "", "1.1.0", ""};
  EXPECT_EQ(store->upsert_target(newer), id);
  back = store->target(id);
  EXPECT_EQ(back->firmware, "1.1.0");
  EXPECT_EQ(back->vendor, "Acme");
  EXPECT_EQ(back->identity_json, t.identity_json);

  TargetRecord elsewhere = t;
  elsewhere.address = "tcp://127.0.0.2:1502";
  EXPECT_NE(store->upsert_target(elsewhere), id);
  EXPECT_FALSE(store->target(id + 100));
}

TEST_F(StoreRecords, RunRoundTripsAndKeepsItsTargetAsItWas) {
  Id target = store->upsert_target(example_target());
  RunRecord r = example_run(target, 0xfedcba9876543210ull);  // a seed above INT64_MAX
  Id id = store->begin_run(r);
  ASSERT_GT(id, 0);
  auto back = store->run(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->target_id, target);
  EXPECT_EQ(back->model_name, r.model_name);
  EXPECT_EQ(back->model_digest, r.model_digest);
  EXPECT_EQ(back->profile, r.profile);
  EXPECT_EQ(back->seed, 0xfedcba9876543210ull);
  EXPECT_EQ(back->campaign_yaml, r.campaign_yaml);
  EXPECT_EQ(back->options_json, r.options_json);
  EXPECT_EQ(back->tool_version, r.tool_version);
  EXPECT_EQ(back->started_utc, "2026-03-01T10:00:10.000Z");  // from the clock
  EXPECT_EQ(back->ended_utc, "");
  EXPECT_EQ(back->status, "running");

  store->update_target_identity(target, R"({"VendorName":"Acme","Revision":"2"})");
  EXPECT_EQ(store->target(target)->identity_json, R"({"VendorName":"Acme","Revision":"2"})");
  store->end_run(id, "completed");
  back = store->run(id);
  EXPECT_EQ(back->status, "completed");
  EXPECT_EQ(back->ended_utc, "2026-03-01T10:00:11.000Z");

  // The run's copy of its target survives the target's later changes.
  store->upsert_target(TargetRecord{0, "plc-1", "tcp://127.0.0.1:1502", "", "", "", "2.0.0", ""});
  auto snapshot = nlohmann::json::parse(store->fact(id, "target").value_or("{}"));
  EXPECT_EQ(snapshot.value("firmware", ""), "1.0.3");
  EXPECT_EQ(snapshot.value("identity_json", ""), R"({"VendorName":"Acme","Revision":"2"})");
  EXPECT_EQ(store->target(target)->firmware, "2.0.0");
}

TEST_F(StoreRecords, RunsAreListedInOrder) {
  Id target = store->upsert_target(example_target());
  Id a = store->begin_run(example_run(target, 1));
  Id b = store->begin_run(example_run(target, 2));
  auto all = store->runs();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, a);
  EXPECT_EQ(all[1].id, b);
  EXPECT_EQ(all[1].seed, 2u);
}

TEST_F(StoreRecords, ResumableRunIsTheLatestMatchingRunUnlessItCompleted) {
  Id target = store->upsert_target(example_target());
  EXPECT_FALSE(store->resumable_run("sha256:1111", target, 42));
  Id first = store->begin_run(example_run(target, 42));
  store->end_run(first, "interrupted");
  Id other_seed = store->begin_run(example_run(target, 43));
  store->end_run(other_seed, "interrupted");

  auto r = store->resumable_run("sha256:1111", target, 42);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, first);
  EXPECT_FALSE(store->resumable_run("sha256:2222", target, 42));
  EXPECT_FALSE(store->resumable_run("sha256:1111", target + 1, 42));

  store->resume_run(first);
  auto resumed = store->run(first);
  EXPECT_EQ(resumed->status, "running");
  EXPECT_EQ(resumed->ended_utc, "");
  EXPECT_EQ(resumed->resumes, 1u);
  EXPECT_EQ(store->resumable_run("sha256:1111", target, 42)->id,
            first);  // killed again: still resumable

  store->end_run(first, "completed");
  EXPECT_FALSE(store->resumable_run("sha256:1111", target, 42));
  // A completed later run hides an older interrupted one.
  Id again = store->begin_run(example_run(target, 43));
  store->end_run(again, "completed");
  EXPECT_FALSE(store->resumable_run("sha256:1111", target, 43));
}

TEST_F(StoreRecords, FactsAreKeptPerRunAndReplaced) {
  Id run = store->begin_run(example_run(store->upsert_target(example_target())));
  Id other = store->begin_run(example_run(0));
  store->put_fact(run, "baseline", R"({"p99_us":1500})");
  store->put_fact(other, "baseline", R"({"p99_us":9})");
  EXPECT_EQ(store->fact(run, "baseline"), R"({"p99_us":1500})");
  store->put_fact(run, "baseline", R"({"p99_us":1600})");
  EXPECT_EQ(store->fact(run, "baseline"), R"({"p99_us":1600})");
  EXPECT_EQ(store->fact(other, "baseline"), R"({"p99_us":9})");
  EXPECT_FALSE(store->fact(run, "absent"));
  EXPECT_FALSE(store->fact(other, "target"));  // a run without a target has no snapshot
  EXPECT_EQ(store->run(other)->target_id, 0);
}

TEST_F(StoreRecords, ArtefactsKeepTheirBytesAndSha256) {
  Id run = store->begin_run(example_run(store->upsert_target(example_target())));
  FindingRecord f;
  f.fingerprint = "fp-1";
  Id finding = store->record_finding(f, Occurrence{0, run, 1, 0, "", true});
  const std::vector<uint8_t> abc{'a', 'b', 'c'};
  Id pcap =
      store->add_artefact(Artefact{0, finding, run, "pcap", "case.pcap", "not-the-hash", abc});
  Id log = store->add_artefact(Artefact{0, 0, run, "stderr", "target.log", "", {}});
  ASSERT_GT(pcap, 0);
  ASSERT_GT(log, 0);

  auto a = store->artefact(pcap);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->finding_id, finding);
  EXPECT_EQ(a->run_id, run);
  EXPECT_EQ(a->kind, "pcap");
  EXPECT_EQ(a->name, "case.pcap");
  EXPECT_EQ(a->data, abc);
  EXPECT_EQ(
      a->sha256,
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2, "abc"

  auto empty = store->artefact(log);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->finding_id, 0);
  EXPECT_TRUE(empty->data.empty());
  EXPECT_EQ(empty->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  auto of_finding = store->artefacts(finding);
  ASSERT_EQ(of_finding.size(), 1u);
  EXPECT_EQ(of_finding[0].id, pcap);
  EXPECT_FALSE(store->artefact(log + 1));
}

TEST_F(StoreRecords, LargeArtefactRoundTrips) {
  std::vector<uint8_t> data(3 * 1024 * 1024);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 31 + (i >> 8));
  Id id = store->add_artefact(Artefact{0, 0, 0, "reproducer", "big.bin", "", data});
  auto back = store->artefact(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->data, data);
  EXPECT_EQ(back->sha256.size(), 64u);
}

}  // namespace
}  // namespace pc::store
