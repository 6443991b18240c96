// From essential-function cycles to a verdict, with the shared thresholds. Pure
// functions: the same cycles always give the same verdict.
//
// The cycles of a step are cut into windows of about one second (at least 5 cycles).
//   available  every window has at least min_success_ratio of its cycles on time
//   degraded   some window falls below it
//   failed     some window has no correct answer at all (not even a late one): the
//              function was lost for that long
// Recovery after a storm: the first run of `recovery_cycles` cycles on time in a row.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/availability/essential_function.hpp"
#include "core/observe/thresholds.hpp"

namespace pc::availability {

enum class Verdict : uint8_t { Available, Degraded, Failed, NotJudged };
const char* to_string(Verdict v);  // available, degraded, failed, not-judged
Verdict worse(Verdict a, Verdict b);

struct CycleStats {
  uint32_t cycles = 0, on_time = 0, late = 0, wrong = 0, missed = 0;
  double success_ratio = 0;      // on time / cycles
  double worst_window = 1;       // the lowest window ratio
  uint32_t p50_us = 0, p99_us = 0, max_us = 0;  // answered cycles (on time and late)
};

CycleStats cycle_stats(std::span<const Cycle> cycles, uint32_t window_cycles);
// Cycles per window for a monitor period: about one second, at least 5.
uint32_t window_cycles(std::chrono::milliseconds period);

struct Judgement {
  Verdict verdict = Verdict::NotJudged;
  CycleStats stats;
  std::string why;  // one sentence with the numbers
};
Judgement judge_cycles(std::span<const Cycle> cycles, const observe::Thresholds& t, uint32_t window_cycles);

// Index of the first cycle of the first run of `run` on-time cycles, or nullopt.
std::optional<size_t> recovered_at(std::span<const Cycle> cycles, uint32_t run);

// The late bound from baseline latencies: max(latency_factor x p99, min_deadline).
std::chrono::microseconds late_bound(std::span<const uint32_t> baseline_us, const observe::Thresholds& t);

}  // namespace pc::availability
