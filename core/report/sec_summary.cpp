// The summary: what an assessor reads first, with the findings and latency charts.
#include <fmt/format.h>

#include "core/report/html.hpp"
#include "core/report/section.hpp"

namespace pc::report {
namespace {

class SummarySection final : public Section {
 public:
  std::string id() const override { return "summary"; }
  std::string title() const override { return "Summary"; }

  nlohmann::json build(const Context& c) const override {
    // latency over the campaign: each case's answer time, at most 400 points
    nlohmann::json lat = nlohmann::json::array();
    int64_t t0 = 0;
    for (const auto& k : c.cases) {
      if (k.utc_ms > 0 && (t0 == 0 || k.utc_ms < t0)) t0 = k.utc_ms;
    }
    std::vector<const store::CaseRecord*> timed;
    for (const auto& k : c.cases) {
      if (k.utc_ms > 0 && k.latency_us > 0) timed.push_back(&k);
    }
    std::sort(timed.begin(), timed.end(), [](auto* a, auto* b) { return a->utc_ms < b->utc_ms; });
    const size_t step = std::max<size_t>(1, timed.size() / 400);
    for (size_t i = 0; i < timed.size(); i += step) {
      lat.push_back({{"t_ms", timed[i]->utc_ms - t0}, {"latency_us", timed[i]->latency_us}});
    }
    const auto& scope = c.fact("scope");
    return {{"target", c.target.name},
            {"run", c.run.id},
            {"run_status", c.run.status},
            {"cases", c.cases.size()},
            {"findings", c.findings.size()},
            {"latency", lat},
            {"security_level", scope.is_object() ? scope.value("target_sl", 0) : 0},
            {"profile", c.run.profile}};
  }

  std::string html(const nlohmann::json& p, const nlohmann::json& doc) const override {
    using namespace html;
    std::string out = "<p class=\"lead\">" +
                      esc(fmt::format("Run {} against {} ({}): {} test cases, {} findings.", p["run"].get<int64_t>(),
                                      text(p["target"]), text(p["run_status"]), p["cases"].get<uint64_t>(),
                                      p["findings"].get<uint64_t>())) +
                      "</p>";
    std::vector<std::vector<std::string>> rows;
    for (const auto& [v, n] : p["verdicts"].items()) rows.push_back({badge(v, verdict_class(v)), text(n)});
    out += "<h3>Requirement verdicts</h3>" + table({"verdict", "requirements"}, rows);
    std::vector<std::string> sev = {"Critical", "High", "Medium", "Low", "None"};
    Series all{"all findings", "#95a5a6", {}}, open{"open", "#c0392b", {}};
    for (const auto& s : sev) {
      open.values.push_back(p["open_by_severity"][s].get<double>());
      all.values.push_back(p["findings_by_severity"][s].get<double>() - p["open_by_severity"][s].get<double>());
    }
    all.name = "not open (fixed, verified, suppressed)";
    out += bar_chart("Findings by severity", sev, {open, all});
    std::vector<std::pair<double, double>> pts;
    for (const auto& l : p["latency"]) pts.emplace_back(l["t_ms"].get<double>() / 1000.0, l["latency_us"].get<double>() / 1000.0);
    out += line_chart("Answer latency over the campaign", "seconds since the first case", "latency (ms)", pts);
    (void)doc;
    return out;
  }
};

}  // namespace

std::unique_ptr<Section> make_summary_section() { return std::make_unique<SummarySection>(); }

}  // namespace pc::report
