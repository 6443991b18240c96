#include "core/availability/storm_series.hpp"

#include <algorithm>

namespace pc::availability {

namespace {

nlohmann::json fact_json(store::Store& store, store::Id run, const std::string& key) {
  auto text = store.fact(run, key);
  if (!text) return nullptr;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

}  // namespace

std::vector<std::string> stored_storms(store::Store& store, store::Id run) {
  nlohmann::json plan = fact_json(store, run, "availability/plan");
  std::vector<std::string> out;
  if (!plan.is_object() || !plan.contains("storms") || !plan["storms"].is_array()) return out;
  for (const auto& s : plan["storms"]) {
    if (s.is_string() && store.fact(run, "availability/" + s.get<std::string>())) out.push_back(s.get<std::string>());
  }
  return out;
}

std::optional<StormSeries> load_storm_series(store::Store& store, store::Id run, const std::string& storm,
                                             std::string& error) {
  nlohmann::json j = fact_json(store, run, "availability/" + storm);
  if (j.is_null()) {
    error = "run " + std::to_string(run) + " has no availability result for " + storm;
    return std::nullopt;
  }
  StormSeries s;
  if (!StormResult::from_json(j, s.result, error)) return std::nullopt;
  nlohmann::json plan = fact_json(store, run, "availability/plan");
  if (plan.is_object()) {
    s.late_after_us = plan.value("baseline", nlohmann::json::object()).value("late_after_us", int64_t{0});
    s.min_success_ratio = plan.value("thresholds", nlohmann::json::object()).value("min_success_ratio", 0.95);
    const int64_t period = plan.value("essential_function", nlohmann::json::object()).value("period_ms", int64_t{100});
    s.window_cycles = window_cycles(std::chrono::milliseconds(period));
  }
  const std::string prefix = "ef:" + storm + ":";
  for (const auto& l : store.latency(run)) {
    if (l.kind.rfind(prefix, 0) != 0) continue;
    auto status = cycle_status_from(std::string_view(l.kind).substr(prefix.size()));
    if (!status) continue;
    Cycle c;
    c.t_ms = l.t_ms;
    c.latency_us = l.latency_us;
    c.status = *status;
    s.cycles.push_back(c);
  }
  std::stable_sort(s.cycles.begin(), s.cycles.end(), [](const Cycle& a, const Cycle& b) { return a.t_ms < b.t_ms; });
  return s;
}

}  // namespace pc::availability
