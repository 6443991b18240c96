// Internal to the campaign: the state shared by campaign.cpp (setup, phases),
// case_runner.cpp (one case) and finding_writer.cpp (findings into the store).
#pragma once

#include <deque>
#include <optional>

#include "core/campaign/campaign.hpp"
#include "core/campaign/culprit.hpp"
#include "core/campaign/discovery.hpp"
#include "core/campaign/executor.hpp"
#include "core/campaign/progress.hpp"
#include "core/campaign/safety.hpp"
#include "core/campaign/target_control.hpp"
#include "core/generate/random_phase.hpp"
#include "core/generate/stateful.hpp"
#include "core/generate/systematic.hpp"
#include "core/store/store.hpp"

namespace pc::campaign {

struct Campaign::Impl {
  Impl(Options o, std::shared_ptr<const model::Model> m, generate::Profile p);

  // campaign.cpp
  bool setup(Summary& s);
  void baseline();
  void run_phases(const std::atomic<bool>& stop, Summary& s);
  void commit(generate::Phase phase, uint64_t next);
  bool budget_left(Summary& s, const std::atomic<bool>& stop);
  void progress(bool force = false);
  std::vector<std::pair<std::string, std::string>> hook_env(const generate::TestCase* c) const;

  // run_facts.cpp: what the report needs besides the cases (docs/report.md)
  void record_scope();      // the "scope" and "protocol" facts, the model file as an artefact
  void record_plan();       // the "plan" fact: every slot the profile asks for, the stateful attacks
  void check_identity(Summary& s);  // the "identity" fact: declared against what the device said

  // case_runner.cpp
  void run_case(generate::TestCase& c, Summary& s);
  // after the first look: health checks, reruns, findings, recording
  void judge(const generate::TestCase& c, oracle::CaseResult r, oracle::Verdict v, std::vector<transport::Received> raw,
             int64_t utc_ms, Summary& s);
  void record(const generate::TestCase& c, const oracle::CaseResult& r, uint32_t flags, const std::string& outcome,
              const std::vector<transport::Received>& raw, int64_t utc_ms);
  // the systematic phase on several connections; returns the index it got to
  uint64_t run_parallel(uint64_t from, uint64_t to, const std::atomic<bool>& stop, Summary& s);
  void periodic_probe(Summary& s);
  void anomaly(const generate::TestCase& c, const oracle::Verdict& v, const oracle::CaseResult& r, Summary& s);

  // finding_writer.cpp
  FindingSummary write_finding(const CulpritResult& culprit, const oracle::Verdict& v, const generate::TestCase& c,
                               const std::vector<std::string>& frames, const std::string& process_report,
                               const std::vector<uint8_t>& pcap);

  Options o_;
  std::shared_ptr<const model::Model> model_;
  const model::Model& m_;
  generate::Profile profile_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<TargetControl> target_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<Safety> safety_;
  std::unique_ptr<Progress> progress_;
  std::unique_ptr<generate::Catalog> catalog_;
  std::unique_ptr<generate::Counters> counters_;
  std::unique_ptr<generate::Systematic> systematic_;
  std::unique_ptr<generate::Stateful> stateful_;
  std::unique_ptr<generate::RandomPhase> random_;
  std::map<model::MessageId, model::Message> defaults_;
  store::Id run_id_ = 0, target_id_ = 0;
  std::optional<std::pair<uint8_t, uint64_t>> resume_;
  store::Batch batch_;
  std::deque<generate::TestCase> window_;  // cases since the last healthy probe
  std::deque<bool> window_refused_;        // ... and whether the device refused each
  oracle::DataMap map_;                    // what discovery learned of the device's data
  DiscoveryResult discovery_;
  ProgressState state_;
  std::chrono::steady_clock::time_point started_, last_commit_, last_case_;
  uint64_t since_probe_ = 0;
  bool target_lost_ = false;
  std::string store_error_;
  std::map<std::string, std::string> seen_;  // anomaly shape -> fingerprint, this run
  std::string out_dir_;
};

}  // namespace pc::campaign
