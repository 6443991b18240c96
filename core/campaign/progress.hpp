// What a running campaign tells its user: a progress line on a terminal (phase, cases done
// and left, cases per second, findings, target health), nothing with --quiet, or JSON
// lines with --json (progress events, one per finding, and a final summary).
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace pc::campaign {

struct ProgressState {
  std::string phase;
  uint64_t done = 0;         // cases done in this run, all phases
  uint64_t phase_done = 0, phase_total = 0;
  uint64_t total = 0;        // cases planned, all phases (budget applied)
  uint32_t findings = 0;
  std::string health = "healthy";
  double elapsed = 0;
};

class Progress {
 public:
  enum class Mode { Line, Quiet, Json };
  explicit Progress(Mode mode, FILE* line_out = stderr, FILE* json_out = stdout);
  void update(const ProgressState& s, bool force = false);
  void note(const std::string& text);  // a line of its own (not in JSON mode)
  void event(const nlohmann::json& j);  // JSON mode: one line
  void finish();

 private:
  Mode mode_;
  FILE* line_;
  FILE* json_;
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
  bool tty_;
};

}  // namespace pc::campaign
