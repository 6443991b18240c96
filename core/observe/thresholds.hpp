// One threshold object shared by every check that judges a target's health: the per-case
// deadline, the health probe, and the availability tests (docs/dos.md).
#pragma once

#include <chrono>
#include <cstdint>

namespace pc::observe {

struct Thresholds {
  // A case's deadline is max(latency_factor x p99 of the baseline latency, min_deadline).
  double latency_factor = 10.0;
  std::chrono::milliseconds min_deadline{100};
  std::chrono::milliseconds max_latency{2000};       // a healthy answer is faster than this
  uint32_t max_misses_in_row = 3;                    // unanswered probes before "unhealthy"
  double min_success_ratio = 0.95;                   // over a window of probes
  std::chrono::milliseconds recovery_window{15000};  // back within this, or needs-manual-reset
  // After a storm: the essential function back to baseline within this is a prompt
  // recovery; later (but within the recovery window) the device stays degraded.
  std::chrono::milliseconds recovery_grace{2000};
};

}  // namespace pc::observe
