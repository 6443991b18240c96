// The requirement matrix: each IEC 62443-4-2 requirement, its verdict for this run, the
// criterion that verdict needs and the evidence (core/trace/requirements.hpp).
#include <fmt/format.h>

#include <map>

#include "core/report/html.hpp"
#include "core/report/section.hpp"
#include "core/trace/requirements.hpp"

namespace pc::report {
namespace {

// The matrix's view of the availability run: one test per storm, with the requirement it
// addresses, its verdict and a sentence with its numbers.
nlohmann::json availability_tests(const Context& c) {
  nlohmann::json tests = nlohmann::json::array();
  for (const auto& s : c.availability_storms) {
    const auto& r = s.result;
    std::string verdict = r.status == "skipped" ? "not run" : availability::to_string(r.verdict);
    std::string summary = fmt::format("{} {}", r.storm, verdict);
    if (r.max_sustained_rate) summary += fmt::format(", highest sustained {:.6g} {}", *r.max_sustained_rate, r.unit);
    if (r.degraded_rate) summary += fmt::format(", degraded at {:.6g} {}", *r.degraded_rate, r.unit);
    if (r.recovery.seconds) summary += fmt::format(", recovery {:.2f} s", *r.recovery.seconds);
    if (r.status == "skipped") summary += " (" + r.skip_reason + ")";
    tests.push_back({{"name", r.storm}, {"requirements", {r.requirement}}, {"verdict", verdict}, {"summary", summary}});
  }
  return {{"run", c.availability_run}, {"tests", tests}};
}

class RequirementsSection final : public Section {
 public:
  std::string id() const override { return "requirements"; }
  std::string title() const override { return "Requirement traceability"; }

  nlohmann::json build(const Context& c) const override {
    trace::MatrixInput in;
    in.scope = c.fact("scope");
    in.protocol = c.fact("protocol");
    in.plan = c.fact("plan");
    in.availability = c.availability_run ? availability_tests(c) : c.fact("availability");
    std::map<std::tuple<std::string, std::string, std::string>, uint64_t> ran;
    for (const auto& k : c.cases) {
      if (k.flags & 4) continue;  // excluded: never sent
      if (k.phase == 1) ran[{k.message_type, k.field_path, k.mutation_class}] += 1;
      if (k.phase == 2) ++in.stateful_run;
    }
    for (const auto& [key, n] : ran)
      in.exercised.emplace_back(std::get<0>(key), std::get<1>(key), std::get<2>(key), n);
    for (const auto& f : c.findings)
      in.findings.push_back({f.id, f.title, f.status, f.requirements});
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& v : trace::requirement_matrix(in)) rows.push_back(v.to_json());
    const auto& sc = c.fact("scope");
    auto s = [&](const char* k) { return sc.is_object() ? sc.value(k, "") : std::string(); };
    return {{"matrix", rows}, {"svv5", trace::svv5_statement(s("tester"), s("independence"))}};
  }

  std::string html(const nlohmann::json& p, const nlohmann::json&) const override {
    using namespace html;
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : p["matrix"]) {
      std::string fs;
      for (const auto& id : r["findings"]) {
        fs += (fs.empty() ? "" : " ") +
              fmt::format("<a href=\"#finding-{}\">#{}</a>", id.get<int64_t>(), id.get<int64_t>());
      }
      rows.push_back({"<b>" + esc(text(r["id"])) + "</b> " + esc(text(r["title"])),
                      badge(text(r["verdict"]), verdict_class(text(r["verdict"]))),
                      esc(text(r["criterion"])), esc(text(r["evidence"])), fs});
    }
    return table({"requirement", "verdict", "criterion", "evidence", "findings"}, rows, "matrix") +
           "<p>" + esc(text(p["svv5"])) + "</p>";
  }
};

}  // namespace

std::unique_ptr<Section> make_requirements_section() {
  return std::make_unique<RequirementsSection>();
}

}  // namespace pc::report
