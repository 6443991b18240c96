#include "core/availability/storm_verdict.hpp"

#include <fmt/format.h>

#include <vector>

namespace pc::availability {

std::string recovery_verdict(std::optional<double> seconds, std::chrono::milliseconds grace) {
  if (!seconds) return "none";
  return *seconds * 1000 <= static_cast<double>(grace.count()) ? "prompt" : "slow";
}

StormVerdict conclude_storm(const StormResult& r, const observe::Thresholds& t, bool died) {
  // steps a confirmation did not repeat do not count
  bool confirmed = false, any_confirm = false;
  for (const auto& s : r.steps) {
    if (s.kind != "confirm") continue;
    any_confirm = true;
    confirmed |= s.verdict == Verdict::Degraded || s.verdict == Verdict::Failed;
  }
  Verdict v = Verdict::NotJudged;
  const StepResult* worst = nullptr;
  for (const auto& s : r.steps) {
    if (s.kind == "confirm") continue;
    const bool bad = s.verdict == Verdict::Degraded || s.verdict == Verdict::Failed;
    if (bad && any_confirm && !confirmed) {
      v = worse(v, Verdict::Available);
      continue;
    }
    if (!worst || worse(worst->verdict, s.verdict) != worst->verdict) worst = &s;
    v = worse(v, s.verdict);
  }
  std::vector<std::string> whys;
  if (worst && (worst->verdict == Verdict::Degraded || worst->verdict == Verdict::Failed)) {
    whys.push_back(fmt::format("at {} {}: {}", worst->offered, r.unit, worst->why));
  }
  if (r.recovery.verdict == "none" && r.status == "ran") {
    v = Verdict::Failed;
    whys.push_back(fmt::format("the essential function did not come back within the recovery window ({} ms)",
                               t.recovery_window.count()));
  } else if (r.recovery.verdict == "slow") {
    v = worse(v, Verdict::Degraded);
    whys.push_back(fmt::format("the essential function came back after {:.2f} s (more than {} ms)",
                               r.recovery.seconds.value_or(0), t.recovery_grace.count()));
  }
  if (r.sessions_freed && !*r.sessions_freed) {
    v = Verdict::Failed;
    whys.push_back(fmt::format("new sessions were still refused {} ms after the peers had {}",
                               t.recovery_window.count(), r.vanished ? "vanished" : "closed"));
  }
  if (died) {
    v = Verdict::Failed;
    whys.push_back("the target process died during the storm");
  }
  StormVerdict out;
  out.verdict = v;
  if (whys.empty()) {
    out.why = v == Verdict::NotJudged
                  ? (r.steps.empty() ? r.skip_reason : "no step could be judged: " + r.steps.back().why)
                  : fmt::format("the essential function stayed within the thresholds up to {} {} ({})",
                                r.max_sustained_rate.value_or(0), r.unit, r.stopped);
  } else {
    for (const auto& w : whys) out.why += (out.why.empty() ? "" : "; ") + w;
  }
  if (r.status != "ran") return out;
  if (died) {
    out.kind = oracle::FindingKind::Crash;
  } else if (r.recovery.verdict == "none") {
    out.kind = oracle::FindingKind::NeedsManualReset;
  } else if (r.sessions_freed && !*r.sessions_freed) {
    out.kind = oracle::FindingKind::ResourceExhaustion;
  } else if (v == Verdict::Degraded || v == Verdict::Failed) {
    out.kind = oracle::FindingKind::Degraded;
  }
  return out;
}

}  // namespace pc::availability
