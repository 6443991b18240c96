// Method: the phases and mutation classes, how many cases each phase ran, the monitors
// and their thresholds, what discovery found, and the SVV-3 activities covered or not.
#include <fmt/format.h>

#include "core/report/html.hpp"
#include "core/report/section.hpp"
#include "core/trace/requirements.hpp"

namespace pc::report {
namespace {

constexpr const char* kPhases[] = {"discovery", "systematic", "stateful", "random"};

class MethodSection final : public Section {
 public:
  std::string id() const override { return "method"; }
  std::string title() const override { return "Method"; }

  nlohmann::json build(const Context& c) const override {
    const auto& plan = c.fact("plan");
    const auto& base = c.fact("baseline");
    uint64_t per_phase[4] = {0, 0, 0, 0}, excluded = 0, errors = 0;
    for (const auto& k : c.cases) {
      if (k.phase < 4) ++per_phase[k.phase];
      excluded += (k.flags & 4) != 0;
      errors += (k.flags & 8) != 0;
    }
    // discovery's requests are not cases of the run; the discovery fact counts them
    const auto& disc_fact = c.fact("discovery");
    if (per_phase[0] == 0 && disc_fact.is_object())
      per_phase[0] = disc_fact.value("requests", uint64_t{0});
    nlohmann::json counts = nlohmann::json::object();
    for (int i = 0; i < 4; ++i) counts[kPhases[i]] = per_phase[i];
    counts["total"] = per_phase[0] + per_phase[1] + per_phase[2] + per_phase[3];
    counts["excluded"] = excluded;
    counts["harness_errors"] = errors;
    nlohmann::json activities = nlohmann::json::array();
    for (const auto& a : trace::svv3_activities()) {
      if (a.name == "load and denial-of-service testing" && c.availability_run) {
        activities.push_back({{"activity", a.name},
                              {"covered", true},
                              {"how", fmt::format("availability run {}: {} storm(s) stepped up while the essential "
                                                  "function was watched (section \"Availability under load\")",
                                                  c.availability_run, c.availability_storms.size())}});
        continue;
      }
      activities.push_back({{"activity", a.name}, {"covered", a.covered}, {"how", a.how}});
    }
    // the thresholds as the findings recorded them, else from the configuration
    nlohmann::json thresholds = nlohmann::json::object();
    for (const auto& f : c.findings) {
      auto d = nlohmann::json::parse(f.details_json, nullptr, false);
      if (d.is_object() && d.contains("thresholds")) {
        thresholds = d["thresholds"];
        break;
      }
    }
    const bool process_monitor = c.run.campaign_yaml.find("target_cmd") != std::string::npos;
    auto str_list = [&](const char* k) {
      return plan.is_object() && plan.contains(k) ? plan[k] : nlohmann::json::array();
    };
    const auto& disc = c.fact("discovery");
    return {
        {"phases", str_list("phases")},
        {"mutation_classes", str_list("classes")},
        {"variants_per_slot", plan.is_object() ? plan.value("per_slot", 0) : 0},
        {"state_attacks", str_list("state_attacks")},
        {"random_cases_planned", plan.is_object() ? plan.value("random_cases", 0) : 0},
        {"message_types", str_list("messages")},
        {"case_counts", counts},
        {"monitors",
         {{"health_probe",
           "the model's probe request on a fresh connection, on a schedule and after every "
           "anomaly"},
          {"process_monitor", process_monitor},
          {"baseline_p99_us", base.is_object() ? base.value("p99_us", 0) : 0},
          {"case_deadline_us", base.is_object() ? base.value("deadline_us", 0) : 0},
          {"thresholds", thresholds}}},
        {"discovery",
         {{"supported", disc.is_object() && disc.contains("supported") ? disc["supported"]
                                                                       : nlohmann::json::object()},
          {"ranges",
           disc.is_object() && disc.contains("ranges") ? disc["ranges"] : nlohmann::json::object()},
          {"requests", disc.is_object() ? disc.value("requests", 0) : 0}}},
        {"svv3_activities", activities}};
  }

  std::string html(const nlohmann::json& p, const nlohmann::json&) const override {
    using namespace html;
    auto join = [](const nlohmann::json& a) {
      std::string s;
      for (const auto& x : a) s += (s.empty() ? "" : ", ") + text(x);
      return s;
    };
    const auto& m = p["monitors"];
    std::string out = dl(
        {{"Phases", esc(join(p["phases"]))},
         {"Mutation classes", esc(join(p["mutation_classes"]))},
         {"Variants per slot", esc(text(p["variants_per_slot"]))},
         {"State attacks", esc(join(p["state_attacks"]))},
         {"Random cases planned", esc(text(p["random_cases_planned"]))},
         {"Message types attacked",
          esc(fmt::format("{}: {}", p["message_types"].size(), join(p["message_types"])))},
         {"Health probe", esc(text(m["health_probe"]))},
         {"Process monitor", m["process_monitor"].get<bool>()
                                 ? "yes: exits, signals and sanitizer reports of the target process"
                                 : "no (a remote device)"},
         {"Baseline", esc(fmt::format("p99 {} µs; case deadline {} µs", text(m["baseline_p99_us"]),
                                      text(m["case_deadline_us"])))},
         {"Thresholds", esc(m["thresholds"].dump())}});
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : p["case_counts"].items()) rows.push_back({esc(k), esc(text(v))});
    out += "<h3>Test cases</h3>" + table({"phase", "cases"}, rows);
    rows.clear();
    for (const auto& [k, v] : p["discovery"]["ranges"].items()) {
      rows.push_back({esc(k), esc(fmt::format("{} .. {}", text(v["first"]), text(v["last"])))});
    }
    out += "<h3>Discovery</h3><p>" +
           esc(fmt::format("{} requests; {} request types answered with their defaults.",
                           text(p["discovery"]["requests"]), p["discovery"]["supported"].size())) +
           "</p>" + table({"data table", "first mapped block"}, rows);
    rows.clear();
    for (const auto& a : p["svv3_activities"]) {
      rows.push_back({esc(text(a["activity"])),
                      a["covered"].get<bool>() ? badge("covered", "v-evidenced")
                                               : badge("not covered", "v-not-tested"),
                      esc(text(a["how"]))});
    }
    out +=
        "<h3>IEC 62443-4-1 SVV-3 activities</h3>" + table({"activity", "", "by this tool"}, rows);
    return out;
  }
};

}  // namespace

std::unique_ptr<Section> make_method_section() {
  return std::make_unique<MethodSection>();
}

}  // namespace pc::report
