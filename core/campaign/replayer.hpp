// Replays a reproducer on a fresh target and judges whether a finding kind happened
// again. Culprit search, minimisation, confirmation, `retest` and `replay` all use it.
#pragma once

#include "core/campaign/executor.hpp"
#include "core/campaign/reproducer.hpp"
#include "core/oracle/finding_kind.hpp"

namespace pc::campaign {

struct ReplayOutcome {
  bool reproduced = false;
  oracle::Verdict verdict;            // what the last case (or the health check) showed
  oracle::Health health;
  std::vector<oracle::CaseResult> results;
  std::vector<transport::Received> raw;  // the last case's answers, as received
  std::string note;                   // why it did not run, when it did not
  // From the end of the sequence until a probe was healthy again, when the target failed
  // its first probe and came back by itself (a hang's outage); -1 when not measured.
  int64_t outage_ms = -1;
};

class Replayer {
 public:
  Replayer(const model::Model& model, TargetControl& target, std::chrono::microseconds deadline);
  // `fresh`: restart a target we started first (so earlier replays leave nothing behind).
  ReplayOutcome replay(const Reproducer& r, oracle::FindingKind kind, bool fresh = true);
  uint32_t replays() const { return replays_; }
  void set_data_map(const oracle::DataMap* map) { map_ = map; }

 private:
  const model::Model& model_;
  TargetControl& target_;
  std::chrono::microseconds deadline_;
  uint32_t replays_ = 0;
  const oracle::DataMap* map_ = nullptr;
};

// Is this a kind that shows in the answer itself (no health probe needed)?
bool direct_kind(oracle::FindingKind k);

}  // namespace pc::campaign
