// A storm that crossed the thresholds becomes a finding: its fingerprint (kind, model and
// the storm: one finding per storm and kind across runs), title, details with the steps
// and the essential function's time series, the command that reproduces it, and the same
// as artefacts in the store and files under the output folder.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "core/availability/availability_impl.hpp"
#include "core/oracle/fingerprint.hpp"
#include "core/score/assessment.hpp"
#include "core/score/evidence.hpp"

namespace pc::availability {

namespace fs = std::filesystem;

namespace {

std::string quote(const std::string& s) {
  if (s.find_first_of(" '\"$\\;&|<>()*?") == std::string::npos && !s.empty()) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

std::string AvailabilityRun::Impl::reproduce_command(const StormResult& r) const {
  const StepResult* step = nullptr;
  for (const auto& s : r.steps) {
    if (s.verdict == Verdict::Degraded || s.verdict == Verdict::Failed) {
      step = &s;
      break;
    }
  }
  const double rate = step ? step->offered : r.steps.empty() ? 0 : r.steps.back().offered;
  const auto hold = r.intensity == "level" ? ao_.level_plan.hold : ao_.rate_plan.hold;
  std::string cmd = fmt::format("protocrawler dos --model {}", quote(model_->name));
  if (!co_.target_cmd.empty()) {
    cmd += " --target-cmd " + quote(co_.target_cmd);
  } else {
    cmd += " --target " + quote(target_->address().text());
  }
  if (co_.allow_remote) cmd += " --allow-remote";
  cmd += fmt::format(" --storm {} --soak-rate {} --soak-seconds {}", r.storm, rate,
                     std::max<int64_t>(1, hold.count() / 1000));
  for (const auto& [k, v] : ao_.params.count(r.storm) ? ao_.params.at(r.storm) : std::map<std::string, std::string>{}) {
    cmd += fmt::format(" --param {}.{}={}", r.storm, k, quote(v));
  }
  const auto& ef = ao_.ef;
  if (!ef.message.empty()) cmd += " --ef-message " + ef.message;
  for (const auto& [k, v] : ef.set) cmd += fmt::format(" --ef-set {}={}", k, v);
  if (!ef.value.empty()) cmd += " --ef-value " + quote(ef.value);
  if (ef.range) cmd += fmt::format(" --ef-range {}..{}", ef.range->first, ef.range->second);
  if (ef.moves_within) cmd += fmt::format(" --ef-moves {}", ef.moves_within);
  if (ef.period.count() != 100) cmd += fmt::format(" --ef-period-ms {}", ef.period.count());
  if (!ef.channel.empty() && ef.channel != "connection") cmd += " --ef-channel " + quote(ef.channel);
  const auto& t = co_.thresholds;
  cmd += fmt::format(" --min-deadline-ms {} --max-latency-ms {} --recovery-ms {}", t.min_deadline.count(),
                     t.max_latency.count(), t.recovery_window.count());
  return cmd;
}

int64_t AvailabilityRun::Impl::write_finding(const StormResult& r, oracle::FindingKind kind, const std::string& detail,
                                             int64_t from_ms, const std::optional<observe::ProcessEvent>& died) {
  oracle::FingerprintParts parts;
  parts.kind = std::string(oracle::kind_name(kind));
  parts.model = model_->name;
  parts.mutation_class = "dos:" + r.storm;
  if (died) parts.frames = died->top_frames;
  const std::string fp = oracle::fingerprint(parts);
  const bool known = store_->finding_by_fingerprint(fp).has_value();

  const StepResult* step = nullptr;
  for (const auto& s : r.steps) {
    if (s.verdict == Verdict::Degraded || s.verdict == Verdict::Failed) {
      step = &s;
      break;
    }
  }
  std::string title;
  switch (kind) {
    case oracle::FindingKind::NeedsManualReset:
      title = fmt::format("needs-manual-reset: no recovery after {}", r.storm);
      break;
    case oracle::FindingKind::ResourceExhaustion:
      title = fmt::format("resource-exhaustion: new sessions refused after {} peers {}",
                          r.sessions_before_refusal.value_or(0), r.vanished ? "vanished" : "closed");
      break;
    case oracle::FindingKind::Crash: title = fmt::format("crash: the target died under {}", r.storm); break;
    default:
      title = step ? fmt::format("degraded: {} at {} {} ({:.0f}% of cycles on time)", r.storm, step->offered, r.unit,
                                 100 * step->ef.success_ratio)
                   : fmt::format("degraded: slow recovery after {}", r.storm);
  }
  nlohmann::json series = nlohmann::json::array();
  for (const auto& c : monitor_->between(from_ms, monitor_->now_ms())) {
    series.push_back({c.t_ms, c.latency_us, to_string(c.status)});
  }
  nlohmann::json details = {
      {"detail", detail},
      {"storm", r.storm},
      {"requirement", r.requirement},
      {"result", r.to_json()},
      {"baseline", baseline_},
      {"essential_function", monitor_->channel_text()},
      {"series", {{"columns", {"t_ms", "latency_us", "status"}}, {"rows", series}}},
      {"reproduce", reproduce_command(r)},
      {"target", target_->address().text()},
      {"fingerprint_input", oracle::fingerprint_text(parts)},
      {"confirmed", r.steps.empty() || r.steps.back().kind != "confirm" ? 0 : 1},
  };
  if (died) {
    details["process"] = {{"code", died->code}, {"report", died->report.substr(0, 16384)}, {"frames", died->top_frames}};
  }
  store::FindingRecord f;
  f.fingerprint = fp;
  f.kind = parts.kind;
  f.model = model_->name;
  f.mutation_class = parts.mutation_class;
  f.title = title;
  f.first_run = f.last_run = run_id_;
  f.details_json = details.dump();
  // the score, from the evidence by the same rules as a campaign's findings (docs/scoring.md)
  score::Evidence ev = score::evidence_from_details(details);
  ev.kind = f.kind;
  ev.mutation_class = f.mutation_class;
  ev.transport = model_->transport;
  ev.recovered = r.recovery.verdict != "none" && !died && (!r.sessions_freed || *r.sessions_freed);
  if (r.recovery.seconds) ev.outage_ms = static_cast<int64_t>(*r.recovery.seconds * 1000);
  ev.recovery_window_ms = co_.thresholds.recovery_window.count();
  if (died) ev.process_report = died->report;
  const score::Assessment assessment = score::assess(ev);
  f.cvss_version = assessment.cvss_version;
  f.cvss_vector = assessment.vector_text();
  f.cvss_score = assessment.score;
  f.cwe = assessment.cwe_text();
  for (const auto& q : assessment.requirements) f.requirements += (f.requirements.empty() ? "" : ", ") + q;
  f.score_json = assessment.to_json().dump();
  store::Occurrence occ;
  occ.run_id = run_id_;
  occ.phase = 0;
  occ.index = static_cast<uint64_t>(std::max<int64_t>(0, from_ms));
  occ.confirmed = true;
  store::Id id = store_->record_finding(f, occ);
  if (!id) return 0;
  if (!known) store_->update_finding_details(id, f.details_json);
  ++findings_by_kind_[parts.kind];

  fs::path dir = fs::path(out_dir_) / "findings" / std::to_string(id);
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto artefact = [&](const std::string& k, const std::string& name, const std::string& data) {
    store::Artefact a;
    a.finding_id = id;
    a.run_id = run_id_;
    a.kind = k;
    a.name = name;
    a.data.assign(data.begin(), data.end());
    store_->add_artefact(a);
    std::ofstream(dir / name, std::ios::binary) << data;
  };
  artefact("timeseries", "availability.json", details.dump(2));
  artefact("script", "reproduce.sh", "#!/bin/sh\n# " + title + "\nexec " + reproduce_command(r) + "\n");
  if (!co_.hooks.on_failure.empty()) {
    auto env = hook_env();
    env.emplace_back("PROTOCRAWLER_FINDING_KIND", parts.kind);
    observe::run_hook(co_.hooks.on_failure, env, co_.hooks.timeout);
  }
  return id;
}

}  // namespace pc::availability
