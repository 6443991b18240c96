// What one storm gave, as stored: the run fact `availability/<storm>` holds this record
// as JSON (docs/dos.md, "What the store holds", documents every key), and the
// essential function's cycles go to the latency table with kind `ef:<storm>:<status>`.
// A report reads both back with load_storm_series (storm_series.hpp).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/availability/judge.hpp"

namespace pc::availability {

struct StepResult {
  uint32_t index = 0;
  std::string kind = "step";  // step, soak, confirm
  double offered = 0;         // rate storms: units per second; level storms: units held
  double achieved = 0;        // the same, as delivered
  double answered_rate = 0;   // answers read back per second
  double blocked_rate = 0;    // units per second the device's TCP window did not take
  uint64_t refused = 0, closed_by_target = 0, connect_timeouts = 0;
  uint32_t held = 0;          // connections or peers open at the end of the step
  double tool_cpu = 0;        // the load thread's CPU time / wall time (1 = one core)
  std::string limit;          // "", "tool", "target-intake", "harness"
  std::string harness_error;
  int64_t t_start_ms = 0, t_end_ms = 0;  // since the run started
  CycleStats ef;
  Verdict verdict = Verdict::NotJudged;
  std::string why;
};

struct RecoveryResult {
  bool measured = false;
  std::optional<double> seconds;  // storm end to the first of `recovery_cycles` on-time cycles
  std::string verdict;            // prompt, slow, none
  int64_t t_start_ms = 0, t_end_ms = 0;
  bool reset_called = false, reset_ok = false;
  std::string reset_detail;
};

struct StormResult {
  std::string storm, requirement, unit, intensity;  // intensity: rate or level
  std::map<std::string, std::string> params;
  std::string status = "ran";  // ran, skipped, interrupted, harness-error
  std::string skip_reason;
  std::vector<StepResult> steps;
  std::optional<double> max_sustained_rate, degraded_rate, failed_rate;
  std::string stopped;  // ceiling, degraded, failed, tool-limited, target-intake, session-limit,
                        // harness-error, interrupted, target-died
  RecoveryResult recovery;
  // session storms
  std::optional<uint32_t> sessions_before_refusal;
  bool vanished = false;
  std::string vanish;  // how the peers left
  std::optional<double> sessions_recovery_seconds;  // peers gone to a new session served
  std::optional<bool> sessions_freed;
  Verdict verdict = Verdict::NotJudged;
  std::string verdict_why;
  std::vector<int64_t> findings;
  std::vector<std::string> observations;

  nlohmann::json to_json() const;
  static bool from_json(const nlohmann::json& j, StormResult& out, std::string& error);
  std::string fact_key() const { return "availability/" + storm; }
  std::string series_kind(CycleStatus s) const;  // "ef:<storm>:<status>"
};

nlohmann::json to_json(const CycleStats& s);
CycleStats cycle_stats_from(const nlohmann::json& j);
Verdict verdict_from(const std::string& name);

}  // namespace pc::availability
