// A campaign: every phase of test cases against one target, with monitors, findings and
// their reproducers, all kept in the project store. This is what `protocrawler run` runs.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/campaign/options.hpp"
#include "core/generate/profile.hpp"
#include "core/model/model.hpp"

namespace pc::campaign {

struct FindingSummary {
  int64_t id = 0;
  std::string fingerprint, kind, title, message_type, field, mutation, reaction;
  bool is_new = false;
  std::string status;     // after this run: open, or what a suppression or the user decided
  std::string severity;   // of its score (None .. Critical)
  double score = 0;
  uint32_t confirmed = 0, confirmations = 0;
  uint32_t messages = 0;  // in the reproducer
  std::string files;      // where its reproducer was written
};

struct Summary {
  bool ok = true;
  std::string error;        // a harness failure that stopped the campaign
  int64_t run_id = 0;
  std::string store_path;
  uint64_t cases = 0;       // run in this process
  uint64_t resumed_from = 0;
  uint64_t excluded = 0, reruns = 0, harness_errors = 0;
  double elapsed = 0, cases_per_second = 0;
  std::chrono::microseconds deadline{0};
  std::map<std::string, uint32_t> findings_by_kind;
  std::vector<FindingSummary> findings;
  std::vector<std::string> observations;  // flaky anomalies, slow answers
  std::vector<std::string> warnings;      // the device's identity disagrees with the declared one
  nlohmann::json discovery;
  std::string stopped = "completed";  // completed, cases, budget, interrupted, error
  nlohmann::json to_json() const;
};

class Campaign {
 public:
  Campaign(Options options, std::shared_ptr<const model::Model> model, generate::Profile profile);
  ~Campaign();
  // Runs until every phase is done, the budget is spent or `stop` is set (Ctrl-C).
  Summary run(const std::atomic<bool>& stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pc::campaign
