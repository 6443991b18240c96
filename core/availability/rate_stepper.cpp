#include "core/availability/rate_stepper.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace pc::availability {

using Clock = std::chrono::steady_clock;

namespace {

constexpr double kAchievedShare = 0.95;  // below this share of the offered rate: limited
constexpr double kSaturatedCpu = 0.9;    // the load thread busy this share of the time

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void Stepper::drive(Storm& storm, double offered, Pacing& pace, Clock::time_point until) {
  const bool rate = storm.info().intensity == Intensity::Rate;
  if (!rate) storm.set_level(static_cast<uint32_t>(std::lround(offered)));
  // a backlog of more than 250 ms of load is dropped, not burst: the tool fell behind
  const double cap = std::max(1.0, offered * 0.25);
  for (;;) {
    const auto now = Clock::now();
    if (now >= until || stop_.load() || !storm.counters().harness_error.empty()) return;
    if (!rate) {
      storm.poll(std::min<std::chrono::microseconds>(std::chrono::milliseconds(5),
                                                     std::chrono::duration_cast<std::chrono::microseconds>(until - now)));
      continue;
    }
    const double elapsed = seconds(now - pace.start);
    const auto target = static_cast<uint64_t>(offered * elapsed);
    if (target > pace.done) {
      uint64_t due = target - pace.done;
      if (static_cast<double>(due) > cap) {
        pace.done += due - static_cast<uint64_t>(cap);
        due = static_cast<uint64_t>(cap);
      }
      storm.fire(static_cast<uint32_t>(std::min<uint64_t>(due, 1u << 30)));
      pace.done += due;
    }
    const double next_at = static_cast<double>(pace.done + 1) / offered;
    const double wait_s = std::clamp(next_at - seconds(Clock::now() - pace.start), 0.0, 0.005);
    storm.poll(std::chrono::microseconds(static_cast<int64_t>(wait_s * 1e6)));
  }
}

StepResult Stepper::run_step(Storm& storm, double offered, std::chrono::milliseconds hold, uint32_t index,
                             const std::string& kind) {
  StepResult r;
  r.index = index;
  r.kind = kind;
  r.offered = offered;
  const LoadCounters c0 = storm.counters();
  const double cpu0 = thread_cpu_seconds();
  const auto wall0 = Clock::now();
  r.t_start_ms = monitor_.now_ms();
  const int64_t t_end = r.t_start_ms + hold.count();
  Pacing pace;
  drive(storm, offered, pace, wall0 + hold);
  // The load stays on until the monitor has recorded every cycle due before the step's
  // end (a cycle waiting for its answer at the end still belongs to this step).
  const auto period = monitor_.spec().period;
  const auto limit = Clock::now() + std::chrono::milliseconds(2000) + 2 * period;
  while (monitor_.latest_due_ms() < t_end && Clock::now() < limit && !stop_.load() &&
         storm.counters().harness_error.empty()) {
    drive(storm, offered, pace, Clock::now() + std::chrono::milliseconds(20));
  }
  const double wall = std::max(1e-3, seconds(Clock::now() - wall0));
  const LoadCounters& c1 = storm.counters();
  r.t_end_ms = t_end;
  r.tool_cpu = (thread_cpu_seconds() - cpu0) / wall;
  r.refused = c1.refused - c0.refused;
  r.closed_by_target = c1.closed_by_target - c0.closed_by_target;
  r.connect_timeouts = c1.connect_timeouts - c0.connect_timeouts;
  r.held = c1.held;
  r.answered_rate = static_cast<double>(c1.answers - c0.answers) / wall;
  r.blocked_rate = static_cast<double>(c1.blocked - c0.blocked) / wall;
  const bool rate = storm.info().intensity == Intensity::Rate;
  r.achieved = rate ? static_cast<double>(c1.ops - c0.ops) / wall : static_cast<double>(c1.held);
  r.harness_error = c1.harness_error;
  r.limit = step_limit(r, rate, storm.info().answered);
  auto cycles = monitor_.between(r.t_start_ms, t_end);
  if (r.limit == "tool" || r.limit == "harness") {
    r.ef = cycle_stats(cycles, window_cycles(period));
    r.verdict = Verdict::NotJudged;
    r.why = r.limit == "tool"
                ? fmt::format("tool-limited: achieved {:.0f} of {:.0f} {} with the load thread at {:.0f}% CPU: no verdict "
                              "on the device",
                              r.achieved, offered, storm.info().unit, 100 * r.tool_cpu)
                : "harness error: " + r.harness_error;
    if (on_step) on_step(r);
    return r;
  }
  Judgement j = judge_cycles(cycles, thresholds_, window_cycles(period));
  r.ef = j.stats;
  r.verdict = j.verdict;
  r.why = j.why;
  if (r.limit == "target-intake") {
    r.why += fmt::format("; the device took {:.0f} of {:.0f} {} and answered {:.0f} a second (it served no more)",
                         r.achieved, offered, storm.info().unit, r.answered_rate);
  }
  if (on_step) on_step(r);
  return r;
}

std::string step_limit(const StepResult& r, bool rate, bool answered) {
  if (!r.harness_error.empty()) return "harness";
  if (!rate) return "";
  if (r.tool_cpu >= kSaturatedCpu) return "tool";
  if (r.achieved < kAchievedShare * r.offered) {
    return r.blocked_rate >= 0.5 * (r.offered - r.achieved) ? "target-intake" : "tool";
  }
  // delivered, but the answers fell behind: the rest waits in buffers
  if (answered && r.answered_rate < kAchievedShare * r.achieved) return "target-intake";
  return "";
}

std::string fold_step(const StepResult& s, const SteppingPlan& plan, const StepContext& at, StormResult& result,
                      uint32_t& past) {
  if (at.interrupted) return "interrupted";
  if (s.limit == "harness") return "harness-error";
  if (s.limit == "tool") return "tool-limited";
  if (s.verdict == Verdict::Available) {
    // at the device's intake limit, what it really served: answers where there are any
    const double served = s.answered_rate > 0 ? std::min(s.achieved, s.answered_rate) : s.achieved;
    const double sustained = s.limit == "target-intake" ? served : s.offered;
    result.max_sustained_rate = std::max(result.max_sustained_rate.value_or(0.0), sustained);
  }
  if (s.verdict == Verdict::Degraded && !result.degraded_rate) result.degraded_rate = s.offered;
  if (s.verdict == Verdict::Failed) {
    if (!result.degraded_rate) result.degraded_rate = s.offered;
    result.failed_rate = s.offered;
    return "failed";
  }
  if (at.target_alive && !at.target_alive()) return "target-died";
  if (result.degraded_rate && past++ >= plan.past_degraded) return "degraded";
  if (s.limit == "target-intake") return "target-intake";
  if (at.limit_found) return "session-limit";
  if (s.offered >= plan.ceiling) return "ceiling";
  return "";
}

double next_level(double level, const SteppingPlan& plan, bool rate) {
  double next = level * plan.factor;
  if (!rate) next = std::max(level + 1, std::round(next));
  return std::min(next, plan.ceiling);
}

void Stepper::step_up(Storm& storm, const SteppingPlan& plan, StormResult& result,
                      const std::function<bool()>& target_alive) {
  const bool rate = storm.info().intensity == Intensity::Rate;
  double level = std::min(plan.start, plan.ceiling);
  if (!rate) level = std::max(1.0, std::round(level));
  uint32_t past = 0;
  for (uint32_t index = 0;; ++index) {
    StepResult s = run_step(storm, level, plan.hold, index, "step");
    result.steps.push_back(s);
    StepContext at;
    at.interrupted = stop_.load();
    at.limit_found = storm.limit_found().has_value();
    at.target_alive = target_alive;
    result.stopped = fold_step(s, plan, at, result, past);
    if (!result.stopped.empty()) return;
    level = next_level(level, plan, rate);
  }
}

void Stepper::soak(Storm& storm, double rate, std::chrono::milliseconds duration, StormResult& result) {
  StepResult s = run_step(storm, rate, duration, static_cast<uint32_t>(result.steps.size()), "soak");
  result.steps.push_back(s);
}

}  // namespace pc::availability
