// Coverage traceability: for each message type and field, the cases per mutation class
// and what came back; a heat map of message type x class; the stateful attacks and how
// each ended; the discovery results are in the method.
#include <fmt/format.h>

#include <map>
#include <set>

#include "core/report/html.hpp"
#include "core/report/section.hpp"

namespace pc::report {
namespace {

// The outcome names coverage holds, in the report's categories.
std::string category(const std::string& outcome) {
  static const std::set<std::string> kFindings = {"crash", "needs-manual-reset", "hang", "degraded",
                                                  "resource-exhaustion", "memory-disclosure", "accepted-invalid",
                                                  "state-violation", "auth-bypass", "integrity-bypass"};
  if (kFindings.count(outcome)) return "finding";
  if (outcome == "answered" || outcome == "silence" || outcome == "close" || outcome == "excluded" ||
      outcome == "error" || outcome == "reset")
    return outcome;
  if (outcome == "none" || outcome.empty()) return "no answer";
  return "exception";  // a named refusal class of the model
}

constexpr const char* kCategories[] = {"answered", "exception", "silence", "close", "reset", "no answer",
                                       "finding", "excluded", "error"};

class CoverageSection final : public Section {
 public:
  std::string id() const override { return "coverage"; }
  std::string title() const override { return "Coverage traceability"; }

  nlohmann::json build(const Context& c) const override {
    // (message, field, class) -> category -> count
    std::map<std::tuple<std::string, std::string, std::string>, std::map<std::string, uint64_t>> cells;
    for (const auto& d : c.coverage) cells[{d.message_type, d.field_path, d.mutation_class}][category(d.outcome)] += d.count;
    std::map<std::tuple<std::string, std::string, std::string>, uint64_t> planned;
    const auto& plan = c.fact("plan");
    if (plan.is_object() && plan.contains("systematic")) {
      for (const auto& s : plan["systematic"]) {
        planned[{s.value("message", ""), s.value("field", ""), s.value("class", "")}] += s.value("cases", 0);
        cells[{s.value("message", ""), s.value("field", ""), s.value("class", "")}];  // planned, maybe not run
      }
    }
    nlohmann::json rows = nlohmann::json::array();
    uint64_t total = 0, unexercised = 0;
    for (const auto& [key, outcomes] : cells) {
      const auto& [m, f, cl] = key;
      if (m.empty() && f.empty() && cl.empty()) continue;
      uint64_t n = 0;
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [k, v] : outcomes) {
        o[k] = v;
        n += v;
      }
      total += n;
      auto pl = planned.find(key);
      if (pl != planned.end() && n == 0) ++unexercised;
      rows.push_back({{"message", m}, {"field", f}, {"class", cl}, {"planned", pl == planned.end() ? 0 : pl->second},
                      {"cases", n}, {"outcomes", o}});
    }
    // the stateful attacks and the outcome of each
    std::map<uint64_t, std::string> state_outcome;
    for (const auto& d : c.cases) {
      if (d.phase == 2) state_outcome[d.index] = d.outcome_name.empty() ? std::to_string(d.outcome) : d.outcome_name;
    }
    nlohmann::json states = nlohmann::json::array();
    if (plan.is_object() && plan.contains("stateful")) {
      for (const auto& s : plan["stateful"]) {
        auto it = state_outcome.find(s.value("index", uint64_t{0}));
        states.push_back({{"attack", s.value("attack", "")}, {"message", s.value("message", "")},
                          {"outcome", it == state_outcome.end() ? "not run" : it->second}});
      }
    }
    return {{"rows", rows}, {"states", states}, {"total_cases", total}, {"slots", rows.size()},
            {"planned_slots_not_exercised", unexercised}};
  }

  std::string html(const nlohmann::json& p, const nlohmann::json& doc) const override {
    using namespace html;
    std::string out = "<p>" +
                      esc(fmt::format("{} cases over {} (message type, field, mutation class) slots; {} planned slot(s) "
                                      "not exercised.",
                                      text(p["total_cases"]), text(p["slots"]), text(p["planned_slots_not_exercised"]))) +
                      "</p>";
    // outcomes per message type (stacked bars) and the heat map
    std::map<std::string, std::map<std::string, double>> per_message;
    std::map<std::string, std::map<std::string, double>> heat;
    std::set<std::string> classes;
    std::map<std::string, std::set<std::string>> finding_cells;
    for (const auto& f : doc["findings"]["items"]) {
      finding_cells[text(f["message_type"])].insert(text(f["mutation_class"]));
    }
    for (const auto& r : p["rows"]) {
      const std::string m = text(r["message"]);
      for (const auto& [k, v] : r["outcomes"].items()) per_message[m][k] += v.get<double>();
      heat[m][text(r["class"])] += r["cases"].get<double>();
      classes.insert(text(r["class"]));
    }
    std::vector<std::string> msgs;
    for (const auto& [m, _] : per_message) msgs.push_back(m);
    static const std::map<std::string, std::string> kColors = {
        {"answered", "#2e86c1"}, {"exception", "#27ae60"}, {"silence", "#f4d03f"}, {"close", "#e67e22"},
        {"reset", "#af601a"},    {"no answer", "#bdc3c7"}, {"finding", "#c0392b"}, {"excluded", "#7f8c8d"},
        {"error", "#8e44ad"}};
    std::vector<Series> series;
    for (const char* cat : kCategories) {
      Series s{cat, kColors.at(cat), {}};
      bool any = false;
      for (const auto& m : msgs) {
        double v = per_message[m].count(cat) ? per_message[m][cat] : 0;
        any = any || v > 0;
        s.values.push_back(v);
      }
      if (any) series.push_back(std::move(s));
    }
    out += bar_chart("Outcomes per message type", msgs, series, 900);
    std::vector<std::string> cols(classes.begin(), classes.end());
    std::vector<std::vector<double>> counts;
    std::vector<std::vector<bool>> marked;
    for (const auto& m : msgs) {
      counts.emplace_back();
      marked.emplace_back();
      for (const auto& cl : cols) {
        counts.back().push_back(heat[m].count(cl) ? heat[m][cl] : 0);
        marked.back().push_back(finding_cells[m].count(cl) > 0 || (finding_cells["*"].count(cl) > 0 && heat[m][cl] > 0));
      }
    }
    out += heat_map("Cases per message type and mutation class (red frame: a finding)", msgs, cols, counts, marked);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : p["rows"]) {
      std::string o;
      for (const auto& [k, v] : r["outcomes"].items()) o += (o.empty() ? "" : ", ") + esc(k) + " " + text(v);
      const bool missing = r["planned"].get<uint64_t>() > 0 && r["cases"].get<uint64_t>() == 0;
      rows.push_back({esc(text(r["message"])), esc(text(r["field"])), esc(text(r["class"])), esc(text(r["planned"])),
                      missing ? "<b>0</b>" : esc(text(r["cases"])), o});
    }
    out += "<h3>Message type x field x mutation class</h3>" +
           table({"message type", "field", "class", "planned", "cases", "outcomes"}, rows, "small");
    rows.clear();
    for (const auto& s : p["states"]) {
      rows.push_back({esc(text(s["attack"])), esc(text(s["message"])), esc(text(s["outcome"]))});
    }
    out += "<h3>States and transitions exercised</h3>" + table({"sequence attack", "message type", "outcome"}, rows, "small");
    return out;
  }
};

}  // namespace

std::unique_ptr<Section> make_coverage_section() { return std::make_unique<CoverageSection>(); }

}  // namespace pc::report
