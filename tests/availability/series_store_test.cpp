// A storm's result and cycles written to a real project store come back as they were
// (the shape docs/dos.md documents), ready for the report and the chart.
#include <gtest/gtest.h>

#include "core/availability/storm_series.hpp"
#include "tests/support/run.hpp"

namespace pc::availability {
namespace {

TEST(AvailabilitySeries, AStoredStormReadsBackWithItsCycles) {
  test::TempDir dir;
  std::string err;
  auto store = store::Store::open(dir.path(), err);
  ASSERT_TRUE(store) << err;
  store::TargetRecord t;
  t.name = t.address = "tcp://127.0.0.1:1502";
  store::RunRecord rr;
  rr.target_id = store->upsert_target(t);
  rr.model_name = "m";
  rr.status = "running";
  const store::Id run = store->begin_run(rr);

  StormResult r;
  r.storm = "slow_no_read";
  r.requirement = "CR 7.2";
  r.unit = "peers";
  r.intensity = "level";
  r.params = {{"receive_buffer", "4096"}};
  StepResult st;
  st.offered = 4;
  st.achieved = 4;
  st.held = 4;
  st.t_start_ms = 100;
  st.t_end_ms = 1100;
  st.ef.cycles = 10;
  st.ef.on_time = 9;
  st.ef.late = 1;
  st.verdict = Verdict::Degraded;
  st.why = "a window fell below 95% on time";
  r.steps.push_back(st);
  r.degraded_rate = 4;
  r.stopped = "degraded";
  r.recovery.measured = true;
  r.recovery.seconds = 0.25;
  r.recovery.verdict = "prompt";
  r.sessions_before_refusal = 15;
  r.vanished = true;
  r.vanish = "link down";
  r.sessions_freed = false;
  r.verdict = Verdict::Failed;
  r.findings = {7};
  store::Batch b;
  for (int i = 0; i < 12; ++i) {
    const auto status = i == 5 ? CycleStatus::Late : CycleStatus::OnTime;
    b.latency.push_back({run, 100 + 100 * i, static_cast<uint32_t>(200 + i), r.series_kind(status)});
  }
  b.latency.push_back({run, 50, 180, "ef:baseline:on-time"});
  b.latency.push_back({run, 60, 180, "ef:other_storm:missed"});
  store->commit(b, run);
  store->put_fact(run, r.fact_key(), r.to_json().dump());
  store->put_fact(run, "availability/plan",
                  nlohmann::json{{"storms", {"slow_no_read", "never_ran"}},
                                 {"baseline", {{"late_after_us", 100000}}},
                                 {"thresholds", {{"min_success_ratio", 0.9}}},
                                 {"essential_function", {{"period_ms", 200}}}}
                      .dump());

  EXPECT_EQ(stored_storms(*store, run), std::vector<std::string>{"slow_no_read"});
  auto s = load_storm_series(*store, run, "slow_no_read", err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->cycles.size(), 12u);
  EXPECT_EQ(s->cycles[5].status, CycleStatus::Late);
  EXPECT_EQ(s->cycles[11].latency_us, 211u);
  EXPECT_EQ(s->late_after_us, 100000);
  EXPECT_DOUBLE_EQ(s->min_success_ratio, 0.9);
  EXPECT_EQ(s->window_cycles, 5u);
  const StormResult& back = s->result;
  EXPECT_EQ(back.to_json(), r.to_json());
  EXPECT_EQ(back.steps.at(0).ef.late, 1u);
  EXPECT_EQ(back.sessions_before_refusal, std::optional<uint32_t>(15));
  EXPECT_EQ(back.sessions_freed, std::optional<bool>(false));
  EXPECT_FALSE(load_storm_series(*store, run, "never_ran", err));
  EXPECT_NE(err.find("no availability result"), std::string::npos);
}

TEST(AvailabilitySeries, AMalformedRecordIsAnErrorNotACrash) {
  StormResult r;
  std::string err;
  EXPECT_FALSE(StormResult::from_json(nlohmann::json::array(), r, err));
  EXPECT_FALSE(StormResult::from_json(nlohmann::json{{"storm", "x"}, {"steps", {{{"offered", "many"}}}}}, r, err));
  EXPECT_NE(err.find("malformed"), std::string::npos) << err;
}

}  // namespace
}  // namespace pc::availability
