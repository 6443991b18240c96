// An availability run: the essential function's baseline, then each storm of the
// catalogue in turn (stepped up, recovered from, confirmed), findings for what crossed
// the thresholds, and everything in the project store. This is what `protocrawler dos`
// runs; docs/dos.md explains the storms, the verdicts and the stored shape.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/availability/availability_options.hpp"
#include "core/availability/storm_result.hpp"
#include "core/campaign/options.hpp"
#include "core/generate/profile.hpp"
#include "core/model/model.hpp"

namespace pc::availability {

struct AvailabilitySummary {
  bool ok = true;
  std::string error;  // a harness failure that stopped the run
  int64_t run_id = 0;
  std::string store_path;
  std::string stopped = "completed";  // completed, interrupted, error
  nlohmann::json baseline;            // the essential function alone
  std::vector<StormResult> storms;
  std::map<std::string, uint32_t> findings_by_kind;
  std::vector<std::string> observations;
  // {"event":"summary", ..., "storms":[{storm, status, verdict, max_sustained_rate,
  // degraded_rate, failed_rate, recovery_seconds, unit, ...}]}
  nlohmann::json to_json() const;
};

class AvailabilityRun {
 public:
  AvailabilityRun(campaign::Options campaign, AvailabilityOptions options, std::shared_ptr<const model::Model> model,
                  generate::Profile profile);
  ~AvailabilityRun();
  // Runs every storm; `stop` (Ctrl-C) ends the current storm at once, closing its sockets.
  AvailabilitySummary run(const std::atomic<bool>& stop);
  // One line per step, storm and recovery, for a progress display.
  void on_progress(std::function<void(const std::string&)> sink);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pc::availability
