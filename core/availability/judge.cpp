#include "core/availability/judge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace pc::availability {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Available: return "available";
    case Verdict::Degraded: return "degraded";
    case Verdict::Failed: return "failed";
    case Verdict::NotJudged: return "not-judged";
  }
  return "not-judged";
}

Verdict worse(Verdict a, Verdict b) {
  auto rank = [](Verdict v) {
    switch (v) {
      case Verdict::NotJudged: return 0;
      case Verdict::Available: return 1;
      case Verdict::Degraded: return 2;
      case Verdict::Failed: return 3;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

uint32_t window_cycles(std::chrono::milliseconds period) {
  const auto per_second = period.count() > 0 ? static_cast<uint32_t>(1000 / period.count()) : 5u;
  return std::max<uint32_t>(5, per_second);
}

namespace {

uint32_t percentile(std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

}  // namespace

CycleStats cycle_stats(std::span<const Cycle> cycles, uint32_t window) {
  CycleStats s;
  std::vector<uint32_t> lat;
  for (const auto& c : cycles) {
    ++s.cycles;
    switch (c.status) {
      case CycleStatus::OnTime: ++s.on_time; break;
      case CycleStatus::Late: ++s.late; break;
      case CycleStatus::Wrong: ++s.wrong; break;
      case CycleStatus::Missed: ++s.missed; break;
    }
    if (c.status == CycleStatus::OnTime || c.status == CycleStatus::Late) lat.push_back(c.latency_us);
  }
  s.success_ratio = s.cycles ? static_cast<double>(s.on_time) / s.cycles : 0;
  s.p50_us = percentile(lat, 0.5);
  s.p99_us = percentile(lat, 0.99);
  s.max_us = lat.empty() ? 0 : lat.back();
  window = std::max<uint32_t>(1, window);
  for (size_t at = 0; at < cycles.size(); at += window) {
    size_t n = std::min<size_t>(window, cycles.size() - at);
    if (n * 2 < window && at > 0) break;  // a short tail window says little
    size_t ok = 0;
    for (size_t i = at; i < at + n; ++i) ok += cycles[i].status == CycleStatus::OnTime;
    s.worst_window = std::min(s.worst_window, static_cast<double>(ok) / static_cast<double>(n));
  }
  return s;
}

Judgement judge_cycles(std::span<const Cycle> cycles, const observe::Thresholds& t, uint32_t window) {
  Judgement j;
  j.stats = cycle_stats(cycles, window);
  if (cycles.empty()) {
    j.why = "no cycle of the essential function in this interval";
    return j;
  }
  window = std::max<uint32_t>(1, window);
  bool lost = false;
  for (size_t at = 0; at < cycles.size(); at += window) {
    size_t n = std::min<size_t>(window, cycles.size() - at);
    if (n * 2 < window && at > 0) break;
    size_t answered = 0;
    for (size_t i = at; i < at + n; ++i) {
      answered += cycles[i].status == CycleStatus::OnTime || cycles[i].status == CycleStatus::Late;
    }
    lost |= answered == 0;
  }
  const auto& s = j.stats;
  const std::string counts = fmt::format("{} cycles: {} on time, {} late, {} wrong, {} missed; worst window {:.0f}% on time",
                                         s.cycles, s.on_time, s.late, s.wrong, s.missed, 100 * s.worst_window);
  if (lost) {
    j.verdict = Verdict::Failed;
    j.why = "the function was lost for a whole window: " + counts;
  } else if (s.worst_window < t.min_success_ratio) {
    j.verdict = Verdict::Degraded;
    j.why = fmt::format("a window fell below {:.0f}% on time: {}", 100 * t.min_success_ratio, counts);
  } else {
    j.verdict = Verdict::Available;
    j.why = counts;
  }
  return j;
}

std::optional<size_t> recovered_at(std::span<const Cycle> cycles, uint32_t run) {
  uint32_t in_row = 0;
  for (size_t i = 0; i < cycles.size(); ++i) {
    in_row = cycles[i].status == CycleStatus::OnTime ? in_row + 1 : 0;
    if (in_row >= std::max<uint32_t>(1, run)) return i + 1 - in_row;
  }
  return std::nullopt;
}

std::chrono::microseconds late_bound(std::span<const uint32_t> baseline_us, const observe::Thresholds& t) {
  std::vector<uint32_t> v(baseline_us.begin(), baseline_us.end());
  const uint32_t p99 = percentile(v, 0.99);
  const auto by_factor = std::chrono::microseconds(static_cast<int64_t>(t.latency_factor * p99));
  return std::max<std::chrono::microseconds>(by_factor, t.min_deadline);
}

}  // namespace pc::availability
