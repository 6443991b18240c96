#include "core/availability/storm_result.hpp"

namespace pc::availability {

namespace {

nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
std::optional<double> opt_from(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<double>();
}

}  // namespace

Verdict verdict_from(const std::string& name) {
  for (auto v : {Verdict::Available, Verdict::Degraded, Verdict::Failed, Verdict::NotJudged}) {
    if (name == to_string(v)) return v;
  }
  return Verdict::NotJudged;
}

std::string StormResult::series_kind(CycleStatus s) const { return "ef:" + storm + ":" + to_string(s); }

nlohmann::json to_json(const CycleStats& s) {
  return {{"cycles", s.cycles}, {"on_time", s.on_time},           {"late", s.late},
          {"wrong", s.wrong},   {"missed", s.missed},             {"success_ratio", s.success_ratio},
          {"worst_window", s.worst_window}, {"p50_us", s.p50_us}, {"p99_us", s.p99_us},
          {"max_us", s.max_us}};
}

CycleStats cycle_stats_from(const nlohmann::json& j) {
  CycleStats s;
  s.cycles = j.value("cycles", 0u);
  s.on_time = j.value("on_time", 0u);
  s.late = j.value("late", 0u);
  s.wrong = j.value("wrong", 0u);
  s.missed = j.value("missed", 0u);
  s.success_ratio = j.value("success_ratio", 0.0);
  s.worst_window = j.value("worst_window", 1.0);
  s.p50_us = j.value("p50_us", 0u);
  s.p99_us = j.value("p99_us", 0u);
  s.max_us = j.value("max_us", 0u);
  return s;
}

nlohmann::json StormResult::to_json() const {
  nlohmann::json steps_j = nlohmann::json::array();
  for (const auto& s : steps) {
    steps_j.push_back({{"index", s.index},
                       {"kind", s.kind},
                       {"offered", s.offered},
                       {"achieved", s.achieved},
                       {"answered_rate", s.answered_rate},
                       {"blocked_rate", s.blocked_rate},
                       {"refused", s.refused},
                       {"closed_by_target", s.closed_by_target},
                       {"connect_timeouts", s.connect_timeouts},
                       {"held", s.held},
                       {"tool_cpu", s.tool_cpu},
                       {"limit", s.limit},
                       {"harness_error", s.harness_error},
                       {"t_start_ms", s.t_start_ms},
                       {"t_end_ms", s.t_end_ms},
                       {"essential_function", availability::to_json(s.ef)},
                       {"verdict", availability::to_string(s.verdict)},
                       {"why", s.why}});
  }
  nlohmann::json rec = {{"measured", recovery.measured},
                        {"seconds", opt(recovery.seconds)},
                        {"verdict", recovery.verdict},
                        {"t_start_ms", recovery.t_start_ms},
                        {"t_end_ms", recovery.t_end_ms},
                        {"reset_called", recovery.reset_called},
                        {"reset_ok", recovery.reset_ok},
                        {"reset_detail", recovery.reset_detail}};
  nlohmann::json sessions = nullptr;
  if (sessions_before_refusal || !vanish.empty()) {
    sessions = {{"before_refusal", sessions_before_refusal ? nlohmann::json(*sessions_before_refusal) : nullptr},
                {"vanished", vanished},
                {"vanish", vanish},
                {"recovery_seconds", opt(sessions_recovery_seconds)},
                {"freed", sessions_freed ? nlohmann::json(*sessions_freed) : nullptr}};
  }
  return {{"storm", storm},
          {"requirement", requirement},
          {"unit", unit},
          {"intensity", intensity},
          {"params", params},
          {"status", status},
          {"skip_reason", skip_reason},
          {"steps", steps_j},
          {"max_sustained_rate", opt(max_sustained_rate)},
          {"degraded_rate", opt(degraded_rate)},
          {"failed_rate", opt(failed_rate)},
          {"stopped", stopped},
          {"recovery", rec},
          {"recovery_seconds", opt(recovery.seconds)},
          {"sessions", sessions},
          {"verdict", availability::to_string(verdict)},
          {"verdict_why", verdict_why},
          {"findings", findings},
          {"observations", observations},
          {"series", {{"table", "latency"}, {"kind_prefix", "ef:" + storm + ":"}}}};
}

bool StormResult::from_json(const nlohmann::json& j, StormResult& out, std::string& error) {
  if (!j.is_object() || !j.contains("storm")) {
    error = "not an availability result (no 'storm')";
    return false;
  }
  try {
    StormResult r;
    r.storm = j.at("storm").get<std::string>();
    r.requirement = j.value("requirement", "");
    r.unit = j.value("unit", "");
    r.intensity = j.value("intensity", "rate");
    if (j.contains("params") && j["params"].is_object()) r.params = j["params"].get<std::map<std::string, std::string>>();
    r.status = j.value("status", "ran");
    r.skip_reason = j.value("skip_reason", "");
    for (const auto& s : j.value("steps", nlohmann::json::array())) {
      StepResult x;
      x.index = s.value("index", 0u);
      x.kind = s.value("kind", "step");
      x.offered = s.value("offered", 0.0);
      x.achieved = s.value("achieved", 0.0);
      x.answered_rate = s.value("answered_rate", 0.0);
      x.blocked_rate = s.value("blocked_rate", 0.0);
      x.refused = s.value("refused", uint64_t{0});
      x.closed_by_target = s.value("closed_by_target", uint64_t{0});
      x.connect_timeouts = s.value("connect_timeouts", uint64_t{0});
      x.held = s.value("held", 0u);
      x.tool_cpu = s.value("tool_cpu", 0.0);
      x.limit = s.value("limit", "");
      x.harness_error = s.value("harness_error", "");
      x.t_start_ms = s.value("t_start_ms", int64_t{0});
      x.t_end_ms = s.value("t_end_ms", int64_t{0});
      if (s.contains("essential_function")) x.ef = cycle_stats_from(s["essential_function"]);
      x.verdict = verdict_from(s.value("verdict", "not-judged"));
      x.why = s.value("why", "");
      r.steps.push_back(std::move(x));
    }
    r.max_sustained_rate = opt_from(j, "max_sustained_rate");
    r.degraded_rate = opt_from(j, "degraded_rate");
    r.failed_rate = opt_from(j, "failed_rate");
    r.stopped = j.value("stopped", "");
    if (j.contains("recovery") && j["recovery"].is_object()) {
      const auto& rc = j["recovery"];
      r.recovery.measured = rc.value("measured", false);
      r.recovery.seconds = opt_from(rc, "seconds");
      r.recovery.verdict = rc.value("verdict", "");
      r.recovery.t_start_ms = rc.value("t_start_ms", int64_t{0});
      r.recovery.t_end_ms = rc.value("t_end_ms", int64_t{0});
      r.recovery.reset_called = rc.value("reset_called", false);
      r.recovery.reset_ok = rc.value("reset_ok", false);
      r.recovery.reset_detail = rc.value("reset_detail", "");
    }
    if (j.contains("sessions") && j["sessions"].is_object()) {
      const auto& ss = j["sessions"];
      if (ss.contains("before_refusal") && !ss["before_refusal"].is_null()) {
        r.sessions_before_refusal = ss["before_refusal"].get<uint32_t>();
      }
      r.vanished = ss.value("vanished", false);
      r.vanish = ss.value("vanish", "");
      r.sessions_recovery_seconds = opt_from(ss, "recovery_seconds");
      if (ss.contains("freed") && !ss["freed"].is_null()) r.sessions_freed = ss["freed"].get<bool>();
    }
    r.verdict = verdict_from(j.value("verdict", "not-judged"));
    r.verdict_why = j.value("verdict_why", "");
    if (j.contains("findings")) r.findings = j["findings"].get<std::vector<int64_t>>();
    if (j.contains("observations")) r.observations = j["observations"].get<std::vector<std::string>>();
    out = std::move(r);
    return true;
  } catch (const std::exception& e) {
    error = std::string("malformed availability result: ") + e.what();
    return false;
  }
}

}  // namespace pc::availability
