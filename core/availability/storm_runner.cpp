// One storm of an availability run: skip it with a reason, or step it up, let its peers
// vanish (session storms), measure the recovery, confirm a degraded step once more, reach
// the verdict, file findings, and store the result and the essential function's cycles.
#include <fmt/format.h>

#include <thread>

#include "core/availability/availability_impl.hpp"
#include "core/availability/rate_stepper.hpp"
#include "core/availability/storm_verdict.hpp"

namespace pc::availability {

using Clock = std::chrono::steady_clock;

std::string AvailabilityRun::Impl::skip_reason(const StormInfo& info, const StormParams& params) const {
  if (info.needs_netns && !netns_) return "not run: " + netns_reason_;
  const std::string name(info.name);
  const bool largest = name == "large_request" || (name == "fragmented_request" && params.text("pool") == "largest");
  if (largest && pools_.largest.empty()) return "not run: the safety rules leave no valid request of the largest sizes";
  if (name == "malformed_flood" && pools_.malformed.empty()) {
    return "not run: the safety rules leave no case of the fuzz catalogue";
  }
  const bool needs_valid = name == "request_flood" || name == "session_exhaustion" || name.rfind("slow_", 0) == 0 ||
                           (name == "fragmented_request" && !largest);
  if (needs_valid && pools_.valid.empty()) return "not run: the safety rules leave no valid request to send";
  return {};
}

bool AvailabilityRun::Impl::target_alive(std::optional<observe::ProcessEvent>* event) {
  auto* p = target_->process();
  if (!p) return true;
  observe::ProcessEvent ev;
  if (p->alive(&ev)) return true;
  if (event) *event = ev;
  return false;
}

// Healthy (restarted or reset if needed) and the essential function on time again.
bool AvailabilityRun::Impl::ready_for_storm(std::string& why, const std::atomic<bool>& stop) {
  if (!target_->make_healthy(why)) return false;
  const int64_t from = monitor_->now_ms();
  const auto until = Clock::now() + co_.thresholds.recovery_window;
  while (Clock::now() < until && !stop.load()) {
    auto cycles = monitor_->between(from, monitor_->now_ms());
    if (recovered_at(cycles, ao_.recovery_cycles)) return true;
    sleep_for(ao_.ef.period, stop);
  }
  why = "the essential function was not on time before the storm";
  return false;
}

RecoveryResult AvailabilityRun::Impl::recover(int64_t t_end, bool need_probe, const std::atomic<bool>& stop) {
  RecoveryResult rec;
  rec.measured = true;
  rec.t_start_ms = t_end;
  const auto until = Clock::now() + co_.thresholds.recovery_window;
  for (;;) {
    auto cycles = monitor_->between(t_end, monitor_->now_ms());
    if (auto i = recovered_at(cycles, ao_.recovery_cycles)) {
      if (!need_probe || target_->probe().healthy) {
        rec.seconds = static_cast<double>(std::max<int64_t>(0, cycles[*i].t_ms - t_end)) / 1000.0;
        break;
      }
    }
    if (Clock::now() >= until || stop.load() || !target_alive()) break;
    sleep_for(ao_.ef.period, stop);
  }
  rec.t_end_ms = monitor_->now_ms();
  rec.verdict = recovery_verdict(rec.seconds, co_.thresholds.recovery_grace);
  return rec;
}

void AvailabilityRun::Impl::sessions_recovery(StormResult& r, const std::atomic<bool>& stop) {
  const auto t0 = Clock::now();
  const auto until = t0 + co_.thresholds.recovery_window;
  for (;;) {
    if (target_->probe().healthy) {
      r.sessions_freed = true;
      r.sessions_recovery_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      return;
    }
    if (Clock::now() >= until || stop.load() || !target_alive()) break;
    sleep_for(std::chrono::milliseconds(100), stop);
  }
  r.sessions_freed = false;
}

void AvailabilityRun::Impl::confirm(StormResult& r, const CatalogueEntry& e, const LoadContext& ctx,
                                    const std::atomic<bool>& stop) {
  const StepResult* first = nullptr;
  for (const auto& s : r.steps) {
    if (s.verdict == Verdict::Degraded || s.verdict == Verdict::Failed) {
      first = &s;
      break;
    }
  }
  if (!first || ao_.confirm == 0 || r.recovery.verdict == "none") return;
  const double rate = first->offered;
  const auto hold = r.intensity == "level" ? ao_.level_plan.hold : ao_.rate_plan.hold;
  Stepper stepper(*monitor_, co_.thresholds, stop);
  bool again = false;
  for (uint32_t k = 0; k < ao_.confirm && !stop.load(); ++k) {
    auto storm = e.make(ctx);
    StepResult c = stepper.run_step(*storm, rate, hold, static_cast<uint32_t>(r.steps.size()), "confirm");
    std::string how;
    if (r.storm == "session_exhaustion") storm->vanish(how);
    storm->stop();
    again |= c.verdict == Verdict::Degraded || c.verdict == Verdict::Failed;
    r.steps.push_back(std::move(c));
    recover(monitor_->now_ms(), r.storm != "session_exhaustion", stop);
  }
  if (!again && !stop.load()) {
    r.observations.push_back(fmt::format(
        "the essential function was {} at {} {}, but not when that step ran again: an observation, not a finding",
        to_string(first->verdict), rate, r.unit));
  }
}

void AvailabilityRun::Impl::run_storm(const std::string& name, AvailabilitySummary& s, const std::atomic<bool>& stop) {
  const CatalogueEntry* e = find_storm(name);
  const StormInfo& info = e->info();
  StormResult r;
  r.storm = name;
  r.requirement = std::string(info.requirement);
  r.unit = std::string(info.unit);
  r.intensity = info.intensity == Intensity::Rate ? "rate" : "level";
  StormParams params(info, ao_.params.count(name) ? ao_.params.at(name) : std::map<std::string, std::string>{});
  r.params = params.effective();
  const int64_t from_ms = monitor_->now_ms();
  auto finish = [&] {
    note(r.status == "ran" ? fmt::format("{}: {} ({})", name, to_string(r.verdict), r.verdict_why)
                           : fmt::format("{}: {} {}", name, r.status, r.skip_reason));
    store_storm(r, from_ms, monitor_->now_ms());
    s.storms.push_back(r);
    s.observations.insert(s.observations.end(), r.observations.begin(), r.observations.end());
  };
  if (auto why = skip_reason(info, params); !why.empty()) {
    r.status = "skipped";
    r.skip_reason = why;
    finish();
    return;
  }
  std::string why;
  if (!ready_for_storm(why, stop)) {
    r.status = stop.load() ? "interrupted" : "skipped";
    r.skip_reason = "not run: " + why;
    finish();
    return;
  }
  LoadContext ctx;
  ctx.model = model_.get();
  ctx.target = target_sa_;
  to_socket_address(target_->address(), ctx.target, why);  // a restarted target may have moved
  ctx.netns = netns_.get();
  ctx.pools = &pools_;
  ctx.params = params;
  auto storm = e->make(ctx);
  Stepper stepper(*monitor_, co_.thresholds, stop);
  stepper.on_step = [&](const StepResult& st) {
    note(fmt::format("{} {} {}: {:g} {} offered, {:.0f} achieved, {}/{} cycles on time, tool CPU {:.0f}%: {}{}", name,
                     st.kind, st.index, st.offered, info.unit, st.achieved, st.ef.on_time, st.ef.cycles,
                     100 * st.tool_cpu, to_string(st.verdict), st.limit.empty() ? "" : " (" + st.limit + ")"));
  };
  const bool rate = info.intensity == Intensity::Rate;
  const SteppingPlan& plan = rate ? ao_.rate_plan : ao_.level_plan;
  if (ao_.soak_rate) {
    stepper.soak(*storm, *ao_.soak_rate, ao_.soak.count() > 0 ? ao_.soak : plan.hold, r);
    const auto& st = r.steps.back();
    if (st.verdict == Verdict::Available) r.max_sustained_rate = st.offered;
    if (st.verdict == Verdict::Degraded) r.degraded_rate = st.offered;
    if (st.verdict == Verdict::Failed) r.degraded_rate = r.failed_rate = st.offered;
    r.stopped = stop.load() ? "interrupted" : st.limit == "harness" ? "harness-error" : "soak";
  } else {
    stepper.step_up(*storm, plan, r, [this] { return target_alive(); });
    if (ao_.soak.count() > 0 && r.max_sustained_rate && !stop.load() && r.stopped != "harness-error") {
      stepper.soak(*storm, *r.max_sustained_rate, ao_.soak, r);
    }
  }
  const bool session = name == "session_exhaustion";
  if (session && !stop.load()) {
    r.sessions_before_refusal = storm->limit_found();
    r.vanished = storm->vanish(r.vanish);
  } else {
    storm->stop();
  }
  const int64_t t_end = monitor_->now_ms();
  if (stop.load()) {
    storm->stop();
    r.status = "interrupted";
    conclude(r, from_ms, std::nullopt);
    finish();
    return;
  }
  if (r.stopped == "harness-error") r.status = "harness-error";
  std::optional<observe::ProcessEvent> died;
  if (!target_alive(&died)) {
    r.recovery.measured = false;
    r.recovery.verdict = "none";
  } else {
    r.recovery = recover(t_end, !session, stop);
    if (session) sessions_recovery(r, stop);
  }
  storm->stop();  // session storms: the namespace's link comes back up
  if (!died && r.recovery.verdict == "none" && !stop.load()) {
    r.recovery.reset_called = true;
    std::string detail;
    r.recovery.reset_ok = target_->make_healthy(detail);
    r.recovery.reset_detail = r.recovery.reset_ok ? "healthy again after the reset" : detail;
  }
  if (!died && !stop.load()) confirm(r, *e, ctx, stop);
  conclude(r, from_ms, died);
  finish();
}

void AvailabilityRun::Impl::conclude(StormResult& r, int64_t from_ms, const std::optional<observe::ProcessEvent>& died) {
  const StormVerdict sv = conclude_storm(r, co_.thresholds, died.has_value());
  r.verdict = sv.verdict;
  r.verdict_why = sv.why;
  if (r.status != "ran") return;
  const std::optional<oracle::FindingKind> kind = sv.kind;
  if (kind) {
    int64_t id = write_finding(r, *kind, r.verdict_why, from_ms, died);
    if (id) r.findings.push_back(id);
  }
}

void AvailabilityRun::Impl::store_storm(const StormResult& r, int64_t from_ms, int64_t to_ms) {
  store::Batch b;
  for (const auto& c : monitor_->between(from_ms, to_ms)) {
    b.latency.push_back({run_id_, c.t_ms, c.latency_us, r.series_kind(c.status)});
  }
  store_->commit(b, run_id_);
  store_->put_fact(run_id_, r.fact_key(), r.to_json().dump());
}

}  // namespace pc::availability
